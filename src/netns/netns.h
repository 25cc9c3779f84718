/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces: finding them (src/netns/netns_list.c), entering one and
 * coming back (src/netns/netns.c).
 *
 * One failure policy. Entering may fail: the thread has not moved, the caller
 * skips that namespace. Coming back must not fail: a thread left in another
 * namespace would link, read and trace the wrong one. When it does fail,
 * nt_netns_return() prints one message (nt_err, naming both namespaces and the
 * errno) and returns NT_NETNS_STRANDED; from then on nt_netns_stranded() is
 * true and nt_netns_enter() refuses. Callers pass NT_NETNS_STRANDED up and
 * nettrace stops with exit status 1 (the event pipeline checks
 * nt_netns_stranded() after every poll, so a failure inside a periodic refresh
 * stops the run too). Library code never calls exit().
 */
#ifndef NT_NETNS_H
#define NT_NETNS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* A thread could not come back to its own network namespace (see above). */
#define NT_NETNS_STRANDED (-ENOTRECOVERABLE)

struct nt_netns {
	__u32 inum;	  /* inode of the namespace */
	int fd;		  /* open nsfs file, for nt_netns_enter(); -1 when not opened */
	char *path;	  /* a file of it: /run/netns/NAME if it has one, else the first found */
	const char *name; /* its /run/netns name (inside path), NULL if none */
};

enum nt_netns_scan_flags {
	NT_NETNS_NO_FD = 1 << 0, /* do not keep an fd open (fd stays -1) */
	NT_NETNS_NAMED = 1 << 1, /* only the namespaces of /run/netns */
};

/*
 * The distinct network namespaces under @root ("/" or NULL: this machine;
 * tests pass a directory laid out like it): the caller's own
 * (proc/self/ns/net) first, then those named in run/netns, those of every
 * process (proc/PID/ns/net) and every nsfs bind mount listed in
 * proc/self/mountinfo, each once, by inode; only files on the device of
 * proc/self/ns/net count. @only != 0: just that inode. Returns how many (0
 * with @only: not found), or -errno; free with nt_netns_free().
 */
int nt_netns_scan(const char *root, __u32 only, unsigned int flags, struct nt_netns **out);
/* nt_netns_scan() of this machine, each with an open fd. */
int nt_netns_list(struct nt_netns **out, __u32 only);
void nt_netns_free(struct nt_netns *ns, size_t n);

/* The calling thread's network namespace inode, 0 if unreadable. */
__u32 nt_netns_self(void);

/*
 * A file of the namespace with inode @inum: its /run/netns path, else (if
 * @procs) any other (/proc/PID/ns/net, a bind mount). 0, or -ENOENT.
 */
int nt_netns_find(__u32 inum, bool procs, char *path, size_t len);

/* Where a thread that entered another namespace comes back to. */
struct nt_netns_home {
	int fd;	    /* the thread's own namespace, open while away; -1 when home */
	__u32 inum; /* its inode */
	__u32 away; /* the namespace entered */
};

/*
 * Moves the calling thread into the namespace of @fd, keeping its own open in
 * @home. 0, or -errno with the thread where it was (nothing to undo);
 * NT_NETNS_STRANDED once a return has failed.
 */
int nt_netns_enter(struct nt_netns_home *home, int fd);
/* The same, for the namespace with inode @inum (found with nt_netns_scan). -ENOENT: none. */
int nt_netns_enter_inode(struct nt_netns_home *home, __u32 inum);
/* Back to @home. 0, or NT_NETNS_STRANDED (said with nt_err). A home not left is a no-op. */
int nt_netns_return(struct nt_netns_home *home);
/* True once a thread could not come back: nettrace must stop, with exit status 1. */
bool nt_netns_stranded(void);

#endif
