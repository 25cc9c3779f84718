/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter part of an NT_EV_NFHOOK event as text or JSON, e.g.
 *   ipv4 PRE_ROUTING in=eth0 first ct:NEW status:CONFIRMED|SEEN_REPLY zone:0 mark:0x0
 * followed, when the entry is NAT'd (its reply tuple is not the inverted
 * original), by "orig 10.0.0.1:5 -> 10.0.0.2:80 reply 10.0.0.2:80 -> 10.0.0.9:5".
 */
#ifndef NT_OUTPUT_NF_H
#define NT_OUTPUT_NF_H

#include <stdbool.h>
#include <stddef.h>
#include "record/event.h"
#include "netfilter/names.h"

struct json;

/* The whole nf part; tuples when NAT'd, or always with @tuples. */
void nt_nf_format(char *buf, size_t len, const struct nt_nf *nf, bool tuples);
/* The nf part as one JSON member "nf": {...} (tuples always). */
void nt_nf_json(struct json *j, const struct nt_nf *nf);

#endif
