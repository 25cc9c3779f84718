// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "util/log.h"

enum nt_level nt_log_level = NT_LOG_WARN;

static const char *const prefixes[] = {
	[NT_LOG_ERR] = "nettrace: error: ",
	[NT_LOG_WARN] = "nettrace: warning: ",
	[NT_LOG_INFO] = "nettrace: ",
	[NT_LOG_DEBUG] = "nettrace: debug: ",
};

static void vlog(enum nt_level level, const char *fmt, va_list ap)
{
	if (level > nt_log_level)
		return;
	fputs(prefixes[level], stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void nt_log(enum nt_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (nt_log_level < NT_LOG_DEBUG)
		return 0;
	fputs("libbpf: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

void nt_log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
