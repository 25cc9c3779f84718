// SPDX-License-Identifier: GPL-2.0
/* The diagnosis knowledge base: parsing rule files (data/diag/FORMAT.md), merging, lookup. */
#define _GNU_SOURCE /* asprintf, strndup, strerrorname_np */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "analysis/kb_int.h"

extern const char nt_kb_reasons_text[]; /* data/diag/reasons.kb, built in */
extern const char nt_kb_rules_text[];	/* data/diag/rules.kb, built in */

#define RANK_EXACT 50 /* a reason entry of one name; globs rank below, rules above */
#define RANK_RULE  100

struct parser {
	struct nt_kb *kb; /* the rules of this text only */
	struct nt_kb_rule *cur;
	const char *file;
	int line;
	bool has_level, has_rank;
	char *err;
	size_t errlen;
};

static int fail_at(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *p, int line, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (!p->err || !p->errlen)
		return -1;
	snprintf(p->err, p->errlen, "%s:%d: ", p->file, line);
	n = strlen(p->err);
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Prefixes a problem already in p->err with "FILE:LINE: ". */
static int fail_here(struct parser *p)
{
	char why[256];

	snprintf(why, sizeof(why), "%s", p->err ? p->err : "");
	return fail_at(p, p->line, "%s", why);
}

static void rule_free(struct nt_kb_rule *r)
{
	size_t i;

	free(r->code);
	free(r->reason);
	free(r->cause);
	for (i = 0; i < r->nconds; i++)
		nt_kb_cond_free(&r->conds[i]);
	free(r->conds);
	nt_kb_text_free(&r->message);
	nt_kb_text_free(&r->advice);
	for (i = 0; i < r->nchecks; i++)
		nt_kb_text_free(&r->checks[i]);
	free(r->checks);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

void nt_kb_free(struct nt_kb *kb)
{
	size_t i;

	for (i = 0; i < kb->nrules; i++)
		rule_free(&kb->rules[i]);
	free(kb->rules);
	memset(kb, 0, sizeof(*kb));
}

const struct nt_kb_rule *nt_kb_find(const struct nt_kb *kb, const char *code)
{
	size_t i;

	for (i = 0; i < kb->nrules; i++)
		if (!strcmp(kb->rules[i].code, code))
			return &kb->rules[i];
	return NULL;
}

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

const struct nt_kb_rule *nt_kb_reason(const struct nt_kb *kb, const char *name)
{
	const struct nt_kb_rule *best = NULL, *r;
	size_t i;

	for (i = 0; i < kb->nrules; i++) {
		r = &kb->rules[i];
		if (!r->reason || r->off || fnmatch(r->reason, name, 0))
			continue;
		if (!best || r->rank > best->rank)
			best = r;
	}
	return best;
}

static bool code_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && !strchr("._-", *s))
			return false;
	return true;
}

static bool reason_ok(const char *s)
{
	for (; *s; s++)
		if (!(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9') &&
		    !strchr("_/*?[]!-", *s))
			return false;
	return true;
}

/* Literal characters of a glob, for its default rank. */
static int literal_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += !strchr("*?[]!", *s);
	return n < RANK_EXACT ? n : RANK_EXACT - 1;
}

static int end_block(struct parser *p)
{
	struct nt_kb_rule *r = p->cur;
	size_t i;

	if (!r)
		return 0;
	p->cur = NULL;
	if (!p->has_level)
		return fail_at(p, r->line, "%s without a level", r->code ? r->code : r->reason);
	if (!r->code)
		return fail_at(p, r->line, "reason %s is a pattern: give it a code", r->reason);
	for (i = 0; i + 1 < p->kb->nrules; i++)
		if (!strcmp(p->kb->rules[i].code, r->code))
			return fail_at(p, r->line, "duplicate code %s (first at line %d)", r->code,
				       p->kb->rules[i].line);
	if (r->off)
		return 0;
	if (!r->message.src || !*r->message.src)
		return fail_at(p, r->line, "%s without a message", r->code);
	if (!r->reason && !r->nconds)
		return fail_at(p, r->line, "rule %s without a 'when' condition", r->code);
	if (!r->cause) {
		r->cause = strdup(r->reason ? "drop" : r->code);
		if (!r->cause)
			return fail_at(p, r->line, "out of memory");
	}
	if (!p->has_rank)
		r->rank = !r->reason	       ? RANK_RULE + (int)r->nconds
			  : is_glob(r->reason) ? literal_chars(r->reason)
					       : RANK_EXACT;
	return 0;
}

static int begin_block(struct parser *p, const char *key, const char *arg)
{
	struct nt_kb_rule *rules, *r;
	char *c;

	if (end_block(p))
		return -1;
	if (!*arg || strpbrk(arg, " \t"))
		return fail_at(p, p->line, "'%s' wants one word", key);
	if (!strcmp(key, "rule") && !code_ok(arg))
		return fail_at(p, p->line, "bad code '%s' (a-z, 0-9, '.', '_', '-')", arg);
	if (!strcmp(key, "reason") && !reason_ok(arg))
		return fail_at(p, p->line, "bad reason name '%s' (A-Z, 0-9, '_', '/', or a glob)",
			       arg);
	rules = realloc(p->kb->rules, (p->kb->nrules + 1) * sizeof(*rules));
	if (!rules)
		return fail_at(p, p->line, "out of memory");
	p->kb->rules = rules;
	r = p->cur = &rules[p->kb->nrules++];
	memset(r, 0, sizeof(*r));
	r->line = p->line;
	r->file = strdup(p->file);
	p->has_level = p->has_rank = false;
	if (!r->file)
		return fail_at(p, p->line, "out of memory");
	if (!strcmp(key, "rule")) {
		r->code = strdup(arg);
		return r->code ? 0 : fail_at(p, p->line, "out of memory");
	}
	r->reason = strdup(arg);
	r->conds = calloc(1, sizeof(*r->conds));
	if (!r->reason || !r->conds)
		return fail_at(p, p->line, "out of memory");
	r->nconds = 1;
	r->conds[0].field = NT_KB_F_REASON;
	r->conds[0].op = NT_KB_GLOB;
	r->conds[0].line = p->line;
	r->conds[0].globs = calloc(1, sizeof(char *));
	if (!r->conds[0].globs || !(r->conds[0].globs[0] = strdup(arg)))
		return fail_at(p, p->line, "out of memory");
	r->conds[0].nglobs = 1;
	if (is_glob(arg))
		return 0;
	/* drop.NAME in lower case, '/' (a subsystem's reason) as '.' */
	if (asprintf(&r->code, "drop.%s", arg) < 0) {
		r->code = NULL;
		return fail_at(p, p->line, "out of memory");
	}
	for (c = r->code; *c; c++)
		*c = *c == '/' ? '.' : (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	return 0;
}

static int set_text(struct parser *p, struct nt_kb_text *t, const char *key, const char *arg)
{
	if (t->src)
		return fail_at(p, p->line, "'%s' given twice", key);
	if (!*arg)
		return fail_at(p, p->line, "'%s' without text", key);
	return nt_kb_text_parse(t, arg, p->err, p->errlen) ? fail_here(p) : 0;
}

static int set_level(struct parser *p, const char *arg)
{
	int sev;

	if (p->has_level)
		return fail_at(p, p->line, "'level' given twice");
	p->has_level = true;
	if (!strcasecmp(arg, "off")) {
		p->cur->off = true;
		return 0;
	}
	for (sev = NT_SEV_INFO; sev <= NT_SEV_ERROR; sev++)
		if (!strcasecmp(arg, nt_severity_name((enum nt_severity)sev))) {
			p->cur->severity = (enum nt_severity)sev;
			return 0;
		}
	return fail_at(p, p->line, "unknown level '%s' (INFO, WARN, ERROR or off)", arg);
}

static int add_when(struct parser *p, const char *arg)
{
	struct nt_kb_rule *r = p->cur;
	struct nt_kb_cond *c;

	if (r->reason)
		return fail_at(p, p->line,
			       "a reason entry has one condition, its reason: write a "
			       "rule for more");
	c = realloc(r->conds, (r->nconds + 1) * sizeof(*c));
	if (!c)
		return fail_at(p, p->line, "out of memory");
	r->conds = c;
	c += r->nconds;
	if (nt_kb_cond_parse(c, arg, p->err, p->errlen)) {
		nt_kb_cond_free(c);
		return fail_here(p);
	}
	c->line = p->line;
	r->nconds++;
	return 0;
}

static int add_check(struct parser *p, const char *arg)
{
	struct nt_kb_rule *r = p->cur;
	struct nt_kb_text *t = realloc(r->checks, (r->nchecks + 1) * sizeof(*t));

	if (!t)
		return fail_at(p, p->line, "out of memory");
	r->checks = t;
	if (!*arg)
		return fail_at(p, p->line, "'check' without a command");
	if (nt_kb_text_parse(&t[r->nchecks], arg, p->err, p->errlen))
		return fail_here(p);
	r->nchecks++;
	return 0;
}

static int key_line(struct parser *p, const char *key, const char *arg)
{
	struct nt_kb_rule *r = p->cur;
	char *end;
	long v;

	if (!strcmp(key, "rule") || !strcmp(key, "reason"))
		return begin_block(p, key, arg);
	if (!r)
		return fail_at(p, p->line, "'%s' outside a rule or reason block", key);
	if (!strcmp(key, "level"))
		return set_level(p, arg);
	if (!strcmp(key, "when"))
		return add_when(p, arg);
	if (!strcmp(key, "message"))
		return set_text(p, &r->message, key, arg);
	if (!strcmp(key, "advice"))
		return set_text(p, &r->advice, key, arg);
	if (!strcmp(key, "check"))
		return add_check(p, arg);
	if (!strcmp(key, "cause")) {
		if (r->cause)
			return fail_at(p, p->line, "'cause' given twice");
		if (!code_ok(arg))
			return fail_at(p, p->line, "bad cause '%s' (a-z, 0-9, '.', '_', '-')", arg);
		r->cause = strdup(arg);
		return r->cause ? 0 : fail_at(p, p->line, "out of memory");
	}
	if (!strcmp(key, "rank")) {
		errno = 0;
		v = strtol(arg, &end, 10);
		if (p->has_rank)
			return fail_at(p, p->line, "'rank' given twice");
		if (errno || end == arg || *end || v < 0 || v > 1000)
			return fail_at(p, p->line, "bad rank '%s' (0 to 1000)", arg);
		p->has_rank = true;
		r->rank = (int)v;
		return 0;
	}
	if (!strcmp(key, "code")) {
		if (!r->reason || !is_glob(r->reason))
			return fail_at(p, p->line, "'code' is for reason patterns only%s%s",
				       r->reason ? ": this entry's code is " : "",
				       r->reason ? r->code : "");
		if (r->code)
			return fail_at(p, p->line, "'code' given twice");
		if (!code_ok(arg))
			return fail_at(p, p->line, "bad code '%s' (a-z, 0-9, '.', '_', '-')", arg);
		r->code = strdup(arg);
		return r->code ? 0 : fail_at(p, p->line, "out of memory");
	}
	return fail_at(p, p->line,
		       "unknown key '%s' (rule, reason, level, when, message, advice, "
		       "check, cause, rank, code)",
		       key);
}

/* One logical line (continuations joined): "KEY [ARG]". */
static int logical_line(struct parser *p, char *s)
{
	char *key, *arg, *e;

	s += strspn(s, " \t");
	if (!*s || *s == '#')
		return 0;
	key = s;
	arg = s + strcspn(s, " \t");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " \t");
	for (e = arg + strlen(arg); e > arg && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	*e = '\0';
	return key_line(p, key, arg);
}

/* Moves the parsed rules into kb: an existing code is replaced in place. */
static int merge(struct nt_kb *kb, struct nt_kb *add)
{
	struct nt_kb_rule *rules;
	size_t i, j, n = kb->nrules;

	rules = realloc(kb->rules, (kb->nrules + add->nrules) * sizeof(*rules));
	if (!rules && kb->nrules + add->nrules)
		return -1;
	kb->rules = rules;
	for (i = 0; i < add->nrules; i++) {
		for (j = 0; j < n; j++)
			if (!strcmp(kb->rules[j].code, add->rules[i].code))
				break;
		if (j < n)
			rule_free(&kb->rules[j]);
		else
			j = kb->nrules++;
		kb->rules[j] = add->rules[i];
	}
	free(add->rules);
	memset(add, 0, sizeof(*add));
	kb->nparses++;
	return 0;
}

int nt_kb_parse(struct nt_kb *kb, const char *text, const char *file, char *err, size_t errlen)
{
	struct nt_kb tmp = {0};
	struct parser p = {.kb = &tmp, .file = file, .err = err, .errlen = errlen};
	const char *s = text, *nl;
	char *buf = NULL, *b;
	size_t len = 0, n;
	int next = 1, r = 0;

	if (err && errlen)
		err[0] = '\0';
	while (*s && !r) {
		p.line = next;
		len = 0;
		for (;;) {	 /* a logical line: lines ending in '\' continue */
			if (len) /* a continuation: its leading blanks go */
				s += strspn(s, " \t");
			nl = strchr(s, '\n');
			n = nl ? (size_t)(nl - s) : strlen(s);
			b = realloc(buf, len + n + 2);
			if (!b) {
				r = fail_at(&p, p.line, "out of memory");
				break;
			}
			buf = b;
			memcpy(buf + len, s, n);
			len += n;
			buf[len] = '\0';
			s += n + (nl != NULL);
			next++;
			if (!len || buf[len - 1] != '\\' || !nl)
				break;
			while (len > 1 && (buf[len - 2] == ' ' || buf[len - 2] == '\t'))
				len--;
			buf[len - 1] = ' '; /* the '\' and the blanks before it: one space */
		}
		if (!r)
			r = logical_line(&p, buf);
	}
	if (!r)
		r = end_block(&p);
	free(buf);
	if (!r && merge(kb, &tmp))
		r = fail_at(&p, p.line, "out of memory");
	nt_kb_free(&tmp);
	return r;
}

int nt_kb_load_file(struct nt_kb *kb, const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	size_t cap = 0, len = 0, n;
	FILE *f = fopen(path, "r");
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *t = realloc(text, cap + 65536);

			if (!t) {
				fclose(f);
				free(text);
				snprintf(err, errlen, "%s: out of memory", path);
				return -1;
			}
			text = t;
			cap += 65536;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
		if (!n)
			break;
	}
	text[len] = '\0';
	r = ferror(f) ? -1 : 0;
	if (r)
		snprintf(err, errlen, "%s: read error", path);
	fclose(f);
	if (!r && memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: not a text file (it has NUL bytes)", path);
		r = -1;
	}
	if (!r)
		r = nt_kb_parse(kb, text, path, err, errlen);
	free(text);
	return r;
}

int nt_kb_load_builtin(struct nt_kb *kb, char *err, size_t errlen)
{
	if (nt_kb_parse(kb, nt_kb_reasons_text, "data/diag/reasons.kb", err, errlen) ||
	    nt_kb_parse(kb, nt_kb_rules_text, "data/diag/rules.kb", err, errlen))
		return -1;
	return 0;
}
