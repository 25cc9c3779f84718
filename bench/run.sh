#!/bin/bash
# Runs the benchmarks and writes bench/RESULTS.md (`make bench`).
#
#   bench/run.sh                  every benchmark -> bench/RESULTS.md
#   bench/run.sh overhead loss    some of them    -> bench/out/RESULTS.md
#
# Benchmarks are not tests: nothing fails on a number. A benchmark that breaks
# is reported as such in RESULTS.md and the others still run.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ALL=(overhead cost bytes loss startup vmstartup memory monitor)
# The tree as it was before this run wrote RESULTS.md into it.
GIT_DESC="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown) ($(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown))"

machine_rows() {
	local cpu mem os

	cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
	mem=$(awk '$1 == "MemTotal:" { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	os=$(. /etc/os-release && echo "$PRETTY_NAME")
	echo "| CPU | $cpu, $(nproc) cores ($(lscpu | sed -n 's/^Hypervisor vendor: *//p') guest) |"
	echo "| Memory | $mem |"
	echo "| Kernel | $(uname -r) ($(uname -v)) |"
	echo "| Userland | $os |"
	echo "| nettrace | $("$NT" -V 2>&1 | head -n 1), git $GIT_DESC |"
	echo "| Peers | $(bpftrace --version 2>/dev/null || echo 'bpftrace missing'), $(perf --version 2>/dev/null || echo 'perf missing') |"
}

# "total steal" CPU ticks from /proc/stat.
cpu_ticks() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat
}

# The BPF tracing programs loaded on the machine (other processes' when no
# benchmark runs): their number and names.
other_bpf() {
	bpftool prog show -j 2>/dev/null | jq -r '
		[.[] | select(.type | tostring | test("tracing|tracepoint|kprobe|perf_event|netfilter|sched_cls|xdp|^32$"))] |
		"\(length)" + (if length > 0 then " (" + ([.[].name // "?"] | unique | .[0:12] | join(", ")) + ")" else "" end)' ||
		echo "unknown"
}

# The slowdown the in-kernel cost alone predicts for the sender, from the
# cost and overhead benchmarks' raw data (when both ran).
reading_note() {
	local cost=$OUT_DIR/cost.csv over=$OUT_DIR/overhead.csv miss all base

	[ -f "$cost" ] && [ -f "$over" ] || return 0
	miss=$(median $(awk -F, '$1 == "nt-drop-miss" && $4 > 0 { print $5 / $4 }' "$cost"))
	all=$(median $(awk -F, '$1 == "nt-drop-all" && $4 > 0 { print $5 / $4 }' "$cost"))
	base=$(median $(awk -F, '$1 == "veth" && $2 == "none" && $4 > 0 { print $10 / $4 * 1e9 }' "$over"))
	[[ $miss =~ ^[0-9.]+$ && $all =~ ^[0-9.]+$ && $base =~ ^[0-9.]+$ ]] || return 0
	awk -v m="$miss" -v a="$all" -v b="$base" 'BEGIN {
		printf "Reading the figures: the kernel counts %.0f ns for a non-matching hit of the drop\n", m
		printf "program and %.0f ns for an emitted event (per-event cost); the sender without a tracer\n", a
		printf "spends %.0f ns of CPU per datagram on veth (median), so the program alone would slow it\n", b
		printf "by %.2fx and %.2fx. The sender runs measure the whole (tracepoint dispatch, ring buffer\n", 1 + m / b, 1 + a / b
		printf "wake-ups, the reader sharing the 2 CPUs) and, on a shared machine, the noise of\n"
		printf "everything else: see the spread of the no-tracer runs in the overhead tables.\n"
	}'
}

# Runs one benchmark script; a failure becomes its section.
run_bench() {
	local b=$1 rc=0

	log "=== $b"
	# Its progress (stderr) shown and kept in bench/out/NAME.log.
	{ "$BENCH_DIR/$b.sh" 2>&1 1>&3 | tee "$OUT_DIR/$b.log" >&2; } 3>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		log "$b failed (exit status $rc)"
		{
			echo "## $b"
			echo
			echo "This benchmark failed (exit status $rc). The end of its log:"
			echo
			echo '```'
			tail -n 15 "$OUT_DIR/$b.log"
			echo '```'
		} >"$SECTIONS_DIR/$b.md"
	fi
}

main() {
	local benches=("$@") results t0 load0 b secs ticks0 ticks1 bpf0 steal note

	[ ${#benches[@]} -eq 0 ] && benches=("${ALL[@]}")
	for b in "${benches[@]}"; do
		[ -x "$BENCH_DIR/$b.sh" ] || die "unknown benchmark '$b' (${ALL[*]})"
	done
	if [ $# -eq 0 ]; then
		results=$BENCH_DIR/RESULTS.md
	else
		results=$OUT_DIR/RESULTS.md
	fi
	[ "$(id -u)" = 0 ] || die "the benchmarks need root (BPF, namespaces)"
	mkdir -p "$OUT_DIR" "$SECTIONS_DIR"
	bench_prepare
	rm -f "$SECTIONS_DIR"/*.md "$SECTIONS_DIR"/*.part
	t0=$SECONDS
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	ticks0=$(cpu_ticks)
	bpf0=$(other_bpf)
	for b in "${benches[@]}"; do
		run_bench "$b"
	done
	secs=$((SECONDS - t0))
	ticks1=$(cpu_ticks)
	steal=$(awk -v a="$ticks0" -v b="$ticks1" 'BEGIN { split(a, x, " "); split(b, y, " ")
		t = y[1] - x[1]; printf "%.1f%%", (t > 0 ? 100 * (y[2] - x[2]) / t : 0) }')

	{
		echo "# nettrace benchmarks"
		echo
		echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), in $((secs / 60)) min $((secs % 60)) s."
		echo "Benchmarks, not tests: the targets are reported against, nothing fails on a number."
		echo "bench/README.md says how each one works and how to run one alone."
		echo
		echo "## Machine"
		echo
		echo "| | |"
		echo "| --- | --- |"
		machine_rows
		echo "| Load average (1, 5, 15 min) | $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end |"
		echo "| CPU time stolen by the hypervisor during the run | $steal |"
		echo "| BPF programs of other processes (tracing, tc, xdp, netfilter) | $bpf0 at the start, $(other_bpf) at the end |"
		echo
		echo "Other processes may share this machine and run at the same time (the load average and"
		echo "the BPF programs above show how busy it was): the overhead runs alternate with no-tracer"
		echo "runs to even that out, and every tracer filters on the benchmark's own namespace."
		# Only from the data of this run.
		if [[ " ${benches[*]} " == *" cost "* && " ${benches[*]} " == *" overhead "* ]]; then
			note=$(reading_note)
			[ -z "$note" ] || printf '\n%s\n' "$note"
		fi
		echo
		echo "## Targets"
		echo
		echo "| target | measured | met |"
		echo "| --- | --- | --- |"
		for b in cost overhead loss memory monitor; do
			if [ -f "$SECTIONS_DIR/targets-$b.part" ]; then
				cat "$SECTIONS_DIR/targets-$b.part"
			else
				echo "| (from the $b benchmark) | not run | n/a |"
			fi
		done
		for b in "${benches[@]}"; do
			echo
			cat "$SECTIONS_DIR/$b.md"
		done
	} >"$results"
	log "wrote $results in ${secs}s"
}

main "$@"
