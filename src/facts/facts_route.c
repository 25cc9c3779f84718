// SPDX-License-Identifier: GPL-2.0
/*
 * The route the kernel picks (RTM_GETROUTE, as `ip route get fibmatch`) and
 * the state of a neighbour entry (RTM_GETNEIGH).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include "facts/facts_int.h"

static const char *const route_types[] = {
	[RTN_UNSPEC] = "none",
	[RTN_UNICAST] = "unicast",
	[RTN_LOCAL] = "local",
	[RTN_BROADCAST] = "broadcast",
	[RTN_ANYCAST] = "anycast",
	[RTN_MULTICAST] = "multicast",
	[RTN_BLACKHOLE] = "blackhole",
	[RTN_UNREACHABLE] = "unreachable",
	[RTN_PROHIBIT] = "prohibit",
	[RTN_THROW] = "throw",
	[RTN_NAT] = "nat",
	[RTN_XRESOLVE] = "xresolve",
};

const char *nt_facts_route_error(int err, bool input)
{
	switch (err) {
	case -ENETUNREACH:
		return "no route";
	case -EHOSTUNREACH:
		return "unreachable";
	case -EACCES:
		return "prohibit";
	case -EINVAL: /* a blackhole; on input also a martian address */
		return input ? "blackhole or martian address" : "blackhole";
	case -EXDEV: /* before 6.x; input_why() says more */
		return input ? "rejected by rp_filter" : NULL;
	default:
		return NULL;
	}
}

/* " via GW" from RTA_GATEWAY (its length gives the family) or RTA_VIA. */
static void gateway_text(const struct nlattr *gw, const struct nlattr *via, struct strbuf *out)
{
	const struct rtvia *v;

	if (gw && (nt_facts_nla_len(gw) == 4 || nt_facts_nla_len(gw) == 16)) {
		sb_puts(out, " via ");
		nt_facts_addr_text(nt_facts_nla_len(gw) == 4 ? AF_INET : AF_INET6,
				   nt_facts_nla_data(gw), false, out);
	} else if (via && nt_facts_nla_len(via) >= sizeof(*v) + 4) {
		v = nt_facts_nla_data(via);
		if ((v->rtvia_family == AF_INET && nt_facts_nla_len(via) >= sizeof(*v) + 4) ||
		    (v->rtvia_family == AF_INET6 && nt_facts_nla_len(via) >= sizeof(*v) + 16)) {
			sb_printf(out, " via %s ", v->rtvia_family == AF_INET ? "inet" : "inet6");
			nt_facts_addr_text(v->rtvia_family, v->rtvia_addr, false, out);
		}
	}
}

static void dev_text(__u32 ifindex, const struct nt_facts_names *n, struct strbuf *out)
{
	char name[IFNAMSIZ + 8];

	if (!ifindex)
		return;
	n->ifname(n->ctx, ifindex, name, sizeof(name));
	sb_printf(out, " dev %s", name);
}

/* RTA_MULTIPATH: " nexthop via A dev X nexthop via B dev Y". */
static void multipath_text(const struct nlattr *mp, const struct nt_facts_names *n,
			   struct strbuf *out)
{
	const struct rtnexthop *nh = nt_facts_nla_data(mp);
	size_t left = nt_facts_nla_len(mp);
	const struct nlattr *tb[RTA_MAX + 1];

	while (left >= sizeof(*nh) && nh->rtnh_len >= sizeof(*nh) && nh->rtnh_len <= left) {
		nt_facts_nl_parse(RTNH_DATA(nh), nh->rtnh_len - sizeof(*nh), tb, RTA_MAX);
		sb_puts(out, " nexthop");
		gateway_text(tb[RTA_GATEWAY], tb[RTA_VIA], out);
		dev_text((__u32)nh->rtnh_ifindex, n, out);
		if ((size_t)RTNH_ALIGN(nh->rtnh_len) >= left)
			break;
		left -= RTNH_ALIGN(nh->rtnh_len);
		nh = RTNH_NEXT(nh);
	}
}

void nt_facts_route_text(const struct nlmsghdr *nlh, const struct nt_facts_names *n,
			 struct strbuf *out)
{
	const struct rtmsg *rtm = NLMSG_DATA(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	int full = rtm->rtm_family == AF_INET6 ? 128 : 32;
	__u32 table;

	nt_facts_nl_parse(RTM_RTA(rtm), RTM_PAYLOAD(nlh), tb, RTA_MAX);
	if (rtm->rtm_type != RTN_UNICAST)
		sb_printf(out, "%s ",
			  rtm->rtm_type < sizeof(route_types) / sizeof(route_types[0]) &&
					  route_types[rtm->rtm_type]
				  ? route_types[rtm->rtm_type]
				  : "type?");
	if (tb[RTA_DST] && nt_facts_nla_len(tb[RTA_DST]) == (size_t)full / 8) {
		nt_facts_addr_text(rtm->rtm_family, nt_facts_nla_data(tb[RTA_DST]), false, out);
		if (rtm->rtm_dst_len != full)
			sb_printf(out, "/%u", rtm->rtm_dst_len);
	} else {
		sb_puts(out, "default");
	}
	if (tb[RTA_NH_ID])
		sb_printf(out, " nhid %u", nt_facts_nla_u32(tb[RTA_NH_ID], 0));
	if (tb[RTA_MULTIPATH]) {
		multipath_text(tb[RTA_MULTIPATH], n, out);
	} else {
		gateway_text(tb[RTA_GATEWAY], tb[RTA_VIA], out);
		dev_text(nt_facts_nla_u32(tb[RTA_OIF], 0), n, out);
	}
	if (tb[RTA_PREFSRC] && nt_facts_nla_len(tb[RTA_PREFSRC]) == (size_t)full / 8) {
		sb_puts(out, " src ");
		nt_facts_addr_text(rtm->rtm_family, nt_facts_nla_data(tb[RTA_PREFSRC]), false, out);
	}
	table = nt_facts_nla_u32(tb[RTA_TABLE], rtm->rtm_table);
	if (table == RT_TABLE_LOCAL)
		sb_puts(out, " table local");
	else if (table != RT_TABLE_MAIN)
		sb_printf(out, " table %u", table);
}

struct route_req {
	struct nlmsghdr nlh;
	struct rtmsg rtm;
	char attrs[96];
};

/*
 * RTM_GETROUTE of @dst (from @src when given, as received on @iif when not
 * 0): the matching entry as text into @out and its device into *@oif (0 for
 * a multipath route), or -errno.
 */
static int lookup(int fd, const struct nt_facts_ip *dst, const struct nt_facts_ip *src, int iif,
		  struct strbuf *out, __u32 *oif)
{
	struct nt_facts_names names = nt_facts_sys_names;
	size_t alen = dst->family == AF_INET ? 4 : 16;
	const struct nlattr *tb[RTA_MAX + 1];
	struct nlmsghdr *reply = NULL;
	struct route_req req = {0};
	const struct rtmsg *rtm;
	int err;

	names.ctx = &fd;
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rtm));
	req.nlh.nlmsg_type = RTM_GETROUTE;
	req.rtm.rtm_family = (unsigned char)dst->family;
	req.rtm.rtm_flags = RTM_F_FIB_MATCH; /* the entry that matched, not a cached host route */
	req.rtm.rtm_dst_len = (unsigned char)(alen * 8);
	nt_facts_nl_put(&req, sizeof(req), RTA_DST, dst->b, alen);
	if (src && src->family) {
		req.rtm.rtm_src_len = (unsigned char)(alen * 8);
		nt_facts_nl_put(&req, sizeof(req), RTA_SRC, src->b, alen);
	}
	if (iif)
		nt_facts_nl_put(&req, sizeof(req), RTA_IIF, &iif, sizeof(iif));
	err = nt_facts_nl_get(fd, &req.nlh, RTM_NEWROUTE, sizeof(struct rtmsg), &reply);
	if (err)
		return err;
	rtm = NLMSG_DATA(reply);
	nt_facts_nl_parse(RTM_RTA(rtm), RTM_PAYLOAD(reply), tb, RTA_MAX);
	*oif = nt_facts_nla_u32(tb[RTA_OIF], 0);
	nt_facts_route_text(reply, &names, out);
	free(reply);
	return 0;
}

/* An integer sysctl of the namespace the thread is in, -1 if unreadable. */
static int sysctl_int(const char *fmt, const char *dev)
{
	union nt_facts_arg a;
	char buf[16] = "";
	struct strbuf sb = STRBUF(buf);
	char *end;
	long v;

	snprintf(a.sysctl, sizeof(a.sysctl), fmt, dev);
	if (nt_facts_read_sysctl(&a, 0, &sb) || !buf[0])
		return -1;
	v = strtol(buf, &end, 10);
	return *end ? -1 : (int)v;
}

/*
 * Addresses a received packet may not have (ip_route_input_slow): as source
 * 0/8, 127/8, multicast and the broadcast address; as destination 0/8 and
 * 127/8 (route_localnet aside).
 */
static bool martian(const __u8 *a, bool source, bool localnet)
{
	if (a[0] == 0 || (a[0] == 127 && !localnet))
		return true;
	return source && (a[0] >= 224 && a[0] < 240 ? true : !memcmp(a, "\xff\xff\xff\xff", 4));
}

/*
 * Why an IPv4 input lookup failed, when the kernel's errno does not say:
 * forwarding off (EHOSTUNREACH for every forwarded packet), a martian
 * address (EINVAL), or the reverse path filter (EXDEV before 6.x, EINVAL like a martian since): the
 * route back to the source does not leave by @iif (strict), or there is none.
 */
static void input_why(int fd, const struct nt_facts_route_arg *r, int iif, int err,
		      struct strbuf *out)
{
	char buf[256] = "";
	struct strbuf back = STRBUF(buf);
	bool localnet;
	int rpf, all;
	__u32 oif = 0;

	if (r->dst.family != AF_INET)
		return;
	if (err == -EHOSTUNREACH && sysctl_int("net.ipv4.conf.%s.forwarding", r->iif) == 0) {
		sb_printf(out, " (forwarding off on %s)", r->iif);
		return;
	}
	if ((err != -EINVAL && err != -EXDEV) || !r->src.family)
		return;
	localnet = sysctl_int("net.ipv4.conf.%s.route_localnet", r->iif) > 0;
	if (martian(r->src.b, true, localnet) || martian(r->dst.b, false, localnet)) {
		out->len = 0;
		sb_printf(out, "martian %s",
			  martian(r->src.b, true, localnet) ? "source" : "destination");
		return;
	}
	rpf = sysctl_int("net.ipv4.conf.%s.rp_filter", r->iif);
	all = sysctl_int("net.ipv4.conf.%s.rp_filter", "all");
	if (all > rpf) /* the higher applies */
		rpf = all;
	err = rpf > 0 ? lookup(fd, &r->src, NULL, 0, &back, &oif) : 0;
	if ((err && !nt_facts_route_error(err, false)) || rpf <= 0 ||
	    (!err && (rpf == 2 || !oif || oif == (__u32)iif))) {
		/* the way back is fine: is the way on a blackhole? */
		back.len = 0;
		if (lookup(fd, &r->dst, NULL, 0, &back, &oif) == -EINVAL) {
			out->len = 0;
			sb_puts(out, "blackhole");
		}
		return;
	}
	out->len = 0;
	sb_printf(out, "rejected by rp_filter (%s, back to ", rpf == 1 ? "strict" : "loose");
	nt_facts_addr_text(AF_INET, r->src.b, false, out);
	sb_printf(out, ": %s)", err ? nt_facts_route_error(err, false) : buf);
}

int nt_facts_read_route(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	const struct nt_facts_route_arg *r = &a->route;
	const char *what;
	int fd, err, iif = 0;
	__u32 oif;

	(void)netns;
	fd = nt_facts_nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	if (r->iif[0])
		iif = nt_facts_ifindex(fd, r->iif);
	err = iif < 0 ? iif : lookup(fd, &r->dst, &r->src, iif, out, &oif);
	what = err && iif >= 0 ? nt_facts_route_error(err, iif > 0) : NULL;
	if (what) {
		sb_puts(out, what);
		if (iif > 0)
			input_why(fd, r, iif, err, out);
		err = 0;
	}
	close(fd);
	return err;
}

static const char *const nud_names[] = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY",
					"PROBE",      "FAILED",	   "NOARP", "PERMANENT"};

void nt_facts_nud_text(__u16 state, struct strbuf *out)
{
	size_t at = out->len;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (!(state & (1u << i)))
			continue;
		if (out->len > at)
			sb_puts(out, "|");
		if (i < sizeof(nud_names) / sizeof(nud_names[0]))
			sb_puts(out, nud_names[i]);
		else
			sb_printf(out, "0x%x", 1u << i);
	}
	if (out->len == at)
		sb_puts(out, "NONE");
}

#define NEIGH_MAX 8

struct neigh_ctx {
	const struct nt_facts_neigh_arg *arg;
	int ifindex; /* 0: any */
	struct {
		__u32 ifindex;
		__u16 state;
	} e[NEIGH_MAX];
	int n;
};

static int neigh_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct ndmsg *ndm = NLMSG_DATA(nlh);
	const struct nlattr *tb[NDA_MAX + 1];
	struct neigh_ctx *c = ctx;
	size_t alen = c->arg->addr.family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)) ||
	    ndm->ndm_family != c->arg->addr.family ||
	    (c->ifindex && ndm->ndm_ifindex != c->ifindex))
		return 0;
	nt_facts_nl_parse((const char *)ndm + NLMSG_ALIGN(sizeof(*ndm)),
			  nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*ndm)), tb, NDA_MAX);
	if (!tb[NDA_DST] || nt_facts_nla_len(tb[NDA_DST]) != alen ||
	    memcmp(nt_facts_nla_data(tb[NDA_DST]), c->arg->addr.b, alen) || c->n == NEIGH_MAX)
		return 0;
	c->e[c->n].ifindex = (__u32)ndm->ndm_ifindex;
	c->e[c->n].state = ndm->ndm_state;
	c->n++;
	return 0;
}

int nt_facts_read_neigh(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	struct nt_facts_names names = nt_facts_sys_names;
	struct neigh_ctx c = {.arg = &a->neigh};
	struct ndmsg ndm = {.ndm_family = (__u8)a->neigh.addr.family};
	char name[IFNAMSIZ + 8];
	int fd, err = 0, i;

	(void)netns;
	fd = nt_facts_nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	names.ctx = &fd;
	if (a->neigh.dev[0]) {
		c.ifindex = nt_facts_ifindex(fd, a->neigh.dev);
		err = c.ifindex < 0 ? c.ifindex : 0;
	}
	if (!err)
		err = nt_facts_nl_dump(fd, RTM_GETNEIGH, &ndm, sizeof(ndm), neigh_cb, &c);
	if (!err && !c.n)
		sb_puts(out, "none");
	for (i = 0; !err && i < c.n; i++) {
		nt_facts_sep(out);
		nt_facts_nud_text(c.e[i].state, out);
		if (c.n > 1) {
			names.ifname(names.ctx, c.e[i].ifindex, name, sizeof(name));
			sb_printf(out, " dev %s", name);
		}
	}
	close(fd);
	return err;
}
