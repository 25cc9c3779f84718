// SPDX-License-Identifier: GPL-2.0
/* The netfilter hook inventory as text and as JSON (pure: inventory in, text out). */
#include <string.h>
#include "netfilter/inventory/inventory.h"
#include "output/hooks.h"
#include "output/json.h"
#include "util/strbuf.h"

static void prio_text(const struct nt_hook_rec *r, char *buf, size_t len)
{
	if (r->flags & NT_HR_PRIORITY)
		snprintf(buf, len, "%d", r->priority);
	else
		snprintf(buf, len, "?");
}

static void print_item(FILE *f, const struct nt_hook_item *it)
{
	char prio[16], owner[256];
	unsigned int limit;

	prio_text(&it->rec, prio, sizeof(prio));
	nt_hook_owner_text(it, owner, sizeof(owner));
	/* Priorities span INT_MIN..INT_MAX: 11 columns; nested chains 6 further right. */
	if (it->rec.depth) {
		fprintf(f, "%6s%11s  %s\n", "", prio, owner);
		limit = NT_HOOK_MAX_NESTED;
	} else {
		fprintf(f, "%11s  %-28s %s\n", prio, it->sym, owner);
		limit = NT_HOOK_MAX_ENTRIES;
	}
	if ((it->rec.flags & NT_HR_TRUNCATED) && it->rec.nentries > limit)
		fprintf(f, "%*s... %u more entries not read\n", it->rec.depth ? 19 : 13, "",
			it->rec.nentries - limit);
}

void nt_hooks_print_text(FILE *f, const struct nt_hook_inv *inv)
{
	size_t i;
	int fam = -1, hook = -1;

	fprintf(f, "netns %u", inv->netns);
	if (inv->path && *inv->path)
		fprintf(f, " (%s)", inv->path);
	fputc('\n', f);
	if (!inv->n)
		fputs("no netfilter hook functions registered\n", f);
	for (i = 0; i < inv->n; i++) {
		const struct nt_hook_item *it = &inv->items[i];

		if (it->rec.family != fam || it->rec.hook != hook) {
			fam = it->rec.family;
			hook = it->rec.hook;
			fprintf(f, "%s %s\n", nt_hook_family_name(fam),
				nt_hook_point_name(fam, hook));
		}
		print_item(f, it);
	}
	for (i = 0; i < inv->nnotes; i++)
		fprintf(f, "note: %s\n", inv->notes[i]);
}

static void json_item(struct json *j, const struct nt_hook_item *it)
{
	const struct nt_hook_rec *r = &it->rec;
	char owner[256];

	if (r->flags & NT_HR_PRIORITY)
		json_int(j, "priority", r->priority);
	json_str(j, "function", it->sym);
	json_str(j, "owner", nt_hook_owner_name(it->owner));
	nt_hook_owner_text(it, owner, sizeof(owner));
	json_str(j, "text", owner);
	if (r->flags & NT_HR_NFT_FAMILY)
		json_str(j, "nft_family", nt_hooks_nfproto_name(r->nft_family));
	if ((r->flags & NT_HR_NAMES) && it->owner != NT_OWN_BPF)
		json_str(j, "table", r->table);
	if ((r->flags & NT_HR_NAMES) && it->owner == NT_OWN_NFT)
		json_str(j, "chain", r->chain);
	if (r->flags & NT_HR_PROG_ID)
		json_uint(j, "prog_id", r->prog_id);
	if ((r->flags & NT_HR_NAMES) && it->owner == NT_OWN_BPF)
		json_str(j, "prog_name", r->table);
	if (r->flags & NT_HR_LINK_ID)
		json_uint(j, "link_id", r->link_id);
	if (r->flags & NT_HR_TRUNCATED)
		json_uint(j, "entries_in_kernel", r->nentries);
}

void nt_hooks_print_json(FILE *f, const struct nt_hook_inv *inv)
{
	struct json j;
	size_t i;
	int fam = -1, hook = -1;
	bool in_hook = false, in_nested = false;

	json_begin(&j, f);
	json_uint(&j, "netns", inv->netns);
	if (inv->path && *inv->path)
		json_str(&j, "path", inv->path);
	json_arr_open(&j, "hooks");
	for (i = 0; i < inv->n; i++) {
		const struct nt_hook_item *it = &inv->items[i];
		bool nested =
			it->rec.depth && in_hook && it->rec.family == fam && it->rec.hook == hook;

		if (!nested && in_nested) {
			json_close(&j, ']');
			in_nested = false;
		}
		if (!nested && in_hook)
			json_close(&j, '}'); /* the previous top-level entry */
		if (it->rec.family != fam || it->rec.hook != hook) {
			if (in_hook) {
				json_close(&j, ']');
				json_close(&j, '}');
			}
			fam = it->rec.family;
			hook = it->rec.hook;
			json_obj_open(&j, NULL);
			json_str(&j, "family", nt_hook_family_name(fam));
			json_str(&j, "hook", nt_hook_point_name(fam, hook));
			json_arr_open(&j, "entries");
			in_hook = true;
		}
		if (nested) {
			if (!in_nested) {
				json_arr_open(&j, "chains");
				in_nested = true;
			}
			json_obj_open(&j, NULL);
			json_item(&j, it);
			json_close(&j, '}');
			continue;
		}
		json_obj_open(&j, NULL);
		json_item(&j, it);
	}
	if (in_nested)
		json_close(&j, ']');
	if (in_hook) {
		json_close(&j, '}'); /* entry */
		json_close(&j, ']'); /* entries */
		json_close(&j, '}'); /* hook */
	}
	json_close(&j, ']');
	json_arr_open(&j, "notes");
	for (i = 0; i < inv->nnotes; i++)
		json_str(&j, NULL, inv->notes[i]);
	json_close(&j, ']');
	json_end(&j);
}
