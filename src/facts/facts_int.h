/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside src/facts/: arguments, netlink, the readers of each kind and the
 * formatters they share with the unit tests (tests/unit/test_facts.c).
 */
#ifndef NT_FACTS_INT_H
#define NT_FACTS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include "netns/netns.h"
#include "util/strbuf.h"

/* ---------------------------------------------------------------- arguments (facts_arg.c) */

struct nt_facts_ip {
	int family; /* AF_INET or AF_INET6; 0: none given */
	union {
		__u8 b[16];
		struct in_addr v4;
		struct in6_addr v6;
	};
};

struct nt_facts_route_arg {
	struct nt_facts_ip dst, src;
	char iif[IFNAMSIZ]; /* "" when not given */
};

struct nt_facts_neigh_arg {
	struct nt_facts_ip addr;
	char dev[IFNAMSIZ]; /* "" when not given */
};

struct nt_facts_listen_arg {
	int proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u16 port;
};

struct nt_facts_tc_arg {
	char dev[IFNAMSIZ];
	bool egress;
};

#define NT_FACTS_SYSCTL_MAX 200

union nt_facts_arg {
	char sysctl[NT_FACTS_SYSCTL_MAX + 1]; /* the dotted name */
	struct nt_facts_route_arg route;
	struct nt_facts_neigh_arg neigh;
	struct nt_facts_listen_arg listen;
	char dev[IFNAMSIZ];
	struct nt_facts_tc_arg tc;
};

/* Each 0, or -EINVAL when @s is not an argument of the kind. */
int nt_facts_parse_sysctl(const char *s, union nt_facts_arg *a);
int nt_facts_parse_route(const char *s, union nt_facts_arg *a);
int nt_facts_parse_neigh(const char *s, union nt_facts_arg *a);
int nt_facts_parse_listen(const char *s, union nt_facts_arg *a);
int nt_facts_parse_dev(const char *s, union nt_facts_arg *a);
int nt_facts_parse_tc(const char *s, union nt_facts_arg *a);

/* Whether sysctl @name is a device's (net.ipv4.conf.DEV.KEY and the like). */
bool nt_facts_sysctl_of_dev(const char *name);

/*
 * The /proc/sys file of a dotted sysctl name. @dev_dots: the name is
 * net.ipv4.conf.DEV.KEY (or ipv6, or neigh) with dots in DEV, which are kept.
 * 0, or -ENOENT when @dev_dots does not apply to the name, -ENAMETOOLONG.
 */
int nt_facts_sysctl_path(const char *name, bool dev_dots, char *path, size_t len);

/* ---------------------------------------------------------------- netlink (facts_nl.c) */

/* A netlink socket of @proto in the calling thread's namespace: fd, or -errno. */
int nt_facts_nl_open(int proto);

/* Called for each reply message; nonzero stops and is returned. */
typedef int (*nt_facts_nl_cb)(const struct nlmsghdr *nlh, void *ctx);

/*
 * Sends @req (nlmsg_len, type and NLM_F_DUMP set by the caller; sequence and
 * NLM_F_REQUEST/ACK added here) and gives each reply to @cb until the dump
 * is done or the request acknowledged. 0, @cb's nonzero, or -errno (the
 * kernel's answer; -ETIMEDOUT after 2 s of silence).
 */
int nt_facts_nl_talk(int fd, struct nlmsghdr *req, nt_facts_nl_cb cb, void *ctx);

/* Sends a dump request of @type whose family header is the @len bytes at @hdr, as above. */
int nt_facts_nl_dump(int fd, __u16 type, const void *hdr, size_t len, nt_facts_nl_cb cb, void *ctx);

/* Whether a reply is the one wanted. */
typedef bool (*nt_facts_nl_match)(const struct nlmsghdr *nlh, const void *ctx);

/*
 * Sends @req (as nt_facts_nl_talk) and keeps a copy of its first reply that
 * @match takes in *@reply (free() it; NULL if none): 0, or -errno.
 */
int nt_facts_nl_find(int fd, struct nlmsghdr *req, nt_facts_nl_match match, const void *ctx,
		     struct nlmsghdr **reply);

/* nt_facts_nl_find() of the first reply of @type with @min bytes of payload; -ENODATA: none. */
int nt_facts_nl_get(int fd, struct nlmsghdr *req, __u16 type, size_t min, struct nlmsghdr **reply);

/* Fills @tb[0..@max] with the attributes in @len bytes at @attrs (unknown types skipped). */
void nt_facts_nl_parse(const void *attrs, size_t len, const struct nlattr **tb, int max);

static inline const void *nt_facts_nla_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static inline size_t nt_facts_nla_len(const struct nlattr *a)
{
	return a->nla_len > NLA_HDRLEN ? a->nla_len - NLA_HDRLEN : 0;
}

/* A u32 attribute, or @dflt when absent or short. */
__u32 nt_facts_nla_u32(const struct nlattr *a, __u32 dflt);

/* Appends attribute @type with @len bytes of @data to the message in @msg, of @size bytes. */
void nt_facts_nl_put(void *msg, size_t size, unsigned short type, const void *data, size_t len);

/* RTM_GETLINK of device @ifindex, or @name if not NULL, as nt_facts_nl_get(); -ENODEV: none. */
int nt_facts_link_get(int fd, int ifindex, const char *name, struct nlmsghdr **reply);

/* The ifindex of device @name in the socket's namespace, or -ENODEV / -errno. */
int nt_facts_ifindex(int fd, const char *name);

/* ---------------------------------------------------------------- names for the formatters */

/* How formatters name devices and BPF programs; the unit tests pass fakes. */
struct nt_facts_names {
	/* the name of @ifindex into @buf ("if7" if unknown) */
	void (*ifname)(void *ctx, __u32 ifindex, char *buf, size_t len);
	/* the name of BPF program @id into @buf ("" if unknown) */
	void (*progname)(void *ctx, __u32 id, char *buf, size_t len);
	void *ctx; /* the rtnetlink socket (int *) */
};

/* The real ones: rtnetlink on socket *ctx, and bpf(). */
extern const struct nt_facts_names nt_facts_sys_names;
void nt_facts_progname(void *ctx, __u32 id, char *buf, size_t len);

/* An address as text; IPv6 in brackets when @brackets. */
void nt_facts_addr_text(int family, const void *addr, bool brackets, struct strbuf *out);

/* ---------------------------------------------------------------- formatters */

/* facts_route.c: an RTM_NEWROUTE reply as "10.0.2.0/24 via 10.0.1.254 dev r1". */
void nt_facts_route_text(const struct nlmsghdr *nlh, const struct nt_facts_names *n,
			 struct strbuf *out);
/* What a failed route lookup's errno means ("no route", ...), or NULL. */
const char *nt_facts_route_error(int err, bool input);
/* Neighbour state bits as names joined by "|" ("NONE" for 0). */
void nt_facts_nud_text(__u16 state, struct strbuf *out);

/* facts_link.c: "up", "down" or "no-carrier" from ifi_flags. */
const char *nt_facts_link_text(unsigned int flags);
/* The IFLA_XDP nest: "id 42 name xdp_drop mode generic", or "none". */
void nt_facts_xdp_text(const struct nlattr *xdp, const struct nt_facts_names *n,
		       struct strbuf *out);

/* facts_tc.c: an RTM_NEWQDISC message: "tbf limit 3000b rate 1Mbit drops 1 ...". */
void nt_facts_qdisc_text(const struct nlmsghdr *nlh, struct strbuf *out);
/* Rates and times as tc writes them: "1Mbit", "1.5Kbit"; "100ms", "20us". */
void nt_facts_rate_text(__u64 bits, struct strbuf *out);
void nt_facts_time_text(__u64 ns, struct strbuf *out);
/*
 * An RTM_NEWTFILTER message as one entry ("bpf id 12 name tc_drop prio 1"),
 * "" for the chain's head messages that name no filter.
 */
void nt_facts_filter_text(const struct nlmsghdr *nlh, const struct nt_facts_names *n,
			  struct strbuf *out);

/* facts_sock.c: a socket of sock_diag as "tcp 0.0.0.0:8080 (pid 123 nc)" (pid 0: no owner). */
struct inet_diag_msg;
void nt_facts_sock_text(int proto, const struct inet_diag_msg *m, int pid, const char *comm,
			struct strbuf *out);

/* Appends ", " unless @out is empty. */
void nt_facts_sep(struct strbuf *out);

/* ---------------------------------------------------------------- readers */

/*
 * Each reads its kind inside the namespace the thread is in (inode @netns,
 * never 0) into @out: 0 or -errno.
 */
int nt_facts_read_sysctl(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_route(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_neigh(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_listen(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_link(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_mtu(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_xdp(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_qdisc(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);
int nt_facts_read_tc(const union nt_facts_arg *a, __u32 netns, struct strbuf *out);

/* ---------------------------------------------------------------- namespaces (facts_ns.c) */

/*
 * Enters the network namespace with inode @inum through src/netns (the
 * thread's own: nothing to do). 0 with @home to come back to (home->fd -1
 * when not moved), or -ESRCH (no such namespace), -errno of setns,
 * NT_NETNS_STRANDED (-ENOTRECOVERABLE) once a return has failed.
 */
int nt_facts_ns_enter(__u32 inum, struct nt_netns_home *home);
/* Back home: 0, or NT_NETNS_STRANDED (said with nt_err; nettrace must stop). */
int nt_facts_ns_return(struct nt_netns_home *home);
/* True once a return has failed (nt_netns_stranded). */
bool nt_facts_ns_stranded(void);

#endif
