/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event pipeline's user end: polls the ring buffer, hands each record to
 * the mode, stops on SIGINT/SIGTERM or after -c events, and accounts for the
 * events the kernel side could not reserve. Losses are reported, never fatal.
 */
#ifndef NT_PIPELINE_EVENTS_H
#define NT_PIPELINE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define NT_PIPE_EXTRA 32
/* Records read after a stop, at most: the rest is counted, not printed. */
#define NT_DRAIN_MAX (1 << 20)

/* Another source of events polled with the ring buffer (e.g. a netlink socket). */
struct nt_pipe_source {
	int fd;
	void (*ready)(void *ctx); /* called when fd is readable */
	void *ctx;
};

/* Returns true when the record counts towards -c. */
typedef bool (*nt_event_fn)(void *ctx, const void *data, size_t size);

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

/* Polls until stopped; 0, or a negative errno when the ring buffer fails. */
int nt_pipeline_run(struct nt_pipeline *pl);

/*
 * The whole user end of a mode: signals, polling until stopped, finish(),
 * the summary line. Returns an exit status (enum nt_exit).
 */
int nt_pipeline_main(struct nt_pipeline *pl);

/* Sums the loss counters; per-probe totals into @per_probe when not NULL. */
unsigned long long nt_lost_read(int lost_fd, unsigned long long *per_probe, size_t n);

/* The closing line: "N events, M lost" with the probes that lost, then the note. */
void nt_pipeline_summary(const struct nt_pipeline *pl);

#endif
