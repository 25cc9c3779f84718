// SPDX-License-Identifier: GPL-2.0
/* The functions ftrace can hook, from available_filter_functions (src/probe/traceable.c). */
#include <errno.h>
#include <limits.h>
#include "common.h"
#include "probe/traceable.h"

static void test_names_and_modules(void **state)
{
	/* Module functions carry " [module]"; the last line has no newline. */
	static const char list[] = "ip_rcv\n"
				   "nf_hook_slow\n"
				   "\n"
				   "nft_do_chain_ipv4 [nf_tables]\n"
				   "ip_rcv\n"
				   "tcp_v4_rcv";
	struct nt_traceable t;
	char path[PATH_MAX];

	(void)state;
	tmpfile_write(path, sizeof(path), list);
	assert_int_equal(nt_traceable_load(&t, path), 0);
	unlink(path);
	assert_true(nt_traceable_has(&t, "ip_rcv"));
	assert_true(nt_traceable_has(&t, "nf_hook_slow"));
	assert_true(nt_traceable_has(&t, "nft_do_chain_ipv4"));
	assert_true(nt_traceable_has(&t, "tcp_v4_rcv"));
	assert_false(nt_traceable_has(&t, "nft_do_chain_ipv4 [nf_tables]"));
	assert_false(nt_traceable_has(&t, "[nf_tables]"));
	assert_false(nt_traceable_has(&t, "ip6_forward_finish"));
	assert_false(nt_traceable_has(&t, ""));
	nt_traceable_free(&t);
	assert_null(t.buf);
}

static void test_missing(void **state)
{
	struct nt_traceable t;

	(void)state;
	assert_int_equal(nt_traceable_load(&t, "/nonexistent/available_filter_functions"), -ENOENT);
	assert_null(t.buf);
	assert_true(t.tried);
	assert_false(nt_traceable_has(&t, "ip_rcv"));
	nt_traceable_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_modules),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
