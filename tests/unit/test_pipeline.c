// SPDX-License-Identifier: GPL-2.0
/*
 * The pipeline's stop and final drain (src/pipeline/events.c), on a real ring
 * buffer that a tiny socket filter fills through BPF_PROG_TEST_RUN: a stop
 * ends a batch without losing the record it came in, the drain prints at
 * most NT_DRAIN_MAX records and counts the rest. Needs root (BPF); skipped
 * otherwise. Each case runs in a child: the stop request is process-wide.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "common.h"
#include "record/record.h"
#include "netns/netns.h"
#include "util/log.h"
#include "pipeline/events.h"

/* The smallest record that decodes: a header of zeros, no sections. */
#define REC_SIZE sizeof(struct nt_rec)

struct result {
	unsigned long long events, unread, handled, malformed;
	char sizes[256]; /* nt_pipeline_sizes() */
	int quiesced, err;
};

struct fixture {
	int rb, lost, prog;
	int short_prog; /* fills records one word short of a header */
	int why; /* errno when one of them could not be made */
	unsigned long long stop_at; /* the handler asks to stop at this record (0: never) */
	struct result r;
};

static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off,
				  .imm = imm };
}

/* bpf_ringbuf_output(rb, @size zero bytes on the stack, @size, 0); return 0. */
static int load_filler(int rb, size_t size)
{
	struct bpf_insn p[REC_SIZE / 8 + 11];
	size_t n = 0, i;

	assert_true(size % 8 == 0 && size <= REC_SIZE);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	for (i = 1; i <= size / 8; i++)
		p[n++] = insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_0, -8 * (int)i, 0);
	p[n++] = insn(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, rb);
	p[n++] = insn(0, 0, 0, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -(int)size);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, (int)size);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	assert_true(n <= ARRAY_SIZE(p));
	return bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "nt_fill", "GPL", p, n, NULL);
}

/* Puts @n records in the ring buffer, made by @prog. */
static void fill_with(int prog, unsigned int n)
{
	char pkt[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = n);

	assert_int_equal(bpf_prog_test_run_opts(prog, &run), 0);
}

static void fill(struct fixture *fx, unsigned int n)
{
	fill_with(fx->prog, n);
}

static bool on_rec(void *ctx, const struct nt_event *e, const struct nt_stack *st)
{
	struct fixture *fx = ctx;

	if (e->sections || st)
		return false;
	if (++fx->r.handled == fx->stop_at)
		nt_pipeline_stop();
	return true;
}

static void on_quiesce(void *ctx)
{
	struct fixture *fx = ctx;

	fx->r.quiesced++;
}

/* Runs the pipeline in a child, stopped from the start or at record stop_at. */
static struct result run_child(struct fixture *fx, bool stop_first)
{
	struct nt_pipeline pl = {
		.events_fd = fx->rb,
		.lost_fd = fx->lost,
		.handle = on_rec,
		.quiesce = on_quiesce,
		.ctx = fx,
	};
	struct result r;
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (stop_first)
			nt_pipeline_stop();
		r.err = nt_pipeline_run(&pl);
		r.handled = fx->r.handled;
		r.quiesced = fx->r.quiesced;
		r.events = pl.events;
		r.unread = pl.unread;
		r.malformed = pl.malformed;
		nt_pipeline_sizes(&pl, r.sizes, sizeof(r.sizes));
		_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &r, sizeof(r)), sizeof(r));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return r;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	/* Room for NT_DRAIN_MAX + a few: records are 8 bytes of header + REC_SIZE. */
	fx->rb = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0, 256 << 20, NULL);
	fx->lost = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, NULL, 4, 8, NT_MAX_PROBES, NULL);
	fx->prog = fx->rb >= 0 ? load_filler(fx->rb, REC_SIZE) : -1;
	fx->short_prog = fx->rb >= 0 ? load_filler(fx->rb, REC_SIZE - 8) : -1;
	if (fx->rb < 0 || fx->lost < 0 || fx->prog < 0 || fx->short_prog < 0)
		fx->why = errno;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx->prog >= 0)
		close(fx->prog);
	if (fx->short_prog >= 0)
		close(fx->short_prog);
	if (fx->rb >= 0)
		close(fx->rb);
	if (fx->lost >= 0)
		close(fx->lost);
	free(fx);
	return 0;
}

static void need_bpf(const struct fixture *fx)
{
	if (fx->rb < 0 || fx->lost < 0 || fx->prog < 0 || fx->short_prog < 0) {
		print_message("no BPF here (%s): skipped\n", strerror(fx->why));
		skip();
	}
}

/* A stop in the middle of a batch: the record it came with and all after it are handled. */
static void test_stop_mid_batch(void **state)
{
	struct fixture *fx = *state;
	struct result r;

	need_bpf(fx);
	fill(fx, 5000);
	fx->stop_at = 100;
	r = run_child(fx, false);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.quiesced, 1);
	assert_int_equal(r.handled, 5000);
	assert_int_equal(r.events, 5000);
	assert_int_equal(r.unread, 0);
}

/* A backlog over NT_DRAIN_MAX at the stop: that many printed, the rest counted. */
static void test_drain_bounded(void **state)
{
	struct fixture *fx = *state;
	struct result r;

	need_bpf(fx);
	fill(fx, NT_DRAIN_MAX + 1234);
	r = run_child(fx, true);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.quiesced, 1);
	assert_int_equal(r.events, NT_DRAIN_MAX);
	assert_int_equal(r.unread, 1234);
}

/* Records that do not decode are counted, not handed on, and the rest go on. */
static void test_malformed_counted(void **state)
{
	struct fixture *fx = *state;
	struct result r;

	need_bpf(fx);
	fill(fx, 3);
	fill_with(fx->short_prog, 5);
	fill(fx, 2);
	r = run_child(fx, true);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.malformed, 5);
	assert_int_equal(r.handled, 5);
	assert_int_equal(r.events, 5);
	/* Each record with the ring buffer's 8-byte header: 5 * 136 + 5 * 128. */
	assert_string_equal(r.sizes, "ring buffer: 10 records, 1320 bytes (records of 128 B x 5, "
				     "120 B x 5)");
}

/* The closing line says what was not printed. */
static void test_summary_unread(void **state)
{
	struct nt_pipeline pl = {
		.lost_fd = -1, .events = 7, .lost = 2, .unread = 1234, .malformed = 3
	};
	char path[PATH_MAX], line[512] = "";
	int saved = dup(STDERR_FILENO), fd;
	FILE *f;

	(void)state;
	tmpfile_write(path, sizeof(path), "");
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	snprintf(pl.note, sizeof(pl.note), "grouper: 3 unfreed at exit");
	nt_pipeline_summary(&pl);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	assert_string_equal(line, "nettrace: 7 events, 2 events lost; 1234 events not printed at "
				  "exit (at most 1048576 are, after the stop); 3 malformed records "
				  "left out; grouper: 3 unfreed at exit\n");
}

/* A tick that could not come back from a namespace (as the observers' refresh would). */
static void strand_tick(void *ctx)
{
	static bool done;
	struct nt_netns_home home;
	int fd;

	(void)ctx;
	if (done)
		return;
	done = true;
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || nt_netns_enter(&home, fd))
		_exit(77);
	close(fd);
	close(home.fd);
	home.fd = open("/dev/null", O_RDONLY | O_CLOEXEC); /* the way back broken */
	nt_netns_return(&home);
}

/* Nothing else stops it: the pipeline must, with exit status 1 (alarm: it did not). */
static void test_stranded_stops(void **state)
{
	struct fixture *fx = *state;
	struct nt_pipeline pl = {
		.events_fd = fx->rb,
		.lost_fd = fx->lost,
		.handle = on_rec,
		.tick = strand_tick,
		.ctx = fx,
	};
	int status;
	pid_t pid;

	need_bpf(fx);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		alarm(20);
		_exit(nt_pipeline_main(&pl));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		skip(); /* cannot enter a namespace here */
	assert_false(WIFSIGNALED(status)); /* SIGALRM: still running */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), NT_EXIT_RUNTIME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stranded_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_mid_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drain_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_counted, setup, teardown),
		cmocka_unit_test(test_summary_unread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
