/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filter of every mode: filled by the user side (src/cli/, src/filter/),
 * evaluated by every BPF program (src/bpf/filter.bpf.h) from its rodata.
 */
#ifndef NT_RECORD_FILTER_H
#define NT_RECORD_FILTER_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define NT_IFNAMSIZ 16

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

#endif /* NT_RECORD_FILTER_H */
