// SPDX-License-Identifier: GPL-2.0
/*
 * The command line (nt_opts_parse), and the nft match expressions made from
 * the filter it gives (nt_nftrace_filter_expr).
 *
 * Input: the arguments after the program name, separated by NUL bytes.
 */
#include <stdbool.h>
#include "cli/options.h"
#include "fuzz.h"
#include "netfilter/nftrace/nftrace.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size), *argv[MAX_ARGS + 2], *s, expr[1024], why[256];
	static char prog[] = "nettrace";
	struct nt_opts o;
	int argc = 0, r, lines;

	static bool quiet;

	if (!quiet && !freopen("/dev/null", "w", stdout))
		abort(); /* -h and -V print there */
	quiet = true;
	argv[argc++] = prog;
	for (s = in; s <= in + size && argc <= MAX_ARGS; s += strlen(s) + 1)
		argv[argc++] = s;
	argv[argc] = NULL;
	r = nt_opts_parse(&o, argc, argv);
	fuzz_check(r == NT_PARSE_OK || r == NT_PARSE_EXIT || r == NT_PARSE_ERROR);
	if (r == NT_PARSE_ERROR) {
		fuzz_check(o.err[0] && strnlen(o.err, sizeof(o.err)) < sizeof(o.err));
	} else if (r == NT_PARSE_OK) {
		fuzz_check(strcmp(nt_mode_name(o.mode), "?")); /* a mode nettrace has */
		lines = nt_nftrace_filter_expr(&o.filter, expr, sizeof(expr), why, sizeof(why));
		fuzz_check(lines == -1 ? why[0] != '\0' : lines >= 1);
	}
	free(in);
	return 0;
}
