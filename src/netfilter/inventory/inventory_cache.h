/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hook inventories by network namespace, for blaming drops inside a hook.
 *
 * A walk (nt_hooks_walk) costs about 0.1-0.2 s: it reads kallsyms, loads and
 * runs a BPF program. Done once per finding, a flood of packets that seem to
 * stop inside a hook (real drops, or lost events that hide the hook's exit)
 * kept nettrace busy for many seconds, also after Ctrl-C. So each namespace
 * is walked at most once per ttl, failures included, and at most
 * max_walks namespaces are walked per ttl in all; past that the caller is
 * told why nothing is listed. Hooks registered since the last walk show up
 * after at most ttl.
 */
#ifndef NT_NETFILTER_HOOKCACHE_H
#define NT_NETFILTER_HOOKCACHE_H

#include <stddef.h>
#include "netfilter/inventory/inventory.h"

#define NT_HOOKCACHE_SLOTS 8

/* Fills @inv for namespace @ino: 0, or -1 with the reason in @why. */
typedef int (*nt_hook_walk_fn)(void *ctx, __u32 ino, struct nt_hook_inv *inv, char *why,
			       size_t len);

struct nt_hookcache_slot {
	__u32 ino; /* 0: unused */
	double walked_at;
	int err;
	struct nt_hook_inv inv; /* when !err */
	char why[256];		/* when err */
};

struct nt_hookcache {
	nt_hook_walk_fn walk;
	void *ctx;
	double ttl;
	size_t max_walks;
	double window_start; /* the current ttl-long window of the walk budget */
	size_t walks_in_window;
	size_t walks; /* in all, for tests and -v */
	struct nt_hookcache_slot slot[NT_HOOKCACHE_SLOTS];
};

void nt_hookcache_init(struct nt_hookcache *c, nt_hook_walk_fn walk, void *ctx, double ttl,
		       size_t max_walks);
/*
 * The inventory of @ino at time @now (seconds, any monotonic clock), walked
 * at most ttl before; NULL with the reason in @why. Valid until the next call.
 */
const struct nt_hook_inv *nt_hookcache_get(struct nt_hookcache *c, __u32 ino, double now, char *why,
					   size_t len);
void nt_hookcache_free(struct nt_hookcache *c);

#endif
