/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the unit tests: a strict JSON checker (RFC 8259 values, UTF-8 in
 * strings, control characters escaped) and the assertion built on it.
 */
#ifndef NT_TEST_JSON_CHECK_H
#define NT_TEST_JSON_CHECK_H

#include <stdbool.h>
#include "common.h"

static void jws(const char **s)
{
	while (**s == ' ' || **s == '\t' || **s == '\n' || **s == '\r')
		(*s)++;
}

/* One UTF-8 sequence of 2 to 4 bytes: no overlong forms, no surrogates. */
static bool jutf8(const char **s)
{
	const unsigned char *c = (const unsigned char *)*s;
	unsigned int cp, n, i;

	if (c[0] >= 0xc2 && c[0] <= 0xdf) {
		n = 1;
		cp = c[0] & 0x1f;
	} else if (c[0] >= 0xe0 && c[0] <= 0xef) {
		n = 2;
		cp = c[0] & 0x0f;
	} else if (c[0] >= 0xf0 && c[0] <= 0xf4) {
		n = 3;
		cp = c[0] & 0x07;
	} else {
		return false;
	}
	for (i = 1; i <= n; i++) {
		if ((c[i] & 0xc0) != 0x80)
			return false;
		cp = cp << 6 | (c[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	*s += n + 1;
	return true;
}

static bool jstring(const char **s)
{
	const unsigned char *c;
	int i;

	if (**s != '"')
		return false;
	(*s)++;
	for (;;) {
		c = (const unsigned char *)*s;
		if (*c == '"') {
			(*s)++;
			return true;
		}
		if (*c < 0x20)
			return false; /* control characters, and the end of the text */
		if (*c == '\\') {
			c++;
			if (*c == 'u') {
				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", c[i]) || !c[i])
						return false;
				*s += 6;
			} else if (*c && strchr("\"\\/bfnrt", *c)) {
				*s += 2;
			} else {
				return false;
			}
		} else if (*c >= 0x80) {
			if (!jutf8(s))
				return false;
		} else {
			(*s)++;
		}
	}
}

static bool jdigits(const char **s)
{
	const char *start = *s;

	while (**s >= '0' && **s <= '9')
		(*s)++;
	return *s > start;
}

static bool jnumber(const char **s)
{
	if (**s == '-')
		(*s)++;
	if (**s == '0')
		(*s)++;
	else if (!jdigits(s))
		return false;
	if (**s == '.') {
		(*s)++;
		if (!jdigits(s))
			return false;
	}
	if (**s == 'e' || **s == 'E') {
		(*s)++;
		if (**s == '+' || **s == '-')
			(*s)++;
		if (!jdigits(s))
			return false;
	}
	return true;
}

static bool jvalue(const char **s, int depth);

static bool jcontainer(const char **s, int depth, char close, bool keys)
{
	(*s)++;
	jws(s);
	if (**s == close) {
		(*s)++;
		return true;
	}
	for (;;) {
		jws(s);
		if (keys) {
			if (!jstring(s))
				return false;
			jws(s);
			if (**s != ':')
				return false;
			(*s)++;
		}
		if (!jvalue(s, depth + 1))
			return false;
		jws(s);
		if (**s == close) {
			(*s)++;
			return true;
		}
		if (**s != ',')
			return false;
		(*s)++;
	}
}

static bool jvalue(const char **s, int depth)
{
	if (depth > 64)
		return false;
	jws(s);
	switch (**s) {
	case '{':
		return jcontainer(s, depth, '}', true);
	case '[':
		return jcontainer(s, depth, ']', false);
	case '"':
		return jstring(s);
	case 't':
		return !strncmp(*s, "true", 4) && (*s += 4);
	case 'f':
		return !strncmp(*s, "false", 5) && (*s += 5);
	case 'n':
		return !strncmp(*s, "null", 4) && (*s += 4);
	}
	return jnumber(s);
}

/* @text with bytes outside printable ASCII as \xNN, for messages (static). */
static const char *printable(const char *text)
{
	static char buf[2048];
	const unsigned char *c;
	size_t n = 0;

	for (c = (const unsigned char *)text; *c && n + 5 < sizeof(buf); c++) {
		if (*c >= 0x20 && *c < 0x7f)
			buf[n++] = *c;
		else
			n += snprintf(buf + n, sizeof(buf) - n, "\\x%02x", *c);
	}
	buf[n] = '\0';
	return buf;
}

/* One JSON object on one line, ending in a newline. */
static void assert_json_line(const char *text)
{
	const char *s = text;
	size_t len = strlen(text);

	if (!len || text[len - 1] != '\n' || strchr(text, '\n') != text + len - 1)
		fail_msg("not one line ending in a newline: \"%s\"", printable(text));
	jws(&s);
	if (*s != '{' || !jvalue(&s, 0))
		fail_msg("invalid JSON near offset %td: \"%s\"", s - text, printable(text));
	jws(&s);
	if (*s)
		fail_msg("text after the JSON value at offset %td: \"%s\"", s - text,
			 printable(text));
}

/* The same: what JSON output prints is one object per line. */
#define assert_json(text) assert_json_line(text)

#endif
