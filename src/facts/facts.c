// SPDX-License-Identifier: GPL-2.0
/* Reading a fact: its kind, its argument, the namespace, the cache (see facts.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "facts/facts.h"
#include "facts/facts_int.h"
#include "netns/netns.h"

struct kind {
	const char *name;
	int (*parse)(const char *s, union nt_facts_arg *a);
	int (*read)(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
};

static const struct kind kinds[] = {
	{"sysctl", nt_facts_parse_sysctl, nt_facts_read_sysctl},
	{"route", nt_facts_parse_route, nt_facts_read_route},
	{"neigh", nt_facts_parse_neigh, nt_facts_read_neigh},
	{"listen", nt_facts_parse_listen, nt_facts_read_listen},
	{"link", nt_facts_parse_dev, nt_facts_read_link},
	{"mtu", nt_facts_parse_dev, nt_facts_read_mtu},
	{"qdisc", nt_facts_parse_dev, nt_facts_read_qdisc},
	{"xdp", nt_facts_parse_dev, nt_facts_read_xdp},
	{"tc", nt_facts_parse_tc, nt_facts_read_tc},
};

#define KINDS (sizeof(kinds) / sizeof(kinds[0]))

static struct slot {
	bool used;
	__u32 netns;
	unsigned int kind; /* index in kinds[] */
	int err;
	__u64 at; /* ms, CLOCK_MONOTONIC */
	char arg[NT_FACT_KEY_MAX + 1];
	char value[NT_FACT_MAX];
} cache[NT_FACT_CACHE];

static const struct kind *find_kind(const char *name)
{
	size_t i;

	for (i = 0; name && i < KINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

bool nt_fact_kind_known(const char *kind)
{
	return find_kind(kind) != NULL;
}

const char *nt_fact_strerror(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return "unknown fact kind";
	case -EINVAL:
		return "bad argument";
	case -ESRCH:
		return "no such network namespace";
	case -ENODEV:
		return "no such device";
	case -ENOENT:
		return "no such sysctl";
	case -ENOTRECOVERABLE:
		return "could not return to nettrace's network namespace";
	default:
		return strerror(-err);
	}
}

void nt_fact_cache_clear(void)
{
	memset(cache, 0, sizeof(cache));
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000 + (__u64)ts.tv_nsec / 1000000;
}

/* The live slot of this key, or NULL. */
static struct slot *lookup(__u32 netns, unsigned int kind, const char *arg, __u64 now)
{
	struct slot *s;

	for (s = cache; s < cache + NT_FACT_CACHE; s++)
		if (s->used && s->netns == netns && s->kind == kind &&
		    now - s->at < NT_FACT_TTL_MS && !strcmp(s->arg, arg))
			return s;
	return NULL;
}

/* A free or expired slot, else the oldest. */
static struct slot *victim(__u64 now)
{
	struct slot *s, *old = cache;

	for (s = cache; s < cache + NT_FACT_CACHE; s++) {
		if (!s->used || now - s->at >= NT_FACT_TTL_MS)
			return s;
		if (s->at < old->at)
			old = s;
	}
	return old;
}

/* Copies @v into @out; a value cut short ends in "...". */
static void put(char *out, size_t len, const char *v)
{
	size_t n = strlen(v);

	if (!out || !len)
		return;
	if (n < len) {
		memcpy(out, v, n + 1);
		return;
	}
	memcpy(out, v, len - 1);
	out[len - 1] = '\0';
	if (len > 3)
		memcpy(out + len - 4, "...", 3);
}

/* nettrace's own namespace: the process's, which does not change. */
static __u32 own_netns(void)
{
	static __u32 own;

	if (!own)
		own = nt_netns_self();
	return own;
}

/* Reads kind @k in namespace @inum into @v. */
static int read_in(__u32 inum, const struct kind *k, const union nt_facts_arg *a, struct strbuf *v)
{
	struct nt_netns_home home;
	int err, back;
	bool moved;

	err = nt_facts_ns_enter(inum, &home);
	if (err)
		return err;
	moved = home.fd >= 0;
	err = k->read(a, inum, v);
	back = nt_facts_ns_return(&home);
	if (back)
		return back;
	/*
	 * Host-wide sysctls (net.core.netdev_max_backlog, rmem_max, ...) are
	 * shown in the first namespace only, and apply to all: read there. Not
	 * a device's: another device of that name would answer.
	 */
	if (err == -ENOENT && moved && k->read == nt_facts_read_sysctl &&
	    !nt_facts_sysctl_of_dev(a->sysctl)) {
		v->len = 0;
		v->s[0] = '\0';
		err = k->read(a, own_netns(), v);
	}
	return err;
}

int nt_fact_read(__u32 netns, const char *kind, const char *arg, char *out, size_t len)
{
	const struct kind *k = find_kind(kind);
	char value[NT_FACT_MAX] = "";
	struct strbuf v = STRBUF(value);
	union nt_facts_arg a;
	__u64 now = now_ms();
	struct slot *s;
	int err;

	if (!k || !arg) {
		put(out, len, "?");
		return k ? -EINVAL : -EOPNOTSUPP;
	}
	if (nt_facts_ns_stranded()) { /* no value is worth reading in the wrong namespace */
		put(out, len, "?");
		return -ENOTRECOVERABLE;
	}
	if (!netns)
		netns = own_netns();
	s = lookup(netns, (unsigned int)(k - kinds), arg, now);
	if (s) {
		put(out, len, s->value);
		return s->err;
	}
	err = k->parse(arg, &a);
	if (!err)
		err = read_in(netns, k, &a, &v);
	if (v.len == v.size - 1) /* cut: say so */
		memcpy(value + v.len - 3, "...", 3);
	if (err || !value[0])
		snprintf(value, sizeof(value), "?");
	if (err != -ENOTRECOVERABLE && strlen(arg) <= NT_FACT_KEY_MAX) {
		s = victim(now);
		s->used = true;
		s->netns = netns;
		s->kind = (unsigned int)(k - kinds);
		s->err = err;
		s->at = now;
		snprintf(s->arg, sizeof(s->arg), "%s", arg);
		memcpy(s->value, value, sizeof(value));
	}
	put(out, len, value);
	return err;
}
