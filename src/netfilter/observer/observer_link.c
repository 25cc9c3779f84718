// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter links, made with raw bpf(BPF_LINK_CREATE): Debian 12's libbpf 1.1
 * and uapi headers do not know them. A link hooks its program into the
 * namespace of the thread that creates it, hence nt_netns_enter() around. Probe
 * indices: (pf ipv6 ? 10 : 0) + hook * 2 + where.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include "netfilter/observer/observer.h"

#define NT_ATTACH_NETFILTER 45
#define NT_NFPROTO_IPV4	    2
#define NT_NFPROTO_IPV6	    10
#define NT_NF_HOOKS	    5
#define NT_PRIO_TRIES	    16 /* priorities tried inward when another BPF link holds one */

/* union bpf_attr as BPF_LINK_CREATE reads it for a netfilter link (uapi, 6.4+). */
struct nt_nf_link_attr {
	__u32 prog_fd;
	__u32 target_fd; /* 0 */
	__u32 attach_type;
	__u32 flags; /* 0 */
	__u32 pf;
	__u32 hooknum;
	__s32 priority;
	__u32 nf_flags; /* BPF_F_NETFILTER_IP_DEFRAG: not wanted */
};

int nt_nf_probe_index(__u8 pf, __u8 hook, __u8 where)
{
	if ((pf != NT_NFPROTO_IPV4 && pf != NT_NFPROTO_IPV6) || hook >= NT_NF_HOOKS || where > 1)
		return -1;
	return NT_NF_INDEX(pf == NT_NFPROTO_IPV6, hook, where);
}

bool nt_nf_probe_of(unsigned int index, __u8 *pf, __u8 *hook, __u8 *where)
{
	if (index >= NT_NF_PROBES)
		return false;
	*pf = index >= 10 ? NT_NFPROTO_IPV6 : NT_NFPROTO_IPV4;
	*hook = (index % 10) / 2;
	*where = index % 2;
	return true;
}

const char *nt_nf_probe_name(unsigned int index)
{
	static const char *const hooks[] = {"PRE_ROUTING", "LOCAL_IN", "FORWARD", "LOCAL_OUT",
					    "POST_ROUTING"};
	static char names[NT_NF_PROBES][40];
	__u8 pf, hook, where;

	if (!nt_nf_probe_of(index, &pf, &hook, &where))
		return "nf:?";
	if (!names[index][0])
		snprintf(names[index], sizeof(names[index]), "nf:%s:%s:%s",
			 pf == NT_NFPROTO_IPV6 ? "ipv6" : "ipv4", hooks[hook],
			 where ? "last" : "first");
	return names[index];
}

static int link_create(int prog, __u8 pf, __u8 hook, __s32 prio)
{
	struct nt_nf_link_attr a = {
		.prog_fd = prog,
		.attach_type = NT_ATTACH_NETFILTER,
		.pf = pf,
		.hooknum = hook,
		.priority = prio,
	};
	int fd = syscall(__NR_bpf, BPF_LINK_CREATE, &a, sizeof(a));

	return fd < 0 ? -errno : fd;
}

/* The links of the current namespace. */
static void link_here(struct nt_nf_nslinks *nl, const int *progs)
{
	__u8 pf, hook, where;
	unsigned int i;
	int fd = -1, try;
	__s32 prio;

	for (i = 0; i < NT_NF_PROBES; i++) {
		nt_nf_probe_of(i, &pf, &hook, &where);
		prio = where ? NT_NF_PRIO_LAST : NT_NF_PRIO_FIRST;
		for (try = 0; try < NT_PRIO_TRIES; try++) {
			fd = link_create(progs[where], pf, hook, where ? prio - try : prio + try);
			if (fd != -EBUSY)
				break;
		}
		if (fd < 0) {
			if (!nl->err) {
				nl->err = fd;
				nl->what = "link";
			}
			continue;
		}
		if (try)
			nl->moved++;
		nl->fds[nl->n++] = fd;
	}
}

int nt_nf_link_netns(struct nt_nf_nslinks *out, const int *progs, const struct nt_netns *ns)
{
	struct nt_netns_home home;
	int err;

	memset(out, 0, sizeof(*out));
	out->inum = ns->inum;
	if (ns->fd < 0) {
		link_here(out, progs);
		return 0;
	}
	err = nt_netns_enter(&home, ns->fd);
	if (err) {
		out->err = err;
		out->what = "cannot enter";
		return err == NT_NETNS_STRANDED ? err : 0;
	}
	link_here(out, progs);
	return nt_netns_return(&home);
}

void nt_nf_unlink_netns(struct nt_nf_nslinks *nl)
{
	unsigned int i;

	for (i = 0; i < nl->n; i++)
		close(nl->fds[i]);
	nl->n = 0;
}
