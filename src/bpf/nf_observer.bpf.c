// SPDX-License-Identifier: GPL-2.0
/*
 * The template of the netfilter hook observers (src/netfilter/observer/). It
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
 * program has its own task filter.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "trace.bpf.h"
#include "marker.bpf.h"
#include "record/probe.h"

#define NT_NF_ACCEPT 1

/* task_match(), from the task struct. */
static __always_inline bool nf_task_match(struct task_struct *task)
{
	if ((nt_filter.mask & NT_F_PID) && BPF_CORE_READ(task, tgid) != nt_filter.pid)
		return false;
	return true;
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

/* The skb's conntrack entry (skb->_nfct, not 0): status, zone, mark and both tuples. */
static __always_inline void put_ct(struct nt_sec_ct *s, unsigned long nfct)
{
	struct nf_conn *ct = (struct nf_conn *)(nfct & ~7UL);

	__builtin_memset((void *)s + sizeof(s->h), 0, sizeof(*s) - sizeof(s->h));
	s->ctinfo = nfct & 7;
	/* nf_conntrack may be a module this kernel has not loaded: no type, no reads. */
	if (!ct || !bpf_core_type_exists(struct nf_conn))
		return;
	s->status = (__u32)BPF_CORE_READ(ct, status);
	if (bpf_core_field_exists(ct->mark))
		s->mark = BPF_CORE_READ(ct, mark);
	if (bpf_core_field_exists(ct->zone))
		s->zone = BPF_CORE_READ(ct, zone.id);
	read_tuple(&s->orig, &ct->tuplehash[0].tuple);
	read_tuple(&s->reply, &ct->tuplehash[1].tuple);
}

SEC("raw_tp/netif_receive_skb")
int nt_nfhook(__u64 *ctx)
{
	__u64 base = MARKER(NT_NF_MARK_PROBE), where = MARKER(NT_NF_MARK_WHERE);
	struct nf_hook_state *state = (struct nf_hook_state *)CTX_LOAD(ctx, 0);
	struct sk_buff *skb = (struct sk_buff *)CTX_LOAD(ctx, 8);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 key = (__u64)skb, group = 0, *tracked = NULL;
	__u64 size = sizeof(struct nt_rec) + sizeof(struct nt_sec_packet) + sizeof(struct nt_sec_nf);
	unsigned long nfct = 0;
	__u64 want_ct;
	struct nt_sec_nf *nf;
	struct net *net;
	struct nt_rec *r;
	struct pkt p = {};
	__u32 probe;
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
	probe = base + NT_NF_INDEX(pf == NFPROTO_IPV6, hook, where);
	/* Sections: packet, hook state, and conntrack when the packet has an entry. */
	if (bpf_core_field_exists(skb->_nfct))
		bpf_core_read(&nfct, sizeof(nfct), &skb->_nfct);
	want_ct = NT_FLAG(nfct);
	if (want_ct)
		size += sizeof(struct nt_sec_ct);
	r = rec_reserve(probe, size);
	if (!r)
		return NT_NF_ACCEPT;
	rec_init(r, probe, NT_EV_NFHOOK);
	r->pid = BPF_CORE_READ(task, tgid);
	bpf_core_read_str(r->comm, sizeof(r->comm), &task->comm);
	fill_rec(r, &p, false);
	r->group = group;
	if (tracked)
		r->flags |= NT_EV_TRACKED;
	put_packet(REC_SEC(r, sizeof(*r), struct nt_sec_packet, NT_SEC_PACKET), &p, false);
	nf = REC_SEC(r, sizeof(*r) + sizeof(struct nt_sec_packet), struct nt_sec_nf, NT_SEC_NF);
	__builtin_memset((void *)nf + sizeof(nf->h), 0, sizeof(*nf) - sizeof(nf->h));
	nf->hook = hook;
	nf->pf = pf;
	nf->where = where;
	read_dev(BPF_CORE_READ(state, in), &nf->in_ifindex, nf->in);
	read_dev(BPF_CORE_READ(state, out), &nf->out_ifindex, nf->out);
	if (want_ct)
		put_ct(REC_SEC(r, sizeof(*r) + sizeof(struct nt_sec_packet) + sizeof(*nf),
			       struct nt_sec_ct, NT_SEC_CT),
		       nfct);
	r->nsec = 2 + want_ct;
	submit_event(r);
	return NT_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
