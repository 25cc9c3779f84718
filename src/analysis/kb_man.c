// SPDX-License-Identifier: GPL-2.0
/* dropreason(7) from the knowledge base, so that the manual and the tool say the same. */
#include <stdlib.h>
#include <string.h>
#include "analysis/kb_int.h"

#define ITALIC '\x01' /* markers the lookup puts around placeholders */
#define ROMAN  '\x02'

/* Placeholders as the reader should read them: fields in italics, facts as <kind arg>. */
static const char *placeholder(void *ctx, enum nt_kb_field field, enum nt_kb_fact fact,
			       const char *arg, char *buf, size_t len)
{
	(void)ctx;
	if (fact == NT_KB_FACT_NONE)
		snprintf(buf, len, "%c%s%c", ITALIC, nt_kb_field_name(field), ROMAN);
	else
		snprintf(buf, len, "<%s %s>", nt_kb_fact_name(fact), arg);
	return buf;
}

/* One line of roff: escapes, markers to fonts; command = '-' as \- . */
static void put_roff(FILE *f, const char *s, bool command)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == ITALIC)
			fputs("\\fI", f);
		else if (*s == ROMAN)
			fputs("\\fR", f);
		else if (*s == '-' && command)
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
	fputc('\n', f);
}

static void put_text(FILE *f, const struct nt_kb_text *t, bool command)
{
	char buf[4096];

	nt_kb_render(t, placeholder, NULL, buf, sizeof(buf));
	put_roff(f, buf, command);
}

static void put_entry(FILE *f, const struct nt_kb_rule *r, const char *title)
{
	size_t i;

	fprintf(f, ".TP\n.B ");
	put_roff(f, title, false);
	if (r->reason)
		fprintf(f, "%s (%s).\n", nt_severity_name(r->severity), r->code);
	else
		fprintf(f, "%s.\n", nt_severity_name(r->severity));
	put_text(f, &r->message, false);
	if (r->advice.src && *r->advice.src) {
		fprintf(f, ".IP\n");
		put_text(f, &r->advice, false);
	}
	if (r->nchecks) {
		fprintf(f, ".IP\n.nf\n");
		for (i = 0; i < r->nchecks; i++)
			put_text(f, &r->checks[i], true);
		fprintf(f, ".fi\n");
	}
}

static int by_reason(const void *a, const void *b)
{
	const struct nt_kb_rule *x = *(const struct nt_kb_rule *const *)a;
	const struct nt_kb_rule *y = *(const struct nt_kb_rule *const *)b;

	return strcmp(x->reason, y->reason);
}

static const char *const intro[] = {
	".SH DESCRIPTION",
	"When the Linux kernel frees a packet that it did not deliver, it records why: a drop "
	"reason, one name of the kernel's enum skb_drop_reason (or of a subsystem's, printed as "
	"SUBSYSTEM/NAME). Names are stable; their numbers change between kernel releases, so "
	"nettrace reads the names of the running kernel from its BTF.",
	".PP",
	"nettrace prints the reason of each drop (\\fBnettrace \\-\\-drop\\fR), and its diagnose "
	"mode (\\fBnettrace \\-\\-diag\\fR) explains it with the entries below, then advises. "
	"This page is generated from the knowledge base built into nettrace, so the two say the "
	"same. Each entry gives its level, its stable code, what happened, what to do, and "
	"commands that check or fix.",
	".PP",
	"Levels: \\fBERROR\\fR, a fault that loses traffic; \\fBWARN\\fR, a loss that may be "
	"a fault or may be load; \\fBINFO\\fR, part of normal operation (a queue purged on "
	"close, a duplicate segment).",
	".PP",
	"Words in \\fIitalics\\fR are filled in by nettrace from the packet (\\fIdev\\fR, "
	"\\fIdaddr\\fR, \\fIdport\\fR ...); <kind argument> stands for a fact nettrace reads "
	"from the machine, in the packet's network namespace, such as <sysctl name>.",
	NULL,
};

void nt_kb_write_man(const struct nt_kb *kb, FILE *f, const char *version)
{
	const struct nt_kb_rule **v;
	size_t i, n = 0;
	int k;

	fprintf(f,
		".\\\" Generated from data/diag/reasons.kb and rules.kb by kb2man: do not edit.\n");
	fprintf(f, ".TH DROPREASON 7 \"\" \"nettrace %s\" \"nettrace\"\n", version);
	fprintf(f, ".SH NAME\ndropreason \\- why the kernel dropped a packet, and what to do\n");
	for (k = 0; intro[k]; k++)
		fprintf(f, "%s\n", intro[k]);
	v = calloc(kb->nrules ? kb->nrules : 1, sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < kb->nrules; i++)
		if (kb->rules[i].reason && !kb->rules[i].off)
			v[n++] = &kb->rules[i];
	qsort(v, n, sizeof(*v), by_reason);
	fprintf(f, ".SH REASONS\n");
	for (i = 0; i < n; i++)
		if (!strpbrk(v[i]->reason, "*?["))
			put_entry(f, v[i], v[i]->reason);
	fprintf(f, ".SH \"FAMILIES AND UNKNOWN REASONS\"\n");
	fprintf(f, "A reason without an entry above (one newer than this nettrace) is explained by "
		   "the most specific pattern below that matches its name.\n");
	for (i = 0; i < kb->nrules; i++)
		if (kb->rules[i].reason && !kb->rules[i].off && strpbrk(kb->rules[i].reason, "*?["))
			put_entry(f, &kb->rules[i], kb->rules[i].reason);
	fprintf(f, ".SH \"OTHER FINDINGS\"\n");
	fprintf(f, "Besides drop reasons, the diagnose mode reports these findings, from what it "
		   "saw of the packet on its way.\n");
	for (i = 0; i < kb->nrules; i++)
		if (!kb->rules[i].reason && !kb->rules[i].off)
			put_entry(f, &kb->rules[i], kb->rules[i].code);
	fprintf(f, ".SH \"SEE ALSO\"\n.BR nettrace (8)\n");
	free(v);
}
