/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The closing line on stderr: "nettrace: N events, M events lost (probe: n,
 * ...); ..." with what the drain left unread, malformed records, and the
 * mode's note (e.g. what the grouper's caps cut, from nt_group_stats_format).
 */
#ifndef NT_OUTPUT_SUMMARY_H
#define NT_OUTPUT_SUMMARY_H

#include <stdio.h>
#include "group/group.h"

#define NT_SUMMARY_PROBES 32

struct nt_summary {
	unsigned long long events;
	const char *unit; /* "events" when NULL */
	unsigned long long lost;
	struct {
		const char *probe;
		unsigned long long lost;
	} per_probe[NT_SUMMARY_PROBES]; /* the probes that lost events, in id order */
	size_t nprobes;
	unsigned long long unread; /* left in the buffer after the stop, past drain_max */
	unsigned long drain_max;
	unsigned long long malformed;
	const char *note; /* "" or NULL: none */
};

void nt_summary_print(FILE *f, const struct nt_summary *s);

/*
 * For the closing line: "grouper: 12 packets printed early to make room
 * (2048 packets or 8192 events held), 3 printed unfreed after idling, ...",
 * only the counts that are not 0; "" when all are. Returns strlen(buf).
 */
size_t nt_group_stats_format(const struct nt_group_stats *st, const struct nt_group_caps *caps,
			     char *buf, size_t len);

#endif
