/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lifecycle grouping: collects the NT_EV_TRACE events of each packet (keyed
 * by the group id the kernel side assigns) and hands each group over when it
 * ends: all its skbs freed, idle too long, evicted, or at exit.
 * Memory is bounded by max_groups * (max_events events + max_skbs addresses).
 */
#ifndef NT_GROUP_H
#define NT_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include "nettrace.h"

/* One packet's group, as handed to the emit callback. Valid during the call. */
struct nt_pgroup {
	__u64 id;
	const struct nt_event *events; /* sorted by ts (stable for equal ts) */
	size_t nevents;
	size_t dropped_events; /* events beyond the per-group cap, not kept */
	const __u64 *skbs;     /* every skb address of the group, in order first seen */
	size_t nskbs;
	size_t dropped_skbs; /* addresses beyond the per-group cap, not tracked */
	bool complete;       /* ended by freeing all its skbs */
};

/* Must not call back into the grouper that emits. */
typedef void (*nt_pgroup_fn)(void *ctx, const struct nt_pgroup *g);

struct nt_grouper;

/*
 * max_groups: live groups kept at once (when full, the least recently active
 * one is emitted early, incomplete); max_events: events kept per group;
 * max_skbs: skb addresses per group. Each is at least 1. NULL on ENOMEM.
 */
struct nt_grouper *nt_grouper_new(size_t max_groups, size_t max_events, size_t max_skbs,
				  nt_pgroup_fn emit, void *ctx);
/* Frees without emitting. NULL is allowed. */
void nt_grouper_free(struct nt_grouper *gr);
/*
 * Adds a copy of @e. @frees: this event frees e->skb. An event with group 0
 * is emitted at once as a group of one (complete if it frees its skb).
 */
void nt_grouper_add(struct nt_grouper *gr, const struct nt_event *e, bool frees);
/* Emits (incomplete) every group whose last event is older than now_ns - idle_ns. */
void nt_grouper_expire(struct nt_grouper *gr, __u64 now_ns, __u64 idle_ns);
/* Emits every live group, oldest (least recently active) first. */
void nt_grouper_flush(struct nt_grouper *gr);
/* Live groups. */
size_t nt_grouper_live(const struct nt_grouper *gr);
/* Heap allocations made so far by @gr (for tests: stops growing after warm-up). */
size_t nt_grouper_allocs(const struct nt_grouper *gr);

#endif /* NT_GROUP_H */
