/* SPDX-License-Identifier: GPL-2.0 */
/* Trace events (--basic: one line each) and packet groups (lifecycle mode). */
#ifndef NT_OUTPUT_TRACE_H
#define NT_OUTPUT_TRACE_H

#include "catalog/catalog.h"
#include "group/group.h"
#include "output/event.h"

/* What a return value of this kind means: "NF_DROP", "EINVAL", "NULL"...; NULL if nothing. */
const char *nt_ret_meaning(enum nt_ret_kind kind, __s64 ret, char *buf, size_t len);

void nt_output_trace(const struct nt_output *out, const struct nt_catalog *c,
		     const struct nt_event *e);

void nt_output_group(const struct nt_output *out, const struct nt_catalog *c,
		     const struct nt_pgroup *g);

#endif
