/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records shared by the kernel side (src/bpf/) and the user side: the filter
 * the BPF programs evaluate and the fixed-size event they emit.
 * Included from BPF code (types from vmlinux.h) and from user code.
 */
#ifndef NETTRACE_H
#define NETTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define NT_PKT_BYTES   96  /* header bytes copied from the network header */
#define NT_MAX_STACK   32  /* kernel stack frames kept with --drop-stack */
#define NT_MAX_PROBES  4096 /* probe ids: index of the loss counters */
#define NT_IFNAMSIZ    16
#define NT_COMMLEN     16

/* What a filter field selects; bits of nt_filter.mask. */
enum nt_filter_bits {
	NT_F_SADDR = 1 << 0,
	NT_F_DADDR = 1 << 1,
	NT_F_ADDR = 1 << 2,
	NT_F_SPORT = 1 << 3,
	NT_F_DPORT = 1 << 4,
	NT_F_PORT = 1 << 5,
	NT_F_L3PROTO = 1 << 6,
	NT_F_L4PROTO = 1 << 7,
	NT_F_NETNS = 1 << 8,
	NT_F_PID = 1 << 9,
	NT_F_PKTLEN = 1 << 10,
	NT_F_TCPFLAGS = 1 << 11,
	NT_F_DEV = 1 << 12,
};

/* An address with a prefix length; family 4 or 6. */
struct nt_prefix {
	__u8 addr[16];
	__u8 family;
	__u8 plen;
	__u8 pad[2];
};

/* The filter of every mode, evaluated in the kernel (const volatile rodata). */
struct nt_filter {
	__u32 mask; /* enum nt_filter_bits */
	struct nt_prefix saddr, daddr, addr;
	__u16 sport, dport, port; /* host order */
	__u16 l3proto;            /* ethertype, host order */
	__u8 l4proto;             /* IPPROTO_* */
	__u8 tcp_flags;           /* all of these set */
	__u8 pad[2];
	__u32 netns; /* inode of the network namespace */
	__u32 pid;   /* tgid of the current task */
	__u32 len_min, len_max;
	char ifname[NT_IFNAMSIZ];
};

/* The flow as the kernel side parsed it (what the filter saw). */
struct nt_flow {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 l3proto; /* ethertype, host order; 0 if unknown */
	__u8 l4proto;
	__u8 tcp_flags;
	__u16 sport, dport; /* host order */
	__u32 ip_len;       /* IP total length (header included) */
};

enum nt_event_kind {
	NT_EV_DROP = 1,  /* drop monitor */
	NT_EV_TRACE = 2, /* a probe of the trace catalog saw the packet */
	NT_EV_NFHOOK = 3, /* a netfilter hook observer saw the packet (nf is valid) */
};

/* A conntrack tuple, as the kernel's nf_conntrack_tuple holds it. */
struct nt_tuple {
	__u8 src[16], dst[16];
	__u16 sport, dport; /* host order; ICMP: id in sport */
	__u8 l3num;         /* NFPROTO_IPV4 2 / NFPROTO_IPV6 10; 0: none */
	__u8 l4proto;
	__u8 pad[2];
};

enum nt_nf_where {
	NT_NF_FIRST = 0, /* before every other function of the hook */
	NT_NF_LAST = 1,  /* after every other function of the hook */
};

/* What a netfilter hook observer saw (NT_EV_NFHOOK). */
struct nt_nf {
	__u8 pf;     /* NFPROTO_IPV4 2 / NFPROTO_IPV6 10 */
	__u8 hook;   /* NF_INET_PRE_ROUTING 0 .. NF_INET_POST_ROUTING 4 */
	__u8 where;  /* enum nt_nf_where */
	__u8 ctinfo; /* skb->_nfct & 7 (IP_CT_*); 0xff: no conntrack entry */
	__u32 ct_status; /* IPS_* bits */
	__u32 ct_mark;
	__u16 ct_zone;
	__u16 pad;
	__u32 in_ifindex, out_ifindex;
	char in[NT_IFNAMSIZ], out[NT_IFNAMSIZ];
	struct nt_tuple orig, reply; /* the conntrack entry's tuples, when ctinfo != 0xff */
};

enum nt_event_flags {
	NT_EV_FROM_SK = 1 << 0,    /* no network header: flow taken from skb->sk */
	NT_EV_HAS_REASON = 1 << 1, /* reason is valid */
	NT_EV_HAS_STACK = 1 << 2,  /* a struct nt_stack follows the event */
	NT_EV_HAS_RET = 1 << 3,    /* retval is the probed function's return value */
	NT_EV_CLONE = 1 << 4,      /* retval is a new skb (clone/copy) of this one's group */
	NT_EV_TRACKED = 1 << 5,    /* matched through lifecycle tracking, not the filter */
};

/*
 * Trace templates (src/bpf/trace.bpf.c) are loaded once and cloned per probe;
 * the user side patches these marker immediates in each clone's instructions
 * (src/probe/clone.c). Kprobe programs get the same values from the cookie.
 */
#define NT_MARK_PROBE 0x6e740001 /* probe id */
#define NT_MARK_ARG   0x6e740002 /* position of the skb argument */
#define NT_MARK_RET   0x6e740003 /* fexit: position of the return value (nargs) */
#define NT_MARK_FLAGS 0x6e740004 /* enum nt_probe_patch */
#define NT_MARK_REASON 0x6e740005 /* position of an enum skb_drop_reason argument; NT_NO_ARG: none */
#define NT_NO_ARG      0xff
#define NT_MAX_ARGS   6

/* Per-probe behaviour, patched into clones or carried in kprobe cookies. */
enum nt_probe_patch {
	NT_PP_FREE = 1 << 0,  /* frees the skb: stop tracking it */
	NT_PP_CLONE = 1 << 1, /* returns a new skb of the same packet */
	NT_PP_RET = 1 << 2,   /* report the return value (fexit, kretprobe) */
};

/* Kprobe cookie layout: probe | arg << 16 | flags << 24 | reason position << 32. */
#define NT_COOKIE(probe, arg, flags, reason)                                             \
	((__u64)(probe) | (__u64)(arg) << 16 | (__u64)(flags) << 24 | (__u64)(reason) << 32)

/* One event, as it leaves the ring buffer. Fixed size. */
struct nt_event {
	__u64 ts; /* bpf_ktime_get_ns() */
	__u64 skb;
	__u64 location; /* kernel address of the caller (drops) */
	__u64 group;    /* lifecycle: id of the packet's group (0: none) */
	__s64 retval;   /* with NT_EV_HAS_RET or NT_EV_CLONE */
	__u32 reason;
	__u16 kind;  /* enum nt_event_kind */
	__u16 probe; /* probe id */
	__u32 pid;
	__u32 cpu;
	__u32 netns;
	__u32 ifindex;
	__u32 skb_len;
	__u16 flags;    /* enum nt_event_flags */
	__u16 data_len; /* valid bytes in data */
	char comm[NT_COMMLEN];
	char ifname[NT_IFNAMSIZ];
	struct nt_flow flow;
	__u8 data[NT_PKT_BYTES]; /* packet bytes from the network header */
	struct nt_nf nf;         /* NT_EV_NFHOOK only */
};

/* Follows an event with NT_EV_HAS_STACK in the same ring buffer record. */
struct nt_stack {
	__s64 len; /* bytes written by bpf_get_stack(), < 0 on error */
	__u64 ips[NT_MAX_STACK];
};

#endif /* NETTRACE_H */
