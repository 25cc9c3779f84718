// SPDX-License-Identifier: GPL-2.0
/* The monitor's pure parts: report folding (src/monitor/fold.c), the key map (src/util/bytemap.c).
 */
#include "common.h"
#include "monitor/fold.h"
#include "util/bytemap.h"

#define S 1000000000ULL

struct folded {
	int calls;
	unsigned int key;
	unsigned long long more;
	bool overflow;
};

static void on_fold(void *ctx, const void *key, unsigned long long more, __u64 span)
{
	struct folded *f = ctx;

	(void)span;
	f->calls++;
	if (key)
		f->key = *(const unsigned int *)key, f->more += more;
	else
		f->overflow = true;
}

/* At most 3 lines per kind and window, each of another flow; then one line with the rest. */
static void test_fold_flood(void **state)
{
	struct folded out = {};
	struct nt_fold f;
	unsigned int kind = 7;
	int printed = 0, i;

	(void)state;
	assert_int_equal(nt_fold_init(&f, sizeof(kind), 4, 10 * S, 3), 0);
	for (i = 0; i < 100000; i++)
		printed += nt_fold_offer(&f, &kind, i % 50, 1 * S + i);
	assert_int_equal(printed, 3);
	nt_fold_seen(&f, &kind, 100000, 2 * S);
	assert_int_equal(nt_fold_expire(&f, 5 * S, false, on_fold, &out), 0);
	assert_int_equal(nt_fold_expire(&f, 11 * S + 100000, false, on_fold, &out), 1);
	assert_int_equal(out.calls, 1);
	assert_int_equal(out.key, 7);
	assert_int_equal(out.more, 100000 - 3);
	/* A new window: printed again. */
	assert_true(nt_fold_offer(&f, &kind, 1, 12 * S));
	nt_fold_free(&f);
}

/* The same flow twice is folded; a window that folded nothing says nothing. */
static void test_fold_same_flow(void **state)
{
	struct folded out = {};
	unsigned int a = 1, b = 2;
	struct nt_fold f;

	(void)state;
	assert_int_equal(nt_fold_init(&f, sizeof(a), 4, 10 * S, 3), 0);
	assert_true(nt_fold_offer(&f, &a, 42, S));
	assert_false(nt_fold_offer(&f, &a, 42, S + 1));
	assert_true(nt_fold_offer(&f, &b, 42, S + 2)); /* another kind */
	nt_fold_seen(&f, &a, 2, S + 3);
	nt_fold_seen(&f, &b, 1, S + 3);
	assert_int_equal(nt_fold_expire(&f, 20 * S, false, on_fold, &out), 1);
	assert_int_equal(out.key, 1);
	assert_int_equal(out.more, 1);
	assert_int_equal(f.folded, 1);
	nt_fold_free(&f);
}

/* Counts that come while no window is open open one: nothing counted goes unsaid. */
static void test_fold_seen_opens(void **state)
{
	struct folded out = {};
	unsigned int a = 5;
	struct nt_fold f;

	(void)state;
	assert_int_equal(nt_fold_init(&f, sizeof(a), 4, 10 * S, 3), 0);
	nt_fold_seen(&f, &a, 1000, S);
	assert_int_equal(nt_fold_expire(&f, 12 * S, false, on_fold, &out), 1);
	assert_int_equal(out.key, 5);
	assert_int_equal(out.more, 1000);
	nt_fold_free(&f);
}

/* More kinds than room: folded and counted; said once at the next expiry. */
static void test_fold_full(void **state)
{
	struct folded out = {};
	struct nt_fold f;
	unsigned int k;

	(void)state;
	assert_int_equal(nt_fold_init(&f, sizeof(k), 2, 10 * S, 1), 0);
	for (k = 0; k < 5; k++)
		assert_int_equal(nt_fold_offer(&f, &k, k, S), k < 2);
	assert_int_equal(f.overflow, 3);
	nt_fold_expire(&f, 2 * S, true, on_fold, &out);
	assert_true(out.overflow);
	assert_int_equal(f.overflow, 0);
	/* all: every window closed, room again */
	k = 9;
	assert_true(nt_fold_offer(&f, &k, 1, 3 * S));
	nt_fold_free(&f);
}

struct key {
	unsigned int a, b;
};

static void test_bytemap(void **state)
{
	struct nt_bytemap m;
	struct key k = {};
	unsigned long *v;
	const struct key *it;
	size_t pos = 0, n = 0;
	unsigned int i;

	(void)state;
	assert_int_equal(nt_bytemap_init(&m, sizeof(k), sizeof(*v), 1000), 0);
	for (i = 0; i < 1000; i++) {
		k.a = i;
		k.b = i * 7;
		v = nt_bytemap_get(&m, &k, true);
		assert_non_null(v);
		assert_int_equal(*v, 0);
		*v = i + 1;
	}
	k.a = 5000;
	assert_null(nt_bytemap_get(&m, &k, true)); /* full */
	/* Delete every third, then all others are still found with their values. */
	for (i = 0; i < 1000; i += 3) {
		k.a = i;
		k.b = i * 7;
		assert_true(nt_bytemap_del(&m, &k));
		assert_false(nt_bytemap_del(&m, &k));
	}
	for (i = 0; i < 1000; i++) {
		k.a = i;
		k.b = i * 7;
		v = nt_bytemap_get(&m, &k, false);
		if (i % 3 == 0) {
			assert_null(v);
		} else {
			assert_non_null(v);
			assert_int_equal(*v, i + 1);
		}
	}
	/* Iteration deleting as it goes (the namespace release) leaves nothing. */
	while ((it = nt_bytemap_next(&m, &pos, (void **)&v))) {
		assert_int_equal(*v, it->a + 1);
		nt_bytemap_del(&m, it);
		n++;
	}
	assert_true(n >= 666);
	assert_int_equal(m.n, 0);
	nt_bytemap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_flood),
		cmocka_unit_test(test_fold_same_flow), cmocka_unit_test(test_fold_seen_opens),
		cmocka_unit_test(test_fold_full),
		cmocka_unit_test(test_bytemap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
