/* SPDX-License-Identifier: GPL-2.0 */
/* Events as lines of text or JSON: the one place output is shaped. */
#ifndef NT_OUTPUT_EVENT_H
#define NT_OUTPUT_EVENT_H

#include <stdbool.h>
#include <stdio.h>
#include "record/event.h"
#include "kernel/ksyms.h"
#include "kernel/reasons.h"

struct nt_output {
	FILE *f;
	bool json;
	bool date;
	bool detail;
	__s64 wall_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	const struct nt_reasons *reasons; /* NULL where the kernel has none */
	const struct nt_ksyms *ksyms;     /* NULL: addresses stay hex */
};

/* Sets the clock offset for --date; the rest is the caller's to fill. */
void nt_output_init(struct nt_output *out, FILE *f);

/* "[12.345678]", or "[2026-11-22 03:04:05.123456]" with date. */
void nt_time_format(const struct nt_output *out, __u64 ts, char *buf, size_t len);

/* Index of the first frame that is not BPF or tracepoint glue. */
size_t nt_stack_skip(const struct nt_ksyms *ks, const __u64 *ips, size_t n);

struct json;

/* The packet of an event as text. */
void nt_output_packet(const struct nt_event *e, char *buf, size_t len);

/* "[time] " and, with --detail, "[skb:... ns:...] ". */
void nt_output_prefix(const struct nt_output *out, const struct nt_event *e);

/* The members every JSON event starts with. */
void nt_output_json_head(struct json *j, const struct nt_output *out, const struct nt_event *e,
			 const char *kind, const char *pkt);

/* With --detail: skb, cpu, pid, comm, dev, netns. */
void nt_output_json_detail(struct json *j, const struct nt_output *out, const struct nt_event *e);

/* One drop event, and its stack when @st is not NULL. */
void nt_output_drop(const struct nt_output *out, const struct nt_event *e,
		    const struct nt_stack *st);

#endif
