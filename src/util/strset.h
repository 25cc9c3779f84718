/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of strings for membership tests (open addressing, FNV-1a). The
 * strings are not copied: they must outlive the set. Its size is fixed at
 * init for the number of strings the caller will add.
 */
#ifndef NT_STRSET_H
#define NT_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct nt_strset {
	const char **slots;
	size_t mask; /* slots - 1, a power of 2 minus one */
	size_t n, max;
};

/* Room for @max strings. 0 or -ENOMEM. */
int nt_strset_init(struct nt_strset *s, size_t max);
/* Adds @str (once). 0, or -ENOSPC beyond the @max given to init. */
int nt_strset_add(struct nt_strset *s, const char *str);
bool nt_strset_has(const struct nt_strset *s, const char *str);
void nt_strset_free(struct nt_strset *s);

#endif
