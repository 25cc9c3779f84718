// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "kernel/tracepoints.h"

static const struct btf_type *tp_proto(const struct btf *btf, const char *name)
{
	const struct btf_type *t;
	char tname[128];
	int id;

	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	id = btf__find_by_name_kind(btf, tname, BTF_KIND_TYPEDEF);
	if (id < 0)
		return NULL;
	t = btf__type_by_id(btf, id);
	t = btf__type_by_id(btf, t->type); /* pointer */
	if (!t || !btf_is_ptr(t))
		return NULL;
	t = btf__type_by_id(btf, t->type);
	return t && btf_is_func_proto(t) ? t : NULL;
}

int nt_tp_nargs(const struct btf *btf, const char *name)
{
	const struct btf_type *t = tp_proto(btf, name);

	return t ? (int)btf_vlen(t) - 1 : -1;
}

int nt_tp_arg_of(const struct btf *btf, const char *name, const char *type)
{
	const struct btf_type *t = tp_proto(btf, name), *a;
	const struct btf_param *p;
	__u16 i;

	if (!t)
		return -1;
	p = btf_params(t);
	for (i = 1; i < btf_vlen(t); i++) {
		a = btf__type_by_id(btf, p[i].type);
		while (a && (btf_is_mod(a) || btf_is_typedef(a)))
			a = btf__type_by_id(btf, a->type);
		if (!a || !btf_is_ptr(a))
			continue;
		a = btf__type_by_id(btf, a->type);
		while (a && (btf_is_mod(a) || btf_is_typedef(a)))
			a = btf__type_by_id(btf, a->type);
		if (a && btf_is_struct(a) && !strcmp(btf__name_by_offset(btf, a->name_off), type))
			return i - 1;
	}
	return -1;
}
