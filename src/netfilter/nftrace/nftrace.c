// SPDX-License-Identifier: GPL-2.0
/*
 * nftrace sessions: our owner-flag table (libnftables), the NFNLGRP_NFTRACE
 * socket (libmnl) and rule texts listed with libnftables, all in the traced
 * network namespace. libnftables keeps the netlink socket it opens in
 * nft_ctx_new() until nft_ctx_free() (nftables >= 0.9.9 never reopens it),
 * so the owner table lives exactly as long as our nft_ctx, or the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netfilter/nftrace/nftrace.h"

#ifdef NT_NO_NFTABLES

int nt_nftrace_start(struct nt_nftrace **out, const struct nt_filter *f, int netns_fd, char *why,
		     size_t whylen)
{
	(void)f;
	(void)netns_fd;
	*out = NULL;
	snprintf(why, whylen, "nft tracing: not in this static build");
	return -EOPNOTSUPP;
}

int nt_nftrace_fd(const struct nt_nftrace *t)
{
	(void)t;
	return -1;
}

int nt_nftrace_read(struct nt_nftrace *t, void (*cb)(void *ctx, const struct nt_nftrace_event *e),
		    void *ctx)
{
	(void)t;
	(void)cb;
	(void)ctx;
	return -EOPNOTSUPP;
}

unsigned long nt_nftrace_lost(const struct nt_nftrace *t)
{
	(void)t;
	return 0;
}

const char *nt_nftrace_untraced(const struct nt_nftrace *t)
{
	(void)t;
	return NULL;
}

const char *nt_nftrace_table(const struct nt_nftrace *t)
{
	(void)t;
	return "";
}

void nt_nftrace_stop(struct nt_nftrace *t)
{
	(void)t;
}

#else /* !NT_NO_NFTABLES */

#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <nftables/libnftables.h>

#include "netfilter/nftrace/nftrace_int.h"
#include "netns/netns.h"

static const char *const hooks[] = { "prerouting", "input", "forward", "output", "postrouting" };

/* A netlink socket in the current namespace, subscribed to @group, non-blocking. */
static struct mnl_socket *nl_open(unsigned int group, int rcvbuf)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int fd, err;

	if (!nl)
		return NULL;
	fd = mnl_socket_get_fd(nl);
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) {
		err = errno;
		mnl_socket_close(nl);
		errno = err;
		return NULL;
	}
	return nl;
}

/* libnftables' first error line, without "Error: "; its errno if it names one. */
static int nft_error(struct nt_nftrace *t, const char *what, char *why, size_t whylen)
{
	const char *msg = nft_ctx_get_error_buffer(t->nft);
	size_t n;
	int e;

	if (!msg || !*msg)
		msg = "failed";
	if (!strncmp(msg, "Error: ", 7))
		msg += 7;
	n = strcspn(msg, "\n");
	snprintf(why, whylen, "nft: %s: %.*s", what, (int)n, msg);
	for (e = 1; e < 134; e++) {
		const char *s = strerror(e);

		if (strstr(msg, s) && (size_t)(strstr(msg, s) - msg) < n)
			return -e;
	}
	return -EINVAL;
}

/* iptables-legacy tables in the current namespace: their rules are not traced. */
static char *legacy_tables(void)
{
	static const char *const fams[] = { "ip", "ip6", "arp" };
	char names[512] = "", line[64], path[64], *res = NULL;
	size_t used = 0, i;
	FILE *f;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/thread-self/net/%s_tables_names", fams[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f) && used < sizeof(names) - 80) {
			line[strcspn(line, "\n")] = '\0';
			used += snprintf(names + used, sizeof(names) - used, "%s%s/%s",
					 used ? ", " : "", fams[i], line);
		}
		fclose(f);
	}
	if (used && asprintf(&res, "iptables-legacy tables %s: their rules are not traced", names) < 0)
		res = NULL;
	return res;
}

/* Creates our table; in the traced namespace. */
static int make_table(struct nt_nftrace *t, const struct nt_filter *f, char *why, size_t whylen)
{
	static unsigned int sessions;
	char expr[2048], reason[256], *cmd, *line, *next;
	size_t size = 65536, len = 0, n;
	unsigned int h;
	int rc = 0;

	if (nt_nftrace_filter_expr(f, expr, sizeof(expr), reason, sizeof(reason)) < 0) {
		snprintf(why, whylen, "nft tracing: %s", reason);
		return -EINVAL;
	}
	if (sessions++)
		snprintf(t->table, sizeof(t->table), "nettrace_%d_%u", (int)getpid(), sessions);
	else
		snprintf(t->table, sizeof(t->table), "nettrace_%d", (int)getpid());
	cmd = malloc(size);
	if (!cmd)
		return -ENOMEM;
	len += snprintf(cmd + len, size - len, "table inet %s {\n\tflags owner\n", t->table);
	for (h = 0; h < sizeof(hooks) / sizeof(hooks[0]); h++) {
		len += snprintf(cmd + len, size - len,
				"\tchain %s {\n\t\ttype filter hook %s priority -2147483647; "
				"policy accept;\n", hooks[h], hooks[h]);
		/* One rule per line of the expression (expr < 2 KiB: cmd cannot overflow). */
		for (line = expr; line; line = next) {
			next = strchr(line, '\n');
			n = next ? (size_t)(next - line) : strlen(line);
			len += snprintf(cmd + len, size - len, "\t\t%.*s%smeta nftrace set 1\n",
					(int)n, line, n ? " " : "");
			if (next)
				next++;
		}
		len += snprintf(cmd + len, size - len, "\t}\n");
	}
	snprintf(cmd + len, size - len, "}\n");
	if (nft_run_cmd_from_buffer(t->nft, cmd))
		rc = nft_error(t, "creating the trace table", why, whylen);
	else
		t->made = true;
	free(cmd);
	return rc;
}

/* Whether the namespace has any nftables table (iptables-nft makes them too). */
static bool has_tables(struct nt_nftrace *t)
{
	const char *out;

	if (nft_run_cmd_from_buffer(t->nft, "list tables"))
		return true; /* cannot tell: trace */
	out = nft_ctx_get_output_buffer(t->nft);
	return out && strstr(out, "table ");
}

/* Everything that must be made inside the traced namespace. */
static int start_here(struct nt_nftrace *t, const struct nt_filter *f, char *why, size_t whylen)
{
	int err;

	t->trace = nl_open(NFNLGRP_NFTRACE, 8 << 20);
	if (!t->trace) {
		err = errno;
		snprintf(why, whylen, "nft tracing: netlink (NFNLGRP_NFTRACE): %s", strerror(err));
		return -err;
	}
	t->gen = nl_open(NFNLGRP_NFTABLES, 0);
	if (!t->gen) {
		err = errno;
		snprintf(why, whylen, "nft tracing: netlink (NFNLGRP_NFTABLES): %s", strerror(err));
		return -err;
	}
	t->ifsock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->ifsock < 0)
		t->ifsock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	t->nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!t->nft) {
		snprintf(why, whylen, "nft tracing: cannot make a libnftables context");
		return -ENOMEM;
	}
	nft_ctx_buffer_output(t->nft);
	nft_ctx_buffer_error(t->nft);
	nft_ctx_output_set_flags(t->nft, NFT_CTX_OUTPUT_HANDLE | NFT_CTX_OUTPUT_STATELESS);
	t->untraced = legacy_tables();
	if (!has_tables(t)) {
		/* Nothing to trace: no table of ours in a namespace that has none. */
		snprintf(why, whylen, "%s", t->untraced ? t->untraced : "no nftables tables");
		return -ENOENT;
	}
	return make_table(t, f, why, whylen);
}

int nt_nftrace_start(struct nt_nftrace **out, const struct nt_filter *f, int netns_fd, char *why,
		     size_t whylen)
{
	struct nt_nftrace *t = calloc(1, sizeof(*t));
	struct nt_netns_home home = {.fd = -1};
	int rc;

	*out = NULL;
	if (!t || !(t->rules = nt_nft_rules_new())) {
		free(t);
		snprintf(why, whylen, "nft tracing: out of memory");
		return -ENOMEM;
	}
	t->ifsock = -1;
	if (netns_fd >= 0) {
		rc = nt_netns_enter(&home, netns_fd);
		if (rc) {
			snprintf(why, whylen, "nft tracing: entering the network namespace: %s",
				 strerror(-rc));
			nt_nftrace_stop(t);
			return rc;
		}
	}
	rc = start_here(t, f, why, whylen);
	if (nt_netns_return(&home)) {
		rc = NT_NETNS_STRANDED;
		snprintf(why, whylen, "nft tracing: cannot return from the network namespace");
	}
	if (rc) {
		nt_nftrace_stop(t);
		return rc;
	}
	*out = t;
	return 0;
}

int nt_nftrace_fd(const struct nt_nftrace *t)
{
	return mnl_socket_get_fd(t->trace);
}

unsigned long nt_nftrace_lost(const struct nt_nftrace *t)
{
	return t->lost;
}

const char *nt_nftrace_untraced(const struct nt_nftrace *t)
{
	return t->untraced;
}

const char *nt_nftrace_table(const struct nt_nftrace *t)
{
	return t->table;
}

void nt_nftrace_stop(struct nt_nftrace *t)
{
	char cmd[64];

	if (!t)
		return;
	if (t->nft) {
		if (t->made) {
			snprintf(cmd, sizeof(cmd), "delete table inet %s", t->table);
			nft_run_cmd_from_buffer(t->nft, cmd);
		}
		nft_ctx_free(t->nft);
	}
	if (t->trace)
		mnl_socket_close(t->trace);
	if (t->gen)
		mnl_socket_close(t->gen);
	if (t->ifsock >= 0)
		close(t->ifsock);
	nt_nft_rules_free(t->rules);
	free(t->untraced);
	free(t);
}

#endif /* NT_NO_NFTABLES */
