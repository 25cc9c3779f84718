/* SPDX-License-Identifier: GPL-2.0 */
/* Messages and exit codes: every error is printed one way, by nt_err(). */
#ifndef NT_LOG_H
#define NT_LOG_H

#include <stdbool.h>

enum nt_exit {
	NT_EXIT_OK = 0,
	NT_EXIT_RUNTIME = 1, /* the kernel refused: load, attach, map, permission */
	NT_EXIT_USAGE = 2,   /* bad options or input */
	NT_EXIT_ABNORMAL = 3, /* diagnose: a packet with a WARN or ERROR finding was seen */
};

enum nt_level { NT_LOG_ERR, NT_LOG_WARN, NT_LOG_INFO, NT_LOG_DEBUG };

/* Messages above this level are not printed (-v: INFO, --debug: DEBUG). */
extern enum nt_level nt_log_level;

void nt_log(enum nt_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define nt_err(...)   nt_log(NT_LOG_ERR, __VA_ARGS__)
#define nt_warn(...)  nt_log(NT_LOG_WARN, __VA_ARGS__)
#define nt_info(...)  nt_log(NT_LOG_INFO, __VA_ARGS__)
#define nt_debug(...) nt_log(NT_LOG_DEBUG, __VA_ARGS__)

/* Routes libbpf's messages through nt_log (shown with --debug). */
void nt_log_setup_libbpf(void);

#endif
