// SPDX-License-Identifier: GPL-2.0
/*
 * Entering a network namespace by inode and coming back, for the facts:
 * src/netns/ does both, with its one failure policy (once a return has
 * failed, nt_netns_stranded() and every entry is refused); this keeps where
 * each namespace was last found, so that /proc is not searched on every read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include "facts/facts_int.h"

/* Where namespaces were found, so that /proc is not searched on every read. */
#define PLACES 16

static struct place {
	__u32 inum;
	char path[PATH_MAX];
} places[PLACES];
static unsigned int next_place;

/* Whether @path is still a file of namespace @inum (a pid may have been reused). */
static bool place_ok(const char *path, __u32 inum)
{
	struct stat st;

	return !stat(path, &st) && (__u32)st.st_ino == inum;
}

static int open_ns(__u32 inum)
{
	struct place *p;
	char path[PATH_MAX];
	int fd, i;

	for (i = 0; i < PLACES; i++) {
		p = &places[i];
		if (p->inum == inum && place_ok(p->path, inum)) {
			fd = open(p->path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0)
				return fd;
		}
	}
	if (nt_netns_find(inum, true, path, sizeof(path)))
		return -ESRCH;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	p = &places[next_place++ % PLACES];
	p->inum = inum;
	snprintf(p->path, sizeof(p->path), "%s", path);
	return fd;
}

bool nt_facts_ns_stranded(void)
{
	return nt_netns_stranded();
}

int nt_facts_ns_enter(__u32 inum, struct nt_netns_home *home)
{
	int fd, err;

	home->fd = -1;
	if (nt_netns_stranded())
		return NT_NETNS_STRANDED;
	if (nt_netns_self() == inum)
		return 0; /* there already */
	fd = open_ns(inum);
	if (fd < 0)
		return fd;
	err = nt_netns_enter(home, fd);
	close(fd);
	return err;
}

int nt_facts_ns_return(struct nt_netns_home *home)
{
	return nt_netns_return(home);
}
