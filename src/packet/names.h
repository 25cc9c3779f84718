/* SPDX-License-Identifier: GPL-2.0 */
/* Names of protocol numbers, for output. NULL where a number has none. */
#ifndef NT_NAMES_H
#define NT_NAMES_H

#include <linux/types.h>

const char *nt_ethertype_name(__u16 ethertype);
const char *nt_ipproto_name(__u8 proto);
/* ICMP (family 4) or ICMPv6 (family 6) type, refined by code where it matters. */
const char *nt_icmp_name(int family, __u8 type, __u8 code);

#endif
