// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli/options.h"

#ifndef NT_VERSION
#define NT_VERSION "unknown"
#endif

enum {
	OPT_ADDR = 256,
	OPT_NETNS,
	OPT_NETNS_CURRENT,
	OPT_PID,
	OPT_PKT_LEN,
	OPT_TCP_FLAGS,
	OPT_DEV,
	OPT_BASIC,
	OPT_DIAG,
	OPT_DIAG_QUIET,
	OPT_DIAG_KEEP,
	OPT_DIAG_RULES,
	OPT_DROP,
	OPT_DROP_STACK,
	OPT_HOOKS,
	OPT_RET,
	OPT_DETAIL,
	OPT_DATE,
	OPT_DEBUG,
	OPT_TRACE_EXCLUDE,
	OPT_ALL_FUNCS,
	OPT_BACKEND,
	OPT_BUFFER,
	OPT_JSON,
	OPT_MONITOR,
	OPT_METRICS,
	OPT_METRICS_SERIES,
	OPT_REPORT_WINDOW,
};

static const struct option long_opts[] = {
	{ "saddr", required_argument, NULL, 's' },
	{ "daddr", required_argument, NULL, 'd' },
	{ "addr", required_argument, NULL, OPT_ADDR },
	{ "sport", required_argument, NULL, 'S' },
	{ "dport", required_argument, NULL, 'D' },
	{ "port", required_argument, NULL, 'P' },
	{ "proto", required_argument, NULL, 'p' },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "netns-current", no_argument, NULL, OPT_NETNS_CURRENT },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "pkt-len", required_argument, NULL, OPT_PKT_LEN },
	{ "tcp-flags", required_argument, NULL, OPT_TCP_FLAGS },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "basic", no_argument, NULL, OPT_BASIC },
	{ "diag", no_argument, NULL, OPT_DIAG },
	{ "diag-quiet", no_argument, NULL, OPT_DIAG_QUIET },
	{ "diag-keep", no_argument, NULL, OPT_DIAG_KEEP },
	{ "diag-rules", required_argument, NULL, OPT_DIAG_RULES },
	{ "drop", no_argument, NULL, OPT_DROP },
	{ "drop-stack", no_argument, NULL, OPT_DROP_STACK },
	{ "hooks", no_argument, NULL, OPT_HOOKS },
	{ "monitor", no_argument, NULL, OPT_MONITOR },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-series", required_argument, NULL, OPT_METRICS_SERIES },
	{ "report-window", required_argument, NULL, OPT_REPORT_WINDOW },
	{ "trace", required_argument, NULL, 't' },
	{ "trace-exclude", required_argument, NULL, OPT_TRACE_EXCLUDE },
	{ "all-funcs", optional_argument, NULL, OPT_ALL_FUNCS },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "ret", no_argument, NULL, OPT_RET },
	{ "detail", no_argument, NULL, OPT_DETAIL },
	{ "date", no_argument, NULL, OPT_DATE },
	{ "count", required_argument, NULL, 'c' },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char short_opts[] = ":s:d:S:D:P:p:t:c:vhV";

void nt_usage(FILE *out)
{
	fputs("nettrace: follow network packets through the Linux kernel\n"
	      "\n"
	      "Usage: nettrace [MODE] [FILTER...] [OPTION...]\n"
	      "\n"
	      "Modes (default: follow each packet's lifecycle until it is freed):\n"
	      "  --basic             print each traced event as it happens\n"
	      "  --diag              diagnose: flag abnormal events with advice\n"
	      "  --diag-quiet        diagnose, print only abnormal packets\n"
	      "  --diag-keep         diagnose, keep going after an abnormal packet\n"
	      "  --diag-rules FILE   add the diagnosis rules of FILE (repeatable)\n"
	      "  --drop              drop monitor on skb:kfree_skb (reason and location)\n"
	      "  --drop-stack        drop monitor with the kernel stack of each drop\n"
	      "  --hooks             list the registered netfilter hook functions\n"
	      "  --monitor           count anomalies in the kernel, report them folded\n"
	      "\n"
	      "Filters (evaluated in the kernel, in every mode):\n"
	      "  -s, --saddr ADDR[/LEN]    source IPv4/IPv6 address or prefix\n"
	      "  -d, --daddr ADDR[/LEN]    destination address or prefix\n"
	      "      --addr ADDR[/LEN]     source or destination address\n"
	      "  -S, --sport PORT          TCP/UDP/SCTP source port\n"
	      "  -D, --dport PORT          destination port\n"
	      "  -P, --port PORT           source or destination port\n"
	      "  -p, --proto PROTO         tcp, udp, sctp, icmp, icmp6, arp, ip, ip6\n"
	      "      --netns INODE|PATH    network namespace (inode or e.g. /run/netns/X)\n"
	      "      --netns-current       the namespace nettrace runs in\n"
	      "      --pid PID             process current when the event happens\n"
	      "      --pkt-len MIN[-MAX]   IP packet length, header included\n"
	      "      --tcp-flags FLAGS     all of these set, letters of FSRPAUEC\n"
	      "      --dev IFNAME          device the packet is on\n"
	      "\n"
	      "Tracing:\n"
	      "  -t, --trace GROUP|FUNC[,...]  traces to enable ('?' lists them)\n"
	      "      --trace-exclude LIST      traces to leave out\n"
	      "      --all-funcs[=REGEX]       every kernel function taking an sk_buff\n"
	      "      --backend NAME            fentry, kprobe-multi, kprobe or tracepoint\n"
	      "      --ret                     show return values\n"
	      "\n"
	      "Monitor (--monitor):\n"
	      "      --metrics ADDR:PORT     serve Prometheus metrics at /metrics\n"
	      "                              (ADDR: optional: every address)\n"
	      "      --metrics-series N      series per metric at most (default 500)\n"
	      "      --report-window SECONDS fold reports over this long (default 10)\n"
	      "\n"
	      "Output:\n"
	      "  -c, --count N         stop after N events\n"
	      "      --detail          skb address, cpu, pid, comm, device, netns\n"
	      "      --date            wall-clock date and time\n"
	      "      --json            one JSON object per line\n"
	      "      --buffer-size KB  ring buffer size (default 4096, a power of 2)\n"
	      "  -v                    say more, and report lost events periodically\n"
	      "      --debug           say everything, libbpf's messages included\n"
	      "  -h, --help            this help\n"
	      "  -V, --version         version\n"
	      "\n"
	      "Exit status: 0 success, 1 kernel or runtime error, 2 bad options.\n",
	      out);
}

const char *nt_mode_name(enum nt_mode mode)
{
	switch (mode) {
	case NT_MODE_LIFECYCLE:
		return "lifecycle";
	case NT_MODE_BASIC:
		return "basic";
	case NT_MODE_DIAG:
		return "diag";
	case NT_MODE_DROP:
		return "drop";
	case NT_MODE_HOOKS:
		return "hooks";
	case NT_MODE_MONITOR:
		return "monitor";
	}
	return "?";
}

static int fail(struct nt_opts *o, const char *opt, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = snprintf(o->err, sizeof(o->err), "%s: ", opt);
	if (n >= sizeof(o->err))
		return NT_PARSE_ERROR;
	va_start(ap, fmt);
	vsnprintf(o->err + n, sizeof(o->err) - n, fmt, ap);
	va_end(ap);
	return NT_PARSE_ERROR;
}

/* Sets the mode; a second, different mode is a conflict. */
static int set_mode(struct nt_opts *o, enum nt_mode mode, bool *mode_set, const char *opt)
{
	if (*mode_set && o->mode != mode)
		return fail(o, opt, "conflicts with --%s (one mode at a time)",
			    nt_mode_name(o->mode));
	o->mode = mode;
	*mode_set = true;
	return 0;
}

/* The option's name as the user typed it, for messages. */
static const char *opt_name(int c, char *buf, size_t len)
{
	const struct option *lo;

	for (lo = long_opts; lo->name; lo++) {
		if (lo->val != c)
			continue;
		if (c < 256)
			snprintf(buf, len, "-%c/--%s", c, lo->name);
		else
			snprintf(buf, len, "--%s", lo->name);
		return buf;
	}
	snprintf(buf, len, "-%c", c);
	return buf;
}

static int parse_one(struct nt_opts *o, int c, const char *arg, bool *mode_set)
{
	struct nt_filter *f = &o->filter;
	char name[40], *err = o->err;
	unsigned long v;
	size_t n;

	opt_name(c, name, sizeof(name));
	n = snprintf(err, sizeof(o->err), "%s: ", name);
	err += n;
	n = sizeof(o->err) - n;

	switch (c) {
	case 's':
		f->mask |= NT_F_SADDR;
		return nt_parse_prefix(arg, &f->saddr, err, n);
	case 'd':
		f->mask |= NT_F_DADDR;
		return nt_parse_prefix(arg, &f->daddr, err, n);
	case OPT_ADDR:
		f->mask |= NT_F_ADDR;
		return nt_parse_prefix(arg, &f->addr, err, n);
	case 'S':
		f->mask |= NT_F_SPORT;
		return nt_parse_port(arg, &f->sport, err, n);
	case 'D':
		f->mask |= NT_F_DPORT;
		return nt_parse_port(arg, &f->dport, err, n);
	case 'P':
		f->mask |= NT_F_PORT;
		return nt_parse_port(arg, &f->port, err, n);
	case 'p':
		return nt_parse_proto(arg, f, err, n);
	case OPT_NETNS:
		f->mask |= NT_F_NETNS;
		return nt_parse_netns(arg, &f->netns, err, n);
	case OPT_NETNS_CURRENT:
		f->mask |= NT_F_NETNS;
		return nt_parse_netns("/proc/self/ns/net", &f->netns, err, n);
	case OPT_PID:
		f->mask |= NT_F_PID;
		if (nt_parse_uint(arg, 0x7fffffff, &v) || !v)
			return fail(o, name, "'%s' is not a process id", arg);
		f->pid = v;
		return 0;
	case OPT_PKT_LEN:
		f->mask |= NT_F_PKTLEN;
		return nt_parse_len_range(arg, &f->len_min, &f->len_max, err, n);
	case OPT_TCP_FLAGS:
		f->mask |= NT_F_TCPFLAGS;
		return nt_parse_tcp_flags(arg, &f->tcp_flags, err, n);
	case OPT_DEV:
		f->mask |= NT_F_DEV;
		return nt_parse_ifname(arg, f->ifname, err, n);
	case OPT_BASIC:
		return set_mode(o, NT_MODE_BASIC, mode_set, name);
	case OPT_DIAG_QUIET:
		o->diag_quiet = true;
		return set_mode(o, NT_MODE_DIAG, mode_set, name);
	case OPT_DIAG_KEEP:
		o->diag_keep = true;
		return set_mode(o, NT_MODE_DIAG, mode_set, name);
	case OPT_DIAG:
		return set_mode(o, NT_MODE_DIAG, mode_set, name);
	case OPT_DIAG_RULES:
		if (o->ndiag_rules == NT_MAX_DIAG_RULES)
			return fail(o, name, "at most %d files", NT_MAX_DIAG_RULES);
		o->diag_rules[o->ndiag_rules++] = arg;
		return 0;
	case OPT_DROP_STACK:
		o->drop_stack = true;
		return set_mode(o, NT_MODE_DROP, mode_set, name);
	case OPT_DROP:
		return set_mode(o, NT_MODE_DROP, mode_set, name);
	case OPT_HOOKS:
		o->hooks = true;
		return 0;
	case OPT_MONITOR:
		return set_mode(o, NT_MODE_MONITOR, mode_set, name);
	case OPT_METRICS:
		return nt_listen_parse(arg, &o->metrics, err, n);
	case OPT_METRICS_SERIES:
		if (nt_parse_uint(arg, 100000, &o->metrics_series) || o->metrics_series < 2)
			return fail(o, name, "'%s' is not a number from 2 to 100000", arg);
		return 0;
	case OPT_REPORT_WINDOW:
		if (nt_parse_uint(arg, 3600, &o->report_window) || !o->report_window)
			return fail(o, name, "'%s' is not a number of seconds from 1 to 3600", arg);
		return 0;
	case 't':
		o->trace = arg;
		return 0;
	case OPT_TRACE_EXCLUDE:
		o->trace_exclude = arg;
		return 0;
	case OPT_ALL_FUNCS:
		o->all_funcs = arg ? arg : "";
		return 0;
	case OPT_BACKEND:
		if (strcmp(arg, "fentry") && strcmp(arg, "kprobe") && strcmp(arg, "kprobe-multi") &&
		    strcmp(arg, "tracepoint"))
			return fail(o, name, "unknown backend '%s' (fentry, kprobe-multi, kprobe, tracepoint)",
				    arg);
		o->backend = arg;
		return 0;
	case OPT_RET:
		o->ret = true;
		return 0;
	case OPT_DETAIL:
		o->detail = true;
		return 0;
	case OPT_DATE:
		o->date = true;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case 'c':
		if (nt_parse_uint(arg, ~0UL, &o->count) || !o->count)
			return fail(o, name, "'%s' is not a positive count", arg);
		return 0;
	case OPT_BUFFER:
		if (nt_parse_uint(arg, 1UL << 20, &v) || v < 4 || (v & (v - 1)))
			return fail(o, name, "'%s' is not a power of 2 from 4 to 1048576 (KiB)", arg);
		o->buf_kb = v;
		return 0;
	case 'v':
		if (o->verbose < 1)
			o->verbose = 1;
		return 0;
	case OPT_DEBUG:
		o->verbose = 2;
		return 0;
	}
	return fail(o, name, "not handled");
}

/* Options that only mean something in some modes. */
static int check_mode(struct nt_opts *o)
{
	bool tracing;

	if (o->hooks && o->mode != NT_MODE_DIAG && o->mode != NT_MODE_LIFECYCLE)
		return fail(o, "--hooks", "conflicts with --%s", nt_mode_name(o->mode));
	if (o->hooks && o->mode == NT_MODE_LIFECYCLE)
		o->mode = NT_MODE_HOOKS;
	if (o->mode != NT_MODE_MONITOR) {
		if (o->metrics.set)
			return fail(o, "--metrics", "needs --monitor");
		if (o->metrics_series)
			return fail(o, "--metrics-series", "needs --monitor");
		if (o->report_window)
			return fail(o, "--report-window", "needs --monitor");
	} else if (o->count) {
		return fail(o, "-c/--count", "does not apply to --monitor (it runs until stopped)");
	}
	if (!o->metrics_series)
		o->metrics_series = 500;
	if (!o->report_window)
		o->report_window = 10;
	tracing = o->mode == NT_MODE_LIFECYCLE || o->mode == NT_MODE_BASIC ||
		  o->mode == NT_MODE_DIAG;
	if (tracing)
		return 0;
	if (o->trace)
		return fail(o, "-t/--trace", "does not apply to --%s", nt_mode_name(o->mode));
	if (o->trace_exclude)
		return fail(o, "--trace-exclude", "does not apply to --%s", nt_mode_name(o->mode));
	if (o->all_funcs)
		return fail(o, "--all-funcs", "does not apply to --%s", nt_mode_name(o->mode));
	if (o->ret)
		return fail(o, "--ret", "does not apply to --%s", nt_mode_name(o->mode));
	if (o->backend && o->mode != NT_MODE_HOOKS)
		return fail(o, "--backend", "does not apply to --%s", nt_mode_name(o->mode));
	return 0;
}

int nt_opts_parse(struct nt_opts *o, int argc, char **argv)
{
	bool mode_set = false;
	char name[40];
	int c;

	memset(o, 0, sizeof(*o));
	o->buf_kb = 4096;
	optind = 0; /* glibc: start over, also when called again (tests) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			nt_usage(stdout);
			return NT_PARSE_EXIT;
		case 'V':
			printf("nettrace %s\n", NT_VERSION);
			return NT_PARSE_EXIT;
		case '?':
			if (optopt)
				return fail(o, opt_name(optopt, name, sizeof(name)),
					    "unknown option");
			return fail(o, argv[optind - 1], "unknown option");
		case ':':
			return fail(o, optopt ? opt_name(optopt, name, sizeof(name)) : argv[optind - 1],
				    "needs a value");
		default:
			if (parse_one(o, c, optarg, &mode_set))
				return NT_PARSE_ERROR;
		}
	}
	if (optind < argc)
		return fail(o, argv[optind], "unexpected argument");
	if (o->ndiag_rules && o->mode != NT_MODE_DIAG)
		return fail(o, "--diag-rules", "needs --diag, --diag-quiet or --diag-keep");
	o->err[0] = '\0';
	return check_mode(o) ? NT_PARSE_ERROR : NT_PARSE_OK;
}
