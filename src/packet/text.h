/* SPDX-License-Identifier: GPL-2.0 */
/* A decoded packet as one line of text, e.g. "TCP 10.0.0.1:5 -> 10.0.0.2:80 seq:1 ack:0 flags:S". */
#ifndef NT_PACKET_TEXT_H
#define NT_PACKET_TEXT_H

#include "packet/decode.h"
#include "util/strbuf.h"

void nt_pkt_format(struct strbuf *sb, const struct nt_pkt *p);
/* An address of family 4 or 6 as text. */
void nt_addr_format(char *buf, size_t len, int family, const __u8 *addr);
/* TCP flags as letters of FSRPAUEC, in header bit order. */
void nt_tcp_flags_format(char *buf, size_t len, __u8 flags);

#endif
