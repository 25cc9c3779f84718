// SPDX-License-Identifier: GPL-2.0
/* --metrics [ADDR:]PORT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metrics/addr.h"

static int bad(const char *arg, char *err, size_t len, const char *why)
{
	snprintf(err, len, "'%s' %s (PORT, ADDR:PORT or [ADDR6]:PORT, e.g. 9100, 127.0.0.1:9100)",
		 arg, why);
	return -1;
}

static int port_of(const char *s, unsigned short *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || !v || v > 65535)
		return -1;
	*port = (unsigned short)v;
	return 0;
}

int nt_listen_parse(const char *arg, struct nt_listen *l, char *err, size_t errlen)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&l->ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&l->ss;
	char host[64];
	const char *colon, *port_s;
	unsigned short port;
	size_t hl;

	memset(l, 0, sizeof(*l));
	if (strlen(arg) >= sizeof(l->text))
		return bad(arg, err, errlen, "is too long");
	if (arg[0] == '[') {
		colon = strstr(arg, "]:");
		if (!colon)
			return bad(arg, err, errlen, "is not [ADDR6]:PORT");
		hl = colon - arg - 1;
		port_s = colon + 2;
		memcpy(host, arg + 1, hl);
	} else {
		colon = strrchr(arg, ':');
		hl = colon ? (size_t)(colon - arg) : 0;
		port_s = colon ? colon + 1 : arg;
		if (colon && memchr(arg, ':', hl))
			return bad(arg, err, errlen, "has an IPv6 address without brackets");
		memcpy(host, arg, hl);
	}
	host[hl] = '\0';
	if (port_of(port_s, &port))
		return bad(arg, err, errlen, "has no port from 1 to 65535");
	if (!hl) {
		l->any = true;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		l->len = sizeof(*s6);
	} else if (arg[0] == '[') {
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return bad(arg, err, errlen, "has no numeric IPv6 address");
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		l->len = sizeof(*s6);
	} else {
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return bad(arg, err, errlen, "has no numeric IPv4 address");
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		l->len = sizeof(*s4);
	}
	snprintf(l->text, sizeof(l->text), "%s", arg);
	l->set = true;
	return 0;
}
