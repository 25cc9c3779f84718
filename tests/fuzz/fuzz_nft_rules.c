// SPDX-License-Identifier: GPL-2.0
/*
 * nft rule listings (nt_nft_rules_add_listing): the text of `list table` that
 * libnftables prints, for tables whose names and rules anyone with
 * CAP_NET_ADMIN in a traced namespace chose.
 *
 * Input: a family byte, the table name up to the first newline, then the
 * listing. It is taken in twice (as after a miss), then looked up.
 */
#include "fuzz.h"
#include "netfilter/nftrace/nftrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = {1, 2, 3, 5, 7, 10, 0, 99};
	static const char *const chains[] = {"input",	    "forward", "output", "prerouting",
					     "postrouting", "c",       ""};
	struct nt_nft_rules *r;
	char *text, *table, *nl;
	const char *rule;
	int family, hook;
	size_t i;
	__u64 h;

	if (!size)
		return 0;
	family = families[data[0] % 8];
	table = fuzz_cstr(data + 1, size - 1);
	nl = strchr(table, '\n');
	text = nl ? nl + 1 : table + strlen(table);
	if (nl)
		*nl = '\0';
	if (strlen(table) >= sizeof(((struct nt_nftrace_event *)0)->table))
		table[sizeof(((struct nt_nftrace_event *)0)->table) - 1] =
			'\0'; /* as a trace gives it */
	r = nt_nft_rules_new();
	if (!r)
		abort();
	nt_nft_rules_add_listing(r, family, table, text);
	nt_nft_rules_add_listing(r, family, table, text);
	fuzz_check(nt_nft_rules_listed(r, family, table) == 2);
	for (i = 0; i < sizeof(chains) / sizeof(chains[0]); i++) {
		hook = nt_nft_rules_hook(r, family, table, chains[i]);
		fuzz_check(hook >= -2 && hook <= 5);
		for (h = 0; h < 8; h++) {
			rule = nt_nft_rules_find(r, family, table, chains[i], h);
			fuzz_check(!rule || !strstr(rule, "\n"));
		}
	}
	nt_nft_rules_clear(r);
	fuzz_check(!nt_nft_rules_listed(r, family, table));
	nt_nft_rules_free(r);
	free(table);
	return 0;
}
