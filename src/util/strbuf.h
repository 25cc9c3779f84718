/* SPDX-License-Identifier: GPL-2.0 */
/* Appending to a fixed buffer: output is cut, never overrun. */
#ifndef NT_STRBUF_H
#define NT_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;
	size_t size;
	size_t len;
};

#define STRBUF(buf) ((struct strbuf){ .s = (buf), .size = sizeof(buf), .len = 0 })

void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_puts(struct strbuf *sb, const char *s);

#endif
