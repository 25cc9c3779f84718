/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hook observers' events of one packet say (pure analysis, no I/O):
 * - a hook it entered (seen at NT_NF_FIRST) and never left (no NT_NF_LAST for
 *   that pass, and nothing later showing it went on): dropped or stolen there;
 * - addresses or ports that changed between entering and leaving one hook
 *   pass: SNAT (the source changed) or DNAT (the destination changed).
 * Hook passes are paired per skb: after NT_NF_FIRST at (netns, pf, hook),
 * the skb's next hook event decides. NT_NF_LAST of the same hook closes the
 * pass; any other hook event (another hook, another namespace, or entering
 * the same hook again) shows the packet went on. So a packet can pass the
 * same hook several times (a loop through veth into another namespace) and
 * the clones of a group are followed each on its own.
 */
#ifndef NT_NFGROUP_H
#define NT_NFGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include "record/event.h"

enum nt_nf_finding_kind {
	NT_NFF_STOPPED = 1, /* dropped or stolen inside the hook */
	NT_NFF_DNAT = 2,    /* destination changed across the hook */
	NT_NFF_SNAT = 3,    /* source changed across the hook */
};

struct nt_nf_finding {
	enum nt_nf_finding_kind kind;
	__u8 pf, hook;
	bool reply;	 /* NAT in the reply direction: it undoes the other NAT of the entry */
	bool show_netns; /* the group's hook events span more than one namespace */
	__u32 netns;
	__u64 skb;
	size_t first; /* index of the event entering the hook */
	size_t last;  /* NAT: the event leaving it; STOPPED: the group's last event */
	struct nt_flow before, after; /* NAT: the packet entering and leaving */
};

/*
 * Findings for @n events sorted by time (any kinds; only NT_EV_NFHOOK count),
 * in the order of the events that entered the hooks. Stores at most @max and
 * returns how many were stored.
 */
size_t nt_nf_findings(const struct nt_event *ev, size_t n, struct nt_nf_finding *out, size_t max);

/*
 * One finding as text:
 *   "dropped or stolen inside ipv4 FORWARD"
 *   "DNAT 10.0.0.1:80 -> 10.0.0.2:8080 in ipv4 PRE_ROUTING"
 *   "SNAT 10.0.0.1:5 -> 10.0.0.9:5 in ipv4 POST_ROUTING"
 * with " (reply direction: undoes SNAT)" for a reply-direction change and
 * " (netns N)" when the group spans namespaces.
 */
void nt_nf_finding_format(char *buf, size_t len, const struct nt_nf_finding *f);

#endif
