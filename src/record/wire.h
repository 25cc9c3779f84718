/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wire format of an event, as the BPF programs write it into the ring
 * buffer: a fixed header (struct nt_rec) followed by typed sections, each
 * opening with struct nt_sec. A program reserves, per path, exactly the
 * sections it fills (a ring buffer reservation has a constant size), so an
 * event carries only what it has: no conntrack section for a packet without
 * a conntrack entry, no socket section for an skb without a socket. The user
 * side decodes records into struct nt_event (record.h).
 *
 * Every section is 8-byte aligned and its length a multiple of 8, so that
 * sections follow each other without padding and are written with wide stores.
 */
#ifndef NT_RECORD_WIRE_H
#define NT_RECORD_WIRE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
#include "record/filter.h" /* NT_IFNAMSIZ */

#define NT_SNAP_BYTES 128 /* packet bytes an event carries at most, link-layer header included */
#define NT_LINK_MAX   32  /* a longer link-layer header is left out, for the network header's bytes */
#define NT_PKT_BYTES  96  /* bytes from the network header an event carries, when the packet has them */
#define NT_MAX_STACK  32  /* kernel stack frames kept with --drop-stack */
#define NT_COMMLEN    16
#define NT_LINK_NONE  0xffff /* no link-layer bytes (the kernel's ARPHRD_VOID) */
#define NT_NO_CT      0xff   /* nt_nf.ctinfo of a packet without a conntrack entry */

_Static_assert(NT_SNAP_BYTES - NT_LINK_MAX >= NT_PKT_BYTES, "network-header bytes");

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

/* A conntrack tuple, as the kernel's nf_conntrack_tuple holds it. */
struct nt_tuple {
	__u8 src[16], dst[16];
	__u16 sport, dport; /* host order; ICMP: id in sport */
	__u8 l3num;         /* NFPROTO_IPV4 2 / NFPROTO_IPV6 10; 0: none */
	__u8 l4proto;
	__u8 pad[2];
};

enum nt_event_kind {
	NT_EV_DROP = 1,   /* drop monitor */
	NT_EV_TRACE = 2,  /* a probe of the trace catalog saw the packet */
	NT_EV_NFHOOK = 3, /* a netfilter hook observer saw the packet (NT_SEC_NF) */
};

enum nt_event_flags {
	NT_EV_FROM_SK = 1 << 0,    /* no network header: flow taken from skb->sk */
	NT_EV_HAS_REASON = 1 << 1, /* a drop section carries a reason */
	NT_EV_HAS_STACK = 1 << 2,  /* a stack section follows */
	NT_EV_HAS_RET = 1 << 3,    /* a return section carries the probed function's return value */
	NT_EV_CLONE = 1 << 4,      /* a return section carries a new skb (clone/copy) of this one's group */
	NT_EV_TRACKED = 1 << 5,    /* matched through lifecycle tracking, not the filter */
};

/* The fixed header of every record: 128 bytes. */
struct nt_rec {
	__u64 ts; /* bpf_ktime_get_ns() */
	__u64 skb;
	__u64 group; /* lifecycle: id of the packet's group (0: none) */
	char comm[NT_COMMLEN];
	char ifname[NT_IFNAMSIZ]; /* 8-byte aligned: see dev_name() */
	__u32 pid;
	__u32 cpu;
	__u32 netns;
	__u32 ifindex;
	__u32 skb_len;
	__u16 probe; /* probe id */
	__u16 flags; /* enum nt_event_flags */
	__u8 kind;   /* enum nt_event_kind */
	__u8 nsec;   /* sections that follow */
	__u8 pad[2];
	struct nt_flow flow;
};

enum nt_sec_type {
	NT_SEC_PACKET = 1, /* struct nt_sec_packet */
	NT_SEC_NF = 2,     /* struct nt_sec_nf */
	NT_SEC_CT = 3,     /* struct nt_sec_ct */
	NT_SEC_SOCK = 4,   /* struct nt_sec_sock */
	NT_SEC_DROP = 5,   /* struct nt_sec_drop */
	NT_SEC_RET = 6,    /* struct nt_sec_ret */
	NT_SEC_STACK = 7,  /* struct nt_sec_stack */
	NT_SEC_TYPES,      /* one past the last; a reader skips types it does not know */
};

/* Opens every section. */
struct nt_sec {
	__u8 type; /* enum nt_sec_type */
	__u8 pad;
	__u16 len; /* bytes of the section, this header included */
};

/*
 * Packet bytes: from the link-layer header when the skb has one (mac header
 * set, before the network header, at most NT_LINK_MAX bytes), else from the
 * network header; NT_SNAP_BYTES at most, to the skb's linear tail.
 */
struct nt_sec_packet {
	struct nt_sec h;
	__u16 link_type; /* ARPHRD_* of the device (dev->type); NT_LINK_NONE: no link-layer bytes */
	__u8 nh_off;     /* the network header's offset in data (link-layer bytes before it) */
	__u8 len;        /* bytes captured in data; 0: none (no network header, or unreadable) */
	__u8 data[NT_SNAP_BYTES];
} __attribute__((aligned(8)));

/* Netfilter hook state (NT_EV_NFHOOK). */
struct nt_sec_nf {
	struct nt_sec h;
	__u8 pf;    /* NFPROTO_IPV4 2 / NFPROTO_IPV6 10 */
	__u8 hook;  /* NF_INET_PRE_ROUTING 0 .. NF_INET_POST_ROUTING 4 */
	__u8 where; /* enum nt_nf_where */
	__u8 pad;
	__u32 in_ifindex, out_ifindex;
	char in[NT_IFNAMSIZ], out[NT_IFNAMSIZ];
} __attribute__((aligned(8)));

/* The packet's conntrack entry: only when it has one. */
struct nt_sec_ct {
	struct nt_sec h;
	__u8 ctinfo; /* skb->_nfct & 7 (IP_CT_*) */
	__u8 pad;
	__u16 zone;
	__u32 status; /* IPS_* bits */
	__u32 mark;
	struct nt_tuple orig, reply;
} __attribute__((aligned(8)));

/* A socket's state, family, addresses and ports. */
struct nt_sock {
	__u16 family;  /* AF_* */
	__u8 state;    /* sk_state: TCP_ESTABLISHED 1 ... */
	__u8 protocol; /* IPPROTO_* (AF_INET, AF_INET6) */
	__u16 type;    /* SOCK_STREAM 1 ...; 0 for a request or time-wait socket */
	__u16 sport;   /* local port, host order (AF_INET, AF_INET6) */
	__u16 dport;   /* remote port, host order */
	__u16 pad;
	__u8 saddr[16]; /* local address (AF_INET: 4 bytes) */
	__u8 daddr[16]; /* remote address */
};

/* The skb's socket (skb->sk), where reading it is cheap. */
struct nt_sec_sock {
	struct nt_sec h;
	struct nt_sock sk;
} __attribute__((aligned(8)));

/* Drop reason (NT_EV_HAS_REASON) and freeing location (0: not known). */
struct nt_sec_drop {
	struct nt_sec h;
	__u32 reason;
	__u64 location; /* kernel address of the caller */
} __attribute__((aligned(8)));

/* The probed function's return value (NT_EV_HAS_RET) or new skb (NT_EV_CLONE). */
struct nt_sec_ret {
	struct nt_sec h;
	__u32 pad;
	__s64 retval;
} __attribute__((aligned(8)));

/* The kernel stack (NT_EV_HAS_STACK). */
struct nt_sec_stack {
	struct nt_sec h;
	__s32 len; /* bytes written by bpf_get_stack(), < 0 on error */
	__u64 ips[NT_MAX_STACK];
} __attribute__((aligned(8)));

_Static_assert(sizeof(struct nt_rec) == 128, "header");
_Static_assert(sizeof(struct nt_sec_packet) % 8 == 0, "packet section");
_Static_assert(sizeof(struct nt_sec_nf) % 8 == 0, "nf section");
_Static_assert(sizeof(struct nt_sec_ct) % 8 == 0, "ct section");
_Static_assert(sizeof(struct nt_sec_sock) % 8 == 0, "sock section");
_Static_assert(sizeof(struct nt_sec_drop) == 16, "drop section");
_Static_assert(sizeof(struct nt_sec_ret) == 16, "ret section");
_Static_assert(sizeof(struct nt_sec_stack) % 8 == 0, "stack section");

#endif /* NT_RECORD_WIRE_H */
