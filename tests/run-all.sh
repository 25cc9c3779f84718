#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs every test stage (unit, e2e on this kernel, e2e in the qemu guests,
# unit and e2e again against the ASan+UBSan build, the fuzzers for 10 s each)
# and closes with one line adding them up: "N passed, N failed, N skipped".
# Usage: tests/run-all.sh [unit] [e2e] [vm] [asan] [fuzz]   (default: all five)
set -u
cd "$(dirname "$0")/.." || exit 1

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit e2e vm asan fuzz)
total_p=0 total_f=0 total_s=0 broken=()

run_stage() {
	local name=$1 log rc line p f s
	shift
	log=$(mktemp)
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# One closing line, or one per guest kernel ("[6.1] N passed, ..."): add them up.
	line=$(grep -E '^\[[^]]*\] [0-9]+ passed, [0-9]+ failed' "$log")
	[ -n "$line" ] || line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	p=$(sed -nE 's/.*\b([0-9]+) passed.*/\1/p' <<<"$line" | awk '{s += $1} END {print s + 0}')
	f=$(sed -nE 's/.*\b([0-9]+) failed.*/\1/p' <<<"$line" | awk '{s += $1} END {print s + 0}')
	s=$(sed -nE 's/.*\b([0-9]+) skipped.*/\1/p' <<<"$line" | awk '{s += $1} END {print s + 0}')
	total_p=$((total_p + ${p:-0}))
	total_f=$((total_f + ${f:-0}))
	total_s=$((total_s + ${s:-0}))
	if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
		broken+=("$name(exit $rc)")
		[ "${f:-0}" -gt 0 ] || total_f=$((total_f + 1))
	fi
}

for st in "${stages[@]}"; do
	case $st in
	unit) run_stage unit make --no-print-directory unit ;;
	e2e) run_stage e2e make --no-print-directory e2e ;;
	vm) run_stage vm make --no-print-directory vm-test ;;
	asan) run_stage asan make --no-print-directory asan-test ;;
	fuzz) run_stage fuzz make --no-print-directory fuzz-smoke ;;
	*) echo "unknown stage $st"; exit 2 ;;
	esac
done

[ ${#broken[@]} -eq 0 ] || echo "stages that failed: ${broken[*]}"
echo "$total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ] && [ "$total_p" -gt 0 ]
