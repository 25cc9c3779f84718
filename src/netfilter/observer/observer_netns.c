// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the network namespaces to observe: every process's (/proc/PID/ns/net)
 * and every bind-mounted one (nsfs mounts: /run/netns of `ip netns`, docker's,
 * ...), which may have no process in it. Each namespace is kept once, by inode,
 * with an open fd to setns() into.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netfilter/observer/observer.h"

struct nslist {
	struct nt_netns *v;
	size_t n, cap;
	__u32 only;
};

static __u32 fd_inum(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : (__u32)st.st_ino;
}

__u32 nt_netns_self(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (__u32)st.st_ino;
}

/* Adds the namespace of @path unless already there. 0, or -ENOMEM. */
static int add_path(struct nslist *l, const char *path)
{
	struct nt_netns *v;
	struct stat st;
	size_t i;
	int fd;

	/* stat first: most entries repeat a namespace already kept, and need no open. */
	if (stat(path, &st))
		return 0;
	if (l->only && (__u32)st.st_ino != l->only)
		return 0;
	for (i = 0; i < l->n; i++)
		if (l->v[i].inum == (__u32)st.st_ino)
			return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;		       /* gone meanwhile, or not ours to open */
	if (fd_inum(fd) != (__u32)st.st_ino) { /* replaced between stat and open */
		close(fd);
		return 0;
	}
	if (l->n == l->cap) {
		v = realloc(l->v, (l->cap ? l->cap * 2 : 16) * sizeof(*v));
		if (!v) {
			close(fd);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	l->v[l->n].inum = (__u32)st.st_ino;
	l->v[l->n].fd = fd;
	l->n++;
	return 0;
}

static int add_dir(struct nslist *l, const char *dir, bool pids)
{
	char path[320];
	struct dirent *d;
	DIR *dp;
	int err = 0;

	dp = opendir(dir);
	if (!dp)
		return 0; /* /run/netns need not exist */
	while (!err && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		if (pids && (d->d_name[0] < '0' || d->d_name[0] > '9'))
			continue;
		if (pids)
			snprintf(path, sizeof(path), "%s/%s/ns/net", dir, d->d_name);
		else
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		err = add_path(l, path);
	}
	closedir(dp);
	return err;
}

/* Undoes the octal escapes (\040 ...) of a mountinfo field, in place. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Network namespaces bind-mounted anywhere: nsfs mounts whose root is "net:[N]". */
static int add_mounts(struct nslist *l)
{
	char line[4096], *f[6], *save, *dash;
	FILE *fp = fopen("/proc/self/mountinfo", "re");
	int i, err = 0;

	if (!fp)
		return 0;
	while (!err && fgets(line, sizeof(line), fp)) {
		dash = strstr(line, " - nsfs ");
		if (!dash)
			continue;
		*dash = '\0';
		f[0] = strtok_r(line, " ", &save);
		for (i = 1; i < 6 && f[i - 1]; i++)
			f[i] = strtok_r(NULL, " ", &save);
		/* id parent major:minor root mountpoint ... */
		if (i < 6 || !f[3] || !f[4] || strncmp(f[3], "net:[", 5))
			continue;
		unescape(f[4]);
		err = add_path(l, f[4]);
	}
	fclose(fp);
	return err;
}

int nt_netns_list(struct nt_netns **out, __u32 only)
{
	struct nslist l = {.only = only};
	int err;

	*out = NULL;
	err = add_path(&l, "/proc/self/ns/net");
	if (!err && !(only && l.n))
		err = add_dir(&l, "/proc", true);
	if (!err && !(only && l.n))
		err = add_dir(&l, "/run/netns", false);
	if (!err && !(only && l.n))
		err = add_mounts(&l);
	if (err) {
		nt_netns_free(l.v, l.n);
		return err;
	}
	*out = l.v;
	return (int)l.n;
}

void nt_netns_free(struct nt_netns *ns, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ns[i].fd >= 0)
			close(ns[i].fd);
	free(ns);
}
