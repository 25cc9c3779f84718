/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An sk_buff as the per-packet path sees it. Most probe hits fail the filter,
 * so what is read is ordered by cost: two skb fields on every hit, the
 * namespace when filtered on, the first header bytes once the fields of the
 * skb passed, the bytes an event carries once the packet matched.
 */
#ifndef PKT_BPF_H
#define PKT_BPF_H

#include "skb_parse.bpf.h"

/*
 * A field of a kernel object. With @btf the object came as a BTF-typed pointer
 * (tp_btf, fentry and fexit programs): the verifier lets such programs load its
 * fields directly, each load guarded against faults, for the price of a load.
 * Otherwise (raw_tp, kprobe, netfilter programs) it is a bare address and each
 * field costs a bpf_probe_read_kernel() call. @btf is a constant at every call
 * site, so only one of the two is compiled.
 */
#define NT_READ(btf, obj, field) ((btf) ? (obj)->field : BPF_CORE_READ(obj, field))

/*
 * Set by the user side when this kernel lets BTF programs load from the
 * buffer skb->head points to, each load guarded against faults (v6.17,
 * 2d5c91e1cc14 "bpf: rdonly_untrusted_mem for btf id walk pointer leafs"):
 * headers are then parsed in place, with no bpf_probe_read_kernel() call.
 * Before, skb->head loads as a bare number.
 */
const volatile bool pkt_direct = false;

/*
 * An inet socket's addresses and ports, local first, into @src/@dst (4 bytes
 * for AF_INET, 16 for AF_INET6) and its protocol. Returns its family; for
 * another family nothing else is read.
 */
static __always_inline __u16 sock_addrs(struct sock *sk, __u8 *src, __u8 *dst, __u16 *sport,
					__u16 *dport, __u8 *proto, bool btf)
{
	struct sock_common *c = &sk->__sk_common;
	__u16 family = NT_READ(btf, c, skc_family);
	__be32 a4[2];

	if (family == NT_AF_INET) {
		a4[0] = NT_READ(btf, c, skc_rcv_saddr);
		a4[1] = NT_READ(btf, c, skc_daddr);
		__builtin_memcpy(src, &a4[0], 4);
		__builtin_memcpy(dst, &a4[1], 4);
	} else if (family == NT_AF_INET6) {
		if (btf) {
			__builtin_memcpy(src, &c->skc_v6_rcv_saddr, 16);
			__builtin_memcpy(dst, &c->skc_v6_daddr, 16);
		} else {
			bpf_core_read(src, 16, &c->skc_v6_rcv_saddr);
			bpf_core_read(dst, 16, &c->skc_v6_daddr);
		}
	} else {
		return family;
	}
	/* A bitfield before v5.6 (bf9765145b85 "sock: Make sk_protocol a 16-bit value"). */
	if (btf)
		*proto = BPF_CORE_READ_BITFIELD(sk, sk_protocol);
	else
		*proto = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
	*sport = NT_READ(btf, c, skc_num);
	*dport = bpf_ntohs(NT_READ(btf, c, skc_dport));
	return family;
}

/* The flow of a packet that has no network header yet: its socket's. */
static __always_inline void parse_sock(struct nt_flow *f, struct sock *sk, bool btf)
{
	__u16 family = sock_addrs(sk, f->saddr, f->daddr, &f->sport, &f->dport, &f->l4proto, btf);

	if (family == NT_AF_INET)
		f->l3proto = ETH_P_IP;
	else if (family == NT_AF_INET6)
		f->l3proto = ETH_P_IPV6;
}

struct pkt {
	struct sk_buff *skb;
	struct net_device *dev;
	struct sock *sk;    /* BTF mode only: see pkt_init() */
	unsigned char *head; /* BTF mode: from pkt_init(); else from pkt_parse() */
	const __u8 *nh;     /* the network header; NULL: none (or unreadable) */
	__u32 nh_len;       /* bytes from the network header to the tail */
	__u16 nh_pos;       /* skb->network_header, with nh */
	__u32 skb_len;
	__u32 netns;        /* valid when netns_known */
	__u16 flags;        /* enum nt_event_flags */
	bool netns_known;
	struct nt_flow flow;
};

/*
 * In BTF mode every pointer of the skb is loaded here, on one path: the
 * verifier checks each pointer load from the trusted skb against the kernel's
 * BTF by name, a linear search (btf_nested_type_is_trusted()), on every path
 * reaching it. Spread over the parsing branches, these searches made each
 * trace clone's load three times slower. A probe read costs more than a
 * load: in the other modes they are read when needed.
 */
static __always_inline void pkt_init(struct pkt *p, struct sk_buff *skb, bool btf)
{
	p->skb = skb;
	p->dev = NT_READ(btf, skb, dev);
	p->skb_len = NT_READ(btf, skb, len);
	if (btf) {
		p->sk = skb->sk;
		p->head = skb->head;
	}
}

static __always_inline struct sock *pkt_sk(const struct pkt *p, bool btf)
{
	struct sk_buff *skb = p->skb;

	return btf ? p->sk : BPF_CORE_READ(skb, sk);
}

static __always_inline __u32 skb_netns(struct pkt *p, bool btf)
{
	struct net_device *dev = p->dev;
	struct net *net;
	struct sock *sk;

	if (dev) {
		net = NT_READ(btf, dev, nd_net.net);
	} else {
		sk = pkt_sk(p, btf);
		if (!sk)
			return 0;
		net = NT_READ(btf, sk, __sk_common.skc_net.net);
	}
	return net ? NT_READ(btf, net, ns.inum) : 0;
}

/* The namespace costs three dependent reads: done only when filtered on or emitted. */
static __always_inline __u32 pkt_netns(struct pkt *p, bool btf)
{
	if (!p->netns_known) {
		p->netns = skb_netns(p, btf);
		p->netns_known = true;
	}
	return p->netns;
}

/*
 * Parses the flow of a packet from its first NT_PARSE_BYTES header bytes, in
 * place with pkt_direct, else from a copy. A packet without a network header
 * takes its flow from its socket; with neither, the flow stays empty.
 */
static __always_inline void pkt_parse(struct pkt *p, bool btf)
{
	struct sk_buff *skb = p->skb;
	__u16 nh = NT_READ(btf, skb, network_header);
	__u32 tail = NT_READ(btf, skb, tail);
	__u8 buf[NT_PARSE_BYTES];
	const __u8 *hdr = buf, *l3;
	__u16 proto;
	__u64 len;
	struct sock *sk;
	__u8 ver;

	if (nh_unset(nh) || tail <= nh) {
		sk = pkt_sk(p, btf);
		if (sk) {
			parse_sock(&p->flow, sk, btf);
			p->flags |= NT_EV_FROM_SK;
		}
		return;
	}
	if (!btf)
		p->head = BPF_CORE_READ(skb, head);
	l3 = p->head + nh;
	len = (__u64)tail - nh;
	/* Clamp on the register the helper gets, so the verifier sees its bounds. */
	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(len) : "i"(NT_PARSE_BYTES));
	if (btf && pkt_direct)
		hdr = l3;
	else if (bpf_probe_read_kernel(buf, len, l3))
		return;
	p->nh = l3;
	p->nh_len = tail - nh;
	p->nh_pos = nh;

	proto = bpf_ntohs(NT_READ(btf, skb, protocol));
	/* Output-path packets may not have skb->protocol yet. */
	if (!proto) {
		ver = hdr[0] >> 4;
		proto = ver == 4 ? ETH_P_IP : ver == 6 ? ETH_P_IPV6 : 0;
	}
	p->flow.l3proto = proto;
	if (proto == ETH_P_IP)
		parse_ipv4(&p->flow, hdr, len, l3);
	else if (proto == ETH_P_IPV6)
		parse_ipv6(&p->flow, hdr, len, l3);
}

/*
 * The device's name into 8-byte aligned @name: in BTF mode two loads (the
 * kernel keeps it NUL-terminated within its IFNAMSIZ bytes), else a string read.
 */
static __always_inline void dev_name(char *name, struct net_device *dev, bool btf)
{
	__u64 *w = (__u64 *)name;

	if (btf) {
		w[0] = *(__u64 *)&dev->name[0];
		w[1] = *(__u64 *)&dev->name[8];
	} else {
		bpf_core_read_str(name, NT_IFNAMSIZ, &dev->name);
	}
}

/* The header's packet fields, from a parsed packet. */
static __always_inline void fill_rec(struct nt_rec *r, struct pkt *p, bool btf)
{
	struct net_device *dev = p->dev;

	_Static_assert(__builtin_offsetof(struct nt_rec, ifname) % 8 == 0, "for dev_name()");
	r->skb = (__u64)p->skb;
	r->skb_len = p->skb_len;
	r->netns = pkt_netns(p, btf);
	r->flags |= p->flags;
	r->flow = p->flow;
	if (dev) {
		r->ifindex = NT_READ(btf, dev, ifindex);
		dev_name(r->ifname, dev, btf);
	}
}

/*
 * The packet's bytes, read straight into the section now that the packet
 * matched (the filter only needed the first NT_PARSE_BYTES, parsed in place
 * or from a smaller copy): from the link-layer header when the skb has one
 * (mac header set, before the network header, at most NT_LINK_MAX bytes
 * long) and a device to say its type, else from the network header.
 */
static __always_inline void put_packet(struct nt_sec_packet *s, struct pkt *p, bool btf)
{
	struct net_device *dev = p->dev;
	struct sk_buff *skb = p->skb;
	__u64 len = p->nh_len, link = 0;
	__u16 nh = p->nh_pos, mac;

	s->link_type = NT_LINK_NONE;
	s->nh_off = 0;
	s->len = 0;
	if (!p->nh)
		return;
	/*
	 * In BTF mode the offsets are loaded again: the copies kept from
	 * pkt_parse() carry the ranges its branches gave them, and as the read's
	 * size the verifier would track them back through them, every path apart
	 * (twice the states per trace clone). A load is a fresh value to it.
	 */
	if (btf) {
		nh = NT_READ(btf, skb, network_header);
		len = NT_READ(btf, skb, tail) - nh;
	}
	mac = NT_READ(btf, skb, mac_header);
	if (dev && mac != (__u16)~0U && mac < nh && nh - mac <= NT_LINK_MAX)
		link = nh - mac;
	len += link;
	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(len) : "i"(NT_SNAP_BYTES));
	if (bpf_probe_read_kernel(s->data, len, p->head + nh - link))
		return;
	s->len = len;
	s->nh_off = link;
	if (link)
		s->link_type = NT_READ(btf, dev, type);
}

/* The socket's state, family, addresses and ports. */
static __always_inline void put_sock(struct nt_sec_sock *sec, struct sock *sk, bool btf)
{
	struct nt_sock *s = &sec->sk;

	__builtin_memset(s, 0, sizeof(*s));
	s->family = sock_addrs(sk, s->saddr, s->daddr, &s->sport, &s->dport, &s->protocol, btf);
	s->state = NT_READ(btf, &sk->__sk_common, skc_state);
	/* Request and time-wait sockets end before sk_type. A bitfield before v5.6 (bf9765145b85). */
	if (s->state == TCP_TIME_WAIT || s->state == TCP_NEW_SYN_RECV)
		return;
	if (btf)
		s->type = BPF_CORE_READ_BITFIELD(sk, sk_type);
	else
		s->type = BPF_CORE_READ_BITFIELD_PROBED(sk, sk_type);
}

#endif /* PKT_BPF_H */
