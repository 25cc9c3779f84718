// SPDX-License-Identifier: GPL-2.0
/* The hook inventory cache of src/netfilter/inventory/inventory_cache.c: how often it walks. */
#include "common.h"
#include "netfilter/inventory/inventory_cache.h"

#define INO_FAIL 666

static size_t walks[1000]; /* per inode */

/* A fake walk: one item whose priority is the walk's number for this inode. */
static int fake_walk(void *ctx, __u32 ino, struct nt_hook_inv *inv, char *why, size_t len)
{
	(void)ctx;
	walks[ino]++;
	memset(inv, 0, sizeof(*inv));
	if (ino == INO_FAIL) {
		snprintf(why, len, "netns %u is gone", ino);
		return -1;
	}
	inv->items = calloc(1, sizeof(*inv->items));
	assert_non_null(inv->items);
	inv->n = 1;
	inv->netns = ino;
	inv->items[0].rec.priority = (__s32)walks[ino];
	return 0;
}

static struct nt_hookcache cache;

static int setup(void **state)
{
	(void)state;
	memset(walks, 0, sizeof(walks));
	nt_hookcache_init(&cache, fake_walk, NULL, 1.0, 4);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nt_hookcache_free(&cache);
	return 0;
}

/* The priority of the item got for @ino at @now: which walk answered. */
static int walk_seen(__u32 ino, double now)
{
	const struct nt_hook_inv *inv;
	char why[256] = "";

	inv = nt_hookcache_get(&cache, ino, now, why, sizeof(why));
	assert_non_null(inv);
	assert_int_equal(inv->netns, ino);
	return inv->items[0].rec.priority;
}

/* A flood of findings in one namespace: one walk per ttl, not one per finding. */
static void test_once_per_ttl(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(walk_seen(1, 100.0 + i * 0.0009), 1);
	assert_int_equal(walks[1], 1);
	assert_int_equal(walk_seen(1, 101.0), 2); /* ttl passed: hooks read again */
	assert_int_equal(walk_seen(1, 101.5), 2);
	assert_int_equal(walks[1], 2);
	assert_int_equal(cache.walks, 2);
}

/* A namespace that cannot be walked is not retried within the ttl either. */
static void test_failure_cached(void **state)
{
	char why[256] = "";
	int i;

	(void)state;
	for (i = 0; i < 10; i++) {
		why[0] = '\0';
		assert_null(nt_hookcache_get(&cache, INO_FAIL, 5.0 + i * 0.01, why, sizeof(why)));
		assert_string_equal(why, "netns 666 is gone");
	}
	assert_int_equal(walks[INO_FAIL], 1);
	assert_null(nt_hookcache_get(&cache, INO_FAIL, 6.5, why, sizeof(why)));
	assert_int_equal(walks[INO_FAIL], 2);
}

/* At most 4 walks per ttl in all: a fifth namespace is not walked, a stale one is reused. */
static void test_walk_budget(void **state)
{
	char why[256] = "";
	__u32 ino;

	(void)state;
	for (ino = 1; ino <= 4; ino++)
		assert_int_equal(walk_seen(ino, 10.0), 1);
	assert_null(nt_hookcache_get(&cache, 5, 10.5, why, sizeof(why)));
	assert_contains(why, "not looked up");
	assert_int_equal(walks[5], 0);
	/* New window: 1 is stale and walked again, within the new budget. */
	assert_int_equal(walk_seen(1, 11.0), 2);
	assert_int_equal(walk_seen(5, 11.0), 1);
	assert_int_equal(walk_seen(6, 11.0), 1);
	assert_int_equal(walk_seen(7, 11.0), 1);
	/* Budget spent: 2 is stale (walked at 10.0) and answered as it was. */
	assert_int_equal(walk_seen(2, 11.2), 1);
	assert_int_equal(walks[2], 1);
	assert_int_equal(cache.walks, 8);
}

/* More namespaces than slots: the one walked longest ago gives way. */
static void test_eviction(void **state)
{
	__u32 ino;

	(void)state;
	nt_hookcache_free(&cache);
	nt_hookcache_init(&cache, fake_walk, NULL, 100.0, 100);
	for (ino = 1; ino <= NT_HOOKCACHE_SLOTS; ino++)
		assert_int_equal(walk_seen(ino, 1.0 + ino), 1);
	assert_int_equal(walk_seen(NT_HOOKCACHE_SLOTS + 1, 20.0), 1); /* replaces 1 */
	assert_int_equal(walk_seen(2, 20.0), 1);		      /* still cached */
	assert_int_equal(walk_seen(1, 21.0), 2);		      /* walked again */
	assert_int_equal(walks[2], 1);
	assert_int_equal(cache.walks, NT_HOOKCACHE_SLOTS + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once_per_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
