// SPDX-License-Identifier: GPL-2.0
/* The output home's dispatch to the sinks, and what every sink formats alike. */
#define _GNU_SOURCE /* strerrorname_np */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "netfilter/observer/observer.h"
#include "output/output.h"
#include "packet/decode.h"
#include "packet/text.h"

static __s64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__s64)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void nt_output_init(struct nt_output *out)
{
	memset(out, 0, sizeof(*out));
	out->wall_offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
}

int nt_output_add(struct nt_output *out, const struct nt_sink_ops *ops, FILE *f)
{
	if (out->nsinks == NT_MAX_SINKS)
		return -ENOSPC;
	out->sinks[out->nsinks++] = (struct nt_sink){ .ops = ops, .f = f, .out = out };
	return 0;
}

/* Calls @op of every sink that has it. */
#define EACH_SINK(out, op, ...)                                                        \
	do {                                                                           \
		size_t i_;                                                             \
		for (i_ = 0; i_ < (out)->nsinks; i_++) {                               \
			struct nt_sink *s_ = (struct nt_sink *)&(out)->sinks[i_];      \
			if (s_->ops->op)                                               \
				s_->ops->op(s_, __VA_ARGS__);                          \
		}                                                                      \
	} while (0)

void nt_output_drop(const struct nt_output *out, const struct nt_event *e,
		    const struct nt_stack *st)
{
	EACH_SINK(out, drop, e, st);
}

void nt_output_event(const struct nt_output *out, const struct nt_event *e)
{
	EACH_SINK(out, event, e);
}

void nt_output_packet(const struct nt_output *out, const struct nt_pgroup *g,
		      const struct nt_analysis *an)
{
	EACH_SINK(out, packet, g, an);
}

void nt_output_verdict(const struct nt_output *out, const struct nt_verdict *v, __u64 ts)
{
	EACH_SINK(out, verdict, v, ts);
}

void nt_output_hooks(const struct nt_output *out, const struct nt_hook_inv *inv)
{
	EACH_SINK(out, hooks, inv);
}

void nt_output_report(const struct nt_output *out, const struct nt_report *r)
{
	EACH_SINK(out, report, r);
}

void nt_output_catalog(const struct nt_output *out, const struct nt_catalog *c)
{
	EACH_SINK(out, catalog, c);
}

int nt_output_flush(const struct nt_output *out)
{
	int err = 0;
	size_t i;

	for (i = 0; i < out->nsinks; i++)
		if ((fflush(out->sinks[i].f) || ferror(out->sinks[i].f)) && !err)
			err = errno ? -errno : -EIO;
	return err;
}

void nt_time_format(const struct nt_output *out, __u64 ts, char *buf, size_t len)
{
	__s64 wall;
	time_t sec;
	struct tm tm;
	size_t n;

	if (!out->date) {
		snprintf(buf, len, "%llu.%06llu", (unsigned long long)(ts / 1000000000ULL),
			 (unsigned long long)(ts % 1000000000ULL / 1000));
		return;
	}
	wall = (__s64)ts + out->wall_offset_ns;
	sec = wall / 1000000000LL;
	localtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06lld", (long long)(wall % 1000000000LL / 1000));
}

/* Tracepoint and trampoline glue between the traced kernel code and our program. */
static bool is_glue(const char *sym)
{
	static const char *const glue[] = { "bpf_trace_run", "__bpf_trace_", "__traceiter_",
					    "bpf_trampoline_", NULL };
	const char *const *g;

	for (g = glue; *g; g++)
		if (!strncmp(sym, *g, strlen(*g)))
			return true;
	return false;
}

/*
 * The stack starts in our BPF program (which kallsyms, read before it was
 * loaded, may not name), then the glue, then the kernel: skip to after the
 * last glue frame, or past frames named bpf_prog_* when there is no glue.
 */
size_t nt_stack_skip(const struct nt_ksyms *ks, const __u64 *ips, size_t n)
{
	const char *sym;
	size_t i, first = 0;
	__u64 off;

	if (!ks)
		return 0;
	for (i = 0; i < n; i++) {
		sym = nt_ksyms_find(ks, ips[i], &off);
		if (sym && is_glue(sym))
			first = i + 1;
		else if (sym && !strncmp(sym, "bpf_prog_", 9) && first == i)
			first = i + 1;
	}
	return first < n ? first : 0;
}

size_t nt_stack_frames(const struct nt_stack *st)
{
	size_t n;

	if (!st || st->len <= 0)
		return 0;
	n = (size_t)st->len / sizeof(st->ips[0]);
	return n < NT_MAX_STACK ? n : NT_MAX_STACK;
}

void nt_event_pkt_text(const struct nt_event *e, char *buf, size_t len)
{
	struct strbuf sb = { .s = buf, .size = len };
	struct nt_pkt p;

	buf[0] = '\0';
	if (e->flags & NT_EV_FROM_SK)
		nt_pkt_from_flow(&p, &e->flow);
	else
		nt_pkt_decode_event(&p, e);
	nt_pkt_format(&sb, &p);
}

const char *nt_ret_meaning(enum nt_ret_kind kind, __s64 ret, char *buf, size_t len)
{
	static const char *const verdicts[] = { "NF_DROP", "NF_ACCEPT", "NF_STOLEN", "NF_QUEUE",
						"NF_REPEAT", "NF_STOP" };
	const char *name;

	switch (kind) {
	case NT_RET_ERRNO:
		if (ret >= 0)
			return NULL;
		name = strerrorname_np((int)-ret);
		snprintf(buf, len, "%s", name ? name : "error");
		return buf;
	case NT_RET_VERDICT:
		/* The low byte is the verdict; NF_DROP may carry an errno above it. */
		if ((ret & 0xff) < (__s64)(sizeof(verdicts) / sizeof(verdicts[0])))
			return verdicts[ret & 0xff];
		return NULL;
	case NT_RET_NETDEV_TX:
		return ret == 0 ? "NETDEV_TX_OK" : ret == 0x10 ? "NETDEV_TX_BUSY" : NULL;
	case NT_RET_NET_RX:
		return ret == 0 ? "NET_RX_SUCCESS" : ret == 1 ? "NET_RX_DROP" : NULL;
	case NT_RET_PTR:
		return ret ? NULL : "NULL";
	case NT_RET_BOOL:
		return ret ? "true" : "false";
	case NT_RET_NONE:
		break;
	}
	return NULL;
}

const char *nt_event_ret_meaning(const struct nt_output *out, const struct nt_event *e,
				 char *buf, size_t len)
{
	const struct nt_catalog *c = out->catalog;

	if (!c || e->probe >= c->nprobes)
		return NULL;
	return nt_ret_meaning(c->probes[e->probe].ret, e->retval, buf, len);
}

const char *nt_probe_name(const struct nt_catalog *c, __u16 probe)
{
	if (probe >= NT_NF_PROBE_BASE)
		return nt_nf_probe_name(probe - NT_NF_PROBE_BASE);
	return c && probe < c->nprobes ? c->probes[probe].name : "?";
}
