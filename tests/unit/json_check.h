/* SPDX-License-Identifier: GPL-2.0 */
/* For the unit tests: a small JSON checker (the structure, not every escape). */
#ifndef NT_TEST_JSON_CHECK_H
#define NT_TEST_JSON_CHECK_H

#include <stdbool.h>
#include "common.h"


static bool jvalue(const char **s);

static void jws(const char **s)
{
	while (**s == ' ' || **s == '\n')
		(*s)++;
}

static bool jstring(const char **s)
{
	if (**s != '"')
		return false;
	for ((*s)++; **s && **s != '"'; (*s)++)
		if (**s == '\\' && !*++(*s))
			return false;
	if (**s != '"')
		return false;
	(*s)++;
	return true;
}

static bool jcontainer(const char **s, char close, bool keys)
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
			if (*(*s)++ != ':')
				return false;
		}
		if (!jvalue(s))
			return false;
		jws(s);
		if (**s == close) {
			(*s)++;
			return true;
		}
		if (*(*s)++ != ',')
			return false;
	}
}

static bool jvalue(const char **s)
{
	jws(s);
	if (**s == '{')
		return jcontainer(s, '}', true);
	if (**s == '[')
		return jcontainer(s, ']', false);
	if (**s == '"')
		return jstring(s);
	if (!strncmp(*s, "true", 4) || !strncmp(*s, "null", 4)) {
		*s += 4;
		return true;
	}
	if (!strncmp(*s, "false", 5)) {
		*s += 5;
		return true;
	}
	if (**s == '-' || (**s >= '0' && **s <= '9')) {
		for ((*s)++; **s >= '0' && **s <= '9'; (*s)++)
			;
		return true;
	}
	return false;
}

static void assert_json(const char *text)
{
	const char *s = text;

	if (!jvalue(&s))
		fail_msg("not JSON: %s", text);
	jws(&s);
	if (*s)
		fail_msg("trailing text after JSON: %s", s);
}

#endif
