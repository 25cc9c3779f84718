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
 * btf: the skb is a BTF pointer (tp_btf), its fields load directly (NT_READ).
 */
static __always_inline int on_kfree_skb(__u64 *ctx, bool btf)
{
	struct sk_buff *skb = (struct sk_buff *)ctx[0];
	struct nt_event *e;
	struct nt_stack *st;
	struct pkt p = {};
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

	if (want_stack)
		e = reserve_event(DROP_PROBE, sizeof(*e) + sizeof(*st));
	else
		e = reserve_event(DROP_PROBE, sizeof(*e));
	if (!e)
		return 0;
	fill_event(e, &p, btf);
	e->kind = NT_EV_DROP;
	e->location = ctx[1];
	if (has_reason) {
		e->reason = reason;
		e->flags |= NT_EV_HAS_REASON;
	}
	if (want_stack) {
		st = (void *)(e + 1);
		st->len = bpf_get_stack(ctx, st->ips, sizeof(st->ips), 0);
		e->flags |= NT_EV_HAS_STACK;
	}
	submit_event(e);
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
