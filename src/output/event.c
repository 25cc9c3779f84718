// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <time.h>
#include "output/event.h"
#include "output/json.h"
#include "output/packet.h"
#include "packet/decode.h"

static __s64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (__s64)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void nt_output_init(struct nt_output *out, FILE *f)
{
	memset(out, 0, sizeof(*out));
	out->f = f;
	out->wall_offset_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
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

static size_t stack_frames(const struct nt_stack *st)
{
	size_t n;

	if (!st || st->len <= 0)
		return 0;
	n = (size_t)st->len / sizeof(st->ips[0]);
	return n < NT_MAX_STACK ? n : NT_MAX_STACK;
}

void nt_output_packet(const struct nt_event *e, char *buf, size_t len)
{
	struct strbuf sb = { .s = buf, .size = len };
	struct nt_pkt p;

	buf[0] = '\0';
	if (e->flags & NT_EV_FROM_SK)
		nt_pkt_from_flow(&p, &e->flow);
	else
		nt_pkt_decode_frame(&p, e->flow.l3proto, e->link_type, e->data,
				    e->data_len < NT_SNAP_BYTES ? e->data_len : NT_SNAP_BYTES,
				    e->nh_off);
	nt_pkt_format(&sb, &p);
}

void nt_output_prefix(const struct nt_output *out, const struct nt_event *e)
{
	char ts[40];

	nt_time_format(out, e->ts, ts, sizeof(ts));
	fprintf(out->f, "[%s] ", ts);
	if (out->detail)
		fprintf(out->f, "[skb:0x%llx cpu:%u pid:%u comm:%.16s dev:%.16s ns:%u] ",
			(unsigned long long)e->skb, e->cpu, e->pid, e->comm,
			e->ifname[0] ? e->ifname : "-", e->netns);
}

void nt_output_json_head(struct json *j, const struct nt_output *out, const struct nt_event *e,
			 const char *kind, const char *pkt)
{
	char buf[40];

	nt_time_format(out, e->ts, buf, sizeof(buf));
	json_str(j, "event", kind);
	json_str(j, "time", buf);
	json_str(j, "packet", pkt);
}

void nt_output_json_detail(struct json *j, const struct nt_output *out, const struct nt_event *e)
{
	char buf[40];

	if (!out->detail)
		return;
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)e->skb);
	json_str(j, "skb", buf);
	json_uint(j, "cpu", e->cpu);
	json_uint(j, "pid", e->pid);
	json_str(j, "comm", e->comm);
	json_str(j, "dev", e->ifname);
	json_uint(j, "netns", e->netns);
}

static void drop_text(const struct nt_output *out, const struct nt_event *e,
		      const struct nt_stack *st, const char *pkt, const char *reason,
		      const char *loc)
{
	size_t i, n = stack_frames(st);
	char sym[128];

	nt_output_prefix(out, e);
	fputs(pkt, out->f);
	if (reason)
		fprintf(out->f, " reason:%s", reason);
	fprintf(out->f, " %s\n", loc);
	for (i = n ? nt_stack_skip(out->ksyms, st->ips, n) : 0; i < n; i++) {
		nt_ksyms_format(out->ksyms, st->ips[i], sym, sizeof(sym));
		fprintf(out->f, "    %s\n", sym);
	}
}

static void drop_json(const struct nt_output *out, const struct nt_event *e,
		      const struct nt_stack *st, const char *pkt, const char *reason,
		      const char *loc)
{
	size_t i, n = stack_frames(st);
	struct json j;
	char sym[128];

	json_begin(&j, out->f);
	nt_output_json_head(&j, out, e, "drop", pkt);
	if (reason)
		json_str(&j, "reason", reason);
	json_str(&j, "location", loc);
	nt_output_json_detail(&j, out, e);
	if (n) {
		json_arr_open(&j, "stack");
		for (i = nt_stack_skip(out->ksyms, st->ips, n); i < n; i++) {
			nt_ksyms_format(out->ksyms, st->ips[i], sym, sizeof(sym));
			json_str(&j, NULL, sym);
		}
		json_close(&j, ']');
	}
	json_end(&j);
}

void nt_output_drop(const struct nt_output *out, const struct nt_event *e,
		    const struct nt_stack *st)
{
	char pkt[256], reason[96], loc[128];
	bool has_reason = (e->flags & NT_EV_HAS_REASON) && out->reasons;

	nt_output_packet(e, pkt, sizeof(pkt));
	if (has_reason)
		nt_reason_format(out->reasons, e->reason, reason, sizeof(reason));
	nt_ksyms_format(out->ksyms, e->location, loc, sizeof(loc));
	if (out->json)
		drop_json(out, e, st, pkt, has_reason ? reason : NULL, loc);
	else
		drop_text(out, e, st, pkt, has_reason ? reason : NULL, loc);
}
