#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs libFuzzer harnesses one after the other, niced, each for a set time,
# and prints what each did: executions, coverage (libFuzzer's cov: edges,
# ft: features) and corpus size.
#
#   tests/fuzz/run.sh SECONDS NAME...    (harness binaries: build/fuzz/fuzz_NAME)
#
# Each harness starts from its seeds (tests/fuzz/corpus/NAME, never written)
# and the inputs it found before (build/fuzz/corpus/NAME, where new ones go).
# A crash, leak, sanitizer report or timeout stops that harness: its input is
# saved as build/fuzz/crashes/NAME-*, the report's summary is printed, and it
# counts as failed. The last line is "N passed, N failed, 0 skipped", one per
# harness. Exit status 0 only if none failed.
set -u
cd "$(dirname "$0")/../.." || exit 1

[ $# -ge 2 ] || { echo "usage: $0 SECONDS NAME..." >&2; exit 2; }
seconds=$1
shift
out=build/fuzz
mkdir -p "$out/corpus" "$out/crashes" "$out/logs"

passed=0 failed=0
for name in "$@"; do
	bin=$out/fuzz_$name
	log=$out/logs/$name.log
	seeds=tests/fuzz/corpus/$name
	dict=tests/fuzz/$name.dict
	args=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1
	      -artifact_prefix="$out/crashes/$name-")
	[ -f "$dict" ] && args+=(-dict="$dict")
	mkdir -p "$out/corpus/$name"
	dirs=("$out/corpus/$name")
	[ -d "$seeds" ] && dirs+=("$seeds")

	if [ ! -x "$bin" ]; then
		echo "FAIL $name: no harness at $bin (make fuzz-build)"
		failed=$((failed + 1))
		continue
	fi
	start=$(date +%s)
	nice -n 10 "$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))

	# The last status line: "#123456 DONE cov: 281 ft: 588 corp: 240/10818b ...".
	status=$(grep -E '^#[0-9]+.*cov: [0-9]+' "$log" | tail -n 1)
	execs=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$status")
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
	corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$status")
	figures="${execs:-0} executions in $took s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"

	if [ "$rc" -eq 0 ] && [ -n "$status" ]; then
		echo "PASS $name: $figures"
		passed=$((passed + 1))
		continue
	fi
	echo "FAIL $name (exit $rc): $figures"
	grep -E '^SUMMARY:|runtime error:|check failed:|ERROR: libFuzzer' "$log" | head -n 3 | sed 's/^/    | /'
	input=$(sed -nE 's/.*Test unit written to (.*)/\1/p' "$log" | tail -n 1)
	[ -n "$input" ] && echo "    | input: $input (replay: $bin $input)"
	echo "    | log: $log"
	failed=$((failed + 1))
done

echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
