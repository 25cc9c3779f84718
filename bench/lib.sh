# shellcheck shell=bash
# Common parts of the benchmarks: sourced by run.sh and by each bench/*.sh.
#
# Everything a benchmark creates is registered here and removed by the EXIT
# trap, also on failure or Ctrl-C: the processes it started (by PID), the
# network namespaces it created (named ntb-<pid>-*), the sysctls it changed,
# tracefs if it mounted it, and its scratch directory under /tmp.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
NT=${NETTRACE:-$ROOT/nettrace}
# Raw data and the per-benchmark sections (git-ignored).
OUT_DIR=${BENCH_OUT:-$BENCH_DIR/out}
SECTIONS_DIR=$OUT_DIR/sections
UDPFLOOD=$OUT_DIR/udpflood

# Tunables (environment): repetitions and packets per run.
REPS=${BENCH_REPS:-5}
PACKETS=${BENCH_PACKETS:-200000}

# The traffic: a sender namespace and a receiver namespace joined by a veth
# pair, 10.250.0.1 -> 10.250.0.2, UDP to a port nothing listens on (the
# receiver drops every datagram with NO_SOCKET). NOPORT gets no traffic: a
# filter on it matches nothing.
PREFIX="ntb-$$-"
NS_TX=${PREFIX}tx
NS_RX=${PREFIX}rx
TX_ADDR=10.250.0.1
RX_ADDR=10.250.0.2
SPORT=40000
PORT=9
NOPORT=7
RX_NETNS=/run/netns/$NS_RX
RX_INUM=

CLEANUP_PIDS=()
CLEANUP_NS=()
CLEANUP_SYSCTLS=()
UMOUNT_TRACEFS=0
WORK=

log() {
	printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2
}

die() {
	log "error: $*"
	exit 1
}

cleanup() {
	local pid ns kv i

	set +e
	for pid in "${CLEANUP_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null || continue
		kill -TERM "$pid" 2>/dev/null
		for i in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ns in "${CLEANUP_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for kv in "${CLEANUP_SYSCTLS[@]}"; do
		sysctl -qw "$kv" >/dev/null 2>&1
	done
	if [ "$UMOUNT_TRACEFS" = 1 ]; then
		umount /sys/kernel/tracing 2>/dev/null
	fi
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		rm -rf "$WORK"
	fi
}

# Sets up the scratch directory and the cleanup traps (a signal becomes an
# exit, so that the EXIT trap runs).
bench_init() {
	[ "$(id -u)" = 0 ] || die "the benchmarks need root (BPF, namespaces)"
	WORK=$(mktemp -d /tmp/ntb-$$-XXXXXX)
	trap cleanup EXIT
	trap 'log "interrupted"; exit 130' INT
	trap 'log "terminated"; exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
	mkdir -p "$OUT_DIR" "$SECTIONS_DIR"
	mkfifo "$WORK/nap"
	exec {NAP_FD}<>"$WORK/nap"
}

# A sleep that forks nothing: for polling loops.
nap() {
	read -r -t "$1" -u "$NAP_FD" _ || true
}

# Registers a process to be ended by the EXIT trap.
track_pid() {
	CLEANUP_PIDS+=("$1")
}

# Sets a sysctl, restoring the old value on exit.
sysctl_set() {
	local key=$1 val=$2 old

	old=$(sysctl -n "$key")
	CLEANUP_SYSCTLS=("$key=$old" "${CLEANUP_SYSCTLS[@]}")
	sysctl -qw "$key=$val"
}

# bpftrace and perf need tracefs for tracepoints; mounted only if missing.
tracefs_mount() {
	[ -d /sys/kernel/tracing/events ] && return 0
	mount -t tracefs nodev /sys/kernel/tracing || return 1
	UMOUNT_TRACEFS=1
}

# Command -> Debian package for what the benchmarks use.
declare -A DEB_OF=(
	[ip]=iproute2 [nstat]=iproute2 [bpftool]=bpftool [jq]=jq [gcc]=gcc
	[taskset]=util-linux [bpftrace]=bpftrace [perf]=linux-perf
)

# Installs the Debian packages of missing commands (best effort).
ensure_tools() {
	local cmd pkgs=()

	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 || pkgs+=("${DEB_OF[$cmd]:-$cmd}")
	done
	[ ${#pkgs[@]} -eq 0 ] && return 0
	log "installing ${pkgs[*]} (apt-get)"
	apt-get update -qq >&2 || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${pkgs[@]}" >&2 || log "apt-get install ${pkgs[*]} failed"
}

# The essential tools, nettrace itself and the sender.
bench_prepare() {
	ensure_tools ip nstat bpftool jq gcc taskset bpftrace perf
	for cmd in ip nstat bpftool jq gcc; do
		command -v "$cmd" >/dev/null 2>&1 || die "$cmd is missing"
	done
	[ -x "$NT" ] || die "$NT is missing: run 'make nettrace' first"
	if [ ! -x "$UDPFLOOD" ] || [ "$BENCH_DIR/udpflood.c" -nt "$UDPFLOOD" ]; then
		log "building udpflood"
		gcc -O2 -Wall -Wextra -Werror -o "$UDPFLOOD" "$BENCH_DIR/udpflood.c"
	fi
}

# Creates the two namespaces and the veth pair between them.
netns_setup() {
	ip netns add "$NS_TX"
	CLEANUP_NS+=("$NS_TX")
	ip netns add "$NS_RX"
	CLEANUP_NS+=("$NS_RX")
	ip -n "$NS_TX" link add veth-tx type veth peer name veth-rx netns "$NS_RX"
	ip -n "$NS_TX" addr add "$TX_ADDR/24" dev veth-tx
	ip -n "$NS_RX" addr add "$RX_ADDR/24" dev veth-rx
	ip -n "$NS_TX" link set lo up
	ip -n "$NS_RX" link set lo up
	ip -n "$NS_TX" link set veth-tx up
	ip -n "$NS_RX" link set veth-rx up
	RX_INUM=$(stat -Lc %i "$RX_NETNS")
	# Warm up ARP and the route caches.
	ip netns exec "$NS_TX" "$UDPFLOOD" -s "$TX_ADDR" -d "$RX_ADDR:$PORT" -n 1000 >/dev/null
}

# The receiver's count of datagrams to closed ports (the kernel's own tally).
udp_noports() {
	ip netns exec "$NS_RX" nstat -az UdpNoPorts | awk '$1 == "UdpNoPorts" { print $2 }'
}

# flood PATH COUNT [RATE]: sends COUNT datagrams to the closed port.
# PATH veth: from the sender namespace over the veth pair;
# PATH lo: inside the receiver namespace over its loopback.
# Sets FLOOD_SENT, FLOOD_ERRORS, FLOOD_ELAPSED, FLOOD_PPS, FLOOD_CPU.
flood() {
	local path=$1 count=$2 rate=${3:-0} line args=()

	case $path in
	veth) args=("$NS_TX" "$UDPFLOOD" -s "$TX_ADDR:$SPORT" -d "$RX_ADDR:$PORT") ;;
	lo) args=("$NS_RX" "$UDPFLOOD" -s "127.0.0.1:$SPORT" -d "127.0.0.1:$PORT") ;;
	*) die "flood: unknown path $path" ;;
	esac
	[ "$rate" != 0 ] && args+=(-r "$rate")
	line=$(ip netns exec "${args[@]}" -n "$count")
	FLOOD_SENT=$(kv_get sent "$line")
	FLOOD_ERRORS=$(kv_get errors "$line")
	FLOOD_ELAPSED=$(kv_get elapsed "$line")
	FLOOD_PPS=$(kv_get pps "$line")
	FLOOD_CPU=$(kv_get cpu "$line")
}

# kv_get KEY "k=v k=v": the value of KEY.
kv_get() {
	local w

	for w in $2; do
		[ "${w%%=*}" = "$1" ] && { printf '%s\n' "${w#*=}"; return 0; }
	done
	return 1
}

# Whether FILE has a line containing TEXT (no fork).
file_has() {
	local line

	[ -f "$2" ] || return 1
	while IFS= read -r line; do
		[[ $line == *"$1"* ]] && return 0
	done <"$2"
	return 1
}

# Waits until FILE stops growing (STABLE seconds), at most MAX seconds.
wait_stable() {
	local f=$1 stable=${2:-0.3} max=${3:-30} last=-1 size t0 since

	t0=$EPOCHREALTIME
	since=$t0
	while :; do
		size=$(stat -c %s "$f" 2>/dev/null || echo 0)
		if [ "$size" != "$last" ]; then
			last=$size
			since=$EPOCHREALTIME
		elif fgt "$(fsub "$EPOCHREALTIME" "$since")" "$stable"; then
			STABLE_AT=$since
			return 0
		fi
		if fgt "$(fsub "$EPOCHREALTIME" "$t0")" "$max"; then
			STABLE_AT=$since
			return 1
		fi
		nap 0.05
	done
}

# Float helpers (awk).
fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", a - b }'; }
fgt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
fdiv() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { if (b == 0) print "n/a"; else printf f "\n", a / b }'; }

# met_le LIMIT VALUE...: yes if every value is <= LIMIT, no if one is above,
# n/a if one is missing.
met_le() {
	local limit=$1 v

	shift
	for v in "$@"; do
		[[ $v =~ ^[0-9.]+$ ]] || { echo "n/a"; return; }
	done
	for v in "$@"; do
		fgt "$v" "$limit" && { echo "no"; return; }
	done
	echo "yes"
}

# fmt FORMAT VALUE: printf for numbers, "n/a" kept.
fmt() {
	[[ $2 =~ ^-?[0-9.e+-]+$ ]] || { echo "$2"; return; }
	awk -v f="$1" -v v="$2" 'BEGIN { printf f "\n", v }'
}

# median N...: the median of the numbers given.
median() {
	[ $# -eq 0 ] && { echo "n/a"; return; }
	printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
		END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# The port in network byte order, as a little-endian u16 reads it.
port_be() {
	echo $(((($1 & 0xff) << 8) | ($1 >> 8)))
}

# The tracers: nettrace command lines (one per mode, so that modes can be
# added) and the peers doing the same job. tracer_def ID OUT sets
#   TR_LABEL  what it is, for the tables
#   TR_READY  how to know it is attached: stderr:TEXT, stdout:TEXT, perfctl, canary
#   TR_CMD    the command (an array); OUT is its output file where it takes one
#   TR_KIND   nettrace, bpftrace, perf-record, perf-trace
tracer_def() {
	local id=${1%@*} out=$2 buf=

	[[ $1 == *@* ]] && buf=${1#*@}
	TR_READY="stderr:Ctrl-C to stop"
	TR_KIND=nettrace
	case $id in
	nt-drop-miss)
		TR_LABEL="nettrace --drop, filter matches nothing"
		TR_CMD=("$NT" --drop --netns "$RX_NETNS" -p udp --dport "$NOPORT") ;;
	nt-drop-all)
		TR_LABEL="nettrace --drop, filter matches every packet"
		TR_CMD=("$NT" --drop --netns "$RX_NETNS" -p udp --dport "$PORT") ;;
	nt-life-miss)
		TR_LABEL="nettrace (lifecycle), filter matches nothing"
		TR_CMD=("$NT" --netns "$RX_NETNS" -p udp --dport "$NOPORT") ;;
	nt-life-all)
		TR_LABEL="nettrace (lifecycle), filter matches every packet"
		TR_CMD=("$NT" --netns "$RX_NETNS" -p udp --dport "$PORT") ;;
	nt-life-allfuncs)
		TR_LABEL="nettrace --all-funcs (lifecycle)"
		TR_CMD=("$NT" --all-funcs --netns "$RX_NETNS" -p udp --dport "$NOPORT") ;;
	nt-mon-all)
		TR_LABEL="nettrace --monitor, filter matches every packet"
		TR_CMD=("$NT" --monitor --netns "$RX_NETNS" -p udp --dport "$PORT") ;;
	nt-mon-every)
		TR_LABEL="nettrace --monitor, no filter (every drop of the machine)"
		TR_CMD=("$NT" --monitor) ;;
	bt-drop-miss)
		TR_KIND=bpftrace
		TR_LABEL="bpftrace kfree_skb script, filter matches nothing"
		TR_READY="stdout:ready"
		TR_CMD=(bpftrace "$BENCH_DIR/drop.bt" "$RX_INUM" "$(port_be "$NOPORT")" "$NOPORT") ;;
	bt-drop-all)
		TR_KIND=bpftrace
		TR_LABEL="bpftrace kfree_skb script, filter matches every packet"
		TR_READY="stdout:ready"
		TR_CMD=(bpftrace "$BENCH_DIR/drop.bt" "$RX_INUM" "$(port_be "$PORT")" "$PORT") ;;
	bt-empty)
		TR_KIND=bpftrace
		TR_LABEL="bpftrace, empty program on skb:kfree_skb (measurement floor)"
		TR_READY="stdout:ready"
		TR_CMD=(bpftrace -e 'BEGIN { printf("ready\n"); } tracepoint:skb:kfree_skb { }') ;;
	perf-record)
		TR_KIND=perf-record
		TR_LABEL="perf record -e skb:kfree_skb -a (no port filter)"
		TR_READY=perfctl
		TR_CMD=(perf record -e skb:kfree_skb -a -o "$out" --delay=-1
			--control="fifo:$WORK/perf.ctl,$WORK/perf.ack") ;;
	perf-trace)
		TR_KIND=perf-trace
		TR_LABEL="perf trace -e skb:kfree_skb -a (no port filter)"
		TR_READY=canary
		TR_CMD=(perf trace --no-syscalls -e skb:kfree_skb -a -o "$out") ;;
	*)
		die "unknown tracer $id" ;;
	esac
	# ID@KB: nettrace with --buffer-size KB.
	if [ -n "$buf" ]; then
		TR_CMD=("${TR_CMD[0]}" --buffer-size "$buf" "${TR_CMD[@]:1}")
		TR_LABEL="$TR_LABEL, --buffer-size $buf"
	fi
}

# tracer_start ID OUT: starts a tracer (stdout to OUT, stderr to OUT.err) and
# waits until it is attached. Sets TR_PID, TR_START (EPOCHREALTIME at launch)
# and TR_READY_S (seconds to ready). Returns 1 if it died or did not get ready
# in time, with its last words in TR_FAIL.
tracer_start() {
	local id=$1 out=$2 timeout=${3:-30} t0 ctl ack

	tracer_def "$id" "$out"
	TR_ID=$id
	TR_OUT=$out
	TR_ERR=$out.err
	TR_FAIL=
	: >"$TR_ERR"
	if [ "$TR_READY" = perfctl ]; then
		rm -f "$WORK/perf.ctl" "$WORK/perf.ack"
		mkfifo "$WORK/perf.ctl" "$WORK/perf.ack"
		exec {ctl}<>"$WORK/perf.ctl" {ack}<>"$WORK/perf.ack"
	fi
	t0=$EPOCHREALTIME
	TR_START=$t0
	if [ "$TR_KIND" = perf-trace ]; then
		"${TR_CMD[@]}" >/dev/null 2>"$TR_ERR" &
	else
		"${TR_CMD[@]}" >"$out" 2>"$TR_ERR" &
	fi
	TR_PID=$!
	track_pid "$TR_PID"

	case $TR_READY in
	perfctl)
		echo enable >&"$ctl"
		if ! read -r -t "$timeout" -u "$ack" _; then
			TR_FAIL="no ack from perf's control fifo"
		fi
		exec {ctl}>&- {ack}>&-
		;;
	*)
		while :; do
			case $TR_READY in
			stderr:*) file_has "${TR_READY#stderr:}" "$TR_ERR" && break ;;
			stdout:*) file_has "${TR_READY#stdout:}" "$out" && break ;;
			canary)
				file_has "udpflood/" "$out" && break
				ip netns exec "$NS_TX" "$UDPFLOOD" -s "$TX_ADDR:$SPORT" \
					-d "$RX_ADDR:$PORT" -n 1 >/dev/null
				;;
			esac
			if ! kill -0 "$TR_PID" 2>/dev/null; then
				TR_FAIL="exited before it was ready"
				break
			fi
			if fgt "$(fsub "$EPOCHREALTIME" "$t0")" "$timeout"; then
				TR_FAIL="not ready after ${timeout}s"
				break
			fi
			nap 0.005
		done
		;;
	esac
	TR_READY_S=$(fsub "$EPOCHREALTIME" "$t0")
	if [ -n "$TR_FAIL" ]; then
		tracer_stop >/dev/null 2>&1 || true
		TR_FAIL="$TR_FAIL: $(tracer_last_words)"
		return 1
	fi
	return 0
}

# The tracer's last meaningful stderr line (for failures).
tracer_last_words() {
	{ grep -v -e RLIMIT_MEMLOCK -e '^$' "$TR_ERR" 2>/dev/null || true; } | tail -n 1 | cut -c1-200
}

# why_unavailable MSG: "not available yet (...)" for a nettrace mode that is
# not built yet, "failed here: ..." for anything else. Table-safe.
why_unavailable() {
	local msg=${1//|//}

	msg=${msg#exited before it was ready: }
	case $msg in
	*"not built yet"*) echo "not available yet ($msg)" ;;
	*) echo "failed here: $msg" ;;
	esac
}

# Stops the tracer (SIGINT, then SIGKILL after 30 s) and reads what it says
# it did: TR_EVENTS delivered, TR_LOST lost (as the tracer counts them), and
# TR_RC its exit status, TR_STOP_S the seconds from SIGINT to its exit.
tracer_stop() {
	local i t0=$EPOCHREALTIME

	kill -INT "$TR_PID" 2>/dev/null || true
	for ((i = 0; i < 3000; i++)); do
		kill -0 "$TR_PID" 2>/dev/null || break
		nap 0.01
	done
	kill -KILL "$TR_PID" 2>/dev/null || true
	TR_RC=0
	wait "$TR_PID" 2>/dev/null || TR_RC=$?
	TR_STOP_S=$(fsub "$EPOCHREALTIME" "$t0")
	tracer_counts
}

tracer_counts() {
	local line

	TR_EVENTS=n/a
	TR_LOST=n/a
	case $TR_KIND in
	nettrace)
		# "N events, M events lost" (--drop), "N packets, M events lost" (lifecycle)
		line=$(grep -E '^nettrace: [0-9]+ [a-z]+, [0-9]+ events lost' "$TR_ERR" | tail -n 1 || true)
		if [ -n "$line" ]; then
			TR_EVENTS=$(echo "$line" | awk '{ print $2 }')
			TR_LOST=$(echo "$line" | awk '{ print $4 }')
		fi
		;;
	bpftrace)
		TR_EVENTS=$(event_lines "$TR_OUT")
		TR_LOST=$(awk '/^Lost [0-9]+ events/ { n += $2 } END { print n + 0 }' "$TR_OUT")
		;;
	perf-record)
		TR_EVENTS=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' "$TR_ERR" | tail -n 1)
		TR_LOST=$(awk '/lost [0-9]+ chunks/ { for (i = 1; i <= NF; i++) if ($i == "lost") n += $(i + 1) }
			END { print n + 0 }' "$TR_ERR")
		;;
	perf-trace)
		TR_EVENTS=$(grep -c 'skb:kfree_skb' "$TR_OUT" || true)
		TR_LOST=$(awk '/LOST [0-9]+ events/ { for (i = 1; i <= NF; i++) if ($i == "LOST") n += $(i + 1) }
			END { print n + 0 }' "$TR_OUT")
		;;
	esac
}

# How many BPF programs that hook packets or tracepoints are loaded on the
# machine (tracing, tracepoints, kprobes, tc, xdp, netfilter).
bpf_hook_progs() {
	bpftool prog show -j 2>/dev/null |
		jq '[.[] | select(.type | tostring | test("tracing|tracepoint|kprobe|perf_event|netfilter|sched_cls|xdp|^32$"))] | length' ||
		echo "?"
}

# The event lines in a tracer's output (nettrace's and bench/drop.bt's).
event_lines() {
	grep -c -- ' -> ' "$1" || true
}

# The BPF program ids a process holds (from its fds' fdinfo).
prog_ids_of() {
	local f

	for f in /proc/"$1"/fdinfo/*; do
		awk '$1 == "prog_id:" { print $2 }' "$f" 2>/dev/null
	done | sort -un
}

# Per-tracer time budget: a tracer that has had MIN_REPS repetitions and used
# more than TRACER_BUDGET seconds is left out of the next ones, so that a slow
# mode (long start-up, long exit) cannot stretch the whole run. The tables say
# how many runs each tracer had.
MIN_REPS=${BENCH_MIN_REPS:-3}
TRACER_BUDGET=${BENCH_TRACER_BUDGET:-40}
declare -A TIME_USED=()

# over_budget KEY REP: whether KEY (a tracer, or path:tracer) is out of time.
over_budget() {
	[ "$2" -gt "$MIN_REPS" ] || return 1
	fgt "${TIME_USED[$1]:-0}" "$TRACER_BUDGET"
}

# charge KEY T0: adds the seconds since T0 (an EPOCHREALTIME) to KEY.
charge() {
	TIME_USED[$1]=$(awk -v a="${TIME_USED[$1]:-0}" -v t0="$2" -v t1="$EPOCHREALTIME" \
		'BEGIN { printf "%.3f", a + t1 - t0 }')
}

# Writes a benchmark's section of RESULTS.md (stdin) as SECTIONS_DIR/NAME.md.
section_write() {
	cat >"$SECTIONS_DIR/$1.md"
}

# The targets table: each benchmark writes its rows to its own part file.
targets_reset() {
	: >"$SECTIONS_DIR/targets-$1.part"
}

# target_row BENCH TARGET MEASURED MET: adds a row to the targets table.
target_row() {
	printf '| %s | %s | %s |\n' "$2" "$3" "$4" >>"$SECTIONS_DIR/targets-$1.part"
}
