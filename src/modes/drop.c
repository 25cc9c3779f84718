// SPDX-License-Identifier: GPL-2.0
/*
 * Drop monitor (--drop, --drop-stack): skb:kfree_skb through tp_btf, or raw_tp
 * where tp_btf cannot attach; the reason names from the kernel's BTF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "record/event.h"
#include "drop.skel.h"
#include "kernel/ksyms.h"
#include "kernel/reasons.h"
#include "kernel/tracepoints.h"
#include "modes/modes.h"
#include "output/event.h"
#include "pipeline/events.h"
#include "probe/features.h"
#include "util/log.h"

struct drop_ctx {
	struct nt_output out;
	struct drop_bpf *skel;
};

/* After a stop: nothing adds to the ring buffer any more, so the drain ends. */
static void on_quiesce(void *ctx)
{
	struct drop_ctx *dc = ctx;

	drop_bpf__detach(dc->skel);
}

static bool on_event(void *ctx, const struct nt_event *e, const struct nt_stack *st)
{
	struct drop_ctx *dc = ctx;

	if (e->kind != NT_EV_DROP)
		return false;
	nt_output_drop(&dc->out, e, st);
	return true;
}

static const char *probe_name(void *ctx, __u32 probe)
{
	(void)ctx;
	(void)probe;
	return "skb:kfree_skb";
}

struct attach_way {
	const char *name;
	bool tp_btf;
};

static const struct attach_way ways[] = {
	{ "tp_btf", true },
	{ "raw_tp", false },
};

/* Opens, configures, loads and attaches one way; on failure says why in @why. */
static struct drop_bpf *load_attach(const struct nt_opts *o, const struct attach_way *way,
				    bool has_reason, long consumed, bool pkt_direct, char *why,
				    size_t len)
{
	struct bpf_program *prog, *other;
	struct bpf_link *link;
	struct drop_bpf *skel;
	int err;

	skel = drop_bpf__open();
	if (!skel) {
		snprintf(why, len, "open: %s", strerror(errno));
		return NULL;
	}
	skel->rodata->nt_filter = o->filter;
	skel->rodata->has_reason = has_reason;
	skel->rodata->reason_consumed = consumed >= 0 ? (__u32)consumed : ~0U;
	skel->rodata->want_stack = o->drop_stack;
	skel->rodata->pkt_direct = pkt_direct;
	prog = way->tp_btf ? skel->progs.drop_tp_btf : skel->progs.drop_raw_tp;
	other = way->tp_btf ? skel->progs.drop_raw_tp : skel->progs.drop_tp_btf;
	bpf_program__set_autoload(other, false);
	err = bpf_map__set_max_entries(skel->maps.nt_events, o->buf_kb * 1024);
	if (!err)
		err = drop_bpf__load(skel);
	if (err) {
		snprintf(why, len, "load: %s", strerror(-err));
		goto fail;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		err = -errno;
		snprintf(why, len, "attach: %s", strerror(-err));
		goto fail;
	}
	if (way->tp_btf)
		skel->links.drop_tp_btf = link;
	else
		skel->links.drop_raw_tp = link;
	return skel;
fail:
	drop_bpf__destroy(skel);
	return NULL;
}

int nt_drop_run(const struct nt_opts *o)
{
	struct nt_pipeline pl = { .limit = o->count, .report_periodic = o->verbose > 0 };
	char why[2][160] = {}, reasons_note[64];
	struct drop_bpf *skel = NULL;
	struct nt_reasons reasons = {};
	struct nt_ksyms ksyms = {};
	struct drop_ctx dc;
	struct btf *btf;
	bool has_reason, pkt_direct;
	long consumed = -1;
	size_t i;
	int err, ret = NT_EXIT_RUNTIME;

	btf = btf__load_vmlinux_btf();
	if (!btf) {
		nt_err("the kernel's BTF is not readable (%s): nettrace needs CONFIG_DEBUG_INFO_BTF",
		       strerror(errno));
		return NT_EXIT_RUNTIME;
	}
	/* kfree_skb has had a reason argument since v5.17 ('c504e5c2f964'). */
	has_reason = nt_tp_nargs(btf, "kfree_skb") >= 3;
	if (has_reason && nt_reasons_load(&reasons, btf) == 0) {
		consumed = nt_reason_value(&reasons, "CONSUMED");
		snprintf(reasons_note, sizeof(reasons_note), "%zu drop reasons from BTF",
			 reasons.ncore);
	} else {
		has_reason = false;
		snprintf(reasons_note, sizeof(reasons_note),
			 "this kernel passes no drop reasons");
	}
	pkt_direct = nt_pkt_direct_probe(btf);
	err = nt_ksyms_load(&ksyms, NULL);
	if (err)
		nt_warn("kallsyms unreadable (%s): locations shown as addresses", strerror(-err));

	for (i = 0; i < sizeof(ways) / sizeof(ways[0]) && !skel; i++)
		skel = load_attach(o, &ways[i], has_reason, consumed, pkt_direct, why[i],
				   sizeof(why[i]));
	if (!skel) {
		nt_err("cannot attach to skb:kfree_skb: tp_btf: %s; raw_tp: %s", why[0], why[1]);
		goto cleanup;
	}
	i--;
	if (i)
		nt_warn("tp_btf unavailable (%s): using %s", why[0], ways[i].name);

	nt_output_init(&dc.out, stdout);
	dc.out.json = o->json;
	dc.out.date = o->date;
	dc.out.detail = o->detail;
	dc.out.reasons = has_reason ? &reasons : NULL;
	dc.out.ksyms = ksyms.n ? &ksyms : NULL;

	pl.events_fd = bpf_map__fd(skel->maps.nt_events);
	pl.lost_fd = bpf_map__fd(skel->maps.nt_lost);
	pl.handle = on_event;
	pl.ctx = &dc;
	pl.probe_name = probe_name;
	pl.quiesce = on_quiesce;
	dc.skel = skel;
	nt_pipeline_ready("drop monitor on skb:kfree_skb via %s, %s%s",
			  ways[i].name, reasons_note, o->drop_stack ? ", with stacks" : "");
	ret = nt_pipeline_main(&pl);
cleanup:
	drop_bpf__destroy(skel);
	nt_ksyms_free(&ksyms);
	nt_reasons_free(&reasons);
	btf__free(btf);
	return ret;
}
