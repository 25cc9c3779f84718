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
 * reason: an skb_drop_reason the probe was given, with has_reason. has_ret:
 * the probe reports @ret (a return value or a clone, by @pflags). btf: the
 * skb is a BTF pointer (tp_btf, fentry, fexit), its fields load directly
 * (NT_READ). In clones, pflags, has_reason and has_ret are patched
 * constants: one record size per clone, verified once. (No socket section
 * here: whether skb->sk is set is known only at run time, and each clone
 * would be verified twice after the reservation, once per size.)
 */
static __always_inline int trace_skb(struct sk_buff *skb, __u32 probe, __u32 pflags, __s64 ret,
				     __u32 reason, bool has_reason, bool has_ret, bool btf)
{
	__u64 key = (__u64)skb, group = 0, *tracked = NULL, clone;
	__u64 size = sizeof(struct nt_rec) + sizeof(struct nt_sec_packet), off;
	__u64 want_reason = NT_FLAG(has_reason), want_ret = NT_FLAG(has_ret);
	struct nt_sec_drop *drop;
	struct nt_sec_ret *rv;
	struct nt_rec *r;
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

	/* Sections in this order: packet, drop, return. */
	if (want_reason)
		size += sizeof(struct nt_sec_drop);
	if (want_ret)
		size += sizeof(struct nt_sec_ret);
	r = rec_reserve(probe, size);
	if (r) {
		rec_init(r, probe, NT_EV_TRACE);
		rec_task(r);
		fill_rec(r, &p, btf);
		r->group = group;
		if (tracked)
			r->flags |= NT_EV_TRACKED;
		off = sizeof(*r);
		put_packet(REC_SEC(r, off, struct nt_sec_packet, NT_SEC_PACKET), &p, btf);
		off += sizeof(struct nt_sec_packet);
		if (want_reason) {
			drop = REC_SEC(r, off, struct nt_sec_drop, NT_SEC_DROP);
			drop->reason = reason;
			drop->location = 0;
			r->flags |= NT_EV_HAS_REASON;
			off += sizeof(*drop);
		}
		if (want_ret) {
			rv = REC_SEC(r, off, struct nt_sec_ret, NT_SEC_RET);
			rv->pad = 0;
			rv->retval = ret;
			if (pflags & NT_PP_RET)
				r->flags |= NT_EV_HAS_RET;
			if ((pflags & NT_PP_CLONE) && ret)
				r->flags |= NT_EV_CLONE;
		}
		r->nsec = 1 + want_reason + want_ret;
		submit_event(r);
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
