// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/ksyms.h"
#include "util/array.h"

static int cmp_addr(const void *a, const void *b)
{
	const struct nt_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * "ADDR TYPE NAME[\t[MODULE]]": the address and the name (from @line, ended
 * in place). False for anything else. By hand: sscanf was a fifth of the
 * start-up's user time on ~200k lines (and far more under emulation).
 */
static bool parse_line(char *line, unsigned long long *addr, char **name)
{
	char *p = line, *end;

	*addr = strtoull(p, &end, 16);
	if (end == p || *end != ' ' || !end[1] || end[2] != ' ')
		return false;
	p = end + 3;
	end = p + strcspn(p, " \t\n");
	if (end == p)
		return false;
	*end = '\0';
	*name = p;
	return true;
}

int nt_ksyms_load(struct nt_ksyms *ks, const char *path)
{
	size_t cap = 0, names_cap = 0, len;
	unsigned long long addr;
	char line[512], *name;
	FILE *f;
	int err = 0;

	memset(ks, 0, sizeof(*ks));
	f = fopen(path ? path : "/proc/kallsyms", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!parse_line(line, &addr, &name) || !addr)
			continue;
		len = strlen(name) + 1;
		err = nt_grow((void **)&ks->syms, &cap, ks->n + 1, sizeof(*ks->syms));
		if (!err)
			err = nt_grow((void **)&ks->names, &names_cap, ks->names_len + len, 1);
		if (err)
			break;
		memcpy(ks->names + ks->names_len, name, len);
		ks->syms[ks->n].addr = addr;
		ks->syms[ks->n].name = ks->names_len;
		ks->names_len += len;
		ks->n++;
	}
	fclose(f);
	if (!err && !ks->n)
		err = -ENOENT; /* unreadable or all zero (kptr_restrict) */
	if (err) {
		nt_ksyms_free(ks);
		return err;
	}
	qsort(ks->syms, ks->n, sizeof(*ks->syms), cmp_addr);
	return 0;
}

void nt_ksyms_free(struct nt_ksyms *ks)
{
	free(ks->syms);
	free(ks->names);
	memset(ks, 0, sizeof(*ks));
}

const char *nt_ksyms_find(const struct nt_ksyms *ks, __u64 addr, __u64 *off)
{
	size_t lo = 0, hi = ks->n, mid;

	if (!ks->n || addr < ks->syms[0].addr)
		return NULL;
	/* The last symbol at or below addr. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (ks->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*off = addr - ks->syms[lo].addr;
	return ks->names + ks->syms[lo].name;
}

void nt_ksyms_format(const struct nt_ksyms *ks, __u64 addr, char *buf, size_t len)
{
	const char *name;
	__u64 off;

	name = ks ? nt_ksyms_find(ks, addr, &off) : NULL;
	if (name)
		snprintf(buf, len, "%s+0x%llx", name, (unsigned long long)off);
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)addr);
}

__u64 nt_ksyms_addr(const struct nt_ksyms *ks, const char *name)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		if (!strcmp(ks->names + ks->syms[i].name, name))
			return ks->syms[i].addr;
	return 0;
}
