// SPDX-License-Identifier: GPL-2.0
/* The trace catalog: parsing the text (format: the header of data/catalog.txt). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "catalog/catalog.h"

#define MAX_DEPTH 8
#define MAX_LINE  512
#define MAX_WORDS 16

struct parser {
	struct nt_catalog *c;
	int stack[MAX_DEPTH]; /* open groups, outermost first */
	int depth;
	int line;
	char *err;
	size_t errlen;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (!p->err || !p->errlen)
		return -1;
	snprintf(p->err, p->errlen, "line %d: ", p->line);
	n = strlen(p->err);
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool name_ok(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '_' && !strchr(extra, *s))
			return false;
	return true;
}

static bool tp_name_ok(const char *s)
{
	const char *colon = strchr(s, ':');
	char cat[MAX_LINE];

	if (!colon || (size_t)(colon - s) >= sizeof(cat))
		return false;
	memcpy(cat, s, colon - s);
	cat[colon - s] = '\0';
	return name_ok(cat, "") && name_ok(colon + 1, "");
}

/* Names are unique across groups and probes, so that -t NAME means one thing. */
static bool name_taken(const struct nt_catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].name, name))
			return true;
	for (i = 0; i < c->nprobes; i++)
		if (!strcmp(c->probes[i].name, name))
			return true;
	return false;
}

static int parse_group(struct parser *p, const char *name, int level)
{
	int g;

	if (!strcmp(name, "func") || !strcmp(name, "tp"))
		return fail(p, "'%s' without a name", name);
	if (level > p->depth)
		return fail(p, "bad indentation: %d levels in, but only %d groups are open", level,
			    p->depth);
	if (level >= MAX_DEPTH)
		return fail(p, "groups nested too deep (at most %d levels)", MAX_DEPTH);
	if (!name_ok(name, "-_."))
		return fail(p, "bad group name '%s'", name);
	if (!strcmp(name, "all"))
		return fail(p, "'all' is reserved, not a group name");
	if (name_taken(p->c, name))
		return fail(p, "duplicate name '%s'", name);
	g = nt_catalog_add_group(p->c, name, level ? p->stack[level - 1] : -1);
	if (g < 0)
		return fail(p, "out of memory");
	p->stack[level] = g;
	p->depth = level + 1;
	return 0;
}

static const char *const ret_names[] = {
	[NT_RET_ERRNO] = "errno", [NT_RET_VERDICT] = "verdict", [NT_RET_NETDEV_TX] = "netdev_tx",
	[NT_RET_NET_RX] = "net_rx", [NT_RET_PTR] = "ptr", [NT_RET_BOOL] = "bool",
};

/* "skb", "sk", "skb=N", "sk=N": 1 if @w is such a word (then *pos, *sk set), 0 if not, -1 bad N. */
static int arg_word(const char *w, int *pos, bool *sk)
{
	const char *num;
	char *end;
	long n;

	if (!strncmp(w, "skb", 3) && (w[3] == '\0' || w[3] == '='))
		*sk = false, num = w + 3;
	else if (!strncmp(w, "sk", 2) && (w[2] == '\0' || w[2] == '='))
		*sk = true, num = w + 2;
	else
		return 0;
	*pos = -1;
	if (!*num)
		return 1;
	num++;
	if (*num < '0' || *num > '9')
		return -1;
	errno = 0;
	n = strtol(num, &end, 10);
	if (errno || *end || n >= NT_CATALOG_MAX_ARGS)
		return -1;
	*pos = (int)n;
	return 1;
}

static int entry_word(struct parser *p, struct nt_probe *pr, const char *w, bool *has_arg)
{
	static const struct { const char *word; unsigned int flag; } flags[] = {
		{ "off", NT_PROBE_OFF }, { "free", NT_PROBE_FREE }, { "clone", NT_PROBE_CLONE },
	};
	bool func = pr->kind == NT_PROBE_FUNC, sk;
	size_t i;
	int pos, r;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (strcmp(w, flags[i].word))
			continue;
		if (flags[i].flag == NT_PROBE_CLONE && !func)
			return fail(p, "'clone' applies to func entries only");
		if (pr->flags & flags[i].flag)
			return fail(p, "'%s' given twice", w);
		pr->flags |= flags[i].flag;
		return 0;
	}
	if (!strncmp(w, "ret=", 4)) {
		if (!func)
			return fail(p, "'ret=' applies to func entries only");
		if (pr->ret != NT_RET_NONE)
			return fail(p, "'ret=' given twice");
		for (i = 1; i < sizeof(ret_names) / sizeof(ret_names[0]); i++)
			if (!strcmp(w + 4, ret_names[i]))
				pr->ret = (enum nt_ret_kind)i;
		if (pr->ret == NT_RET_NONE)
			return fail(p, "unknown return kind '%s' (errno, verdict, "
				    "netdev_tx, net_rx, ptr or bool)", w + 4);
		return 0;
	}
	r = arg_word(w, &pos, &sk);
	if (r < 0)
		return fail(p, "bad argument position in '%s' (0 to %d)", w,
			    NT_CATALOG_MAX_ARGS - 1);
	if (r > 0) {
		if (*has_arg)
			return fail(p, "more than one skb/sk word");
		*has_arg = true;
		pr->arg = pr->arg_spec = pos;
		if (sk)
			pr->flags |= NT_PROBE_SK;
		return 0;
	}
	return fail(p, "unknown word '%s'", w);
}

static int parse_entry(struct parser *p, char **words, int nwords, int level)
{
	enum nt_probe_kind kind = !strcmp(words[0], "tp") ? NT_PROBE_TP : NT_PROBE_FUNC;
	bool has_arg = false;
	int i, idx;

	if (level == 0)
		return fail(p, "entry outside a group");
	if (level > p->depth)
		return fail(p, "bad indentation: %d levels in, but only %d groups are open", level,
			    p->depth);
	if (kind == NT_PROBE_TP && !tp_name_ok(words[1]))
		return fail(p, "bad tracepoint '%s' (expected category:name)", words[1]);
	if (kind == NT_PROBE_FUNC && !name_ok(words[1], "."))
		return fail(p, "bad function name '%s'", words[1]);
	if (name_taken(p->c, words[1]))
		return fail(p, "duplicate name '%s'", words[1]);
	idx = nt_catalog_add_probe(p->c, words[1], kind, p->stack[level - 1]);
	if (idx < 0)
		return fail(p, "out of memory");
	p->depth = level; /* an entry closes the groups nested deeper than itself */
	for (i = 2; i < nwords; i++)
		if (entry_word(p, &p->c->probes[idx], words[i], &has_arg))
			return -1;
	return 0;
}

static int parse_line(struct parser *p, char *s)
{
	char *words[MAX_WORDS], *hash = strchr(s, '#'), *tok, *save;
	int indent = 0, nwords = 0;
	bool tab = false;

	if (hash)
		*hash = '\0';
	for (; s[indent] == ' ' || s[indent] == '\t'; indent++)
		tab |= s[indent] == '\t';
	for (tok = strtok_r(s, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (nwords == MAX_WORDS)
			return fail(p, "too many words");
		words[nwords++] = tok;
	}
	if (!nwords)
		return 0;
	if (tab)
		return fail(p, "tab in indentation (use two spaces per level)");
	if (indent % 2)
		return fail(p, "bad indentation: %d spaces (two per level)", indent);
	if (!strcmp(words[0], "func") || !strcmp(words[0], "tp")) {
		if (nwords < 2)
			return fail(p, "'%s' without a name", words[0]);
		return parse_entry(p, words, nwords, indent / 2);
	}
	if (nwords > 1)
		return fail(p, "unknown kind '%s' (func or tp)", words[0]);
	return parse_group(p, words[0], indent / 2);
}

int nt_catalog_parse(struct nt_catalog *c, const char *text, char *err, size_t errlen)
{
	struct parser p = { .c = c, .err = err, .errlen = errlen };
	char buf[MAX_LINE];
	const char *nl;
	size_t len;

	memset(c, 0, sizeof(*c));
	if (err && errlen)
		err[0] = '\0';
	for (; text && *text; text = nl ? nl + 1 : text + len) {
		p.line++;
		nl = strchr(text, '\n');
		len = nl ? (size_t)(nl - text) : strlen(text);
		if (len >= sizeof(buf)) {
			fail(&p, "line too long");
			goto bad;
		}
		memcpy(buf, text, len);
		buf[len] = '\0';
		if (parse_line(&p, buf))
			goto bad;
	}
	return 0;
bad:
	nt_catalog_free(c);
	return -1;
}

int nt_catalog_load(struct nt_catalog *c, const char *path, char *err, size_t errlen)
{
	char *text = NULL, msg[256];
	size_t len = 0;
	FILE *f, *m;
	int ch, r;

	memset(c, 0, sizeof(*c));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	m = open_memstream(&text, &len);
	if (!m) {
		fclose(f);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((ch = getc(f)) != EOF)
		putc(ch, m);
	r = ferror(f) ? -1 : 0;
	fclose(f);
	fclose(m);
	if (r) {
		snprintf(err, errlen, "%s: read error", path);
	} else {
		r = nt_catalog_parse(c, text, msg, sizeof(msg));
		if (r)
			snprintf(err, errlen, "%s: %s", path, msg);
	}
	free(text);
	return r;
}
