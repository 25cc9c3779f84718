#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs the unit tests and the host end-to-end tests against the ASan+UBSan
# build (make asan): a test that fails, or any sanitizer report (a memory
# error, a leak, undefined behaviour) from any process, fails the run.
#
#   tests/asan/run.sh NETTRACE UNIT_BINARY...    (make asan-test, as root)
#
# Reports are written to files (log_path), not to the stderr the tests read,
# one per process that had one; each is printed and counts as one failure.
# The last line is "N passed, N failed, N skipped" over unit and e2e tests.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ $# -ge 2 ] || { echo "usage: $0 NETTRACE UNIT_BINARY..." >&2; exit 2; }
nettrace=$(realpath "$1")
shift

reports=$(mktemp -d /tmp/nt-asan.XXXXXX)
trap 'rm -rf "$reports"' EXIT
# exitcode 86: a status no test expects from nettrace (0, 1 or 2).
export ASAN_OPTIONS="halt_on_error=1:exitcode=86:detect_leaks=1:log_path=$reports/report"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=86:print_stacktrace=1:log_path=$reports/report"

total_p=0 total_f=0 total_s=0
count() { # LOG: adds its closing "N passed, N failed[, N skipped]" line
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	[ -n "$line" ] || { total_f=$((total_f + 1)); return; }
	total_p=$((total_p + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")))
	total_f=$((total_f + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
	grep -qE ' skipped' <<<"$line" &&
		total_s=$((total_s + $(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")))
	return 0
}

log=$(mktemp)
echo "--- unit tests (ASan+UBSan)"
tests/unit/run.sh "$@" 2>&1 | tee "$log"
count "$log"
echo "--- end-to-end tests with $nettrace"
# The end-to-end tests of the code paths every mode shares (decoding, grouping,
# analysis, output, netfilter, the command line), not all of them: the whole
# suite runs once already, and CI's time is bounded.
mapfile -t names < <(grep -ho '^test_\(drop\|trace\|nf\|diag\|cli\|stop\|hooks\)_[a-z0-9_]*' \
	tests/e2e/test_*.sh | grep -v '^test_diag_more_' | sed 's/^test_//')
NETTRACE=$nettrace tests/e2e/run.sh "${names[@]}" 2>&1 | tee "$log"
count "$log"
rm -f "$log"

n=0
for r in "$reports"/*; do
	[ -e "$r" ] || continue
	n=$((n + 1))
	echo "--- sanitizer report $(basename "$r"):"
	grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY:' "$r" | head -n 5
	sed -n '/^ *#[0-9]/p' "$r" | head -n 12
done
echo "sanitizer reports: $n"
total_f=$((total_f + n))
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
