// SPDX-License-Identifier: GPL-2.0
/* Kernel symbols from a kallsyms-format file (src/kernel/ksyms.c). */
#include <errno.h>
#include <limits.h>
#include "common.h"
#include "kernel/ksyms.h"

/* Unsorted, with a zero address (kptr_restrict style) and lines that are no symbol:
 * no name, no type, a two-letter type, no address, a tab for the first blank. */
static const char kallsyms[] = "ffffffff81200000 T tcp_v4_rcv\n"
			       "0000000000000000 t hidden_sym\n"
			       "ffffffff81000000 T _stext\n"
			       "ffffffff81300000 t kfree_skb_reason\n"
			       "not a symbol line\n"
			       "\n"
			       "ffffffff81400000 T\n"
			       "ffffffff81400000 T \n"
			       "ffffffff81400000  ip_output\n"
			       "ffffffff81400000 TT ip_output\n"
			       " T ip_output\n"
			       "ffffffff81400000\tT ip_output\n"
			       "ffffffff81100000 T ip_rcv\n"
			       "ffffffffc0a01000 t nf_hook_slow\t[nf_tables]\n";

struct fixture {
	char path[PATH_MAX];
	struct nt_ksyms ks;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	tmpfile_write(fx->path, sizeof(fx->path), kallsyms);
	if (nt_ksyms_load(&fx->ks, fx->path)) {
		unlink(fx->path);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	nt_ksyms_free(&fx->ks);
	unlink(fx->path);
	free(fx);
	return 0;
}

static const char *fmt(const struct nt_ksyms *ks, __u64 addr)
{
	static char buf[128];

	nt_ksyms_format(ks, addr, buf, sizeof(buf));
	return buf;
}

static void test_loaded_sorted(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	assert_int_equal(fx->ks.n, 5); /* the zero address and the junk are left out */
	for (i = 1; i < fx->ks.n; i++)
		assert_true(fx->ks.syms[i - 1].addr <= fx->ks.syms[i].addr);
}

static void test_find_inside(void **state)
{
	struct fixture *fx = *state;
	const char *name;
	__u64 off = 0;

	name = nt_ksyms_find(&fx->ks, 0xffffffff81200010ULL, &off);
	assert_non_null(name);
	assert_string_equal(name, "tcp_v4_rcv");
	assert_int_equal(off, 0x10);
	assert_string_equal(fmt(&fx->ks, 0xffffffff81200010ULL), "tcp_v4_rcv+0x10");

	/* The last byte before the next symbol still belongs to this one. */
	assert_string_equal(fmt(&fx->ks, 0xffffffff811fffffULL), "ip_rcv+0xfffff");
	assert_string_equal(fmt(&fx->ks, 0xffffffff81000001ULL), "_stext+0x1");
	assert_string_equal(fmt(&fx->ks, 0xffffffffc0a01234ULL), "nf_hook_slow+0x234");
}

static void test_find_at_start(void **state)
{
	struct fixture *fx = *state;
	__u64 off = 99;

	assert_string_equal(nt_ksyms_find(&fx->ks, 0xffffffff81100000ULL, &off), "ip_rcv");
	assert_int_equal(off, 0);
	assert_string_equal(fmt(&fx->ks, 0xffffffff81000000ULL), "_stext+0x0");
	assert_string_equal(fmt(&fx->ks, 0xffffffff81300000ULL), "kfree_skb_reason+0x0");
	assert_string_equal(fmt(&fx->ks, 0xffffffffc0a01000ULL), "nf_hook_slow+0x0");
}

static void test_before_first(void **state)
{
	struct fixture *fx = *state;
	__u64 off = 0;

	assert_null(nt_ksyms_find(&fx->ks, 0xffffffff80ffffffULL, &off));
	assert_null(nt_ksyms_find(&fx->ks, 0, &off));
	assert_string_equal(fmt(&fx->ks, 0xffffffff80ffffffULL), "0xffffffff80ffffff");
	assert_string_equal(fmt(&fx->ks, 0), "0x0");
	assert_string_equal(fmt(NULL, 0xffffffff81200010ULL), "0xffffffff81200010");
}

static void test_addr_by_name(void **state)
{
	struct fixture *fx = *state;

	assert_true(nt_ksyms_addr(&fx->ks, "ip_rcv") == 0xffffffff81100000ULL);
	assert_true(nt_ksyms_addr(&fx->ks, "tcp_v4_rcv") == 0xffffffff81200000ULL);
	assert_true(nt_ksyms_addr(&fx->ks, "nf_hook_slow") == 0xffffffffc0a01000ULL);
	assert_true(nt_ksyms_addr(&fx->ks, "hidden_sym") == 0);
	assert_true(nt_ksyms_addr(&fx->ks, "ip_rc") == 0);
	assert_true(nt_ksyms_addr(&fx->ks, "missing") == 0);
}

static void test_small_buffer(void **state)
{
	struct fixture *fx = *state;
	char buf[8];

	nt_ksyms_format(&fx->ks, 0xffffffff81200010ULL, buf, sizeof(buf));
	assert_string_equal(buf, "tcp_v4_");
}

static void test_all_zero(void **state)
{
	char path[PATH_MAX];
	struct nt_ksyms ks;

	(void)state;
	tmpfile_write(path, sizeof(path),
		      "0000000000000000 T _stext\n0000000000000000 T tcp_v4_rcv\n");
	memset(&ks, 0xff, sizeof(ks));
	assert_int_equal(nt_ksyms_load(&ks, path), -ENOENT);
	assert_int_equal(ks.n, 0);
	assert_null(ks.syms);
	assert_null(ks.names);
	unlink(path);

	tmpfile_write(path, sizeof(path), "");
	assert_int_equal(nt_ksyms_load(&ks, path), -ENOENT);
	unlink(path);
}

static void test_missing_file(void **state)
{
	struct nt_ksyms ks;

	(void)state;
	assert_int_equal(nt_ksyms_load(&ks, "/nonexistent/nettrace/kallsyms"), -ENOENT);
	assert_int_equal(ks.n, 0);
	assert_null(nt_ksyms_find(&ks, 0x1000, &(__u64){0}));
	nt_ksyms_free(&ks);
}

/* Many symbols in reverse order: the arrays grow, the search still finds each one. */
static void test_many(void **state)
{
	enum { N = 5000 };
	char path[PATH_MAX], name[32], want[48];
	struct nt_ksyms ks;
	size_t len = 0;
	char *text;
	__u64 addr;
	int i;

	(void)state;
	text = malloc(N * 48 + 1);
	assert_non_null(text);
	for (i = N - 1; i >= 0; i--)
		len += sprintf(text + len, "%016llx t sym_%d\n",
			       0xffffffff81000000ULL + (unsigned long long)i * 0x100, i);
	tmpfile_write(path, sizeof(path), text);
	free(text);
	assert_int_equal(nt_ksyms_load(&ks, path), 0);
	unlink(path);
	assert_int_equal(ks.n, N);
	for (i = 0; i < N; i += 7) {
		addr = 0xffffffff81000000ULL + (unsigned long long)i * 0x100 + (i % 0x100);
		snprintf(want, sizeof(want), "sym_%d+0x%x", i, i % 0x100);
		assert_string_equal(fmt(&ks, addr), want);
		snprintf(name, sizeof(name), "sym_%d", i);
		assert_true(nt_ksyms_addr(&ks, name) == addr - (i % 0x100));
	}
	/* Past the last symbol: still the last one. */
	assert_string_equal(fmt(&ks, 0xffffffff81000000ULL + N * 0x100ULL), "sym_4999+0x100");
	nt_ksyms_free(&ks);
	assert_int_equal(ks.n, 0);
	assert_null(ks.syms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loaded_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_before_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_buffer, setup, teardown),
		cmocka_unit_test(test_all_zero),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
