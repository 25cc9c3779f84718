// SPDX-License-Identifier: GPL-2.0
/* Finding a network namespace file by its inode: /run/netns/, then /proc/PID/ns/net. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "netfilter/inventory/inventory.h"

/* Namespace files live on nsfs: a file elsewhere with the same inode number is no match. */
static int search_dir(const char *dir, const char *suffix, bool numeric, dev_t dev, __u32 ino,
		      char *path, size_t len)
{
	struct dirent *d;
	struct stat st;
	char p[512];
	DIR *dp;
	int err = -ENOENT;

	dp = opendir(dir);
	if (!dp)
		return -ENOENT;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.' || (numeric && !isdigit((unsigned char)d->d_name[0])))
			continue;
		snprintf(p, sizeof(p), "%s/%s%s", dir, d->d_name, suffix);
		if (stat(p, &st) || st.st_ino != ino || st.st_dev != dev)
			continue;
		snprintf(path, len, "%s", p);
		err = 0;
		break;
	}
	closedir(dp);
	return err;
}

int nt_hooks_netns_find(__u32 ino, bool procs, char *path, size_t len)
{
	struct stat self;

	if (stat("/proc/self/ns/net", &self))
		return -errno;
	if (!search_dir("/run/netns", "", false, self.st_dev, ino, path, len))
		return 0;
	if (procs && !search_dir("/proc", "/ns/net", true, self.st_dev, ino, path, len))
		return 0;
	return -ENOENT;
}
