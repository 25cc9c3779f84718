// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnose rules file (nt_kb_parse, --diag-rules FILE), then what the
 * engine does with its rules: conditions tested against values, templates
 * rendered, reasons and codes looked up.
 *
 * Input: a mode byte, then the file. Mode 0xff: parsed after the built-in
 * knowledge base, as nettrace does (slow: rare); other odd modes: after a
 * few rules of the same kinds, so that overriding is exercised; even: alone.
 */
#include "analysis/kb.h"
#include "fuzz.h"

/* Values the engine could give for a field: a name for odd fields, none for even ones. */
static const char *lookup(void *ctx, enum nt_kb_field field, enum nt_kb_fact fact, const char *arg,
			  char *buf, size_t len)
{
	(void)ctx;
	if (fact != NT_KB_FACT_NONE) {
		snprintf(buf, len, "%s=%s", nt_kb_fact_name(fact), arg);
		return buf;
	}
	if (field % 2)
		return NULL;
	snprintf(buf, len, "%s-{x}", nt_kb_field_name(field));
	return buf;
}

static void render(const struct nt_kb_text *t)
{
	char out[512];

	memset(out, 'x', sizeof(out));
	nt_kb_render(t, lookup, NULL, out, sizeof(out));
	fuzz_check(strnlen(out, sizeof(out)) < sizeof(out));
}

static void use(const struct nt_kb_rule *r)
{
	static const char *const names[] = {"seen_fn", "ip_rcv"};
	static const long long ints[] = {0, -1, 1, 80, -22, 1LL << 40};
	size_t i, j;

	render(&r->message);
	render(&r->advice);
	for (i = 0; i < r->nchecks; i++)
		render(&r->checks[i]);
	for (i = 0; i < r->nconds; i++) {
		const struct nt_kb_cond *c = &r->conds[i];

		switch (nt_kb_field_type(c->field)) {
		case NT_KB_T_NAME:
		case NT_KB_T_FACT:
			nt_kb_test_str(c, "nft_do_chain");
			nt_kb_test_str(c, "");
			if (c->field == NT_KB_F_FACT)
				render(&c->fact);
			break;
		default:
			for (j = 0; j < sizeof(ints) / sizeof(ints[0]); j++)
				nt_kb_test_int(c, ints[j]);
			break;
		}
		if (c->field == NT_KB_F_SEEN)
			nt_kb_test_seen(c, names, 2);
	}
}

/* Entries of each kind the built-in files have, for odd modes. */
static const char base[] = "rule nf.chain.drop\n"
			   "  level ERROR\n  cause drop\n"
			   "  when func nft_do_chain|ipt_do_table\n  when ret = NF_DROP\n"
			   "  message {family} {table} {chain}: {rule}\n"
			   "  check nft -a list chain {family} {table} {chain}\n"
			   "reason NO_SOCKET\n  level WARN\n  message no socket on {dport}\n"
			   "  advice {listen:tcp:{dport}}\n"
			   "reason TCP_*\n  code drop.tcp\n  level WARN\n  message {reason}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nt_kb kb = {0};
	char err[256], *text;
	size_t i, before;
	uint8_t mode;

	if (!fuzz_take_byte(&data, &size, &mode))
		return 0;
	if (mode == 0xff ? nt_kb_load_builtin(&kb, err, sizeof(err))
			 : (mode & 1) && nt_kb_parse(&kb, base, "base.kb", err, sizeof(err)))
		abort();
	before = kb.nrules;
	text = fuzz_cstr(data, size);
	if (nt_kb_parse(&kb, text, "fuzz.kb", err, sizeof(err))) {
		fuzz_check(!strncmp(err, "fuzz.kb:", 8));
		fuzz_check(kb.nrules == before); /* a file with an error is not used at all */
	} else {
		for (i = 0; i < kb.nrules; i++) {
			use(&kb.rules[i]);
			fuzz_check(nt_kb_find(&kb, kb.rules[i].code) != NULL);
		}
		nt_kb_reason(&kb, "NO_SOCKET");
		nt_kb_reason(&kb, "OPENVSWITCH/OVS_DROP_LAST_ACTION");
	}
	free(text);
	nt_kb_free(&kb);
	return 0;
}
