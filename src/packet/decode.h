/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-side packet decoding: the bytes an event carries (the link-layer
 * header, when it has one, then the network header on) into fields. Never
 * trusts a length: truncated and malformed packets decode as far as they go
 * and say why they stop.
 */
#ifndef NT_DECODE_H
#define NT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include "record/event.h"

enum nt_pkt_kind {
	NT_PKT_NONE = 0, /* nothing known */
	NT_PKT_IP,       /* IPv4 or IPv6 */
	NT_PKT_ARP,
	NT_PKT_OTHER, /* another ethertype */
};

enum nt_exthdr {
	NT_EXT_HOP = 1 << 0,
	NT_EXT_ROUTING = 1 << 1,
	NT_EXT_FRAG = 1 << 2,
	NT_EXT_AH = 1 << 3,
	NT_EXT_DSTOPTS = 1 << 4,
};

struct nt_pkt {
	__u16 link_type; /* ARPHRD_* of the link-layer header; NT_LINK_NONE: none */
	bool has_eth;    /* an Ethernet header was decoded: the eth_* fields */
	__u8 eth_dst[6], eth_src[6];
	__u16 eth_proto; /* ethertype (or 802.3 length) of the Ethernet header */
	enum nt_pkt_kind kind;
	__u16 l3proto; /* ethertype */
	__u8 family;   /* 4 or 6 for NT_PKT_IP */
	__u8 l4proto;
	__u8 saddr[16], daddr[16];
	__u32 ip_len;
	__u8 ttl;
	__u16 frag_off; /* in bytes; a non-first fragment has no L4 header */
	bool more_frags;
	bool has_l4;   /* the fields below are valid */
	__u16 sport, dport;
	__u32 seq, ack;
	__u8 tcp_flags;
	__u16 window;
	__u16 udp_len;
	__u8 icmp_type, icmp_code;
	__u16 icmp_id, icmp_seq;
	bool icmp_has_id; /* the 8 bytes carrying id and seq were there */
	__u16 arp_op;
	__u8 arp_sha[6], arp_tha[6];
	__u8 arp_spa[4], arp_tpa[4];
	bool arp_addrs; /* Ethernet/IPv4 addresses decoded */
	__u8 exthdrs; /* IPv6 extension headers seen: bits of enum nt_exthdr */
	bool from_sock; /* from nt_pkt_from_flow: ports known, no header fields */
	const char *problem; /* why decoding stopped early, or NULL */
};

/* Decodes @len bytes at @data, which start at the network header. */
void nt_pkt_decode(struct nt_pkt *p, __u16 l3proto, const __u8 *data, size_t len);

/*
 * Decodes @len captured bytes at @data: @nh_off bytes of link-layer header of
 * type @link_type (ARPHRD_*; NT_LINK_NONE with @nh_off 0: none), then the
 * packet from its network header on, as nt_pkt_decode() does.
 */
void nt_pkt_decode_frame(struct nt_pkt *p, __u16 l3proto, __u16 link_type, const __u8 *data,
			 size_t len, size_t nh_off);

/* The bytes an event carries, as nt_pkt_decode_frame() does. */
void nt_pkt_decode_event(struct nt_pkt *p, const struct nt_event *e);

/* Fills @p from a kernel-parsed flow (no header bytes: e.g. taken from a socket). */
void nt_pkt_from_flow(struct nt_pkt *p, const struct nt_flow *f);

#endif
