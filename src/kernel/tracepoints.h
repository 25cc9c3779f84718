/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoint prototypes from BTF (btf_trace_<name> typedefs): no hardcoded offsets. */
#ifndef NT_TRACEPOINTS_H
#define NT_TRACEPOINTS_H

#include <stdbool.h>

struct btf;

/* Arguments of tracepoint @name (the leading void *ctx not counted), or -1 if absent. */
int nt_tp_nargs(const struct btf *btf, const char *name);

/* Position (0-based) of the first argument that points to struct @type, or -1. */
int nt_tp_arg_of(const struct btf *btf, const char *name, const char *type);

#endif
