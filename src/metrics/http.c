// SPDX-License-Identifier: GPL-2.0
/* GET /metrics on libmicrohttpd, in its external epoll mode. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "metrics/http.h"

static int listen_on(int family, const struct sockaddr *sa, socklen_t len, bool dual)
{
	int fd, one = 1, zero = 0;

	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (dual)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, sa, len) || listen(fd, 64)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int nt_http_listen(const struct nt_listen *l, char *why, size_t len)
{
	struct sockaddr_in any4 = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
	int fd;

	fd = listen_on(l->ss.ss_family, (const struct sockaddr *)&l->ss, l->len, l->any);
	if (fd == -EAFNOSUPPORT && l->any) {
		any4.sin_port = ((const struct sockaddr_in6 *)&l->ss)->sin6_port;
		fd = listen_on(AF_INET, (const struct sockaddr *)&any4, sizeof(any4), false);
	}
	if (fd < 0)
		snprintf(why, len, "--metrics %s: cannot listen: %s", l->text, strerror(-fd));
	return fd;
}

#ifdef NT_NO_METRICS
int nt_http_start(struct nt_http **out, int fd, nt_http_render_fn render, void *ctx, char *why,
		  size_t len)
{
	(void)render;
	(void)ctx;
	close(fd);
	*out = NULL;
	snprintf(why, len, "--metrics: this build has no HTTP server (libmicrohttpd)");
	return -EOPNOTSUPP;
}

int nt_http_fd(const struct nt_http *h)
{
	(void)h;
	return -1;
}

void nt_http_run(struct nt_http *h)
{
	(void)h;
}

unsigned long long nt_http_scrapes(const struct nt_http *h)
{
	(void)h;
	return 0;
}

void nt_http_stop(struct nt_http *h)
{
	(void)h;
}
#else
#include <microhttpd.h>

struct nt_http {
	struct MHD_Daemon *d;
	int epoll_fd;
	nt_http_render_fn render;
	void *ctx;
	unsigned long long scrapes;
};

static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned int status, const char *type,
				   char *body, size_t len, bool must_free)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(
		len, body, must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		if (must_free)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **state)
{
	static char index[] = "<html><body><a href=\"/metrics\">/metrics</a></body></html>\n";
	static char not_found[] = "not found: try /metrics\n";
	static char no_method[] = "only GET and HEAD\n";
	struct nt_http *h = cls;
	char *body = NULL;
	size_t len = 0;
	FILE *f;

	(void)version;
	(void)upload_data;
	/* First call: headers only; answer on the second. */
	if (!*state) {
		*state = h;
		return MHD_YES;
	}
	*upload_size = 0;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", no_method,
				   sizeof(no_method) - 1, false);
	if (!strcmp(url, "/"))
		return answer_text(c, MHD_HTTP_OK, "text/html", index, sizeof(index) - 1, false);
	if (strcmp(url, "/metrics"))
		return answer_text(c, MHD_HTTP_NOT_FOUND, "text/plain", not_found,
				   sizeof(not_found) - 1, false);
	h->scrapes++;
	f = open_memstream(&body, &len);
	if (!f)
		return MHD_NO;
	h->render(h->ctx, f);
	if (fclose(f)) {
		free(body);
		return MHD_NO;
	}
	return answer_text(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", body, len,
			   true);
}

int nt_http_start(struct nt_http **out, int fd, nt_http_render_fn render, void *ctx, char *why,
		  size_t len)
{
	const union MHD_DaemonInfo *info;
	struct nt_http *h;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd);
		snprintf(why, len, "--metrics: out of memory");
		return -ENOMEM;
	}
	h->render = render;
	h->ctx = ctx;
	h->d = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, h,
				MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT, 32U,
				MHD_OPTION_CONNECTION_TIMEOUT, 10U,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_END);
	if (!h->d) {
		close(fd);
		free(h);
		snprintf(why, len, "--metrics: the HTTP server (libmicrohttpd) does not start");
		return -EIO;
	}
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
	h->epoll_fd = info ? info->epoll_fd : -1;
	*out = h;
	return 0;
}

int nt_http_fd(const struct nt_http *h)
{
	return h ? h->epoll_fd : -1;
}

void nt_http_run(struct nt_http *h)
{
	if (h)
		MHD_run(h->d);
}

unsigned long long nt_http_scrapes(const struct nt_http *h)
{
	return h ? h->scrapes : 0;
}

void nt_http_stop(struct nt_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
#endif
