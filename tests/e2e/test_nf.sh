# SPDX-License-Identifier: GPL-2.0
# Netfilter insight in lifecycle mode: hook observers (BPF netfilter links),
# the exact nft rule (nftrace), conntrack and NAT, hook functions blamed.
# Topology: A (10.251.1.1) --- R (router) --- B (10.251.2.1); topo_router is in test_drop.sh.
# Only the acceptance test runs the default catalog; the others select the
# netfilter and life groups (-t nf,life), which the qemu guests load faster.

# Skips unless the start-up line shows hook observers (kernel >= 6.4); sets NF_NFT
# when nft rules are traced too (not in the static build).
nf_or_skip() {
	if grep -q 'netfilter hooks: ' "$NT_ERR"; then
		nt_stop
		skip "$(grep -o 'netfilter hooks: [^;]*' "$NT_ERR")"
	fi
	grep -q 'netfilter hook observers' "$NT_ERR" || fail "start line: $(head -n1 "$NT_ERR")"
	NF_NFT=0
	grep -q 'nft rules traced' "$NT_ERR" && NF_NFT=1
	return 0
}

test_nf_nft_drop_forward() {
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
	nt_start -p udp --dport 7777 -d 10.251.2.1
	nf_or_skip
	udp_send "$A" 10.251.2.1 7777
	sleep 1
	nt_stop
	expect_line '\[nf:ipv4:PRE_ROUTING:first\] UDP 10\.251\.1\.1:[0-9]+ -> 10\.251\.2\.1:7777 .*\| ipv4 PRE_ROUTING in=r0 first'
	expect_line '\[nf:ipv4:FORWARD:first\] UDP 10\.251\.1\.1:[0-9]+ -> 10\.251\.2\.1:7777 .*\| ipv4 FORWARD in=r0 out=r1 first'
	! grep -q 'nf:ipv4:FORWARD:last' "$NT_OUT" || fail "the packet left FORWARD: $(cat "$NT_OUT")"
	expect_line '^  => dropped or stolen inside ipv4 FORWARD'
	expect_line '^    blamed: 0 nft table inet nt_test chain forward$'
	expect_line '\[skb:kfree_skb\] UDP 10\.251\.1\.1:[0-9]+ -> 10\.251\.2\.1:7777 len:14 reason:NETFILTER_DROP'
	! grep -q 'blamed: .*nettrace_' "$NT_OUT" || fail "nettrace blames itself: $(cat "$NT_OUT")"
	if [ "$NF_NFT" = 1 ]; then
		expect_line "\[nft\] inet nt_test forward: rule 'udp dport 7777 drop' \(handle [0-9]+\) -> drop in=r0 out=r1 \| UDP 10\.251\.1\.1:[0-9]+ -> 10\.251\.2\.1:7777"
		# Inside the packet's group: after its FORWARD entry, before the line that ends it.
		awk '/^\*+ packet:/ { inpkt = 1; fwd = 0 } /^$/ { inpkt = 0 }
		     inpkt && /nf:ipv4:FORWARD:first/ { fwd = 1 }
		     /\[nft\] inet nt_test forward: rule/ { ok = inpkt && fwd }
		     END { exit !ok }' "$NT_OUT" ||
			fail "the nft verdict is not inside its packet after FORWARD: $(cat "$NT_OUT")"
	fi
}

# --json: the packet carries its nft verdict among its events and a finding with a severity.
test_nf_nft_drop_json() {
	need nft python3
	topo_router
	in_ns "$R" nft -f - <<-EOF || fail "nft rules not accepted"
		table inet nt_test {
			chain forward {
				type filter hook forward priority 0;
				udp dport 7777 drop
			}
		}
	EOF
	nt_start --json -p udp --dport 7777 -d 10.251.2.1
	nf_or_skip
	[ "$NF_NFT" = 1 ] || skip "nft rules not traced by this build: $(head -n1 "$NT_ERR")"
	udp_send "$A" 10.251.2.1 7777
	sleep 1
	nt_stop
	# Other runs on this machine may use the same addresses: R's namespace picks ours.
	python3 - "$NT_OUT" "$(ns_inode "$R")" <<-'PY' || fail "JSON: $(cat "$NT_OUT")"
		import json, sys
		lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
		ns = int(sys.argv[2])
		apart = [l for l in lines if l.get("event") == "nft" and l["netns"] == ns]
		assert not apart, ("nft verdict printed apart from its packet", apart)
		ok = False
		for p in lines:
		    if p.get("event") != "packet":
		        continue
		    evs = p["events"]
		    nft = [i for i, e in enumerate(evs) if e.get("event") == "nft" and e["netns"] == ns]
		    fwd = [i for i, e in enumerate(evs)
		           if e.get("nf", {}).get("hook") == "FORWARD" and e["nf"].get("where") == "first"]
		    drops = [f for f in p["findings"]
		             if f["severity"] == "ERROR" and f["code"] == "nf.hook.drop"]
		    if not (nft and fwd and drops):
		        continue
		    v = evs[nft[0]]
		    rule = drops[0]["evidence"]["rule"]
		    assert v["table"] == "nt_test" and v["chain"] == "forward" and v["verdict"] == "drop", v
		    assert nft[0] > fwd[0], (nft, fwd)
		    assert rule["table"] == "nt_test" and rule["chain"] == "forward", rule
		    assert rule["text"] == "udp dport 7777 drop" and rule["verdict"] == "drop", rule
		    assert drops[0]["evidence"]["hook"] == "FORWARD", drops[0]
		    assert [b["owner"] for b in drops[0]["evidence"]["blamed"]] == \
		        ["nft table inet nt_test chain forward"], drops[0]
		    assert "nft delete rule inet nt_test forward handle" in drops[0]["advice"], drops[0]
		    ok = True
		sys.exit(0 if ok else 1)
	PY
}

test_nf_iptables_nft_input() {
	command -v iptables-nft >/dev/null || skip "iptables-nft not installed"
	topo_router
	in_ns "$B" iptables-nft -A INPUT -p udp --dport 7778 -j DROP || fail "iptables-nft refused"
	nt_start -t nf,life -p udp --dport 7778 -d 10.251.2.1
	nf_or_skip
	[ "$NF_NFT" = 1 ] || skip "nft rules not traced by this build: $(head -n1 "$NT_ERR")"
	udp_send "$A" 10.251.2.1 7778
	sleep 1
	nt_stop
	expect_line "\[nft\] ip filter INPUT: rule '.*udp dport 7778.*drop' \(handle [0-9]+\) -> drop"
	expect_line '^  => dropped or stolen inside ipv4 LOCAL_IN'
}

test_nf_iptables_legacy() {
	command -v iptables-legacy >/dev/null || skip "iptables-legacy not installed"
	topo_router
	in_ns "$R" iptables-legacy -A FORWARD -p udp --dport 7779 -j DROP || fail "iptables-legacy refused"
	nt_start -t nf,life -p udp --dport 7779 -d 10.251.2.1 -v
	nf_or_skip
	udp_send "$A" 10.251.2.1 7779
	sleep 1
	nt_stop
	expect_line '^  => dropped or stolen inside ipv4 FORWARD'
	expect_line '^    blamed: 0 iptables-legacy table filter$'
	if [ "$NF_NFT" = 1 ] || grep -q 'iptables-legacy tables' "$NT_ERR"; then
		grep -q "iptables-legacy tables ip/filter: their rules are not traced" "$NT_ERR" ||
			fail "nettrace does not say legacy rules are not traced: $(cat "$NT_ERR")"
	fi
}

# DNAT on R's address to B, masquerade towards B: both translations, and the
# conntrack states of request (NEW) and reply (ESTABLISHED_REPLY).
test_nf_dnat_masquerade() {
	need nft python3
	topo_router
	in_ns "$R" nft -f - <<-EOF || fail "nft nat not accepted"
		table ip nt_nat {
			chain pre {
				type nat hook prerouting priority -100;
				udp dport 8080 dnat to 10.251.2.1:7777
			}
			chain post {
				type nat hook postrouting priority 100;
				oifname "r1" masquerade
			}
		}
	EOF
	bg in_ns "$B" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.251.2.1", 7777))
data, peer = s.recvfrom(100)
s.sendto(data, peer)
'
	sleep 0.3
	nt_start -t nf,life -p udp --netns "/run/netns/$R"
	nf_or_skip
	in_ns "$A" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(b"hi", ("10.251.1.254", 8080))
s.recvfrom(100)
' || fail "no reply through NAT"
	sleep 1
	nt_stop
	expect_line '^  => DNAT 10\.251\.1\.254:8080 -> 10\.251\.2\.1:7777 in ipv4 PRE_ROUTING'
	expect_line '^  => SNAT 10\.251\.1\.1:[0-9]+ -> 10\.251\.2\.254:[0-9]+ in ipv4 POST_ROUTING'
	expect_line '\[nf:ipv4:PRE_ROUTING:last\] UDP 10\.251\.1\.1:[0-9]+ -> 10\.251\.2\.1:7777 .* ct:NEW '
	expect_line '\[nf:ipv4:PRE_ROUTING:last\] UDP 10\.251\.2\.1:7777 -> 10\.251\.1\.1:[0-9]+ .* ct:ESTABLISHED_REPLY '
}

test_nf_bpf_prog_drop() {
	[ -x "$NT_PROGS/nfdrop" ] || skip "no nfdrop helper"
	topo_router
	nt_start -t nf,life -p udp --dport 7780 -d 10.251.2.1
	nf_or_skip
	bg in_ns "$R" "$NT_PROGS/nfdrop" 2 10 20 >"$NT_TMP/nfdrop"
	wait_for ready "$NT_TMP/nfdrop" || fail "cannot link the dropping program: $(cat "$NT_TMP/nfdrop")"
	udp_send "$A" 10.251.2.1 7780
	sleep 1
	nt_stop
	expect_line '^  => dropped or stolen inside ipv4 FORWARD'
	expect_line '^    blamed: 10 bpf prog id [0-9]+ name nt_testdrop'
}

test_nf_ipv6_drop() {
	need nft nc
	topo_router
	in_ns "$R" nft -f - <<-EOF || fail "nft rules not accepted"
		table ip6 nt_test6 {
			chain forward {
				type filter hook forward priority 0;
				tcp dport 7781 drop
			}
		}
	EOF
	nt_start -t nf,life -p tcp --dport 7781 -d fd51:2::1
	nf_or_skip
	in_ns "$A" nc -6 -z -w 1 fd51:2::1 7781
	sleep 1
	nt_stop
	expect_line '\[nf:ipv6:FORWARD:first\] TCP \[fd51:1::1\]:[0-9]+ -> \[fd51:2::1\]:7781 '
	expect_line '^  => dropped or stolen inside ipv6 FORWARD'
	expect_line '^    blamed: 0 nft table ip6 nt_test6 chain forward$'
	if [ "$NF_NFT" = 1 ]; then
		expect_line "\[nft\] ip6 nt_test6 forward: rule 'tcp dport 7781 drop' \(handle [0-9]+\) -> drop"
	fi
}

# After kill -9: no nft table, no netfilter link of nettrace's.
test_nf_kill9_leaves_nothing() {
	need nft
	topo_router
	in_ns "$R" nft add table inet nt_keep || fail "nft"
	nt_start -t nf,life -p udp --dport 7782
	nf_or_skip
	local ids links
	ids=$(bpf_ids_of "$NT_PID")
	links=$(echo "$ids" | awk '$1 == "link" {print $2}')
	[ -n "$links" ] || fail "no links held"
	if [ "$NF_NFT" = 1 ]; then
		in_ns "$R" nft list tables | grep -q "nettrace_$NT_PID" || fail "no trace table in R"
	fi
	kill -KILL "$NT_PID"
	wait "$NT_PID" 2>/dev/null
	sleep 0.5
	! in_ns "$R" nft list tables | grep -q nettrace_ || fail "trace table left: $(in_ns "$R" nft list tables)"
	local id
	for id in $links; do
		! bpftool link show id "$id" >/dev/null 2>&1 || fail "link $id left after kill -9"
	done
}

# nft trace messages reach every listener of a namespace: a second nettrace
# must not show the packets that only the first one marked.
test_nf_nft_other_tracer() {
	local out1 err1 pid1 out2
	need nft
	topo_router
	in_ns "$R" nft -f - <<-EOF || fail "nft rules not accepted"
		table inet nt_test {
			chain forward {
				type filter hook forward priority 0;
				udp dport 7791 drop
				udp dport 7792 drop
			}
		}
	EOF
	nt_start -p udp --dport 7791
	out1=$NT_OUT err1=$NT_ERR pid1=$NT_PID
	nf_or_skip
	[ "$NF_NFT" = 1 ] || skip "nft rules not traced by this build: $(head -n1 "$NT_ERR")"
	nt_start -p udp --dport 7792
	udp_send "$A" 10.251.2.1 7791
	udp_send "$A" 10.251.2.1 7792
	sleep 3
	nt_stop
	out2=$NT_OUT
	NT_PID=$pid1 NT_OUT=$out1 NT_ERR=$err1
	nt_stop
	grep -q "rule 'udp dport 7791 drop'" "$out1" || fail "the first tracer missed its packet: $(cat "$out1")"
	grep -q "rule 'udp dport 7792 drop'" "$out2" || fail "the second tracer missed its packet"
	! grep -q ':7791' "$out2" || fail "the second tracer shows the first one's packet: $(grep ':7791' "$out2")"
}
