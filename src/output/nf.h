/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter part of an NT_EV_NFHOOK event as text or JSON, e.g.
 *   ipv4 PRE_ROUTING in=eth0 first ct:NEW status:CONFIRMED|SEEN_REPLY zone:0 mark:0x0
 * followed, when the entry is NAT'd (its reply tuple is not the inverted
 * original), by "orig 10.0.0.1:5 -> 10.0.0.2:80 reply 10.0.0.2:80 -> 10.0.0.9:5";
 * and the findings of src/analysis/nf.h.
 */
#ifndef NT_OUTPUT_NF_H
#define NT_OUTPUT_NF_H

#include <stdbool.h>
#include <stddef.h>
#include "record/event.h"

struct json;
struct nt_nf_finding;

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
/* IPS_* bits as "CONFIRMED|SEEN_REPLY" (bit order), unknown bits in hex, "0" when none. */
void nt_nf_status_format(char *buf, size_t len, __u32 status);
/* "10.0.0.1:5 -> 10.0.0.2:80"; ICMP "10.0.0.1 -> 10.0.0.2 id:5"; "-" without l3num. */
void nt_nf_tuple_format(char *buf, size_t len, const struct nt_tuple *t);
/* Whether the entry's reply tuple differs from its inverted original (NAT). */
bool nt_nf_ct_natted(const struct nt_nf *nf);
/* The whole nf part; tuples when NAT'd, or always with @tuples. */
void nt_nf_format(char *buf, size_t len, const struct nt_nf *nf, bool tuples);
/* The nf part as one JSON member "nf": {...} (tuples always). */
void nt_nf_json(struct json *j, const struct nt_nf *nf);
/* Findings as the JSON member "nf_findings": [{kind, pf, hook, netns, text, ...}]. */
void nt_nf_findings_json(struct json *j, const struct nt_nf_finding *f, size_t n);

#endif
