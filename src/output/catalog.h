/* SPDX-License-Identifier: GPL-2.0 */
/* The trace catalog as a tree: what -t ? prints, in text or in JSON. */
#ifndef NT_OUTPUT_CATALOG_H
#define NT_OUTPUT_CATALOG_H

#include <stdio.h>

struct nt_catalog;

/*
 * Groups and their probes, each marked [x] enabled, [ ] available or [-]
 * unavailable with the reason, then "N of M probes available, K enabled".
 */
void nt_catalog_print_tree(const struct nt_catalog *c, FILE *f);
/* The same as one JSON object: {"groups":[{name, depth, probes:[{name, kind, state, why}]}], ...}. */
void nt_catalog_print_json(const struct nt_catalog *c, FILE *f);

#endif
