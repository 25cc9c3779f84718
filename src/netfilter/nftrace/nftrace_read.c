// SPDX-License-Identifier: GPL-2.0
/*
 * Reading trace messages: each becomes an event with its rule's text (listed
 * through libnftables in the traced namespace, cached), the hook of its pass,
 * interface names and the packet.
 *
 * The kernel (6.x) dumps the packet and interfaces only in the first message
 * of each chain a packet passes, and marks the end of a chain reached without
 * a verdict by a rule message without a handle: before a base chain's policy
 * (dropped here: the policy message follows) or a regular chain's implicit
 * return (reported as NT_NFTRACE_RETURN, "return").
 */
#ifndef NT_NO_NFTABLES
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <nftables/libnftables.h>
#include "netfilter/nftrace/nftrace_int.h"

#define MAX_BATCH 256 /* datagrams per nt_nftrace_read() */

/* Lists a table with libnftables (in the namespace of its socket) into the cache. */
static void list_table(struct nt_nftrace *t, int family, const char *table)
{
	const char *fam = nt_nft_family_name(family), *c;
	char cmd[128];

	/* nft takes table names as bare identifiers only. */
	for (c = table; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || strchr("_-./", *c)))
			break;
	if (!fam || !*table || *c) {
		nt_nft_rules_add_listing(t->rules, family, table, "");
		return;
	}
	snprintf(cmd, sizeof(cmd), "list table %s %s", fam, table);
	if (nft_run_cmd_from_buffer(t->nft, cmd))
		nt_nft_rules_add_listing(t->rules, family, table, "");
	else
		nt_nft_rules_add_listing(t->rules, family, table, nft_ctx_get_output_buffer(t->nft));
}

static void ifname(struct nt_nftrace *t, __u32 ifindex, char *name)
{
	struct ifreq ifr = { .ifr_ifindex = (int)ifindex };

	name[0] = '\0';
	if (ifindex && t->ifsock >= 0 && !ioctl(t->ifsock, SIOCGIFNAME, &ifr))
		snprintf(name, NT_IFNAMSIZ, "%s", ifr.ifr_name);
}

/* Interface names, as the pass knows them or from the kernel. */
static void names(struct nt_nftrace *t, struct nt_nftrace_event *e, const struct nt_nft_pass *p)
{
	if (e->iif && e->iif == p->iif && p->iifname[0])
		memcpy(e->iifname, p->iifname, sizeof(e->iifname));
	else
		ifname(t, e->iif, e->iifname);
	if (e->oif && e->oif == p->oif && p->oifname[0])
		memcpy(e->oifname, p->oifname, sizeof(e->oifname));
	else
		ifname(t, e->oif, e->oifname);
}

/*
 * Keeps what a packet's pass told so far: the hook of its base chain (a
 * regular chain has none of its own) and its packet dump, given to the
 * messages that come without one.
 */
static struct nt_nft_pass *track(struct nt_nftrace *t, struct nt_nftrace_event *e, int hook,
				 bool ours)
{
	struct nt_nft_pass *p = NULL;
	unsigned int i;

	for (i = 0; i < NT_NFT_ID_SLOTS; i++)
		if (t->pass[i].used && t->pass[i].id == e->id) {
			p = &t->pass[i];
			break;
		}
	if (!p) {
		if (!ours && hook < 0 && !e->packet[0])
			return NULL;
		p = &t->pass[t->pass_next++ % NT_NFT_ID_SLOTS];
		memset(p, 0, sizeof(*p));
		p->used = true;
		p->id = e->id;
		p->hook = 0xff;
	}
	p->ours |= ours;
	if (hook >= 0)
		p->hook = (__u8)hook;
	e->hook = p->hook;
	if (e->packet[0]) {
		names(t, e, p);
		p->iif = e->iif;
		p->oif = e->oif;
		memcpy(p->iifname, e->iifname, sizeof(p->iifname));
		memcpy(p->oifname, e->oifname, sizeof(p->oifname));
		memcpy(p->packet, e->packet, sizeof(p->packet));
		p->pkt = e->pkt;
	} else if (!e->iif && !e->oif) {
		e->iif = p->iif;
		e->oif = p->oif;
		memcpy(e->iifname, p->iifname, sizeof(e->iifname));
		memcpy(e->oifname, p->oifname, sizeof(e->oifname));
		memcpy(e->packet, p->packet, sizeof(e->packet));
		e->pkt = p->pkt;
	} else {
		names(t, e, p);
	}
	return p;
}

static void on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nt_nftrace *t = data;
	struct nt_nftrace_event e;
	struct nt_nft_pass *pass;
	const char *text;
	int hook, n;

	if (nt_nftrace_parse_msg(nlh, &e))
		return;
	if (e.family == 1 && !strcmp(e.table, t->table)) { /* ours: chains named by hook */
		/*
		 * Our rule (the filter, then nftrace set 1) matched: the packet is
		 * ours. Our chain's policy alone is traced for packets another
		 * tracer marked before it.
		 */
		track(t, &e, nt_nft_hook_number(1, e.chain),
		      e.type == NT_NFTRACE_RULE && e.handle);
		return;
	}
	n = nt_nft_rules_listed(t->rules, e.family, e.table);
	if (!n)
		list_table(t, e.family, e.table);
	text = nt_nft_rules_find(t->rules, e.family, e.table, e.chain, e.handle);
	hook = nt_nft_rules_hook(t->rules, e.family, e.table, e.chain);
	if (n == 1 && ((!text && e.handle) || hook == -2)) {
		/* Listed before, but this rule or chain is not in it: list again, once. */
		list_table(t, e.family, e.table);
		text = nt_nft_rules_find(t->rules, e.family, e.table, e.chain, e.handle);
		hook = nt_nft_rules_hook(t->rules, e.family, e.table, e.chain);
	}
	snprintf(e.rule, sizeof(e.rule), "%s", text ? text : "");
	pass = track(t, &e, hook, false);
	/*
	 * Trace messages go to every listener of the namespace: those of packets
	 * another tracer marked (another nettrace, `nft monitor trace` users)
	 * are not ours to show.
	 */
	if (!pass || !pass->ours)
		return;
	if (e.type == NT_NFTRACE_RULE && !e.handle) { /* the end of a chain */
		if (hook >= 0)
			return; /* a base chain: its policy follows */
		e.type = NT_NFTRACE_RETURN;
		if (hook == -1)
			snprintf(e.verdict, sizeof(e.verdict), "return");
	}
	t->cb(t->ctx, &e);
	t->count++;
}

/* Any ruleset change in the namespace makes the cached rule texts stale. */
static void drain_changes(struct nt_nftrace *t)
{
	int i, fd = mnl_socket_get_fd(t->gen);
	bool changed = false;
	ssize_t n;

	for (i = 0; i < 4096; i++) {
		n = recv(fd, t->buf, sizeof(t->buf), MSG_DONTWAIT);
		if (n > 0 || (n < 0 && errno == ENOBUFS))
			changed = true;
		else if (n == 0 || errno != EINTR)
			break;
	}
	if (changed)
		nt_nft_rules_clear(t->rules);
}

int nt_nftrace_read(struct nt_nftrace *t, void (*cb)(void *ctx, const struct nt_nftrace_event *e),
		    void *ctx)
{
	int i, fd = mnl_socket_get_fd(t->trace);
	ssize_t n;

	drain_changes(t);
	t->cb = cb;
	t->ctx = ctx;
	t->count = 0;
	for (i = 0; i < MAX_BATCH; i++) {
		n = recv(fd, t->buf, sizeof(t->buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				t->lost++;
				continue;
			}
			return t->count ? t->count : -errno;
		}
		if (n == 0)
			break;
		nt_nftrace_each_msg(t->buf, (size_t)n, on_msg, t);
	}
	return t->count;
}
#endif /* NT_NO_NFTABLES */
