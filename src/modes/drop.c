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
#include "kernel/tracepoints.h"
#include "modes/modes.h"
#include "probe/features.h"
#include "session/session.h"
#include "util/log.h"

struct drop_ctx {
	const struct nt_output *out;
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
	nt_output_drop(dc->out, e, st);
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
static struct drop_bpf *load_attach(struct nt_session *s, const struct attach_way *way,
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
	skel->rodata->nt_filter = s->o->filter;
	skel->rodata->has_reason = has_reason;
	skel->rodata->reason_consumed = consumed >= 0 ? (__u32)consumed : ~0U;
	skel->rodata->want_stack = s->o->drop_stack;
	skel->rodata->pkt_direct = pkt_direct;
	prog = way->tp_btf ? skel->progs.drop_tp_btf : skel->progs.drop_raw_tp;
	other = way->tp_btf ? skel->progs.drop_raw_tp : skel->progs.drop_tp_btf;
	bpf_program__set_autoload(other, false);
	err = nt_session_size_ring(s, skel->maps.nt_events);
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
	char why[2][160] = {}, reasons_note[64];
	struct drop_bpf *skel = NULL;
	struct nt_session s;
	struct drop_ctx dc;
	bool has_reason;
	long consumed = -1;
	size_t i;
	int ret;

	ret = nt_session_open(&s, o, NT_NEED_REASONS | NT_NEED_KSYMS);
	if (ret)
		goto cleanup;
	ret = NT_EXIT_RUNTIME;
	/* kfree_skb has had a reason argument since v5.17 ('c504e5c2f964'). */
	has_reason = s.has_reasons && nt_tp_nargs(s.btf, "kfree_skb") >= 3;
	if (has_reason) {
		consumed = nt_reason_value(&s.reasons, "CONSUMED");
		snprintf(reasons_note, sizeof(reasons_note), "%zu drop reasons from BTF",
			 s.reasons.ncore);
	} else {
		s.out.reasons = NULL;
		snprintf(reasons_note, sizeof(reasons_note),
			 "this kernel passes no drop reasons");
	}

	for (i = 0; i < sizeof(ways) / sizeof(ways[0]) && !skel; i++)
		skel = load_attach(&s, &ways[i], has_reason, consumed,
				   nt_pkt_direct_probe(s.btf), why[i], sizeof(why[i]));
	if (!skel) {
		nt_err("cannot attach to skb:kfree_skb: tp_btf: %s; raw_tp: %s", why[0], why[1]);
		goto cleanup;
	}
	i--;
	if (i)
		nt_warn("tp_btf unavailable (%s): using %s", why[0], ways[i].name);

	dc.out = &s.out;
	dc.skel = skel;
	nt_session_ring(&s, skel->maps.nt_events, skel->maps.nt_lost);
	s.pl.handle = on_event;
	s.pl.ctx = &dc;
	s.pl.probe_name = probe_name;
	s.pl.quiesce = on_quiesce;
	ret = nt_session_run(&s, "drop monitor on skb:kfree_skb via %s, %s%s", ways[i].name,
			     reasons_note, o->drop_stack ? ", with stacks" : "");
cleanup:
	drop_bpf__destroy(skel);
	nt_session_close(&s);
	return ret;
}
