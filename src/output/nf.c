// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "netfilter/names.h"
#include "output/json.h"
#include "output/nf.h"
#include "packet/text.h"
#include "util/strbuf.h"

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
	if (!nt_nf_has_ct(nf))
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
	nt_addr_format(a, sizeof(a), nt_tuple_family(t), t->src);
	json_str(j, "src", a);
	nt_addr_format(a, sizeof(a), nt_tuple_family(t), t->dst);
	json_str(j, "dst", a);
	json_uint(j, "proto", t->l4proto);
	if (nt_tuple_has_ports(t)) {
		json_uint(j, "sport", t->sport);
		json_uint(j, "dport", t->dport);
	} else if (nt_tuple_is_icmp(t)) {
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
	if (nt_nf_has_ct(nf)) {
		json_arr_open(j, "status");
		for (i = 0; nt_nf_status_name(i); i++)
			if (nf->ct_status & (1U << i))
				json_str(j, NULL, nt_nf_status_name(i));
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
