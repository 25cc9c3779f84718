/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event pipeline's user end: polls the ring buffer, decodes each record
 * (src/record/) and hands the event to the mode, stops on SIGINT/SIGTERM or
 * after -c events, and accounts for the events the kernel side could not
 * reserve and the records that could not be decoded. Losses are reported,
 * never fatal.
 */
#ifndef NT_PIPELINE_EVENTS_H
#define NT_PIPELINE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "record/event.h"

#define NT_PIPE_EXTRA 32
/* Records read after a stop, at most: the rest is counted, not printed. */
#define NT_DRAIN_MAX (1 << 20)

/* Another source of events polled with the ring buffer (e.g. a netlink socket). */
struct nt_pipe_source {
	int fd;
	void (*ready)(void *ctx); /* called when fd is readable */
	void *ctx;
};

/*
 * Called with each decoded event, and its stack when the record carried one
 * (else NULL). Returns true when the event counts towards -c.
 */
typedef bool (*nt_event_fn)(void *ctx, const struct nt_event *e, const struct nt_stack *st);

/* Distinct record sizes counted (-v), the rest in one row. */
#define NT_PIPE_SIZES 8

struct nt_pipeline {
	int events_fd; /* the ring buffer map */
	int lost_fd;   /* the per-CPU, per-probe loss counters */
	nt_event_fn handle;
	void *ctx;
	unsigned long limit;   /* -c, 0 for none */
	bool report_periodic;  /* -v: report losses as they happen */
	const char *(*probe_name)(void *ctx, __u32 probe); /* for the report */
	void (*tick)(void *ctx); /* after each poll, when not NULL */
	const char *unit;        /* what the summary counts: "events" when NULL */
	void (*finish)(struct nt_pipeline *pl); /* after the last poll, before the summary */
	/* After a stop, before the final drain: detach the probes, so that nothing refills it. */
	void (*quiesce)(void *ctx);
	struct nt_pipe_source extra[NT_PIPE_EXTRA];
	size_t nextra;
	char note[256]; /* appended to the closing line, after "; ", when not empty */
	/* results */
	unsigned long long events;
	unsigned long long lost;
	unsigned long long unread; /* left in the buffer past NT_DRAIN_MAX, not printed */
	unsigned long long malformed; /* records that did not decode (nt_record_decode) */
	/* What was taken from the ring buffer (said with -v): records by size, and bytes. */
	struct nt_pipe_size {
		size_t size; /* 0: every other size */
		unsigned long long count;
	} sizes[NT_PIPE_SIZES];
	unsigned long long records, bytes;
};

/* Makes SIGINT and SIGTERM stop nt_pipeline_run(). */
void nt_pipeline_signals(void);

/*
 * Prints the start line, "nettrace: <fmt>; Ctrl-C to stop", to stderr once
 * SIGINT and SIGTERM are caught: whoever stops nettrace on reading that line
 * must not find the signal ignored (bash starts background jobs with SIGINT
 * ignored) or fatal.
 */
void nt_pipeline_ready(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Asks nt_pipeline_run() to stop (async-signal-safe). */
void nt_pipeline_stop(void);

/*
 * Stops the run and makes nt_pipeline_main() return at least @status (enum
 * nt_exit): for a failure found outside the pipeline, said already.
 */
void nt_pipeline_fail(int status);

/*
 * The output @what ("stdout", a file name) could not be written: @err is the
 * errno of the failed write or flush. EPIPE, the reader went away (`| head`):
 * nettrace stops, exit status 0, as tcpdump does. Any other (ENOSPC, EIO):
 * said once with nt_err, nettrace stops, exit status 1. What writes the
 * output calls it; nt_pipeline_run() does for stdout, which it flushes after
 * every poll and watches for a reader that went away (a pipe whose reader
 * closed reports POLLERR at once, without waiting for the next write).
 */
void nt_pipeline_output_failed(const char *what, int err);

/* Polls until stopped; 0, or a negative errno when the ring buffer fails. */
int nt_pipeline_run(struct nt_pipeline *pl);

/*
 * The whole user end of a mode: signals, polling until stopped, finish(),
 * the summary line. Returns an exit status (enum nt_exit): 1 when reading
 * events failed, when nt_pipeline_fail() asked for it (a write error, a thread
 * stranded in another network namespace: nt_netns_stranded()), else 0.
 */
int nt_pipeline_main(struct nt_pipeline *pl);

/* Sums the loss counters; per-probe totals into @per_probe when not NULL. */
unsigned long long nt_lost_read(int lost_fd, unsigned long long *per_probe, size_t n);

/* The closing line: "N events, M lost" with the probes that lost, then the note. */
void nt_pipeline_summary(const struct nt_pipeline *pl);

/*
 * "ring buffer: N records, B bytes (S bytes x N, ...)": the bytes taken from
 * the ring buffer, each record with the buffer's 8-byte record header.
 */
void nt_pipeline_sizes(const struct nt_pipeline *pl, char *buf, size_t len);

#endif
