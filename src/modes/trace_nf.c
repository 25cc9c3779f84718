// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "record/event.h"
#include "trace.skel.h"
#include "modes/trace_nf.h"
#include "netfilter/inventory/inventory.h"
#include "util/log.h"

/* Blame lists hooks read at most this long ago, and reads at most this many namespaces per period. */
#define HOOKS_TTL_S	1.0
#define HOOKS_MAX_WALKS 4

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static double now_s(void)
{
	return now_ns() / 1e9;
}

static void print_verdict(void *ctx, const struct nt_verdict *v)
{
	struct nt_trace_nf *nf = ctx;

	nt_output_verdict(nf->out, v, now_ns());
}

static void on_nft_event(void *ctx, const struct nt_nftrace_event *e)
{
	struct nt_nft_source *s = ctx;
	struct nt_trace_nf *nf = s->nf;

	struct nt_verdict v;

	if (nf->an) {
		nt_analyzer_add_verdict(nf->an, e, s->netns, now_s(), print_verdict, nf);
		return;
	}
	v = (struct nt_verdict){ .e = *e, .netns = s->netns, .after = NT_NO_EVENT };
	nt_output_verdict(nf->out, &v, now_ns());
}

static void nft_ready(void *ctx)
{
	struct nt_nft_source *s = ctx;

	if (nt_nftrace_read(s->t, on_nft_event, s) > 0)
		fflush(stdout);
}

/* Before a packet is analysed: the verdicts the kernel has sent so far. */
static void nft_sync(void *ctx)
{
	struct nt_trace_nf *nf = ctx;
	size_t i;

	for (i = 0; i < nf->nnft; i++)
		nt_nftrace_read(nf->nft[i], on_nft_event, &nf->src[i]);
}

/* nft rule tracing in every selected namespace that has nftables tables. */
static void start_nftrace(struct nt_trace_nf *nf, const struct nt_opts *o, struct nt_pipeline *pl,
			  size_t *len)
{
	__u32 only = (o->filter.mask & NT_F_NETNS) ? o->filter.netns : 0;
	char why[256], first[256] = "";
	struct nt_netns *ns = NULL;
	const char *untraced;
	int i, n, err, over = 0;

	n = nt_netns_list(&ns, only);
	for (i = 0; i < n; i++) {
		if (nf->nnft == NT_NFT_MAX) {
			over++;
			continue;
		}
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
		untraced = nt_nftrace_untraced(nf->nft[nf->nnft]);
		if (untraced)
			nt_warn("netns %u: %s", ns[i].inum, untraced);
		nf->src[nf->nnft] = (struct nt_nft_source){
			.nf = nf, .t = nf->nft[nf->nnft], .netns = ns[i].inum
		};
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
	/* Namespaces past the cap are not looked into: whether they have tables is unknown. */
	if (over && *len < sizeof(nf->note))
		*len += snprintf(nf->note + *len, sizeof(nf->note) - *len,
				 "; nft rules not traced in %d more namespaces (at most %d are)", over,
				 NT_NFT_MAX);
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

	if (nf->an)
		nt_analyzer_expire(nf->an, now_s(), NT_VERDICT_WAIT_S, print_verdict, nf);
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

void nt_trace_nf_analyze(struct nt_trace_nf *nf, struct nt_analyzer *an)
{
	nt_analyzer_init(an, &nf->hooks);
	nf->an = an;
	if (nf->nnft) {
		an->sync = nft_sync;
		an->sync_ctx = nf;
	}
}

void nt_trace_nf_netns_cmd(__u32 netns, char *buf, size_t len)
{
	char path[256], self[64];
	ssize_t n;

	buf[0] = '\0';
	n = readlink("/proc/self/ns/net", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if (strtoul(self + 5, NULL, 10) == netns) /* "net:[4026531840]" */
			return;
	}
	if (nt_netns_find(netns, true, path, sizeof(path)))
		snprintf(buf, len, "nsenter --net=<netns %u> ", netns);
	else if (!strncmp(path, "/run/netns/", 11))
		snprintf(buf, len, "ip netns exec %s ", path + 11);
	else
		snprintf(buf, len, "nsenter --net=%s ", path);
}

size_t nt_trace_nf_summary(const struct nt_trace_nf *nf, char *buf, size_t len)
{
	unsigned long lost = 0;
	size_t i;
	int n;

	for (i = 0; i < nf->nnft; i++)
		lost += nt_nftrace_lost(nf->nft[i]);
	if (!lost || !len)
		return 0;
	n = snprintf(buf, len, "nft trace messages lost %lu times (socket buffer overrun)", lost);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

void nt_trace_nf_flush(struct nt_trace_nf *nf)
{
	if (nf->an) {
		nft_sync(nf);
		nt_analyzer_expire(nf->an, now_s() + 1e9, 0, print_verdict, nf);
	}
}
