// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle grouper of src/group/group.c: when groups end, fixed memory,
 * and every event and early emit accounted for in the stats.
 */
#include "common.h"
#include "group/group.h"
#include "output/summary.h"

#define REC_MAX  16
#define REC_EVS  16
#define REC_SKBS 8

#define SKB_A 0xffff888000001000ULL
#define SKB_B 0xffff888000002000ULL
#define SKB_C 0xffff888000003000ULL

/* What the callback saw of one emitted group. */
struct rec {
	__u64 id;
	size_t nevents, dropped_events, nskbs, dropped_skbs;
	__u64 ts[REC_EVS];
	__u16 probe[REC_EVS];
	__u64 skbs[REC_SKBS];
	bool complete;
	enum nt_group_end end;
};

static struct rec recs[REC_MAX];
static size_t nrecs;	 /* groups emitted */
static size_t ncomplete; /* of which complete */
static size_t nkept, ncut; /* events in the emitted groups, and not kept */

static void on_group(void *ctx, const struct nt_pgroup *g)
{
	struct rec *r = &recs[nrecs % REC_MAX];
	size_t i;

	(void)ctx;
	for (i = 1; i < g->nevents; i++)
		assert_true(g->events[i - 1].ts <= g->events[i].ts);
	for (i = 0; i < g->nevents; i++)
		assert_int_equal(g->events[i].group, g->id);
	memset(r, 0, sizeof(*r));
	r->id = g->id;
	r->nevents = g->nevents;
	r->dropped_events = g->dropped_events;
	r->nskbs = g->nskbs;
	r->dropped_skbs = g->dropped_skbs;
	r->complete = g->complete;
	r->end = g->end;
	for (i = 0; i < g->nevents && i < REC_EVS; i++) {
		r->ts[i] = g->events[i].ts;
		r->probe[i] = g->events[i].probe;
	}
	for (i = 0; i < g->nskbs && i < REC_SKBS; i++)
		r->skbs[i] = g->skbs[i];
	nrecs++;
	ncomplete += g->complete;
	nkept += g->nevents;
	ncut += g->dropped_events;
}

static struct nt_grouper *gr;

/* Replaces the grouper with one of these caps. */
static void caps(size_t groups, size_t events, size_t per_group, size_t skbs)
{
	const struct nt_group_caps c = {
		.groups = groups, .events = events, .per_group = per_group, .skbs = skbs
	};

	nt_grouper_free(gr);
	gr = nt_grouper_new(&c, on_group, NULL);
	assert_non_null(gr);
	nrecs = ncomplete = nkept = ncut = 0;
}

static int setup(void **state)
{
	(void)state;
	nrecs = ncomplete = nkept = ncut = 0;
	gr = NULL;
	caps(64, 1024, 32, 8);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nt_grouper_free(gr);
	gr = NULL;
	return 0;
}

/* Adds a trace event; @clone: the address of a new skb of the group. */
static void ev(__u64 group, __u64 skb, __u64 ts, __u16 probe, __u64 clone, bool frees)
{
	struct nt_event e = { .kind = NT_EV_TRACE, .group = group, .skb = skb, .ts = ts };

	e.probe = probe;
	if (clone) {
		e.flags = NT_EV_CLONE;
		e.retval = (__s64)clone;
	}
	nt_grouper_add(gr, &e, frees);
}

static void test_single_skb(void **state)
{
	(void)state;
	ev(1, SKB_A, 10, 1, 0, false);
	ev(1, SKB_A, 20, 2, 0, false);
	assert_int_equal(nrecs, 0);
	assert_int_equal(nt_grouper_live(gr), 1);
	ev(1, SKB_A, 30, 3, 0, true);
	assert_int_equal(nrecs, 1);
	assert_int_equal(nt_grouper_live(gr), 0);
	assert_int_equal(recs[0].id, 1);
	assert_true(recs[0].complete);
	assert_int_equal(recs[0].nevents, 3);
	assert_int_equal(recs[0].dropped_events, 0);
	assert_int_equal(recs[0].nskbs, 1);
	assert_int_equal(recs[0].skbs[0], SKB_A);
	assert_int_equal(recs[0].probe[2], 3);
}

static void test_sorted_by_ts(void **state)
{
	static const __u64 want_ts[] = { 10, 10, 20, 30, 40 };
	static const __u16 want_probe[] = { 2, 4, 3, 1, 5 };
	size_t i;

	(void)state;
	ev(7, SKB_A, 30, 1, 0, false);
	ev(7, SKB_A, 10, 2, 0, false);
	ev(7, SKB_A, 20, 3, 0, false);
	ev(7, SKB_A, 10, 4, 0, false); /* equal ts: stays after probe 2 */
	ev(7, SKB_A, 40, 5, 0, true);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].nevents, 5);
	for (i = 0; i < ARRAY_SIZE(want_ts); i++) {
		assert_int_equal(recs[0].ts[i], want_ts[i]);
		assert_int_equal(recs[0].probe[i], want_probe[i]);
	}
}

static void test_interleaved(void **state)
{
	(void)state;
	ev(1, SKB_A, 10, 1, 0, false);
	ev(2, SKB_B, 11, 1, 0, false);
	ev(1, SKB_A, 12, 2, 0, false);
	ev(2, SKB_B, 13, 2, 0, false);
	ev(2, SKB_B, 14, 3, 0, true);
	assert_int_equal(nrecs, 1);
	assert_int_equal(nt_grouper_live(gr), 1);
	ev(1, SKB_A, 15, 3, 0, false);
	ev(1, SKB_A, 16, 4, 0, true);
	assert_int_equal(nrecs, 2);
	assert_int_equal(recs[0].id, 2);
	assert_int_equal(recs[0].nevents, 3);
	assert_int_equal(recs[0].ts[0], 11);
	assert_int_equal(recs[1].id, 1);
	assert_int_equal(recs[1].nevents, 4);
	assert_int_equal(recs[1].ts[3], 16);
	assert_true(recs[0].complete && recs[1].complete);
}

static void test_clone(void **state)
{
	(void)state;
	ev(3, SKB_A, 10, 1, 0, false);
	ev(3, SKB_A, 20, 2, SKB_B, false); /* skb_clone(A) = B */
	ev(3, SKB_A, 30, 3, 0, true);
	assert_int_equal(nrecs, 0); /* B is still live */
	ev(3, SKB_B, 40, 4, 0, false);
	ev(3, SKB_C, 45, 5, 0, false); /* a copy the kernel side followed */
	ev(3, SKB_B, 50, 6, 0, true);
	assert_int_equal(nrecs, 0); /* C is still live */
	ev(3, SKB_C, 60, 7, 0, true);
	assert_int_equal(nrecs, 1);
	assert_true(recs[0].complete);
	assert_int_equal(recs[0].nevents, 7);
	assert_int_equal(recs[0].nskbs, 3);
	assert_int_equal(recs[0].skbs[0], SKB_A);
	assert_int_equal(recs[0].skbs[1], SKB_B);
	assert_int_equal(recs[0].skbs[2], SKB_C);
}

static void test_address_reuse(void **state)
{
	(void)state;
	ev(1, SKB_A, 10, 1, 0, true);
	ev(2, SKB_A, 20, 1, 0, false); /* A reallocated for another packet */
	assert_int_equal(nrecs, 1);
	assert_int_equal(nt_grouper_live(gr), 1);
	ev(2, SKB_A, 30, 2, 0, true);
	assert_int_equal(nrecs, 2);
	assert_int_equal(recs[1].id, 2);
	assert_int_equal(recs[1].nevents, 2);
	assert_int_equal(recs[1].ts[0], 20);

	/* Within a group: A freed while its clone B lives, then A again. */
	ev(5, SKB_A, 40, 1, SKB_B, false);
	ev(5, SKB_A, 41, 2, 0, true);
	ev(5, SKB_A, 42, 3, 0, false);
	ev(5, SKB_B, 43, 4, 0, true);
	assert_int_equal(nrecs, 2); /* A is live again */
	ev(5, SKB_A, 44, 5, 0, true);
	assert_int_equal(nrecs, 3);
	assert_int_equal(recs[2].nskbs, 2);

	/* The same id after its group was emitted: a new group. */
	ev(5, SKB_C, 50, 1, 0, true);
	assert_int_equal(nrecs, 4);
	assert_int_equal(recs[3].id, 5);
	assert_int_equal(recs[3].nevents, 1);
	assert_int_equal(recs[3].skbs[0], SKB_C);
}

static void test_idle_expiry(void **state)
{
	(void)state;
	ev(1, SKB_A, 50, 1, 0, false);
	ev(1, SKB_A, 100, 2, 0, false);
	ev(2, SKB_B, 500, 1, 0, false);
	nt_grouper_expire(gr, 150, 1000); /* now < idle: nothing */
	nt_grouper_expire(gr, 300, 200);  /* older than 100: none */
	assert_int_equal(nrecs, 0);
	nt_grouper_expire(gr, 301, 200);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].id, 1);
	assert_false(recs[0].complete);
	assert_int_equal(recs[0].nevents, 2);
	nt_grouper_expire(gr, 700, 200);
	assert_int_equal(nrecs, 1);
	assert_int_equal(nt_grouper_live(gr), 1);
	ev(2, SKB_B, 690, 2, 0, false); /* activity keeps it */
	nt_grouper_expire(gr, 701, 200);
	assert_int_equal(nrecs, 1);
	nt_grouper_expire(gr, 891, 200);
	assert_int_equal(nrecs, 2);
	assert_int_equal(recs[1].id, 2);
	assert_false(recs[1].complete);
	assert_int_equal(nt_grouper_live(gr), 0);
}

static void test_flush_oldest_first(void **state)
{
	(void)state;
	ev(1, SKB_A, 10, 1, 0, false);
	ev(2, SKB_B, 20, 1, 0, false);
	ev(3, SKB_C, 30, 1, 0, false);
	ev(4, SKB_C + 1, 40, 1, 0, false);
	ev(2, SKB_B, 50, 2, 0, false); /* 2 is now the most recently active */
	nt_grouper_flush(gr);
	assert_int_equal(nrecs, 4);
	assert_int_equal(recs[0].id, 1);
	assert_int_equal(recs[1].id, 3);
	assert_int_equal(recs[2].id, 4);
	assert_int_equal(recs[3].id, 2);
	assert_int_equal(recs[3].nevents, 2);
	assert_int_equal(ncomplete, 0);
	assert_int_equal(nt_grouper_live(gr), 0);
	nt_grouper_flush(gr);
	assert_int_equal(nrecs, 4);
}

static void test_max_groups_eviction(void **state)
{
	(void)state;
	caps(2, 64, 32, 8);
	ev(1, SKB_A, 10, 1, 0, false);
	ev(2, SKB_B, 20, 1, 0, false);
	ev(1, SKB_A, 30, 2, 0, false);
	ev(3, SKB_C, 40, 1, 0, false); /* full: 2 is the least recently active */
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].id, 2);
	assert_false(recs[0].complete);
	assert_int_equal(recs[0].end, NT_GROUP_EVICTED);
	assert_int_equal(nt_grouper_stats(gr)->evicted_groups, 1);
	assert_int_equal(nt_grouper_live(gr), 2);
	ev(2, SKB_B, 50, 2, 0, false); /* 2 again: a new group, evicting 1 */
	assert_int_equal(nrecs, 2);
	assert_int_equal(recs[1].id, 1);
	assert_int_equal(recs[1].nevents, 2);
	ev(3, SKB_C, 60, 2, 0, true);
	ev(2, SKB_B, 70, 3, 0, true);
	assert_int_equal(nrecs, 4);
	assert_int_equal(recs[3].id, 2);
	assert_int_equal(recs[3].nevents, 2);
	assert_true(recs[2].complete && recs[3].complete);
	assert_int_equal(recs[3].end, NT_GROUP_FREED);
	assert_int_equal(nt_grouper_stats(gr)->evicted_groups, 2);
	assert_int_equal(nt_grouper_stats(gr)->evicted_events, 0);
	assert_int_equal(nt_grouper_stats(gr)->emitted, 4);
}

static void test_max_events(void **state)
{
	__u64 ts;

	(void)state;
	caps(4, 64, 4, 8);
	for (ts = 1; ts <= 9; ts++)
		ev(9, SKB_A, 100 - ts, (__u16)ts, 0, false);
	ev(9, SKB_A, 200, 10, 0, true);
	assert_int_equal(nrecs, 1);
	assert_true(recs[0].complete);
	assert_int_equal(recs[0].nevents, 4);
	assert_int_equal(recs[0].dropped_events, 6);
	assert_int_equal(recs[0].ts[0], 96); /* the first four kept, sorted */
	assert_int_equal(recs[0].ts[3], 99);
	assert_int_equal(nt_grouper_stats(gr)->events_cut, 6);
	assert_int_equal(nt_grouper_events(gr), 0);
}

static void test_max_skbs(void **state)
{
	(void)state;
	caps(4, 64, 16, 2);
	ev(1, SKB_A, 10, 1, SKB_B, false);
	ev(1, SKB_C, 20, 2, 0, false); /* not tracked */
	ev(1, SKB_A, 30, 3, 0, true);
	ev(1, SKB_B, 40, 4, 0, true);
	assert_int_equal(nrecs, 1);
	assert_false(recs[0].complete);
	assert_int_equal(recs[0].nskbs, 2);
	assert_int_equal(recs[0].dropped_skbs, 1);
	assert_int_equal(recs[0].nevents, 4);
	assert_int_equal(nt_grouper_stats(gr)->skbs_cut, 1);
}

static void test_group_zero(void **state)
{
	(void)state;
	ev(5, SKB_A, 10, 1, 0, false);
	ev(0, SKB_B, 20, 7, 0, false);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].id, 0);
	assert_int_equal(recs[0].nevents, 1);
	assert_int_equal(recs[0].probe[0], 7);
	assert_int_equal(recs[0].nskbs, 1);
	assert_int_equal(recs[0].skbs[0], SKB_B);
	assert_false(recs[0].complete);
	ev(0, SKB_B, 30, 8, 0, true);
	assert_int_equal(nrecs, 2);
	assert_true(recs[1].complete);
	assert_int_equal(nt_grouper_live(gr), 1); /* group 5 untouched */
	ev(5, SKB_A, 40, 2, 0, true);
	assert_int_equal(nrecs, 3);
	assert_int_equal(recs[2].nevents, 2);
}

/* The event pool is shared: when it is full, the least recently active group makes room. */
static void test_pool_eviction(void **state)
{
	const struct nt_group_stats *st;
	__u64 ts;

	(void)state;
	caps(8, 10, 6, 4);
	for (ts = 1; ts <= 7; ts++)
		ev(1, SKB_A, ts, 1, 0, false); /* 6 kept, 1 over the group's cap */
	for (ts = 10; ts < 13; ts++)
		ev(2, SKB_B, ts, 1, 0, false);
	ev(3, SKB_C, 20, 1, 0, false); /* takes the last free event */
	assert_int_equal(nt_grouper_events(gr), 10);
	assert_int_equal(nrecs, 0);
	ev(3, SKB_C, 21, 2, 0, false); /* pool full: group 1 goes */
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].id, 1);
	assert_int_equal(recs[0].end, NT_GROUP_EVICTED);
	assert_false(recs[0].complete);
	assert_int_equal(recs[0].nevents, 6);
	assert_int_equal(recs[0].dropped_events, 1);
	assert_int_equal(nt_grouper_events(gr), 5);
	st = nt_grouper_stats(gr);
	assert_int_equal(st->evicted_events, 1);
	assert_int_equal(st->evicted_groups, 0);
	assert_int_equal(st->events_cut, 1);
	/* Group 2's slots and events are reused as they come back. */
	ev(2, SKB_B, 13, 2, 0, true);
	assert_int_equal(recs[1].id, 2);
	assert_int_equal(recs[1].nevents, 4);
	assert_int_equal(recs[1].end, NT_GROUP_FREED);
	ev(3, SKB_C, 22, 3, 0, true);
	assert_int_equal(recs[2].nevents, 3);
	assert_int_equal(recs[2].ts[2], 22);
	assert_int_equal(nt_grouper_events(gr), 0);
	assert_int_equal(nt_grouper_live(gr), 0);
}

/* A group alone never evicts itself: its cap is at most the pool. */
static void test_per_group_clamped(void **state)
{
	__u64 ts;

	(void)state;
	caps(4, 5, 100, 4);
	for (ts = 1; ts <= 8; ts++)
		ev(1, SKB_A, ts, 1, 0, false);
	assert_int_equal(nrecs, 0);
	assert_int_equal(nt_grouper_events(gr), 5);
	assert_int_equal(nt_grouper_stats(gr)->events_cut, 3);
	assert_int_equal(nt_grouper_stats(gr)->evicted_events, 0);
	ev(1, SKB_A, 9, 2, 0, true);
	assert_int_equal(recs[0].nevents, 5);
	assert_int_equal(recs[0].dropped_events, 4);
	assert_true(recs[0].complete);
}

static void test_idle_and_flush_counted(void **state)
{
	const struct nt_group_stats *st;

	(void)state;
	ev(1, SKB_A, 10, 1, 0, false);
	ev(2, SKB_B, 500, 1, 0, false);
	ev(0, SKB_C, 600, 1, 0, false);
	nt_grouper_expire(gr, 400, 200);
	nt_grouper_flush(gr);
	st = nt_grouper_stats(gr);
	assert_int_equal(nrecs, 3);
	assert_int_equal(recs[0].end, NT_GROUP_ALONE);
	assert_int_equal(recs[1].end, NT_GROUP_IDLE);
	assert_int_equal(recs[2].end, NT_GROUP_FLUSHED);
	assert_int_equal(st->idle, 1);
	assert_int_equal(st->flushed, 1);
	assert_int_equal(st->emitted, 3);
}

/*
 * 100,000 groups of 10 events (a clone each), 16 in flight at once; returns
 * the events added. Each step adds event k of 16 groups; a group spans 10 steps.
 */
static size_t flood_inflight(size_t ngroups, size_t pool)
{
	const size_t inflight = 16;
	size_t i, k, step, added = 0;
	__u64 id, ts = 1, skb, clone;

	for (i = 0; i < ngroups; i += inflight) {
		for (step = 0; step < 10; step++) {
			for (k = 0; k < inflight && i + k < ngroups; k++) {
				id = i + k + 1;
				skb = 0xffff888000000000ULL + (k << 12); /* reused addresses */
				clone = skb + 0x800;
				if (step == 2)
					ev(id, skb, ts++, 2, clone, false);
				else if (step == 5)
					ev(id, skb, ts++, 5, 0, true);
				else if (step == 9)
					ev(id, clone, ts++, 9, 0, true);
				else
					ev(id, step < 5 ? skb : clone, ts++, (__u16)step, 0, false);
				added++;
			}
			assert_true(nt_grouper_events(gr) <= pool);
		}
	}
	return added;
}

/* Every event added is printed or counted as not kept; every early emit is counted. */
static void assert_accounted(size_t added)
{
	const struct nt_group_stats *st = nt_grouper_stats(gr);

	assert_int_equal(nkept + ncut, added);
	assert_int_equal(ncut, st->events_cut);
	assert_int_equal(st->emitted, nrecs);
	assert_int_equal(nrecs - ncomplete,
			 st->evicted_groups + st->evicted_events + st->idle + st->flushed);
}

static void test_flood_fits(void **state)
{
	size_t added;

	(void)state;
	caps(64, 160, 16, 4); /* 16 groups of 10: just fits */
	added = flood_inflight(100000, 160);
	assert_int_equal(nrecs, 100000);
	assert_int_equal(ncomplete, 100000);
	assert_int_equal(nt_grouper_live(gr), 0);
	assert_accounted(added);
}

/* A pool too small for what is in flight: groups are cut short, never lost. */
static void test_flood_pool_short(void **state)
{
	size_t added, bytes;

	(void)state;
	caps(64, 100, 16, 4);
	bytes = nt_grouper_bytes(gr);
	added = flood_inflight(100000, 100);
	nt_grouper_flush(gr);
	assert_true(nt_grouper_stats(gr)->evicted_events > 0);
	assert_true(nrecs > 100000); /* an evicted group's later events: a new group */
	assert_accounted(added);
	assert_int_equal(nt_grouper_bytes(gr), bytes);
}

/* Never freed: each new group beyond 64 live evicts the oldest. */
static void test_flood_never_freed(void **state)
{
	size_t i, step, added = 0;

	(void)state;
	for (i = 0; i < 100000; i++)
		for (step = 0; step < 10; step++, added++)
			ev(i + 1, 0xffff888100000000ULL + (i << 12), added, 1, 0, false);
	assert_int_equal(nt_grouper_live(gr), 64);
	assert_int_equal(nt_grouper_stats(gr)->evicted_groups, 100000 - 64);
	nt_grouper_flush(gr);
	assert_int_equal(nt_grouper_stats(gr)->flushed, 64);
	assert_int_equal(nrecs, 100000);
	assert_int_equal(ncomplete, 0);
	assert_accounted(added);
}

/* VmRSS of this process, in kB. */
static long vm_rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The arena is resident from the start: traffic cannot make it grow. */
static void test_memory_resident_upfront(void **state)
{
	long before, after;

	(void)state;
	nt_grouper_free(gr);
	gr = NULL;
	before = vm_rss_kb();
	caps(2048, 8192, 256, 16);
	after = vm_rss_kb();
	assert_true(nt_grouper_bytes(gr) > 3 * 1024 * 1024);
	assert_true(nt_grouper_bytes(gr) < 5 * 1024 * 1024);
	assert_true((size_t)(after - before) * 1024 >= nt_grouper_bytes(gr) * 9 / 10);
}

static void test_stats_format(void **state)
{
	const struct nt_group_caps c = {
		.groups = 2048, .events = 8192, .per_group = 256, .skbs = 16
	};
	struct nt_group_stats st = {};
	char buf[256];

	(void)state;
	assert_int_equal(nt_group_stats_format(&st, &c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	st.emitted = 99; /* normal life: nothing to say */
	assert_int_equal(nt_group_stats_format(&st, &c, buf, sizeof(buf)), 0);
	st.evicted_groups = 3;
	st.evicted_events = 4;
	st.flushed = 2;
	st.events_cut = 5;
	nt_group_stats_format(&st, &c, buf, sizeof(buf));
	assert_string_equal(buf, "grouper: 7 packets printed early to make room (2048 packets or "
				 "8192 events held), 2 unfreed at exit, 5 events not kept (over "
				 "256 in a packet)");
	st = (struct nt_group_stats){ .idle = 1, .skbs_cut = 2 };
	nt_group_stats_format(&st, &c, buf, sizeof(buf));
	assert_string_equal(buf, "grouper: 1 printed unfreed after idling, 2 skb addresses not "
				 "followed (over 16 in a packet)");
	assert_int_equal(nt_group_stats_format(&st, &c, buf, 10), 9);
	assert_string_equal(buf, "grouper: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_single_skb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted_by_ts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_oldest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_groups_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_skbs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_group_clamped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_and_flush_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_fits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_pool_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_never_freed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_resident_upfront, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_format, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
