// SPDX-License-Identifier: GPL-2.0
/* The filter value parsers of src/filter/filter.c, boundaries included. */
#include <arpa/inet.h>
#include <sys/stat.h>
#include "common.h"
#include "filter/filter.h"

static char err[NT_ERRLEN];

static int setup(void **state)
{
	(void)state;
	memset(err, 0, sizeof(err));
	return 0;
}

/* @text parses as a prefix of @family with @plen bits of @addr. */
static void prefix_ok(const char *text, const char *addr, int family, int plen)
{
	struct nt_prefix p, zero = {};
	__u8 want[16] = {};

	memset(&p, 0xaa, sizeof(p));
	if (nt_parse_prefix(text, &p, err, sizeof(err)))
		fail_msg("'%s' refused: %s", text, err);
	assert_int_equal(inet_pton(family == 4 ? AF_INET : AF_INET6, addr, want), 1);
	assert_int_equal(p.family, family);
	assert_int_equal(p.plen, plen);
	assert_memory_equal(p.addr, want, 16);
	assert_memory_equal(p.pad, zero.pad, sizeof(p.pad));
}

static void prefix_bad(const char *text)
{
	struct nt_prefix p;

	err[0] = '\0';
	if (!nt_parse_prefix(text, &p, err, sizeof(err)))
		fail_msg("'%s' accepted as a prefix", text);
	assert_true(err[0] != '\0');
	assert_contains(err, text);
}

static void test_prefix_ipv4(void **state)
{
	(void)state;
	prefix_ok("10.0.0.1", "10.0.0.1", 4, 32);
	prefix_ok("10.0.0.0/8", "10.0.0.0", 4, 8);
	prefix_ok("0.0.0.0/0", "0.0.0.0", 4, 0);
	prefix_ok("255.255.255.255/32", "255.255.255.255", 4, 32);
	prefix_ok("192.168.1.0/24", "192.168.1.0", 4, 24);
}

static void test_prefix_ipv6(void **state)
{
	(void)state;
	prefix_ok("::1", "::1", 6, 128);
	prefix_ok("::/0", "::", 6, 0);
	prefix_ok("2001:db8::/32", "2001:db8::", 6, 32);
	prefix_ok("fe80::1/128", "fe80::1", 6, 128);
	prefix_ok("::ffff:10.0.0.1/96", "::ffff:10.0.0.1", 6, 96);
	prefix_ok("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127",
		  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 6, 127);
}

static void test_prefix_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"1.2.3",
		"1.2.3.4.5",
		"256.0.0.1",
		"10.0.0.1/33",
		"10.0.0.1/",
		"10.0.0.1/-1",
		"10.0.0.1/ 8",
		"10.0.0.1/8x",
		"::1/129",
		"::1/",
		"/8",
		"::g",
		"host",
		"10.0.0.1/8/8",
		" 10.0.0.1",
		"10.0.0.1/99999999999999999999999",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		prefix_bad(bad[i]);
	prefix_bad("10.0.0.1/33");
	assert_contains(err, "0..32");
	prefix_bad("::1/129");
	assert_contains(err, "0..128");
}

static void port_ok(const char *s, __u16 want)
{
	__u16 port = 0xdead;

	if (nt_parse_port(s, &port, err, sizeof(err)))
		fail_msg("port '%s' refused: %s", s, err);
	assert_int_equal(port, want);
}

static void port_bad(const char *s)
{
	__u16 port = 0xdead;

	err[0] = '\0';
	if (!nt_parse_port(s, &port, err, sizeof(err)))
		fail_msg("port '%s' accepted as %u", s, port);
	assert_int_equal(port, 0xdead);
	assert_contains(err, "is not a port");
}

static void test_port(void **state)
{
	(void)state;
	port_ok("0", 0);
	port_ok("1", 1);
	port_ok("80", 80);
	port_ok("65535", 65535);
	port_ok("00080", 80);
	port_bad("65536");
	port_bad("70000");
	port_bad("-1");
	port_bad(" 80");
	port_bad("80 ");
	port_bad("80x");
	port_bad("+80");
	port_bad("0x50");
	port_bad("");
	port_bad("abc");
	port_bad("99999999999999999999999");
}

static void test_proto(void **state)
{
	static const struct {
		const char *name;
		__u32 mask;
		__u16 l3;
		__u8 l4;
	} cases[] = {
		{"tcp", NT_F_L4PROTO, 0, 6},
		{"udp", NT_F_L4PROTO, 0, 17},
		{"sctp", NT_F_L4PROTO, 0, 132},
		{"icmp", NT_F_L3PROTO | NT_F_L4PROTO, 0x0800, 1},
		{"icmp6", NT_F_L3PROTO | NT_F_L4PROTO, 0x86DD, 58},
		{"icmpv6", NT_F_L3PROTO | NT_F_L4PROTO, 0x86DD, 58},
		{"arp", NT_F_L3PROTO, 0x0806, 0},
		{"ip", NT_F_L3PROTO, 0x0800, 0},
		{"ipv4", NT_F_L3PROTO, 0x0800, 0},
		{"ip6", NT_F_L3PROTO, 0x86DD, 0},
		{"ipv6", NT_F_L3PROTO, 0x86DD, 0},
		{"Udp", NT_F_L4PROTO, 0, 17},
	};
	struct nt_filter f;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&f, 0, sizeof(f));
		f.mask = NT_F_SADDR;
		assert_int_equal(nt_parse_proto(cases[i].name, &f, err, sizeof(err)), 0);
		assert_int_equal(f.mask, NT_F_SADDR | cases[i].mask);
		if (cases[i].mask & NT_F_L3PROTO)
			assert_int_equal(f.l3proto, cases[i].l3);
		if (cases[i].mask & NT_F_L4PROTO)
			assert_int_equal(f.l4proto, cases[i].l4);
	}
	/* A new protocol replaces both bits of the last. */
	memset(&f, 0, sizeof(f));
	assert_int_equal(nt_parse_proto("icmp", &f, err, sizeof(err)), 0);
	assert_int_equal(nt_parse_proto("tcp", &f, err, sizeof(err)), 0);
	assert_int_equal(f.mask, NT_F_L4PROTO);
	assert_int_equal(f.l4proto, 6);

	memset(&f, 0, sizeof(f));
	assert_int_equal(nt_parse_proto("gre", &f, err, sizeof(err)), -1);
	assert_contains(err, "unknown protocol 'gre'");
	assert_int_equal(f.mask, 0);
	assert_int_equal(nt_parse_proto("", &f, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_proto("tcp ", &f, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_proto("6", &f, err, sizeof(err)), -1);
}

static void test_tcp_flags(void **state)
{
	__u8 flags;

	(void)state;
	assert_int_equal(nt_parse_tcp_flags("SA", &flags, err, sizeof(err)), 0);
	assert_int_equal(flags, 0x12);
	assert_int_equal(nt_parse_tcp_flags("FSRPAUEC", &flags, err, sizeof(err)), 0);
	assert_int_equal(flags, 0xff);
	assert_int_equal(nt_parse_tcp_flags("fin", &flags, err, sizeof(err)), -1);
	assert_contains(err, "'i'");
	assert_int_equal(nt_parse_tcp_flags("rst", &flags, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_tcp_flags("sa", &flags, err, sizeof(err)), 0);
	assert_int_equal(flags, 0x12);
	assert_int_equal(nt_parse_tcp_flags("SS", &flags, err, sizeof(err)), 0);
	assert_int_equal(flags, 0x02);
	assert_int_equal(nt_parse_tcp_flags("SX", &flags, err, sizeof(err)), -1);
	assert_contains(err, "'X' in 'SX'");
	assert_int_equal(nt_parse_tcp_flags("", &flags, err, sizeof(err)), -1);
	assert_contains(err, "no TCP flags");
	assert_int_equal(nt_parse_tcp_flags("S A", &flags, err, sizeof(err)), -1);
}

static void test_tcp_flag_letters(void **state)
{
	static const struct {
		char letter;
		__u8 bit;
	} map[] = {
		{'F', 0x01}, {'S', 0x02}, {'R', 0x04}, {'P', 0x08},
		{'A', 0x10}, {'U', 0x20}, {'E', 0x40}, {'C', 0x80},
	};
	char s[2] = {};
	size_t i;
	__u8 flags;

	(void)state;
	assert_string_equal(nt_tcp_flag_letters, "FSRPAUEC");
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		assert_int_equal(nt_tcp_flag_letters[i], map[i].letter);
		assert_int_equal(1 << i, map[i].bit);
		s[0] = map[i].letter;
		assert_int_equal(nt_parse_tcp_flags(s, &flags, err, sizeof(err)), 0);
		assert_int_equal(flags, map[i].bit);
	}
}

static void test_len_range(void **state)
{
	__u32 lo, hi;

	(void)state;
	assert_int_equal(nt_parse_len_range("100", &lo, &hi, err, sizeof(err)), 0);
	assert_int_equal(lo, 100);
	assert_int_equal(hi, 100);
	assert_int_equal(nt_parse_len_range("100-200", &lo, &hi, err, sizeof(err)), 0);
	assert_int_equal(lo, 100);
	assert_int_equal(hi, 200);
	assert_int_equal(nt_parse_len_range("0", &lo, &hi, err, sizeof(err)), 0);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 0);
	assert_int_equal(nt_parse_len_range("7-7", &lo, &hi, err, sizeof(err)), 0);
	assert_int_equal(lo, 7);
	assert_int_equal(hi, 7);
	assert_int_equal(nt_parse_len_range("0-4294967295", &lo, &hi, err, sizeof(err)), 0);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 4294967295U);

	lo = hi = 1;
	assert_int_equal(nt_parse_len_range("200-100", &lo, &hi, err, sizeof(err)), -1);
	assert_contains(err, "MAX is below MIN");
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 1);
	assert_int_equal(nt_parse_len_range("4294967296", &lo, &hi, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_len_range("100-", &lo, &hi, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_len_range("-100", &lo, &hi, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_len_range("1-2-3", &lo, &hi, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_len_range("", &lo, &hi, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_len_range("abc", &lo, &hi, err, sizeof(err)), -1);
	assert_contains(err, "not a length or range");
	assert_int_equal(nt_parse_len_range("100000000000000000000000000000000000", &lo, &hi, err,
					    sizeof(err)),
			 -1);
}

static void test_netns(void **state)
{
	struct stat st;
	__u32 ino = 0;

	(void)state;
	assert_int_equal(nt_parse_netns("4026531840", &ino, err, sizeof(err)), 0);
	assert_int_equal(ino, 4026531840U);
	assert_int_equal(nt_parse_netns("4294967295", &ino, err, sizeof(err)), 0);
	assert_int_equal(ino, 4294967295U);

	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	assert_int_equal(nt_parse_netns("/proc/self/ns/net", &ino, err, sizeof(err)), 0);
	assert_int_equal(ino, (__u32)st.st_ino);

	assert_int_equal(nt_parse_netns("/nonexistent/ns", &ino, err, sizeof(err)), -1);
	assert_contains(err, "/nonexistent/ns");
	assert_contains(err, "No such file");
}

static void test_ifname(void **state)
{
	char name[NT_IFNAMSIZ], zero[NT_IFNAMSIZ] = {};

	(void)state;
	memset(name, 'x', sizeof(name));
	assert_int_equal(nt_parse_ifname("eth0", name, err, sizeof(err)), 0);
	assert_string_equal(name, "eth0");
	assert_memory_equal(name + 4, zero, sizeof(name) - 4);
	assert_int_equal(nt_parse_ifname("abcdefghijklmno", name, err, sizeof(err)), 0);
	assert_string_equal(name, "abcdefghijklmno");

	assert_int_equal(nt_parse_ifname("abcdefghijklmnop", name, err, sizeof(err)), -1);
	assert_contains(err, "abcdefghijklmnop");
	assert_int_equal(nt_parse_ifname("", name, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_ifname("a/b", name, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_ifname("a b", name, err, sizeof(err)), -1);
	assert_int_equal(nt_parse_ifname("a\tb", name, err, sizeof(err)), -1);
	assert_string_equal(name, "abcdefghijklmno"); /* untouched on error */
}

static void test_uint(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(nt_parse_uint("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(nt_parse_uint("10", 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(nt_parse_uint("11", 10, &v), -1);
	assert_int_equal(nt_parse_uint("18446744073709551615", ~0UL, &v), 0);
	assert_true(v == ~0UL);
	assert_int_equal(nt_parse_uint("18446744073709551616", ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint("-1", ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint("+1", ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint(" 1", ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint("1 ", ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint("1x", ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint("", ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint(NULL, ~0UL, &v), -1);
	assert_int_equal(nt_parse_uint("010", ~0UL, &v), 0);
	assert_int_equal(v, 10); /* decimal, not octal */
}

/* A message longer than the buffer is cut and stays terminated. */
static void test_small_err_buffer(void **state)
{
	char small[8];
	__u16 port;

	(void)state;
	memset(small, 'x', sizeof(small));
	assert_int_equal(nt_parse_port("70000", &port, small, sizeof(small)), -1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_prefix_ipv4, setup),
		cmocka_unit_test_setup(test_prefix_ipv6, setup),
		cmocka_unit_test_setup(test_prefix_bad, setup),
		cmocka_unit_test_setup(test_port, setup),
		cmocka_unit_test_setup(test_proto, setup),
		cmocka_unit_test_setup(test_tcp_flags, setup),
		cmocka_unit_test_setup(test_tcp_flag_letters, setup),
		cmocka_unit_test_setup(test_len_range, setup),
		cmocka_unit_test_setup(test_netns, setup),
		cmocka_unit_test_setup(test_ifname, setup),
		cmocka_unit_test_setup(test_uint, setup),
		cmocka_unit_test_setup(test_small_err_buffer, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
