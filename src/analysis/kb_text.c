// SPDX-License-Identifier: GPL-2.0
/* Knowledge base templates: "{field}", "{kind:arg}" facts and "{{"/"}}" in text; rendering. */
#define _GNU_SOURCE /* asprintf, strndup, strerrorname_np */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/kb_int.h"

static const char *const fact_names[NT_KB_FACT_COUNT] = {
	[NT_KB_FACT_SYSCTL] = "sysctl", [NT_KB_FACT_ROUTE] = "route", [NT_KB_FACT_NEIGH] = "neigh",
	[NT_KB_FACT_LISTEN] = "listen", [NT_KB_FACT_LINK] = "link",   [NT_KB_FACT_MTU] = "mtu",
	[NT_KB_FACT_QDISC] = "qdisc",	[NT_KB_FACT_XDP] = "xdp",     [NT_KB_FACT_TC] = "tc",
};

const char *nt_kb_fact_name(enum nt_kb_fact f)
{
	return f > NT_KB_FACT_NONE && f < NT_KB_FACT_COUNT ? fact_names[f] : "?";
}

int nt_kb_problem(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static struct nt_kb_seg *add_seg(struct nt_kb_text *t, enum nt_kb_seg_kind kind)
{
	struct nt_kb_seg *s = realloc(t->segs, (t->nsegs + 1) * sizeof(*s));

	if (!s)
		return NULL;
	t->segs = s;
	s += t->nsegs++;
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

/* Appends n bytes of literal text (to the last segment if it is text). */
static int add_text(struct nt_kb_text *t, const char *p, size_t n)
{
	struct nt_kb_seg *s = t->nsegs ? &t->segs[t->nsegs - 1] : NULL;
	size_t old;
	char *m;

	if (!s || s->kind != NT_KB_SEG_TEXT) {
		s = add_seg(t, NT_KB_SEG_TEXT);
		if (!s)
			return -1;
	}
	old = s->text ? strlen(s->text) : 0;
	m = realloc(s->text, old + n + 1);
	if (!m)
		return -1;
	memcpy(m + old, p, n);
	m[old + n] = '\0';
	s->text = m;
	return 0;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/*
 * Parses from *pp, just past a '{', up to its '}'. depth 0: a field or a fact;
 * depth 1 (inside a fact's argument): a field only.
 */
static int parse_placeholder(struct nt_kb_text *t, const char **pp, int depth, char *err,
			     size_t errlen);

static int parse_until(struct nt_kb_text *t, const char **pp, int depth, char *err, size_t errlen)
{
	const char *p = *pp, *q;

	while (*p) {
		if (*p == '{' && p[1] == '{') {
			if (add_text(t, "{", 1))
				return nt_kb_problem(err, errlen, "out of memory");
			p += 2;
		} else if (*p == '}' && depth > 0) {
			break;
		} else if (*p == '}' && p[1] == '}') {
			if (add_text(t, "}", 1))
				return nt_kb_problem(err, errlen, "out of memory");
			p += 2;
		} else if (*p == '}') {
			return nt_kb_problem(err, errlen,
					     "a lone '}' (write '}}' for the character)");
		} else if (*p == '{') {
			p++;
			if (parse_placeholder(t, &p, depth, err, errlen))
				return -1;
		} else {
			for (q = p; *q && *q != '{' && *q != '}'; q++)
				;
			if (add_text(t, p, q - p))
				return nt_kb_problem(err, errlen, "out of memory");
			p = q;
		}
	}
	*pp = p;
	return 0;
}

static int parse_placeholder(struct nt_kb_text *t, const char **pp, int depth, char *err,
			     size_t errlen)
{
	const char *p = *pp, *name = p;
	enum nt_kb_field field;
	struct nt_kb_seg *s;
	int f;

	while (name_char(*p))
		p++;
	if (*p == '}') {
		field = nt_kb_field_by_name(name, p - name);
		if (field == NT_KB_F_NONE || nt_kb_field_type(field) == NT_KB_T_FACT)
			return nt_kb_problem(err, errlen,
					     "unknown field {%.*s} (write {{ and }} for braces)",
					     (int)(p - name), name);
		s = add_seg(t, NT_KB_SEG_FIELD);
		if (!s)
			return nt_kb_problem(err, errlen, "out of memory");
		s->field = field;
		*pp = p + 1;
		return 0;
	}
	if (*p != ':')
		return nt_kb_problem(err, errlen,
				     "'{' not closed by '}' (write '{{' for the character)");
	if (depth > 0)
		return nt_kb_problem(err, errlen, "a fact inside a fact's argument");
	for (f = NT_KB_FACT_NONE + 1; f < NT_KB_FACT_COUNT; f++)
		if (strlen(fact_names[f]) == (size_t)(p - name) &&
		    !strncmp(fact_names[f], name, p - name))
			break;
	if (f == NT_KB_FACT_COUNT)
		return nt_kb_problem(err, errlen,
				     "unknown fact kind '%.*s' (sysctl, route, neigh, listen, "
				     "link, mtu, qdisc, xdp or tc)",
				     (int)(p - name), name);
	s = add_seg(t, NT_KB_SEG_FACT);
	if (!s)
		return nt_kb_problem(err, errlen, "out of memory");
	s->fact = (enum nt_kb_fact)f;
	s->arg = calloc(1, sizeof(*s->arg));
	if (!s->arg)
		return nt_kb_problem(err, errlen, "out of memory");
	p++;
	if (parse_until(s->arg, &p, depth + 1, err, errlen))
		return -1;
	if (*p != '}')
		return nt_kb_problem(err, errlen, "fact {%s:...} not closed by '}'", fact_names[f]);
	if (!s->arg->nsegs)
		return nt_kb_problem(err, errlen, "fact {%s:} without an argument", fact_names[f]);
	*pp = p + 1;
	return 0;
}

int nt_kb_text_parse(struct nt_kb_text *t, const char *src, char *err, size_t errlen)
{
	const char *p = src;

	memset(t, 0, sizeof(*t));
	t->src = strdup(src);
	if (!t->src)
		return nt_kb_problem(err, errlen, "out of memory");
	if (parse_until(t, &p, 0, err, errlen)) {
		nt_kb_text_free(t);
		return -1;
	}
	return 0;
}

int nt_kb_fact_parse(struct nt_kb_text *t, const char *s, const char **end, char *err,
		     size_t errlen)
{
	const char *p = s + 1;

	memset(t, 0, sizeof(*t));
	if (*s != '{')
		return nt_kb_problem(err, errlen,
				     "'fact' wants {kind:argument}, then a comparison");
	if (parse_placeholder(t, &p, 0, err, errlen))
		goto fail;
	if (t->segs[0].kind != NT_KB_SEG_FACT) {
		nt_kb_problem(err, errlen, "'fact' wants {kind:argument}, not a field");
		goto fail;
	}
	t->src = strndup(s, p - s);
	if (!t->src) {
		nt_kb_problem(err, errlen, "out of memory");
		goto fail;
	}
	*end = p;
	return 0;
fail:
	nt_kb_text_free(t);
	return -1;
}

void nt_kb_text_free(struct nt_kb_text *t)
{
	size_t i;

	for (i = 0; i < t->nsegs; i++) {
		free(t->segs[i].text);
		if (t->segs[i].arg) {
			nt_kb_text_free(t->segs[i].arg);
			free(t->segs[i].arg);
		}
	}
	free(t->segs);
	free(t->src);
	memset(t, 0, sizeof(*t));
}

struct out {
	char *p;
	size_t left;
	bool cut;
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (n >= o->left) {
		n = o->left ? o->left - 1 : 0;
		o->cut = true;
	}
	memcpy(o->p, s, n);
	o->p += n;
	o->left -= n;
	if (o->left)
		*o->p = '\0';
}

int nt_kb_render(const struct nt_kb_text *t, nt_kb_lookup_fn lookup, void *ctx, char *out,
		 size_t len)
{
	struct out o = {out, len, false};
	char buf[512], arg[512];
	const struct nt_kb_seg *s;
	const char *v;
	size_t i;

	if (len)
		*out = '\0';
	for (i = 0; i < t->nsegs; i++) {
		s = &t->segs[i];
		if (s->kind == NT_KB_SEG_TEXT) {
			put(&o, s->text);
			continue;
		}
		buf[0] = '\0';
		if (s->kind == NT_KB_SEG_FIELD) {
			v = lookup(ctx, s->field, NT_KB_FACT_NONE, NULL, buf, sizeof(buf));
		} else {
			if (nt_kb_render(s->arg, lookup, ctx, arg, sizeof(arg)))
				o.cut = true;
			v = lookup(ctx, NT_KB_F_NONE, s->fact, arg, buf, sizeof(buf));
		}
		put(&o, v ? v : "?");
	}
	return o.cut ? -1 : 0;
}
