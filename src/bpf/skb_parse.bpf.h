/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-side packet parsing: the flow (what the filter sees) from the first
 * header bytes of a packet, read from the network header on (pkt.bpf.h). The
 * user side decodes the bytes an event carries in detail (src/packet/decode.c).
 */
#ifndef SKB_PARSE_BPF_H
#define SKB_PARSE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "record/wire.h"

#define ETH_P_IP   0x0800
#define ETH_P_ARP  0x0806
#define ETH_P_IPV6 0x86DD

#define NT_IPPROTO_TCP    6
#define NT_IPPROTO_UDP    17
#define NT_IPPROTO_ICMPV6 58
#define NT_IPPROTO_SCTP   132
#define NT_AF_INET        2
#define NT_AF_INET6       10

#define NT_MAX_EXTHDRS 6

/*
 * The header bytes the filter parses: an IPv6 header and the 14 bytes of a
 * TCP header that end with its flags, or the same after an IPv4 header with
 * up to 20 bytes of options. A longer header is read further from the packet.
 */
#define NT_PARSE_BYTES 56

/* The offset of an unset network header (see skb_reset_network_header). */
static __always_inline bool nh_unset(__u16 nh)
{
	return nh == 0 || nh == (__u16)~0U;
}

/* Ports and TCP flags from the first 14 bytes of an L4 header. */
static __always_inline void l4_ports(struct nt_flow *f, const __u8 *l4)
{
	f->sport = (__u16)l4[0] << 8 | l4[1];
	f->dport = (__u16)l4[2] << 8 | l4[3];
	if (f->l4proto == NT_IPPROTO_TCP)
		f->tcp_flags = l4[13];
}

static __always_inline bool l4_has_ports(__u8 proto)
{
	return proto == NT_IPPROTO_TCP || proto == NT_IPPROTO_UDP || proto == NT_IPPROTO_SCTP;
}

/* The L4 header at @off, read from the packet at @nh. */
static __always_inline void read_l4(struct nt_flow *f, const __u8 *nh, __u32 off)
{
	__u8 l4[14];

	if (l4_has_ports(f->l4proto) && !bpf_probe_read_kernel(l4, sizeof(l4), nh + off))
		l4_ports(f, l4);
}

/*
 * The L4 header at @off: from the first @hlen header bytes at @hdr (a copy,
 * or the packet itself) when they hold it, the common case; else read.
 */
static __always_inline void parse_l4(struct nt_flow *f, const __u8 *hdr, __u32 hlen,
				     const __u8 *nh, __u32 off)
{
	__u8 l4[14] = {};

	if (!l4_has_ports(f->l4proto))
		return;
	if (off + 14 > hlen) {
		read_l4(f, nh, off);
		return;
	}
	/* hlen <= NT_PARSE_BYTES: the clamp is for the verifier; asm keeps clang
	 * from dropping it as redundant. */
	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(off) : "i"(NT_PARSE_BYTES - 14));
	__builtin_memcpy(l4, hdr + off, 4);
	l4[13] = hdr[off + 13];
	l4_ports(f, l4);
}

static __always_inline void parse_ipv4(struct nt_flow *f, const __u8 *hdr, __u32 hlen,
				       const __u8 *nh)
{
	const struct iphdr *ip = (const void *)hdr;

	if (hlen < sizeof(*ip) || ip->version != 4)
		return;
	f->l3proto = ETH_P_IP;
	__builtin_memcpy(f->saddr, &ip->saddr, 4);
	__builtin_memcpy(f->daddr, &ip->daddr, 4);
	f->l4proto = ip->protocol;
	f->ip_len = bpf_ntohs(ip->tot_len);
	/* A non-first fragment carries no L4 header. */
	if (bpf_ntohs(ip->frag_off) & 0x1fff)
		return;
	parse_l4(f, hdr, hlen, nh, ip->ihl * 4);
}

/* Walks IPv6 extension headers (rare: read from the packet) to the upper-layer header. */
static __always_inline void parse_ipv6(struct nt_flow *f, const __u8 *hdr, __u32 hlen,
				       const __u8 *nh)
{
	const struct ipv6hdr *ip6 = (const void *)hdr;
	__u32 off = sizeof(*ip6);
	__u8 ext[4], next;
	int i;

	if (hlen < sizeof(*ip6) || ip6->version != 6)
		return;
	f->l3proto = ETH_P_IPV6;
	__builtin_memcpy(f->saddr, &ip6->saddr, 16);
	__builtin_memcpy(f->daddr, &ip6->daddr, 16);
	f->ip_len = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
	next = ip6->nexthdr;
	/*
	 * Unrolled: inside a loop still being explored the verifier compares states
	 * exactly (2a0992829ea3, v6.7), so it would walk each combination of header
	 * kinds and lengths apart, in every trace clone.
	 */
#pragma unroll
	for (i = 0; i < NT_MAX_EXTHDRS; i++) {
		if (next != 0 && next != 43 && next != 44 && next != 51 && next != 60)
			break;
		/* next header, length, and a fragment header's offset */
		if (bpf_probe_read_kernel(ext, sizeof(ext), nh + off))
			return;
		if (next == 44) {
			if ((ext[2] << 8 | ext[3]) & 0xfff8) { /* not the first fragment */
				f->l4proto = ext[0];
				return;
			}
			off += 8;
		} else if (next == 51) {
			off += (ext[1] + 2) * 4;
		} else {
			off += (ext[1] + 1) * 8;
		}
		next = ext[0];
	}
	f->l4proto = next;
	/*
	 * Past extension headers the L4 header is read from the packet: an index
	 * into the copy would make their lengths precise for the verifier, one path
	 * per combination.
	 */
	if (i)
		read_l4(f, nh, off);
	else
		parse_l4(f, hdr, hlen, nh, off);
}

#endif /* SKB_PARSE_BPF_H */
