// SPDX-License-Identifier: GPL-2.0
/* The trace catalog as a tree (-t ?), in text and in JSON. */
#include <stdio.h>
#include "catalog/catalog.h"
#include "output/catalog.h"
#include "output/json.h"

static int group_depth(const struct nt_catalog *c, int g)
{
	int d = 0;

	while (g >= 0 && (size_t)g < c->ngroups && d <= (int)c->ngroups) {
		g = c->groups[g].parent;
		d++;
	}
	return d;
}

static void print_probe(const struct nt_probe *p, int indent, FILE *f)
{
	static const char *const rets[] = { "", " ret=errno", " ret=verdict", " ret=netdev_tx",
					    " ret=net_rx", " ret=ptr", " ret=bool" };
	const char *mark = !p->available ? "[-]" : p->enabled ? "[x]" : "[ ]";

	fprintf(f, "%*s%s %-4s %s", indent, "", mark, p->kind == NT_PROBE_TP ? "tp" : "func",
		p->name);
	if (p->arg_spec >= 0)
		fprintf(f, " %s=%d", p->flags & NT_PROBE_SK ? "sk" : "skb", p->arg_spec);
	else if (p->flags & NT_PROBE_SK)
		fputs(" sk", f);
	if (p->flags & NT_PROBE_OFF)
		fputs(" off", f);
	if (p->flags & NT_PROBE_FREE)
		fputs(" free", f);
	if (p->flags & NT_PROBE_CLONE)
		fputs(" clone", f);
	if ((unsigned int)p->ret < sizeof(rets) / sizeof(rets[0]))
		fputs(rets[p->ret], f);
	if (!p->available)
		fprintf(f, ": %s", p->why ? p->why : "not resolved");
	fputc('\n', f);
}

void nt_catalog_print_tree(const struct nt_catalog *c, FILE *f)
{
	size_t g, i, avail = 0, enabled = 0;
	int depth;

	for (g = 0; g < c->ngroups; g++) {
		depth = group_depth(c, (int)g);
		fprintf(f, "%*s%s\n", 2 * (depth - 1), "", c->groups[g].name);
		for (i = 0; i < c->nprobes; i++)
			if (c->probes[i].group == (int)g)
				print_probe(&c->probes[i], 2 * depth, f);
	}
	for (i = 0; i < c->nprobes; i++) {
		avail += c->probes[i].available;
		enabled += c->probes[i].enabled;
	}
	fprintf(f, "%zu of %zu probes available, %zu enabled\n", avail, c->nprobes, enabled);
}

static const char *state(const struct nt_probe *p)
{
	return !p->available ? "unavailable" : p->enabled ? "enabled" : "available";
}

void nt_catalog_print_json(const struct nt_catalog *c, FILE *f)
{
	size_t g, i, avail = 0, enabled = 0;
	struct json j;

	json_begin(&j, f);
	json_arr_open(&j, "groups");
	for (g = 0; g < c->ngroups; g++) {
		json_obj_open(&j, NULL);
		json_str(&j, "name", c->groups[g].name);
		json_int(&j, "depth", group_depth(c, (int)g));
		json_arr_open(&j, "probes");
		for (i = 0; i < c->nprobes; i++) {
			const struct nt_probe *p = &c->probes[i];

			if (p->group != (int)g)
				continue;
			json_obj_open(&j, NULL);
			json_str(&j, "name", p->name);
			json_str(&j, "kind", p->kind == NT_PROBE_TP ? "tp" : "func");
			json_str(&j, "state", state(p));
			if (!p->available)
				json_str(&j, "why", p->why ? p->why : "not resolved");
			json_close(&j, '}');
		}
		json_close(&j, ']');
		json_close(&j, '}');
	}
	json_close(&j, ']');
	for (i = 0; i < c->nprobes; i++) {
		avail += c->probes[i].available;
		enabled += c->probes[i].enabled;
	}
	json_uint(&j, "probes", c->nprobes);
	json_uint(&j, "available", avail);
	json_uint(&j, "enabled", enabled);
	json_end(&j);
}
