// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE /* strerrorname_np */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "netfilter/nflink.h"
#include "netfilter/nftrace.h"
#include "output/json.h"
#include "output/nf.h"
#include "output/trace.h"

const char *nt_ret_meaning(enum nt_ret_kind kind, __s64 ret, char *buf, size_t len)
{
	static const char *const verdicts[] = { "NF_DROP", "NF_ACCEPT", "NF_STOLEN", "NF_QUEUE",
						"NF_REPEAT", "NF_STOP" };
	const char *name;

	switch (kind) {
	case NT_RET_ERRNO:
		if (ret >= 0)
			return NULL;
		name = strerrorname_np((int)-ret);
		snprintf(buf, len, "%s", name ? name : "error");
		return buf;
	case NT_RET_VERDICT:
		/* The low byte is the verdict; NF_DROP may carry an errno above it. */
		if ((ret & 0xff) < (__s64)(sizeof(verdicts) / sizeof(verdicts[0])))
			return verdicts[ret & 0xff];
		return NULL;
	case NT_RET_NETDEV_TX:
		return ret == 0 ? "NETDEV_TX_OK" : ret == 0x10 ? "NETDEV_TX_BUSY" : NULL;
	case NT_RET_NET_RX:
		return ret == 0 ? "NET_RX_SUCCESS" : ret == 1 ? "NET_RX_DROP" : NULL;
	case NT_RET_PTR:
		return ret ? NULL : "NULL";
	case NT_RET_BOOL:
		return ret ? "true" : "false";
	case NT_RET_NONE:
		break;
	}
	return NULL;
}

const char *nt_probe_name(const struct nt_catalog *c, __u16 probe)
{
	if (probe >= NT_NF_PROBE_BASE)
		return nt_nf_probe_name(probe - NT_NF_PROBE_BASE);
	return probe < c->nprobes ? c->probes[probe].name : "?";
}

static void trace_text(const struct nt_output *out, const struct nt_catalog *c,
		       const struct nt_event *e)
{
	char pkt[256], buf[32], nf[512];
	const char *meaning;

	nt_output_packet(e, pkt, sizeof(pkt));
	nt_output_prefix(out, e);
	fprintf(out->f, "[%s] %s", nt_probe_name(c, e->probe), pkt);
	if (e->kind == NT_EV_NFHOOK) {
		nt_nf_format(nf, sizeof(nf), &e->nf, true);
		fprintf(out->f, " | %s", nf);
	}
	if (e->flags & NT_EV_CLONE)
		fprintf(out->f, " clone:0x%llx", (unsigned long long)e->retval);
	if ((e->flags & NT_EV_HAS_REASON) && out->reasons) {
		nt_reason_format(out->reasons, e->reason, nf, sizeof(nf));
		fprintf(out->f, " reason:%s", nf);
	}
	if (e->flags & NT_EV_HAS_RET) {
		meaning = e->probe < c->nprobes
				  ? nt_ret_meaning(c->probes[e->probe].ret, e->retval, buf, sizeof(buf))
				  : NULL;
		fprintf(out->f, " ret:%lld", (long long)e->retval);
		if (meaning)
			fprintf(out->f, " (%s)", meaning);
	}
	fputc('\n', out->f);
}

static void trace_json(struct json *j, const struct nt_output *out, const struct nt_catalog *c,
		       const struct nt_event *e)
{
	char pkt[256], buf[32];
	const char *meaning;

	nt_output_packet(e, pkt, sizeof(pkt));
	nt_output_json_head(j, out, e, "trace", pkt);
	json_str(j, "probe", nt_probe_name(c, e->probe));
	if (e->kind == NT_EV_NFHOOK)
		nt_nf_json(j, &e->nf);
	if ((e->flags & NT_EV_HAS_REASON) && out->reasons) {
		char reason[96];

		nt_reason_format(out->reasons, e->reason, reason, sizeof(reason));
		json_str(j, "reason", reason);
	}
	if (e->flags & NT_EV_CLONE) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)e->retval);
		json_str(j, "clone", buf);
	}
	if (e->flags & NT_EV_HAS_RET) {
		json_int(j, "ret", e->retval);
		meaning = e->probe < c->nprobes
				  ? nt_ret_meaning(c->probes[e->probe].ret, e->retval, buf, sizeof(buf))
				  : NULL;
		if (meaning)
			json_str(j, "ret_meaning", meaning);
	}
	nt_output_json_detail(j, out, e);
}

void nt_output_trace(const struct nt_output *out, const struct nt_catalog *c,
		     const struct nt_event *e)
{
	struct json j;

	if (!out->json) {
		trace_text(out, c, e);
		return;
	}
	json_begin(&j, out->f);
	trace_json(&j, out, c, e);
	json_end(&j);
}

/* Why a group was printed, for JSON. */
static const char *group_end_name(enum nt_group_end end)
{
	switch (end) {
	case NT_GROUP_FREED:
		return "freed";
	case NT_GROUP_EVICTED:
		return "evicted";
	case NT_GROUP_IDLE:
		return "idle";
	case NT_GROUP_FLUSHED:
		return "exit";
	case NT_GROUP_ALONE:
		return "alone";
	}
	return "?";
}

void nt_output_group(const struct nt_output *out, const struct nt_catalog *c,
		     const struct nt_pgroup *g)
{
	struct json j;
	char buf[24];
	size_t i;

	if (out->json) {
		json_begin(&j, out->f);
		json_str(&j, "event", "packet");
		json_arr_open(&j, "skbs");
		for (i = 0; i < g->nskbs; i++) {
			snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)g->skbs[i]);
			json_str(&j, NULL, buf);
		}
		json_close(&j, ']');
		json_bool(&j, "freed", g->complete);
		json_str(&j, "printed", group_end_name(g->end));
		json_uint(&j, "events_not_kept", g->dropped_events);
		json_arr_open(&j, "events");
		for (i = 0; i < g->nevents; i++) {
			json_obj_open(&j, NULL);
			trace_json(&j, out, c, &g->events[i]);
			json_close(&j, '}');
		}
		json_close(&j, ']');
		json_end(&j);
		return;
	}
	fputs("***************** packet: skb", out->f);
	for (i = 0; i < g->nskbs; i++)
		fprintf(out->f, "%s0x%llx", i ? "," : " ", (unsigned long long)g->skbs[i]);
	/* An evicted group may well be freed later: its events from then on form a new group. */
	fprintf(out->f, " (%zu events%s%s) *****************\n", g->nevents,
		g->complete ? "" : ", not freed yet",
		g->end == NT_GROUP_EVICTED ? ", printed early to make room" : "");
	for (i = 0; i < g->nevents; i++)
		trace_text(out, c, &g->events[i]);
	if (g->dropped_events)
		fprintf(out->f, "    (%zu more events not kept)\n", g->dropped_events);
	fputc('\n', out->f);
}

void nt_output_nftrace(const struct nt_output *out, const struct nt_nftrace_event *e)
{
	const char *family = nt_nft_family_name(e->family);
	char ts[40], fam[16];
	struct timespec now;
	struct json j;

	if (!family) { /* a family nft has no name for: its number */
		snprintf(fam, sizeof(fam), "family%u", e->family);
		family = fam;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	nt_time_format(out, now.tv_sec * 1000000000ULL + now.tv_nsec, ts, sizeof(ts));
	if (out->json) {
		json_begin(&j, out->f);
		json_str(&j, "event", "nft");
		json_str(&j, "time", ts);
		json_str(&j, "family", family);
		json_str(&j, "table", e->table);
		json_str(&j, "chain", e->chain);
		if (e->handle)
			json_uint(&j, "handle", e->handle);
		if (e->rule[0])
			json_str(&j, "rule", e->rule);
		json_str(&j, "verdict", e->verdict);
		json_str(&j, "packet", e->packet);
		json_end(&j);
		return;
	}
	fprintf(out->f, "[%s] [nft] %s %s %s: ", ts, family, e->table, e->chain);
	if (e->type == NT_NFTRACE_RULE)
		fprintf(out->f, "rule '%s' (handle %llu) -> %s", e->rule[0] ? e->rule : "?",
			(unsigned long long)e->handle, e->verdict);
	else if (e->type == NT_NFTRACE_POLICY)
		fprintf(out->f, "policy %s", e->verdict);
	else
		fprintf(out->f, "%s", e->verdict);
	if (e->iifname[0] || e->oifname[0])
		fprintf(out->f, " in=%s out=%s", e->iifname[0] ? e->iifname : "-",
			e->oifname[0] ? e->oifname : "-");
	fprintf(out->f, " | %s\n", e->packet);
}
