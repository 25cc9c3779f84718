// SPDX-License-Identifier: GPL-2.0
/* Report folding: per kind, a few lines per window, then one line saying how many more. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "monitor/fold.h"

int nt_fold_init(struct nt_fold *f, size_t key_size, size_t max, __u64 window_ns,
		 unsigned int per_kind)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->key_size = key_size;
	f->max = max;
	f->window_ns = window_ns;
	f->per_kind = per_kind > NT_FOLD_FLOWS ? NT_FOLD_FLOWS : per_kind;
	f->kinds = calloc(max, sizeof(*f->kinds));
	f->keys = calloc(max, key_size);
	if (!f->kinds || !f->keys) {
		nt_fold_free(f);
		return -ENOMEM;
	}
	for (i = 0; i < max; i++)
		f->kinds[i].key = f->keys + i * key_size;
	return 0;
}

void nt_fold_free(struct nt_fold *f)
{
	free(f->kinds);
	free(f->keys);
	f->kinds = NULL;
	f->keys = NULL;
}

static struct nt_fold_kind *find(struct nt_fold *f, const void *key)
{
	size_t i;

	for (i = 0; i < f->max; i++)
		if (f->kinds[i].opened && !memcmp(f->kinds[i].key, key, f->key_size))
			return &f->kinds[i];
	return NULL;
}

bool nt_fold_offer(struct nt_fold *f, const void *key, __u64 flow, __u64 now)
{
	struct nt_fold_kind *k = find(f, key);
	size_t i;

	if (!k) {
		for (i = 0; i < f->max && f->kinds[i].opened; i++)
			;
		if (i == f->max) {
			f->overflow++;
			f->folded++;
			return false;
		}
		k = &f->kinds[i];
		memcpy(k->key, key, f->key_size);
		k->opened = now ? now : 1;
		k->printed = 0;
		k->seen = 0;
	}
	for (i = 0; i < k->printed; i++)
		if (k->flows[i] == flow)
			break;
	if (i < k->printed || k->printed >= f->per_kind) {
		f->folded++;
		return false;
	}
	k->flows[k->printed++] = flow;
	return true;
}

void nt_fold_seen(struct nt_fold *f, const void *key, unsigned long long n, __u64 now)
{
	struct nt_fold_kind *k = find(f, key);
	size_t i;

	if (!k && n) {
		/* Counted while no window was open (no sample came): they open one. */
		for (i = 0; i < f->max && f->kinds[i].opened; i++)
			;
		if (i == f->max) {
			f->overflow += n;
			return;
		}
		k = &f->kinds[i];
		memcpy(k->key, key, f->key_size);
		k->opened = now ? now : 1;
		k->printed = 0;
		k->seen = 0;
	}
	if (k)
		k->seen += n;
}

size_t nt_fold_expire(struct nt_fold *f, __u64 now, bool all, nt_fold_fn cb, void *ctx)
{
	struct nt_fold_kind *k;
	size_t i, n = 0;

	for (i = 0; i < f->max; i++) {
		k = &f->kinds[i];
		if (!k->opened || (!all && now - k->opened < f->window_ns))
			continue;
		if (k->seen > k->printed) {
			cb(ctx, k->key, k->seen - k->printed, now - k->opened);
			n++;
		}
		k->opened = 0;
	}
	if (f->overflow && (all || n)) {
		cb(ctx, NULL, f->overflow, f->window_ns);
		f->overflow = 0;
		n++;
	}
	return n;
}
