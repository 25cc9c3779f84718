/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skb:kfree_skb as the drop monitor (drop.bpf.c) and the production monitor
 * (monitor.bpf.c) read it: the drop reason, consumed packets left out, the
 * filter applied; and the drop record both send up.
 */
#ifndef KFREE_SKB_BPF_H
#define KFREE_SKB_BPF_H

#include "filter.bpf.h"
#include "emit.bpf.h"

/* Set by the user side from the running kernel's BTF. */
const volatile bool has_reason = false;	  /* kfree_skb passes a reason */
const volatile __u32 reason_consumed = 1; /* SKB_CONSUMED: not a drop */

/*
 * ctx: skb, location[, reason[, rx_sk]] (reason since v5.17, 'c504e5c2f964').
 * True for a drop that passes the filter: @p is then set up and parsed, and
 * *@reason is the drop reason (0 when the kernel passes none).
 */
static __always_inline bool kfree_skb_match(__u64 *ctx, struct pkt *p, __u32 *reason, bool btf)
{
	*reason = 0;
	if (has_reason) {
		*reason = (__u32)ctx[2];
		if (*reason == reason_consumed)
			return false;
	}
	if (!task_match())
		return false;
	pkt_init(p, (struct sk_buff *)ctx[0], btf);
	return pkt_match(p, btf);
}

/*
 * A drop record (NT_EV_DROP) of a parsed packet, against @probe: the packet,
 * the drop's @location and @reason (with @with_reason), the kernel stack
 * with @stack, and the skb's socket where it is at hand (@btf: p->sk loaded).
 * @with_reason and @stack are constants at every call site.
 */
static __always_inline void emit_drop(void *ctx, struct pkt *p, __u32 probe, __u64 location,
				      __u32 reason, bool with_reason, bool stack, bool btf)
{
	__u64 size = sizeof(struct nt_rec) + sizeof(struct nt_sec_packet) +
		     sizeof(struct nt_sec_drop);
	__u64 off = sizeof(struct nt_rec) + sizeof(struct nt_sec_packet);
	struct nt_sec_stack *st;
	struct nt_sec_drop *drop;
	struct nt_rec *r;
	__u64 want_sock;

	/* Sections in this order: packet, drop, stack, socket (the one known only now). */
	if (stack)
		size += sizeof(struct nt_sec_stack);
	want_sock = NT_FLAG(btf && p->sk);
	if (want_sock)
		size += sizeof(struct nt_sec_sock);
	r = rec_reserve(probe, size);
	if (!r)
		return;
	rec_init(r, probe, NT_EV_DROP);
	rec_task(r);
	fill_rec(r, p, btf);
	put_packet(REC_SEC(r, sizeof(*r), struct nt_sec_packet, NT_SEC_PACKET), p, btf);
	drop = REC_SEC(r, off, struct nt_sec_drop, NT_SEC_DROP);
	drop->reason = with_reason ? reason : 0;
	drop->location = location;
	if (with_reason)
		r->flags |= NT_EV_HAS_REASON;
	off += sizeof(*drop);
	if (stack) {
		st = REC_SEC(r, off, struct nt_sec_stack, NT_SEC_STACK);
		st->len = bpf_get_stack(ctx, st->ips, sizeof(st->ips), 0);
		r->flags |= NT_EV_HAS_STACK;
		off += sizeof(*st);
	}
	if (want_sock)
		put_sock(REC_SEC(r, off, struct nt_sec_sock, NT_SEC_SOCK), p->sk, btf);
	r->nsec = 2 + stack + want_sock;
	submit_event(r);
}

#endif /* KFREE_SKB_BPF_H */
