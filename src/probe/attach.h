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
 * Chooses each enabled probe's backend into plan[] (indexed like the catalog).
 * forced: a backend, or -1. Returns 0, or -1 with err when a forced backend
 * is unavailable. Probes no backend can take get NT_BACKEND_COUNT.
 */
int nt_plan(const struct nt_catalog *c, const struct nt_features *f, int forced, nt_plan_t *plan,
	    char *err, size_t errlen);

/* Whether the plan needs the kprobe object. */
bool nt_plan_needs_kprobes(const struct nt_catalog *c, const nt_plan_t *plan);

/* The patch flags of a probe (enum nt_probe_patch), given --ret. */
unsigned int nt_probe_patch_flags(const struct nt_probe *p, bool want_ret);

/* Attaches every planned probe. tmpl may be NULL (no BTF probes), kskel NULL (no kprobes). */
void nt_attach_all(struct nt_attached *a, const struct nt_catalog *c, const nt_plan_t *plan,
		   const struct nt_template *tmpl, struct kprobe_bpf *kskel, bool want_ret);

void nt_detach(struct nt_attached *a);

#endif
