#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# End-to-end test runner: real kernel, real packets, namespaces per test.
# Usage: tests/e2e/run.sh [TEST...]   (TEST: a function name without test_)
# Prints PASS/FAIL/SKIP per test and "N passed, N failed, N skipped".
# Exit 0 only when nothing failed and something passed.
set -u
cd "$(dirname "$0")" || exit 1
. ./lib.sh

[ "$(id -u)" -eq 0 ] || { echo "e2e tests need root"; exit 1; }
[ -x "$NETTRACE" ] || { echo "no nettrace binary at $NETTRACE (make first)"; exit 1; }
mkdir -p /run/netns

for f in ./test_*.sh; do
	. "$f"
done

tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
	mapfile -t tests < <(declare -F | awk '{print $3}' | grep '^test_' | sed 's/^test_//')
fi

passed=0 failed=0 skipped=0
for t in "${tests[@]}"; do
	NT_TMP=$(mktemp -d /tmp/nt-e2e.XXXXXX)
	(
		trap cleanup EXIT
		"test_$t"
	) >"$NT_TMP/log" 2>&1
	rc=$?
	why=$(cat "$NT_TMP/why" 2>/dev/null)
	case $rc in
	0)
		echo "PASS $t"
		passed=$((passed + 1))
		;;
	77)
		echo "SKIP $t: $why"
		skipped=$((skipped + 1))
		;;
	*)
		echo "FAIL $t: ${why:-exit $rc}"
		sed 's/^/    | /' "$NT_TMP/log" | tail -n 20
		failed=$((failed + 1))
		;;
	esac
	rm -rf "$NT_TMP"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
