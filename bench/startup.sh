#!/bin/bash
# Attach and start-up: the time from launching a tracer to its "ready" signal
# (nettrace's start line on stderr), and from SIGINT to its exit.
#
# Alone: bench/startup.sh (writes bench/out/sections/startup.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

# nettrace's modes and catalogs (one command line each, see tracer_def in
# lib.sh), then the peers. Those that cannot start are reported as such.
TRACERS=(nt-drop-miss nt-life-miss nt-life-allfuncs bt-drop-miss perf-record)
declare -A WHAT=(
	[nt-drop-miss]="drop monitor (skb:kfree_skb)"
	[nt-life-miss]="default catalog (lifecycle mode)"
	[nt-life-allfuncs]="every function taking an sk_buff"
	[bt-drop-miss]="peer: bench/drop.bt"
	[perf-record]="peer"
)
declare -A UNAVAIL=() BACKEND=()
CSV=

run_one() {
	local t=$1 rep=$2 out=$WORK/run.out line

	if ! tracer_start "$t" "$out" 60; then
		UNAVAIL[$t]=$TR_FAIL
		log "startup: $t unavailable: $TR_FAIL"
		return 0
	fi
	# "... via BACKEND ..." (--drop); else what the start line says.
	line=$(grep -m1 -o 'via [a-z_-]*' "$TR_ERR" || true)
	if [ -n "$line" ]; then
		BACKEND[$t]=${line#via }
	else
		line=$(grep -m1 'Ctrl-C to stop' "$TR_ERR" || true)
		line=${line#nettrace: }
		line=${line%; Ctrl-C to stop}
		BACKEND[$t]=${line//|//}
	fi
	tracer_stop
	echo "$t,$rep,$TR_READY_S,$TR_STOP_S,$TR_RC" >>"$CSV"
	rm -f "$out" "$out.err"
}

col() {
	awk -F, -v t="$1" -v f="$2" '$1 == t { print $f }' "$CSV"
}

# range T FIELD: "min-max" of one column.
range() {
	col "$1" "$2" | sort -g | sed -n '1p;$p' | awk '{ printf "%s%.3f", (NR > 1 ? "-" : ""), $1 }'
}

write_section() {
	local t table label backend

	table="| tracer | what | backend | runs | to ready, median (s) | range (s) | SIGINT to exit, median (s) |"$'\n'
	table+="| --- | --- | --- | --- | --- | --- | --- |"$'\n'
	for t in "${TRACERS[@]}"; do
		tracer_def "$t" /dev/null
		label=$TR_LABEL
		backend=${BACKEND[$t]:-}
		case $TR_KIND in
		bpftrace) backend=tracepoint ;;
		perf-*) backend="perf event" ;;
		esac
		if [ -n "${UNAVAIL[$t]:-}" ]; then
			table+="| $label | ${WHAT[$t]} | - | 0 | $(why_unavailable "${UNAVAIL[$t]}") | | |"$'\n'
			continue
		fi
		table+="| $label | ${WHAT[$t]} | ${backend:-?} | $(col "$t" 3 | wc -l) | **$(fmt %.3f "$(median $(col "$t" 3))")** | $(range "$t" 3) | $(fmt %.3f "$(median $(col "$t" 4))") |"$'\n'
	done
	section_write startup <<EOF
## Attach and start-up

Each tracer is launched $REPS times with a filter that matches nothing, and timed from the
launch (bash, just before the fork) to its ready signal: nettrace's start line on stderr
("... via BACKEND ...; Ctrl-C to stop", written once every program is attached), bpftrace's
BEGIN probe (run once its probes are attached), perf record's acknowledgement on its
control fifo (started with its events disabled, then enabled). The files are polled every
5 ms. Then SIGINT, and the time until the process has exited. On this host the drop monitor
attaches through tp_btf (raw_tp is its fallback, taken automatically when tp_btf cannot
attach; there is no option to force it). The lifecycle mode's default catalog and
--all-funcs take whatever backends this host has (the backend column is their start line):
the other backends are timed in the qemu guests (next section).

$table
Raw data: bench/out/startup.csv (tracer, repetition, seconds to ready, seconds to exit,
exit status).
EOF
}

main() {
	local rep t

	bench_init
	bench_prepare
	netns_setup
	tracefs_mount || log "startup: cannot mount tracefs: the peers will fail"
	CSV=$OUT_DIR/startup.csv
	echo "tracer,rep,ready_seconds,stop_seconds,exit_status" >"$CSV"
	for ((rep = 1; rep <= REPS; rep++)); do
		log "startup: repetition $rep/$REPS"
		for t in "${TRACERS[@]}"; do
			[ -n "${UNAVAIL[$t]:-}" ] && continue
			run_one "$t" "$rep"
		done
	done
	write_section
}

main "$@"
