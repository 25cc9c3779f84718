// SPDX-License-Identifier: GPL-2.0
/* nettrace: options in, one mode run, its exit status out. */
#include <stdio.h>
#include <unistd.h>
#include "cli/options.h"
#include "modes/modes.h"
#include "util/log.h"

int main(int argc, char **argv)
{
	struct nt_opts o;

	switch (nt_opts_parse(&o, argc, argv)) {
	case NT_PARSE_EXIT:
		return NT_EXIT_OK;
	case NT_PARSE_ERROR:
		nt_err("%s", o.err);
		fputs("Try 'nettrace --help'.\n", stderr);
		return NT_EXIT_USAGE;
	}
	if (o.verbose)
		nt_log_level = o.verbose > 1 ? NT_LOG_DEBUG : NT_LOG_INFO;
	nt_log_setup_libbpf();
	/* Line-buffered when watched live; block-buffered to files, flushed per poll. */
	if (isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOLBF, 0);

	switch (o.mode) {
	case NT_MODE_DROP:
		return nt_drop_run(&o);
	case NT_MODE_LIFECYCLE:
	case NT_MODE_BASIC:
	case NT_MODE_DIAG:
		return nt_trace_run(&o);
	case NT_MODE_HOOKS:
		return nt_hooks_run(&o);
	case NT_MODE_MONITOR:
		return nt_monitor_run(&o);
	default:
		nt_err("--%s mode is not built yet", nt_mode_name(o.mode));
		return NT_EXIT_RUNTIME;
	}
}
