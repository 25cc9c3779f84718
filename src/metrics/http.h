/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics server: GET /metrics over HTTP, on Debian's libmicrohttpd, run
 * from nettrace's own poll loop (no thread): poll nt_http_fd() and call
 * nt_http_run() when it is readable and now and then. The listening socket is
 * made first (nt_http_listen), before anything is loaded into the kernel, so
 * that a port in use fails early and leaves nothing behind.
 * Built with -DNT_NO_METRICS (the static binary), it refuses to listen.
 */
#ifndef NT_METRICS_HTTP_H
#define NT_METRICS_HTTP_H

#include <stdio.h>
#include "metrics/addr.h"

struct nt_http;

/* Writes the exposition of every metric to @f. */
typedef void (*nt_http_render_fn)(void *ctx, FILE *f);

/* A listening TCP socket on @l: its fd, or -errno with the reason in @why. */
int nt_http_listen(const struct nt_listen *l, char *why, size_t len);
/* Serves on @fd (taken over). 0, or -errno with @why. */
int nt_http_start(struct nt_http **out, int fd, nt_http_render_fn render, void *ctx, char *why,
		  size_t len);
/* The fd to poll; -1 for none. */
int nt_http_fd(const struct nt_http *h);
/* Does what is pending: accepts, reads requests, answers. */
void nt_http_run(struct nt_http *h);
/* Requests for /metrics answered so far. */
unsigned long long nt_http_scrapes(const struct nt_http *h);
/* Closes everything. NULL is fine. */
void nt_http_stop(struct nt_http *h);

#endif
