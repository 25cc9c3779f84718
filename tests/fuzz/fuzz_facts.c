// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnose mode's facts (src/facts): the arguments a rules file gives
 * them, and the kernel's netlink replies they are read from, as text.
 *
 * Input: a selector byte (% 6), then
 *   0  a fact argument, parsed as each kind's, and a sysctl's /proc/sys path
 *   1  an RTM_NEWROUTE reply's payload (struct rtmsg, attributes)
 *   2  an RTM_NEWQDISC message's payload (struct tcmsg, attributes)
 *   3  an RTM_NEWTFILTER message's payload (struct tcmsg, attributes)
 *   4  an RTM_NEWLINK reply's payload (struct ifinfomsg, attributes)
 *   5  a sock_diag reply (struct inet_diag_msg), and numbers for the other formatters
 * Replies shorter than their fixed header are not handed over, as nettrace
 * checks that before it formats them.
 */
#include <linux/inet_diag.h>
#include <linux/rtnetlink.h>
#include "facts/facts_int.h"
#include "fuzz.h"

static void ifname(void *ctx, __u32 ifindex, char *buf, size_t len)
{
	(void)ctx;
	snprintf(buf, len, "if%u", ifindex);
}

static void progname(void *ctx, __u32 id, char *buf, size_t len)
{
	(void)ctx;
	if (id % 2)
		snprintf(buf, len, "prog%u", id);
	else if (len)
		buf[0] = '\0'; /* a program without a name */
}

static const struct nt_facts_names names = {.ifname = ifname, .progname = progname};

static void check_text(const char *s, size_t size)
{
	fuzz_check(strnlen(s, size) < size);
}

static void arguments(const uint8_t *data, size_t size)
{
	int (*const parse[])(const char *, union nt_facts_arg *) = {
		nt_facts_parse_sysctl, nt_facts_parse_route, nt_facts_parse_neigh,
		nt_facts_parse_listen, nt_facts_parse_dev,   nt_facts_parse_tc,
	};
	char *s = fuzz_cstr(data, size), path[256];
	union nt_facts_arg a;
	size_t i;
	int dots;

	for (i = 0; i < sizeof(parse) / sizeof(parse[0]); i++)
		parse[i](s, &a);
	if (!nt_facts_parse_sysctl(s, &a)) {
		nt_facts_sysctl_of_dev(a.sysctl);
		for (dots = 0; dots < 2; dots++) {
			if (nt_facts_sysctl_path(a.sysctl, dots, path, sizeof(path)))
				continue;
			/* never a path out of /proc/sys */
			fuzz_check(!strncmp(path, "/proc/sys/", 10));
			fuzz_check(!strstr(path, "/../"));
			fuzz_check(strlen(path) < 3 || strcmp(path + strlen(path) - 3, "/.."));
		}
	}
	free(s);
}

/* A netlink message of @type around @payload, of exactly its size. */
static struct nlmsghdr *message(__u16 type, const uint8_t *payload, size_t size)
{
	struct nlmsghdr *nlh = malloc(NLMSG_LENGTH(size));

	if (!nlh)
		abort();
	memset(nlh, 0, sizeof(*nlh));
	nlh->nlmsg_len = NLMSG_LENGTH(size);
	nlh->nlmsg_type = type;
	memcpy(NLMSG_DATA(nlh), payload, size);
	return nlh;
}

static void reply(int what, const uint8_t *data, size_t size)
{
	static const __u16 types[] = {0, RTM_NEWROUTE, RTM_NEWQDISC, RTM_NEWTFILTER, RTM_NEWLINK};
	static const size_t fixed[] = {0, sizeof(struct rtmsg), sizeof(struct tcmsg),
				       sizeof(struct tcmsg), sizeof(struct ifinfomsg)};
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	char buf[512];
	struct strbuf out = STRBUF(buf);

	if (size < fixed[what])
		return;
	nlh = message(types[what], data, size);
	buf[0] = '\0';
	switch (what) {
	case 1:
		nt_facts_route_text(nlh, &names, &out);
		break;
	case 2:
		nt_facts_qdisc_text(nlh, &out);
		break;
	case 3:
		nt_facts_filter_text(nlh, &names, &out);
		break;
	case 4: /* as facts_link.c reads it */
		ifi = NLMSG_DATA(nlh);
		nt_facts_nl_parse(IFLA_RTA(ifi), IFLA_PAYLOAD(nlh), tb, IFLA_MAX);
		sb_puts(&out, nt_facts_link_text(ifi->ifi_flags));
		nt_facts_xdp_text(tb[IFLA_XDP], &names, &out);
		break;
	}
	check_text(buf, sizeof(buf));
	free(nlh);
}

static void numbers(const uint8_t *data, size_t size)
{
	struct inet_diag_msg m;
	char buf[512];
	struct strbuf out = STRBUF(buf);
	__u64 v = 0;
	int err;

	if (size < sizeof(m) + sizeof(v))
		return;
	memcpy(&m, data, sizeof(m));
	memcpy(&v, data + sizeof(m), sizeof(v));
	buf[0] = '\0';
	nt_facts_sock_text(v & 1 ? IPPROTO_TCP : IPPROTO_UDP, &m, (int)(v >> 48), "nc", &out);
	nt_facts_nud_text((__u16)v, &out);
	nt_facts_rate_text(v, &out);
	nt_facts_time_text(v, &out);
	err = -(int)(v % 200);
	nt_facts_route_error(err, v & 2);
	check_text(buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sel;

	if (!fuzz_take_byte(&data, &size, &sel))
		return 0;
	sel %= 6;
	if (sel == 0)
		arguments(data, size);
	else if (sel == 5)
		numbers(data, size);
	else
		reply(sel, data, size);
	return 0;
}
