/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the unit tests (cmocka). */
#ifndef NT_TEST_COMMON_H
#define NT_TEST_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Fails the test unless @hay contains @needle. */
#define assert_contains(hay, needle)                                                        \
	do {                                                                                \
		const char *_h = (hay), *_n = (needle);                                     \
		if (!_h || !strstr(_h, _n))                                                 \
			fail_msg("\"%s\" does not contain \"%s\"", _h ? _h : "(null)", _n); \
	} while (0)

/* Fails the test if @hay contains @needle. */
#define assert_not_contains(hay, needle)                            \
	do {                                                        \
		const char *_h = (hay), *_n = (needle);             \
		if (_h && strstr(_h, _n))                           \
			fail_msg("\"%s\" contains \"%s\"", _h, _n); \
	} while (0)

/* Output written to a FILE and read back from memory. */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static inline void capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

/* What was written so far, NUL-terminated. */
static inline const char *capture_text(struct capture *c)
{
	assert_int_equal(fflush(c->f), 0);
	return c->buf ? c->buf : "";
}

static inline void capture_close(struct capture *c)
{
	fclose(c->f);
	free(c->buf);
	c->f = NULL;
	c->buf = NULL;
}

/* Writes @text to a new temporary file; its name goes to @path (PATH_MAX). */
static inline void tmpfile_write(char *path, size_t len, const char *text)
{
	const char *dir = getenv("TMPDIR");
	size_t n = strlen(text);
	int fd;

	snprintf(path, len, "%s/nt-unit-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

/*
 * A copy of @len bytes in a heap block of exactly that size, so that a read
 * past the end is caught when run under valgrind or ASan.
 */
static inline unsigned char *exact_copy(const void *data, size_t len)
{
	unsigned char *p = malloc(len);

	if (len) {
		assert_non_null(p);
		memcpy(p, data, len);
	}
	return p;
}

#endif /* NT_TEST_COMMON_H */
