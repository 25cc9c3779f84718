#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs cmocka test binaries and sums their results.
#
#   tests/unit/run.sh BINARY...
#
# Each binary's output is shown as it is. The last line is always
#   N passed, N failed
# counting individual cmocka test cases over all binaries. A binary that
# crashes, times out or exits non-zero without a cmocka summary counts as
# one failure (as does one that exits non-zero while reporting none).
# Exit status: 0 only if nothing failed and at least one test passed.
# Environment: NT_UNIT_TIMEOUT seconds per binary (default 120).

set -u

timeout_s=${NT_UNIT_TIMEOUT:-120}
passed=0
failed=0
skipped=0

# cmocka's standard output format, whatever the caller's environment says.
unset CMOCKA_MESSAGE_OUTPUT CMOCKA_XML_FILE

if [ $# -eq 0 ]; then
	echo "run.sh: no test binaries given" >&2
	echo "0 passed, 0 failed"
	exit 1
fi

run_one() {
	if command -v timeout >/dev/null 2>&1; then
		timeout --kill-after=5 "$timeout_s" "$1" 2>&1
	else
		"$1" 2>&1
	fi
}

for bin in "$@"; do
	echo "=== $bin"
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin: not an executable file"
		failed=$((failed + 1))
		continue
	fi
	out=$(run_one "$bin")
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out"

	# One summary per cmocka group: "[  PASSED  ] N test(s)." and, when
	# some failed, "[  FAILED  ] N test(s), listed below:". The per-test
	# "[  FAILED  ] name" lines have no count and do not match.
	groups=0
	p=0
	f=0
	s=0
	while IFS= read -r line; do
		if [[ $line =~ ^\[\ \ PASSED\ \ \]\ ([0-9]+)\ test\(s\) ]]; then
			p=$((p + BASH_REMATCH[1]))
			groups=$((groups + 1))
		elif [[ $line =~ ^\[\ \ FAILED\ \ \]\ ([0-9]+)\ test\(s\) ]]; then
			f=$((f + BASH_REMATCH[1]))
		elif [[ $line =~ ^\[\ \ SKIPPED\ \]\ ([0-9]+)\ test\(s\) ]]; then
			s=$((s + BASH_REMATCH[1]))
		fi
	done <<<"$out"

	if [ "$groups" -eq 0 ]; then
		if [ "$rc" -ge 124 ] && [ "$rc" -ne 255 ]; then
			why="crashed or timed out (exit status $rc)"
		else
			why="exited with status $rc"
		fi
		echo "run.sh: $bin: $why and printed no cmocka summary: one failure"
		failed=$((failed + 1))
		continue
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run.sh: $bin: exit status $rc but no failed test reported: one failure"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
done

if [ "$skipped" -gt 0 ]; then
	echo "($skipped skipped)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
