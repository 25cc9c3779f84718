// SPDX-License-Identifier: GPL-2.0
/* The netfilter hook inventory: classification, names and ordering (pure). */
#include <stdlib.h>
#include <string.h>
#include "netfilter/inventory/inventory.h"
#include "util/strbuf.h"

static bool prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/*
 * Patterns, separated by spaces: one ending in '*' matches by prefix, any
 * other exactly.
 */
static bool matches_any(const char *sym, const char *pats)
{
	size_t len, slen = strlen(sym);
	const char *p = pats;

	while (*p) {
		len = strcspn(p, " ");
		if (len && p[len - 1] == '*' ? !strncmp(sym, p, len - 1)
					     : len == slen && !strncmp(sym, p, len))
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

static const char defrag_syms[] = "ipv4_conntrack_defrag ipv6_defrag nf_defrag* nf_ct_frag*";
static const char conntrack_syms[] = "ipv4_conntrack_* ipv6_conntrack_* nf_confirm ipv4_confirm "
				     "ipv6_confirm ipv4_helper ipv6_helper nf_ct_bridge_* "
				     "nf_conntrack_*";
static const char nft_syms[] = "nft_do_chain* nft_nat_do_chain* nf_route_table_hook*";
static const char xt_syms[] = "ipt_* iptable_* ip6t_* ip6table_* arpt_* arptable_* ebt_* "
			      "ebtable_*";
static const char nat_syms[] = "nf_nat_ipv4_* nf_nat_ipv6_* nf_nat_inet_*";
static const char lsm_syms[] = "selinux_* apparmor_* smack_*";
static const char brnf_syms[] = "br_nf_* ip_sabotage_in";

enum nt_hook_owner nt_hook_classify(const char *sym)
{
	if (!sym || !*sym)
		return NT_OWN_OTHER;
	if (matches_any(sym, nft_syms))
		return NT_OWN_NFT;
	if (matches_any(sym, xt_syms))
		return NT_OWN_XT;
	if (!strcmp(sym, "nf_hook_run_bpf"))
		return NT_OWN_BPF;
	/* Before conntrack: ipv4_conntrack_defrag would match ipv4_conntrack_*. */
	if (matches_any(sym, defrag_syms))
		return NT_OWN_DEFRAG;
	if (matches_any(sym, conntrack_syms))
		return NT_OWN_CONNTRACK;
	if (matches_any(sym, nat_syms))
		return NT_OWN_NAT;
	if (matches_any(sym, lsm_syms))
		return NT_OWN_LSM;
	if (matches_any(sym, brnf_syms))
		return NT_OWN_BRNF;
	if (prefix(sym, "ip_vs_"))
		return NT_OWN_IPVS;
	return NT_OWN_OTHER;
}

const char *nt_hook_owner_name(enum nt_hook_owner o)
{
	static const char *const names[] = {
		[NT_OWN_OTHER] = "other",
		[NT_OWN_NFT] = "nft",
		[NT_OWN_XT] = "iptables-legacy",
		[NT_OWN_BPF] = "bpf",
		[NT_OWN_CONNTRACK] = "conntrack",
		[NT_OWN_DEFRAG] = "defrag",
		[NT_OWN_NAT] = "nat",
		[NT_OWN_LSM] = "lsm",
		[NT_OWN_BRNF] = "br_netfilter",
		[NT_OWN_IPVS] = "ipvs",
	};

	return (unsigned int)o < sizeof(names) / sizeof(names[0]) ? names[o] : "other";
}

enum nt_hook_privkind nt_hook_privkind(enum nt_hook_owner o)
{
	switch (o) {
	case NT_OWN_NFT:
		return NT_PRIV_NFT_CHAIN;
	case NT_OWN_XT:
		return NT_PRIV_XT_TABLE;
	case NT_OWN_BPF:
		return NT_PRIV_BPF_PROG;
	case NT_OWN_NAT:
		return NT_PRIV_NAT;
	default:
		return NT_PRIV_NONE;
	}
}

const char *nt_hook_family_name(unsigned int family)
{
	static const char *const names[] = {"ipv4", "ipv6", "arp", "bridge"};

	return family < NT_HF_N ? names[family] : "?";
}

const char *nt_hook_point_name(unsigned int family, unsigned int hook)
{
	static const char *const inet[] = {"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT",
					   "POST_ROUTING"};
	static const char *const arp[] = {"IN", "OUT", "FORWARD"};

	if (family == NT_HF_ARP)
		return hook < 3 ? arp[hook] : "?";
	return hook < 5 ? inet[hook] : "?";
}

const char *nt_hooks_nfproto_name(unsigned int nfproto)
{
	switch (nfproto) {
	case 1:
		return "inet";
	case 2:
		return "ip";
	case 3:
		return "arp";
	case 5:
		return "netdev";
	case 7:
		return "bridge";
	case 10:
		return "ip6";
	default:
		return "?";
	}
}

/* Sort keys: the top-level entry an item belongs to, then its own place under it. */
struct sort_key {
	struct nt_hook_item item;
	__s32 top_prio;
	size_t top_idx, idx;
};

static int cmp_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->item.rec.family != y->item.rec.family)
		return x->item.rec.family < y->item.rec.family ? -1 : 1;
	if (x->item.rec.hook != y->item.rec.hook)
		return x->item.rec.hook < y->item.rec.hook ? -1 : 1;
	if (x->top_prio != y->top_prio)
		return x->top_prio < y->top_prio ? -1 : 1;
	if (x->top_idx != y->top_idx)
		return x->top_idx < y->top_idx ? -1 : 1;
	if (x->item.rec.depth != y->item.rec.depth)
		return x->item.rec.depth < y->item.rec.depth ? -1 : 1;
	if (x->item.rec.priority != y->item.rec.priority)
		return x->item.rec.priority < y->item.rec.priority ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* NT_HR_NESTED: a top-level entry that has nested entries right after it. */
static void mark_nested(struct nt_hook_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (items[i].rec.depth)
			continue;
		if (i + 1 < n && items[i + 1].rec.depth &&
		    items[i + 1].rec.family == items[i].rec.family &&
		    items[i + 1].rec.hook == items[i].rec.hook)
			items[i].rec.flags |= NT_HR_NESTED;
		else
			items[i].rec.flags &= ~NT_HR_NESTED;
	}
}

void nt_hooks_sort(struct nt_hook_item *items, size_t n)
{
	struct sort_key *keys;
	size_t i, top = 0;
	bool have_top = false;

	if (n < 2) {
		mark_nested(items, n);
		return;
	}
	keys = calloc(n, sizeof(*keys));
	if (!keys) { /* the kernel's own order, which is already by priority */
		mark_nested(items, n);
		return;
	}
	for (i = 0; i < n; i++) {
		keys[i].item = items[i];
		keys[i].idx = i;
		/* A nested item belongs to the last top-level item of the same hook point. */
		if (!items[i].rec.depth || !have_top ||
		    items[top].rec.family != items[i].rec.family ||
		    items[top].rec.hook != items[i].rec.hook) {
			top = i;
			have_top = true;
		}
		keys[i].top_idx = top;
		keys[i].top_prio = items[top].rec.priority;
	}
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (i = 0; i < n; i++)
		items[i] = keys[i].item;
	free(keys);
	mark_nested(items, n);
}

/* The legacy tool that owns tables of this hook family. */
static const char *xt_tool(unsigned int family)
{
	switch (family) {
	case NT_HF_IPV6:
		return "ip6tables-legacy";
	case NT_HF_ARP:
		return "arptables-legacy";
	case NT_HF_BRIDGE:
		return "ebtables-legacy";
	default:
		return "iptables-legacy";
	}
}

void nt_hook_owner_text(const struct nt_hook_item *it, char *buf, size_t len)
{
	const struct nt_hook_rec *r = &it->rec;
	struct strbuf sb = {.s = buf, .size = len, .len = 0};
	bool names = r->flags & NT_HR_NAMES;

	if (!len)
		return;
	buf[0] = 0;
	switch (it->owner) {
	case NT_OWN_NFT:
		sb_puts(&sb, "nft");
		if (names)
			sb_printf(&sb, " table %s %s chain %s",
				  r->flags & NT_HR_NFT_FAMILY ? nt_hooks_nfproto_name(r->nft_family)
							      : "?",
				  r->table, r->chain);
		break;
	case NT_OWN_XT:
		sb_puts(&sb, xt_tool(r->family));
		if (names)
			sb_printf(&sb, " table %s", r->table);
		break;
	case NT_OWN_BPF:
		sb_puts(&sb, "bpf");
		if (r->flags & NT_HR_PROG_ID)
			sb_printf(&sb, " prog id %u", r->prog_id);
		if (names)
			sb_printf(&sb, " name %s", r->table[0] ? r->table : "(none)");
		if (r->flags & NT_HR_LINK_ID)
			sb_printf(&sb, " link id %u", r->link_id);
		break;
	case NT_OWN_LSM:
		/* "lsm selinux": the module is the symbol's first word. */
		sb_printf(&sb, "lsm %.*s", (int)strcspn(it->sym, "_"), it->sym);
		break;
	case NT_OWN_NAT:
		sb_puts(&sb, "nat");
		if (!(r->flags & (NT_HR_NESTED | NT_HR_NO_TYPE)))
			sb_puts(&sb, " (no chains)");
		break;
	default:
		sb_puts(&sb, nt_hook_owner_name(it->owner));
		break;
	}
	if (r->flags & NT_HR_NO_TYPE)
		sb_puts(&sb, " (names not in this kernel's BTF)");
}
