/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lifecycle grouping: collects the NT_EV_TRACE events of each packet (keyed
 * by the group id the kernel side assigns) and hands each group over when it
 * ends: all its skbs freed, idle too long, evicted, or at exit.
 *
 * Memory is fixed: everything is allocated (and touched) by nt_grouper_new(),
 * nothing after, whatever the traffic. When the caps are reached, groups are
 * emitted early or events left out, and each case is counted in the stats.
 */
#ifndef NT_GROUP_H
#define NT_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include "record/event.h"

/* Why a group was handed over. */
enum nt_group_end {
	NT_GROUP_FREED,	  /* its last live skb was freed */
	NT_GROUP_EVICTED, /* room was needed for another group or its events */
	NT_GROUP_IDLE,	  /* no event for the idle time (nt_grouper_expire) */
	NT_GROUP_FLUSHED, /* still open at nt_grouper_flush (exit) */
	NT_GROUP_ALONE,	  /* an event without a group id, handed over at once */
};

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
	enum nt_group_end end;
};

/* Must not call back into the grouper that emits. */
typedef void (*nt_pgroup_fn)(void *ctx, const struct nt_pgroup *g);

/* The caps; each is at least 1, and per_group at most events. */
struct nt_group_caps {
	size_t groups;	  /* live groups at once */
	size_t events;	  /* events held by all live groups together */
	size_t per_group; /* events kept per group */
	size_t skbs;	  /* skb addresses followed per group */
};

/* What the caps and timeouts did, since nt_grouper_new(). */
struct nt_group_stats {
	unsigned long long emitted;	   /* groups handed over, alone ones included */
	unsigned long long evicted_groups; /* emitted early: the group table was full */
	unsigned long long evicted_events; /* emitted early: the event pool was full */
	unsigned long long idle;	   /* emitted after the idle time */
	unsigned long long flushed;	   /* emitted by nt_grouper_flush() */
	unsigned long long events_cut;	   /* events not kept: over per_group */
	unsigned long long skbs_cut;	   /* skb addresses not followed: over skbs */
};

struct nt_grouper;

/*
 * When the group table or the event pool is full, the least recently active
 * group is emitted early, incomplete. NULL on ENOMEM.
 */
struct nt_grouper *nt_grouper_new(const struct nt_group_caps *caps, nt_pgroup_fn emit, void *ctx);
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
/* Events held by the live groups. */
size_t nt_grouper_events(const struct nt_grouper *gr);
const struct nt_group_stats *nt_grouper_stats(const struct nt_grouper *gr);
/* Bytes allocated, all by nt_grouper_new(): a function of the caps only. */
size_t nt_grouper_bytes(const struct nt_grouper *gr);


#endif /* NT_GROUP_H */
