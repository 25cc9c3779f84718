// SPDX-License-Identifier: GPL-2.0
/*
 * The facts of the diagnose mode (src/facts): arguments, sysctl paths, and
 * the text made from netlink messages, built here as the kernel sends them.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/gen_stats.h>
#include <linux/if_link.h>
#include <linux/inet_diag.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include "common.h"
#include "facts/facts.h"
#include "facts/facts_int.h"

/* ---------------------------------------------------------------- messages */

struct msg {
	char buf[2048] __attribute__((aligned(8)));
};

static struct nlmsghdr *nlh_of(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static void *msg_init(struct msg *m, __u16 type, size_t hdrlen)
{
	memset(m, 0, sizeof(*m));
	nlh_of(m)->nlmsg_len = NLMSG_LENGTH(hdrlen);
	nlh_of(m)->nlmsg_type = type;
	return NLMSG_DATA(nlh_of(m));
}

static void put(struct msg *m, unsigned short type, const void *data, size_t len)
{
	static const char none[1];

	nt_facts_nl_put(m->buf, sizeof(m->buf), type, len ? data : none, len);
}

static void put_u32(struct msg *m, unsigned short type, __u32 v)
{
	put(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, unsigned short type, const char *s)
{
	put(m, type, s, strlen(s) + 1);
}

static void put_ip(struct msg *m, unsigned short type, int family, const char *s)
{
	__u8 a[16];

	assert_int_equal(inet_pton(family, s, a), 1);
	put(m, type, a, family == AF_INET ? 4 : 16);
}

/* A nest: opened as an empty attribute, closed by giving it what followed. */
static struct nlattr *nest(struct msg *m, unsigned short type)
{
	struct nlattr *a = (struct nlattr *)(m->buf + NLMSG_ALIGN(nlh_of(m)->nlmsg_len));

	put(m, type | NLA_F_NESTED, NULL, 0);
	return a;
}

static void nest_end(struct msg *m, struct nlattr *a)
{
	a->nla_len = (__u16)(m->buf + nlh_of(m)->nlmsg_len - (char *)a);
}

/* ---------------------------------------------------------------- fake names */

static void fake_ifname(void *ctx, __u32 ifindex, char *buf, size_t len)
{
	(void)ctx;
	if (ifindex == 3 || ifindex == 4)
		snprintf(buf, len, "r%u", ifindex - 2);
	else
		snprintf(buf, len, "if%u", ifindex);
}

static void fake_progname(void *ctx, __u32 id, char *buf, size_t len)
{
	(void)ctx;
	snprintf(buf, len, "%s", id == 42 ? "xdp_drop" : id == 12 ? "tc_drop" : "");
}

static const struct nt_facts_names names = {fake_ifname, fake_progname, NULL};

#define TEXT(call)                              \
	({                                      \
		static char _b[512];            \
		struct strbuf _sb = STRBUF(_b); \
		_b[0] = '\0';                   \
		call;                           \
		(const char *)_b;               \
	})

/* ---------------------------------------------------------------- arguments */

static void test_parse_sysctl(void **state)
{
	static const char *const good[] = {"net.ipv4.ip_forward",
					   "net.ipv4.conf.eth0/100.rp_filter",
					   "net.ipv4.conf.eth0.100.rp_filter", "vm.min_free_kbytes",
					   "net.bridge.bridge-nf-call-iptables"};
	static const char *const bad[] = {"",	    ".net",	  "net.",    "net..ipv4", "a./.b",
					  "a.//.b", "net.ipv4 x", "net.\tx", "/",	  "//"};
	union nt_facts_arg a;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(nt_facts_parse_sysctl(good[i], &a), 0);
		assert_string_equal(a.sysctl, good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (nt_facts_parse_sysctl(bad[i], &a) != -EINVAL)
			fail_msg("sysctl \"%s\" accepted", bad[i]);
}

static void test_sysctl_path(void **state)
{
	char p[256];

	(void)state;
	assert_int_equal(nt_facts_sysctl_path("net.ipv4.ip_forward", false, p, sizeof(p)), 0);
	assert_string_equal(p, "/proc/sys/net/ipv4/ip_forward");
	/* sysctl(8): a slash in a dotted name is a dot in the file's */
	assert_int_equal(
		nt_facts_sysctl_path("net.ipv4.conf.eth0/100.rp_filter", false, p, sizeof(p)), 0);
	assert_string_equal(p, "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
	/* a device name with its dots, as a template expands {dev} */
	assert_int_equal(
		nt_facts_sysctl_path("net.ipv4.conf.eth0.100.rp_filter", true, p, sizeof(p)), 0);
	assert_string_equal(p, "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
	assert_int_equal(
		nt_facts_sysctl_path("net.ipv6.neigh.br.0.1.retrans_time_ms", true, p, sizeof(p)),
		0);
	assert_string_equal(p, "/proc/sys/net/ipv6/neigh/br.0.1/retrans_time_ms");
	/* nothing else to try: not a device tree, or no dot in the device */
	assert_int_equal(nt_facts_sysctl_path("net.core.somaxconn", true, p, sizeof(p)), -ENOENT);
	assert_int_equal(nt_facts_sysctl_path("net.ipv4.conf.eth0.rp_filter", true, p, sizeof(p)),
			 -ENOENT);
	assert_int_equal(nt_facts_sysctl_path("net.ipv4.ip_forward", false, p, 12), -ENAMETOOLONG);
}

static void test_parse_route(void **state)
{
	static const char *const bad[] = {"",
					  "10.0.0",
					  "10.0.0.1 from",
					  "10.0.0.1 from fd00::1",
					  "10.0.0.1 via 10.0.0.2",
					  "10.0.0.1 iif a/b",
					  "10.0.0.1 iif averyveryverylongname",
					  "10.0.0.1 from 1.1.1.1 from 1.1.1.2",
					  "10.0.0.1/24",
					  "fe80::1%eth0"};
	union nt_facts_arg a;
	char s[64];
	size_t i;

	(void)state;
	assert_int_equal(nt_facts_parse_route("10.0.2.2", &a), 0);
	assert_int_equal(a.route.dst.family, AF_INET);
	assert_int_equal(a.route.src.family, 0);
	assert_string_equal(a.route.iif, "");
	assert_int_equal(nt_facts_parse_route("10.0.2.2 from 10.0.1.1  iif r1", &a), 0);
	assert_int_equal(a.route.src.family, AF_INET);
	inet_ntop(AF_INET, &a.route.src.v4, s, sizeof(s));
	assert_string_equal(s, "10.0.1.1");
	assert_string_equal(a.route.iif, "r1");
	assert_int_equal(nt_facts_parse_route("iif r1", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_route("fd00::2 iif r1 from fd00::1", &a), 0);
	assert_int_equal(a.route.dst.family, AF_INET6);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (nt_facts_parse_route(bad[i], &a) != -EINVAL)
			fail_msg("route \"%s\" accepted", bad[i]);
}

static void test_parse_others(void **state)
{
	union nt_facts_arg a;

	(void)state;
	assert_int_equal(nt_facts_parse_neigh("10.0.1.254", &a), 0);
	assert_string_equal(a.neigh.dev, "");
	assert_int_equal(nt_facts_parse_neigh("fe80::1 dev r1", &a), 0);
	assert_int_equal(a.neigh.addr.family, AF_INET6);
	assert_string_equal(a.neigh.dev, "r1");
	assert_int_equal(nt_facts_parse_neigh("10.0.1.254 dev", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_neigh("10.0.1.254 on r1", &a), -EINVAL);

	assert_int_equal(nt_facts_parse_listen("tcp:8080", &a), 0);
	assert_int_equal(a.listen.proto, IPPROTO_TCP);
	assert_int_equal(a.listen.port, 8080);
	assert_int_equal(nt_facts_parse_listen("UDP:53", &a), 0); /* {l4} as the engine writes it */
	assert_int_equal(a.listen.proto, IPPROTO_UDP);
	assert_int_equal(nt_facts_parse_listen("tcp:65535", &a), 0);
	assert_int_equal(nt_facts_parse_listen("tcp:0", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_listen("tcp:65536", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_listen("tcp:", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_listen("tcp:-1", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_listen("tcp:80x", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_listen("icmp:1", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_listen("8080", &a), -EINVAL);

	assert_int_equal(nt_facts_parse_dev("veth-a.100", &a), 0);
	assert_string_equal(a.dev, "veth-a.100");
	assert_int_equal(nt_facts_parse_dev("", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_dev("0123456789abcdef", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_dev("a/b", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_dev("a:b", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_dev("a b", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_dev("..", &a), -EINVAL);

	assert_int_equal(nt_facts_parse_tc("r1 egress", &a), 0);
	assert_string_equal(a.tc.dev, "r1");
	assert_true(a.tc.egress);
	assert_int_equal(nt_facts_parse_tc("r1 ingress", &a), 0);
	assert_false(a.tc.egress);
	assert_int_equal(nt_facts_parse_tc("r1", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_tc("r1 both", &a), -EINVAL);
	assert_int_equal(nt_facts_parse_tc("r1 ingress x", &a), -EINVAL);
}

/* Unknown kinds and bad arguments are refused before any namespace is entered. */
static void test_read_refusals(void **state)
{
	char out[16] = "x";

	(void)state;
	assert_true(nt_fact_kind_known("sysctl"));
	assert_true(nt_fact_kind_known("tc"));
	assert_false(nt_fact_kind_known("cgroup"));
	assert_false(nt_fact_kind_known(""));
	assert_int_equal(nt_fact_read(0, "cgroup", "x", out, sizeof(out)), -EOPNOTSUPP);
	assert_string_equal(out, "?");
	strcpy(out, "x");
	assert_int_equal(nt_fact_read(0, "listen", "icmp:1", out, sizeof(out)), -EINVAL);
	assert_string_equal(out, "?");
	assert_int_equal(nt_fact_read(0, "route", NULL, out, sizeof(out)), -EINVAL);
	assert_string_equal(nt_fact_strerror(-ESRCH), "no such network namespace");
}

/* /proc/sys/kernel/ostype exists on every Linux: a value cut short ends in "...". */
static void test_read_cut(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(nt_fact_read(0, "sysctl", "kernel.ostype", out, sizeof(out)), 0);
	assert_string_equal(out, "Linux");
	assert_int_equal(nt_fact_read(0, "sysctl", "kernel.ostype", out, 5), 0);
	assert_string_equal(out, "L...");
	assert_int_equal(nt_fact_read(0, "sysctl", "kernel.no_such_thing", out, sizeof(out)),
			 -ENOENT);
	assert_string_equal(out, "?");
}

/* ---------------------------------------------------------------- routes and neighbours */

static struct rtmsg *route_msg(struct msg *m, int family, __u8 dst_len, __u8 type)
{
	struct rtmsg *rtm = msg_init(m, RTM_NEWROUTE, sizeof(*rtm));

	rtm->rtm_family = (__u8)family;
	rtm->rtm_dst_len = dst_len;
	rtm->rtm_type = type;
	rtm->rtm_table = RT_TABLE_MAIN;
	return rtm;
}

static void test_route_text(void **state)
{
	struct rtnexthop *nh;
	struct nlattr *mp;
	struct msg m;

	(void)state;
	route_msg(&m, AF_INET, 24, RTN_UNICAST);
	put_ip(&m, RTA_DST, AF_INET, "10.0.2.0");
	put_ip(&m, RTA_GATEWAY, AF_INET, "10.0.1.254");
	put_u32(&m, RTA_OIF, 3);
	put_u32(&m, RTA_TABLE, RT_TABLE_MAIN);
	assert_string_equal(TEXT(nt_facts_route_text(nlh_of(&m), &names, &_sb)),
			    "10.0.2.0/24 via 10.0.1.254 dev r1");

	route_msg(&m, AF_INET, 0, RTN_UNICAST);
	put_ip(&m, RTA_GATEWAY, AF_INET, "192.0.2.1");
	put_u32(&m, RTA_OIF, 9);
	put_ip(&m, RTA_PREFSRC, AF_INET, "192.0.2.7");
	put_u32(&m, RTA_TABLE, 100);
	assert_string_equal(TEXT(nt_facts_route_text(nlh_of(&m), &names, &_sb)),
			    "default via 192.0.2.1 dev if9 src 192.0.2.7 table 100");

	route_msg(&m, AF_INET, 32, RTN_LOCAL);
	put_ip(&m, RTA_DST, AF_INET, "10.0.1.1");
	put_u32(&m, RTA_OIF, 4);
	put_u32(&m, RTA_TABLE, RT_TABLE_LOCAL);
	assert_string_equal(TEXT(nt_facts_route_text(nlh_of(&m), &names, &_sb)),
			    "local 10.0.1.1 dev r2 table local");

	route_msg(&m, AF_INET6, 64, RTN_UNICAST);
	put_ip(&m, RTA_DST, AF_INET6, "fd00:1::");
	put_ip(&m, RTA_GATEWAY, AF_INET6, "fe80::1");
	put_u32(&m, RTA_OIF, 3);
	assert_string_equal(TEXT(nt_facts_route_text(nlh_of(&m), &names, &_sb)),
			    "fd00:1::/64 via fe80::1 dev r1");

	/* two next hops, each an rtnexthop followed by its attributes */
	route_msg(&m, AF_INET, 8, RTN_UNICAST);
	put_ip(&m, RTA_DST, AF_INET, "10.0.0.0");
	mp = nest(&m, RTA_MULTIPATH);
	for (int i = 0; i < 2; i++) {
		nh = (struct rtnexthop *)(m.buf + nlh_of(&m)->nlmsg_len);
		memset(nh, 0, sizeof(*nh));
		nh->rtnh_ifindex = 3 + i;
		nlh_of(&m)->nlmsg_len += sizeof(*nh);
		put_ip(&m, RTA_GATEWAY, AF_INET, i ? "10.0.1.2" : "10.0.1.1");
		nh->rtnh_len = (unsigned short)(m.buf + nlh_of(&m)->nlmsg_len - (char *)nh);
	}
	mp->nla_type = RTA_MULTIPATH; /* not flagged nested by the kernel */
	nest_end(&m, mp);
	assert_string_equal(TEXT(nt_facts_route_text(nlh_of(&m), &names, &_sb)),
			    "10.0.0.0/8 nexthop via 10.0.1.1 dev r1 nexthop via 10.0.1.2 dev r2");

	route_msg(&m, AF_INET, 24, RTN_UNICAST);
	put_ip(&m, RTA_DST, AF_INET, "10.0.3.0");
	put_u32(&m, RTA_NH_ID, 5);
	assert_string_equal(TEXT(nt_facts_route_text(nlh_of(&m), &names, &_sb)),
			    "10.0.3.0/24 nhid 5");
}

static void test_route_errors(void **state)
{
	(void)state;
	assert_string_equal(nt_facts_route_error(-ENETUNREACH, false), "no route");
	assert_string_equal(nt_facts_route_error(-EHOSTUNREACH, false), "unreachable");
	assert_string_equal(nt_facts_route_error(-EACCES, true), "prohibit");
	assert_string_equal(nt_facts_route_error(-EINVAL, false), "blackhole");
	assert_string_equal(nt_facts_route_error(-EINVAL, true), "blackhole or martian address");
	assert_string_equal(nt_facts_route_error(-EXDEV, true), "rejected by rp_filter");
	assert_null(nt_facts_route_error(-EXDEV, false));
	assert_null(nt_facts_route_error(-ENODEV, false));
}

static void test_nud_and_link(void **state)
{
	(void)state;
	assert_string_equal(TEXT(nt_facts_nud_text(0x20, &_sb)), "FAILED");
	assert_string_equal(TEXT(nt_facts_nud_text(0x02, &_sb)), "REACHABLE");
	assert_string_equal(TEXT(nt_facts_nud_text(0x80, &_sb)), "PERMANENT");
	assert_string_equal(TEXT(nt_facts_nud_text(0x41, &_sb)), "INCOMPLETE|NOARP");
	assert_string_equal(TEXT(nt_facts_nud_text(0, &_sb)), "NONE");
	assert_string_equal(nt_facts_link_text(0), "down");
	assert_string_equal(nt_facts_link_text(0x10000), "down"); /* lower up, not set up */
	assert_string_equal(nt_facts_link_text(0x1 | 0x40), "no-carrier");
	assert_string_equal(nt_facts_link_text(0x1 | 0x10000), "up");
}

static void test_xdp_text(void **state)
{
	struct nlattr *x;
	struct msg m;
	__u8 mode;

	(void)state;
	msg_init(&m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	x = nest(&m, IFLA_XDP);
	mode = XDP_ATTACHED_SKB;
	put(&m, IFLA_XDP_ATTACHED, &mode, 1);
	put_u32(&m, IFLA_XDP_PROG_ID, 42);
	nest_end(&m, x);
	assert_string_equal(TEXT(nt_facts_xdp_text(x, &names, &_sb)),
			    "id 42 name xdp_drop mode generic");

	msg_init(&m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	x = nest(&m, IFLA_XDP);
	mode = XDP_ATTACHED_MULTI;
	put(&m, IFLA_XDP_ATTACHED, &mode, 1);
	put_u32(&m, IFLA_XDP_DRV_PROG_ID, 7);
	put_u32(&m, IFLA_XDP_SKB_PROG_ID, 42);
	nest_end(&m, x);
	assert_string_equal(TEXT(nt_facts_xdp_text(x, &names, &_sb)),
			    "id 7 mode native, id 42 name xdp_drop mode generic");

	msg_init(&m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	x = nest(&m, IFLA_XDP);
	mode = XDP_ATTACHED_NONE;
	put(&m, IFLA_XDP_ATTACHED, &mode, 1);
	nest_end(&m, x);
	assert_string_equal(TEXT(nt_facts_xdp_text(x, &names, &_sb)), "none");
	assert_string_equal(TEXT(nt_facts_xdp_text(NULL, &names, &_sb)), "none");
}

/* ---------------------------------------------------------------- tc */

static void qdisc_msg(struct msg *m, const char *kind)
{
	struct tcmsg *tcm = msg_init(m, RTM_NEWQDISC, sizeof(*tcm));

	tcm->tcm_ifindex = 3;
	tcm->tcm_parent = TC_H_ROOT;
	put_str(m, TCA_KIND, kind);
}

static void put_queue_stats(struct msg *m, __u32 drops, __u32 overlimits, __u32 qlen)
{
	struct gnet_stats_queue q = {.qlen = qlen, .drops = drops, .overlimits = overlimits};
	struct nlattr *st = nest(m, TCA_STATS2);

	put(m, TCA_STATS_QUEUE, &q, sizeof(q));
	nest_end(m, st);
}

static void test_qdisc_text(void **state)
{
	struct tc_netem_qopt netem = {.limit = 1000, .loss = 429496730}; /* 10% */
	struct tc_tbf_qopt tbf = {.limit = 3000};
	struct tc_fifo_qopt fifo = {.limit = 50};
	__s64 latency = 100000000;
	struct nlattr *o;
	struct msg m;

	(void)state;
	qdisc_msg(&m, "tbf");
	o = nest(&m, TCA_OPTIONS);
	tbf.rate.rate = 125000; /* bytes/s: 1 Mbit */
	put(&m, TCA_TBF_PARMS, &tbf, sizeof(tbf));
	nest_end(&m, o);
	put_queue_stats(&m, 12, 30, 2);
	assert_string_equal(TEXT(nt_facts_qdisc_text(nlh_of(&m), &_sb)),
			    "tbf limit 3000b rate 1Mbit drops 12 overlimits 30 qlen 2");

	/* netem: a struct, then nested attributes, in one TCA_OPTIONS */
	qdisc_msg(&m, "netem");
	o = nest(&m, TCA_OPTIONS);
	nlh_of(&m)->nlmsg_len += NLA_ALIGN(sizeof(netem));
	memcpy((char *)o + NLA_HDRLEN, &netem, sizeof(netem));
	put(&m, TCA_NETEM_LATENCY64, &latency, sizeof(latency));
	nest_end(&m, o);
	o->nla_type = TCA_OPTIONS;
	put_queue_stats(&m, 3, 0, 0);
	assert_string_equal(TEXT(nt_facts_qdisc_text(nlh_of(&m), &_sb)),
			    "netem limit 1000p delay 100ms loss 10% drops 3 overlimits 0 qlen 0");

	qdisc_msg(&m, "pfifo");
	put(&m, TCA_OPTIONS, &fifo, sizeof(fifo));
	put_queue_stats(&m, 0, 0, 0);
	assert_string_equal(TEXT(nt_facts_qdisc_text(nlh_of(&m), &_sb)),
			    "pfifo limit 50p drops 0 overlimits 0 qlen 0");

	qdisc_msg(&m, "fq_codel");
	o = nest(&m, TCA_OPTIONS);
	put_u32(&m, TCA_FQ_CODEL_LIMIT, 10240);
	nest_end(&m, o);
	put_queue_stats(&m, 1, 0, 0);
	assert_string_equal(TEXT(nt_facts_qdisc_text(nlh_of(&m), &_sb)),
			    "fq_codel limit 10240p drops 1 overlimits 0 qlen 0");

	qdisc_msg(&m, "noqueue");
	put_queue_stats(&m, 0, 0, 0);
	assert_string_equal(TEXT(nt_facts_qdisc_text(nlh_of(&m), &_sb)), "noqueue");
}

static void test_rate_time(void **state)
{
	(void)state;
	assert_string_equal(TEXT(nt_facts_rate_text(1000000, &_sb)), "1Mbit");
	assert_string_equal(TEXT(nt_facts_rate_text(1500, &_sb)), "1.5Kbit");
	assert_string_equal(TEXT(nt_facts_rate_text(999, &_sb)), "999bit");
	assert_string_equal(TEXT(nt_facts_rate_text(10000000000ULL, &_sb)), "10Gbit");
	assert_string_equal(TEXT(nt_facts_time_text(20000, &_sb)), "20us");
	assert_string_equal(TEXT(nt_facts_time_text(1500000000, &_sb)), "1.5s");
}

static void filter_msg(struct msg *m, const char *kind, __u16 prio)
{
	struct tcmsg *tcm = msg_init(m, RTM_NEWTFILTER, sizeof(*tcm));

	tcm->tcm_ifindex = 3;
	tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
	tcm->tcm_info = TC_H_MAKE((__u32)prio << 16, htons(0x0003));
	tcm->tcm_handle = 1;
	put_str(m, TCA_KIND, kind);
}

static void test_filter_text(void **state)
{
	struct nlattr *o;
	struct msg m;

	(void)state;
	filter_msg(&m, "bpf", 1);
	o = nest(&m, TCA_OPTIONS);
	put_str(&m, TCA_BPF_NAME, "tc_drop.bpf.o:[tc]");
	put_u32(&m, TCA_BPF_ID, 12);
	nest_end(&m, o);
	assert_string_equal(TEXT(nt_facts_filter_text(nlh_of(&m), &names, &_sb)),
			    "bpf id 12 name tc_drop prio 1");

	/* a program whose info cannot be read: the name tc gave it */
	filter_msg(&m, "bpf", 49152);
	o = nest(&m, TCA_OPTIONS);
	put_str(&m, TCA_BPF_NAME, "obj.o:[tc]");
	put_u32(&m, TCA_BPF_ID, 13);
	nest_end(&m, o);
	assert_string_equal(TEXT(nt_facts_filter_text(nlh_of(&m), &names, &_sb)),
			    "bpf id 13 name obj.o:[tc] prio 49152");

	filter_msg(&m, "u32", 2);
	o = nest(&m, TCA_OPTIONS);
	put_u32(&m, 1, 0);
	nest_end(&m, o);
	assert_string_equal(TEXT(nt_facts_filter_text(nlh_of(&m), &names, &_sb)), "u32 prio 2");

	/* the head of a priority's list has no options: no entry */
	filter_msg(&m, "bpf", 1);
	assert_string_equal(TEXT(nt_facts_filter_text(nlh_of(&m), &names, &_sb)), "");
}

static void test_sock_text(void **state)
{
	struct inet_diag_msg d;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.idiag_family = AF_INET;
	d.id.idiag_sport = htons(8080);
	assert_string_equal(TEXT(nt_facts_sock_text(IPPROTO_TCP, &d, 123, "nc", &_sb)),
			    "tcp 0.0.0.0:8080 (pid 123 nc)");
	d.idiag_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "fd00::1", d.id.idiag_src), 1);
	d.id.idiag_sport = htons(53);
	assert_string_equal(TEXT(nt_facts_sock_text(IPPROTO_UDP, &d, 0, "", &_sb)),
			    "udp [fd00::1]:53");
}

/*
 * A thread that cannot come back to its namespace: said once, and every read
 * refused from then on. Last: it cannot be undone in this process.
 */
static void test_stranded(void **state)
{
	struct nt_netns_home home = {0};
	char out[16];

	(void)state;
	assert_int_equal(nt_fact_read(0, "sysctl", "kernel.ostype", out, sizeof(out)), 0);
	home.fd = open("/dev/null", O_RDONLY); /* setns() refuses a file that is no namespace */
	assert_true(home.fd >= 0);
	assert_int_equal(nt_facts_ns_return(&home), -ENOTRECOVERABLE);
	assert_int_equal(home.fd, -1);
	assert_int_equal(nt_facts_ns_enter(0, &home), -ENOTRECOVERABLE);
	assert_int_equal(nt_fact_read(0, "sysctl", "kernel.ostype", out, sizeof(out)),
			 -ENOTRECOVERABLE);
	assert_string_equal(out, "?"); /* the value cached before is not served */
	assert_int_equal(nt_fact_read(0, "mtu", "lo", out, sizeof(out)), -ENOTRECOVERABLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sysctl),  cmocka_unit_test(test_sysctl_path),
		cmocka_unit_test(test_parse_route),   cmocka_unit_test(test_parse_others),
		cmocka_unit_test(test_read_refusals), cmocka_unit_test(test_read_cut),
		cmocka_unit_test(test_route_text),    cmocka_unit_test(test_route_errors),
		cmocka_unit_test(test_nud_and_link),  cmocka_unit_test(test_xdp_text),
		cmocka_unit_test(test_qdisc_text),    cmocka_unit_test(test_rate_time),
		cmocka_unit_test(test_filter_text),   cmocka_unit_test(test_sock_text),
		cmocka_unit_test(test_stranded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
