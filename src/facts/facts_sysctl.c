// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl values from /proc/sys. Opened by a thread inside the namespace,
 * /proc/sys/net shows that namespace's values.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include "facts/facts_int.h"

/* The text of the file at @path, blanks and newlines squeezed to one space. */
static int read_value(const char *path, struct strbuf *out)
{
	char buf[NT_FACTS_SYSCTL_MAX * 2];
	bool blank = false;
	ssize_t n, i;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (isspace((unsigned char)buf[i])) {
			blank = true;
			continue;
		}
		if (blank && out->len)
			sb_puts(out, " ");
		blank = false;
		sb_printf(out, "%c", buf[i]);
	}
	return 0;
}

int nt_facts_read_sysctl(const union nt_facts_arg *a, __u32 netns, struct strbuf *out)
{
	char path[PATH_MAX];
	int err;

	(void)netns;
	err = nt_facts_sysctl_path(a->sysctl, false, path, sizeof(path));
	if (!err)
		err = read_value(path, out);
	/* net.ipv4.conf.eth0.100.rp_filter: a device name with dots */
	if (err == -ENOENT && !nt_facts_sysctl_path(a->sysctl, true, path, sizeof(path)))
		err = read_value(path, out);
	return err;
}
