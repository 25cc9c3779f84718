// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic control: a device's root qdisc (RTM_GETQDISC), and what runs on
 * its ingress or egress: tcx programs (bpf_prog_query, 6.6+), then the tc
 * filters of clsact or ingress (RTM_GETTFILTER), then on egress the filters
 * of the root qdisc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/gen_stats.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include "facts/facts_int.h"

/* tcx attach types (uapi of 6.6; Debian 12's headers predate them). */
#define NT_BPF_TCX_INGRESS 46
#define NT_BPF_TCX_EGRESS  47
#define TCX_MAX		   32

static void scaled(double v, const char *const units[4], struct strbuf *out)
{
	int i = 0;

	while (i < 3 && v >= 1000) {
		v /= 1000;
		i++;
	}
	sb_printf(out, "%.4g%s", v, units[i]);
}

void nt_facts_rate_text(__u64 bits, struct strbuf *out)
{
	static const char *const units[4] = {"bit", "Kbit", "Mbit", "Gbit"};

	scaled((double)bits, units, out);
}

void nt_facts_time_text(__u64 ns, struct strbuf *out)
{
	static const char *const units[4] = {"ns", "us", "ms", "s"};

	scaled((double)ns, units, out);
}

/* The string attribute @a, "" if absent. */
static void str_attr(const struct nlattr *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (a)
		snprintf(buf, len, "%.*s", (int)strnlen(nt_facts_nla_data(a), nt_facts_nla_len(a)),
			 (const char *)nt_facts_nla_data(a));
}

/* A struct at the start of @a, if it is long enough. */
static const void *struct_attr(const struct nlattr *a, size_t size)
{
	return a && nt_facts_nla_len(a) >= size ? nt_facts_nla_data(a) : NULL;
}

static void netem_text(const struct nlattr *opts, struct strbuf *out)
{
	const struct tc_netem_qopt *q = struct_attr(opts, sizeof(*q));
	const struct nlattr *tb[TCA_NETEM_MAX + 1];
	const struct tc_netem_rate *rate;
	size_t skip = NLA_ALIGN(sizeof(*q));
	__u64 v;

	if (!q)
		return;
	sb_printf(out, " limit %up", q->limit);
	/* netem's nested attributes follow its struct */
	if (nt_facts_nla_len(opts) > skip)
		nt_facts_nl_parse((const char *)q + skip, nt_facts_nla_len(opts) - skip, tb,
				  TCA_NETEM_MAX);
	else
		memset(tb, 0, sizeof(tb));
	if (struct_attr(tb[TCA_NETEM_LATENCY64], sizeof(v))) {
		memcpy(&v, nt_facts_nla_data(tb[TCA_NETEM_LATENCY64]), sizeof(v));
		if (v) {
			sb_puts(out, " delay ");
			nt_facts_time_text(v, out);
		}
	}
	if (q->loss)
		sb_printf(out, " loss %.4g%%", q->loss * 100.0 / 4294967295.0);
	rate = struct_attr(tb[TCA_NETEM_RATE], sizeof(*rate));
	if (struct_attr(tb[TCA_NETEM_RATE64], sizeof(v)))
		memcpy(&v, nt_facts_nla_data(tb[TCA_NETEM_RATE64]), sizeof(v));
	else
		v = rate ? rate->rate : 0;
	if (v) {
		sb_puts(out, " rate ");
		nt_facts_rate_text(v * 8, out);
	}
}

static void tbf_text(const struct nlattr *opts, struct strbuf *out)
{
	const struct nlattr *tb[TCA_TBF_MAX + 1];
	const struct tc_tbf_qopt *q;
	__u64 rate;

	nt_facts_nl_parse(nt_facts_nla_data(opts), nt_facts_nla_len(opts), tb, TCA_TBF_MAX);
	q = struct_attr(tb[TCA_TBF_PARMS], sizeof(*q));
	if (!q)
		return;
	rate = q->rate.rate;
	if (struct_attr(tb[TCA_TBF_RATE64], sizeof(rate)))
		memcpy(&rate, nt_facts_nla_data(tb[TCA_TBF_RATE64]), sizeof(rate));
	sb_printf(out, " limit %ub rate ", q->limit);
	nt_facts_rate_text(rate * 8, out);
}

/* A nested u32 attribute @type as " limit Np". */
static void nested_limit(const struct nlattr *opts, int type, struct strbuf *out)
{
	const struct nlattr *tb[32];

	nt_facts_nl_parse(nt_facts_nla_data(opts), nt_facts_nla_len(opts), tb, 31);
	if (type < 32 && tb[type])
		sb_printf(out, " limit %up", nt_facts_nla_u32(tb[type], 0));
}

static void options_text(const char *kind, const struct nlattr *opts, struct strbuf *out)
{
	const struct tc_fifo_qopt *fifo = struct_attr(opts, sizeof(*fifo));
	const struct tc_sfq_qopt *sfq = struct_attr(opts, sizeof(*sfq));

	if (!opts)
		return;
	if (fifo && (!strcmp(kind, "pfifo") || !strcmp(kind, "pfifo_head_drop")))
		sb_printf(out, " limit %up", fifo->limit);
	else if (fifo && !strcmp(kind, "bfifo"))
		sb_printf(out, " limit %ub", fifo->limit);
	else if (sfq && !strcmp(kind, "sfq"))
		sb_printf(out, " limit %up", sfq->limit);
	else if (!strcmp(kind, "netem"))
		netem_text(opts, out);
	else if (!strcmp(kind, "tbf"))
		tbf_text(opts, out);
	else if (!strcmp(kind, "fq_codel"))
		nested_limit(opts, TCA_FQ_CODEL_LIMIT, out);
	else if (!strcmp(kind, "codel"))
		nested_limit(opts, TCA_CODEL_LIMIT, out);
	else if (!strcmp(kind, "fq"))
		nested_limit(opts, TCA_FQ_PLIMIT, out);
}

void nt_facts_qdisc_text(const struct nlmsghdr *nlh, struct strbuf *out)
{
	const struct tcmsg *tcm = NLMSG_DATA(nlh);
	const struct nlattr *tb[TCA_MAX + 1], *st[TCA_STATS_MAX + 1];
	const struct gnet_stats_queue *q = NULL;
	const void *old;
	struct tc_stats ts;
	char kind[32];

	nt_facts_nl_parse(TCA_RTA(tcm), TCA_PAYLOAD(nlh), tb, TCA_MAX);
	str_attr(tb[TCA_KIND], kind, sizeof(kind));
	sb_puts(out, kind[0] ? kind : "?");
	if (!strcmp(kind, "noqueue"))
		return; /* nothing queues, nothing is counted */
	options_text(kind, tb[TCA_OPTIONS], out);
	if (tb[TCA_STATS2]) {
		nt_facts_nl_parse(nt_facts_nla_data(tb[TCA_STATS2]),
				  nt_facts_nla_len(tb[TCA_STATS2]), st, TCA_STATS_MAX);
		q = struct_attr(st[TCA_STATS_QUEUE], sizeof(*q));
	}
	/* struct tc_stats holds a __u64: attributes are only 4-byte aligned, copy it */
	old = struct_attr(tb[TCA_STATS], sizeof(ts));
	if (q) {
		sb_printf(out, " drops %u overlimits %u qlen %u", q->drops, q->overlimits, q->qlen);
	} else if (old) {
		memcpy(&ts, old, sizeof(ts));
		sb_printf(out, " drops %u overlimits %u qlen %u", ts.drops, ts.overlimits, ts.qlen);
	}
}

void nt_facts_filter_text(const struct nlmsghdr *nlh, const struct nt_facts_names *n,
			  struct strbuf *out)
{
	const struct tcmsg *tcm = NLMSG_DATA(nlh);
	const struct nlattr *tb[TCA_MAX + 1], *bpf[TCA_BPF_MAX + 1];
	char kind[32], name[256];
	__u32 id;

	nt_facts_nl_parse(TCA_RTA(tcm), TCA_PAYLOAD(nlh), tb, TCA_MAX);
	if (!tb[TCA_OPTIONS])
		return; /* the head of a priority's list, no filter */
	str_attr(tb[TCA_KIND], kind, sizeof(kind));
	sb_puts(out, kind[0] ? kind : "?");
	if (!strcmp(kind, "bpf")) {
		nt_facts_nl_parse(nt_facts_nla_data(tb[TCA_OPTIONS]),
				  nt_facts_nla_len(tb[TCA_OPTIONS]), bpf, TCA_BPF_MAX);
		id = nt_facts_nla_u32(bpf[TCA_BPF_ID], 0);
		name[0] = '\0';
		if (id) {
			sb_printf(out, " id %u", id);
			n->progname(n->ctx, id, name, sizeof(name));
		}
		if (!name[0]) /* the object's name as tc loaded it */
			str_attr(bpf[TCA_BPF_NAME], name, sizeof(name));
		if (name[0])
			sb_printf(out, " name %s", name);
	}
	sb_printf(out, " prio %u", TC_H_MAJ(tcm->tcm_info) >> 16);
}

struct qdisc_key {
	int ifindex;
	__u32 parent;
};

static bool qdisc_of(const struct nlmsghdr *nlh, const void *ctx)
{
	const struct tcmsg *tcm = NLMSG_DATA(nlh);
	const struct qdisc_key *k = ctx;

	return nlh->nlmsg_type == RTM_NEWQDISC && nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*tcm)) &&
	       tcm->tcm_ifindex == k->ifindex && tcm->tcm_parent == k->parent;
}

/* The qdisc of device @ifindex with parent @parent, as a copy (free(); NULL if none). */
static int find_qdisc(int fd, int ifindex, __u32 parent, struct nlmsghdr **copy)
{
	struct qdisc_key k = {.ifindex = ifindex, .parent = parent};
	struct {
		struct nlmsghdr nlh;
		struct tcmsg tcm;
	} req = {0};

	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.tcm));
	req.nlh.nlmsg_type = RTM_GETQDISC;
	req.nlh.nlmsg_flags = NLM_F_DUMP;
	req.tcm.tcm_ifindex = ifindex;
	return nt_facts_nl_find(fd, &req.nlh, qdisc_of, &k, copy);
}

int nt_facts_read_qdisc(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	struct nlmsghdr *root = NULL;
	int fd, ifindex, err;

	(void)netns;
	fd = nt_facts_nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	ifindex = nt_facts_ifindex(fd, a->dev);
	err = ifindex < 0 ? ifindex : find_qdisc(fd, ifindex, TC_H_ROOT, &root);
	if (!err && root)
		nt_facts_qdisc_text(root, out);
	else if (!err)
		sb_puts(out, "none");
	free(root);
	close(fd);
	return err;
}

struct filter_ctx {
	const struct nt_facts_names *names;
	struct strbuf *out;
	int ifindex;
	char last[320]; /* the entry added last */
};

static int filter_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct tcmsg *tcm = NLMSG_DATA(nlh);
	struct filter_ctx *c = ctx;
	char buf[320] = "";
	struct strbuf entry = STRBUF(buf);

	if (nlh->nlmsg_type != RTM_NEWTFILTER || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*tcm)) ||
	    tcm->tcm_ifindex != c->ifindex)
		return 0;
	nt_facts_filter_text(nlh, c->names, &entry);
	/* a u32 filter comes as its hash table and its entries, in a row: one mention */
	if (!buf[0] || !strcmp(c->last, buf))
		return 0;
	snprintf(c->last, sizeof(c->last), "%s", buf);
	nt_facts_sep(c->out);
	sb_puts(c->out, buf);
	return 0;
}

static int dump_filters(int fd, int ifindex, __u32 parent, struct filter_ctx *c)
{
	struct tcmsg tcm = {.tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex, .tcm_parent = parent};

	return nt_facts_nl_dump(fd, RTM_GETTFILTER, &tcm, sizeof(tcm), filter_cb, c);
}

/* tcx programs, in the order they run. Kernels before 6.6 have none: not an error. */
static void tcx_text(int ifindex, bool egress, const struct nt_facts_names *n, struct strbuf *out)
{
	__u32 ids[TCX_MAX], cnt = TCX_MAX, i;
	char name[64];

	if (bpf_prog_query(ifindex,
			   (enum bpf_attach_type)(egress ? NT_BPF_TCX_EGRESS : NT_BPF_TCX_INGRESS),
			   0, NULL, ids, &cnt))
		return;
	for (i = 0; i < cnt && i < TCX_MAX; i++) {
		nt_facts_sep(out);
		sb_printf(out, "tcx id %u", ids[i]);
		n->progname(n->ctx, ids[i], name, sizeof(name));
		if (name[0])
			sb_printf(out, " name %s", name);
	}
}

int nt_facts_read_tc(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	struct nt_facts_names names = nt_facts_sys_names;
	struct filter_ctx c = {.names = &names, .out = out};
	struct nlmsghdr *ingress = NULL;
	char kind[32] = "";
	const struct nlattr *tb[TCA_MAX + 1];
	int fd, err;
	__u32 parent = 0;

	(void)netns;
	fd = nt_facts_nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	names.ctx = &fd;
	c.ifindex = nt_facts_ifindex(fd, a->tc.dev);
	if (c.ifindex < 0) {
		close(fd);
		return c.ifindex;
	}
	tcx_text(c.ifindex, a->tc.egress, &names, out);
	/* clsact has an ingress and an egress list; the old ingress qdisc ingress only */
	err = find_qdisc(fd, c.ifindex, TC_H_INGRESS, &ingress);
	if (!err && ingress) {
		nt_facts_nl_parse(TCA_RTA(NLMSG_DATA(ingress)), TCA_PAYLOAD(ingress), tb, TCA_MAX);
		str_attr(tb[TCA_KIND], kind, sizeof(kind));
	}
	if (!strcmp(kind, "clsact"))
		parent = TC_H_MAKE(TC_H_CLSACT, a->tc.egress ? TC_H_MIN_EGRESS : TC_H_MIN_INGRESS);
	else if (!strcmp(kind, "ingress") && !a->tc.egress)
		parent = TC_H_MAKE(TC_H_INGRESS, 0);
	if (!err && parent)
		err = dump_filters(fd, c.ifindex, parent, &c);
	/* parent 0: the root qdisc's own filters (prio, htb, ...) */
	if (!err && a->tc.egress)
		err = dump_filters(fd, c.ifindex, 0, &c);
	if (!err && !out->len)
		sb_puts(out, "none");
	free(ingress);
	close(fd);
	return err;
}
