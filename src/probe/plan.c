// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing each probe's backend before anything is loaded: the one -t ?
 * shows and a run attaches. A probe this run's backends cannot take is
 * marked unavailable with the reason, so the tree and its count say what a
 * run would attach.
 */
#include <stdio.h>
#include "record/probe.h"
#include "probe/attach.h"

/*
 * What the BPF side reads of a probe's arguments: the BTF programs
 * (src/bpf/trace.bpf.c ctx_arg) the ctx slots 0..NT_MAX_ARGS, the return
 * value of fexit being the slot after the last argument; the kprobe programs
 * (src/bpf/kprobe.bpf.c regs_arg) the first five x86-64 argument registers.
 */
#define CTX_SLOTS   (NT_MAX_ARGS + 1)
#define KPROBE_ARGS 5
_Static_assert(CTX_SLOTS == 7, "the reasons below say 7 and 6");

#define WHY_CTX_ARG    "the skb is argument 8 or later: fentry and tp_btf read the first 7"
#define WHY_FEXIT_RET  "more than 6 arguments: fexit cannot read its return value"
#define WHY_KPROBE_ARG "the skb is argument 6 or later: kprobes read the first 5 (registers)"
#define WHY_FUNCS_ONLY "--backend: functions only"
#define WHY_TPS_ONLY   "--backend tracepoint: tracepoints only"

static const enum nt_backend func_order[] = {NT_BACKEND_FENTRY, NT_BACKEND_KPROBE_MULTI,
					     NT_BACKEND_KPROBE};

unsigned int nt_probe_patch_flags(const struct nt_probe *p, bool want_ret)
{
	unsigned int fl = 0;

	if (p->flags & NT_PROBE_FREE)
		fl |= NT_PP_FREE;
	if (p->kind == NT_PROBE_FUNC && (p->flags & NT_PROBE_CLONE))
		fl |= NT_PP_CLONE;
	if (p->kind == NT_PROBE_FUNC && want_ret && !p->ret_void && !(fl & NT_PP_FREE))
		fl |= NT_PP_RET;
	return fl;
}

const char *nt_backend_refuses(enum nt_backend b, const struct nt_probe *p, bool want_ret)
{
	bool ret = nt_probe_patch_flags(p, want_ret) & (NT_PP_RET | NT_PP_CLONE);

	switch (b) {
	case NT_BACKEND_FENTRY:
		if (ret && p->nargs >= CTX_SLOTS)
			return WHY_FEXIT_RET;
		/* fall through */
	case NT_BACKEND_TRACEPOINT:
		return p->arg >= CTX_SLOTS ? WHY_CTX_ARG : NULL;
	case NT_BACKEND_KPROBE_MULTI:
	case NT_BACKEND_KPROBE:
		return p->arg >= KPROBE_ARGS ? WHY_KPROBE_ARG : NULL;
	default:
		return "no such backend";
	}
}

bool nt_backend_reads_arg(enum nt_backend b, int pos)
{
	if (pos < 0)
		return false;
	return b == NT_BACKEND_KPROBE || b == NT_BACKEND_KPROBE_MULTI ? pos < KPROBE_ARGS
								      : pos < CTX_SLOTS;
}

/*
 * The backend of @p, or NT_BACKEND_COUNT with the reason in *why; *args is
 * set when the reason is the probe's arguments (the backends exist).
 */
static enum nt_backend choose(const struct nt_probe *p, const struct nt_features *f, int forced,
			      bool want_ret, const char **why, bool *args)
{
	const char *first = NULL;
	size_t k, n = sizeof(func_order) / sizeof(func_order[0]);
	enum nt_backend b;

	*args = false;
	if (p->kind == NT_PROBE_TP) {
		if (forced >= 0 && forced != NT_BACKEND_TRACEPOINT) {
			*why = WHY_FUNCS_ONLY;
			return NT_BACKEND_COUNT;
		}
		if (!f->ok[NT_BACKEND_TRACEPOINT]) {
			*why = f->why_tps;
			return NT_BACKEND_COUNT;
		}
		*why = nt_backend_refuses(NT_BACKEND_TRACEPOINT, p, want_ret);
		*args = *why != NULL;
		return *why ? NT_BACKEND_COUNT : NT_BACKEND_TRACEPOINT;
	}
	if (forced == NT_BACKEND_TRACEPOINT) {
		*why = WHY_TPS_ONLY;
		return NT_BACKEND_COUNT;
	}
	for (k = 0; k < (forced >= 0 ? 1 : n); k++) {
		b = forced >= 0 ? (enum nt_backend)forced : func_order[k];
		if (!f->ok[b])
			continue;
		*why = nt_backend_refuses(b, p, want_ret);
		if (!*why)
			return b;
		if (!first)
			first = *why;
	}
	*args = first != NULL;
	*why = first ? first : f->why_funcs;
	return NT_BACKEND_COUNT;
}

int nt_plan(struct nt_catalog *c, const struct nt_features *f, int forced, bool want_ret,
	    nt_plan_t *plan, struct nt_attached *a, char *err, size_t errlen)
{
	const char *why;
	bool args;
	size_t i;

	if (forced >= 0 && !f->ok[forced]) {
		snprintf(err, errlen, "--backend %s: %s", nt_backend_name(forced), f->why[forced]);
		return -1;
	}
	for (i = 0; i < c->nprobes; i++) {
		struct nt_probe *p = &c->probes[i];

		plan[i] = NT_BACKEND_COUNT;
		if (!p->available || (p->flags & NT_PROBE_SK))
			continue;
		plan[i] = choose(p, f, forced, want_ret, &why, &args);
		if (plan[i] != NT_BACKEND_COUNT) {
			if (!p->enabled)
				plan[i] = NT_BACKEND_COUNT;
			continue;
		}
		p->available = false;
		p->why = why;
		if (p->enabled && args)
			nt_attach_failed(a, p, NULL, why);
		p->enabled = false;
	}
	return 0;
}

bool nt_plan_needs_kprobes(const struct nt_catalog *c, const nt_plan_t *plan)
{
	size_t i;

	for (i = 0; i < c->nprobes; i++)
		if (plan[i] == NT_BACKEND_KPROBE || plan[i] == NT_BACKEND_KPROBE_MULTI)
			return true;
	return false;
}
