// SPDX-License-Identifier: GPL-2.0
/* Metric families and their text exposition (Prometheus format 0.0.4). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "metrics/metrics.h"
#include "util/array.h"

void nt_metric_init(struct nt_metric *m, const char *name, const char *help,
		    enum nt_metric_type type, size_t cap, const char *const *labels)
{
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->help = help;
	m->type = type;
	m->cap = cap < 2 ? 2 : cap;
	while (labels && labels[m->nlabels] && m->nlabels < NT_METRIC_MAX_LABELS) {
		m->labels[m->nlabels] = labels[m->nlabels];
		m->nlabels++;
	}
}

static void series_free(struct nt_series *s, size_t nlabels)
{
	size_t i;

	for (i = 0; i < nlabels; i++)
		free(s->values[i]);
}

void nt_metric_free(struct nt_metric *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		series_free(&m->series[i], m->nlabels);
	free(m->series);
	m->series = NULL;
	m->n = m->alloc = 0;
}

static bool same(const struct nt_metric *m, const struct nt_series *s, const char *const *values)
{
	size_t i;

	for (i = 0; i < m->nlabels; i++)
		if (strcmp(s->values[i], values[i] ? values[i] : ""))
			return false;
	return true;
}

static struct nt_series *find(struct nt_metric *m, const char *const *values)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (same(m, &m->series[i], values))
			return &m->series[i];
	return NULL;
}

static struct nt_series *create(struct nt_metric *m, const char *const *values)
{
	struct nt_series *s;
	size_t i;

	if (nt_grow((void **)&m->series, &m->alloc, m->n + 1, sizeof(*m->series)))
		return NULL;
	s = &m->series[m->n];
	memset(s, 0, sizeof(*s));
	for (i = 0; i < m->nlabels; i++) {
		s->values[i] = strdup(values[i] ? values[i] : "");
		if (!s->values[i]) {
			series_free(s, i);
			return NULL;
		}
	}
	m->n++;
	return s;
}

struct nt_series *nt_metric_get(struct nt_metric *m, const char *const *values)
{
	const char *other[NT_METRIC_MAX_LABELS];
	struct nt_series *s = find(m, values);
	size_t i;

	if (s)
		return s;
	/* One slot stays free for "other" while it does not exist. */
	if (m->n + 1 < m->cap)
		return create(m, values);
	for (i = 0; i < m->nlabels; i++)
		other[i] = NT_METRIC_OTHER;
	m->overflow++;
	s = find(m, other);
	return s ? s : create(m, other);
}

int nt_metric_add(struct nt_metric *m, const char *const *values, double delta)
{
	struct nt_series *s = nt_metric_get(m, values);

	if (!s)
		return -ENOMEM;
	s->value += delta;
	return 0;
}

int nt_metric_set(struct nt_metric *m, const char *const *values, double value)
{
	struct nt_series *s = nt_metric_get(m, values);

	if (!s)
		return -ENOMEM;
	s->value = value;
	return 0;
}

size_t nt_metric_forget(struct nt_metric *m, const char *label, const char *value)
{
	size_t i, l, n = 0;

	for (l = 0; l < m->nlabels && strcmp(m->labels[l], label); l++)
		;
	if (l == m->nlabels)
		return 0;
	for (i = 0; i < m->n;) {
		if (strcmp(m->series[i].values[l], value)) {
			i++;
			continue;
		}
		series_free(&m->series[i], m->nlabels);
		m->series[i] = m->series[--m->n];
		n++;
	}
	return n;
}

void nt_metric_escape(FILE *f, const char *value)
{
	for (; *value; value++) {
		if (*value == '\\')
			fputs("\\\\", f);
		else if (*value == '"')
			fputs("\\\"", f);
		else if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
}

void nt_metric_value(FILE *f, double v)
{
	if (v != v)
		fputs("NaN", f);
	else if (v > 1e308 || v < -1e308)
		fputs(v > 0 ? "+Inf" : "-Inf", f);
	else if (v < 9e15 && v > -9e15 && v == (double)(long long)v)
		fprintf(f, "%lld", (long long)v);
	else
		fprintf(f, "%.17g", v);
}

/* HELP text escapes backslash and newline only. */
static void help_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

void nt_metric_write(const struct nt_metric *m, FILE *f)
{
	const struct nt_series *s;
	size_t i, l;

	fprintf(f, "# HELP %s ", m->name);
	help_escape(f, m->help);
	fprintf(f, "\n# TYPE %s %s\n", m->name, m->type == NT_COUNTER ? "counter" : "gauge");
	if (!m->nlabels && !m->n) {
		fprintf(f, "%s 0\n", m->name);
		return;
	}
	for (i = 0; i < m->n; i++) {
		s = &m->series[i];
		fputs(m->name, f);
		for (l = 0; l < m->nlabels; l++) {
			fprintf(f, "%s%s=\"", l ? "," : "{", m->labels[l]);
			nt_metric_escape(f, s->values[l]);
			fputc('"', f);
		}
		fputs(m->nlabels ? "} " : " ", f);
		nt_metric_value(f, s->value);
		fputc('\n', f);
	}
}
