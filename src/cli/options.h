/* SPDX-License-Identifier: GPL-2.0 */
/* The command line, parsed into one struct; no side effects on the kernel. */
#ifndef NT_OPTIONS_H
#define NT_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include "filter/filter.h"
#include "metrics/addr.h"

enum nt_mode {
	NT_MODE_LIFECYCLE = 0, /* default: follow each packet until it is freed */
	NT_MODE_BASIC,
	NT_MODE_DIAG,
	NT_MODE_DROP,
	NT_MODE_HOOKS,
	NT_MODE_MONITOR,
};

#define NT_MAX_DIAG_RULES 8

struct nt_opts {
	enum nt_mode mode;
	struct nt_filter filter;
	unsigned long count; /* stop after this many events (0: never) */
	unsigned long buf_kb; /* ring buffer size in KiB */
	bool drop_stack;
	bool detail;
	bool date;
	bool ret;
	bool json;
	bool diag_quiet;
	bool diag_keep;
	const char *diag_rules[NT_MAX_DIAG_RULES]; /* --diag-rules FILE, in order */
	size_t ndiag_rules;
	bool hooks;
	const char *trace;         /* -t */
	const char *trace_exclude; /* --trace-exclude */
	const char *all_funcs;     /* --all-funcs[=REGEX]: "" for all */
	const char *backend;       /* --backend */
	struct nt_listen metrics;       /* --metrics [ADDR:]PORT */
	unsigned long metrics_series;   /* --metrics-series: series per metric at most */
	unsigned long report_window;    /* --report-window: seconds reports are folded over */
	int verbose;               /* -v: 1, --debug: 2 */
	char err[NT_ERRLEN];       /* why parsing failed */
};

enum nt_parse_result {
	NT_PARSE_OK = 0,
	NT_PARSE_EXIT = 1, /* help or version printed: exit 0 */
	NT_PARSE_ERROR = -1,
};

/* Parses argv into @o. On NT_PARSE_ERROR, o->err names the option and the problem. */
int nt_opts_parse(struct nt_opts *o, int argc, char **argv);

const char *nt_mode_name(enum nt_mode mode);

void nt_usage(FILE *out);

#endif
