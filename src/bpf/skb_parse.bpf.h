/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-side packet parsing: fills the flow (what the filter sees) and copies
 * the first header bytes of an sk_buff into an event. The user side decodes
 * those bytes in detail (src/packet/decode.c).
 */
#ifndef SKB_PARSE_BPF_H
#define SKB_PARSE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "nettrace.h"

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

/* The offset of an unset network header (see skb_reset_network_header). */
static __always_inline bool nh_unset(__u16 nh)
{
	return nh == 0 || nh == (__u16)~0U;
}

/*
 * Ports and TCP flags of the L4 header at @off: from the header bytes already
 * read when they hold it (the common case), else read from the packet.
 */
static __always_inline void parse_l4(struct nt_flow *f, const __u8 *hdr, __u32 hlen,
				     const __u8 *nh, __u32 off)
{
	__u8 l4[14] = {};

	if (f->l4proto != NT_IPPROTO_TCP && f->l4proto != NT_IPPROTO_UDP &&
	    f->l4proto != NT_IPPROTO_SCTP)
		return;
	if (off < 64 && off + 14 <= hlen) {
		/* The mask is for the verifier (off + 14 <= NT_PKT_BYTES); asm keeps clang
		 * from dropping it as redundant. */
		asm volatile("%0 &= 63" : "+r"(off));
		__builtin_memcpy(l4, hdr + off, 4);
		l4[13] = hdr[off + 13];
	} else if (bpf_probe_read_kernel(l4, sizeof(l4), nh + off)) {
		return;
	}
	f->sport = (__u16)l4[0] << 8 | l4[1];
	f->dport = (__u16)l4[2] << 8 | l4[3];
	if (f->l4proto == NT_IPPROTO_TCP)
		f->tcp_flags = l4[13];
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
	__u8 ext[2], next;
	__u16 frag;
	int i;

	if (hlen < sizeof(*ip6) || ip6->version != 6)
		return;
	f->l3proto = ETH_P_IPV6;
	__builtin_memcpy(f->saddr, &ip6->saddr, 16);
	__builtin_memcpy(f->daddr, &ip6->daddr, 16);
	f->ip_len = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
	next = ip6->nexthdr;
	for (i = 0; i < NT_MAX_EXTHDRS; i++) {
		if (next != 0 && next != 43 && next != 44 && next != 51 && next != 60)
			break;
		if (bpf_probe_read_kernel(ext, sizeof(ext), nh + off))
			return;
		if (next == 44) {
			if (bpf_probe_read_kernel(&frag, 2, nh + off + 2))
				return;
			if (bpf_ntohs(frag) & 0xfff8) { /* not the first fragment */
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
	parse_l4(f, hdr, hlen, nh, off);
}

/* The flow of a packet that has no network header yet: its socket's. */
static __always_inline void parse_sock(struct nt_flow *f, struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	if (family == NT_AF_INET) {
		f->l3proto = ETH_P_IP;
		bpf_core_read(f->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(f->daddr, 4, &sk->__sk_common.skc_daddr);
	} else if (family == NT_AF_INET6) {
		f->l3proto = ETH_P_IPV6;
		bpf_core_read(f->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(f->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	} else {
		return;
	}
	f->l4proto = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	f->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	f->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
}

static __always_inline __u32 skb_netns(struct sk_buff *skb, struct net_device *dev)
{
	struct sock *sk;

	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	sk = BPF_CORE_READ(skb, sk);
	if (sk)
		return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	return 0;
}

/* A packet as parsed on the stack, before it is known to pass the filter. */
struct pkt {
	struct sk_buff *skb;
	struct net_device *dev;
	unsigned char *head;
	__u32 nh;       /* network header offset */
	__u32 hdr_len;  /* valid bytes in hdr */
	__u32 netns;    /* valid when netns_known */
	__u32 skb_len;
	__u16 flags;    /* enum nt_event_flags */
	bool netns_known;
	struct nt_flow flow;
	__u8 hdr[NT_PKT_BYTES]; /* the packet from its network header, read once */
};

/* The namespace costs three dependent reads: done only when filtered on or emitted. */
static __always_inline __u32 pkt_netns(struct pkt *p)
{
	if (!p->netns_known) {
		p->netns = skb_netns(p->skb, p->dev);
		p->netns_known = true;
	}
	return p->netns;
}

/*
 * Parses the flow of a packet. A packet without a network header takes its
 * flow from its socket; with neither, the flow stays empty.
 */
static __always_inline void parse_skb(struct pkt *p, struct sk_buff *skb)
{
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	__u32 tail = BPF_CORE_READ(skb, tail);
	__u64 len;
	struct sock *sk;
	__u8 ver;

	p->skb = skb;
	p->dev = BPF_CORE_READ(skb, dev);
	p->head = BPF_CORE_READ(skb, head);
	p->skb_len = BPF_CORE_READ(skb, len);

	if (nh_unset(nh) || tail <= nh) {
		sk = BPF_CORE_READ(skb, sk);
		if (sk) {
			parse_sock(&p->flow, sk);
			p->flags |= NT_EV_FROM_SK;
		}
		return;
	}
	len = (__u64)tail - nh;
	/* Clamp on the register the helper gets, so the verifier sees 0 <= len <= 96. */
	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(len) : "i"(NT_PKT_BYTES));
	if (bpf_probe_read_kernel(p->hdr, len, p->head + nh))
		return;
	p->nh = nh;
	p->hdr_len = len;

	/* Output-path packets may not have skb->protocol yet. */
	if (!proto) {
		ver = p->hdr[0] >> 4;
		proto = ver == 4 ? ETH_P_IP : ver == 6 ? ETH_P_IPV6 : 0;
	}
	p->flow.l3proto = proto;
	if (proto == ETH_P_IP)
		parse_ipv4(&p->flow, p->hdr, len, p->head + nh);
	else if (proto == ETH_P_IPV6)
		parse_ipv6(&p->flow, p->hdr, len, p->head + nh);
}

/* Copies a parsed packet into an event, with its first header bytes. */
static __always_inline void fill_event(struct nt_event *e, struct pkt *p)
{
	struct net_device *dev = p->dev;

	e->skb = (__u64)p->skb;
	e->skb_len = p->skb_len;
	e->netns = pkt_netns(p);
	e->flags |= p->flags;
	e->flow = p->flow;
	if (dev) {
		e->ifindex = BPF_CORE_READ(dev, ifindex);
		BPF_CORE_READ_STR_INTO(&e->ifname, dev, name);
	}
	__builtin_memcpy(e->data, p->hdr, NT_PKT_BYTES);
	e->data_len = p->hdr_len;
}

#endif /* SKB_PARSE_BPF_H */
