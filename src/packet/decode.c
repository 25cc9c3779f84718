// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "packet/decode.h"

#define ETH_P_IP   0x0800
#define ETH_P_ARP  0x0806
#define ETH_P_IPV6 0x86DD

static __u16 get16(const __u8 *b)
{
	return (__u16)(b[0] << 8 | b[1]);
}

static __u32 get32(const __u8 *b)
{
	return (__u32)b[0] << 24 | (__u32)b[1] << 16 | (__u32)b[2] << 8 | b[3];
}

static void decode_l4(struct nt_pkt *p, const __u8 *l4, size_t len)
{
	switch (p->l4proto) {
	case 6: /* TCP */
		if (len < 20) {
			p->problem = "truncated TCP header";
			return;
		}
		p->seq = get32(l4 + 4);
		p->ack = get32(l4 + 8);
		p->tcp_flags = l4[13];
		p->window = get16(l4 + 14);
		break;
	case 17:  /* UDP */
	case 136: /* UDP-Lite */
		if (len < 8) {
			p->problem = "truncated UDP header";
			return;
		}
		p->udp_len = get16(l4 + 4);
		break;
	case 132: /* SCTP */
		if (len < 4) {
			p->problem = "truncated SCTP header";
			return;
		}
		break;
	case 1:  /* ICMP */
	case 58: /* ICMPv6 */
		if (len < 4) {
			p->problem = "truncated ICMP header";
			return;
		}
		p->icmp_type = l4[0];
		p->icmp_code = l4[1];
		p->has_l4 = true;
		if (len >= 8) {
			p->icmp_id = get16(l4 + 4);
			p->icmp_seq = get16(l4 + 6);
			p->icmp_has_id = true;
		} else if (p->icmp_type == 0 || p->icmp_type == 8 || p->icmp_type == 128 ||
			   p->icmp_type == 129) {
			p->problem = "truncated ICMP echo header";
		}
		return;
	default:
		return;
	}
	p->sport = get16(l4);
	p->dport = get16(l4 + 2);
	p->has_l4 = true;
}

static void decode_ipv4(struct nt_pkt *p, const __u8 *d, size_t len)
{
	size_t ihl;

	if (len < 20) {
		p->problem = "truncated IPv4 header";
		return;
	}
	if (d[0] >> 4 != 4) {
		p->problem = "malformed IPv4 header (version is not 4)";
		return;
	}
	p->kind = NT_PKT_IP;
	p->family = 4;
	memcpy(p->saddr, d + 12, 4);
	memcpy(p->daddr, d + 16, 4);
	p->ip_len = get16(d + 2);
	p->ttl = d[8];
	p->l4proto = d[9];
	p->frag_off = (get16(d + 6) & 0x1fff) * 8;
	p->more_frags = get16(d + 6) & 0x2000;
	ihl = (d[0] & 0xf) * 4;
	if (ihl < 20) {
		p->problem = "malformed IPv4 header (header length below 20)";
		return;
	}
	if (p->frag_off)
		return;
	if (ihl > len) {
		p->problem = "truncated IPv4 options";
		return;
	}
	decode_l4(p, d + ihl, len - ihl);
}

/* Extension headers walked before the upper-layer header. */
#define MAX_EXTHDRS 8

static __u8 exthdr_bit(__u8 next)
{
	switch (next) {
	case 0:
		return NT_EXT_HOP;
	case 43:
		return NT_EXT_ROUTING;
	case 44:
		return NT_EXT_FRAG;
	case 51:
		return NT_EXT_AH;
	case 60:
		return NT_EXT_DSTOPTS;
	}
	return 0;
}

static bool is_exthdr(__u8 next)
{
	return exthdr_bit(next) != 0;
}

static void decode_ipv6(struct nt_pkt *p, const __u8 *d, size_t len)
{
	size_t off = 40, hlen;
	__u8 next;
	int i;

	if (len < 40) {
		p->problem = "truncated IPv6 header";
		return;
	}
	if (d[0] >> 4 != 6) {
		p->problem = "malformed IPv6 header (version is not 6)";
		return;
	}
	p->kind = NT_PKT_IP;
	p->family = 6;
	memcpy(p->saddr, d + 8, 16);
	memcpy(p->daddr, d + 24, 16);
	p->ip_len = get16(d + 4) + 40;
	p->ttl = d[7];
	next = d[6];
	for (i = 0; i < MAX_EXTHDRS && is_exthdr(next); i++) {
		if (off + 8 > len) {
			p->l4proto = next;
			p->problem = "truncated IPv6 extension header";
			return;
		}
		p->exthdrs |= exthdr_bit(next);
		if (next == 44) { /* fragment */
			p->frag_off = get16(d + off + 2) & 0xfff8;
			p->more_frags = d[off + 3] & 1;
			hlen = 8;
		} else if (next == 51) { /* AH: length in 4-octet units, minus 2 */
			hlen = (d[off + 1] + 2) * 4;
		} else {
			hlen = (d[off + 1] + 1) * 8;
		}
		next = d[off];
		off += hlen;
		if (p->frag_off) {
			p->l4proto = next;
			return;
		}
	}
	p->l4proto = next;
	if (is_exthdr(next)) {
		p->problem = "too many IPv6 extension headers";
		return;
	}
	if (off > len) {
		p->problem = "truncated IPv6 extension header";
		return;
	}
	decode_l4(p, d + off, len - off);
}

static void decode_arp(struct nt_pkt *p, const __u8 *d, size_t len)
{
	if (len < 8) {
		p->problem = "truncated ARP header";
		return;
	}
	p->kind = NT_PKT_ARP;
	p->arp_op = get16(d + 6);
	/* Only Ethernet/IPv4 ARP carries the addresses decoded here. */
	if (get16(d) != 1 || get16(d + 2) != ETH_P_IP || d[4] != 6 || d[5] != 4)
		return;
	if (len < 28) {
		p->problem = "truncated ARP addresses";
		return;
	}
	p->arp_addrs = true;
	memcpy(p->arp_sha, d + 8, 6);
	memcpy(p->arp_spa, d + 14, 4);
	memcpy(p->arp_tha, d + 18, 6);
	memcpy(p->arp_tpa, d + 24, 4);
}

void nt_pkt_decode(struct nt_pkt *p, __u16 l3proto, const __u8 *data, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->link_type = NT_LINK_NONE;
	p->l3proto = l3proto;
	p->kind = l3proto ? NT_PKT_OTHER : NT_PKT_NONE;
	if (!data)
		len = 0;
	switch (l3proto) {
	case ETH_P_IP:
		decode_ipv4(p, data, len);
		break;
	case ETH_P_IPV6:
		decode_ipv6(p, data, len);
		break;
	case ETH_P_ARP:
		decode_arp(p, data, len);
		break;
	}
}

#define ARPHRD_ETHER    1
#define ARPHRD_LOOPBACK 772 /* carries an Ethernet header (of zeros) too */

void nt_pkt_decode_frame(struct nt_pkt *p, __u16 l3proto, __u16 link_type, const __u8 *data,
			 size_t len, size_t nh_off)
{
	const __u8 *l2 = data;

	if (!data || nh_off > len)
		nh_off = len = 0;
	nt_pkt_decode(p, l3proto, data ? data + nh_off : NULL, len - nh_off);
	if (!nh_off)
		return;
	p->link_type = link_type;
	if ((link_type == ARPHRD_ETHER || link_type == ARPHRD_LOOPBACK) && nh_off >= 14) {
		p->has_eth = true;
		memcpy(p->eth_dst, l2, 6);
		memcpy(p->eth_src, l2 + 6, 6);
		p->eth_proto = get16(l2 + 12);
	}
}

void nt_pkt_decode_event(struct nt_pkt *p, const struct nt_event *e)
{
	nt_pkt_decode_frame(p, e->flow.l3proto, e->link_type, e->data,
			    e->data_len < NT_SNAP_BYTES ? e->data_len : NT_SNAP_BYTES, e->nh_off);
}

void nt_pkt_from_flow(struct nt_pkt *p, const struct nt_flow *f)
{
	memset(p, 0, sizeof(*p));
	p->link_type = NT_LINK_NONE;
	p->l3proto = f->l3proto;
	if (f->l3proto != ETH_P_IP && f->l3proto != ETH_P_IPV6) {
		p->kind = f->l3proto ? NT_PKT_OTHER : NT_PKT_NONE;
		return;
	}
	p->kind = NT_PKT_IP;
	p->family = f->l3proto == ETH_P_IP ? 4 : 6;
	memcpy(p->saddr, f->saddr, sizeof(p->saddr));
	memcpy(p->daddr, f->daddr, sizeof(p->daddr));
	p->l4proto = f->l4proto;
	p->ip_len = f->ip_len;
	if (f->l4proto == 6 || f->l4proto == 17 || f->l4proto == 132) {
		p->sport = f->sport;
		p->dport = f->dport;
		p->tcp_flags = f->tcp_flags;
		p->has_l4 = true;
	}
	p->from_sock = true;
}
