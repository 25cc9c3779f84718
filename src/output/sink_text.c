// SPDX-License-Identifier: GPL-2.0
/* The text sink: the lines a person reads, in the formats of upstream nettrace's README. */
#include <stdio.h>
#include "analysis/analysis.h"
#include "group/group.h"
#include "netfilter/nftrace/nftrace.h"
#include "output/catalog.h"
#include "output/finding.h"
#include "output/hooks.h"
#include "output/nf.h"
#include "output/output.h"

/* "[time] " and, with --detail, "[skb:... ns:...] ". */
static void prefix(const struct nt_sink *s, const struct nt_event *e)
{
	char ts[40];

	nt_time_format(s->out, e->ts, ts, sizeof(ts));
	fprintf(s->f, "[%s] ", ts);
	if (s->out->detail)
		fprintf(s->f, "[skb:0x%llx cpu:%u pid:%u comm:%.16s dev:%.16s ns:%u] ",
			(unsigned long long)e->skb, e->cpu, e->pid, e->comm,
			e->ifname[0] ? e->ifname : "-", e->netns);
}

static void drop(struct nt_sink *s, const struct nt_event *e, const struct nt_stack *st)
{
	const struct nt_output *out = s->out;
	size_t i, n = nt_stack_frames(st);
	char pkt[256], buf[128];

	nt_event_pkt_text(e, pkt, sizeof(pkt));
	prefix(s, e);
	fputs(pkt, s->f);
	if ((e->flags & NT_EV_HAS_REASON) && out->reasons) {
		nt_reason_format(out->reasons, e->reason, buf, sizeof(buf));
		fprintf(s->f, " reason:%s", buf);
	}
	nt_ksyms_format(out->ksyms, e->location, buf, sizeof(buf));
	fprintf(s->f, " %s\n", buf);
	for (i = n ? nt_stack_skip(out->ksyms, st->ips, n) : 0; i < n; i++) {
		nt_ksyms_format(out->ksyms, st->ips[i], buf, sizeof(buf));
		fprintf(s->f, "    %s\n", buf);
	}
}

/* One event's line, without its newline. */
static void event_line(struct nt_sink *s, const struct nt_event *e)
{
	const struct nt_output *out = s->out;
	char pkt[256], buf[32], nf[512];
	const char *meaning;

	nt_event_pkt_text(e, pkt, sizeof(pkt));
	prefix(s, e);
	fprintf(s->f, "[%s] %s", nt_probe_name(out->catalog, e->probe), pkt);
	if (e->kind == NT_EV_NFHOOK) {
		nt_nf_format(nf, sizeof(nf), &e->nf, true);
		fprintf(s->f, " | %s", nf);
	}
	if (e->flags & NT_EV_CLONE)
		fprintf(s->f, " clone:0x%llx", (unsigned long long)e->retval);
	if ((e->flags & NT_EV_HAS_REASON) && out->reasons) {
		nt_reason_format(out->reasons, e->reason, nf, sizeof(nf));
		fprintf(s->f, " reason:%s", nf);
	}
	if (e->flags & NT_EV_HAS_RET) {
		meaning = nt_event_ret_meaning(out, e, buf, sizeof(buf));
		fprintf(s->f, " ret:%lld", (long long)e->retval);
		if (meaning)
			fprintf(s->f, " (%s)", meaning);
	}
}

static void event(struct nt_sink *s, const struct nt_event *e)
{
	event_line(s, e);
	fputc('\n', s->f);
}

static void verdict(struct nt_sink *s, const struct nt_verdict *v, __u64 ts)
{
	const struct nt_nftrace_event *e = &v->e;
	char t[40], fam[16];

	nt_time_format(s->out, ts, t, sizeof(t));
	nt_nft_family_format(fam, sizeof(fam), e->family);
	fprintf(s->f, "[%s] [nft] %s %s %s: ", t, fam, e->table, e->chain);
	if (e->type == NT_NFTRACE_RULE)
		fprintf(s->f, "rule '%s' (handle %llu) -> %s", e->rule[0] ? e->rule : "?",
			(unsigned long long)e->handle, e->verdict);
	else if (e->type == NT_NFTRACE_POLICY)
		fprintf(s->f, "policy %s", e->verdict);
	else
		fprintf(s->f, "%s", e->verdict);
	if (e->iifname[0] || e->oifname[0])
		fprintf(s->f, " in=%s out=%s", e->iifname[0] ? e->iifname : "-",
			e->oifname[0] ? e->oifname : "-");
	fprintf(s->f, " | %s\n", e->packet);
}

/* The nft verdicts joined after event @i, with that event's time. */
static void verdicts_after(struct nt_sink *s, const struct nt_pgroup *g,
			   const struct nt_analysis *an, size_t i)
{
	size_t k;

	for (k = 0; an && k < an->nverdicts; k++)
		if (an->verdicts[k].after == i)
			verdict(s, &an->verdicts[k], g->events[i].ts);
}

/* Diagnose: "*LEVEL code*" after an event a finding points at. */
static void notes(struct nt_sink *s, const struct nt_analysis *an, size_t i)
{
	size_t k;

	for (k = 0; s->out->diag && an && k < an->nfindings; k++)
		if (an->findings[k].event == i)
			fprintf(s->f, " *%s %s*", nt_severity_name(an->findings[k].severity),
				an->findings[k].code);
}

/* Diagnose: the numbered findings, the upstream tool's ANALYSIS RESULT. */
static void analysis_result(struct nt_sink *s, const struct nt_pgroup *g,
			    const struct nt_analysis *an)
{
	const struct nt_finding *f;
	size_t k;

	fputs("---------------- ANALYSIS RESULT ---------------------\n", s->f);
	if (!an || !an->nfindings)
		fputs("nothing abnormal found\n", s->f);
	for (k = 0; an && k < an->nfindings; k++) {
		f = &an->findings[k];
		nt_finding_diag_text(s->f, s->out, f, k + 1,
				     f->event < g->nevents
					     ? nt_probe_name(s->out->catalog, g->events[f->event].probe)
					     : NULL);
		fputc('\n', s->f);
	}
}

/*
 * The packet's header line, its events with its nft verdicts in their place,
 * a blank line, then its findings; in diagnose mode notes on the events and
 * the ANALYSIS RESULT instead.
 */
static void packet(struct nt_sink *s, const struct nt_pgroup *g, const struct nt_analysis *an)
{
	size_t i;

	fputs("***************** packet: skb", s->f);
	for (i = 0; i < g->nskbs; i++)
		fprintf(s->f, "%s0x%llx", i ? "," : " ", (unsigned long long)g->skbs[i]);
	/* An evicted group may well be freed later: its events from then on form a new group. */
	fprintf(s->f, " (%zu events%s%s) *****************\n", g->nevents,
		g->complete ? "" : ", not freed yet",
		g->end == NT_GROUP_EVICTED ? ", printed early to make room" : "");
	for (i = 0; i < g->nevents; i++) {
		event_line(s, &g->events[i]);
		notes(s, an, i);
		fputc('\n', s->f);
		verdicts_after(s, g, an, i);
	}
	if (g->dropped_events)
		fprintf(s->f, "    (%zu more events not kept)\n", g->dropped_events);
	if (s->out->diag) {
		analysis_result(s, g, an);
		return;
	}
	fputc('\n', s->f);
	for (i = 0; an && i < an->nfindings; i++)
		nt_finding_text(s->f, &an->findings[i]);
}

static void catalog(struct nt_sink *s, const struct nt_catalog *c)
{
	nt_catalog_print_tree(c, s->f);
}

static void hooks(struct nt_sink *s, const struct nt_hook_inv *inv)
{
	nt_hooks_print_text(s->f, inv);
}

/* "[time] KIND REASON at LOCATION in netns N (NAME) dev D: PACKET", or "...: and N more like it". */
static void report(struct nt_sink *s, const struct nt_report *r)
{
	char ts[40];

	nt_time_format(s->out, r->ts, ts, sizeof(ts));
	fprintf(s->f, "[%s] %s", ts, r->kind);
	if (r->reason)
		fprintf(s->f, " %s", r->reason);
	if (r->location)
		fprintf(s->f, " at %s", r->location);
	fprintf(s->f, " in netns %u", r->netns);
	if (r->netns_name)
		fprintf(s->f, " (%s)", r->netns_name);
	if (r->dev && r->dev[0])
		fprintf(s->f, " dev %s", r->dev);
	if (!r->packet) {
		fprintf(s->f, ": and %llu more like it in the last %u s\n", r->more, r->window_s);
		return;
	}
	fprintf(s->f, ": %s", r->packet);
	if (r->rule)
		fprintf(s->f, " | %s", r->rule);
	if (r->finding)
		fprintf(s->f, " | %s", r->finding);
	if (r->advice)
		fprintf(s->f, " | advice: %s", r->advice);
	fputc('\n', s->f);
}

const struct nt_sink_ops nt_sink_text = {
	.name = "text",
	.drop = drop,
	.event = event,
	.packet = packet,
	.verdict = verdict,
	.hooks = hooks,
	.catalog = catalog,
	.report = report,
};
