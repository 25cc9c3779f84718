// SPDX-License-Identifier: GPL-2.0
/* The string set behind the catalog's kallsyms check (src/util/strset.c). */
#include <errno.h>
#include "common.h"
#include "util/strset.h"

static void test_members(void **state)
{
	static const char *const in[] = { "tcp_v4_rcv", "ip_rcv", "", "ip_rcv_finish", "udp_rcv" };
	struct nt_strset s;
	char probe[32];
	size_t i;

	(void)state;
	assert_int_equal(nt_strset_init(&s, ARRAY_SIZE(in)), 0);
	assert_false(nt_strset_has(&s, "ip_rcv"));
	for (i = 0; i < ARRAY_SIZE(in); i++)
		assert_int_equal(nt_strset_add(&s, in[i]), 0);
	for (i = 0; i < ARRAY_SIZE(in); i++) {
		/* Equal strings at other addresses are found: compared, not pointers. */
		snprintf(probe, sizeof(probe), "%s", in[i]);
		assert_true(nt_strset_has(&s, probe));
	}
	assert_false(nt_strset_has(&s, "ip_rc"));
	assert_false(nt_strset_has(&s, "ip_rcv_"));
	assert_false(nt_strset_has(&s, "tcp_v6_rcv"));
	nt_strset_free(&s);
	assert_false(nt_strset_has(&s, "ip_rcv"));
}

static void test_duplicates_and_full(void **state)
{
	struct nt_strset s;

	(void)state;
	assert_int_equal(nt_strset_init(&s, 2), 0);
	assert_int_equal(nt_strset_add(&s, "a"), 0);
	assert_int_equal(nt_strset_add(&s, "a"), 0); /* once: takes no room */
	assert_int_equal(nt_strset_add(&s, "b"), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(nt_strset_add(&s, "c"), -ENOSPC);
	assert_int_equal(nt_strset_add(&s, "b"), 0); /* present: no room needed */
	assert_false(nt_strset_has(&s, "c"));
	nt_strset_free(&s);
}

/* Many names, as kallsyms has: every one found, none of a disjoint set. */
static void test_many(void **state)
{
	enum { N = 50000 };
	char (*names)[16] = calloc(N, sizeof(*names));
	struct nt_strset s;
	char other[16];
	size_t i;

	(void)state;
	assert_non_null(names);
	assert_int_equal(nt_strset_init(&s, N), 0);
	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "sym_%zu", i * 2);
		assert_int_equal(nt_strset_add(&s, names[i]), 0);
	}
	assert_int_equal(s.n, N);
	for (i = 0; i < N; i++) {
		assert_true(nt_strset_has(&s, names[i]));
		snprintf(other, sizeof(other), "sym_%zu", i * 2 + 1);
		assert_false(nt_strset_has(&s, other));
	}
	nt_strset_free(&s);
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_duplicates_and_full),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
