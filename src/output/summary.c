// SPDX-License-Identifier: GPL-2.0
/* The closing line, and the grouper's part of it. */
#include <stdio.h>
#include "output/summary.h"

void nt_summary_print(FILE *f, const struct nt_summary *s)
{
	size_t i;

	fprintf(f, "nettrace: %llu %s, %llu events lost", s->events, s->unit ? s->unit : "events",
		s->lost);
	for (i = 0; i < s->nprobes; i++)
		fprintf(f, "%s%s: %llu", i ? ", " : " (", s->per_probe[i].probe ? s->per_probe[i].probe : "?",
			s->per_probe[i].lost);
	if (s->nprobes)
		fputc(')', f);
	if (s->unread)
		fprintf(f, "; %llu events not printed at exit (at most %lu are, after the stop)",
			s->unread, s->drain_max);
	if (s->malformed)
		fprintf(f, "; %llu malformed records left out", s->malformed);
	fprintf(f, "%s%s\n", s->note && s->note[0] ? "; " : "", s->note ? s->note : "");
}

/* Appends ", " (unless first) and the formatted text; keeps @buf terminated when full. */
#define PART(...)                                                                     \
	do {                                                                          \
		if (n < len)                                                          \
			n += snprintf(buf + n, len - n, "%s", n > start ? ", " : ""); \
		if (n < len)                                                          \
			n += snprintf(buf + n, len - n, __VA_ARGS__);                 \
	} while (0)

size_t nt_group_stats_format(const struct nt_group_stats *st, const struct nt_group_caps *caps,
			     char *buf, size_t len)
{
	unsigned long long evicted = st->evicted_groups + st->evicted_events;
	size_t n = 0, start;

	if (!len)
		return 0;
	buf[0] = '\0';
	if (!evicted && !st->idle && !st->flushed && !st->events_cut && !st->skbs_cut)
		return 0;
	n = snprintf(buf, len, "grouper: ");
	start = n;
	if (evicted)
		PART("%llu packets printed early to make room (%zu packets or %zu events held)",
		     evicted, caps->groups, caps->events);
	if (st->idle)
		PART("%llu printed unfreed after idling", st->idle);
	if (st->flushed)
		PART("%llu unfreed at exit", st->flushed);
	if (st->events_cut)
		PART("%llu events not kept (over %zu in a packet)", st->events_cut,
		     caps->per_group);
	if (st->skbs_cut)
		PART("%llu skb addresses not followed (over %zu in a packet)", st->skbs_cut,
		     caps->skbs);
	return n < len ? n : len - 1;
}
