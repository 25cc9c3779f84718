// SPDX-License-Identifier: GPL-2.0
/* Findings (src/analysis/finding.h) as text and as JSON. */
#include <stdio.h>
#include "analysis/finding.h"
#include "netfilter/names.h"
#include "output/finding.h"
#include "output/json.h"
#include "packet/text.h"

/*
 *   => dropped or stolen inside ipv4 FORWARD
 *     blamed: 0 nft table inet filter chain forward
 */
void nt_finding_text(FILE *f, const struct nt_finding *fd)
{
	size_t i;

	fprintf(f, "  => %s\n", fd->message);
	if (!(fd->ev.have & NT_EVD_BLAME))
		return;
	if (!fd->ev.nblamed && fd->ev.blame_unknown[0])
		fprintf(f, "    (hook functions unknown: %s)\n", fd->ev.blame_unknown);
	for (i = 0; i < fd->ev.nblamed; i++)
		fprintf(f, "    blamed: %*s%d %s\n", fd->ev.blamed[i].depth * 4, "",
			fd->ev.blamed[i].priority, fd->ev.blamed[i].owner);
}

static void flow_json(struct json *j, const char *key, const struct nt_flow *fl)
{
	int family = fl->l3proto == 0x86DD ? 6 : 4;
	char a[64];

	json_obj_open(j, key);
	nt_addr_format(a, sizeof(a), family, fl->saddr);
	json_str(j, "src", a);
	nt_addr_format(a, sizeof(a), family, fl->daddr);
	json_str(j, "dst", a);
	json_uint(j, "proto", fl->l4proto);
	json_uint(j, "sport", fl->sport);
	json_uint(j, "dport", fl->dport);
	json_close(j, '}');
}

static void evidence_json(struct json *j, const struct nt_evidence *ev)
{
	const char *name;
	size_t i;

	json_obj_open(j, "evidence");
	if (ev->have & NT_EVD_HOOK) {
		name = nt_nf_pf_name(ev->pf);
		json_str(j, "pf", name ? name : "?");
		name = nt_nf_hook_name(ev->hook);
		json_str(j, "hook", name ? name : "?");
		json_uint(j, "netns", ev->netns);
	}
	if (ev->have & NT_EVD_RULE) {
		json_obj_open(j, "rule");
		json_str(j, "family", ev->rule.family);
		json_str(j, "table", ev->rule.table);
		json_str(j, "chain", ev->rule.chain);
		if (ev->rule.handle)
			json_uint(j, "handle", ev->rule.handle);
		if (ev->rule.text[0])
			json_str(j, "text", ev->rule.text);
		json_str(j, "verdict", ev->rule.verdict);
		json_close(j, '}');
	}
	if (ev->have & NT_EVD_TUPLES) {
		flow_json(j, "before", &ev->before);
		flow_json(j, "after", &ev->after);
		json_bool(j, "reply", ev->reply);
	}
	if (ev->have & NT_EVD_BLAME) {
		json_arr_open(j, "blamed");
		for (i = 0; i < ev->nblamed; i++) {
			json_obj_open(j, NULL);
			json_int(j, "priority", ev->blamed[i].priority);
			json_str(j, "owner", ev->blamed[i].owner);
			json_close(j, '}');
		}
		json_close(j, ']');
		if (!ev->nblamed && ev->blame_unknown[0])
			json_str(j, "blame_unknown", ev->blame_unknown);
	}
	json_close(j, '}');
}

void nt_finding_json(struct json *j, const struct nt_finding *fd)
{
	json_obj_open(j, NULL);
	json_str(j, "severity", nt_severity_name(fd->severity));
	json_str(j, "code", fd->code ? fd->code : "?");
	if (fd->event != NT_NO_EVENT)
		json_uint(j, "event", fd->event);
	json_str(j, "message", fd->message);
	if (fd->advice[0])
		json_str(j, "advice", fd->advice);
	evidence_json(j, &fd->ev);
	json_close(j, '}');
}
