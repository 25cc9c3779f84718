// SPDX-License-Identifier: GPL-2.0
/*
 * What the fuzzers (tests/fuzz/) found, replayed: each input here ended,
 * crashed or misled nettrace before the fix its test names.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <bpf/btf.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include "common.h"
#include "analysis/analysis.h"
#include "facts/facts_int.h"
#include "kernel/reasons.h"
#include "netfilter/nftrace/nftrace.h"
#include "output/output.h"

/* ---- nft trace messages (fuzz_nftrace) ---- */

/* A trace message's header, with the two attributes libnftnl requires when asked. */
static struct nlmsghdr *trace_msg(char *buf, bool id, bool type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_TRACE;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_INET;
	if (id)
		mnl_attr_put_u32(nlh, NFTA_TRACE_ID, htonl(7));
	if (type)
		mnl_attr_put_u32(nlh, NFTA_TRACE_TYPE, htonl(NFT_TRACETYPE_RULE));
	return nlh;
}

/* Parses a copy of exactly the message's length, so that reading past it is caught (ASan). */
static int parse_exact(const struct nlmsghdr *nlh)
{
	unsigned char *copy = exact_copy(nlh, nlh->nlmsg_len);
	struct nt_nftrace_event e;
	int r = nt_nftrace_parse_msg((const struct nlmsghdr *)copy, &e);

	free(copy);
	return r;
}

/*
 * Fix "nft trace messages libnftnl would exit on are refused": libnftnl's
 * parser calls exit() ("nf_tables kernel ABI is broken") on a message it
 * finds malformed. The first input fuzz_nftrace found was a bare header.
 */
static void test_nftrace_libnftnl_exit(void **state)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	(void)state;
	/* The fuzzer's input: no struct nfgenmsg, no attributes. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_TRACE;
	assert_int_equal(parse_exact(nlh), -1);
	/* Without the id or the type. */
	assert_int_equal(parse_exact(trace_msg(buf, false, true)), -1);
	assert_int_equal(parse_exact(trace_msg(buf, true, false)), -1);
	/* Attributes shorter than their type. */
	mnl_attr_put(trace_msg(buf, true, true), NFTA_TRACE_MARK, 2, "\0\0");
	assert_int_equal(parse_exact((struct nlmsghdr *)buf), -1);
	mnl_attr_put_u32(trace_msg(buf, true, true), NFTA_TRACE_RULE_HANDLE, 1);
	assert_int_equal(parse_exact((struct nlmsghdr *)buf), -1);
	mnl_attr_put(trace_msg(buf, true, true), NFTA_TRACE_IIFTYPE, 1, "\1");
	assert_int_equal(parse_exact((struct nlmsghdr *)buf), -1);
	/* An empty packet dump; a table name without its NUL (read past by strdup). */
	mnl_attr_put(trace_msg(buf, true, true), NFTA_TRACE_NETWORK_HEADER, 0, NULL);
	assert_int_equal(parse_exact((struct nlmsghdr *)buf), -1);
	mnl_attr_put(trace_msg(buf, true, true), NFTA_TRACE_TABLE, 4, "abcd");
	assert_int_equal(parse_exact((struct nlmsghdr *)buf), -1);
	/* A verdict without its code; a jump without its chain. */
	nlh = trace_msg(buf, true, true);
	nest = mnl_attr_nest_start(nlh, NFTA_TRACE_VERDICT);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(parse_exact(nlh), -1);
	nlh = trace_msg(buf, true, true);
	nest = mnl_attr_nest_start(nlh, NFTA_TRACE_VERDICT);
	mnl_attr_put_u32(nlh, NFTA_VERDICT_CODE, htonl((__u32)NFT_JUMP));
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(parse_exact(nlh), -1);

	/* What the kernel sends still parses. */
	nlh = trace_msg(buf, true, true);
	mnl_attr_put_strz(nlh, NFTA_TRACE_TABLE, "filter");
	nest = mnl_attr_nest_start(nlh, NFTA_TRACE_VERDICT);
	mnl_attr_put_u32(nlh, NFTA_VERDICT_CODE, htonl((__u32)NFT_JUMP));
	mnl_attr_put_strz(nlh, NFTA_VERDICT_CHAIN, "next");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(parse_exact(nlh), 0);
}

struct walk {
	const char *end; /* of the datagram */
	int n;
	bool past_end; /* a message ran past the datagram */
};

static void walk_msg(const struct nlmsghdr *nlh, void *data)
{
	struct walk *w = data;

	if ((const char *)nlh + nlh->nlmsg_len > w->end)
		w->past_end = true;
	if (++w->n > 100)
		fail_msg("the same message over and over");
}

/*
 * Fix "netlink datagrams are split without libmnl's mnl_cb_run": it took a
 * message length of 2 GiB or more for a negative one, so that a message
 * claiming 0xffffffff bytes (fuzz_nftrace's input) was handed over forever,
 * and one claiming 0x80000010 was parsed past the end of the datagram.
 */
static void test_nftrace_datagram_lengths(void **state)
{
	static const unsigned char forever[] __attribute__((aligned(4))) = {
		0xff, 0xff, 0xff, 0xff, 0x9c, 0, 0, 0, 0x11, 0x0a, 0, 0,
		0,    0,    0,	  1,	0x44, 0, 0, 0, 0x11, 0,	   0};
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
	struct walk w = {.end = (const char *)forever + sizeof(forever)};

	(void)state;
	nt_nftrace_each_msg(forever, sizeof(forever), walk_msg, &w);
	assert_int_equal(w.n, 0);

	/* A whole trace message, then one that claims 2 GiB and 16 bytes. */
	nlh = trace_msg(buf, true, true);
	nlh = (struct nlmsghdr *)(buf + nlh->nlmsg_len);
	memcpy(nlh, buf, sizeof(*nlh));
	nlh->nlmsg_len = 0x80000010;
	w = (struct walk){.end = (const char *)(nlh + 1)};
	nt_nftrace_each_msg(buf, (size_t)(w.end - buf), walk_msg, &w);
	assert_int_equal(w.n, 1);
	assert_false(w.past_end);
}

/*
 * Fix "an nft trace of a family nft has no name for is printed with its
 * number": fuzz_nftrace's message, a trace of family 33 with a packet dump,
 * crashed the JSON line (a NULL name) and printed "(null)" in the text one.
 */
static void test_nftrace_unknown_family(void **state)
{
	static const unsigned char msg[] __attribute__((aligned(4))) = {
		0x4c, 0x00, 0x00, 0x00, 0x11, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0f, 0x00, 0x00, 0x00,
		0x00, 0x0a, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x06,
		0x80, 0x06, 0x6d, 0xbf, 0x12, 0x08, 0x00, 0x08, 0x00, 0x0f, 0x00, 0x65, 0x00,
		0x0b, 0x04, 0xff, 0x00, 0x66, 0x69, 0x6c, 0x74, 0x65, 0x72, 0x00, 0x00, 0x0c,
		0x00, 0x05, 0x00, 0x08, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff,
	};
	struct nt_verdict v = {.netns = 1};
	struct nt_output out;
	struct capture c;

	(void)state;
	assert_int_equal(nt_nftrace_parse_msg((const struct nlmsghdr *)msg, &v.e), 0);
	assert_int_equal(v.e.family, 33);
	capture_open(&c);
	nt_output_init(&out);
	assert_int_equal(nt_output_add(&out, &nt_sink_text, c.f), 0);
	assert_int_equal(nt_output_add(&out, &nt_sink_json, c.f), 0);
	nt_output_verdict(&out, &v, 0);
	assert_contains(capture_text(&c), "] [nft] family33 ");
	assert_contains(capture_text(&c), "\"family\":\"family33\"");
	assert_not_contains(capture_text(&c), "(null)");
	capture_close(&c);
}

/*
 * Fix "an nft trace message whose length is not a multiple of 4 is refused":
 * libmnl takes attributes up to the length rounded up, so that the packet
 * dump of fuzz_nftrace's 107-byte message was copied from one byte past it.
 */
static void test_nftrace_unaligned_length(void **state)
{
	static const unsigned char payload[] = {
		0x00, 0x00, 0x00, 0x0a, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x03, 0x08,
		0x00, 0x06, 0x80, 0x6d, 0xbf, 0x06, 0x12, 0x48, 0x00, 0x08, 0x00, 0x0f, 0x00,
		0x65, 0x08, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c,
		0x00, 0x05, 0x00, 0x08, 0x00, 0x01, 0x29, 0x00, 0xff, 0xff, 0x2e, 0xff, 0xff,
	};
	char buf[MNL_NLMSG_HDRLEN + sizeof(payload)] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	(void)state;
	memset(nlh, 0, sizeof(*nlh));
	nlh->nlmsg_len = sizeof(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_TRACE;
	memcpy(buf + MNL_NLMSG_HDRLEN, payload, sizeof(payload));
	assert_int_equal(sizeof(buf), 107);
	assert_int_equal(parse_exact(nlh), -1);
}

/* ---- drop reasons from BTF (fuzz_reasons) ---- */

/*
 * Fix "drop reason enums without enumerators are skipped": fuzz_reasons'
 * input was a BTF with two `enum skb_drop_reason;` declarations. The second
 * made realloc() shrink the array to 0 bytes, which freed it, and the error
 * path freed it again. A kernel's BTF has such declarations.
 */
static void test_reasons_empty_enums(void **state)
{
	struct btf *btf = btf__new_empty();
	struct nt_reasons r;
	char name[64];

	(void)state;
	assert_non_null(btf);
	assert_true(btf__add_enum(btf, "skb_drop_reason", 1) > 0);
	assert_true(btf__add_enum(btf, "skb_drop_reason", 1) > 0);
	assert_int_equal(nt_reasons_load(&r, btf), -ENOENT);

	/* Declarations of subsystem enums around the real one. */
	assert_true(btf__add_enum(btf, "mac80211_drop_reason", 4) > 0);
	assert_true(btf__add_enum(btf, "skb_drop_reason", 4) > 0);
	assert_int_equal(btf__add_enum_value(btf, "SKB_DROP_REASON_NO_SOCKET", 3), 0);
	assert_true(btf__add_enum(btf, "ovs_drop_reason", 4) > 0);
	assert_int_equal(nt_reasons_load(&r, btf), 0);
	nt_reason_format(&r, 3, name, sizeof(name));
	assert_string_equal(name, "NO_SOCKET");
	nt_reasons_free(&r);
	btf__free(btf);
}

/*
 * Fix "drop reasons whose names are not in the BTF are skipped": in the raw
 * BTF fuzz_reasons made, an enumerator's name was past the string section;
 * btf__name_by_offset() gave NULL, which was compared as a string. Here, the
 * second of two reasons points past the strings.
 */
static void test_reasons_name_past_strings(void **state)
{
	static const char strs[] = "\0skb_drop_reason\0SKB_DROP_REASON_NO_SOCKET";
	struct {
		struct btf_header hdr;
		struct btf_type t;
		struct btf_enum e[2];
		char strs[sizeof(strs)];
	} __attribute__((packed)) raw = {
		.hdr = {.magic = BTF_MAGIC,
			.version = BTF_VERSION,
			.hdr_len = sizeof(raw.hdr),
			.type_len = sizeof(raw.t) + sizeof(raw.e),
			.str_off = sizeof(raw.t) + sizeof(raw.e),
			.str_len = sizeof(strs)},
		.t = {.name_off = 1, .info = BTF_KIND_ENUM << 24 | 2, .size = 4},
		.e = {{.name_off = 17, .val = 3}, {.name_off = 0x1000, .val = 4}},
	};
	struct nt_reasons r;
	struct btf *btf;
	char name[64];

	(void)state;
	memcpy(raw.strs, strs, sizeof(strs));
	btf = btf__new(&raw, sizeof(raw));
	assert_non_null(btf);
	assert_int_equal(nt_reasons_load(&r, btf), 0);
	assert_int_equal(r.ncore, 1);
	nt_reason_format(&r, 3, name, sizeof(name));
	assert_string_equal(name, "NO_SOCKET");
	nt_reason_format(&r, 4, name, sizeof(name));
	assert_string_equal(name, "UNKNOWN(4)");
	nt_reasons_free(&r);
	btf__free(btf);
}

/* ---- facts of the diagnose mode (fuzz_facts) ---- */

/*
 * Fix "a qdisc's legacy counters are copied out of the attribute before they
 * are read": struct tc_stats holds a __u64, and fuzz_facts' RTM_NEWQDISC
 * message without TCA_STATS2 had its TCA_STATS at an address 4 bytes off
 * from 8: reading it in place is undefined (UBSan, make asan-test, fails
 * here before the fix; plain x86 reads it anyway).
 */
static void test_facts_qdisc_stats_unaligned(void **state)
{
	struct {
		struct nlmsghdr nlh;
		struct tcmsg tcm;
		struct nlattr kind;
		char name[8];
		struct nlattr stats;
		struct tc_stats st;
	} __attribute__((packed, aligned(8))) m = {
		.nlh = {.nlmsg_len = sizeof(m), .nlmsg_type = RTM_NEWQDISC},
		.kind = {.nla_len = NLA_HDRLEN + 6, .nla_type = TCA_KIND},
		.name = "pfifo",
		.stats = {.nla_len = NLA_HDRLEN + sizeof(struct tc_stats), .nla_type = TCA_STATS},
		.st = {.drops = 12, .overlimits = 3, .qlen = 1},
	};
	char buf[256];
	struct strbuf out = STRBUF(buf);

	(void)state;
	assert_int_equal((uintptr_t)&m.st % 8, 4);
	buf[0] = '\0';
	nt_facts_qdisc_text(&m.nlh, &out);
	assert_string_equal(buf, "pfifo drops 12 overlimits 3 qlen 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nftrace_libnftnl_exit),
		cmocka_unit_test(test_nftrace_datagram_lengths),
		cmocka_unit_test(test_nftrace_unknown_family),
		cmocka_unit_test(test_nftrace_unaligned_length),
		cmocka_unit_test(test_reasons_empty_enums),
		cmocka_unit_test(test_reasons_name_past_strings),
		cmocka_unit_test(test_facts_qdisc_stats_unaligned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
