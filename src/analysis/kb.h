/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diagnosis knowledge base: rules that turn what nettrace saw of a packet
 * into findings (INFO/WARN/ERROR, a message and advice). Read from text
 * (data/diag/FORMAT.md documents the format; data/diag/reasons.kb and rules.kb are compiled in)
 * into plain structs: matching is a loop over a rule's conditions, each tested
 * against one piece of evidence with nt_kb_test_str() or nt_kb_test_int().
 *
 * Use: nt_kb_load_builtin(), then nt_kb_load_file() for each --diag-rules
 * file (a rule whose code exists already replaces it); nt_kb_free().
 */
#ifndef NT_KB_H
#define NT_KB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "analysis/finding.h" /* enum nt_severity */

/*
 * The evidence a condition tests, and the fields a template may name as
 * {name}. nt_kb_field_name() gives the name used in both places.
 */
enum nt_kb_field {
	NT_KB_F_NONE,
	/* what the event is */
	NT_KB_F_REASON,	  /* drop reason name, as nt_reason_format() prints it */
	NT_KB_F_LOCATION, /* drop location: the symbol, without +0xoffset */
	NT_KB_F_FUNC,	  /* kernel function probed (fentry/fexit/kprobe) */
	NT_KB_F_TP,	  /* tracepoint, "category:name" */
	NT_KB_F_RET,	  /* the function's return value */
	NT_KB_F_SEEN,	  /* any function or tracepoint the packet went through so far */
	/* the packet */
	NT_KB_F_L3,    /* ipv4, ipv6, arp, ... (lower case) */
	NT_KB_F_L4,    /* tcp, udp, icmp, icmpv6, sctp, ... (lower case) */
	NT_KB_F_FLAGS, /* TCP flags: NT_KB_TCP_* bits */
	NT_KB_F_TTL,   /* IPv4 TTL or IPv6 hop limit */
	NT_KB_F_LEN,   /* length of the packet (IP total length) */
	NT_KB_F_ICMP_TYPE,
	NT_KB_F_ICMP_CODE,
	NT_KB_F_ICMP6_TYPE,
	NT_KB_F_SADDR, /* addresses as text: "10.0.1.2", "fd01::2" */
	NT_KB_F_DADDR,
	NT_KB_F_SPORT,
	NT_KB_F_DPORT,
	NT_KB_F_DEV,   /* device the event saw the packet on */
	NT_KB_F_NETNS, /* the namespace, as nettrace names it (inode number) */
	/* netfilter */
	NT_KB_F_VERDICT, /* NF_DROP 0, NF_ACCEPT 1, ... */
	NT_KB_F_HOOK,	 /* prerouting, input, forward, output, postrouting, ingress, egress */
	NT_KB_F_FAMILY,	 /* ip, ip6, inet, arp, bridge, netdev */
	NT_KB_F_TABLE,
	NT_KB_F_CHAIN,
	NT_KB_F_RULE,	   /* the rule, as nft lists it (with its handle) */
	NT_KB_F_CT_STATE,  /* enum nt_kb_ct_state */
	NT_KB_F_CT_STATUS, /* IPS_*_BIT bits of the conntrack entry (UAPI values) */
	NT_KB_F_NAT,	   /* NT_KB_NAT_* bits: the packet's addresses were changed */
	/* sequences: milliseconds */
	NT_KB_F_NO_REPLY,  /* a request had no reply for this long */
	NT_KB_F_NOT_FREED, /* the packet was not freed for this long */
	/* templates only */
	NT_KB_F_PROBE,	  /* the function or tracepoint of the event */
	NT_KB_F_NAT_FROM, /* address:port before NAT */
	NT_KB_F_NAT_TO,	  /* address:port after NAT */
	NT_KB_F_ELAPSED,  /* ms, for the sequence findings */
	/* conditions only: a fact of the machine, compared with a value */
	NT_KB_F_FACT,
	NT_KB_F_COUNT
};

/* How a field's conditions compare (nt_kb_field_type()). */
enum nt_kb_type {
	NT_KB_T_NAME,  /* glob patterns (fnmatch), alternatives with '|' */
	NT_KB_T_INT,   /* = != < <= > >= or a range */
	NT_KB_T_FLAGS, /* bits that must be set, must be clear, or one of which is set */
	NT_KB_T_ONEOF, /* the value (a small enum) is one of a set */
	NT_KB_T_MS,    /* at least this many milliseconds */
	NT_KB_T_FACT,  /* a fact of the machine, compared as a number or a glob */
	NT_KB_T_NONE,  /* templates only: no condition */
};

/* TCP flags: the bits of the TCP header's flags byte. */
enum nt_kb_tcp_flag {
	NT_KB_TCP_FIN = 1 << 0,
	NT_KB_TCP_SYN = 1 << 1,
	NT_KB_TCP_RST = 1 << 2,
	NT_KB_TCP_PSH = 1 << 3,
	NT_KB_TCP_ACK = 1 << 4,
	NT_KB_TCP_URG = 1 << 5,
	NT_KB_TCP_ECE = 1 << 6,
	NT_KB_TCP_CWR = 1 << 7,
};

enum nt_kb_ct_state {
	NT_KB_CT_NEW,
	NT_KB_CT_ESTABLISHED,
	NT_KB_CT_RELATED,
	NT_KB_CT_INVALID,
	NT_KB_CT_UNTRACKED,
};

enum nt_kb_nat { NT_KB_NAT_SNAT = 1 << 0, NT_KB_NAT_DNAT = 1 << 1 };

/* Facts of this machine, read by the engine in the packet's namespace. */
enum nt_kb_fact {
	NT_KB_FACT_NONE,
	NT_KB_FACT_SYSCTL, /* arg: the sysctl's dotted name; the value */
	NT_KB_FACT_ROUTE,  /* arg: "DST [from SRC] [iif DEV]"; the route, or "unreachable" etc. */
	NT_KB_FACT_NEIGH, /* arg: an address [dev DEV]; the neighbour state (REACHABLE, FAILED..) */
	NT_KB_FACT_LISTEN, /* arg: "tcp:PORT" or "udp:PORT"; listening sockets, or "none" */
	NT_KB_FACT_LINK,   /* arg: a device; its state: "up", "down", "no-carrier" */
	NT_KB_FACT_MTU,	   /* arg: a device; its MTU */
	NT_KB_FACT_QDISC,  /* arg: a device; its root qdisc: kind and counters */
	NT_KB_FACT_XDP,	   /* arg: a device; the XDP program attached, or "none" */
	NT_KB_FACT_TC,	   /* arg: "DEV ingress|egress"; the tc filters/programs, or "none" */
	NT_KB_FACT_COUNT
};

enum nt_kb_op {
	NT_KB_GLOB, /* NAME: one of globs matches */
	NT_KB_EQ,
	NT_KB_NE,
	NT_KB_LT,
	NT_KB_LE,
	NT_KB_GT,
	NT_KB_GE,
	NT_KB_RANGE, /* lo <= v <= hi */
	NT_KB_BITS,  /* FLAGS: (v & set) == set, !(v & clear), and (v & any) if any */
	NT_KB_ONEOF, /* ONEOF: any has bit (1 << v) */
	NT_KB_AFTER, /* MS: v >= lo */
};

struct nt_kb_text;

enum nt_kb_seg_kind { NT_KB_SEG_TEXT, NT_KB_SEG_FIELD, NT_KB_SEG_FACT };

/* A piece of a template: literal text, a {field}, or a {kind:arg} fact. */
struct nt_kb_seg {
	enum nt_kb_seg_kind kind;
	char *text;		/* TEXT */
	enum nt_kb_field field; /* FIELD */
	enum nt_kb_fact fact;	/* FACT */
	struct nt_kb_text *arg; /* FACT: its argument (text and fields only) */
};

/* A template, parsed. src is the text as written ("" when absent). */
struct nt_kb_text {
	char *src;
	struct nt_kb_seg *segs;
	size_t nsegs;
};

struct nt_kb_cond {
	enum nt_kb_field field;
	enum nt_kb_op op;
	bool negate;  /* "when not ...": the test's result inverted */
	char **globs; /* GLOB */
	size_t nglobs;
	long long lo, hi;		    /* EQ..GE: lo; RANGE: lo..hi; AFTER: lo (ms) */
	unsigned long long set, clear, any; /* BITS; ONEOF: any */
	struct nt_kb_text fact;		    /* FACT: one NT_KB_SEG_FACT segment */
	char *value;			    /* FACT: the value as written */
	bool value_is_int;		    /* FACT: value is an integer (in lo) */
	int line;			    /* where it was written */
};

struct nt_kb_rule {
	char *code;		   /* stable: "nf.chain.drop", "drop.no_socket" */
	char *reason;		   /* reason entries: the name or glob explained; NULL for rules */
	enum nt_severity severity; /* the file's "level" */
	bool off;		   /* "level off": disabled (a user file turning a rule off) */
	char *cause;		   /* findings of one packet with the same cause fold into one */
	int rank;		   /* in a fold, the highest rank wins (see FORMAT.md) */
	struct nt_kb_cond *conds;  /* all must hold; a reason entry's first is its reason */
	size_t nconds;
	struct nt_kb_text message, advice;
	struct nt_kb_text *checks; /* commands that check or fix */
	size_t nchecks;
	char *file; /* where it was defined (or last overridden) */
	int line;
};

struct nt_kb {
	struct nt_kb_rule *rules; /* in the order defined; an override keeps its place */
	size_t nrules;
	int nparses;
};

/*
 * Parses @text (named @file in errors) and adds its rules to @kb. A rule whose
 * code is already in @kb from an earlier parse replaces it in place (user files
 * override built-in rules); the same code twice in one text is an error.
 * Returns 0, or -1 with "FILE:LINE: problem" in @err and @kb unchanged.
 */
int nt_kb_parse(struct nt_kb *kb, const char *text, const char *file, char *err, size_t errlen);
/* The same from a file; an unreadable file gives "PATH: strerror". */
int nt_kb_load_file(struct nt_kb *kb, const char *path, char *err, size_t errlen);
/* The compiled-in files (data/diag/reasons.kb, data/diag/rules.kb). */
int nt_kb_load_builtin(struct nt_kb *kb, char *err, size_t errlen);
void nt_kb_free(struct nt_kb *kb);

/* The rule with this code, or NULL. */
const struct nt_kb_rule *nt_kb_find(const struct nt_kb *kb, const char *code);
/*
 * The entry explaining a drop reason (as nt_reason_format() prints it): the
 * reason entry of that exact name, else the first whose glob matches it
 * (entries from later parses first), else NULL. Entries turned off are skipped.
 * The built-in "reason *" entry makes this non-NULL for any name.
 */
const struct nt_kb_rule *nt_kb_reason(const struct nt_kb *kb, const char *name);

/* Tests of one condition against the event's value of its field. The engine
 * calls neither when the event lacks the field: the condition then fails. */
bool nt_kb_test_str(const struct nt_kb_cond *c, const char *value); /* NAME, FACT */
bool nt_kb_test_int(const struct nt_kb_cond *c, long long value);   /* INT, FLAGS, ONEOF, MS */
/* seen: true if one of the names of the packet's earlier events matches (inverted by not). */
bool nt_kb_test_seen(const struct nt_kb_cond *c, const char *const *names, size_t n);

const char *nt_kb_field_name(enum nt_kb_field f);
enum nt_kb_type nt_kb_field_type(enum nt_kb_field f);
const char *nt_kb_fact_name(enum nt_kb_fact f);

/*
 * Gives the text of a field (fact == NT_KB_FACT_NONE) or of a fact (field ==
 * NT_KB_F_NONE; arg is its argument, rendered) into buf, and returns it; or
 * NULL when unknown, rendered as "?".
 */
typedef const char *(*nt_kb_lookup_fn)(void *ctx, enum nt_kb_field field, enum nt_kb_fact fact,
				       const char *arg, char *buf, size_t len);
/* Renders a template into out. Returns 0, or -1 if it was cut to fit. */
int nt_kb_render(const struct nt_kb_text *t, nt_kb_lookup_fn lookup, void *ctx, char *out,
		 size_t len);

/* dropreason(7): every reason entry of @kb in man(7) format, then the other rules. */
void nt_kb_write_man(const struct nt_kb *kb, FILE *f, const char *version);

#endif
