/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The analysis layer, between grouping and output: a packet's events in,
 * findings out (hook drops with the hook functions blamed, NAT), with the nft
 * rule verdicts that belong to the packet joined to it.
 *
 * nft trace messages come from netlink, apart from the ring buffer and
 * without the skb's address: they wait in a backlog until the packet whose
 * events they match (same namespace, same addresses, ports, sequence or ICMP
 * id/seq, length) is analysed. What no packet claims within the expiry time
 * is handed back to be printed on its own.
 */
#ifndef NT_ANALYSIS_H
#define NT_ANALYSIS_H

#include "analysis/finding.h"
#include "netfilter/inventory/inventory_cache.h"
#include "netfilter/nftrace/nftrace.h"

#define NT_MAX_FINDINGS 16
#define NT_MAX_VERDICTS 32
#define NT_BACKLOG	256
#define NT_MAX_PKTS	256 /* events of a packet compared with nft messages */

/* An nft trace message, with the namespace it was traced in. */
struct nt_verdict {
	struct nt_nftrace_event e;
	__u32 netns;
	size_t after; /* joined: index of the packet's event it follows */
};

/* One packet's result; valid until the next nt_analyse(). */
struct nt_analysis {
	struct nt_finding findings[NT_MAX_FINDINGS];
	size_t nfindings;
	struct nt_verdict verdicts[NT_MAX_VERDICTS]; /* in the order they were traced */
	size_t nverdicts;
};

struct nt_backlog_item {
	struct nt_verdict v;
	double at; /* when it was read */
};

struct nt_analyzer {
	struct nt_hookcache *hooks; /* for blame; NULL: hook functions are not named */
	bool blame_all;		    /* every hook function at a drop, even when the rule is known */
	/* Called before a packet is analysed, to read the nft messages pending. */
	void (*sync)(void *ctx);
	void *sync_ctx;
	struct nt_backlog_item backlog[NT_BACKLOG]; /* a ring, oldest at head */
	size_t head, count;
	unsigned long long unclaimed; /* nft messages no packet claimed */
	struct nt_analysis result;
	struct nt_pkt pkts[NT_MAX_PKTS]; /* the events of the packet analysed, decoded */
};

void nt_analyzer_init(struct nt_analyzer *a, struct nt_hookcache *hooks);

/*
 * Keeps an nft message read at @now (seconds, monotonic) for the packet it
 * belongs to. When the backlog is full the oldest is handed to @expired.
 */
void nt_analyzer_add_verdict(struct nt_analyzer *a, const struct nt_nftrace_event *e, __u32 netns,
			     double now, void (*expired)(void *ctx, const struct nt_verdict *v),
			     void *ctx);

/* Hands every message kept since before @now - @age to @expired, oldest first. */
void nt_analyzer_expire(struct nt_analyzer *a, double now, double age,
			void (*expired)(void *ctx, const struct nt_verdict *v), void *ctx);

/*
 * Analyses one packet's events (sorted by time) at @now. @cut_short: the
 * group was printed early to make room, so a hook it entered and has not left
 * yet is no drop. The result is a->result.
 */
const struct nt_analysis *nt_analyse(struct nt_analyzer *a, const struct nt_event *ev, size_t n,
				     bool cut_short, double now);

/* ---- parts, exposed for the unit tests ---- */

/* Whether an nft message's packet is the packet of event @e. */
bool nt_verdict_matches(const struct nt_verdict *v, const struct nt_event *e);
/* Moves the messages that belong to the packet of @ev from the backlog into @r. */
void nt_verdicts_claim(struct nt_analyzer *a, const struct nt_event *ev, size_t n,
		       struct nt_analysis *r);
/*
 * Names in @f the hook functions registered where it stopped; with
 * @narrow_to_rule only the chain of the rule that dropped it, when known.
 */
void nt_blame(struct nt_hookcache *hooks, double now, struct nt_finding *f, bool narrow_to_rule);

#endif
