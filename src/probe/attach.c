// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "record/filter.h"
#include "record/probe.h"
#include "kprobe.skel.h"
#include "probe/attach.h"
#include "probe/traceable.h"
#include "util/array.h"
#include "util/log.h"

/* Where the probe's drop reason is, for the template or the cookie: none if @b cannot read it. */
static __u32 reason_pos(const struct nt_probe *p, enum nt_backend b)
{
	return nt_backend_reads_arg(b, p->reason_arg) ? (__u32)p->reason_arg : NT_NO_ARG;
}

static void keep_fd(struct nt_attached *a, int fd)
{
	if (nt_grow((void **)&a->fds, &a->cap, a->nfds + 1, sizeof(*a->fds))) {
		close(fd);
		return;
	}
	a->fds[a->nfds++] = fd;
}

static void keep_link(struct nt_attached *a, struct bpf_link *l)
{
	if (nt_grow((void **)&a->links, &a->lcap, a->nlinks + 1, sizeof(*a->links))) {
		bpf_link__destroy(l);
		return;
	}
	a->links[a->nlinks++] = l;
}

/* strerror(), and the kernel-internal ENOTSUPP (524) that libc does not name. */
static const char *attach_strerror(int err)
{
	if (err == 524)
		return "not supported for this function (ENOTSUPP)";
	return strerror(err);
}

void nt_attach_failed(struct nt_attached *a, const struct nt_probe *p, const char *how,
		      const char *why)
{
	a->failed++;
	if (how)
		nt_info("%s: %s failed: %s", p->name, how, why);
	else
		nt_info("%s: not attached: %s", p->name, why);
	if (!a->first_failure[0])
		snprintf(a->first_failure, sizeof(a->first_failure), "%s: %s", p->name, why);
}

static void failed(struct nt_attached *a, const struct nt_probe *p, const char *how, int err)
{
	nt_attach_failed(a, p, how, attach_strerror(-err));
}

static void clone_job(struct nt_clone_job *j, const struct nt_probe *p, size_t id,
		      unsigned int fl)
{
	j->id = id;
	j->spec = (struct nt_clone_spec){
		.btf_id = p->btf_id,
		.probe = id,
		.arg = p->arg,
		.retpos = p->nargs,
		.flags = fl,
		.reason = reason_pos(p, NT_BACKEND_FENTRY),
	};
	if (p->kind == NT_PROBE_TP)
		j->spec.type = BPF_TRACE_RAW_TP;
	else
		j->spec.type = fl & (NT_PP_RET | NT_PP_CLONE) ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
}

/* The tp_btf and fentry/fexit clones, loaded and attached on every CPU. */
static void attach_clones(struct nt_attached *a, const struct nt_catalog *c,
			  const nt_plan_t *plan, const struct nt_template *t, bool want_ret)
{
	struct nt_clone_job *jobs = calloc(c->nprobes ? c->nprobes : 1, sizeof(*jobs));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const struct nt_probe *p;
	size_t i, n = 0;

	if (!jobs) {
		nt_err("out of memory for %zu probes", c->nprobes);
		return;
	}
	for (i = 0; i < c->nprobes; i++)
		if (plan[i] == NT_BACKEND_TRACEPOINT || plan[i] == NT_BACKEND_FENTRY)
			clone_job(&jobs[n++], &c->probes[i], i,
				  nt_probe_patch_flags(&c->probes[i], want_ret));
	nt_clones_attach(t, jobs, n, cpus > 0 ? (unsigned int)cpus : 1);
	for (i = 0; i < n; i++) {
		p = &c->probes[jobs[i].id];
		if (jobs[i].link < 0) {
			failed(a, p, p->kind == NT_PROBE_TP ? "tp_btf" : "fentry/fexit",
			       jobs[i].link);
			continue;
		}
		keep_fd(a, jobs[i].link);
		keep_fd(a, jobs[i].prog_fd);
		a->count[p->kind == NT_PROBE_TP ? NT_BACKEND_TRACEPOINT : NT_BACKEND_FENTRY]++;
	}
	free(jobs);
}

/*
 * The entry kprobe, and the kretprobe when the return matters. Without its
 * kretprobe the entry would stash skbs that nothing takes back out of a map
 * that does not evict: the entry goes too, and the probe counts as failed.
 */
static void attach_kprobe(struct nt_attached *a, struct kprobe_bpf *k, const struct nt_probe *p,
			  size_t id, unsigned int fl)
{
	LIBBPF_OPTS(bpf_kprobe_opts, o,
		    .bpf_cookie = NT_COOKIE(id, p->arg, fl, reason_pos(p, NT_BACKEND_KPROBE)));
	struct bpf_link *entry, *ret = NULL;
	int err;

	o.retprobe = false;
	entry = bpf_program__attach_kprobe_opts(k->progs.nt_kprobe, p->name, &o);
	if (!entry) {
		failed(a, p, "kprobe", -errno);
		return;
	}
	if (fl & (NT_PP_RET | NT_PP_CLONE)) {
		o.retprobe = true;
		ret = bpf_program__attach_kprobe_opts(k->progs.nt_kretprobe, p->name, &o);
		if (!ret) {
			err = -errno;
			bpf_link__destroy(entry);
			failed(a, p, "kretprobe", err);
			return;
		}
	}
	keep_link(a, entry);
	if (ret)
		keep_link(a, ret);
	a->count[NT_BACKEND_KPROBE]++;
}

/* One kprobe-multi link over n functions; NULL with errno set on failure. */
static struct bpf_link *multi_link(struct bpf_program *prog, const char **syms, __u64 *cookies,
				   size_t n)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, o, .syms = syms, .cookies = cookies, .cnt = n);

	return bpf_program__attach_kprobe_multi_opts(prog, NULL, &o);
}

/*
 * Links over syms[0..n): one if the kernel takes them all. It refuses a whole
 * batch for one function it cannot probe (ESRCH: not in ftrace's list, e.g.
 * notrace or inlined everywhere), so a refused batch is split in two until
 * the refused functions stand alone: k bad functions in n cost about
 * 2k log2(n) attempts and links, not n (every link is a separate ftrace
 * registration, slow to make and to tear down). refused: -errno when this
 * very batch was refused already (it is not tried again), else 0. Returns
 * the functions attached.
 */
static size_t attach_batch(struct nt_attached *a, const struct nt_catalog *c,
			   struct bpf_program *prog, const char **syms, __u64 *cookies,
			   const size_t *ids, size_t n, const char *how, int refused, bool *dropped)
{
	struct bpf_link *l;
	int err = refused;

	if (!n)
		return 0;
	if (!err) {
		l = multi_link(prog, syms, cookies, n);
		if (l) {
			keep_link(a, l);
			return n;
		}
		err = -errno;
	}
	if (n == 1) {
		failed(a, &c->probes[ids[0]], how, err);
		dropped[ids[0]] = true;
		return 0;
	}
	return attach_batch(a, c, prog, syms, cookies, ids, n / 2, how, 0, dropped) +
	       attach_batch(a, c, prog, syms + n / 2, cookies + n / 2, ids + n / 2, n - n / 2,
			    how, 0, dropped);
}

/*
 * Moves the functions ftrace lists to the front of syms/cookies/ids and
 * fails the others; returns how many are left. When the list cannot be
 * read, all are left (halving finds the refused ones).
 */
static size_t keep_traceable(struct nt_attached *a, const struct nt_catalog *c,
			     const struct nt_traceable *tr, const char **syms, __u64 *cookies,
			     size_t *ids, size_t n, const char *how, bool *dropped)
{
	size_t i, kept = 0;

	if (!tr->buf)
		return n;
	for (i = 0; i < n; i++) {
		if (!nt_traceable_has(tr, syms[i])) {
			nt_attach_failed(a, &c->probes[ids[i]], how,
					 "ftrace cannot hook it (not in available_filter_functions)");
			dropped[ids[i]] = true;
			continue;
		}
		syms[kept] = syms[i];
		cookies[kept] = cookies[i];
		ids[kept++] = ids[i];
	}
	return kept;
}

/*
 * The kprobe-multi returns (@returns) or entries as few links as the kernel
 * takes: all in one; if refused, those ftrace lists in one; if still
 * refused, halves. Functions that failed are set in dropped[] (indexed like
 * the catalog), and skipped: the returns go first, so that a function whose
 * return could not be attached gets no entry either (it would stash skbs
 * that nothing takes back), and counts once, as failed.
 */
static void attach_multi(struct nt_attached *a, const struct nt_catalog *c, const nt_plan_t *plan,
			 struct kprobe_bpf *k, bool want_ret, bool returns,
			 struct nt_traceable *tr, bool *dropped)
{
	const char **syms = calloc(c->nprobes, sizeof(*syms));
	__u64 *cookies = calloc(c->nprobes, sizeof(*cookies));
	size_t *ids = calloc(c->nprobes, sizeof(*ids));
	struct bpf_program *prog = returns ? k->progs.nt_kretmulti : k->progs.nt_kmulti;
	const char *how = returns ? "kretprobe-multi" : "kprobe-multi";
	struct bpf_link *l;
	size_t i, n = 0, kept, done;
	unsigned int fl;
	int err;

	if (!syms || !cookies || !ids) {
		nt_err("%s: out of memory for %zu probes", how, c->nprobes);
		goto out;
	}
	for (i = 0; i < c->nprobes; i++) {
		if (plan[i] != NT_BACKEND_KPROBE_MULTI || dropped[i])
			continue;
		fl = nt_probe_patch_flags(&c->probes[i], want_ret);
		if (returns && !(fl & (NT_PP_RET | NT_PP_CLONE)))
			continue;
		ids[n] = i;
		syms[n] = c->probes[i].name;
		cookies[n++] = NT_COOKIE(i, c->probes[i].arg, fl,
					 reason_pos(&c->probes[i], NT_BACKEND_KPROBE_MULTI));
	}
	l = n ? multi_link(prog, syms, cookies, n) : NULL;
	if (l) {
		keep_link(a, l);
		done = n;
	} else {
		err = -errno;
		if (n > 1 && !tr->tried && nt_traceable_load(tr, NULL))
			nt_info("available_filter_functions unreadable: refused functions found by halving");
		kept = keep_traceable(a, c, tr, syms, cookies, ids, n, how, dropped);
		/* Nothing left out: the batch just refused is not tried again. */
		done = attach_batch(a, c, prog, syms, cookies, ids, kept, how,
				    kept == n ? err : 0, dropped);
	}
	if (!returns)
		a->count[NT_BACKEND_KPROBE_MULTI] += done;
out:
	free(syms);
	free(cookies);
	free(ids);
}

void nt_attach_all(struct nt_attached *a, const struct nt_catalog *c, const nt_plan_t *plan,
		   const struct nt_template *tmpl, struct kprobe_bpf *kskel, bool want_ret)
{
	const struct nt_probe *p;
	bool *dropped;
	size_t i;

	if (tmpl)
		attach_clones(a, c, plan, tmpl, want_ret);
	for (i = 0; kskel && i < c->nprobes; i++) {
		p = &c->probes[i];
		if (plan[i] == NT_BACKEND_KPROBE)
			attach_kprobe(a, kskel, p, i, nt_probe_patch_flags(p, want_ret));
	}
	if (kskel && nt_plan_needs_kprobes(c, plan)) {
		struct nt_traceable tr = {};

		dropped = calloc(c->nprobes, sizeof(*dropped));
		if (!dropped) {
			nt_err("out of memory for %zu probes", c->nprobes);
			return;
		}
		attach_multi(a, c, plan, kskel, want_ret, true, &tr, dropped);
		attach_multi(a, c, plan, kskel, want_ret, false, &tr, dropped);
		nt_traceable_free(&tr);
		free(dropped);
	}
}

void nt_detach(struct nt_attached *a)
{
	size_t i;

	for (i = 0; i < a->nlinks; i++)
		bpf_link__destroy(a->links[i]);
	for (i = 0; i < a->nfds; i++)
		close(a->fds[i]);
	free(a->links);
	free(a->fds);
	memset(a, 0, sizeof(*a));
}
