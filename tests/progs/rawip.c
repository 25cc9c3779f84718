// SPDX-License-Identifier: GPL-2.0
/*
 * For tests: sends one hand-made IPv4 packet through a raw socket, for faults
 * that a normal socket cannot produce (a wrong checksum, a spoofed or martian
 * source, an unknown protocol, a TCP segment of no connection, a lone fragment).
 * Usage: rawip SRC DST PROTO [sport=N] [dport=N] [flags=SAFRPU] [ttl=N]
 *              [len=N] [csum=bad] [frag=first]
 *   PROTO    tcp, udp, icmp (an echo request) or a protocol number
 *   len      payload bytes after the tcp/udp/icmp header (default 8)
 *   csum=bad the tcp/udp/icmp checksum is off by one
 *   frag=first  only the first fragment of a larger datagram is sent
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct opts {
	struct in_addr src, dst;
	int proto, sport, dport, ttl, len;
	const char *flags;
	int bad_csum, first_frag;
};

static unsigned int sum16(const unsigned char *p, size_t n, unsigned int s)
{
	for (; n > 1; n -= 2, p += 2)
		s += (unsigned int)(p[0] << 8 | p[1]);
	if (n)
		s += (unsigned int)(p[0] << 8);
	return s;
}

static unsigned short fold(unsigned int s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (unsigned short)~s;
}

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, unsigned int v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static unsigned int tcp_flags(const char *s)
{
	static const char letters[] = "FSRPAU";
	unsigned int f = 0;
	const char *c;

	for (; s && *s; s++) {
		c = strchr(letters, *s);
		if (c)
			f |= 1u << (c - letters);
	}
	return f;
}

/* The transport header and payload at @l4; returns its length. */
static size_t build_l4(const struct opts *o, unsigned char *l4)
{
	size_t hl = o->proto == 6 ? 20 : o->proto == 17 || o->proto == 1 ? 8 : 0;
	size_t n = hl + (size_t)o->len;
	unsigned int s = 0;
	unsigned short c;

	memset(l4, 'x', n);
	if (o->proto == 6) {
		put16(l4, o->sport);
		put16(l4 + 2, o->dport);
		put32(l4 + 4, 0x1000);
		put32(l4 + 8, 0);
		l4[12] = 5 << 4;
		l4[13] = (unsigned char)tcp_flags(o->flags);
		put16(l4 + 14, 65535);
		put32(l4 + 16, 0);
	} else if (o->proto == 17) {
		put16(l4, o->sport);
		put16(l4 + 2, o->dport);
		put16(l4 + 4, (unsigned int)n);
		put16(l4 + 6, 0);
	} else if (o->proto == 1) {
		put32(l4, 8 << 24); /* echo request, code 0, checksum 0 */
		put32(l4 + 4, 0x00540001);
	}
	if (!hl)
		return n;
	if (o->proto != 1) { /* pseudo header */
		s = sum16((const unsigned char *)&o->src, 4, s);
		s = sum16((const unsigned char *)&o->dst, 4, s);
		s += (unsigned int)o->proto + (unsigned int)n;
	}
	c = fold(sum16(l4, n, s));
	if (o->bad_csum)
		c = c == 0xfffe ? 1 : (unsigned short)(c + 1);
	else if (!c && o->proto == 17)
		c = 0xffff;
	put16(l4 + (o->proto == 6 ? 16 : o->proto == 17 ? 6 : 2), c);
	return n;
}

static int parse(struct opts *o, int argc, char **argv)
{
	int i;

	if (argc < 4 || inet_pton(AF_INET, argv[1], &o->src) != 1 ||
	    inet_pton(AF_INET, argv[2], &o->dst) != 1)
		return -1;
	o->proto = !strcmp(argv[3], "tcp")    ? 6
		   : !strcmp(argv[3], "udp")  ? 17
		   : !strcmp(argv[3], "icmp") ? 1
					      : atoi(argv[3]);
	o->sport = 40000;
	o->dport = 9;
	o->ttl = 64;
	o->len = 8;
	for (i = 4; i < argc; i++) {
		if (!strncmp(argv[i], "sport=", 6))
			o->sport = atoi(argv[i] + 6);
		else if (!strncmp(argv[i], "dport=", 6))
			o->dport = atoi(argv[i] + 6);
		else if (!strncmp(argv[i], "flags=", 6))
			o->flags = argv[i] + 6;
		else if (!strncmp(argv[i], "ttl=", 4))
			o->ttl = atoi(argv[i] + 4);
		else if (!strncmp(argv[i], "len=", 4))
			o->len = atoi(argv[i] + 4);
		else if (!strcmp(argv[i], "csum=bad"))
			o->bad_csum = 1;
		else if (!strcmp(argv[i], "frag=first"))
			o->first_frag = 1;
		else
			return -1;
	}
	return o->proto > 0 && o->proto < 256 && o->len >= 0 && o->len <= 1400 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	unsigned char pkt[1500] = {0};
	struct opts o = {0};
	size_t n;
	int fd, one = 1;

	if (parse(&o, argc, argv)) {
		fprintf(stderr, "usage: rawip SRC DST tcp|udp|icmp|PROTO [sport=N] [dport=N] "
				"[flags=SAFRPU] [ttl=N] [len=N] [csum=bad] [frag=first]\n");
		return 2;
	}
	n = build_l4(&o, pkt + 20);
	if (o.first_frag) { /* the first 8-byte multiple only, "more fragments" set */
		n = n > 8 ? (n - 1) / 8 * 8 : 8;
		put16(pkt + 6, 0x2000);
	}
	pkt[0] = 0x45;
	put16(pkt + 2, (unsigned int)(20 + n));
	put16(pkt + 4, 0x5454);
	pkt[8] = (unsigned char)o.ttl;
	pkt[9] = (unsigned char)o.proto;
	memcpy(pkt + 12, &o.src, 4);
	memcpy(pkt + 16, &o.dst, 4);
	put16(pkt + 10, fold(sum16(pkt, 20, 0)));
	to.sin_addr = o.dst;
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) ||
	    sendto(fd, pkt, 20 + n, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("rawip");
		return 1;
	}
	close(fd);
	return 0;
}
