// SPDX-License-Identifier: GPL-2.0
/*
 * The sockets listening on a port (sock_diag: TCP in LISTEN, UDP bound and
 * not connected), and the processes of the namespace that hold them (their
 * /proc/PID/fd links name the socket's inode).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include "facts/facts_int.h"

#define SOCK_MAX    16
#define OWNER_LINKS 4096 /* open files looked at for owners, at most */

/* TCP states (include/net/tcp_states.h) */
#define NT_TCP_CLOSE  7
#define NT_TCP_LISTEN 10

struct sock_ent {
	struct inet_diag_msg m;
	int pid; /* 0: not found */
	char comm[24];
};

struct sock_ctx {
	__u16 port;
	struct sock_ent e[SOCK_MAX];
	int n;
	bool more; /* some left out */
};

void nt_facts_sock_text(int proto, const struct inet_diag_msg *m, int pid, const char *comm,
			struct strbuf *out)
{
	sb_printf(out, "%s ", proto == IPPROTO_TCP ? "tcp" : "udp");
	nt_facts_addr_text(m->idiag_family, m->id.idiag_src, true, out);
	sb_printf(out, ":%u", ntohs(m->id.idiag_sport));
	if (pid)
		sb_printf(out, " (pid %d %s)", pid, comm);
}

static int sock_cb(const struct nlmsghdr *nlh, void *ctx)
{
	const struct inet_diag_msg *m = NLMSG_DATA(nlh);
	struct sock_ctx *c = ctx;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
	    ntohs(m->id.idiag_sport) != c->port)
		return 0;
	if (c->n == SOCK_MAX) {
		c->more = true;
		return 0;
	}
	memset(&c->e[c->n], 0, sizeof(c->e[0]));
	c->e[c->n++].m = *m;
	return 0;
}

static int dump(int fd, int family, const struct nt_facts_listen_arg *l, struct sock_ctx *c)
{
	struct inet_diag_req_v2 r = {
		.sdiag_family = (__u8)family,
		.sdiag_protocol = (__u8)l->proto,
		.idiag_states = 1u << (l->proto == IPPROTO_TCP ? NT_TCP_LISTEN : NT_TCP_CLOSE),
	};

	return nt_facts_nl_dump(fd, SOCK_DIAG_BY_FAMILY, &r, sizeof(r), sock_cb, c);
}

/* The socket inode that link @name of directory @dir names, 0 if none. */
static __u32 fd_socket(int dir, const char *name)
{
	char link[64];
	unsigned int ino;
	ssize_t n;

	n = readlinkat(dir, name, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	return sscanf(link, "socket:[%u]", &ino) == 1 ? ino : 0;
}

/* Process @pid's name into @comm. */
static void comm_of(const char *pid, char *comm, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%.20s/comm", pid);
	f = fopen(path, "re");
	if (!f || !fgets(comm, (int)len, f))
		snprintf(comm, len, "?");
	comm[strcspn(comm, "\n")] = '\0';
	if (f)
		fclose(f);
}

/*
 * Gives entries the pid of a process of namespace @netns that holds them.
 * There is no asking the kernel which process holds a socket: every open
 * file of the namespace's processes is looked at, as ss -p does, at most
 * OWNER_LINKS of them, so that a host with many does not stall a diagnosis.
 */
static void owners(struct sock_ctx *c, __u32 netns)
{
	struct dirent *p, *f;
	int left = c->n, links = OWNER_LINKS, i;
	char path[64];
	struct stat st;
	DIR *procs, *fds;
	__u32 ino;

	procs = opendir("/proc");
	while (procs && left && links > 0 && (p = readdir(procs))) {
		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/ns/net", p->d_name);
		if (stat(path, &st) || (__u32)st.st_ino != netns)
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/fd", p->d_name);
		fds = opendir(path);
		while (fds && left && links > 0 && (f = readdir(fds))) {
			if (f->d_name[0] == '.')
				continue;
			links--;
			ino = fd_socket(dirfd(fds), f->d_name);
			for (i = 0; ino && i < c->n; i++) {
				if (c->e[i].pid || c->e[i].m.idiag_inode != ino)
					continue;
				c->e[i].pid = atoi(p->d_name);
				comm_of(p->d_name, c->e[i].comm, sizeof(c->e[i].comm));
				left--;
			}
		}
		if (fds)
			closedir(fds);
	}
	if (procs)
		closedir(procs);
}

int nt_facts_read_listen(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	struct sock_ctx c = {.port = a->listen.port};
	int fd, err4, err6, i;

	fd = nt_facts_nl_open(NETLINK_SOCK_DIAG);
	if (fd < 0)
		return fd;
	err4 = dump(fd, AF_INET, &a->listen, &c);
	err6 = dump(fd, AF_INET6, &a->listen, &c); /* fails where IPv6 is off */
	close(fd);
	if (err4 && err6)
		return err4;
	owners(&c, netns);
	for (i = 0; i < c.n; i++) {
		nt_facts_sep(out);
		nt_facts_sock_text(a->listen.proto, &c.e[i].m, c.e[i].pid, c.e[i].comm, out);
	}
	if (c.more)
		sb_puts(out, ", ...");
	if (!c.n)
		sb_puts(out, "none");
	return 0;
}
