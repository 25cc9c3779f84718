// SPDX-License-Identifier: GPL-2.0
/* The trace catalog against the running kernel: BTF prototypes, kallsyms, --all-funcs. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "catalog/catalog.h"
#include "kernel/ksyms.h"
#include "util/strset.h"

struct name_id {
	const char *name;
	__u32 id;
};

/* BTF FUNCs and btf_trace_<tp> typedefs by name, sorted for bsearch
 * (btf__find_by_name_kind() is a linear scan), and the kallsyms names in a
 * hash set (sorting ~200k names was a third of the start-up's user time). */
struct index {
	struct name_id *funcs, *tps;
	size_t nfuncs, ntps;
	struct nt_strset syms; /* empty (no slots): no kallsyms check */
};

#define TP_PREFIX "btf_trace_"

static int cmp_name_id(const void *a, const void *b)
{
	const struct name_id *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->id > y->id) - (x->id < y->id);
}

static void index_free(struct index *ix)
{
	free(ix->funcs);
	free(ix->tps);
	nt_strset_free(&ix->syms);
	memset(ix, 0, sizeof(*ix));
}

static int index_build(struct index *ix, const struct btf *btf, const struct nt_ksyms *ks)
{
	__u32 id, n = btf ? btf__type_cnt(btf) : 0;
	const struct btf_type *t;
	const char *name;
	size_t i;

	memset(ix, 0, sizeof(*ix));
	ix->funcs = calloc(n + 1, sizeof(*ix->funcs));
	ix->tps = calloc(n + 1, sizeof(*ix->tps));
	if (!ix->funcs || !ix->tps)
		goto nomem;
	for (id = 1; id < n; id++) {
		t = btf__type_by_id(btf, id);
		name = btf__name_by_offset(btf, t->name_off);
		if (!name)
			continue;
		if (btf_is_func(t))
			ix->funcs[ix->nfuncs++] = (struct name_id){ name, id };
		else if (btf_is_typedef(t) && !strncmp(name, TP_PREFIX, strlen(TP_PREFIX)))
			ix->tps[ix->ntps++] = (struct name_id){ name + strlen(TP_PREFIX), id };
	}
	qsort(ix->funcs, ix->nfuncs, sizeof(*ix->funcs), cmp_name_id);
	qsort(ix->tps, ix->ntps, sizeof(*ix->tps), cmp_name_id);
	if (ks) {
		if (nt_strset_init(&ix->syms, ks->n))
			goto nomem;
		for (i = 0; i < ks->n; i++)
			nt_strset_add(&ix->syms, ks->names + ks->syms[i].name);
	}
	return 0;
nomem:
	index_free(ix);
	return -1;
}

/* The id of the first (lowest id) entry named @name, or 0. */
static __u32 find_id(const struct name_id *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].name, name) ? v[lo].id : 0;
}

static bool in_kallsyms(const struct index *ix, const char *name)
{
	return !ix->syms.slots || nt_strset_has(&ix->syms, name);
}

static const struct btf_type *skip_mods(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	return t;
}

/* Is type @id a pointer to struct @name (qualifiers and typedefs on either side allowed)? */
static bool is_struct_ptr(const struct btf *btf, __u32 id, const char *name)
{
	const struct btf_type *t = skip_mods(btf, id);

	if (!t || !btf_is_ptr(t))
		return false;
	t = skip_mods(btf, t->type);
	return t && btf_is_struct(t) && !strcmp(btf__name_by_offset(btf, t->name_off), name);
}

/* Is type @id the enum @name (through typedefs and qualifiers)? */
static bool is_enum(const struct btf *btf, __u32 id, const char *name)
{
	const struct btf_type *t = skip_mods(btf, id);

	return t && btf_is_enum(t) && !strcmp(btf__name_by_offset(btf, t->name_off), name);
}

/* Arguments of @proto, not counting the variadic marker. */
static int proto_nargs(const struct btf_type *proto)
{
	int n = btf_vlen(proto);

	if (n && !btf_params(proto)[n - 1].type)
		n--;
	return n;
}

/* Finds or checks p->arg among the params of @proto from @first on (tracepoints: 1, past the
 * ctx). A static reason string on failure, NULL on success. */
static const char *resolve_arg(struct nt_probe *p, const struct btf *btf,
			       const struct btf_type *proto, int first)
{
	const char *type = p->flags & NT_PROBE_SK ? "sock" : "sk_buff";
	const struct btf_param *par = btf_params(proto);
	int n = proto_nargs(proto), i;

	p->nargs = n - first;
	p->reason_arg = -1;
	for (i = first; i < n; i++) {
		if (is_enum(btf, par[i].type, "skb_drop_reason")) {
			p->reason_arg = i - first;
			break;
		}
	}
	if (p->arg_spec >= 0) {
		if (p->arg_spec + first >= n)
			return NT_WHY_BAD_POS;
		if (!is_struct_ptr(btf, par[p->arg_spec + first].type, type))
			return p->flags & NT_PROBE_SK ? NT_WHY_BAD_SK : NT_WHY_BAD_SKB;
		p->arg = p->arg_spec;
		return NULL;
	}
	for (i = first; i < n; i++) {
		if (is_struct_ptr(btf, par[i].type, type)) {
			p->arg = i - first;
			return NULL;
		}
	}
	return p->flags & NT_PROBE_SK ? NT_WHY_NO_SK : NT_WHY_NO_SKB;
}

static const char *resolve_func(struct nt_probe *p, const struct btf *btf, const struct index *ix)
{
	const struct btf_type *t, *proto;
	const char *why;
	__u32 id = find_id(ix->funcs, ix->nfuncs, p->name);

	if (!id)
		return NT_WHY_NO_BTF;
	t = btf__type_by_id(btf, id);
	proto = btf__type_by_id(btf, t->type);
	if (!proto || !btf_is_func_proto(proto))
		return NT_WHY_NO_PROTO;
	p->btf_id = id;
	p->ret_void = proto->type == 0;
	why = resolve_arg(p, btf, proto, 0);
	if (why)
		return why;
	return in_kallsyms(ix, p->name) ? NULL : NT_WHY_NO_KSYM;
}

static const char *resolve_tp(struct nt_probe *p, const struct btf *btf, const struct index *ix)
{
	const struct btf_type *t;
	__u32 id = find_id(ix->tps, ix->ntps, p->tp);

	if (!id)
		return NT_WHY_NO_BTF;
	t = skip_mods(btf, btf__type_by_id(btf, id)->type);
	if (t && btf_is_ptr(t))
		t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t) || !btf_vlen(t))
		return NT_WHY_NO_PROTO;
	p->btf_id = id;
	p->ret_void = true;
	return resolve_arg(p, btf, t, 1);
}

static void resolve_one(struct nt_probe *p, const struct btf *btf, const struct index *ix)
{
	p->arg = p->arg_spec;
	p->btf_id = 0;
	p->nargs = 0;
	p->ret_void = false;
	p->why = p->kind == NT_PROBE_TP ? resolve_tp(p, btf, ix) : resolve_func(p, btf, ix);
	if (!p->why && (p->flags & NT_PROBE_SK))
		p->why = NT_WHY_SK_ONLY;
	p->available = !p->why;
	if (!p->available)
		p->enabled = false;
}

void nt_catalog_resolve(struct nt_catalog *c, const struct btf *btf, const struct nt_ksyms *ks)
{
	struct index ix;
	size_t i;
	int r = index_build(&ix, btf, ks);

	for (i = 0; i < c->nprobes; i++) {
		if (r) {
			c->probes[i].available = c->probes[i].enabled = false;
			c->probes[i].why = NT_WHY_NOMEM;
		} else {
			resolve_one(&c->probes[i], btf, &ix);
		}
	}
	index_free(&ix);
}

/* Tracing machinery that takes an skb but is no place to trace a packet. */
static bool machinery(const char *name)
{
	static const char *const prefixes[] = {
		"__traceiter_", "__probestub_", "__bpf_trace_", "perf_trace_",
		"trace_event_raw_event_",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static bool catalog_has_func(const struct nt_catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nprobes; i++)
		if (c->probes[i].kind == NT_PROBE_FUNC && !strcmp(c->probes[i].name, name))
			return true;
	return false;
}

int nt_catalog_add_all_funcs(struct nt_catalog *c, const struct btf *btf,
			     const struct nt_ksyms *ks, const char *regex, char *err,
			     size_t errlen)
{
	struct nt_probe probe = { .arg_spec = -1 };
	bool use_re = regex && *regex;
	int group = -1, added = 0, idx, r;
	const struct btf_type *proto;
	struct index ix;
	regex_t re;
	size_t i;

	if (use_re && (r = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB))) {
		char msg[128];

		regerror(r, &re, msg, sizeof(msg));
		snprintf(err, errlen, "bad regular expression '%s': %s", regex, msg);
		return -1;
	}
	if (index_build(&ix, btf, ks)) {
		snprintf(err, errlen, "out of memory");
		added = -1;
		goto out;
	}
	for (i = 0; i < ix.nfuncs; i++) {
		const char *name = ix.funcs[i].name;

		if (i && !strcmp(name, ix.funcs[i - 1].name))
			continue; /* only the first FUNC of a name */
		if (machinery(name) || (use_re && regexec(&re, name, 0, NULL, 0)))
			continue;
		proto = btf__type_by_id(btf, btf__type_by_id(btf, ix.funcs[i].id)->type);
		if (!proto || !btf_is_func_proto(proto))
			continue;
		probe.flags = 0;
		if (resolve_arg(&probe, btf, proto, 0) || !in_kallsyms(&ix, name) ||
		    catalog_has_func(c, name))
			continue;
		if (group < 0)
			group = nt_catalog_find_group(c, NT_CATALOG_ALL_FUNCS);
		if (group < 0)
			group = nt_catalog_add_group(c, NT_CATALOG_ALL_FUNCS, -1);
		idx = group < 0 ? -1 : nt_catalog_add_probe(c, name, NT_PROBE_FUNC, group);
		if (idx < 0) {
			snprintf(err, errlen, "out of memory");
			added = -1;
			break;
		}
		resolve_one(&c->probes[idx], btf, &ix);
		c->probes[idx].enabled = c->probes[idx].available;
		added++;
	}
	index_free(&ix);
out:
	if (use_re)
		regfree(&re);
	return added;
}
