/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skb:kfree_skb as the drop monitor (drop.bpf.c) and the production monitor
 * (monitor.bpf.c) read it: the drop reason, consumed packets left out, the
 * filter applied.
 */
#ifndef KFREE_SKB_BPF_H
#define KFREE_SKB_BPF_H

#include "filter.bpf.h"

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

#endif /* KFREE_SKB_BPF_H */
