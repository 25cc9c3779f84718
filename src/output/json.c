// SPDX-License-Identifier: GPL-2.0
#include "output/json.h"

/* Length of the valid UTF-8 sequence at c (1 to 4), or 0 if it is not one. */
static int utf8_len(const unsigned char *c)
{
	int n, i;

	if (*c >= 0xc2 && *c <= 0xdf)
		n = 2;
	else if (*c >= 0xe0 && *c <= 0xef)
		n = 3;
	else if (*c >= 0xf0 && *c <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((c[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A JSON string; bytes that are not UTF-8 (a comm can hold any) become \u00XX. */
static void quoted(FILE *f, const char *s)
{
	const unsigned char *c;
	int n;

	fputc('"', f);
	for (c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\') {
			fprintf(f, "\\%c", *c);
		} else if (*c < 0x20 || *c == 0x7f) {
			fprintf(f, "\\u%04x", *c);
		} else if (*c < 0x80) {
			fputc(*c, f);
		} else if ((n = utf8_len(c))) {
			fwrite(c, 1, n, f);
			c += n - 1;
		} else {
			fprintf(f, "\\u%04x", *c);
		}
	}
	fputc('"', f);
}

static void member(struct json *j, const char *key)
{
	if (!j->first)
		fputc(',', j->f);
	j->first = false;
	if (key) {
		quoted(j->f, key);
		fputc(':', j->f);
	}
}

void json_begin(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 1;
	j->first = true;
	fputc('{', f);
}

void json_end(struct json *j)
{
	fputs("}\n", j->f);
	j->depth = 0;
}

void json_obj_open(struct json *j, const char *key)
{
	member(j, key);
	fputc('{', j->f);
	j->depth++;
	j->first = true;
}

void json_arr_open(struct json *j, const char *key)
{
	member(j, key);
	fputc('[', j->f);
	j->depth++;
	j->first = true;
}

void json_close(struct json *j, char bracket)
{
	fputc(bracket, j->f);
	j->depth--;
	j->first = false;
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	quoted(j->f, val);
}

void json_uint(struct json *j, const char *key, unsigned long long val)
{
	member(j, key);
	fprintf(j->f, "%llu", val);
}

void json_int(struct json *j, const char *key, long long val)
{
	member(j, key);
	fprintf(j->f, "%lld", val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}
