/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An event as the user side holds it: a record (wire.h) decoded into one
 * roomy struct with a field for every section, and bits saying which
 * sections the record carried. Grouping, analysis and output read this.
 */
#ifndef NT_RECORD_EVENT_H
#define NT_RECORD_EVENT_H

#include <linux/types.h>
#include "record/filter.h"
#include "record/probe.h"
#include "record/wire.h"

/* Bit of nt_event.sections for a section type. */
#define NT_HAS(type) (1U << (type))

/* What a netfilter hook observer saw (NT_EV_NFHOOK): the hook, and the conntrack entry. */
struct nt_nf {
	__u8 pf;     /* NFPROTO_IPV4 2 / NFPROTO_IPV6 10 */
	__u8 hook;   /* NF_INET_PRE_ROUTING 0 .. NF_INET_POST_ROUTING 4 */
	__u8 where;  /* enum nt_nf_where */
	__u8 ctinfo; /* skb->_nfct & 7 (IP_CT_*); NT_NO_CT: no conntrack entry */
	__u32 ct_status; /* IPS_* bits */
	__u32 ct_mark;
	__u16 ct_zone;
	__u16 pad;
	__u32 in_ifindex, out_ifindex;
	char in[NT_IFNAMSIZ], out[NT_IFNAMSIZ];
	struct nt_tuple orig, reply; /* the conntrack entry's tuples, when ctinfo != NT_NO_CT */
};

/* The kernel stack of an event with NT_EV_HAS_STACK. */
struct nt_stack {
	__s64 len; /* bytes written by bpf_get_stack(), < 0 on error */
	__u64 ips[NT_MAX_STACK];
};

/* One decoded event. */
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
	__u16 flags;     /* enum nt_event_flags */
	__u16 sections;  /* NT_HAS(NT_SEC_*): the sections the record carried */
	__u16 data_len;  /* valid bytes in data */
	__u16 nh_off;    /* the network header's offset in data: link-layer bytes before it */
	__u16 link_type; /* ARPHRD_* of the link-layer bytes; NT_LINK_NONE: none */
	__u16 pad;
	char comm[NT_COMMLEN];
	char ifname[NT_IFNAMSIZ];
	struct nt_flow flow;
	__u8 data[NT_SNAP_BYTES]; /* packet bytes: link-layer header (nh_off bytes), then network header */
	struct nt_nf nf;          /* NT_EV_NFHOOK only */
	struct nt_sock sock;      /* with NT_HAS(NT_SEC_SOCK) */
};

#endif /* NT_RECORD_EVENT_H */
