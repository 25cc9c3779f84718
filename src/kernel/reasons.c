// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kernel/reasons.h"

#define SUBSYS_SHIFT 16

static const char *strip(const char *name, const char *const *prefixes)
{
	size_t n;

	for (; *prefixes; prefixes++) {
		n = strlen(*prefixes);
		if (!strncmp(name, *prefixes, n))
			return name + n;
	}
	return name;
}

/* Appends the enumerators of BTF type @t to *vals. */
static int add_enum(const struct btf *btf, const struct btf_type *t, const char *const *prefixes,
		    struct nt_enum_val **vals, size_t *n)
{
	const struct btf_enum *e = btf_enum(t);
	__u16 i, cnt = btf_vlen(t);
	struct nt_enum_val *v;
	const char *name;

	if (!cnt) /* a declaration (enum x;): realloc to 0 bytes would free *vals */
		return 0;
	v = realloc(*vals, (*n + cnt) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	*vals = v;
	for (i = 0; i < cnt; i++, e++) {
		name = btf__name_by_offset(btf, e->name_off);
		if (!name) /* its name is past the strings: a broken BTF */
			continue;
		v[*n].value = (__u32)e->val;
		v[*n].name = strip(name, prefixes);
		(*n)++;
	}
	return 0;
}

int nt_reasons_load(struct nt_reasons *r, const struct btf *btf)
{
	static const char *const core_prefix[] = { "SKB_DROP_REASON_", "SKB_", NULL };
	static const char *const subsys_prefix[] = { "SKB_DROP_REASON_SUBSYS_", NULL };
	static const char *const none[] = { NULL };
	const struct btf_type *t;
	const char *name;
	__u32 id, cnt;
	int err = 0;

	memset(r, 0, sizeof(*r));
	cnt = btf__type_cnt(btf);
	for (id = 1; id < cnt && !err; id++) {
		t = btf__type_by_id(btf, id);
		if (!btf_is_enum(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || !strstr(name, "drop_reason"))
			continue;
		if (!strcmp(name, "skb_drop_reason"))
			err = add_enum(btf, t, core_prefix, &r->core, &r->ncore);
		else if (!strcmp(name, "skb_drop_reason_subsys"))
			err = add_enum(btf, t, subsys_prefix, &r->subsys, &r->nsubsys);
		else
			err = add_enum(btf, t, none, &r->sub, &r->nsub);
	}
	if (!err && !r->ncore)
		err = -ENOENT;
	if (err)
		nt_reasons_free(r);
	return err;
}

void nt_reasons_free(struct nt_reasons *r)
{
	free(r->core);
	free(r->subsys);
	free(r->sub);
	memset(r, 0, sizeof(*r));
}

static const char *find(const struct nt_enum_val *v, size_t n, __u32 value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].value == value)
			return v[i].name;
	return NULL;
}

long nt_reason_value(const struct nt_reasons *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncore; i++)
		if (!strcmp(r->core[i].name, name))
			return r->core[i].value;
	return -1;
}

void nt_reason_format(const struct nt_reasons *r, __u32 value, char *buf, size_t len)
{
	__u32 subsys = value >> SUBSYS_SHIFT;
	const char *name, *sname;

	if (!subsys) {
		name = find(r->core, r->ncore, value);
		if (name)
			snprintf(buf, len, "%s", name);
		else
			snprintf(buf, len, "UNKNOWN(%u)", value);
		return;
	}
	sname = find(r->subsys, r->nsubsys, subsys);
	name = find(r->sub, r->nsub, value);
	if (sname && name)
		snprintf(buf, len, "%s/%s", sname, name);
	else if (sname)
		snprintf(buf, len, "%s/0x%x", sname, value & 0xffff);
	else
		snprintf(buf, len, "SUBSYS_%u/0x%x", subsys, value & 0xffff);
}
