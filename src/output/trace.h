/* SPDX-License-Identifier: GPL-2.0 */
/* Trace events (--basic: one line each) and packet groups (lifecycle mode). */
#ifndef NT_OUTPUT_TRACE_H
#define NT_OUTPUT_TRACE_H

#include "catalog/catalog.h"
#include "group/group.h"
#include "output/event.h"

/* What a return value of this kind means: "NF_DROP", "EINVAL", "NULL"...; NULL if nothing. */
/* The name of a probe id: catalog entry or netfilter hook observer. */
const char *nt_probe_name(const struct nt_catalog *c, __u16 probe);

const char *nt_ret_meaning(enum nt_ret_kind kind, __s64 ret, char *buf, size_t len);

void nt_output_trace(const struct nt_output *out, const struct nt_catalog *c,
		     const struct nt_event *e);

struct nt_nftrace_event;

/* One nft trace message: table, chain, rule (text and handle), verdict, packet. */
void nt_output_nftrace(const struct nt_output *out, const struct nt_nftrace_event *e);

struct nt_analysis;

/*
 * One packet: its events, the nft verdicts joined to it in their place, then
 * its findings (text: after the blank line that ends the packet). @an may be NULL.
 */
void nt_output_group(const struct nt_output *out, const struct nt_catalog *c,
		     const struct nt_pgroup *g, const struct nt_analysis *an);

#endif
