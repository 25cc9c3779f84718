// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle (default) and basic modes: the enabled probes of the trace catalog
 * are attached through the best backend this kernel allows; lifecycle groups
 * the events per packet, basic prints them as they come.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "record/event.h"
#include "trace.skel.h"
#include "kprobe.skel.h"
#include "catalog/catalog.h"
#include "group/group.h"
#include "output/summary.h"
#include "analysis/diagnose.h"
#include "facts/facts.h"
#include "modes/modes.h"
#include "modes/trace_nf.h"
#include "probe/attach.h"
#include "session/session.h"
#include "util/log.h"

extern const char nt_catalog_text[]; /* data/catalog.txt, built in */

#define GROUP_IDLE_NS (2ULL * 1000000000ULL)

/*
 * The grouper's caps: about 4.3 MiB, taken at start. 8192 events are ~900
 * packets of 9 events in flight, or 32 of 256; a busier or longer-lived
 * backlog makes room by printing the oldest group early, and says so in the
 * closing line.
 */
static const struct nt_group_caps group_caps = {
	.groups = 2048,
	.events = 8192,
	.per_group = 256,
	.skbs = 16,
};

struct trace_ctx {
	const struct nt_output *out;
	struct nt_trace_nf nf;
	struct nt_analyzer *an; /* lifecycle */
	struct nt_diag diag;	/* --diag: diag.kb set */
	bool quiet, keep;
	bool done;		/* --diag: a packet in error was shown, nothing more is */
	unsigned long abnormal; /* packets with a WARN or ERROR finding */
	const struct nt_catalog *cat;
	struct nt_grouper *gr;
	struct nt_attached *att;
	unsigned long limit, packets;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_group(void *ctx, const struct nt_pgroup *g)
{
	struct trace_ctx *tc = ctx;
	const struct nt_analysis *an;

	struct nt_analysis *r;
	int worst;

	if ((tc->limit && tc->packets >= tc->limit) || tc->done)
		return;
	an = r = (struct nt_analysis *)nt_analyse(tc->an, g->events, g->nevents,
						  g->end == NT_GROUP_EVICTED, now_s());
	if (tc->diag.kb) {
		nt_diagnose(&tc->diag, g->events, g->nevents, g->complete, now_s(), r);
		worst = nt_analysis_worst(an);
		if (tc->quiet && worst < NT_SEV_WARN)
			return;
		if (worst >= NT_SEV_WARN)
			tc->abnormal++;
		/* Like upstream: stop at the first packet in error, unless --diag-keep. */
		if (worst == NT_SEV_ERROR && !tc->keep) {
			tc->done = true;
			nt_pipeline_stop();
		}
	}
	nt_output_packet(tc->out, g, an);
	if (++tc->packets == tc->limit)
		nt_pipeline_stop();
}

static bool on_event(void *ctx, const struct nt_event *e, const struct nt_stack *st)
{
	struct trace_ctx *tc = ctx;
	bool frees;

	(void)st;
	if (e->kind != NT_EV_TRACE && e->kind != NT_EV_NFHOOK)
		return false;
	if (!tc->gr) {
		nt_output_event(tc->out, e);
		return true;
	}
	frees = e->probe < tc->cat->nprobes && (tc->cat->probes[e->probe].flags & NT_PROBE_FREE);
	nt_grouper_add(tc->gr, e, frees);
	return false; /* -c counts packets, in on_group() */
}

static void on_tick(void *ctx)
{
	struct trace_ctx *tc = ctx;
	struct timespec ts;

	nt_trace_nf_tick(&tc->nf);
	if (!tc->gr)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	nt_grouper_expire(tc->gr, ts.tv_sec * 1000000000ULL + ts.tv_nsec, GROUP_IDLE_NS);
}

/*
 * Lifecycle: the groups still open are printed, and packets are what -c and
 * the summary count. What the grouper's caps cut is said in the summary.
 */
static void on_finish(struct nt_pipeline *pl)
{
	struct trace_ctx *tc = pl->ctx;
	size_t n = 0;

	if (tc->gr) {
		nt_grouper_flush(tc->gr);
		nt_trace_nf_flush(&tc->nf);
		pl->events = tc->packets;
		pl->unit = "packets";
		n = nt_group_stats_format(nt_grouper_stats(tc->gr), &group_caps, pl->note,
					  sizeof(pl->note));
	}
	if (n && n + 2 < sizeof(pl->note) &&
	    nt_trace_nf_summary(&tc->nf, pl->note + n + 2, sizeof(pl->note) - n - 2))
		memcpy(pl->note + n, "; ", 2);
	else if (!n)
		nt_trace_nf_summary(&tc->nf, pl->note, sizeof(pl->note));
}

/* After a stop: nothing adds to the ring buffer any more, so the drain ends. */
static void on_quiesce(void *ctx)
{
	struct trace_ctx *tc = ctx;

	nt_detach(tc->att);
	nt_trace_nf_quiesce(&tc->nf);
}

static const char *probe_name(void *ctx, __u32 probe)
{
	struct trace_ctx *tc = ctx;

	return nt_probe_name(tc->cat, probe);
}

/* The start-up line: what is attached and why anything is missing. */
static void say_attached(const struct nt_attached *a, const struct nt_features *f,
			 const char *mode, char *buf, size_t len)
{
	size_t funcs = a->count[NT_BACKEND_FENTRY] + a->count[NT_BACKEND_KPROBE_MULTI] +
		       a->count[NT_BACKEND_KPROBE];
	int n = 0, b;

	n += snprintf(buf + n, len - n, "%s trace:", mode);
	for (b = 0; b < NT_BACKEND_TRACEPOINT; b++)
		if (a->count[b])
			n += snprintf(buf + n, len - n, " %zu functions via %s,", a->count[b],
				      nt_backend_name(b));
	n += snprintf(buf + n, len - n, " %zu tracepoints", a->count[NT_BACKEND_TRACEPOINT]);
	if (!funcs && !f->ok[NT_BACKEND_FENTRY] && !f->ok[NT_BACKEND_KPROBE])
		n += snprintf(buf + n, len - n, "; functions not traced: kprobes: %s; fentry: %s",
			      f->why[NT_BACKEND_KPROBE], f->why[NT_BACKEND_FENTRY]);
	if (a->failed && (size_t)n < len)
		snprintf(buf + n, len - n, "; %zu failed to attach (first: %s; -v lists them)",
			 a->failed, a->first_failure);
}

static int load_kprobes(struct kprobe_bpf **out, const struct nt_opts *o, struct trace_bpf *t,
			bool multi)
{
	struct kprobe_bpf *k = kprobe_bpf__open();
	int err;

	if (!k)
		return -errno;
	k->rodata->nt_filter = o->filter;
	k->rodata->track_on = t->rodata->track_on;
	bpf_program__set_autoload(k->progs.nt_kprobe, !multi);
	bpf_program__set_autoload(k->progs.nt_kretprobe, !multi);
	bpf_program__set_autoload(k->progs.nt_kmulti, multi);
	bpf_program__set_autoload(k->progs.nt_kretmulti, multi);
	err = bpf_map__reuse_fd(k->maps.nt_events, bpf_map__fd(t->maps.nt_events));
	if (!err)
		err = bpf_map__reuse_fd(k->maps.nt_lost, bpf_map__fd(t->maps.nt_lost));
	if (!err)
		err = bpf_map__reuse_fd(k->maps.nt_track, bpf_map__fd(t->maps.nt_track));
	if (!err)
		err = kprobe_bpf__load(k);
	if (err) {
		kprobe_bpf__destroy(k);
		return err;
	}
	*out = k;
	return 0;
}

/* Catalog, resolved and selected. Returns an exit status, or -1 to go on. */
static int prepare_catalog(struct nt_catalog *c, const struct nt_opts *o, const struct btf *btf,
			   const struct nt_ksyms *ks)
{
	bool list = o->trace && !strcmp(o->trace, "?");
	char err[NT_ERRLEN];

	if (nt_catalog_parse(c, nt_catalog_text, err, sizeof(err))) {
		nt_err("built-in trace catalog: %s", err);
		return NT_EXIT_RUNTIME;
	}
	nt_catalog_resolve(c, btf, ks);
	if (o->all_funcs && nt_catalog_add_all_funcs(c, btf, ks, o->all_funcs, err, sizeof(err)) < 0) {
		nt_err("--all-funcs: %s", err);
		return NT_EXIT_USAGE;
	}
	if (nt_catalog_select(c, list ? NULL : o->trace, o->trace_exclude, err, sizeof(err))) {
		nt_err("-t/--trace: %s", err);
		return NT_EXIT_USAGE;
	}
	if (c->nprobes > NT_NF_PROBE_BASE) {
		nt_err("%zu probes: at most %d can be traced at once (narrow --all-funcs)",
		       c->nprobes, NT_NF_PROBE_BASE);
		return NT_EXIT_USAGE;
	}
	return -1;
}

/* The built-in knowledge base and the --diag-rules files; an exit status on error. */
static int load_kb(struct nt_kb *kb, const struct nt_opts *o)
{
	char err[512];
	size_t i;

	if (nt_kb_load_builtin(kb, err, sizeof(err))) {
		nt_err("built-in knowledge base: %s", err);
		return NT_EXIT_RUNTIME;
	}
	for (i = 0; i < o->ndiag_rules; i++) {
		if (nt_kb_load_file(kb, o->diag_rules[i], err, sizeof(err))) {
			nt_err("--diag-rules: %s", err);
			nt_kb_free(kb);
			return NT_EXIT_USAGE;
		}
	}
	return 0;
}

int nt_trace_run(const struct nt_opts *o)
{
	struct trace_ctx tc = { .limit = o->count };
	const char *mode = o->mode == NT_MODE_BASIC ? "basic"
			   : o->mode == NT_MODE_DIAG ? "diagnose"
						     : "lifecycle";
	struct nt_template tmpl = {};
	struct nt_attached att = {};
	struct nt_catalog cat = {};
	struct nt_features feat;
	struct kprobe_bpf *kskel = NULL;
	struct trace_bpf *skel = NULL;
	nt_plan_t *plan = NULL;
	struct nt_session s;
	struct nt_kb kb = {};
	char line[512];
	int err, ret, forced = -1;

	if (o->mode == NT_MODE_DIAG) {
		ret = load_kb(&kb, o);
		if (ret)
			return ret;
	}
	ret = nt_session_open(&s, o, NT_NEED_BTF | NT_NEED_KSYMS | NT_NEED_REASONS);
	if (ret)
		goto cleanup;
	ret = prepare_catalog(&cat, o, s.btf, s.ksyms.n ? &s.ksyms : NULL);
	if (ret >= 0)
		goto cleanup;
	ret = NT_EXIT_RUNTIME;

	nt_features_probe(&feat, s.btf);
	if (o->backend)
		forced = nt_backend_parse(o->backend);
	plan = calloc(cat.nprobes ? cat.nprobes : 1, sizeof(*plan));
	if (!plan) {
		nt_err("cannot allocate the probe plan: %s", strerror(ENOMEM));
		goto cleanup;
	}
	if (nt_plan(&cat, &feat, forced, o->ret, plan, &att, line, sizeof(line))) {
		nt_err("%s", line);
		goto cleanup;
	}
	if (o->trace && !strcmp(o->trace, "?")) { /* -t ?: what this run would attach */
		nt_output_catalog(&s.out, &cat);
		ret = nt_output_flush(&s.out);
		if (ret)
			nt_err("writing to stdout: %s", strerror(-ret));
		ret = ret ? NT_EXIT_RUNTIME : NT_EXIT_OK;
		goto cleanup;
	}

	skel = trace_bpf__open();
	if (!skel) {
		nt_err("cannot open the trace program: %s", strerror(errno));
		goto cleanup;
	}
	skel->rodata->nt_filter = o->filter;
	skel->rodata->track_on = o->mode != NT_MODE_BASIC;
	skel->rodata->pkt_direct = nt_pkt_direct_probe(s.btf);
	err = nt_session_size_ring(&s, skel->maps.nt_events);
	if (!err)
		err = trace_bpf__load(skel);
	if (!err)
		err = nt_template_get(&tmpl, skel->progs.nt_trace);
	if (err) {
		nt_err("cannot load the trace program: %s (tp_btf: %s)", strerror(-err),
		       feat.ok[NT_BACKEND_TRACEPOINT] ? "works" : feat.why[NT_BACKEND_TRACEPOINT]);
		goto cleanup;
	}
	if (nt_plan_needs_kprobes(&cat, plan)) {
		err = load_kprobes(&kskel, o, skel,
				   feat.ok[NT_BACKEND_KPROBE_MULTI] && forced != NT_BACKEND_KPROBE);
		if (err) {
			nt_err("cannot load the kprobe programs: %s", strerror(-err));
			goto cleanup;
		}
	}
	nt_attach_all(&att, &cat, plan, &tmpl, kskel, o->ret);
	s.out.catalog = &cat;
	tc.out = &s.out;
	tc.cat = &cat;
	tc.att = &att;
	nt_trace_nf_start(&tc.nf, o, skel, &s.pl, &s.out);
	say_attached(&att, &feat, mode, line, sizeof(line));
	if (!att.count[NT_BACKEND_FENTRY] && !att.count[NT_BACKEND_KPROBE] &&
	    !att.count[NT_BACKEND_KPROBE_MULTI] && !att.count[NT_BACKEND_TRACEPOINT] &&
	    !tc.nf.links && !tc.nf.nnft) {
		nt_err("nothing attached: %s%s", line, tc.nf.note);
		goto cleanup;
	}
	if (o->mode != NT_MODE_BASIC) {
		tc.gr = nt_grouper_new(&group_caps, on_group, &tc);
		tc.an = malloc(sizeof(*tc.an));
		if (!tc.gr || !tc.an) {
			nt_err("cannot allocate the grouper and analyzer: %s", strerror(ENOMEM));
			goto cleanup;
		}
		nt_trace_nf_analyze(&tc.nf, tc.an);
		s.pl.limit = 0; /* packets are counted as groups end */
	}
	if (o->mode == NT_MODE_DIAG) {
		tc.diag = (struct nt_diag){
			.kb = &kb,
			.cat = &cat,
			.reasons = s.out.reasons,
			.ksyms = s.out.ksyms,
			.consumed = s.has_reasons ? nt_reason_value(&s.reasons, "CONSUMED") : -1,
			.fact = nt_fact_read,
			.netns_cmd = nt_trace_nf_netns_cmd,
		};
		tc.quiet = o->diag_quiet;
		tc.keep = o->diag_keep;
		s.out.diag = true;
		s.out.diag_hooks = o->hooks;
		tc.an->blame_all = o->hooks;
	}
	nt_session_ring(&s, skel->maps.nt_events, skel->maps.nt_lost);
	s.pl.handle = on_event;
	s.pl.tick = on_tick;
	s.pl.ctx = &tc;
	s.pl.probe_name = probe_name;
	s.pl.finish = on_finish;
	s.pl.quiesce = on_quiesce;
	ret = nt_session_run(&s, "%s%s", line, tc.nf.note);
	if (ret == NT_EXIT_OK && tc.abnormal)
		ret = NT_EXIT_ABNORMAL;
cleanup:
	nt_trace_nf_stop(&tc.nf);
	nt_grouper_free(tc.gr);
	free(tc.an);
	nt_detach(&att);
	kprobe_bpf__destroy(kskel);
	trace_bpf__destroy(skel);
	nt_template_free(&tmpl);
	free(plan);
	nt_catalog_free(&cat);
	nt_session_close(&s);
	nt_kb_free(&kb);
	return ret;
}
