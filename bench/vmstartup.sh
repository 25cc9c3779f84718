#!/bin/bash
# Attach and start-up in the qemu guests: every backend this host lacks
# (fentry, kprobe-multi, kprobe), on Debian's stock 6.1 and 6.12 kernels.
# tests/vm/run.sh boots each guest with bench/vm/startup-guest.sh in place of
# the e2e runner; that script times nettrace's start-up per backend and prints
# one "ntbench|..." line per run on the console.
#
# The guests have one CPU each and run side by side (2 host cores): about
# 5 minutes in all. Alone: bench/vmstartup.sh (writes
# bench/out/sections/vmstartup.md). BENCH_VM_KERNELS="6.1 6.12",
# BENCH_VM_REPS=2 and BENCH_VM_BUDGET=240 (seconds per guest after which no
# new round of runs starts) choose the guests, runs and time;
# BENCH_VM_TRACERS="drop catalog-fentry" only some rows (names: ORDER below).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

read -ra KERNELS <<<"${BENCH_VM_KERNELS:-6.1 6.12}"
VM_REPS=${BENCH_VM_REPS:-2}
VM_BUDGET=${BENCH_VM_BUDGET:-240}
read -ra VM_TRACERS <<<"${BENCH_VM_TRACERS:-}"
STATIC=${NETTRACE_STATIC:-$ROOT/nettrace-static}
CSV=
# The row every other is divided by: the default catalog through fentry,
# the backend nettrace picks first when the kernel has it.
REF=catalog-fentry

# The tracers in table order (bench/vm/startup-guest.sh names them).
ORDER=(drop catalog-fentry catalog-kprobe-multi catalog-kprobe catalog-tracepoint
	funcs-fentry funcs-kprobe-multi funcs-kprobe allfuncs-kprobe-multi)
declare -A WHAT=(
	[drop]="--drop (skb:kfree_skb via tp_btf)"
	[catalog-fentry]="default catalog, --backend fentry"
	[catalog-kprobe-multi]="default catalog, --backend kprobe-multi"
	[catalog-kprobe]="default catalog, --backend kprobe"
	[catalog-tracepoint]="default catalog, --backend tracepoint"
	[funcs-fentry]="--all-funcs=RE -t all-funcs, --backend fentry"
	[funcs-kprobe-multi]="--all-funcs=RE -t all-funcs, --backend kprobe-multi"
	[funcs-kprobe]="--all-funcs=RE -t all-funcs, --backend kprobe"
	[allfuncs-kprobe-multi]="--all-funcs (every function), --backend kprobe-multi"
)

# guest_start SERIES: boots it (one CPU) in the background, once the previous
# guest has its kernel and initramfs (no two apt-get or builds at once).
guest_start() {
	local series=$1 out i

	out=$OUT_DIR/vmstartup-$series.log
	log "vmstartup: guest $series ($VM_REPS runs per tracer, ${VM_BUDGET}s budget)"
	NT_TESTS_DIR=$WORK/vmtests NT_VM_SMP=1 \
		"$ROOT/tests/vm/run.sh" --verbose --kernel "$series" --timeout 900 "$STATIC" \
		"$VM_REPS" "$VM_BUDGET" "${VM_TRACERS[@]}" >"$out" 2>&1 &
	PIDS[$series]=$!
	track_pid "${PIDS[$series]}"
	for ((i = 0; i < 6000; i++)); do
		grep -q '^vm: .*booting' "$out" && break
		kill -0 "${PIDS[$series]}" 2>/dev/null || break
		nap 0.1
	done
}

# guest_end SERIES: waits for it and appends its runs to the CSV.
guest_end() {
	local series=$1 out rc=0

	out=$OUT_DIR/vmstartup-$series.log
	wait "${PIDS[$series]}" || rc=$?
	grep -m1 '^vm: .*booting' "$out" >&2 || true
	[ "$rc" = 0 ] || log "vmstartup: guest $series: tests/vm/run.sh exited $rc (see $out)"
	sed -n "s/^\[$series\] ntbench|/$series|/p" "$out" | tr -d '\r' >>"$CSV"
	KVER[$series]=$(sed -n "s/^\[$series\] ntbench-info|\([^|]*\)|.*/\1/p" "$out" | head -n 1)
	sed -n "s/^\[$series\] ntbench-info|\(stopped: .*\)/\1/p" "$out" | tr -d '\r' >"$WORK/stopped-$series"
}

# col SERIES ID FIELD: one field of the runs that started.
col() {
	awk -F'|' -v s="$1" -v t="$2" -v f="$3" '$1 == s && $2 == t && $4 != "fail" { print $f }' "$CSV"
}

# The start line without the first failure's details and the netfilter part.
short() {
	sed 's/ (first: [^;]*; -v lists them)//; s/[,;] [0-9]* netfilter hook observers.*//
		s/; netfilter hooks:.*//; s/[,;] nft tracing.*//; s/^lifecycle trace: //' <<<"$1"
}

write_table() {
	local series=$1 id ready stop ref_ready ref_stop line runs

	ref_ready=$(median $(col "$series" "$REF" 4))
	ref_stop=$(median $(col "$series" "$REF" 5))
	echo "### Linux ${KVER[$series]:-$series} (guest)"
	echo
	[ -s "$WORK/stopped-$series" ] && { cat "$WORK/stopped-$series"; echo; }
	echo "| tracer | what attached (nettrace's start line) | runs | to ready, ratio to $REF | SIGINT to exit, ratio | to ready, emulated (s) | to exit, emulated (s) |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	for id in "${ORDER[@]}"; do
		runs=$(col "$series" "$id" 4 | wc -l)
		if [ "$runs" = 0 ]; then
			line=$(awk -F'|' -v s="$series" -v t="$id" '$1 == s && $2 == t { print $7; exit }' "$CSV")
			echo "| ${WHAT[$id]} | did not start: ${line:-not run} | 0 | | | | |"
			continue
		fi
		ready=$(median $(col "$series" "$id" 4))
		stop=$(median $(col "$series" "$id" 5))
		line=$(awk -F'|' -v s="$series" -v t="$id" '$1 == s && $2 == t && $4 != "fail" { print $7; exit }' "$CSV")
		echo "| ${WHAT[$id]} | $(short "$line") | $runs | **$(fdiv "$ready" "${ref_ready:-0}")** | $(fdiv "$stop" "${ref_stop:-0}") | $(fmt %.1f "$ready") | $(fmt %.1f "$stop") |"
	done
	echo
}

write_section() {
	local series

	{
		cat <<EOF
## Attach and start-up in the qemu guests

The host has no kprobes and refuses fentry, so the other backends are timed in Debian's
stock kernels booted under qemu with TCG (tests/vm/run.sh; no KVM here): emulated time,
many times slower than real hardware and not comparable with the host's seconds. Read
the ratios: every row is divided by the default catalog through fentry (the backend
nettrace picks first), in the same guest. The two guests have one CPU each and run at
the same time, one per host core. bench/vm/startup-guest.sh runs in the guest: each
tracer is launched with a filter that matches nothing and timed from the launch to its
start line on stderr, then from SIGINT to its exit; $VM_REPS rounds of runs, medians (a
round that would end after ${VM_BUDGET}s is not started; the runs column counts).
"--all-funcs=RE -t all-funcs" attaches only the functions the regex picks from
every function taking an sk_buff (RE is in the guest script; the start line says how
many), so that each backend attaches the same list in a time TCG affords; the whole
--all-funcs is run once, through kprobe-multi only (through fentry it would verify one
program per function: minutes under TCG). A forced backend attaches functions only
(tracepoints go with --backend tracepoint or no --backend). The exit is timed with
wait(2); a nettrace still running 120 s after SIGINT would be killed, and its exit
status say so (137).

EOF
		for series in "${KERNELS[@]}"; do
			write_table "$series"
		done
		echo "Raw data: bench/out/vmstartup.csv (kernel, tracer, repetition, seconds to ready,"
		echo "seconds to exit, exit status, start line); the guests' consoles: bench/out/vmstartup-*.log."
	} | section_write vmstartup
}

main() {
	local series

	bench_init
	[ -x "$STATIC" ] || die "$STATIC is missing: run 'make static' first"
	mkdir -p "$WORK/vmtests/e2e"
	cp "$BENCH_DIR/vm/startup-guest.sh" "$WORK/vmtests/e2e/run.sh"
	CSV=$OUT_DIR/vmstartup.csv
	: >"$CSV"
	declare -gA KVER=() PIDS=()
	for series in "${KERNELS[@]}"; do
		guest_start "$series"
	done
	for series in "${KERNELS[@]}"; do
		guest_end "$series"
	done
	write_section
}

main "$@"
