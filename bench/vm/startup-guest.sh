#!/bin/bash
# Start-up of nettrace per backend, inside a qemu guest (run by bench/vmstartup.sh
# through tests/vm/run.sh, which boots the guest and runs this file in place of
# the e2e runner).
#
# For each tracer: launch, poll stderr for the start line ("...; Ctrl-C to
# stop"), SIGINT, wait for the exit. One line per run on the console:
#
#   ntbench|ID|REP|SECONDS_TO_READY|SECONDS_TO_EXIT|EXIT_STATUS|START_LINE
#
# A tracer that does not start prints "ntbench|ID|REP|fail||RC|LAST_WORDS" and
# gets no more runs. Ends with "PASS vm-startup" (the runner needs one line to
# count the guest as finished), whatever the figures were: this is a benchmark.
set -u

NT=${NETTRACE:-/bin/nettrace}
# Arguments (after the binary on tests/vm/run.sh's command line): runs per
# tracer, a time budget in seconds, then the tracers to run (default: all of
# TRACERS). The first round always runs whole; another round starts only if
# it is expected (from the first) to end within the budget.
REPS=${1:-2}
BUDGET=${2:-300}
TIMEOUT=240 # seconds to wait for a start line
STOP_LIMIT=120 # seconds from SIGINT after which nettrace is killed
# A filter that matches nothing: no events, only attach and detach.
FILTER=(-p udp --dport 7)
# Functions --all-funcs= keeps: about 90 of the IPv4, UDP and device paths, so
# that each backend attaches the same list in a time TCG can afford.
ALLRE='^(ip_|udp_|dev_)'

TRACERS=(drop
	catalog-fentry catalog-kprobe-multi catalog-kprobe catalog-tracepoint
	funcs-fentry funcs-kprobe-multi funcs-kprobe allfuncs-kprobe-multi)
# Run once only: every function taking an sk_buff (about 2300).
declare -A ONCE=([allfuncs-kprobe-multi]=1)

cmd_of() { # ID -> CMD array
	local id=$1

	case $id in
	drop) CMD=("$NT" --drop "${FILTER[@]}") ;;
	catalog-*) CMD=("$NT" --backend "${id#catalog-}" "${FILTER[@]}") ;;
	funcs-*) CMD=("$NT" --all-funcs="$ALLRE" -t all-funcs --backend "${id#funcs-}" "${FILTER[@]}") ;;
	allfuncs-*) CMD=("$NT" --all-funcs --backend "${id#allfuncs-}" "${FILTER[@]}") ;;
	esac
}

mkfifo /tmp/ntb-nap
exec {NAP}<>/tmp/ntb-nap
nap() { read -r -t "$1" -u "$NAP" _ || true; }

# Seconds (6 decimals) between two EPOCHREALTIME values.
since() { awk -v a="$EPOCHREALTIME" -v b="$1" 'BEGIN { printf "%.6f", a - b }'; }

has_line() { # TEXT FILE
	local l
	while IFS= read -r l; do
		[[ $l == *"$1"* ]] && return 0
	done <"$2"
	return 1
}

run_one() { # ID REP -> 0 ok, 1 did not start
	local id=$1 rep=$2 err=/tmp/ntb.err t0 ready pid rc start dog took

	cmd_of "$id"
	: >"$err"
	t0=$EPOCHREALTIME
	"${CMD[@]}" >/dev/null 2>"$err" &
	pid=$!
	ready=
	while :; do
		if has_line 'Ctrl-C to stop' "$err"; then
			ready=$(since "$t0")
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		[ "${t0%.*}" -lt $((${EPOCHREALTIME%.*} - TIMEOUT)) ] && break
		nap 0.005
	done
	start=$(grep -m1 'Ctrl-C to stop' "$err" | sed 's/^nettrace: //; s/; Ctrl-C to stop$//; s/|/\//g')
	t0=$EPOCHREALTIME
	kill -INT "$pid" 2>/dev/null
	# wait returns the moment nettrace exits; a watchdog kills it after
	# STOP_LIMIT (rc 137). Polling kill -0 instead saw a zombie bash had not
	# reaped as alive: exits of 0.2 s were timed at 77 s.
	(
		nap "$STOP_LIMIT"
		kill -KILL "$pid" 2>/dev/null
	) &
	dog=$!
	rc=0
	wait "$pid" 2>/dev/null || rc=$?
	took=$(since "$t0")
	kill "$dog" 2>/dev/null
	wait "$dog" 2>/dev/null
	if [ -z "$ready" ]; then
		echo "ntbench|$id|$rep|fail||$rc|$(grep -v '^$' "$err" | tail -n 1 | cut -c1-200 | tr '|' '/')"
		return 1
	fi
	echo "ntbench|$id|$rep|$ready|$took|$rc|$start"
	return 0
}

main() {
	local rep id t0=${EPOCHREALTIME%.*} round=0 rstart
	declare -A failed=()

	shift 2 2>/dev/null || shift $#
	[ $# -gt 0 ] && TRACERS=("$@")
	echo "ntbench-info|$(uname -r)|$(nproc) cpus|reps $REPS"
	for ((rep = 1; rep <= REPS; rep++)); do
		if [ "$rep" -gt 1 ] && [ $((${EPOCHREALTIME%.*} - t0 + round)) -gt "$BUDGET" ]; then
			echo "ntbench-info|stopped: $((rep - 1)) of $REPS rounds run, another would end after ${BUDGET}s"
			break
		fi
		rstart=${EPOCHREALTIME%.*}
		for id in "${TRACERS[@]}"; do
			[ -n "${failed[$id]:-}" ] && continue
			[ -n "${ONCE[$id]:-}" ] && [ "$rep" -gt 1 ] && continue
			run_one "$id" "$rep" || failed[$id]=1
		done
		[ "$rep" -eq 1 ] && round=$((${EPOCHREALTIME%.*} - rstart))
	done
	echo "PASS vm-startup"
	return 0
}

main "$@"
