// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/strset.h"

static uint64_t hash(const char *str)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *str; str++)
		h = (h ^ (unsigned char)*str) * 0x100000001b3ULL;
	return h;
}

int nt_strset_init(struct nt_strset *s, size_t max)
{
	size_t size = 16;

	memset(s, 0, sizeof(*s));
	/* At most half full: probe sequences stay short. */
	while (size < 2 * max && size < SIZE_MAX / 4)
		size *= 2;
	s->slots = calloc(size, sizeof(*s->slots));
	if (!s->slots)
		return -ENOMEM;
	s->mask = size - 1;
	s->max = max;
	return 0;
}

/* The slot holding @str, or the empty slot where it would go. */
static size_t slot_of(const struct nt_strset *s, const char *str)
{
	size_t i = hash(str) & s->mask;

	while (s->slots[i] && strcmp(s->slots[i], str))
		i = (i + 1) & s->mask;
	return i;
}

int nt_strset_add(struct nt_strset *s, const char *str)
{
	size_t i;

	if (!s->slots)
		return -ENOSPC;
	i = slot_of(s, str);
	if (s->slots[i])
		return 0;
	if (s->n >= s->max)
		return -ENOSPC;
	s->slots[i] = str;
	s->n++;
	return 0;
}

bool nt_strset_has(const struct nt_strset *s, const char *str)
{
	return s->slots && s->slots[slot_of(s, str)];
}

void nt_strset_free(struct nt_strset *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
