/* SPDX-License-Identifier: GPL-2.0 */
/* Where the metrics are served: --metrics [ADDR:]PORT, parsed (pure). */
#ifndef NT_METRICS_ADDR_H
#define NT_METRICS_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct nt_listen {
	bool set;
	bool any;		    /* no address given: every address, IPv6 and IPv4 */
	struct sockaddr_storage ss; /* port set; the address unless any */
	socklen_t len;
	char text[64]; /* as given */
};

/*
 * "9100", "127.0.0.1:9100", "[::1]:9100" or ":9100" (every address): numeric
 * addresses only, port 1-65535. 0, or -1 with the problem in @err.
 */
int nt_listen_parse(const char *arg, struct nt_listen *l, char *err, size_t errlen);

#endif
