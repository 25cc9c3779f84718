// SPDX-License-Identifier: GPL-2.0
/* nettrace's filter as nft match expressions, and names of verdicts, families and hooks. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "netfilter/nftrace/nftrace.h"
#include "util/strbuf.h"

#define ETH_IP   0x0800
#define ETH_IPV6 0x86DD

const char *nt_nftrace_verdict_name(int code)
{
	static const char *const nf[] = { "drop", "accept", "stolen", "queue", "repeat", "stop" };
	static const char *const nft[] = { "continue", "break", "jump", "goto", "return" };

	if (code >= 0) {
		code &= 0xff; /* NF_VERDICT_MASK: queue number or errno above */
		return code < 6 ? nf[code] : "unknown";
	}
	if (code >= -5)
		return nft[-code - 1];
	return "unknown";
}

const char *nt_nft_family_name(int family)
{
	switch (family) {
	case 1: return "inet";
	case 2: return "ip";
	case 3: return "arp";
	case 5: return "netdev";
	case 7: return "bridge";
	case 10: return "ip6";
	}
	return NULL;
}

void nt_nft_family_format(char *buf, size_t len, int family)
{
	const char *name = nt_nft_family_name(family);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "family%d", family);
}

int nt_nft_hook_number(int family, const char *name)
{
	static const char *const inet[] = { "prerouting", "input", "forward", "output",
					    "postrouting", "ingress" };
	static const char *const arp[] = { "input", "output", "forward" };
	static const char *const netdev[] = { "ingress", "egress" };
	const char *const *names = inet;
	int i, n = 6;

	if (family == 3) {
		names = arp;
		n = 3;
	} else if (family == 5) {
		names = netdev;
		n = 2;
	} else if (!nt_nft_family_name(family)) {
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static const char *l4_name(__u8 proto)
{
	switch (proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 132: return "sctp";
	case 1: return "icmp";
	case 58: return "icmpv6";
	}
	return NULL;
}

static int __attribute__((format(printf, 3, 4)))
fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

/* "ip saddr 10.0.0.0/24" for @p, with the host bits cleared; "" for a /0 prefix. */
static void prefix_expr(char *out, size_t len, const struct nt_prefix *p, const char *dir)
{
	__u8 a[16] = {};
	char txt[INET6_ADDRSTRLEN];
	int full = p->plen / 8, rest = p->plen % 8;
	int bits = p->family == 4 ? 32 : 128;

	out[0] = '\0';
	if (!p->plen)
		return;
	memcpy(a, p->addr, full);
	if (rest)
		a[full] = p->addr[full] & (__u8)(0xff << (8 - rest));
	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, a, txt, sizeof(txt));
	if (p->plen == bits)
		snprintf(out, len, "%s %s %s", p->family == 4 ? "ip" : "ip6", dir, txt);
	else
		snprintf(out, len, "%s %s %s/%u", p->family == 4 ? "ip" : "ip6", dir, txt, p->plen);
}

/* Checks that @fam (4, 6 or 0: any) agrees with what is known so far. */
static int family_meet(int *known, const char **by, int fam, const char *what, char *why,
		       size_t whylen)
{
	if (!fam)
		return 0;
	if (*known && *known != fam)
		return fail(why, whylen, "no packet can match: %s is IPv%d but %s is IPv%d", what,
			    fam, *by, *known);
	*known = fam;
	*by = what;
	return 0;
}

int nt_nftrace_filter_expr(const struct nt_filter *f, char *buf, size_t len, char *why,
			   size_t whylen)
{
	char base[512], alt[3][2][96], part[96];
	struct strbuf sb = { .s = base, .size = sizeof(base) };
	struct strbuf out = { .s = buf, .size = len };
	const char *l4 = NULL, *by = NULL, *pfx = NULL, *nfproto = "";
	int fam = 0, nalt[3] = { 1, 1, 1 }, i, j, k, lines = 0;
	bool implied = false; /* the expression already implies the family */
	__u8 l4proto = 0;
	__u32 m = f->mask;

	memset(alt, 0, sizeof(alt));
	base[0] = '\0';
	if (len)
		buf[0] = '\0';
	if (m & NT_F_L3PROTO) {
		if (f->l3proto == ETH_IP || f->l3proto == ETH_IPV6)
			family_meet(&fam, &by, f->l3proto == ETH_IP ? 4 : 6, "-p", why, whylen);
		else
			return fail(why, whylen, "nft tracing sees IPv4 and IPv6 packets only, not %s",
				    f->l3proto == 0x0806 ? "ARP" : "this protocol");
	}
	if ((m & NT_F_SADDR) && family_meet(&fam, &by, f->saddr.family, "--saddr", why, whylen))
		return -1;
	if ((m & NT_F_DADDR) && family_meet(&fam, &by, f->daddr.family, "--daddr", why, whylen))
		return -1;
	if ((m & NT_F_ADDR) && family_meet(&fam, &by, f->addr.family, "--addr", why, whylen))
		return -1;

	if (m & NT_F_L4PROTO) {
		l4proto = f->l4proto;
		l4 = l4_name(l4proto);
	}
	if (m & NT_F_TCPFLAGS) {
		if (l4proto && l4proto != 6)
			return fail(why, whylen, "no packet can match: --tcpflags with -p %s",
				    l4 ? l4 : "(not tcp)");
		l4proto = 6;
	}
	if ((m & (NT_F_SPORT | NT_F_DPORT | NT_F_PORT)) && l4proto && l4proto != 6 &&
	    l4proto != 17 && l4proto != 132)
		return fail(why, whylen,
			    "no packet can match: ports with -p %s (only tcp, udp and sctp have ports)",
			    l4 ? l4 : "(other)");

	/* Protocols. */
	if (m & NT_F_L4PROTO) {
		if (l4)
			sb_printf(&sb, " meta l4proto %s", l4);
		else
			sb_printf(&sb, " meta l4proto %u", f->l4proto);
	}
	/* Addresses. */
	if (m & NT_F_SADDR) {
		prefix_expr(part, sizeof(part), &f->saddr, "saddr");
		implied |= part[0];
		sb_printf(&sb, "%s%s", part[0] ? " " : "", part);
	}
	if (m & NT_F_DADDR) {
		prefix_expr(part, sizeof(part), &f->daddr, "daddr");
		implied |= part[0];
		sb_printf(&sb, "%s%s", part[0] ? " " : "", part);
	}
	if ((m & NT_F_ADDR) && f->addr.plen) {
		prefix_expr(alt[0][0], sizeof(alt[0][0]), &f->addr, "saddr");
		prefix_expr(alt[0][1], sizeof(alt[0][1]), &f->addr, "daddr");
		nalt[0] = 2;
		implied = true;
	}
	/* Ports: "udp dport 53" when the protocol is known, else "th dport 53". */
	pfx = l4proto == 6 ? "tcp" : l4proto == 17 ? "udp" : l4proto == 132 ? "sctp" : "th";
	if ((m & (NT_F_SPORT | NT_F_DPORT | NT_F_PORT)) && !l4proto)
		sb_puts(&sb, " meta l4proto { tcp, udp, sctp }");
	if (m & NT_F_SPORT)
		sb_printf(&sb, " %s sport %u", pfx, f->sport);
	if (m & NT_F_DPORT)
		sb_printf(&sb, " %s dport %u", pfx, f->dport);
	if (m & NT_F_PORT) {
		snprintf(alt[1][0], sizeof(alt[1][0]), "%s sport %u", pfx, f->port);
		snprintf(alt[1][1], sizeof(alt[1][1]), "%s dport %u", pfx, f->port);
		nalt[1] = 2;
	}
	if (m & NT_F_TCPFLAGS) {
		char list[64];
		struct strbuf fl = STRBUF(list);
		static const char *const names[] = { "fin", "syn", "rst", "psh",
						     "ack", "urg", "ecn", "cwr" };

		for (i = 0; i < 8; i++)
			if (f->tcp_flags & (1 << i))
				sb_printf(&fl, "%s%s", fl.len ? " | " : "", names[i]);
		if (fl.len)
			sb_printf(&sb, " tcp flags & (%s) == %s", list, list);
	}
	/* Length: the IP total length, as the BPF filter compares. */
	if (m & NT_F_PKTLEN) {
		__u32 lo = f->len_min, hi = f->len_max;

		if (fam == 6) {
			if (hi < 40)
				return fail(why, whylen, "no packet can match: --pkt-len below 40 with IPv6");
			lo = lo < 40 ? 0 : lo - 40;
			hi -= 40;
		}
		if (fam && lo > 65535)
			return fail(why, whylen, "no packet can match: --pkt-len above 65535");
		if (fam && hi > 65535)
			hi = 65535;
		if (fam)
			implied = true;
		sb_printf(&sb, " %s length %u", fam == 4 ? "ip" : fam == 6 ? "ip6" : "meta", lo);
		if (hi != lo)
			sb_printf(&sb, "-%u", hi);
	}
	/* Device: the packet's device, coming in or going out. */
	if (m & NT_F_DEV) {
		char name[NT_IFNAMSIZ + 1] = {};

		memcpy(name, f->ifname, NT_IFNAMSIZ);
		if (!name[0] || strpbrk(name, "\"\\*"))
			return fail(why, whylen, "--dev '%s': nft cannot match this name exactly", name);
		snprintf(alt[2][0], sizeof(alt[2][0]), "iifname \"%s\"", name);
		snprintf(alt[2][1], sizeof(alt[2][1]), "oifname \"%s\"", name);
		nalt[2] = 2;
	}
	if (sb.len + 1 >= sizeof(base))
		return fail(why, whylen, "filter too long for nft");
	if (fam && !implied)
		nfproto = fam == 4 ? " meta nfproto ipv4" : " meta nfproto ipv6";

	for (i = 0; i < nalt[0]; i++)
		for (j = 0; j < nalt[1]; j++)
			for (k = 0; k < nalt[2]; k++) {
				char line[800];

				snprintf(line, sizeof(line), "%s%s%s%s%s%s%s%s", nfproto, base,
					 alt[0][i][0] ? " " : "", alt[0][i], alt[1][j][0] ? " " : "",
					 alt[1][j], alt[2][k][0] ? " " : "", alt[2][k]);
				sb_printf(&out, "%s%s", lines++ ? "\n" : "",
					  line[0] == ' ' ? line + 1 : line);
			}
	if (out.len + 1 >= len)
		return fail(why, whylen, "filter too long for nft");
	return lines;
}
