// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's metric families: what is counted in the kernel, and
 * nettrace's own health. Names follow Prometheus' conventions: the nettrace_
 * prefix, _total on counters, base units. Labels are bounded: reason,
 * location symbol, hook, nft table/chain/rule, namespace inode and name,
 * device, protocol; never addresses, ports or skb pointers.
 */
#include <stdio.h>
#include <bpf/libbpf.h>
#include "monitor/monitor_int.h"
#include "pipeline/events.h"

#ifndef NT_VERSION
#define NT_VERSION "unknown"
#endif

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NS     "netns", "netns_name"

struct family {
	const char *name, *help;
	enum nt_metric_type type;
	const char *const *labels;
	bool health; /* not capped by --metrics-series */
};

static const struct family families[M_COUNT] = {
	[M_DROPS] = {"nettrace_drops_total",
		     "Packets dropped (skb:kfree_skb, not consumed), by drop reason and the "
		     "function that freed them.",
		     NT_COUNTER, L("reason", "location", NS, "device", "protocol"), false},
	[M_QDISC] = {"nettrace_qdisc_drops_total",
		     "Packets dropped by a queueing discipline (drop reasons QDISC_*).", NT_COUNTER,
		     L("reason", NS, "device"), false},
	[M_NF] = {"nettrace_netfilter_drops_total",
		  "Packets dropped by netfilter (NETFILTER_DROP), by family and hook; hook "
		  "\"unknown\" when the stack did not tell.",
		  NT_COUNTER, L(NS, "family", "hook"), false},
	[M_NFT_RULE] = {"nettrace_nft_rule_drops_total",
			"Packets dropped by an nft rule (handle 0: the chain's policy), credited "
			"per flow shape once an nft trace of that shape named the rule.",
			NT_COUNTER, L(NS, "family", "table", "chain", "handle", "rule"), false},
	[M_RESETS] = {"nettrace_tcp_resets_sent_total", "TCP resets sent (tcp:tcp_send_reset).",
		      NT_COUNTER, L(NS, "device"), false},
	[M_RETRANS] = {"nettrace_tcp_retransmits_total",
		       "TCP segments retransmitted (tcp:tcp_retransmit_skb).", NT_COUNTER,
		       L(NS, "device"), false},
	[M_SOCKET] = {"nettrace_socket_overflows_total",
		      "Packets a socket could not queue: receive queue full "
		      "(sock:sock_rcvqueue_full) or UDP queueing failed "
		      "(udp:udp_fail_queue_rcv_skb).",
		      NT_COUNTER, L(NS, "protocol", "event"), false},
	[M_LOST] = {"nettrace_events_lost_total",
		    "Sampled events the kernel side could not hand over (ring buffer full), by "
		    "probe. Counting is not affected.",
		    NT_COUNTER, L("probe"), true},
	[M_PROBE] = {"nettrace_probe_attached",
		     "1 when the probe is attached, 0 when the kernel refused it or lacks it.",
		     NT_GAUGE, L("probe"), true},
	[M_NETNS] = {"nettrace_namespaces_watched", "Network namespaces watched.", NT_GAUGE, NULL,
		     true},
	[M_RELEASED] = {"nettrace_namespaces_released_total",
			"Network namespaces that went away; their series were dropped.", NT_COUNTER,
			NULL, true},
	[M_SCRAPES] = {"nettrace_scrapes_total", "Requests for /metrics answered.", NT_COUNTER,
		       NULL, true},
	[M_REPORTS] = {"nettrace_reports_total", "Report lines printed, by kind.", NT_COUNTER,
		       L("kind"), true},
	[M_FOLDED] = {"nettrace_reports_folded_total",
		      "Reports folded into \"and N more like it\" lines, by kind.", NT_COUNTER,
		      L("kind"), true},
	[M_FULL] = {"nettrace_kernel_map_full_total",
		    "Counts the kernel could not keep because a map was full, by map.", NT_COUNTER,
		    L("map"), true},
	[M_OVERFLOW] = {"nettrace_series_overflow_total",
			"Updates counted in the \"other\" series of a metric at its series cap.",
			NT_COUNTER, L("metric"), true},
	[M_LEARN] = {"nettrace_nft_rule_lookups_total",
		     "nft traces started to learn which rule drops a flow shape, by result.",
		     NT_COUNTER, L("result"), true},
	[M_BUILD] = {"nettrace_build_info", "nettrace's version.", NT_GAUGE, L("version"), true},
};

void mon_metrics_init(struct nt_mon *m)
{
	const struct family *f;
	size_t i;

	for (i = 0; i < M_COUNT; i++) {
		f = &families[i];
		nt_metric_init(&m->metrics[i], f->name, f->help, f->type,
			       f->health ? 1000 : m->o->metrics_series, f->labels);
	}
	nt_metric_set(&m->metrics[M_BUILD], L(NT_VERSION), 1);
}

void mon_metrics_free(struct nt_mon *m)
{
	size_t i;

	for (i = 0; i < M_COUNT; i++)
		nt_metric_free(&m->metrics[i]);
}

/* The health gauges and counters that are read when served. */
static void health(struct nt_mon *m)
{
	unsigned long long lost[NT_MON_KINDS] = {};
	const struct mon_probe *p;
	__u32 i;

	if (m->s->pl.lost_fd > 0)
		nt_lost_read(m->s->pl.lost_fd, lost, NT_MON_KINDS);
	for (i = 1; i < NT_MON_KINDS; i++) {
		p = &m->probes[i];
		nt_metric_set(&m->metrics[M_PROBE], L(p->name), p->attached);
		if (p->attached)
			nt_metric_set(&m->metrics[M_LOST], L(p->name), lost[i]);
	}
	nt_metric_set(&m->metrics[M_NETNS], NULL, m->nns);
	nt_metric_set(&m->metrics[M_RELEASED], NULL, m->released);
	nt_metric_set(&m->metrics[M_SCRAPES], NULL, nt_http_scrapes(m->http));
	for (i = 0; i < M_COUNT; i++)
		if (!families[i].health && m->metrics[i].overflow)
			nt_metric_set(&m->metrics[M_OVERFLOW], L(families[i].name),
				      m->metrics[i].overflow);
}

void mon_metrics_render(void *ctx, FILE *f)
{
	struct nt_mon *m = ctx;
	size_t i;

	health(m);
	for (i = 0; i < M_COUNT; i++)
		nt_metric_write(&m->metrics[i], f);
}
