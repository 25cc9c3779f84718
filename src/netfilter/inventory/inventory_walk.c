// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the hook inventory of one network namespace: a
 * BPF_PROG_TYPE_SYSCALL program (src/bpf/nf_inventory.bpf.c) walks the kernel's
 * hook arrays, run once with BPF_PROG_RUN from inside the namespace (src/netns);
 * its records get their symbols and owners here. The program and its maps
 * are freed before this returns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "nf_inventory.skel.h"
#include "kernel/ksyms.h"
#include "netfilter/inventory/inventory.h"
#include "netns/netns.h"
#include "util/log.h"

/* enum nf_hook_ops_type (6.4+) */
#define NF_HOOK_OP_NF_TABLES 1
#define NF_HOOK_OP_BPF	     2

/*
 * The symbol at exactly @addr; among aliases one that names an owner. NULL
 * if no symbol starts there.
 */
static const char *exact_sym(const struct nt_ksyms *ks, __u64 addr)
{
	size_t lo = 0, hi = ks->n, mid;
	const char *first = NULL, *name;

	while (lo < hi) { /* the first symbol at or above addr */
		mid = lo + (hi - lo) / 2;
		if (ks->syms[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ks->n && ks->syms[lo].addr == addr; lo++) {
		name = ks->names + ks->syms[lo].name;
		if (nt_hook_classify(name) != NT_OWN_OTHER)
			return name;
		if (!first)
			first = name;
	}
	return first;
}

/* Tells the kernel side which hook functions' priv it may read, and as what. */
static int fill_privs(int fd, const struct nt_ksyms *ks)
{
	enum nt_hook_privkind kind;
	size_t i;
	__u32 v;
	int n = 0;

	for (i = 0; i < ks->n; i++) {
		kind = nt_hook_privkind(nt_hook_classify(ks->names + ks->syms[i].name));
		if (kind == NT_PRIV_NONE)
			continue;
		v = kind;
		if (bpf_map_update_elem(fd, &ks->syms[i].addr, &v, BPF_ANY))
			return -errno;
		n++;
	}
	return n;
}

/* Runs the walk inside the namespace of @path (NULL: our own). */
static int run_in(int prog_fd, const char *path, char *why, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct nt_netns_home home = {.fd = -1};
	int target, err = 0;

	if (path) {
		target = open(path, O_RDONLY | O_CLOEXEC);
		err = target < 0 ? -errno : nt_netns_enter(&home, target);
		if (target >= 0)
			close(target);
		if (err) {
			snprintf(why, len, "entering %s: %s", path, strerror(-err));
			return -1;
		}
	}
	if (bpf_prog_test_run_opts(prog_fd, &run)) {
		snprintf(why, len, "BPF_PROG_RUN: %s", strerror(errno));
		err = -1;
	} else if (run.retval) {
		snprintf(why, len, "the walk found no network namespace");
		err = -1;
	}
	/* Stranded elsewhere, later reads would be wrong: the caller stops (said already). */
	if (nt_netns_return(&home)) {
		snprintf(why, len, "cannot return from %s", path);
		err = -1;
	}
	return err;
}

/* Records -> items with their symbols and owners. */
static int collect(struct nf_inventory_bpf *skel, const struct nt_ksyms *ks, struct nt_hook_inv *inv)
{
	int fd = bpf_map__fd(skel->maps.nt_hook_recs);
	__u32 i, n = skel->bss->nt_hook_nrecs;
	struct nt_hook_item *it;
	const char *sym;

	if (n > NT_HOOK_MAX_RECS)
		n = NT_HOOK_MAX_RECS;
	inv->items = calloc(n ? n : 1, sizeof(*inv->items));
	if (!inv->items)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		it = &inv->items[inv->n];
		if (bpf_map_lookup_elem(fd, &i, &it->rec))
			return -errno;
		sym = exact_sym(ks, it->rec.fn);
		if (sym)
			snprintf(it->sym, sizeof(it->sym), "%s", sym);
		else
			nt_ksyms_format(ks, it->rec.fn, it->sym, sizeof(it->sym));
		it->owner = sym ? nt_hook_classify(sym) : NT_OWN_OTHER;
		/* 6.4+ says who registered it, whatever the function is called. */
		if (it->owner == NT_OWN_OTHER && (it->rec.flags & NT_HR_OPS_TYPE)) {
			if (it->rec.ops_type == NF_HOOK_OP_NF_TABLES)
				it->owner = NT_OWN_NFT;
			else if (it->rec.ops_type == NF_HOOK_OP_BPF)
				it->owner = NT_OWN_BPF;
		}
		inv->n++;
	}
	nt_hooks_sort(inv->items, inv->n);
	return 0;
}

static void add_notes(struct nt_hook_inv *inv, __u32 info, bool have_ksyms)
{
	if (!have_ksyms)
		inv->notes[inv->nnotes++] = "kallsyms unreadable: functions shown as addresses, "
					    "owners and names unknown";
	if (!(info & (NT_HI_FAMILY0 << NT_HF_ARP)))
		inv->notes[inv->nnotes++] = "arp hooks: not in this kernel "
					    "(CONFIG_NETFILTER_FAMILY_ARP)";
	if (!(info & (NT_HI_FAMILY0 << NT_HF_BRIDGE)))
		inv->notes[inv->nnotes++] = "bridge hooks: not in this kernel "
					    "(CONFIG_NETFILTER_FAMILY_BRIDGE)";
	if (info & NT_HI_NO_OPS)
		inv->notes[inv->nnotes++] = "struct nf_hook_ops has no priority here: "
					    "priorities unknown (?)";
	if (info & NT_HI_NO_NAT)
		inv->notes[inv->nnotes++] = "struct nf_nat_lookup_hook_priv is not in this "
					    "kernel's BTF: nat chains not listed";
	if (info & NT_HI_FULL)
		inv->notes[inv->nnotes++] = "more entries than nettrace reads at once: list cut";
}

int nt_hooks_walk(__u32 ino, const char *path, const struct nt_ksyms *syms,
		  struct nt_hook_inv *inv, char *why, size_t len)
{
	struct nf_inventory_bpf *skel = NULL;
	struct nt_ksyms own = {};
	const struct nt_ksyms *ks = syms;
	int err, ret = -1;

	memset(inv, 0, sizeof(*inv));
	inv->netns = ino;
	if (!ks) {
		err = nt_ksyms_load(&own, NULL);
		if (err)
			nt_warn("kallsyms unreadable (%s): hook functions shown as addresses",
				strerror(-err));
		ks = &own;
	}
	skel = nf_inventory_bpf__open_and_load();
	if (!skel) {
		snprintf(why, len, "cannot load the hook walker (BPF_PROG_TYPE_SYSCALL): %s",
			 strerror(errno));
		goto out;
	}
	err = fill_privs(bpf_map__fd(skel->maps.nt_hook_privs), ks);
	if (err < 0)
		nt_warn("hook function table incomplete (%s): some names not read", strerror(-err));
	if (run_in(bpf_program__fd(skel->progs.nt_hooks_walk), path, why, len))
		goto out;
	if (skel->bss->nt_hook_netns != ino) {
		snprintf(why, len, "the hook walk ran in netns %u, not %u",
			 skel->bss->nt_hook_netns, ino);
		goto out;
	}
	err = collect(skel, ks, inv);
	if (err) {
		snprintf(why, len, "cannot read the hook records: %s", strerror(-err));
		goto out;
	}
	add_notes(inv, skel->bss->nt_hook_info, ks->n > 0);
	ret = 0;
out:
	if (ret)
		nt_hooks_inv_free(inv);
	nf_inventory_bpf__destroy(skel);
	nt_ksyms_free(&own);
	return ret;
}

void nt_hooks_inv_free(struct nt_hook_inv *inv)
{
	free(inv->items);
	inv->items = NULL;
	inv->n = 0;
}
