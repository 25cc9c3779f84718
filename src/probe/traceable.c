// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probe/traceable.h"
#include "util/array.h"

static const char *const paths[] = {
	"/sys/kernel/tracing/available_filter_functions",
	"/sys/kernel/debug/tracing/available_filter_functions",
};

/* The whole file, NUL-terminated, in *buf. 0 or -errno. */
static int slurp(const char *path, char **buf)
{
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, err = 0;

	*buf = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		err = nt_grow((void **)buf, &cap, len + 65536 + 1, 1);
		if (err)
			break;
		n = read(fd, *buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		len += n;
	}
	close(fd);
	if (err) {
		free(*buf);
		*buf = NULL;
		return err;
	}
	(*buf)[len] = '\0';
	return 0;
}

int nt_traceable_load(struct nt_traceable *t, const char *path)
{
	size_t i, lines = 0;
	char *p, *end;
	int err = -ENOENT;

	memset(t, 0, sizeof(*t));
	t->tried = true;
	if (path)
		err = slurp(path, &t->buf);
	for (i = 0; !path && err && i < sizeof(paths) / sizeof(paths[0]); i++)
		err = slurp(paths[i], &t->buf);
	if (err)
		return err;
	for (p = t->buf; *p; p++)
		lines += *p == '\n';
	err = nt_strset_init(&t->names, lines + 1);
	/* "name" or "name [module]" per line. */
	for (p = t->buf; !err && *p; p = end) {
		end = p + strcspn(p, "\n");
		if (*end)
			*end++ = '\0';
		p[strcspn(p, " \t")] = '\0';
		if (*p)
			err = nt_strset_add(&t->names, p);
	}
	if (err) {
		nt_traceable_free(t);
		t->tried = true;
	}
	return err;
}

bool nt_traceable_has(const struct nt_traceable *t, const char *name)
{
	return nt_strset_has(&t->names, name);
}

void nt_traceable_free(struct nt_traceable *t)
{
	free(t->buf);
	nt_strset_free(&t->names);
	memset(t, 0, sizeof(*t));
}
