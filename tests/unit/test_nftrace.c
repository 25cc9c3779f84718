// SPDX-License-Identifier: GPL-2.0
/*
 * nft tracing without a kernel: the filter as nft expressions, verdict names,
 * rule texts from `nft -a -s list table` output, and hand-built
 * NFT_MSG_TRACE messages parsed through libnftnl.
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include "common.h"
#include "filter/filter.h"
#include "netfilter/nftrace/nftrace.h"

static char why[256];

static struct nt_filter filter(const char *const *args)
{
	struct nt_filter f = {};
	char err[NT_ERRLEN];
	int rc = 0;

	for (; *args; args += 2) {
		const char *k = args[0], *v = args[1];

		if (!strcmp(k, "saddr")) {
			f.mask |= NT_F_SADDR;
			rc = nt_parse_prefix(v, &f.saddr, err, sizeof(err));
		} else if (!strcmp(k, "daddr")) {
			f.mask |= NT_F_DADDR;
			rc = nt_parse_prefix(v, &f.daddr, err, sizeof(err));
		} else if (!strcmp(k, "addr")) {
			f.mask |= NT_F_ADDR;
			rc = nt_parse_prefix(v, &f.addr, err, sizeof(err));
		} else if (!strcmp(k, "sport")) {
			f.mask |= NT_F_SPORT;
			rc = nt_parse_port(v, &f.sport, err, sizeof(err));
		} else if (!strcmp(k, "dport")) {
			f.mask |= NT_F_DPORT;
			rc = nt_parse_port(v, &f.dport, err, sizeof(err));
		} else if (!strcmp(k, "port")) {
			f.mask |= NT_F_PORT;
			rc = nt_parse_port(v, &f.port, err, sizeof(err));
		} else if (!strcmp(k, "proto")) {
			rc = nt_parse_proto(v, &f, err, sizeof(err));
		} else if (!strcmp(k, "flags")) {
			f.mask |= NT_F_TCPFLAGS;
			rc = nt_parse_tcp_flags(v, &f.tcp_flags, err, sizeof(err));
		} else if (!strcmp(k, "len")) {
			f.mask |= NT_F_PKTLEN;
			rc = nt_parse_len_range(v, &f.len_min, &f.len_max, err, sizeof(err));
		} else if (!strcmp(k, "dev")) {
			f.mask |= NT_F_DEV;
			rc = nt_parse_ifname(v, f.ifname, err, sizeof(err));
		} else if (!strcmp(k, "pid")) {
			f.mask |= NT_F_PID;
			f.pid = atoi(v);
		} else if (!strcmp(k, "netns")) {
			f.mask |= NT_F_NETNS;
			f.netns = atoi(v);
		} else {
			fail_msg("unknown filter key %s", k);
		}
		if (rc)
			fail_msg("%s %s: %s", k, v, err);
	}
	return f;
}

#define F(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The filter gives exactly @want ('\n' between lines) in @lines lines. */
static void expr_ok(const char *const *args, const char *want, int lines)
{
	struct nt_filter f = filter(args);
	char buf[2048];
	int n;

	memset(buf, 'x', sizeof(buf));
	why[0] = '\0';
	n = nt_nftrace_filter_expr(&f, buf, sizeof(buf), why, sizeof(why));
	if (n < 0)
		fail_msg("refused: %s (want \"%s\")", why, want);
	assert_string_equal(buf, want);
	assert_int_equal(n, lines);
}

static void expr_bad(const char *const *args, const char *reason)
{
	struct nt_filter f = filter(args);
	char buf[2048];

	why[0] = '\0';
	assert_int_equal(nt_nftrace_filter_expr(&f, buf, sizeof(buf), why, sizeof(why)), -1);
	assert_contains(why, reason);
}

static void test_expr_empty(void **state)
{
	(void)state;
	expr_ok(F(NULL), "", 1);
	/* Not packet properties: ignored. */
	expr_ok(F("pid", "42", "netns", "4026531840"), "", 1);
}

static void test_expr_ports(void **state)
{
	(void)state;
	expr_ok(F("proto", "udp", "dport", "7777"), "meta l4proto udp udp dport 7777", 1);
	expr_ok(F("proto", "tcp", "sport", "22", "dport", "1024"),
		"meta l4proto tcp tcp sport 22 tcp dport 1024", 1);
	expr_ok(F("proto", "sctp", "dport", "9"), "meta l4proto sctp sctp dport 9", 1);
	expr_ok(F("dport", "7777"), "meta l4proto { tcp, udp, sctp } th dport 7777", 1);
	expr_ok(F("sport", "0"), "meta l4proto { tcp, udp, sctp } th sport 0", 1);
	expr_ok(F("port", "53"),
		"meta l4proto { tcp, udp, sctp } th sport 53\n"
		"meta l4proto { tcp, udp, sctp } th dport 53",
		2);
	expr_ok(F("proto", "udp", "port", "65535"),
		"meta l4proto udp udp sport 65535\nmeta l4proto udp udp dport 65535", 2);
}

static void test_expr_protocols(void **state)
{
	(void)state;
	expr_ok(F("proto", "icmp"), "meta nfproto ipv4 meta l4proto icmp", 1);
	expr_ok(F("proto", "icmp6"), "meta nfproto ipv6 meta l4proto icmpv6", 1);
	expr_ok(F("proto", "ip"), "meta nfproto ipv4", 1);
	expr_ok(F("proto", "ip6"), "meta nfproto ipv6", 1);
	expr_ok(F("proto", "tcp"), "meta l4proto tcp", 1);
	/* The address says the family already. */
	expr_ok(F("proto", "icmp", "saddr", "10.0.0.1"), "meta l4proto icmp ip saddr 10.0.0.1", 1);
	expr_ok(F("proto", "ip6", "daddr", "::1"), "ip6 daddr ::1", 1);
}

static void test_expr_addresses(void **state)
{
	(void)state;
	expr_ok(F("saddr", "10.0.0.1", "daddr", "10.0.0.0/24"),
		"ip saddr 10.0.0.1 ip daddr 10.0.0.0/24", 1);
	/* Host bits are cleared, as nft wants them. */
	expr_ok(F("saddr", "10.1.2.3/8"), "ip saddr 10.0.0.0/8", 1);
	expr_ok(F("saddr", "192.168.1.255/23"), "ip saddr 192.168.0.0/23", 1);
	expr_ok(F("daddr", "2001:db8::1"), "ip6 daddr 2001:db8::1", 1);
	expr_ok(F("daddr", "2001:db8:ffff::/33"), "ip6 daddr 2001:db8:8000::/33", 1);
	expr_ok(F("saddr", "fe80::1/64", "daddr", "ff02::1"),
		"ip6 saddr fe80::/64 ip6 daddr ff02::1", 1);
	/* /0: any address of the family. */
	expr_ok(F("saddr", "0.0.0.0/0"), "meta nfproto ipv4", 1);
	expr_ok(F("addr", "::/0"), "meta nfproto ipv6", 1);
	/* Either address: two lines. */
	expr_ok(F("addr", "10.0.0.1"), "ip saddr 10.0.0.1\nip daddr 10.0.0.1", 2);
	expr_ok(F("addr", "2001:db8::/32", "proto", "tcp"),
		"meta l4proto tcp ip6 saddr 2001:db8::/32\nmeta l4proto tcp ip6 daddr 2001:db8::/32",
		2);
}

static void test_expr_either_combined(void **state)
{
	(void)state;
	expr_ok(F("addr", "10.0.0.1", "port", "80"),
		"meta l4proto { tcp, udp, sctp } ip saddr 10.0.0.1 th sport 80\n"
		"meta l4proto { tcp, udp, sctp } ip saddr 10.0.0.1 th dport 80\n"
		"meta l4proto { tcp, udp, sctp } ip daddr 10.0.0.1 th sport 80\n"
		"meta l4proto { tcp, udp, sctp } ip daddr 10.0.0.1 th dport 80",
		4);
	expr_ok(F("addr", "10.0.0.1", "port", "80", "dev", "eth0", "proto", "udp"),
		"meta l4proto udp ip saddr 10.0.0.1 udp sport 80 iifname \"eth0\"\n"
		"meta l4proto udp ip saddr 10.0.0.1 udp sport 80 oifname \"eth0\"\n"
		"meta l4proto udp ip saddr 10.0.0.1 udp dport 80 iifname \"eth0\"\n"
		"meta l4proto udp ip saddr 10.0.0.1 udp dport 80 oifname \"eth0\"\n"
		"meta l4proto udp ip daddr 10.0.0.1 udp sport 80 iifname \"eth0\"\n"
		"meta l4proto udp ip daddr 10.0.0.1 udp sport 80 oifname \"eth0\"\n"
		"meta l4proto udp ip daddr 10.0.0.1 udp dport 80 iifname \"eth0\"\n"
		"meta l4proto udp ip daddr 10.0.0.1 udp dport 80 oifname \"eth0\"",
		8);
}

static void test_expr_dev(void **state)
{
	(void)state;
	expr_ok(F("dev", "veth0"), "iifname \"veth0\"\noifname \"veth0\"", 2);
	expr_ok(F("dev", "eth0", "proto", "ip6"),
		"meta nfproto ipv6 iifname \"eth0\"\nmeta nfproto ipv6 oifname \"eth0\"", 2);
	expr_ok(F("dev", "a-very-long-nam"), "iifname \"a-very-long-nam\"\noifname \"a-very-long-nam\"",
		2);
}

static void test_expr_tcp_flags(void **state)
{
	(void)state;
	expr_ok(F("flags", "S"), "tcp flags & (syn) == syn", 1);
	expr_ok(F("flags", "SA"), "tcp flags & (syn | ack) == syn | ack", 1);
	expr_ok(F("flags", "FSRPAUEC"),
		"tcp flags & (fin | syn | rst | psh | ack | urg | ecn | cwr) == "
		"fin | syn | rst | psh | ack | urg | ecn | cwr",
		1);
	expr_ok(F("flags", "R", "proto", "tcp", "dport", "80"),
		"meta l4proto tcp tcp dport 80 tcp flags & (rst) == rst", 1);
	/* Flags mean TCP: the port is a TCP port. */
	expr_ok(F("flags", "S", "dport", "80"), "tcp dport 80 tcp flags & (syn) == syn", 1);
}

static void test_expr_length(void **state)
{
	(void)state;
	expr_ok(F("len", "100"), "meta length 100", 1);
	expr_ok(F("len", "60-1500"), "meta length 60-1500", 1);
	expr_ok(F("len", "60-1500", "proto", "ip"), "ip length 60-1500", 1);
	expr_ok(F("len", "60-100000", "saddr", "10.0.0.1"), "ip saddr 10.0.0.1 ip length 60-65535", 1);
	/* IPv6: the payload length, 40 bytes less. */
	expr_ok(F("len", "100-200", "proto", "ip6"), "ip6 length 60-160", 1);
	expr_ok(F("len", "10-50", "daddr", "::1"), "ip6 daddr ::1 ip6 length 0-10", 1);
	expr_ok(F("len", "40", "proto", "ip6"), "ip6 length 0", 1);
}

static void test_expr_errors(void **state)
{
	(void)state;
	expr_bad(F("proto", "arp"), "ARP");
	expr_bad(F("saddr", "10.0.0.1", "daddr", "::1"), "--daddr is IPv6 but --saddr is IPv4");
	expr_bad(F("proto", "icmp", "saddr", "::1"), "--saddr is IPv6 but -p is IPv4");
	expr_bad(F("proto", "ip6", "addr", "10.0.0.0/8"), "--addr is IPv4 but -p is IPv6");
	expr_bad(F("proto", "icmp", "dport", "80"), "ports with -p icmp");
	expr_bad(F("proto", "udp", "flags", "S"), "--tcpflags with -p udp");
	expr_bad(F("len", "10-39", "proto", "ip6"), "below 40");
	expr_bad(F("len", "70000-80000", "proto", "ip"), "above 65535");
	expr_bad(F("dev", "eth*"), "--dev 'eth*'");
}

static void test_expr_small_buffer(void **state)
{
	struct nt_filter f = filter(F("proto", "udp", "dport", "7777"));
	char buf[10];

	(void)state;
	why[0] = '\0';
	assert_int_equal(nt_nftrace_filter_expr(&f, buf, sizeof(buf), why, sizeof(why)), -1);
	assert_contains(why, "too long");
	assert_int_equal(nt_nftrace_filter_expr(&f, buf, 0, why, sizeof(why)), -1);
}

static void test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(nt_nftrace_verdict_name(NF_DROP), "drop");
	assert_string_equal(nt_nftrace_verdict_name(NF_ACCEPT), "accept");
	assert_string_equal(nt_nftrace_verdict_name(NF_STOLEN), "stolen");
	assert_string_equal(nt_nftrace_verdict_name(NF_QUEUE), "queue");
	assert_string_equal(nt_nftrace_verdict_name(NF_REPEAT), "repeat");
	assert_string_equal(nt_nftrace_verdict_name(NF_STOP), "stop");
	assert_string_equal(nt_nftrace_verdict_name(NFT_CONTINUE), "continue");
	assert_string_equal(nt_nftrace_verdict_name(NFT_BREAK), "break");
	assert_string_equal(nt_nftrace_verdict_name(NFT_JUMP), "jump");
	assert_string_equal(nt_nftrace_verdict_name(NFT_GOTO), "goto");
	assert_string_equal(nt_nftrace_verdict_name(NFT_RETURN), "return");
	/* Queue number and drop errno live above the low byte. */
	assert_string_equal(nt_nftrace_verdict_name(3 << 16 | NF_QUEUE), "queue");
	assert_string_equal(nt_nftrace_verdict_name(1 << 16 | NF_DROP), "drop");
	assert_string_equal(nt_nftrace_verdict_name(6), "unknown");
	assert_string_equal(nt_nftrace_verdict_name(-6), "unknown");
}

static void test_families_hooks(void **state)
{
	(void)state;
	assert_string_equal(nt_nft_family_name(NFPROTO_INET), "inet");
	assert_string_equal(nt_nft_family_name(NFPROTO_IPV4), "ip");
	assert_string_equal(nt_nft_family_name(NFPROTO_IPV6), "ip6");
	assert_string_equal(nt_nft_family_name(NFPROTO_ARP), "arp");
	assert_string_equal(nt_nft_family_name(NFPROTO_BRIDGE), "bridge");
	assert_string_equal(nt_nft_family_name(NFPROTO_NETDEV), "netdev");
	assert_null(nt_nft_family_name(4));
	assert_int_equal(nt_nft_hook_number(NFPROTO_INET, "prerouting"), NF_INET_PRE_ROUTING);
	assert_int_equal(nt_nft_hook_number(NFPROTO_IPV4, "forward"), NF_INET_FORWARD);
	assert_int_equal(nt_nft_hook_number(NFPROTO_IPV6, "postrouting"), NF_INET_POST_ROUTING);
	assert_int_equal(nt_nft_hook_number(NFPROTO_INET, "ingress"), NF_INET_INGRESS);
	assert_int_equal(nt_nft_hook_number(NFPROTO_ARP, "output"), 1);
	assert_int_equal(nt_nft_hook_number(NFPROTO_NETDEV, "egress"), 1);
	assert_int_equal(nt_nft_hook_number(NFPROTO_NETDEV, "forward"), -1);
	assert_int_equal(nt_nft_hook_number(4, "input"), -1);
}

static const char listing[] =
	"# Warning: table ip filter is managed by iptables-nft, do not touch!\n"
	"table inet filter { # handle 5\n"
	"\tset blocked { # handle 3\n"
	"\t\ttype ipv4_addr\n"
	"\t\tflags interval\n"
	"\t\telements = { 10.0.0.0/8, 172.16.0.0/12,\n"
	"\t\t\t     192.168.0.0/16 }\n"
	"\t}\n"
	"\n"
	"\tchain forward { # handle 1\n"
	"\t\ttype filter hook forward priority filter; policy accept;\n"
	"\t\tudp dport 7777 drop # handle 2\n"
	"\t\tip saddr @blocked counter jump sub # handle 4\n"
	"\t\tmeta l4proto { tcp, udp } th dport { 1-1024 } accept "
	"comment \"a # handle 9 in text\" # handle 12\n"
	"\t}\n"
	"\n"
	"\tchain sub { # handle 6\n"
	"\t\tct state established,related accept # handle 7\n"
	"\t}\n"
	"\n"
	"\tchain post { # handle 8\n"
	"\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	"\t\toifname \"eth0\" masquerade # handle 10\n"
	"\t}\n"
	"}\n";

static void test_rules_listing(void **state)
{
	struct nt_nft_rules *r = nt_nft_rules_new();

	(void)state;
	assert_non_null(r);
	assert_int_equal(nt_nft_rules_listed(r, NFPROTO_INET, "filter"), 0);
	assert_null(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 2));
	nt_nft_rules_add_listing(r, NFPROTO_INET, "filter", listing);
	assert_int_equal(nt_nft_rules_listed(r, NFPROTO_INET, "filter"), 1);
	assert_int_equal(nt_nft_rules_listed(r, NFPROTO_IPV4, "filter"), 0);

	assert_string_equal(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 2),
			    "udp dport 7777 drop");
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 4),
			    "ip saddr @blocked counter jump sub");
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 12),
			    "meta l4proto { tcp, udp } th dport { 1-1024 } accept comment \"a # handle 9 in text\"");
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_INET, "filter", "sub", 7),
			    "ct state established,related accept");
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_INET, "filter", "post", 10),
			    "oifname \"eth0\" masquerade");
	/* Handles are per table and chain: nothing else matches. */
	assert_null(nt_nft_rules_find(r, NFPROTO_INET, "filter", "sub", 2));
	assert_null(nt_nft_rules_find(r, NFPROTO_IPV4, "filter", "forward", 2));
	assert_null(nt_nft_rules_find(r, NFPROTO_INET, "nat", "forward", 2));
	assert_null(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 9));
	assert_null(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 0));
	/* Chains and their hooks; the set is not a chain. */
	assert_int_equal(nt_nft_rules_hook(r, NFPROTO_INET, "filter", "forward"), NF_INET_FORWARD);
	assert_int_equal(nt_nft_rules_hook(r, NFPROTO_INET, "filter", "post"), NF_INET_POST_ROUTING);
	assert_int_equal(nt_nft_rules_hook(r, NFPROTO_INET, "filter", "sub"), -1);
	assert_int_equal(nt_nft_rules_hook(r, NFPROTO_INET, "filter", "blocked"), -2);
	assert_int_equal(nt_nft_rules_hook(r, NFPROTO_INET, "filter", "nothere"), -2);

	/* Listing again replaces texts (a rule replaced keeps its handle). */
	nt_nft_rules_add_listing(r, NFPROTO_INET, "filter",
				 "table inet filter {\n\tchain forward {\n"
				 "\t\ttype filter hook forward priority 0; policy drop;\n"
				 "\t\tudp dport 7777 counter reject # handle 2\n\t}\n}\n");
	assert_int_equal(nt_nft_rules_listed(r, NFPROTO_INET, "filter"), 2);
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 2),
			    "udp dport 7777 counter reject");

	nt_nft_rules_clear(r);
	assert_int_equal(nt_nft_rules_listed(r, NFPROTO_INET, "filter"), 0);
	assert_null(nt_nft_rules_find(r, NFPROTO_INET, "filter", "forward", 2));
	/* A failed listing still counts as listed (not listed again and again). */
	nt_nft_rules_add_listing(r, NFPROTO_IPV6, "gone", "");
	assert_int_equal(nt_nft_rules_listed(r, NFPROTO_IPV6, "gone"), 1);
	nt_nft_rules_free(r);
	nt_nft_rules_free(NULL);
}

static void test_rules_iptables_nft(void **state)
{
	struct nt_nft_rules *r = nt_nft_rules_new();

	(void)state;
	/* As nft 1.0.6 lists rules made by iptables-nft (-s: counters without values). */
	nt_nft_rules_add_listing(r, NFPROTO_IPV4, "filter",
				 "# Warning: table ip filter is managed by iptables-nft, do not touch!\n"
				 "table ip filter { # handle 5\n"
				 "\tchain FORWARD { # handle 1\n"
				 "\t\ttype filter hook forward priority filter; policy accept;\n"
				 "\t\tudp dport 7778 counter drop # handle 2\n"
				 "\t\tudp dport 7778  counter jump CHK # handle 3\n"
				 "\t\tcounter log prefix \"a  b\" # handle 6\n"
				 "\t}\n"
				 "\tchain DOCKER-USER { # handle 4\n"
				 "\t\tcounter return # handle 5\n"
				 "\t}\n"
				 "}\n");
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_IPV4, "filter", "FORWARD", 2),
			    "udp dport 7778 counter drop");
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_IPV4, "filter", "DOCKER-USER", 5),
			    "counter return");
	/* A comment match leaves two spaces: made one, but not inside quotes. */
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_IPV4, "filter", "FORWARD", 3),
			    "udp dport 7778 counter jump CHK");
	assert_string_equal(nt_nft_rules_find(r, NFPROTO_IPV4, "filter", "FORWARD", 6),
			    "counter log prefix \"a  b\"");
	assert_int_equal(nt_nft_rules_hook(r, NFPROTO_IPV4, "filter", "FORWARD"), NF_INET_FORWARD);
	assert_int_equal(nt_nft_rules_hook(r, NFPROTO_IPV4, "filter", "DOCKER-USER"), -1);
	nt_nft_rules_free(r);
}

static void test_rules_many(void **state)
{
	struct nt_nft_rules *r = nt_nft_rules_new();
	size_t size = 5000 * 64 + 256, len = 0;
	char *text = malloc(size), want[64];
	int i;

	(void)state;
	assert_non_null(text);
	len += snprintf(text + len, size - len, "table ip6 big {\n\tchain c {\n");
	for (i = 1; i <= 5000; i++)
		len += snprintf(text + len, size - len, "\t\tip6 saddr ::%x drop # handle %d\n", i, i);
	snprintf(text + len, size - len, "\t}\n}\n");
	nt_nft_rules_add_listing(r, NFPROTO_IPV6, "big", text);
	for (i = 1; i <= 5000; i += 499) {
		snprintf(want, sizeof(want), "ip6 saddr ::%x drop", i);
		assert_string_equal(nt_nft_rules_find(r, NFPROTO_IPV6, "big", "c", i), want);
	}
	assert_null(nt_nft_rules_find(r, NFPROTO_IPV6, "big", "c", 5001));
	free(text);
	nt_nft_rules_free(r);
}

/* ---- Trace messages, built as the kernel sends them. ---- */

struct msg_spec {
	__u8 family;
	int nfproto; /* 0: no NFTA_TRACE_NFPROTO */
	__u32 type, id;
	const char *table, *chain;
	__u64 handle; /* 0: none */
	int verdict;  /* with has_verdict */
	bool has_verdict;
	const char *target;
	int policy; /* >= 0: NFTA_TRACE_POLICY */
	__u32 iif, oif, mark;
	const void *nh, *th;
	size_t nhlen, thlen;
};

static struct nlmsghdr *build(char *buf, const struct msg_spec *s)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;
	struct nlattr *nest;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_TRACE;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = s->family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_strz(nlh, NFTA_TRACE_TABLE, s->table);
	mnl_attr_put_strz(nlh, NFTA_TRACE_CHAIN, s->chain);
	mnl_attr_put_u32(nlh, NFTA_TRACE_TYPE, htonl(s->type));
	mnl_attr_put_u32(nlh, NFTA_TRACE_ID, htonl(s->id));
	if (s->handle)
		mnl_attr_put_u64(nlh, NFTA_TRACE_RULE_HANDLE, htobe64(s->handle));
	if (s->has_verdict) {
		nest = mnl_attr_nest_start(nlh, NFTA_TRACE_VERDICT);
		mnl_attr_put_u32(nlh, NFTA_VERDICT_CODE, htonl((__u32)s->verdict));
		if (s->target)
			mnl_attr_put_strz(nlh, NFTA_VERDICT_CHAIN, s->target);
		mnl_attr_nest_end(nlh, nest);
	}
	if (s->policy >= 0)
		mnl_attr_put_u32(nlh, NFTA_TRACE_POLICY, htonl((__u32)s->policy));
	if (s->nh)
		mnl_attr_put(nlh, NFTA_TRACE_NETWORK_HEADER, s->nhlen, s->nh);
	if (s->th)
		mnl_attr_put(nlh, NFTA_TRACE_TRANSPORT_HEADER, s->thlen, s->th);
	if (s->iif)
		mnl_attr_put_u32(nlh, NFTA_TRACE_IIF, htonl(s->iif));
	if (s->oif)
		mnl_attr_put_u32(nlh, NFTA_TRACE_OIF, htonl(s->oif));
	if (s->mark)
		mnl_attr_put_u32(nlh, NFTA_TRACE_MARK, htonl(s->mark));
	if (s->nfproto)
		mnl_attr_put_u32(nlh, NFTA_TRACE_NFPROTO, htonl((__u32)s->nfproto));
	return nlh;
}

/* IPv4 UDP 10.77.1.2:40000 -> 10.77.2.2:7777, 3 bytes of payload. */
static const __u8 ip4[20] = { 0x45, 0, 0, 31, 0x12, 0x34, 0x40, 0, 63, 17, 0, 0,
			      10,   77, 1, 2,  10,   77,   2,    2 };
static const __u8 udp[8] = { 0x9c, 0x40, 0x1e, 0x61, 0, 11, 0, 0 };

static void test_msg_rule_drop(void **state)
{
	char buf[4096];
	struct nt_nftrace_event e;
	struct msg_spec s = {
		.family = NFPROTO_INET, .nfproto = NFPROTO_IPV4, .type = NFT_TRACETYPE_RULE,
		.id = 0xdeadbeef, .table = "filter", .chain = "forward", .handle = 2,
		.has_verdict = true, .verdict = NF_DROP, .policy = -1, .iif = 2, .oif = 3,
		.mark = 0x42, .nh = ip4, .nhlen = sizeof(ip4), .th = udp, .thlen = sizeof(udp),
	};

	(void)state;
	memset(&e, 0xa5, sizeof(e));
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_int_equal(e.id, 0xdeadbeef);
	assert_int_equal(e.family, NFPROTO_INET);
	assert_int_equal(e.hook, 0xff);
	assert_int_equal(e.type, NT_NFTRACE_RULE);
	assert_string_equal(e.table, "filter");
	assert_string_equal(e.chain, "forward");
	assert_int_equal(e.handle, 2);
	assert_string_equal(e.verdict, "drop");
	assert_string_equal(e.rule, "");
	assert_int_equal(e.iif, 2);
	assert_int_equal(e.oif, 3);
	assert_string_equal(e.iifname, "");
	assert_int_equal(e.mark, 0x42);
	assert_string_equal(e.packet, "UDP 10.77.1.2:40000 -> 10.77.2.2:7777 len:11");
}

static void test_msg_jump_policy_return(void **state)
{
	char buf[4096];
	struct nt_nftrace_event e;
	struct msg_spec s = {
		.family = NFPROTO_IPV4, .type = NFT_TRACETYPE_RULE, .id = 1, .table = "filter",
		.chain = "FORWARD", .handle = 3, .has_verdict = true, .verdict = NFT_JUMP,
		.target = "DOCKER-USER", .policy = -1,
	};

	(void)state;
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_string_equal(e.verdict, "jump DOCKER-USER");
	assert_string_equal(e.packet, "");
	assert_int_equal(e.iif, 0);

	s.verdict = NFT_GOTO;
	s.target = "a-chain-name-much-longer-than-the-verdict-field";
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_string_equal(e.verdict, "goto a-chain-name-much-longer-t");

	s.verdict = 5 << 16 | NF_QUEUE;
	s.target = NULL;
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_string_equal(e.verdict, "queue 5");

	s.verdict = NFT_RETURN;
	s.type = NFT_TRACETYPE_RETURN;
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_int_equal(e.type, NT_NFTRACE_RETURN);
	assert_string_equal(e.verdict, "return");

	s.type = NFT_TRACETYPE_POLICY;
	s.has_verdict = false;
	s.handle = 0;
	s.policy = NF_DROP;
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_int_equal(e.type, NT_NFTRACE_POLICY);
	assert_int_equal(e.handle, 0);
	assert_string_equal(e.verdict, "drop");
}

static void test_msg_ipv6_and_partial(void **state)
{
	char buf[4096];
	struct nt_nftrace_event e;
	__u8 ip6[40] = { 0x60, 0, 0, 0, 0, 20, 6, 64 };
	__u8 tcp[20] = { 0x9c, 0x40, 0x1f, 0x90, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02 };
	__u8 ip4opt[24];
	struct msg_spec s = {
		.family = NFPROTO_INET, .nfproto = NFPROTO_IPV6, .type = NFT_TRACETYPE_RULE,
		.id = 7, .table = "t", .chain = "c", .handle = 9, .has_verdict = true,
		.verdict = NFT_CONTINUE, .policy = -1, .nh = ip6, .nhlen = sizeof(ip6), .th = tcp,
		.thlen = sizeof(tcp),
	};

	(void)state;
	ip6[23] = 1;        /* ::1 */
	ip6[24] = 0xfd;     /* fd00::2 */
	ip6[39] = 2;
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_string_equal(e.verdict, "continue");
	assert_string_equal(e.packet, "TCP [::1]:40000 -> [fd00::2]:8080 seq:1 ack:0 flags:S");

	/* A network header cut short: not joined with the transport header. */
	s.nhlen = 30;
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_contains(e.packet, "truncated");
	assert_not_contains(e.packet, "8080");

	/* IPv4 with options: the header is 24 bytes, the kernel sent them all. */
	memcpy(ip4opt, ip4, 20);
	ip4opt[0] = 0x46;
	memset(ip4opt + 20, 1, 4); /* NOPs */
	s.nfproto = NFPROTO_IPV4;
	s.nh = ip4opt;
	s.nhlen = sizeof(ip4opt);
	s.th = udp;
	s.thlen = sizeof(udp);
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_string_equal(e.packet, "UDP 10.77.1.2:40000 -> 10.77.2.2:7777 len:11");

	/* No NFPROTO (an ip family table): the family says it. */
	s.family = NFPROTO_IPV4;
	s.nfproto = 0;
	assert_int_equal(nt_nftrace_parse_msg(build(buf, &s), &e), 0);
	assert_string_equal(e.packet, "UDP 10.77.1.2:40000 -> 10.77.2.2:7777 len:11");
}

static void test_msg_not_trace(void **state)
{
	char buf[4096];
	struct nt_nftrace_event e;
	struct msg_spec s = { .family = NFPROTO_INET, .table = "t", .chain = "c", .policy = -1 };
	struct nlmsghdr *nlh = build(buf, &s);

	(void)state;
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWGEN;
	assert_int_equal(nt_nftrace_parse_msg(nlh, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expr_empty),
		cmocka_unit_test(test_expr_ports),
		cmocka_unit_test(test_expr_protocols),
		cmocka_unit_test(test_expr_addresses),
		cmocka_unit_test(test_expr_either_combined),
		cmocka_unit_test(test_expr_dev),
		cmocka_unit_test(test_expr_tcp_flags),
		cmocka_unit_test(test_expr_length),
		cmocka_unit_test(test_expr_errors),
		cmocka_unit_test(test_expr_small_buffer),
		cmocka_unit_test(test_verdict_names),
		cmocka_unit_test(test_families_hooks),
		cmocka_unit_test(test_rules_listing),
		cmocka_unit_test(test_rules_iptables_nft),
		cmocka_unit_test(test_rules_many),
		cmocka_unit_test(test_msg_rule_drop),
		cmocka_unit_test(test_msg_jump_policy_return),
		cmocka_unit_test(test_msg_ipv6_and_partial),
		cmocka_unit_test(test_msg_not_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
