/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event pipeline's kernel end: one ring buffer for every program, a
 * per-probe count of the events it could not reserve (read by the user side
 * and reported, never a reason to stop), and the record's frame: the header
 * and the sections (src/record/wire.h).
 */
#ifndef EMIT_BPF_H
#define EMIT_BPF_H

#include "skb_parse.bpf.h"
#include "record/probe.h"

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

/*
 * Reserves a record of @size bytes, or counts it lost against @probe. The
 * size must be a constant on every path the verifier walks: each program
 * adds up the sizes of the sections it will write, per path.
 */
static __always_inline struct nt_rec *rec_reserve(__u32 probe, __u64 size)
{
	struct nt_rec *r = bpf_ringbuf_reserve(&nt_events, size, 0);

	if (!r)
		count_lost(probe);
	return r;
}

/*
 * A condition as a number, 0 or 1, that the compiler cannot see through. A
 * program that reserves a section on a condition and writes it on the same
 * condition tests it twice. The verifier knows a constant's value on each
 * path, but does not carry the outcome of a test on a pointer (skb->sk) or
 * on an unknown number (skb->_nfct) to a second test: it would walk a path
 * where the second test says "write" and the first said "no room".
 */
#define NT_FLAG(cond)                                 \
	({                                            \
		__u64 __f = (cond) ? 1 : 0;           \
		asm volatile("" : "+r"(__f));         \
		__f;                                  \
	})

/* The header's common fields; the task's (pid, comm) are the caller's. */
static __always_inline void rec_init(struct nt_rec *r, __u32 probe, __u8 kind)
{
	__builtin_memset(r, 0, sizeof(*r));
	r->ts = bpf_ktime_get_ns();
	r->probe = probe;
	r->kind = kind;
	r->cpu = bpf_get_smp_processor_id();
}

/* The current task's pid and comm, through helpers. */
static __always_inline void rec_task(struct nt_rec *r)
{
	r->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
}

/* The section of type @t at byte @off of record @r, its header written. */
#define REC_SEC(r, off, T, t)                               \
	({                                                  \
		T *__s = (T *)((void *)(r) + (off));        \
		__s->h.type = (t);                          \
		__s->h.pad = 0;                             \
		__s->h.len = sizeof(T);                     \
		__s;                                        \
	})

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
