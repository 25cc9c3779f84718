/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this kernel lets us attach, found by trying: a tiny program of each
 * kind is loaded and attached, and the reason for a refusal is kept for the
 * start-up line ("fentry: blocked (EPERM)").
 */
#ifndef NT_FEATURES_H
#define NT_FEATURES_H

#include <stdbool.h>

struct btf;

enum nt_backend {
	NT_BACKEND_FENTRY,
	NT_BACKEND_KPROBE_MULTI,
	NT_BACKEND_KPROBE,
	NT_BACKEND_TRACEPOINT,
	NT_BACKEND_COUNT,
};

struct nt_features {
	bool ok[NT_BACKEND_COUNT];
	char why[NT_BACKEND_COUNT][64]; /* why not, for those not ok */
	/* What -t ? says beside a probe no backend of its kind can take. */
	char why_funcs[192]; /* "no function backend here (kprobes: ...; fentry: ...)" */
	char why_tps[128];   /* "no tracepoint backend here (tp_btf: ...)" */
};

/* Fills why_funcs and why_tps from ok[] and why[] (nt_features_probe does). */
void nt_features_explain(struct nt_features *f);

void nt_features_probe(struct nt_features *f, const struct btf *btf);

/*
 * Whether BTF programs may load from the buffer skb->head points to (the
 * rodata switch pkt_direct of src/bpf/pkt.bpf.h), found by loading one that does.
 */
bool nt_pkt_direct_probe(const struct btf *btf);

const char *nt_backend_name(enum nt_backend b);
/* The backend of a --backend name; -1 if unknown. */
int nt_backend_parse(const char *name);

#endif
