// SPDX-License-Identifier: GPL-2.0
/* nt_opts_parse(): every option, every mode, and the errors, by name. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "common.h"
#include "cli/options.h"

/* Parses "nettrace" followed by the arguments, a NULL-terminated list. */
static int parse_args(struct nt_opts *o, ...)
{
	static char *argv[64]; /* options keep pointers into it */
	const char *a;
	va_list ap;
	int argc = 0;

	argv[argc++] = (char *)"nettrace";
	va_start(ap, o);
	while ((a = va_arg(ap, const char *)) && argc < (int)ARRAY_SIZE(argv) - 1)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return nt_opts_parse(o, argc, argv);
}

#define PARSE(o, ...) parse_args(o, ##__VA_ARGS__, (const char *)NULL)

#define ASSERT_OK(o, ...)                                                \
	do {                                                             \
		int _r = PARSE(o, ##__VA_ARGS__);                        \
		if (_r != NT_PARSE_OK)                                   \
			fail_msg("parse returned %d: %s", _r, (o)->err); \
	} while (0)

/* The arguments fail to parse and the message contains @needle. */
#define ASSERT_ERR(needle, ...)                                            \
	do {                                                               \
		struct nt_opts _o;                                         \
		assert_int_equal(PARSE(&_o, __VA_ARGS__), NT_PARSE_ERROR); \
		assert_contains(_o.err, needle);                           \
	} while (0)

static void assert_prefix(const struct nt_prefix *p, const char *text, int family, int plen)
{
	__u8 want[16] = {};

	assert_int_equal(inet_pton(family == 4 ? AF_INET : AF_INET6, text, want), 1);
	assert_int_equal(p->family, family);
	assert_int_equal(p->plen, plen);
	assert_memory_equal(p->addr, want, 16);
}

static void test_defaults(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o);
	assert_int_equal(o.mode, NT_MODE_LIFECYCLE);
	assert_int_equal(o.filter.mask, 0);
	assert_int_equal(o.buf_kb, 4096);
	assert_int_equal(o.count, 0);
	assert_int_equal(o.verbose, 0);
	assert_false(o.json || o.date || o.detail || o.ret || o.drop_stack || o.hooks);
	assert_null(o.trace);
	assert_string_equal(o.err, "");
}

static void test_saddr(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-s", "10.0.0.1");
	assert_int_equal(o.filter.mask, NT_F_SADDR);
	assert_prefix(&o.filter.saddr, "10.0.0.1", 4, 32);

	ASSERT_OK(&o, "--saddr", "10.0.0.0/8");
	assert_int_equal(o.filter.mask, NT_F_SADDR);
	assert_prefix(&o.filter.saddr, "10.0.0.0", 4, 8);

	ASSERT_OK(&o, "--saddr=2001:db8::1");
	assert_int_equal(o.filter.mask, NT_F_SADDR);
	assert_prefix(&o.filter.saddr, "2001:db8::1", 6, 128);

	ASSERT_OK(&o, "-s", "2001:db8::/32");
	assert_prefix(&o.filter.saddr, "2001:db8::", 6, 32);
}

static void test_daddr(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-d", "192.168.1.2");
	assert_int_equal(o.filter.mask, NT_F_DADDR);
	assert_prefix(&o.filter.daddr, "192.168.1.2", 4, 32);
	assert_int_equal(o.filter.saddr.family, 0);

	ASSERT_OK(&o, "--daddr", "fe80::1/64");
	assert_int_equal(o.filter.mask, NT_F_DADDR);
	assert_prefix(&o.filter.daddr, "fe80::1", 6, 64);

	ASSERT_OK(&o, "--daddr", "0.0.0.0/0");
	assert_prefix(&o.filter.daddr, "0.0.0.0", 4, 0);
}

static void test_addr(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--addr", "172.16.0.0/12");
	assert_int_equal(o.filter.mask, NT_F_ADDR);
	assert_prefix(&o.filter.addr, "172.16.0.0", 4, 12);

	ASSERT_OK(&o, "--addr", "::1");
	assert_int_equal(o.filter.mask, NT_F_ADDR);
	assert_prefix(&o.filter.addr, "::1", 6, 128);

	ASSERT_OK(&o, "--addr", "::/0");
	assert_prefix(&o.filter.addr, "::", 6, 0);
}

static void test_ports(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-S", "1234");
	assert_int_equal(o.filter.mask, NT_F_SPORT);
	assert_int_equal(o.filter.sport, 1234);
	ASSERT_OK(&o, "--sport", "65535");
	assert_int_equal(o.filter.mask, NT_F_SPORT);
	assert_int_equal(o.filter.sport, 65535);

	ASSERT_OK(&o, "-D", "80");
	assert_int_equal(o.filter.mask, NT_F_DPORT);
	assert_int_equal(o.filter.dport, 80);
	ASSERT_OK(&o, "--dport", "0");
	assert_int_equal(o.filter.mask, NT_F_DPORT);
	assert_int_equal(o.filter.dport, 0);

	ASSERT_OK(&o, "-P", "443");
	assert_int_equal(o.filter.mask, NT_F_PORT);
	assert_int_equal(o.filter.port, 443);
	ASSERT_OK(&o, "--port=53");
	assert_int_equal(o.filter.mask, NT_F_PORT);
	assert_int_equal(o.filter.port, 53);
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
		{"arp", NT_F_L3PROTO, 0x0806, 0},
		{"ip", NT_F_L3PROTO, 0x0800, 0},
		{"ip6", NT_F_L3PROTO, 0x86DD, 0},
		{"TCP", NT_F_L4PROTO, 0, 6},
	};
	struct nt_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_OK(&o, "-p", cases[i].name);
		assert_int_equal(o.filter.mask, cases[i].mask);
		assert_int_equal(o.filter.l3proto, cases[i].l3);
		assert_int_equal(o.filter.l4proto, cases[i].l4);

		ASSERT_OK(&o, "--proto", cases[i].name);
		assert_int_equal(o.filter.mask, cases[i].mask);
		assert_int_equal(o.filter.l3proto, cases[i].l3);
		assert_int_equal(o.filter.l4proto, cases[i].l4);
	}
}

/* A second -p replaces the first, it does not add to it. */
static void test_proto_last_wins(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-p", "icmp", "-p", "arp");
	assert_int_equal(o.filter.mask, NT_F_L3PROTO);
	assert_int_equal(o.filter.l3proto, 0x0806);

	ASSERT_OK(&o, "-p", "arp", "-p", "tcp");
	assert_int_equal(o.filter.mask, NT_F_L4PROTO);
	assert_int_equal(o.filter.l4proto, 6);
}

static void test_netns(void **state)
{
	struct nt_opts o;
	struct stat st;

	(void)state;
	ASSERT_OK(&o, "--netns", "4026531840");
	assert_int_equal(o.filter.mask, NT_F_NETNS);
	assert_int_equal(o.filter.netns, 4026531840U);

	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	ASSERT_OK(&o, "--netns", "/proc/self/ns/net");
	assert_int_equal(o.filter.mask, NT_F_NETNS);
	assert_int_equal(o.filter.netns, (__u32)st.st_ino);

	ASSERT_OK(&o, "--netns-current");
	assert_int_equal(o.filter.mask, NT_F_NETNS);
	assert_int_equal(o.filter.netns, (__u32)st.st_ino);
}

static void test_pid(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--pid", "1234");
	assert_int_equal(o.filter.mask, NT_F_PID);
	assert_int_equal(o.filter.pid, 1234);
	ASSERT_OK(&o, "--pid=2147483647");
	assert_int_equal(o.filter.pid, 2147483647U);
}

static void test_pkt_len(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--pkt-len", "100");
	assert_int_equal(o.filter.mask, NT_F_PKTLEN);
	assert_int_equal(o.filter.len_min, 100);
	assert_int_equal(o.filter.len_max, 100);

	ASSERT_OK(&o, "--pkt-len", "100-200");
	assert_int_equal(o.filter.mask, NT_F_PKTLEN);
	assert_int_equal(o.filter.len_min, 100);
	assert_int_equal(o.filter.len_max, 200);
}

static void test_tcp_flags(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--tcp-flags", "SA");
	assert_int_equal(o.filter.mask, NT_F_TCPFLAGS);
	assert_int_equal(o.filter.tcp_flags, 0x12);

	ASSERT_OK(&o, "--tcp-flags", "r");
	assert_int_equal(o.filter.tcp_flags, 0x04);
}

static void test_dev(void **state)
{
	char zero[NT_IFNAMSIZ] = {};
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--dev", "eth0");
	assert_int_equal(o.filter.mask, NT_F_DEV);
	assert_string_equal(o.filter.ifname, "eth0");
	assert_memory_equal(o.filter.ifname + 4, zero, NT_IFNAMSIZ - 4);

	ASSERT_OK(&o, "--dev", "abcdefghijklmno"); /* 15: the longest */
	assert_string_equal(o.filter.ifname, "abcdefghijklmno");
}

/* Every filter at once: the mask has each bit, the fields each value. */
static void test_filters_combined(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-s", "10.0.0.1", "-d", "10.0.0.2", "--addr", "10.0.0.3", "-S", "1", "-D",
		  "2", "-P", "3", "-p", "icmp", "--netns", "7", "--pid", "8", "--pkt-len", "9-10",
		  "--tcp-flags", "F", "--dev", "lo");
	assert_int_equal(o.filter.mask, NT_F_SADDR | NT_F_DADDR | NT_F_ADDR | NT_F_SPORT |
						NT_F_DPORT | NT_F_PORT | NT_F_L3PROTO |
						NT_F_L4PROTO | NT_F_NETNS | NT_F_PID | NT_F_PKTLEN |
						NT_F_TCPFLAGS | NT_F_DEV);
	assert_prefix(&o.filter.saddr, "10.0.0.1", 4, 32);
	assert_prefix(&o.filter.daddr, "10.0.0.2", 4, 32);
	assert_prefix(&o.filter.addr, "10.0.0.3", 4, 32);
	assert_int_equal(o.filter.sport, 1);
	assert_int_equal(o.filter.dport, 2);
	assert_int_equal(o.filter.port, 3);
	assert_int_equal(o.filter.l3proto, 0x0800);
	assert_int_equal(o.filter.l4proto, 1);
	assert_int_equal(o.filter.netns, 7);
	assert_int_equal(o.filter.pid, 8);
	assert_int_equal(o.filter.len_min, 9);
	assert_int_equal(o.filter.len_max, 10);
	assert_int_equal(o.filter.tcp_flags, 0x01);
	assert_string_equal(o.filter.ifname, "lo");
	assert_int_equal(o.mode, NT_MODE_LIFECYCLE);
}

static void test_modes(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--drop");
	assert_int_equal(o.mode, NT_MODE_DROP);
	assert_false(o.drop_stack);

	ASSERT_OK(&o, "--drop-stack");
	assert_int_equal(o.mode, NT_MODE_DROP);
	assert_true(o.drop_stack);

	ASSERT_OK(&o, "--drop", "--drop-stack");
	assert_int_equal(o.mode, NT_MODE_DROP);
	assert_true(o.drop_stack);

	ASSERT_OK(&o, "--basic");
	assert_int_equal(o.mode, NT_MODE_BASIC);

	ASSERT_OK(&o, "--diag");
	assert_int_equal(o.mode, NT_MODE_DIAG);
	assert_false(o.diag_quiet || o.diag_keep);

	ASSERT_OK(&o, "--diag-quiet");
	assert_int_equal(o.mode, NT_MODE_DIAG);
	assert_true(o.diag_quiet);
	assert_false(o.diag_keep);

	ASSERT_OK(&o, "--diag-keep");
	assert_int_equal(o.mode, NT_MODE_DIAG);
	assert_true(o.diag_keep);
	assert_false(o.diag_quiet);

	ASSERT_OK(&o, "--diag", "--diag-quiet", "--diag-keep");
	assert_int_equal(o.mode, NT_MODE_DIAG);
	assert_true(o.diag_quiet && o.diag_keep);
}

static void test_hooks(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--hooks");
	assert_int_equal(o.mode, NT_MODE_HOOKS);
	assert_true(o.hooks);

	/* In diag mode --hooks is an addition, not a mode of its own. */
	ASSERT_OK(&o, "--diag", "--hooks");
	assert_int_equal(o.mode, NT_MODE_DIAG);
	assert_true(o.hooks);

	ASSERT_OK(&o, "--hooks", "--backend", "kprobe");
	assert_int_equal(o.mode, NT_MODE_HOOKS);
	assert_string_equal(o.backend, "kprobe");

	ASSERT_ERR("--hooks", "--hooks", "--drop");
	ASSERT_ERR("--hooks", "--basic", "--hooks");
}

static void test_output_options(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-c", "10");
	assert_int_equal(o.count, 10);
	ASSERT_OK(&o, "--count", "3");
	assert_int_equal(o.count, 3);

	ASSERT_OK(&o, "--date");
	assert_true(o.date);
	ASSERT_OK(&o, "--detail");
	assert_true(o.detail);
	ASSERT_OK(&o, "--json");
	assert_true(o.json);

	ASSERT_OK(&o, "-v");
	assert_int_equal(o.verbose, 1);
	ASSERT_OK(&o, "--debug");
	assert_int_equal(o.verbose, 2);
	ASSERT_OK(&o, "--debug", "-v"); /* -v does not lower --debug */
	assert_int_equal(o.verbose, 2);

	ASSERT_OK(&o, "--buffer-size", "1024");
	assert_int_equal(o.buf_kb, 1024);
	ASSERT_OK(&o, "--buffer-size", "4");
	assert_int_equal(o.buf_kb, 4);
	ASSERT_OK(&o, "--buffer-size", "1048576");
	assert_int_equal(o.buf_kb, 1048576);

	ASSERT_OK(&o, "--drop", "--json", "--date", "--detail", "-c", "5", "-v");
	assert_int_equal(o.mode, NT_MODE_DROP);
	assert_true(o.json && o.date && o.detail);
	assert_int_equal(o.count, 5);
	assert_int_equal(o.verbose, 1);
}

static void test_trace_options(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-t", "ip,tcp", "--trace-exclude", "udp", "--ret", "--backend", "fentry");
	assert_string_equal(o.trace, "ip,tcp");
	assert_string_equal(o.trace_exclude, "udp");
	assert_true(o.ret);
	assert_string_equal(o.backend, "fentry");

	ASSERT_OK(&o, "--all-funcs");
	assert_non_null(o.all_funcs);
	assert_string_equal(o.all_funcs, "");
	ASSERT_OK(&o, "--basic", "--all-funcs=tcp_.*");
	assert_string_equal(o.all_funcs, "tcp_.*");

	ASSERT_ERR("--backend", "--backend", "bogus");
}

/* Filters mix with any mode and any order, options after them too. */
static void test_order_free(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "-p", "tcp", "--drop", "-D", "80");
	assert_int_equal(o.mode, NT_MODE_DROP);
	assert_int_equal(o.filter.mask, NT_F_L4PROTO | NT_F_DPORT);
	assert_int_equal(o.filter.dport, 80);
}

/* Runs a parse with stdout going to a file; returns what was printed. */
static int parse_stdout(const char *arg, char *out, size_t len)
{
	char path[256];
	struct nt_opts o;
	int fd, saved, r;
	ssize_t n;

	tmpfile_write(path, sizeof(path), "");
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	close(fd);
	r = PARSE(&o, arg);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, out, len - 1);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fd);
	unlink(path);
	return r;
}

static void test_help_version(void **state)
{
	char out[8192];

	(void)state;
	assert_int_equal(parse_stdout("-h", out, sizeof(out)), NT_PARSE_EXIT);
	assert_contains(out, "Usage: nettrace");
	assert_int_equal(parse_stdout("--help", out, sizeof(out)), NT_PARSE_EXIT);
	assert_contains(out, "--drop-stack");
	assert_int_equal(parse_stdout("-V", out, sizeof(out)), NT_PARSE_EXIT);
	assert_contains(out, "nettrace ");
	assert_int_equal(parse_stdout("--version", out, sizeof(out)), NT_PARSE_EXIT);
	assert_contains(out, "nettrace ");
}

static void test_err_address(void **state)
{
	(void)state;
	ASSERT_ERR("-s/--saddr", "-s", "1.2.3");
	ASSERT_ERR("'1.2.3'", "-s", "1.2.3");
	ASSERT_ERR("--saddr", "--saddr", "1.2.3");
	ASSERT_ERR("-s/--saddr", "-s", "10.0.0.1/33");
	ASSERT_ERR("prefix length", "-s", "10.0.0.1/33");
	ASSERT_ERR("--addr", "--addr", "::1/129");
	ASSERT_ERR("--daddr", "-d", "example.com");
	ASSERT_ERR("--daddr", "-d", "10.0.0.1/");
	ASSERT_ERR("--daddr", "-d", "10.0.0.1/-1");
	ASSERT_ERR("--daddr", "-d", "10.0.0.1/8x");
	ASSERT_ERR("--addr", "--addr", "");
}

static void test_err_port(void **state)
{
	(void)state;
	ASSERT_ERR("--dport", "--dport", "70000");
	ASSERT_ERR("70000", "-D", "70000");
	ASSERT_ERR("--sport", "-S", "abc");
	ASSERT_ERR("--sport", "--sport", "65536");
	ASSERT_ERR("--port", "-P", "abc");
	ASSERT_ERR("--port", "--port", "-1");
}

static void test_err_proto(void **state)
{
	(void)state;
	ASSERT_ERR("--proto", "-p", "bogus");
	ASSERT_ERR("unknown protocol 'bogus'", "--proto", "bogus");
	ASSERT_ERR("--proto", "-p", "");
}

static void test_err_unknown_option(void **state)
{
	(void)state;
	ASSERT_ERR("--bogus", "--bogus");
	ASSERT_ERR("unknown option", "--bogus");
	ASSERT_ERR("-x", "-x");
	ASSERT_ERR("unknown option", "-x");
	ASSERT_ERR("-x", "-v", "-x");
	ASSERT_ERR("--bogus", "--drop", "--bogus", "-s", "10.0.0.1");
}

static void test_err_missing_value(void **state)
{
	(void)state;
	ASSERT_ERR("-s/--saddr", "-s");
	ASSERT_ERR("needs a value", "-s");
	ASSERT_ERR("--dport", "--dport");
	ASSERT_ERR("needs a value", "--dport");
	ASSERT_ERR("--dev", "--dev");
	ASSERT_ERR("--pid", "--pid");
	ASSERT_ERR("-c/--count", "--drop", "-c");
}

static void test_err_modes(void **state)
{
	(void)state;
	ASSERT_ERR("--basic", "--drop", "--basic");
	ASSERT_ERR("conflicts", "--drop", "--basic");
	ASSERT_ERR("--diag", "--drop", "--diag");
	ASSERT_ERR("--drop", "--basic", "--drop");
	ASSERT_ERR("--drop-stack", "--diag", "--drop-stack");
	ASSERT_ERR("--diag-quiet", "--basic", "--diag-quiet");
}

static void test_monitor(void **state)
{
	struct nt_opts o;

	(void)state;
	ASSERT_OK(&o, "--monitor");
	assert_int_equal(o.mode, NT_MODE_MONITOR);
	assert_false(o.metrics.set);
	assert_int_equal(o.metrics_series, 500);
	assert_int_equal(o.report_window, 10);
	ASSERT_OK(&o, "--monitor", "--metrics", "127.0.0.1:9810", "--metrics-series", "50",
		  "--report-window", "30", "--json", "-p", "tcp");
	assert_true(o.metrics.set);
	assert_string_equal(o.metrics.text, "127.0.0.1:9810");
	assert_int_equal(o.metrics_series, 50);
	assert_int_equal(o.report_window, 30);
	assert_string_equal(nt_mode_name(NT_MODE_MONITOR), "monitor");

	ASSERT_ERR("--metrics: needs --monitor", "--drop", "--metrics", "9810");
	ASSERT_ERR("--metrics-series: needs --monitor", "--metrics-series", "9");
	ASSERT_ERR("--report-window: needs --monitor", "--report-window", "9");
	ASSERT_ERR("--metrics: 'x:1'", "--monitor", "--metrics", "x:1");
	ASSERT_ERR("--metrics-series", "--monitor", "--metrics-series", "1");
	ASSERT_ERR("--report-window", "--monitor", "--report-window", "3601");
	ASSERT_ERR("-c/--count: does not apply to --monitor", "--monitor", "-c", "3");
	ASSERT_ERR("conflicts with --monitor", "--monitor", "--drop");
	ASSERT_ERR("-t/--trace", "--monitor", "-t", "ip");
}

static void test_err_not_applicable(void **state)
{
	(void)state;
	ASSERT_ERR("--ret", "--drop", "--ret");
	ASSERT_ERR("does not apply", "--drop", "--ret");
	ASSERT_ERR("-t/--trace", "--drop", "-t", "ip");
	ASSERT_ERR("--trace-exclude", "--drop", "--trace-exclude", "ip");
	ASSERT_ERR("--all-funcs", "--drop", "--all-funcs");
	ASSERT_ERR("--backend", "--drop", "--backend", "fentry");
}

/*
 * --hooks alone becomes hooks mode, which traces nothing: the tracing
 * options do not apply to it any more than to --drop. (check_mode() decides
 * "tracing" from the mode before it turns --hooks into NT_MODE_HOOKS, so
 * these are accepted and silently ignored.)
 */
static void test_err_hooks_not_applicable(void **state)
{
	(void)state;
	ASSERT_ERR("-t/--trace", "--hooks", "-t", "ip");
	ASSERT_ERR("--ret", "--hooks", "--ret");
	ASSERT_ERR("--trace-exclude", "--hooks", "--trace-exclude", "ip");
	ASSERT_ERR("--all-funcs", "--hooks", "--all-funcs");
}

static void test_err_values(void **state)
{
	(void)state;
	ASSERT_ERR("--pkt-len", "--pkt-len", "200-100");
	ASSERT_ERR("MAX is below MIN", "--pkt-len", "200-100");
	ASSERT_ERR("--pkt-len", "--pkt-len", "abc");
	ASSERT_ERR("--pkt-len", "--pkt-len", "100-");
	ASSERT_ERR("--tcp-flags", "--tcp-flags", "SX");
	ASSERT_ERR("'X'", "--tcp-flags", "SX");
	ASSERT_ERR("--dev", "--dev", "abcdefghijklmnop"); /* 16 */
	ASSERT_ERR("--dev", "--dev", "a/b");
	ASSERT_ERR("--dev", "--dev", "");
	ASSERT_ERR("-c/--count", "-c", "0");
	ASSERT_ERR("-c/--count", "-c", "-1");
	ASSERT_ERR("-c/--count", "--count", "many");
	ASSERT_ERR("--buffer-size", "--buffer-size", "3");
	ASSERT_ERR("--buffer-size", "--buffer-size", "1000");
	ASSERT_ERR("--buffer-size", "--buffer-size", "2097152");
	ASSERT_ERR("--buffer-size", "--buffer-size", "0");
	ASSERT_ERR("--pid", "--pid", "0");
	ASSERT_ERR("--pid", "--pid", "abc");
	ASSERT_ERR("--pid", "--pid", "2147483648");
	ASSERT_ERR("--netns", "--netns", "/nonexistent/nettrace/netns");
}

static void test_err_positional(void **state)
{
	(void)state;
	ASSERT_ERR("stray", "stray");
	ASSERT_ERR("unexpected argument", "stray");
	ASSERT_ERR("stray", "--drop", "stray", "-v");
	ASSERT_ERR("10.0.0.1", "-s", "10.0.0.2", "10.0.0.1");
}

/* A flag option given a value is refused, naming the option. */
static void test_err_value_for_flag(void **state)
{
	(void)state;
	ASSERT_ERR("--drop", "--drop=1");
	ASSERT_ERR("--json", "--json=yes");
}

/*
 * Parsing again starts from scratch: no field, mode or getopt state is left
 * from an earlier parse, even one that stopped inside "-vx".
 */
static void test_repeat(void **state)
{
	struct nt_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "-vx"), NT_PARSE_ERROR);
	ASSERT_OK(&o, "-v");
	assert_int_equal(o.verbose, 1);

	ASSERT_OK(&o, "--drop", "-s", "10.0.0.1", "-c", "4");
	ASSERT_OK(&o, "--basic");
	assert_int_equal(o.mode, NT_MODE_BASIC);
	assert_int_equal(o.filter.mask, 0);
	assert_int_equal(o.count, 0);

	assert_int_equal(PARSE(&o, "--drop", "--basic"), NT_PARSE_ERROR);
	ASSERT_OK(&o, "--drop");
	assert_int_equal(o.mode, NT_MODE_DROP);
	assert_string_equal(o.err, "");

	assert_int_equal(PARSE(&o, "-s"), NT_PARSE_ERROR);
	ASSERT_OK(&o, "-s", "::1");
	assert_prefix(&o.filter.saddr, "::1", 6, 128);
}

static void test_mode_names(void **state)
{
	(void)state;
	assert_string_equal(nt_mode_name(NT_MODE_LIFECYCLE), "lifecycle");
	assert_string_equal(nt_mode_name(NT_MODE_BASIC), "basic");
	assert_string_equal(nt_mode_name(NT_MODE_DIAG), "diag");
	assert_string_equal(nt_mode_name(NT_MODE_DROP), "drop");
	assert_string_equal(nt_mode_name(NT_MODE_HOOKS), "hooks");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_saddr),
		cmocka_unit_test(test_daddr),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_proto),
		cmocka_unit_test(test_proto_last_wins),
		cmocka_unit_test(test_netns),
		cmocka_unit_test(test_pid),
		cmocka_unit_test(test_pkt_len),
		cmocka_unit_test(test_tcp_flags),
		cmocka_unit_test(test_dev),
		cmocka_unit_test(test_filters_combined),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_hooks),
		cmocka_unit_test(test_monitor),
		cmocka_unit_test(test_output_options),
		cmocka_unit_test(test_trace_options),
		cmocka_unit_test(test_order_free),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_err_address),
		cmocka_unit_test(test_err_port),
		cmocka_unit_test(test_err_proto),
		cmocka_unit_test(test_err_unknown_option),
		cmocka_unit_test(test_err_missing_value),
		cmocka_unit_test(test_err_modes),
		cmocka_unit_test(test_err_not_applicable),
		cmocka_unit_test(test_err_hooks_not_applicable),
		cmocka_unit_test(test_err_values),
		cmocka_unit_test(test_err_positional),
		cmocka_unit_test(test_err_value_for_flag),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_mode_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
