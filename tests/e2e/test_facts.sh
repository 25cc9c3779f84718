# SPDX-License-Identifier: GPL-2.0
# Facts of the machine for the diagnose mode's advice (src/facts): each fact
# is set in namespaces made here, then read with factread (tests/progs),
# which calls nt_fact_read() as the diagnose mode does.

# Host-only: factread links Debian's libraries dynamically, and the guests
# have none of them. Defined nowhere else, these tests do not run there.
[ -z "${NT_VM:-}" ] || return 0

FACTREAD="$NT_PROGS/factread"

# facts_read NS KIND ARG: the value read in namespace NS (its stderr in $NT_TMP/fact.err).
facts_read() {
	[ -x "$FACTREAD" ] || fail "no $FACTREAD (make e2e builds it)"
	"$FACTREAD" -n "$(ns_inode "$1")" "$2" "$3" 2>"$NT_TMP/fact.err"
}

# facts_expect NS KIND ARG VALUE: the value read is exactly VALUE.
facts_expect() {
	local got
	got=$(facts_read "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$2 $3: expected '$4', got '$got' $(cat "$NT_TMP/fact.err")"
}

# A --- B on 10.252.1.0/24 and fd52:1::/64.
facts_pair() {
	ns_add A
	ns_add B
	link_ns "$A" a0 10.252.1.1/24 "$B" b0 10.252.1.2/24
	ip -n "$A" addr add fd52:1::1/64 dev a0 nodad
	ip -n "$B" addr add fd52:1::2/64 dev b0 nodad
}

test_facts_sysctl() {
	facts_pair
	in_ns "$A" sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.a0.rp_filter=1
	in_ns "$B" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.b0.rp_filter=2
	facts_expect "$A" sysctl net.ipv4.ip_forward 0
	facts_expect "$B" sysctl net.ipv4.ip_forward 1
	facts_expect "$A" sysctl net.ipv4.conf.a0.rp_filter 1
	facts_expect "$B" sysctl net.ipv4.conf.b0.rp_filter 2
	# several values on a line, as sysctl prints them
	facts_expect "$A" sysctl net.ipv4.tcp_rmem "$(in_ns "$A" sysctl -n net.ipv4.tcp_rmem | tr -s '\t ' '  ')"
	# a host-wide sysctl that other namespaces do not show: the host's value
	in_ns "$A" test -e /proc/sys/net/core/netdev_max_backlog &&
		fail "netdev_max_backlog is visible in a namespace: this test needs another host-wide sysctl"
	facts_expect "$A" sysctl net.core.netdev_max_backlog "$(sysctl -n net.core.netdev_max_backlog)"
	# a device with dots in its name, written as a template expands {dev}, and as sysctl(8) does
	ip -n "$A" link add v.100 type veth peer name v.101 || fail "cannot create v.100"
	in_ns "$A" sysctl -qw net.ipv4.conf.v/100.rp_filter=2
	facts_expect "$A" sysctl net.ipv4.conf.v.100.rp_filter 2
	facts_expect "$A" sysctl net.ipv4.conf.v/100.rp_filter 2
}

test_facts_route() {
	facts_pair
	ip -n "$A" route add 10.252.2.0/24 via 10.252.1.2
	ip -n "$A" route add unreachable 10.252.3.0/24
	ip -n "$A" route add prohibit 10.252.4.0/24
	ip -n "$A" route add blackhole 10.252.5.0/24
	ip -n "$A" route add 10.252.6.0/24 nexthop via 10.252.1.2 dev a0 nexthop via 10.252.1.3 dev a0
	ip -n "$A" -6 route add fd52:2::/64 via fd52:1::2
	facts_expect "$A" route 10.252.2.9 "10.252.2.0/24 via 10.252.1.2 dev a0"
	facts_expect "$A" route 10.252.1.2 "10.252.1.0/24 dev a0 src 10.252.1.1"
	facts_expect "$A" route 10.252.1.1 "local 10.252.1.1 dev a0 src 10.252.1.1"
	facts_expect "$A" route 10.252.3.1 unreachable
	facts_expect "$A" route 10.252.4.1 prohibit
	facts_expect "$A" route 10.252.5.1 blackhole
	facts_expect "$A" route 10.252.6.1 "10.252.6.0/24 nexthop via 10.252.1.2 dev a0 nexthop via 10.252.1.3 dev a0"
	facts_expect "$A" route 10.99.0.1 "no route"
	facts_expect "$A" route fd52:2::9 "fd52:2::/64 via fd52:1::2 dev a0"
	facts_expect "$A" route fd52:99::1 "no route"
	# the same lookup in B, which has no such route
	facts_expect "$B" route 10.252.2.9 "no route"
	# as a forwarded packet sees it: iif, with forwarding off, then on
	in_ns "$A" sysctl -qw net.ipv4.ip_forward=0
	facts_expect "$A" route "10.252.2.9 from 10.252.1.2 iif a0" "unreachable (forwarding off on a0)"
	in_ns "$A" sysctl -qw net.ipv4.ip_forward=1
	facts_expect "$A" route "10.252.2.9 from 10.252.1.2 iif a0" "10.252.2.0/24 via 10.252.1.2 dev a0"
	# a source that rp_filter refuses: the route back to it leaves by another device
	ip -n "$A" link add a1 type veth peer name a2
	ip -n "$A" link set a1 up
	ip -n "$A" link set a2 up
	ip -n "$A" route add 10.252.9.0/24 dev a1
	in_ns "$A" sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.a0.rp_filter=1
	facts_expect "$A" route "10.252.2.9 from 10.252.9.5 iif a0" \
		"rejected by rp_filter (strict, back to 10.252.9.5: 10.252.9.0/24 dev a1)"
	in_ns "$A" sysctl -qw net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.a0.rp_filter=2
	facts_expect "$A" route "10.252.2.9 from 10.252.9.5 iif a0" "10.252.2.0/24 via 10.252.1.2 dev a0"
	facts_expect "$A" route "10.252.2.9 from 10.253.0.1 iif a0" \
		"rejected by rp_filter (loose, back to 10.253.0.1: no route)"
	# what else the kernel answers EINVAL for, told apart
	facts_expect "$A" route "10.252.2.9 from 127.0.0.1 iif a0" "martian source"
	facts_expect "$A" route "127.0.0.2 from 10.252.1.2 iif a0" "martian destination"
	facts_expect "$A" route "10.252.5.1 from 10.252.1.2 iif a0" blackhole
}

test_facts_neigh() {
	facts_pair
	ip -n "$A" neigh add 10.252.1.7 lladdr 02:00:00:00:00:07 dev a0 nud permanent
	ip -n "$A" neigh add 10.252.1.8 dev a0 nud failed
	facts_expect "$A" neigh 10.252.1.7 PERMANENT
	facts_expect "$A" neigh "10.252.1.8 dev a0" FAILED
	facts_expect "$A" neigh 10.252.1.2 none
	# a real resolution: B answers A's ARP
	in_ns "$A" ping -c 1 -W 2 10.252.1.2 >/dev/null || fail "A cannot ping B"
	facts_expect "$A" neigh "10.252.1.2 dev a0" REACHABLE
	facts_expect "$A" neigh "10.252.1.2 dev lo" none
	facts_expect "$B" neigh 10.252.1.7 none
}

test_facts_listen() {
	need nc
	facts_pair
	bg ip netns exec "$A" nc -l -k 0.0.0.0 8080
	local tcp=$!
	bg ip netns exec "$A" nc -u -l -k 5353
	local udp=$!
	bg ip netns exec "$B" nc -l -k 0.0.0.0 8081
	local i
	for i in $(seq 1 50); do
		in_ns "$A" ss -Hltn 'sport = :8080' | grep -q . && in_ns "$A" ss -Hlun 'sport = :5353' | grep -q . && break
		sleep 0.1
	done
	facts_expect "$A" listen tcp:8080 "tcp 0.0.0.0:8080 (pid $tcp nc)"
	facts_expect "$A" listen udp:5353 "udp 0.0.0.0:5353 (pid $udp nc)"
	facts_expect "$A" listen TCP:8080 "tcp 0.0.0.0:8080 (pid $tcp nc)"
	facts_expect "$A" listen tcp:8081 none
	facts_expect "$A" listen udp:8080 none
	facts_expect "$B" listen tcp:8080 none
}

test_facts_link() {
	facts_pair
	ip -n "$A" link set a0 mtu 1280
	facts_expect "$A" link a0 up
	facts_expect "$A" mtu a0 1280
	facts_expect "$B" mtu b0 1500
	ip -n "$B" link set b0 down
	facts_expect "$B" link b0 down
	facts_expect "$A" link a0 no-carrier
	facts_expect "$A" mtu lo 65536
}

test_facts_qdisc() {
	facts_pair
	facts_expect "$A" qdisc a0 noqueue
	tc -n "$A" qdisc add dev a0 root tbf rate 1mbit burst 1600 limit 3000 ||
		fail "cannot add a tbf qdisc"
	facts_expect "$A" qdisc a0 "tbf limit 3000b rate 1Mbit drops 0 overlimits 0 qlen 0"
	# 20 packets sent at once (preload), more than the bucket and the queue
	# hold: tbf drops some; the count is tc's
	in_ns "$A" ping -c 20 -l 20 -s 1400 -W 1 10.252.1.2 >/dev/null 2>&1
	local drops
	drops=$(tc -n "$A" -s qdisc show dev a0 | sed -n 's/.*dropped \([0-9]*\),.*/\1/p')
	[ "${drops:-0}" -gt 0 ] || fail "tbf dropped nothing: $(tc -n "$A" -s qdisc show dev a0)"
	facts_read "$A" qdisc a0 | grep -Eq "^tbf limit 3000b rate 1Mbit drops $drops overlimits [0-9]+ qlen [0-9]+$" ||
		fail "qdisc a0: $(facts_read "$A" qdisc a0); tc says $drops dropped"
}

test_facts_tc() {
	facts_pair
	facts_expect "$A" tc "a0 ingress" none
	tc -n "$A" qdisc add dev a0 clsact || fail "cannot add clsact"
	tc -n "$A" filter add dev a0 ingress prio 1 bpf da obj "$NT_PROGS/tc_drop.bpf.o" sec tc ||
		fail "cannot load tc_drop.bpf.o"
	tc -n "$A" filter add dev a0 egress prio 2 u32 match ip dst 10.252.7.1/32 classid 1:1 ||
		fail "cannot add a u32 filter"
	local id
	id=$(tc -n "$A" filter show dev a0 ingress | sed -n 's/.* id \([0-9]*\) .*/\1/p')
	[ -n "$id" ] || fail "no program id in: $(tc -n "$A" filter show dev a0 ingress)"
	facts_expect "$A" tc "a0 ingress" "bpf id $id name tc_drop prio 1"
	facts_expect "$A" tc "a0 egress" "u32 prio 2"
	facts_expect "$B" tc "b0 ingress" none
	# the old ingress qdisc has no egress list
	tc -n "$B" qdisc add dev b0 ingress || fail "cannot add an ingress qdisc"
	tc -n "$B" filter add dev b0 parent ffff: prio 3 bpf da obj "$NT_PROGS/tc_drop.bpf.o" sec tc ||
		fail "cannot load tc_drop.bpf.o on ingress"
	id=$(tc -n "$B" filter show dev b0 parent ffff: | sed -n 's/.* id \([0-9]*\) .*/\1/p')
	facts_expect "$B" tc "b0 ingress" "bpf id $id name tc_drop prio 3"
	facts_expect "$B" tc "b0 egress" none
}

test_facts_tcx() {
	facts_pair
	local out="$NT_TMP/tcx.out" i id
	bg ip netns exec "$A" "$NT_PROGS/tcx_attach" a0 ingress >"$out" 2>"$NT_TMP/tcx.err"
	local pid=$!
	for i in $(seq 1 50); do
		grep -q '^prog ' "$out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q '^prog ' "$out"; then
		grep -q 'Invalid argument' "$NT_TMP/tcx.err" && skip "no tcx in this kernel (6.6+)"
		fail "tcx_attach: $(cat "$NT_TMP/tcx.err")"
	fi
	id=$(sed -n 's/^prog //p' "$out")
	facts_expect "$A" tc "a0 ingress" "tcx id $id name tcx_drop"
	facts_expect "$A" tc "a0 egress" none
	# tcx runs before the clsact filters, and is listed first
	tc -n "$A" qdisc add dev a0 clsact || fail "cannot add clsact"
	tc -n "$A" filter add dev a0 ingress prio 5 bpf da obj "$NT_PROGS/tc_drop.bpf.o" sec tc ||
		fail "cannot load tc_drop.bpf.o"
	facts_read "$A" tc "a0 ingress" | grep -Eq "^tcx id $id name tcx_drop, bpf id [0-9]+ name tc_drop prio 5$" ||
		fail "tc a0 ingress: $(facts_read "$A" tc "a0 ingress")"
}

test_facts_xdp() {
	facts_pair
	facts_expect "$B" xdp b0 none
	ip -n "$B" link set dev b0 xdpgeneric obj "$NT_PROGS/xdp_drop.bpf.o" sec xdp ||
		fail "cannot attach xdp_drop.bpf.o"
	local id
	id=$(ip -n "$B" -d link show dev b0 | sed -n 's/.*prog\/xdp id \([0-9]*\) .*/\1/p')
	[ -n "$id" ] || fail "no XDP program id in: $(ip -n "$B" -d link show dev b0)"
	facts_expect "$B" xdp b0 "id $id name xdp_drop mode generic"
	facts_expect "$A" xdp a0 none
}

# facts_fails WHY NS-INODE KIND ARG: factread prints "?", says WHY, exits 1.
facts_fails() {
	local rc=0
	"$FACTREAD" -n "$2" "$3" "$4" >"$NT_TMP/fact.out" 2>"$NT_TMP/fact.err" || rc=$?
	[ "$rc" -eq 1 ] || fail "$3 $4: exit $rc, expected 1: $(cat "$NT_TMP/fact.err")"
	[ "$(cat "$NT_TMP/fact.out")" = "?" ] || fail "$3 $4: value '$(cat "$NT_TMP/fact.out")', expected ?"
	grep -q "^factread: $3 $4: $1\$" "$NT_TMP/fact.err" ||
		fail "$3 $4: '$(cat "$NT_TMP/fact.err")', expected '$1'"
}

# What the engine gets for what cannot be read: "?", an error, the caller at home.
test_facts_errors() {
	facts_pair
	local a
	a=$(ns_inode "$A")
	facts_fails "unknown fact kind" "$a" cgroup a0
	facts_fails "bad argument" "$a" listen icmp:1
	facts_fails "bad argument" "$a" route "10.252.1.1 via a0"
	facts_fails "bad argument" "$a" tc "a0 sideways"
	facts_fails "no such device" "$a" mtu b0
	facts_fails "no such device" "$a" tc "nosuch ingress"
	facts_fails "no such device" "$a" route "10.252.2.9 iif nosuch"
	facts_fails "no such sysctl" "$a" sysctl net.ipv4.conf.nosuch.rp_filter
	# an inode that is no network namespace (the inode of a regular file)
	facts_fails "no such network namespace" "$(stat -c %i "$FACTREAD")" sysctl net.ipv4.ip_forward
	# a namespace that was deleted: its inode is gone with it
	ns_add C
	local c
	c=$(ns_inode "$C")
	ip netns del "$C"
	facts_fails "no such network namespace" "$c" link lo
}
