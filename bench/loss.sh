#!/bin/bash
# Throughput and loss: drops at increasing rates, with the default ring buffer
# and a small one; events delivered to user space per second, events lost as
# nettrace counts them, and whether sent == delivered + lost.
#
# Alone: bench/loss.sh (writes bench/out/sections/loss.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

# Datagrams per second (0: as fast as the sender goes); about SECONDS_PER_RATE
# seconds of traffic each, MAX_PACKETS at full speed.
read -r -a RATES <<<"${BENCH_RATES:-10000 50000 100000 200000 0}"
SECONDS_PER_RATE=${BENCH_SECONDS_PER_RATE:-2}
MAX_PACKETS=${BENCH_MAX_PACKETS:-500000}
# nettrace --drop with a filter that selects exactly the flood (the receiving
# namespace, UDP, the closed port; tracer_def in lib.sh), with the default
# ring buffer and a small one (ID@KB); then the bpftrace peer, same filter.
TRACERS=(nt-drop-all@4096 nt-drop-all@64 bt-drop-all)
declare -A UNAVAIL=()
CSV=

run_one() {
	local t=$1 rate=$2 out=$WORK/run.out count t0 n0 n1 lines secs

	if [ "$rate" = 0 ]; then
		count=$MAX_PACKETS
	else
		count=$((rate * SECONDS_PER_RATE))
	fi
	if ! tracer_start "$t" "$out" 30; then
		UNAVAIL[$t]=$TR_FAIL
		log "loss: $t failed to start: $TR_FAIL"
		return 0
	fi
	n0=$(udp_noports)
	t0=$EPOCHREALTIME
	flood veth "$count" "$rate"
	# Delivered: when the output stops growing (polled every 50 ms).
	wait_stable "$out" 0.5 60 || log "loss: output still growing after 60 s"
	secs=$(fsub "$STABLE_AT" "$t0")
	n1=$(udp_noports)
	tracer_stop
	lines=$(event_lines "$out")
	echo "$t,$rate,$FLOOD_SENT,$FLOOD_ELAPSED,$FLOOD_PPS,$((n1 - n0)),$TR_EVENTS,$TR_LOST,$lines,$secs" >>"$CSV"
	rm -f "$out" "$out.err"
}

write_section() {
	local table all_ok=yes rows t

	table="| tracer | rate asked (pps) | sent | sender pps | kernel drops (UdpNoPorts) | delivered | lost (counted) | delivered / s | sent = delivered + lost |"$'\n'
	table+="| --- | --- | --- | --- | --- | --- | --- | --- | --- |"$'\n'
	rows=$(awk -F, 'NR > 1 {
		ok = ($3 == $7 + $8 && $7 == $9) ? "yes" : "**no**"
		if ($3 != $7 + $8) ok = ok sprintf(" (%+d)", $7 + $8 - $3)
		if ($7 != $9) ok = ok sprintf(", %d lines printed", $9)
		split($1, id, "@")
		label = id[1] == "bt-drop-all" ? "bpftrace (bench/drop.bt)" : "nettrace --drop"
		label = label (id[2] != "" ? ", --buffer-size " id[2] : "")
		printf "| %s | %s | %d | %.0f | %d | %d | %d | %.0f | %s |\n",
			label, ($2 == 0 ? "max" : $2), $3, $5, $6, $7, $8, ($10 > 0 ? $7 / $10 : 0), ok
	}' "$CSV")
	table+=$rows
	for t in "${TRACERS[@]}"; do
		[ -n "${UNAVAIL[$t]:-}" ] || continue
		tracer_def "$t" /dev/null
		table+=$'\n'"| $TR_LABEL | $(why_unavailable "${UNAVAIL[$t]}") | | | | | | | |"
	done
	if [ -n "${UNAVAIL[nt-drop-all@4096]:-}" ] || [ -z "$rows" ]; then
		all_ok=n/a
	elif grep '^| nettrace' <<<"$rows" | grep -q '\*\*no\*\*'; then
		all_ok=no
	fi
	section_write loss <<EOF
## Throughput and loss

\`nettrace --drop --netns $RX_NETNS -p udp --dport $PORT\` (exactly the flood: nothing
else in that namespace goes to that port), output to a file, with the default ring
buffer (4096 KiB) and with \`--buffer-size 64\`. For each rate, about ${SECONDS_PER_RATE} s of
datagrams (max: $MAX_PACKETS, as fast as the sender goes) are sent over veth to the closed
port, paced by bench/udpflood.c. "Delivered / s" is the number of events nettrace
printed over the time from the start of the flood to the moment its output stopped
growing (polled every 50 ms). Delivered and lost are nettrace's own closing line
("N events, M events lost"); the line count of its output is checked against N, and the
receiver's UdpNoPorts counter shows the kernel dropped every datagram. Every sent datagram
is a matching drop, so sent = delivered + lost means no loss went uncounted. The tracer
is stopped (SIGINT) only once its output has stopped growing. The bpftrace peer
(bench/drop.bt, same filter, its default perf buffer) runs the same rates: its delivered
count is its event lines, its lost count the sum of its "Lost N events" lines.

$table

Raw data: bench/out/loss.csv (tracer[@buffer KiB], rate, sent, sender seconds, sender pps, UdpNoPorts
delta, delivered, lost, lines printed, seconds to delivery).
EOF
	targets_reset loss
	target_row loss "no silent loss: sent = delivered + counted lost, every rate (--drop)" \
		"$(awk -F, 'NR > 1 && $1 ~ /^nt-/ && $3 == $7 + $8 && $7 == $9 { n++ } NR > 1 && $1 ~ /^nt-/ { m++ }
			END { printf "%d of %d runs balanced", n, m }' "$CSV")" "$all_ok"
}

main() {
	local t rate

	bench_init
	bench_prepare
	netns_setup
	CSV=$OUT_DIR/loss.csv
	echo "tracer,rate,sent,seconds,pps,udp_noports,delivered,lost,lines,delivery_seconds" >"$CSV"
	tracefs_mount || log "loss: cannot mount tracefs: bpftrace will fail"
	for t in "${TRACERS[@]}"; do
		for rate in "${RATES[@]}"; do
			[ -n "${UNAVAIL[$t]:-}" ] && break
			log "loss: $t, rate ${rate/#0/max}"
			run_one "$t" "$rate"
		done
	done
	write_section
}

main "$@"
