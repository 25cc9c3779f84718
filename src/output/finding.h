/* SPDX-License-Identifier: GPL-2.0 */
/* Findings of the analysis layer as text lines and as JSON objects. */
#ifndef NT_OUTPUT_FINDING_H
#define NT_OUTPUT_FINDING_H

#include <stdio.h>

struct json;
struct nt_finding;

/* "  => message" and, when blamed, "    blamed: PRIO OWNER" lines. */
void nt_finding_text(FILE *f, const struct nt_finding *fd);
/* One array element {severity, code, event, message, advice, evidence}. */
void nt_finding_json(struct json *j, const struct nt_finding *fd);

#endif
