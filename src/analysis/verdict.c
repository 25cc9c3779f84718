// SPDX-License-Identifier: GPL-2.0
/*
 * nft verdicts joined to packets: a backlog of trace messages, each claimed
 * by the first packet analysed whose events show the same packet.
 */
#include <string.h>
#include "analysis/analysis.h"

static struct nt_backlog_item *item(struct nt_analyzer *a, size_t i)
{
	return &a->backlog[(a->head + i) % NT_BACKLOG];
}

static void drop_oldest(struct nt_analyzer *a, void (*expired)(void *, const struct nt_verdict *),
			void *ctx)
{
	struct nt_backlog_item *it = item(a, 0);

	a->unclaimed++;
	if (expired)
		expired(ctx, &it->v);
	a->head = (a->head + 1) % NT_BACKLOG;
	a->count--;
}

void nt_analyzer_add_verdict(struct nt_analyzer *a, const struct nt_nftrace_event *e, __u32 netns,
			     double now, void (*expired)(void *ctx, const struct nt_verdict *v),
			     void *ctx)
{
	struct nt_backlog_item *it;

	if (a->count == NT_BACKLOG)
		drop_oldest(a, expired, ctx);
	it = item(a, a->count++);
	it->v.e = *e;
	it->v.netns = netns;
	it->v.after = NT_NO_EVENT;
	it->at = now;
}

void nt_analyzer_expire(struct nt_analyzer *a, double now, double age,
			void (*expired)(void *ctx, const struct nt_verdict *v), void *ctx)
{
	while (a->count && item(a, 0)->at < now - age)
		drop_oldest(a, expired, ctx);
}

static size_t addr_len(int family)
{
	return family == 6 ? 16 : 4;
}

/* The packet an event carries, decoded; kind NT_PKT_NONE when it has no headers. */
static void event_pkt(const struct nt_event *e, struct nt_pkt *p)
{
	if (e->flags & NT_EV_FROM_SK) {
		memset(p, 0, sizeof(*p));
		return;
	}
	nt_pkt_decode_event(p, e);
}

static bool same_packet(const struct nt_verdict *v, __u32 netns, const struct nt_pkt *b)
{
	const struct nt_pkt *a = &v->e.pkt;

	if (a->kind != NT_PKT_IP || (netns && v->netns && netns != v->netns))
		return false;
	if (b->kind != NT_PKT_IP || a->family != b->family || a->l4proto != b->l4proto ||
	    memcmp(a->saddr, b->saddr, addr_len(a->family)) ||
	    memcmp(a->daddr, b->daddr, addr_len(a->family)))
		return false;
	if (a->ip_len && b->ip_len && a->ip_len != b->ip_len)
		return false;
	if (!a->has_l4 || !b->has_l4)
		return true;
	switch (a->l4proto) {
	case 6:
		return a->sport == b->sport && a->dport == b->dport && a->seq == b->seq;
	case 17:
	case 132:
		return a->sport == b->sport && a->dport == b->dport;
	case 1:
	case 58:
		return a->icmp_type == b->icmp_type &&
		       (!a->icmp_has_id || !b->icmp_has_id ||
			(a->icmp_id == b->icmp_id && a->icmp_seq == b->icmp_seq));
	}
	return true;
}

bool nt_verdict_matches(const struct nt_verdict *v, const struct nt_event *e)
{
	struct nt_pkt p;

	event_pkt(e, &p);
	return same_packet(v, e->netns, &p);
}

/* The hook event a message's pass belongs to: where the packet entered that hook. */
static size_t anchor(const struct nt_verdict *v, const struct nt_event *ev,
		     const struct nt_pkt *pkts, size_t n, size_t match)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ev[i].kind == NT_EV_NFHOOK && ev[i].nf.where == NT_NF_FIRST &&
		    ev[i].nf.hook == v->e.hook && ev[i].netns == v->netns &&
		    same_packet(v, ev[i].netns, &pkts[i]))
			return i;
	return match;
}

/* Moves the messages that belong to this packet from the backlog into @r. */
void nt_verdicts_claim(struct nt_analyzer *a, const struct nt_event *ev, size_t n,
		       struct nt_analysis *r)
{
	size_t i, j, kept = 0;
	struct nt_backlog_item *it;

	r->nverdicts = 0;
	if (!a->count)
		return;
	/* Each event decoded once, not once per message waiting. */
	if (n > NT_MAX_PKTS)
		n = NT_MAX_PKTS;
	for (j = 0; j < n; j++)
		event_pkt(&ev[j], &a->pkts[j]);
	for (i = 0; i < a->count; i++) {
		it = item(a, i);
		for (j = 0; j < n && r->nverdicts < NT_MAX_VERDICTS; j++)
			if (same_packet(&it->v, ev[j].netns, &a->pkts[j]))
				break;
		if (j < n && r->nverdicts < NT_MAX_VERDICTS) {
			r->verdicts[r->nverdicts] = it->v;
			r->verdicts[r->nverdicts++].after = anchor(&it->v, ev, a->pkts, n, j);
			continue;
		}
		if (kept != i)
			*item(a, kept) = *it;
		kept++;
	}
	a->count = kept;
}
