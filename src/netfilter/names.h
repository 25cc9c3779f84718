/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of netfilter numbers, for every layer that speaks of them (analysis
 * and output): protocol families, hooks, conntrack states and status bits,
 * conntrack tuples.
 */
#ifndef NT_NETFILTER_NAMES_H
#define NT_NETFILTER_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include "record/event.h"

/* "ipv4", "ipv6"; NULL for another pf. */
const char *nt_nf_pf_name(__u8 pf);
/* "PRE_ROUTING" .. "POST_ROUTING"; NULL for another hook number. */
const char *nt_nf_hook_name(__u8 hook);
/* "ipv4 PRE_ROUTING" ("pf7 hook9" for unknown numbers). */
void nt_nf_hook_format(char *buf, size_t len, __u8 pf, __u8 hook);
/*
 * Conntrack state from ctinfo: "ESTABLISHED", "RELATED", "NEW", "ESTABLISHED_REPLY",
 * "RELATED_REPLY", "NEW_REPLY", "untracked" (7), "none" (0xff: no entry), else "6".
 */
const char *nt_nf_ct_state(__u8 ctinfo, char *buf, size_t len);
/* Whether ctinfo says the packet goes in the reply direction. */
bool nt_nf_ct_is_reply(__u8 ctinfo);
/* The name of IPS_* bit @bit ("CONFIRMED" for 3); NULL past the last one known. */
const char *nt_nf_status_name(unsigned int bit);
/* IPS_* bits as "CONFIRMED|SEEN_REPLY" (bit order), unknown bits in hex, "0" when none. */
void nt_nf_status_format(char *buf, size_t len, __u32 status);
/* 4 or 6. */
int nt_tuple_family(const struct nt_tuple *t);
/* TCP, UDP, SCTP, DCCP, UDP-Lite: the tuple has ports. */
bool nt_tuple_has_ports(const struct nt_tuple *t);
/* ICMP or ICMPv6: the tuple has an id (in sport). */
bool nt_tuple_is_icmp(const struct nt_tuple *t);
/* "10.0.0.1:5 -> 10.0.0.2:80"; ICMP "10.0.0.1 -> 10.0.0.2 id:5"; "-" without l3num. */
void nt_nf_tuple_format(char *buf, size_t len, const struct nt_tuple *t);
/* The event has a conntrack entry with tuples. */
bool nt_nf_has_ct(const struct nt_nf *nf);
/* Whether the entry's reply tuple differs from its inverted original (NAT). */
bool nt_nf_ct_natted(const struct nt_nf *nf);

#endif
