// SPDX-License-Identifier: GPL-2.0
/*
 * For tests: reads facts of the machine with nettrace's library
 * (src/facts), as the diagnose mode does, and prints their values.
 * Usage: factread [-n INODE] [-b N] KIND ARG [KIND ARG...]
 *   -n INODE  in the network namespace with that inode (default: its own)
 *   -b N      instead: time N reads of each fact, cache cleared before each,
 *             and N cached reads; prints "KIND ARG: X us uncached, Y us cached: VALUE"
 * Prints each value on a line. A fact that cannot be read prints its value
 * ("?") and, on stderr, "factread: KIND ARG: what went wrong"; the exit status
 * is then 1. Bad usage: exit 2. If a read leaves the thread in another network
 * namespace (nt_fact_read must never), it says so and exits 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "facts/facts.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static ino_t netns_now(void)
{
	struct stat st;

	return stat("/proc/thread-self/ns/net", &st) ? 0 : st.st_ino;
}

static void bench(__u32 netns, const char *kind, const char *arg, long n)
{
	char value[NT_FACT_MAX];
	double t0, fresh, cached;
	long i;

	t0 = now_us();
	for (i = 0; i < n; i++) {
		nt_fact_cache_clear();
		nt_fact_read(netns, kind, arg, value, sizeof(value));
	}
	fresh = (now_us() - t0) / (double)n;
	t0 = now_us();
	for (i = 0; i < n; i++)
		nt_fact_read(netns, kind, arg, value, sizeof(value));
	cached = (now_us() - t0) / (double)n;
	printf("%s %s: %.1f us uncached, %.2f us cached: %s\n", kind, arg, fresh, cached, value);
}

int main(int argc, char **argv)
{
	char value[NT_FACT_MAX];
	__u32 netns = 0;
	ino_t home = netns_now();
	long n = 0;
	int c, i, rc = 0, err;

	while ((c = getopt(argc, argv, "n:b:")) != -1) {
		switch (c) {
		case 'n':
			netns = (__u32)strtoul(optarg, NULL, 0);
			break;
		case 'b':
			n = strtol(optarg, NULL, 0);
			break;
		default:
			return 2;
		}
	}
	if (optind >= argc || (argc - optind) % 2) {
		fprintf(stderr, "usage: factread [-n INODE] [-b N] KIND ARG [KIND ARG...]\n");
		return 2;
	}
	for (i = optind; i < argc; i += 2) {
		if (n > 0) {
			bench(netns, argv[i], argv[i + 1], n);
			continue;
		}
		err = nt_fact_read(netns, argv[i], argv[i + 1], value, sizeof(value));
		printf("%s\n", value);
		if (netns_now() != home) {
			fprintf(stderr, "factread: %s %s: left in another namespace\n", argv[i],
				argv[i + 1]);
			return 3;
		}
		if (err) {
			fprintf(stderr, "factread: %s %s: %s\n", argv[i], argv[i + 1],
				nt_fact_strerror(err));
			rc = 1;
		}
	}
	return rc;
}
