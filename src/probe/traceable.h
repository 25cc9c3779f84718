/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions ftrace can hook, from tracefs' available_filter_functions
 * (read only). kprobe-multi refuses a whole batch for one function outside
 * this list (ESRCH); knowing the list up front keeps --all-funcs (about 2000
 * functions) to one link instead of hundreds found by halving.
 */
#ifndef NT_TRACEABLE_H
#define NT_TRACEABLE_H

#include <stdbool.h>
#include "util/strset.h"

struct nt_traceable {
	char *buf; /* the file, lines ended in place */
	struct nt_strset names;
	bool tried; /* load was called (buf NULL after: it failed) */
};

/* Reads the list (path NULL: tracefs, then debugfs). 0 or -errno. */
int nt_traceable_load(struct nt_traceable *t, const char *path);
bool nt_traceable_has(const struct nt_traceable *t, const char *name);
void nt_traceable_free(struct nt_traceable *t);

#endif
