// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include "filter/filter.h"
#include "packet/text.h"
#include "packet/names.h"

void nt_addr_format(char *buf, size_t len, int family, const __u8 *addr)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf, len))
		snprintf(buf, len, "?");
}

void nt_tcp_flags_format(char *buf, size_t len, __u8 flags)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 8 && n + 1 < len; i++)
		if (flags & (1 << i))
			buf[n++] = nt_tcp_flag_letters[i];
	if (len)
		buf[n < len ? n : len - 1] = '\0';
}

static void endpoint(struct strbuf *sb, const struct nt_pkt *p, const __u8 *addr, __u16 port,
		     bool with_port)
{
	char a[INET6_ADDRSTRLEN];

	nt_addr_format(a, sizeof(a), p->family, addr);
	if (!with_port)
		sb_puts(sb, a);
	else if (p->family == 6)
		sb_printf(sb, "[%s]:%u", a, port);
	else
		sb_printf(sb, "%s:%u", a, port);
}

static void format_exthdrs(struct strbuf *sb, __u8 ext)
{
	static const char *const names[] = { "hop", "routing", "frag", "ah", "dstopts" };
	const char *sep = " ext:";
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(ext & (1 << i)))
			continue;
		sb_printf(sb, "%s%s", sep, names[i]);
		sep = ",";
	}
}

static void format_ip(struct strbuf *sb, const struct nt_pkt *p)
{
	bool ports = p->has_l4 && (p->l4proto == 6 || p->l4proto == 17 || p->l4proto == 132 ||
				   p->l4proto == 136);
	const char *l4 = nt_ipproto_name(p->l4proto);
	const char *icmp;
	char flags[9];

	if (p->has_l4 && l4)
		sb_printf(sb, "%s ", l4);
	else
		sb_printf(sb, "IPv%d ", p->family);
	endpoint(sb, p, p->saddr, p->sport, ports);
	sb_puts(sb, " -> ");
	endpoint(sb, p, p->daddr, p->dport, ports);
	if (p->from_sock) {
		if (!p->has_l4)
			sb_printf(sb, " %s", l4 ? l4 : "?");
		sb_puts(sb, " (from socket)");
	} else if (!p->has_l4) {
		if (l4)
			sb_printf(sb, " %s", l4);
		else
			sb_printf(sb, " proto %u", p->l4proto);
		if (p->frag_off)
			sb_printf(sb, " fragment off:%u", p->frag_off);
	} else if (p->l4proto == 6) {
		nt_tcp_flags_format(flags, sizeof(flags), p->tcp_flags);
		sb_printf(sb, " seq:%u ack:%u flags:%s", p->seq, p->ack, flags);
	} else if (p->l4proto == 17 || p->l4proto == 136) {
		sb_printf(sb, " len:%u", p->udp_len);
	} else if (p->l4proto == 1 || p->l4proto == 58) {
		icmp = nt_icmp_name(p->family, p->icmp_type, p->icmp_code);
		if (icmp)
			sb_printf(sb, " %s", icmp);
		else
			sb_printf(sb, " type:%u code:%u", p->icmp_type, p->icmp_code);
		if (p->icmp_has_id && (p->family == 4 ? (p->icmp_type == 0 || p->icmp_type == 8)
						      : (p->icmp_type == 128 || p->icmp_type == 129)))
			sb_printf(sb, " id:%u seq:%u", p->icmp_id, p->icmp_seq);
	}
	format_exthdrs(sb, p->exthdrs);
}

static void format_arp(struct strbuf *sb, const struct nt_pkt *p)
{
	char spa[INET_ADDRSTRLEN], tpa[INET_ADDRSTRLEN];
	const __u8 *m = p->arp_sha;

	if (!p->arp_addrs) {
		sb_printf(sb, "ARP %s", p->arp_op == 1 ? "request" : p->arp_op == 2 ? "reply" : "op");
		if (p->arp_op != 1 && p->arp_op != 2)
			sb_printf(sb, ":%u", p->arp_op);
		return;
	}
	nt_addr_format(spa, sizeof(spa), 4, p->arp_spa);
	nt_addr_format(tpa, sizeof(tpa), 4, p->arp_tpa);
	if (p->arp_op == 1)
		sb_printf(sb, "ARP request who-has %s tell %s", tpa, spa);
	else if (p->arp_op == 2)
		sb_printf(sb, "ARP reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x", spa, m[0], m[1],
			  m[2], m[3], m[4], m[5]);
	else
		sb_printf(sb, "ARP op:%u", p->arp_op);
}

void nt_pkt_format(struct strbuf *sb, const struct nt_pkt *p)
{
	const char *name;

	switch (p->kind) {
	case NT_PKT_IP:
		format_ip(sb, p);
		break;
	case NT_PKT_ARP:
		format_arp(sb, p);
		break;
	case NT_PKT_OTHER:
		name = nt_ethertype_name(p->l3proto);
		if (name)
			sb_printf(sb, "%s (ethertype 0x%04x)", name, p->l3proto);
		else
			sb_printf(sb, "ethertype 0x%04x", p->l3proto);
		break;
	case NT_PKT_NONE:
		sb_puts(sb, "no packet headers");
		break;
	}
	if (p->problem)
		sb_printf(sb, " [%s]", p->problem);
}
