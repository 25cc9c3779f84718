// SPDX-License-Identifier: GPL-2.0
/* Drop reason names from BTF (src/kernel/reasons.c), on a BTF built in memory. */
#include <errno.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "common.h"
#include "kernel/reasons.h"

struct enum_val {
	const char *name;
	long long value;
};

static void add_enum(struct btf *btf, const char *name, const struct enum_val *vals, size_t n)
{
	size_t i;

	assert_true(btf__add_enum(btf, name, 4) > 0);
	for (i = 0; i < n; i++)
		assert_int_equal(btf__add_enum_value(btf, vals[i].name, vals[i].value), 0);
}

static const struct enum_val core[] = {
	{"SKB_NOT_DROPPED_YET", 0},	      {"SKB_CONSUMED", 1},
	{"SKB_DROP_REASON_NOT_SPECIFIED", 2}, {"SKB_DROP_REASON_NO_SOCKET", 3},
	{"SKB_DROP_REASON_PKT_TOO_SMALL", 4}, {"SKB_DROP_REASON_TCP_CSUM", 5},
	{"SKB_DROP_REASON_MAX", 6},
};

static const struct enum_val subsys[] = {
	{"SKB_DROP_REASON_SUBSYS_CORE", 0},
	{"SKB_DROP_REASON_SUBSYS_MAC80211_UNUSABLE", 1},
	{"SKB_DROP_REASON_SUBSYS_OPENVSWITCH", 2},
	{"SKB_DROP_REASON_SUBSYS_NUM", 3},
};

static const struct enum_val ovs[] = {
	{"OVS_DROP_LAST_ACTION", 0x20001},
	{"OVS_DROP_ACTION_ERROR", 0x20002},
};

static const struct enum_val unrelated[] = {
	{"TCP_ESTABLISHED", 1},
	{"TCP_SYN_SENT", 2},
};

/* A BTF like a kernel's: an int, unrelated enums, the three kinds of drop reason enums. */
static struct btf *kernel_like_btf(void)
{
	struct btf *btf = btf__new_empty();

	assert_non_null(btf);
	assert_true(btf__add_int(btf, "int", 4, BTF_INT_SIGNED) > 0);
	add_enum(btf, "tcp_state", unrelated, ARRAY_SIZE(unrelated));
	add_enum(btf, "skb_drop_reason", core, ARRAY_SIZE(core));
	add_enum(btf, "skb_drop_reason_subsys", subsys, ARRAY_SIZE(subsys));
	add_enum(btf, "ovs_drop_reason", ovs, ARRAY_SIZE(ovs));
	return btf;
}

struct fixture {
	struct btf *btf;
	struct nt_reasons r;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->btf = kernel_like_btf();
	if (nt_reasons_load(&fx->r, fx->btf)) {
		btf__free(fx->btf);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	nt_reasons_free(&fx->r);
	btf__free(fx->btf);
	free(fx);
	return 0;
}

static const char *fmt(const struct nt_reasons *r, __u32 value)
{
	static char buf[128];

	memset(buf, 'x', sizeof(buf));
	nt_reason_format(r, value, buf, sizeof(buf));
	return buf;
}

static void test_load_counts(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fx->r.ncore, ARRAY_SIZE(core));
	assert_int_equal(fx->r.nsubsys, ARRAY_SIZE(subsys));
	assert_int_equal(fx->r.nsub, ARRAY_SIZE(ovs));
	assert_non_null(fx->r.core);
	assert_non_null(fx->r.subsys);
	assert_non_null(fx->r.sub);
}

static void test_names_stripped(void **state)
{
	struct fixture *fx = *state;

	assert_string_equal(fmt(&fx->r, 0), "NOT_DROPPED_YET");
	assert_string_equal(fmt(&fx->r, 1), "CONSUMED");
	assert_string_equal(fmt(&fx->r, 2), "NOT_SPECIFIED");
	assert_string_equal(fmt(&fx->r, 3), "NO_SOCKET");
	assert_string_equal(fmt(&fx->r, 5), "TCP_CSUM");
}

static void test_value_by_name(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(nt_reason_value(&fx->r, "CONSUMED"), 1);
	assert_int_equal(nt_reason_value(&fx->r, "NOT_DROPPED_YET"), 0);
	assert_int_equal(nt_reason_value(&fx->r, "NO_SOCKET"), 3);
	assert_int_equal(nt_reason_value(&fx->r, "SKB_CONSUMED"), -1);
	assert_int_equal(nt_reason_value(&fx->r, "SKB_DROP_REASON_NO_SOCKET"), -1);
	assert_int_equal(nt_reason_value(&fx->r, "consumed"), -1);
	assert_int_equal(nt_reason_value(&fx->r, ""), -1);
	assert_int_equal(nt_reason_value(&fx->r, "BOGUS"), -1);
	/* Only the core enum is searched. */
	assert_int_equal(nt_reason_value(&fx->r, "OVS_DROP_LAST_ACTION"), -1);
}

static void test_unknown(void **state)
{
	struct fixture *fx = *state;

	assert_string_equal(fmt(&fx->r, 99), "UNKNOWN(99)");
	assert_string_equal(fmt(&fx->r, 0xffff), "UNKNOWN(65535)");
}

static void test_subsystems(void **state)
{
	struct fixture *fx = *state;

	assert_string_equal(fmt(&fx->r, 0x20001), "OPENVSWITCH/OVS_DROP_LAST_ACTION");
	assert_string_equal(fmt(&fx->r, 0x20002), "OPENVSWITCH/OVS_DROP_ACTION_ERROR");
	assert_string_equal(fmt(&fx->r, 0x20005), "OPENVSWITCH/0x5");
	assert_string_equal(fmt(&fx->r, 0x2abcd), "OPENVSWITCH/0xabcd");
	assert_string_equal(fmt(&fx->r, 0x10000), "MAC80211_UNUSABLE/0x0");
	assert_string_equal(fmt(&fx->r, 0x90001), "SUBSYS_9/0x1");
	assert_string_equal(fmt(&fx->r, 0xffff0000), "SUBSYS_65535/0x0");
}

/* The text is cut to the buffer and terminated. */
static void test_small_buffer(void **state)
{
	struct fixture *fx = *state;
	char buf[6];

	nt_reason_format(&fx->r, 3, buf, sizeof(buf));
	assert_string_equal(buf, "NO_SO");
	nt_reason_format(&fx->r, 0x20001, buf, sizeof(buf));
	assert_string_equal(buf, "OPENV");
}

static void test_no_enum(void **state)
{
	struct nt_reasons r;
	struct btf *btf;

	(void)state;
	btf = btf__new_empty();
	assert_non_null(btf);
	assert_int_equal(nt_reasons_load(&r, btf), -ENOENT);
	assert_int_equal(r.ncore, 0);
	assert_null(r.core);

	assert_true(btf__add_int(btf, "int", 4, BTF_INT_SIGNED) > 0);
	add_enum(btf, "tcp_state", unrelated, ARRAY_SIZE(unrelated));
	assert_int_equal(nt_reasons_load(&r, btf), -ENOENT);

	/* Subsystems without the core enum are no drop reasons either. */
	add_enum(btf, "skb_drop_reason_subsys", subsys, ARRAY_SIZE(subsys));
	add_enum(btf, "ovs_drop_reason", ovs, ARRAY_SIZE(ovs));
	memset(&r, 0xff, sizeof(r));
	assert_int_equal(nt_reasons_load(&r, btf), -ENOENT);
	assert_null(r.core);
	assert_null(r.subsys);
	assert_null(r.sub);
	assert_int_equal(r.nsubsys, 0);
	nt_reasons_free(&r); /* harmless after a failed load */
	btf__free(btf);
}

/* Without subsystem enums (kernels before v6.0), only core reasons have names. */
static void test_core_only(void **state)
{
	struct nt_reasons r;
	struct btf *btf;

	(void)state;
	btf = btf__new_empty();
	assert_non_null(btf);
	add_enum(btf, "skb_drop_reason", core, ARRAY_SIZE(core));
	assert_int_equal(nt_reasons_load(&r, btf), 0);
	assert_int_equal(r.nsubsys, 0);
	assert_int_equal(r.nsub, 0);
	assert_string_equal(fmt(&r, 3), "NO_SOCKET");
	assert_string_equal(fmt(&r, 0x20001), "SUBSYS_2/0x1");
	nt_reasons_free(&r);
	assert_null(r.core);
	assert_int_equal(r.ncore, 0);
	btf__free(btf);
}

/* The running kernel's own enum, where it has one. */
static void test_vmlinux(void **state)
{
	struct nt_reasons r;
	struct btf *btf;
	long v;
	int err;

	(void)state;
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		print_message("skipped: /sys/kernel/btf/vmlinux is absent\n");
		skip();
	}
	btf = btf__load_vmlinux_btf();
	assert_non_null(btf);
	err = nt_reasons_load(&r, btf);
	if (err == -ENOENT) {
		btf__free(btf);
		print_message("skipped: this kernel has no enum skb_drop_reason\n");
		skip();
	}
	assert_int_equal(err, 0);
	assert_true(r.ncore > 2);
	v = nt_reason_value(&r, "NO_SOCKET");
	assert_true(v > 0);
	assert_string_equal(fmt(&r, v), "NO_SOCKET");
	/* Newer than the reasons themselves: checked where present. */
	v = nt_reason_value(&r, "NOT_DROPPED_YET");
	if (v >= 0)
		assert_int_equal(v, 0);
	v = nt_reason_value(&r, "CONSUMED");
	if (v >= 0)
		assert_string_equal(fmt(&r, v), "CONSUMED");
	nt_reasons_free(&r);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_stripped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subsystems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_small_buffer, setup, teardown),
		cmocka_unit_test(test_no_enum),
		cmocka_unit_test(test_core_only),
		cmocka_unit_test(test_vmlinux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
