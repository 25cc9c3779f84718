/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A finding: what the analysis layer concludes about a packet, with how sure
 * and how bad (severity), a stable code that scripts can match, the event it
 * points at, words for a person (message, advice) and the evidence behind it.
 * Findings are data; src/output/ formats them.
 */
#ifndef NT_ANALYSIS_FINDING_H
#define NT_ANALYSIS_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include "record/event.h"

enum nt_severity {
	NT_SEV_INFO = 0,  /* worth knowing, nothing wrong (NAT, a benign drop) */
	NT_SEV_WARN = 1,  /* may be a fault */
	NT_SEV_ERROR = 2, /* the packet was lost to a fault or a rule */
};

/* "INFO", "WARN", "ERROR". */
const char *nt_severity_name(enum nt_severity sev);

#define NT_NO_EVENT   ((size_t)-1)
#define NT_MAX_BLAMED 8

/* Which members of struct nt_evidence are set. */
enum nt_evidence_bits {
	NT_EVD_REASON = 1 << 0,   /* reason */
	NT_EVD_LOCATION = 1 << 1, /* location */
	NT_EVD_HOOK = 1 << 2,     /* pf, hook, netns */
	NT_EVD_RULE = 1 << 3,     /* rule: the nft rule or policy that gave the verdict */
	NT_EVD_TUPLES = 1 << 4,   /* before, after, reply */
	NT_EVD_BLAME = 1 << 5,    /* blamed[] or blame_unknown */
};

/* A hook function registered where the packet stopped. */
struct nt_blamed {
	int priority;
	int depth;	 /* nesting (nat chains hang under the nat hook) */
	char owner[160]; /* "nft table inet filter chain forward", "iptables-legacy table filter" */
};

/* The nft rule (or chain policy) that decided a packet. */
struct nt_rule_ref {
	char family[8]; /* "inet", "ip", "ip6", ... */
	char table[64];
	char chain[64];
	__u64 handle;	  /* 0 for a policy */
	char text[256];	  /* the rule as nft lists it; "" for a policy or when unknown */
	char verdict[32]; /* "drop", "accept", ... */
};

struct nt_evidence {
	__u32 have; /* enum nt_evidence_bits */
	__u32 reason;
	__u64 location;
	__u8 pf, hook;
	bool show_netns; /* the packet crossed namespaces: name the one it stopped in */
	__u32 netns;
	struct nt_rule_ref rule;
	struct nt_flow before, after;
	bool reply; /* the change undoes the other NAT of the entry */
	struct nt_blamed blamed[NT_MAX_BLAMED];
	size_t nblamed;
	char blame_unknown[160]; /* why no hook function could be named */
};

#define NT_MAX_CHECKS 4

struct nt_finding {
	enum nt_severity severity;
	const char *code; /* stable, e.g. "nf.hook.drop", "nat.dnat", "drop.no_socket" */
	const char *cause; /* findings of one packet with the same cause fold into one */
	int rank;	   /* in a fold, the finding of the highest rank speaks */
	size_t event;	   /* index of the event it points at in its packet; NT_NO_EVENT */
	char message[512];
	char advice[512]; /* "" when there is nothing to do */
	char checks[NT_MAX_CHECKS][256]; /* commands that check or fix */
	size_t nchecks;
	struct nt_evidence ev;
};

#endif
