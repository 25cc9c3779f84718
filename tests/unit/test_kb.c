// SPDX-License-Identifier: GPL-2.0
/* The diagnosis knowledge base (src/analysis/kb*.c): format, parser, content, dropreason(7). */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "common.h"
#include "analysis/kb.h"
#include "kernel/reasons.h"

static struct nt_kb builtin;

static int load_builtin(void **state)
{
	char err[512] = "";

	(void)state;
	memset(&builtin, 0, sizeof(builtin));
	if (nt_kb_load_builtin(&builtin, err, sizeof(err))) {
		fprintf(stderr, "built-in knowledge base: %s\n", err);
		return -1;
	}
	return 0;
}

static int free_builtin(void **state)
{
	(void)state;
	nt_kb_free(&builtin);
	return 0;
}

static const struct nt_kb_rule *exact_entry(const struct nt_kb *kb, const char *name)
{
	size_t i;

	for (i = 0; i < kb->nrules; i++)
		if (kb->rules[i].reason && !strcmp(kb->rules[i].reason, name))
			return &kb->rules[i];
	return NULL;
}

static void test_builtin_complete(void **state)
{
	const struct nt_kb_rule *r;
	size_t i, reasons = 0, rules = 0;

	(void)state;
	for (i = 0; i < builtin.nrules; i++) {
		r = &builtin.rules[i];
		assert_false(r->off);
		assert_non_null(r->cause);
		assert_true(r->message.nsegs > 0);
		if (r->reason) {
			reasons++;
			assert_string_equal(r->cause, "drop");
			if (!r->advice.src || !*r->advice.src)
				fail_msg("reason %s has no advice", r->reason);
			assert_int_equal(r->nconds, 1);
		} else {
			rules++;
			assert_true(r->nconds >= 1);
		}
	}
	printf("built-in: %zu reason entries, %zu rules\n", reasons, rules);
	assert_true(reasons > 130);
	assert_true(rules > 40);
}

/* The reasons of one kernel version, read from tests/unit/data/dropreasons-VERSION.txt. */
static void check_version(const char *version)
{
	char path[PATH_MAX], file[PATH_MAX], line[256];
	int n = 0, missing = 0;
	FILE *f;

	snprintf(file, sizeof(file), "%s", __FILE__);
	snprintf(path, sizeof(path), "%s/data/dropreasons-%s.txt", dirname(file), version);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		n++;
		if (!exact_entry(&builtin, line)) {
			printf("Linux %s: no entry for %s\n", version, line);
			missing++;
		}
	}
	fclose(f);
	printf("Linux %s: %d of %d reasons have their own entry\n", version, n - missing, n);
	assert_int_equal(missing, 0);
	assert_true(n > 60);
}

static void test_reasons_6_1(void **state)
{
	(void)state;
	check_version("6.1");
}

static void test_reasons_6_12(void **state)
{
	(void)state;
	check_version("6.12");
}

static void test_reasons_6_18(void **state)
{
	(void)state;
	check_version("6.18");
}

/* Every reason of the running kernel's BTF has its own entry. */
static void test_reasons_running_kernel(void **state)
{
	struct nt_reasons rs;
	struct btf *btf;
	size_t i, n = 0, missing = 0;

	(void)state;
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		printf("SKIP: no kernel BTF (/sys/kernel/btf/vmlinux): %s\n", strerror(errno));
		skip();
	}
	if (nt_reasons_load(&rs, btf)) {
		btf__free(btf);
		printf("SKIP: this kernel has no enum skb_drop_reason\n");
		skip();
	}
	for (i = 0; i < rs.ncore; i++) {
		if (!strcmp(rs.core[i].name, "MAX") || !strcmp(rs.core[i].name, "SUBSYS_MASK"))
			continue;
		n++;
		if (!exact_entry(&builtin, rs.core[i].name)) {
			printf("running kernel: no entry for %s\n", rs.core[i].name);
			missing++;
		}
	}
	printf("running kernel: %zu of %zu reasons have their own entry\n", n - missing, n);
	nt_reasons_free(&rs);
	btf__free(btf);
	assert_int_equal(missing, 0);
	assert_true(n > 60);
}

static void assert_reason_code(const char *name, const char *code)
{
	const struct nt_kb_rule *r = nt_kb_reason(&builtin, name);

	if (!r)
		fail_msg("no entry for %s", name);
	if (strcmp(r->code, code))
		fail_msg("%s: entry %s, expected %s", name, r->code, code);
}

static void test_unknown_reasons(void **state)
{
	(void)state;
	assert_reason_code("NO_SOCKET", "drop.no_socket");
	assert_reason_code("TCP_CSUM", "drop.tcp_csum");
	assert_reason_code("A_REASON_OF_LINUX_9", "drop.unknown");
	assert_reason_code("UNKNOWN(4242)", "drop.unknown");
	assert_reason_code("TCP_SOMETHING_NEW", "drop.tcp");
	assert_reason_code("NEIGH_SOMETHING_NEW", "drop.neigh");
	assert_reason_code("QDISC_SOMETHING_NEW", "drop.qdisc");
	assert_reason_code("OPENVSWITCH/OVS_DROP_LAST_ACTION", "drop.openvswitch");
	assert_reason_code("SUBSYS_9/0x3", "drop.unknown");
	assert_int_equal(nt_kb_reason(&builtin, "A_REASON_OF_LINUX_9")->severity, NT_SEV_WARN);
}

static void assert_level(const char *name, enum nt_severity level)
{
	const struct nt_kb_rule *r = exact_entry(&builtin, name);

	if (!r)
		fail_msg("no entry for %s", name);
	if (r->severity != level)
		fail_msg("%s is %s, expected %s", name, nt_severity_name(r->severity),
			 nt_severity_name(level));
}

/* Normal operation is INFO; faults that lose traffic are ERROR. */
static void test_level_policy(void **state)
{
	static const char *const benign[] = {
		"NOT_DROPPED_YET",	"CONSUMED",
		"QUEUE_PURGE",		"TCP_OLD_DATA",
		"TCP_OFOMERGE",		"TCP_OFO_DROP",
		"TCP_OLD_ACK",		"TCP_TOO_OLD_ACK",
		"TCP_OLD_SEQUENCE",	"TCP_CLOSE",
		"SOCKET_CLOSE",		"DUP_FRAG",
		"UNIX_DISCONNECT",	"UNIX_SKIP_OOB",
		"PACKET_SOCK_ERROR",	"IPV6_NDISC_NS_OTHERHOST",
		"MAC_IEEE_MAC_CONTROL",
	};
	static const char *const faults[] = {
		"NO_SOCKET",
		"NETFILTER_DROP",
		"IP_RPFILTER",
		"IP_INNOROUTES",
		"IP_OUTNOROUTES",
		"IP_INADDRERRORS",
		"NEIGH_FAILED",
		"NEIGH_CREATEFAIL",
		"TC_INGRESS",
		"TC_EGRESS",
		"XDP",
		"CPU_BACKLOG",
		"SOCKET_RCVBUFF",
		"SOCKET_FILTER",
		"TCP_CSUM",
		"IP_CSUM",
		"PKT_TOO_BIG",
		"XFRM_POLICY",
		"TCP_LISTEN_OVERFLOW",
		"TCP_MD5NOTFOUND",
		"IPV6DISABLED",
		"NOMEM",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(benign); i++)
		assert_level(benign[i], NT_SEV_INFO);
	for (i = 0; i < ARRAY_SIZE(faults); i++)
		assert_level(faults[i], NT_SEV_ERROR);
	assert_level("QDISC_DROP", NT_SEV_WARN);
	assert_level("NOT_SPECIFIED", NT_SEV_WARN);
}

/* One netfilter drop, seen at the hook, in the chain and at the free, folds into one. */
static void test_netfilter_drop_one_cause(void **state)
{
	const struct nt_kb_rule *hook = nt_kb_find(&builtin, "nf.hook.drop");
	const struct nt_kb_rule *chain = nt_kb_find(&builtin, "nf.chain.drop");
	const struct nt_kb_rule *reason = nt_kb_reason(&builtin, "NETFILTER_DROP");

	(void)state;
	assert_non_null(hook);
	assert_non_null(chain);
	assert_non_null(reason);
	assert_string_equal(hook->cause, chain->cause);
	assert_string_equal(chain->cause, reason->cause);
	assert_true(chain->rank > hook->rank);
	assert_true(hook->rank > reason->rank);
}

static const char good[] = "# a comment\n"
			   "\n"
			   "rule test.all\n"
			   "  level   warn\n"
			   "  cause   test.cause\n"
			   "  when    func nft_do_chain|ipt_*\n"
			   "  when    ret = NF_DROP\n"
			   "  when    not l4 TCP\n"
			   "  when    ttl <= 1\n"
			   "  when    ret in -EPERM..0x10\n"
			   "  when    flags S !A\n"
			   "  when    nat snat|dnat\n"
			   "  when    ct-state new|invalid\n"
			   "  when    ct-status confirmed !dying\n"
			   "  when    no-reply 2s\n"
			   "  when    not-freed 300\n"
			   "  when    icmp6-type packet-too-big\n"
			   "  when    fact {sysctl:net.ipv4.conf.{dev}.rp_filter} >= 1\n"
			   "  when    fact {route:{daddr} from {saddr}} != *via*\n"
			   "  when    seen ip_forward\n"
			   "  message Dropped in {table}/{chain} # not a comment, \\\n"
			   "          rp_filter {sysctl:net.ipv4.conf.{dev}.rp_filter}.\n"
			   "  advice  Braces: {{ and }}.\n"
			   "  check   nft -a list chain {family} {table} {chain}\n"
			   "  check   ss -lnt\n"
			   "\n"
			   "reason SOME_REASON\n"
			   "  level ERROR\n"
			   "  message Something.\n"
			   "reason SOME_*\n"
			   "  code  test.some\n"
			   "  level INFO\n"
			   "  message Some family.\n"
			   "  rank  7\n";

static void test_parse_good(void **state)
{
	struct nt_kb kb = {0};
	const struct nt_kb_rule *r;
	const struct nt_kb_cond *c;
	char err[256];

	(void)state;
	if (nt_kb_parse(&kb, good, "good.kb", err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(kb.nrules, 3);
	r = &kb.rules[0];
	assert_string_equal(r->code, "test.all");
	assert_null(r->reason);
	assert_int_equal(r->severity, NT_SEV_WARN);
	assert_string_equal(r->cause, "test.cause");
	assert_string_equal(r->file, "good.kb");
	assert_int_equal(r->line, 3);
	assert_int_equal(r->nconds, 15);
	assert_int_equal(r->rank, 100 + 15);
	c = r->conds;
	assert_int_equal(c[0].field, NT_KB_F_FUNC);
	assert_int_equal(c[0].op, NT_KB_GLOB);
	assert_int_equal(c[0].nglobs, 2);
	assert_string_equal(c[0].globs[1], "ipt_*");
	assert_int_equal(c[0].line, 6);
	assert_int_equal(c[1].op, NT_KB_EQ);
	assert_int_equal(c[1].lo, 0);
	assert_true(c[2].negate);
	assert_int_equal(c[3].op, NT_KB_LE);
	assert_int_equal(c[3].lo, 1);
	assert_int_equal(c[4].op, NT_KB_RANGE);
	assert_int_equal(c[4].lo, -EPERM);
	assert_int_equal(c[4].hi, 16);
	assert_int_equal(c[5].set, NT_KB_TCP_SYN);
	assert_int_equal(c[5].clear, NT_KB_TCP_ACK);
	assert_int_equal(c[6].any, NT_KB_NAT_SNAT | NT_KB_NAT_DNAT);
	assert_int_equal(c[7].any, (1 << NT_KB_CT_NEW) | (1 << NT_KB_CT_INVALID));
	assert_int_equal(c[8].set, 1 << 3);
	assert_int_equal(c[8].clear, 1 << 9);
	assert_int_equal(c[9].op, NT_KB_AFTER);
	assert_int_equal(c[9].lo, 2000);
	assert_int_equal(c[10].lo, 300);
	assert_int_equal(c[11].lo, 2);
	assert_int_equal(c[12].field, NT_KB_F_FACT);
	assert_int_equal(c[12].op, NT_KB_GE);
	assert_true(c[12].value_is_int);
	assert_int_equal(c[12].fact.segs[0].fact, NT_KB_FACT_SYSCTL);
	assert_int_equal(c[12].fact.segs[0].arg->nsegs, 3);
	assert_int_equal(c[12].fact.segs[0].arg->segs[1].field, NT_KB_F_DEV);
	assert_int_equal(c[13].fact.segs[0].fact, NT_KB_FACT_ROUTE);
	assert_false(c[13].value_is_int);
	assert_string_equal(c[13].value, "*via*");
	assert_int_equal(c[14].field, NT_KB_F_SEEN);
	assert_string_equal(r->message.src, "Dropped in {table}/{chain} # not a comment, "
					    "rp_filter {sysctl:net.ipv4.conf.{dev}.rp_filter}.");
	assert_int_equal(r->nchecks, 2);
	assert_string_equal(r->checks[1].src, "ss -lnt");

	r = &kb.rules[1];
	assert_string_equal(r->code, "drop.some_reason");
	assert_string_equal(r->reason, "SOME_REASON");
	assert_string_equal(r->cause, "drop");
	assert_int_equal(r->rank, 50);
	assert_int_equal(r->nconds, 1);
	assert_int_equal(r->conds[0].field, NT_KB_F_REASON);
	r = &kb.rules[2];
	assert_string_equal(r->code, "test.some");
	assert_int_equal(r->rank, 7);
	assert_ptr_equal(nt_kb_reason(&kb, "SOME_REASON"), &kb.rules[1]);
	assert_ptr_equal(nt_kb_reason(&kb, "SOME_OTHER"), &kb.rules[2]);
	assert_null(nt_kb_reason(&kb, "OTHER"));
	nt_kb_free(&kb);
}

static const struct nt_kb_cond *one_cond(struct nt_kb *kb, const char *when)
{
	char text[512], err[256];

	nt_kb_free(kb);
	snprintf(text, sizeof(text), "rule t\nlevel INFO\nmessage m\nwhen %s\n", when);
	if (nt_kb_parse(kb, text, "t.kb", err, sizeof(err)))
		fail_msg("%s", err);
	return &kb->rules[0].conds[0];
}

static void test_condition_tests(void **state)
{
	const char *trail[] = {"ip_rcv", NULL, "ip_forward"};
	struct nt_kb kb = {0};
	const struct nt_kb_cond *c;

	(void)state;
	c = one_cond(&kb, "reason TCP_*|NO_SOCKET");
	assert_true(nt_kb_test_str(c, "NO_SOCKET"));
	assert_true(nt_kb_test_str(c, "TCP_CSUM"));
	assert_false(nt_kb_test_str(c, "tcp_csum")); /* reason names keep their case */
	assert_false(nt_kb_test_str(c, NULL));
	c = one_cond(&kb, "not l4 TCP");
	assert_false(nt_kb_test_str(c, "tcp"));
	assert_true(nt_kb_test_str(c, "udp"));
	assert_false(nt_kb_test_str(c, NULL)); /* missing evidence never holds */
	c = one_cond(&kb, "ret < 0");
	assert_true(nt_kb_test_int(c, -1));
	assert_false(nt_kb_test_int(c, 0));
	c = one_cond(&kb, "ret != NF_ACCEPT");
	assert_true(nt_kb_test_int(c, 0));
	assert_false(nt_kb_test_int(c, 1));
	c = one_cond(&kb, "ret in -ENOMEM..-EPERM");
	assert_true(nt_kb_test_int(c, -12));
	assert_true(nt_kb_test_int(c, -1));
	assert_false(nt_kb_test_int(c, 0));
	assert_false(nt_kb_test_int(c, -13));
	c = one_cond(&kb, "dport 80");
	assert_true(nt_kb_test_int(c, 80));
	assert_false(nt_kb_test_int(c, 81));
	c = one_cond(&kb, "flags S !A");
	assert_true(nt_kb_test_int(c, NT_KB_TCP_SYN));
	assert_true(nt_kb_test_int(c, NT_KB_TCP_SYN | NT_KB_TCP_ECE));
	assert_false(nt_kb_test_int(c, NT_KB_TCP_SYN | NT_KB_TCP_ACK));
	assert_false(nt_kb_test_int(c, NT_KB_TCP_ACK));
	c = one_cond(&kb, "nat snat|dnat");
	assert_true(nt_kb_test_int(c, NT_KB_NAT_DNAT));
	assert_false(nt_kb_test_int(c, 0));
	c = one_cond(&kb, "ct-state established|related");
	assert_true(nt_kb_test_int(c, NT_KB_CT_RELATED));
	assert_false(nt_kb_test_int(c, NT_KB_CT_INVALID));
	assert_false(nt_kb_test_int(c, 99));
	c = one_cond(&kb, "no-reply 1s");
	assert_true(nt_kb_test_int(c, 1000));
	assert_false(nt_kb_test_int(c, 999));
	c = one_cond(&kb, "fact {sysctl:net.ipv4.ip_forward} = 0");
	assert_true(nt_kb_test_str(c, "0"));
	assert_false(nt_kb_test_str(c, "1"));
	assert_false(nt_kb_test_str(c, "unknown"));
	c = one_cond(&kb, "fact {link:{dev}} != up");
	assert_true(nt_kb_test_str(c, "down"));
	assert_false(nt_kb_test_str(c, "up"));
	c = one_cond(&kb, "fact {mtu:{dev}} < 1500");
	assert_true(nt_kb_test_str(c, "1400"));
	assert_false(nt_kb_test_str(c, "1500"));
	assert_false(nt_kb_test_str(c, "?"));
	c = one_cond(&kb, "seen ip_forward|ip6_forward");
	assert_true(nt_kb_test_seen(c, trail, 3));
	assert_false(nt_kb_test_seen(c, trail, 2));
	c = one_cond(&kb, "not seen br_nf_*");
	assert_true(nt_kb_test_seen(c, trail, 3));
	nt_kb_free(&kb);
}

static const char *lookup(void *ctx, enum nt_kb_field field, enum nt_kb_fact fact, const char *arg,
			  char *buf, size_t len)
{
	(void)ctx;
	if (field == NT_KB_F_DEV)
		return "eth0";
	if (field == NT_KB_F_DPORT)
		return "8080";
	if (fact == NT_KB_FACT_SYSCTL) {
		snprintf(buf, len, "[%s]", arg);
		return buf;
	}
	return NULL;
}

static void test_render(void **state)
{
	struct nt_kb kb = {0};
	const struct nt_kb_rule *r;
	char err[256], out[256];

	(void)state;
	if (nt_kb_parse(&kb,
			"rule t\nlevel INFO\nwhen dev *\n"
			"message On {dev}: {sysctl:net.ipv4.conf.{dev}.rp_filter} port {dport}\n"
			"advice {{literal}} and {chain}\n",
			"t.kb", err, sizeof(err)))
		fail_msg("%s", err);
	r = &kb.rules[0];
	assert_int_equal(nt_kb_render(&r->message, lookup, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "On eth0: [net.ipv4.conf.eth0.rp_filter] port 8080");
	assert_int_equal(nt_kb_render(&r->advice, lookup, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "{literal} and ?");
	assert_int_equal(nt_kb_render(&r->message, lookup, NULL, out, 8), -1);
	assert_string_equal(out, "On eth0");
	nt_kb_free(&kb);
}

struct bad {
	const char *text;
	const char *problem; /* "bad.kb:LINE: problem..." */
};

static const struct bad bads[] = {
	{"level INFO\n", "bad.kb:1: 'level' outside a rule or reason block"},
	{"rule Bad.Code\n", "bad.kb:1: bad code 'Bad.Code'"},
	{"rule a\nmessage m\nwhen dev x\n", "bad.kb:1: a without a level"},
	{"rule a\nlevel INFO\nwhen dev x\n", "bad.kb:1: a without a message"},
	{"rule a\nlevel INFO\nmessage m\n", "bad.kb:1: rule a without a 'when' condition"},
	{"rule a\nlevel LOUD\n", "bad.kb:2: unknown level 'LOUD'"},
	{"rule a\nlevel INFO\nlevel WARN\n", "bad.kb:3: 'level' given twice"},
	{"rule a\nlevel INFO\nmessage m\nwhen colour red\n", "bad.kb:4: unknown field 'colour'"},
	{"rule a\nlevel INFO\nmessage m\nwhen reason 5\n",
	 "bad.kb:4: drop reasons are matched by name, never by number"},
	{"rule a\nlevel INFO\nmessage m\nwhen ret = EPERM\n",
	 "bad.kb:4: 'EPERM': errno values are negative, write -EPERM"},
	{"rule a\nlevel INFO\nmessage m\nwhen ret = NF_MAYBE\n",
	 "bad.kb:4: 'NF_MAYBE' is not a number or a known name for ret"},
	{"rule a\nlevel INFO\nmessage m\nwhen ret in 5..1\n", "bad.kb:4: empty range '5..1'"},
	{"rule a\nlevel INFO\nmessage m\nwhen ttl about 3\n", "bad.kb:4: ttl wants VALUE"},
	{"rule a\nlevel INFO\nmessage m\nwhen flags S !S\n",
	 "bad.kb:4: a name both required and excluded"},
	{"rule a\nlevel INFO\nmessage m\nwhen flags X\n", "bad.kb:4: unknown flags 'X'"},
	{"rule a\nlevel INFO\nmessage m\nwhen ct-state fresh\n",
	 "bad.kb:4: unknown ct-state 'fresh'"},
	{"rule a\nlevel INFO\nmessage m\nwhen no-reply soon\n", "bad.kb:4: bad duration 'soon'"},
	{"rule a\nlevel INFO\nmessage m\nwhen fact {sysctl:x}\n",
	 "bad.kb:4: fact {sysctl:x} wants a comparison"},
	{"rule a\nlevel INFO\nmessage m\nwhen fact {sysctl:x} < many\n",
	 "bad.kb:4: '<' compares numbers: 'many' is not one"},
	{"rule a\nlevel INFO\nmessage m\nwhen fact {dev} = x\n",
	 "bad.kb:4: 'fact' wants {kind:argument}, not a field"},
	{"rule a\nlevel INFO\nmessage m\nwhen elapsed 5\n",
	 "bad.kb:4: 'elapsed' may be named in templates, not tested"},
	{"rule a\nlevel INFO\nmessage On {devv}\n", "bad.kb:3: unknown field {devv}"},
	{"rule a\nlevel INFO\nmessage {dns:x}\n", "bad.kb:3: unknown fact kind 'dns'"},
	{"rule a\nlevel INFO\nmessage {sysctl:{route:x}}\n",
	 "bad.kb:3: a fact inside a fact's argument"},
	{"rule a\nlevel INFO\nmessage open {dev\n", "bad.kb:3: '{' not closed by '}'"},
	{"rule a\nlevel INFO\nmessage awk '{print}'\n",
	 "bad.kb:3: unknown field {print} (write {{ and }} for braces)"},
	{"rule a\nlevel INFO\nmessage a } b\n", "bad.kb:3: a lone '}'"},
	{"rule a\nlevel INFO\nmessage m\nmessage n\n", "bad.kb:4: 'message' given twice"},
	{"rule a\nlevel INFO\nmessage m\nwhen dev x\ncolour red\n",
	 "bad.kb:5: unknown key 'colour'"},
	{"rule a\nlevel INFO\nmessage m\nwhen dev x\nrule a\nlevel INFO\nmessage m\nwhen dev y\n",
	 "bad.kb:5: duplicate code a (first at line 1)"},
	{"reason X_*\nlevel INFO\nmessage m\n",
	 "bad.kb:1: reason X_* is a pattern: give it a code"},
	{"reason X\ncode x.y\n", "bad.kb:2: 'code' is for reason patterns only"},
	{"reason X\nlevel INFO\nmessage m\nwhen dev y\n",
	 "bad.kb:4: a reason entry has one condition, its reason"},
	{"reason lower\n", "bad.kb:1: bad reason name 'lower'"},
	{"rule a\nrank 5000\n", "bad.kb:2: bad rank '5000'"},
	{"rule a\nlevel INFO\nmessage m \\\n  {bad}\nwhen dev x\n",
	 "bad.kb:3: unknown field {bad}"},
};

static void test_parse_bad(void **state)
{
	struct nt_kb kb = {0};
	char err[256];
	size_t i;

	(void)state;
	assert_int_equal(nt_kb_parse(&kb, "rule keep\nlevel INFO\nmessage m\nwhen dev x\n",
				     "first.kb", err, sizeof(err)),
			 0);
	for (i = 0; i < ARRAY_SIZE(bads); i++) {
		err[0] = '\0';
		if (!nt_kb_parse(&kb, bads[i].text, "bad.kb", err, sizeof(err)))
			fail_msg("parsed: %s", bads[i].text);
		if (strncmp(err, bads[i].problem, strlen(bads[i].problem)))
			fail_msg("error \"%s\", expected \"%s...\"", err, bads[i].problem);
		assert_int_equal(kb.nrules, 1); /* a bad file changes nothing */
		assert_string_equal(kb.rules[0].code, "keep");
	}
	nt_kb_free(&kb);
}

static const char user[] = "# a user's rules\n"
			   "reason NO_SOCKET\n"
			   "  level WARN\n"
			   "  message Our port scanner hits closed ports all day.\n"
			   "rule tcp.retransmit\n"
			   "  level off\n"
			   "rule site.db.refused\n"
			   "  level ERROR\n"
			   "  when reason NO_SOCKET\n"
			   "  when dport 5432\n"
			   "  message The database on {daddr} is not listening.\n";

/* --diag-rules: a second parse adds to the same knowledge base and overrides by code. */
static void test_user_rules(void **state)
{
	struct nt_kb kb = {0};
	const struct nt_kb_rule *r;
	char err[512], path[PATH_MAX];
	size_t before, idx;

	(void)state;
	assert_int_equal(nt_kb_load_builtin(&kb, err, sizeof(err)), 0);
	before = kb.nrules;
	idx = (size_t)(nt_kb_find(&kb, "drop.no_socket") - kb.rules);
	tmpfile_write(path, sizeof(path), user);
	if (nt_kb_load_file(&kb, path, err, sizeof(err)))
		fail_msg("%s", err);
	unlink(path);
	assert_int_equal(kb.nrules, before + 1);
	r = nt_kb_find(&kb, "drop.no_socket");
	assert_int_equal((size_t)(r - kb.rules), idx); /* replaced in place */
	assert_int_equal(r->severity, NT_SEV_WARN);
	assert_string_equal(r->message.src, "Our port scanner hits closed ports all day.");
	assert_string_equal(r->file, path);
	assert_int_equal(r->line, 2);
	assert_ptr_equal(nt_kb_reason(&kb, "NO_SOCKET"), r);
	assert_true(nt_kb_find(&kb, "tcp.retransmit")->off);
	r = nt_kb_find(&kb, "site.db.refused");
	assert_non_null(r);
	assert_int_equal(r->nconds, 2);
	assert_ptr_equal(r, &kb.rules[kb.nrules - 1]);

	/* a reason entry turned off leaves its reason to the patterns */
	assert_int_equal(
		nt_kb_parse(&kb, "reason TCP_CSUM\nlevel off\n", "off.kb", err, sizeof(err)), 0);
	assert_string_equal(nt_kb_reason(&kb, "TCP_CSUM")->code, "drop.tcp");

	/* errors: unreadable file, and a duplicate inside one user file */
	assert_int_equal(nt_kb_load_file(&kb, "/nonexistent/rules.kb", err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/rules.kb: No such file or directory");
	assert_int_equal(nt_kb_parse(&kb,
				     "reason TCP_CSUM\nlevel off\nreason TCP_CSUM\nlevel off\n",
				     "dup.kb", err, sizeof(err)),
			 -1);
	assert_string_equal(err, "dup.kb:3: duplicate code drop.tcp_csum (first at line 1)");
	assert_int_equal(kb.nrules, before + 1);
	nt_kb_free(&kb);
}

/* dropreason(7) has a paragraph for every reason of every kernel, and is valid roff. */
static void test_man_page(void **state)
{
	static const char *const names[] = {"NO_SOCKET",	   "NETFILTER_DROP",
					    "TCP_LISTEN_OVERFLOW", "NOT_DROPPED_YET",
					    "SKB_BAD_GSO",	   "PSP_OUTPUT"};
	struct nt_kb kb = {0};
	struct capture cap;
	const char *text;
	char err[256], want[128];
	size_t i;

	(void)state;
	capture_open(&cap);
	nt_kb_write_man(&builtin, cap.f, "1.0");
	text = capture_text(&cap);
	assert_contains(text, ".TH DROPREASON 7 \"\" \"nettrace 1.0\"");
	assert_contains(text, ".SH NAME\ndropreason \\- ");
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(want, sizeof(want), "\n.B %s\n", names[i]);
		assert_contains(text, want);
	}
	assert_contains(text, "ERROR (drop.no_socket).\n");
	assert_contains(text, "\n.B nf.chain.drop\n");
	assert_contains(text, "ss \\-lntup 'sport = :\\fIdport\\fR'");
	assert_not_contains(text, "\x01");
	assert_not_contains(text, "\x02");
	capture_close(&cap);

	assert_int_equal(nt_kb_parse(&kb,
				     "reason ODD\nlevel INFO\nmessage .starts with a dot\n"
				     "advice back\\slash\n",
				     "odd.kb", err, sizeof(err)),
			 0);
	capture_open(&cap);
	nt_kb_write_man(&kb, cap.f, "x");
	text = capture_text(&cap);
	assert_contains(text, "\n\\&.starts with a dot\n");
	assert_contains(text, "back\\eslash");
	capture_close(&cap);
	nt_kb_free(&kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_complete),
		cmocka_unit_test(test_reasons_6_1),
		cmocka_unit_test(test_reasons_6_12),
		cmocka_unit_test(test_reasons_6_18),
		cmocka_unit_test(test_reasons_running_kernel),
		cmocka_unit_test(test_unknown_reasons),
		cmocka_unit_test(test_level_policy),
		cmocka_unit_test(test_netfilter_drop_one_cause),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_condition_tests),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_user_rules),
		cmocka_unit_test(test_man_page),
	};

	return cmocka_run_group_tests(tests, load_builtin, free_builtin);
}
