/* SPDX-License-Identifier: GPL-2.0 */
/* What nftrace.c (start, stop) and nftrace_read.c (messages) share. */
#ifndef NT_NFTRACE_INT_H
#define NT_NFTRACE_INT_H

#include "netfilter/nftrace/nftrace.h"

#define NT_NFT_ID_SLOTS 64

/* What the last messages of one packet's pass said (keyed by trace id). */
struct nt_nft_pass {
	bool used;
	bool ours; /* our table marked this packet: its messages are for us */
	__u8 hook; /* of the base chain it is in; 0xff: not known */
	__u32 id;
	__u32 iif, oif;
	char iifname[16], oifname[16];
	char packet[200];
	struct nt_pkt pkt;
};

struct nt_nftrace {
	struct nft_ctx *nft;
	struct mnl_socket *trace, *gen; /* NFNLGRP_NFTRACE; NFNLGRP_NFTABLES: ruleset changes */
	int ifsock;                     /* for SIOCGIFNAME in the traced namespace */
	char table[32];
	bool made; /* the table was made (by us: never delete another's) */
	char *untraced;
	unsigned long lost;
	struct nt_nft_rules *rules;
	struct nt_nft_pass pass[NT_NFT_ID_SLOTS];
	unsigned int pass_next;
	/* nt_nftrace_read's callback, while it runs */
	void (*cb)(void *ctx, const struct nt_nftrace_event *e);
	void *ctx;
	int count;
	char buf[65536];
};

#endif
