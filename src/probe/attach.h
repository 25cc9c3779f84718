/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Choosing a backend for each enabled probe of the catalog and attaching it:
 * tracepoints through tp_btf clones; functions through fentry/fexit clones,
 * else kprobe-multi, else kprobe/kretprobe, unless --backend forces one.
 */
#ifndef NT_ATTACH_H
#define NT_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include "catalog/catalog.h"
#include "probe/clone.h"
#include "probe/features.h"

struct kprobe_bpf;

/* NT_BACKEND_COUNT: the probe is not attached. */
typedef enum nt_backend nt_plan_t;

struct nt_attached {
	int *fds; /* attachments and clone programs, closed by nt_detach() */
	size_t nfds, cap;
	struct bpf_link **links;
	size_t nlinks, lcap;
	size_t count[NT_BACKEND_COUNT]; /* probes attached per backend */
	size_t failed;                  /* probes whose attach failed */
	char first_failure[160];
};

/*
 * Chooses each enabled probe's backend into plan[] (indexed like the
 * catalog), for this kernel's backends (@f), --backend (@forced: a backend,
 * or -1) and --ret (@want_ret): tracepoints through tp_btf; functions
 * through the first of fentry/fexit, kprobe-multi, kprobe that works here
 * and can read the probe's skb argument and, when wanted, its return value
 * (src/probe/plan.c says how many each reads). Call it after
 * nt_catalog_select() and before -t ? lists the catalog: every available
 * probe that this run cannot attach is made unavailable, with the reason as
 * its why (no backend for its kind here, one left out by --backend, or an
 * argument past what the backends read), so the tree and its count say what
 * a run attaches. An enabled probe refused for its arguments is disabled
 * and counted in @a as failed to attach (the start-up line names it). The
 * reasons point into @f or are static: @f must outlive the catalog's use.
 * Returns 0, or -1 with @err when a forced backend is unavailable.
 */
int nt_plan(struct nt_catalog *c, const struct nt_features *f, int forced, bool want_ret,
	    nt_plan_t *plan, struct nt_attached *a, char *err, size_t errlen);

/* Why backend @b cannot attach @p (its arguments, --ret), NULL if it can. */
const char *nt_backend_refuses(enum nt_backend b, const struct nt_probe *p, bool want_ret);
/* Whether backend @b's programs read argument position @pos (e.g. a drop reason). */
bool nt_backend_reads_arg(enum nt_backend b, int pos);

/* Whether the plan needs the kprobe object. */
bool nt_plan_needs_kprobes(const struct nt_catalog *c, const nt_plan_t *plan);

/* The patch flags of a probe (enum nt_probe_patch), given --ret. */
unsigned int nt_probe_patch_flags(const struct nt_probe *p, bool want_ret);

/*
 * Counts @p as failed to attach and says so at -v: "NAME: HOW failed: WHY",
 * or "NAME: not attached: WHY" when @how is NULL.
 */
void nt_attach_failed(struct nt_attached *a, const struct nt_probe *p, const char *how,
		      const char *why);

/* Attaches every planned probe. tmpl may be NULL (no BTF probes), kskel NULL (no kprobes). */
void nt_attach_all(struct nt_attached *a, const struct nt_catalog *c, const nt_plan_t *plan,
		   const struct nt_template *tmpl, struct kprobe_bpf *kskel, bool want_ret);

void nt_detach(struct nt_attached *a);

#endif
