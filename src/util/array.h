/* SPDX-License-Identifier: GPL-2.0 */
/* Growing an array by doubling. */
#ifndef NT_ARRAY_H
#define NT_ARRAY_H

#include <stddef.h>

/* Makes room for @need elements of @elem bytes in *p (capacity *cap). 0 or -ENOMEM. */
int nt_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
