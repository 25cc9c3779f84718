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
 * btf: the skb is a BTF pointer (tp_btf), its fields load directly (NT_READ),
 * and its socket is at hand for a socket section.
 */
static __always_inline int on_kfree_skb(__u64 *ctx, bool btf)
{
	struct pkt p = {};
	__u32 reason;

	if (!kfree_skb_match(ctx, &p, &reason, btf))
		return 0;
	emit_drop(ctx, &p, DROP_PROBE, ctx[1], reason, has_reason, want_stack, btf);
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
