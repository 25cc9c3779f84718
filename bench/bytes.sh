#!/bin/bash
# Bytes per event: the size of each kind of record, computed from the structs
# of src/record/wire.h (compiled here, sizeof) and counted in real runs: with
# -v, nettrace's closing lines say how many records of each size it took from
# the ring buffer (src/pipeline/events.c counts them as it reads). A handful
# of packets per run: this measures sizes, not speed.
#
# Alone: bench/bytes.sh (writes bench/out/sections/bytes.md).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

# Router topology: A -- R -- B, R masquerades (conntrack there only).
NS_A=${PREFIX}a
NS_R=${PREFIX}r
NS_B=${PREFIX}b
A_ADDR=10.250.8.1
B_ADDR=10.250.9.1
# Before the records had sections (c3b9809): sizeof(struct nt_event), every
# record, and sizeof(struct nt_stack) after it with --drop-stack.
BEFORE=384
BEFORE_STACK=264

declare -A SIZE=()   # struct -> sizeof
declare -A SEEN=()   # run id -> "ring buffer: ..." line
declare -A RECORDS=() BYTES=() # run id -> records and bytes it read

# SIZE[] from the structs, compiled against the tree.
struct_sizes() {
	local prog=$WORK/sizes

	cat >"$WORK/sizes.c" <<-'EOF'
		#include <stdio.h>
		#include "record/wire.h"
		int main(void)
		{
			printf("rec %zu\npacket %zu\nnf %zu\nct %zu\nsock %zu\ndrop %zu\nret %zu\nstack %zu\n",
			       sizeof(struct nt_rec), sizeof(struct nt_sec_packet),
			       sizeof(struct nt_sec_nf), sizeof(struct nt_sec_ct),
			       sizeof(struct nt_sec_sock), sizeof(struct nt_sec_drop),
			       sizeof(struct nt_sec_ret), sizeof(struct nt_sec_stack));
			return 0;
		}
	EOF
	gcc -I"$ROOT/src" -o "$prog" "$WORK/sizes.c"
	while read -r k v; do
		SIZE[$k]=$v
	done < <("$prog")
}

topology() {
	local ns

	for ns in "$NS_A" "$NS_R" "$NS_B"; do
		ip netns add "$ns"
		CLEANUP_NS+=("$ns")
		ip -n "$ns" link set lo up
	done
	ip -n "$NS_A" link add a0 type veth peer name r0 netns "$NS_R"
	ip -n "$NS_R" link add r1 type veth peer name b0 netns "$NS_B"
	ip -n "$NS_A" addr add "$A_ADDR/24" dev a0
	ip -n "$NS_R" addr add 10.250.8.254/24 dev r0
	ip -n "$NS_R" addr add 10.250.9.254/24 dev r1
	ip -n "$NS_B" addr add "$B_ADDR/24" dev b0
	ip -n "$NS_A" link set a0 up
	ip -n "$NS_R" link set r0 up
	ip -n "$NS_R" link set r1 up
	ip -n "$NS_B" link set b0 up
	ip -n "$NS_A" route add default via 10.250.8.254
	ip -n "$NS_B" route add default via 10.250.9.254
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$NS_R" nft -f - <<-EOF
		table ip ntb_nat {
			chain post {
				type nat hook postrouting priority 100;
				oifname "r1" masquerade
			}
		}
	EOF
	# Warm up ARP, so that the runs see only their own packets.
	ip netns exec "$NS_A" ping -c 1 -W 2 "$B_ADDR" >/dev/null
}

# measure ID WHAT NETTRACE-ARGS...: runs nettrace -v, makes WHAT's packets,
# stops it and keeps its "ring buffer:" line in SEEN[ID].
measure() {
	local id=$1 what=$2 out=$WORK/$1.out i
	shift 2

	"$NT" -v "$@" >"$out" 2>"$out.err" &
	TR_PID=$!
	track_pid "$TR_PID"
	for ((i = 0; i < 3000; i++)); do
		file_has "Ctrl-C to stop" "$out.err" && break
		kill -0 "$TR_PID" 2>/dev/null || die "$id: nettrace exited: $(tail -n 1 "$out.err")"
		nap 0.01
	done
	"$what"
	wait_stable "$out" 0.5 10 || true
	kill -INT "$TR_PID"
	wait "$TR_PID" || die "$id: nettrace failed: $(tail -n 1 "$out.err")"
	SEEN[$id]=$(sed -n 's/^nettrace: ring buffer: //p' "$out.err")
	[ -n "${SEEN[$id]}" ] || die "$id: no ring buffer line: $(tail -n 2 "$out.err")"
	read -r RECORDS[$id] BYTES[$id] < <(echo "${SEEN[$id]}" |
		sed -n 's/^\([0-9]*\) records, \([0-9]*\) bytes.*/\1 \2/p')
	log "$id: ${SEEN[$id]}"
}

# Three UDP datagrams from A to a closed port of B: dropped in B, no socket.
udp_closed() {
	for _ in 1 2 3; do
		ip netns exec "$NS_A" bash -c "echo x >/dev/udp/$B_ADDR/9"
	done
}

# A TCP SYN dropped in A's output by nft: the skb has its socket.
tcp_out_drop() {
	ip netns exec "$NS_A" nft add table inet ntb_out
	ip netns exec "$NS_A" nft add chain inet ntb_out out '{ type filter hook output priority 0; }'
	ip netns exec "$NS_A" nft add rule inet ntb_out out tcp dport 9 drop
	ip netns exec "$NS_A" timeout 2 bash -c "echo x >/dev/tcp/$B_ADDR/9" 2>/dev/null || true
	ip netns exec "$NS_A" nft delete table inet ntb_out
}

# One ping from A to B through R's masquerade, and a datagram to a closed port of B.
ping_nat() {
	ip netns exec "$NS_A" ping -c 1 -W 2 "$B_ADDR" >/dev/null
	ip netns exec "$NS_A" bash -c "echo x >/dev/udp/$B_ADDR/9"
}

row() {
	printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"
}

# run_row ID WHAT [EXTRA]: a run's records and bytes, and the same records at
# the old size (EXTRA more each), ring buffer headers included.
run_row() {
	printf '| %s | %s | %s | %s |\n' "$2" "${RECORDS[$1]}" "${BYTES[$1]}" \
		"$((RECORDS[$1] * (BEFORE + ${3:-0} + 8)))"
}

main() {
	local r p d s st nf ct rv

	bench_init
	struct_sizes
	r=${SIZE[rec]} p=${SIZE[packet]} d=${SIZE[drop]} s=${SIZE[sock]}
	st=${SIZE[stack]} nf=${SIZE[nf]} ct=${SIZE[ct]} rv=${SIZE[ret]}
	topology
	measure drop udp_closed --drop -p udp --dport 9 -d "$B_ADDR"
	measure drop-sock tcp_out_drop --drop -p tcp --dport 9 -d "$B_ADDR"
	measure drop-stack udp_closed --drop --drop-stack -p udp --dport 9 -d "$B_ADDR"
	measure life ping_nat --saddr "$A_ADDR"

	section_write bytes <<-EOF
		## Bytes per event

		What one event costs in the ring buffer. Before, every event was one fixed
		struct of $BEFORE bytes ($((BEFORE + BEFORE_STACK)) with the stack of --drop-stack), 136 of them
		netfilter-only, with 96 bytes of packet from the network header. Now a record is a
		header of $r bytes and the sections it has (src/record/wire.h): packet $p (up to 128
		bytes from the link-layer header), drop $d, return value $rv, socket $s (drop
		monitor via tp_btf), netfilter hook $nf, conntrack $ct (only with an entry), stack $st.
		The ring buffer adds an 8-byte header to each record.

		"From the structs" is sizeof of those structs, compiled from this tree. "Counted" is
		what nettrace -v said it read, in these runs on this host (tp_btf, netfilter links):
		three UDP datagrams to a closed port (--drop, and --drop --drop-stack), a TCP SYN
		dropped by an nft output rule, and its retransmission (the skb has its socket), and
		one ping from A to B
		through a router R that masquerades, then a datagram to a closed port of B (lifecycle
		mode: tracepoints, hook observers in A and B without conntrack, in R with it). fexit
		and kretprobe records, which carry a return value, are not made on this host.

		| event | before (bytes) | after, from the structs | counted here |
		| --- | --- | --- | --- |
		$(row "drop, no socket" "$BEFORE" "$((r + p + d))" "${SEEN[drop]}")
		$(row "drop, with its socket" "$BEFORE" "$((r + p + d + s))" "${SEEN[drop-sock]}")
		$(row "drop with --drop-stack" "$((BEFORE + BEFORE_STACK))" "$((r + p + d + st)) ($((r + p + d + st + s)) with a socket)" "${SEEN[drop-stack]}")
		$(row "lifecycle: a probe's event" "$BEFORE" "$((r + p))" "")
		$(row "lifecycle: with a drop reason (skb:kfree_skb) or a return value (fexit)" "$BEFORE" "$((r + p + d)), $((r + p + rv))" "")
		$(row "lifecycle: netfilter hook, no conntrack entry" "$BEFORE" "$((r + p + nf))" "")
		$(row "lifecycle: netfilter hook, with conntrack" "$BEFORE" "$((r + p + nf + ct))" "")
		$(row "lifecycle run: a ping and a datagram through the masquerade" "" "" "${SEEN[life]}")

		The runs in all, with the ring buffer's 8-byte record headers:

		| run | records | bytes read | the same records before |
		| --- | --- | --- | --- |
		$(run_row drop "--drop, UDP to a closed port")
		$(run_row drop-sock "--drop, TCP SYN dropped in output")
		$(run_row drop-stack "--drop --drop-stack, UDP to a closed port" "$BEFORE_STACK")
		$(run_row life "lifecycle, a ping and a datagram through the masquerade")
	EOF
}

main "$@"
