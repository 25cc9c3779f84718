// SPDX-License-Identifier: GPL-2.0
/* The analysis layer's entry: one packet's events into findings and joined nft verdicts. */
#include <stdio.h>
#include <string.h>
#include "analysis/analysis.h"
#include "analysis/nf.h"
#include "util/strbuf.h"

const char *nt_severity_name(enum nt_severity sev)
{
	switch (sev) {
	case NT_SEV_INFO:
		return "INFO";
	case NT_SEV_WARN:
		return "WARN";
	case NT_SEV_ERROR:
		return "ERROR";
	}
	return "?";
}

void nt_analyzer_init(struct nt_analyzer *a, struct nt_hookcache *hooks)
{
	memset(a, 0, sizeof(*a));
	a->hooks = hooks;
}

/* The nft verdict that dropped the packet in this hook pass, if one was joined. */
static const struct nt_verdict *dropping_rule(const struct nt_analysis *r,
					      const struct nt_finding *f)
{
	size_t i;

	for (i = 0; i < r->nverdicts; i++) {
		const struct nt_verdict *v = &r->verdicts[i];

		if (v->netns == f->ev.netns && v->e.hook == f->ev.hook &&
		    (!strcmp(v->e.verdict, "drop") || !strncmp(v->e.verdict, "reject", 6)))
			return v;
	}
	return NULL;
}

static void rule_evidence(struct nt_finding *f, const struct nt_verdict *v)
{
	struct nt_rule_ref *r = &f->ev.rule;
	const char *fam = nt_nft_family_name(v->e.family);

	f->ev.have |= NT_EVD_RULE;
	snprintf(r->family, sizeof(r->family), "%s", fam ? fam : "?");
	snprintf(r->table, sizeof(r->table), "%s", v->e.table);
	snprintf(r->chain, sizeof(r->chain), "%s", v->e.chain);
	snprintf(r->text, sizeof(r->text), "%s", v->e.rule);
	snprintf(r->verdict, sizeof(r->verdict), "%s", v->e.verdict);
	r->handle = v->e.type == NT_NFTRACE_RULE ? v->e.handle : 0;
}

static void hook_drop(struct nt_analyzer *a, struct nt_finding *f, double now)
{
	const struct nt_verdict *v = dropping_rule(&a->result, f);
	const struct nt_rule_ref *r = &f->ev.rule;
	struct strbuf sb = STRBUF(f->advice);

	f->severity = NT_SEV_ERROR;
	f->code = "nf.hook.drop";
	f->cause = "drop";
	f->rank = 101; /* the knowledge base's nf.hook.drop: below a chain's or a rule's verdict */
	if (v) {
		rule_evidence(f, v);
		if (r->handle)
			sb_printf(&sb,
				 "nft rule '%s' (handle %llu) drops it: see `nft -a list chain %s %s %s`, "
				 "remove it with `nft delete rule %s %s %s handle %llu` (netns %u)",
				 r->text, (unsigned long long)r->handle, r->family, r->table, r->chain,
				 r->family, r->table, r->chain, (unsigned long long)r->handle,
				 f->ev.netns);
		else
			sb_printf(&sb,
				 "the policy of chain %s %s %s drops it: see `nft list chain %s %s %s` "
				 "(netns %u)",
				 r->family, r->table, r->chain, r->family, r->table, r->chain,
				 f->ev.netns);
	} else {
		sb_printf(&sb,
			 "a hook function blamed here returned NF_DROP or NF_STOLEN: list them with "
			 "`nettrace --hooks --netns %u`",
			 f->ev.netns);
	}
	if (a->hooks)
		nt_blame(a->hooks, now, f, !a->blame_all);
}

/* A netfilter finding of src/analysis/nf.c as a finding of this layer. */
static void from_nf(struct nt_analyzer *a, const struct nt_nf_finding *nf, struct nt_finding *f,
		    double now)
{
	memset(f, 0, sizeof(*f));
	f->event = nf->first;
	f->ev.have = NT_EVD_HOOK;
	f->ev.pf = nf->pf;
	f->ev.hook = nf->hook;
	f->ev.netns = nf->netns;
	f->ev.show_netns = nf->show_netns;
	nt_nf_finding_format(f->message, sizeof(f->message), nf);
	if (nf->kind == NT_NFF_STOPPED) {
		hook_drop(a, f, now);
		return;
	}
	f->severity = NT_SEV_INFO;
	f->code = nf->kind == NT_NFF_DNAT ? "nat.dnat" : "nat.snat";
	f->cause = f->code;
	f->rank = 101;
	f->ev.have |= NT_EVD_TUPLES;
	f->ev.before = nf->before;
	f->ev.after = nf->after;
	f->ev.reply = nf->reply;
}

const struct nt_analysis *nt_analyse(struct nt_analyzer *a, const struct nt_event *ev, size_t n,
				     bool cut_short, double now)
{
	struct nt_analysis *r = &a->result;
	struct nt_nf_finding nf[NT_MAX_FINDINGS];
	size_t i, nnf;

	if (a->sync)
		a->sync(a->sync_ctx);
	nt_verdicts_claim(a, ev, n, r);
	r->nfindings = 0;
	nnf = nt_nf_findings(ev, n, nf, NT_MAX_FINDINGS);
	for (i = 0; i < nnf; i++) {
		/* Its next events, the hook's exit among them, are still to come. */
		if (cut_short && nf[i].kind == NT_NFF_STOPPED)
			continue;
		from_nf(a, &nf[i], &r->findings[r->nfindings++], now);
	}
	return r;
}
