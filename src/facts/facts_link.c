// SPDX-License-Identifier: GPL-2.0
/* A device's state, MTU and XDP program, from one RTM_GETLINK. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "facts/facts_int.h"

#ifndef IFF_LOWER_UP /* linux/if.h has it, but clashes with net/if.h */
#define IFF_LOWER_UP 0x10000
#endif

const char *nt_facts_link_text(unsigned int flags)
{
	if (!(flags & IFF_UP))
		return "down";
	if (!(flags & IFF_LOWER_UP))
		return "no-carrier";
	return "up";
}

static void prog_text(__u32 id, const char *mode, const struct nt_facts_names *n,
		      struct strbuf *out)
{
	char name[64];

	nt_facts_sep(out);
	sb_printf(out, "id %u", id);
	n->progname(n->ctx, id, name, sizeof(name));
	if (name[0])
		sb_printf(out, " name %s", name);
	sb_printf(out, " mode %s", mode);
}

void nt_facts_xdp_text(const struct nlattr *xdp, const struct nt_facts_names *n, struct strbuf *out)
{
	static const char *const modes[] = {[XDP_ATTACHED_DRV] = "native",
					    [XDP_ATTACHED_SKB] = "generic",
					    [XDP_ATTACHED_HW] = "offload"};
	static const int multi[] = {[XDP_ATTACHED_DRV] = IFLA_XDP_DRV_PROG_ID,
				    [XDP_ATTACHED_SKB] = IFLA_XDP_SKB_PROG_ID,
				    [XDP_ATTACHED_HW] = IFLA_XDP_HW_PROG_ID};
	const struct nlattr *tb[IFLA_XDP_MAX + 1];
	size_t at = out->len;
	__u8 attached = XDP_ATTACHED_NONE;
	int m;

	if (xdp) {
		nt_facts_nl_parse(nt_facts_nla_data(xdp), nt_facts_nla_len(xdp), tb, IFLA_XDP_MAX);
		if (tb[IFLA_XDP_ATTACHED] && nt_facts_nla_len(tb[IFLA_XDP_ATTACHED]) >= 1)
			attached = *(const __u8 *)nt_facts_nla_data(tb[IFLA_XDP_ATTACHED]);
	}
	if (attached >= XDP_ATTACHED_DRV && attached <= XDP_ATTACHED_HW &&
	    nt_facts_nla_u32(tb[IFLA_XDP_PROG_ID], 0))
		prog_text(nt_facts_nla_u32(tb[IFLA_XDP_PROG_ID], 0), modes[attached], n, out);
	else if (attached == XDP_ATTACHED_MULTI)
		for (m = XDP_ATTACHED_DRV; m <= XDP_ATTACHED_HW; m++)
			if (nt_facts_nla_u32(tb[multi[m]], 0))
				prog_text(nt_facts_nla_u32(tb[multi[m]], 0), modes[m], n, out);
	if (out->len == at)
		sb_puts(out, "none");
}

enum what { LINK, MTU, XDP };

static int read_dev(const char *dev, enum what what, struct strbuf *out)
{
	struct nt_facts_names names = nt_facts_sys_names;
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	struct nlmsghdr *reply;
	int fd, err;

	fd = nt_facts_nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	names.ctx = &fd;
	err = nt_facts_link_get(fd, 0, dev, &reply);
	if (err) {
		close(fd);
		return err;
	}
	ifi = NLMSG_DATA(reply);
	nt_facts_nl_parse(IFLA_RTA(ifi), IFLA_PAYLOAD(reply), tb, IFLA_MAX);
	switch (what) {
	case LINK:
		sb_puts(out, nt_facts_link_text(ifi->ifi_flags));
		break;
	case MTU:
		if (tb[IFLA_MTU])
			sb_printf(out, "%u", nt_facts_nla_u32(tb[IFLA_MTU], 0));
		else
			err = -ENODATA;
		break;
	case XDP:
		nt_facts_xdp_text(tb[IFLA_XDP], &names, out);
		break;
	}
	free(reply);
	close(fd);
	return err;
}

int nt_facts_read_link(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	(void)netns;
	return read_dev(a->dev, LINK, out);
}

int nt_facts_read_mtu(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	(void)netns;
	return read_dev(a->dev, MTU, out);
}

int nt_facts_read_xdp(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	(void)netns;
	return read_dev(a->dev, XDP, out);
}
