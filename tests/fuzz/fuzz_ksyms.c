// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms lines (nt_ksyms_load), then addresses to "symbol+0xoff" and the
 * stack frames skipped before a drop's stack is printed.
 *
 * Input: the file's content. It is read through a memfd, as from /proc/kallsyms.
 */
#define _GNU_SOURCE /* memfd_create */
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "kernel/ksyms.h"
#include "output/output.h"

static void check_format(const struct nt_ksyms *ks, __u64 addr)
{
	char buf[128];

	nt_ksyms_format(ks, addr, buf, sizeof(buf));
	fuzz_check(buf[0] && strnlen(buf, sizeof(buf)) < sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct nt_ksyms ks;
	__u64 ips[8], off;
	const char *name;
	size_t i, n;

	if (fd < 0) {
		fd = memfd_create("kallsyms", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (nt_ksyms_load(&ks, path))
		return 0;
	fuzz_check(ks.n > 0);
	for (i = 0; i < ks.n; i++) {
		fuzz_check(ks.syms[i].name < ks.names_len);
		fuzz_check(!i || ks.syms[i - 1].addr <= ks.syms[i].addr);
		name = nt_ksyms_find(&ks, ks.syms[i].addr, &off);
		fuzz_check(name && off == 0);
		fuzz_check(nt_ksyms_addr(&ks, ks.names + ks.syms[i].name) != 0);
		check_format(&ks, ks.syms[i].addr - 1);
		check_format(&ks, ks.syms[i].addr + 1);
	}
	check_format(&ks, 0);
	check_format(&ks, ~0ULL);
	n = ks.n < 8 ? ks.n : 8;
	for (i = 0; i < n; i++)
		ips[i] = ks.syms[ks.n - 1 - i].addr + i;
	fuzz_check(nt_stack_skip(&ks, ips, n) < n || !n);
	nt_ksyms_free(&ks);
	return 0;
}
