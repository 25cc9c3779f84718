// SPDX-License-Identifier: GPL-2.0
/*
 * The template of every BTF-attached trace probe (tp_btf, fentry, fexit). It
 * is loaded once as tp_btf, then its final instructions are cloned per probe
 * with the markers patched (src/probe/clone.c): the ctx of all three is an
 * array of u64 arguments, so the same code serves. A patched constant lets the
 * verifier prune every branch but the probe's own argument position.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "record/probe.h"
#include "trace.bpf.h"
#include "marker.bpf.h"

static __always_inline __u64 ctx_arg(__u64 *ctx, __u64 pos)
{
	switch (pos) {
	case 0:
		return CTX_LOAD(ctx, 0);
	case 1:
		return CTX_LOAD(ctx, 8);
	case 2:
		return CTX_LOAD(ctx, 16);
	case 3:
		return CTX_LOAD(ctx, 24);
	case 4:
		return CTX_LOAD(ctx, 32);
	case 5:
		return CTX_LOAD(ctx, 40);
	case 6:
		return CTX_LOAD(ctx, 48);
	}
	return 0;
}

SEC("tp_btf/netif_receive_skb")
int nt_trace(__u64 *ctx)
{
	__u64 probe = MARKER(NT_MARK_PROBE), pos = MARKER(NT_MARK_ARG);
	__u64 retpos = MARKER(NT_MARK_RET), pflags = MARKER(NT_MARK_FLAGS);
	__u64 rpos = MARKER(NT_MARK_REASON);
	bool has_ret = pflags & (NT_PP_RET | NT_PP_CLONE), has_reason = rpos != NT_NO_ARG;
	__u32 reason = 0;
	__s64 ret = 0;

	if (has_ret)
		ret = (__s64)ctx_arg(ctx, retpos);
	if (has_reason)
		reason = (__u32)ctx_arg(ctx, rpos);
	return trace_skb((struct sk_buff *)ctx_arg(ctx, pos), probe, pflags, ret, reason,
			 has_reason, has_ret, true);
}

char LICENSE[] SEC("license") = "GPL";
