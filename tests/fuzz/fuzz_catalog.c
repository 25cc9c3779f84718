// SPDX-License-Identifier: GPL-2.0
/*
 * The trace catalog (nt_catalog_parse), then what is done with it: resolving
 * it against a kernel (a small BTF made here), selecting with -t and
 * --trace-exclude lists, printing the tree (-t ?).
 *
 * Input: the catalog text, then, after NUL bytes, the -t list and the
 * --trace-exclude list (each absent if the input ends first).
 */
#include <bpf/btf.h>
#include "catalog/catalog.h"
#include "output/catalog.h"
#include "fuzz.h"

static struct btf *kernel;

static int proto(int ret, const int *params, int n)
{
	int id = btf__add_func_proto(kernel, ret), i;

	for (i = 0; id > 0 && i < n; i++)
		if (btf__add_func_param(kernel, "a", params[i]))
			return -1;
	return id;
}

static void func(const char *name, int ret, const int *params, int n)
{
	if (btf__add_func(kernel, name, BTF_FUNC_GLOBAL, proto(ret, params, n)) < 0)
		abort();
}

static void tracepoint(const char *name, const int *params, int n)
{
	char tname[128];

	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	if (btf__add_typedef(kernel, tname, btf__add_ptr(kernel, proto(0, params, n))) < 0)
		abort();
}

/* Functions and tracepoints of data/catalog.txt, with the prototypes they have in 6.18. */
static void make_kernel(void)
{
	int i, skb, sock, skb_p, cskb_p, sock_p, void_p, reason;

	kernel = btf__new_empty();
	if (!kernel)
		abort();
	i = btf__add_int(kernel, "int", 4, BTF_INT_SIGNED);
	skb = btf__add_struct(kernel, "sk_buff", 232);
	sock = btf__add_struct(kernel, "sock", 760);
	skb_p = btf__add_ptr(kernel, skb);
	cskb_p = btf__add_ptr(kernel, btf__add_const(kernel, skb));
	sock_p = btf__add_ptr(kernel, sock);
	void_p = btf__add_ptr(kernel, 0);
	reason = btf__add_enum(kernel, "skb_drop_reason", 4);
	if (i < 0 || skb_p < 0 || cskb_p < 0 || sock_p < 0 || void_p < 0 || reason < 0 ||
	    btf__add_enum_value(kernel, "SKB_DROP_REASON_NOT_SPECIFIED", 2))
		abort();
	func("ip_rcv", i, (int[]){skb_p, void_p, void_p, void_p}, 4);
	func("tcp_v4_rcv", i, (int[]){skb_p}, 1);
	func("tcp_v4_do_rcv", i, (int[]){sock_p, skb_p}, 2);
	func("kfree_skb_reason", 0, (int[]){skb_p, reason}, 2);
	func("skb_clone", skb_p, (int[]){skb_p, i}, 2);
	func("nf_hook_slow", i, (int[]){skb_p, void_p, void_p, i}, 4);
	func("dev_queue_xmit", i, (int[]){skb_p}, 1);
	func("netif_rx", i, (int[]){skb_p}, 1);
	func("ip_finish_output2", i, (int[]){void_p, sock_p, skb_p}, 3);
	func("skb_copy_datagram_iter", i, (int[]){cskb_p, i, void_p, i}, 4);
	func("printk", i, (int[]){void_p, 0}, 2);
	tracepoint("kfree_skb", (int[]){void_p, skb_p, void_p, reason, sock_p}, 5);
	tracepoint("consume_skb", (int[]){void_p, skb_p, void_p}, 3);
	tracepoint("net_dev_queue", (int[]){void_p, skb_p}, 2);
	tracepoint("netif_receive_skb", (int[]){void_p, skb_p}, 2);
	tracepoint("fib_table_lookup", (int[]){void_p, i, void_p, void_p, i}, 5);
	tracepoint("sock_rcvqueue_full", (int[]){void_p, sock_p, skb_p}, 3);
}

/* The next NUL-terminated part of @s (ending at @end), or NULL past the end. */
static const char *next_part(const char **s, const char *end)
{
	const char *part = *s;

	if (part >= end)
		return NULL;
	*s += strlen(part) + 1;
	return part;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size), err[256];
	const char *s = in, *end = in + size, *text, *spec, *exclude;
	struct nt_catalog c;
	size_t i;

	if (!kernel)
		make_kernel();
	text = next_part(&s, end + 1);
	spec = next_part(&s, end);
	exclude = next_part(&s, end);
	if (nt_catalog_parse(&c, text, err, sizeof(err))) {
		fuzz_check(!strncmp(err, "line ", 5));
		fuzz_check(!c.nprobes && !c.ngroups);
		free(in);
		return 0;
	}
	nt_catalog_resolve(&c, kernel, NULL);
	if (nt_catalog_select(&c, spec, exclude, err, sizeof(err)) == 0)
		for (i = 0; i < c.nprobes; i++)
			fuzz_check(!c.probes[i].enabled || c.probes[i].available);
	nt_catalog_print_tree(&c, fuzz_sink());
	for (i = 0; i < c.nprobes; i++)
		fuzz_check(nt_catalog_find(&c, c.probes[i].name) == (int)i);
	for (i = 0; i < c.ngroups; i++)
		fuzz_check(nt_catalog_find_group(&c, c.groups[i].name) == (int)i);
	nt_catalog_free(&c);
	free(in);
	return 0;
}
