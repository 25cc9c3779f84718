// SPDX-License-Identifier: GPL-2.0
/* Knowledge base conditions: the fields, the names of their values, "when" lines, the tests. */
#define _GNU_SOURCE /* asprintf, strndup, strerrorname_np */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "analysis/kb_int.h"

struct value_name {
	const char *name;
	long long value;
};

#define END             \
	{               \
		NULL, 0 \
	}

/* Return values and verdicts: kernel and UAPI enums whose values do not change. */
/* ret also takes the verdict names (verdict_names). */
static const struct value_name ret_names[] = {
	{"XDP_ABORTED", 0},
	{"XDP_DROP", 1},
	{"XDP_PASS", 2},
	{"XDP_TX", 3},
	{"XDP_REDIRECT", 4},
	{"NET_RX_SUCCESS", 0},
	{"NET_RX_DROP", 1},
	{"NETDEV_TX_OK", 0},
	{"NETDEV_TX_BUSY", 0x10},
	{"TC_ACT_UNSPEC", -1},
	{"TC_ACT_OK", 0},
	{"TC_ACT_RECLASSIFY", 1},
	{"TC_ACT_SHOT", 2},
	{"TC_ACT_PIPE", 3},
	{"TC_ACT_STOLEN", 4},
	{"TC_ACT_QUEUED", 5},
	{"TC_ACT_REPEAT", 6},
	{"TC_ACT_REDIRECT", 7},
	{"TC_ACT_TRAP", 8},
	{"NFCT_TCP_IGNORE", 0},
	{"NFCT_TCP_INVALID", 1},
	{"NFCT_TCP_ACCEPT", 2},
	{"NET_XMIT_SUCCESS", 0},
	{"NET_XMIT_DROP", 1},
	{"NET_XMIT_CN", 2},
	{"NULL", 0},
	{"false", 0},
	{"true", 1},
	END,
};

static const struct value_name verdict_names[] = {
	{"NF_DROP", 0},
	{"NF_ACCEPT", 1},
	{"NF_STOLEN", 2},
	{"NF_QUEUE", 3},
	{"NF_REPEAT", 4},
	{"NF_STOP", 5},
	END,
};

static const struct value_name icmp_names[] = {
	{"echo-reply", 0},   {"dest-unreachable", 3}, {"source-quench", 4},	 {"redirect", 5},
	{"echo-request", 8}, {"time-exceeded", 11},   {"parameter-problem", 12}, END,
};

static const struct value_name icmp6_names[] = {
	{"dest-unreachable", 1},     {"packet-too-big", 2},	{"time-exceeded", 3},
	{"parameter-problem", 4},    {"echo-request", 128},	{"echo-reply", 129},
	{"nd-router-solicit", 133},  {"nd-router-advert", 134}, {"nd-neighbor-solicit", 135},
	{"nd-neighbor-advert", 136}, {"nd-redirect", 137},	END,
};

static const struct value_name tcp_flag_names[] = {
	{"F", NT_KB_TCP_FIN}, {"S", NT_KB_TCP_SYN}, {"R", NT_KB_TCP_RST},
	{"P", NT_KB_TCP_PSH}, {"A", NT_KB_TCP_ACK}, {"U", NT_KB_TCP_URG},
	{"E", NT_KB_TCP_ECE}, {"C", NT_KB_TCP_CWR}, END,
};

/* IPS_*_BIT of linux/netfilter/nf_conntrack_common.h (UAPI), as bit masks. */
static const struct value_name ct_status_names[] = {
	{"expected", 1 << 0},	    {"seen-reply", 1 << 1},
	{"assured", 1 << 2},	    {"confirmed", 1 << 3},
	{"snat", 1 << 4},	    {"dnat", 1 << 5},
	{"seq-adjust", 1 << 6},	    {"snat-done", 1 << 7},
	{"dnat-done", 1 << 8},	    {"dying", 1 << 9},
	{"fixed-timeout", 1 << 10}, {"template", 1 << 11},
	{"helper", 1 << 13},	    {"offload", 1 << 14},
	{"hw-offload", 1 << 15},    END,
};

static const struct value_name ct_state_names[] = {
	{"new", NT_KB_CT_NEW},
	{"established", NT_KB_CT_ESTABLISHED},
	{"related", NT_KB_CT_RELATED},
	{"invalid", NT_KB_CT_INVALID},
	{"untracked", NT_KB_CT_UNTRACKED},
	END,
};

static const struct value_name nat_names[] = {
	{"snat", NT_KB_NAT_SNAT},
	{"dnat", NT_KB_NAT_DNAT},
	END,
};

struct field_info {
	const char *name;
	enum nt_kb_type type;
	const struct value_name *values; /* names allowed for values, or NULL */
	bool casefold;			 /* NAME: globs ignore case */
};

static const struct field_info fields[NT_KB_F_COUNT] = {
	[NT_KB_F_REASON] = {"reason", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_LOCATION] = {"location", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_FUNC] = {"func", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_TP] = {"tp", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_RET] = {"ret", NT_KB_T_INT, ret_names, false},
	[NT_KB_F_SEEN] = {"seen", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_L3] = {"l3", NT_KB_T_NAME, NULL, true},
	[NT_KB_F_L4] = {"l4", NT_KB_T_NAME, NULL, true},
	[NT_KB_F_FLAGS] = {"flags", NT_KB_T_FLAGS, tcp_flag_names, false},
	[NT_KB_F_TTL] = {"ttl", NT_KB_T_INT, NULL, false},
	[NT_KB_F_LEN] = {"len", NT_KB_T_INT, NULL, false},
	[NT_KB_F_ICMP_TYPE] = {"icmp-type", NT_KB_T_INT, icmp_names, false},
	[NT_KB_F_ICMP_CODE] = {"icmp-code", NT_KB_T_INT, NULL, false},
	[NT_KB_F_ICMP6_TYPE] = {"icmp6-type", NT_KB_T_INT, icmp6_names, false},
	[NT_KB_F_SADDR] = {"saddr", NT_KB_T_NAME, NULL, true},
	[NT_KB_F_DADDR] = {"daddr", NT_KB_T_NAME, NULL, true},
	[NT_KB_F_SPORT] = {"sport", NT_KB_T_INT, NULL, false},
	[NT_KB_F_DPORT] = {"dport", NT_KB_T_INT, NULL, false},
	[NT_KB_F_DEV] = {"dev", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_NETNS] = {"netns", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_VERDICT] = {"verdict", NT_KB_T_INT, verdict_names, false},
	[NT_KB_F_HOOK] = {"hook", NT_KB_T_NAME, NULL, true},
	[NT_KB_F_FAMILY] = {"family", NT_KB_T_NAME, NULL, true},
	[NT_KB_F_TABLE] = {"table", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_CHAIN] = {"chain", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_RULE] = {"rule", NT_KB_T_NAME, NULL, false},
	[NT_KB_F_CT_STATE] = {"ct-state", NT_KB_T_ONEOF, ct_state_names, false},
	[NT_KB_F_CT_STATUS] = {"ct-status", NT_KB_T_FLAGS, ct_status_names, false},
	[NT_KB_F_NAT] = {"nat", NT_KB_T_FLAGS, nat_names, false},
	[NT_KB_F_NO_REPLY] = {"no-reply", NT_KB_T_MS, NULL, false},
	[NT_KB_F_NOT_FREED] = {"not-freed", NT_KB_T_MS, NULL, false},
	[NT_KB_F_PROBE] = {"probe", NT_KB_T_NONE, NULL, false},
	[NT_KB_F_NAT_FROM] = {"nat-from", NT_KB_T_NONE, NULL, false},
	[NT_KB_F_NAT_TO] = {"nat-to", NT_KB_T_NONE, NULL, false},
	[NT_KB_F_ELAPSED] = {"elapsed", NT_KB_T_NONE, NULL, false},
	[NT_KB_F_FACT] = {"fact", NT_KB_T_FACT, NULL, false},
};

const char *nt_kb_field_name(enum nt_kb_field f)
{
	return f > NT_KB_F_NONE && f < NT_KB_F_COUNT ? fields[f].name : "?";
}

enum nt_kb_type nt_kb_field_type(enum nt_kb_field f)
{
	return f > NT_KB_F_NONE && f < NT_KB_F_COUNT ? fields[f].type : NT_KB_T_NONE;
}

enum nt_kb_field nt_kb_field_by_name(const char *name, size_t len)
{
	int f;

	for (f = NT_KB_F_NONE + 1; f < NT_KB_F_COUNT; f++)
		if (strlen(fields[f].name) == len && !strncmp(fields[f].name, name, len))
			return (enum nt_kb_field)f;
	return NT_KB_F_NONE;
}

static bool parse_ll(const char *s, long long *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*v = strtoll(s, &end, 0);
	return !errno && !*end;
}

/* "-ENAME": the errno's negative value. */
static bool parse_errno(const char *s, long long *v)
{
	const char *n;
	int e;

	if (s[0] != '-' || s[1] != 'E')
		return false;
	for (e = 1; e < 4096; e++) {
		n = strerrorname_np(e);
		if (n && !strcmp(n, s + 1)) {
			*v = -e;
			return true;
		}
	}
	return false;
}

static bool lookup_name(const struct value_name *names, const char *s, long long *v)
{
	for (; names && names->name; names++)
		if (!strcmp(names->name, s)) {
			*v = names->value;
			return true;
		}
	return false;
}

/* A number, a name of the field's values, or for ret also -ENAME. */
static int int_value(enum nt_kb_field f, const char *s, long long *v, char *err, size_t errlen)
{
	if (parse_ll(s, v) || lookup_name(fields[f].values, s, v))
		return 0;
	if (f == NT_KB_F_RET && lookup_name(verdict_names, s, v))
		return 0;
	if (f == NT_KB_F_RET && parse_errno(s, v))
		return 0;
	if (f == NT_KB_F_RET && s[0] == 'E' && strlen(s) < 62) {
		char neg[64];

		snprintf(neg, sizeof(neg), "-%s", s);
		if (parse_errno(neg, v))
			return nt_kb_problem(err, errlen,
					     "'%s': errno values are negative, write -%s", s, s);
	}
	return nt_kb_problem(err, errlen, "'%s' is not a number%s for %s", s,
			     fields[f].values ? " or a known name" : "", fields[f].name);
}

static int add_glob(struct nt_kb_cond *c, const char *p, size_t n)
{
	char **g = realloc(c->globs, (c->nglobs + 1) * sizeof(*g));

	if (!g)
		return -1;
	c->globs = g;
	g[c->nglobs] = strndup(p, n);
	if (!g[c->nglobs])
		return -1;
	c->nglobs++;
	return 0;
}

/*
 * The '|'-separated alternatives of word, one per call: copies the next into one and
 * advances *p (NULL after the last). 1: got one, 0: no more, -1: empty or too long.
 */
static int next_alt(const char **p, char *one, size_t len, const char *word, char *err,
		    size_t errlen)
{
	const char *s = *p, *bar;
	size_t n;

	if (!s)
		return 0;
	bar = strchr(s, '|');
	n = bar ? (size_t)(bar - s) : strlen(s);
	if (!n)
		return nt_kb_problem(err, errlen, "empty alternative in '%s'", word);
	if (n >= len)
		return nt_kb_problem(err, errlen, "'%s' is too long", word);
	memcpy(one, s, n);
	one[n] = '\0';
	*p = bar ? bar + 1 : NULL;
	return 1;
}

/* ORs into *mask the value of each alternative of word (1 << value if shift). */
static int alt_mask(struct nt_kb_cond *c, const char *word, bool shift, unsigned long long *mask,
		    char *err, size_t errlen)
{
	const char *p = word;
	char one[64];
	long long v;
	int r;

	while ((r = next_alt(&p, one, sizeof(one), word, err, errlen)) > 0) {
		if (!lookup_name(fields[c->field].values, one, &v))
			return nt_kb_problem(err, errlen, "unknown %s '%s'", fields[c->field].name,
					     one);
		*mask |= shift ? 1ULL << v : (unsigned long long)v;
	}
	return r;
}

static int parse_name(struct nt_kb_cond *c, char **w, int nw, char *err, size_t errlen)
{
	const char *p = w[0];
	char one[256];
	int r;

	if (nw != 1)
		return nt_kb_problem(err, errlen, "%s wants one pattern (alternatives with '|')",
				     fields[c->field].name);
	c->op = NT_KB_GLOB;
	while ((r = next_alt(&p, one, sizeof(one), w[0], err, errlen)) > 0) {
		if (c->field == NT_KB_F_REASON && strspn(one, "0123456789") == strlen(one))
			return nt_kb_problem(
				err, errlen,
				"drop reasons are matched by name, never by number ('%s')", one);
		if (add_glob(c, one, strlen(one)))
			return nt_kb_problem(err, errlen, "out of memory");
	}
	return r;
}

static const struct {
	const char *word;
	enum nt_kb_op op;
} ops[] = {
	{"=", NT_KB_EQ},  {"==", NT_KB_EQ}, {"!=", NT_KB_NE}, {"<", NT_KB_LT},
	{"<=", NT_KB_LE}, {">", NT_KB_GT},  {">=", NT_KB_GE},
};

static bool parse_op(const char *w, enum nt_kb_op *op)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(w, ops[i].word)) {
			*op = ops[i].op;
			return true;
		}
	return false;
}

static int parse_int(struct nt_kb_cond *c, char **w, int nw, char *err, size_t errlen)
{
	const char *name = fields[c->field].name;
	char *dots, lo[128];

	if (nw == 1) {
		c->op = NT_KB_EQ;
		return int_value(c->field, w[0], &c->lo, err, errlen);
	}
	if (nw == 2 && !strcmp(w[0], "in")) {
		dots = strstr(w[1], "..");
		if (!dots || (size_t)(dots - w[1]) >= sizeof(lo))
			return nt_kb_problem(err, errlen, "%s in: wants LOW..HIGH, not '%s'", name,
					     w[1]);
		memcpy(lo, w[1], dots - w[1]);
		lo[dots - w[1]] = '\0';
		c->op = NT_KB_RANGE;
		if (int_value(c->field, lo, &c->lo, err, errlen) ||
		    int_value(c->field, dots + 2, &c->hi, err, errlen))
			return -1;
		if (c->lo > c->hi)
			return nt_kb_problem(err, errlen, "empty range '%s'", w[1]);
		return 0;
	}
	if (nw == 2 && parse_op(w[0], &c->op))
		return int_value(c->field, w[1], &c->lo, err, errlen);
	return nt_kb_problem(err, errlen,
			     "%s wants VALUE, OP VALUE (= != < <= > >=) or in LOW..HIGH", name);
}

/* Words: NAME (set), !NAME (clear), A|B (one of them set). */
static int parse_flags(struct nt_kb_cond *c, char **w, int nw, char *err, size_t errlen)
{
	unsigned long long *mask;
	int i;

	c->op = NT_KB_BITS;
	for (i = 0; i < nw; i++) {
		bool neg = w[i][0] == '!', alt = strchr(w[i], '|') != NULL;

		if (neg && alt)
			return nt_kb_problem(err, errlen, "'%s': '!' and '|' do not mix", w[i]);
		if (alt && c->any)
			return nt_kb_problem(err, errlen, "only one A|B word per condition");
		mask = neg ? &c->clear : alt ? &c->any : &c->set;
		if (alt_mask(c, w[i] + neg, false, mask, err, errlen))
			return -1;
	}
	if (c->set & c->clear)
		return nt_kb_problem(err, errlen, "a name both required and excluded");
	return 0;
}

static int parse_oneof(struct nt_kb_cond *c, char **w, int nw, char *err, size_t errlen)
{
	if (nw != 1)
		return nt_kb_problem(err, errlen, "%s wants one word (alternatives with '|')",
				     fields[c->field].name);
	c->op = NT_KB_ONEOF;
	return alt_mask(c, w[0], true, &c->any, err, errlen);
}

/* "N", "Nms" or "Ns". */
static int parse_ms(struct nt_kb_cond *c, char **w, int nw, char *err, size_t errlen)
{
	char *end;
	long long v;

	if (nw != 1)
		return nt_kb_problem(err, errlen, "%s wants one duration (500ms, 2s)",
				     fields[c->field].name);
	errno = 0;
	v = strtoll(w[0], &end, 10);
	if (errno || end == w[0] || v <= 0 || (*end && strcmp(end, "ms") && strcmp(end, "s")))
		return nt_kb_problem(err, errlen, "bad duration '%s' (a positive number, ms or s)",
				     w[0]);
	c->op = NT_KB_AFTER;
	c->lo = !strcmp(end, "s") ? v * 1000 : v;
	return 0;
}

#define MAX_WORDS 16

static int split(char *s, char **w)
{
	int n = 0;

	for (s = strtok(s, " \t"); s; s = strtok(NULL, " \t")) {
		if (n == MAX_WORDS)
			return -1;
		w[n++] = s;
	}
	return n;
}

static int parse_fact(struct nt_kb_cond *c, const char *s, char *err, size_t errlen)
{
	const char *end;
	char *rest, *w[MAX_WORDS];
	int nw, r = -1;

	if (nt_kb_fact_parse(&c->fact, s, &end, err, errlen))
		return -1;
	rest = strdup(end);
	if (!rest)
		return nt_kb_problem(err, errlen, "out of memory");
	nw = split(rest, w);
	if (nw != 2 || !parse_op(w[0], &c->op)) {
		nt_kb_problem(err, errlen, "fact %s wants a comparison: OP VALUE (= != < <= > >=)",
			      c->fact.src);
		goto out;
	}
	c->value = strdup(w[1]);
	if (!c->value) {
		nt_kb_problem(err, errlen, "out of memory");
		goto out;
	}
	c->value_is_int = parse_ll(w[1], &c->lo);
	if (c->op != NT_KB_EQ && c->op != NT_KB_NE && !c->value_is_int) {
		nt_kb_problem(err, errlen, "'%s' compares numbers: '%s' is not one", w[0], w[1]);
		goto out;
	}
	r = 0;
out:
	free(rest);
	return r;
}

int nt_kb_cond_parse(struct nt_kb_cond *c, const char *s, char *err, size_t errlen)
{
	char *copy, *w[MAX_WORDS], *p;
	size_t len;
	int nw, r;

	memset(c, 0, sizeof(*c));
	s += strspn(s, " \t");
	if (!strncmp(s, "not", 3) && (s[3] == ' ' || s[3] == '\t')) {
		c->negate = true;
		s += 3 + strspn(s + 3, " \t");
	}
	len = strcspn(s, " \t");
	if (!len)
		return nt_kb_problem(err, errlen, "'when' without a condition");
	c->field = nt_kb_field_by_name(s, len);
	if (c->field == NT_KB_F_NONE)
		return nt_kb_problem(err, errlen, "unknown field '%.*s'", (int)len, s);
	if (fields[c->field].type == NT_KB_T_NONE)
		return nt_kb_problem(err, errlen, "'%s' may be named in templates, not tested",
				     fields[c->field].name);
	p = (char *)s + len;
	p += strspn(p, " \t");
	if (fields[c->field].type == NT_KB_T_FACT)
		return parse_fact(c, p, err, errlen);
	copy = strdup(p);
	if (!copy)
		return nt_kb_problem(err, errlen, "out of memory");
	nw = split(copy, w);
	if (nw < 0)
		r = nt_kb_problem(err, errlen, "too many words");
	else if (nw == 0)
		r = nt_kb_problem(err, errlen, "'%s' without a value", fields[c->field].name);
	else if (fields[c->field].type == NT_KB_T_NAME)
		r = parse_name(c, w, nw, err, errlen);
	else if (fields[c->field].type == NT_KB_T_INT)
		r = parse_int(c, w, nw, err, errlen);
	else if (fields[c->field].type == NT_KB_T_FLAGS)
		r = parse_flags(c, w, nw, err, errlen);
	else if (fields[c->field].type == NT_KB_T_ONEOF)
		r = parse_oneof(c, w, nw, err, errlen);
	else
		r = parse_ms(c, w, nw, err, errlen);
	free(copy);
	return r;
}

void nt_kb_cond_free(struct nt_kb_cond *c)
{
	size_t i;

	for (i = 0; i < c->nglobs; i++)
		free(c->globs[i]);
	free(c->globs);
	nt_kb_text_free(&c->fact);
	free(c->value);
	memset(c, 0, sizeof(*c));
}

static bool compare(enum nt_kb_op op, long long v, long long lo, long long hi)
{
	switch (op) {
	case NT_KB_EQ:
		return v == lo;
	case NT_KB_NE:
		return v != lo;
	case NT_KB_LT:
		return v < lo;
	case NT_KB_LE:
		return v <= lo;
	case NT_KB_GT:
		return v > lo;
	case NT_KB_GE:
		return v >= lo;
	case NT_KB_RANGE:
		return v >= lo && v <= hi;
	default:
		return false;
	}
}

bool nt_kb_test_int(const struct nt_kb_cond *c, long long v)
{
	unsigned long long u = (unsigned long long)v;
	bool r;

	switch (c->op) {
	case NT_KB_BITS:
		r = (u & c->set) == c->set && !(u & c->clear) && (!c->any || (u & c->any));
		break;
	case NT_KB_ONEOF:
		r = v >= 0 && v < 64 && (c->any & (1ULL << v));
		break;
	case NT_KB_AFTER:
		r = v >= c->lo;
		break;
	case NT_KB_GLOB:
		return false;
	default:
		r = compare(c->op, v, c->lo, c->hi);
	}
	return r != c->negate;
}

bool nt_kb_test_str(const struct nt_kb_cond *c, const char *value)
{
	int flags = fields[c->field].casefold ? FNM_CASEFOLD : 0;
	long long v;
	size_t i;
	bool r = false;

	if (!value)
		return false;
	if (c->field == NT_KB_F_FACT) {
		if (c->value_is_int && parse_ll(value, &v))
			r = compare(c->op, v, c->lo, 0);
		else if (c->op == NT_KB_EQ || c->op == NT_KB_NE)
			r = (fnmatch(c->value, value, 0) == 0) == (c->op == NT_KB_EQ);
		return r != c->negate;
	}
	if (c->op != NT_KB_GLOB)
		return false;
	for (i = 0; i < c->nglobs && !r; i++)
		r = fnmatch(c->globs[i], value, flags) == 0;
	return r != c->negate;
}

bool nt_kb_test_seen(const struct nt_kb_cond *c, const char *const *names, size_t n)
{
	size_t i, j;
	bool r = false;

	for (i = 0; i < n && !r; i++)
		for (j = 0; j < c->nglobs && !r; j++)
			r = names[i] && fnmatch(c->globs[j], names[i], 0) == 0;
	return r != c->negate;
}
