// SPDX-License-Identifier: GPL-2.0
/* The netfilter hook inventory (src/netfilter/inventory/). */
#include "common.h"
#include "netfilter/inventory/inventory.h"
#include "output/hooks.h"

static void test_classify(void **state)
{
	static const struct {
		const char *sym;
		enum nt_hook_owner owner;
	} cases[] = {
		{"nft_do_chain_ipv4", NT_OWN_NFT},
		{"nft_do_chain_inet", NT_OWN_NFT},
		{"nft_do_chain_bridge", NT_OWN_NFT},
		{"nft_nat_do_chain", NT_OWN_NFT},
		{"nf_route_table_hook4", NT_OWN_NFT},
		{"ipt_do_table", NT_OWN_XT},
		{"iptable_mangle_hook", NT_OWN_XT},
		{"iptable_filter_hook", NT_OWN_XT},
		{"ip6t_do_table", NT_OWN_XT},
		{"ip6table_mangle_hook", NT_OWN_XT},
		{"arpt_do_table", NT_OWN_XT},
		{"ebt_do_table", NT_OWN_XT},
		{"nf_hook_run_bpf", NT_OWN_BPF},
		{"ipv4_conntrack_in", NT_OWN_CONNTRACK},
		{"ipv4_conntrack_local", NT_OWN_CONNTRACK},
		{"ipv6_conntrack_in", NT_OWN_CONNTRACK},
		{"nf_confirm", NT_OWN_CONNTRACK},
		{"ipv4_confirm", NT_OWN_CONNTRACK},
		{"ipv4_conntrack_defrag", NT_OWN_DEFRAG},
		{"ipv6_defrag", NT_OWN_DEFRAG},
		{"nf_defrag_ipv4_hook", NT_OWN_DEFRAG},
		{"nf_nat_ipv4_pre_routing", NT_OWN_NAT},
		{"nf_nat_ipv4_out", NT_OWN_NAT},
		{"nf_nat_ipv6_in", NT_OWN_NAT},
		{"nf_nat_ipv6_local_fn", NT_OWN_NAT},
		{"selinux_ip_forward", NT_OWN_LSM},
		{"apparmor_ip_postroute", NT_OWN_LSM},
		{"br_nf_pre_routing", NT_OWN_BRNF},
		{"ip_vs_local_request4", NT_OWN_IPVS},
		{"ipv4_synproxy_hook", NT_OWN_OTHER},
		{"accept_all", NT_OWN_OTHER},
		{"nft", NT_OWN_OTHER},
		{"nf_confirmx", NT_OWN_OTHER},
		{"", NT_OWN_OTHER},
		{NULL, NT_OWN_OTHER},
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (nt_hook_classify(cases[i].sym) != cases[i].owner)
			fail_msg("%s: owner %d, want %d", cases[i].sym ? cases[i].sym : "(null)",
				 nt_hook_classify(cases[i].sym), cases[i].owner);
}

static void test_privkind_and_names(void **state)
{
	(void)state;
	assert_int_equal(nt_hook_privkind(NT_OWN_NFT), NT_PRIV_NFT_CHAIN);
	assert_int_equal(nt_hook_privkind(NT_OWN_XT), NT_PRIV_XT_TABLE);
	assert_int_equal(nt_hook_privkind(NT_OWN_BPF), NT_PRIV_BPF_PROG);
	assert_int_equal(nt_hook_privkind(NT_OWN_NAT), NT_PRIV_NAT);
	assert_int_equal(nt_hook_privkind(NT_OWN_CONNTRACK), NT_PRIV_NONE);
	assert_int_equal(nt_hook_privkind(NT_OWN_OTHER), NT_PRIV_NONE);
	assert_string_equal(nt_hook_owner_name(NT_OWN_XT), "iptables-legacy");
	assert_string_equal(nt_hook_owner_name(NT_OWN_BRNF), "br_netfilter");
	assert_string_equal(nt_hook_owner_name((enum nt_hook_owner)99), "other");
	assert_string_equal(nt_hook_family_name(NT_HF_IPV6), "ipv6");
	assert_string_equal(nt_hook_family_name(9), "?");
	assert_string_equal(nt_hook_point_name(NT_HF_IPV4, 0), "PRE_ROUTING");
	assert_string_equal(nt_hook_point_name(NT_HF_BRIDGE, 4), "POST_ROUTING");
	assert_string_equal(nt_hook_point_name(NT_HF_ARP, 1), "OUT");
	assert_string_equal(nt_hook_point_name(NT_HF_ARP, 3), "?");
	assert_string_equal(nt_hooks_nfproto_name(1), "inet");
	assert_string_equal(nt_hooks_nfproto_name(2), "ip");
	assert_string_equal(nt_hooks_nfproto_name(10), "ip6");
	assert_string_equal(nt_hooks_nfproto_name(4), "?");
}

static struct nt_hook_item item(unsigned int family, unsigned int hook, unsigned int depth,
				int prio, const char *sym)
{
	struct nt_hook_item it = {};

	it.rec.family = family;
	it.rec.hook = hook;
	it.rec.depth = depth;
	it.rec.priority = prio;
	it.rec.flags = NT_HR_PRIORITY;
	snprintf(it.sym, sizeof(it.sym), "%s", sym);
	it.owner = nt_hook_classify(sym);
	return it;
}

static void set_nft(struct nt_hook_item *it, unsigned int nfproto, const char *table,
		    const char *chain)
{
	it->rec.flags |= NT_HR_NAMES | NT_HR_NFT_FAMILY;
	it->rec.nft_family = nfproto;
	snprintf(it->rec.table, sizeof(it->rec.table), "%s", table);
	snprintf(it->rec.chain, sizeof(it->rec.chain), "%s", chain);
}

static void test_sort(void **state)
{
	/* Kernel order shuffled; nested chains follow the nat entry they belong to. */
	struct nt_hook_item it[] = {
		item(NT_HF_IPV6, 2, 0, 0, "nft_do_chain_inet"),
		item(NT_HF_IPV4, 4, 0, 100, "nf_nat_ipv4_out"),
		item(NT_HF_IPV4, 4, 1, 100, "nft_nat_do_chain"),
		item(NT_HF_IPV4, 4, 1, 50, "ipt_do_table"),
		item(NT_HF_IPV4, 4, 0, -150, "iptable_mangle_hook"),
		item(NT_HF_IPV4, 0, 0, 0, "nft_do_chain_ipv4"),
		item(NT_HF_IPV4, 0, 0, -400, "ipv4_conntrack_defrag"),
		item(NT_HF_IPV4, 0, 0, 0, "nft_do_chain_inet"),
		item(NT_HF_IPV4, 4, 0, 2147483647, "nf_confirm"),
	};
	static const char *const want[][2] = {
		{"ipv4_conntrack_defrag", "0"}, {"nft_do_chain_ipv4", "0"},
		{"nft_do_chain_inet", "0"},	{"iptable_mangle_hook", "0"},
		{"nf_nat_ipv4_out", "0"},	{"ipt_do_table", "1"},
		{"nft_nat_do_chain", "1"},	{"nf_confirm", "0"},
		{"nft_do_chain_inet", "0"},
	};
	size_t i;

	(void)state;
	nt_hooks_sort(it, ARRAY_SIZE(it));
	for (i = 0; i < ARRAY_SIZE(it); i++) {
		assert_string_equal(it[i].sym, want[i][0]);
		assert_int_equal(it[i].rec.depth, want[i][1][0] - '0');
	}
	/* Equal priorities keep the kernel's order (ipv4_conntrack_defrag moved ahead). */
	assert_int_equal(it[1].rec.hook, 0);
	assert_int_equal(it[8].rec.family, NT_HF_IPV6);
	assert_true(it[4].rec.flags & NT_HR_NESTED);
	assert_false(it[3].rec.flags & NT_HR_NESTED);
	nt_hooks_sort(it, 0);
}

static void test_owner_text(void **state)
{
	struct nt_hook_item it;
	char buf[256];

	(void)state;
	it = item(NT_HF_IPV4, 2, 0, 0, "nft_do_chain_inet");
	set_nft(&it, 1, "filter", "fwd");
	nt_hook_owner_text(&it, buf, sizeof(buf));
	assert_string_equal(buf, "nft table inet filter chain fwd");
	it.rec.flags = NT_HR_NO_TYPE;
	nt_hook_owner_text(&it, buf, sizeof(buf));
	assert_string_equal(buf, "nft (names not in this kernel's BTF)");

	it = item(NT_HF_IPV6, 1, 0, 0, "ip6t_do_table");
	it.rec.flags |= NT_HR_NAMES;
	strcpy(it.rec.table, "filter");
	nt_hook_owner_text(&it, buf, sizeof(buf));
	assert_string_equal(buf, "ip6tables-legacy table filter");

	it = item(NT_HF_IPV4, 1, 0, -123, "nf_hook_run_bpf");
	it.rec.flags |= NT_HR_NAMES | NT_HR_PROG_ID | NT_HR_LINK_ID;
	it.rec.prog_id = 42;
	it.rec.link_id = 7;
	strcpy(it.rec.table, "my_prog");
	nt_hook_owner_text(&it, buf, sizeof(buf));
	assert_string_equal(buf, "bpf prog id 42 name my_prog link id 7");

	it = item(NT_HF_IPV4, 1, 0, 0, "selinux_ip_forward");
	nt_hook_owner_text(&it, buf, sizeof(buf));
	assert_string_equal(buf, "lsm selinux");

	it = item(NT_HF_IPV4, 0, 0, -100, "nf_nat_ipv4_pre_routing");
	nt_hook_owner_text(&it, buf, sizeof(buf));
	assert_string_equal(buf, "nat (no chains)");

	it = item(NT_HF_IPV4, 0, 0, 0, "ipv4_synproxy_hook");
	nt_hook_owner_text(&it, buf, 6);
	assert_string_equal(buf, "other");
	nt_hook_owner_text(&it, buf, 3); /* cut, never overrun */
	assert_string_equal(buf, "ot");
}

/* A namespace with conntrack, nat with a nested chain, nft and iptables-legacy. */
static size_t build(struct nt_hook_item *it)
{
	size_t n = 0;

	it[n++] = item(NT_HF_IPV4, 0, 0, -400, "ipv4_conntrack_defrag");
	it[n++] = item(NT_HF_IPV4, 0, 0, -200, "ipv4_conntrack_in");
	it[n++] = item(NT_HF_IPV4, 0, 0, -100, "nf_nat_ipv4_pre_routing");
	it[n] = item(NT_HF_IPV4, 0, 1, -100, "nft_nat_do_chain");
	set_nft(&it[n++], 1, "nt_nat", "prerouting");
	it[n] = item(NT_HF_IPV4, 0, 0, 0, "nft_do_chain_inet");
	set_nft(&it[n++], 1, "filter", "pre");
	it[n] = item(NT_HF_IPV4, 2, 0, 0, "ipt_do_table");
	it[n].rec.flags |= NT_HR_NAMES;
	strcpy(it[n++].rec.table, "filter");
	it[n++] = item(NT_HF_IPV4, 4, 0, 2147483647, "nf_confirm");
	it[n] = item(NT_HF_IPV6, 3, 0, 0, "0xffffffff81000010");
	it[n++].rec.flags = 0; /* no priority known */
	nt_hooks_sort(it, n);
	return n;
}

static void test_print_text(void **state)
{
	struct nt_hook_item it[16];
	struct nt_hook_inv inv = {.netns = 4026532345u, .path = "/run/netns/router"};
	struct capture c;

	(void)state;
	inv.items = it;
	inv.n = build(it);
	inv.notes[inv.nnotes++] = "bridge hooks: not in this kernel";
	capture_open(&c);
	nt_hooks_print_text(c.f, &inv);
	assert_string_equal(
		capture_text(&c),
		"netns 4026532345 (/run/netns/router)\n"
		"ipv4 PRE_ROUTING\n"
		"       -400  ipv4_conntrack_defrag        defrag\n"
		"       -200  ipv4_conntrack_in            conntrack\n"
		"       -100  nf_nat_ipv4_pre_routing      nat\n"
		"             -100  nft table inet nt_nat chain prerouting\n"
		"          0  nft_do_chain_inet            nft table inet filter chain pre\n"
		"ipv4 FORWARD\n"
		"          0  ipt_do_table                 iptables-legacy table filter\n"
		"ipv4 POST_ROUTING\n"
		" 2147483647  nf_confirm                   conntrack\n"
		"ipv6 LOCAL_OUT\n"
		"          ?  0xffffffff81000010           other\n"
		"note: bridge hooks: not in this kernel\n");
	capture_close(&c);
}

static void test_print_empty_and_truncated(void **state)
{
	struct nt_hook_item it[1];
	struct nt_hook_inv inv = {.netns = 7};
	struct capture c;

	(void)state;
	capture_open(&c);
	nt_hooks_print_text(c.f, &inv);
	assert_string_equal(capture_text(&c), "netns 7\nno netfilter hook functions registered\n");
	capture_close(&c);

	it[0] = item(NT_HF_IPV4, 1, 0, 5, "nft_do_chain_ipv4");
	it[0].rec.flags |= NT_HR_TRUNCATED;
	it[0].rec.nentries = NT_HOOK_MAX_ENTRIES + 3;
	inv.items = it;
	inv.n = 1;
	capture_open(&c);
	nt_hooks_print_text(c.f, &inv);
	assert_contains(capture_text(&c), "\n             ... 3 more entries not read\n");
	capture_close(&c);
}

static void test_print_json(void **state)
{
	struct nt_hook_item it[16];
	struct nt_hook_inv inv = {.netns = 4026532345u, .path = "/run/netns/router"};
	struct capture c;
	const char *t;

	(void)state;
	inv.items = it;
	inv.n = build(it);
	capture_open(&c);
	nt_hooks_print_json(c.f, &inv);
	t = capture_text(&c);
	assert_contains(t, "{\"netns\":4026532345,\"path\":\"/run/netns/router\",\"hooks\":[{"
			   "\"family\":\"ipv4\",\"hook\":\"PRE_ROUTING\",\"entries\":[{"
			   "\"priority\":-400,\"function\":\"ipv4_conntrack_defrag\",\"owner\":"
			   "\"defrag\",\"text\":\"defrag\"},");
	assert_contains(t, "{\"priority\":-100,\"function\":\"nf_nat_ipv4_pre_routing\","
			   "\"owner\":\"nat\",\"text\":\"nat\",\"chains\":[{\"priority\":-100,"
			   "\"function\":\"nft_nat_do_chain\",\"owner\":\"nft\",\"text\":\"nft "
			   "table inet nt_nat chain prerouting\",\"nft_family\":\"inet\",\"table\":"
			   "\"nt_nat\",\"chain\":\"prerouting\"}]},{\"priority\":0,");
	assert_contains(t, "{\"family\":\"ipv6\",\"hook\":\"LOCAL_OUT\",\"entries\":[{"
			   "\"function\":\"0xffffffff81000010\",\"owner\":\"other\",\"text\":"
			   "\"other\"}]}],\"notes\":[]}\n");
	/* Brackets balance: one object, one line. */
	{
		int depth = 0, lines = 0;
		const char *p;

		for (p = t; *p; p++) {
			depth += (*p == '{' || *p == '[') - (*p == '}' || *p == ']');
			lines += *p == '\n';
			assert_true(depth >= 0);
		}
		assert_int_equal(depth, 0);
		assert_int_equal(lines, 1);
	}
	capture_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),   cmocka_unit_test(test_privkind_and_names),
		cmocka_unit_test(test_sort),	   cmocka_unit_test(test_owner_text),
		cmocka_unit_test(test_print_text), cmocka_unit_test(test_print_empty_and_truncated),
		cmocka_unit_test(test_print_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
