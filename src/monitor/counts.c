// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's per-CPU counters, read once a second: each key's growth since
 * the last read goes to its metric series and to its report kind's fold
 * window. Keys idle for long are deleted from the kernel map (their series
 * keep their totals), so that the map keeps room for new ones.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record/event.h"
#include "monitor.skel.h"
#include "monitor/monitor_int.h"
#include "packet/names.h"

#define L(...) ((const char *const[]){__VA_ARGS__})

void mon_location(const struct nt_mon *m, __u64 addr, char *buf, size_t len)
{
	__u64 off;
	const char *sym = nt_ksyms_find(&m->s->ksyms, addr, &off);

	snprintf(buf, len, "%s", sym ? sym : "unknown");
}

static void lower(char *buf, const char *s, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = tolower((unsigned char)s[i]);
	buf[i] = '\0';
}

void mon_protocol(__u16 l3proto, __u8 l4proto, char *buf, size_t len)
{
	const char *name;

	if (l3proto == 0x0800 || l3proto == 0x86DD) {
		name = nt_ipproto_name(l4proto);
		if (name && l4proto) {
			lower(buf, name, len);
			return;
		}
		snprintf(buf, len, "%s", l3proto == 0x0800 ? "ipv4" : "ipv6");
		return;
	}
	name = l3proto ? nt_ethertype_name(l3proto) : NULL;
	if (name)
		lower(buf, name, len);
	else
		snprintf(buf, len, "%s", l3proto ? "other" : "unknown");
}

/* The report kind of a key; the reason's name into @reason ("" if none). */
const char *mon_kind_name(const struct nt_mon *m, const struct nt_mon_key *k, char *reason,
			  size_t len)
{
	reason[0] = '\0';
	switch (k->kind) {
	case NT_MON_DROP:
		if (m->s->has_reasons)
			nt_reason_format(&m->s->reasons, k->reason, reason, len);
		if (!strcmp(reason, "NETFILTER_DROP"))
			return "netfilter-drop";
		if (!strncmp(reason, "QDISC", 5))
			return "qdisc-drop";
		return "drop";
	case NT_MON_TCP_RESET:
		return "tcp-reset";
	case NT_MON_TCP_RETRANS:
		return "tcp-retransmit";
	case NT_MON_SOCK_RCVQ_FULL:
	case NT_MON_UDP_QUEUE_FAIL:
		return "socket-overflow";
	}
	return "other";
}

/* Adds @n hits of @k to its metrics. */
static void credit(struct nt_mon *m, const struct nt_mon_key *k, unsigned long long n)
{
	char reason[64], loc[64], ns[16], proto[16], dev[NT_MON_DEVLEN + 1];
	const char *name = mon_netns_name(m, k->netns);

	mon_kind_name(m, k, reason, sizeof(reason));
	snprintf(ns, sizeof(ns), "%u", k->netns);
	snprintf(dev, sizeof(dev), "%.*s", NT_MON_DEVLEN, k->dev);
	mon_protocol(k->l3proto, k->l4proto, proto, sizeof(proto));
	switch (k->kind) {
	case NT_MON_DROP:
		mon_location(m, k->location, loc, sizeof(loc));
		nt_metric_add(&m->metrics[M_DROPS], L(reason, loc, ns, name, dev, proto), n);
		if (!strncmp(reason, "QDISC", 5))
			nt_metric_add(&m->metrics[M_QDISC], L(reason, ns, name, dev), n);
		break;
	case NT_MON_TCP_RESET:
		nt_metric_add(&m->metrics[M_RESETS], L(ns, name, dev), n);
		break;
	case NT_MON_TCP_RETRANS:
		nt_metric_add(&m->metrics[M_RETRANS], L(ns, name, dev), n);
		break;
	case NT_MON_SOCK_RCVQ_FULL:
		nt_metric_add(&m->metrics[M_SOCKET], L(ns, name, proto, "sock_rcvqueue_full"), n);
		break;
	case NT_MON_UDP_QUEUE_FAIL:
		nt_metric_add(&m->metrics[M_SOCKET], L(ns, name, proto, "udp_fail_queue_rcv_skb"),
			      n);
		break;
	}
	nt_fold_seen(&m->fold, k, n, mon_now());
}

/* The sum over CPUs of a per-CPU value whose first member is a count. */
static unsigned long long percpu_sum(const struct nt_mon *m, size_t stride)
{
	unsigned long long sum = 0;
	int cpu;

	for (cpu = 0; cpu < m->ncpu; cpu++)
		sum += *(const __u64 *)((const char *)m->vals + cpu * stride);
	return sum;
}

/* Reads @fd's keys (@key_size bytes), crediting each one's growth with @fn. */
int mon_read_percpu(struct nt_mon *m, int fd, struct nt_bytemap *seen, size_t key_size,
		    size_t val_size, __u64 now,
		    void (*fn)(struct nt_mon *m, const void *key, unsigned long long n))
{
	unsigned char key[64], next[64], *prev = NULL;
	size_t stride = (val_size + 7) & ~(size_t)7;
	struct mon_keyval *kv;
	unsigned long long total;

	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, key_size);
		prev = key;
		if (bpf_map_lookup_elem(fd, key, m->vals))
			continue;
		total = percpu_sum(m, stride);
		kv = nt_bytemap_get(seen, key, true);
		if (!kv)
			continue; /* more keys than the kernel map holds: cannot be */
		if (total != kv->last) {
			fn(m, key, total > kv->last ? total - kv->last : total);
			kv->last = total;
			kv->active = now;
		} else if (!kv->active) {
			kv->active = now;
		}
	}
	return 0;
}

/* Deletes the keys of @fd not grown for MON_IDLE_NS, here and in the kernel. */
void mon_prune(int fd, struct nt_bytemap *seen, __u64 now)
{
	struct mon_keyval *kv;
	const void *key;
	size_t pos = 0;

	while ((key = nt_bytemap_next(seen, &pos, (void **)&kv))) {
		if (now - kv->active < MON_IDLE_NS) {
			pos++;
			continue;
		}
		bpf_map_delete_elem(fd, key);
		nt_bytemap_del(seen, key);
	}
}

static void credit_key(struct nt_mon *m, const void *key, unsigned long long n)
{
	credit(m, key, n);
}

int mon_counts_read(struct nt_mon *m, __u64 now)
{
	int fd = bpf_map__fd(m->skel->maps.nt_mon_counts);
	__u64 full[NT_MON_FULL_SLOTS] = {};
	__u32 i;

	mon_read_percpu(m, fd, &m->keys, sizeof(struct nt_mon_key), sizeof(struct nt_mon_val), now,
			credit_key);
	mon_prune(fd, &m->keys, now);
	/* Counts that found a map full. */
	fd = bpf_map__fd(m->skel->maps.nt_mon_full);
	for (i = 0; i < NT_MON_FULL_SLOTS; i++) {
		if (bpf_map_lookup_elem(fd, &i, m->vals))
			continue;
		full[i] = percpu_sum(m, sizeof(__u64));
	}
	nt_metric_set(&m->metrics[M_FULL], L("netfilter_shapes"), full[0]);
	for (i = 1, full[0] = 0; i < NT_MON_FULL_SLOTS; i++)
		full[0] += full[i];
	nt_metric_set(&m->metrics[M_FULL], L("counts"), full[0]);
	return 0;
}
