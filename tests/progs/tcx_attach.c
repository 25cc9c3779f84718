// SPDX-License-Identifier: GPL-2.0
/*
 * For tests: attaches a tcx program (kernel 6.6+) that drops every packet,
 * named tcx_drop, to a device of the namespace it runs in, and holds the link
 * until killed (the link goes with the process). Raw bpf(): no libbpf, so it
 * builds static like the other helpers.
 * Usage: tcx_attach IFNAME ingress|egress
 * Prints "prog ID" once attached. Exit 1 when the kernel refuses (no tcx:
 * EINVAL), 2 on bad usage.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#define TCX_INGRESS 46 /* enum bpf_attach_type of 6.6 */
#define TCX_EGRESS  47

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

int main(int argc, char **argv)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K,
		 .dst_reg = BPF_REG_0,
		 .imm = 2}, /* TC_ACT_SHOT */
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct bpf_prog_info info;
	union bpf_attr attr;
	unsigned int ifindex;
	int prog, link;

	if (argc != 3 || (strcmp(argv[2], "ingress") && strcmp(argv[2], "egress"))) {
		fprintf(stderr, "usage: tcx_attach IFNAME ingress|egress\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "tcx_attach: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
	attr.insns = (__u64)(unsigned long)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (__u64)(unsigned long)"GPL";
	snprintf(attr.prog_name, sizeof(attr.prog_name), "tcx_drop");
	prog = sys_bpf(BPF_PROG_LOAD, &attr);
	if (prog < 0) {
		fprintf(stderr, "tcx_attach: load: %s\n", strerror(errno));
		return 1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (__u32)prog;
	attr.link_create.target_ifindex = ifindex;
	attr.link_create.attach_type = strcmp(argv[2], "egress") ? TCX_INGRESS : TCX_EGRESS;
	link = sys_bpf(BPF_LINK_CREATE, &attr);
	if (link < 0) {
		fprintf(stderr, "tcx_attach: link: %s\n", strerror(errno));
		return 1;
	}
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (__u32)prog;
	attr.info.info_len = sizeof(info);
	attr.info.info = (__u64)(unsigned long)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr)) {
		fprintf(stderr, "tcx_attach: info: %s\n", strerror(errno));
		return 1;
	}
	printf("prog %u\n", info.id);
	fflush(stdout);
	pause();
	return 0;
}
