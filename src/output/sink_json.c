// SPDX-License-Identifier: GPL-2.0
/* The JSON sink: one object per line, for scripts (jq, log pipelines). */
#include <stdio.h>
#include "analysis/analysis.h"
#include "group/group.h"
#include "netfilter/nftrace/nftrace.h"
#include "output/catalog.h"
#include "output/finding.h"
#include "output/hooks.h"
#include "output/json.h"
#include "output/nf.h"
#include "output/output.h"

/* The members every event starts with. */
static void head(struct json *j, const struct nt_output *out, const struct nt_event *e,
		 const char *kind)
{
	char buf[256];

	nt_time_format(out, e->ts, buf, sizeof(buf));
	json_str(j, "event", kind);
	json_str(j, "time", buf);
	nt_event_pkt_text(e, buf, sizeof(buf));
	json_str(j, "packet", buf);
}

/* With --detail: skb, cpu, pid, comm, dev, netns. */
static void detail(struct json *j, const struct nt_output *out, const struct nt_event *e)
{
	char buf[40];

	if (!out->detail)
		return;
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)e->skb);
	json_str(j, "skb", buf);
	json_uint(j, "cpu", e->cpu);
	json_uint(j, "pid", e->pid);
	json_str(j, "comm", e->comm);
	json_str(j, "dev", e->ifname);
	json_uint(j, "netns", e->netns);
}

static void drop(struct nt_sink *s, const struct nt_event *e, const struct nt_stack *st)
{
	const struct nt_output *out = s->out;
	size_t i, n = nt_stack_frames(st);
	struct json j;
	char buf[128];

	json_begin(&j, s->f);
	head(&j, out, e, "drop");
	if ((e->flags & NT_EV_HAS_REASON) && out->reasons) {
		nt_reason_format(out->reasons, e->reason, buf, sizeof(buf));
		json_str(&j, "reason", buf);
	}
	nt_ksyms_format(out->ksyms, e->location, buf, sizeof(buf));
	json_str(&j, "location", buf);
	detail(&j, out, e);
	if (n) {
		json_arr_open(&j, "stack");
		for (i = nt_stack_skip(out->ksyms, st->ips, n); i < n; i++) {
			nt_ksyms_format(out->ksyms, st->ips[i], buf, sizeof(buf));
			json_str(&j, NULL, buf);
		}
		json_close(&j, ']');
	}
	json_end(&j);
}

/* The members of a trace event. */
static void trace(struct json *j, const struct nt_output *out, const struct nt_event *e)
{
	char buf[96];
	const char *meaning;

	head(j, out, e, "trace");
	json_str(j, "probe", nt_probe_name(out->catalog, e->probe));
	if (e->kind == NT_EV_NFHOOK)
		nt_nf_json(j, &e->nf);
	if ((e->flags & NT_EV_HAS_REASON) && out->reasons) {
		nt_reason_format(out->reasons, e->reason, buf, sizeof(buf));
		json_str(j, "reason", buf);
	}
	if (e->flags & NT_EV_CLONE) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)e->retval);
		json_str(j, "clone", buf);
	}
	if (e->flags & NT_EV_HAS_RET) {
		json_int(j, "ret", e->retval);
		meaning = nt_event_ret_meaning(out, e, buf, sizeof(buf));
		if (meaning)
			json_str(j, "ret_meaning", meaning);
	}
	detail(j, out, e);
}

static void event(struct nt_sink *s, const struct nt_event *e)
{
	struct json j;

	json_begin(&j, s->f);
	trace(&j, s->out, e);
	json_end(&j);
}

/* The members of an nft verdict. */
static void nft(struct json *j, const struct nt_output *out, const struct nt_verdict *v, __u64 ts)
{
	const struct nt_nftrace_event *e = &v->e;
	char t[40], fam[16];

	nt_time_format(out, ts, t, sizeof(t));
	nt_nft_family_format(fam, sizeof(fam), e->family);
	json_str(j, "event", "nft");
	json_str(j, "time", t);
	json_str(j, "family", fam);
	json_str(j, "table", e->table);
	json_str(j, "chain", e->chain);
	if (e->handle)
		json_uint(j, "handle", e->handle);
	if (e->rule[0])
		json_str(j, "rule", e->rule);
	json_str(j, "verdict", e->verdict);
	json_str(j, "packet", e->packet);
	json_uint(j, "netns", v->netns);
}

static void verdict(struct nt_sink *s, const struct nt_verdict *v, __u64 ts)
{
	struct json j;

	json_begin(&j, s->f);
	nft(&j, s->out, v, ts);
	json_end(&j);
}

/* Why a group was printed. */
static const char *end_name(enum nt_group_end end)
{
	switch (end) {
	case NT_GROUP_FREED:
		return "freed";
	case NT_GROUP_EVICTED:
		return "evicted";
	case NT_GROUP_IDLE:
		return "idle";
	case NT_GROUP_FLUSHED:
		return "exit";
	case NT_GROUP_ALONE:
		return "alone";
	}
	return "?";
}

/* {"event":"packet", skbs, freed, printed, events (nft verdicts in their place), findings} */
static void packet(struct nt_sink *s, const struct nt_pgroup *g, const struct nt_analysis *an)
{
	const struct nt_output *out = s->out;
	struct json j;
	char buf[24];
	size_t i, k;

	json_begin(&j, s->f);
	json_str(&j, "event", "packet");
	json_arr_open(&j, "skbs");
	for (i = 0; i < g->nskbs; i++) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)g->skbs[i]);
		json_str(&j, NULL, buf);
	}
	json_close(&j, ']');
	json_bool(&j, "freed", g->complete);
	json_str(&j, "printed", end_name(g->end));
	json_uint(&j, "events_not_kept", g->dropped_events);
	json_arr_open(&j, "events");
	for (i = 0; i < g->nevents; i++) {
		json_obj_open(&j, NULL);
		trace(&j, out, &g->events[i]);
		json_close(&j, '}');
		for (k = 0; an && k < an->nverdicts; k++) {
			if (an->verdicts[k].after != i)
				continue;
			json_obj_open(&j, NULL);
			nft(&j, out, &an->verdicts[k], g->events[i].ts);
			json_close(&j, '}');
		}
	}
	json_close(&j, ']');
	json_arr_open(&j, "findings");
	for (i = 0; an && i < an->nfindings; i++)
		nt_finding_json(&j, out, &an->findings[i]);
	json_close(&j, ']');
	json_end(&j);
}

static void catalog(struct nt_sink *s, const struct nt_catalog *c)
{
	nt_catalog_print_json(c, s->f);
}

static void hooks(struct nt_sink *s, const struct nt_hook_inv *inv)
{
	nt_hooks_print_json(s->f, inv);
}

static void report(struct nt_sink *s, const struct nt_report *r)
{
	struct json j;
	char ts[40];

	nt_time_format(s->out, r->ts, ts, sizeof(ts));
	json_begin(&j, s->f);
	json_str(&j, "event", r->packet ? "report" : "folded");
	json_str(&j, "time", ts);
	json_str(&j, "kind", r->kind);
	if (r->reason)
		json_str(&j, "reason", r->reason);
	if (r->location)
		json_str(&j, "location", r->location);
	json_uint(&j, "netns", r->netns);
	if (r->netns_name)
		json_str(&j, "netns_name", r->netns_name);
	if (r->dev && r->dev[0])
		json_str(&j, "dev", r->dev);
	if (r->packet)
		json_str(&j, "packet", r->packet);
	if (r->rule)
		json_str(&j, "rule", r->rule);
	if (r->finding)
		json_str(&j, "finding", r->finding);
	if (r->advice)
		json_str(&j, "advice", r->advice);
	if (!r->packet) {
		json_uint(&j, "more", r->more);
		json_uint(&j, "window_s", r->window_s);
	}
	json_end(&j);
}

const struct nt_sink_ops nt_sink_json = {
	.name = "json",
	.drop = drop,
	.event = event,
	.packet = packet,
	.verdict = verdict,
	.hooks = hooks,
	.catalog = catalog,
	.report = report,
};
