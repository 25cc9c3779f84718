// SPDX-License-Identifier: GPL-2.0
/*
 * Drop monitor: one event per packet freed through skb:kfree_skb, with the
 * drop reason (when the kernel passes one) and the freeing location.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "kfree_skb.bpf.h"
#include "emit.bpf.h"

const volatile bool want_stack = false;

#define DROP_PROBE 0

/*
 * ctx: see kfree_skb_match().
 * btf: the skb is a BTF pointer (tp_btf), its fields load directly (NT_READ).
 */
static __always_inline int on_kfree_skb(__u64 *ctx, bool btf)
{
	struct nt_event *e;
	struct nt_stack *st;
	struct pkt p = {};
	__u32 reason;

	if (!kfree_skb_match(ctx, &p, &reason, btf))
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
