# SPDX-License-Identifier: GPL-2.0
# Drop monitor (--drop): real drops in namespaces made here, one per cause.

# A --- R --- B, R forwarding; sets A, R, B.
topo_router() {
	router_topo 10.251 fd51
}

udp_send() { # NS ADDR PORT [COUNT]
	in_ns "$1" bash -c "for i in \$(seq ${4:-1}); do echo hello >/dev/udp/$2/$3; done" 2>/dev/null
}

test_drop_closed_port() {
	need nc
	ns_add A
	nt_start --drop -p tcp --dport 9999 --netns "/run/netns/$A"
	in_ns "$A" nc -z 127.0.0.1 9999
	in_ns "$A" nc -z 127.0.0.1 9998
	in_ns "$A" ping -c 1 -W 1 127.0.0.2 >/dev/null
	wait_for NO_SOCKET "$NT_OUT"
	nt_stop
	expect_line '^\[[0-9]+\.[0-9]{6}\] TCP 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:9999 seq:[0-9]+ ack:0 flags:S reason:NO_SOCKET tcp_v4_rcv\+0x[0-9a-f]+$'
	! grep -v ':9999 ' "$NT_OUT" | grep -q . || fail "other traffic printed: $(grep -v ':9999 ' "$NT_OUT")"
	grep -q '1 events, 0 events lost' "$NT_ERR" || fail "summary: $(tail -n1 "$NT_ERR")"
}

test_drop_nft_forward() {
	need nft
	topo_router
	in_ns "$R" nft -f - <<-EOF || fail "nft rules not accepted"
		table inet nt_test {
			chain forward {
				type filter hook forward priority 0;
				udp dport 7777 drop
			}
		}
	EOF
	nt_start --drop --netns "/run/netns/$R" -p udp --dport 7777
	udp_send "$A" 10.251.2.1 7777
	wait_for NETFILTER_DROP "$NT_OUT" || fail "no drop: $(cat "$NT_OUT")"
	nt_stop
	expect_line 'UDP 10\.251\.1\.1:[0-9]+ -> 10\.251\.2\.1:7777 len:14 reason:NETFILTER_DROP nft_do_chain\+0x'
}

test_drop_no_route() {
	topo_router
	nt_start --drop --netns "/run/netns/$R" -d 10.99.0.0/16
	udp_send "$A" 10.99.0.1 5000
	wait_for IP_INNOROUTES "$NT_OUT" || fail "no drop: $(cat "$NT_OUT")"
	nt_stop
	expect_line 'UDP 10\.251\.1\.1:[0-9]+ -> 10\.99\.0\.1:5000 len:14 reason:IP_INNOROUTES ip_error\+0x'
}

test_drop_tc_ingress() {
	need tc
	ns_add A
	ns_add B
	link_ns "$A" a0 10.251.3.1/24 "$B" b0 10.251.3.2/24
	in_ns "$B" tc qdisc add dev b0 clsact || fail "no clsact"
	in_ns "$B" tc filter add dev b0 ingress protocol ip prio 1 bpf da obj "$NT_PROGS/tc_drop.bpf.o" sec tc ||
		fail "cannot attach the tc drop program"
	nt_start --drop --netns "/run/netns/$B" --dev b0 -p udp
	udp_send "$A" 10.251.3.2 6000
	wait_for TC_INGRESS "$NT_OUT" || fail "no drop: $(cat "$NT_OUT")"
	nt_stop
	expect_line 'UDP 10\.251\.3\.1:[0-9]+ -> 10\.251\.3\.2:6000 len:14 reason:TC_INGRESS '
}

test_drop_ipv6() {
	need nc
	topo_router
	nt_start --drop --netns "/run/netns/$B" -p tcp --addr fd51:1::1
	in_ns "$A" nc -6 -z -w 2 fd51:2::1 9999
	wait_for NO_SOCKET "$NT_OUT" || fail "no drop: $(cat "$NT_OUT")"
	nt_stop
	expect_line 'TCP \[fd51:1::1\]:[0-9]+ -> \[fd51:2::1\]:9999 seq:[0-9]+ ack:0 flags:S reason:NO_SOCKET tcp_v6_rcv\+0x'
}

# The port filter must find UDP behind hop-by-hop and destination options.
test_drop_ipv6_exthdr() {
	need python3
	ns_add A
	nt_start --drop --netns "/run/netns/$A" -p udp --dport 7778
	in_ns "$A" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
pad = b"\x00\x00\x01\x04\x00\x00\x00\x00"
s.setsockopt(socket.IPPROTO_IPV6, 54, pad)  # IPV6_HOPOPTS
s.setsockopt(socket.IPPROTO_IPV6, 59, pad)  # IPV6_DSTOPTS
s.sendto(b"hello", ("::1", 7778))
' || fail "cannot send with extension headers"
	wait_for NO_SOCKET "$NT_OUT" || fail "no drop: $(cat "$NT_OUT")"
	nt_stop
	expect_line 'UDP \[::1\]:[0-9]+ -> \[::1\]:7778 len:13 ext:hop,dstopts reason:NO_SOCKET __udp6_lib_rcv\+0x'
}

# A packet without a network header takes its flow from its socket.
test_drop_out_no_route() {
	need nc
	ns_add A
	ns_add B
	link_ns "$A" a0 10.251.4.1/24 "$B" b0 10.251.4.2/24
	bg in_ns "$B" nc -l 8080
	sleep 0.3
	nt_start --drop --netns "/run/netns/$A" -p tcp --dport 8080
	in_ns "$A" bash -c 'exec 3<>/dev/tcp/10.251.4.2/8080 || exit 1
		echo a >&3; sleep 0.2
		ip route del 10.251.4.0/24 dev a0
		echo b >&3; sleep 0.3' || fail "no connection"
	wait_for IP_OUTNOROUTES "$NT_OUT" || fail "no drop: $(cat "$NT_OUT")"
	nt_stop
	expect_line 'TCP 10\.251\.4\.1:[0-9]+ -> 10\.251\.4\.2:8080 \(from socket\) reason:IP_OUTNOROUTES __ip_queue_xmit\+0x'
}

test_drop_filters_no_match() {
	need nc
	ns_add A
	local f
	for f in "-p udp" "--dport 9998" "--sport 1" "-s 127.0.0.2" "--addr ::1" "--tcp-flags R" \
		"--pkt-len 1000-2000" "--dev nosuchdev" "--pid 1" "-p icmp"; do
		# shellcheck disable=SC2086
		nt_start --drop --netns "/run/netns/$A" $f
		in_ns "$A" nc -z 127.0.0.1 9999
		sleep 0.3
		nt_stop
		[ ! -s "$NT_OUT" ] || fail "filter '$f' let through: $(head -n 2 "$NT_OUT")"
	done
}

test_drop_filters_match() {
	need nc
	ns_add A
	local f
	for f in "-p tcp" "-p ip" "--dport 9999" "--port 9999" "-d 127.0.0.0/8" "--addr 127.0.0.1" \
		"--tcp-flags S" "--pkt-len 40-100" "--dev lo" "--netns-current-ish"; do
		[ "$f" = "--netns-current-ish" ] && f="--netns $(ns_inode "$A")"
		# shellcheck disable=SC2086
		nt_start --drop --netns "/run/netns/$A" $f
		in_ns "$A" nc -z 127.0.0.1 9999
		wait_for NO_SOCKET "$NT_OUT" 5 || fail "filter '$f' hid the drop"
		nt_stop
	done
}

test_drop_stack() {
	need nc
	ns_add A
	nt_start --drop-stack --netns "/run/netns/$A" -p tcp --dport 9999
	in_ns "$A" nc -z 127.0.0.1 9999
	wait_for '^    ' "$NT_OUT" || fail "no stack: $(cat "$NT_OUT")"
	nt_stop
	expect_line 'reason:NO_SOCKET tcp_v4_rcv\+0x'
	expect_line '^    tcp_v4_rcv\+0x'
	expect_line '^    ip_local_deliver'
	expect_line '^    __netif_receive_skb'
	! grep -Eq 'bpf_prog_|bpf_trace_run' "$NT_OUT" || fail "BPF frames shown: $(cat "$NT_OUT")"
	# The caller chain, innermost first: tcp_v4_rcv before ip_local_deliver_finish.
	grep -E '^    ' "$NT_OUT" | grep -nE 'tcp_v4_rcv|ip_local_deliver_finish' |
		awk -F: 'NR==1 && $2 !~ /tcp_v4_rcv/ {exit 1}' || fail "stack order: $(cat "$NT_OUT")"
}

test_drop_count() {
	need nc
	ns_add A
	local rc=0
	timeout 20 "$NETTRACE" --drop -c 2 --netns "/run/netns/$A" -p tcp >"$NT_TMP/out" 2>"$NT_TMP/err" &
	local pid=$!
	NT_PIDS+=("$pid")
	wait_for 'Ctrl-C to stop' "$NT_TMP/err" || fail "did not start"
	in_ns "$A" nc -z 127.0.0.1 9999
	in_ns "$A" nc -z 127.0.0.1 9998
	in_ns "$A" nc -z 127.0.0.1 9997
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "exit $rc with -c 2"
	[ "$(wc -l <"$NT_TMP/out")" -eq 2 ] || fail "expected 2 lines: $(cat "$NT_TMP/out")"
}

test_drop_detail_date_json() {
	need nc python3
	ns_add A
	local ino
	ino=$(ns_inode "$A")
	nt_start --drop --detail --date --netns "/run/netns/$A" -p tcp
	in_ns "$A" nc -z 127.0.0.1 9999
	wait_for NO_SOCKET "$NT_OUT" || fail "no drop"
	nt_stop
	expect_line "^\[$(date +%Y-%m-%d) [0-9:]{8}\.[0-9]{6}\] \[skb:0x[0-9a-f]+ cpu:[0-9]+ pid:[0-9]+ comm:nc dev:lo ns:$ino\] TCP "
	nt_start --drop --json --detail --netns "/run/netns/$A" -p tcp
	in_ns "$A" nc -z 127.0.0.1 9999
	wait_for NO_SOCKET "$NT_OUT" || fail "no drop"
	nt_stop
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    assert e["event"] == "drop" and e["reason"] == "NO_SOCKET", e
    assert e["location"].startswith("tcp_v4_rcv+0x"), e
    assert e["netns"] == int(sys.argv[2]) and e["comm"] == "nc", e
' "$NT_OUT" "$ino" || fail "bad JSON: $(cat "$NT_OUT")"
}

# Events the ring buffer cannot take are counted, and nettrace keeps going.
test_drop_loss_counted() {
	ns_add A
	local sent=3000 events lost
	nt_start --drop --buffer-size 4 --netns "/run/netns/$A" -p udp --dport 9
	kill -STOP "$NT_PID"
	udp_send "$A" 127.0.0.1 9 "$sent"
	kill -CONT "$NT_PID"
	sleep 0.5
	kill -0 "$NT_PID" || fail "nettrace died after losing events"
	nt_stop
	read -r events lost < <(sed -nE 's/^nettrace: ([0-9]+) events, ([0-9]+) events lost.*/\1 \2/p' "$NT_ERR")
	[ -n "$events" ] || fail "no summary: $(cat "$NT_ERR")"
	[ "$lost" -gt 0 ] || fail "a 4 KiB buffer lost nothing of $sent ($events events)"
	[ "$(wc -l <"$NT_OUT")" -eq "$events" ] || fail "printed $(wc -l <"$NT_OUT") lines, said $events"
	[ $((events + lost)) -eq "$sent" ] || fail "sent $sent, delivered $events + lost $lost"
	grep -q 'skb:kfree_skb: ' "$NT_ERR" || fail "loss not attributed to its probe: $(tail -n1 "$NT_ERR")"
}
