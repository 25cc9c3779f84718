/* SPDX-License-Identifier: GPL-2.0 */
/* Each mode runs to completion and returns an exit status (enum nt_exit). */
#ifndef NT_MODES_H
#define NT_MODES_H

#include "cli/options.h"

int nt_drop_run(const struct nt_opts *o);
/* Lifecycle (default) and --basic. */
int nt_trace_run(const struct nt_opts *o);
int nt_hooks_run(const struct nt_opts *o);
/* --monitor: src/monitor/monitor.c */
int nt_monitor_run(const struct nt_opts *o);

#endif
