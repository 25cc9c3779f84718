// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hook observers, user side: the text and JSON of an event's nf
 * part (src/output/nf.c), the findings of a packet's hook events
 * (src/analysis/nf.c) and probe indices (src/netfilter/observer/). The
 * namespace list is tested in test_netns.c.
 */
#include <arpa/inet.h>
#include <sys/stat.h>
#include "common.h"
#include "json_check.h"
#include "analysis/nf.h"
#include "netfilter/observer/observer.h"
#include "output/json.h"
#include "output/nf.h"

enum { PRE, IN, FWD, OUT, POST };
#define V4   2
#define V6   10
#define NSA  4026532001u
#define NSR  4026532002u
#define NSB  4026532003u
#define SKB1 0xffff888100001000ull
#define SKB2 0xffff888100002000ull

/* ---- building events ---- */

static void v4(__u8 *dst, const char *a)
{
	assert_int_equal(inet_pton(AF_INET, a, dst), 1);
}

static void v6(__u8 *dst, const char *a)
{
	assert_int_equal(inet_pton(AF_INET6, a, dst), 1);
}

/* An NT_EV_NFHOOK event for UDP saddr:sport -> daddr:dport. */
static struct nt_event nfev(__u64 ts, __u64 skb, __u32 ns, __u8 hook, __u8 where, const char *s,
			    __u16 sp, const char *d, __u16 dp)
{
	struct nt_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.skb = skb;
	e.netns = ns;
	e.kind = NT_EV_NFHOOK;
	e.flow.l3proto = 0x0800;
	e.flow.l4proto = 17;
	v4(e.flow.saddr, s);
	v4(e.flow.daddr, d);
	e.flow.sport = sp;
	e.flow.dport = dp;
	e.nf.pf = V4;
	e.nf.hook = hook;
	e.nf.where = where;
	e.nf.ctinfo = 0xff;
	return e;
}

/* A trace event of the same packet (e.g. kfree_skb). */
static struct nt_event trev(__u64 ts, __u64 skb)
{
	struct nt_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.skb = skb;
	e.kind = NT_EV_TRACE;
	return e;
}

static void tuple4(struct nt_tuple *t, const char *s, __u16 sp, const char *d, __u16 dp, __u8 proto)
{
	memset(t, 0, sizeof(*t));
	v4(t->src, s);
	v4(t->dst, d);
	t->sport = sp;
	t->dport = dp;
	t->l3num = V4;
	t->l4proto = proto;
}

static const char *finding_text(const struct nt_nf_finding *f)
{
	static char buf[256];

	nt_nf_finding_format(buf, sizeof(buf), f);
	return buf;
}

/* ---- text of the nf part ---- */

static void test_names(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(nt_nf_pf_name(V4), "ipv4");
	assert_string_equal(nt_nf_pf_name(V6), "ipv6");
	assert_null(nt_nf_pf_name(7));
	assert_string_equal(nt_nf_hook_name(PRE), "PRE_ROUTING");
	assert_string_equal(nt_nf_hook_name(POST), "POST_ROUTING");
	assert_null(nt_nf_hook_name(5));
	nt_nf_hook_format(buf, sizeof(buf), V6, FWD);
	assert_string_equal(buf, "ipv6 FORWARD");
	nt_nf_hook_format(buf, sizeof(buf), 7, 9);
	assert_string_equal(buf, "pf7 hook9");

	assert_string_equal(nt_nf_ct_state(0, buf, sizeof(buf)), "ESTABLISHED");
	assert_string_equal(nt_nf_ct_state(1, buf, sizeof(buf)), "RELATED");
	assert_string_equal(nt_nf_ct_state(2, buf, sizeof(buf)), "NEW");
	assert_string_equal(nt_nf_ct_state(3, buf, sizeof(buf)), "ESTABLISHED_REPLY");
	assert_string_equal(nt_nf_ct_state(4, buf, sizeof(buf)), "RELATED_REPLY");
	assert_string_equal(nt_nf_ct_state(5, buf, sizeof(buf)), "NEW_REPLY");
	assert_string_equal(nt_nf_ct_state(6, buf, sizeof(buf)), "6");
	assert_string_equal(nt_nf_ct_state(7, buf, sizeof(buf)), "untracked");
	assert_string_equal(nt_nf_ct_state(0xff, buf, sizeof(buf)), "none");
	assert_false(nt_nf_ct_is_reply(0));
	assert_false(nt_nf_ct_is_reply(2));
	assert_true(nt_nf_ct_is_reply(3));
	assert_true(nt_nf_ct_is_reply(4));
	assert_false(nt_nf_ct_is_reply(7));
	assert_false(nt_nf_ct_is_reply(0xff));
}

static void test_status(void **state)
{
	char buf[256], small[12];

	(void)state;
	nt_nf_status_format(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0");
	nt_nf_status_format(buf, sizeof(buf), 1 << 3 | 1 << 1);
	assert_string_equal(buf, "SEEN_REPLY|CONFIRMED");
	nt_nf_status_format(buf, sizeof(buf), 1 << 4 | 1 << 5 | 1 << 7 | 1 << 8);
	assert_string_equal(buf, "SRC_NAT|DST_NAT|SRC_NAT_DONE|DST_NAT_DONE");
	nt_nf_status_format(buf, sizeof(buf),
			    1 << 0 | 1 << 2 | 1 << 6 | 1 << 9 | 1 << 10 | 1 << 11);
	assert_string_equal(buf, "EXPECTED|ASSURED|SEQ_ADJUST|DYING|FIXED_TIMEOUT|TEMPLATE");
	nt_nf_status_format(buf, sizeof(buf), 1 << 12 | 1 << 13 | 1 << 14 | 1 << 15);
	assert_string_equal(buf, "NAT_CLASH|HELPER|OFFLOAD|HW_OFFLOAD");
	nt_nf_status_format(buf, sizeof(buf), 1 << 3 | 1u << 20 | 1u << 31);
	assert_string_equal(buf, "CONFIRMED|0x80100000");
	nt_nf_status_format(buf, sizeof(buf), 1u << 16);
	assert_string_equal(buf, "0x10000");
	/* Cut, never overrun. */
	nt_nf_status_format(small, sizeof(small), 0xffff);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_string_equal(small, "EXPECTED|SE");
}

static void test_tuple_format(void **state)
{
	struct nt_tuple t;
	char buf[160];

	(void)state;
	tuple4(&t, "10.0.0.1", 5, "10.0.0.2", 80, 6);
	nt_nf_tuple_format(buf, sizeof(buf), &t);
	assert_string_equal(buf, "10.0.0.1:5 -> 10.0.0.2:80");
	tuple4(&t, "10.0.0.1", 77, "10.0.0.2", 0x0800, 1);
	nt_nf_tuple_format(buf, sizeof(buf), &t);
	assert_string_equal(buf, "10.0.0.1 -> 10.0.0.2 id:77");
	tuple4(&t, "10.0.0.1", 0, "10.0.0.2", 0, 47);
	nt_nf_tuple_format(buf, sizeof(buf), &t);
	assert_string_equal(buf, "10.0.0.1 -> 10.0.0.2");
	memset(&t, 0, sizeof(t));
	v6(t.src, "2001:db8::1");
	v6(t.dst, "2001:db8::2");
	t.l3num = V6;
	t.l4proto = 17;
	t.sport = 1000;
	t.dport = 53;
	nt_nf_tuple_format(buf, sizeof(buf), &t);
	assert_string_equal(buf, "[2001:db8::1]:1000 -> [2001:db8::2]:53");
	t.l3num = 0;
	nt_nf_tuple_format(buf, sizeof(buf), &t);
	assert_string_equal(buf, "-");
}

static struct nt_nf ct_nf(__u8 ctinfo)
{
	struct nt_nf nf;

	memset(&nf, 0, sizeof(nf));
	nf.pf = V4;
	nf.hook = PRE;
	nf.where = NT_NF_FIRST;
	nf.ctinfo = ctinfo;
	nf.in_ifindex = 2;
	strcpy(nf.in, "eth0");
	nf.ct_status = 1 << 3 | 1 << 1;
	tuple4(&nf.orig, "10.0.0.1", 5, "10.0.0.2", 80, 17);
	tuple4(&nf.reply, "10.0.0.2", 80, "10.0.0.1", 5, 17);
	return nf;
}

static void test_format_ct(void **state)
{
	struct nt_nf nf = ct_nf(2);
	char buf[512];

	(void)state;
	assert_false(nt_nf_ct_natted(&nf));
	nt_nf_format(buf, sizeof(buf), &nf, false);
	assert_string_equal(buf,
			    "ipv4 PRE_ROUTING in=eth0 first ct:NEW status:SEEN_REPLY|CONFIRMED "
			    "zone:0 mark:0x0");
	/* Tuples on request. */
	nt_nf_format(buf, sizeof(buf), &nf, true);
	assert_contains(buf, " orig 10.0.0.1:5 -> 10.0.0.2:80 reply 10.0.0.2:80 -> 10.0.0.1:5");

	nf.where = NT_NF_LAST;
	nf.hook = FWD;
	strcpy(nf.out, "eth1");
	nf.out_ifindex = 3;
	nf.ct_zone = 7;
	nf.ct_mark = 0xbeef;
	nf.ctinfo = 3;
	nt_nf_format(buf, sizeof(buf), &nf, false);
	assert_string_equal(buf, "ipv4 FORWARD in=eth0 out=eth1 last ct:ESTABLISHED_REPLY "
				 "status:SEEN_REPLY|CONFIRMED zone:7 mark:0xbeef");
}

static void test_format_nat(void **state)
{
	struct nt_nf nf = ct_nf(2);
	char buf[512];

	(void)state;
	tuple4(&nf.reply, "10.0.0.2", 80, "10.0.0.9", 5, 17); /* SNAT to 10.0.0.9 */
	nf.ct_status = 1 << 4 | 1 << 7;
	assert_true(nt_nf_ct_natted(&nf));
	nt_nf_format(buf, sizeof(buf), &nf, false);
	assert_string_equal(buf,
			    "ipv4 PRE_ROUTING in=eth0 first ct:NEW status:SRC_NAT|SRC_NAT_DONE "
			    "zone:0 mark:0x0 orig 10.0.0.1:5 -> 10.0.0.2:80 "
			    "reply 10.0.0.2:80 -> 10.0.0.9:5");
	/* A port change alone is NAT too. */
	tuple4(&nf.reply, "10.0.0.2", 8080, "10.0.0.1", 5, 17);
	assert_true(nt_nf_ct_natted(&nf));
	/* ICMP: the reply's type differs by nature; only addresses and id count. */
	tuple4(&nf.orig, "10.0.0.1", 9, "10.0.0.2", 0x0800, 1);
	tuple4(&nf.reply, "10.0.0.2", 9, "10.0.0.1", 0x0000, 1);
	assert_false(nt_nf_ct_natted(&nf));
	tuple4(&nf.reply, "10.0.0.2", 10, "10.0.0.1", 0x0000, 1);
	assert_true(nt_nf_ct_natted(&nf));
}

static void test_format_no_ct(void **state)
{
	struct nt_nf nf = ct_nf(0xff);
	char buf[512];

	(void)state;
	nt_nf_format(buf, sizeof(buf), &nf, true);
	assert_string_equal(buf, "ipv4 PRE_ROUTING in=eth0 first ct:none");
	assert_false(nt_nf_ct_natted(&nf));
	nf.ctinfo = 7;
	nt_nf_format(buf, sizeof(buf), &nf, true);
	assert_string_equal(buf, "ipv4 PRE_ROUTING in=eth0 first ct:untracked");
	/* A device known only by index; no in or out at all. */
	nf.ctinfo = 0xff;
	nf.in[0] = '\0';
	nt_nf_format(buf, sizeof(buf), &nf, false);
	assert_string_equal(buf, "ipv4 PRE_ROUTING in=if2 first ct:none");
	nf.in_ifindex = 0;
	nf.hook = OUT;
	nf.pf = V6;
	nt_nf_format(buf, sizeof(buf), &nf, false);
	assert_string_equal(buf, "ipv6 LOCAL_OUT first ct:none");
	/* A name filling all 16 bytes, no NUL. */
	memset(nf.out, 'x', sizeof(nf.out));
	nt_nf_format(buf, sizeof(buf), &nf, false);
	assert_string_equal(buf, "ipv6 LOCAL_OUT out=xxxxxxxxxxxxxxxx first ct:none");
	/* Cut, never overrun. */
	nt_nf_format(buf, 10, &nf, false);
	assert_string_equal(buf, "ipv6 LOCA");
}

static void test_json(void **state)
{
	struct nt_nf nf = ct_nf(2);
	struct capture c;
	struct json j;

	(void)state;
	tuple4(&nf.reply, "10.0.0.2", 80, "10.0.0.9", 5, 17);
	capture_open(&c);
	json_begin(&j, c.f);
	json_str(&j, "event", "nfhook");
	nt_nf_json(&j, &nf);
	json_end(&j);
	assert_json(capture_text(&c));
	assert_contains(capture_text(&c), "\"nf\":{\"pf\":\"ipv4\",\"hook\":\"PRE_ROUTING\","
					  "\"where\":\"first\",\"in\":\"eth0\"");
	assert_contains(capture_text(&c), "\"state\":\"NEW\"");
	assert_contains(capture_text(&c), "\"status\":[\"SEEN_REPLY\",\"CONFIRMED\"]");
	assert_contains(capture_text(&c), "\"nat\":true");
	assert_contains(capture_text(&c), "\"reply\":{\"src\":\"10.0.0.2\",\"dst\":\"10.0.0.9\"");
	assert_not_contains(capture_text(&c), "\"out\"");
	capture_close(&c);

	nf.ctinfo = 0xff;
	nf.in[0] = '\0';
	nf.in_ifindex = 0;
	capture_open(&c);
	json_begin(&j, c.f);
	nt_nf_json(&j, &nf);
	json_end(&j);
	assert_json(capture_text(&c));
	assert_contains(capture_text(&c), "\"ct\":{\"state\":\"none\"}");
	assert_not_contains(capture_text(&c), "\"in\"");
	capture_close(&c);
}

/* ---- findings ---- */

/* A forwarded packet in R: A's OUT and POST, R's PRE, then FORWARD entered, then freed. */
static void test_dropped_in_forward(void **state)
{
	const char *a = "10.77.1.1", *b = "10.77.2.1";
	struct nt_event ev[] = {
		nfev(1, SKB1, NSA, OUT, NT_NF_FIRST, a, 5, b, 7777),
		nfev(2, SKB1, NSA, OUT, NT_NF_LAST, a, 5, b, 7777),
		nfev(3, SKB1, NSA, POST, NT_NF_FIRST, a, 5, b, 7777),
		nfev(4, SKB1, NSA, POST, NT_NF_LAST, a, 5, b, 7777),
		trev(5, SKB1),
		nfev(6, SKB1, NSR, PRE, NT_NF_FIRST, a, 5, b, 7777),
		nfev(7, SKB1, NSR, PRE, NT_NF_LAST, a, 5, b, 7777),
		nfev(8, SKB1, NSR, FWD, NT_NF_FIRST, a, 5, b, 7777),
		trev(9, SKB1), /* e.g. kfree_skb inside the hook */
	};
	struct nt_nf_finding f[8];

	(void)state;
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, ARRAY_SIZE(f)), 1);
	assert_int_equal(f[0].kind, NT_NFF_STOPPED);
	assert_int_equal(f[0].pf, V4);
	assert_int_equal(f[0].hook, FWD);
	assert_int_equal(f[0].netns, NSR);
	assert_int_equal(f[0].first, 7);
	assert_int_equal(f[0].last, 8);
	assert_true(f[0].show_netns);
	assert_string_equal(finding_text(&f[0]),
			    "dropped or stolen inside ipv4 FORWARD (netns 4026532002)");

	/* Nothing is found in a group without hook events, or without events. */
	assert_int_equal(nt_nf_findings(&ev[4], 1, f, ARRAY_SIZE(f)), 0);
	assert_int_equal(nt_nf_findings(ev, 0, f, ARRAY_SIZE(f)), 0);
	/* One namespace only: no netns in the text. */
	assert_int_equal(nt_nf_findings(&ev[5], 4, f, ARRAY_SIZE(f)), 1);
	assert_string_equal(finding_text(&f[0]), "dropped or stolen inside ipv4 FORWARD");
	/* The hook entered last, as the group's last event too. */
	assert_int_equal(nt_nf_findings(&ev[5], 3, f, ARRAY_SIZE(f)), 1);
	assert_int_equal(f[0].first, 2);
	assert_int_equal(f[0].last, 2);
}

static void test_clean_pass(void **state)
{
	const char *a = "10.77.1.1", *b = "10.77.2.1";
	struct nt_event ev[] = {
		nfev(1, SKB1, NSR, PRE, NT_NF_FIRST, a, 5, b, 80),
		nfev(2, SKB1, NSR, PRE, NT_NF_LAST, a, 5, b, 80),
		trev(3, SKB1),
		nfev(4, SKB1, NSR, FWD, NT_NF_FIRST, a, 5, b, 80),
		nfev(5, SKB1, NSR, FWD, NT_NF_LAST, a, 5, b, 80),
		nfev(6, SKB1, NSR, POST, NT_NF_FIRST, a, 5, b, 80),
		nfev(7, SKB1, NSR, POST, NT_NF_LAST, a, 5, b, 80),
		trev(8, SKB1),
	};
	struct nt_nf_finding f[8];

	(void)state;
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, ARRAY_SIZE(f)), 0);
}

/* Same hook twice: through veth into another namespace, and LOCAL_OUT/POST_ROUTING twice (a loop).
 */
static void test_same_hook_twice(void **state)
{
	const char *a = "10.77.1.1", *b = "10.77.2.1";
	struct nt_event ev[] = {
		nfev(1, SKB1, NSA, POST, NT_NF_FIRST, a, 5, b, 80),
		nfev(2, SKB1, NSA, POST, NT_NF_LAST, a, 5, b, 80),
		nfev(3, SKB1, NSR, PRE, NT_NF_FIRST, a, 5, b, 80),
		nfev(4, SKB1, NSR, PRE, NT_NF_LAST, a, 5, b, 80),
		nfev(5, SKB1, NSR, FWD, NT_NF_FIRST, a, 5, b, 80),
		nfev(6, SKB1, NSR, FWD, NT_NF_LAST, a, 5, b, 80),
		nfev(7, SKB1, NSR, POST, NT_NF_FIRST, a, 5, b, 80),
		nfev(8, SKB1, NSR, POST, NT_NF_LAST, a, 5, b, 80),
		nfev(9, SKB1, NSB, PRE, NT_NF_FIRST, a, 5, b, 80),
		nfev(10, SKB1, NSB, PRE, NT_NF_LAST, a, 5, b, 80),
		/* back into R (a routing loop), and dropped in its PRE_ROUTING this time */
		nfev(11, SKB1, NSB, FWD, NT_NF_FIRST, a, 5, b, 80),
		nfev(12, SKB1, NSB, FWD, NT_NF_LAST, a, 5, b, 80),
		nfev(13, SKB1, NSB, POST, NT_NF_FIRST, a, 5, b, 80),
		nfev(14, SKB1, NSB, POST, NT_NF_LAST, a, 5, b, 80),
		nfev(15, SKB1, NSR, PRE, NT_NF_FIRST, a, 5, b, 80),
		trev(16, SKB1),
	};
	struct nt_nf_finding f[8];

	(void)state;
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, ARRAY_SIZE(f)), 1);
	assert_int_equal(f[0].kind, NT_NFF_STOPPED);
	assert_int_equal(f[0].hook, PRE);
	assert_int_equal(f[0].netns, NSR);
	assert_int_equal(f[0].first, 14);
	/* Without the last line, the loop is clean. */
	assert_int_equal(nt_nf_findings(ev, 14, f, ARRAY_SIZE(f)), 0);
}

/* A hook left without our last observer seeing it: the next hook shows it went on. */
static void test_went_on(void **state)
{
	const char *a = "10.77.1.1", *b = "10.77.2.1";
	struct nt_event ev[] = {
		nfev(1, SKB1, NSR, PRE, NT_NF_FIRST, a, 5, b, 80),
		nfev(2, SKB1, NSR, FWD, NT_NF_FIRST, a, 5, b, 80), /* PRE's last missing */
		nfev(3, SKB1, NSR, FWD, NT_NF_LAST, a, 5, b, 80),
		nfev(4, SKB1, NSR, POST, NT_NF_FIRST, a, 5, b, 80),
		nfev(5, SKB1, NSR, POST, NT_NF_FIRST, a, 5, b, 80), /* entered again */
		nfev(6, SKB1, NSR, POST, NT_NF_LAST, a, 5, b, 80),
		/* a last whose first was not seen (tracking began inside the hook) */
		nfev(7, SKB1, NSB, PRE, NT_NF_LAST, a, 5, b, 80),
	};
	struct nt_nf_finding f[8];

	(void)state;
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, ARRAY_SIZE(f)), 0);
}

/* A group with a clone: each skb's passes are paired on their own. */
static void test_clones(void **state)
{
	const char *a = "10.77.1.1", *b = "10.77.2.1";
	struct nt_event ev[] = {
		nfev(1, SKB1, NSR, PRE, NT_NF_FIRST, a, 5, b, 80),
		nfev(2, SKB1, NSR, PRE, NT_NF_LAST, a, 5, b, 80),
		nfev(3, SKB1, NSR, IN, NT_NF_FIRST, a, 5, b, 80),
		nfev(4, SKB2, NSR, OUT, NT_NF_FIRST, a, 5, b, 80), /* the clone, sent on */
		nfev(5, SKB2, NSR, OUT, NT_NF_LAST, a, 5, b, 80),
		nfev(6, SKB1, NSR, IN, NT_NF_LAST, a, 5, b, 80),
		nfev(7, SKB2, NSR, POST, NT_NF_FIRST, a, 5, b, 80),
		trev(8, SKB2),
	};
	struct nt_nf_finding f[8];

	(void)state;
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, ARRAY_SIZE(f)), 1);
	assert_int_equal(f[0].kind, NT_NFF_STOPPED);
	assert_int_equal(f[0].hook, POST);
	assert_int_equal(f[0].skb, SKB2);
	assert_int_equal(f[0].first, 6);
}

static void test_nat(void **state)
{
	const char *a = "10.231.71.1", *rA = "10.231.71.254", *rB = "10.231.72.254",
		   *b = "10.231.72.1";
	struct nt_event ev[] = {
		/* the request: DNAT in PRE_ROUTING, masquerade in POST_ROUTING */
		nfev(1, SKB1, NSR, PRE, NT_NF_FIRST, a, 5555, rA, 8080),
		nfev(2, SKB1, NSR, PRE, NT_NF_LAST, a, 5555, b, 7777),
		nfev(3, SKB1, NSR, FWD, NT_NF_FIRST, a, 5555, b, 7777),
		nfev(4, SKB1, NSR, FWD, NT_NF_LAST, a, 5555, b, 7777),
		nfev(5, SKB1, NSR, POST, NT_NF_FIRST, a, 5555, b, 7777),
		nfev(6, SKB1, NSR, POST, NT_NF_LAST, rB, 5555, b, 7777),
		/* the reply: both undone */
		nfev(7, SKB2, NSR, PRE, NT_NF_FIRST, b, 7777, rB, 5555),
		nfev(8, SKB2, NSR, PRE, NT_NF_LAST, b, 7777, a, 5555),
		nfev(9, SKB2, NSR, POST, NT_NF_FIRST, b, 7777, a, 5555),
		nfev(10, SKB2, NSR, POST, NT_NF_LAST, rA, 8080, a, 5555),
	};
	struct nt_nf_finding f[8];

	(void)state;
	ev[1].nf.ctinfo = 2;
	ev[5].nf.ctinfo = 2;
	ev[7].nf.ctinfo = 3;
	ev[9].nf.ctinfo = 3;
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, ARRAY_SIZE(f)), 4);
	assert_int_equal(f[0].kind, NT_NFF_DNAT);
	assert_false(f[0].reply);
	assert_int_equal(f[0].first, 0);
	assert_int_equal(f[0].last, 1);
	assert_string_equal(finding_text(&f[0]),
			    "DNAT 10.231.71.254:8080 -> 10.231.72.1:7777 in ipv4 PRE_ROUTING");
	assert_int_equal(f[1].kind, NT_NFF_SNAT);
	assert_string_equal(finding_text(&f[1]),
			    "SNAT 10.231.71.1:5555 -> 10.231.72.254:5555 in ipv4 POST_ROUTING");
	assert_int_equal(f[2].kind, NT_NFF_DNAT);
	assert_true(f[2].reply);
	assert_string_equal(finding_text(&f[2]),
			    "DNAT 10.231.72.254:5555 -> 10.231.71.1:5555 in ipv4 "
			    "PRE_ROUTING (reply direction: undoes SNAT)");
	assert_int_equal(f[3].kind, NT_NFF_SNAT);
	assert_string_equal(finding_text(&f[3]),
			    "SNAT 10.231.72.1:7777 -> 10.231.71.254:8080 in ipv4 "
			    "POST_ROUTING (reply direction: undoes DNAT)");

	/* At most max stored. */
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, 1), 1);
	assert_int_equal(f[0].kind, NT_NFF_DNAT);
	assert_int_equal(nt_nf_findings(ev, ARRAY_SIZE(ev), f, 0), 0);
}

static void test_nat_both_and_ports(void **state)
{
	struct nt_event ev[] = {
		nfev(1, SKB1, NSR, OUT, NT_NF_FIRST, "10.0.0.1", 5, "10.0.0.2", 80),
		nfev(2, SKB1, NSR, OUT, NT_NF_LAST, "10.0.0.1", 6, "10.0.0.2", 8080),
	};
	struct nt_nf_finding f[4];

	(void)state;
	/* Ports only, both ends: DNAT first, then SNAT. */
	assert_int_equal(nt_nf_findings(ev, 2, f, 4), 2);
	assert_string_equal(finding_text(&f[0]),
			    "DNAT 10.0.0.2:80 -> 10.0.0.2:8080 in ipv4 LOCAL_OUT");
	assert_string_equal(finding_text(&f[1]), "SNAT 10.0.0.1:5 -> 10.0.0.1:6 in ipv4 LOCAL_OUT");
	/* Without ports (ICMP), port fields are not compared; addresses are. */
	ev[0].flow.l4proto = ev[1].flow.l4proto = 1;
	assert_int_equal(nt_nf_findings(ev, 2, f, 4), 0);
	v4(ev[1].flow.daddr, "10.0.0.3");
	assert_int_equal(nt_nf_findings(ev, 2, f, 4), 1);
	assert_string_equal(finding_text(&f[0]), "DNAT 10.0.0.2 -> 10.0.0.3 in ipv4 LOCAL_OUT");
	/* No flow (no network header): nothing to compare. */
	ev[0].flow.l3proto = ev[1].flow.l3proto = 0;
	assert_int_equal(nt_nf_findings(ev, 2, f, 4), 0);
}

static void test_nat_ipv6(void **state)
{
	struct nt_event ev[] = {
		nfev(1, SKB1, NSR, PRE, NT_NF_FIRST, "10.0.0.1", 1000, "10.0.0.2", 53),
		nfev(2, SKB1, NSR, PRE, NT_NF_LAST, "10.0.0.1", 1000, "10.0.0.2", 53),
	};
	struct nt_nf_finding f[4];
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		ev[i].nf.pf = V6;
		ev[i].flow.l3proto = 0x86DD;
		v6(ev[i].flow.saddr, "2001:db8::1");
		v6(ev[i].flow.daddr, i ? "2001:db8::53" : "2001:db8::2");
	}
	assert_int_equal(nt_nf_findings(ev, 2, f, 4), 1);
	assert_string_equal(finding_text(&f[0]),
			    "DNAT [2001:db8::2]:53 -> [2001:db8::53]:53 in ipv6 PRE_ROUTING");
	/* The last 12 bytes count for IPv6 (not for IPv4). */
	v6(ev[1].flow.daddr, "2001:db8::2");
	assert_int_equal(nt_nf_findings(ev, 2, f, 4), 0);
}

/* ---- probes and namespaces ---- */

/*
 * Every (family, hook, place) has its own index, the one the BPF side emits
 * (NT_NF_INDEX in nfhook.bpf.c), and that index maps back to it and to its
 * name. The tuples are enumerated here, not derived from the indices.
 */
static void test_probe_index(void **state)
{
	static const char *const hook_names[] = {"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT",
						 "POST_ROUTING"};
	static const __u8 pfs[] = {V4, V6};
	bool seen[NT_NF_PROBES] = {false};
	__u8 pf, hook, where, h, w;
	unsigned int p, n = 0;
	char want[40];
	int idx;

	(void)state;
	for (p = 0; p < ARRAY_SIZE(pfs); p++)
		for (h = 0; h < ARRAY_SIZE(hook_names); h++)
			for (w = NT_NF_FIRST; w <= NT_NF_LAST; w++) {
				idx = nt_nf_probe_index(pfs[p], h, w);
				assert_in_range(idx, 0, NT_NF_PROBES - 1);
				assert_int_equal(idx, NT_NF_INDEX(pfs[p] == V6, h, w));
				assert_false(seen[idx]);
				seen[idx] = true;
				n++;
				assert_true(nt_nf_probe_of(idx, &pf, &hook, &where));
				assert_int_equal(pf, pfs[p]);
				assert_int_equal(hook, h);
				assert_int_equal(where, w);
				snprintf(want, sizeof(want), "nf:%s:%s:%s",
					 pfs[p] == V6 ? "ipv6" : "ipv4", hook_names[h],
					 w == NT_NF_LAST ? "last" : "first");
				assert_string_equal(nt_nf_probe_name(idx), want);
			}
	assert_int_equal(n, NT_NF_PROBES);
	assert_false(nt_nf_probe_of(NT_NF_PROBES, &pf, &hook, &where));
	assert_int_equal(nt_nf_probe_index(V4, 5, 0), -1);
	assert_int_equal(nt_nf_probe_index(7, 0, 0), -1);
	assert_int_equal(nt_nf_probe_index(V4, 0, 2), -1);
	assert_string_equal(nt_nf_probe_name(NT_NF_PROBES), "nf:?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),	     cmocka_unit_test(test_status),
		cmocka_unit_test(test_tuple_format), cmocka_unit_test(test_format_ct),
		cmocka_unit_test(test_format_nat),   cmocka_unit_test(test_format_no_ct),
		cmocka_unit_test(test_json),	     cmocka_unit_test(test_dropped_in_forward),
		cmocka_unit_test(test_clean_pass),   cmocka_unit_test(test_same_hook_twice),
		cmocka_unit_test(test_went_on),	     cmocka_unit_test(test_clones),
		cmocka_unit_test(test_nat),	     cmocka_unit_test(test_nat_both_and_ports),
		cmocka_unit_test(test_nat_ipv6),     cmocka_unit_test(test_probe_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
