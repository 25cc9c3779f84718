// SPDX-License-Identifier: GPL-2.0
/* The arguments of the fact kinds (data/diag/FORMAT.md), parsed before any namespace is entered. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include "facts/facts_int.h"

#define MAX_WORDS 8

struct words {
	char buf[256];
	char *w[MAX_WORDS];
	int n;
};

/* Splits @s at blanks. 0, or -EINVAL when too long or with too many words. */
static int split(const char *s, struct words *w)
{
	char *p, *save = NULL;

	if (strlen(s) >= sizeof(w->buf))
		return -EINVAL;
	snprintf(w->buf, sizeof(w->buf), "%s", s);
	w->n = 0;
	for (p = strtok_r(w->buf, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (w->n == MAX_WORDS)
			return -EINVAL;
		w->w[w->n++] = p;
	}
	return 0;
}

/* A device name as the kernel accepts one (dev_valid_name). */
static int parse_ifname(const char *s, char *dev)
{
	const char *p;

	if (!*s || strlen(s) >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return -EINVAL;
	for (p = s; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) ||
		    !isprint((unsigned char)*p))
			return -EINVAL;
	memcpy(dev, s, strlen(s) + 1);
	return 0;
}

static int parse_ip(const char *s, struct nt_facts_ip *ip)
{
	if (inet_pton(AF_INET, s, &ip->v4) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &ip->v6) == 1)
		ip->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

int nt_facts_parse_sysctl(const char *s, union nt_facts_arg *a)
{
	const char *p, *start = s;
	size_t n = strlen(s);

	if (!n || n > NT_FACTS_SYSCTL_MAX || s[0] == '.' || s[n - 1] == '.')
		return -EINVAL;
	for (p = s;; p++) {
		if (*p == '.' || !*p) {
			/* no empty word, and no word that /proc/sys would read as . or .. */
			if (p == start ||
			    (p - start <= 2 && !strncmp(start, "//", (size_t)(p - start))))
				return -EINVAL;
			if (!*p)
				break;
			start = p + 1;
		} else if (isspace((unsigned char)*p) || !isprint((unsigned char)*p)) {
			return -EINVAL;
		}
	}
	memcpy(a->sysctl, s, n + 1);
	return 0;
}

/* The sysctl trees whose third word is a device. */
static const char *const dev_trees[] = {"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.",
					"net.ipv6.neigh.", "net.mpls.conf."};

/* The device tree @name is in, or NULL. */
static const char *dev_tree(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(dev_trees) / sizeof(dev_trees[0]); i++)
		if (!strncmp(name, dev_trees[i], strlen(dev_trees[i])))
			return dev_trees[i];
	return NULL;
}

bool nt_facts_sysctl_of_dev(const char *name)
{
	return dev_tree(name) != NULL;
}

int nt_facts_sysctl_path(const char *name, bool dev_dots, char *path, size_t len)
{
	const char *tree, *dev, *key;
	size_t i, at;
	int n;

	if (!dev_dots) {
		at = (size_t)snprintf(path, len, "/proc/sys/");
		if (at + strlen(name) >= len)
			return -ENAMETOOLONG;
		/* sysctl(8): dots separate words, a slash stands for a dot in a word */
		for (i = 0; name[i]; i++)
			path[at + i] = name[i] == '.' ? '/' : name[i] == '/' ? '.' : name[i];
		path[at + i] = '\0';
		return 0;
	}
	tree = dev_tree(name);
	if (!tree)
		return -ENOENT; /* not a device's */
	dev = name + strlen(tree);
	key = strrchr(dev, '.');
	if (!key || !memchr(dev, '.', (size_t)(key - dev)))
		return -ENOENT; /* no dot in the device: nothing else to try */
	n = snprintf(path, len, "/proc/sys/%.*s/%.*s/%s", (int)(strlen(tree) - 1), tree,
		     (int)(key - dev), dev, key + 1);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	/* the tree's own dots are slashes */
	for (i = strlen("/proc/sys/"); i < strlen("/proc/sys/") + strlen(tree) - 1; i++)
		if (path[i] == '.')
			path[i] = '/';
	return 0;
}

int nt_facts_parse_route(const char *s, union nt_facts_arg *a)
{
	struct nt_facts_route_arg *r = &a->route;
	struct words w;
	int i;

	memset(r, 0, sizeof(*r));
	if (split(s, &w) || w.n < 1 || w.n % 2 != 1 || parse_ip(w.w[0], &r->dst))
		return -EINVAL;
	for (i = 1; i < w.n; i += 2) {
		if (!strcmp(w.w[i], "from") && !r->src.family) {
			if (parse_ip(w.w[i + 1], &r->src) || r->src.family != r->dst.family)
				return -EINVAL;
		} else if (!strcmp(w.w[i], "iif") && !r->iif[0]) {
			if (parse_ifname(w.w[i + 1], r->iif))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

int nt_facts_parse_neigh(const char *s, union nt_facts_arg *a)
{
	struct nt_facts_neigh_arg *n = &a->neigh;
	struct words w;

	memset(n, 0, sizeof(*n));
	if (split(s, &w) || (w.n != 1 && w.n != 3) || parse_ip(w.w[0], &n->addr))
		return -EINVAL;
	if (w.n == 3 && (strcmp(w.w[1], "dev") || parse_ifname(w.w[2], n->dev)))
		return -EINVAL;
	return 0;
}

int nt_facts_parse_listen(const char *s, union nt_facts_arg *a)
{
	struct nt_facts_listen_arg *l = &a->listen;
	char *end;
	long port;

	if (!strncasecmp(s, "tcp:", 4))
		l->proto = IPPROTO_TCP;
	else if (!strncasecmp(s, "udp:", 4))
		l->proto = IPPROTO_UDP;
	else
		return -EINVAL;
	if (!isdigit((unsigned char)s[4]))
		return -EINVAL;
	errno = 0;
	port = strtol(s + 4, &end, 10);
	if (errno || *end || port < 1 || port > 65535)
		return -EINVAL;
	l->port = (__u16)port;
	return 0;
}

int nt_facts_parse_dev(const char *s, union nt_facts_arg *a)
{
	return parse_ifname(s, a->dev);
}

int nt_facts_parse_tc(const char *s, union nt_facts_arg *a)
{
	struct nt_facts_tc_arg *t = &a->tc;
	struct words w;

	memset(t, 0, sizeof(*t));
	if (split(s, &w) || w.n != 2 || parse_ifname(w.w[0], t->dev))
		return -EINVAL;
	if (!strcmp(w.w[1], "egress"))
		t->egress = true;
	else if (strcmp(w.w[1], "ingress"))
		return -EINVAL;
	return 0;
}
