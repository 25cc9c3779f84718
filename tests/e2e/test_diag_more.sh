# SPDX-License-Identifier: GPL-2.0
# Diagnose mode, more faults of the diagnosis notes (routing, neighbours,
# devices, tc/XDP/qdisc, sockets, TCP, ICMP, netfilter, NAT), each in its own
# namespaces, each asserting the level, the finding and the key fact of its
# advice. Uses test_diag.sh's helpers (diag_wait_exit, diag_stop,
# expect_finding, diag_nft), test_drop.sh's udp_send and lib.sh's
# router_topo. Addresses 10.254.0.0/16 and fd54::/16 are this file's own;
# ports 7100-7199.

# Host-only for now: in the emulated guests each scenario costs half a minute
# of attaching the catalog, which the CI budget cannot pay for yet.
[ -z "${NT_VM:-}" ] || return 0

# A - R - B, R routing (lib.sh), on this file's addresses.
more_topo() {
	router_topo 10.254 fd54
}

# A - B on one link.
more_pair() {
	ns_add A
	ns_add B
	link_ns "$A" a0 10.254.3.1/24 "$B" b0 10.254.3.2/24
	ip -n "$A" addr add fd54:3::1/64 dev a0 nodad
}

# Seconds to wait for a finding: emulated guests (NT_VM set) are slow.
MORE_WAIT=${NT_VM:+90}
MORE_WAIT=${MORE_WAIT:-10}

# more_need_reason NAME: the running kernel has drop reason NAME (its BTF
# names every enumerator; older kernels lack the newer reasons).
more_need_reason() {
	grep -qaw "SKB_DROP_REASON_$1" /sys/kernel/btf/vmlinux 2>/dev/null ||
		skip "this kernel has no drop reason $1"
}

more_need_prog() {
	[ -e "$NT_PROGS/$1" ] || skip "no $1 helper (make $NT_PROGS/$1)"
}

# more_hold NS tcp|udp PORT SECONDS [OPTION...]: a socket that never reads.
more_hold() {
	local f="$NT_TMP/hold.$RANDOM"
	more_need_prog sockhold
	bg in_ns "$1" "$NT_PROGS/sockhold" "${@:2}" >"$f" 2>&1
	wait_for ready "$f" 5 || fail "sockhold ${*:2}: $(cat "$f")"
}

# more_raw NS ARGS...: one hand-made IPv4 packet (tests/progs/rawip.c).
more_raw() {
	more_need_prog rawip
	in_ns "$1" "$NT_PROGS/rawip" "${@:2}" || fail "rawip ${*:2} failed"
}

# more_neigh NS ADDR DEV PEER_NS PEER_DEV: a permanent neighbour entry with
# the peer device's MAC, so that no ARP is needed.
more_neigh() {
	local mac
	mac=$(ip -n "$4" -br link show "$5" | awk '{print $3}')
	ip -n "$1" neigh replace "$2" lladdr "$mac" dev "$3" nud permanent
}

# more_check NS COMMAND: a check line, run in namespace NS (extended regex).
more_check() {
	expect_line "^        ip netns exec $1 $2\$"
}

# more_wait_finding LEVEL CODE: until the finding is printed (for WARN and
# INFO, which do not stop --diag), then Ctrl-C.
more_wait_finding() {
	wait_for "^\[[0-9]+\] $1 $2 " "$NT_OUT" "$MORE_WAIT" ||
		fail "no $1 $2 finding; findings: $(diag_findings | tr '\n' ';') output: $(head -c 3000 "$NT_OUT")"
	sleep 0.5
	diag_stop
}

# more_error_exit: --diag ended by itself after a packet in error (status 3).
more_error_exit() {
	diag_wait_exit "$MORE_WAIT"
	[ "$NT_RC" -eq 3 ] || fail "exit status $NT_RC, not 3 (abnormal packet seen)"
}

# more_reason NAME: the packet in error was dropped with reason NAME.
more_reason() {
	grep -q "^    drop reason: $1\$" "$NT_OUT" ||
		fail "no drop reason $1; findings: $(diag_findings | tr '\n' ';') output: $(grep -v '^\[' "$NT_OUT" | head -c 2000)"
}

# more_reset_sent PORT: the reset B sent for a segment to PORT; told by the
# tcp_send_reset tracepoint (6.10+), else by tcp_v4_send_reset's probe.
more_reset_sent() {
	if diag_findings | grep -qx 'WARN tcp.reset.sent'; then
		expect_line "^        This host sent a TCP reset \(10\.254\.1\.1:[0-9]+ to 10\.254\.2\.1:$1\)\.\$"
		return
	fi
	expect_finding WARN tcp.reset.stack
}

# more_nft NS HOOK RULE: table inet more, chain HOOK (a filter chain) with RULE.
more_nft() {
	diag_nft "$1" <<-EOF
		table inet more {
			chain $2 {
				type filter hook $2 priority 0;
				$3
			}
		}
	EOF
}

# more_nft_start ARGS...: nettrace, where nft rules are traced.
more_nft_start() {
	nt_start "$@"
	grep -q 'nft rules traced' "$NT_ERR" || skip "nft rules not traced here: $(head -n1 "$NT_ERR")"
}

# more_udp_error PORT DST: a datagram from A to DST:PORT, which --diag
# must find in error (and stop).
more_udp_error() {
	nt_start -p udp --diag --saddr 10.254.1.1 --dport "$1"
	udp_send "$A" "$2" "$1"
	more_error_exit
}

# more_fact_reads NS FACT: whether the engine reads FACT (a template such
# as {sysctl:net.ipv4.ip_forward}) in namespace NS, asked with a rule of its
# own on a datagram to a closed port of NS.
more_fact_reads() {
	local rules="$NT_TMP/probe.kb" out="$NT_TMP/probe.out" err="$NT_TMP/probe.err" pid
	printf 'rule more.fact.probe\n  level WARN\n  when l4 udp\n  when dport 7199\n  message fact=%s\n' \
		"$2" >"$rules"
	"$NETTRACE" --diag -p udp --dport 7199 --netns "/run/netns/$1" --diag-rules "$rules" \
		>"$out" 2>"$err" &
	pid=$!
	NT_PIDS+=("$pid")
	wait_for 'Ctrl-C to stop' "$err" 60 || fail "fact probe did not start: $(tail -n 2 "$err")"
	in_ns "$1" bash -c 'echo x >/dev/udp/127.0.0.1/7199' 2>/dev/null
	wait_for '^        fact=' "$out" "$MORE_WAIT"
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -q '^        fact=' "$out" || fail "fact probe saw no packet: $(head -c 600 "$out")"
	! grep -q '^        fact=?$' "$out"
}

# more_fact REGEX NS FACT: the output says what FACT reads in NS (REGEX);
# SKIP when the engine cannot read such facts yet, FAIL when it can.
more_fact() {
	grep -Eq -- "$1" "$NT_OUT" && return 0
	more_fact_reads "$2" "$3" || skip "needs facts: $3 reads ? (wanted /$1/)"
	fail "no line matches '$1' although $3 reads; got: $(head -c 3000 "$NT_OUT")"
}

# more_fact_rule LEVEL CODE NS FACT: a rule whose condition tests FACT made
# the finding; SKIP when the engine cannot read such facts yet.
more_fact_rule() {
	diag_findings | grep -qx "$1 $2" && return 0
	more_fact_reads "$3" "$4" ||
		skip "needs facts: $4 reads ?, so rule $2 (which tests it) cannot hold; got $(diag_findings | tr '\n' ' ')"
	expect_finding "$1" "$2"
}

# ---------------------------------------------------------------- routing and IP

# A ping with TTL 1 through R: the TTL runs out in R's ip_forward.
test_diag_more_ttl_expired() {
	more_need_reason IP_INHDR
	more_topo
	nt_start -p icmp --diag --saddr 10.254.1.1
	in_ns "$A" ping -c 1 -t 1 -W 1 10.254.2.1 >/dev/null
	more_error_exit
	expect_finding ERROR ip.ttl.expired
	expect_line '^        The packet.s TTL \(hop limit\) ran out here while being forwarded to 10\.254\.2\.1\.$'
	more_check "$R" 'ip route get 10\.254\.2\.1'
	more_reason IP_INHDR
}

# IPv6: hop limit 1 through R.
test_diag_more_v6_hop_limit() {
	more_need_reason IP_INHDR
	more_topo
	nt_start -p icmp6 --diag --saddr fd54:1::1
	in_ns "$A" ping -6 -c 1 -t 1 -W 1 fd54:2::1 >/dev/null
	more_error_exit
	expect_finding ERROR ip.ttl.expired
	more_check "$R" 'ip route get fd54:2::1'
}

# R and B route 10.254.9.0/24 to each other: the packet loops until its TTL
# runs out (a small TTL keeps the loop short).
test_diag_more_routing_loop() {
	more_need_reason IP_INHDR
	more_topo
	ip -n "$R" route add 10.254.9.0/24 via 10.254.2.1
	ip -n "$B" route add 10.254.9.0/24 via 10.254.2.254
	in_ns "$B" sysctl -qw net.ipv4.ip_forward=1
	nt_start -p udp --diag --saddr 10.254.1.1 --dport 7101
	more_raw "$A" 10.254.1.1 10.254.9.9 udp dport=7101 ttl=6
	more_error_exit
	expect_finding ERROR ip.ttl.expired
	expect_line '^        If the same packet went through this router before, routes loop'
	expect_line "^        ip netns exec ($R|$B) ip route get 10\.254\.9\.9$"
	# It looped: R forwarded it from r1 back to r1.
	expect_line '\[nf:ipv4:FORWARD:first\] UDP 10\.254\.1\.1:40000 -> 10\.254\.9\.9:7101 .* in=r1 out=r1 '
}

# ip_forward off on R.
test_diag_more_forward_off() {
	more_need_reason IP_INADDRERRORS
	more_topo
	in_ns "$R" sysctl -qw net.ipv4.ip_forward=0
	more_udp_error 7102 10.254.2.1
	more_reason IP_INADDRERRORS
	more_fact_rule ERROR ip.forward.off "$R" '{sysctl:net.ipv4.conf.r0.forwarding}'
	expect_line '^        The packet should be routed to 10\.254\.2\.1, but forwarding is off on r0 \(net\.ipv4\.ip_forward is 0\)\.$'
	more_check "$R" 'sysctl -w net\.ipv4\.ip_forward=1'
}

# IPv6 forwarding off on R.
test_diag_more_v6_forward_off() {
	more_need_reason IP_INADDRERRORS
	more_topo
	in_ns "$R" sysctl -qw net.ipv6.conf.all.forwarding=0
	nt_start -p udp --diag --saddr fd54:1::1 --dport 7103
	in_ns "$A" bash -c 'echo hi >/dev/udp/fd54:2::1/7103' 2>/dev/null
	more_error_exit
	more_reason IP_INADDRERRORS
	more_fact_rule ERROR ip6.forward.off "$R" '{sysctl:net.ipv6.conf.all.forwarding}'
	more_check "$R" 'sysctl -w net\.ipv6\.conf\.all\.forwarding=1'
}

# Strict reverse path filtering on R, and a source R has no route back to.
test_diag_more_rp_filter() {
	more_need_reason IP_RPFILTER
	more_topo
	# A's ARP must not carry the spoofed source (R would filter it too).
	in_ns "$A" sysctl -qw net.ipv4.conf.all.arp_announce=2
	in_ns "$R" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.r0.rp_filter=1
	ip -n "$A" addr add 10.254.9.1/32 dev lo
	nt_start -p icmp --diag --saddr 10.254.9.1
	in_ns "$A" ping -c 1 -W 1 -I 10.254.9.1 10.254.2.1 >/dev/null
	more_error_exit
	expect_finding ERROR drop.ip_rpfilter
	more_check "$R" 'ip route get 10\.254\.9\.1 from 10\.254\.2\.1 iif r0'
	more_fact 'rp_filter: r0 1, all 1; the higher applies' "$R" '{sysctl:net.ipv4.conf.r0.rp_filter}'
}

# A packet arriving with a source address R owns.
test_diag_more_local_source() {
	more_need_reason IP_LOCAL_SOURCE
	more_topo
	in_ns "$A" sysctl -qw net.ipv4.conf.all.arp_announce=2
	ip -n "$A" addr add 10.254.2.254/32 dev lo
	nt_start -p icmp --diag --saddr 10.254.2.254
	in_ns "$A" ping -c 1 -W 1 -I 10.254.2.254 10.254.2.1 >/dev/null
	more_error_exit
	expect_finding ERROR drop.ip_local_source
	expect_line '^        The packet came in on r0 with a source address that belongs to this host \(10\.254\.2\.254\)\.$'
	more_check "$R" 'ip addr show to 10\.254\.2\.254'
}

# Martian sources from A: a loopback and a multicast source address.
more_martian() { # SOURCE PORT CODE CHECK
	more_topo
	in_ns "$A" sysctl -qw net.ipv4.conf.all.arp_announce=2
	nt_start --diag --saddr "$1"
	more_raw "$A" "$1" 10.254.2.1 udp dport="$2"
	more_error_exit
	expect_finding ERROR "$3"
	more_check "$R" "$4"
}

test_diag_more_martian_localnet() {
	more_need_reason IP_LOCALNET
	more_martian 127.0.0.54 7104 drop.ip_localnet 'sysctl net\.ipv4\.conf\.r0\.route_localnet'
}

test_diag_more_martian_multicast() {
	more_need_reason IP_INVALID_SOURCE
	more_martian 224.0.0.54 7105 drop.ip_invalid_source 'sysctl net\.ipv4\.conf\.r0\.log_martians'
	expect_line "^        The packet's source address 224\.0\.0\.54 is not valid as a source"
}

# IPv6 without a route on R.
test_diag_more_v6_no_route() {
	more_need_reason IP_INNOROUTES
	more_topo
	nt_start -p udp --diag --saddr fd54:1::1 --dport 7106
	in_ns "$A" bash -c 'echo hi >/dev/udp/fd54:99::1/7106' 2>/dev/null
	more_error_exit
	expect_finding ERROR drop.ip_innoroutes
	more_check "$R" 'ip route get fd54:99::1 from fd54:1::1 iif r0'
}

# A's default route goes away under an open TCP connection: the next segment
# has no route out of A.
test_diag_more_local_no_route() {
	more_need_reason IP_OUTNOROUTES
	more_topo
	more_hold "$B" tcp 7107 600
	nt_start -p tcp --diag --dport 7107 --addr 10.254.2.1
	in_ns "$A" bash -c 'exec 3<>/dev/tcp/10.254.2.1/7107 && ip route del default &&
		echo hi >&3; sleep 1' 2>/dev/null
	more_error_exit
	more_reason IP_OUTNOROUTES
	if ! diag_findings | grep -qx 'ERROR ip.noroute.local'; then
		grep -q '^        This host has no route to send the packet to ? ' "$NT_OUT" &&
			skip "needs the socket's flow as packet fields for events built from skb->sk (IP_OUTNOROUTES at __ip_queue_xmit: {daddr} reads ?)"
		more_fact_rule ERROR ip.noroute.local "$A" '{route:10.254.2.1}'
	fi
	more_check "$A" 'ip route get 10\.254\.2\.1'
}

# Larger than R's way out, with DF set (IPv4) and in IPv6.
test_diag_more_pkt_too_big() {
	more_need_reason PKT_TOO_BIG
	more_topo
	ip -n "$R" link set r1 mtu 1280
	nt_start -p icmp --diag --saddr 10.254.1.1
	in_ns "$A" ping -c 1 -W 1 -M do -s 1400 10.254.2.1 >/dev/null
	more_error_exit
	expect_finding ERROR drop.pkt_too_big
	expect_line '^        The packet \(1428 bytes\) is larger than the MTU of the way out'
	more_check "$R" 'ip route get 10\.254\.2\.1'
	more_fact 'way out and may not be fragmented \(route: 10\.254\.2\.0/24 dev r1 ' "$R" '{route:10.254.2.1}'
}

test_diag_more_v6_pkt_too_big() {
	more_need_reason PKT_TOO_BIG
	more_topo
	ip -n "$R" link set r1 mtu 1280
	nt_start -p icmp6 --diag --saddr fd54:1::1
	in_ns "$A" ping -6 -c 1 -W 1 -s 1400 fd54:2::1 >/dev/null
	more_error_exit
	expect_finding ERROR drop.pkt_too_big
	expect_line '^        The packet \(1448 bytes\) is larger than the MTU of the way out'
	more_check "$R" 'ip route get fd54:2::1'
}

# A PMTU black hole: R cannot tell A the smaller MTU, its own firewall drops
# the ICMP "fragmentation needed".
test_diag_more_pmtu_blackhole() {
	more_need_reason NETFILTER_DROP
	more_topo
	ip -n "$R" link set r1 mtu 1280
	more_nft "$R" output 'icmp type destination-unreachable drop'
	nt_start -p icmp --diag --saddr 10.254.1.254 --daddr 10.254.1.1
	in_ns "$A" ping -c 1 -W 1 -M do -s 1400 10.254.2.1 >/dev/null
	more_error_exit
	expect_finding ERROR nf.icmp.pmtu.drop
	expect_line '\[skb:kfree_skb\] ICMP 10\.254\.1\.254 -> 10\.254\.1\.1 fragmentation needed reason:NETFILTER_DROP'
	more_check "$R" "nft -a list ruleset \| grep -n icmp"
}

# An IPsec policy on R blocks the flow.
test_diag_more_xfrm_block() {
	more_need_reason XFRM_POLICY
	more_topo
	ip -n "$R" xfrm policy add src 10.254.1.0/24 dst 10.254.2.0/24 dir fwd action block ||
		skip "ip xfrm policy refused (no XFRM here)"
	more_udp_error 7108 10.254.2.1
	expect_finding ERROR drop.xfrm_policy
	more_check "$R" 'ip xfrm policy list'
}

# ---------------------------------------------------------------- neighbours and devices

# R routes 10.254.7.0/24 through a next hop on r1 that never answers ARP.
test_diag_more_neigh_failed() {
	more_need_reason NEIGH_FAILED
	more_topo
	in_ns "$R" sysctl -qw net.ipv4.neigh.r1.mcast_solicit=1 net.ipv4.neigh.r1.retrans_time_ms=200
	ip -n "$R" route add 10.254.7.0/24 via 10.254.2.77
	more_udp_error 7110 10.254.7.1
	expect_finding ERROR drop.neigh_failed
	more_check "$R" 'ip neigh show dev r1'
	more_check "$R" 'ip route get 10\.254\.7\.1'
	more_fact '\(route: 10\.254\.7\.0/24 via 10\.254\.2\.77 dev r1' "$R" '{route:10.254.7.1}'
}

# B's end of the link is down: R's r1 has no carrier, the next hop never answers.
test_diag_more_link_down() {
	more_need_reason NEIGH_FAILED
	more_topo
	in_ns "$R" sysctl -qw net.ipv4.neigh.r1.mcast_solicit=1 net.ipv4.neigh.r1.retrans_time_ms=200
	ip -n "$B" link set b0 down
	more_udp_error 7111 10.254.2.1
	more_reason NEIGH_FAILED
	more_fact_rule ERROR neigh.link.down "$R" '{link:r1}'
	expect_line '^        The next hop could not be resolved because r1 is no-carrier\.$'
	more_check "$R" 'ip link show r1'
}

# A has a wrong MAC for B: the frame reaches B for another host.
test_diag_more_otherhost() {
	more_need_reason OTHERHOST
	more_pair
	ip -n "$A" neigh replace 10.254.3.2 lladdr 02:00:00:00:54:99 dev a0 nud permanent
	nt_start -p udp --diag --saddr 10.254.3.1 --dport 7112
	udp_send "$A" 10.254.3.2 7112
	more_wait_finding WARN drop.otherhost
	[ "$NT_RC" -eq 3 ] || fail "exit status $NT_RC, not 3 (a WARN was seen)"
	expect_line "compare 'ip neigh show 10\.254\.3\.2' on the sender \(10\.254\.3\.1\) with the MAC of b0 here\.$"
	more_check "$B" 'ip link show b0'
}

# IPv6 disabled on B's device.
test_diag_more_v6_disabled() {
	more_need_reason IPV6DISABLED
	more_pair
	in_ns "$B" sysctl -qw net.ipv6.conf.b0.disable_ipv6=1
	more_neigh "$A" fd54:3::2 a0 "$B" b0
	nt_start -p udp --diag --saddr fd54:3::1 --dport 7113
	in_ns "$A" bash -c 'echo hi >/dev/udp/fd54:3::2/7113' 2>/dev/null
	more_error_exit
	expect_finding ERROR drop.ipv6disabled
	more_check "$B" 'sysctl net\.ipv6\.conf\.all\.disable_ipv6 net\.ipv6\.conf\.b0\.disable_ipv6'
	more_fact '\(disable_ipv6 is 1\)' "$B" '{sysctl:net.ipv6.conf.b0.disable_ipv6}'
}

# A bridge in R whose port r0 is disabled (STP state).
test_diag_more_bridge_stp() {
	more_need_reason BRIDGE_INGRESS_STP_STATE
	more_topo
	ip -n "$R" addr flush dev r0
	ip -n "$R" addr flush dev r1
	ip -n "$R" link add br0 type bridge || skip "no bridge devices here"
	ip -n "$R" link set r0 master br0
	ip -n "$R" link set r1 master br0
	ip -n "$R" link set br0 up
	ip -n "$B" addr add 10.254.1.2/24 dev b0
	more_neigh "$A" 10.254.1.2 a0 "$B" b0
	in_ns "$R" bridge link set dev r0 state 0 || fail "bridge link set refused"
	more_udp_error 7114 10.254.1.2
	expect_finding ERROR drop.bridge_ingress_stp_state
	expect_line '^        The bridge port r0 does not forward in its spanning tree state'
	more_check "$R" 'bridge link show'
}

# VXLAN ends with different VNIs.
test_diag_more_vxlan_vni() {
	more_need_reason VXLAN_VNI_NOT_FOUND
	more_pair
	ip -n "$A" link add vx0 type vxlan id 100 remote 10.254.3.2 dstport 4789 dev a0 ||
		skip "no vxlan devices here"
	ip -n "$B" link add vx0 type vxlan id 200 remote 10.254.3.1 dstport 4789 dev b0
	ip -n "$A" addr add 10.254.4.1/24 dev vx0
	ip -n "$B" addr add 10.254.4.2/24 dev vx0
	ip -n "$A" link set vx0 up
	ip -n "$B" link set vx0 up
	nt_start -p udp --diag --saddr 10.254.3.1 --dport 4789
	in_ns "$A" ping -c 1 -W 1 10.254.4.2 >/dev/null
	more_error_exit
	expect_finding ERROR drop.vxlan_vni_not_found
	more_check "$B" 'ip -d link show type vxlan'
}

# ---------------------------------------------------------------- tc, XDP, qdisc

# A tc BPF program that drops everything, on R's ingress or A's egress.
more_tc() { # NS DEV ingress|egress PORT
	more_need_prog tc_drop.bpf.o
	in_ns "$1" tc qdisc add dev "$2" clsact
	in_ns "$1" tc filter add dev "$2" "$3" protocol ip prio 1 bpf da obj "$NT_PROGS/tc_drop.bpf.o" sec tc ||
		fail "tc filter refused"
	more_udp_error "$4" 10.254.2.1
	expect_finding ERROR "drop.tc_$3"
	more_check "$1" "tc -s filter show dev $2 $3"
	more_fact "List the $3 filters of $2 and their counters: .*name tc_drop" "$1" "{tc:$2 $3}"
}

test_diag_more_tc_ingress() {
	more_need_reason TC_INGRESS
	more_topo
	more_tc "$R" r0 ingress 7120
}

test_diag_more_tc_egress() {
	more_need_reason TC_EGRESS
	more_topo
	more_tc "$A" a0 egress 7121
}

# XDP_DROP frees the packet without a reason; where it is freed tells XDP.
more_xdp() { # MODE (xdpgeneric or xdpdrv) PORT
	more_topo
	more_need_prog xdp_drop.bpf.o
	more_neigh "$A" 10.254.1.254 a0 "$R" r0 # XDP drops ARP too
	ip -n "$R" link set dev r0 "$1" obj "$NT_PROGS/xdp_drop.bpf.o" sec xdp ||
		skip "ip link set $1 refused"
	nt_start -p udp --diag --saddr 10.254.1.1 --dport "$2"
	udp_send "$A" 10.254.2.1 "$2"
	wait_for '^    drop reason: ' "$NT_OUT" 10 || fail "no drop: $(head -c 3000 "$NT_OUT")"
	sleep 0.5
	diag_stop
	if ! diag_findings | grep -qx 'ERROR xdp.drop.unspecified'; then
		grep -q '^        The packet was freed at ? without a reason' "$NT_OUT" &&
			skip "needs drop locations on lifecycle events (kfree_skb NOT_SPECIFIED is 'freed at ?')"
		expect_finding ERROR xdp.drop.unspecified
	fi
	more_check "$R" 'bpftool net show dev r0'
	more_fact 'the XDP program dropped it \(.*name xdp_drop' "$R" '{xdp:r0}'
}

test_diag_more_xdp_generic() {
	more_xdp xdpgeneric 7122
}

test_diag_more_xdp_native() {
	more_xdp xdpdrv 7123
}

# A token bucket with room for one packet: a burst overflows it.
test_diag_more_qdisc_limit() {
	more_need_reason QDISC_DROP
	more_topo
	more_hold "$B" udp 7124 600
	in_ns "$A" tc qdisc add dev a0 root tbf rate 8kbit burst 1600 limit 1600 ||
		skip "tc qdisc tbf refused"
	nt_start -p udp --diag --saddr 10.254.1.1 --dport 7124
	for i in 1 2 3 4 5 6; do
		in_ns "$A" bash -c 'head -c 1000 /dev/zero >/dev/udp/10.254.2.1/7124'
	done
	more_wait_finding WARN drop.qdisc_drop
	[ "$NT_RC" -eq 3 ] || fail "exit status $NT_RC, not 3 (a WARN was seen)"
	more_check "$A" 'tc -s qdisc show dev a0'
	more_reason QDISC_DROP
}

# ---------------------------------------------------------------- sockets

# A UDP socket with the smallest buffer that never reads.
test_diag_more_udp_rcvbuf() {
	more_need_reason SOCKET_RCVBUFF
	more_topo
	more_hold "$B" udp 7130 600 rcvbuf=1
	nt_start -p udp --diag --saddr 10.254.1.1 --dport 7130
	for i in $(seq 1 12); do
		udp_send "$A" 10.254.2.1 7130
	done
	more_error_exit
	expect_finding ERROR drop.socket_rcvbuff
	expect_finding WARN udp.queue.fail
	more_check "$B" "ss -m -p 'sport = :7130'"
	more_fact 'capped by net\.core\.rmem_max, now [0-9]+\)\.$' "$B" '{sysctl:net.core.rmem_max}'
}

# A socket filter that refuses everything.
test_diag_more_socket_filter() {
	more_need_reason SOCKET_FILTER
	more_topo
	more_hold "$B" udp 7131 600 filter=drop
	more_udp_error 7131 10.254.2.1
	expect_finding ERROR drop.socket_filter
	more_check "$B" "ss -ntuap 'sport = :7131'"
}

# A datagram that waits, unread, in B's socket.
test_diag_more_not_freed() {
	more_topo
	more_hold "$B" udp 7132 600
	nt_start -p udp --diag --saddr 10.254.1.1 --dport 7132
	udp_send "$A" 10.254.2.1 7132
	# The packet is given up after 2 s idle; the output of a group given up
	# is only flushed with later events or at the end, so wait, then stop.
	sleep 4
	diag_stop
	expect_finding WARN pkt.not.freed
	[ "$NT_RC" -eq 3 ] || fail "exit status $NT_RC, not 3 (a WARN was seen)"
	expect_line '^\*+ packet: skb 0x[0-9a-f]+(,0x[0-9a-f]+)* \([0-9]+ events, not freed yet\) \*+$'
	expect_line '^        The packet was not freed after [0-9]+ ms: it waits in a queue'
	expect_line '\[nf:ipv4:LOCAL_IN:last\] UDP 10\.254\.1\.1:[0-9]+ -> 10\.254\.2\.1:7132 .*in=b0'
}

# A connects to a listener of B that has OPTION (tests/progs/sockhold.c).
more_connect() { # PORT OPTION
	need nc
	more_topo
	more_hold "$B" tcp "$1" 600 "$2"
	nt_start -p tcp --diag --saddr 10.254.1.1 --dport "$1"
	in_ns "$A" nc -z -w 1 10.254.2.1 "$1"
	more_error_exit
}

# A listener that requires a minimum TTL (GTSM), A two hops away.
test_diag_more_tcp_minttl() {
	more_need_reason TCP_MINTTL
	more_connect 7133 minttl=255
	expect_finding ERROR drop.tcp_minttl
	expect_line "^        The packet's TTL \(hop limit\) 63 is below the minimum the socket on port 7133 demands"
	more_check "$B" 'traceroute -n 10\.254\.1\.1'
}

# TCP-MD5 configured on the listener only.
test_diag_more_tcp_md5() {
	more_need_reason TCP_MD5NOTFOUND
	more_connect 7134 md5=10.254.1.1
	expect_finding ERROR drop.tcp_md5notfound
	expect_line '^        Configure the same MD5 key on the peer 10\.254\.1\.1, or remove it on this side\.$'
}

# ---------------------------------------------------------------- checksums and protocols

test_diag_more_udp_bad_csum() {
	more_need_reason UDP_CSUM
	more_topo
	nt_start -p udp --diag --saddr 10.254.1.1 --dport 7140
	more_raw "$A" 10.254.1.1 10.254.2.1 udp dport=7140 csum=bad
	more_error_exit
	expect_finding ERROR drop.udp_csum
	more_check "$B" 'nstat -az UdpInCsumErrors'
}

test_diag_more_tcp_bad_csum() {
	more_need_reason TCP_CSUM
	more_topo
	nt_start -p tcp --diag --saddr 10.254.1.1 --dport 7141
	more_raw "$A" 10.254.1.1 10.254.2.1 tcp dport=7141 flags=S csum=bad
	more_error_exit
	expect_finding ERROR drop.tcp_csum
	expect_line '\[tcp:tcp_bad_csum\] TCP 10\.254\.1\.1:40000 -> 10\.254\.2\.1:7141 '
	more_check "$B" 'nstat -az TcpInCsumErrors'
}

# An IP protocol nobody handles on B.
test_diag_more_ip_noproto() {
	more_need_reason IP_NOPROTO
	more_topo
	nt_start --diag --saddr 10.254.1.1 --daddr 10.254.2.1
	more_raw "$A" 10.254.1.1 10.254.2.1 253
	more_wait_finding WARN drop.ip_noproto
	more_check "$B" 'nstat -az IpInUnknownProtos'
}

# Only the first fragment of a datagram reaches B.
test_diag_more_frag_timeout() {
	more_need_reason FRAG_REASM_TIMEOUT
	more_topo
	in_ns "$B" sysctl -qw net.ipv4.ipfrag_time=1
	nt_start -p udp --diag --saddr 10.254.1.1 --daddr 10.254.2.1
	more_raw "$A" 10.254.1.1 10.254.2.1 udp dport=7142 len=64 frag=first
	more_wait_finding WARN drop.frag_reasm_timeout
	more_check "$B" 'sysctl net\.ipv4\.ipfrag_time'
}

# ---------------------------------------------------------------- TCP and ICMP

# A TCP port nobody listens on: the refusal, and the reset B sends for it.
test_diag_more_tcp_reset_closed() {
	more_need_reason NO_SOCKET
	need nc
	more_topo
	nt_start -p tcp --diag --saddr 10.254.1.1 --dport 7150
	in_ns "$A" nc -z -w 1 10.254.2.1 7150
	more_error_exit
	expect_finding ERROR tcp.refused
	more_reset_sent 7150
	more_check "$B" "ss -lntp 'sport = :7150'"
}

# The same in IPv6.
test_diag_more_v6_tcp_refused() {
	more_need_reason NO_SOCKET
	need nc
	more_topo
	nt_start -p tcp --diag --saddr fd54:1::1 --dport 7151
	in_ns "$A" nc -6 -z -w 1 fd54:2::1 7151
	more_error_exit
	expect_finding ERROR tcp.refused
	expect_line '^        Connection refused: nothing listens on TCP port 7151 of fd54:2::1 '
	more_check "$B" "ss -lntp 'sport = :7151'"
}

# A segment of a connection B does not know (as after a server restart).
test_diag_more_tcp_stale() {
	more_need_reason NO_SOCKET
	more_topo
	nt_start -p tcp --diag --saddr 10.254.1.1 --dport 7152
	more_raw "$A" 10.254.1.1 10.254.2.1 tcp sport=40000 dport=7152 flags=A
	more_wait_finding WARN tcp.unknown.connection
	more_reset_sent 7152
	more_check "$B" "ss -tn 'dport = :40000'"
}

# A receives B's ICMP port unreachable for its datagram: normal, INFO.
test_diag_more_icmp_port_unreachable() {
	more_topo
	nt_start -p icmp --diag --saddr 10.254.2.1 --daddr 10.254.1.1
	udp_send "$A" 10.254.2.1 7153
	more_wait_finding INFO icmp.port.unreachable
	[ "$NT_RC" -eq 0 ] || fail "exit status $NT_RC for an INFO only"
	expect_line '^        An ICMP "port unreachable" from 10\.254\.2\.1: '
}

# B ignores pings (icmp_echo_ignore_all): the request is consumed, no reply.
test_diag_more_icmp_echo_ignored() {
	more_topo
	in_ns "$B" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
	nt_start -p icmp --diag --saddr 10.254.1.1
	in_ns "$A" ping -c 1 -W 1 10.254.2.1 >/dev/null
	sleep 3
	diag_stop
	if ! diag_findings | grep -qx 'INFO icmp.echo.ignored'; then
		diag_findings | grep -Eq ' (icmp\.echo\.noreply|tcp\.syn\.noreply)$' ||
			skip "needs no-reply: no rule with a no-reply condition holds for a ping without reply ($(diag_findings | tr '\n' ' '))"
		more_fact_rule INFO icmp.echo.ignored "$B" '{sysctl:net.ipv4.icmp_echo_ignore_all}'
	fi
	more_check "$B" 'sysctl net\.ipv4\.icmp_echo_ignore_all'
	[ "$NT_RC" -eq 0 ] || fail "exit status $NT_RC for an INFO only"
}

# B's answer to a connection request cannot leave (no route back): A's SYN
# gets no reply, and nothing is dropped on the way.
test_diag_more_syn_noreply() {
	need nc
	more_topo
	more_hold "$B" tcp 7154 600
	ip -n "$B" route del default
	nt_start -p tcp --diag --saddr 10.254.1.1 --dport 7154
	in_ns "$A" nc -z -w 1 10.254.2.1 7154
	sleep 2
	diag_stop
	diag_findings | grep -qx 'WARN tcp.syn.noreply' ||
		skip "needs no-reply: a SYN without answer gives no tcp.syn.noreply ($(diag_findings | tr '\n' ' '))"
	expect_line '^        No answer to the connection request to 10\.254\.2\.1:7154 after [0-9]+ ms\.$'
	more_check "$A" 'ip route get 10\.254\.2\.1'
}

# ---------------------------------------------------------------- netfilter and NAT

# nft drops in B's input chain.
# more_nft_connect R|B HOOK RULE PORT: A connects to B's PORT through RULE
# in namespace R or B; --diag must end in error.
more_nft_connect() {
	need nc
	more_topo
	more_nft "${!1}" "$2" "$3"
	more_nft_start -p tcp --diag --saddr 10.254.1.1 --dport "$4"
	in_ns "$A" nc -z -w 1 10.254.2.1 "$4"
	more_error_exit
}

test_diag_more_nft_input_drop() {
	more_nft_connect B input 'tcp dport 7160 drop' 7160
	expect_finding ERROR nf.nft.drop
	expect_line "^        The nft rule 'tcp dport 7160 drop # handle [0-9]+' in table inet more, chain input \(input\) dropped the packet\.$"
	more_check "$B" 'nft -a list chain inet more input'
}

# iptables-nft: the rule is nft's, the tables and chains iptables'.
test_diag_more_iptables_nft_drop() {
	command -v iptables-nft >/dev/null || skip "iptables-nft not installed"
	more_topo
	in_ns "$R" iptables-nft -A FORWARD -p udp --dport 7161 -j DROP || fail "iptables-nft refused"
	more_nft_start -p udp --diag --saddr 10.254.1.1 --dport 7161
	udp_send "$A" 10.254.2.1 7161
	more_error_exit
	expect_finding ERROR nf.iptnft.drop
	expect_line "^        The iptables rule 'udp dport 7161 .*drop # handle [0-9]+' \(iptables-nft, table filter, chain FORWARD\) dropped the packet\.$"
	more_check "$R" 'iptables-nft -t filter -L FORWARD -nv --line-numbers'
}

# A reject rule: the sender is told, the packet is dropped.
test_diag_more_nft_reject() {
	more_nft_connect R forward 'tcp dport 7162 reject with tcp reset' 7162
	expect_finding ERROR nf.nft.reject
	[ "$(diag_findings | grep -c '^ERROR ')" -eq 1 ] || fail "not one ERROR: $(diag_findings | tr '\n' ';')"
	expect_line "^        The nft rule 'tcp dport 7162 reject with tcp reset # handle [0-9]+' in table inet more, chain forward \(forward\) rejected the packet"
	more_check "$R" 'nft -a list chain inet more forward'
}

# "ct state invalid drop" on R, and a TCP segment conntrack never saw begin
# (picking up connections mid-stream is off).
test_diag_more_ct_invalid() {
	more_topo
	more_nft "$R" forward 'ct state invalid drop'
	in_ns "$R" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0 || skip "no conntrack sysctls here"
	more_nft_start -p tcp --diag --saddr 10.254.1.1 --dport 7163
	more_raw "$A" 10.254.1.1 10.254.2.1 tcp dport=7163 flags=A
	more_error_exit
	expect_finding ERROR nf.ct.invalid
	expect_line "drops invalid packets\.$"
	more_check "$R" 'sysctl net\.netfilter\.nf_conntrack_tcp_loose net\.netfilter\.nf_conntrack_tcp_be_liberal'
	more_fact 'picked up mid-stream only if nf_conntrack_tcp_loose is 1, here 0\)' "$R" \
		'{sysctl:net.netfilter.nf_conntrack_tcp_loose}'
}

# A queue rule without a program listening on the queue.
test_diag_more_nft_queue() {
	more_topo
	in_ns "$R" nft -f - <<-EOF 2>/dev/null || skip "nft refuses 'queue' here (no nft_queue in this kernel)"
		table inet more {
			chain fw {
				type filter hook forward priority 0;
				udp dport 7164 queue num 3
			}
		}
	EOF
	more_udp_error 7164 10.254.2.1
	if ! diag_findings | grep -qx 'ERROR nf.queue.nolistener'; then
		grep -q 'functions not traced' "$NT_ERR" &&
			skip "needs function probes (nf_queue) or drop locations: $(diag_findings | tr '\n' ' ')"
		expect_finding ERROR nf.queue.nolistener
	fi
	more_check "$R" 'cat /proc/net/netfilter/nfnetlink_queue'
}

# R masquerades A's pings to B, and drops the replies in its FORWARD chain:
# the reply is translated back (INFO), then dropped (ERROR).
test_diag_more_nat_reply_drop() {
	more_topo
	diag_nft "$R" <<-EOF
		table ip more_nat {
			chain post {
				type nat hook postrouting priority 100;
				oifname "r1" masquerade
			}
		}
		table inet more {
			chain forward {
				type filter hook forward priority 0;
				iifname "r1" icmp type echo-reply drop
			}
		}
	EOF
	nt_start -p icmp --diag --saddr 10.254.2.1
	grep -q 'netfilter hook observers' "$NT_ERR" || skip "no BPF netfilter links here"
	in_ns "$A" ping -c 1 -W 1 10.254.2.1 >/dev/null
	more_error_exit
	expect_finding INFO nat.dnat
	expect_finding ERROR nf.nft.drop
	expect_line '^        DNAT 10\.254\.2\.254 -> 10\.254\.1\.1 in ipv4 PRE_ROUTING '
	expect_line "^        The nft rule 'iifname \"r1\" icmp type echo-reply drop # handle [0-9]+' in table inet more, chain forward \(forward\) dropped the packet\.$"
	more_check "$R" 'nft -a list chain inet more forward'
}
