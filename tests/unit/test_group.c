// SPDX-License-Identifier: GPL-2.0
/* The lifecycle grouper of src/group/group.c: when groups end, and bounded memory. */
#include "common.h"
#include "group/group.h"

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
};

static struct rec recs[REC_MAX];
static size_t nrecs;    /* groups emitted */
static size_t ncomplete; /* of which complete */

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
	for (i = 0; i < g->nevents && i < REC_EVS; i++) {
		r->ts[i] = g->events[i].ts;
		r->probe[i] = g->events[i].probe;
	}
	for (i = 0; i < g->nskbs && i < REC_SKBS; i++)
		r->skbs[i] = g->skbs[i];
	nrecs++;
	ncomplete += g->complete;
}

static struct nt_grouper *gr;

static int setup(void **state)
{
	(void)state;
	nrecs = ncomplete = 0;
	gr = nt_grouper_new(64, 32, 8, on_group, NULL);
	assert_non_null(gr);
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
	nt_grouper_free(gr);
	gr = nt_grouper_new(2, 32, 8, on_group, NULL);
	assert_non_null(gr);
	ev(1, SKB_A, 10, 1, 0, false);
	ev(2, SKB_B, 20, 1, 0, false);
	ev(1, SKB_A, 30, 2, 0, false);
	ev(3, SKB_C, 40, 1, 0, false); /* full: 2 is the least recently active */
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].id, 2);
	assert_false(recs[0].complete);
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
}

static void test_max_events(void **state)
{
	__u64 ts;

	(void)state;
	nt_grouper_free(gr);
	gr = nt_grouper_new(4, 4, 8, on_group, NULL);
	assert_non_null(gr);
	for (ts = 1; ts <= 9; ts++)
		ev(9, SKB_A, 100 - ts, (__u16)ts, 0, false);
	ev(9, SKB_A, 200, 10, 0, true);
	assert_int_equal(nrecs, 1);
	assert_true(recs[0].complete);
	assert_int_equal(recs[0].nevents, 4);
	assert_int_equal(recs[0].dropped_events, 6);
	assert_int_equal(recs[0].ts[0], 96); /* the first four kept, sorted */
	assert_int_equal(recs[0].ts[3], 99);
}

static void test_max_skbs(void **state)
{
	(void)state;
	nt_grouper_free(gr);
	gr = nt_grouper_new(4, 16, 2, on_group, NULL);
	assert_non_null(gr);
	ev(1, SKB_A, 10, 1, SKB_B, false);
	ev(1, SKB_C, 20, 2, 0, false); /* not tracked */
	ev(1, SKB_A, 30, 3, 0, true);
	ev(1, SKB_B, 40, 4, 0, true);
	assert_int_equal(nrecs, 1);
	assert_false(recs[0].complete);
	assert_int_equal(recs[0].nskbs, 2);
	assert_int_equal(recs[0].dropped_skbs, 1);
	assert_int_equal(recs[0].nevents, 4);
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

/*
 * 100,000 groups of 10 events (a clone each), 16 in flight at once, then
 * 100,000 groups that are never freed (evicted): allocations stop after
 * warm-up.
 */
static void test_memory_bounded(void **state)
{
	const size_t ngroups = 100000, inflight = 16, warm = 1000;
	size_t start, base = 0, i, k, step;
	__u64 id, ts = 1, skb, clone;

	(void)state;
	nt_grouper_free(gr);
	gr = nt_grouper_new(64, 16, 4, on_group, NULL);
	assert_non_null(gr);
	start = nt_grouper_allocs(gr);
	/* Step k adds event k of groups b..b+inflight-1; each group spans 10 steps. */
	for (i = 0; i < ngroups; i += inflight) {
		if (!base && i >= warm)
			base = nt_grouper_allocs(gr);
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
			}
		}
	}
	assert_true(base > start); /* slots were allocated during warm-up */
	assert_int_equal(nt_grouper_allocs(gr), base);
	assert_int_equal(nrecs, ngroups);
	assert_int_equal(ncomplete, ngroups);
	assert_int_equal(recs[(nrecs - 1) % REC_MAX].nevents, 10);
	assert_int_equal(nt_grouper_live(gr), 0);

	/* Never freed: each new group beyond 64 live evicts the oldest. */
	for (i = 0; i < ngroups; i++) {
		if (i == warm)
			base = nt_grouper_allocs(gr);
		for (step = 0; step < 10; step++)
			ev(ngroups + 1 + i, 0xffff888100000000ULL + (i << 12), ts++, 1, 0, false);
	}
	assert_int_equal(nt_grouper_allocs(gr), base);
	assert_int_equal(nt_grouper_live(gr), 64);
	assert_int_equal(nrecs, 2 * ngroups - 64);
	assert_int_equal(ncomplete, ngroups);
	nt_grouper_flush(gr);
	assert_int_equal(nrecs, 2 * ngroups);
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
		cmocka_unit_test_setup_teardown(test_memory_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
