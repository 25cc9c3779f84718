// SPDX-License-Identifier: GPL-2.0
/*
 * The namespaces watched: every network namespace of the machine (or the
 * --netns one), scanned once a second, each named by its /run/netns name when
 * it has one. Counting needs nothing per namespace (the tracepoints see them
 * all); a namespace that appears is labelled from the next scan on, and one
 * that is gone is released: its kernel counters are deleted, its series are
 * dropped from the metrics, its nft traces stopped.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record/event.h"
#include "monitor.skel.h"
#include "monitor/monitor_int.h"
#include "netfilter/observer/observer.h"
#include "util/log.h"

static struct mon_ns *find(const struct nt_mon *m, __u32 inum)
{
	size_t i;

	for (i = 0; i < m->nns; i++)
		if (m->ns[i].inum == inum)
			return &m->ns[i];
	return NULL;
}

const char *mon_netns_name(const struct nt_mon *m, __u32 inum)
{
	const struct mon_ns *ns = find(m, inum);

	return ns ? ns->name : "";
}

/* The names of /run/netns, for the namespaces watched. */
static void names(struct nt_mon *m)
{
	char path[300];
	struct dirent *d;
	struct mon_ns *ns;
	struct stat st;
	DIR *dir;

	dir = opendir("/run/netns");
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
		if (stat(path, &st))
			continue;
		ns = find(m, (__u32)st.st_ino);
		if (ns && !ns->name[0])
			snprintf(ns->name, sizeof(ns->name), "%.63s", d->d_name);
	}
	closedir(dir);
}

/* Deletes from @fd and @seen the keys of namespace @inum (key member at @off). */
static void forget_keys(int fd, struct nt_bytemap *seen, size_t off, __u32 inum)
{
	const unsigned char *key;
	size_t pos = 0;

	while ((key = nt_bytemap_next(seen, &pos, NULL))) {
		if (*(const __u32 *)(key + off) != inum) {
			pos++;
			continue;
		}
		bpf_map_delete_elem(fd, key);
		nt_bytemap_del(seen, key);
	}
}

static void release(struct nt_mon *m, __u32 inum)
{
	char ino[16];
	size_t i;

	snprintf(ino, sizeof(ino), "%u", inum);
	for (i = 0; i < M_COUNT; i++)
		nt_metric_forget(&m->metrics[i], "netns", ino);
	forget_keys(bpf_map__fd(m->skel->maps.nt_mon_counts), &m->keys,
		    offsetof(struct nt_mon_key, netns), inum);
	forget_keys(bpf_map__fd(m->skel->maps.nt_mon_nf), &m->nfkeys,
		    offsetof(struct nt_mon_nfkey, netns), inum);
	mon_nf_release(m, inum);
	m->released++;
	nt_info("netns %u is gone: its counters and series are dropped", inum);
}

int mon_netns_refresh(struct nt_mon *m)
{
	__u32 only = (m->o->filter.mask & NT_F_NETNS) ? m->o->filter.netns : 0;
	struct nt_netns *list = NULL;
	struct mon_ns *ns;
	size_t i;
	int n;

	n = nt_netns_list(&list, only);
	if (n < 0)
		return n;
	for (i = 0; i < m->nns; i++)
		m->ns[i].listed = false;
	for (i = 0; i < (size_t)n; i++) {
		ns = find(m, list[i].inum);
		if (!ns && m->nns < MON_NETNS_MAX) {
			ns = &m->ns[m->nns++];
			memset(ns, 0, sizeof(*ns));
			ns->inum = list[i].inum;
		}
		if (ns)
			ns->listed = true;
	}
	nt_netns_free(list, n);
	for (i = 0; i < m->nns;) {
		if (m->ns[i].listed) {
			i++;
			continue;
		}
		release(m, m->ns[i].inum);
		m->ns[i] = m->ns[--m->nns];
	}
	names(m);
	return 0;
}

void mon_netns_free(struct nt_mon *m)
{
	free(m->ns);
	m->ns = NULL;
	m->nns = 0;
}
