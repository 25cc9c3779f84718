/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every mode does once, in one place: the kernel's BTF, kallsyms and drop
 * reasons; the output sinks the options ask for; the ring buffer's size and
 * the pipeline that reads it; the start line, signals and the closing summary.
 * A mode is then a short composition: open a session, load and attach its
 * programs (with the filter, s->o->filter, in their rodata), run, close.
 */
#ifndef NT_SESSION_H
#define NT_SESSION_H

#include <stdbool.h>
#include "cli/options.h"
#include "kernel/ksyms.h"
#include "kernel/reasons.h"
#include "output/output.h"
#include "pipeline/events.h"

struct btf;
struct bpf_map;

enum nt_session_needs {
	NT_NEED_BTF = 1 << 0,
	NT_NEED_KSYMS = 1 << 1,	  /* kallsyms: unreadable is a warning, not an error */
	NT_NEED_REASONS = 1 << 2, /* drop reasons from BTF (implies BTF); absent is no error */
};

struct nt_session {
	const struct nt_opts *o;
	struct btf *btf;	  /* NT_NEED_BTF */
	struct nt_ksyms ksyms;	  /* NT_NEED_KSYMS; .n == 0 when unreadable */
	struct nt_reasons reasons; /* NT_NEED_REASONS */
	bool has_reasons;
	struct nt_output out; /* sinks per the options, formatting per the kernel facts */
	struct nt_pipeline pl; /* the mode sets handle, ctx and its other callbacks */
};

/*
 * Reads what @needs asks for and sets up output (--json, --date, --detail)
 * on stdout. Returns 0, or an exit status (enum nt_exit) after saying why.
 */
int nt_session_open(struct nt_session *s, const struct nt_opts *o, unsigned int needs);

/* Sizes the ring buffer map per --buffer-size (before load). 0 or -errno. */
int nt_session_size_ring(struct nt_session *s, struct bpf_map *events);

/* The loaded ring buffer and loss counters the pipeline reads. */
void nt_session_ring(struct nt_session *s, struct bpf_map *events, struct bpf_map *lost);

/*
 * Prints the start line ("nettrace: <fmt>; Ctrl-C to stop") once signals are
 * caught, polls until stopped, prints the summary. Returns an exit status.
 */
int nt_session_run(struct nt_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void nt_session_close(struct nt_session *s);

#endif
