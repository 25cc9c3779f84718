# SPDX-License-Identifier: GPL-2.0
# Helpers for end-to-end tests. Each test runs in its own subshell; whatever a
# helper creates (namespaces, processes, files) is registered and removed by
# cleanup() on the way out, pass or fail.

NETTRACE=${NETTRACE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/nettrace}
# BPF objects the tests load (tests/progs, built by make).
NT_PROGS=${NT_PROGS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/tests/progs}
NT_TMP=""
NT_NAMESPACES=()
NT_PIDS=()
NT_PID=""  # the nettrace started by nt_start
NT_OUT=""  # its stdout
NT_ERR=""  # its stderr

fail() {
	echo "$*" >"$NT_TMP/why"
	exit 1
}

skip() {
	echo "$*" >"$NT_TMP/why"
	exit 77
}

cleanup() {
	local pid ns
	for pid in "${NT_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in "${NT_NAMESPACES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# ns_add NAME: a fresh namespace with lo up; its full name is $NAME's value.
ns_add() {
	local full="nt$$-$1"
	ip netns add "$full" || fail "cannot create namespace $full"
	NT_NAMESPACES+=("$full")
	ip -n "$full" link set lo up
	printf -v "$1" '%s' "$full"
}

# link_ns NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair between two namespaces.
link_ns() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" ||
		fail "cannot create veth $2/$5"
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

bg() {
	"$@" &
	NT_PIDS+=($!)
}

# nt_start ARGS...: starts nettrace, waits until it says it is attached.
nt_start() {
	NT_OUT="$NT_TMP/out.$RANDOM"
	NT_ERR="$NT_TMP/err.$RANDOM"
	"$NETTRACE" "$@" >"$NT_OUT" 2>"$NT_ERR" &
	NT_PID=$!
	NT_PIDS+=("$NT_PID")
	local i
	# Up to 60 s: under TCG emulation, verifying a hundred fentry clones takes a while.
	for i in $(seq 1 600); do
		grep -q 'Ctrl-C to stop' "$NT_ERR" 2>/dev/null && return 0
		kill -0 "$NT_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "nettrace $* did not start: $(tail -n 3 "$NT_ERR")"
}

# nt_stop: SIGINT, then waits; the exit status must be 0. A nettrace that has
# not exited after NT_STOP_WAIT seconds (default 120: detaching in an emulated
# guest is slow) fails the test with where each of its threads is waiting.
nt_stop() {
	local rc=0 i n=$(( ${NT_STOP_WAIT:-120} * 10 ))
	kill -INT "$NT_PID" 2>/dev/null
	for i in $(seq 1 "$n"); do
		kill -0 "$NT_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$NT_PID" 2>/dev/null; then
		nt_where "$NT_PID" >"$NT_TMP/stuck"
		kill -KILL "$NT_PID" 2>/dev/null
		fail "nettrace still running ${NT_STOP_WAIT:-120}s after SIGINT: $(tail -n 3 "$NT_ERR"); $(cat "$NT_TMP/stuck")"
	fi
	wait "$NT_PID" || rc=$?
	[ "$rc" -eq 0 ] || fail "nettrace exited $rc: $(tail -n 3 "$NT_ERR")"
}

# nt_where PID: state, wait channel and kernel stack of each thread.
nt_where() {
	local t
	for t in /proc/"$1"/task/*; do
		echo "thread ${t##*/} $(awk '/^State:/ {print $2, $3}' "$t/status" 2>/dev/null) wchan $(cat "$t/wchan" 2>/dev/null)"
		sed 's/^/    /' "$t/stack" 2>/dev/null | head -n 12
	done
}

# wait_for PATTERN FILE [SECONDS]: until a line matches (extended regex).
wait_for() {
	local i n=$(( ${3:-10} * 10 ))
	for i in $(seq 1 "$n"); do
		grep -Eq -- "$1" "$2" && return 0
		sleep 0.1
	done
	return 1
}

expect_line() {
	grep -Eq -- "$1" "$NT_OUT" ||
		fail "no output line matches '$1'; got: $(head -c 600 "$NT_OUT")"
}

expect_no_output() {
	[ ! -s "$NT_OUT" ] || fail "expected no events, got: $(head -c 400 "$NT_OUT")"
}

# The inode of a namespace's net ns file, for --netns.
ns_inode() {
	stat -L -c %i "/run/netns/$1"
}

need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

# router_topo V4 V6: namespaces A - R - B (their names in $A $R $B), A on
# V4.1.0/24 and V6:1::/64, B on V4.2.0/24 and V6:2::/64, R forwarding
# between them (.254 and ::fe on its side), A and B routing through R.
router_topo() {
	local v4=$1 v6=$2
	ns_add A
	ns_add R
	ns_add B
	link_ns "$A" a0 "$v4.1.1/24" "$R" r0 "$v4.1.254/24"
	link_ns "$R" r1 "$v4.2.254/24" "$B" b0 "$v4.2.1/24"
	ip -n "$A" addr add "$v6:1::1/64" dev a0 nodad
	ip -n "$R" addr add "$v6:1::fe/64" dev r0 nodad
	ip -n "$R" addr add "$v6:2::fe/64" dev r1 nodad
	ip -n "$B" addr add "$v6:2::1/64" dev b0 nodad
	ip -n "$A" route add default via "$v4.1.254"
	ip -n "$B" route add default via "$v4.2.254"
	ip -n "$A" -6 route add default via "$v6:1::fe"
	ip -n "$B" -6 route add default via "$v6:2::fe"
	in_ns "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}
