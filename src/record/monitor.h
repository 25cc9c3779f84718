/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the monitor's kernel half (src/bpf/monitor.bpf.c) counts, shared with
 * the user side (src/monitor/): per-CPU counters keyed by kind, reason, location, namespace,
 * device and protocol; netfilter drops keyed by their flow's shape (for rule
 * attribution, never exported as labels); and the kinds of anomaly, which are
 * also the probe ids of the sampled events and of the loss counters.
 */
#ifndef NT_RECORD_MONITOR_H
#define NT_RECORD_MONITOR_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif /* NT_RECORD_MONITOR_H */

#define NT_MON_KEYS    16384 /* counting keys held in the kernel */
#define NT_MON_NF_KEYS 4096  /* netfilter drop shapes (LRU) */
#define NT_MON_STACKS  1024  /* stacks of netfilter drops, for their hook */
#define NT_MON_SAMPLES 2     /* sampled events per key, CPU and second */
#define NT_MON_DEVLEN  16

/* What is counted; the probe id of a sampled event. */
enum nt_mon_kind {
	NT_MON_DROP = 1,	   /* skb:kfree_skb, not consumed */
	NT_MON_TCP_RESET = 2,	   /* tcp:tcp_send_reset */
	NT_MON_TCP_RETRANS = 3,	   /* tcp:tcp_retransmit_skb */
	NT_MON_SOCK_RCVQ_FULL = 4, /* sock:sock_rcvqueue_full */
	NT_MON_UDP_QUEUE_FAIL = 5, /* udp:udp_fail_queue_rcv_skb */
	NT_MON_KINDS,
};

/* One counter. Drops only: location and reason. */
struct nt_mon_key {
	__u64 location; /* the freeing function's address (drops), else 0 */
	__u32 reason;	/* enum skb_drop_reason (drops), else 0 */
	__u32 netns;	/* inode */
	char dev[NT_MON_DEVLEN];
	__u16 l3proto; /* ethertype, host order; 0: unknown */
	__u8 l4proto;
	__u8 kind; /* enum nt_mon_kind */
	__u32 pad;
};

/* Per CPU: the count, and the sampling window (events sent to user space). */
struct nt_mon_val {
	__u64 count;
	__u64 window;  /* start of this CPU's sampling second (ns) */
	__u32 sampled; /* events sent in it */
	__u32 pad;
};

/*
 * A netfilter drop's shape: where (namespace, and the stack its hook is read
 * from) and what (addresses, protocol, destination port). The user side
 * learns which nft rule drops a shape and credits the shape's count to it.
 */
struct nt_mon_nfkey {
	__u8 saddr[16], daddr[16];
	__u32 netns;
	__s32 stackid; /* in nt_mon_stacks; < 0: not taken */
	__u16 l3proto;
	__u8 l4proto;
	__u8 pad;
	__u16 dport;
	__u16 pad2;
};

/* Counts that could not be kept (a full map), per kind; index 0: netfilter shapes. */
#define NT_MON_FULL_SLOTS NT_MON_KINDS

#endif /* NT_RECORD_MONITOR_H */
