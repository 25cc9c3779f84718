// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hook inventory (--hooks): a BPF_PROG_TYPE_SYSCALL program,
 * run once with BPF_PROG_RUN, walks the calling task's network namespace:
 * net->nf.hooks_{ipv4,ipv6,arp,bridge}[hook] -> struct nf_hook_entries.
 *
 * In memory (include/linux/netfilter.h, nf_hook_entries_get_hook_ops()):
 *	u16 num_hook_entries;
 *	struct nf_hook_entry hooks[num_hook_entries];   (hook, priv)
 *	const struct nf_hook_ops *orig_ops[num_hook_entries];
 * The ops give the priority (and hook_ops_type, 6.4+). What priv points to
 * depends on the hook function; the user side says which, by address, in
 * nt_hook_privs. nat entries (nf_nat_ipv4_* / nf_nat_ipv6_*) have a
 * struct nf_nat_lookup_hook_priv whose nested nf_hook_entries hold the nat
 * chains; they are written right after their nat entry, with depth 1.
 *
 * Everything is read with bpf_probe_read_kernel (CO-RE), every loop is a
 * bounded bpf_loop, and every struct that a kernel may lack (modules,
 * config) is read only behind a CO-RE existence check.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "record/inventory.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NT_HOOK_MAX_RECS);
	__type(key, __u32);
	__type(value, struct nt_hook_rec);
} nt_hook_recs SEC(".maps");

/* Hook function address -> enum nt_hook_privkind, filled by the user side. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NT_HOOK_MAX_PRIVS);
	__type(key, __u64);
	__type(value, __u32);
} nt_hook_privs SEC(".maps");

__u32 nt_hook_nrecs = 0;
__u32 nt_hook_info = 0;  /* enum nt_hook_info_bits */
__u32 nt_hook_netns = 0; /* inode of the namespace walked */

struct walk {
	void *entries; /* struct nf_hook_entries * */
	__u32 n;       /* num_hook_entries */
	__u32 limit;   /* entries read */
	__u8 family, hook, depth;
};

struct slots {
	struct net *net;
};

/* The family's hook array in struct netns_nf, and its length; NULL if the kernel has none. */
static __always_inline void *hook_array(struct net *net, __u32 family, __u32 *count)
{
	switch (family) {
	case NT_HF_IPV4:
		*count = bpf_core_field_size(struct net, nf.hooks_ipv4) / sizeof(void *);
		return (void *)net + bpf_core_field_offset(struct net, nf.hooks_ipv4);
	case NT_HF_IPV6:
		if (!bpf_core_field_exists(struct net, nf.hooks_ipv6))
			return NULL;
		*count = bpf_core_field_size(struct net, nf.hooks_ipv6) / sizeof(void *);
		return (void *)net + bpf_core_field_offset(struct net, nf.hooks_ipv6);
	case NT_HF_ARP:
		if (!bpf_core_field_exists(struct net, nf.hooks_arp))
			return NULL;
		*count = bpf_core_field_size(struct net, nf.hooks_arp) / sizeof(void *);
		return (void *)net + bpf_core_field_offset(struct net, nf.hooks_arp);
	case NT_HF_BRIDGE:
		if (!bpf_core_field_exists(struct net, nf.hooks_bridge))
			return NULL;
		*count = bpf_core_field_size(struct net, nf.hooks_bridge) / sizeof(void *);
		return (void *)net + bpf_core_field_offset(struct net, nf.hooks_bridge);
	}
	return NULL;
}

static __always_inline void read_nft_chain(struct nt_hook_rec *r)
{
	struct nft_chain *c = (void *)(unsigned long)r->priv;
	struct nft_table *t;
	const char *name;

	if (!bpf_core_type_exists(struct nft_chain) || !bpf_core_type_exists(struct nft_table)) {
		r->flags |= NT_HR_NO_TYPE;
		return;
	}
	name = BPF_CORE_READ(c, name);
	bpf_probe_read_kernel_str(r->chain, sizeof(r->chain), name);
	t = BPF_CORE_READ(c, table);
	name = BPF_CORE_READ(t, name);
	bpf_probe_read_kernel_str(r->table, sizeof(r->table), name);
	r->nft_family = BPF_CORE_READ_BITFIELD_PROBED(t, family);
	r->flags |= NT_HR_NAMES | NT_HR_NFT_FAMILY;
}

static __always_inline void read_xt_table(struct nt_hook_rec *r)
{
	if (!bpf_core_type_exists(struct xt_table)) {
		r->flags |= NT_HR_NO_TYPE;
		return;
	}
	bpf_probe_read_kernel_str(r->table, sizeof(r->table),
				  (void *)r->priv + bpf_core_field_offset(struct xt_table, name));
	r->flags |= NT_HR_NAMES;
}

static __always_inline void read_bpf_prog(struct nt_hook_rec *r, struct nf_hook_ops *ops)
{
	struct bpf_prog *p = (void *)(unsigned long)r->priv;
	struct bpf_prog_aux *aux = BPF_CORE_READ(p, aux);
	struct bpf_nf_link *l;

	if (!aux)
		return;
	r->prog_id = BPF_CORE_READ(aux, id);
	bpf_probe_read_kernel_str(r->table, sizeof(r->table),
				  (void *)aux + bpf_core_field_offset(struct bpf_prog_aux, name));
	r->flags |= NT_HR_NAMES | NT_HR_PROG_ID;
	/* The registered ops are the link's own hook_ops (net/netfilter/nf_bpf_link.c). */
	if (bpf_core_type_exists(struct bpf_nf_link) && ops) {
		l = (void *)ops - bpf_core_field_offset(struct bpf_nf_link, hook_ops);
		r->link_id = BPF_CORE_READ(l, link.id);
		r->flags |= NT_HR_LINK_ID;
	}
}

/* Writes entry @i of @w as the next record; returns the nested entries of a nat entry. */
static __always_inline void *one_entry(struct walk *w, __u32 i)
{
	__u32 hooks_off = bpf_core_field_offset(struct nf_hook_entries, hooks);
	__u32 esize = bpf_core_type_size(struct nf_hook_entry);
	struct nf_hook_entry *ent = w->entries + hooks_off + i * esize;
	void *opsv = w->entries + hooks_off + w->n * esize;
	struct nf_hook_ops *ops = NULL;
	struct nt_hook_rec *r;
	__u32 idx = nt_hook_nrecs, *kind;
	struct nf_nat_lookup_hook_priv *natp;
	void *nested = NULL;

	if (idx >= NT_HOOK_MAX_RECS) {
		nt_hook_info |= NT_HI_FULL;
		return NULL;
	}
	r = bpf_map_lookup_elem(&nt_hook_recs, &idx);
	if (!r)
		return NULL;
	__builtin_memset(r, 0, sizeof(*r));
	nt_hook_nrecs = idx + 1;
	r->family = w->family;
	r->hook = w->hook;
	r->depth = w->depth;
	r->nentries = w->n;
	if (i + 1 == w->limit && w->n > w->limit)
		r->flags |= NT_HR_TRUNCATED;
	r->fn = (__u64)BPF_CORE_READ(ent, hook);
	r->priv = (__u64)BPF_CORE_READ(ent, priv);
	bpf_probe_read_kernel(&ops, sizeof(ops), opsv + i * sizeof(void *));
	if (ops) {
		if (bpf_core_field_exists(ops->priority)) {
			r->priority = BPF_CORE_READ(ops, priority);
			r->flags |= NT_HR_PRIORITY;
		} else {
			nt_hook_info |= NT_HI_NO_OPS;
		}
		if (bpf_core_field_exists(ops->hook_ops_type)) {
			r->ops_type = BPF_CORE_READ_BITFIELD_PROBED(ops, hook_ops_type);
			r->flags |= NT_HR_OPS_TYPE;
		}
	}
	kind = bpf_map_lookup_elem(&nt_hook_privs, &r->fn);
	if (!kind || !r->priv)
		return NULL;
	switch (*kind) {
	case NT_PRIV_NFT_CHAIN:
		read_nft_chain(r);
		break;
	case NT_PRIV_XT_TABLE:
		read_xt_table(r);
		break;
	case NT_PRIV_BPF_PROG:
		read_bpf_prog(r, ops);
		break;
	case NT_PRIV_NAT:
		if (!bpf_core_type_exists(struct nf_nat_lookup_hook_priv)) {
			nt_hook_info |= NT_HI_NO_NAT;
			r->flags |= NT_HR_NO_TYPE;
			break;
		}
		natp = (void *)(unsigned long)r->priv;
		nested = BPF_CORE_READ(natp, entries);
		if (nested)
			r->flags |= NT_HR_NESTED;
		break;
	}
	return nested;
}

static long nested_cb(__u32 i, void *ctx)
{
	one_entry(ctx, i);
	return 0;
}

static long entry_cb(__u32 i, void *ctx)
{
	struct walk *w = ctx, nw = {};
	void *nested = one_entry(w, i);
	__u16 n;

	if (!nested)
		return 0;
	n = BPF_CORE_READ((struct nf_hook_entries *)nested, num_hook_entries);
	nw.entries = nested;
	nw.n = n;
	nw.limit = n < NT_HOOK_MAX_NESTED ? n : NT_HOOK_MAX_NESTED;
	nw.family = w->family;
	nw.hook = w->hook;
	nw.depth = 1;
	bpf_loop(nw.limit, nested_cb, &nw, 0);
	return 0;
}

static long slot_cb(__u32 idx, void *ctx)
{
	struct slots *s = ctx;
	__u32 family = idx / NT_HOOK_SLOTS, hook = idx % NT_HOOK_SLOTS, count = 0;
	struct walk w = {};
	void *arr, *entries = NULL;
	__u16 n;

	arr = hook_array(s->net, family, &count);
	if (!arr)
		return 0;
	nt_hook_info |= NT_HI_FAMILY0 << family;
	if (hook >= count)
		return 0;
	bpf_probe_read_kernel(&entries, sizeof(entries), arr + hook * sizeof(void *));
	if (!entries)
		return 0;
	n = BPF_CORE_READ((struct nf_hook_entries *)entries, num_hook_entries);
	w.entries = entries;
	w.n = n;
	w.limit = n < NT_HOOK_MAX_ENTRIES ? n : NT_HOOK_MAX_ENTRIES;
	w.family = family;
	w.hook = hook;
	bpf_loop(w.limit, entry_cb, &w, 0);
	return 0;
}

SEC("syscall")
int nt_hooks_walk(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct slots s = {};
	struct net *net;

	net = BPF_CORE_READ(task, nsproxy, net_ns);
	if (!net)
		return 1;
	s.net = net;
	nt_hook_netns = BPF_CORE_READ(net, ns.inum);
	nt_hook_nrecs = 0;
	nt_hook_info = NT_HI_RAN;
	bpf_loop(NT_HF_N * NT_HOOK_SLOTS, slot_cb, &s, 0);
	return 0;
}
