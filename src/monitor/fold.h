/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Report folding (pure): a flood must not flood the log. Reports are of a kind
 * (a key of fixed size: what, where, which namespace and device) and about a
 * flow. In a window that opens with a kind's first report, at most @per_kind
 * reports of that kind are printed, each of a different flow; the rest are
 * folded. When the window closes, the kind's count in it (from the kernel's
 * counters) less what was printed is said in one line: "and N more like it
 * in the last 10 s". Memory is fixed at init.
 */
#ifndef NT_MONITOR_FOLD_H
#define NT_MONITOR_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define NT_FOLD_FLOWS 8 /* flows remembered per kind and window: per_kind at most */

struct nt_fold_kind {
	unsigned char *key; /* key_size bytes */
	__u64 opened;	    /* ns; 0: slot free */
	unsigned int printed;
	unsigned long long seen; /* the kernel's count since the window opened */
	__u64 flows[NT_FOLD_FLOWS];
};

struct nt_fold {
	size_t key_size, max;
	__u64 window_ns;
	unsigned int per_kind;
	struct nt_fold_kind *kinds;
	unsigned char *keys;
	unsigned long long overflow; /* reports folded because the table was full */
	unsigned long long folded;   /* reports folded, all kinds, ever */
};

/* Room for @max kinds with open windows. 0 or -ENOMEM. */
int nt_fold_init(struct nt_fold *f, size_t key_size, size_t max, __u64 window_ns,
		 unsigned int per_kind);
void nt_fold_free(struct nt_fold *f);

/* Whether a report of kind @key about flow @flow, at @now (ns), is printed (true) or folded. */
bool nt_fold_offer(struct nt_fold *f, const void *key, __u64 flow, __u64 now);
/*
 * The kernel counted @n more of kind @key: added to its open window, or to a
 * window opened at @now when none is (so no count goes unsaid).
 */
void nt_fold_seen(struct nt_fold *f, const void *key, unsigned long long n, __u64 now);

/*
 * Closes the windows older than the window length at @now (all of them with
 * @all), calling @cb for each that folded something: @more reports like it,
 * over @span_ns. @key NULL: reports folded because the table was full.
 */
typedef void (*nt_fold_fn)(void *ctx, const void *key, unsigned long long more, __u64 span_ns);
size_t nt_fold_expire(struct nt_fold *f, __u64 now, bool all, nt_fold_fn cb, void *ctx);

#endif
