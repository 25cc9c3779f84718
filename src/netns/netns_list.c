// SPDX-License-Identifier: GPL-2.0
/*
 * Finding network namespaces: the caller's own, the named ones (/run/netns of
 * `ip netns`), every process's (/proc/PID/ns/net) and every nsfs bind mount
 * (docker's, ...), which may have no process in it. Each is kept once, by
 * inode; a name found later is merged into an entry found first elsewhere.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netns/netns.h"
#include "util/array.h"

struct scan {
	const char *root; /* "" for this machine */
	__u32 only;
	unsigned int flags;
	dev_t dev; /* nsfs: the device of proc/self/ns/net */
	struct nt_netns *v;
	size_t n, cap;
};

static struct nt_netns *find(struct scan *s, __u32 inum)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].inum == inum)
			return &s->v[i];
	return NULL;
}

/* Opens @path unless told not to; -1 when it cannot be, or is no longer, @inum. */
static int open_ns(const struct scan *s, const char *path, __u32 inum, bool *skip)
{
	struct stat st;
	int fd;

	*skip = false;
	if (s->flags & NT_NETNS_NO_FD)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && (__u32)st.st_ino == inum)
		return fd;
	if (fd >= 0)
		close(fd);
	*skip = true; /* gone meanwhile, replaced, or not ours to open */
	return -1;
}

/* Adds the namespace of @path (@name: its /run/netns name) unless kept already. 0 or -ENOMEM. */
static int add(struct scan *s, const char *path, bool named)
{
	struct nt_netns *e;
	struct stat st;
	char *copy;
	bool skip;
	int fd;

	/* stat first: most paths repeat a namespace kept already, and need no open. */
	if (stat(path, &st) || st.st_dev != s->dev)
		return 0;
	if (s->only && (__u32)st.st_ino != s->only)
		return 0;
	e = find(s, (__u32)st.st_ino);
	if (e && (e->name || !named))
		return 0;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	if (e) { /* a name for a namespace found first elsewhere */
		free(e->path);
		e->path = copy;
		e->name = strrchr(copy, '/') + 1;
		return 0;
	}
	fd = open_ns(s, path, (__u32)st.st_ino, &skip);
	if (skip || nt_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v))) {
		if (fd >= 0)
			close(fd);
		free(copy);
		return skip ? 0 : -ENOMEM;
	}
	s->v[s->n++] = (struct nt_netns){
		.inum = (__u32)st.st_ino,
		.fd = fd,
		.path = copy,
		.name = named ? strrchr(copy, '/') + 1 : NULL,
	};
	return 0;
}

/* Every entry of root/@dir (pids: the numeric ones, as DIR/PID/ns/net). */
static int add_dir(struct scan *s, const char *dir, bool pids)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int err = 0;

	snprintf(path, sizeof(path), "%s%s", s->root, dir);
	dp = opendir(path);
	if (!dp)
		return 0; /* /run/netns need not exist */
	while (!err && (d = readdir(dp))) {
		if (d->d_name[0] == '.' || (pids && !isdigit((unsigned char)d->d_name[0])))
			continue;
		snprintf(path, sizeof(path), "%s%s/%s%s", s->root, dir, d->d_name,
			 pids ? "/ns/net" : "");
		err = add(s, path, !pids);
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
static int add_mounts(struct scan *s)
{
	char line[4096], path[PATH_MAX], *f[6], *save, *dash;
	int i, err = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", s->root);
	fp = fopen(path, "re");
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
		snprintf(path, sizeof(path), "%s%s", s->root, f[4]);
		err = add(s, path, false);
	}
	fclose(fp);
	return err;
}

int nt_netns_scan(const char *root, __u32 only, unsigned int flags, struct nt_netns **out)
{
	struct scan s = {
		.root = root && strcmp(root, "/") ? root : "", .only = only, .flags = flags};
	char self[PATH_MAX];
	struct stat st;
	int err;

	*out = NULL;
	snprintf(self, sizeof(self), "%s/proc/self/ns/net", s.root);
	if (stat(self, &st))
		return -errno;
	s.dev = st.st_dev;
	err = flags & NT_NETNS_NAMED ? 0 : add(&s, self, false);
	if (!err)
		err = add_dir(&s, "/run/netns", false);
	/* The names are in: with @only found, the rest would add nothing. */
	if (!err && !(flags & NT_NETNS_NAMED) && !(only && s.n))
		err = add_dir(&s, "/proc", true);
	if (!err && !(flags & NT_NETNS_NAMED) && !(only && s.n))
		err = add_mounts(&s);
	if (err) {
		nt_netns_free(s.v, s.n);
		return err;
	}
	*out = s.v;
	return (int)s.n;
}

int nt_netns_list(struct nt_netns **out, __u32 only)
{
	return nt_netns_scan(NULL, only, 0, out);
}

void nt_netns_free(struct nt_netns *ns, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ns[i].fd >= 0)
			close(ns[i].fd);
		free(ns[i].path);
	}
	free(ns);
}

int nt_netns_find(__u32 inum, bool procs, char *path, size_t len)
{
	struct nt_netns *v;
	int n = nt_netns_scan(NULL, inum, NT_NETNS_NO_FD | (procs ? 0 : NT_NETNS_NAMED), &v);

	if (n > 0)
		snprintf(path, len, "%s", v[0].path);
	if (n >= 0)
		nt_netns_free(v, (size_t)n);
	return n > 0 ? 0 : -ENOENT;
}
