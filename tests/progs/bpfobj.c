// SPDX-License-Identifier: GPL-2.0
/*
 * For tests: what BPF programs, maps and links the kernel holds, read with
 * the bpf() syscall (no bpftool needed, so it works the same in the guests).
 * Usage: bpfobj show prog|map|link ID   one line; exit 1 if there is no such object
 *        bpfobj list prog|map|link      one line per object
 * Lines: "prog ID NAME", "map ID NAME", "link ID TYPE" (TYPE as named in uapi,
 * e.g. netfilter, tracing, raw_tracepoint). Any other failure: a message and exit 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

struct kind {
	const char *name;
	int get_fd, next_id; /* bpf commands */
};

static const struct kind kinds[] = {
	{ "prog", BPF_PROG_GET_FD_BY_ID, BPF_PROG_GET_NEXT_ID },
	{ "map", BPF_MAP_GET_FD_BY_ID, BPF_MAP_GET_NEXT_ID },
	{ "link", BPF_LINK_GET_FD_BY_ID, BPF_LINK_GET_NEXT_ID },
};

/* enum bpf_link_type, by value (uapi); newer ones than the headers know too. */
static const char *const link_types[] = {
	"unspec",      "raw_tracepoint", "tracing", "cgroup",	  "iter",	  "netns", "xdp",
	"perf_event", "kprobe_multi",	"struct_ops", "netfilter", "tcx", "uprobe_multi", "netkit",
};

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* Prints the object's line. 0, or -errno (-ENOENT: no such object). */
static int show(const struct kind *k, __u32 id)
{
	union bpf_attr a;
	union {
		struct bpf_prog_info prog;
		struct bpf_map_info map;
		struct bpf_link_info link;
	} info;
	int fd, err = 0;

	memset(&a, 0, sizeof(a));
	a.prog_id = id; /* map_id and link_id share the place */
	fd = sys_bpf(k->get_fd, &a);
	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (__u64)(unsigned long)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a))
		err = -errno;
	else if (k->get_fd == BPF_PROG_GET_FD_BY_ID)
		printf("prog %u %.*s\n", id, (int)sizeof(info.prog.name), info.prog.name);
	else if (k->get_fd == BPF_MAP_GET_FD_BY_ID)
		printf("map %u %.*s\n", id, (int)sizeof(info.map.name), info.map.name);
	else if (info.link.type < sizeof(link_types) / sizeof(link_types[0]))
		printf("link %u %s\n", id, link_types[info.link.type]);
	else
		printf("link %u type%u\n", id, info.link.type);
	close(fd);
	return err;
}

static int list(const struct kind *k)
{
	union bpf_attr a;
	__u32 id = 0;
	int err;

	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (sys_bpf(k->next_id, &a))
			return errno == ENOENT ? 0 : -errno;
		id = a.next_id;
		err = show(k, id);
		if (err && err != -ENOENT) /* gone meanwhile: fine */
			return err;
	}
}

int main(int argc, char **argv)
{
	const struct kind *k = NULL;
	unsigned long id = 0;
	char *end;
	size_t i;
	int err;

	for (i = 0; argc >= 3 && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[2], kinds[i].name))
			k = &kinds[i];
	if (argc == 4) {
		errno = 0;
		id = strtoul(argv[3], &end, 10);
		if (errno || !*argv[3] || *end || !id || id > 0xffffffffUL)
			k = NULL;
	}
	if (!k || !((argc == 4 && !strcmp(argv[1], "show")) || (argc == 3 && !strcmp(argv[1], "list")))) {
		fprintf(stderr, "usage: bpfobj show prog|map|link ID | bpfobj list prog|map|link\n");
		return 2;
	}
	err = argc == 4 ? show(k, id) : list(k);
	if (fflush(stdout))
		err = -errno;
	if (err == -ENOENT && argc == 4)
		return 1;
	if (err) {
		fprintf(stderr, "bpfobj %s %s: %s\n", argv[1], argv[2], strerror(-err));
		return 2;
	}
	return 0;
}
