/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hook-point observers: BPF netfilter links (kernel 6.4+) at the first and
 * the last priority of every IPv4 and IPv6 hook, in every network namespace
 * selected. Each sees the packet as the hook receives it and as it leaves it
 * (NT_EV_NFHOOK events, with the conntrack entry). They never change a
 * verdict. The programs are clones of one template (src/bpf/nfhook.bpf.c),
 * loaded as raw_tp and reloaded as BPF_PROG_TYPE_NETFILTER, which Debian's
 * libbpf 1.1 does not know: loads and links go through raw bpf() calls.
 *
 * The marker part of this header is shared with the BPF side.
 */
#ifndef NT_NFLINK_H
#define NT_NFLINK_H

/* Marker immediates of the template, patched per clone. */
#define NT_NF_MARK_PROBE 0x6e740011 /* probe id of index 0 (probe_base) */
#define NT_NF_MARK_WHERE 0x6e740012 /* enum nt_nf_where */

#define NT_NF_PROBES 20 /* 2 pf x 5 hooks x 2 places */
#define NT_NF_PLACES 2	/* programs: one per place (first, last), every pf and hook */
/* Probe index of an observer: the programs compute it from the hook state. */
#define NT_NF_INDEX(is_ipv6, hook, where) (((is_ipv6) ? 10 : 0) + (hook) * 2 + (where))
/* In nettrace's trace modes, observer probe ids sit above every catalog probe id. */
#define NT_NF_PROBE_BASE (NT_MAX_PROBES - NT_NF_PROBES)

#ifndef __bpf__
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "nettrace.h"

#define NT_NF_PRIO_FIRST (-2147483647) /* INT_MIN is refused */
#define NT_NF_PRIO_LAST	 2147483646    /* INT_MAX is refused (conntrack confirm) */

struct nt_nflinks; /* opaque */

struct nt_nflink_opts {
	int events_fd, lost_fd, track_fd; /* maps to reuse (trace skeleton's), or -1: own */
	const struct nt_filter *filter;	  /* NULL: everything */
	bool track;			  /* lifecycle tracking (nt_track) */
	__u32 netns;	      /* only this namespace inode (0: the filter's, else every one) */
	__u32 probe_base;     /* probe ids probe_base .. probe_base + NT_NF_PROBES - 1 */
	size_t ringbuf_bytes; /* own ring buffer size (0: the template's, 4 MiB) */
};

/*
 * Loads the observers and links them in every selected namespace. Returns
 * 0, or -errno with @why (one line), e.g. "BPF netfilter links: not in this
 * kernel (EINVAL)". A namespace that cannot be entered or linked is skipped
 * (see nt_nflinks_skipped); it is an error only when none could be.
 */
int nt_nflinks_attach(struct nt_nflinks **out, const struct nt_nflink_opts *o, char *why,
		      size_t whylen);
size_t nt_nflinks_count(const struct nt_nflinks *l); /* links created */
size_t nt_nflinks_netns(const struct nt_nflinks *l); /* namespaces covered */
/* Namespaces left out or only partly linked, and the first reason ("" if none). */
size_t nt_nflinks_skipped(const struct nt_nflinks *l, const char **first_why);
/* Links whose priority had to step inward (another BPF link held it). */
size_t nt_nflinks_moved(const struct nt_nflinks *l);
/* The maps the observers write: the reused ones, or their own. */
int nt_nflinks_events_fd(const struct nt_nflinks *l);
int nt_nflinks_lost_fd(const struct nt_nflinks *l);
int nt_nflinks_track_fd(const struct nt_nflinks *l);
/*
 * Keeps the namespaces up to date; call it now and then (e.g. every second).
 * Links namespaces that appeared since, and closes the links of namespaces
 * that nothing but them keeps alive any more (no process in it, no bind
 * mount): a netfilter link holds a reference on its namespace, so without
 * this `ip netns del` would leave the namespace and its devices in place
 * until nettrace exits. Returns 0 or -errno; @added/@removed may be NULL.
 */
int nt_nflinks_refresh(struct nt_nflinks *l, size_t *added, size_t *removed);
/* Closes every link (the hooks go away) and frees. NULL is allowed. */
void nt_nflinks_detach(struct nt_nflinks *l);

/* Probe index (0 .. NT_NF_PROBES-1) of an observer, and back. -1 / false if out of range. */
int nt_nf_probe_index(__u8 pf, __u8 hook, __u8 where);
bool nt_nf_probe_of(unsigned int index, __u8 *pf, __u8 *hook, __u8 *where);
/* "nf:ipv4:PRE_ROUTING:first" for a probe index; "nf:?" when out of range. */
const char *nt_nf_probe_name(unsigned int index);

/* Network namespaces (src/netfilter/nfobs_netns.c). */
struct nt_netns {
	__u32 inum; /* inode of the namespace */
	int fd;	    /* open nsfs file, for setns() */
};

/*
 * The distinct network namespaces of /proc/PID/ns/net, /run/netns and every
 * nsfs bind mount, the caller's own first, each with an open fd. only != 0:
 * just that inode. Returns how many (0 with only set: not found), or -errno.
 */
int nt_netns_list(struct nt_netns **out, __u32 only);
void nt_netns_free(struct nt_netns *ns, size_t n);
/* The caller's network namespace inode, 0 if unreadable. */
__u32 nt_netns_self(void);

/* The links of one namespace (src/netfilter/nfobs_link.c). */
struct nt_nf_nslinks {
	__u32 inum;
	unsigned int n;	    /* links made, in fds[0..n) */
	unsigned int moved; /* of which at a priority stepped inward (EBUSY) */
	int err;	    /* first failure (-errno), 0 if none */
	const char *what;   /* what failed: "cannot enter", "link" */
	int fds[NT_NF_PROBES];
};

/*
 * Enters @ns (unless @ns->fd is -1: the current namespace), links the
 * NT_NF_PLACES programs (progs[where]) at each family and hook, in probe
 * index order (see nt_nf_probe_of), at the place's priority, stepping inward while another BPF link holds it, and returns to
 * @self_fd. Returns 0, or -errno when it could not return (fatal).
 */
int nt_nf_link_netns(struct nt_nf_nslinks *out, const int *progs, const struct nt_netns *ns,
		     int self_fd);
void nt_nf_unlink_netns(struct nt_nf_nslinks *nl);

/* Loading (src/netfilter/nfobs_load.c): the template, then one clone per place into progs[]. */
struct nfhook_bpf;
int nt_nf_load(struct nfhook_bpf **skel, int *progs, const struct nt_nflink_opts *o, char *why,
	       size_t len);
/* "BPF netfilter links: <what> (<ERRNO>)" into @why. */
void nt_nf_why(char *why, size_t len, int err, const char *what);
#endif /* !__bpf__ */

#endif /* NT_NFLINK_H */
