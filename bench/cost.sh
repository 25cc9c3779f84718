#!/bin/bash
# Per-event cost in the kernel: with kernel.bpf_stats_enabled=1 the kernel
# counts, per BPF program, the runs (run_cnt) and the time spent in them
# (run_time_ns). The programs are those the tracer's PID holds (its fdinfo),
# named by bpftool prog show -j. A flood of drops gives non-matching hits
# (filter on another port) and matching, emitted events.
#
# Alone: bench/cost.sh (writes bench/out/sections/cost.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

# tracer id -> what its hits are, and its program name(s) ('*': all it holds).
TRACERS=(nt-drop-miss nt-drop-all nt-life-miss nt-life-all bt-drop-miss bt-drop-all bt-empty)
declare -A PROG_NAME=(
	[nt-drop-miss]=drop_tp_btf [nt-drop-all]=drop_tp_btf
	[nt-life-miss]='*' [nt-life-all]='*'
	[bt-drop-miss]=kfree_skb [bt-drop-all]=kfree_skb [bt-empty]=kfree_skb
)
declare -A UNAVAIL=()
CSV=

# All programs PID holds, as "name run_time_ns run_cnt" lines.
prog_table() {
	local ids

	ids=$(prog_ids_of "$1" | paste -sd, -)
	[ -n "$ids" ] || return 0
	bpftool prog show -j | jq -r --argjson ids "[$ids]" '
		.[] | select(.id as $i | $ids | index($i)) |
		"\(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"'
}

# Sums the lines of prog_table whose name is NAME ('*': all).
prog_sum() {
	awk -v n="$1" '$1 == n || n == "*" { t += $2; c += $3 } END { printf "%d %d\n", t, c }'
}

run_one() {
	local t=$1 rep=$2 out=$WORK/run.out name=${PROG_NAME[$1]} before after t0 c0 t1 c1

	if ! tracer_start "$t" "$out" 30; then
		UNAVAIL[$t]=$TR_FAIL
		log "cost: $t unavailable: $TR_FAIL"
		return 0
	fi
	before=$(prog_table "$TR_PID" | prog_sum "$name")
	flood veth "$PACKETS"
	wait_stable "$out" 0.3 30 || true
	after=$(prog_table "$TR_PID" | prog_sum "$name")
	tracer_stop
	read -r t0 c0 <<<"$before"
	read -r t1 c1 <<<"$after"
	echo "$t,$rep,$FLOOD_SENT,$((c1 - c0)),$((t1 - t0)),$TR_EVENTS,$TR_LOST" >>"$CSV"
	rm -f "$out" "$out.err"
}

col() {
	awk -F, -v t="$1" -v f="$2" '$1 == t { print $f }' "$CSV"
}

# less_floor NS FLOOR: NS less the measurement floor.
less_floor() {
	[[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] || { echo n/a; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", a - b }'
}

# ns per hit of each run of one tracer.
ns_per_hit() {
	awk -F, -v t="$1" '$1 == t && $4 > 0 { printf "%.1f\n", $5 / $4 }' "$CSV"
}

write_section() {
	local t label ns miss=n/a all=n/a floor table=""

	floor=$(median $(ns_per_hit bt-empty))
	table+="| tracer | runs | datagrams sent per run | program runs per run, median | events emitted, median | ns per hit, median | ns per hit, range | less the empty program's |"$'\n'
	table+="| --- | --- | --- | --- | --- | --- | --- | --- |"$'\n'
	for t in "${TRACERS[@]}"; do
		tracer_def "$t" /dev/null
		label="$TR_LABEL (program: ${PROG_NAME[$t]/\*/all it holds})"
		if [ -n "${UNAVAIL[$t]:-}" ]; then
			table+="| $label | 0 | $(why_unavailable "${UNAVAIL[$t]}") | | | | | |"$'\n'
			continue
		fi
		ns=$(fmt %.1f "$(median $(ns_per_hit "$t"))")
		[ "$t" = nt-drop-miss ] && miss=$ns
		[ "$t" = nt-drop-all ] && all=$ns
		table+="| $label | $(col "$t" 2 | wc -l) | $(median $(col "$t" 3)) | $(median $(col "$t" 4)) | $(median $(col "$t" 6)) | **$ns** | $(ns_per_hit "$t" | sort -g | sed -n '1p;$p' | paste -sd- -) | $(less_floor "$ns" "$floor") |"$'\n'
	done
	section_write cost <<EOF
## Per-event cost in the kernel

kernel.bpf_stats_enabled is set to 1 for this benchmark only (the old value is put back
on exit, also on failure). Each tracer is started, the BPF programs its PID holds are
found through /proc/PID/fdinfo (prog_id) and named with \`bpftool prog show -j\`; their
run_cnt and run_time_ns are read, $PACKETS datagrams are sent over veth to the closed port
(each one a kfree_skb hit in the receiving namespace), the tracer is given time to
deliver, and the counters are read again. ns per hit = delta run_time_ns / delta run_cnt.
The hits include every other kfree_skb on the machine during the flood (ICMP replies,
other processes), which are a small fraction. "Matches nothing": the packet is parsed and
the filter fails on the destination port; "matches every packet": the event is reserved in
the ring buffer, filled and submitted. The time is the program's own, as the kernel's
statistics measure it (the tracepoint's dispatch and the ring buffer's wake-up of the
reader, which runs after the program, are not in it). The statistics cost something
themselves (a clock read per run): an empty bpftrace program on the same tracepoint gives
that floor, and the last column takes it off. The targets are compared with the full
figure. $REPS runs of each tracer (fewer, but at least $MIN_REPS, for a tracer whose runs took
more than ${TRACER_BUDGET} s in all).

$table
Raw data: bench/out/cost.csv (tracer, repetition, sent, program runs, run time ns,
events, lost).
EOF
	targets_reset cost
	target_row cost "non-matching probe hit <= 100 ns" \
		"$miss ns ($(less_floor "$miss" "$floor") ns less the statistics' floor)" "$(met_le 100 "$miss")"
	target_row cost "matching emitted event <= 1 us" \
		"$all ns ($(less_floor "$all" "$floor") ns less the statistics' floor)" "$(met_le 1000 "$all")"
}

main() {
	local rep t t0

	bench_init
	bench_prepare
	netns_setup
	tracefs_mount || log "cost: cannot mount tracefs: bpftrace will fail"
	sysctl_set kernel.bpf_stats_enabled 1
	CSV=$OUT_DIR/cost.csv
	echo "tracer,rep,sent,runs,run_time_ns,events,lost" >"$CSV"
	for ((rep = 1; rep <= REPS; rep++)); do
		log "cost: repetition $rep/$REPS"
		for t in "${TRACERS[@]}"; do
			[ -n "${UNAVAIL[$t]:-}" ] && continue
			if over_budget "$t" "$rep"; then
				[ "$rep" -gt $((MIN_REPS + 1)) ] || log "cost: $t: time budget used, no more runs"
				continue
			fi
			t0=$EPOCHREALTIME
			run_one "$t" "$rep"
			charge "$t" "$t0"
		done
	done
	write_section
}

main "$@"
