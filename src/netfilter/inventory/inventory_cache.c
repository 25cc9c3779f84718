// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "netfilter/inventory/inventory_cache.h"

void nt_hookcache_init(struct nt_hookcache *c, nt_hook_walk_fn walk, void *ctx, double ttl,
		       size_t max_walks)
{
	memset(c, 0, sizeof(*c));
	c->walk = walk;
	c->ctx = ctx;
	c->ttl = ttl;
	c->max_walks = max_walks ? max_walks : 1;
}

static const struct nt_hook_inv *answer(const struct nt_hookcache_slot *s, char *why, size_t len)
{
	if (!s->err)
		return &s->inv;
	snprintf(why, len, "%s", s->why);
	return NULL;
}

/* The slot to walk @ino into: its own, an unused one, or the one walked longest ago. */
static struct nt_hookcache_slot *victim(struct nt_hookcache *c)
{
	struct nt_hookcache_slot *s, *old = &c->slot[0];

	for (s = c->slot; s < c->slot + NT_HOOKCACHE_SLOTS; s++) {
		if (!s->ino)
			return s;
		if (s->walked_at < old->walked_at)
			old = s;
	}
	return old;
}

const struct nt_hook_inv *nt_hookcache_get(struct nt_hookcache *c, __u32 ino, double now, char *why,
					   size_t len)
{
	struct nt_hookcache_slot *s, *found = NULL;

	for (s = c->slot; s < c->slot + NT_HOOKCACHE_SLOTS; s++)
		if (s->ino && s->ino == ino)
			found = s;
	if (found && now - found->walked_at < c->ttl)
		return answer(found, why, len);
	if (now - c->window_start >= c->ttl) {
		c->window_start = now;
		c->walks_in_window = 0;
	}
	if (c->walks_in_window >= c->max_walks) {
		/* Slightly old beats nothing: hooks rarely change. */
		if (found)
			return answer(found, why, len);
		snprintf(why, len, "not looked up: hooks of %zu namespaces already read in %g s",
			 c->max_walks, c->ttl);
		return NULL;
	}
	s = found ? found : victim(c);
	if (s->ino && !s->err)
		nt_hooks_inv_free(&s->inv);
	memset(s, 0, sizeof(*s));
	s->ino = ino;
	s->walked_at = now;
	c->walks_in_window++;
	c->walks++;
	s->err = c->walk(c->ctx, ino, &s->inv, s->why, sizeof(s->why)) ? -1 : 0;
	return answer(s, why, len);
}

void nt_hookcache_free(struct nt_hookcache *c)
{
	struct nt_hookcache_slot *s;

	for (s = c->slot; s < c->slot + NT_HOOKCACHE_SLOTS; s++)
		if (s->ino && !s->err)
			nt_hooks_inv_free(&s->inv);
	memset(c->slot, 0, sizeof(c->slot));
}
