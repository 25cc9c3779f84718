// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink for the facts, on raw sockets (no libmnl: the static build has
 * none): one request, its replies to a callback, attributes into a table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include "facts/facts_int.h"

#define NL_BUF (64 * 1024) /* more than the kernel puts in one dump batch */

int nt_facts_nl_open(int proto)
{
	struct timeval tv = {.tv_sec = 2};
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	/* A kernel that never answers must not hang the diagnosis. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* The error a message ends the exchange with: 1 (not the end), 0 or -errno. */
static int end_of(const struct nlmsghdr *nlh, bool dump)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EBADMSG;
		return e->error;
	}
	if (nlh->nlmsg_type == NLMSG_DONE && dump) {
		/* A dump that failed half-way says so in its DONE. */
		if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) &&
		    *(const int *)NLMSG_DATA(nlh) < 0)
			return *(const int *)NLMSG_DATA(nlh);
		return 0;
	}
	return 1;
}

int nt_facts_nl_talk(int fd, struct nlmsghdr *req, nt_facts_nl_cb cb, void *ctx)
{
	static __u32 seq;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	bool dump = req->nlmsg_flags & NLM_F_DUMP;
	const struct nlmsghdr *nlh;
	int err = 0, end;
	char *buf;
	ssize_t n;

	req->nlmsg_seq = ++seq;
	req->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
	if (sendto(fd, req, req->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	buf = malloc(NL_BUF);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		n = recv(fd, buf, NL_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno == EAGAIN ? -ETIMEDOUT : -errno;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq)
				continue; /* a late answer to an earlier request */
			end = end_of(nlh, dump);
			if (end <= 0) {
				free(buf);
				return err ? err : end;
			}
			if (!err && cb)
				err = cb(nlh, ctx);
		}
	}
	free(buf);
	return err;
}

void nt_facts_nl_parse(const void *attrs, size_t len, const struct nlattr **tb, int max)
{
	const struct nlattr *a = attrs;
	int type;

	memset(tb, 0, (size_t)(max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max)
			tb[type] = a;
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

__u32 nt_facts_nla_u32(const struct nlattr *a, __u32 dflt)
{
	__u32 v;

	if (!a || nt_facts_nla_len(a) < sizeof(v))
		return dflt;
	memcpy(&v, nt_facts_nla_data(a), sizeof(v));
	return v;
}

void nt_facts_nl_put(void *msg, size_t size, unsigned short type, const void *data, size_t len)
{
	struct nlmsghdr *nlh = msg;
	struct nlattr *a = (struct nlattr *)((char *)msg + NLMSG_ALIGN(nlh->nlmsg_len));

	if (NLMSG_ALIGN(nlh->nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > size)
		return; /* the callers' buffers hold their attributes */
	a->nla_type = type;
	a->nla_len = (__u16)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

int nt_facts_nl_dump(int fd, __u16 type, const void *hdr, size_t len, nt_facts_nl_cb cb, void *ctx)
{
	struct {
		struct nlmsghdr nlh;
		char hdr[64];
	} req;

	if (len > sizeof(req.hdr))
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = NLMSG_LENGTH(len);
	req.nlh.nlmsg_type = type;
	req.nlh.nlmsg_flags = NLM_F_DUMP;
	memcpy(req.hdr, hdr, len);
	return nt_facts_nl_talk(fd, &req.nlh, cb, ctx);
}

struct find_ctx {
	nt_facts_nl_match match;
	const void *ctx;
	struct nlmsghdr *copy;
};

static int keep_first(const struct nlmsghdr *nlh, void *ctx)
{
	struct find_ctx *c = ctx;

	if (c->copy || !c->match(nlh, c->ctx))
		return 0;
	c->copy = malloc(nlh->nlmsg_len);
	if (!c->copy)
		return -ENOMEM;
	memcpy(c->copy, nlh, nlh->nlmsg_len);
	return 0;
}

int nt_facts_nl_find(int fd, struct nlmsghdr *req, nt_facts_nl_match match, const void *ctx,
		     struct nlmsghdr **reply)
{
	struct find_ctx c = {.match = match, .ctx = ctx};
	int err;

	err = nt_facts_nl_talk(fd, req, keep_first, &c);
	if (err)
		free(c.copy);
	*reply = err ? NULL : c.copy;
	return err;
}

struct get_ctx {
	__u16 type;
	size_t min;
};

static bool type_and_size(const struct nlmsghdr *nlh, const void *ctx)
{
	const struct get_ctx *c = ctx;

	return nlh->nlmsg_type == c->type && nlh->nlmsg_len >= NLMSG_LENGTH(c->min);
}

int nt_facts_nl_get(int fd, struct nlmsghdr *req, __u16 type, size_t min, struct nlmsghdr **reply)
{
	struct get_ctx c = {.type = type, .min = min};
	int err;

	err = nt_facts_nl_find(fd, req, type_and_size, &c, reply);
	if (!err && !*reply)
		err = -ENODATA;
	return err;
}

int nt_facts_link_get(int fd, int ifindex, const char *name, struct nlmsghdr **reply)
{
	struct {
		struct nlmsghdr nlh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req = {0};
	__u32 mask = RTEXT_FILTER_SKIP_STATS;

	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.nlh.nlmsg_type = RTM_GETLINK;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = ifindex;
	if (name)
		nt_facts_nl_put(&req, sizeof(req), IFLA_IFNAME, name, strlen(name) + 1);
	nt_facts_nl_put(&req, sizeof(req), IFLA_EXT_MASK, &mask, sizeof(mask));
	return nt_facts_nl_get(fd, &req.nlh, RTM_NEWLINK, sizeof(req.ifi), reply);
}

int nt_facts_ifindex(int fd, const char *name)
{
	struct nlmsghdr *reply;
	int err;

	err = nt_facts_link_get(fd, 0, name, &reply);
	if (err)
		return err;
	err = ((struct ifinfomsg *)NLMSG_DATA(reply))->ifi_index;
	free(reply);
	return err;
}

static void sys_ifname(void *ctx, __u32 ifindex, char *buf, size_t len)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	struct nlmsghdr *reply = NULL;

	snprintf(buf, len, "if%u", ifindex);
	if (!ifindex || nt_facts_link_get(*(int *)ctx, (int)ifindex, NULL, &reply))
		return;
	nt_facts_nl_parse(IFLA_RTA(NLMSG_DATA(reply)), IFLA_PAYLOAD(reply), tb, IFLA_MAX);
	if (tb[IFLA_IFNAME])
		snprintf(buf, len, "%.*s",
			 (int)strnlen(nt_facts_nla_data(tb[IFLA_IFNAME]),
				      nt_facts_nla_len(tb[IFLA_IFNAME])),
			 (const char *)nt_facts_nla_data(tb[IFLA_IFNAME]));
	free(reply);
}

void nt_facts_progname(void *ctx, __u32 id, char *buf, size_t len)
{
	struct bpf_prog_info info = {0};
	__u32 ilen = sizeof(info);
	int fd;

	(void)ctx;
	buf[0] = '\0';
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &ilen))
		snprintf(buf, len, "%s", info.name);
	close(fd);
}

const struct nt_facts_names nt_facts_sys_names = {
	.ifname = sys_ifname,
	.progname = nt_facts_progname,
};

void nt_facts_addr_text(int family, const void *addr, bool brackets, struct strbuf *out)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	if (family == AF_INET6 && brackets)
		sb_printf(out, "[%s]", s);
	else
		sb_puts(out, s);
}

void nt_facts_sep(struct strbuf *out)
{
	if (out->len)
		sb_puts(out, ", ");
}
