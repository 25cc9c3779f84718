// SPDX-License-Identifier: GPL-2.0
/* Diagnosis: the knowledge base's rules tried on each event and verdict of a packet. */
#include <stdio.h>
#include <string.h>
#include "analysis/diagnose.h"
#include "packet/decode.h"
#include "packet/text.h"

#define MAX_VIEWS (NT_MAX_PKTS + NT_MAX_VERDICTS)

/* What one event (or one nft verdict joined to the packet) says, as the rules see it. */
struct view {
	const struct nt_event *e;   /* NULL for a verdict */
	const struct nt_verdict *v; /* NULL for an event */
	size_t index;		    /* the event it is, or follows */
	const struct nt_pkt *pkt;   /* NULL: no headers */
	const char *probe;	    /* function or tracepoint name; NULL for a verdict */
	bool is_tp;
	bool has_ret;
	long long ret;
	int verdict;	    /* NF_DROP..NF_STOP, or -1 */
	const char *hook;   /* "forward", ...; NULL */
	const char *family; /* "ip", "ip6", "inet", ...; NULL */
	char reason[96];    /* "" when none */
	char location[128]; /* symbol, "" when none */
	char rule[320];	    /* "" when none */
	int ct_state;	    /* enum nt_kb_ct_state, or -1 */
	long long ct_status;
	bool has_ct_status;
};

/* The packet as a whole, and what a lookup needs. */
struct ctx {
	const struct nt_diag *d;
	const struct nt_analysis *r;
	const struct view *views;
	size_t nviews;
	const struct view *v; /* the one being tested */
	unsigned int nat;     /* NT_KB_NAT_* */
	char nat_from[80], nat_to[80];
	bool complete;
	double elapsed_ms; /* from the first event to now */
	const char *seen[NT_MAX_PKTS];
	struct nt_pkt pkts[NT_MAX_PKTS];
};

static const char *const hook_names[] = { "prerouting", "input", "forward", "output",
					  "postrouting" };

static const char *hook_name(unsigned int hook)
{
	return hook < 5 ? hook_names[hook] : NULL;
}

static int verdict_of(const char *s)
{
	static const char *const names[] = { "drop", "accept", "stolen", "queue", "repeat", "stop" };
	size_t i;

	for (i = 0; i < 6; i++)
		if (!strncmp(s, names[i], strlen(names[i])))
			return (int)i;
	return -1;
}

static int ct_state_of(__u8 ctinfo)
{
	switch (ctinfo) {
	case 0:
	case 3:
		return NT_KB_CT_ESTABLISHED;
	case 1:
	case 4:
		return NT_KB_CT_RELATED;
	case 2:
	case 5:
		return NT_KB_CT_NEW;
	case 7:
		return NT_KB_CT_UNTRACKED;
	}
	return -1;
}

static const char *l4_name(__u8 proto)
{
	switch (proto) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "icmpv6";
	case 132:
		return "sctp";
	}
	return NULL;
}

static bool has_ports(const struct nt_pkt *p)
{
	return p && p->has_l4 && (p->l4proto == 6 || p->l4proto == 17 || p->l4proto == 132);
}

static void event_view(const struct nt_diag *d, struct view *w, const struct nt_event *e,
		       size_t i, const struct nt_pkt *pkt)
{
	const struct nt_probe *pr = d->cat && e->probe < d->cat->nprobes ? &d->cat->probes[e->probe]
									  : NULL;
	const char *sym;
	__u64 off;

	memset(w, 0, sizeof(*w));
	w->e = e;
	w->index = i;
	w->pkt = pkt->kind == NT_PKT_NONE ? NULL : pkt;
	w->verdict = -1;
	w->ct_state = -1;
	if (e->kind == NT_EV_NFHOOK) {
		w->hook = hook_name(e->nf.hook);
		w->family = e->nf.pf == 2 ? "ip" : e->nf.pf == 10 ? "ip6" : NULL;
		w->ct_state = ct_state_of(e->nf.ctinfo);
		if (e->nf.ctinfo != 0xff && e->nf.ctinfo != 7) {
			w->ct_status = e->nf.ct_status;
			w->has_ct_status = true;
		}
	} else if (pr) {
		w->probe = pr->name;
		w->is_tp = pr->kind == NT_PROBE_TP;
		if (e->flags & NT_EV_HAS_RET) {
			w->has_ret = true;
			w->ret = e->retval;
			if (pr->ret == NT_RET_VERDICT)
				w->verdict = (int)(e->retval & 0xff);
		}
	}
	if ((e->flags & NT_EV_HAS_REASON) && d->reasons && (long)e->reason != d->consumed)
		nt_reason_format(d->reasons, e->reason, w->reason, sizeof(w->reason));
	if (e->location && d->ksyms) {
		sym = nt_ksyms_find(d->ksyms, e->location, &off);
		if (sym)
			snprintf(w->location, sizeof(w->location), "%s", sym);
	}
}

static void verdict_view(struct view *w, const struct nt_verdict *v, const struct nt_pkt *pkt)
{
	memset(w, 0, sizeof(*w));
	w->v = v;
	w->index = v->after;
	w->pkt = pkt;
	w->verdict = verdict_of(v->e.verdict);
	w->hook = hook_name(v->e.hook);
	w->family = nt_nft_family_name(v->e.family);
	w->ct_state = -1;
	if (v->e.type == NT_NFTRACE_RULE)
		snprintf(w->rule, sizeof(w->rule), "%s # handle %llu", v->e.rule,
			 (unsigned long long)v->e.handle);
	else if (v->e.type == NT_NFTRACE_POLICY)
		snprintf(w->rule, sizeof(w->rule), "policy %s", v->e.verdict);
}

/* A field's text; NULL when the event does not have it. */
static const char *field_text(struct ctx *c, enum nt_kb_field f, char *buf, size_t len)
{
	const struct view *w = c->v;
	const struct nt_pkt *p = w->pkt;

	switch (f) {
	case NT_KB_F_REASON:
		return w->reason[0] ? w->reason : NULL;
	case NT_KB_F_LOCATION:
		return w->location[0] ? w->location : NULL;
	case NT_KB_F_FUNC:
		return w->probe && !w->is_tp ? w->probe : NULL;
	case NT_KB_F_TP:
		return w->probe && w->is_tp ? w->probe : NULL;
	case NT_KB_F_PROBE:
		return w->probe;
	case NT_KB_F_L3:
		if (!p)
			return NULL;
		return p->kind == NT_PKT_ARP ? "arp" : p->family == 6 ? "ipv6" : "ipv4";
	case NT_KB_F_L4:
		return p && p->kind == NT_PKT_IP ? l4_name(p->l4proto) : NULL;
	case NT_KB_F_SADDR:
	case NT_KB_F_DADDR:
		if (!p || p->kind != NT_PKT_IP)
			return NULL;
		nt_addr_format(buf, len, p->family, f == NT_KB_F_SADDR ? p->saddr : p->daddr);
		return buf;
	case NT_KB_F_DEV:
		if (!w->e)
			return w->v->e.iifname[0] ? w->v->e.iifname : w->v->e.oifname;
		if (w->e->kind == NT_EV_NFHOOK)
			return w->e->nf.in[0] ? w->e->nf.in : w->e->nf.out;
		return w->e->ifname[0] ? w->e->ifname : NULL;
	case NT_KB_F_NETNS:
		snprintf(buf, len, "%u", w->e ? w->e->netns : w->v->netns);
		return buf;
	case NT_KB_F_HOOK:
		return w->hook;
	case NT_KB_F_FAMILY:
		return w->family;
	case NT_KB_F_TABLE:
		return w->v ? w->v->e.table : NULL;
	case NT_KB_F_CHAIN:
		return w->v ? w->v->e.chain : NULL;
	case NT_KB_F_RULE:
		return w->rule[0] ? w->rule : NULL;
	case NT_KB_F_NAT_FROM:
		return c->nat_from[0] ? c->nat_from : NULL;
	case NT_KB_F_NAT_TO:
		return c->nat_to[0] ? c->nat_to : NULL;
	default:
		break;
	}
	return NULL;
}

/* A field's number; false when the event does not have it. */
static bool field_int(struct ctx *c, enum nt_kb_field f, long long *v)
{
	const struct view *w = c->v;
	const struct nt_pkt *p = w->pkt;
	bool ip = p && p->kind == NT_PKT_IP;

	switch (f) {
	case NT_KB_F_RET:
		*v = w->ret;
		return w->has_ret;
	case NT_KB_F_FLAGS:
		*v = p ? p->tcp_flags : 0;
		return ip && p->has_l4 && p->l4proto == 6;
	case NT_KB_F_TTL:
		*v = ip ? p->ttl : 0;
		return ip;
	case NT_KB_F_LEN:
		*v = ip ? p->ip_len : 0;
		return ip && p->ip_len;
	case NT_KB_F_ICMP_TYPE:
	case NT_KB_F_ICMP_CODE:
		*v = f == NT_KB_F_ICMP_TYPE ? p->icmp_type : p->icmp_code;
		return ip && p->has_l4 && p->l4proto == 1;
	case NT_KB_F_ICMP6_TYPE:
		*v = ip ? p->icmp_type : 0;
		return ip && p->has_l4 && p->l4proto == 58;
	case NT_KB_F_SPORT:
	case NT_KB_F_DPORT:
		*v = has_ports(p) ? (f == NT_KB_F_SPORT ? p->sport : p->dport) : 0;
		return has_ports(p);
	case NT_KB_F_VERDICT:
		*v = w->verdict;
		return w->verdict >= 0;
	case NT_KB_F_CT_STATE:
		*v = w->ct_state;
		return w->ct_state >= 0;
	case NT_KB_F_CT_STATUS:
		*v = w->ct_status;
		return w->has_ct_status;
	case NT_KB_F_NAT:
		*v = c->nat;
		return true;
	case NT_KB_F_NOT_FREED:
	case NT_KB_F_ELAPSED:
		*v = (long long)c->elapsed_ms;
		return f == NT_KB_F_ELAPSED || !c->complete;
	default:
		break;
	}
	return false;
}

static __u32 view_netns(const struct view *w)
{
	return w->e ? w->e->netns : w->v->netns;
}

static const char *lookup(void *arg, enum nt_kb_field field, enum nt_kb_fact fact,
			  const char *farg, char *buf, size_t len)
{
	struct ctx *c = arg;
	const char *s;
	long long v;

	if (fact != NT_KB_FACT_NONE) {
		if (!c->d->fact ||
		    c->d->fact(view_netns(c->v), nt_kb_fact_name(fact), farg, buf, len))
			return NULL;
		return buf;
	}
	s = field_text(c, field, buf, len);
	if (s) {
		if (s != buf)
			snprintf(buf, len, "%s", s);
		return buf;
	}
	if (!field_int(c, field, &v))
		return NULL;
	snprintf(buf, len, "%lld", v);
	return buf;
}

static bool cond_holds(struct ctx *c, const struct nt_kb_cond *k)
{
	char buf[320], fact[320];
	const char *s;
	long long v;

	switch (nt_kb_field_type(k->field)) {
	case NT_KB_T_NAME:
		if (k->field == NT_KB_F_SEEN)
			return nt_kb_test_seen(k, c->seen, c->v->index < NT_MAX_PKTS ? c->v->index : 0);
		s = field_text(c, k->field, buf, sizeof(buf));
		return s && nt_kb_test_str(k, s);
	case NT_KB_T_FACT:
		if (nt_kb_render(&k->fact, lookup, c, fact, sizeof(fact)) || !strcmp(fact, "?"))
			return false;
		return nt_kb_test_str(k, fact);
	case NT_KB_T_NONE:
		return false;
	default:
		return field_int(c, k->field, &v) && nt_kb_test_int(k, v);
	}
}

static bool rule_holds(struct ctx *c, const struct nt_kb_rule *r)
{
	size_t i;

	for (i = 0; i < r->nconds; i++)
		if (!cond_holds(c, &r->conds[i]))
			return false;
	return true;
}

/* Evidence of @w into @ev: what the event or verdict shows. */
static void view_evidence(const struct view *w, struct nt_evidence *ev)
{
	const struct nt_nftrace_event *t;
	const char *fam;

	if (w->e && (w->e->flags & NT_EV_HAS_REASON)) {
		ev->have |= NT_EVD_REASON;
		ev->reason = w->e->reason;
	}
	if (w->e && w->e->location) {
		ev->have |= NT_EVD_LOCATION;
		ev->location = w->e->location;
	}
	if (w->e && w->e->kind == NT_EV_NFHOOK) {
		ev->have |= NT_EVD_HOOK;
		ev->pf = w->e->nf.pf;
		ev->hook = w->e->nf.hook;
		ev->netns = w->e->netns;
	}
	if (!w->v)
		return;
	t = &w->v->e;
	fam = nt_nft_family_name(t->family);
	ev->have |= NT_EVD_RULE;
	snprintf(ev->rule.family, sizeof(ev->rule.family), "%s", fam ? fam : "?");
	snprintf(ev->rule.table, sizeof(ev->rule.table), "%s", t->table);
	snprintf(ev->rule.chain, sizeof(ev->rule.chain), "%s", t->chain);
	snprintf(ev->rule.text, sizeof(ev->rule.text), "%s", t->rule);
	snprintf(ev->rule.verdict, sizeof(ev->rule.verdict), "%s", t->verdict);
	ev->rule.handle = t->type == NT_NFTRACE_RULE ? t->handle : 0;
	if (!(ev->have & NT_EVD_HOOK) && t->hook < 5) {
		ev->have |= NT_EVD_HOOK;
		ev->pf = t->pkt.family == 6 ? 10 : 2;
		ev->hook = t->hook;
		ev->netns = w->v->netns;
	}
}

/* Adds to @to what @from has and @to has not. */
static void merge_evidence(struct nt_evidence *to, const struct nt_evidence *from)
{
	__u32 missing = from->have & ~to->have;

	if (missing & NT_EVD_REASON)
		to->reason = from->reason;
	if (missing & NT_EVD_LOCATION)
		to->location = from->location;
	if (missing & NT_EVD_HOOK) {
		to->pf = from->pf;
		to->hook = from->hook;
		to->netns = from->netns;
		to->show_netns = from->show_netns;
	}
	if (missing & NT_EVD_RULE)
		to->rule = from->rule;
	if (missing & NT_EVD_TUPLES) {
		to->before = from->before;
		to->after = from->after;
		to->reply = from->reply;
	}
	if (missing & NT_EVD_BLAME) {
		memcpy(to->blamed, from->blamed, sizeof(to->blamed));
		to->nblamed = from->nblamed;
		memcpy(to->blame_unknown, from->blame_unknown, sizeof(to->blame_unknown));
	}
	to->have |= from->have;
}

/*
 * One finding per cause: the highest rank speaks, with its level (a specific
 * rule may say a drop is benign), and the evidence adds up.
 */
static void fold(struct nt_analysis *r, const struct nt_finding *f)
{
	struct nt_finding *old = NULL, keep;
	size_t i;

	for (i = 0; i < r->nfindings && !old; i++)
		if (r->findings[i].cause && f->cause && !strcmp(r->findings[i].cause, f->cause))
			old = &r->findings[i];
	if (!old) {
		if (r->nfindings < NT_MAX_FINDINGS)
			r->findings[r->nfindings++] = *f;
		return;
	}
	if (f->rank > old->rank) {
		keep = *old;
		*old = *f;
		merge_evidence(&old->ev, &keep.ev);
		return;
	}
	merge_evidence(&old->ev, &f->ev);
}

static void add(struct ctx *c, const struct nt_kb_rule *rule, const struct view *w,
		struct nt_analysis *r)
{
	static struct nt_finding f; /* large: not on the stack */
	char prefix[128] = "";
	size_t i, n;

	memset(&f, 0, sizeof(f));
	c->v = w;
	f.severity = rule->severity;
	f.code = rule->code;
	f.cause = rule->cause ? rule->cause : rule->code;
	f.rank = rule->rank;
	f.event = w->index;
	nt_kb_render(&rule->message, lookup, c, f.message, sizeof(f.message));
	nt_kb_render(&rule->advice, lookup, c, f.advice, sizeof(f.advice));
	if (c->d->netns_cmd)
		c->d->netns_cmd(view_netns(w), prefix, sizeof(prefix));
	for (i = 0; i < rule->nchecks && f.nchecks < NT_MAX_CHECKS; i++) {
		n = strlen(prefix);
		memcpy(f.checks[f.nchecks], prefix, n + 1);
		nt_kb_render(&rule->checks[i], lookup, c, f.checks[f.nchecks++] + n,
			     sizeof(f.checks[0]) - n);
	}
	view_evidence(w, &f.ev);
	fold(r, &f);
}

/* NAT from the analysis layer's findings, for the nat field and {nat-from}/{nat-to}. */
static void nat_of(struct ctx *c, const struct nt_analysis *r)
{
	const struct nt_finding *f;
	size_t i;
	int fam;

	for (i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		if (!(f->ev.have & NT_EVD_TUPLES))
			continue;
		c->nat |= !strcmp(f->code, "nat.snat") ? NT_KB_NAT_SNAT : NT_KB_NAT_DNAT;
		fam = f->ev.before.l3proto == 0x86DD ? 6 : 4;
		if (c->nat_from[0])
			continue;
		nt_addr_format(c->nat_from, sizeof(c->nat_from), fam,
			       c->nat & NT_KB_NAT_SNAT ? f->ev.before.saddr : f->ev.before.daddr);
		nt_addr_format(c->nat_to, sizeof(c->nat_to), fam,
			       c->nat & NT_KB_NAT_SNAT ? f->ev.after.saddr : f->ev.after.daddr);
	}
}

void nt_diagnose(const struct nt_diag *d, const struct nt_event *ev, size_t n, bool complete,
		 double now, struct nt_analysis *r)
{
	static struct ctx c;
	static struct view views[MAX_VIEWS];
	const struct nt_kb_rule *rule;
	size_t i, j, nv = 0;

	if (!d->kb || !n)
		return;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.r = r;
	c.complete = complete;
	c.elapsed_ms = now * 1000.0 - ev[0].ts / 1e6;
	if (n > NT_MAX_PKTS)
		n = NT_MAX_PKTS;
	for (i = 0; i < n; i++) {
		if (ev[i].flags & NT_EV_FROM_SK)
			memset(&c.pkts[i], 0, sizeof(c.pkts[i]));
		else
			nt_pkt_decode_event(&c.pkts[i], &ev[i]);
		event_view(d, &views[nv++], &ev[i], i, &c.pkts[i]);
		c.seen[i] = views[i].probe;
	}
	for (j = 0; j < r->nverdicts; j++)
		verdict_view(&views[nv++], &r->verdicts[j],
			     r->verdicts[j].e.pkt.kind != NT_PKT_NONE ? &r->verdicts[j].e.pkt : NULL);
	c.views = views;
	c.nviews = nv;
	nat_of(&c, r);

	/* Drop reasons: each explained by its entry. */
	for (i = 0; i < n; i++) {
		if (!views[i].reason[0] || !strcmp(views[i].reason, "NOT_DROPPED_YET"))
			continue;
		rule = nt_kb_reason(d->kb, views[i].reason);
		if (rule)
			add(&c, rule, &views[i], r);
	}
	/* Rules: the first event or verdict that meets all of a rule's conditions. */
	for (j = 0; j < d->kb->nrules; j++) {
		rule = &d->kb->rules[j];
		if (rule->reason || rule->off)
			continue;
		for (i = 0; i < nv; i++) {
			c.v = &views[i];
			if (rule_holds(&c, rule)) {
				add(&c, rule, &views[i], r);
				break;
			}
		}
	}
}

int nt_analysis_worst(const struct nt_analysis *r)
{
	int worst = -1;
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if ((int)r->findings[i].severity > worst)
			worst = (int)r->findings[i].severity;
	return worst;
}
