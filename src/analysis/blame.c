// SPDX-License-Identifier: GPL-2.0
/*
 * Blame: the hook functions registered where a packet stopped inside a hook,
 * as the namespace's hook inventory lists them (read at most once per ttl),
 * narrowed to the one nft chain whose rule dropped it when that is known.
 */
#include <stdio.h>
#include <string.h>
#include "analysis/analysis.h"
#include "netfilter/names.h"

/* Our own hook observers and trace tables pass every packet. */
static bool ours(const struct nt_hook_item *it)
{
	return (it->owner == NT_OWN_BPF && !strncmp(it->rec.table, "nt_nfhook", 9)) ||
	       (it->owner == NT_OWN_NFT && !strncmp(it->rec.table, "nettrace_", 9));
}

/* The chain of the rule that gave the verdict, when this item is it. */
static bool is_rule_chain(const struct nt_hook_item *it, const struct nt_rule_ref *r)
{
	return it->owner == NT_OWN_NFT && !strcmp(it->rec.table, r->table) &&
	       !strcmp(it->rec.chain, r->chain);
}

void nt_blame(struct nt_hookcache *hooks, double now, struct nt_finding *f, bool narrow_to_rule)
{
	const struct nt_hook_inv *inv;
	const char *pf = nt_nf_pf_name(f->ev.pf);
	bool narrow = false;
	struct nt_blamed *b;
	size_t i;

	f->ev.have |= NT_EVD_BLAME;
	f->ev.nblamed = 0;
	inv = nt_hookcache_get(hooks, f->ev.netns, now, f->ev.blame_unknown,
			       sizeof(f->ev.blame_unknown));
	if (!inv)
		return;
	f->ev.blame_unknown[0] = '\0';
	if ((f->ev.have & NT_EVD_RULE) && narrow_to_rule)
		for (i = 0; i < inv->n; i++)
			narrow |= is_rule_chain(&inv->items[i], &f->ev.rule);
	for (i = 0; i < inv->n && f->ev.nblamed < NT_MAX_BLAMED; i++) {
		const struct nt_hook_item *it = &inv->items[i];

		if (!pf || strcmp(nt_hook_family_name(it->rec.family), pf) ||
		    it->rec.hook != f->ev.hook || ours(it))
			continue;
		if (narrow && !is_rule_chain(it, &f->ev.rule))
			continue;
		b = &f->ev.blamed[f->ev.nblamed++];
		b->priority = it->rec.priority;
		b->depth = it->rec.depth;
		nt_hook_owner_text(it, b->owner, sizeof(b->owner));
	}
}
