// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "filter/filter.h"

const char nt_tcp_flag_letters[9] = "FSRPAUEC";

int nt_parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

int nt_parse_prefix(const char *s, struct nt_prefix *p, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned long plen;
	char *slash;

	memset(p, 0, sizeof(*p));
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = 4;
		p->plen = 32;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = 6;
		p->plen = 128;
	} else {
		goto bad;
	}
	if (slash) {
		if (nt_parse_uint(slash, p->plen, &plen)) {
			snprintf(err, errlen, "'%s': prefix length must be 0..%u", s, p->plen);
			return -1;
		}
		p->plen = plen;
	}
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address (ADDR or ADDR/LEN)", s);
	return -1;
}

int nt_parse_port(const char *s, __u16 *port, char *err, size_t errlen)
{
	unsigned long v;

	if (nt_parse_uint(s, 65535, &v)) {
		snprintf(err, errlen, "'%s' is not a port (0..65535)", s);
		return -1;
	}
	*port = v;
	return 0;
}

static const struct {
	const char *name;
	__u16 l3proto; /* ethertype, 0: any */
	__u8 l4proto;  /* 0: any */
} protos[] = {
	{ "tcp", 0, 6 },         { "udp", 0, 17 },        { "sctp", 0, 132 },
	{ "icmp", 0x0800, 1 },   { "icmp6", 0x86DD, 58 }, { "icmpv6", 0x86DD, 58 },
	{ "arp", 0x0806, 0 },    { "ip", 0x0800, 0 },     { "ipv4", 0x0800, 0 },
	{ "ip6", 0x86DD, 0 },    { "ipv6", 0x86DD, 0 },
};

int nt_parse_proto(const char *s, struct nt_filter *f, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (strcasecmp(s, protos[i].name))
			continue;
		f->mask &= ~(NT_F_L3PROTO | NT_F_L4PROTO);
		if (protos[i].l3proto) {
			f->mask |= NT_F_L3PROTO;
			f->l3proto = protos[i].l3proto;
		}
		if (protos[i].l4proto) {
			f->mask |= NT_F_L4PROTO;
			f->l4proto = protos[i].l4proto;
		}
		return 0;
	}
	snprintf(err, errlen,
		 "unknown protocol '%s' (tcp, udp, sctp, icmp, icmp6, arp, ip, ip6)", s);
	return -1;
}

int nt_parse_tcp_flags(const char *s, __u8 *flags, char *err, size_t errlen)
{
	const char *c, *pos;

	*flags = 0;
	for (c = s; *c; c++) {
		pos = strchr(nt_tcp_flag_letters, toupper((unsigned char)*c));
		if (!pos) {
			snprintf(err, errlen, "'%c' in '%s' is not a TCP flag (letters of %s)", *c,
				 s, nt_tcp_flag_letters);
			return -1;
		}
		*flags |= 1 << (pos - nt_tcp_flag_letters);
	}
	if (!*flags) {
		snprintf(err, errlen, "no TCP flags given (letters of %s)", nt_tcp_flag_letters);
		return -1;
	}
	return 0;
}

int nt_parse_len_range(const char *s, __u32 *min, __u32 *max, char *err, size_t errlen)
{
	char buf[32], *dash;
	unsigned long lo, hi;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (nt_parse_uint(buf, 0xffffffffUL, &lo))
		goto bad;
	hi = lo;
	if (dash && nt_parse_uint(dash, 0xffffffffUL, &hi))
		goto bad;
	if (hi < lo) {
		snprintf(err, errlen, "'%s': MAX is below MIN", s);
		return -1;
	}
	*min = lo;
	*max = hi;
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not a length or range (MIN or MIN-MAX bytes)", s);
	return -1;
}

/* An inode number, or the path of a network namespace file. */
int nt_parse_netns(const char *s, __u32 *inode, char *err, size_t errlen)
{
	unsigned long v;
	struct stat st;

	if (!nt_parse_uint(s, 0xffffffffUL, &v)) {
		if (!v) {
			snprintf(err, errlen, "0 is not a namespace inode");
			return -1;
		}
		*inode = v;
		return 0;
	}
	if (stat(s, &st)) {
		snprintf(err, errlen, "'%s' is neither a namespace inode nor a file: %s", s,
			 strerror(errno));
		return -1;
	}
	*inode = st.st_ino;
	return 0;
}

int nt_parse_ifname(const char *s, char *ifname, char *err, size_t errlen)
{
	size_t len = strlen(s);

	/* What the kernel's dev_valid_name() refuses can never match. */
	if (!len || len >= NT_IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, "..") ||
	    strpbrk(s, "/: \t\n")) {
		snprintf(err, errlen, "'%s' is not an interface name (1..%d characters)", s,
			 NT_IFNAMSIZ - 1);
		return -1;
	}
	memset(ifname, 0, NT_IFNAMSIZ);
	memcpy(ifname, s, len);
	return 0;
}
