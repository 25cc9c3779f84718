# SPDX-License-Identifier: GPL-2.0
# How a run ends when its output does: a reader that goes away (`| head -1`)
# stops nettrace with status 0, like tcpdump; a write error (disk full) stops
# it with a message and status 1. One drop, then no traffic at all: nettrace
# must notice without writing again.

# stopped_within PID SECONDS: whether PID (not necessarily our child) has exited.
# The bound only keeps a broken nettrace from hanging the suite.
stopped_within() {
	local i
	for i in $(seq 1 $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

test_stop_closed_pipe() {
	need nc
	ns_add A
	# nettrace | head -n 1, keeping nettrace's pid and exit status.
	(
		"$NETTRACE" --drop -p tcp --netns "/run/netns/$A" 2>"$NT_TMP/err" &
		echo $! >"$NT_TMP/pid"
		wait $!
		echo $? >"$NT_TMP/rc"
	) | head -n 1 >"$NT_TMP/first" &
	local pipe=$! pid
	wait_for . "$NT_TMP/pid" || fail "nettrace did not start"
	pid=$(cat "$NT_TMP/pid")
	# nettrace first: waiting for the pipeline waits for it.
	NT_PIDS+=("$pid" "$pipe")
	wait_for 'Ctrl-C to stop' "$NT_TMP/err" 60 || fail "did not start: $(cat "$NT_TMP/err")"
	in_ns "$A" nc -z 127.0.0.1 9999
	wait_for NO_SOCKET "$NT_TMP/first" || fail "no first line: $(cat "$NT_TMP/err")"
	stopped_within "$pid" 30 ||
		fail "nettrace still running 30 s after its reader exited: $(cat "$NT_TMP/err")"
	wait_for . "$NT_TMP/rc" || fail "no exit status"
	[ "$(cat "$NT_TMP/rc")" -eq 0 ] ||
		fail "exit $(cat "$NT_TMP/rc") after its reader exited: $(cat "$NT_TMP/err")"
	grep -Eq '^nettrace: 1 events, 0 events lost' "$NT_TMP/err" ||
		fail "no closing line: $(cat "$NT_TMP/err")"
	! grep -q 'error' "$NT_TMP/err" || fail "a closed reader is no error: $(cat "$NT_TMP/err")"
}

test_stop_write_error() {
	need nc
	[ -w /dev/full ] || skip "no /dev/full"
	ns_add A
	"$NETTRACE" --drop -p tcp --netns "/run/netns/$A" >/dev/full 2>"$NT_TMP/err" &
	local pid=$! rc=0
	NT_PIDS+=("$pid")
	wait_for 'Ctrl-C to stop' "$NT_TMP/err" 60 || fail "did not start: $(cat "$NT_TMP/err")"
	in_ns "$A" nc -z 127.0.0.1 9999
	stopped_within "$pid" 30 ||
		fail "nettrace still running 30 s after a write to /dev/full: $(cat "$NT_TMP/err")"
	wait "$pid" || rc=$?
	[ "$rc" -eq 1 ] || fail "exit $rc after a write error: $(cat "$NT_TMP/err")"
	grep -q '^nettrace: error: writing to stdout: No space left on device (ENOSPC)$' "$NT_TMP/err" ||
		fail "the error is not said: $(cat "$NT_TMP/err")"
}
