#!/bin/bash
# Packet-path overhead: a fixed number of UDP datagrams to a closed port (each
# one a NO_SOCKET drop in the receiving namespace), sender wall time and
# packets/s without a tracer and with each tracer attached, in pairs (none, A,
# B, none, none, C, ...) for several repetitions; medians of the ratios.
#
# Alone: bench/overhead.sh (writes bench/out/sections/overhead.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

PATHS=(veth lo)
# nettrace's modes (one command line each, see tracer_def in lib.sh), then the
# peers doing the same job (on veth only, to keep the run short). Those that
# cannot start are reported, not run.
NT_TRACERS=(nt-drop-miss nt-drop-all nt-life-miss nt-life-all)
PEERS=(bt-drop-all perf-record perf-trace)
TRACERS=("${NT_TRACERS[@]}" "${PEERS[@]}")
declare -A PATH_TRACERS=(
	[veth]="${TRACERS[*]}"
	[lo]="${NT_TRACERS[*]}"
)

# More repetitions than the others: the machine may be shared (BENCH_REPS
# sets them all).
REPS=${BENCH_REPS:-7}
# Seconds of quiet before each run.
SETTLE=${BENCH_SETTLE:-0.3}
declare -A UNAVAIL=()
CSV=
OTHERS=

# Starts each tracer once: what cannot attach here is left out of the runs.
probe_tracers() {
	local t

	for t in "${TRACERS[@]}"; do
		if tracer_start "$t" "$WORK/probe.out" 30; then
			tracer_stop
			log "overhead: $t attaches in ${TR_READY_S}s"
		else
			UNAVAIL[$t]=$TR_FAIL
			log "overhead: $t unavailable: $TR_FAIL"
		fi
		rm -f "$WORK/probe.out" "$WORK/probe.out.err"
	done
}

# run_one PATH TRACER REP PAIR: one flood, with TRACER attached (or none);
# PAIR is the tracer of the pair of runs it belongs to.
run_one() {
	local path=$1 t=$2 rep=$3 pair=$4 out=$WORK/run.out events=- lost=-

	# Whatever the previous run left to the kernel (freeing programs, writing
	# files) settles first, whichever run comes next.
	nap "$SETTLE"
	if [ "$t" != none ]; then
		if ! tracer_start "$t" "$out" 30; then
			log "overhead: $t failed to start: $TR_FAIL"
			return 0
		fi
	fi
	flood "$path" "$PACKETS"
	if [ "$t" != none ]; then
		# Let the tracer deliver what it has before it is stopped.
		[ "$TR_KIND" = perf-record ] || wait_stable "$out" 0.3 30 || true
		tracer_stop
		events=$TR_EVENTS
		lost=$TR_LOST
		rm -f "$out" "$out.err"
	fi
	echo "$path,$t,$rep,$FLOOD_SENT,$FLOOD_ELAPSED,$FLOOD_PPS,$events,$lost,$pair,$FLOOD_CPU,$OTHERS" >>"$CSV"
}

# One sentence per peer: whether it ran here, or the error it gave.
peer_status() {
	local t

	for t in bt-drop-all perf-record perf-trace; do
		case $t in
		bt-drop-all) printf '%s' "$(bpftrace --version 2>/dev/null || echo bpftrace)" ;;
		perf-record) printf '%s' '`perf record`' ;;
		perf-trace) printf '%s' '`perf trace`' ;;
		esac
		if [ -n "${UNAVAIL[$t]:-}" ]; then
			printf ' does not work here: %s. ' "$(why_unavailable "${UNAVAIL[$t]}")"
		elif [ "$t" = bt-drop-all ]; then
			printf ' works on this kernel (it warns that it cannot raise RLIMIT_MEMLOCK, which is harmless: BPF memory is charged to the memory cgroup). '
		else
			printf ' works here. '
		fi
	done
}

# col PATH TRACER FIELD: the values of one CSV column for one path and tracer.
col() {
	awk -F, -v p="$1" -v t="$2" -v f="$3" '$1 == p && $2 == t { print $f }' "$CSV"
}

# paired PATH TRACER FIELD: the ratios of each tracer run to the no-tracer
# run of its pair (FIELD 5: wall time, 10: CPU time), one a line.
paired() {
	awk -F, -v p="$1" -v t="$2" -v f="$3" '
		$1 != p || $9 != t { next }
		$2 == "none" { base[$3] = $f; next }
		{ mine[$3] = $f }
		END { for (r in mine) if ((r in base) && base[r] > 0) printf "%.4f\n", mine[r] / base[r] }' "$CSV"
}

# paired_median PATH TRACER FIELD: the median paired ratio, 2 decimals.
paired_median() {
	fmt %.2f "$(median $(paired "$1" "$2" "$3"))"
}

# paired_range PATH TRACER: "min-max" of the wall-time paired ratios.
paired_range() {
	paired "$1" "$2" 5 | sort -g | sed -n '1p;$p' | awk '{ printf "%s%.2f", (NR > 1 ? "-" : ""), $1 }'
}

path_table() {
	local path=$1 t base cbase el pps cpu ev lost

	base=$(median $(col "$path" none 5))
	cbase=$(median $(col "$path" none 10))
	echo "| tracer | runs | sender time, median (s) | packets/s, median | **ratio to no tracer, median** | ratios, range | sender CPU, median (s) | CPU-time ratio, median | events delivered / lost, median |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	echo "| no tracer | $(col "$path" none 5 | wc -l) | $(fmt %.4f "$base") | $(fmt %.0f "$(median $(col "$path" none 6))") | 1.00 | times: $(col "$path" none 5 | sort -g | sed -n '1p;$p' | awk '{ printf "%s%.3f", (NR > 1 ? "-" : ""), $1 }') s | $(fmt %.4f "$cbase") | 1.00 | - |"
	for t in ${PATH_TRACERS[$path]}; do
		tracer_def "$t" /dev/null
		if [ -n "${UNAVAIL[$t]:-}" ]; then
			echo "| $TR_LABEL | 0 | $(why_unavailable "${UNAVAIL[$t]}") | | | | | | |"
			continue
		fi
		el=$(median $(col "$path" "$t" 5))
		pps=$(median $(col "$path" "$t" 6))
		cpu=$(median $(col "$path" "$t" 10))
		ev=$(median $(col "$path" "$t" 7))
		lost=$(median $(col "$path" "$t" 8))
		echo "| $TR_LABEL | $(col "$path" "$t" 5 | wc -l) | $(fmt %.4f "$el") | $(fmt %.0f "$pps") | **$(paired_median "$path" "$t" 5)** | $(paired_range "$path" "$t") | $(fmt %.4f "$cpu") | $(paired_median "$path" "$t" 10) | $ev / $lost |"
	done
}

# The smallest and largest number of other processes' BPF programs seen.
others_range() {
	awk -F, 'NR > 1 && $11 ~ /^[0-9]+$/ { if (n++ == 0 || $11 < lo) lo = $11; if ($11 > hi) hi = $11 }
		END { if (n) printf "%d to %d", lo, hi; else print "unknown" }' "$CSV"
}

write_section() {
	local veth lo life="measured in the tables below." peers p t limit what wall=() cpu=()

	[ -n "${UNAVAIL[nt-life-all]:-}" ] && life="$(why_unavailable "${UNAVAIL[nt-life-all]}")."
	peers=$(peer_status)
	veth=$(path_table veth)
	lo=$(path_table lo)
	section_write overhead <<EOF
## Packet-path overhead

$PACKETS UDP datagrams of 64 bytes per run, sent as fast as one \`sendto()\` loop goes
(bench/udpflood.c) to a port nothing listens on, so that every datagram is a drop
(skb:kfree_skb, reason NO_SOCKET at __udp4_lib_rcv) in the receiving namespace:
**veth**: from namespace $NS_TX ($TX_ADDR) to namespace $NS_RX ($RX_ADDR) over a veth pair;
**lo**: inside $NS_RX, 127.0.0.1 to 127.0.0.1. On both paths the receive side runs in the
sender's context (veth and loopback hand the packet to the local backlog), so the sender's
wall time includes the tracing cost. Each tracer is started and waited for until attached,
the flood runs, the tracer is given time to deliver what it has, then stopped. Runs
alternate in pairs: no tracer then tracer A, no tracer then tracer B, ..., the order within
each pair reversed every other repetition (A B B A), with a pause of ${SETTLE} s before each
run; $REPS repetitions (a tracer whose pairs took more than ${TRACER_BUDGET} s in all after
$MIN_REPS repetitions gets no more: the "runs" column says how many it had). Each tracer run is divided by the no-tracer run of its pair (a few
seconds apart, so that slow changes in the machine's load cancel out); the table gives the
median and the range of those ratios, and the medians of the times. The sender's CPU time (user + system, from getrusage) includes
the receive path run in its context but not the time it waited for a CPU, so it is less
sensitive to other load on the machine; its ratio is given beside. "Matches nothing" filters on
destination port $NOPORT (the packets are parsed, the filter fails on the port);
"matches every packet" on port $PORT with the namespace and UDP, output to a file. The
peers run on the veth path only: the bpftrace peer (bench/drop.bt) applies the same filter
and prints the same fields; perf cannot filter on ports, so it records every kfree_skb on
the machine. The ICMP
port-unreachable replies are rate-limited by the kernel (about 1000/s) and are not drops.
Other processes' BPF programs on packet paths or tracepoints (counted before each pair of
runs: $(others_range)) run on these packets too, in the no-tracer runs as well; they come
and go with what else runs on the machine, which is most of the spread in the ranges.

Lifecycle mode: $life

Peers: $peers

### veth, $NS_TX -> $NS_RX

$veth

### loopback inside $NS_RX

$lo

Raw data: bench/out/overhead.csv (path, tracer, repetition, sent, seconds, packets/s,
events, lost, pair, sender CPU seconds, other BPF programs loaded).
EOF
	targets_reset overhead
	for t in nt-drop-miss nt-drop-all; do
		wall=()
		cpu=()
		for p in veth lo; do
			if [ -n "${UNAVAIL[$t]:-}" ]; then
				wall+=(n/a)
				cpu+=(n/a)
			else
				wall+=("$(paired_median "$p" "$t" 5)")
				cpu+=("$(paired_median "$p" "$t" 10)")
			fi
		done
		if [ "$t" = nt-drop-miss ]; then
			limit=1.05
			what="sender slowdown, non-matching filter (drop) <= 1.05x"
		else
			limit=1.3
			what="sender slowdown, every packet traced to a file (drop) <= 1.3x"
		fi
		target_row overhead "$what" \
			"wall time: veth ${wall[0]}x, lo ${wall[1]}x (CPU time: veth ${cpu[0]}x, lo ${cpu[1]}x)" \
			"$(met_le "$limit" "${wall[@]}")"
	done
}

main() {
	local rep path t t0

	bench_init
	bench_prepare
	netns_setup
	tracefs_mount || log "overhead: cannot mount tracefs: the peers will fail"
	CSV=$OUT_DIR/overhead.csv
	echo "path,tracer,rep,sent,seconds,pps,events,lost,pair,cpu_seconds,other_progs" >"$CSV"
	probe_tracers
	for ((rep = 1; rep <= REPS; rep++)); do
		log "overhead: repetition $rep/$REPS"
		for path in "${PATHS[@]}"; do
			for t in ${PATH_TRACERS[$path]}; do
				[ -n "${UNAVAIL[$t]:-}" ] && continue
				if over_budget "$path:$t" "$rep"; then
					[ "$rep" -gt $((MIN_REPS + 1)) ] || log "overhead: $path $t: time budget used, no more runs"
					continue
				fi
				t0=$EPOCHREALTIME
				# Other processes' programs also run on these packets.
				OTHERS=$(bpf_hook_progs)
				if ((rep % 2)); then
					run_one "$path" none "$rep" "$t"
					run_one "$path" "$t" "$rep" "$t"
				else
					run_one "$path" "$t" "$rep" "$t"
					run_one "$path" none "$rep" "$t"
				fi
				charge "$path:$t" "$t0"
			done
		done
	done
	write_section
}

main "$@"
