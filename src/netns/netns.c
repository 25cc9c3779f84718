// SPDX-License-Identifier: GPL-2.0
/* Entering a network namespace and coming back, with one failure policy (see netns.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netns/netns.h"
#include "util/log.h"

#define THREAD_NS "/proc/thread-self/ns/net"

static volatile bool stranded;

static __u32 fd_inum(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : (__u32)st.st_ino;
}

__u32 nt_netns_self(void)
{
	struct stat st;

	return stat(THREAD_NS, &st) ? 0 : (__u32)st.st_ino;
}

bool nt_netns_stranded(void)
{
	return stranded;
}

int nt_netns_enter(struct nt_netns_home *home, int fd)
{
	int err;

	home->fd = -1;
	home->inum = home->away = 0;
	if (stranded)
		return NT_NETNS_STRANDED;
	home->fd = open(THREAD_NS, O_RDONLY | O_CLOEXEC);
	if (home->fd < 0)
		return -errno;
	home->inum = fd_inum(home->fd);
	home->away = fd_inum(fd);
	if (setns(fd, CLONE_NEWNET)) {
		err = -errno;
		close(home->fd);
		home->fd = -1;
		return err;
	}
	return 0;
}

int nt_netns_enter_inode(struct nt_netns_home *home, __u32 inum)
{
	struct nt_netns *v;
	int n, err;

	home->fd = -1;
	if (stranded)
		return NT_NETNS_STRANDED;
	n = nt_netns_list(&v, inum);
	if (n <= 0)
		return n < 0 ? n : -ENOENT;
	err = nt_netns_enter(home, v[0].fd);
	nt_netns_free(v, (size_t)n);
	return err;
}

int nt_netns_return(struct nt_netns_home *home)
{
	int err = 0;

	if (home->fd < 0)
		return 0;
	if (setns(home->fd, CLONE_NEWNET)) {
		err = errno;
		stranded = true;
		nt_err("cannot return from network namespace %u to nettrace's own (%u): %s (%s); "
		       "stopping",
		       home->away, home->inum, strerrorname_np(err) ?: "?", strerror(err));
	}
	close(home->fd);
	home->fd = -1;
	return err ? NT_NETNS_STRANDED : 0;
}
