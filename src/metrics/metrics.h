/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus metrics: families of series held in memory, and their text
 * exposition (format 0.0.4). Pure: no sockets here (see http.h). Label values
 * are bounded by the callers (never addresses, ports or pointers) and by a cap
 * per family: past it, new label sets are counted in one series whose every
 * label is "other".
 */
#ifndef NT_METRICS_H
#define NT_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define NT_METRIC_MAX_LABELS 8
#define NT_METRIC_OTHER	     "other"

enum nt_metric_type { NT_COUNTER, NT_GAUGE };

struct nt_series {
	char *values[NT_METRIC_MAX_LABELS]; /* owned copies */
	double value;
};

struct nt_metric {
	const char *name; /* nettrace_..., _total for counters */
	const char *help;
	enum nt_metric_type type;
	const char *labels[NT_METRIC_MAX_LABELS];
	size_t nlabels;
	size_t cap; /* series at most, the "other" one included */
	struct nt_series *series;
	size_t n, alloc;
	unsigned long long overflow; /* updates that went to "other" */
};

/*
 * A family without series. @labels: NULL-terminated names; @cap: series at
 * most (at least 2; the "other" series is one of them).
 */
void nt_metric_init(struct nt_metric *m, const char *name, const char *help,
		    enum nt_metric_type type, size_t cap, const char *const *labels);
void nt_metric_free(struct nt_metric *m);

/*
 * The series of these label values (m->nlabels of them), created when new; the
 * "other" series once the family is at its cap. NULL only without memory.
 */
struct nt_series *nt_metric_get(struct nt_metric *m, const char *const *values);
/* Adds @delta to (counters) or sets (gauges) the series of @values. -ENOMEM or 0. */
int nt_metric_add(struct nt_metric *m, const char *const *values, double delta);
int nt_metric_set(struct nt_metric *m, const char *const *values, double value);
/* Forgets every series whose label @label is @value; returns how many. */
size_t nt_metric_forget(struct nt_metric *m, const char *label, const char *value);

/* Writes @m in the text exposition format: HELP, TYPE, one line per series. */
void nt_metric_write(const struct nt_metric *m, FILE *f);
/* A label value, escaped as the format wants (\\, \", \n). */
void nt_metric_escape(FILE *f, const char *value);
/* A sample value: integers without a fraction, NaN and infinities by name. */
void nt_metric_value(FILE *f, double v);

#endif
