// SPDX-License-Identifier: GPL-2.0
/*
 * nt_pkt_decode() and nt_pkt_format() on hand-built packets: the usual
 * protocols as exact text, and every truncation of a packet without a read
 * past its end (each decode gets an exact-size heap copy, for valgrind/ASan).
 * nt_pkt_decode_frame(): the link-layer header before the network header.
 */
#include <arpa/inet.h>
#include "common.h"
#include "packet/text.h"
#include "packet/decode.h"

#define ETH_P_IP   0x0800
#define ETH_P_ARP  0x0806
#define ETH_P_IPV6 0x86DD

#define ARPHRD_ETHER 1
#define ARPHRD_NONE  0xfffe

/* Decodes an exact-size copy of @data and formats it; the text is static. */
static const char *decode(struct nt_pkt *p, __u16 l3proto, const void *data, size_t len)
{
	static char buf[512];
	struct strbuf sb = STRBUF(buf);
	unsigned char *copy = exact_copy(data, len);

	memset(p, 0xa5, sizeof(*p)); /* nothing may be left over */
	nt_pkt_decode(p, l3proto, copy, len);
	free(copy);
	buf[0] = '\0';
	nt_pkt_format(&sb, p);
	return buf;
}

static void put16(__u8 *b, __u16 v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

static void put32(__u8 *b, __u32 v)
{
	put16(b, v >> 16);
	put16(b + 2, v & 0xffff);
}

/* An IPv4 header without options; @frag is the flags and offset field. */
static size_t put_ip4(__u8 *b, __u8 proto, __u16 tot_len, __u16 frag, const char *src,
		      const char *dst)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	put16(b + 2, tot_len);
	put16(b + 4, 0x1234);
	put16(b + 6, frag);
	b[8] = 64;
	b[9] = proto;
	assert_int_equal(inet_pton(AF_INET, src, b + 12), 1);
	assert_int_equal(inet_pton(AF_INET, dst, b + 16), 1);
	return 20;
}

static size_t put_ip6(__u8 *b, __u16 payload_len, __u8 next, const char *src, const char *dst)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	put16(b + 4, payload_len);
	b[6] = next;
	b[7] = 255;
	assert_int_equal(inet_pton(AF_INET6, src, b + 8), 1);
	assert_int_equal(inet_pton(AF_INET6, dst, b + 24), 1);
	return 40;
}

static size_t put_tcp(__u8 *b, __u16 sport, __u16 dport, __u32 seq, __u32 ack, __u8 flags)
{
	memset(b, 0, 20);
	put16(b, sport);
	put16(b + 2, dport);
	put32(b + 4, seq);
	put32(b + 8, ack);
	b[12] = 0x50;
	b[13] = flags;
	put16(b + 14, 1000);
	return 20;
}

static size_t put_udp(__u8 *b, __u16 sport, __u16 dport, __u16 len)
{
	put16(b, sport);
	put16(b + 2, dport);
	put16(b + 4, len);
	put16(b + 6, 0);
	return 8;
}

static size_t put_icmp(__u8 *b, __u8 type, __u8 code, __u16 id, __u16 seq)
{
	b[0] = type;
	b[1] = code;
	put16(b + 2, 0);
	put16(b + 4, id);
	put16(b + 6, seq);
	return 8;
}

/* A hop-by-hop, routing or destination options header of (@units + 1) * 8 bytes. */
static size_t put_ext(__u8 *b, __u8 next, __u8 units)
{
	size_t len = (units + 1) * 8;

	memset(b, 0, len); /* Pad1 options */
	b[0] = next;
	b[1] = units;
	return len;
}

static size_t put_frag6(__u8 *b, __u8 next, __u16 off_bytes, bool more)
{
	memset(b, 0, 8);
	b[0] = next;
	put16(b + 2, (off_bytes & 0xfff8) | (more ? 1 : 0));
	put32(b + 4, 0xabcd);
	return 8;
}

/* The IPv4 TCP SYN of the examples, byte by byte. */
static const __u8 ip4_tcp_syn[] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00, /* IPv4 */
	10,   0,    0,	  1,	10,   0,    0,	  2,				/* addrs */
	0x04, 0xd2, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, /* TCP */
	0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
};

static const __u8 arp_request[] = {
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,	      /* Ethernet/IPv4, request */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10,	  0,	0, 1, /* sender */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10,	  0,	0, 2, /* target */
};

static void test_ipv4_tcp_syn(void **state)
{
	__u8 want_s[4] = {10, 0, 0, 1}, want_d[4] = {10, 0, 0, 2};
	struct nt_pkt p;

	(void)state;
	assert_string_equal(decode(&p, ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn)),
			    "TCP 10.0.0.1:1234 -> 10.0.0.2:80 seq:1 ack:0 flags:S");
	assert_int_equal(p.kind, NT_PKT_IP);
	assert_int_equal(p.l3proto, ETH_P_IP);
	assert_int_equal(p.family, 4);
	assert_int_equal(p.l4proto, 6);
	assert_memory_equal(p.saddr, want_s, 4);
	assert_memory_equal(p.daddr, want_d, 4);
	assert_int_equal(p.ip_len, 40);
	assert_int_equal(p.ttl, 64);
	assert_int_equal(p.frag_off, 0);
	assert_false(p.more_frags);
	assert_true(p.has_l4);
	assert_int_equal(p.sport, 1234);
	assert_int_equal(p.dport, 80);
	assert_int_equal(p.seq, 1);
	assert_int_equal(p.ack, 0);
	assert_int_equal(p.tcp_flags, 0x02);
	assert_int_equal(p.window, 0xffff);
	assert_false(p.from_sock);
	assert_null(p.problem);
}

static void test_ipv4_tcp_flags(void **state)
{
	struct nt_pkt p;
	__u8 b[40];

	(void)state;
	put_ip4(b, 6, 40, 0, "192.168.0.1", "192.168.0.2");
	put_tcp(b + 20, 80, 40000, 0xffffffff, 2, 0x12);
	assert_string_equal(
		decode(&p, ETH_P_IP, b, sizeof(b)),
		"TCP 192.168.0.1:80 -> 192.168.0.2:40000 seq:4294967295 ack:2 flags:SA");
	put_tcp(b + 20, 1, 2, 3, 4, 0xff);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "TCP 192.168.0.1:1 -> 192.168.0.2:2 seq:3 ack:4 flags:FSRPAUEC");
	put_tcp(b + 20, 1, 2, 3, 4, 0);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "TCP 192.168.0.1:1 -> 192.168.0.2:2 seq:3 ack:4 flags:");
	assert_int_equal(p.window, 1000);
}

static void test_ipv4_udp(void **state)
{
	struct nt_pkt p;
	__u8 b[33];

	(void)state;
	put_ip4(b, 17, sizeof(b), 0, "10.0.0.1", "10.0.0.2");
	put_udp(b + 20, 1234, 53, 13);
	memcpy(b + 28, "hello", 5);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "UDP 10.0.0.1:1234 -> 10.0.0.2:53 len:13");
	assert_true(p.has_l4);
	assert_int_equal(p.udp_len, 13);
	assert_int_equal(p.ip_len, 33);
	assert_null(p.problem);
}

static void test_ipv4_icmp_echo(void **state)
{
	struct nt_pkt p;
	__u8 b[28];

	(void)state;
	put_ip4(b, 1, sizeof(b), 0, "10.0.0.1", "10.0.0.2");
	put_icmp(b + 20, 8, 0, 0x1234, 1);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "ICMP 10.0.0.1 -> 10.0.0.2 ping request id:4660 seq:1");
	assert_int_equal(p.icmp_type, 8);
	assert_int_equal(p.icmp_code, 0);
	assert_int_equal(p.icmp_id, 0x1234);
	assert_int_equal(p.icmp_seq, 1);
	assert_null(p.problem);

	put_ip4(b, 1, sizeof(b), 0, "10.0.0.2", "10.0.0.1");
	put_icmp(b + 20, 0, 0, 0x1234, 1);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "ICMP 10.0.0.2 -> 10.0.0.1 ping reply id:4660 seq:1");
}

static void test_ipv4_icmp_errors(void **state)
{
	struct nt_pkt p;
	__u8 b[56];

	(void)state;
	/* Port unreachable, quoting the UDP datagram that caused it. */
	put_ip4(b, 1, sizeof(b), 0, "10.0.0.2", "10.0.0.1");
	put_icmp(b + 20, 3, 3, 0, 0);
	put_ip4(b + 28, 17, 28, 0, "10.0.0.1", "10.0.0.2");
	put_udp(b + 48, 5000, 33434, 8);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "ICMP 10.0.0.2 -> 10.0.0.1 port unreachable");
	assert_int_equal(p.icmp_type, 3);
	assert_int_equal(p.icmp_code, 3);
	assert_null(p.problem);

	b[21] = 15; /* a code without a name of its own */
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "ICMP 10.0.0.2 -> 10.0.0.1 destination unreachable");
	b[20] = 11;
	b[21] = 0;
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "ICMP 10.0.0.2 -> 10.0.0.1 time exceeded");
	b[20] = 200;
	b[21] = 5;
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "ICMP 10.0.0.2 -> 10.0.0.1 type:200 code:5");
}

static void test_ipv6_tcp(void **state)
{
	struct nt_pkt p;
	__u8 b[60];

	(void)state;
	put_ip6(b, 20, 6, "2001:db8::1", "2001:db8::2");
	put_tcp(b + 40, 443, 5000, 100, 1, 0x12);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, sizeof(b)),
			    "TCP [2001:db8::1]:443 -> [2001:db8::2]:5000 seq:100 ack:1 flags:SA");
	assert_int_equal(p.family, 6);
	assert_int_equal(p.ip_len, 60);
	assert_int_equal(p.ttl, 255);
	assert_int_equal(p.l4proto, 6);
	assert_null(p.problem);
}

static void test_ipv6_icmp(void **state)
{
	struct nt_pkt p;
	__u8 b[48];

	(void)state;
	put_ip6(b, 8, 58, "2001:db8::1", "2001:db8::2");
	put_icmp(b + 40, 128, 0, 7, 3);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, sizeof(b)),
			    "ICMPv6 2001:db8::1 -> 2001:db8::2 ping request id:7 seq:3");
	put_icmp(b + 40, 129, 0, 7, 3);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, sizeof(b)),
			    "ICMPv6 2001:db8::1 -> 2001:db8::2 ping reply id:7 seq:3");

	/* Neighbour solicitation: no id or sequence number. */
	put_ip6(b, 8, 58, "fe80::1", "ff02::1:ff00:2");
	put_icmp(b + 40, 135, 0, 0, 0);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, sizeof(b)),
			    "ICMPv6 fe80::1 -> ff02::1:ff00:2 neighbour solicitation");
	assert_int_equal(p.icmp_type, 135);

	put_icmp(b + 40, 1, 4, 0, 0);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, sizeof(b)),
			    "ICMPv6 fe80::1 -> ff02::1:ff00:2 port unreachable");
	put_icmp(b + 40, 8, 0, 1, 1); /* ICMPv4's echo request, not v6's */
	assert_string_equal(decode(&p, ETH_P_IPV6, b, sizeof(b)),
			    "ICMPv6 fe80::1 -> ff02::1:ff00:2 type:8 code:0");
}

/* Hop-by-hop, destination options (16 bytes) and routing headers, then UDP. */
static void test_ipv6_exthdrs(void **state)
{
	struct nt_pkt p;
	__u8 b[128];
	size_t n;

	(void)state;
	n = put_ip6(b, 0, 0, "2001:db8::1", "2001:db8::2");
	n += put_ext(b + n, 60, 0);
	n += put_ext(b + n, 43, 1);
	n += put_ext(b + n, 17, 0);
	n += put_udp(b + n, 1000, 2000, 8);
	put16(b + 4, n - 40);
	assert_string_equal(
		decode(&p, ETH_P_IPV6, b, n),
		"UDP [2001:db8::1]:1000 -> [2001:db8::2]:2000 len:8 ext:hop,routing,dstopts");
	assert_int_equal(p.exthdrs, NT_EXT_HOP | NT_EXT_DSTOPTS | NT_EXT_ROUTING);
	assert_int_equal(p.l4proto, 17);
	assert_int_equal(p.sport, 1000);
	assert_int_equal(p.dport, 2000);
	assert_int_equal(p.ip_len, n);
	assert_null(p.problem);

	/* AH: its length counts 4-octet units, minus 2 (here 12 bytes). */
	n = put_ip6(b, 0, 51, "2001:db8::1", "2001:db8::2");
	memset(b + n, 0, 12);
	b[n] = 6;
	b[n + 1] = 1;
	n += 12;
	n += put_tcp(b + n, 22, 33000, 5, 6, 0x10);
	assert_string_equal(
		decode(&p, ETH_P_IPV6, b, n),
		"TCP [2001:db8::1]:22 -> [2001:db8::2]:33000 seq:5 ack:6 flags:A ext:ah");
	assert_int_equal(p.exthdrs, NT_EXT_AH);
}

static void test_ipv6_exthdr_limit(void **state)
{
	struct nt_pkt p;
	__u8 b[160];
	size_t n;
	int i;

	(void)state;
	/* Eight extension headers are walked... */
	n = put_ip6(b, 0, 60, "::1", "::2");
	for (i = 0; i < 7; i++)
		n += put_ext(b + n, 60, 0);
	n += put_ext(b + n, 17, 0);
	n += put_udp(b + n, 7, 9, 8);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, n),
			    "UDP [::1]:7 -> [::2]:9 len:8 ext:dstopts");
	assert_null(p.problem);

	/* ...a ninth is one too many. */
	n = put_ip6(b, 0, 60, "::1", "::2");
	for (i = 0; i < 8; i++)
		n += put_ext(b + n, 60, 0);
	n += put_ext(b + n, 17, 0);
	n += put_udp(b + n, 7, 9, 8);
	decode(&p, ETH_P_IPV6, b, n);
	assert_non_null(p.problem);
	assert_contains(p.problem, "too many IPv6 extension headers");
	assert_false(p.has_l4);
}

static void test_ipv6_fragments(void **state)
{
	struct nt_pkt p;
	__u8 b[64];
	size_t n;

	(void)state;
	/* The first fragment has the UDP header. */
	n = put_ip6(b, 16, 44, "2001:db8::1", "2001:db8::2");
	n += put_frag6(b + n, 17, 0, true);
	n += put_udp(b + n, 1000, 2000, 3000);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, n),
			    "UDP [2001:db8::1]:1000 -> [2001:db8::2]:2000 len:3000 ext:frag");
	assert_int_equal(p.exthdrs, NT_EXT_FRAG);
	assert_true(p.more_frags);
	assert_int_equal(p.frag_off, 0);
	assert_true(p.has_l4);

	/* A later one does not: what follows is data. */
	n = put_ip6(b, 16, 44, "2001:db8::1", "2001:db8::2");
	n += put_frag6(b + n, 17, 1480, true);
	n += put_udp(b + n, 1000, 2000, 3000);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, n),
			    "IPv6 2001:db8::1 -> 2001:db8::2 UDP fragment off:1480 ext:frag");
	assert_int_equal(p.frag_off, 1480);
	assert_true(p.more_frags);
	assert_false(p.has_l4);
	assert_int_equal(p.l4proto, 17);
	assert_int_equal(p.sport, 0);
	assert_int_equal(p.dport, 0);
	assert_null(p.problem);

	/* The last fragment, behind a hop-by-hop header. */
	n = put_ip6(b, 24, 0, "2001:db8::1", "2001:db8::2");
	n += put_ext(b + n, 44, 0);
	n += put_frag6(b + n, 6, 2960, false);
	n += put_udp(b + n, 1, 2, 3);
	assert_string_equal(decode(&p, ETH_P_IPV6, b, n),
			    "IPv6 2001:db8::1 -> 2001:db8::2 TCP fragment off:2960 ext:hop,frag");
	assert_int_equal(p.exthdrs, NT_EXT_HOP | NT_EXT_FRAG);
	assert_false(p.more_frags);
	assert_int_equal(p.l4proto, 6);
}

static void test_ipv4_fragments(void **state)
{
	struct nt_pkt p;
	__u8 b[28];

	(void)state;
	/* Not the first: no UDP header to decode. */
	put_ip4(b, 17, 28, 1480 / 8, "10.0.0.1", "10.0.0.2");
	put_udp(b + 20, 1, 2, 3);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "IPv4 10.0.0.1 -> 10.0.0.2 UDP fragment off:1480");
	assert_int_equal(p.frag_off, 1480);
	assert_false(p.more_frags);
	assert_false(p.has_l4);
	assert_int_equal(p.l4proto, 17);
	assert_null(p.problem);

	put_ip4(b, 17, 28, 0x2000 | 185, "10.0.0.1", "10.0.0.2"); /* MF */
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "IPv4 10.0.0.1 -> 10.0.0.2 UDP fragment off:1480");
	assert_true(p.more_frags);

	/* The first fragment (MF, offset 0) has the ports; DF is no fragment. */
	put_ip4(b, 17, 28, 0x2000, "10.0.0.1", "10.0.0.2");
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "UDP 10.0.0.1:1 -> 10.0.0.2:2 len:3");
	assert_true(p.more_frags);
	assert_int_equal(p.frag_off, 0);
	put_ip4(b, 17, 28, 0x4000, "10.0.0.1", "10.0.0.2");
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "UDP 10.0.0.1:1 -> 10.0.0.2:2 len:3");
	assert_false(p.more_frags);
}

static void test_ipv4_options(void **state)
{
	struct nt_pkt p;
	__u8 b[44];

	(void)state;
	put_ip4(b, 6, sizeof(b), 0, "10.0.0.1", "10.0.0.2");
	b[0] = 0x46;			       /* ihl 6: 4 bytes of options */
	memcpy(b + 20, "\x01\x01\x01\x00", 4); /* NOP NOP NOP EOL */
	put_tcp(b + 24, 1234, 80, 1, 0, 0x02);
	assert_string_equal(decode(&p, ETH_P_IP, b, sizeof(b)),
			    "TCP 10.0.0.1:1234 -> 10.0.0.2:80 seq:1 ack:0 flags:S");
	assert_int_equal(p.sport, 1234);
	assert_null(p.problem);
}

static void test_arp(void **state)
{
	__u8 b[sizeof(arp_request)];
	struct nt_pkt p;

	(void)state;
	assert_string_equal(decode(&p, ETH_P_ARP, arp_request, sizeof(arp_request)),
			    "ARP request who-has 10.0.0.2 tell 10.0.0.1");
	assert_int_equal(p.kind, NT_PKT_ARP);
	assert_int_equal(p.arp_op, 1);
	assert_null(p.problem);

	/* The reply: 10.0.0.2 answers with its MAC. */
	memcpy(b, arp_request, sizeof(b));
	b[7] = 2;
	memcpy(b + 8, "\x02\x00\x00\x00\xab\xcd", 6);
	memcpy(b + 14, "\x0a\x00\x00\x02", 4);
	memcpy(b + 18, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(b + 24, "\x0a\x00\x00\x01", 4);
	assert_string_equal(decode(&p, ETH_P_ARP, b, sizeof(b)),
			    "ARP reply 10.0.0.2 is-at 02:00:00:00:ab:cd");
	assert_int_equal(p.arp_op, 2);
	assert_memory_equal(p.arp_tha, "\x02\x00\x00\x00\x00\x01", 6);

	b[7] = 3;
	assert_string_equal(decode(&p, ETH_P_ARP, b, sizeof(b)), "ARP op:3");
}

static void test_other_ethertypes(void **state)
{
	static const __u8 junk[] = {1, 2, 3, 4};
	struct nt_pkt p;

	(void)state;
	assert_string_equal(decode(&p, 0x88cc, junk, sizeof(junk)), "LLDP (ethertype 0x88cc)");
	assert_int_equal(p.kind, NT_PKT_OTHER);
	assert_int_equal(p.l3proto, 0x88cc);
	assert_null(p.problem);
	assert_string_equal(decode(&p, 0x1234, junk, sizeof(junk)), "ethertype 0x1234");
	assert_string_equal(decode(&p, 0x8100, NULL, 0), "802.1Q (ethertype 0x8100)");
	assert_string_equal(decode(&p, 0, junk, sizeof(junk)), "no packet headers");
	assert_int_equal(p.kind, NT_PKT_NONE);
	assert_null(p.problem);
}

/*
 * Decodes every prefix of @pkt: each shorter one must report a problem (the
 * one problem_at() gives for that length, if any), the whole one none.
 */
static void prefixes(__u16 l3proto, const __u8 *pkt, size_t full,
		     const char *(*problem_at)(size_t len))
{
	const char *text;
	struct nt_pkt p;
	size_t len;

	for (len = 0; len <= full; len++) {
		text = decode(&p, l3proto, pkt, len);
		if (len == full) {
			if (p.problem)
				fail_msg("full length %zu: problem '%s'", len, p.problem);
			continue;
		}
		if (!p.problem)
			fail_msg("length %zu of %zu: no problem reported (\"%s\")", len, full,
				 text);
		assert_contains(text, p.problem);
		if (problem_at && problem_at(len))
			assert_string_equal(p.problem, problem_at(len));
	}
}

static const char *ip4_tcp_problem(size_t len)
{
	return len < 20 ? "truncated IPv4 header" : "truncated TCP header";
}

static void test_truncated_ipv4_tcp(void **state)
{
	struct nt_pkt p;

	(void)state;
	prefixes(ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn), ip4_tcp_problem);
	decode(&p, ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	assert_true(p.has_l4);

	/* No data at all, whatever length is claimed. */
	nt_pkt_decode(&p, ETH_P_IP, NULL, 40);
	assert_non_null(p.problem);
	assert_string_equal(p.problem, "truncated IPv4 header");
}

static const char *ip4_opts_problem(size_t len)
{
	return len < 20	  ? "truncated IPv4 header"
	       : len < 24 ? "truncated IPv4 options"
			  : "truncated TCP header";
}

static void test_truncated_ipv4_options(void **state)
{
	__u8 b[44];

	(void)state;
	put_ip4(b, 6, sizeof(b), 0, "10.0.0.1", "10.0.0.2");
	b[0] = 0x46;
	memset(b + 20, 1, 4);
	put_tcp(b + 24, 1, 2, 3, 4, 0x02);
	prefixes(ETH_P_IP, b, sizeof(b), ip4_opts_problem);
}

static const char *ip6_udp_problem(size_t len)
{
	if (len < 40)
		return "truncated IPv6 header";
	if (len < 56)
		return "truncated IPv6 extension header";
	return "truncated UDP header";
}

static void test_truncated_ipv6_udp(void **state)
{
	__u8 b[64];
	size_t n;

	(void)state;
	n = put_ip6(b, 24, 0, "2001:db8::1", "2001:db8::2");
	n += put_ext(b + n, 17, 1); /* 16 bytes: 40..55 cut it */
	n += put_udp(b + n, 1000, 2000, 8);
	assert_int_equal(n, 64);
	prefixes(ETH_P_IPV6, b, n, ip6_udp_problem);
}

static void test_truncated_ipv6_fragment(void **state)
{
	__u8 b[56];
	size_t n;

	(void)state;
	n = put_ip6(b, 16, 44, "2001:db8::1", "2001:db8::2");
	n += put_frag6(b + n, 17, 0, true);
	n += put_udp(b + n, 1000, 2000, 8);
	prefixes(ETH_P_IPV6, b, n, NULL);
}

static const char *arp_problem(size_t len)
{
	return len < 8 ? "truncated ARP header" : "truncated ARP addresses";
}

static void test_truncated_arp(void **state)
{
	(void)state;
	prefixes(ETH_P_ARP, arp_request, sizeof(arp_request), arp_problem);
}

/* ICMP: up to the type and code the header is required, id and seq are not. */
static void test_truncated_icmp(void **state)
{
	struct nt_pkt p;
	__u8 b[28];
	size_t len;

	(void)state;
	put_ip4(b, 1, sizeof(b), 0, "10.0.0.1", "10.0.0.2");
	put_icmp(b + 20, 3, 1, 0, 0);
	for (len = 0; len < 24; len++) {
		decode(&p, ETH_P_IP, b, len);
		assert_non_null(p.problem);
	}
	assert_string_equal(decode(&p, ETH_P_IP, b, 23),
			    "IPv4 10.0.0.1 -> 10.0.0.2 ICMP [truncated ICMP header]");
	assert_string_equal(decode(&p, ETH_P_IP, b, 24),
			    "ICMP 10.0.0.1 -> 10.0.0.2 host unreachable");
}

/*
 * An echo request cut inside its id and sequence number: the decoder stops
 * before them, so it must say so, or at least not print values it never read.
 */
static void test_truncated_icmp_echo(void **state)
{
	const char *text;
	struct nt_pkt p;
	__u8 b[28];
	size_t len;

	(void)state;
	put_ip4(b, 1, sizeof(b), 0, "10.0.0.1", "10.0.0.2");
	put_icmp(b + 20, 8, 0, 0x1234, 1);
	for (len = 24; len < sizeof(b); len++) {
		text = decode(&p, ETH_P_IP, b, len);
		if (!p.problem && strstr(text, "id:"))
			fail_msg("length %zu: \"%s\": id/seq not in the packet, no problem given",
				 len, text);
	}
}

static void test_malformed_version(void **state)
{
	struct nt_pkt p;
	__u8 b[60];

	(void)state;
	memcpy(b, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	b[0] = 0x65; /* IPv4 ethertype, version 6 */
	decode(&p, ETH_P_IP, b, sizeof(ip4_tcp_syn));
	assert_non_null(p.problem);
	assert_contains(p.problem, "malformed");
	assert_false(p.has_l4);

	put_ip6(b, 20, 6, "::1", "::2");
	put_tcp(b + 40, 1, 2, 3, 4, 5);
	b[0] = 0x45; /* IPv6 ethertype, version 4 */
	decode(&p, ETH_P_IPV6, b, 60);
	assert_non_null(p.problem);
	assert_contains(p.problem, "malformed");
	assert_false(p.has_l4);
}

static void test_malformed_ihl(void **state)
{
	const char *text;
	struct nt_pkt p;
	__u8 b[40];
	int ihl;

	(void)state;
	for (ihl = 0; ihl < 5; ihl++) {
		memcpy(b, ip4_tcp_syn, sizeof(b));
		b[0] = 0x40 | ihl;
		text = decode(&p, ETH_P_IP, b, sizeof(b));
		assert_non_null(p.problem);
		assert_contains(p.problem, "malformed");
		assert_false(p.has_l4);
		assert_contains(text, "[malformed IPv4 header");
	}
	/* ihl 15 asks for 60 bytes of header: more than there is. */
	b[0] = 0x4f;
	decode(&p, ETH_P_IP, b, sizeof(b));
	assert_non_null(p.problem);
	assert_string_equal(p.problem, "truncated IPv4 options");
}

static void test_from_flow(void **state)
{
	struct nt_flow f = {
		.saddr = {10, 0, 0, 1},
		.daddr = {10, 0, 0, 2},
		.l3proto = ETH_P_IP,
		.l4proto = 6,
		.tcp_flags = 0x02,
		.sport = 1234,
		.dport = 80,
		.ip_len = 60,
	};
	char buf[256];
	struct strbuf sb = STRBUF(buf);
	struct nt_pkt p;

	(void)state;
	nt_pkt_from_flow(&p, &f);
	nt_pkt_format(&sb, &p);
	assert_string_equal(buf, "TCP 10.0.0.1:1234 -> 10.0.0.2:80 (from socket)");
	assert_true(p.from_sock);
	assert_int_equal(p.ip_len, 60);

	f.l3proto = ETH_P_IPV6;
	f.l4proto = 17;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", f.saddr), 1);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::2", f.daddr), 1);
	nt_pkt_from_flow(&p, &f);
	sb = STRBUF(buf);
	nt_pkt_format(&sb, &p);
	assert_string_equal(buf, "UDP [2001:db8::1]:1234 -> [2001:db8::2]:80 (from socket)");

	memset(&f, 0, sizeof(f));
	nt_pkt_from_flow(&p, &f);
	sb = STRBUF(buf);
	nt_pkt_format(&sb, &p);
	assert_string_equal(buf, "no packet headers");
}

/* A ping socket's flow: no ports, but still taken from the socket. */
static void test_from_flow_icmp(void **state)
{
	struct nt_flow f = {
		.saddr = {10, 0, 0, 1},
		.daddr = {10, 0, 0, 2},
		.l3proto = ETH_P_IP,
		.l4proto = 1,
	};
	char buf[256];
	struct strbuf sb = STRBUF(buf);
	struct nt_pkt p;

	(void)state;
	nt_pkt_from_flow(&p, &f);
	nt_pkt_format(&sb, &p);
	assert_true(p.from_sock);
	assert_contains(buf, "10.0.0.1 -> 10.0.0.2");
	assert_contains(buf, "(from socket)");
}

/*
 * ARP over another hardware type (here InfiniBand, 20-byte addresses) is
 * not decoded past the operation: no address may be shown for it.
 */
static void test_arp_other_hardware(void **state)
{
	const char *text;
	struct nt_pkt p;
	__u8 b[56] = {0x00, 0x20, 0x08, 0x00, 20, 4, 0x00, 0x01};

	(void)state;
	memset(b + 8, 0x11, sizeof(b) - 8);
	text = decode(&p, ETH_P_ARP, b, sizeof(b));
	assert_int_equal(p.kind, NT_PKT_ARP);
	assert_int_equal(p.arp_op, 1);
	assert_not_contains(text, "0.0.0.0");
}

static void test_format_helpers(void **state)
{
	char small[3], buf[64];
	struct strbuf sb;
	struct nt_pkt p;

	(void)state;
	nt_tcp_flags_format(small, sizeof(small), 0x13);
	assert_string_equal(small, "FS");
	nt_tcp_flags_format(buf, sizeof(buf), 0x80);
	assert_string_equal(buf, "C");

	nt_addr_format(buf, sizeof(buf), 4, (const __u8 *)"\x7f\x00\x00\x01");
	assert_string_equal(buf, "127.0.0.1");
	nt_addr_format(small, sizeof(small), 4, (const __u8 *)"\x7f\x00\x00\x01");
	assert_string_equal(small, "?");

	/* Output is cut at the buffer's end, and stays terminated. */
	decode(&p, ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	memset(buf, 'x', sizeof(buf));
	sb = (struct strbuf){.s = buf, .size = 16};
	nt_pkt_format(&sb, &p);
	assert_string_equal(buf, "TCP 10.0.0.1:12");
	assert_int_equal(sb.len, 15);
}

/* Decodes an exact-size copy of a captured frame and formats it; the text is static. */
static const char *decode_frame(struct nt_pkt *p, __u16 l3proto, __u16 link, const void *data,
				size_t len, size_t nh_off)
{
	static char buf[512];
	struct strbuf sb = STRBUF(buf);
	unsigned char *copy = exact_copy(data, len);

	memset(p, 0xa5, sizeof(*p));
	nt_pkt_decode_frame(p, l3proto, link, copy, len, nh_off);
	free(copy);
	buf[0] = '\0';
	nt_pkt_format(&sb, p);
	return buf;
}

static const __u8 eth_dst[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const __u8 eth_src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* An Ethernet header, then the packet: the packet decodes as without it. */
static void test_frame_ethernet(void **state)
{
	__u8 f[14 + sizeof(ip4_tcp_syn)];
	char alone[512];
	struct nt_pkt p;

	(void)state;
	memcpy(f, eth_dst, 6);
	memcpy(f + 6, eth_src, 6);
	put16(f + 12, ETH_P_IP);
	memcpy(f + 14, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	snprintf(alone, sizeof(alone), "%s", decode(&p, ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn)));
	assert_false(p.has_eth);
	assert_int_equal(p.link_type, NT_LINK_NONE);

	assert_string_equal(decode_frame(&p, ETH_P_IP, ARPHRD_ETHER, f, sizeof(f), 14), alone);
	assert_true(p.has_eth);
	assert_int_equal(p.link_type, ARPHRD_ETHER);
	assert_memory_equal(p.eth_dst, eth_dst, 6);
	assert_memory_equal(p.eth_src, eth_src, 6);
	assert_int_equal(p.eth_proto, ETH_P_IP);
	assert_true(p.has_l4);
	assert_int_equal(p.dport, 80);
}

/* No link-layer bytes: the same as nt_pkt_decode(). */
static void test_frame_without_link(void **state)
{
	char alone[512];
	struct nt_pkt p;

	(void)state;
	snprintf(alone, sizeof(alone), "%s", decode(&p, ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn)));
	assert_string_equal(
		decode_frame(&p, ETH_P_IP, NT_LINK_NONE, ip4_tcp_syn, sizeof(ip4_tcp_syn), 0), alone);
	assert_false(p.has_eth);
	assert_int_equal(p.link_type, NT_LINK_NONE);
}

/* A link layer other than Ethernet is skipped by its offset, not decoded. */
static void test_frame_other_link(void **state)
{
	__u8 f[4 + sizeof(ip4_tcp_syn)] = { 0xde, 0xad, 0xbe, 0xef };
	char alone[512];
	struct nt_pkt p;

	(void)state;
	memcpy(f + 4, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	snprintf(alone, sizeof(alone), "%s", decode(&p, ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn)));
	assert_string_equal(decode_frame(&p, ETH_P_IP, ARPHRD_NONE, f, sizeof(f), 4), alone);
	assert_false(p.has_eth);
	assert_int_equal(p.link_type, ARPHRD_NONE);
	/* Ethernet cannot be 4 bytes long. */
	decode_frame(&p, ETH_P_IP, ARPHRD_ETHER, f, sizeof(f), 4);
	assert_false(p.has_eth);
	assert_true(p.has_l4);
}

/* An event's bytes: the link-layer header skipped by its offset, as the decoder left them. */
static void test_event_bytes(void **state)
{
	struct nt_event e = { .flow = { .l3proto = ETH_P_IP }, .link_type = ARPHRD_ETHER,
			      .nh_off = 14 };
	char alone[512], text[512];
	struct strbuf sb = STRBUF(text);
	struct nt_pkt p;

	(void)state;
	put16(e.data + 12, ETH_P_IP);
	memcpy(e.data + 14, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	e.data_len = 14 + sizeof(ip4_tcp_syn);
	snprintf(alone, sizeof(alone), "%s", decode(&p, ETH_P_IP, ip4_tcp_syn, sizeof(ip4_tcp_syn)));
	nt_pkt_decode_event(&p, &e);
	text[0] = '\0';
	nt_pkt_format(&sb, &p);
	assert_string_equal(text, alone);
	assert_true(p.has_eth);
	/* A length past the buffer is cut to it. */
	e.data_len = 0xffff;
	nt_pkt_decode_event(&p, &e);
	assert_true(p.has_l4);
}

/* Every truncation, the link-layer header included, without a read past the end. */
static void test_frame_truncated(void **state)
{
	__u8 f[14 + sizeof(ip4_tcp_syn)] = {};
	struct nt_pkt p;
	size_t len;

	(void)state;
	put16(f + 12, ETH_P_IP);
	memcpy(f + 14, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	for (len = 0; len < sizeof(f); len++) {
		decode_frame(&p, ETH_P_IP, ARPHRD_ETHER, f, len, 14);
		assert_non_null(p.problem);
		assert_string_equal(p.problem, len < 14 + 20 ? "truncated IPv4 header"
							     : "truncated TCP header");
	}
	decode_frame(&p, ETH_P_IP, ARPHRD_ETHER, f, sizeof(f), 14);
	assert_null(p.problem);
	nt_pkt_decode_frame(&p, ETH_P_IP, ARPHRD_ETHER, NULL, 60, 14);
	assert_string_equal(p.problem, "truncated IPv4 header");
	assert_false(p.has_eth);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp_syn),
		cmocka_unit_test(test_ipv4_tcp_flags),
		cmocka_unit_test(test_ipv4_udp),
		cmocka_unit_test(test_ipv4_icmp_echo),
		cmocka_unit_test(test_ipv4_icmp_errors),
		cmocka_unit_test(test_ipv6_tcp),
		cmocka_unit_test(test_ipv6_icmp),
		cmocka_unit_test(test_ipv6_exthdrs),
		cmocka_unit_test(test_ipv6_exthdr_limit),
		cmocka_unit_test(test_ipv6_fragments),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_other_ethertypes),
		cmocka_unit_test(test_truncated_ipv4_tcp),
		cmocka_unit_test(test_truncated_ipv4_options),
		cmocka_unit_test(test_truncated_ipv6_udp),
		cmocka_unit_test(test_truncated_ipv6_fragment),
		cmocka_unit_test(test_truncated_arp),
		cmocka_unit_test(test_truncated_icmp),
		cmocka_unit_test(test_truncated_icmp_echo),
		cmocka_unit_test(test_malformed_version),
		cmocka_unit_test(test_malformed_ihl),
		cmocka_unit_test(test_from_flow),
		cmocka_unit_test(test_from_flow_icmp),
		cmocka_unit_test(test_arp_other_hardware),
		cmocka_unit_test(test_format_helpers),
		cmocka_unit_test(test_frame_ethernet),
		cmocka_unit_test(test_frame_without_link),
		cmocka_unit_test(test_frame_other_link),
		cmocka_unit_test(test_frame_truncated),
		cmocka_unit_test(test_event_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
