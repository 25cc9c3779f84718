/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filter every BPF program applies, set by the user side in rodata before
 * load. Unset fields cost one test of a constant each: the verifier prunes them.
 */
#ifndef FILTER_BPF_H
#define FILTER_BPF_H

#include "record/filter.h"
#include "pkt.bpf.h"

const volatile struct nt_filter nt_filter = {};

static __always_inline bool prefix_match(const volatile struct nt_prefix *p,
					 const struct nt_flow *f, const __u8 *addr)
{
	__u32 full = p->plen / 8, rest = p->plen % 8, i;
	__u8 mask;

	if (p->family == 4 && f->l3proto != ETH_P_IP)
		return false;
	if (p->family == 6 && f->l3proto != ETH_P_IPV6)
		return false;
	for (i = 0; i < 16; i++) {
		if (i >= full)
			break;
		if (addr[i] != p->addr[i])
			return false;
	}
	if (!rest || full >= 16)
		return true;
	mask = (__u8)(0xff << (8 - rest));
	return (addr[full & 15] & mask) == (p->addr[full & 15] & mask);
}

static __always_inline bool dev_match(struct net_device *dev, bool btf)
{
	char ifname[NT_IFNAMSIZ] __attribute__((aligned(8))) = {};
	int i;

	if (!dev)
		return false;
	dev_name(ifname, dev, btf);

	for (i = 0; i < NT_IFNAMSIZ; i++) {
		if (ifname[i] != nt_filter.ifname[i])
			return false;
		if (!ifname[i])
			break;
	}
	return true;
}

/* Filters that need only the current task: checked before any skb read. */
static __always_inline bool task_match(void)
{
	if ((nt_filter.mask & NT_F_PID) && (bpf_get_current_pid_tgid() >> 32) != nt_filter.pid)
		return false;
	return true;
}

/*
 * Whether a packet passes the filter. The fields of the skb and its device
 * are tried first: they cost loads, the headers a read of the packet. The
 * packet is parsed when this returns true.
 */
static __always_inline bool flow_match(struct pkt *p);

static __always_inline bool pkt_match(struct pkt *p, bool btf)
{
	__u32 mask = nt_filter.mask;

	if ((mask & NT_F_NETNS) && pkt_netns(p, btf) != nt_filter.netns)
		return false;
	if ((mask & NT_F_DEV) && !dev_match(p->dev, btf))
		return false;
	pkt_parse(p, btf);
	return flow_match(p);
}

/* The filter's tests of a parsed flow (pkt_match() without the skb's fields). */
static __always_inline bool flow_match(struct pkt *p)
{
	const struct nt_flow *f = &p->flow;
	__u32 mask = nt_filter.mask;
	__u32 len;

	if ((mask & NT_F_L3PROTO) && f->l3proto != nt_filter.l3proto)
		return false;
	if ((mask & NT_F_L4PROTO) && f->l4proto != nt_filter.l4proto)
		return false;
	if ((mask & NT_F_SADDR) && !prefix_match(&nt_filter.saddr, f, f->saddr))
		return false;
	if ((mask & NT_F_DADDR) && !prefix_match(&nt_filter.daddr, f, f->daddr))
		return false;
	if ((mask & NT_F_ADDR) && !prefix_match(&nt_filter.addr, f, f->saddr) &&
	    !prefix_match(&nt_filter.addr, f, f->daddr))
		return false;
	if ((mask & NT_F_SPORT) && f->sport != nt_filter.sport)
		return false;
	if ((mask & NT_F_DPORT) && f->dport != nt_filter.dport)
		return false;
	if ((mask & NT_F_PORT) && f->sport != nt_filter.port && f->dport != nt_filter.port)
		return false;
	if ((mask & NT_F_TCPFLAGS) &&
	    (f->l4proto != NT_IPPROTO_TCP ||
	     (f->tcp_flags & nt_filter.tcp_flags) != nt_filter.tcp_flags))
		return false;
	if (mask & NT_F_PKTLEN) {
		len = f->ip_len ? f->ip_len : p->skb_len;
		if (len < nt_filter.len_min || len > nt_filter.len_max)
			return false;
	}
	return true;
}

#endif /* FILTER_BPF_H */
