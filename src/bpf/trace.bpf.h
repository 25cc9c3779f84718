/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every trace probe does with the skb it sees, whatever attached it:
 * follow it if it is tracked (lifecycle), else filter it and, on a match,
 * start tracking it; then emit one event.
 */
#ifndef TRACE_BPF_H
#define TRACE_BPF_H

#include "filter.bpf.h"
#include "emit.bpf.h"

/* Lifecycle mode: a matched skb is followed until freed, whatever its headers become. */
const volatile bool track_on = false;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u64);   /* skb address */
	__type(value, __u64); /* group id */
} nt_track SEC(".maps");

static __always_inline __u64 new_group(void)
{
	return bpf_ktime_get_ns() << 6 | (bpf_get_smp_processor_id() & 63);
}

/*
 * reason: an skb_drop_reason the probe was given, or ~0U. btf: the skb is a
 * BTF pointer (tp_btf, fentry, fexit), its fields load directly (NT_READ).
 */
static __always_inline int trace_skb(struct sk_buff *skb, __u32 probe, __u32 pflags, __s64 ret,
				     __u32 reason, bool btf)
{
	__u64 key = (__u64)skb, group = 0, *tracked = NULL, clone;
	struct nt_event *e;
	struct pkt p = {};

	if (!skb)
		return 0;
	/* Once, before the paths fork: see pkt_init(). */
	pkt_init(&p, skb, btf);
	if (track_on)
		tracked = bpf_map_lookup_elem(&nt_track, &key);
	if (tracked) {
		group = *tracked;
		pkt_parse(&p, btf);
	} else {
		if (!task_match())
			return 0;
		if (!pkt_match(&p, btf))
			return 0;
		if (track_on) {
			group = new_group();
			if (!(pflags & NT_PP_FREE))
				bpf_map_update_elem(&nt_track, &key, &group, BPF_ANY);
		}
	}

	e = reserve_event(probe, sizeof(*e));
	if (e) {
		fill_event(e, &p, btf);
		e->kind = NT_EV_TRACE;
		e->group = group;
		if (tracked)
			e->flags |= NT_EV_TRACKED;
		if (reason != ~0U) {
			e->reason = reason;
			e->flags |= NT_EV_HAS_REASON;
		}
		if (pflags & NT_PP_RET) {
			e->retval = ret;
			e->flags |= NT_EV_HAS_RET;
		}
		if ((pflags & NT_PP_CLONE) && ret) {
			e->retval = ret;
			e->flags |= NT_EV_CLONE;
		}
		submit_event(e);
	}
	if (!track_on)
		return 0;
	if ((pflags & NT_PP_CLONE) && ret) {
		clone = (__u64)ret;
		bpf_map_update_elem(&nt_track, &clone, &group, BPF_ANY);
	}
	if ((pflags & NT_PP_FREE) && tracked)
		bpf_map_delete_elem(&nt_track, &key);
	return 0;
}

#endif /* TRACE_BPF_H */
