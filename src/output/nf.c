// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "analysis/nf.h"
#include "output/json.h"
#include "output/nf.h"
#include "output/packet.h"
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

static int tuple_family(const struct nt_tuple *t)
{
	return t->l3num == NT_NFPROTO_IPV6 ? 6 : 4;
}

static bool tuple_ports(const struct nt_tuple *t)
{
	return t->l4proto == 6 || t->l4proto == 17 || t->l4proto == 132 || t->l4proto == 33 ||
	       t->l4proto == 136;
}

static bool tuple_icmp(const struct nt_tuple *t)
{
	return t->l4proto == 1 || t->l4proto == 58;
}

void nt_nf_tuple_format(char *buf, size_t len, const struct nt_tuple *t)
{
	int family = tuple_family(t);
	char s[64], d[64];

	if (!len)
		return;
	if (t->l3num != NT_NFPROTO_IPV4 && t->l3num != NT_NFPROTO_IPV6) {
		snprintf(buf, len, "-");
		return;
	}
	nt_addr_format(s, sizeof(s), family, t->src);
	nt_addr_format(d, sizeof(d), family, t->dst);
	if (tuple_ports(t) && family == 6)
		snprintf(buf, len, "[%s]:%u -> [%s]:%u", s, t->sport, d, t->dport);
	else if (tuple_ports(t))
		snprintf(buf, len, "%s:%u -> %s:%u", s, t->sport, d, t->dport);
	else if (tuple_icmp(t))
		snprintf(buf, len, "%s -> %s id:%u", s, d, t->sport);
	else
		snprintf(buf, len, "%s -> %s", s, d);
}

static bool has_ct(const struct nt_nf *nf)
{
	return nf->ctinfo != NT_CT_NONE && nf->ctinfo != NT_CT_UNTRACKED &&
	       (nf->orig.l3num == NT_NFPROTO_IPV4 || nf->orig.l3num == NT_NFPROTO_IPV6);
}

bool nt_nf_ct_natted(const struct nt_nf *nf)
{
	const struct nt_tuple *o = &nf->orig, *r = &nf->reply;
	size_t alen = o->l3num == NT_NFPROTO_IPV6 ? 16 : 4;

	if (!has_ct(nf) || r->l3num != o->l3num)
		return false;
	if (memcmp(r->src, o->dst, alen) || memcmp(r->dst, o->src, alen))
		return true;
	if (tuple_ports(o))
		return r->sport != o->dport || r->dport != o->sport;
	if (tuple_icmp(o))
		return r->sport != o->sport; /* the id; the types differ by nature */
	return false;
}

static void dev_format(struct strbuf *sb, const char *key, __u32 ifindex, const char *name)
{
	if (name[0])
		sb_printf(sb, " %s=%.*s", key, NT_IFNAMSIZ, name);
	else if (ifindex)
		sb_printf(sb, " %s=if%u", key, ifindex);
}

void nt_nf_format(char *buf, size_t len, const struct nt_nf *nf, bool tuples)
{
	struct strbuf sb = {.s = buf, .size = len};
	char hook[40], st[200], o[128], r[128], num[8];

	if (!len)
		return;
	buf[0] = '\0';
	nt_nf_hook_format(hook, sizeof(hook), nf->pf, nf->hook);
	sb_puts(&sb, hook);
	dev_format(&sb, "in", nf->in_ifindex, nf->in);
	dev_format(&sb, "out", nf->out_ifindex, nf->out);
	sb_puts(&sb, nf->where == NT_NF_FIRST  ? " first"
		     : nf->where == NT_NF_LAST ? " last"
					       : " ?");
	sb_printf(&sb, " ct:%s", nt_nf_ct_state(nf->ctinfo, num, sizeof(num)));
	if (!has_ct(nf))
		return;
	nt_nf_status_format(st, sizeof(st), nf->ct_status);
	sb_printf(&sb, " status:%s zone:%u mark:0x%x", st, nf->ct_zone, nf->ct_mark);
	if (!tuples && !nt_nf_ct_natted(nf))
		return;
	nt_nf_tuple_format(o, sizeof(o), &nf->orig);
	nt_nf_tuple_format(r, sizeof(r), &nf->reply);
	sb_printf(&sb, " orig %s reply %s", o, r);
}

static void tuple_json(struct json *j, const char *key, const struct nt_tuple *t)
{
	char a[64];

	json_obj_open(j, key);
	nt_addr_format(a, sizeof(a), tuple_family(t), t->src);
	json_str(j, "src", a);
	nt_addr_format(a, sizeof(a), tuple_family(t), t->dst);
	json_str(j, "dst", a);
	json_uint(j, "proto", t->l4proto);
	if (tuple_ports(t)) {
		json_uint(j, "sport", t->sport);
		json_uint(j, "dport", t->dport);
	} else if (tuple_icmp(t)) {
		json_uint(j, "id", t->sport);
	}
	json_close(j, '}');
}

void nt_nf_json(struct json *j, const struct nt_nf *nf)
{
	const char *p = nt_nf_pf_name(nf->pf), *h = nt_nf_hook_name(nf->hook);
	char num[8];
	unsigned int i;

	json_obj_open(j, "nf");
	if (p)
		json_str(j, "pf", p);
	else
		json_uint(j, "pf", nf->pf);
	if (h)
		json_str(j, "hook", h);
	else
		json_uint(j, "hook", nf->hook);
	json_str(j, "where", nf->where == NT_NF_FIRST ? "first" : "last");
	if (nf->in[0] || nf->in_ifindex) {
		json_str(j, "in", nf->in);
		json_uint(j, "in_ifindex", nf->in_ifindex);
	}
	if (nf->out[0] || nf->out_ifindex) {
		json_str(j, "out", nf->out);
		json_uint(j, "out_ifindex", nf->out_ifindex);
	}
	json_obj_open(j, "ct");
	json_str(j, "state", nt_nf_ct_state(nf->ctinfo, num, sizeof(num)));
	if (has_ct(nf)) {
		json_arr_open(j, "status");
		for (i = 0; i < NT_STATUS_NAMES; i++)
			if (nf->ct_status & (1U << i))
				json_str(j, NULL, status_names[i]);
		json_close(j, ']');
		json_uint(j, "status_bits", nf->ct_status);
		json_uint(j, "zone", nf->ct_zone);
		json_uint(j, "mark", nf->ct_mark);
		json_bool(j, "nat", nt_nf_ct_natted(nf));
		tuple_json(j, "orig", &nf->orig);
		tuple_json(j, "reply", &nf->reply);
	}
	json_close(j, '}');
	json_close(j, '}');
}

void nt_nf_findings_json(struct json *j, const struct nt_nf_finding *f, size_t n)
{
	static const char *const kinds[] = {"?", "dropped_or_stolen", "dnat", "snat"};
	char text[256];
	size_t i;

	json_arr_open(j, "nf_findings");
	for (i = 0; i < n; i++) {
		json_obj_open(j, NULL);
		json_str(j, "kind", kinds[f[i].kind <= NT_NFF_SNAT ? f[i].kind : 0]);
		json_str(j, "pf", nt_nf_pf_name(f[i].pf) ?: "?");
		json_str(j, "hook", nt_nf_hook_name(f[i].hook) ?: "?");
		json_uint(j, "netns", f[i].netns);
		if (f[i].kind != NT_NFF_STOPPED)
			json_bool(j, "reply", f[i].reply);
		nt_nf_finding_format(text, sizeof(text), &f[i]);
		json_str(j, "text", text);
		json_close(j, '}');
	}
	json_close(j, ']');
}
