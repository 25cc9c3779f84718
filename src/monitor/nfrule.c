// SPDX-License-Identifier: GPL-2.0
/*
 * Which hook and which nft rule drop what. The kernel counts every netfilter
 * drop (NETFILTER_DROP) by its flow's shape (namespace, addresses, protocol,
 * destination port) with the stack it was freed on; the stack's first
 * caller of the hooks (ip_rcv, ip_forward, ...) names the hook, exactly, for
 * every drop. The rule is learned per shape: a sample of a new shape starts an
 * nft trace in its namespace (src/netfilter/nftrace/) that matches that shape
 * only; the first trace with a drop verdict names the table, chain and rule
 * (or the chain's policy), and the trace stops. From then on the shape's
 * count, the part before the trace included, is credited to that rule. Shapes
 * that send no second packet within MON_LEARN_NS, and drops outside nft
 * (iptables-legacy, conntrack), stay counted by hook only. Tracing every
 * packet instead would cost a netlink message per rule per packet; nft rule
 * counters exist only on rules that have a counter.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record/event.h"
#include "monitor.skel.h"
#include "monitor/monitor_int.h"
#include "netfilter/inventory/inventory.h"
#include "netns/netns.h"
#include "netfilter/nftrace/nftrace.h"
#include "util/log.h"

#define L(...) ((const char *const[]){__VA_ARGS__})

/* The functions that run a hook (NF_HOOK and the like inlined in them). */
static const struct {
	const char *sym;
	unsigned char family; /* enum nt_hook_family */
	unsigned char hook;
} callers[] = {
	{"ip_rcv", NT_HF_IPV4, 0},	    {"ip_sublist_rcv", NT_HF_IPV4, 0},
	{"ip_list_rcv", NT_HF_IPV4, 0},	    {"ip_local_deliver", NT_HF_IPV4, 1},
	{"ip_forward", NT_HF_IPV4, 2},	    {"__ip_local_out", NT_HF_IPV4, 3},
	{"ip_local_out", NT_HF_IPV4, 3},    {"ip_output", NT_HF_IPV4, 4},
	{"ip_mc_output", NT_HF_IPV4, 4},    {"ipv6_rcv", NT_HF_IPV6, 0},
	{"ip6_sublist_rcv", NT_HF_IPV6, 0}, {"ipv6_list_rcv", NT_HF_IPV6, 0},
	{"ip6_input", NT_HF_IPV6, 1},	    {"ip6_forward", NT_HF_IPV6, 2},
	{"__ip6_local_out", NT_HF_IPV6, 3}, {"ip6_local_out", NT_HF_IPV6, 3},
	{"ip6_xmit", NT_HF_IPV6, 3},	    {"ip6_output", NT_HF_IPV6, 4},
};

/* The hook of stack @id: family * 8 + hook + 1, or -1 when it names none. */
static int stack_hook(struct nt_mon *m, __s32 id)
{
	__u64 ips[NT_MAX_STACK] = {}, off;
	const char *sym;
	size_t i, c;
	int fd;

	if (id < 0 || id >= NT_MON_STACKS)
		return -1;
	if (m->stack_hook[id])
		return m->stack_hook[id];
	fd = bpf_map__fd(m->skel->maps.nt_mon_stacks);
	m->stack_hook[id] = -1;
	if (bpf_map_lookup_elem(fd, &id, ips))
		return -1;
	for (i = 0; i < NT_MAX_STACK && ips[i]; i++) {
		sym = nt_ksyms_find(&m->s->ksyms, ips[i], &off);
		for (c = 0; sym && c < sizeof(callers) / sizeof(callers[0]); c++)
			if (!strcmp(sym, callers[c].sym))
				return m->stack_hook[id] =
					       callers[c].family * 8 + callers[c].hook + 1;
	}
	return -1;
}

static void rule_credit(struct nt_mon *m, const struct mon_rule *r, unsigned long long n)
{
	char ns[16], handle[24];

	snprintf(ns, sizeof(ns), "%u", r->netns);
	snprintf(handle, sizeof(handle), "%llu", (unsigned long long)r->handle);
	nt_metric_add(
		&m->metrics[M_NFT_RULE],
		L(ns, mon_netns_name(m, r->netns), r->family, r->table, r->chain, handle, r->text),
		n);
}

static struct mon_shape *shape_of(struct nt_mon *m, const struct nt_mon_nfkey *k, bool create)
{
	struct nt_mon_nfkey s = *k;

	s.stackid = 0;
	return nt_bytemap_get(&m->shapes, &s, create);
}

static void credit_nf(struct nt_mon *m, const void *key, unsigned long long n)
{
	const struct nt_mon_nfkey *k = key;
	char ns[16], fam[8] = "unknown", hook[16] = "unknown";
	struct mon_shape *sh;
	int h = stack_hook(m, k->stackid);

	if (h > 0) {
		snprintf(fam, sizeof(fam), "%s", nt_hook_family_name((h - 1) / 8));
		snprintf(hook, sizeof(hook), "%s", nt_hook_point_name((h - 1) / 8, (h - 1) % 8));
	}
	snprintf(ns, sizeof(ns), "%u", k->netns);
	nt_metric_add(&m->metrics[M_NF], L(ns, mon_netns_name(m, k->netns), fam, hook), n);
	sh = shape_of(m, k, true);
	if (!sh)
		return;
	if (sh->state == SHAPE_LEARNED)
		rule_credit(m, &m->rules[sh->rule], n);
	else
		sh->pending += n;
}

/* When the shapes fill up, those not learned (nor being learned) are let go. */
static void shapes_trim(struct nt_mon *m)
{
	const struct nt_mon_nfkey *k;
	struct mon_shape *sh;
	size_t pos = 0;

	if (m->shapes.n < m->shapes.max * 3 / 4)
		return;
	while ((k = nt_bytemap_next(&m->shapes, &pos, (void **)&sh))) {
		if (sh->state != SHAPE_LEARNED && sh->state != SHAPE_LEARNING)
			nt_bytemap_del(&m->shapes, k);
		else
			pos++;
	}
}

int mon_nf_read(struct nt_mon *m, __u64 now)
{
	int fd = bpf_map__fd(m->skel->maps.nt_mon_nf);

	shapes_trim(m);
	mon_read_percpu(m, fd, &m->nfkeys, sizeof(struct nt_mon_nfkey), sizeof(__u64), now,
			credit_nf);
	mon_prune(fd, &m->nfkeys, now);
	return 0;
}

static void shape_from_event(const struct nt_event *e, struct nt_mon_nfkey *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->saddr, e->flow.saddr, 16);
	memcpy(k->daddr, e->flow.daddr, 16);
	k->netns = e->netns;
	k->l3proto = e->flow.l3proto;
	k->l4proto = e->flow.l4proto;
	k->dport = e->flow.dport;
}

/* The filter that matches a shape: its addresses, protocol and destination port. */
static void shape_filter(const struct nt_mon_nfkey *k, struct nt_filter *f)
{
	int v6 = k->l3proto == 0x86DD;

	memset(f, 0, sizeof(*f));
	f->mask = NT_F_SADDR | NT_F_DADDR | NT_F_L3PROTO;
	f->l3proto = k->l3proto;
	memcpy(f->saddr.addr, k->saddr, 16);
	memcpy(f->daddr.addr, k->daddr, 16);
	f->saddr.family = f->daddr.family = v6 ? 6 : 4;
	f->saddr.plen = f->daddr.plen = v6 ? 128 : 32;
	if (k->l4proto) {
		f->mask |= NT_F_L4PROTO;
		f->l4proto = k->l4proto;
	}
	if (k->dport && (k->l4proto == 6 || k->l4proto == 17 || k->l4proto == 132)) {
		f->mask |= NT_F_DPORT;
		f->dport = k->dport;
	}
}

static int rule_find_add(struct nt_mon *m, const struct mon_rule *r)
{
	size_t i;

	for (i = 0; i < m->nrules; i++)
		if (m->rules[i].netns == r->netns && m->rules[i].handle == r->handle &&
		    !strcmp(m->rules[i].family, r->family) &&
		    !strcmp(m->rules[i].table, r->table) && !strcmp(m->rules[i].chain, r->chain))
			return i;
	if (m->nrules == MON_RULES)
		return -1;
	m->rules[m->nrules] = *r;
	return m->nrules++;
}

static void learner_stop(struct mon_learner *l)
{
	nt_nftrace_stop(l->t);
	l->t = NULL;
}

static void on_trace(void *ctx, const struct nt_nftrace_event *e)
{
	struct mon_learner *l = ctx;
	struct nt_mon *m = l->m;
	struct mon_shape *sh;
	struct mon_rule r = {};
	const char *fam;
	int idx;

	if (!l->t || strcmp(e->verdict, "drop") ||
	    (e->type != NT_NFTRACE_RULE && e->type != NT_NFTRACE_POLICY))
		return;
	r.netns = l->shape.netns;
	fam = nt_nft_family_name(e->family);
	snprintf(r.family, sizeof(r.family), "%s", fam ? fam : "?");
	snprintf(r.table, sizeof(r.table), "%s", e->table);
	snprintf(r.chain, sizeof(r.chain), "%s", e->chain);
	r.handle = e->type == NT_NFTRACE_RULE ? e->handle : 0;
	snprintf(r.text, sizeof(r.text), "%.159s",
		 e->type == NT_NFTRACE_POLICY ? "policy drop"
		 : e->rule[0]		      ? e->rule
					      : "?");
	idx = rule_find_add(m, &r);
	sh = nt_bytemap_get(&m->shapes, &l->shape, false);
	nt_metric_add(&m->metrics[M_LEARN], L(idx < 0 ? "too_many_rules" : "learned"), 1);
	if (sh && idx >= 0) {
		sh->state = SHAPE_LEARNED;
		sh->rule = idx;
		rule_credit(m, &m->rules[idx], sh->pending);
		sh->pending = 0;
	} else if (sh) {
		sh->state = SHAPE_UNKNOWN;
		sh->retry = mon_now() + MON_RETRY_NS;
	}
	learner_stop(l);
}

/* Starts an nft trace of shape @k in its namespace. */
static void learn(struct nt_mon *m, struct mon_shape *sh, const struct nt_mon_nfkey *k, __u64 now)
{
	struct mon_learner *l = NULL;
	char path[300], why[256];
	struct nt_filter f;
	size_t i;
	int fd, err;

	for (i = 0; i < MON_LEARNERS; i++) {
		if (m->learners[i].t && m->learners[i].shape.netns == k->netns)
			return; /* one trace per namespace at a time: its table's name */
		if (!m->learners[i].t && !l)
			l = &m->learners[i];
	}
	if (!l)
		return;
	sh->state = SHAPE_UNKNOWN;
	sh->retry = now + MON_RETRY_NS;
	if (nt_netns_find(k->netns, true, path, sizeof(path)))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	shape_filter(k, &f);
	err = nt_nftrace_start(&l->t, &f, fd, why, sizeof(why));
	close(fd);
	if (err) {
		nt_debug("netns %u: no nft trace for a dropped flow: %s", k->netns, why);
		nt_metric_add(&m->metrics[M_LEARN], L(err == -ENOENT ? "no_nftables" : "failed"),
			      1);
		return;
	}
	sh->state = SHAPE_LEARNING;
	l->shape = *k;
	l->deadline = now + MON_LEARN_NS;
	l->m = m;
}

void mon_nf_sample(struct nt_mon *m, const struct nt_event *e, __u64 now)
{
	struct nt_mon_nfkey k;
	struct mon_shape *sh;

	shape_from_event(e, &k);
	sh = nt_bytemap_get(&m->shapes, &k, true);
	if (!sh)
		return;
	if (sh->state == SHAPE_NEW || (sh->state == SHAPE_UNKNOWN && now >= sh->retry))
		learn(m, sh, &k, now);
}

const char *mon_nf_rule_text(struct nt_mon *m, const struct nt_event *e, char *buf, size_t len)
{
	const struct mon_rule *r;
	struct nt_mon_nfkey k;
	struct mon_shape *sh;

	shape_from_event(e, &k);
	sh = nt_bytemap_get(&m->shapes, &k, false);
	if (!sh || sh->state != SHAPE_LEARNED)
		return NULL;
	r = &m->rules[sh->rule];
	if (r->handle)
		snprintf(buf, len, "nft table %s %s chain %s rule '%s' (handle %llu)", r->family,
			 r->table, r->chain, r->text, (unsigned long long)r->handle);
	else
		snprintf(buf, len, "nft table %s %s chain %s policy drop", r->family, r->table,
			 r->chain);
	return buf;
}

void mon_nf_tick(struct nt_mon *m, __u64 now)
{
	struct mon_learner *l;
	struct mon_shape *sh;
	size_t i;

	for (i = 0; i < MON_LEARNERS; i++) {
		l = &m->learners[i];
		if (!l->t)
			continue;
		nt_nftrace_read(l->t, on_trace, l);
		if (l->t && now >= l->deadline) {
			sh = nt_bytemap_get(&m->shapes, &l->shape, false);
			if (sh && sh->state == SHAPE_LEARNING) {
				sh->state = SHAPE_UNKNOWN;
				sh->retry = now + MON_RETRY_NS;
			}
			nt_metric_add(&m->metrics[M_LEARN], L("timeout"), 1);
			learner_stop(l);
		}
	}
}

void mon_nf_release(struct nt_mon *m, __u32 netns)
{
	const struct nt_mon_nfkey *k;
	size_t i, pos = 0;

	for (i = 0; i < MON_LEARNERS; i++)
		if (m->learners[i].t && m->learners[i].shape.netns == netns)
			learner_stop(&m->learners[i]);
	while ((k = nt_bytemap_next(&m->shapes, &pos, NULL))) {
		if (k->netns == netns)
			nt_bytemap_del(&m->shapes, k);
		else
			pos++;
	}
	/* The rules stay (their series went with the namespace's): indexes must hold. */
}

void mon_nf_stop(struct nt_mon *m)
{
	size_t i;

	for (i = 0; i < MON_LEARNERS; i++)
		if (m->learners[i].t)
			learner_stop(&m->learners[i]);
}
