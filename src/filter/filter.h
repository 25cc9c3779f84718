/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Filter values from their command-line text. Each parser returns 0, or -1
 * with a message in @err that says what is wrong with the value.
 */
#ifndef NT_FILTER_H
#define NT_FILTER_H

#include <stddef.h>
#include "record/filter.h"

#define NT_ERRLEN 256

int nt_parse_prefix(const char *s, struct nt_prefix *p, char *err, size_t errlen);
int nt_parse_port(const char *s, __u16 *port, char *err, size_t errlen);
int nt_parse_proto(const char *s, struct nt_filter *f, char *err, size_t errlen);
int nt_parse_tcp_flags(const char *s, __u8 *flags, char *err, size_t errlen);
int nt_parse_len_range(const char *s, __u32 *min, __u32 *max, char *err, size_t errlen);
int nt_parse_netns(const char *s, __u32 *inode, char *err, size_t errlen);
int nt_parse_ifname(const char *s, char *ifname, char *err, size_t errlen);
int nt_parse_uint(const char *s, unsigned long max, unsigned long *v);

/* TCP flag letters in header bit order (FIN first): "FSRPAUEC". */
extern const char nt_tcp_flag_letters[9];

#endif
