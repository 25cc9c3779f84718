// SPDX-License-Identifier: GPL-2.0
/* The trace catalog: building, finding, selecting (-t, --trace-exclude) and listing (-t ?). */
#include <stdlib.h>
#include <string.h>
#include "catalog/catalog.h"

int nt_catalog_add_group(struct nt_catalog *c, const char *name, int parent)
{
	struct nt_group *g = realloc(c->groups, (c->ngroups + 1) * sizeof(*g));

	if (!g)
		return -1;
	c->groups = g;
	g += c->ngroups;
	g->name = strdup(name);
	if (!g->name)
		return -1;
	g->parent = parent;
	return (int)c->ngroups++;
}

int nt_catalog_add_probe(struct nt_catalog *c, const char *name, enum nt_probe_kind kind, int group)
{
	struct nt_probe *p = realloc(c->probes, (c->nprobes + 1) * sizeof(*p));
	const char *colon;

	if (!p)
		return -1;
	c->probes = p;
	p += c->nprobes;
	memset(p, 0, sizeof(*p));
	p->name = strdup(name);
	if (!p->name)
		return -1;
	colon = strchr(p->name, ':');
	p->tp = kind == NT_PROBE_TP && colon ? colon + 1 : NULL;
	p->kind = kind;
	p->group = group;
	p->arg = p->arg_spec = -1;
	p->reason_arg = -1;
	return (int)c->nprobes++;
}

void nt_catalog_free(struct nt_catalog *c)
{
	size_t i;

	for (i = 0; i < c->nprobes; i++)
		free(c->probes[i].name);
	for (i = 0; i < c->ngroups; i++)
		free(c->groups[i].name);
	free(c->probes);
	free(c->groups);
	memset(c, 0, sizeof(*c));
}

int nt_catalog_find(const struct nt_catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nprobes; i++)
		if (!strcmp(c->probes[i].name, name))
			return (int)i;
	if (strchr(name, ':'))
		return -1;
	for (i = 0; i < c->nprobes; i++)
		if (c->probes[i].tp && !strcmp(c->probes[i].tp, name))
			return (int)i;
	return -1;
}

int nt_catalog_find_group(const struct nt_catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].name, name))
			return (int)i;
	return -1;
}

bool nt_catalog_group_within(const struct nt_catalog *c, int g, int anc)
{
	int hops;

	/* The hop limit guards against a parent cycle in a hand-built catalog. */
	for (hops = 0; g >= 0 && (size_t)g < c->ngroups && hops <= (int)c->ngroups; hops++) {
		if (g == anc)
			return true;
		g = c->groups[g].parent;
	}
	return false;
}

/* Sets enabled = @on for what one name of a -t list names. -1 if it names nothing. */
static int apply_name(struct nt_catalog *c, const char *name, bool on)
{
	int g = nt_catalog_find_group(c, name), idx;
	size_t i;

	if (!strcmp(name, "all") || g >= 0) {
		for (i = 0; i < c->nprobes; i++)
			if (g < 0 || nt_catalog_group_within(c, c->probes[i].group, g))
				c->probes[i].enabled = on;
		return 0;
	}
	idx = nt_catalog_find(c, name);
	if (idx < 0)
		return -1;
	c->probes[idx].enabled = on;
	return 0;
}

static int apply_list(struct nt_catalog *c, const char *list, bool on, const char *what,
		      char *err, size_t errlen)
{
	char *copy = strdup(list), *tok, *save, *end;
	int r = 0;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " \t");
		for (end = tok + strlen(tok); end > tok && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		if (!*tok)
			continue;
		r = apply_name(c, tok, on);
		if (r)
			snprintf(err, errlen, "%s: unknown trace group or probe '%s' (see -t ?)",
				 what, tok);
	}
	free(copy);
	return r;
}

int nt_catalog_select(struct nt_catalog *c, const char *spec, const char *exclude, char *err,
		      size_t errlen)
{
	int all_funcs = nt_catalog_find_group(c, NT_CATALOG_ALL_FUNCS);
	struct nt_probe *p;
	size_t i;

	for (i = 0; i < c->nprobes; i++) {
		p = &c->probes[i];
		p->enabled = !spec || !*spec ? !(p->flags & NT_PROBE_OFF) : false;
		if (all_funcs >= 0 && p->group == all_funcs)
			p->enabled = true;
	}
	if ((spec && *spec && apply_list(c, spec, true, "-t", err, errlen)) ||
	    (exclude && *exclude &&
	     apply_list(c, exclude, false, "--trace-exclude", err, errlen))) {
		for (i = 0; i < c->nprobes; i++)
			c->probes[i].enabled = false;
		return -1;
	}
	for (i = 0; i < c->nprobes; i++)
		c->probes[i].enabled &= c->probes[i].available;
	return 0;
}
