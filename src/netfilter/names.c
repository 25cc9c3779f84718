// SPDX-License-Identifier: GPL-2.0
/* Names of netfilter numbers: protocol families, hooks, conntrack states and status bits, tuples. */
#include <stdio.h>
#include <string.h>
#include "netfilter/names.h"
#include "packet/text.h"
#include "util/strbuf.h"

#define NT_NFPROTO_IPV4 2
#define NT_NFPROTO_IPV6 10
#define NT_CT_UNTRACKED 7
#define NT_CT_NONE	0xff

const char *nt_nf_pf_name(__u8 pf)
{
	return pf == NT_NFPROTO_IPV4 ? "ipv4" : pf == NT_NFPROTO_IPV6 ? "ipv6" : NULL;
}

const char *nt_nf_hook_name(__u8 hook)
{
	static const char *const names[] = {"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT",
					    "POST_ROUTING"};

	return hook < sizeof(names) / sizeof(names[0]) ? names[hook] : NULL;
}

void nt_nf_hook_format(char *buf, size_t len, __u8 pf, __u8 hook)
{
	const char *p = nt_nf_pf_name(pf), *h = nt_nf_hook_name(hook);
	struct strbuf sb = {.s = buf, .size = len};

	if (!len)
		return;
	buf[0] = '\0';
	if (p)
		sb_puts(&sb, p);
	else
		sb_printf(&sb, "pf%u", pf);
	if (h)
		sb_printf(&sb, " %s", h);
	else
		sb_printf(&sb, " hook%u", hook);
}

const char *nt_nf_ct_state(__u8 ctinfo, char *buf, size_t len)
{
	static const char *const names[] = {"ESTABLISHED",	 "RELATED",	  "NEW",
					    "ESTABLISHED_REPLY", "RELATED_REPLY", "NEW_REPLY"};

	if (ctinfo < sizeof(names) / sizeof(names[0]))
		return names[ctinfo];
	if (ctinfo == NT_CT_UNTRACKED)
		return "untracked";
	if (ctinfo == NT_CT_NONE)
		return "none";
	snprintf(buf, len, "%u", ctinfo);
	return buf;
}

bool nt_nf_ct_is_reply(__u8 ctinfo)
{
	return ctinfo >= 3 && ctinfo <= 5; /* IP_CT_IS_REPLY + ESTABLISHED/RELATED/NEW */
}

static const char *const status_names[] = {
	"EXPECTED",   "SEEN_REPLY",   "ASSURED",      "CONFIRMED",  "SRC_NAT",	     "DST_NAT",
	"SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING",	    "FIXED_TIMEOUT", "TEMPLATE",
	"NAT_CLASH",  "HELPER",	      "OFFLOAD",      "HW_OFFLOAD",
};
#define NT_STATUS_NAMES (sizeof(status_names) / sizeof(status_names[0]))

const char *nt_nf_status_name(unsigned int bit)
{
	return bit < NT_STATUS_NAMES ? status_names[bit] : NULL;
}

void nt_nf_status_format(char *buf, size_t len, __u32 status)
{
	struct strbuf sb = {.s = buf, .size = len};
	const char *sep = "";
	__u32 rest;
	unsigned int i;

	if (!len)
		return;
	buf[0] = '\0';
	if (!status) {
		sb_puts(&sb, "0");
		return;
	}
	for (i = 0; i < NT_STATUS_NAMES; i++) {
		if (!(status & (1U << i)))
			continue;
		sb_printf(&sb, "%s%s", sep, status_names[i]);
		sep = "|";
	}
	rest = status & ~((1U << NT_STATUS_NAMES) - 1);
	if (rest)
		sb_printf(&sb, "%s0x%x", sep, rest);
}

int nt_tuple_family(const struct nt_tuple *t)
{
	return t->l3num == NT_NFPROTO_IPV6 ? 6 : 4;
}

bool nt_tuple_has_ports(const struct nt_tuple *t)
{
	return t->l4proto == 6 || t->l4proto == 17 || t->l4proto == 132 || t->l4proto == 33 ||
	       t->l4proto == 136;
}

bool nt_tuple_is_icmp(const struct nt_tuple *t)
{
	return t->l4proto == 1 || t->l4proto == 58;
}

void nt_nf_tuple_format(char *buf, size_t len, const struct nt_tuple *t)
{
	int family = nt_tuple_family(t);
	char s[64], d[64];

	if (!len)
		return;
	if (t->l3num != NT_NFPROTO_IPV4 && t->l3num != NT_NFPROTO_IPV6) {
		snprintf(buf, len, "-");
		return;
	}
	nt_addr_format(s, sizeof(s), family, t->src);
	nt_addr_format(d, sizeof(d), family, t->dst);
	if (nt_tuple_has_ports(t) && family == 6)
		snprintf(buf, len, "[%s]:%u -> [%s]:%u", s, t->sport, d, t->dport);
	else if (nt_tuple_has_ports(t))
		snprintf(buf, len, "%s:%u -> %s:%u", s, t->sport, d, t->dport);
	else if (nt_tuple_is_icmp(t))
		snprintf(buf, len, "%s -> %s id:%u", s, d, t->sport);
	else
		snprintf(buf, len, "%s -> %s", s, d);
}

bool nt_nf_has_ct(const struct nt_nf *nf)
{
	return nf->ctinfo != NT_CT_NONE && nf->ctinfo != NT_CT_UNTRACKED &&
	       (nf->orig.l3num == NT_NFPROTO_IPV4 || nf->orig.l3num == NT_NFPROTO_IPV6);
}

bool nt_nf_ct_natted(const struct nt_nf *nf)
{
	const struct nt_tuple *o = &nf->orig, *r = &nf->reply;
	size_t alen = o->l3num == NT_NFPROTO_IPV6 ? 16 : 4;

	if (!nt_nf_has_ct(nf) || r->l3num != o->l3num)
		return false;
	if (memcmp(r->src, o->dst, alen) || memcmp(r->dst, o->src, alen))
		return true;
	if (nt_tuple_has_ports(o))
		return r->sport != o->dport || r->dport != o->sport;
	if (nt_tuple_is_icmp(o))
		return r->sport != o->sport; /* the id; the types differ by nature */
	return false;
}

