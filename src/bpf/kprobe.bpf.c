// SPDX-License-Identifier: GPL-2.0
/*
 * Trace probes for kernels with kprobes: one program serves every function,
 * told apart by the attach cookie (NT_COOKIE: probe, arg, flags, reason). The
 * return probes find the entry's skb in a per-task stash.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "record/probe.h"
#include "trace.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);   /* tid << 16 | probe */
	__type(value, __u64); /* skb */
} nt_stash SEC(".maps");

/*
 * One load from ctx at a constant offset: left to itself, clang folds the
 * switch below into ctx + variable, which the verifier refuses.
 */
#define REGS_LOAD(ctx, field)                                                     \
	({                                                                        \
		__u64 __v;                                                        \
		asm volatile("%0 = *(u64 *)(%1 + %2)"                             \
			     : "=r"(__v)                                          \
			     : "r"(ctx), "i"(__builtin_offsetof(struct pt_regs, field))); \
		__v;                                                              \
	})

/* x86-64 calling convention: di, si, dx, cx, r8. */
static __always_inline __u64 regs_arg(struct pt_regs *ctx, __u64 pos)
{
	switch (pos) {
	case 0:
		return REGS_LOAD(ctx, di);
	case 1:
		return REGS_LOAD(ctx, si);
	case 2:
		return REGS_LOAD(ctx, dx);
	case 3:
		return REGS_LOAD(ctx, cx);
	case 4:
		return REGS_LOAD(ctx, r8);
	}
	return 0;
}

static __always_inline __u64 stash_key(__u64 probe)
{
	return bpf_get_current_pid_tgid() << 16 | probe;
}

static __always_inline int on_entry(struct pt_regs *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx), key;
	__u64 probe = cookie & 0xffff, pflags = (cookie >> 24) & 0xff;
	__u64 skb = regs_arg(ctx, (cookie >> 16) & 0xff);
	__u64 rpos = (cookie >> 32) & 0xff;

	if (!(pflags & (NT_PP_RET | NT_PP_CLONE)))
		return trace_skb((struct sk_buff *)skb, probe, pflags, 0,
				 rpos != NT_NO_ARG ? (__u32)regs_arg(ctx, rpos) : 0,
				 rpos != NT_NO_ARG, false, false);
	key = stash_key(probe);
	bpf_map_update_elem(&nt_stash, &key, &skb, BPF_ANY);
	return 0;
}

static __always_inline int on_return(struct pt_regs *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx), key, *skb, s;
	__u64 probe = cookie & 0xffff, pflags = (cookie >> 24) & 0xff;

	key = stash_key(probe);
	skb = bpf_map_lookup_elem(&nt_stash, &key);
	if (!skb)
		return 0;
	s = *skb;
	bpf_map_delete_elem(&nt_stash, &key);
	/* Only probes with NT_PP_RET or NT_PP_CLONE have a return probe. */
	return trace_skb((struct sk_buff *)s, probe, pflags, PT_REGS_RC(ctx), 0, false, true, false);
}

SEC("kprobe")
int nt_kprobe(struct pt_regs *ctx)
{
	return on_entry(ctx);
}

SEC("kretprobe")
int nt_kretprobe(struct pt_regs *ctx)
{
	return on_return(ctx);
}

SEC("kprobe.multi")
int nt_kmulti(struct pt_regs *ctx)
{
	return on_entry(ctx);
}

SEC("kretprobe.multi")
int nt_kretmulti(struct pt_regs *ctx)
{
	return on_return(ctx);
}

char LICENSE[] SEC("license") = "GPL";
