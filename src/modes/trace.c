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
#include "nettrace.h"
#include "trace.skel.h"
#include "kprobe.skel.h"
#include "catalog/catalog.h"
#include "group/group.h"
#include "kernel/ksyms.h"
#include "kernel/reasons.h"
#include "modes/modes.h"
#include "modes/trace_nf.h"
#include "output/trace.h"
#include "pipeline/events.h"
#include "probe/attach.h"
#include "util/log.h"

extern const char nt_catalog_text[]; /* data/catalog.txt, built in */

#define GROUP_IDLE_NS (2ULL * 1000000000ULL)

/*
 * The grouper's caps: about 3.7 MiB, taken at start. 8192 events are ~900
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
	struct nt_output out;
	struct nt_trace_nf nf;
	const struct nt_catalog *cat;
	struct nt_grouper *gr;
	struct nt_attached *att;
	unsigned long limit, packets;
};

static void on_group(void *ctx, const struct nt_pgroup *g)
{
	struct trace_ctx *tc = ctx;

	if (tc->limit && tc->packets >= tc->limit)
		return;
	nt_output_group(&tc->out, tc->cat, g);
	if (!tc->out.json)
		nt_trace_nf_findings(&tc->nf, g->events, g->nevents,
				     g->end == NT_GROUP_EVICTED);
	if (++tc->packets == tc->limit)
		nt_pipeline_stop();
}

static bool on_event(void *ctx, const void *data, size_t size)
{
	struct trace_ctx *tc = ctx;
	const struct nt_event *e = data;
	bool frees;

	if (size < sizeof(*e) || (e->kind != NT_EV_TRACE && e->kind != NT_EV_NFHOOK))
		return false;
	if (!tc->gr) {
		nt_output_trace(&tc->out, tc->cat, e);
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

	if (!tc->gr)
		return;
	nt_grouper_flush(tc->gr);
	pl->events = tc->packets;
	pl->unit = "packets";
	nt_group_stats_format(nt_grouper_stats(tc->gr), &group_caps, pl->note, sizeof(pl->note));
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

int nt_trace_run(const struct nt_opts *o)
{
	struct nt_pipeline pl = { .limit = o->count, .report_periodic = o->verbose > 0 };
	struct trace_ctx tc = { .limit = o->count };
	const char *mode = o->mode == NT_MODE_BASIC ? "basic" : "lifecycle";
	struct nt_template tmpl = {};
	struct nt_attached att = {};
	struct nt_catalog cat = {};
	struct nt_features feat;
	struct nt_reasons reasons = {};
	struct nt_ksyms ks = {};
	struct kprobe_bpf *kskel = NULL;
	struct trace_bpf *skel = NULL;
	nt_plan_t *plan = NULL;
	struct btf *btf;
	char line[512];
	int err, ret = NT_EXIT_RUNTIME, forced = -1;

	btf = btf__load_vmlinux_btf();
	if (!btf) {
		nt_err("the kernel's BTF is not readable (%s): nettrace needs CONFIG_DEBUG_INFO_BTF",
		       strerror(errno));
		return NT_EXIT_RUNTIME;
	}
	err = nt_ksyms_load(&ks, NULL);
	if (err)
		nt_warn("kallsyms unreadable (%s): functions are not checked against it",
			strerror(-err));
	ret = prepare_catalog(&cat, o, btf, ks.n ? &ks : NULL);
	if (ret >= 0)
		goto cleanup;
	ret = NT_EXIT_RUNTIME;

	nt_features_probe(&feat, btf);
	if (o->backend)
		forced = nt_backend_parse(o->backend);
	plan = calloc(cat.nprobes ? cat.nprobes : 1, sizeof(*plan));
	if (!plan)
		goto cleanup;
	if (nt_plan(&cat, &feat, forced, o->ret, plan, &att, line, sizeof(line))) {
		nt_err("%s", line);
		goto cleanup;
	}
	if (o->trace && !strcmp(o->trace, "?")) { /* -t ?: what this run would attach */
		nt_catalog_print_tree(&cat, stdout);
		ret = NT_EXIT_OK;
		if (fflush(stdout)) {
			nt_err("writing to stdout: %s", strerror(errno));
			ret = NT_EXIT_RUNTIME;
		}
		goto cleanup;
	}

	skel = trace_bpf__open();
	if (!skel)
		goto cleanup;
	skel->rodata->nt_filter = o->filter;
	skel->rodata->track_on = o->mode != NT_MODE_BASIC;
	skel->rodata->pkt_direct = nt_pkt_direct_probe(btf);
	err = bpf_map__set_max_entries(skel->maps.nt_events, o->buf_kb * 1024);
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
		err = load_kprobes(&kskel, o, skel, feat.ok[NT_BACKEND_KPROBE_MULTI] && forced != NT_BACKEND_KPROBE);
		if (err) {
			nt_err("cannot load the kprobe programs: %s", strerror(-err));
			goto cleanup;
		}
	}
	nt_attach_all(&att, &cat, plan, &tmpl, kskel, o->ret);
	nt_output_init(&tc.out, stdout);
	nt_trace_nf_start(&tc.nf, o, skel, &pl, &tc.out);
	say_attached(&att, &feat, mode, line, sizeof(line));
	if (!att.count[NT_BACKEND_FENTRY] && !att.count[NT_BACKEND_KPROBE] &&
	    !att.count[NT_BACKEND_KPROBE_MULTI] && !att.count[NT_BACKEND_TRACEPOINT] &&
	    !tc.nf.links && !tc.nf.nnft) {
		nt_err("nothing attached: %s%s", line, tc.nf.note);
		goto cleanup;
	}
	nt_pipeline_ready("%s%s", line, tc.nf.note);

	tc.out.json = o->json;
	tc.out.date = o->date;
	tc.out.detail = o->detail;
	tc.out.ksyms = ks.n ? &ks : NULL;
	if (!nt_reasons_load(&reasons, btf))
		tc.out.reasons = &reasons;
	tc.cat = &cat;
	if (o->mode != NT_MODE_BASIC) {
		tc.gr = nt_grouper_new(&group_caps, on_group, &tc);
		if (!tc.gr)
			goto cleanup;
		pl.limit = 0; /* packets are counted as groups end */
	}
	pl.events_fd = bpf_map__fd(skel->maps.nt_events);
	pl.lost_fd = bpf_map__fd(skel->maps.nt_lost);
	pl.handle = on_event;
	pl.tick = on_tick;
	pl.ctx = &tc;
	pl.probe_name = probe_name;
	pl.finish = on_finish;
	pl.quiesce = on_quiesce;
	tc.att = &att;
	ret = nt_pipeline_main(&pl);
cleanup:
	nt_trace_nf_stop(&tc.nf);
	nt_grouper_free(tc.gr);
	nt_detach(&att);
	kprobe_bpf__destroy(kskel);
	trace_bpf__destroy(skel);
	nt_template_free(&tmpl);
	free(plan);
	nt_catalog_free(&cat);
	nt_reasons_free(&reasons);
	nt_ksyms_free(&ks);
	btf__free(btf);
	return ret;
}
