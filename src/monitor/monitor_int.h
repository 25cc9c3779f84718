/* SPDX-License-Identifier: GPL-2.0 */
/* The monitor's user side, between its files (src/monitor/). */
#ifndef NT_MONITOR_INT_H
#define NT_MONITOR_INT_H

#include <stdbool.h>
#include <linux/types.h>
#include "analysis/diagnose.h"
#include "metrics/http.h"
#include "metrics/metrics.h"
#include "monitor/fold.h"
#include "record/monitor.h"
#include "session/session.h"
#include "util/bytemap.h"

#define MON_NETNS_MAX 4096 /* namespaces watched at most */
#define MON_RULES     256  /* nft rules that drops were credited to */
#define MON_SHAPES    4096 /* netfilter drop shapes remembered (user side) */
#define MON_LEARNERS  4	   /* nft traces running at once, in different namespaces */
#define MON_LEARN_NS  (10ULL * 1000000000ULL)  /* a trace ends after this long */
#define MON_RETRY_NS  (60ULL * 1000000000ULL)  /* a shape not learned is tried again after */
#define MON_IDLE_NS   (600ULL * 1000000000ULL) /* kernel keys idle this long are let go */

struct monitor_bpf;
struct nt_nftrace;

/* The metric families, in the order they are served. */
enum mon_metric {
	M_DROPS,
	M_QDISC,
	M_NF,
	M_NFT_RULE,
	M_RESETS,
	M_RETRANS,
	M_SOCKET,
	M_LOST,
	M_PROBE,
	M_NETNS,
	M_RELEASED,
	M_SCRAPES,
	M_REPORTS,
	M_FOLDED,
	M_FULL,
	M_OVERFLOW,
	M_LEARN,
	M_BUILD,
	M_COUNT,
};

struct mon_ns {
	__u32 inum;
	char name[64]; /* its /run/netns name, "" if none */
	bool listed;   /* seen in the last scan */
};

/* An nft rule (or chain policy) that drops were credited to. */
struct mon_rule {
	__u32 netns;
	char family[8], table[64], chain[64];
	char hook[16];
	__u64 handle; /* 0: the chain's policy */
	char text[160];
};

/* What the user side knows of a netfilter drop shape (key: nt_mon_nfkey, stackid 0). */
enum mon_shape_state { SHAPE_NEW = 0, SHAPE_LEARNING, SHAPE_LEARNED, SHAPE_UNKNOWN };
struct mon_shape {
	int state;
	int rule;		    /* SHAPE_LEARNED: index in rules[] */
	__u64 retry;		    /* SHAPE_UNKNOWN: not tried again before this (ns) */
	unsigned long long pending; /* counted before the rule was known */
};

struct mon_learner {
	struct nt_nftrace *t; /* NULL: free */
	struct nt_mon_nfkey shape;
	__u64 deadline;
	struct nt_mon *m;
};

struct mon_probe {
	const char *name; /* "skb:kfree_skb" */
	const char *tp;	  /* tracepoint name in BTF */
	bool attached;
	char why[96]; /* why not */
};

struct nt_mon {
	struct nt_session *s;
	const struct nt_opts *o;
	struct monitor_bpf *skel;
	int ncpu;
	struct mon_probe probes[NT_MON_KINDS];
	struct nt_metric metrics[M_COUNT];
	struct nt_http *http;
	struct nt_fold fold;
	struct nt_bytemap keys;	  /* nt_mon_key -> struct mon_keyval */
	struct nt_bytemap nfkeys; /* nt_mon_nfkey -> struct mon_keyval */
	struct nt_bytemap shapes; /* nt_mon_nfkey (stackid 0) -> struct mon_shape */
	struct mon_rule rules[MON_RULES];
	size_t nrules;
	struct mon_learner learners[MON_LEARNERS];
	struct mon_ns *ns;
	size_t nns;
	signed char *stack_hook; /* per stack id: family*8+hook+1, 0 unknown yet, -1 none */
	__u64 next_second;
	unsigned long long released;
	unsigned long long printed; /* report lines */
	/* The diagnosis of a reported drop: its ERROR finding and advice. */
	struct nt_kb kb;
	bool has_kb;
	struct nt_diag diag;
	struct nt_analysis an;
	__u64 *vals; /* per-CPU value buffer */
};

struct mon_keyval {
	unsigned long long last; /* the kernel's total at the last read */
	__u64 active;		 /* last read that saw it grow (ns) */
};

__u64 mon_now(void);

/* counts.c: the kernel's counters into the metrics and the fold windows, once a second. */
int mon_counts_read(struct nt_mon *m, __u64 now);
/* The labels of a key. */
const char *mon_kind_name(const struct nt_mon *m, const struct nt_mon_key *k, char *reason,
			  size_t len);
/* Reads a per-CPU map's keys, crediting each one's growth since the last read with @fn. */
int mon_read_percpu(struct nt_mon *m, int fd, struct nt_bytemap *seen, size_t key_size,
		    size_t val_size, __u64 now,
		    void (*fn)(struct nt_mon *m, const void *key, unsigned long long n));
/* Lets go of the keys not grown for MON_IDLE_NS, here and in the kernel. */
void mon_prune(int fd, struct nt_bytemap *seen, __u64 now);
void mon_location(const struct nt_mon *m, __u64 addr, char *buf, size_t len);
void mon_protocol(__u16 l3proto, __u8 l4proto, char *buf, size_t len);

/* netns.c: the namespaces watched. */
int mon_netns_refresh(struct nt_mon *m);
const char *mon_netns_name(const struct nt_mon *m, __u32 inum);
void mon_netns_free(struct nt_mon *m);

/* nfrule.c: which hook and nft rule drop what. */
int mon_nf_read(struct nt_mon *m, __u64 now);
void mon_nf_sample(struct nt_mon *m, const struct nt_event *e, __u64 now);
void mon_nf_tick(struct nt_mon *m, __u64 now);
/* "table inet t chain forward rule 'udp dport 7777 drop' (handle 2)" of a sample's shape; NULL. */
const char *mon_nf_rule_text(struct nt_mon *m, const struct nt_event *e, char *buf, size_t len);
void mon_nf_release(struct nt_mon *m, __u32 netns);
void mon_nf_stop(struct nt_mon *m);

/* expo.c: the metric families, health included, and the render for the server. */
void mon_metrics_init(struct nt_mon *m);
void mon_metrics_render(void *ctx, FILE *f);
void mon_metrics_free(struct nt_mon *m);

#endif
