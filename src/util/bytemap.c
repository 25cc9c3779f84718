// SPDX-License-Identifier: GPL-2.0
/* Fixed-size keys to fixed-size values, open addressing with backward-shift deletion. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/bytemap.h"

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static unsigned char *slot(const struct nt_bytemap *m, size_t i)
{
	return m->slots + i * m->slot_size;
}

static unsigned char *key_of(const struct nt_bytemap *m, unsigned char *s)
{
	(void)m;
	return s + 8;
}

static void *val_of(const struct nt_bytemap *m, unsigned char *s)
{
	return s + 8 + ALIGN8(m->key_size);
}

static size_t hash(const struct nt_bytemap *m, const void *key)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < m->key_size; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (size_t)(h ^ (h >> 29)) & m->mask;
}

int nt_bytemap_init(struct nt_bytemap *m, size_t key_size, size_t val_size, size_t max)
{
	size_t slots = 16;

	memset(m, 0, sizeof(*m));
	while (slots < max * 2)
		slots <<= 1;
	m->key_size = key_size;
	m->val_size = val_size;
	m->slot_size = 8 + ALIGN8(key_size) + ALIGN8(val_size);
	m->mask = slots - 1;
	m->max = max;
	m->slots = calloc(slots, m->slot_size);
	return m->slots ? 0 : -ENOMEM;
}

void nt_bytemap_free(struct nt_bytemap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->n = 0;
}

/* The slot of @key, or of the empty slot where it would go. */
static size_t probe(const struct nt_bytemap *m, const void *key)
{
	size_t i = hash(m, key);
	unsigned char *s;

	for (;; i = (i + 1) & m->mask) {
		s = slot(m, i);
		if (!s[0] || !memcmp(key_of(m, s), key, m->key_size))
			return i;
	}
}

void *nt_bytemap_get(struct nt_bytemap *m, const void *key, bool create)
{
	unsigned char *s;

	if (!m->slots)
		return NULL;
	s = slot(m, probe(m, key));
	if (s[0])
		return val_of(m, s);
	if (!create || m->n >= m->max)
		return NULL;
	s[0] = 1;
	memcpy(key_of(m, s), key, m->key_size);
	memset(val_of(m, s), 0, m->val_size);
	m->n++;
	return val_of(m, s);
}

bool nt_bytemap_del(struct nt_bytemap *m, const void *key)
{
	size_t i, j, home;
	unsigned char *s;

	if (!m->slots)
		return false;
	i = probe(m, key);
	if (!slot(m, i)[0])
		return false;
	slot(m, i)[0] = 0;
	m->n--;
	/* Shift back the entries whose probe sequence passed through i. */
	for (j = (i + 1) & m->mask; (s = slot(m, j))[0]; j = (j + 1) & m->mask) {
		home = hash(m, key_of(m, s));
		if (((j - home) & m->mask) < ((j - i) & m->mask))
			continue;
		memcpy(slot(m, i), s, m->slot_size);
		s[0] = 0;
		i = j;
	}
	return true;
}

const void *nt_bytemap_next(const struct nt_bytemap *m, size_t *pos, void **val)
{
	unsigned char *s;

	if (!m->slots)
		return NULL;
	for (; *pos <= m->mask; (*pos)++) {
		s = slot(m, *pos);
		if (!s[0])
			continue;
		if (val)
			*val = val_of(m, s);
		return key_of(m, s);
	}
	return NULL;
}
