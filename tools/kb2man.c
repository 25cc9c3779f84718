// SPDX-License-Identifier: GPL-2.0
/* Build-time generator: writes dropreason(7) from the compiled-in knowledge base. */
#include <stdio.h>
#include "analysis/kb.h"

int main(int argc, char **argv)
{
	struct nt_kb kb = {0};
	char err[512];
	FILE *f = stdout;

	if (argc > 2) {
		fprintf(stderr, "usage: kb2man [OUTPUT]\n");
		return 2;
	}
	if (nt_kb_load_builtin(&kb, err, sizeof(err))) {
		fprintf(stderr, "kb2man: %s\n", err);
		return 1;
	}
	if (argc == 2 && !(f = fopen(argv[1], "w"))) {
		perror(argv[1]);
		nt_kb_free(&kb);
		return 1;
	}
	nt_kb_write_man(&kb, f, NT_VERSION);
	nt_kb_free(&kb);
	if (f != stdout ? fclose(f) : fflush(f)) {
		perror(argc == 2 ? argv[1] : "stdout");
		return 1;
	}
	return 0;
}
