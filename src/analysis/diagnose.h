/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diagnosis: a packet's events matched against the knowledge base
 * (src/analysis/kb.h). Every rule is tried on every event of the packet and
 * on every nft verdict joined to it; a drop reason is explained by its reason
 * entry. Matches become findings, folded by cause with what the analysis
 * layer found already (a hook drop, NAT), so one fault is one finding that
 * keeps the evidence of all. Templates are filled with the event's fields and
 * with facts of the machine read in the packet's namespace.
 */
#ifndef NT_ANALYSIS_DIAGNOSE_H
#define NT_ANALYSIS_DIAGNOSE_H

#include "analysis/analysis.h"
#include "analysis/kb.h"
#include "catalog/catalog.h"
#include "kernel/ksyms.h"
#include "kernel/reasons.h"

/* Reads a fact of the machine (see src/facts/): 0 and the value in @out, or -errno. */
typedef int (*nt_fact_fn)(__u32 netns, const char *kind, const char *arg, char *out, size_t len);

struct nt_diag {
	const struct nt_kb *kb;
	const struct nt_catalog *cat;	  /* probe names, kinds and return kinds; may be NULL */
	const struct nt_reasons *reasons; /* names of drop reasons; NULL: none */
	const struct nt_ksyms *ksyms;	  /* drop locations; NULL: none */
	nt_fact_fn fact;		  /* NULL: facts read as "?" */
	long consumed;			  /* SKB_CONSUMED's value, or -1: not a drop */
	/* The prefix that runs a command in namespace @netns ("ip netns exec X "), "" for ours. */
	void (*netns_cmd)(__u32 netns, char *buf, size_t len);
};

/*
 * Adds to @r (the analysis of the packet of @ev, n events) the findings of
 * the knowledge base, folded by cause. @complete: the packet was freed;
 * @now: seconds, CLOCK_MONOTONIC, for not-freed.
 */
void nt_diagnose(const struct nt_diag *d, const struct nt_event *ev, size_t n, bool complete,
		 double now, struct nt_analysis *r);

/* The highest severity among @r's findings, or -1 when there is none. */
int nt_analysis_worst(const struct nt_analysis *r);

#endif
