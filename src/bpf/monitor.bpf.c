// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's kernel half (--monitor): counts drops, TCP resets and
 * retransmissions and socket queue overflows in per-CPU maps, with no ring
 * buffer event per counted packet. A few packets per counter, CPU and second
 * are sent up as samples (for the report lines), so a flood costs a map
 * update per packet and nothing more. Netfilter drops are also counted by
 * their flow's shape, with the stack that tells their hook (src/monitor/).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "kfree_skb.bpf.h"
#include "emit.bpf.h"
#include "record/monitor.h"

/* Set by the user side from the running kernel's BTF. */
const volatile __u32 reason_nf_drop = ~0U;     /* NETFILTER_DROP */
const volatile bool udp_fail_has_skb = false;  /* udp_fail_queue_rcv_skb(rc, sk, skb) */
const volatile __u32 self_tgid = 0;             /* nettrace itself */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, NT_MON_KEYS);
	__type(key, struct nt_mon_key);
	__type(value, struct nt_mon_val);
} nt_mon_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, NT_MON_NF_KEYS);
	__type(key, struct nt_mon_nfkey);
	__type(value, __u64);
} nt_mon_nf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, NT_MON_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, NT_MAX_STACK * sizeof(__u64));
} nt_mon_stacks SEC(".maps");

/* Counts that found their map full, per kind (0: netfilter shapes). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NT_MON_FULL_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} nt_mon_full SEC(".maps");

static __always_inline void count_full(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&nt_mon_full, &slot);

	if (n)
		*n += 1;
}

/*
 * Counts one hit of @k on this CPU. Returns true when it is to be sampled:
 * the first NT_MON_SAMPLES hits of each second, per key and CPU.
 */
static __always_inline bool count(struct nt_mon_key *k)
{
	struct nt_mon_val *v, init = {};
	__u64 now = bpf_ktime_get_ns();

	v = bpf_map_lookup_elem(&nt_mon_counts, k);
	if (!v) {
		init.count = 1;
		init.window = now;
		init.sampled = 1;
		if (!bpf_map_update_elem(&nt_mon_counts, k, &init, BPF_NOEXIST))
			return true;
		/* Created meanwhile by another CPU, or the map is full. */
		v = bpf_map_lookup_elem(&nt_mon_counts, k);
		if (!v) {
			count_full(k->kind);
			return false;
		}
	}
	v->count++;
	if (now - v->window >= 1000000000ULL) {
		v->window = now;
		v->sampled = 0;
	}
	if (v->sampled >= NT_MON_SAMPLES)
		return false;
	v->sampled++;
	return true;
}

static __always_inline void key_fill(struct nt_mon_key *k, struct pkt *p, __u8 kind)
{
	k->kind = kind;
	k->netns = pkt_netns(p, true);
	k->l3proto = p->flow.l3proto;
	k->l4proto = p->flow.l4proto;
	if (p->dev)
		dev_name(k->dev, p->dev, true);
}

/* A sample: the drop monitor's record, with the kind as its probe id. */
static __always_inline void sample(void *ctx, struct pkt *p, __u8 kind, __u64 location,
				   __u32 reason, bool with_reason)
{
	emit_drop(ctx, p, kind, location, reason, with_reason, false, true);
}

/* A netfilter drop, by shape, with the stack its hook is read from. */
static __always_inline void count_nf(void *ctx, struct pkt *p, __u32 netns)
{
	struct nt_mon_nfkey k = {};
	__u64 one = 1, *n;

	__builtin_memcpy(k.saddr, p->flow.saddr, 16);
	__builtin_memcpy(k.daddr, p->flow.daddr, 16);
	k.netns = netns;
	k.l3proto = p->flow.l3proto;
	k.l4proto = p->flow.l4proto;
	k.dport = p->flow.dport;
	k.stackid = bpf_get_stackid(ctx, &nt_mon_stacks, 0);
	n = bpf_map_lookup_elem(&nt_mon_nf, &k);
	if (n)
		*n += 1;
	else if (bpf_map_update_elem(&nt_mon_nf, &k, &one, BPF_NOEXIST))
		count_full(0);
}

SEC("tp_btf/kfree_skb")
int mon_kfree_skb(__u64 *ctx)
{
	struct nt_mon_key k = {};
	struct pkt p = {};
	__u32 reason;

	if (!kfree_skb_match(ctx, &p, &reason, true))
		return 0;
	/* Our own netlink messages (nft traces) purged as their sockets close: not news. */
	if (!p.flow.l3proto && (bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	key_fill(&k, &p, NT_MON_DROP);
	k.location = ctx[1];
	k.reason = reason;
	if (has_reason && reason == reason_nf_drop)
		count_nf(ctx, &p, k.netns);
	if (count(&k))
		sample(ctx, &p, NT_MON_DROP, ctx[1], reason, has_reason);
	return 0;
}

/* The filter on a socket's flow, for an event without an skb (no device: --dev fails). */
static __always_inline bool sk_match(struct pkt *p, struct sock *sk)
{
	if (!sk || (nt_filter.mask & NT_F_DEV))
		return false;
	p->sk = sk;
	if ((nt_filter.mask & NT_F_NETNS) && pkt_netns(p, true) != nt_filter.netns)
		return false;
	parse_sock(&p->flow, sk, true);
	p->flags |= NT_EV_FROM_SK;
	return flow_match(p);
}

/* An event about a socket's packet; @skb may be NULL (then the socket's flow). */
static __always_inline int on_sock_event(void *ctx, struct sock *sk, struct sk_buff *skb,
					 __u8 kind)
{
	struct nt_mon_key k = {};
	struct pkt p = {};

	if (!task_match())
		return 0;
	if (skb) {
		pkt_init(&p, skb, true);
		if (!p.sk)
			p.sk = sk;
		if (!pkt_match(&p, true))
			return 0;
	} else if (!sk_match(&p, sk)) {
		return 0;
	}
	key_fill(&k, &p, kind);
	if (count(&k))
		sample(ctx, &p, kind, 0, 0, false);
	return 0;
}

/* ctx: sk, skb[, reason] */
SEC("tp_btf/tcp_send_reset")
int mon_tcp_reset(__u64 *ctx)
{
	return on_sock_event(ctx, (struct sock *)ctx[0], (struct sk_buff *)ctx[1],
			     NT_MON_TCP_RESET);
}

/* ctx: sk, skb[, err] */
SEC("tp_btf/tcp_retransmit_skb")
int mon_tcp_retrans(__u64 *ctx)
{
	return on_sock_event(ctx, (struct sock *)ctx[0], (struct sk_buff *)ctx[1],
			     NT_MON_TCP_RETRANS);
}

/* ctx: sk, skb */
SEC("tp_btf/sock_rcvqueue_full")
int mon_rcvq_full(__u64 *ctx)
{
	return on_sock_event(ctx, (struct sock *)ctx[0], (struct sk_buff *)ctx[1],
			     NT_MON_SOCK_RCVQ_FULL);
}

/* ctx: rc, sk[, skb] (the skb since v6.4) */
SEC("tp_btf/udp_fail_queue_rcv_skb")
int mon_udp_fail(__u64 *ctx)
{
	struct sk_buff *skb = udp_fail_has_skb ? (struct sk_buff *)ctx[2] : NULL;

	return on_sock_event(ctx, (struct sock *)ctx[1], skb, NT_MON_UDP_QUEUE_FAIL);
}

char LICENSE[] SEC("license") = "GPL";
