// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet groups of lifecycle events.
 *
 * Live groups sit in a hash table keyed by group id (chained, at most half
 * full) and in an LRU list ordered by last activity, head = least recent.
 * Group slots, their skb arrays and the events are carved out of one arena,
 * mapped and populated by nt_grouper_new(): resident memory is what the caps
 * say from the start and does not creep up as traffic reaches them.
 *
 * Events live in a shared pool, each group's in a list in arrival order
 * (link[]), so a group of 200 events and 200 groups of one use the same
 * pool. At emit time the group's events are sorted by ts into one array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "group/group.h"

#define NONE  UINT32_MAX
#define ALIGN 64

struct grp {
	__u64 id;
	__u64 last_ts;		     /* latest event ts seen */
	struct grp *hnext, **hpprev; /* hash chain; hnext links the free slots */
	struct grp *prev, *next;     /* LRU list */
	__u32 first, last;	     /* the group's events in the pool, NONE if none */
	size_t nev, dropped;
	size_t nskbs, nlive, dropped_skbs;
	__u64 *skbs; /* caps.skbs of them, in order first seen */
	bool *alive; /* alive[i]: skbs[i] not freed yet */
};

struct nt_grouper {
	struct nt_group_caps caps;
	nt_pgroup_fn emit;
	void *ctx;
	void *arena;
	size_t bytes;
	struct grp *slots, *free; /* free: unused slots, linked by hnext */
	struct grp **buckets;
	unsigned int hbits;
	struct grp *head, *tail; /* LRU: head is the least recently active */
	size_t live;
	struct nt_event *pool; /* caps.events */
	__u32 *link;	       /* the next event of the same group, or of the free list */
	__u32 free_ev;
	size_t nfree_ev;
	struct nt_event *sorted; /* caps.per_group: the group being emitted */
	__u32 *order;		 /* caps.per_group: its pool indexes, by ts */
	struct nt_group_stats st;
};

static size_t hash(const struct nt_grouper *gr, __u64 id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> (64 - gr->hbits));
}

/* Places @n * @size bytes at *@at, aligned; false on overflow. */
static bool layout(size_t *off, size_t n, size_t size, size_t *at)
{
	size_t len;

	/* *off <= SIZE_MAX - ALIGN always holds, so the subtraction cannot wrap. */
	if (__builtin_mul_overflow(n, size, &len) || len > SIZE_MAX - ALIGN - *off)
		return false;
	*at = *off;
	*off = (*off + len + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return true;
}

/* One mapping for everything, populated now: allocation never happens later. */
static bool arena_map(struct nt_grouper *gr)
{
	size_t off = 0, o_slots, o_buckets, o_skbs, o_alive, o_pool, o_link, o_sorted, o_order;
	const struct nt_group_caps *c = &gr->caps;
	size_t nskbs, i;
	struct grp *g;
	char *base;

	if (__builtin_mul_overflow(c->groups, c->skbs, &nskbs) ||
	    !layout(&off, c->groups, sizeof(struct grp), &o_slots) ||
	    !layout(&off, (size_t)1 << gr->hbits, sizeof(struct grp *), &o_buckets) ||
	    !layout(&off, nskbs, sizeof(__u64), &o_skbs) ||
	    !layout(&off, nskbs, sizeof(bool), &o_alive) ||
	    !layout(&off, c->events, sizeof(struct nt_event), &o_pool) ||
	    !layout(&off, c->events, sizeof(__u32), &o_link) ||
	    !layout(&off, c->per_group, sizeof(struct nt_event), &o_sorted) ||
	    !layout(&off, c->per_group, sizeof(__u32), &o_order))
		return false;
	base = mmap(NULL, off, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		    -1, 0);
	if (base == MAP_FAILED)
		return false;
	gr->arena = base;
	gr->bytes = off;
	gr->slots = (struct grp *)(base + o_slots);
	gr->buckets = (struct grp **)(base + o_buckets);
	gr->pool = (struct nt_event *)(base + o_pool);
	gr->link = (__u32 *)(base + o_link);
	gr->sorted = (struct nt_event *)(base + o_sorted);
	gr->order = (__u32 *)(base + o_order);
	for (i = 0; i < c->groups; i++) {
		g = &gr->slots[i];
		g->skbs = (__u64 *)(base + o_skbs) + i * c->skbs;
		g->alive = (bool *)(base + o_alive) + i * c->skbs;
		g->hnext = gr->free;
		gr->free = g;
	}
	for (i = 0; i < c->events; i++)
		gr->link[i] = i + 1 < c->events ? (__u32)(i + 1) : NONE;
	gr->free_ev = 0;
	gr->nfree_ev = c->events;
	return true;
}

struct nt_grouper *nt_grouper_new(const struct nt_group_caps *caps, nt_pgroup_fn emit, void *ctx)
{
	struct nt_grouper *gr = calloc(1, sizeof(*gr));

	if (!gr)
		return NULL;
	gr->caps = *caps;
	gr->caps.groups = caps->groups ? caps->groups : 1;
	/* Pool indexes are 32-bit, NONE included. */
	gr->caps.events = caps->events ? caps->events : 1;
	if (gr->caps.events >= NONE)
		gr->caps.events = NONE - 1;
	gr->caps.per_group = caps->per_group ? caps->per_group : 1;
	if (gr->caps.per_group > gr->caps.events)
		gr->caps.per_group = gr->caps.events;
	gr->caps.skbs = caps->skbs ? caps->skbs : 1;
	gr->emit = emit;
	gr->ctx = ctx;
	for (gr->hbits = 4; ((size_t)1 << gr->hbits) < 2 * gr->caps.groups; gr->hbits++)
		;
	if (!arena_map(gr)) {
		free(gr);
		return NULL;
	}
	return gr;
}

void nt_grouper_free(struct nt_grouper *gr)
{
	if (!gr)
		return;
	munmap(gr->arena, gr->bytes);
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

/* The group's events into gr->sorted, by ts; equal ts stay in arrival order. */
static size_t sort_events(struct nt_grouper *gr, const struct grp *g)
{
	size_t n = 0, i, j;
	__u32 k;

	/* Insertion sort of indexes: events mostly arrive in order, so it is near linear. */
	for (k = g->first; k != NONE; k = gr->link[k], n++) {
		for (j = n; j > 0 && gr->pool[gr->order[j - 1]].ts > gr->pool[k].ts; j--)
			gr->order[j] = gr->order[j - 1];
		gr->order[j] = k;
	}
	for (i = 0; i < n; i++)
		gr->sorted[i] = gr->pool[gr->order[i]];
	return n;
}

/* Takes @g out of the live set, hands it to the callback, then frees its slot and events. */
static void emit(struct nt_grouper *gr, struct grp *g, enum nt_group_end end)
{
	struct nt_pgroup pg = {
		.id = g->id,
		.events = gr->sorted,
		.nevents = sort_events(gr, g),
		.dropped_events = g->dropped,
		.skbs = g->skbs,
		.nskbs = g->nskbs,
		.dropped_skbs = g->dropped_skbs,
		/* With untracked addresses, all freed is not known: incomplete. */
		.complete = end == NT_GROUP_FREED && !g->dropped_skbs,
		.end = end,
	};

	*g->hpprev = g->hnext;
	if (g->hnext)
		g->hnext->hpprev = g->hpprev;
	lru_unlink(gr, g);
	gr->live--;
	if (g->first != NONE) {
		gr->link[g->last] = gr->free_ev;
		gr->free_ev = g->first;
		gr->nfree_ev += g->nev;
	}
	gr->st.emitted++;
	if (gr->emit)
		gr->emit(gr->ctx, &pg);
	g->hnext = gr->free;
	gr->free = g;
}

/* A new live group @id, in a free slot or the LRU head's. */
static struct grp *group_new(struct nt_grouper *gr, __u64 id)
{
	struct grp *g, **b;

	if (!gr->free) {
		gr->st.evicted_groups++;
		emit(gr, gr->head, NT_GROUP_EVICTED);
	}
	g = gr->free;
	gr->free = g->hnext;
	g->id = id;
	g->first = g->last = NONE;
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

/* Appends a copy of @e to @g, if its cap allows; makes room in the pool if needed. */
static void event_keep(struct nt_grouper *gr, struct grp *g, const struct nt_event *e)
{
	__u32 k;

	/* @g is the LRU tail: the head is another group while the pool is not all @g's. */
	while (g->nev < gr->caps.per_group && !gr->nfree_ev && gr->head != g) {
		gr->st.evicted_events++;
		emit(gr, gr->head, NT_GROUP_EVICTED);
	}
	if (g->nev >= gr->caps.per_group || !gr->nfree_ev) {
		g->dropped++;
		gr->st.events_cut++;
		return;
	}
	k = gr->free_ev;
	gr->free_ev = gr->link[k];
	gr->nfree_ev--;
	gr->pool[k] = *e;
	gr->link[k] = NONE;
	if (g->first == NONE)
		g->first = k;
	else
		gr->link[g->last] = k;
	g->last = k;
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
		if (g->nskbs == gr->caps.skbs) {
			g->dropped_skbs++;
			gr->st.skbs_cut++;
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
		.end = NT_GROUP_ALONE,
	};

	gr->st.emitted++;
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
		g->last_ts = e->ts;
	}
	if (e->ts > g->last_ts)
		g->last_ts = e->ts;
	event_keep(gr, g, e);
	skb_seen(gr, g, e->skb);
	if ((e->flags & NT_EV_CLONE) && e->retval)
		skb_seen(gr, g, (__u64)e->retval);
	if (frees) {
		skb_freed(g, e->skb);
		if (!g->nlive)
			emit(gr, g, NT_GROUP_FREED);
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
		if (g->last_ts < now_ns - idle_ns) {
			gr->st.idle++;
			emit(gr, g, NT_GROUP_IDLE);
		}
	}
}

void nt_grouper_flush(struct nt_grouper *gr)
{
	while (gr->head) {
		gr->st.flushed++;
		emit(gr, gr->head, NT_GROUP_FLUSHED);
	}
}

size_t nt_grouper_live(const struct nt_grouper *gr)
{
	return gr->live;
}

size_t nt_grouper_events(const struct nt_grouper *gr)
{
	return gr->caps.events - gr->nfree_ev;
}

const struct nt_group_stats *nt_grouper_stats(const struct nt_grouper *gr)
{
	return &gr->st;
}

size_t nt_grouper_bytes(const struct nt_grouper *gr)
{
	return gr->bytes;
}
