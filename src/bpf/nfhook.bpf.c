// SPDX-License-Identifier: GPL-2.0
/*
 * The template of the netfilter hook observers (src/netfilter/observer/observer.c). It
 * is loaded once as raw_tp (libbpf 1.1 knows no netfilter programs), then its
 * final instructions are reloaded as BPF_PROG_TYPE_NETFILTER, one clone per
 * probe id and place (first/last) with the markers patched. The ctx of a
 * netfilter program is struct bpf_nf_ctx { state; skb; }: two u64 at offsets
 * 0 and 8, which a raw_tp program may read too. Everything behind them is read
 * with probe reads, which both program types allow.
 *
 * Like trace_skb(): a tracked skb is followed without filtering; an untracked
 * one is filtered and, on a match in lifecycle mode, tracked in a new group.
 * The verdict is always NF_ACCEPT: observers never change it.
 *
 * Netfilter programs get only the base helpers, fewer on older kernels (6.12
 * refuses bpf_get_current_comm, older ones bpf_get_current_pid_tgid too): the
 * task's pid and comm are read from bpf_get_current_task() instead, so this
 * program has its own task filter and event reservation.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "trace.bpf.h"
#include "marker.bpf.h"
#include "netfilter/observer/observer.h"

#define NT_NF_ACCEPT 1
#define NT_NO_CT     0xff

/* task_match(), from the task struct. */
static __always_inline bool nf_task_match(struct task_struct *task)
{
	if ((nt_filter.mask & NT_F_PID) && BPF_CORE_READ(task, tgid) != nt_filter.pid)
		return false;
	return true;
}

/* reserve_event(), with pid and comm from the task struct. */
static __always_inline struct nt_event *nf_reserve(__u32 probe, struct task_struct *task)
{
	struct nt_event *e = bpf_ringbuf_reserve(&nt_events, sizeof(*e), 0);

	if (!e) {
		count_lost(probe);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->probe = probe;
	e->pid = BPF_CORE_READ(task, tgid);
	e->cpu = bpf_get_smp_processor_id();
	bpf_core_read_str(e->comm, sizeof(e->comm), &task->comm);
	return e;
}

static __always_inline void read_dev(struct net_device *dev, __u32 *ifindex, char *name)
{
	if (!dev)
		return;
	*ifindex = BPF_CORE_READ(dev, ifindex);
	bpf_core_read_str(name, NT_IFNAMSIZ, &dev->name);
}

static __always_inline void read_tuple(struct nt_tuple *t, struct nf_conntrack_tuple *ct)
{
	__u16 l3num = 0, sport = 0, dport = 0;
	__u8 proto = 0;

	bpf_core_read(&l3num, sizeof(l3num), &ct->src.l3num);
	bpf_core_read(&proto, sizeof(proto), &ct->dst.protonum);
	bpf_core_read(&sport, sizeof(sport), &ct->src.u.all);
	bpf_core_read(&dport, sizeof(dport), &ct->dst.u.all);
	bpf_core_read(t->src, sizeof(t->src), &ct->src.u3);
	bpf_core_read(t->dst, sizeof(t->dst), &ct->dst.u3);
	t->l3num = l3num;
	t->l4proto = proto;
	t->sport = bpf_ntohs(sport);
	t->dport = bpf_ntohs(dport);
}

/* The skb's conntrack entry: state, status, zone, mark and both tuples. */
static __always_inline void read_ct(struct nt_nf *nf, struct sk_buff *skb)
{
	unsigned long nfct = 0;
	struct nf_conn *ct;

	nf->ctinfo = NT_NO_CT;
	if (!bpf_core_field_exists(skb->_nfct))
		return;
	bpf_core_read(&nfct, sizeof(nfct), &skb->_nfct);
	if (!nfct)
		return;
	nf->ctinfo = nfct & 7;
	ct = (struct nf_conn *)(nfct & ~7UL);
	/* nf_conntrack may be a module this kernel has not loaded: no type, no reads. */
	if (!ct || !bpf_core_type_exists(struct nf_conn))
		return;
	nf->ct_status = (__u32)BPF_CORE_READ(ct, status);
	if (bpf_core_field_exists(ct->mark))
		nf->ct_mark = BPF_CORE_READ(ct, mark);
	if (bpf_core_field_exists(ct->zone))
		nf->ct_zone = BPF_CORE_READ(ct, zone.id);
	read_tuple(&nf->orig, &ct->tuplehash[0].tuple);
	read_tuple(&nf->reply, &ct->tuplehash[1].tuple);
}

SEC("raw_tp/netif_receive_skb")
int nt_nfhook(__u64 *ctx)
{
	__u64 base = MARKER(NT_NF_MARK_PROBE), where = MARKER(NT_NF_MARK_WHERE);
	struct nf_hook_state *state = (struct nf_hook_state *)CTX_LOAD(ctx, 0);
	struct sk_buff *skb = (struct sk_buff *)CTX_LOAD(ctx, 8);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 key = (__u64)skb, group = 0, *tracked = NULL;
	struct net *net;
	struct nt_event *e;
	struct pkt p = {};
	__u8 pf, hook;

	if (!skb || !state)
		return NT_NF_ACCEPT;
	if (track_on)
		tracked = bpf_map_lookup_elem(&nt_track, &key);
	if (!tracked && !nf_task_match(task))
		return NT_NF_ACCEPT;
	pkt_init(&p, skb, false);
	/*
	 * The hook's namespace, whatever the skb's device (none yet in LOCAL_OUT):
	 * marked known, or pkt_netns() would read the skb's instead.
	 */
	net = BPF_CORE_READ(state, net);
	if (net) {
		p.netns = BPF_CORE_READ(net, ns.inum);
		p.netns_known = true;
	}
	if (tracked) {
		group = *tracked;
		pkt_parse(&p, false);
	} else {
		if (!pkt_match(&p, false))
			return NT_NF_ACCEPT;
		if (track_on) {
			group = new_group();
			bpf_map_update_elem(&nt_track, &key, &group, BPF_ANY);
		}
	}

	/* One program per place serves every family and hook: the probe id from the state. */
	pf = BPF_CORE_READ(state, pf);
	hook = BPF_CORE_READ(state, hook);
	e = nf_reserve(base + NT_NF_INDEX(pf == NFPROTO_IPV6, hook, where), task);
	if (!e)
		return NT_NF_ACCEPT;
	fill_event(e, &p, false);
	e->kind = NT_EV_NFHOOK;
	e->group = group;
	if (tracked)
		e->flags |= NT_EV_TRACKED;
	e->nf.hook = hook;
	e->nf.pf = pf;
	e->nf.where = where;
	read_dev(BPF_CORE_READ(state, in), &e->nf.in_ifindex, e->nf.in);
	read_dev(BPF_CORE_READ(state, out), &e->nf.out_ifindex, e->nf.out);
	read_ct(&e->nf, skb);
	submit_event(e);
	return NT_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
