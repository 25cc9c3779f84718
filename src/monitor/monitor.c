// SPDX-License-Identifier: GPL-2.0
/*
 * The production monitor (--monitor): counts anomalies in the kernel
 * (src/bpf/monitor.bpf.c), reports them as lines folded per kind and flow,
 * and serves the counts as Prometheus metrics (--metrics). Runs until stopped.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "record/event.h"
#include "monitor.skel.h"
#include "facts/facts.h"
#include "kernel/tracepoints.h"
#include "modes/modes.h"
#include "probe/features.h"
#include "monitor/monitor_int.h"
#include "util/log.h"

#define L(...)	      ((const char *const[]){__VA_ARGS__})
#define NS_PER_S      1000000000ULL
#define FOLD_KINDS    256
#define FOLD_PER_KIND 3

__u64 mon_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static const struct {
	const char *name, *tp;
} probe_defs[NT_MON_KINDS] = {
	[NT_MON_DROP] = {"skb:kfree_skb", "kfree_skb"},
	[NT_MON_TCP_RESET] = {"tcp:tcp_send_reset", "tcp_send_reset"},
	[NT_MON_TCP_RETRANS] = {"tcp:tcp_retransmit_skb", "tcp_retransmit_skb"},
	[NT_MON_SOCK_RCVQ_FULL] = {"sock:sock_rcvqueue_full", "sock_rcvqueue_full"},
	[NT_MON_UDP_QUEUE_FAIL] = {"udp:udp_fail_queue_rcv_skb", "udp_fail_queue_rcv_skb"},
};

static struct bpf_program *prog_of(struct monitor_bpf *skel, int kind, struct bpf_link ***link)
{
	switch (kind) {
	case NT_MON_DROP:
		*link = &skel->links.mon_kfree_skb;
		return skel->progs.mon_kfree_skb;
	case NT_MON_TCP_RESET:
		*link = &skel->links.mon_tcp_reset;
		return skel->progs.mon_tcp_reset;
	case NT_MON_TCP_RETRANS:
		*link = &skel->links.mon_tcp_retrans;
		return skel->progs.mon_tcp_retrans;
	case NT_MON_SOCK_RCVQ_FULL:
		*link = &skel->links.mon_rcvq_full;
		return skel->progs.mon_rcvq_full;
	default:
		*link = &skel->links.mon_udp_fail;
		return skel->progs.mon_udp_fail;
	}
}

static const char *probe_name(void *ctx, __u32 probe)
{
	struct nt_mon *m = ctx;

	return probe > 0 && probe < NT_MON_KINDS ? m->probes[probe].name : "?";
}

/* Opens and loads the kernel half; @only_drops: the other probes left out. */
static int load(struct nt_mon *m, bool only_drops, char *why, size_t len)
{
	const struct nt_session *s = m->s;
	struct bpf_link **link;
	struct monitor_bpf *skel;
	long consumed = -1, nf = -1;
	int kind, nargs, err;

	skel = m->skel = monitor_bpf__open();
	if (!skel) {
		snprintf(why, len, "open: %s", strerror(errno));
		return -errno;
	}
	skel->rodata->nt_filter = m->o->filter;
	skel->rodata->pkt_direct = nt_pkt_direct_probe(s->btf);
	skel->rodata->self_tgid = getpid();
	if (s->has_reasons && nt_tp_nargs(s->btf, "kfree_skb") >= 3) {
		skel->rodata->has_reason = true;
		consumed = nt_reason_value(&s->reasons, "CONSUMED");
		nf = nt_reason_value(&s->reasons, "NETFILTER_DROP");
	}
	skel->rodata->reason_consumed = consumed >= 0 ? (__u32)consumed : ~0U;
	skel->rodata->reason_nf_drop = nf >= 0 ? (__u32)nf : ~0U;
	skel->rodata->udp_fail_has_skb = nt_tp_nargs(s->btf, "udp_fail_queue_rcv_skb") >= 3;
	for (kind = 1; kind < NT_MON_KINDS; kind++) {
		nargs = nt_tp_nargs(s->btf, probe_defs[kind].tp);
		m->probes[kind].name = probe_defs[kind].name;
		m->probes[kind].tp = probe_defs[kind].tp;
		if (nargs < 2 || (only_drops && kind != NT_MON_DROP)) {
			snprintf(m->probes[kind].why, sizeof(m->probes[kind].why), "%s",
				 nargs < 2 ? "not in this kernel"
					   : "left out: the programs did not load");
			bpf_program__set_autoload(prog_of(skel, kind, &link), false);
		}
	}
	err = nt_session_size_ring(m->s, skel->maps.nt_events);
	if (!err)
		err = monitor_bpf__load(skel);
	if (err) {
		snprintf(why, len, "load: %s", strerror(-err));
		monitor_bpf__destroy(skel);
		m->skel = NULL;
	}
	return err;
}

/* Attaches every loaded probe; 0 when skb:kfree_skb is attached. */
static int attach(struct nt_mon *m, char *why, size_t len)
{
	struct mon_probe *p;
	struct bpf_program *prog;
	struct bpf_link **link;
	int kind;

	for (kind = 1; kind < NT_MON_KINDS; kind++) {
		p = &m->probes[kind];
		prog = prog_of(m->skel, kind, &link);
		if (!bpf_program__autoload(prog))
			continue;
		*link = bpf_program__attach(prog);
		if (*link) {
			p->attached = true;
		} else {
			*link = NULL;
			snprintf(p->why, sizeof(p->why), "attach: %s", strerror(errno));
		}
	}
	if (!m->probes[NT_MON_DROP].attached) {
		snprintf(why, len, "skb:kfree_skb: %s", m->probes[NT_MON_DROP].why);
		return -1;
	}
	return 0;
}

static void key_from_event(const struct nt_event *e, struct nt_mon_key *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = e->probe;
	k->netns = e->netns;
	memcpy(k->dev, e->ifname, NT_MON_DEVLEN);
	k->l3proto = e->flow.l3proto;
	k->l4proto = e->flow.l4proto;
	if (e->probe == NT_MON_DROP) {
		k->location = e->location;
		k->reason = (e->flags & NT_EV_HAS_REASON) ? e->reason : 0;
	}
}

static __u64 flow_hash(const struct nt_flow *f)
{
	const unsigned char *p = (const unsigned char *)f;
	__u64 h = 0xcbf29ce484222325ULL;
	size_t i;

	/* addresses, protocols and ports: the members before ip_len */
	for (i = 0; i < offsetof(struct nt_flow, ip_len); i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The diagnosis' first ERROR finding for drop @e: "code: message" into @buf, advice into @adv. */
static const char *diagnose(struct nt_mon *m, const struct nt_event *e, char *buf, size_t len,
			    const char **adv)
{
	const struct nt_finding *f;
	size_t i;

	if (!m->has_kb)
		return NULL;
	memset(&m->an, 0, sizeof(m->an));
	nt_diagnose(&m->diag, e, 1, true, mon_now() / 1e9, &m->an);
	for (i = 0; i < m->an.nfindings; i++) {
		f = &m->an.findings[i];
		if (f->severity != NT_SEV_ERROR)
			continue;
		snprintf(buf, len, "%s: %s", f->code, f->message);
		*adv = f->advice[0] ? f->advice : NULL;
		return buf;
	}
	return NULL;
}

/* A report of key @k: about packet @e, or folded (@e NULL, @more). */
static void report(struct nt_mon *m, const struct nt_mon_key *k, const struct nt_event *e,
		   unsigned long long more, __u64 span_ns, __u64 now)
{
	char reason[64], loc[96], pkt[256], rule[400], dev[NT_MON_DEVLEN + 1], finding[600];
	const char *name = mon_netns_name(m, k->netns);
	struct nt_report r = {};

	r.kind = mon_kind_name(m, k, reason, sizeof(reason));
	r.reason = reason[0] ? reason : NULL;
	if (k->kind == NT_MON_DROP) {
		if (e)
			nt_ksyms_format(m->s->out.ksyms, k->location, loc, sizeof(loc));
		else
			mon_location(m, k->location, loc, sizeof(loc));
		r.location = loc;
	}
	r.netns = k->netns;
	r.netns_name = name[0] ? name : NULL;
	snprintf(dev, sizeof(dev), "%.*s", NT_MON_DEVLEN, k->dev);
	r.dev = dev;
	if (e) {
		r.ts = e->ts;
		nt_event_pkt_text(e, pkt, sizeof(pkt));
		r.packet = pkt;
		if (!strcmp(r.kind, "netfilter-drop"))
			r.rule = mon_nf_rule_text(m, e, rule, sizeof(rule));
		if (k->kind == NT_MON_DROP)
			r.finding = diagnose(m, e, finding, sizeof(finding), &r.advice);
		nt_metric_add(&m->metrics[M_REPORTS], L(r.kind), 1);
		m->printed++;
	} else {
		r.ts = now;
		r.more = more;
		r.window_s = (span_ns + NS_PER_S / 2) / NS_PER_S;
		if (r.window_s > m->o->report_window)
			r.window_s = m->o->report_window;
		if (!r.window_s)
			r.window_s = 1;
		nt_metric_add(&m->metrics[M_FOLDED], L(r.kind), more);
	}
	nt_output_report(&m->s->out, &r);
}

static bool on_event(void *ctx, const struct nt_event *e, const struct nt_stack *st)
{
	struct nt_mon *m = ctx;
	struct nt_mon_key k;
	__u64 now = mon_now();

	(void)st;
	if (e->kind != NT_EV_DROP || !e->probe || e->probe >= NT_MON_KINDS)
		return false;
	key_from_event(e, &k);
	if (k.kind == NT_MON_DROP && k.reason == m->skel->rodata->reason_nf_drop &&
	    (e->flags & NT_EV_HAS_REASON))
		mon_nf_sample(m, e, now);
	if (nt_fold_offer(&m->fold, &k, flow_hash(&e->flow), now))
		report(m, &k, e, 0, 0, now);
	return true;
}

static void on_folded(void *ctx, const void *key, unsigned long long more, __u64 span_ns)
{
	struct nt_mon *m = ctx;
	struct nt_report r = {};

	if (key) {
		report(m, key, NULL, more, span_ns, mon_now());
		return;
	}
	r.ts = mon_now();
	r.kind = "any";
	r.more = more;
	r.window_s = m->o->report_window;
	nt_output_report(&m->s->out, &r);
}

static void on_tick(void *ctx)
{
	struct nt_mon *m = ctx;
	__u64 now = mon_now();

	nt_http_run(m->http);
	mon_nf_tick(m, now);
	if (now < m->next_second)
		return;
	m->next_second = now + NS_PER_S;
	/* Namespaces first: what is counted next is labelled with their names. */
	mon_netns_refresh(m);
	mon_counts_read(m, now);
	mon_nf_read(m, now);
	nt_fold_expire(&m->fold, now, false, on_folded, m);
	nt_output_flush(&m->s->out);
}

static void on_http(void *ctx)
{
	struct nt_mon *m = ctx;

	nt_http_run(m->http);
}

static void on_quiesce(void *ctx)
{
	struct nt_mon *m = ctx;

	monitor_bpf__detach(m->skel);
}

static void on_finish(struct nt_pipeline *pl)
{
	struct nt_mon *m = pl->ctx;
	__u64 now = mon_now();

	mon_counts_read(m, now);
	nt_fold_expire(&m->fold, now, true, on_folded, m);
	snprintf(pl->note, sizeof(pl->note), "%llu reports printed, %llu samples folded",
		 m->printed, m->fold.folded);
}

static int mon_init(struct nt_mon *m, struct nt_session *s, const struct nt_opts *o)
{
	char why[256];

	m->s = s;
	m->o = o;
	m->ncpu = libbpf_num_possible_cpus();
	if (m->ncpu <= 0)
		return -EINVAL;
	m->vals = calloc(m->ncpu, sizeof(struct nt_mon_val));
	m->stack_hook = calloc(NT_MON_STACKS, 1);
	m->ns = calloc(MON_NETNS_MAX, sizeof(*m->ns));
	if (!m->vals || !m->stack_hook || !m->ns ||
	    nt_bytemap_init(&m->keys, sizeof(struct nt_mon_key), sizeof(struct mon_keyval),
			    NT_MON_KEYS) ||
	    nt_bytemap_init(&m->nfkeys, sizeof(struct nt_mon_nfkey), sizeof(struct mon_keyval),
			    NT_MON_NF_KEYS) ||
	    nt_bytemap_init(&m->shapes, sizeof(struct nt_mon_nfkey), sizeof(struct mon_shape),
			    MON_SHAPES) ||
	    nt_fold_init(&m->fold, sizeof(struct nt_mon_key), FOLD_KINDS,
			 o->report_window * NS_PER_S, FOLD_PER_KIND))
		return -ENOMEM;
	mon_metrics_init(m);
	if (nt_kb_load_builtin(&m->kb, why, sizeof(why))) {
		nt_warn("built-in knowledge base: %s: reports carry no diagnosis", why);
	} else {
		m->has_kb = true;
		m->diag = (struct nt_diag){
			.kb = &m->kb,
			.reasons = s->has_reasons ? &s->reasons : NULL,
			.ksyms = s->out.ksyms,
			.consumed = s->has_reasons ? nt_reason_value(&s->reasons, "CONSUMED") : -1,
			.fact = nt_fact_read,
		};
	}
	return 0;
}

static void mon_fini(struct nt_mon *m)
{
	mon_nf_stop(m);
	nt_http_stop(m->http);
	monitor_bpf__destroy(m->skel);
	mon_metrics_free(m);
	if (m->has_kb)
		nt_kb_free(&m->kb);
	nt_fold_free(&m->fold);
	nt_bytemap_free(&m->keys);
	nt_bytemap_free(&m->nfkeys);
	nt_bytemap_free(&m->shapes);
	mon_netns_free(m);
	free(m->stack_hook);
	free(m->vals);
}

/* "skb:kfree_skb, tcp:tcp_send_reset, ...; refused: X (why)" */
static void probes_text(const struct nt_mon *m, char *buf, size_t len)
{
	size_t n = 0, kind, refused = 0;

	buf[0] = '\0';
	for (kind = 1; kind < NT_MON_KINDS && n < len; kind++)
		if (m->probes[kind].attached)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      m->probes[kind].name);
	for (kind = 1; kind < NT_MON_KINDS && n < len; kind++)
		if (!m->probes[kind].attached)
			n += snprintf(buf + n, len - n, "%s%s (%s)",
				      refused++ ? ", " : "; not attached: ", m->probes[kind].name,
				      m->probes[kind].why);
}

int nt_monitor_run(const struct nt_opts *o)
{
	char why[256], why2[256], probes[768], where[160] = "";
	struct nt_session s;
	struct nt_mon *m;
	int fd = -1, ret;

	/* The port first: one in use fails before anything is loaded. */
	if (o->metrics.set) {
		fd = nt_http_listen(&o->metrics, why, sizeof(why));
		if (fd < 0) {
			nt_err("%s", why);
			return NT_EXIT_RUNTIME;
		}
	}
	m = calloc(1, sizeof(*m));
	ret = nt_session_open(&s, o, NT_NEED_REASONS | NT_NEED_KSYMS);
	if (ret || !m) {
		if (fd >= 0)
			close(fd);
		free(m);
		nt_session_close(&s);
		return ret ? ret : NT_EXIT_RUNTIME;
	}
	ret = NT_EXIT_RUNTIME;
	if (mon_init(m, &s, o)) {
		nt_err("monitor: out of memory");
		goto out;
	}
	if (load(m, false, why, sizeof(why)) && load(m, true, why2, sizeof(why2))) {
		nt_err("cannot load the monitor's programs: %s", why);
		goto out;
	}
	if (attach(m, why, sizeof(why))) {
		nt_err("cannot attach the monitor: %s", why);
		goto out;
	}
	if (fd >= 0) {
		ret = nt_http_start(&m->http, fd, mon_metrics_render, m, why, sizeof(why));
		fd = -1;
		if (ret) {
			nt_err("%s", why);
			ret = NT_EXIT_RUNTIME;
			goto out;
		}
		ret = NT_EXIT_RUNTIME;
		s.pl.extra[0] = (struct nt_pipe_source){nt_http_fd(m->http), on_http, m};
		s.pl.nextra = 1;
		snprintf(where, sizeof(where), "; metrics at http://%s%s/metrics",
			 o->metrics.any ? (o->metrics.text[0] == ':' ? "*" : "*:") : "",
			 o->metrics.text);
	}
	mon_netns_refresh(m);
	m->next_second = mon_now() + NS_PER_S;
	nt_session_ring(&s, m->skel->maps.nt_events, m->skel->maps.nt_lost);
	s.pl.handle = on_event;
	s.pl.ctx = m;
	s.pl.tick = on_tick;
	s.pl.quiesce = on_quiesce;
	s.pl.finish = on_finish;
	s.pl.probe_name = probe_name;
	s.pl.unit = "samples";
	probes_text(m, probes, sizeof(probes));
#ifdef NT_NO_NFTABLES
	strncat(where, "; nft rules not learned (built without libnftables)",
		sizeof(where) - strlen(where) - 1);
#endif
	ret = nt_session_run(&s, "monitor on %s; %zu namespaces; reports folded over %lu s%s",
			     probes, m->nns, o->report_window, where);
out:
	if (fd >= 0)
		close(fd);
	mon_fini(m);
	free(m);
	nt_session_close(&s);
	return ret;
}
