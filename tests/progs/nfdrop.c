// SPDX-License-Identifier: GPL-2.0
/*
 * For tests: a BPF netfilter program named "nt_testdrop" that drops every
 * packet, linked at one hook of the current network namespace for SECONDS.
 * Usage: nfdrop HOOKNUM PRIORITY SECONDS   (IPv4; FORWARD is 2)
 * Raw bpf(2): Debian 12's libbpf does not know this program type.
 */
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROG_TYPE_NETFILTER 32
#define ATTACH_NETFILTER    45
#define NFPROTO_IPV4        2

struct nf_link_attr { /* union bpf_attr, BPF_LINK_CREATE, netfilter member */
	__u32 prog_fd, target_fd, attach_type, flags;
	__u32 pf, hooknum;
	__s32 priority;
	__u32 nf_flags;
};

int main(int argc, char **argv)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 }, /* NF_DROP */
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct nf_link_attr l = { .attach_type = ATTACH_NETFILTER, .pf = NFPROTO_IPV4 };
	union bpf_attr a;
	int prog, link;

	if (argc != 4) {
		fprintf(stderr, "usage: nfdrop HOOKNUM PRIORITY SECONDS\n");
		return 2;
	}
	memset(&a, 0, sizeof(a));
	a.prog_type = PROG_TYPE_NETFILTER;
	a.expected_attach_type = ATTACH_NETFILTER;
	a.insns = (unsigned long)insns;
	a.insn_cnt = 2;
	a.license = (unsigned long)"GPL";
	strcpy(a.prog_name, "nt_testdrop");
	prog = syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (prog < 0) {
		perror("nfdrop: load");
		return 1;
	}
	l.prog_fd = prog;
	l.hooknum = atoi(argv[1]);
	l.priority = atoi(argv[2]);
	link = syscall(__NR_bpf, BPF_LINK_CREATE, &l, sizeof(l));
	if (link < 0) {
		perror("nfdrop: link");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	sleep(atoi(argv[3]));
	return 0;
}
