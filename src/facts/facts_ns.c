// SPDX-License-Identifier: GPL-2.0
/*
 * Entering a network namespace by inode and coming back, for the facts.
 * Private stand-in for src/netns/ (nt_netns_enter_inode / nt_netns_return,
 * branch `defects`), with the same policy: entering may fail (the thread has
 * not moved); coming back must not, and once it has failed every entry is
 * refused with -ENOTRECOVERABLE. Replace this file by calls to src/netns/
 * when it lands.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "facts/facts_int.h"
#include "netfilter/inventory/inventory.h"
#include "util/log.h"

/* Where namespaces were found, so that /proc is not searched on every read. */
#define PLACES 16

static struct place {
	__u32 inum;
	char path[PATH_MAX];
} places[PLACES];
static unsigned int next_place;
static bool stranded;

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
	if (nt_hooks_netns_find(inum, true, path, sizeof(path)))
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
	return stranded;
}

int nt_facts_ns_enter(__u32 inum, int *home)
{
	struct stat st;
	int fd, err;

	*home = -1;
	if (stranded)
		return -ENOTRECOVERABLE;
	*home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*home < 0)
		return -errno;
	if (fstat(*home, &st) == 0 && (__u32)st.st_ino == inum) {
		close(*home); /* there already */
		*home = -1;
		return 0;
	}
	fd = open_ns(inum);
	if (fd < 0) {
		close(*home);
		*home = -1;
		return fd;
	}
	err = setns(fd, CLONE_NEWNET) ? -errno : 0;
	close(fd);
	if (err) {
		close(*home);
		*home = -1;
	}
	return err;
}

int nt_facts_ns_return(int *home)
{
	int err;

	if (*home < 0)
		return 0;
	err = setns(*home, CLONE_NEWNET) ? errno : 0;
	close(*home);
	*home = -1;
	if (!err)
		return 0;
	stranded = true;
	nt_err("cannot return to nettrace's own network namespace after reading a fact: %s",
	       strerror(err));
	return -ENOTRECOVERABLE;
}
