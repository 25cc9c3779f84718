#!/bin/bash
# The monitor's cost (--monitor): the veth flood's sender wall time with
# nettrace --monitor counting every drop, beside --drop printing every drop and
# no tracer at all, in pairs (none, A, none, B, ...) for several repetitions;
# medians of the ratios. Then its CPU use while idle: no traffic of ours, with
# and without a scrape of /metrics every second.
#
# Alone: bench/monitor.sh (writes bench/out/sections/monitor.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

TRACERS=(nt-mon-all nt-mon-every nt-drop-all)
REPS=${BENCH_REPS:-7}
SETTLE=${BENCH_SETTLE:-0.3}
IDLE_S=${BENCH_IDLE_SECONDS:-20}
CSV=

# run_one TRACER: one veth flood with TRACER attached (or none); echoes the sender's wall time.
run_one() {
	local t=$1 out=$WORK/run.out

	nap "$SETTLE"
	if [ "$t" != none ]; then
		tracer_start "$t" "$out" 30 || die "monitor: $t failed to start: $TR_FAIL"
	fi
	flood veth "$PACKETS"
	[ "$t" = none ] || tracer_stop
	rm -f "$out" "$out.err"
	echo "$FLOOD_ELAPSED $FLOOD_PPS"
}

# The CPU seconds (user + system) process PID has used.
cpu_s() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15) / hz }' "/proc/$1/stat"
}

# idle SCRAPE: percent of one CPU the monitor uses over IDLE_S seconds, every
# drop of the machine counted, scraping /metrics every second when SCRAPE is 1.
idle() {
	local scrape=$1 port c0 c1 i

	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$NT" --monitor --metrics "127.0.0.1:$port" >"$WORK/idle.out" 2>"$WORK/idle.err" &
	TR_PID=$!
	track_pid "$TR_PID"
	for i in $(seq 1 300); do
		grep -q 'Ctrl-C to stop' "$WORK/idle.err" && break
		nap 0.1
	done
	nap 2
	c0=$(cpu_s "$TR_PID")
	for ((i = 0; i < IDLE_S; i++)); do
		[ "$scrape" = 1 ] && curl -fs "http://127.0.0.1:$port/metrics" >/dev/null
		nap 1
	done
	c1=$(cpu_s "$TR_PID")
	kill -INT "$TR_PID"
	wait "$TR_PID" || true
	awk -v a="$c0" -v b="$c1" -v s="$IDLE_S" 'BEGIN { printf "%.3f\n", (b - a) / s * 100 }'
}

main() {
	local rep t base res pair i
	declare -A ratios=() pps=()

	bench_init
	bench_prepare
	netns_setup
	CSV=$OUT_DIR/monitor.csv
	echo "rep,tracer,elapsed_s,pps,base_elapsed_s,base_pps" >"$CSV"
	for ((rep = 1; rep <= REPS; rep++)); do
		for t in "${TRACERS[@]}"; do
			# The order in each pair alternates with the repetition.
			if ((rep % 2)); then
				base=$(run_one none)
				res=$(run_one "$t")
			else
				res=$(run_one "$t")
				base=$(run_one none)
			fi
			echo "$rep,$t,${res% *},${res#* },${base% *},${base#* }" >>"$CSV"
			ratios[$t]+="$(fdiv "${res% *}" "${base% *}" %.4f) "
			pps[$t]+="${res#* } "
			pair+="${base#* } "
			log "monitor: rep $rep $t: ${res% *}s vs ${base% *}s without"
		done
	done
	local idle0 idle1
	idle0=$(idle 0)
	idle1=$(idle 1)
	log "monitor: idle CPU ${idle0}%, ${idle1}% with a scrape every second"
	targets_reset monitor
	{
		echo "## Monitor (--monitor)"
		echo
		echo "$PACKETS UDP datagrams over veth to a closed port (each one a NO_SOCKET drop), $REPS"
		echo "repetitions, each tracer run paired with a no-tracer run (order alternating); the"
		echo "ratio is the sender's wall time with the tracer over without, median of the pairs."
		echo "--monitor counts each drop in a per-CPU map and samples 2 per counter, CPU and"
		echo "second; --drop puts every drop in the ring buffer and prints it (to a file)."
		echo
		echo "| tracer | wall time ratio (median) | packets/s (median) |"
		echo "| --- | --- | --- |"
		echo "| no tracer | 1 | $(fmt %.0f "$(median $pair)") |"
		for t in "${TRACERS[@]}"; do
			tracer_def "$t" /dev/null
			# shellcheck disable=SC2086
			echo "| $TR_LABEL | $(fmt %.3f "$(median ${ratios[$t]})") | $(fmt %.0f "$(median ${pps[$t]})") |"
		done
		echo
		echo "Idle: \`nettrace --monitor --metrics\` with no filter, over $IDLE_S s with no"
		echo "traffic of the benchmark's (other processes' drops are counted):"
		echo "${idle0}% of one CPU; ${idle1}% with a scrape of /metrics every second."
	} | section_write monitor
	# shellcheck disable=SC2086
	i=$(median ${ratios[nt-mon-all]})
	target_row monitor "--monitor within 3% of no tracer when counting every drop (veth flood)" \
		"$(fmt %.3f "$i")" "$(met_le 1.03 "$i")"
}

main "$@"
