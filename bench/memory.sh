#!/bin/bash
# Memory: resident memory (VmRSS, and its peak VmHWM, from /proc/PID/status)
# of a tracer after 10k, 100k and 1M drop events, in one run.
#
# Alone: bench/memory.sh (writes bench/out/sections/memory.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

# Drops sent at each reading (cumulative).
read -r -a CHECKPOINTS <<<"${BENCH_CHECKPOINTS:-10000 100000 1000000}"
TRACERS=(nt-drop-all nt-life-all bt-drop-all)
declare -A UNAVAIL=()
CSV=

# status_kb PID FIELD: a field of /proc/PID/status, in kB.
status_kb() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# What bpftrace says it lost so far (nettrace says it at exit only).
lost_so_far() {
	case $TR_KIND in
	bpftrace) awk '/^Lost [0-9]+ events/ { n += $2 } END { print n + 0 }' "$TR_OUT" ;;
	*) echo "-" ;;
	esac
}

run_one() {
	local t=$1 out=$WORK/run.out sent=0 cp

	if ! tracer_start "$t" "$out" 30; then
		UNAVAIL[$t]=$TR_FAIL
		log "memory: $t unavailable: $TR_FAIL"
		return 0
	fi
	echo "$t,0,0,-,$(status_kb "$TR_PID" VmRSS),$(status_kb "$TR_PID" VmHWM)" >>"$CSV"
	for cp in "${CHECKPOINTS[@]}"; do
		flood veth $((cp - sent))
		sent=$cp
		wait_stable "$out" 0.5 60 || log "memory: output still growing after 60 s"
		echo "$t,$cp,$(event_lines "$out"),$(lost_so_far),$(status_kb "$TR_PID" VmRSS),$(status_kb "$TR_PID" VmHWM)" >>"$CSV"
		log "memory: $t after $cp drops: VmRSS $(status_kb "$TR_PID" VmRSS) kB"
	done
	tracer_stop
	echo "$t,exit,$TR_EVENTS,$TR_LOST,-,-" >>"$CSV"
	rm -f "$out" "$out.err"
}

write_section() {
	local t table first last ratio nt_ratio=n/a life_ratio=n/a rows

	table="| tracer | drops sent | event lines printed | lost | VmRSS (kB) | VmHWM (kB) | VmRSS / VmRSS at ${CHECKPOINTS[0]} |"$'\n'
	table+="| --- | --- | --- | --- | --- | --- | --- |"$'\n'
	for t in "${TRACERS[@]}"; do
		tracer_def "$t" /dev/null
		if [ -n "${UNAVAIL[$t]:-}" ]; then
			table+="| $TR_LABEL | | | | $(why_unavailable "${UNAVAIL[$t]}") | | |"$'\n'
			continue
		fi
		first=$(awk -F, -v t="$t" -v c="${CHECKPOINTS[0]}" '$1 == t && $2 == c { print $5 }' "$CSV")
		rows=$(awk -F, -v t="$t" -v l="$TR_LABEL" -v f="$first" '$1 == t && $2 != "exit" {
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", l, ($2 == 0 ? "0 (ready)" : $2),
				$3, $4, $5, $6, ($2 == 0 ? "-" : sprintf("%.3f", $5 / f)) }
			$1 == t && $2 == "exit" {
			printf "| %s | at exit | %s delivered (its own count) | %s | | | |\n", l, $3, $4 }' "$CSV")
		table+=$rows$'\n'
		last=$(awk -F, -v t="$t" '$1 == t && $2 != "exit" { v = $5 } END { print v }' "$CSV")
		ratio=$(fdiv "$last" "$first" %.3f)
		[ "$t" = nt-drop-all ] && nt_ratio=$ratio
		[ "$t" = nt-life-all ] && life_ratio=$ratio
	done
	section_write memory <<EOF
## Memory

One run per tracer, filter matching exactly the flood (namespace, UDP, port $PORT),
output to a file; drops sent over veth as fast as the sender goes until
${CHECKPOINTS[*]} drops in all. At each step, once the output has stopped growing (no
change for 0.5 s), VmRSS and VmHWM are read from /proc/PID/status. nettrace's ring buffer
(4 MiB by default) is mapped into the process and counts in its resident memory as its
pages are touched. bpftrace reports its losses (perf buffer) as it goes; nettrace counts
them in its closing line, shown in the "at exit" row.

$table
Raw data: bench/out/memory.csv (tracer, drops sent, lines printed, lost, VmRSS kB,
VmHWM kB); "event lines printed" counts the lines with an arrow in the output file so far (bpftrace's
output to a file is block-buffered: its count lags until it exits).
EOF
	targets_reset memory
	target_row memory "resident memory flat within 10% from 10k to 1M events (--drop)" \
		"VmRSS after ${CHECKPOINTS[-1]} / after ${CHECKPOINTS[0]} drops = $nt_ratio (lifecycle mode: $life_ratio)" \
		"$(met_le 1.10 "$nt_ratio")"
}

main() {
	local t

	bench_init
	bench_prepare
	netns_setup
	tracefs_mount || log "memory: cannot mount tracefs: bpftrace will fail"
	CSV=$OUT_DIR/memory.csv
	echo "tracer,drops,events_printed,lost,vmrss_kb,vmhwm_kb" >"$CSV"
	for t in "${TRACERS[@]}"; do
		log "memory: $t"
		run_one "$t"
	done
	write_section
}

main "$@"
