// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record/probe.h"
#include "probe/clone.h"
#include "util/log.h"

int nt_template_get(struct nt_template *t, const struct bpf_program *prog)
{
	size_t cnt = bpf_program__insn_cnt(prog);

	t->insns = malloc(cnt * sizeof(*t->insns));
	if (!t->insns)
		return -ENOMEM;
	memcpy(t->insns, bpf_program__insns(prog), cnt * sizeof(*t->insns));
	t->cnt = cnt;
	return 0;
}

void nt_template_free(struct nt_template *t)
{
	free(t->insns);
	t->insns = NULL;
	t->cnt = 0;
}

size_t nt_insns_patch(struct bpf_insn *insns, size_t cnt, __s32 marker, __s32 value)
{
	size_t i, n = 0;

	for (i = 0; i < cnt; i++) {
		if (insns[i].code != (BPF_ALU64 | BPF_MOV | BPF_K) || insns[i].imm != marker)
			continue;
		insns[i].imm = value;
		n++;
	}
	return n;
}

/* With --debug: loads again with a log, to show why the verifier refused. */
static void debug_verifier_log(const struct bpf_insn *insns, size_t cnt,
			       struct bpf_prog_load_opts *o)
{
	size_t size = 1 << 20;
	char *log = calloc(1, size);
	int fd;

	if (!log)
		return;
	o->log_buf = log;
	o->log_size = size;
	o->log_level = 1;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nt_trace", "GPL", insns, cnt, o);
	if (fd >= 0)
		close(fd);
	nt_debug("verifier log of the clone (btf id %u):\n%s", o->attach_btf_id, log);
	o->log_buf = NULL;
	o->log_size = 0;
	o->log_level = 0;
	free(log);
}

int nt_clone_attach(const struct nt_template *t, const struct nt_clone_spec *s, int *prog_fd)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = s->type,
		    .attach_btf_id = s->btf_id);
	struct bpf_insn *insns;
	int prog, link, err;

	insns = malloc(t->cnt * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, t->insns, t->cnt * sizeof(*insns));
	nt_insns_patch(insns, t->cnt, NT_MARK_PROBE, s->probe);
	nt_insns_patch(insns, t->cnt, NT_MARK_ARG, s->arg);
	nt_insns_patch(insns, t->cnt, NT_MARK_RET, s->retpos);
	nt_insns_patch(insns, t->cnt, NT_MARK_FLAGS, s->flags);
	nt_insns_patch(insns, t->cnt, NT_MARK_REASON, s->reason);
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "nt_trace", "GPL", insns, t->cnt, &o);
	err = -errno;
	if (prog < 0 && nt_log_level >= NT_LOG_DEBUG)
		debug_verifier_log(insns, t->cnt, &o);
	free(insns);
	if (prog < 0)
		return err;
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0) {
		err = -errno;
		close(prog);
		return err;
	}
	*prog_fd = prog;
	return link;
}

struct clone_pool {
	const struct nt_template *t;
	struct nt_clone_job *jobs;
	size_t n, next;
	pthread_mutex_t lock;
};

static void *clone_worker(void *arg)
{
	struct clone_pool *pool = arg;
	struct nt_clone_job *j;

	for (;;) {
		pthread_mutex_lock(&pool->lock);
		j = pool->next < pool->n ? &pool->jobs[pool->next++] : NULL;
		pthread_mutex_unlock(&pool->lock);
		if (!j)
			return NULL;
		j->prog_fd = -1;
		j->link = nt_clone_attach(pool->t, &j->spec, &j->prog_fd);
	}
}

void nt_clones_attach(const struct nt_template *t, struct nt_clone_job *jobs, size_t n,
		      unsigned int threads)
{
	struct clone_pool pool = { .t = t, .jobs = jobs, .n = n };
	pthread_t tid[16];
	unsigned int i, started = 0;

	pthread_mutex_init(&pool.lock, NULL);
	if (threads > sizeof(tid) / sizeof(tid[0]))
		threads = sizeof(tid) / sizeof(tid[0]);
	if (threads > n)
		threads = n;
	/* The calling thread works too: threads - 1 more. */
	for (i = 1; i < threads; i++)
		if (!pthread_create(&tid[started], NULL, clone_worker, &pool))
			started++;
	clone_worker(&pool);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&pool.lock);
}
