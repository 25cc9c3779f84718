/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace catalog: the kernel functions and tracepoints that see packets, in
 * groups, read from data (data/catalog.txt, whose header documents the format)
 * and resolved at run time against the running kernel's BTF and kallsyms.
 *
 * Use: nt_catalog_parse() (or _load), nt_catalog_resolve(), optionally
 * nt_catalog_add_all_funcs(), then nt_catalog_select(); nt_catalog_free().
 */
#ifndef NT_CATALOG_H
#define NT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

struct btf;
struct nt_ksyms; /* src/kernel/ksyms.h */

enum nt_probe_kind { NT_PROBE_FUNC, NT_PROBE_TP };

enum nt_probe_flags {
	NT_PROBE_OFF = 1 << 0,   /* not enabled by default */
	NT_PROBE_FREE = 1 << 1,  /* frees the skb: ends its lifecycle */
	NT_PROBE_SK = 1 << 2,    /* the argument is a struct sock * */
	NT_PROBE_CLONE = 1 << 3, /* returns a new skb derived from its skb argument */
};

enum nt_ret_kind {
	NT_RET_NONE,
	NT_RET_ERRNO,     /* negative = failure */
	NT_RET_VERDICT,   /* netfilter: 0 DROP, 1 ACCEPT, 2 STOLEN, 3 QUEUE, 4 REPEAT */
	NT_RET_NETDEV_TX, /* 0 NETDEV_TX_OK, 0x10 NETDEV_TX_BUSY */
	NT_RET_NET_RX,    /* 0 NET_RX_SUCCESS, 1 NET_RX_DROP */
	NT_RET_PTR,       /* NULL = failure */
	NT_RET_BOOL,      /* 0 = false */
};

/* The most arguments a probe's skb=N / sk=N may name (0-based: N < this). */
#define NT_CATALOG_MAX_ARGS 12

/* The group --all-funcs adds its functions to. */
#define NT_CATALOG_ALL_FUNCS "all-funcs"

/* Reasons a probe is unavailable (nt_probe.why). The first two are about the kernel; the
 * next ones mean the catalog entry does not match this kernel's prototype. nt_plan()
 * (src/probe/attach.h) adds the reasons of this run's backends. */
#define NT_WHY_NO_BTF   "not in this kernel's BTF"
#define NT_WHY_NO_KSYM  "not in kallsyms"
#define NT_WHY_NO_PROTO "no function prototype in BTF"
#define NT_WHY_NO_SKB   "no struct sk_buff * argument"
#define NT_WHY_NO_SK    "no struct sock * argument"
#define NT_WHY_BAD_SKB  "the skb=N argument is not a struct sk_buff *"
#define NT_WHY_BAD_SK   "the sk=N argument is not a struct sock *"
#define NT_WHY_BAD_POS  "argument position past the last argument"
#define NT_WHY_NOMEM    "out of memory"
/* A correct sk entry: the probes follow sk_buffs, and a socket alone names none. */
#define NT_WHY_SK_ONLY  "takes a struct sock *, not an skb"

struct nt_probe {
	char *name;      /* "ip_rcv", or "net:netif_receive_skb" for a tracepoint */
	const char *tp;  /* for tracepoints: the part after ':' (points into name) */
	int group;       /* index into groups (the leaf group) */
	enum nt_probe_kind kind;
	int arg;         /* position of the skb/sock argument; -1 until resolved */
	int arg_spec;    /* as the catalog gives it: -1 = find it in BTF */
	unsigned int flags; /* enum nt_probe_flags */
	enum nt_ret_kind ret;
	/* set by nt_catalog_resolve() */
	bool available;
	const char *why; /* why unavailable: NT_WHY_*, or from nt_plan() (see there) */
	__u32 btf_id;    /* BTF id of the FUNC, or of the btf_trace_<tp> typedef */
	int nargs;       /* arguments of the function / tracepoint (tp: without the leading ctx) */
	int reason_arg;  /* position of an enum skb_drop_reason argument, or -1 */
	bool ret_void;   /* function returns void (always true for tracepoints) */
	/* set by nt_catalog_select() */
	bool enabled;
};

struct nt_group {
	char *name;
	int parent; /* index, -1 for top level */
};

struct nt_catalog {
	struct nt_probe *probes;
	size_t nprobes;
	struct nt_group *groups;
	size_t ngroups;
};

/* Parses catalog text. 0, or -1 with "line N: ..." in err. */
int nt_catalog_parse(struct nt_catalog *c, const char *text, char *err, size_t errlen);
/* The same, from a file: errors are "PATH: line N: ..." or "PATH: strerror". */
int nt_catalog_load(struct nt_catalog *c, const char *path, char *err, size_t errlen);
void nt_catalog_free(struct nt_catalog *c);

/*
 * Resolves each probe: funcs need a BTF FUNC (the first of that name) with a prototype and a
 * kallsyms entry (ks may be NULL: skip that check); tracepoints need btf_trace_<name>. Sets arg
 * from BTF when the catalog gives none (the first struct sk_buff *, or struct sock * for sk
 * entries, const included); a probe whose arg cannot be found, or whose explicit arg is not
 * such a pointer, is unavailable with a reason. sk entries that resolve are unavailable too
 * (NT_WHY_SK_ONLY): nothing attaches them yet. May be called again (e.g. another BTF).
 */
void nt_catalog_resolve(struct nt_catalog *c, const struct btf *btf, const struct nt_ksyms *ks);

/*
 * Enables probes. spec NULL or "": the default-on ones; "all": every probe; else a comma list
 * of group names (any level: a group enables its subtree, off entries included) or probe names
 * (func name, "cat:name" or a plain tracepoint name; an exact name wins over a plain
 * tracepoint name). exclude: the same syntax, disables. Probes of the all-funcs group (added
 * by --all-funcs) stay enabled whatever spec says, unless excluded. Unknown name -> -1 with the
 * name in err (and nothing enabled). Unavailable probes are never enabled.
 */
int nt_catalog_select(struct nt_catalog *c, const char *spec, const char *exclude, char *err,
		      size_t errlen);


/*
 * --all-funcs[=REGEX]: appends, in the group "all-funcs", every BTF FUNC (not already in the
 * catalog) taking a struct sk_buff * (const too) argument, whose name matches the POSIX
 * extended regex (NULL or "" = all), and which is in kallsyms (when ks is not NULL). Tracing
 * machinery (__traceiter_*, __probestub_*, __bpf_trace_*, perf_trace_*,
 * trace_event_raw_event_*) is left out. Returns the number added, or -1 with err (bad regex,
 * no memory). They are resolved and enabled.
 */
int nt_catalog_add_all_funcs(struct nt_catalog *c, const struct btf *btf,
			     const struct nt_ksyms *ks, const char *regex, char *err,
			     size_t errlen);

/* Index of a probe by name (exact, else a plain tracepoint name), or -1. */
int nt_catalog_find(const struct nt_catalog *c, const char *name);
/* Index of a group by name, or -1. */
int nt_catalog_find_group(const struct nt_catalog *c, const char *name);
/* True if group g is group anc or one of its descendants. */
bool nt_catalog_group_within(const struct nt_catalog *c, int g, int anc);

/* Building blocks (used by the parser and --all-funcs). Both return the new index or -1
 * (no memory). nt_catalog_add_probe takes its own copy of name. */
int nt_catalog_add_group(struct nt_catalog *c, const char *name, int parent);
int nt_catalog_add_probe(struct nt_catalog *c, const char *name, enum nt_probe_kind kind,
			 int group);

#endif
