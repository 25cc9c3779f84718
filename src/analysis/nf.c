// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "analysis/nf.h"
#include "netfilter/names.h"
#include "packet/text.h"

#define NT_ETH_P_IP   0x0800
#define NT_ETH_P_IPV6 0x86DD

static bool is_nf(const struct nt_event *e)
{
	return e->kind == NT_EV_NFHOOK;
}

static bool same_hook(const struct nt_event *a, const struct nt_event *b)
{
	return a->netns == b->netns && a->nf.pf == b->nf.pf && a->nf.hook == b->nf.hook;
}

static size_t addr_len(__u16 l3proto)
{
	return l3proto == NT_ETH_P_IP ? 4 : l3proto == NT_ETH_P_IPV6 ? 16 : 0;
}

static bool has_ports(__u8 l4proto)
{
	return l4proto == 6 || l4proto == 17 || l4proto == 132;
}

/*
 * The skb's next hook event after @i, or n if none. That event decides the
 * pass entered at @i: leaving it (LAST of the same hook) or having gone on.
 */
static size_t next_hook_event(const struct nt_event *ev, size_t n, size_t i)
{
	size_t j;

	for (j = i + 1; j < n; j++)
		if (is_nf(&ev[j]) && ev[j].skb == ev[i].skb)
			return j;
	return n;
}

static bool spans_netns(const struct nt_event *ev, size_t n)
{
	__u32 ns = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_nf(&ev[i]))
			continue;
		if (ns && ev[i].netns != ns)
			return true;
		ns = ev[i].netns;
	}
	return false;
}

static void finding(struct nt_nf_finding *f, enum nt_nf_finding_kind kind,
		    const struct nt_event *in, size_t first, size_t last)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->pf = in->nf.pf;
	f->hook = in->nf.hook;
	f->netns = in->netns;
	f->skb = in->skb;
	f->first = first;
	f->last = last;
}

size_t nt_nf_findings(const struct nt_event *ev, size_t n, struct nt_nf_finding *out, size_t max)
{
	const struct nt_event *a, *b;
	size_t i, j, k = 0, alen;
	bool multi = spans_netns(ev, n);
	bool src, dst;

	for (i = 0; i < n && k < max; i++) {
		a = &ev[i];
		if (!is_nf(a) || a->nf.where != NT_NF_FIRST)
			continue;
		j = next_hook_event(ev, n, i);
		if (j == n) {
			finding(&out[k], NT_NFF_STOPPED, a, i, n - 1);
			out[k++].show_netns = multi;
			continue;
		}
		b = &ev[j];
		if (b->nf.where != NT_NF_LAST || !same_hook(a, b))
			continue; /* it went on */
		alen = addr_len(a->flow.l3proto);
		if (!alen || a->flow.l3proto != b->flow.l3proto ||
		    a->flow.l4proto != b->flow.l4proto)
			continue;
		src = memcmp(a->flow.saddr, b->flow.saddr, alen) ||
		      (has_ports(a->flow.l4proto) && a->flow.sport != b->flow.sport);
		dst = memcmp(a->flow.daddr, b->flow.daddr, alen) ||
		      (has_ports(a->flow.l4proto) && a->flow.dport != b->flow.dport);
		if (dst && k < max) {
			finding(&out[k], NT_NFF_DNAT, a, i, j);
			out[k].before = a->flow;
			out[k].after = b->flow;
			out[k].reply = nt_nf_ct_is_reply(b->nf.ctinfo);
			out[k++].show_netns = multi;
		}
		if (src && k < max) {
			finding(&out[k], NT_NFF_SNAT, a, i, j);
			out[k].before = a->flow;
			out[k].after = b->flow;
			out[k].reply = nt_nf_ct_is_reply(b->nf.ctinfo);
			out[k++].show_netns = multi;
		}
	}
	return k;
}

static void endpoint(char *buf, size_t len, const struct nt_flow *f, bool source)
{
	int family = f->l3proto == NT_ETH_P_IPV6 ? 6 : 4;
	char a[64];

	nt_addr_format(a, sizeof(a), family, source ? f->saddr : f->daddr);
	if (!has_ports(f->l4proto))
		snprintf(buf, len, "%s", a);
	else if (family == 6)
		snprintf(buf, len, "[%s]:%u", a, source ? f->sport : f->dport);
	else
		snprintf(buf, len, "%s:%u", a, source ? f->sport : f->dport);
}

void nt_nf_finding_format(char *buf, size_t len, const struct nt_nf_finding *f)
{
	char hook[40], from[80], to[80], ns[32] = "";
	bool src = f->kind == NT_NFF_SNAT;
	int n;

	if (!len)
		return;
	nt_nf_hook_format(hook, sizeof(hook), f->pf, f->hook);
	if (f->show_netns)
		snprintf(ns, sizeof(ns), " (netns %u)", f->netns);
	if (f->kind == NT_NFF_STOPPED) {
		snprintf(buf, len, "dropped or stolen inside %s%s", hook, ns);
		return;
	}
	if (f->kind != NT_NFF_DNAT && f->kind != NT_NFF_SNAT) {
		snprintf(buf, len, "? in %s%s", hook, ns);
		return;
	}
	endpoint(from, sizeof(from), &f->before, src);
	endpoint(to, sizeof(to), &f->after, src);
	n = snprintf(buf, len, "%s %s -> %s in %s%s", src ? "SNAT" : "DNAT", from, to, hook, ns);
	if (f->reply && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " (reply direction: undoes %s)", src ? "DNAT" : "SNAT");
}
