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

/* Ports and TCP flags from the first bytes of an L4 header. */
static __always_inline void parse_l4(struct nt_flow *f, const void *l4)
{
	__u16 ports[2];
	__u8 flags;

	if (f->l4proto != NT_IPPROTO_TCP && f->l4proto != NT_IPPROTO_UDP &&
	    f->l4proto != NT_IPPROTO_SCTP)
		return;
	if (bpf_probe_read_kernel(ports, sizeof(ports), l4))
		return;
	f->sport = bpf_ntohs(ports[0]);
	f->dport = bpf_ntohs(ports[1]);
	if (f->l4proto == NT_IPPROTO_TCP && !bpf_probe_read_kernel(&flags, 1, l4 + 13))
		f->tcp_flags = flags;
}

static __always_inline void parse_ipv4(struct nt_flow *f, const __u8 *nh)
{
	struct iphdr ip;

	if (bpf_probe_read_kernel(&ip, sizeof(ip), nh) || ip.version != 4)
		return;
	f->l3proto = ETH_P_IP;
	__builtin_memcpy(f->saddr, &ip.saddr, 4);
	__builtin_memcpy(f->daddr, &ip.daddr, 4);
	f->l4proto = ip.protocol;
	f->ip_len = bpf_ntohs(ip.tot_len);
	/* A non-first fragment carries no L4 header. */
	if (bpf_ntohs(ip.frag_off) & 0x1fff)
		return;
	parse_l4(f, nh + ip.ihl * 4);
}

/* Walks IPv6 extension headers to the upper-layer header. */
static __always_inline void parse_ipv6(struct nt_flow *f, const __u8 *nh)
{
	struct ipv6hdr ip6;
	__u8 ext[2], next;
	__u32 off = sizeof(ip6);
	__u16 frag;
	int i;

	if (bpf_probe_read_kernel(&ip6, sizeof(ip6), nh) || ip6.version != 6)
		return;
	f->l3proto = ETH_P_IPV6;
	__builtin_memcpy(f->saddr, &ip6.saddr, 16);
	__builtin_memcpy(f->daddr, &ip6.daddr, 16);
	f->ip_len = bpf_ntohs(ip6.payload_len) + sizeof(ip6);
	next = ip6.nexthdr;
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
	parse_l4(f, nh + off);
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
	__u32 hdr_len;  /* linear bytes from the network header, capped */
	__u32 netns;
	__u32 skb_len;
	__u16 flags;    /* enum nt_event_flags */
	struct nt_flow flow;
};

/*
 * Parses the flow of a packet. A packet without a network header takes its
 * flow from its socket; with neither, the flow stays empty.
 */
static __always_inline void parse_skb(struct pkt *p, struct sk_buff *skb)
{
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	__u32 tail = BPF_CORE_READ(skb, tail);
	struct sock *sk;
	__u8 ver;

	p->skb = skb;
	p->dev = BPF_CORE_READ(skb, dev);
	p->head = BPF_CORE_READ(skb, head);
	p->skb_len = BPF_CORE_READ(skb, len);
	p->netns = skb_netns(skb, p->dev);

	if (nh_unset(nh) || tail <= nh) {
		sk = BPF_CORE_READ(skb, sk);
		if (sk) {
			parse_sock(&p->flow, sk);
			p->flags |= NT_EV_FROM_SK;
		}
		return;
	}
	p->nh = nh;
	p->hdr_len = tail - nh;
	if (p->hdr_len > NT_PKT_BYTES)
		p->hdr_len = NT_PKT_BYTES;

	/* Output-path packets may not have skb->protocol yet. */
	if (!proto && !bpf_probe_read_kernel(&ver, 1, p->head + nh)) {
		ver >>= 4;
		proto = ver == 4 ? ETH_P_IP : ver == 6 ? ETH_P_IPV6 : 0;
	}
	p->flow.l3proto = proto;
	if (proto == ETH_P_IP)
		parse_ipv4(&p->flow, p->head + nh);
	else if (proto == ETH_P_IPV6)
		parse_ipv6(&p->flow, p->head + nh);
}

/* Copies a parsed packet into an event, with its first header bytes. */
static __always_inline void fill_event(struct nt_event *e, const struct pkt *p)
{
	struct net_device *dev = p->dev;
	__u32 len = p->hdr_len;

	e->skb = (__u64)p->skb;
	e->skb_len = p->skb_len;
	e->netns = p->netns;
	e->flags |= p->flags;
	e->flow = p->flow;
	if (dev) {
		e->ifindex = BPF_CORE_READ(dev, ifindex);
		BPF_CORE_READ_STR_INTO(&e->ifname, dev, name);
	}
	if (len > NT_PKT_BYTES)
		len = NT_PKT_BYTES;
	if (len && !bpf_probe_read_kernel(e->data, len, p->head + p->nh))
		e->data_len = len;
}

#endif /* SKB_PARSE_BPF_H */
