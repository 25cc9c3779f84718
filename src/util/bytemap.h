/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash map from fixed-size keys to fixed-size values (open addressing,
 * linear probing, FNV-1a), its room fixed at init. Keys compare as bytes:
 * callers zero their padding.
 */
#ifndef NT_BYTEMAP_H
#define NT_BYTEMAP_H

#include <stdbool.h>
#include <stddef.h>

struct nt_bytemap {
	size_t key_size, val_size, slot_size;
	size_t mask; /* slots - 1 */
	size_t n, max;
	unsigned char *slots; /* each: used byte, key, value (aligned) */
};

/* Room for @max entries. 0 or -ENOMEM. */
int nt_bytemap_init(struct nt_bytemap *m, size_t key_size, size_t val_size, size_t max);
void nt_bytemap_free(struct nt_bytemap *m);
/* The value of @key; with @create a new zeroed one when absent. NULL: absent, or full. */
void *nt_bytemap_get(struct nt_bytemap *m, const void *key, bool create);
/* Removes @key; true if it was there. */
bool nt_bytemap_del(struct nt_bytemap *m, const void *key);
/*
 * Iteration: *pos from 0; returns the next entry's key (and its value in
 * *val), or NULL at the end. Deleting the returned entry is allowed: call
 * again with the same *pos then (nt_bytemap_del moves a later entry there;
 * an entry that wrapped around may then be returned twice).
 */
const void *nt_bytemap_next(const struct nt_bytemap *m, size_t *pos, void **val);

#endif
