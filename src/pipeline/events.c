// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record/record.h"
#include "netns/netns.h"
#include "output/summary.h"
#include "pipeline/events.h"
#include "util/log.h"

#define POLL_MS 100

static volatile sig_atomic_t stop_requested;
static int fail_status;	   /* nt_pipeline_fail(): what nt_pipeline_main() returns at least */
static bool output_failed; /* nt_pipeline_output_failed() was called */

/* What on_record() does with a record: see nt_pipeline_run(). */
static enum {
	READ_LIVE,  /* polling: handle it; on a stop request end the batch */
	READ_DRAIN, /* after the stop: handle it, at most drain_left more */
	READ_COUNT, /* past NT_DRAIN_MAX: only count it, as not printed */
} read_mode;
static unsigned long drain_left;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void nt_pipeline_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: a signal ends the poll at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void nt_pipeline_ready(const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	nt_pipeline_signals();
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "nettrace: %s; Ctrl-C to stop\n", what);
}

unsigned long long nt_lost_read(int lost_fd, unsigned long long *per_probe, size_t n)
{
	static __u64 *vals;
	static int ncpu;
	unsigned long long total = 0, sum;
	__u32 key;
	int cpu;

	if (!vals) {
		ncpu = libbpf_num_possible_cpus();
		if (ncpu <= 0)
			return 0;
		vals = calloc(ncpu, sizeof(*vals));
		if (!vals)
			return 0;
	}
	for (key = 0; key < NT_MAX_PROBES; key++) {
		if (bpf_map_lookup_elem(lost_fd, &key, vals))
			continue;
		for (sum = 0, cpu = 0; cpu < ncpu; cpu++)
			sum += vals[cpu];
		if (per_probe && key < n)
			per_probe[key] = sum;
		total += sum;
	}
	return total;
}

void nt_pipeline_stop(void)
{
	stop_requested = 1;
}

void nt_pipeline_fail(int status)
{
	if (status > fail_status)
		fail_status = status;
	stop_requested = 1;
}

void nt_pipeline_output_failed(const char *what, int err)
{
	if (output_failed)
		return;
	output_failed = true;
	if (err == EPIPE) {
		nt_pipeline_stop();
		return;
	}
	nt_err("writing to %s: %s (%s)", what, strerror(err), strerrorname_np(err) ?: "?");
	nt_pipeline_fail(NT_EXIT_RUNTIME);
}

/* Whether stdout is a pipe or socket whose reader went away (POLLERR/POLLHUP). */
static bool stdout_gone(void)
{
	struct pollfd p = {.fd = STDOUT_FILENO};

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* Flushes stdout; a failed write, now or in an earlier printf, ends the run. */
static void flush_stdout(void)
{
	int err = fflush(stdout) ? errno : 0;

	if (!err && ferror(stdout))
		err = EIO; /* a printf failed; its errno is gone */
	if (err)
		nt_pipeline_output_failed("stdout", stdout_gone() ? EPIPE : err);
}

/* stdout is watched for a reader that goes away when it is a pipe or a socket. */
static int watched_stdout(void)
{
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return -1;
	return STDOUT_FILENO;
}

/*
 * Every record taken from the ring buffer is handled or, past NT_DRAIN_MAX at
 * exit, counted. Past the -c limit, records are left out on purpose.
 * A negative return makes libbpf end the batch *after* this record, which it
 * has consumed already: so the record is always handled first.
 */
/* Counts a record of @size bytes: with the buffer's 8-byte header, rounded up to 8. */
static void count_size(struct nt_pipeline *pl, size_t size)
{
	struct nt_pipe_size *s = pl->sizes;
	size_t i;

	pl->records++;
	pl->bytes += (8 + size + 7) / 8 * 8;
	for (i = 0; i < NT_PIPE_SIZES - 1 && s[i].count && s[i].size != size; i++)
		;
	if (i == NT_PIPE_SIZES - 1 && s[i].size != size)
		s[i].size = 0; /* the rest */
	else
		s[i].size = size;
	s[i].count++;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct nt_pipeline *pl = ctx;
	struct nt_stack st;
	struct nt_event e;

	count_size(pl, size);
	if (read_mode == READ_COUNT) {
		pl->unread++;
		return 0;
	}
	if (!pl->limit || pl->events < pl->limit) {
		if (nt_record_decode(data, size, &e, &st))
			pl->malformed++;
		else if (pl->handle(pl->ctx, &e, (e.flags & NT_EV_HAS_STACK) ? &st : NULL)) {
			pl->events++;
			if (pl->limit && pl->events >= pl->limit)
				stop_requested = 1;
		}
	}
	if (read_mode == READ_DRAIN)
		return --drain_left ? 0 : -E2BIG;
	/* A flood can keep one batch going for good: a stop must not wait for its end. */
	return stop_requested ? -EINTR : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Waits for the ring buffer, an extra source or stdout's reader going away;
 * returns records consumed or -errno. The kernel side wakes us only when the
 * buffer fills up (submit_event()): what is there is taken after every wait,
 * woken or timed out.
 */
static int poll_once(struct nt_pipeline *pl, struct ring_buffer *rb, int out_fd)
{
	struct pollfd pfd[2 + NT_PIPE_EXTRA];
	size_t i, n = pl->nextra < NT_PIPE_EXTRA ? pl->nextra : NT_PIPE_EXTRA;
	int ret;

	pfd[0].fd = ring_buffer__epoll_fd(rb);
	pfd[0].events = POLLIN;
	for (i = 0; i < n; i++) {
		pfd[i + 1].fd = pl->extra[i].fd;
		pfd[i + 1].events = POLLIN;
	}
	pfd[n + 1].fd = out_fd; /* -1: ignored */
	pfd[n + 1].events = 0;	/* POLLERR and POLLHUP are always reported */
	ret = poll(pfd, n + 2, POLL_MS);
	if (ret < 0)
		return -errno;
	for (i = 0; i < n; i++)
		if (pfd[i + 1].revents & POLLIN)
			pl->extra[i].ready(pl->extra[i].ctx);
	if (pfd[n + 1].revents & (POLLERR | POLLHUP))
		nt_pipeline_output_failed("stdout", EPIPE);
	return ring_buffer__consume(rb);
}

int nt_pipeline_run(struct nt_pipeline *pl)
{
	struct ring_buffer *rb;
	unsigned long long lost;
	double next_report = now_s() + 1;
	int n, err = 0, out_fd = watched_stdout();

	rb = ring_buffer__new(pl->events_fd, on_record, pl, NULL);
	if (!rb)
		return -errno;
	read_mode = READ_LIVE;
	while (!stop_requested) {
		n = poll_once(pl, rb, out_fd);
		if (n < 0 && n != -EINTR) {
			err = n;
			break;
		}
		if (pl->tick)
			pl->tick(pl->ctx);
		if (n > 0)
			flush_stdout();
		/* A thread left in another namespace (said already): nothing read now is right. */
		if (nt_netns_stranded())
			nt_pipeline_fail(NT_EXIT_RUNTIME);
		if (pl->report_periodic && now_s() >= next_report) {
			next_report += 1;
			lost = nt_lost_read(pl->lost_fd, NULL, 0);
			if (lost != pl->lost)
				nt_info("%llu events lost so far", lost);
			pl->lost = lost;
		}
	}
	/*
	 * What is already in the buffer is delivered, up to the limit. With the
	 * probes detached (quiesce) nothing is added to it any more, so the drain
	 * ends; printing is bounded by NT_DRAIN_MAX, and the rest, counted, is
	 * said in the closing line. Without quiesce a flood could refill the
	 * buffer as fast as it is counted: the rest is only warned about.
	 */
	if (pl->quiesce)
		pl->quiesce(pl->ctx);
	/* Nothing is drained into an output that failed. */
	if (!err && !output_failed && (!pl->limit || pl->events < pl->limit)) {
		read_mode = READ_DRAIN;
		drain_left = NT_DRAIN_MAX;
		if (ring_buffer__consume(rb) == -E2BIG) {
			if (pl->quiesce) {
				read_mode = READ_COUNT;
				ring_buffer__consume(rb);
			} else {
				nt_warn("stopped reading with events still in the buffer (over %d)",
					NT_DRAIN_MAX);
			}
		}
	}
	flush_stdout();
	ring_buffer__free(rb);
	pl->lost = nt_lost_read(pl->lost_fd, NULL, 0);
	return err;
}

void nt_pipeline_summary(const struct nt_pipeline *pl)
{
	unsigned long long per[NT_MAX_PROBES] = {};
	struct nt_summary sum = {
		.events = pl->events,
		.unit = pl->unit,
		.lost = pl->lost,
		.unread = pl->unread,
		.drain_max = NT_DRAIN_MAX,
		.malformed = pl->malformed,
		.note = pl->note,
	};
	__u32 i;

	nt_lost_read(pl->lost_fd, per, NT_MAX_PROBES);
	for (i = 0; i < NT_MAX_PROBES && sum.nprobes < NT_SUMMARY_PROBES; i++) {
		if (!per[i])
			continue;
		sum.per_probe[sum.nprobes].probe = pl->probe_name ? pl->probe_name(pl->ctx, i) : "?";
		sum.per_probe[sum.nprobes++].lost = per[i];
	}
	nt_summary_print(stderr, &sum);
}

void nt_pipeline_sizes(const struct nt_pipeline *pl, char *buf, size_t len)
{
	size_t i, n;
	int k;

	k = snprintf(buf, len, "ring buffer: %llu records, %llu bytes", pl->records, pl->bytes);
	n = k > 0 ? (size_t)k : 0;
	for (i = 0; i < NT_PIPE_SIZES && pl->sizes[i].count && n < len; i++) {
		if (pl->sizes[i].size)
			k = snprintf(buf + n, len - n, "%s%zu B x %llu", i ? ", " : " (records of ",
				     pl->sizes[i].size, pl->sizes[i].count);
		else
			k = snprintf(buf + n, len - n, "%sother sizes x %llu", i ? ", " : " (",
				     pl->sizes[i].count);
		n += k > 0 ? (size_t)k : 0;
	}
	if (i && n < len)
		snprintf(buf + n, len - n, ")");
}

int nt_pipeline_main(struct nt_pipeline *pl)
{
	int err;

	nt_pipeline_signals();
	err = nt_pipeline_run(pl);
	if (pl->finish)
		pl->finish(pl);
	flush_stdout();
	nt_pipeline_summary(pl);
	if (nt_log_level >= NT_LOG_INFO) {
		char sizes[512];

		nt_pipeline_sizes(pl, sizes, sizeof(sizes));
		nt_info("%s", sizes);
	}
	if (err) {
		nt_err("reading events: %s", strerror(-err));
		return NT_EXIT_RUNTIME;
	}
	return fail_status;
}
