/* SPDX-License-Identifier: GPL-2.0 */
/* A small JSON writer: one object per line, keys in call order. */
#ifndef NT_JSON_H
#define NT_JSON_H

#include <stdbool.h>
#include <stdio.h>

struct json {
	FILE *f;
	int depth;
	bool first; /* no member written yet at this depth */
};

void json_begin(struct json *j, FILE *f);  /* '{' */
void json_end(struct json *j);             /* '}' and newline */
void json_obj_open(struct json *j, const char *key);
void json_arr_open(struct json *j, const char *key);
void json_close(struct json *j, char bracket); /* '}' or ']' */
void json_str(struct json *j, const char *key, const char *val); /* key NULL in arrays */
void json_uint(struct json *j, const char *key, unsigned long long val);
void json_int(struct json *j, const char *key, long long val);
void json_bool(struct json *j, const char *key, bool val);

#endif
