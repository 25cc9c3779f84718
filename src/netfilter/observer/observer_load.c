// SPDX-License-Identifier: GPL-2.0
/*
 * Loading the hook observers. The template (src/bpf/nf_observer.bpf.c) is loaded
 * by its skeleton as raw_tp, with the filter and the maps reused or its own;
 * its final instructions are then loaded again as BPF_PROG_TYPE_NETFILTER,
 * 2 clones (first, last) with the markers patched; each computes its probe
 * id from the hook state's family and hook number, so that 2 programs go
 * through the verifier, not 20 (about 0.2 s each in an emulated guest).
 * Debian 12's libbpf 1.1 does not know that program type: raw numbers, no
 * section.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "netfilter/observer/observer.h"
#include "probe/clone.h"
#include "nf_observer.skel.h"

/* Not in Debian 12's uapi headers nor libbpf 1.1. */
#define NT_PROG_TYPE_NETFILTER 32
#define NT_ATTACH_NETFILTER    45

/* Whether this kernel has netfilter programs: a two-instruction one loads. */
static int probe_kernel(void)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = NT_ATTACH_NETFILTER);
	int fd = bpf_prog_load(NT_PROG_TYPE_NETFILTER, "nt_nfprobe", "GPL", insns, 2, &o);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

void nt_nf_why(char *why, size_t len, int err, const char *what)
{
	if (why && len)
		snprintf(why, len, "BPF netfilter links: %s (%s)", what,
			 strerrorname_np(-err) ?: strerror(-err));
}

/* Verifier statistics, printed after the error. */
static bool log_noise(const char *line)
{
	return !*line || !strncmp(line, "processed ", 10) ||
	       !strncmp(line, "verification time", 17) || !strncmp(line, "stack depth", 11) ||
	       !strncmp(line, "-- END PROG LOAD LOG --", 23);
}

/* The last line of a verifier log that says something, for a one-line reason. */
static const char *log_tail(char *log)
{
	char *end = log + strlen(log), *p;

	for (;;) {
		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			*--end = '\0';
		p = strrchr(log, '\n');
		p = p ? p + 1 : log;
		if (p == log || !log_noise(p))
			return p;
		end = p;
	}
}

static int load_clones(struct nf_observer_bpf *s, int *progs, const struct nt_nflink_opts *o, char *why,
		       size_t len)
{
	struct nt_template t = {};
	struct bpf_insn *insns = NULL;
	static char log[65536];
	unsigned int i;
	int err;

	err = nt_template_get(&t, s->progs.nt_nfhook);
	if (!err && !(insns = malloc(t.cnt * sizeof(*insns))))
		err = -ENOMEM;
	for (i = 0; !err && i < NT_NF_PLACES; i++) {
		LIBBPF_OPTS(bpf_prog_load_opts, lo, .expected_attach_type = NT_ATTACH_NETFILTER);

		memcpy(insns, t.insns, t.cnt * sizeof(*insns));
		nt_insns_patch(insns, t.cnt, NT_NF_MARK_PROBE, o->probe_base);
		nt_insns_patch(insns, t.cnt, NT_NF_MARK_WHERE, i);
		progs[i] = bpf_prog_load(NT_PROG_TYPE_NETFILTER, "nt_nfhook", "GPL", insns, t.cnt,
					 &lo);
		if (progs[i] >= 0)
			continue;
		err = -errno;
		/* Once more with the verifier's log, for the reason. */
		log[0] = '\0';
		lo.log_buf = log;
		lo.log_size = sizeof(log);
		lo.log_level = 1;
		progs[i] = bpf_prog_load(NT_PROG_TYPE_NETFILTER, "nt_nfhook", "GPL", insns, t.cnt,
					 &lo);
		snprintf(why, len, "BPF netfilter links: the observer does not load (%s): %s",
			 strerrorname_np(-err) ?: "?", log_tail(log));
	}
	free(insns);
	nt_template_free(&t);
	return err;
}

int nt_nf_load(struct nf_observer_bpf **skel, int *progs, const struct nt_nflink_opts *o, char *why,
	       size_t len)
{
	struct nf_observer_bpf *s;
	int err;

	err = probe_kernel();
	if (err) {
		nt_nf_why(why, len, err,
			  err == -EINVAL ? "not in this kernel"
					 : "cannot load a netfilter program");
		return err;
	}
	s = *skel = nf_observer_bpf__open();
	if (!s) {
		err = errno ? -errno : -EINVAL;
		nt_nf_why(why, len, err, "cannot open the observer object");
		return err;
	}
	if (o->filter)
		s->rodata->nt_filter = *o->filter;
	s->rodata->track_on = o->track;
	err = 0;
	if (o->events_fd >= 0)
		err = bpf_map__reuse_fd(s->maps.nt_events, o->events_fd);
	else if (o->ringbuf_bytes)
		err = bpf_map__set_max_entries(s->maps.nt_events, o->ringbuf_bytes);
	if (!err && o->lost_fd >= 0)
		err = bpf_map__reuse_fd(s->maps.nt_lost, o->lost_fd);
	if (!err && o->track_fd >= 0)
		err = bpf_map__reuse_fd(s->maps.nt_track, o->track_fd);
	if (!err)
		err = nf_observer_bpf__load(s);
	if (err) {
		nt_nf_why(why, len, err, "cannot load the observer template");
		return err;
	}
	return load_clones(s, progs, o, why, len);
}
