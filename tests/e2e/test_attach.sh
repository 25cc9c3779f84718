# SPDX-License-Identifier: GPL-2.0
# What a run can attach, and what -t ? says about it: the tree marks enabled
# only what a run attaches, with the reason beside the rest (no backend here,
# a socket instead of an skb, an argument past what a backend reads); a
# kretprobe that cannot be attached takes its entry kprobe with it.

# The numbers of a start line: functions + tracepoints attached, and failures.
attached_total() {
	local line
	line=$(grep -m1 -E 'trace: .*Ctrl-C to stop' "$1")
	echo "$line" | grep -oE '[0-9]+ (functions via [a-z-]+|tracepoints)' |
		awk '{ n += $1 } END { print n + 0 }'
}

failed_total() {
	grep -m1 -oE '[0-9]+ failed to attach' "$1" | awk '{ print $1 + 0 }'
}

test_attach_tree_matches_run() {
	"$NETTRACE" -t '?' >"$NT_TMP/tree" 2>"$NT_TMP/tree.err" || fail "-t ? failed: $(cat "$NT_TMP/tree.err")"
	local enabled marked attached failed refused
	enabled=$(sed -nE 's/^[0-9]+ of [0-9]+ probes available, ([0-9]+) enabled$/\1/p' "$NT_TMP/tree")
	[ -n "$enabled" ] || fail "no count line: $(tail -n 2 "$NT_TMP/tree")"
	marked=$(grep -cE '^ *\[x\] ' "$NT_TMP/tree")
	[ "$marked" -eq "$enabled" ] || fail "$marked marked [x], the count says $enabled"
	! grep -E '^ *\[-\] ' "$NT_TMP/tree" | grep -v ': ' | grep -q . ||
		fail "unavailable without a reason: $(grep -E '^ *\[-\] ' "$NT_TMP/tree" | grep -v ': ' | head -n 3)"

	# The same selection in a run: what it attaches, or fails to, is what the tree marked.
	nt_start -v -p icmp --saddr 10.251.7.1
	nt_stop
	attached=$(attached_total "$NT_ERR")
	failed=$(failed_total "$NT_ERR")
	refused=$(grep -c ': not attached: ' "$NT_ERR") # refused by the plan: [-] in the tree
	[ $((attached + ${failed:-0} - refused)) -eq "$enabled" ] ||
		fail "the tree enables $enabled; the run: $(grep -m1 'Ctrl-C' "$NT_ERR") ($refused refused)"

	if grep -q 'functions not traced' "$NT_ERR"; then
		# This host: no kprobes, fentry refused. No function may be marked enabled.
		! grep -Eq '^ *\[x\] func ' "$NT_TMP/tree" ||
			fail "functions marked enabled: $(grep -E '^ *\[x\] func ' "$NT_TMP/tree" | head -n 3)"
		grep -Eq '^ *\[-\] func ip_rcv ret=net_rx: no function backend here \(kprobes: [^;]+; fentry: [^)]+\)\)?$' \
			"$NT_TMP/tree" || fail "ip_rcv: $(grep -E 'func ip_rcv ' "$NT_TMP/tree")"
	fi
}

# sk entries: nothing attaches a socket without an skb.
test_attach_sk_unavailable() {
	"$NETTRACE" -t '?' >"$NT_TMP/tree" 2>"$NT_TMP/err" || fail "-t ? failed: $(cat "$NT_TMP/err")"
	local sk
	sk=$(grep -E '^ *\[.\] (func|tp) +[^ ]+ sk(=[0-9]+)?( |:|$)' "$NT_TMP/tree")
	[ -n "$sk" ] || fail "no sk entry in the tree"
	! echo "$sk" | grep -Eq '^ *\[[x ]\]' ||
		fail "sk entries listed available: $(echo "$sk" | grep -E '^ *\[[x ]\]' | head -n 3)"
	echo "$sk" | grep -Eq '^ *\[-\] .*: takes a struct sock \*, not an skb$' ||
		fail "no sk entry says why: $(echo "$sk" | head -n 3)"
}

# An skb argument kprobes cannot read (tcp_make_synack: the 6th), and a return
# value fexit cannot read (ip6_xmit: 7 arguments): refused with the reason.
test_attach_args_refused() {
	local rc=0 line
	"$NETTRACE" --backend kprobe -t '?' >"$NT_TMP/tree" 2>"$NT_TMP/err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		grep -q -- '--backend kprobe: ' "$NT_TMP/err" || fail "-t ? exited $rc: $(cat "$NT_TMP/err")"
		skip "no kprobes here: $(cat "$NT_TMP/err")"
	fi
	line=$(grep -E '^ *\[.\] func tcp_make_synack( |:|$)' "$NT_TMP/tree")
	echo "$line" | grep -q "not in this kernel's BTF" && skip "no tcp_make_synack here"
	echo "$line" | grep -Eq '^ *\[-\] func tcp_make_synack off ret=ptr: the skb is argument 6 or later: kprobes read the first 5 \(registers\)$' ||
		fail "tcp_make_synack: $line"
	nt_start -v --backend kprobe -t tcp_make_synack,ip_rcv -p tcp --dport 9
	nt_stop
	grep -q '1 functions via kprobe, 0 tracepoints; 1 failed to attach (first: tcp_make_synack: the skb is argument 6 or later' "$NT_ERR" ||
		fail "start line: $(head -n 3 "$NT_ERR")"

	rc=0
	"$NETTRACE" --backend fentry --ret -t '?' >"$NT_TMP/tree" 2>"$NT_TMP/err" || rc=$?
	[ "$rc" -eq 0 ] || return 0 # no fentry here: the kprobe half was tested
	line=$(grep -E '^ *\[.\] func ip6_xmit( |:|$)' "$NT_TMP/tree")
	echo "$line" | grep -Eq '^ *\[-\] func ip6_xmit .*: more than 6 arguments: fexit cannot read its return value$' ||
		fail "ip6_xmit with --ret: $line"
}

# kprobe_run N: runs nettrace with at most N open files, attaching ip_rcv
# then icmp_rcv with their kretprobes (2 files per attachment), until it
# says it started or exits; NT_ERR holds what it said. A run that started is
# left running (NT_PID).
kprobe_run() {
	NT_ERR="$NT_TMP/fd$1.err"
	(
		ulimit -n "$1"
		exec "$NETTRACE" -v --backend kprobe --ret -t ip_rcv,icmp_rcv -p icmp --saddr 10.251.7.1
	) >/dev/null 2>"$NT_ERR" &
	NT_PID=$!
	NT_PIDS+=("$NT_PID")
	wait_for 'Ctrl-C to stop|error' "$NT_ERR" 60
}

kprobe_stop() {
	kill -INT "$NT_PID" 2>/dev/null
	wait "$NT_PID" 2>/dev/null
}

# ip_rcv got both its probes, and icmp_rcv was tried.
ip_rcv_whole() {
	! grep -Eq 'ip_rcv: (kprobe|kretprobe) failed' "$NT_ERR" &&
		grep -Eq 'icmp_rcv: |Ctrl-C to stop' "$NT_ERR"
}

# ... and icmp_rcv its entry kprobe.
icmp_rcv_entry() {
	ip_rcv_whole && ! grep -q 'icmp_rcv: kprobe failed' "$NT_ERR"
}

# least_limit PREDICATE LO HI: the least limit in (LO, HI] at which a run
# satisfies PREDICATE (false at LO, true at HI), into LIMIT.
least_limit() {
	local lo=$2 hi=$3 mid
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		kprobe_run "$mid"
		kprobe_stop
		if "$1"; then hi=$mid; else lo=$mid; fi
	done
	LIMIT=$hi
}

# Out of file descriptors right between icmp_rcv's entry kprobe and its
# kretprobe (the limit is searched for): the entry must not stay behind.
# Left behind, it would also hold the last two files the run needs.
test_attach_kretprobe_takes_entry() {
	local list=/sys/kernel/debug/kprobes/list
	[ -r "$list" ] || skip "no $list (debugfs)"
	"$NETTRACE" --backend kprobe -t '?' >/dev/null 2>"$NT_TMP/err" ||
		skip "no kprobes here: $(cat "$NT_TMP/err")"
	kprobe_run 4096
	kprobe_stop
	grep -q '2 functions via kprobe' "$NT_ERR" || fail "with 4096 files: $(head -n 3 "$NT_ERR")"
	least_limit ip_rcv_whole 4 4096
	least_limit icmp_rcv_entry "$LIMIT" 4096
	kprobe_run "$LIMIT"
	grep -q 'icmp_rcv: kretprobe failed' "$NT_ERR" ||
		fail "with $LIMIT files, icmp_rcv's entry attached but not its kretprobe: $(cat "$NT_ERR")"
	kill -0 "$NT_PID" 2>/dev/null ||
		fail "with $LIMIT files, icmp_rcv's kretprobe failed and nettrace exited: $(tail -n 3 "$NT_ERR")"
	grep -q ' ip_rcv+0x' "$list" || fail "ip_rcv is not in $list: $(cat "$list")"
	! grep -q 'icmp_rcv' "$list" || fail "icmp_rcv left in $list: $(grep icmp_rcv "$list")"
	grep -q '1 functions via kprobe, 0 tracepoints; 1 failed to attach (first: icmp_rcv: ' "$NT_ERR" ||
		fail "start line: $(grep -m1 'Ctrl-C' "$NT_ERR")"
	kprobe_stop
}
