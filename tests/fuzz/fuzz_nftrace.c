// SPDX-License-Identifier: GPL-2.0
/*
 * nft trace messages (nt_nftrace_parse_msg) and their text and JSON lines:
 * what NFNLGRP_NFTRACE delivers, table and chain names and packet dumps
 * included, as nt_nftrace_read hands it over.
 *
 * Input: a selector byte, then
 *   bit 0 set    a datagram as recv() returns it, split as nftrace_read.c does
 *   bit 0 clear  the payload of one NFT_MSG_TRACE message (struct nfgenmsg and the
 *                attributes): the netlink header is made to fit
 */
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include "fuzz.h"
#include "analysis/analysis.h"
#include "netfilter/nftrace/nftrace.h"
#include "output/output.h"

static void check_str(const char *s, size_t size)
{
	fuzz_check(strnlen(s, size) < size);
}

static void on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nt_verdict v = { .netns = 4026531840u };
	struct nt_nftrace_event *e = &v.e;
	struct nt_output out;

	(void)data;
	if (nt_nftrace_parse_msg(nlh, e))
		return;
	check_str(e->table, sizeof(e->table));
	check_str(e->chain, sizeof(e->chain));
	check_str(e->verdict, sizeof(e->verdict));
	check_str(e->packet, sizeof(e->packet));
	nt_output_init(&out);
	if (nt_output_add(&out, &nt_sink_text, fuzz_sink()) ||
	    nt_output_add(&out, &nt_sink_json, fuzz_sink()))
		abort();
	nt_output_verdict(&out, &v, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	void *buf;
	__u8 sel;

	if (!fuzz_take_byte(&data, &size, &sel))
		return 0;
	/*
	 * Aligned, as a socket buffer is (libmnl and the parser read headers in
	 * place), and of the exact size, so that reading past the end is caught.
	 */
	buf = malloc(sel & 1 ? size : NLMSG_HDRLEN + size);
	if (!buf)
		abort();
	if (sel & 1) {
		memcpy(buf, data, size);
		nt_nftrace_each_msg(buf, size, on_msg, NULL);
	} else {
		nlh = buf;
		memset(nlh, 0, NLMSG_HDRLEN);
		nlh->nlmsg_len = NLMSG_HDRLEN + size;
		nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_TRACE;
		memcpy((char *)buf + NLMSG_HDRLEN, data, size);
		on_msg(nlh, NULL);
	}
	free(buf);
	return 0;
}
