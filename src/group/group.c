// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet groups of lifecycle events.
 *
 * Live groups sit in a hash table keyed by group id (chained, at most half
 * full) and in an LRU list ordered by last activity, head = least recent.
 * A group is a slot: its event array grows by doubling up to max_events, its
 * skb arrays are allocated with it at max_skbs. Emitted slots go to a free list with
 * their arrays and are reused, and at most max_groups slots ever exist, so
 * allocations stop once every slot has reached the size the traffic needs.
 */
#include <stdlib.h>
#include <string.h>
#include "group/group.h"

#define EVENTS_MIN 8

struct grp {
	__u64 id;
	__u64 last_ts;               /* latest event ts seen */
	struct grp *hnext, **hpprev; /* hash chain; hnext links the free list */
	struct grp *prev, *next;     /* LRU list */
	struct nt_event *ev;         /* sorted by ts */
	size_t nev, cap, dropped;
	size_t nskbs, nlive, dropped_skbs;
	bool *alive;  /* alive[i]: skbs[i] not freed yet; after skbs[max_skbs] */
	__u64 skbs[]; /* in order first seen */
};

struct nt_grouper {
	size_t max_groups, max_events, max_skbs;
	nt_pgroup_fn emit;
	void *ctx;
	struct grp **buckets;
	unsigned int hbits;
	struct grp *head, *tail; /* LRU: head is the least recently active */
	struct grp *free;        /* emitted slots, for reuse */
	size_t live, nslots, allocs;
};

static size_t hash(const struct nt_grouper *gr, __u64 id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> (64 - gr->hbits));
}

struct nt_grouper *nt_grouper_new(size_t max_groups, size_t max_events, size_t max_skbs,
				  nt_pgroup_fn emit, void *ctx)
{
	struct nt_grouper *gr = calloc(1, sizeof(*gr));

	if (!gr)
		return NULL;
	gr->max_groups = max_groups ? max_groups : 1;
	gr->max_events = max_events ? max_events : 1;
	gr->max_skbs = max_skbs ? max_skbs : 1;
	gr->emit = emit;
	gr->ctx = ctx;
	for (gr->hbits = 4; ((size_t)1 << gr->hbits) < 2 * gr->max_groups; gr->hbits++)
		;
	gr->buckets = calloc((size_t)1 << gr->hbits, sizeof(*gr->buckets));
	if (!gr->buckets) {
		free(gr);
		return NULL;
	}
	gr->allocs = 2;
	return gr;
}

void nt_grouper_free(struct nt_grouper *gr)
{
	struct grp *g, *n;

	if (!gr)
		return;
	for (g = gr->head; g; g = n) {
		n = g->next;
		free(g->ev);
		free(g);
	}
	for (g = gr->free; g; g = n) {
		n = g->hnext;
		free(g->ev);
		free(g);
	}
	free(gr->buckets);
	free(gr);
}

static struct grp *lookup(const struct nt_grouper *gr, __u64 id)
{
	struct grp *g;

	for (g = gr->buckets[hash(gr, id)]; g; g = g->hnext)
		if (g->id == id)
			return g;
	return NULL;
}

static void lru_unlink(struct nt_grouper *gr, struct grp *g)
{
	if (g->prev)
		g->prev->next = g->next;
	else
		gr->head = g->next;
	if (g->next)
		g->next->prev = g->prev;
	else
		gr->tail = g->prev;
	g->prev = g->next = NULL;
}

static void lru_append(struct nt_grouper *gr, struct grp *g)
{
	g->prev = gr->tail;
	g->next = NULL;
	if (gr->tail)
		gr->tail->next = g;
	else
		gr->head = g;
	gr->tail = g;
}

/* Takes @g out of the live set, hands it to the callback, then frees the slot. */
static void emit(struct nt_grouper *gr, struct grp *g, bool complete)
{
	struct nt_pgroup pg = {
		.id = g->id,
		.events = g->ev,
		.nevents = g->nev,
		.dropped_events = g->dropped,
		.skbs = g->skbs,
		.nskbs = g->nskbs,
		.dropped_skbs = g->dropped_skbs,
		.complete = complete,
	};

	*g->hpprev = g->hnext;
	if (g->hnext)
		g->hnext->hpprev = g->hpprev;
	lru_unlink(gr, g);
	gr->live--;
	if (gr->emit)
		gr->emit(gr->ctx, &pg);
	g->hnext = gr->free;
	gr->free = g;
}

static struct grp *slot_new(struct nt_grouper *gr)
{
	struct grp *g = calloc(1, sizeof(*g) + gr->max_skbs * (sizeof(__u64) + sizeof(bool)));

	if (!g)
		return NULL;
	g->alive = (bool *)&g->skbs[gr->max_skbs];
	gr->nslots++;
	gr->allocs++;
	return g;
}

/* A new live group @id: a reused slot, a new one, or the LRU head's. */
static struct grp *group_new(struct nt_grouper *gr, __u64 id)
{
	struct grp *g = NULL, **b;

	if (gr->live >= gr->max_groups)
		emit(gr, gr->head, false);
	if (!gr->free && gr->nslots < gr->max_groups)
		g = slot_new(gr);
	if (!g && !gr->free && gr->head)
		emit(gr, gr->head, false);
	if (!g && gr->free) {
		g = gr->free;
		gr->free = g->hnext;
	}
	if (!g)
		return NULL;
	g->id = id;
	g->nev = g->dropped = g->nskbs = g->nlive = g->dropped_skbs = 0;
	b = &gr->buckets[hash(gr, id)];
	g->hnext = *b;
	if (*b)
		(*b)->hpprev = &g->hnext;
	*b = g;
	g->hpprev = b;
	lru_append(gr, g);
	gr->live++;
	return g;
}

/* Inserts a copy of @e after every event with ts <= e->ts. */
static void event_insert(struct nt_grouper *gr, struct grp *g, const struct nt_event *e)
{
	struct nt_event *ev;
	size_t i, cap;

	if (g->nev == g->cap) {
		if (g->cap >= gr->max_events) {
			g->dropped++;
			return;
		}
		cap = g->cap ? 2 * g->cap : EVENTS_MIN;
		if (cap > gr->max_events)
			cap = gr->max_events;
		ev = realloc(g->ev, cap * sizeof(*ev));
		if (!ev) {
			g->dropped++;
			return;
		}
		gr->allocs++;
		g->ev = ev;
		g->cap = cap;
	}
	for (i = g->nev; i > 0 && g->ev[i - 1].ts > e->ts; i--)
		;
	memmove(&g->ev[i + 1], &g->ev[i], (g->nev - i) * sizeof(*e));
	g->ev[i] = *e;
	g->nev++;
}

static size_t skb_find(const struct grp *g, __u64 skb)
{
	size_t i;

	for (i = 0; i < g->nskbs; i++)
		if (g->skbs[i] == skb)
			break;
	return i;
}

/* @skb is (again) live in @g. */
static void skb_seen(struct nt_grouper *gr, struct grp *g, __u64 skb)
{
	size_t i;

	if (!skb)
		return;
	i = skb_find(g, skb);
	if (i == g->nskbs) {
		if (g->nskbs == gr->max_skbs) {
			g->dropped_skbs++;
			return;
		}
		g->skbs[g->nskbs++] = skb;
		g->alive[i] = false;
	}
	if (!g->alive[i]) {
		g->alive[i] = true;
		g->nlive++;
	}
}

static void skb_freed(struct grp *g, __u64 skb)
{
	size_t i = skb_find(g, skb);

	if (i < g->nskbs && g->alive[i]) {
		g->alive[i] = false;
		g->nlive--;
	}
}

static void emit_alone(struct nt_grouper *gr, const struct nt_event *e, bool frees)
{
	struct nt_pgroup pg = {
		.id = e->group,
		.events = e,
		.nevents = 1,
		.skbs = &e->skb,
		.nskbs = e->skb ? 1 : 0,
		.complete = frees,
	};

	if (gr->emit)
		gr->emit(gr->ctx, &pg);
}

void nt_grouper_add(struct nt_grouper *gr, const struct nt_event *e, bool frees)
{
	struct grp *g;

	if (!e->group) {
		emit_alone(gr, e, frees);
		return;
	}
	g = lookup(gr, e->group);
	if (g) {
		lru_unlink(gr, g);
		lru_append(gr, g);
	} else {
		g = group_new(gr, e->group);
		if (!g) {
			emit_alone(gr, e, frees);
			return;
		}
		g->last_ts = e->ts;
	}
	if (e->ts > g->last_ts)
		g->last_ts = e->ts;
	event_insert(gr, g, e);
	skb_seen(gr, g, e->skb);
	if ((e->flags & NT_EV_CLONE) && e->retval)
		skb_seen(gr, g, (__u64)e->retval);
	if (frees) {
		skb_freed(g, e->skb);
		/* With untracked addresses, all freed is not known: incomplete. */
		if (!g->nlive)
			emit(gr, g, !g->dropped_skbs);
	}
}

void nt_grouper_expire(struct nt_grouper *gr, __u64 now_ns, __u64 idle_ns)
{
	struct grp *g, *n;

	if (now_ns <= idle_ns)
		return;
	/* The whole list: ts may arrive slightly out of order across CPUs. */
	for (g = gr->head; g; g = n) {
		n = g->next;
		if (g->last_ts < now_ns - idle_ns)
			emit(gr, g, false);
	}
}

void nt_grouper_flush(struct nt_grouper *gr)
{
	while (gr->head)
		emit(gr, gr->head, false);
}

size_t nt_grouper_live(const struct nt_grouper *gr)
{
	return gr->live;
}

size_t nt_grouper_allocs(const struct nt_grouper *gr)
{
	return gr->allocs;
}
