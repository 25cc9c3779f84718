// SPDX-License-Identifier: GPL-2.0
/*
 * Drop monitor: one event per packet freed through skb:kfree_skb, with the
 * drop reason (when the kernel passes one) and the freeing location.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "filter.bpf.h"
#include "emit.bpf.h"

/* Set by the user side from the running kernel's BTF. */
const volatile bool has_reason = false;    /* kfree_skb passes a reason */
const volatile __u32 reason_consumed = 1;  /* SKB_CONSUMED: not a drop */
const volatile bool want_stack = false;

#define DROP_PROBE 0

/*
 * ctx: skb, location[, reason[, rx_sk]] (reason since v5.17, 'c504e5c2f964').
 * btf: the skb is a BTF pointer (tp_btf), its fields load directly (NT_READ),
 * and its socket is at hand for a socket section.
 */
static __always_inline int on_kfree_skb(__u64 *ctx, bool btf)
{
	struct sk_buff *skb = (struct sk_buff *)ctx[0];
	__u64 size = sizeof(struct nt_rec) + sizeof(struct nt_sec_packet) +
		     sizeof(struct nt_sec_drop);
	__u64 off = sizeof(struct nt_rec) + sizeof(struct nt_sec_packet);
	struct nt_sec_stack *st;
	struct nt_sec_drop *drop;
	struct pkt p = {};
	struct nt_rec *r;
	__u64 want_sock;
	__u32 reason = 0;

	if (has_reason) {
		reason = (__u32)ctx[2];
		if (reason == reason_consumed)
			return 0;
	}
	if (!task_match())
		return 0;
	pkt_init(&p, skb, btf);
	if (!pkt_match(&p, btf))
		return 0;

	/* Sections in this order: packet, drop, stack, socket (the one known only now). */
	if (want_stack)
		size += sizeof(struct nt_sec_stack);
	want_sock = NT_FLAG(btf && p.sk);
	if (want_sock)
		size += sizeof(struct nt_sec_sock);
	r = rec_reserve(DROP_PROBE, size);
	if (!r)
		return 0;
	rec_init(r, DROP_PROBE, NT_EV_DROP);
	rec_task(r);
	fill_rec(r, &p, btf);
	put_packet(REC_SEC(r, sizeof(*r), struct nt_sec_packet, NT_SEC_PACKET), &p, btf);
	drop = REC_SEC(r, off, struct nt_sec_drop, NT_SEC_DROP);
	drop->reason = reason;
	drop->location = ctx[1];
	if (has_reason)
		r->flags |= NT_EV_HAS_REASON;
	off += sizeof(*drop);
	if (want_stack) {
		st = REC_SEC(r, off, struct nt_sec_stack, NT_SEC_STACK);
		st->len = bpf_get_stack(ctx, st->ips, sizeof(st->ips), 0);
		r->flags |= NT_EV_HAS_STACK;
		off += sizeof(*st);
	}
	if (want_sock)
		put_sock(REC_SEC(r, off, struct nt_sec_sock, NT_SEC_SOCK), p.sk, btf);
	r->nsec = 2 + want_stack + want_sock;
	submit_event(r);
	return 0;
}

SEC("tp_btf/kfree_skb")
int drop_tp_btf(__u64 *ctx)
{
	return on_kfree_skb(ctx, true);
}

/* For kernels where tp_btf cannot attach. */
SEC("raw_tp/kfree_skb")
int drop_raw_tp(__u64 *ctx)
{
	return on_kfree_skb(ctx, false);
}

char LICENSE[] SEC("license") = "GPL";
