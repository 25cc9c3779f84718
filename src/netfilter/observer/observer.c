// SPDX-License-Identifier: GPL-2.0
/*
 * The hook observers: loaded (src/netfilter/nfobs_load.c), then linked into
 * each namespace (src/netfilter/nfobs_link.c), and kept in step with the
 * namespaces that come and go. Links go away with their fds, at exit or kill.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "netfilter/observer/observer.h"
#include "nf_observer.skel.h"

struct nt_nflinks {
	struct nf_observer_bpf *skel;
	int progs[NT_NF_PLACES];
	struct nt_nf_nslinks *ns; /* one per namespace tried, failed ones too (not retried) */
	size_t nns, cap;
	__u32 only;
};

/* Room for one fd per link: raises the soft limit toward the hard one if needed. */
static void reserve_fds(size_t n)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) || r.rlim_cur == RLIM_INFINITY || r.rlim_cur >= n + 256)
		return;
	r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max > n + 256 ? n + 256 : r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &r);
}

static struct nt_nf_nslinks *find_ns(struct nt_nflinks *l, __u32 inum)
{
	size_t i;

	for (i = 0; i < l->nns; i++)
		if (l->ns[i].inum == inum)
			return &l->ns[i];
	return NULL;
}

static bool listed(const struct nt_netns *ns, int n, __u32 inum)
{
	int i;

	for (i = 0; i < n; i++)
		if (ns[i].inum == inum)
			return true;
	return false;
}

/*
 * Links every listed namespace not tried yet and forgets the tried ones that
 * are no longer listed. Returns 0, -ENOMEM, or NT_NETNS_STRANDED (fatal).
 */
static int sync_netns(struct nt_nflinks *l, struct nt_netns *ns, int n, size_t *added,
		      size_t *removed)
{
	struct nt_nf_nslinks *v;
	__u32 self = nt_netns_self();
	bool first_run = !l->nns;
	size_t i;
	int k, err = 0;

	for (i = 0; i < l->nns;) {
		if (listed(ns, n, l->ns[i].inum)) {
			i++;
			continue;
		}
		if (l->ns[i].n && removed)
			(*removed)++;
		nt_nf_unlink_netns(&l->ns[i]);
		l->ns[i] = l->ns[--l->nns];
	}
	reserve_fds((l->nns + (size_t)n) * NT_NF_PROBES);
	for (k = 0; k < n && !err; k++) {
		if (find_ns(l, ns[k].inum))
			continue;
		if (l->nns == l->cap) {
			v = realloc(l->ns, (l->cap ? l->cap * 2 : 16) * sizeof(*v));
			if (!v) {
				err = -ENOMEM;
				break;
			}
			l->ns = v;
			l->cap = l->cap ? l->cap * 2 : 16;
		}
		if (ns[k].inum == self) { /* no setns() needed */
			close(ns[k].fd);
			ns[k].fd = -1;
		}
		err = nt_nf_link_netns(&l->ns[l->nns], l->progs, &ns[k]);
		if (l->ns[l->nns].n && added)
			(*added)++;
		l->nns++;
		/* Nothing linked in the first namespace (ours): no other would do better. */
		if (first_run && l->nns == 1 && !l->ns[0].n)
			break;
	}
	return err;
}

int nt_nflinks_refresh(struct nt_nflinks *l, size_t *added, size_t *removed)
{
	struct nt_netns *ns;
	int n, err;

	if (added)
		*added = 0;
	if (removed)
		*removed = 0;
	n = nt_netns_list(&ns, l->only);
	if (n < 0)
		return n;
	err = sync_netns(l, ns, n, added, removed);
	nt_netns_free(ns, n);
	return err;
}

int nt_nflinks_attach(struct nt_nflinks **out, const struct nt_nflink_opts *o, char *why,
		      size_t whylen)
{
	struct nt_nflinks *l;
	const char *first;
	int err, i;

	*out = NULL;
	if (why && whylen)
		why[0] = '\0';
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (i = 0; i < NT_NF_PLACES; i++)
		l->progs[i] = -1;
	l->only = o->netns;
	if (!l->only && o->filter && (o->filter->mask & NT_F_NETNS))
		l->only = o->filter->netns;
	err = nt_nf_load(&l->skel, l->progs, o, why, whylen);
	if (!err) {
		err = nt_nflinks_refresh(l, NULL, NULL);
		if (err)
			nt_nf_why(why, whylen, err, "linking namespaces");
	}
	if (!err && !nt_nflinks_count(l)) {
		err = l->nns ? l->ns[0].err : -ENOENT;
		nt_nflinks_skipped(l, &first);
		if (!err)
			err = -ENOENT;
		if (l->nns && why && whylen)
			snprintf(why, whylen, "BPF netfilter links: none made (%s)", first);
		else
			nt_nf_why(why, whylen, err,
				  l->only ? "no such network namespace" : "no network namespace");
	}
	if (err) {
		nt_nflinks_detach(l);
		return err;
	}
	*out = l;
	return 0;
}

size_t nt_nflinks_count(const struct nt_nflinks *l)
{
	size_t i, n = 0;

	for (i = 0; l && i < l->nns; i++)
		n += l->ns[i].n;
	return n;
}

size_t nt_nflinks_netns(const struct nt_nflinks *l)
{
	size_t i, n = 0;

	for (i = 0; l && i < l->nns; i++)
		n += l->ns[i].n > 0;
	return n;
}

size_t nt_nflinks_skipped(const struct nt_nflinks *l, const char **first_why)
{
	static char buf[160];
	size_t i, n = 0;

	if (first_why)
		*first_why = "";
	for (i = 0; l && i < l->nns; i++) {
		if (!l->ns[i].err)
			continue;
		if (!n++ && first_why) {
			snprintf(buf, sizeof(buf), "netns %u: %s: %s", l->ns[i].inum, l->ns[i].what,
				 strerrorname_np(-l->ns[i].err) ?: strerror(-l->ns[i].err));
			*first_why = buf;
		}
	}
	return n;
}

size_t nt_nflinks_moved(const struct nt_nflinks *l)
{
	size_t i, n = 0;

	for (i = 0; l && i < l->nns; i++)
		n += l->ns[i].moved;
	return n;
}

int nt_nflinks_events_fd(const struct nt_nflinks *l)
{
	return l ? bpf_map__fd(l->skel->maps.nt_events) : -1;
}

int nt_nflinks_lost_fd(const struct nt_nflinks *l)
{
	return l ? bpf_map__fd(l->skel->maps.nt_lost) : -1;
}

int nt_nflinks_track_fd(const struct nt_nflinks *l)
{
	return l ? bpf_map__fd(l->skel->maps.nt_track) : -1;
}

void nt_nflinks_detach(struct nt_nflinks *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nns; i++)
		nt_nf_unlink_netns(&l->ns[i]);
	for (i = 0; i < NT_NF_PLACES; i++)
		if (l->progs[i] >= 0)
			close(l->progs[i]);
	free(l->ns);
	nf_observer_bpf__destroy(l->skel);
	free(l);
}
