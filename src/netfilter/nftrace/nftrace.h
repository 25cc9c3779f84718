/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exact nftables rule a packet met, through nftrace: a table of our own
 * ("nettrace_<pid>", family inet, flag owner: the kernel deletes it when the
 * netlink socket that created it closes, kill -9 included) whose chains, at
 * priority -2147483647 on every inet hook, set `meta nftrace set 1` on the
 * packets that match the filter. The kernel then reports each rule, return
 * and policy such a packet meets in any nft table (iptables-nft included) to
 * NFNLGRP_NFTRACE, which we read here.
 *
 * Not traced this way: iptables-legacy (x_tables), conntrack, BPF hooks,
 * bridge/netdev/arp family chains met before the packet is marked.
 *
 * Built on libnftables (table, rule texts), libnftnl (trace messages) and
 * libmnl (sockets). A static build made with -DNT_NO_NFTABLES has stubs:
 * nt_nftrace_start() fails with -EOPNOTSUPP.
 */
#ifndef NT_NFTRACE_H
#define NT_NFTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include "record/filter.h"
#include "packet/decode.h"

struct nt_nftrace; /* opaque: one per network namespace traced */

enum nt_nftrace_type { NT_NFTRACE_RULE, NT_NFTRACE_RETURN, NT_NFTRACE_POLICY, NT_NFTRACE_OTHER };

struct nt_nftrace_event {
	__u32 id;    /* NFTA_TRACE_ID: same for all messages of one packet's pass */
	__u8 family; /* NFPROTO_* of the table (inet 1, ipv4 2, ipv6 10, ...) */
	__u8 hook;   /* hook number (NF_INET_*, ...) of the base chain, else 0xff */
	enum nt_nftrace_type type;
	char table[64], chain[64];
	__u64 handle;     /* rule handle (RULE type), 0 otherwise */
	char rule[256];   /* the rule as `nft -a -s list` prints it, without "# handle N"; "" if unknown */
	char verdict[32]; /* "accept", "drop", "continue", "jump X", "goto X", "return", "queue", ... */
	__u32 iif, oif;   /* ifindex, 0 if absent */
	char iifname[16], oifname[16];
	__u32 mark;
	char packet[200]; /* nt_pkt_format() of NFTA_TRACE_NETWORK_HEADER (+ transport), "" if absent */
	struct nt_pkt pkt; /* the same headers decoded; kind NT_PKT_NONE if absent */
};

/*
 * Starts tracing in the network namespace open at @netns_fd (-1: the current
 * one). Returns 0, or -errno with a one-line reason in @why ("nft: ...");
 * NT_NETNS_STRANDED when the thread could not come back (src/netns/netns.h).
 */
/* -ENOENT: the namespace has no nftables table (why: what there is instead, if anything). */
int nt_nftrace_start(struct nt_nftrace **out, const struct nt_filter *f, int netns_fd, char *why,
		     size_t whylen);
/* The fd to poll for trace messages. */
int nt_nftrace_fd(const struct nt_nftrace *t);
/*
 * Reads what is pending (non-blocking, at most 256 datagrams: poll again) and
 * calls @cb for each trace message, except those of our own table. Rule texts
 * come from `list table` run through libnftables in the traced namespace,
 * cached until the ruleset changes (NFNLGRP_NFTABLES), listed again once on a
 * miss. Returns the number of events, or -errno.
 */
int nt_nftrace_read(struct nt_nftrace *t, void (*cb)(void *ctx, const struct nt_nftrace_event *e),
		    void *ctx);
/* How many times trace messages were lost (socket buffer overrun, ENOBUFS) so far. */
unsigned long nt_nftrace_lost(const struct nt_nftrace *t);
/*
 * What this namespace filters in ways nftrace cannot see, as one sentence
 * (e.g. "iptables-legacy tables ip/filter, ip/nat: their rules are not
 * traced"), or NULL. Found when tracing started; the caller should print it.
 */
const char *nt_nftrace_untraced(const struct nt_nftrace *t);
/* The name of our table in the traced namespace ("nettrace_<pid>"). */
const char *nt_nftrace_table(const struct nt_nftrace *t);
/* Deletes the table (also gone by itself when the process dies) and frees. NULL is fine. */
void nt_nftrace_stop(struct nt_nftrace *t);

/*
 * The nft match expressions for a filter, one per line ('\n' between them):
 * a packet is traced if it matches any line. Most filters give one line, e.g.
 * "meta l4proto udp udp dport 7777" or "ip saddr 10.0.0.1 ip daddr 10.0.0.0/24";
 * "" is everything. The "either" filters (--addr, --port, --dev) give two
 * lines each (source or destination, in or out), combined with each other.
 * Returns the number of lines, or -1 with @why for filter parts nft cannot
 * express here, or that no packet can match. pid and netns are ignored.
 */
int nt_nftrace_filter_expr(const struct nt_filter *f, char *buf, size_t len, char *why,
			   size_t whylen);
/* Text for a verdict code (NF_DROP ... NFT_JUMP/GOTO/RETURN/CONTINUE/BREAK). */
const char *nt_nftrace_verdict_name(int code);

/* ---- Internal parts, exposed for the unit tests. ---- */

/* nft's family name ("inet", "ip", "ip6", "arp", "bridge", "netdev"), or NULL. */
const char *nt_nft_family_name(int family);
/* The same into @buf, and "family33" for a family nft has no name for. */
void nt_nft_family_format(char *buf, size_t len, int family);
/* The hook number of hook @name in @family (e.g. "forward" in inet: 2), or -1. */
int nt_nft_hook_number(int family, const char *name);

/* Rule texts and base-chain hooks of listed tables. */
struct nt_nft_rules;
struct nt_nft_rules *nt_nft_rules_new(void);
void nt_nft_rules_free(struct nt_nft_rules *r);
/* Forgets everything (the ruleset changed). */
void nt_nft_rules_clear(struct nt_nft_rules *r);
/* Takes in the output of `nft -a -s list table FAMILY TABLE`; marks the table listed. */
void nt_nft_rules_add_listing(struct nt_nft_rules *r, int family, const char *table,
			      const char *text);
/* How many times the table was listed since the last clear (0: never). */
int nt_nft_rules_listed(const struct nt_nft_rules *r, int family, const char *table);
/* A rule's text, or NULL if not known. */
const char *nt_nft_rules_find(const struct nt_nft_rules *r, int family, const char *table,
			      const char *chain, __u64 handle);
/* A base chain's hook number; -1 for a regular chain, -2 for a chain not known. */
int nt_nft_rules_hook(const struct nt_nft_rules *r, int family, const char *table,
		      const char *chain);

#ifndef NT_NO_NFTABLES
struct nlmsghdr;
/*
 * Fills @e from one NFT_MSG_TRACE message (rule, hook and interface names
 * are left empty: nt_nftrace_read fills them). Returns 0, or -1 if the
 * message is not a trace message or does not parse.
 */
int nt_nftrace_parse_msg(const struct nlmsghdr *nlh, struct nt_nftrace_event *e);
/*
 * Calls @cb for each whole netlink message of a datagram of @len bytes, up to
 * the first that claims more bytes than are left (libmnl's mnl_cb_run takes a
 * length of 2 GiB or more for a negative one, and reads on or loops forever).
 */
void nt_nftrace_each_msg(const void *buf, size_t len,
			 void (*cb)(const struct nlmsghdr *nlh, void *data), void *data);
#endif

#endif /* NT_NFTRACE_H */
