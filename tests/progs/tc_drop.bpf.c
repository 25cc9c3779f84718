// SPDX-License-Identifier: GPL-2.0
/* A tc classifier for tests: drops every packet (direct action, TC_ACT_SHOT). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_drop(struct __sk_buff *skb)
{
	(void)skb;
	return 2; /* TC_ACT_SHOT */
}

char LICENSE[] SEC("license") = "GPL";
