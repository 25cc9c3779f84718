/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cloning the trace template: its final instructions (CO-RE applied, map fds
 * in place) are loaded again per probe, as tp_btf, fentry or fexit, with the
 * marker immediates patched to the probe's id, argument and flags.
 */
#ifndef NT_CLONE_H
#define NT_CLONE_H

#include <stddef.h>
#include <linux/bpf.h>

struct bpf_program;

struct nt_template {
	struct bpf_insn *insns;
	size_t cnt;
};

/* Copies a loaded program's instructions. 0 or -errno. */
int nt_template_get(struct nt_template *t, const struct bpf_program *prog);
void nt_template_free(struct nt_template *t);

/* Patches every `rX = marker` move. Returns how many were patched. */
size_t nt_insns_patch(struct bpf_insn *insns, size_t cnt, __s32 marker, __s32 value);

struct nt_clone_spec {
	enum bpf_attach_type type; /* BPF_TRACE_RAW_TP, BPF_TRACE_FENTRY or BPF_TRACE_FEXIT */
	__u32 btf_id;              /* btf_trace_<tp> typedef or FUNC */
	__u32 probe, arg, retpos, flags;
	__u32 reason; /* position of a drop reason argument, or NT_NO_ARG */
};

/* Loads and attaches a clone. Returns the attachment's fd (closing it detaches), or -errno. */
int nt_clone_attach(const struct nt_template *t, const struct nt_clone_spec *s, int *prog_fd);

struct nt_clone_job {
	struct nt_clone_spec spec;
	size_t id;   /* the caller's (catalog probe index) */
	int link;    /* out: attachment fd, or -errno */
	int prog_fd; /* out: the clone's program fd when link >= 0 */
};

/*
 * nt_clone_attach() for every job, on up to @threads threads: each clone goes
 * through the verifier, which runs in parallel for privileged loads, and that
 * is most of the start-up time with many fentry functions.
 */
void nt_clones_attach(const struct nt_template *t, struct nt_clone_job *jobs, size_t n,
		      unsigned int threads);

#endif
