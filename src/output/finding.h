/* SPDX-License-Identifier: GPL-2.0 */
/* Findings of the analysis layer as text lines and as JSON objects. */
#ifndef NT_OUTPUT_FINDING_H
#define NT_OUTPUT_FINDING_H

#include <stdio.h>

struct json;
struct nt_finding;
struct nt_output;

/* "  => message" and, when blamed, "    blamed: PRIO OWNER" lines. */
void nt_finding_text(FILE *f, const struct nt_finding *fd);
/*
 * The diagnose mode's form: "[N] LEVEL code at [probe]:" then the message,
 * the hook functions blamed, advice, commands, drop reason and location.
 */
void nt_finding_diag_text(FILE *f, const struct nt_output *out, const struct nt_finding *fd,
			  size_t n, const char *probe);
/* One array element {severity, code, event, message, advice, checks, evidence}. */
void nt_finding_json(struct json *j, const struct nt_output *out, const struct nt_finding *fd);

#endif
