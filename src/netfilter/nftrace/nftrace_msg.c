// SPDX-License-Identifier: GPL-2.0
/* One NFT_MSG_TRACE netlink message into a struct nt_nftrace_event, through libnftnl. */
#ifndef NT_NO_NFTABLES
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/trace.h>
#include "netfilter/nftrace/nftrace.h"
#include "packet/text.h"

/*
 * libnftnl ends the process (exit(), "nf_tables kernel ABI is broken") on a
 * trace message whose attributes it finds malformed, and copies strings up
 * to a NUL it does not check for: such messages are refused before it sees
 * them. The checks are libnftnl's, strings must end in a NUL.
 */
static int check_verdict(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if ((type == NFTA_VERDICT_CODE && mnl_attr_validate(attr, MNL_TYPE_U32) < 0) ||
	    (type == NFTA_VERDICT_CHAIN && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0))
		return MNL_CB_ERROR;
	if (type <= NFTA_VERDICT_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* Verdict code and jump target (libnftnl exits without them). */
static bool verdict_ok(const struct nlattr *attr)
{
	const struct nlattr *tb[NFTA_VERDICT_MAX + 1] = {};
	int code;

	if (mnl_attr_parse_nested(attr, check_verdict, tb) != MNL_CB_OK || !tb[NFTA_VERDICT_CODE])
		return false;
	code = (int)ntohl(mnl_attr_get_u32(tb[NFTA_VERDICT_CODE]));
	return (code != NFT_JUMP && code != NFT_GOTO) || tb[NFTA_VERDICT_CHAIN];
}

/* The type libnftnl validates each attribute as (UNSPEC: none). */
static const enum mnl_attr_data_type attr_types[NFTA_TRACE_MAX + 1] = {
	[NFTA_TRACE_TABLE] = MNL_TYPE_NUL_STRING, [NFTA_TRACE_CHAIN] = MNL_TYPE_NUL_STRING,
	[NFTA_TRACE_RULE_HANDLE] = MNL_TYPE_U64,  [NFTA_TRACE_TYPE] = MNL_TYPE_U32,
	[NFTA_TRACE_VERDICT] = MNL_TYPE_NESTED,   [NFTA_TRACE_ID] = MNL_TYPE_U32,
	[NFTA_TRACE_IIF] = MNL_TYPE_U32,          [NFTA_TRACE_IIFTYPE] = MNL_TYPE_U16,
	[NFTA_TRACE_OIF] = MNL_TYPE_U32,          [NFTA_TRACE_OIFTYPE] = MNL_TYPE_U16,
	[NFTA_TRACE_MARK] = MNL_TYPE_U32,         [NFTA_TRACE_NFPROTO] = MNL_TYPE_U32,
	[NFTA_TRACE_POLICY] = MNL_TYPE_U32,
};

static int check_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	bool dump = type == NFTA_TRACE_LL_HEADER || type == NFTA_TRACE_NETWORK_HEADER ||
		    type == NFTA_TRACE_TRANSPORT_HEADER;

	if (mnl_attr_type_valid(attr, NFTA_TRACE_MAX) < 0)
		return MNL_CB_OK; /* libnftnl skips these */
	if (mnl_attr_validate(attr, attr_types[type]) < 0 ||
	    (dump && !mnl_attr_get_payload_len(attr)) ||
	    (type == NFTA_TRACE_VERDICT && !verdict_ok(attr)))
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

/*
 * libmnl reads attributes up to the message's length rounded up to 4 bytes:
 * a length that is not a multiple of 4 (the kernel's always are) is refused.
 */
static bool well_formed(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFTA_TRACE_MAX + 1] = {};

	return nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(struct nfgenmsg) &&
	       nlh->nlmsg_len == NLMSG_ALIGN(nlh->nlmsg_len) &&
	       mnl_attr_parse(nlh, sizeof(struct nfgenmsg), check_attr, tb) == MNL_CB_OK &&
	       tb[NFTA_TRACE_ID] && tb[NFTA_TRACE_TYPE];
}

static void copy_str(char *dst, size_t len, const struct nftnl_trace *t, uint16_t attr)
{
	const char *s = nftnl_trace_is_set(t, attr) ? nftnl_trace_get_str(t, attr) : NULL;

	snprintf(dst, len, "%s", s ? s : "");
}

/*
 * The packet from its network and transport headers. The kernel sends at most
 * 40 bytes of the network header and 20 of the transport header, each on its
 * own: they are joined only when the network header came whole.
 */
static void format_packet(struct nt_nftrace_event *e, const struct nftnl_trace *t, int nfproto)
{
	const __u8 *nh = NULL, *th = NULL;
	uint32_t nlen = 0, tlen = 0;
	__u8 buf[NT_PKT_BYTES];
	size_t n = 0, whole = 0;
	__u16 l3proto;
	struct nt_pkt p;
	struct strbuf sb = STRBUF(e->packet);

	if (nftnl_trace_is_set(t, NFTNL_TRACE_NETWORK_HEADER))
		nh = nftnl_trace_get_data(t, NFTNL_TRACE_NETWORK_HEADER, &nlen);
	if (nftnl_trace_is_set(t, NFTNL_TRACE_TRANSPORT_HEADER))
		th = nftnl_trace_get_data(t, NFTNL_TRACE_TRANSPORT_HEADER, &tlen);
	if (!nh || !nlen)
		return;
	if (nfproto == NFPROTO_IPV4 || (!nfproto && (nh[0] >> 4) == 4)) {
		l3proto = 0x0800;
		whole = (size_t)(nh[0] & 0xf) * 4;
	} else if (nfproto == NFPROTO_IPV6 || (!nfproto && (nh[0] >> 4) == 6)) {
		l3proto = 0x86DD;
		whole = 40; /* extension headers, if any, follow: then the join is wrong */
	} else if (nfproto == NFPROTO_ARP) {
		l3proto = 0x0806;
	} else {
		return;
	}
	n = nlen < sizeof(buf) ? nlen : sizeof(buf);
	memcpy(buf, nh, n);
	if (th && whole && nlen == whole) {
		size_t more = tlen < sizeof(buf) - n ? tlen : sizeof(buf) - n;

		memcpy(buf + n, th, more);
		n += more;
	}
	nt_pkt_decode(&p, l3proto, buf, n);
	nt_pkt_format(&sb, &p);
	e->pkt = p;
}

int nt_nftrace_parse_msg(const struct nlmsghdr *nlh, struct nt_nftrace_event *e)
{
	struct nftnl_trace *t;
	uint32_t type, code;
	int nfproto = 0;

	memset(e, 0, sizeof(*e));
	e->hook = 0xff;
	if (nlh->nlmsg_type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_TRACE) || !well_formed(nlh))
		return -1;
	t = nftnl_trace_alloc();
	if (!t)
		return -1;
	if (nftnl_trace_nlmsg_parse(nlh, t) < 0) {
		nftnl_trace_free(t);
		return -1;
	}
	e->id = nftnl_trace_get_u32(t, NFTNL_TRACE_ID);
	e->family = nftnl_trace_get_u32(t, NFTNL_TRACE_FAMILY);
	if (nftnl_trace_is_set(t, NFTNL_TRACE_NFPROTO))
		nfproto = nftnl_trace_get_u32(t, NFTNL_TRACE_NFPROTO);
	else if (e->family != NFPROTO_INET)
		nfproto = e->family;
	type = nftnl_trace_get_u32(t, NFTNL_TRACE_TYPE);
	e->type = type == NFT_TRACETYPE_RULE     ? NT_NFTRACE_RULE
		  : type == NFT_TRACETYPE_RETURN ? NT_NFTRACE_RETURN
		  : type == NFT_TRACETYPE_POLICY ? NT_NFTRACE_POLICY
						 : NT_NFTRACE_OTHER;
	copy_str(e->table, sizeof(e->table), t, NFTNL_TRACE_TABLE);
	copy_str(e->chain, sizeof(e->chain), t, NFTNL_TRACE_CHAIN);
	if (nftnl_trace_is_set(t, NFTNL_TRACE_RULE_HANDLE))
		e->handle = nftnl_trace_get_u64(t, NFTNL_TRACE_RULE_HANDLE);
	if (nftnl_trace_is_set(t, NFTNL_TRACE_VERDICT)) {
		code = nftnl_trace_get_u32(t, NFTNL_TRACE_VERDICT);
		if ((code == (uint32_t)NFT_JUMP || code == (uint32_t)NFT_GOTO) &&
		    nftnl_trace_is_set(t, NFTNL_TRACE_JUMP_TARGET))
			snprintf(e->verdict, sizeof(e->verdict), "%s %s",
				 nt_nftrace_verdict_name((int)code),
				 nftnl_trace_get_str(t, NFTNL_TRACE_JUMP_TARGET));
		else if ((int)code >= 0 && (code & NF_VERDICT_MASK) == NF_QUEUE)
			snprintf(e->verdict, sizeof(e->verdict), "queue %u", code >> 16);
		else
			snprintf(e->verdict, sizeof(e->verdict), "%s",
				 nt_nftrace_verdict_name((int)code));
	} else if (nftnl_trace_is_set(t, NFTNL_TRACE_POLICY)) {
		snprintf(e->verdict, sizeof(e->verdict), "%s",
			 nt_nftrace_verdict_name((int)nftnl_trace_get_u32(t, NFTNL_TRACE_POLICY)));
	}
	if (nftnl_trace_is_set(t, NFTNL_TRACE_IIF))
		e->iif = nftnl_trace_get_u32(t, NFTNL_TRACE_IIF);
	if (nftnl_trace_is_set(t, NFTNL_TRACE_OIF))
		e->oif = nftnl_trace_get_u32(t, NFTNL_TRACE_OIF);
	if (nftnl_trace_is_set(t, NFTNL_TRACE_MARK))
		e->mark = nftnl_trace_get_u32(t, NFTNL_TRACE_MARK);
	format_packet(e, t, nfproto);
	nftnl_trace_free(t);
	return 0;
}
void nt_nftrace_each_msg(const void *buf, size_t len,
			 void (*cb)(const struct nlmsghdr *nlh, void *data), void *data)
{
	const struct nlmsghdr *nlh = buf;
	size_t step;

	while (len >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) && nlh->nlmsg_len <= len) {
		cb(nlh, data);
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		len -= step;
		nlh = (const struct nlmsghdr *)((const char *)nlh + step);
	}
}
#endif /* NT_NO_NFTABLES */
