/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hook-point observers: BPF netfilter links (kernel 6.4+) at the first and
 * the last priority of every IPv4 and IPv6 hook, in every network namespace
 * selected. Each sees the packet as the hook receives it and as it leaves it
 * (NT_EV_NFHOOK events, with the conntrack entry). They never change a
 * verdict. The programs are clones of one template (src/bpf/nf_observer.bpf.c),
 * loaded as raw_tp and reloaded as BPF_PROG_TYPE_NETFILTER, which Debian's
 * libbpf 1.1 does not know: loads and links go through raw bpf() calls.
 */
#ifndef NT_NFLINK_H
#define NT_NFLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "record/filter.h"
#include "record/probe.h"
#include "netns/netns.h"

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
 * until nettrace exits. Returns 0 or -errno; NT_NETNS_STRANDED when a thread
 * could not come back from a namespace (said already; nettrace must stop with
 * exit status 1, see src/netns/netns.h). @added/@removed may be NULL.
 */
int nt_nflinks_refresh(struct nt_nflinks *l, size_t *added, size_t *removed);
/* Closes every link (the hooks go away) and frees. NULL is allowed. */
void nt_nflinks_detach(struct nt_nflinks *l);

/* Probe index (0 .. NT_NF_PROBES-1) of an observer, and back. -1 / false if out of range. */
int nt_nf_probe_index(__u8 pf, __u8 hook, __u8 where);
bool nt_nf_probe_of(unsigned int index, __u8 *pf, __u8 *hook, __u8 *where);
/* "nf:ipv4:PRE_ROUTING:first" for a probe index; "nf:?" when out of range. */
const char *nt_nf_probe_name(unsigned int index);

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
 * index order (see nt_nf_probe_of), at the place's priority, stepping inward
 * while another BPF link holds it, and comes back. A namespace that cannot be
 * entered is recorded in @out (err, what). Returns 0, or NT_NETNS_STRANDED
 * when the thread could not come back (fatal, see src/netns/netns.h).
 */
int nt_nf_link_netns(struct nt_nf_nslinks *out, const int *progs, const struct nt_netns *ns);
void nt_nf_unlink_netns(struct nt_nf_nslinks *nl);

/* Loading (src/netfilter/nfobs_load.c): the template, then one clone per place into progs[]. */
struct nf_observer_bpf;
int nt_nf_load(struct nf_observer_bpf **skel, int *progs, const struct nt_nflink_opts *o, char *why,
	       size_t len);
/* "BPF netfilter links: <what> (<ERRNO>)" into @why. */
void nt_nf_why(char *why, size_t len, int err, const char *what);

#endif /* NT_NFLINK_H */
