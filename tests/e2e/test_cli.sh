# SPDX-License-Identifier: GPL-2.0
# The command line: bad input exits 2 naming the option and loads nothing;
# nothing stays attached after kill -9.

# The BPF programs and links a process holds, as "prog ID" / "link ID" lines.
bpf_ids_of() {
	grep -hE '^(prog|link)_id:' /proc/"$1"/fdinfo/* 2>/dev/null | sed -E 's/_id:\s*/ /' | sort -u
}

test_cli_bad_options() {
	local args want rc
	while IFS='|' read -r args want; do
		rc=0
		# shellcheck disable=SC2086
		"$NETTRACE" $args >"$NT_TMP/out" 2>"$NT_TMP/err" || rc=$?
		[ "$rc" -eq 2 ] || fail "'$args' exited $rc, not 2"
		grep -q -- "$want" "$NT_TMP/err" || fail "'$args' message does not name $want: $(cat "$NT_TMP/err")"
		[ ! -s "$NT_TMP/out" ] || fail "'$args' printed on stdout"
	done <<-'EOF2'
		--drop -s 10.0.0|--saddr
		--drop -d 10.0.0.1/40|--daddr
		--drop --addr fe80::zz|--addr
		--drop --dport 70000|--dport
		--drop -S abc|--sport
		--drop -p bogus|--proto
		--drop --bogus|--bogus
		--drop -x|-x
		--drop --basic|--basic
		--drop --diag|--diag
		--drop --ret|--ret
		--drop --pkt-len 9-3|--pkt-len
		--drop --tcp-flags SQ|--tcp-flags
		--drop --netns /nonexistent/ns|--netns
		--drop --dev averyveryverylongname|--dev
		--drop -c 0|--count
		--drop --buffer-size 3|--buffer-size
		--drop extra|extra
		--drop -s|--saddr
		--monitor --metrics abc|--metrics
		--monitor --metrics 70000|--metrics
		--monitor --metrics 0|--metrics
		--monitor --metrics 1.2.3:9100|--metrics
		--monitor --metrics ::1:9100|--metrics
		--monitor --metrics localhost:9100|--metrics
		--monitor --metrics [::1]|--metrics
		--drop --metrics 9100|--metrics
		--metrics 9100|--metrics
		--monitor --metrics-series 1|--metrics-series
		--monitor --report-window 0|--report-window
		--monitor -c 5|--count
		--monitor --drop|--drop
	EOF2
}

test_cli_help_version() {
	"$NETTRACE" -h | grep -q -- '--drop-stack' || fail "help lacks --drop-stack"
	"$NETTRACE" --version | grep -q '^nettrace ' || fail "no version"
}

test_cli_kill9_leaves_nothing() {
	need bpftool
	ns_add A
	nt_start --drop --netns "/run/netns/$A"
	kill9_leaves_no_bpf
}

# kill9_leaves_no_bpf: kills the nettrace of nt_start with SIGKILL; fails
# unless it held a BPF link, or if a program or link it held is still there.
kill9_leaves_no_bpf() {
	local ids kind id
	ids=$(bpf_ids_of "$NT_PID")
	echo "$ids" | grep -q '^link ' || fail "nettrace holds no BPF link: $ids"
	kill -KILL "$NT_PID"
	wait "$NT_PID" 2>/dev/null
	sleep 0.5
	while read -r kind id; do
		! bpftool "$kind" show id "$id" >/dev/null 2>&1 || fail "$kind $id still there after kill -9"
	done <<<"$ids"
}

# The start line is a promise that SIGINT now stops nettrace. A shell starts
# background jobs with SIGINT ignored, so a handler installed after the line
# lost a SIGINT sent on reading it, and nettrace ran on (a 6.1 guest CI run
# hung so). stderr is a full pipe here: nettrace blocks writing the line, and
# SIGINT must already be caught at that moment.
sigint_caught_at_start_line() {
	local fifo="$NT_TMP/err.fifo.$RANDOM" fd pid i nr wfd _ line
	mkfifo "$fifo" || fail "mkfifo"
	exec {fd}<>"$fifo"
	head -c 65536 /dev/zero >&"$fd" # 16 pages: the pipe is full
	"$NETTRACE" "$@" >/dev/null 2>"$fifo" &
	pid=$!
	NT_PIDS+=("$pid")
	for i in $(seq 1 600); do
		read -r nr wfd _ <"/proc/$pid/syscall" 2>/dev/null || fail "nettrace $* exited before writing"
		[ "$nr" = 1 ] && [ "$wfd" = 0x2 ] && break
		sleep 0.1
	done
	[ "$nr" = 1 ] && [ "$wfd" = 0x2 ] || fail "nettrace $* never wrote to stderr"
	grep -Eq '^SigCgt:\s*[0-9a-f]*[2367abef]$' "/proc/$pid/status" ||
		fail "nettrace $* writes to stderr before catching SIGINT: $(grep -E '^Sig(Cgt|Ign)' "/proc/$pid/status" | tr '\n' ' ')"
	head -c 65536 <&"$fd" >/dev/null
	IFS= read -r -t 60 line <&"$fd" || fail "nettrace $* wrote no line"
	[[ $line == *'Ctrl-C to stop' ]] || fail "the first line of nettrace $* is not the start line: $line"
	NT_PID=$pid NT_ERR=/dev/null nt_stop
	exec {fd}>&-
}

test_cli_sigint_at_start_line() {
	sigint_caught_at_start_line --drop -p udp --dport 9
	sigint_caught_at_start_line --backend tracepoint -p udp --dport 9
}
