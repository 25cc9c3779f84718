/* SPDX-License-Identifier: GPL-2.0 */
/* The knowledge base's parts, shared between kb.c, kb_cond.c, kb_text.c and kb_man.c. */
#ifndef NT_KB_INT_H
#define NT_KB_INT_H

#include "analysis/kb.h"

/* Writes the problem into err and returns -1 (kb_text.c). */
int nt_kb_problem(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Templates (kb_text.c). Errors are the problem alone ("unknown field {x}"). */
int nt_kb_text_parse(struct nt_kb_text *t, const char *src, char *err, size_t errlen);
/* Parses exactly one "{kind:arg}" at the start of s; *end is set past it. */
int nt_kb_fact_parse(struct nt_kb_text *t, const char *s, const char **end, char *err,
		     size_t errlen);
void nt_kb_text_free(struct nt_kb_text *t);

/* Conditions (kb_cond.c): "[not] FIELD ..." of a when line. */
int nt_kb_cond_parse(struct nt_kb_cond *c, const char *s, char *err, size_t errlen);
void nt_kb_cond_free(struct nt_kb_cond *c);
/* Field by name, or NT_KB_F_NONE. */
enum nt_kb_field nt_kb_field_by_name(const char *name, size_t len);

#endif
