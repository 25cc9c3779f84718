// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis layer (src/analysis/): findings with severity and evidence,
 * blame from the hook inventory, nft verdicts joined to their packet, and how
 * output shows them (src/output/finding.c, src/output/trace.c).
 */
#include <arpa/inet.h>
#include "common.h"
#include "json_check.h"
#include "analysis/analysis.h"
#include "output/finding.h"
#include "output/json.h"
#include "group/group.h"
#include "output/output.h"

enum { PRE, IN, FWD, OUT, POST };
#define NSR  4026532002u
#define SKB1 0xffff888100001000ull

/* An IPv4/UDP packet a -> b:dport, as an event carries it (from the network header). */
static void udp_bytes(struct nt_event *e, const char *a, const char *b, __u16 dport)
{
	__u8 *p = e->data;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[3] = 33; /* total length: 20 + 8 + 5 */
	p[8] = 64;
	p[9] = 17;
	assert_int_equal(inet_pton(AF_INET, a, p + 12), 1);
	assert_int_equal(inet_pton(AF_INET, b, p + 16), 1);
	p[20] = 0x9c; /* sport 40000 */
	p[21] = 0x40;
	p[22] = dport >> 8;
	p[23] = dport & 0xff;
	p[25] = 13;
	e->data_len = 28;
	e->flow.l3proto = 0x0800;
	e->flow.l4proto = 17;
	memcpy(e->flow.saddr, p + 12, 4);
	memcpy(e->flow.daddr, p + 16, 4);
	e->flow.sport = 40000;
	e->flow.dport = dport;
}

static struct nt_event nfev(__u64 ts, __u8 hook, __u8 where)
{
	struct nt_event e;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.skb = SKB1;
	e.netns = NSR;
	e.kind = NT_EV_NFHOOK;
	e.nf.pf = 2;
	e.nf.hook = hook;
	e.nf.where = where;
	e.nf.ctinfo = 0xff;
	udp_bytes(&e, "10.77.1.1", "10.77.2.1", 7777);
	return e;
}

static struct nt_event trev(__u64 ts)
{
	struct nt_event e = nfev(ts, 0, 0);

	e.kind = NT_EV_TRACE;
	memset(&e.nf, 0, sizeof(e.nf));
	return e;
}

/* A router's FORWARD with two nft chains: t/c and t2/c2. */
static int fake_walk(void *ctx, __u32 ino, struct nt_hook_inv *inv, char *why, size_t len)
{
	static const char *const names[][2] = { { "t", "c" }, { "t2", "c2" } };
	struct nt_hook_item *it;
	size_t i;

	(void)ctx;
	(void)why;
	(void)len;
	memset(inv, 0, sizeof(*inv));
	inv->netns = ino;
	it = calloc(2, sizeof(*it));
	assert_non_null(it);
	for (i = 0; i < 2; i++) {
		it[i].rec.family = NT_HF_IPV4;
		it[i].rec.hook = FWD;
		it[i].rec.priority = (int)i * 10;
		it[i].rec.flags = NT_HR_NAMES;
		snprintf(it[i].rec.table, sizeof(it[i].rec.table), "%s", names[i][0]);
		snprintf(it[i].rec.chain, sizeof(it[i].rec.chain), "%s", names[i][1]);
		it[i].owner = NT_OWN_NFT;
	}
	inv->items = it;
	inv->n = 2;
	return 0;
}

/* An nft trace message for the UDP packet to @dport, in table t2 chain c2 at FORWARD. */
static struct nt_nftrace_event nftev(__u16 dport, const char *verdict)
{
	struct nt_nftrace_event e;
	struct nt_event pkt = trev(0);

	memset(&e, 0, sizeof(e));
	udp_bytes(&pkt, "10.77.1.1", "10.77.2.1", dport);
	nt_pkt_decode(&e.pkt, 0x0800, pkt.data, pkt.data_len);
	e.family = 1;
	e.hook = FWD;
	e.type = NT_NFTRACE_RULE;
	e.handle = 4;
	snprintf(e.table, sizeof(e.table), "t2");
	snprintf(e.chain, sizeof(e.chain), "c2");
	snprintf(e.rule, sizeof(e.rule), "udp dport %u %s", dport, verdict);
	snprintf(e.verdict, sizeof(e.verdict), "%s", verdict);
	snprintf(e.packet, sizeof(e.packet), "UDP to %u", dport);
	return e;
}

static int expired_count;

static void on_expired(void *ctx, const struct nt_verdict *v)
{
	(void)ctx;
	(void)v;
	expired_count++;
}

struct fixture {
	struct nt_hookcache hooks;
	struct nt_analyzer an;
	struct nt_event ev[5];
};

static void fixture_init(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	nt_hookcache_init(&fx->hooks, fake_walk, NULL, 1000.0, 4);
	nt_analyzer_init(&fx->an, &fx->hooks);
	fx->ev[0] = nfev(1, PRE, NT_NF_FIRST);
	fx->ev[1] = nfev(2, PRE, NT_NF_LAST);
	fx->ev[2] = nfev(3, FWD, NT_NF_FIRST);
	fx->ev[3] = trev(4); /* kfree_skb inside FORWARD */
}

/* A drop inside a hook is one ERROR, blamed on every chain there; walked once for 50 packets. */
static void test_hook_drop_blamed(void **state)
{
	const struct nt_analysis *r = NULL;
	struct fixture fx;
	struct capture c;
	int i;

	(void)state;
	fixture_init(&fx);
	for (i = 0; i < 50; i++)
		r = nt_analyse(&fx.an, fx.ev, 4, false, 1.0);
	assert_int_equal(fx.hooks.walks, 1);
	assert_int_equal(r->nfindings, 1);
	assert_int_equal(r->findings[0].severity, NT_SEV_ERROR);
	assert_string_equal(r->findings[0].code, "nf.hook.drop");
	assert_int_equal(r->findings[0].event, 2);
	assert_int_equal(r->findings[0].ev.nblamed, 2);
	assert_false(r->findings[0].ev.have & NT_EVD_RULE);
	assert_contains(r->findings[0].advice, "nettrace --hooks --netns 4026532002");
	capture_open(&c);
	nt_finding_text(c.f, &r->findings[0]);
	assert_string_equal(capture_text(&c), "  => dropped or stolen inside ipv4 FORWARD\n"
					      "    blamed: 0 nft table ? t chain c\n"
					      "    blamed: 10 nft table ? t2 chain c2\n");
	capture_close(&c);
	/* Printed early to make room: the rest of its path is still to come. */
	r = nt_analyse(&fx.an, fx.ev, 4, true, 1.0);
	assert_int_equal(r->nfindings, 0);
	nt_hookcache_free(&fx.hooks);
}

/*
 * The nft verdict of this packet joins it after the event where it entered
 * FORWARD; it names the rule, and blame narrows to that rule's chain. A
 * verdict for another packet stays in the backlog and expires on its own.
 */
static void test_verdict_joined(void **state)
{
	struct nt_nftrace_event mine = nftev(7777, "drop"), other = nftev(8888, "drop");
	const struct nt_analysis *r;
	const struct nt_finding *f;
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	expired_count = 0;
	nt_analyzer_add_verdict(&fx.an, &other, NSR, 1.0, on_expired, NULL);
	nt_analyzer_add_verdict(&fx.an, &mine, NSR, 1.0, on_expired, NULL);
	r = nt_analyse(&fx.an, fx.ev, 4, false, 1.5);
	assert_int_equal(r->nverdicts, 1);
	assert_int_equal(r->verdicts[0].after, 2);
	assert_string_equal(r->verdicts[0].e.rule, "udp dport 7777 drop");
	f = &r->findings[0];
	assert_true(f->ev.have & NT_EVD_RULE);
	assert_string_equal(f->ev.rule.table, "t2");
	assert_string_equal(f->ev.rule.chain, "c2");
	assert_int_equal(f->ev.rule.handle, 4);
	assert_int_equal(f->ev.nblamed, 1);
	assert_string_equal(f->ev.blamed[0].owner, "nft table ? t2 chain c2");
	assert_contains(f->advice, "nft delete rule inet t2 c2 handle 4");
	/* Claimed once only; the other one expires after its wait. */
	r = nt_analyse(&fx.an, fx.ev, 4, false, 1.6);
	assert_int_equal(r->nverdicts, 0);
	assert_int_equal(fx.an.count, 1);
	nt_analyzer_expire(&fx.an, 2.5, 2.0, on_expired, NULL);
	assert_int_equal(expired_count, 0);
	nt_analyzer_expire(&fx.an, 3.5, 2.0, on_expired, NULL);
	assert_int_equal(expired_count, 1);
	assert_int_equal(fx.an.count, 0);
	nt_hookcache_free(&fx.hooks);
}

/* A full backlog hands its oldest message back rather than growing. */
static void test_backlog_bounded(void **state)
{
	struct nt_nftrace_event e = nftev(9999, "accept");
	struct fixture fx;
	int i;

	(void)state;
	fixture_init(&fx);
	expired_count = 0;
	for (i = 0; i < NT_BACKLOG + 5; i++)
		nt_analyzer_add_verdict(&fx.an, &e, NSR, 1.0, on_expired, NULL);
	assert_int_equal(fx.an.count, NT_BACKLOG);
	assert_int_equal(expired_count, 5);
	assert_int_equal(fx.an.unclaimed, 5);
	nt_hookcache_free(&fx.hooks);
}

/* The packet's output: the [nft] line inside the group; JSON findings with their severity. */
static void test_group_output(void **state)
{
	struct nt_nftrace_event mine = nftev(7777, "drop");
	struct nt_catalog cat = {};
	struct nt_output out;
	const struct nt_analysis *r;
	struct nt_pgroup g = {};
	struct fixture fx;
	struct capture c;
	const char *t, *nft, *fwd, *end;

	(void)state;
	fixture_init(&fx);
	nt_analyzer_add_verdict(&fx.an, &mine, NSR, 1.0, NULL, NULL);
	r = nt_analyse(&fx.an, fx.ev, 4, false, 1.0);
	g.events = fx.ev;
	g.nevents = 4;
	g.skbs = &fx.ev[0].skb;
	g.nskbs = 1;
	g.complete = true;

	capture_open(&c);
	nt_output_init(&out);
	out.catalog = &cat;
	nt_output_add(&out, &nt_sink_text, c.f);
	nt_output_packet(&out, &g, r);
	t = capture_text(&c);
	fwd = strstr(t, "FORWARD first");
	nft = strstr(t, "[nft] inet t2 c2: rule 'udp dport 7777 drop' (handle 4) -> drop");
	end = strstr(t, "\n\n  => dropped or stolen inside ipv4 FORWARD\n    blamed: 10 nft table ? t2");
	assert_non_null(fwd);
	assert_non_null(nft);
	assert_non_null(end);
	assert_true(fwd < nft && nft < end);
	capture_close(&c);

	capture_open(&c);
	out.sinks[0] = (struct nt_sink){ .ops = &nt_sink_json, .f = c.f, .out = &out };
	nt_output_packet(&out, &g, r);
	t = capture_text(&c);
	assert_json(t);
	assert_contains(t, "{\"event\":\"nft\",");
	assert_contains(t, "\"rule\":\"udp dport 7777 drop\",\"verdict\":\"drop\"");
	assert_contains(t, "\"findings\":[{\"severity\":\"ERROR\",\"code\":\"nf.hook.drop\","
			   "\"event\":2,\"message\":\"dropped or stolen inside ipv4 FORWARD\"");
	assert_contains(t, "\"rule\":{\"family\":\"inet\",\"table\":\"t2\",\"chain\":\"c2\","
			   "\"handle\":4,");
	/* The nft object comes right after the FORWARD event it belongs to. */
	assert_true(strstr(t, "\"hook\":\"FORWARD\",\"where\":\"first\"") <
		    strstr(t, "{\"event\":\"nft\","));
	capture_close(&c);
	nt_hookcache_free(&fx.hooks);
}

/* NAT is INFO, with the addresses before and after as evidence. */
static void test_nat_is_info(void **state)
{
	const struct nt_analysis *r;
	struct fixture fx;
	struct capture c;
	struct json j;

	(void)state;
	fixture_init(&fx);
	udp_bytes(&fx.ev[0], "10.77.1.1", "10.77.1.254", 7777);
	fx.ev[2] = nfev(3, FWD, NT_NF_FIRST);
	fx.ev[3] = nfev(4, FWD, NT_NF_LAST);
	fx.ev[4] = trev(5);
	r = nt_analyse(&fx.an, fx.ev, 5, false, 1.0);
	assert_int_equal(r->nfindings, 1);
	assert_int_equal(r->findings[0].severity, NT_SEV_INFO);
	assert_string_equal(r->findings[0].code, "nat.dnat");
	assert_string_equal(r->findings[0].message,
			    "DNAT 10.77.1.254:7777 -> 10.77.2.1:7777 in ipv4 PRE_ROUTING");
	capture_open(&c);
	json_begin(&j, c.f);
	json_arr_open(&j, "findings");
	nt_finding_json(&j, NULL, &r->findings[0]);
	json_close(&j, ']');
	json_end(&j);
	assert_json(capture_text(&c));
	assert_contains(capture_text(&c), "\"severity\":\"INFO\",\"code\":\"nat.dnat\"");
	assert_contains(capture_text(&c), "\"before\":{\"src\":\"10.77.1.1\",\"dst\":\"10.77.1.254\"");
	capture_close(&c);
	nt_hookcache_free(&fx.hooks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook_drop_blamed), cmocka_unit_test(test_verdict_joined),
		cmocka_unit_test(test_backlog_bounded),	 cmocka_unit_test(test_group_output),
		cmocka_unit_test(test_nat_is_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
