// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "probe/features.h"

static const char *const names[NT_BACKEND_COUNT] = {
	[NT_BACKEND_FENTRY] = "fentry",
	[NT_BACKEND_KPROBE_MULTI] = "kprobe-multi",
	[NT_BACKEND_KPROBE] = "kprobe",
	[NT_BACKEND_TRACEPOINT] = "tracepoint",
};

const char *nt_backend_name(enum nt_backend b)
{
	return b < NT_BACKEND_COUNT ? names[b] : "?";
}

int nt_backend_parse(const char *name)
{
	int b;

	for (b = 0; b < NT_BACKEND_COUNT; b++)
		if (!strcmp(name, names[b]))
			return b;
	return -1;
}

/* r0 = 0; exit */
static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static void refused(struct nt_features *f, enum nt_backend b, const char *what, int err)
{
	f->ok[b] = false;
	if (err == EPERM || err == EACCES)
		snprintf(f->why[b], sizeof(f->why[b]), "blocked (%s)", err == EPERM ? "EPERM" : "EACCES");
	else if (err == ENOENT || err == EOPNOTSUPP || err == EINVAL)
		snprintf(f->why[b], sizeof(f->why[b]), "not in this kernel (%s: %s)", what, strerror(err));
	else
		snprintf(f->why[b], sizeof(f->why[b]), "%s: %s", what, strerror(err));
}

static int load_tracing(enum bpf_attach_type type, __u32 btf_id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = type, .attach_btf_id = btf_id);

	return bpf_prog_load(BPF_PROG_TYPE_TRACING, "nt_probe", "GPL", ret0, 2, &o);
}

/* Loads and attaches a tracing program to @btf_id; 0 or a positive errno. */
static int try_tracing(enum bpf_attach_type type, __u32 btf_id, const char **what)
{
	int prog, link, err = 0;

	*what = "load";
	prog = load_tracing(type, btf_id);
	if (prog < 0)
		return errno;
	*what = "attach";
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0)
		err = errno;
	else
		close(link);
	close(prog);
	return err;
}

static void probe_kprobes(struct nt_features *f)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_KPROBE_MULTI);
	LIBBPF_OPTS(bpf_link_create_opts, lo);
	const char *syms[] = { "ip_rcv" };
	int prog, link;

	if (access("/sys/bus/event_source/devices/kprobe/type", F_OK)) {
		refused(f, NT_BACKEND_KPROBE, "no kprobe PMU", ENOENT);
		snprintf(f->why[NT_BACKEND_KPROBE], sizeof(f->why[0]), "not in this kernel");
		f->ok[NT_BACKEND_KPROBE_MULTI] = false;
		snprintf(f->why[NT_BACKEND_KPROBE_MULTI], sizeof(f->why[0]), "not in this kernel");
		return;
	}
	f->ok[NT_BACKEND_KPROBE] = true;
	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "nt_probe", "GPL", ret0, 2, &o);
	if (prog < 0) {
		refused(f, NT_BACKEND_KPROBE_MULTI, "load", errno);
		return;
	}
	lo.kprobe_multi.syms = syms;
	lo.kprobe_multi.cnt = 1;
	link = bpf_link_create(prog, 0, BPF_TRACE_KPROBE_MULTI, &lo);
	if (link < 0) {
		refused(f, NT_BACKEND_KPROBE_MULTI, "attach", errno);
	} else {
		f->ok[NT_BACKEND_KPROBE_MULTI] = true;
		close(link);
	}
	close(prog);
}

void nt_features_probe(struct nt_features *f, const struct btf *btf)
{
	const char *what;
	int id, err;

	memset(f, 0, sizeof(*f));
	id = btf__find_by_name_kind(btf, "btf_trace_netif_receive_skb", BTF_KIND_TYPEDEF);
	err = id < 0 ? ENOENT : try_tracing(BPF_TRACE_RAW_TP, id, &what);
	if (err)
		refused(f, NT_BACKEND_TRACEPOINT, id < 0 ? "no BTF for tracepoints" : what, err);
	else
		f->ok[NT_BACKEND_TRACEPOINT] = true;

	id = btf__find_by_name_kind(btf, "ip_rcv", BTF_KIND_FUNC);
	err = id < 0 ? ENOENT : try_tracing(BPF_TRACE_FENTRY, id, &what);
	if (err)
		refused(f, NT_BACKEND_FENTRY, id < 0 ? "no ip_rcv in BTF" : what, err);
	else
		f->ok[NT_BACKEND_FENTRY] = true;

	probe_kprobes(f);
	nt_features_explain(f);
}

void nt_features_explain(struct nt_features *f)
{
	snprintf(f->why_funcs, sizeof(f->why_funcs),
		 "no function backend here (kprobes: %s; fentry: %s)",
		 f->ok[NT_BACKEND_KPROBE] ? "work" : f->why[NT_BACKEND_KPROBE],
		 f->ok[NT_BACKEND_FENTRY] ? "works" : f->why[NT_BACKEND_FENTRY]);
	snprintf(f->why_tps, sizeof(f->why_tps), "no tracepoint backend here (tp_btf: %s)",
		 f->why[NT_BACKEND_TRACEPOINT]);
}

/*
 * The byte offset of member @name of the struct or union @id, anonymous
 * members searched too; -1 if it has none.
 */
static long member_offset(const struct btf *btf, __u32 id, const char *name)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, id));
	const struct btf_member *m;
	long off;
	int i;

	if (!t || !btf_is_composite(t))
		return -1;
	for (i = 0, m = btf_members(t); i < btf_vlen(t); i++, m++) {
		if (m->name_off) {
			if (!strcmp(btf__name_by_offset(btf, m->name_off), name))
				return btf_member_bit_offset(t, i) / 8;
			continue;
		}
		off = member_offset(btf, m->type, name);
		if (off >= 0)
			return btf_member_bit_offset(t, i) / 8 + off;
	}
	return -1;
}

/*
 * Since v6.17 (2d5c91e1cc14 "bpf: rdonly_untrusted_mem for btf id walk pointer
 * leafs") a load of skb->head is a read-only pointer the program may load from;
 * before, it is a number and the load below is refused.
 */
bool nt_pkt_direct_probe(const struct btf *btf)
{
	/* r2 = ctx[0] (the skb); r2 = r2->head; r0 = *(u8 *)r2; r0 = 0; exit */
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_1 },
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_2, .src_reg = BPF_REG_2 },
		{ .code = BPF_LDX | BPF_MEM | BPF_B, .dst_reg = BPF_REG_0, .src_reg = BPF_REG_2 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_RAW_TP);
	int tp, skb, prog;
	long off;

	tp = btf__find_by_name_kind(btf, "btf_trace_netif_receive_skb", BTF_KIND_TYPEDEF);
	skb = btf__find_by_name_kind(btf, "sk_buff", BTF_KIND_STRUCT);
	off = skb < 0 ? -1 : member_offset(btf, skb, "head");
	if (tp < 0 || off < 0 || off > 0x7fff)
		return false;
	insns[1].off = off;
	o.attach_btf_id = tp;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nt_probe", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), &o);
	if (prog < 0)
		return false;
	close(prog);
	return true;
}
