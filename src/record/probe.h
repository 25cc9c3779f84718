/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probe ids and what each probe is told: the marker immediates the user side
 * patches into each clone of a template program (src/probe/clone.c,
 * src/netfilter/observer/observer_load.c), and the kprobe attach cookie that
 * carries the same values where programs are shared rather than cloned.
 */
#ifndef NT_RECORD_PROBE_H
#define NT_RECORD_PROBE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define NT_MAX_PROBES 4096 /* probe ids: index of the loss counters */

/* Trace template (src/bpf/trace.bpf.c), per clone. */
#define NT_MARK_PROBE  0x6e740001 /* probe id */
#define NT_MARK_ARG    0x6e740002 /* position of the skb argument */
#define NT_MARK_RET    0x6e740003 /* fexit: position of the return value (nargs) */
#define NT_MARK_FLAGS  0x6e740004 /* enum nt_probe_patch */
#define NT_MARK_REASON 0x6e740005 /* position of an enum skb_drop_reason argument; NT_NO_ARG: none */
#define NT_NO_ARG      0xff
#define NT_MAX_ARGS    6

/* Per-probe behaviour, patched into clones or carried in kprobe cookies. */
enum nt_probe_patch {
	NT_PP_FREE = 1 << 0,  /* frees the skb: stop tracking it */
	NT_PP_CLONE = 1 << 1, /* returns a new skb of the same packet */
	NT_PP_RET = 1 << 2,   /* report the return value (fexit, kretprobe) */
};

/* Kprobe cookie layout: probe | arg << 16 | flags << 24 | reason position << 32. */
#define NT_COOKIE(probe, arg, flags, reason)                                             \
	((__u64)(probe) | (__u64)(arg) << 16 | (__u64)(flags) << 24 | (__u64)(reason) << 32)

/* Netfilter hook observer template (src/bpf/nf_observer.bpf.c), per clone. */
#define NT_NF_MARK_PROBE 0x6e740011 /* probe id of index 0 (probe_base) */
#define NT_NF_MARK_WHERE 0x6e740012 /* enum nt_nf_where */

#define NT_NF_PROBES 20 /* 2 pf x 5 hooks x 2 places */
#define NT_NF_PLACES 2  /* programs: one per place (first, last), every pf and hook */
/* Probe index of an observer: the programs compute it from the hook state. */
#define NT_NF_INDEX(is_ipv6, hook, where) (((is_ipv6) ? 10 : 0) + (hook) * 2 + (where))
/* In nettrace's trace modes, observer probe ids sit above every catalog probe id. */
#define NT_NF_PROBE_BASE (NT_MAX_PROBES - NT_NF_PROBES)

enum nt_nf_where {
	NT_NF_FIRST = 0, /* before every other function of the hook */
	NT_NF_LAST = 1,  /* after every other function of the hook */
};

#endif /* NT_RECORD_PROBE_H */
