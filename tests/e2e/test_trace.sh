# SPDX-License-Identifier: GPL-2.0
# Lifecycle and basic tracing: real pings between namespaces made here. On a
# kernel with fentry (the qemu guests) functions are traced; on one without
# (this host) the tracepoints are, and nettrace must say why.

# A (10.251.5.1) --- B (10.251.5.2)
topo_pair() {
	ns_add A
	ns_add B
	link_ns "$A" a0 10.251.5.1/24 "$B" b0 10.251.5.2/24
}

funcs_traced() {
	grep -q 'functions via' "$NT_ERR"
}

# The largest group (header line to blank line) with a line matching $1.
group_of_line() {
	awk -v pat="$1" '
		/^\*+ packet: / { cur = $0; inside = 1; next }
		inside && /^$/ { if (cur ~ pat && length(cur) > length(best)) best = cur; inside = 0; next }
		inside { cur = cur "\n" $0 }
		END { if (inside && cur ~ pat && length(cur) > length(best)) best = cur; if (best != "") print best }
	' "$NT_OUT"
}

test_trace_ping_lifecycle() {
	need ping
	topo_pair
	nt_start -p icmp --saddr 10.251.5.1
	in_ns "$A" ping -c 1 -W 2 10.251.5.2 >/dev/null || fail "ping failed"
	sleep 0.5
	nt_stop
	local req
	req=$(group_of_line 'ping request')
	[ -n "$req" ] || fail "no group for the ping request: $(head -c 800 "$NT_OUT")"
	echo "$req" | grep -q '^\*\*\** packet: skb 0x[0-9a-f]' || fail "no group header: $req"
	# Every event line carries the addresses.
	! echo "$req" | grep '^\[' | grep -vq '10\.251\.5\.1 -> 10\.251\.5\.2 ping request' ||
		fail "an event without the packet's addresses: $req"
	if funcs_traced; then
		for f in ip_rcv icmp_rcv; do
			echo "$req" | grep -q "\[$f\]" || fail "no $f in: $req"
		done
		echo "$req" | grep -Eq '\[(skb:)?consume_skb\]' || fail "no consume_skb: $req"
	else
		grep -q 'functions not traced: kprobes: .*; fentry: ' "$NT_ERR" ||
			fail "start-up line does not say why functions are not traced: $(head -n1 "$NT_ERR")"
		for t in net:net_dev_queue net:netif_receive_skb skb:consume_skb; do
			echo "$req" | grep -q "\[$t\]" || fail "no $t in: $req"
		done
	fi
	# The reply's source is B: with --saddr A it is not a packet of ours.
	! grep -q 'ping reply' "$NT_OUT" || fail "the filter let the reply through"
}

test_trace_ping_both_groups() {
	need ping
	topo_pair
	nt_start -p icmp --netns "/run/netns/$A"
	in_ns "$A" ping -c 1 -W 2 10.251.5.2 >/dev/null || fail "ping failed"
	sleep 0.5
	nt_stop
	[ -n "$(group_of_line 'ping request')" ] || fail "no request group"
	[ -n "$(group_of_line 'ping reply')" ] || fail "no reply group"
	# Request and reply are separate groups.
	! group_of_line 'ping request' | grep -q 'ping reply' || fail "request and reply in one group"
}

# A filter on a source address A also has (10.251.5.9): in the same run, the
# ping from it is traced and the ping from A's first address is not.
test_trace_filter_saddr_no_match() {
	need ping
	topo_pair
	ip -n "$A" addr add 10.251.5.9/24 dev a0
	nt_start -p icmp --saddr 10.251.5.9
	in_ns "$A" ping -c 1 -W 2 -I 10.251.5.1 10.251.5.2 >/dev/null || fail "ping from 10.251.5.1 failed"
	in_ns "$A" ping -c 1 -W 2 -I 10.251.5.9 10.251.5.2 >/dev/null || fail "ping from 10.251.5.9 failed"
	sleep 0.5
	nt_stop
	[ -n "$(group_of_line '10\.251\.5\.9 -> 10\.251\.5\.2 ping request')" ] ||
		fail "the matching ping was not traced: $(head -c 800 "$NT_OUT")"
	! grep -q '10\.251\.5\.1 ->' "$NT_OUT" || fail "the filter let 10.251.5.1 through: $(grep '10\.251\.5\.1 ->' "$NT_OUT" | head -n 3)"
	! grep -q 'ping reply' "$NT_OUT" || fail "the filter let a reply through"
}

# A --- R (masquerade) --- B: the group follows the packet across the source change.
test_trace_nat_masquerade() {
	need nft ping
	ns_add A
	ns_add R
	ns_add B
	link_ns "$A" a0 10.251.6.1/24 "$R" r0 10.251.6.254/24
	link_ns "$R" r1 10.251.7.254/24 "$B" b0 10.251.7.1/24
	ip -n "$A" route add default via 10.251.6.254
	in_ns "$R" sysctl -qw net.ipv4.ip_forward=1
	in_ns "$R" nft -f - <<-EOF || fail "nft masquerade not accepted"
		table ip nt_nat {
			chain post {
				type nat hook postrouting priority 100;
				oifname "r1" masquerade
			}
		}
	EOF
	nt_start -p icmp --saddr 10.251.6.1
	in_ns "$A" ping -c 1 -W 2 10.251.7.1 >/dev/null || fail "ping through NAT failed"
	sleep 0.5
	nt_stop
	local req
	req=$(group_of_line '10\.251\.6\.1 -> 10\.251\.7\.1 ping request')
	[ -n "$req" ] || fail "no group: $(head -c 800 "$NT_OUT")"
	echo "$req" | grep -q '10\.251\.7\.254 -> 10\.251\.7\.1 ping request' ||
		fail "tracking stopped at the source change: $req"
	# Before the change, then after it, in time order.
	# The packet part of each line (conntrack tuples after '|' keep the original addresses).
	echo "$req" | grep -E 'ping request' | sed 's/ |.*//' |
		awk '/10\.251\.7\.254 ->/ {after=1} /10\.251\.6\.1 ->/ && after {bad=1} END {exit bad}' ||
		fail "addresses out of order: $req"
}

# A packet socket on B's interface gets a clone of each packet: with fexit on
# skb_clone the clone stays in the packet's group.
test_trace_clone() {
	need ping
	[ -x "$NT_PROGS/pktsock" ] || skip "no pktsock helper"
	topo_pair
	nt_start -p icmp --saddr 10.251.5.1
	funcs_traced || skip "clones are followed through fexit on skb_clone: no fentry/fexit here ($(head -n1 "$NT_ERR"))"
	bg in_ns "$B" "$NT_PROGS/pktsock" b0 3 >"$NT_TMP/pkt"
	wait_for ready "$NT_TMP/pkt" || fail "pktsock did not start"
	in_ns "$A" ping -c 1 -W 2 10.251.5.2 >/dev/null || fail "ping failed"
	sleep 0.5
	nt_stop
	local req
	req=$(group_of_line 'ping request')
	echo "$req" | grep -q 'clone:0x' || fail "no clone in the group: $req"
	echo "$req" | head -n1 | grep -Eq 'skb 0x[0-9a-f]+,0x[0-9a-f]+' ||
		fail "the header does not list both skbs: $(echo "$req" | head -n1)"
}

# Functions only, on a kernel that cannot trace functions: nothing attaches,
# and nettrace must say so and fail rather than wait for nothing.
functions_or_skip() {
	local rc=0
	timeout 70 "$NETTRACE" -c 1 "$@" >/dev/null 2>"$NT_TMP/probe.err" </dev/null &
	local pid=$!
	NT_PIDS+=("$pid")
	wait_for 'Ctrl-C to stop|nothing attached' "$NT_TMP/probe.err" 60
	if grep -q 'nothing attached' "$NT_TMP/probe.err"; then
		wait "$pid" || rc=$?
		[ "$rc" -eq 1 ] || fail "nothing attached, but exit $rc"
		grep -q 'fentry: ' "$NT_TMP/probe.err" || fail "no reason given: $(cat "$NT_TMP/probe.err")"
		skip "no function backend here: $(cat "$NT_TMP/probe.err")"
	fi
	kill "$pid" 2>/dev/null
}

test_trace_ret() {
	need ping
	topo_pair
	functions_or_skip -p icmp --saddr 10.251.5.1 --ret -t ip_rcv,icmp_rcv
	nt_start -p icmp --saddr 10.251.5.1 --ret -t ip_rcv,icmp_rcv
	in_ns "$A" ping -c 1 -W 2 10.251.5.2 >/dev/null || fail "ping failed"
	sleep 0.5
	nt_stop
	expect_line '\[ip_rcv\] ICMP 10\.251\.5\.1 -> 10\.251\.5\.2 ping request .* ret:0 \(NET_RX_SUCCESS\)'
}

test_trace_basic_and_count() {
	need ping
	topo_pair
	nt_start --basic -p icmp --saddr 10.251.5.1
	in_ns "$A" ping -c 1 -W 2 10.251.5.2 >/dev/null || fail "ping failed"
	sleep 0.5
	nt_stop
	! grep -q 'packet: skb' "$NT_OUT" || fail "--basic printed groups"
	[ "$(grep -c 'ping request' "$NT_OUT")" -ge 3 ] || fail "too few events: $(cat "$NT_OUT")"

	local rc=0 pid
	timeout 90 "$NETTRACE" -c 1 -p icmp --saddr 10.251.5.1 >"$NT_TMP/c.out" 2>"$NT_TMP/c.err" &
	pid=$!
	NT_PIDS+=("$pid")
	wait_for 'Ctrl-C to stop' "$NT_TMP/c.err" 60 || fail "did not start: $(cat "$NT_TMP/c.err")"
	in_ns "$A" ping -c 3 -i 0.3 -W 2 10.251.5.2 >/dev/null
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "-c 1 exited $rc"
	[ "$(grep -c 'packet: skb' "$NT_TMP/c.out")" -eq 1 ] || fail "-c 1 printed: $(cat "$NT_TMP/c.out")"
}

test_trace_list_and_errors() {
	"$NETTRACE" -t '?' >"$NT_TMP/tree" || fail "-t ? failed"
	grep -Eq '^ +\[x\] tp +net:netif_receive_skb' "$NT_TMP/tree" || fail "tree: $(head "$NT_TMP/tree")"
	grep -Eq '^[0-9]+ of [0-9]+ probes available, [0-9]+ enabled' "$NT_TMP/tree" || fail "no summary"
	local rc=0
	"$NETTRACE" -t nosuchgroup 2>"$NT_TMP/err" || rc=$?
	[ "$rc" -eq 2 ] && grep -q -- '-t/--trace.*nosuchgroup' "$NT_TMP/err" ||
		fail "-t nosuchgroup: exit $rc, $(cat "$NT_TMP/err")"
	rc=0
	"$NETTRACE" --all-funcs='(' 2>"$NT_TMP/err" || rc=$?
	[ "$rc" -eq 2 ] || fail "--all-funcs='(' exited $rc"
}

test_trace_startup_line_backend() {
	topo_pair
	nt_start -p icmp --saddr 10.251.5.1
	nt_stop
	if grep -q 'fentry: blocked' "$NT_ERR"; then
		# This host: tracepoints only, and a forced fentry is refused with the reason.
		grep -Eq 'lifecycle trace: [0-9]+ tracepoints; functions not traced' "$NT_ERR" ||
			fail "start line: $(head -n1 "$NT_ERR")"
		local rc=0
		"$NETTRACE" --backend fentry -p icmp 2>"$NT_TMP/err" || rc=$?
		[ "$rc" -eq 1 ] && grep -q 'fentry: blocked (EPERM)' "$NT_TMP/err" ||
			fail "--backend fentry: exit $rc, $(cat "$NT_TMP/err")"
	else
		grep -Eq 'lifecycle trace: [0-9]+ functions via fentry, [0-9]+ tracepoints' "$NT_ERR" ||
			fail "start line: $(head -n1 "$NT_ERR")"
		nt_start --backend kprobe -p icmp --saddr 10.251.5.1
		nt_stop
		grep -Eq '[0-9]+ functions via kprobe,' "$NT_ERR" || fail "kprobe: $(head -n1 "$NT_ERR")"
	fi
}

test_trace_kprobe_multi() {
	need ping
	topo_pair
	local rc=0
	"$NETTRACE" --backend kprobe-multi -c 1 -p icmp --saddr 10.251.5.9 >/dev/null 2>"$NT_TMP/err" &
	local pid=$!
	NT_PIDS+=("$pid")
	wait_for 'Ctrl-C to stop|error' "$NT_TMP/err" 60
	if grep -q 'error: --backend kprobe-multi: ' "$NT_TMP/err"; then
		wait "$pid" || rc=$?
		[ "$rc" -eq 1 ] || fail "refused backend exited $rc"
		skip "kprobe-multi refused here, with its reason: $(cat "$NT_TMP/err")"
	fi
	kill "$pid" 2>/dev/null
	nt_start --backend kprobe-multi -p icmp --saddr 10.251.5.1
	grep -Eq '[0-9]+ functions via kprobe-multi' "$NT_ERR" || fail "start line: $(head -n1 "$NT_ERR")"
	in_ns "$A" ping -c 1 -W 2 10.251.5.2 >/dev/null || fail "ping failed"
	sleep 0.5
	nt_stop
	local req
	req=$(group_of_line 'ping request')
	echo "$req" | grep -q '\[ip_rcv\]' || fail "no ip_rcv via kprobe-multi: $req"
}

# Functions the catalog does not list, found from BTF by --all-funcs.
test_trace_all_funcs() {
	need ping
	topo_pair
	local re='^(eth_type_trans|icmp_reply)$'
	# The catalog compiled into this nettrace (-t ? lists it; the guests have no data/).
	"$NETTRACE" -t '?' >"$NT_TMP/tree" || fail "-t ? failed"
	grep -qw 'ip_rcv' "$NT_TMP/tree" || fail "-t ? does not list ip_rcv: $(head -n 5 "$NT_TMP/tree")"
	! grep -Eqw 'eth_type_trans|icmp_reply' "$NT_TMP/tree" ||
		fail "the catalog lists them, pick others: $(grep -Ew 'eth_type_trans|icmp_reply' "$NT_TMP/tree")"
	functions_or_skip --all-funcs="$re" -t eth_type_trans
	nt_start --all-funcs="$re" -t life -p icmp --saddr 10.251.5.1
	in_ns "$A" ping -c 1 -W 2 10.251.5.2 >/dev/null || fail "ping failed"
	sleep 0.5
	nt_stop
	local req
	req=$(group_of_line 'ping request')
	for f in eth_type_trans icmp_reply; do
		echo "$req" | grep -q "\[$f\]" || fail "--all-funcs did not trace $f: $req"
	done
}
