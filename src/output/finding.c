// SPDX-License-Identifier: GPL-2.0
/* Findings (src/analysis/finding.h) as text and as JSON. */
#include <stdio.h>
#include "analysis/finding.h"
#include "netfilter/names.h"
#include "output/finding.h"
#include "output/json.h"
#include "output/output.h"
#include "packet/text.h"

/*
 *   => dropped or stolen inside ipv4 FORWARD
 *     blamed: 0 nft table inet filter chain forward
 */
static void blamed_text(FILE *f, const struct nt_evidence *ev, const char *indent);

void nt_finding_text(FILE *f, const struct nt_finding *fd)
{
	fprintf(f, "  => %s\n", fd->message);
	if (!(fd->ev.have & NT_EVD_BLAME))
		return;
	if (!fd->ev.nblamed && fd->ev.blame_unknown[0])
		fprintf(f, "    (hook functions unknown: %s)\n", fd->ev.blame_unknown);
	blamed_text(f, &fd->ev, "    blamed: ");
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

static void evidence_json(struct json *j, const struct nt_output *out,
			  const struct nt_evidence *ev)
{
	const char *name;
	char buf[128];
	size_t i;

	json_obj_open(j, "evidence");
	if ((ev->have & NT_EVD_REASON) && out && out->reasons) {
		nt_reason_format(out->reasons, ev->reason, buf, sizeof(buf));
		json_str(j, "reason", buf);
	}
	if (ev->have & NT_EVD_LOCATION) {
		nt_ksyms_format(out ? out->ksyms : NULL, ev->location, buf, sizeof(buf));
		json_str(j, "location", buf);
	}
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

void nt_finding_json(struct json *j, const struct nt_output *out, const struct nt_finding *fd)
{
	size_t i;

	json_obj_open(j, NULL);
	json_str(j, "severity", nt_severity_name(fd->severity));
	json_str(j, "code", fd->code ? fd->code : "?");
	if (fd->event != NT_NO_EVENT)
		json_uint(j, "event", fd->event);
	json_str(j, "message", fd->message);
	if (fd->advice[0])
		json_str(j, "advice", fd->advice);
	if (fd->nchecks) {
		json_arr_open(j, "checks");
		for (i = 0; i < fd->nchecks; i++)
			json_str(j, NULL, fd->checks[i]);
		json_close(j, ']');
	}
	evidence_json(j, out, &fd->ev);
	json_close(j, '}');
}

static void blamed_text(FILE *f, const struct nt_evidence *ev, const char *indent)
{
	size_t i;

	for (i = 0; i < ev->nblamed; i++)
		fprintf(f, "%s%*s%d %s\n", indent, ev->blamed[i].depth * 4, "",
			ev->blamed[i].priority, ev->blamed[i].owner);
}

void nt_finding_diag_text(FILE *f, const struct nt_output *out, const struct nt_finding *fd,
			  size_t n, const char *probe)
{
	const struct nt_evidence *ev = &fd->ev;
	char buf[128], hook[40];
	size_t i;

	fprintf(f, "[%zu] %s %s", n, nt_severity_name(fd->severity), fd->code ? fd->code : "?");
	if (probe)
		fprintf(f, " at [%s]", probe);
	if (ev->have & NT_EVD_HOOK) {
		nt_nf_hook_format(hook, sizeof(hook), ev->pf, ev->hook);
		fprintf(f, " (%s, netns %u)", hook, ev->netns);
	}
	fprintf(f, ":\n        %s\n", fd->message);
	if ((ev->have & NT_EVD_BLAME) && (ev->nblamed || ev->blame_unknown[0])) {
		fputs("    hook functions blamed:\n", f);
		if (!ev->nblamed)
			fprintf(f, "        (unknown: %s)\n", ev->blame_unknown);
		blamed_text(f, ev, "        ");
	}
	if (fd->advice[0])
		fprintf(f, "    fix advice:\n        %s\n", fd->advice);
	if (fd->nchecks)
		fputs("    check:\n", f);
	for (i = 0; i < fd->nchecks; i++)
		fprintf(f, "        %s\n", fd->checks[i]);
	if ((ev->have & NT_EVD_REASON) && out->reasons) {
		nt_reason_format(out->reasons, ev->reason, buf, sizeof(buf));
		fprintf(f, "    drop reason: %s\n", buf);
	}
	if (ev->have & NT_EVD_LOCATION) {
		nt_ksyms_format(out->ksyms, ev->location, buf, sizeof(buf));
		fprintf(f, "    location: %s\n", buf);
	}
}
