// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: sends N UDP datagrams from a given source to a given address and
 * port, as fast as possible or at a given rate, and prints what it did:
 *
 *   sent=N errors=E elapsed=S pps=P cpu=C
 *
 * cpu is the sender's CPU time (user + system), which includes the receive
 * path when the kernel runs it in the sender's context (veth, loopback).
 *
 * Usage: udpflood -d ADDR:PORT [-s ADDR[:PORT]] [-n N] [-r PPS] [-l LEN] [-b BATCH]
 *
 * The socket is not connected, so the ICMP port-unreachable replies of a
 * closed port do not turn into errors of later sends. -b sends BATCH
 * datagrams per sendmmsg() call (default 1: one sendto() per datagram).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCH 64
#define MAX_LEN	  1472

struct opts {
	struct sockaddr_in src, dst;
	int has_src;
	unsigned long count;
	unsigned long rate;
	unsigned int len;
	unsigned int batch;
};

static void usage(void)
{
	fputs("usage: udpflood -d ADDR:PORT [-s ADDR[:PORT]] [-n N] [-r PPS] [-l LEN] [-b BATCH]\n",
	      stderr);
	exit(2);
}

static int parse_addr(const char *arg, struct sockaddr_in *sin, int need_port)
{
	char buf[64], *colon, *end;
	unsigned long port = 0;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || *end || port > 65535)
			return -1;
	} else if (need_port) {
		return -1;
	}
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((unsigned short)port);
	return inet_pton(AF_INET, buf, &sin->sin_addr) == 1 ? 0 : -1;
}

static unsigned long parse_num(const char *arg, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || !*arg || *end || v > max)
		usage();
	return v;
}

static void parse_opts(struct opts *o, int argc, char **argv)
{
	int has_dst = 0, c;

	memset(o, 0, sizeof(*o));
	o->count = 100000;
	o->len = 64;
	o->batch = 1;
	while ((c = getopt(argc, argv, "s:d:n:r:l:b:h")) != -1) {
		switch (c) {
		case 's':
			if (parse_addr(optarg, &o->src, 0))
				usage();
			o->has_src = 1;
			break;
		case 'd':
			if (parse_addr(optarg, &o->dst, 1))
				usage();
			has_dst = 1;
			break;
		case 'n':
			o->count = parse_num(optarg, ~0UL);
			break;
		case 'r':
			o->rate = parse_num(optarg, 100000000UL);
			break;
		case 'l':
			o->len = (unsigned int)parse_num(optarg, MAX_LEN);
			break;
		case 'b':
			o->batch = (unsigned int)parse_num(optarg, MAX_BATCH);
			if (!o->batch)
				usage();
			break;
		default:
			usage();
		}
	}
	if (!has_dst || optind != argc)
		usage();
}

/* User + system CPU time of this process so far, in seconds. */
static double cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps until @t (CLOCK_MONOTONIC seconds), if that is in the future. */
static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Sends up to @n datagrams; returns how many went out, or -1 with errno. */
static int send_some(int fd, const struct opts *o, struct mmsghdr *msgs, unsigned int n)
{
	ssize_t r;

	if (n == 1) {
		r = sendto(fd, msgs[0].msg_hdr.msg_iov->iov_base, o->len, 0,
			   (const struct sockaddr *)&o->dst, sizeof(o->dst));
		return r < 0 ? -1 : 1;
	}
	return sendmmsg(fd, msgs, n, 0);
}

int main(int argc, char **argv)
{
	static char payload[MAX_LEN];
	struct mmsghdr msgs[MAX_BATCH];
	struct iovec iov;
	unsigned long sent = 0, errors = 0, burst, due;
	double start, elapsed, cpu0;
	struct opts o;
	unsigned int i, n;
	int fd, one = 1, r;

	parse_opts(&o, argc, argv);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udpflood: socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (o.has_src && bind(fd, (const struct sockaddr *)&o.src, sizeof(o.src))) {
		perror("udpflood: bind");
		return 1;
	}
	memset(payload, 'x', sizeof(payload));
	iov.iov_base = payload;
	iov.iov_len = o.len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < MAX_BATCH; i++) {
		msgs[i].msg_hdr.msg_name = &o.dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(o.dst);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	cpu0 = cpu_s();
	start = now_s();
	while (sent < o.count) {
		burst = o.count - sent;
		if (o.rate) {
			/* Paced: the datagrams due by now, or a sleep until the next. */
			due = (unsigned long)((now_s() - start) * (double)o.rate);
			if (due <= sent) {
				sleep_until(start + (double)(sent + 1) / (double)o.rate);
				continue;
			}
			if (due - sent < burst)
				burst = due - sent;
		}
		while (burst) {
			n = burst < o.batch ? (unsigned int)burst : o.batch;
			r = send_some(fd, &o, msgs, n);
			if (r < 0) {
				if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED &&
				    errno != EINTR) {
					perror("udpflood: send");
					return 1;
				}
				/* Not sent: counted, and tried again. */
				errors++;
				continue;
			}
			sent += (unsigned long)r;
			burst -= (unsigned long)r;
		}
	}
	elapsed = now_s() - start;
	printf("sent=%lu errors=%lu elapsed=%.6f pps=%.0f cpu=%.6f\n", sent, errors, elapsed,
	       elapsed > 0 ? (double)sent / elapsed : 0.0, cpu_s() - cpu0);
	close(fd);
	return 0;
}
