/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event pipeline's kernel end: one ring buffer for every program, and a
 * per-probe count of the events it could not reserve (read by the user side
 * and reported, never a reason to stop).
 */
#ifndef EMIT_BPF_H
#define EMIT_BPF_H

#include "skb_parse.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20); /* resized by the user side before load */
} nt_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NT_MAX_PROBES);
	__type(key, __u32);
	__type(value, __u64);
} nt_lost SEC(".maps");

static __always_inline void count_lost(__u32 probe)
{
	__u64 *n = bpf_map_lookup_elem(&nt_lost, &probe);

	if (n)
		*n += 1;
}

/* Reserves an event of @size bytes, or counts it lost against @probe. */
static __always_inline struct nt_event *reserve_event(__u32 probe, __u64 size)
{
	struct nt_event *e = bpf_ringbuf_reserve(&nt_events, size, 0);

	if (!e) {
		count_lost(probe);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->probe = probe;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/*
 * Submits without waking the reader, unless an eighth of the buffer is
 * waiting: waking it for every event doubled a flooded sender's time. The
 * reader also polls every 100 ms, so nothing waits longer than that.
 */
static __always_inline void submit_event(void *e)
{
	__u64 avail = bpf_ringbuf_query(&nt_events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&nt_events, BPF_RB_RING_SIZE);

	bpf_ringbuf_submit(e, avail >= size / 8 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

#endif /* EMIT_BPF_H */
