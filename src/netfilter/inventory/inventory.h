/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hook inventory (--hooks): which functions are registered at
 * each family's hook points, in priority order, for one network namespace.
 *
 * The record the kernel side writes is in src/record/inventory.h; here the
 * user side: classification of hook functions by their kallsyms name and the
 * text and JSON output, all pure.
 */
#ifndef NT_NETFILTER_HOOKS_H
#define NT_NETFILTER_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "record/inventory.h"

/* Who registered a hook function, from its kallsyms name. */
enum nt_hook_owner {
	NT_OWN_OTHER = 0,
	NT_OWN_NFT,
	NT_OWN_XT, /* iptables-legacy (ip6tables, arptables, ebtables) */
	NT_OWN_BPF,
	NT_OWN_CONNTRACK,
	NT_OWN_DEFRAG,
	NT_OWN_NAT,
	NT_OWN_LSM,
	NT_OWN_BRNF, /* br_netfilter */
	NT_OWN_IPVS,
};

enum nt_hook_owner nt_hook_classify(const char *sym);
const char *nt_hook_owner_name(enum nt_hook_owner o);
/* What the kernel side must read behind the priv of a hook function of this owner. */
enum nt_hook_privkind nt_hook_privkind(enum nt_hook_owner o);

const char *nt_hook_family_name(unsigned int family);			/* "ipv4" ... */
const char *nt_hook_point_name(unsigned int family, unsigned int hook); /* "PRE_ROUTING" */
const char *nt_hooks_nfproto_name(unsigned int nfproto); /* nft family: "inet", "ip" ... */

/* One entry of the inventory, as printed. */
struct nt_hook_item {
	struct nt_hook_rec rec;
	char sym[NT_HOOK_NAMELEN]; /* "nft_do_chain_inet", or "0xffff..." when unknown */
	enum nt_hook_owner owner;
};

struct nt_hook_inv {
	__u32 netns;	  /* inode */
	const char *path; /* where the namespace was found; may be NULL */
	struct nt_hook_item *items;
	size_t n;
	const char *notes[8]; /* what this kernel could not tell, one line each */
	size_t nnotes;
};

/*
 * Orders the items: by family, hook point and priority; each nested item
 * stays under its nat entry, ordered by its own priority. Stable.
 */
void nt_hooks_sort(struct nt_hook_item *items, size_t n);

/* "nft table inet filter chain forward", "iptables-legacy table filter", ... */
void nt_hook_owner_text(const struct nt_hook_item *it, char *buf, size_t len);


struct nt_ksyms;

/*
 * Reads the inventory of the network namespace with inode @ino: from inside
 * @path (a file of it, e.g. from nt_netns_find(); entered and left through
 * src/netns), or NULL for the caller's own. @ks: kallsyms already loaded, or
 * NULL to load them here (a good part of the cost). inv->path is left NULL.
 * 0, or -1 with the reason in @why; when the thread could not come back from
 * @path, nt_netns_stranded() is true and nettrace must stop. Free with
 * nt_hooks_inv_free().
 */
int nt_hooks_walk(__u32 ino, const char *path, const struct nt_ksyms *ks,
		  struct nt_hook_inv *inv, char *why, size_t len);
void nt_hooks_inv_free(struct nt_hook_inv *inv);

#endif
