/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one output home. Producers (the modes, the analysis layer) hand over
 * what they have: a drop, a trace event, a packet with its findings, an nft
 * verdict, the hook inventory. Each goes to every sink; a sink is one format
 * on one stream (text and JSON today; pcapng and metrics plug in as sinks
 * without touching the producers). Formatting lives under src/output/ only.
 */
#ifndef NT_OUTPUT_H
#define NT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "record/event.h"
#include "kernel/ksyms.h"
#include "catalog/catalog.h"
#include "kernel/reasons.h"

#define NT_MAX_SINKS 4

struct nt_analysis;
struct nt_catalog;
struct nt_hook_inv;
struct nt_verdict;
struct nt_output;
struct nt_pgroup;
struct nt_sink;

/* A monitor report (--monitor): an anomaly with one packet like it, or a folded count. */
struct nt_report {
	__u64 ts;		/* CLOCK_MONOTONIC ns */
	const char *kind;	/* "drop", "netfilter-drop", "tcp-reset", ... */
	const char *reason;	/* NULL: none */
	const char *location;	/* symbol; NULL: none */
	__u32 netns;
	const char *netns_name; /* NULL: none */
	const char *dev;	/* NULL or "": none */
	const char *packet;	/* the packet as text; NULL in a folded report */
	const char *rule;	/* the nft rule that drops such packets; NULL: not known */
	const char *finding;	/* the diagnosis' ERROR finding ("CODE: message"); NULL: none */
	const char *advice;	/* its advice; NULL: none */
	unsigned long long more; /* folded: this many more like it ... */
	unsigned int window_s;	 /* ... in the last window_s seconds */
};

/* What a sink does with each thing it is handed; NULL: it ignores that thing. */
struct nt_sink_ops {
	const char *name;
	/* A drop (drop monitor), with its stack when @st is not NULL. */
	void (*drop)(struct nt_sink *s, const struct nt_event *e, const struct nt_stack *st);
	/* One trace event as it comes (--basic). */
	void (*event)(struct nt_sink *s, const struct nt_event *e);
	/* One packet (lifecycle): its events, the nft verdicts joined to it, its findings. */
	void (*packet)(struct nt_sink *s, const struct nt_pgroup *g, const struct nt_analysis *an);
	/* An nft verdict that belongs to no packet shown; @ts: when it was read. */
	void (*verdict)(struct nt_sink *s, const struct nt_verdict *v, __u64 ts);
	/* The netfilter hook inventory of a namespace (--hooks). */
	void (*hooks)(struct nt_sink *s, const struct nt_hook_inv *inv);
	/* The trace catalog as this kernel can attach it (-t ?). */
	void (*catalog)(struct nt_sink *s, const struct nt_catalog *c);
	/* A monitor report. */
	void (*report)(struct nt_sink *s, const struct nt_report *r);
};

struct nt_sink {
	const struct nt_sink_ops *ops;
	FILE *f;
	const struct nt_output *out; /* the formatting context */
};

extern const struct nt_sink_ops nt_sink_text;
extern const struct nt_sink_ops nt_sink_json;

struct nt_output {
	/* How things are said, shared by every sink. */
	bool date;
	bool detail;
	__s64 wall_offset_ns;		  /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	const struct nt_reasons *reasons; /* NULL where the kernel has none */
	const struct nt_ksyms *ksyms;	  /* NULL: addresses stay hex */
	const struct nt_catalog *catalog; /* probe names and return meanings; may be NULL */
	bool diag;	  /* packets end with an ANALYSIS RESULT, events carry notes */
	bool diag_hooks;  /* with --hooks: every hook function at a drop, not only the culprit */
	/* Where it goes. */
	struct nt_sink sinks[NT_MAX_SINKS];
	size_t nsinks;
};

/* No sinks yet; sets the clock offset for --date. */
void nt_output_init(struct nt_output *out);
/* Adds a sink writing @ops' format to @f. -ENOSPC past NT_MAX_SINKS. */
int nt_output_add(struct nt_output *out, const struct nt_sink_ops *ops, FILE *f);

void nt_output_drop(const struct nt_output *out, const struct nt_event *e,
		    const struct nt_stack *st);
void nt_output_event(const struct nt_output *out, const struct nt_event *e);
void nt_output_packet(const struct nt_output *out, const struct nt_pgroup *g,
		      const struct nt_analysis *an);
/* @ts: when it was read (CLOCK_MONOTONIC ns). */
void nt_output_verdict(const struct nt_output *out, const struct nt_verdict *v, __u64 ts);
void nt_output_hooks(const struct nt_output *out, const struct nt_hook_inv *inv);
void nt_output_catalog(const struct nt_output *out, const struct nt_catalog *c);
void nt_output_report(const struct nt_output *out, const struct nt_report *r);
/* Flushes every sink's stream: 0, or the -errno of the first that failed. */
int nt_output_flush(const struct nt_output *out);

/* ---- for the sinks ---- */

/* "12.345678", or "2026-11-22 03:04:05.123456" with date. */
void nt_time_format(const struct nt_output *out, __u64 ts, char *buf, size_t len);
/* Index of the first stack frame that is not BPF or tracepoint glue. */
size_t nt_stack_skip(const struct nt_ksyms *ks, const __u64 *ips, size_t n);
/* Frames in a stack record. */
size_t nt_stack_frames(const struct nt_stack *st);
/* The packet of an event as text. */
void nt_event_pkt_text(const struct nt_event *e, char *buf, size_t len);
/* The name of a probe id: catalog entry or netfilter hook observer. */
const char *nt_probe_name(const struct nt_catalog *c, __u16 probe);
/* What a return value of this kind means: "NF_DROP", "EINVAL", "NULL"...; NULL if nothing. */
const char *nt_ret_meaning(enum nt_ret_kind kind, __s64 ret, char *buf, size_t len);
/* What the return value of event @e means ("NF_DROP", "EINVAL", ...), or NULL. */
const char *nt_event_ret_meaning(const struct nt_output *out, const struct nt_event *e,
				 char *buf, size_t len);

#endif
