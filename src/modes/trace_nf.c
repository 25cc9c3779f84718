// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "nettrace.h"
#include "trace.skel.h"
#include "modes/trace_nf.h"
#include "netfilter/inventory/inventory.h"
#include "analysis/nf.h"
#include "output/nf.h"
#include "output/trace.h"
#include "util/log.h"

/* Blame lists hooks read at most this long ago, and reads at most this many namespaces per period. */
#define HOOKS_TTL_S	1.0
#define HOOKS_MAX_WALKS 4

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_nft_event(void *ctx, const struct nt_nftrace_event *e)
{
	struct nt_trace_nf *nf = ctx;

	nt_output_nftrace(nf->out, e);
}

static void nft_ready(void *ctx)
{
	struct nt_nft_source *s = ctx;

	if (nt_nftrace_read(s->t, on_nft_event, s->nf) > 0)
		fflush(stdout);
}

/* nft rule tracing in every selected namespace that has nftables tables. */
static void start_nftrace(struct nt_trace_nf *nf, const struct nt_opts *o, struct nt_pipeline *pl,
			  size_t *len)
{
	__u32 only = (o->filter.mask & NT_F_NETNS) ? o->filter.netns : 0;
	char why[256], first[256] = "";
	struct nt_netns *ns = NULL;
	int i, n, err;

	n = nt_netns_list(&ns, only);
	for (i = 0; i < n && nf->nnft < NT_NFT_MAX; i++) {
		err = nt_nftrace_start(&nf->nft[nf->nnft], &o->filter, ns[i].fd, why, sizeof(why));
		if (err == -ENOENT) {
			if (strstr(why, "iptables-legacy"))
				nt_warn("netns %u: %s", ns[i].inum, why);
			continue;
		}
		if (err) {
			if (!first[0])
				snprintf(first, sizeof(first), "%s", why);
			continue;
		}
		nf->src[nf->nnft] = (struct nt_nft_source){ .nf = nf, .t = nf->nft[nf->nnft] };
		pl->extra[pl->nextra++] = (struct nt_pipe_source){
			.fd = nt_nftrace_fd(nf->nft[nf->nnft]),
			.ready = nft_ready,
			.ctx = &nf->src[nf->nnft],
		};
		nf->nnft++;
	}
	nt_netns_free(ns, n > 0 ? n : 0);
	if (nf->nnft)
		*len += snprintf(nf->note + *len, sizeof(nf->note) - *len,
				 ", nft rules traced in %zu namespace%s", nf->nnft,
				 nf->nnft > 1 ? "s" : "");
	else if (first[0])
		*len += snprintf(nf->note + *len, sizeof(nf->note) - *len, "; %s", first);
}

/* Walks the hooks of namespace @ino from inside it (the hook cache's walker). */
static int walk_netns(void *ctx, __u32 ino, struct nt_hook_inv *inv, char *why, size_t len)
{
	const struct nt_trace_nf *nf = ctx;
	char path[256];

	if (nt_netns_find(ino, true, path, sizeof(path))) {
		snprintf(why, len, "netns %u is gone", ino);
		return -1;
	}
	return nt_hooks_walk(ino, path, nf->out->ksyms, inv, why, len);
}

/* Whether a comma list names the netfilter groups (or everything). */
static bool names_nf(const char *list)
{
	static const char *const names[] = { "all", "nf", "netfilter", NULL };
	const char *const *n;
	const char *p;
	size_t len;

	for (p = list; p && *p; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		for (n = names; *n; n++)
			if (len == strlen(*n) && !strncmp(p, *n, len))
				return true;
	}
	return false;
}

void nt_trace_nf_start(struct nt_trace_nf *nf, const struct nt_opts *o, struct trace_bpf *skel,
		       struct nt_pipeline *pl, const struct nt_output *out)
{
	struct nt_nflink_opts lo = {
		.events_fd = bpf_map__fd(skel->maps.nt_events),
		.lost_fd = bpf_map__fd(skel->maps.nt_lost),
		.track_fd = bpf_map__fd(skel->maps.nt_track),
		.filter = &o->filter,
		.track = o->mode != NT_MODE_BASIC,
		.probe_base = NT_NF_PROBE_BASE,
	};
	char why[256];
	size_t len = 0;

	memset(nf, 0, sizeof(*nf));
	nf->out = out;
	nf->next_refresh = now_s() + 1;
	nt_hookcache_init(&nf->hooks, walk_netns, nf, HOOKS_TTL_S, HOOKS_MAX_WALKS);
	/* Like the catalog's netfilter group: on by default, else when -t names it. */
	if ((o->trace && !names_nf(o->trace)) || names_nf(o->trace_exclude))
		return;
	if (nt_nflinks_attach(&nf->links, &lo, why, sizeof(why)))
		len += snprintf(nf->note, sizeof(nf->note), "; netfilter hooks: %s", why);
	else
		len += snprintf(nf->note, sizeof(nf->note), ", %zu netfilter hook observers in %zu namespace%s",
				nt_nflinks_count(nf->links), nt_nflinks_netns(nf->links),
				nt_nflinks_netns(nf->links) > 1 ? "s" : "");
	start_nftrace(nf, o, pl, &len);
}

void nt_trace_nf_tick(struct nt_trace_nf *nf)
{
	size_t added, removed;

	if (!nf->links || now_s() < nf->next_refresh)
		return;
	nf->next_refresh = now_s() + 1;
	nt_nflinks_refresh(nf->links, &added, &removed);
}

void nt_trace_nf_quiesce(struct nt_trace_nf *nf)
{
	nt_nflinks_detach(nf->links);
	nf->links = NULL;
}

void nt_trace_nf_stop(struct nt_trace_nf *nf)
{
	size_t i;

	for (i = 0; i < nf->nnft; i++)
		nt_nftrace_stop(nf->nft[i]);
	nt_nflinks_detach(nf->links);
	nt_hookcache_free(&nf->hooks);
	memset(nf, 0, sizeof(*nf));
}

/* The hook functions registered at the hook a packet stopped in. */
static void blame(struct nt_trace_nf *nf, const struct nt_nf_finding *f)
{
	const struct nt_output *out = nf->out;
	const struct nt_hook_inv *inv;
	char why[256], owner[256];
	size_t i;

	inv = nt_hookcache_get(&nf->hooks, f->netns, now_s(), why, sizeof(why));
	if (!inv) {
		fprintf(out->f, "    (hook functions unknown: %s)\n", why);
		return;
	}
	for (i = 0; i < inv->n; i++) {
		const struct nt_hook_item *it = &inv->items[i];

		if (strcmp(nt_hook_family_name(it->rec.family), nt_nf_pf_name(f->pf)) ||
		    it->rec.hook != f->hook)
			continue;
		/* Our own observers and trace tables pass every packet. */
		if ((it->owner == NT_OWN_BPF && !strncmp(it->rec.table, "nt_nfhook", 9)) ||
		    (it->owner == NT_OWN_NFT && !strncmp(it->rec.table, "nettrace_", 9)))
			continue;
		nt_hook_owner_text(it, owner, sizeof(owner));
		fprintf(out->f, "    blamed: %*s%d %s\n", it->rec.depth * 4, "", it->rec.priority,
			owner);
	}
}

void nt_trace_nf_findings(struct nt_trace_nf *nf, const struct nt_event *ev, size_t n,
			  bool cut_short)
{
	struct nt_nf_finding f[16];
	char buf[256];
	size_t i, nff = nt_nf_findings(ev, n, f, 16);

	for (i = 0; i < nff; i++) {
		/* Its next events, the hook's exit among them, are still to come. */
		if (cut_short && f[i].kind == NT_NFF_STOPPED)
			continue;
		nt_nf_finding_format(buf, sizeof(buf), &f[i]);
		fprintf(nf->out->f, "  => %s\n", buf);
		if (f[i].kind == NT_NFF_STOPPED)
			blame(nf, &f[i]);
	}
}
