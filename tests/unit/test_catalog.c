// SPDX-License-Identifier: GPL-2.0
/* The trace catalog (src/catalog/): parsing, resolving against a BTF built in memory and a
 * small kallsyms file, selecting, listing, --all-funcs; and the real data/catalog.txt against
 * the running kernel. */
#include <limits.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "common.h"
#include "catalog/catalog.h"
#include "output/catalog.h"
#include "kernel/ksyms.h"

#ifndef NT_SRCDIR
#define NT_SRCDIR "."
#endif

static const char small[] =
	"# a comment\n"
	"\n"
	"top\n"
	"  sub-a\n"
	"    func f_skb0                # trailing comment\n"
	"    func f_const1     off ret=errno\n"
	"    tp   cat:tp_skb   free\n"
	"  sub-b\n"
	"    func f_sock       sk ret=verdict\n"
	"    func f_clone      clone ret=ptr skb=2\n"
	"    func f_missing_ks ret=netdev_tx\n"
	"  func f_direct       sk=1 ret=net_rx\n"
	"other\n"
	"  func missing_fn     ret=bool\n"
	"  tp   cat:tp_noskb\n"
	"  func f_pp\n";

static struct nt_catalog parse_ok(const char *text)
{
	struct nt_catalog c;
	char err[256] = "";

	if (nt_catalog_parse(&c, text, err, sizeof(err)))
		fail_msg("parse failed: %s", err);
	return c;
}

static struct nt_probe *probe(struct nt_catalog *c, const char *name)
{
	int i = nt_catalog_find(c, name);

	if (i < 0)
		fail_msg("no probe '%s'", name);
	return &c->probes[i];
}

static void test_parse_tree(void **state)
{
	struct nt_catalog c = parse_ok(small);
	struct nt_probe *p;

	(void)state;
	assert_int_equal(c.ngroups, 4);
	assert_string_equal(c.groups[0].name, "top");
	assert_int_equal(c.groups[0].parent, -1);
	assert_string_equal(c.groups[1].name, "sub-a");
	assert_int_equal(c.groups[1].parent, 0);
	assert_string_equal(c.groups[2].name, "sub-b");
	assert_int_equal(c.groups[2].parent, 0);
	assert_string_equal(c.groups[3].name, "other");
	assert_int_equal(c.groups[3].parent, -1);
	assert_int_equal(c.nprobes, 10);

	p = probe(&c, "f_skb0");
	assert_int_equal(p->kind, NT_PROBE_FUNC);
	assert_null(p->tp);
	assert_int_equal(p->group, 1);
	assert_int_equal(p->arg, -1);
	assert_int_equal(p->flags, 0);
	assert_int_equal(p->ret, NT_RET_NONE);
	assert_false(p->available);
	assert_false(p->enabled);

	p = probe(&c, "f_const1");
	assert_int_equal(p->flags, NT_PROBE_OFF);
	assert_int_equal(p->ret, NT_RET_ERRNO);

	p = probe(&c, "cat:tp_skb");
	assert_int_equal(p->kind, NT_PROBE_TP);
	assert_string_equal(p->tp, "tp_skb");
	assert_ptr_equal(p->tp, p->name + 4);
	assert_int_equal(p->flags, NT_PROBE_FREE);

	p = probe(&c, "f_sock");
	assert_int_equal(p->group, 2);
	assert_int_equal(p->flags, NT_PROBE_SK);
	assert_int_equal(p->arg, -1);
	assert_int_equal(p->ret, NT_RET_VERDICT);

	p = probe(&c, "f_clone");
	assert_int_equal(p->flags, NT_PROBE_CLONE);
	assert_int_equal(p->arg, 2);
	assert_int_equal(p->arg_spec, 2);
	assert_int_equal(p->ret, NT_RET_PTR);

	assert_int_equal(probe(&c, "f_missing_ks")->ret, NT_RET_NETDEV_TX);
	/* An entry after a subgroup, one level up, belongs to the outer group. */
	p = probe(&c, "f_direct");
	assert_int_equal(p->group, 0);
	assert_int_equal(p->flags, NT_PROBE_SK);
	assert_int_equal(p->arg, 1);
	assert_int_equal(p->ret, NT_RET_NET_RX);
	p = probe(&c, "missing_fn");
	assert_int_equal(p->group, 3);
	assert_int_equal(p->ret, NT_RET_BOOL);

	/* Finding: exact names, "cat:name", plain tracepoint names; groups. */
	assert_int_equal(nt_catalog_find(&c, "tp_skb"), nt_catalog_find(&c, "cat:tp_skb"));
	assert_int_equal(nt_catalog_find(&c, "other:tp_skb"), -1);
	assert_int_equal(nt_catalog_find(&c, "nope"), -1);
	assert_int_equal(nt_catalog_find_group(&c, "sub-b"), 2);
	assert_int_equal(nt_catalog_find_group(&c, "f_skb0"), -1);
	assert_true(nt_catalog_group_within(&c, 2, 0));
	assert_false(nt_catalog_group_within(&c, 0, 2));
	nt_catalog_free(&c);
	assert_null(c.probes);
	assert_int_equal(c.nprobes, 0);
}

static void test_parse_misc(void **state)
{
	struct nt_catalog c;
	char err[256] = "x";

	(void)state;
	/* CRLF, no final newline, tabs between words, a comment-only file. */
	c = parse_ok("g\r\n  func a\toff\r\n  tp x:y");
	assert_int_equal(c.nprobes, 2);
	assert_int_equal(c.probes[0].flags, NT_PROBE_OFF);
	nt_catalog_free(&c);
	c = parse_ok("# nothing\n\n   \n");
	assert_int_equal(c.nprobes, 0);
	assert_int_equal(c.ngroups, 0);
	nt_catalog_free(&c);
	assert_int_equal(nt_catalog_parse(&c, "", err, sizeof(err)), 0);
	assert_string_equal(err, "");
	nt_catalog_free(&c);
}

struct bad {
	const char *text;
	const char *err;
};

static const struct bad bad[] = {
	{ "g\n      func x\n", "line 2: bad indentation" },
	{ "g\n   func x\n", "line 2: bad indentation" },
	{ "g\n  sub\n        func x\n", "line 3: bad indentation" },
	{ "g\n  func x\n    func y\n", "line 3: bad indentation" },
	{ "g\n\tfunc x\n", "line 2: tab in indentation" },
	{ "g\n  func x bogus\n", "line 2: unknown word 'bogus'" },
	{ "# c\n\ng\n  func x off\n  func y offf\n", "line 5: unknown word 'offf'" },
	{ "g\n  fn x\n", "line 2: unknown kind 'fn'" },
	{ "func x\n", "line 1: entry outside a group" },
	{ "g\n  sub\nfunc x\n", "line 3: entry outside a group" },
	{ "g\n  func x skb=z\n", "line 2: bad argument position in 'skb=z'" },
	{ "g\n  func x skb=12\n", "line 2: bad argument position" },
	{ "g\n  func x skb=-1\n", "line 2: bad argument position" },
	{ "g\n  func x skb=\n", "line 2: bad argument position" },
	{ "g\n  func x sk=1x\n", "line 2: bad argument position" },
	{ "g\n  func x skb=1 sk\n", "line 2: more than one skb/sk word" },
	{ "g\n  func x ret=foo\n", "line 2: unknown return kind 'foo'" },
	{ "g\n  func x ret=ptr ret=ptr\n", "line 2: 'ret=' given twice" },
	{ "g\n  func x off off\n", "line 2: 'off' given twice" },
	{ "g\n  tp a:b ret=errno\n", "line 2: 'ret=' applies to func entries only" },
	{ "g\n  tp a:b clone\n", "line 2: 'clone' applies to func entries only" },
	{ "g\n  tp nocolon\n", "line 2: bad tracepoint 'nocolon'" },
	{ "g\n  tp a:b:c\n", "line 2: bad tracepoint" },
	{ "g\n  func a:b\n", "line 2: bad function name 'a:b'" },
	{ "g\n  func\n", "line 2: 'func' without a name" },
	{ "g\n  tp\n", "line 2: 'tp' without a name" },
	{ "g\n  func x\n  func x\n", "line 3: duplicate name 'x'" },
	{ "g\n  g\n", "line 2: duplicate name 'g'" },
	{ "g\n  func x\nx\n", "line 3: duplicate name 'x'" },
	{ "all\n", "line 1: 'all' is reserved" },
	{ "g!\n", "line 1: bad group name 'g!'" },
};

static void test_parse_errors(void **state)
{
	struct nt_catalog c;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&c, 0xff, sizeof(c));
		err[0] = '\0';
		if (nt_catalog_parse(&c, bad[i].text, err, sizeof(err)) != -1)
			fail_msg("parsed: %s", bad[i].text);
		assert_contains(err, bad[i].err);
		/* Nothing left to free. */
		assert_null(c.probes);
		assert_null(c.groups);
		assert_int_equal(c.nprobes, 0);
	}
	/* A tiny error buffer is not overrun. */
	memset(err, 'z', sizeof(err));
	assert_int_equal(nt_catalog_parse(&c, "func x\n", err, 5), -1);
	assert_string_equal(err, "line");
	assert_int_equal(nt_catalog_parse(&c, "func x\n", NULL, 0), -1);
}

static void test_load(void **state)
{
	char path[PATH_MAX], err[512];
	struct nt_catalog c;

	(void)state;
	tmpfile_write(path, sizeof(path), small);
	assert_int_equal(nt_catalog_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.nprobes, 10);
	nt_catalog_free(&c);
	unlink(path);
	assert_int_equal(nt_catalog_load(&c, path, err, sizeof(err)), -1);
	assert_contains(err, path);
	assert_contains(err, "No such file");
	tmpfile_write(path, sizeof(path), "g\n  func x\n  func y what\n");
	assert_int_equal(nt_catalog_load(&c, path, err, sizeof(err)), -1);
	assert_contains(err, path);
	assert_contains(err, "line 3: unknown word 'what'");
	unlink(path);
}

/* ---- a kernel in miniature ---- */

struct kernel {
	struct btf *btf;
	struct nt_ksyms ks;
	int t_int, t_skb_p, t_cskb_p, t_sock_p, t_skb_pp, t_void_p;
};

static int proto(struct kernel *k, int ret, const int *params, int n)
{
	int id = btf__add_func_proto(k->btf, ret), i;

	assert_true(id > 0);
	for (i = 0; i < n; i++)
		assert_int_equal(btf__add_func_param(k->btf, "a", params[i]), 0);
	return id;
}

static void func(struct kernel *k, const char *name, int ret, const int *params, int n)
{
	assert_true(btf__add_func(k->btf, name, BTF_FUNC_GLOBAL, proto(k, ret, params, n)) > 0);
}

static void tracepoint(struct kernel *k, const char *name, const int *params, int n)
{
	int ptr = btf__add_ptr(k->btf, proto(k, 0, params, n));
	char tname[128];

	snprintf(tname, sizeof(tname), "btf_trace_%s", name);
	assert_true(ptr > 0);
	assert_true(btf__add_typedef(k->btf, tname, ptr) > 0);
}

static const char kallsyms[] = "ffffffff81000000 T f_skb0\n"
			       "ffffffff81000100 T f_const1\n"
			       "ffffffff81000200 t f_sock\n"
			       "ffffffff81000300 T f_clone\n"
			       "ffffffff81000400 T f_direct\n"
			       "ffffffff81000500 T f_pp\n"
			       "ffffffff81000600 T f_dup\n"
			       "ffffffff81000700 T f_var\n"
			       "ffffffff81000800 T extra_skb\n"
			       "ffffffff81000900 T extra_int\n"
			       "ffffffff81000a00 T __traceiter_tp_skb\n";

static int kernel_setup(void **state)
{
	struct kernel *k = calloc(1, sizeof(*k));
	char path[PATH_MAX];
	int skb, sock, cskb, s;

	assert_non_null(k);
	k->btf = btf__new_empty();
	assert_non_null(k->btf);
	k->t_int = btf__add_int(k->btf, "int", 4, BTF_INT_SIGNED);
	skb = btf__add_struct(k->btf, "sk_buff", 232);
	sock = btf__add_struct(k->btf, "sock", 760);
	k->t_skb_p = btf__add_ptr(k->btf, skb);
	cskb = btf__add_const(k->btf, skb);
	k->t_cskb_p = btf__add_ptr(k->btf, cskb);
	k->t_sock_p = btf__add_ptr(k->btf, sock);
	k->t_skb_pp = btf__add_ptr(k->btf, k->t_skb_p);
	k->t_void_p = btf__add_ptr(k->btf, 0);
	assert_true(k->t_int > 0 && skb > 0 && sock > 0 && k->t_skb_pp > 0 && k->t_void_p > 0);
	s = btf__add_struct(k->btf, "sk_buff_head", 24); /* a struct whose name starts alike */
	s = btf__add_ptr(k->btf, s);

	func(k, "f_skb0", k->t_int, (int[]){ k->t_skb_p, k->t_int }, 2);
	func(k, "f_const1", 0, (int[]){ k->t_int, k->t_cskb_p }, 2);
	func(k, "f_sock", k->t_int, (int[]){ k->t_int, k->t_sock_p, k->t_skb_p }, 3);
	func(k, "f_clone", k->t_skb_p, (int[]){ k->t_int, s, k->t_skb_p }, 3);
	func(k, "f_missing_ks", k->t_int, (int[]){ k->t_skb_p }, 1);
	func(k, "f_direct", k->t_int, (int[]){ k->t_skb_p, k->t_sock_p }, 2);
	func(k, "f_pp", k->t_int, (int[]){ k->t_skb_pp, s }, 2);
	/* Two FUNCs of one name (static functions of two units): the first counts. */
	func(k, "f_dup", k->t_int, (int[]){ k->t_int, k->t_skb_p }, 2);
	func(k, "f_dup", k->t_int, (int[]){ k->t_skb_p }, 1);
	/* Variadic: the trailing "..." (type 0) is not an argument. */
	func(k, "f_var", k->t_int, (int[]){ k->t_cskb_p, k->t_int, 0 }, 3);
	func(k, "extra_skb", 0, (int[]){ k->t_sock_p, k->t_cskb_p }, 2);
	func(k, "extra_int", 0, (int[]){ k->t_int }, 1);
	func(k, "__traceiter_tp_skb", k->t_int, (int[]){ k->t_void_p, k->t_skb_p }, 2);
	tracepoint(k, "tp_skb", (int[]){ k->t_void_p, k->t_sock_p, k->t_cskb_p, k->t_int }, 4);
	tracepoint(k, "tp_noskb", (int[]){ k->t_void_p, k->t_int }, 2);

	tmpfile_write(path, sizeof(path), kallsyms);
	assert_int_equal(nt_ksyms_load(&k->ks, path), 0);
	unlink(path);
	*state = k;
	return 0;
}

static int kernel_teardown(void **state)
{
	struct kernel *k = *state;

	nt_ksyms_free(&k->ks);
	btf__free(k->btf);
	free(k);
	return 0;
}

static struct nt_catalog resolved(struct kernel *k, const char *text, bool with_ks)
{
	struct nt_catalog c = parse_ok(text);

	nt_catalog_resolve(&c, k->btf, with_ks ? &k->ks : NULL);
	return c;
}

static void assert_unavailable(struct nt_catalog *c, const char *name, const char *why)
{
	struct nt_probe *p = probe(c, name);

	if (p->available)
		fail_msg("%s is available", name);
	assert_non_null(p->why);
	assert_string_equal(p->why, why);
}

static void test_resolve(void **state)
{
	struct kernel *k = *state;
	struct nt_catalog c = resolved(k, small, true);
	struct nt_probe *p;

	p = probe(&c, "f_skb0");
	assert_true(p->available);
	assert_null(p->why);
	assert_int_equal(p->arg, 0);
	assert_int_equal(p->nargs, 2);
	assert_false(p->ret_void);
	assert_true(p->btf_id > 0);
	assert_int_equal(btf__find_by_name_kind(k->btf, "f_skb0", BTF_KIND_FUNC), p->btf_id);

	p = probe(&c, "f_const1"); /* const struct sk_buff * at position 1 */
	assert_true(p->available);
	assert_int_equal(p->arg, 1);
	assert_true(p->ret_void);

	/* sk: the struct sock *, not the sk_buff after it; nothing attaches it */
	assert_unavailable(&c, "f_sock", NT_WHY_SK_ONLY);
	p = probe(&c, "f_sock");
	assert_int_equal(p->arg, 1);
	assert_int_equal(p->nargs, 3);

	p = probe(&c, "f_clone"); /* explicit skb=2 past a struct sk_buff_head * */
	assert_true(p->available);
	assert_int_equal(p->arg, 2);

	assert_unavailable(&c, "f_direct", NT_WHY_SK_ONLY); /* sk=1 */
	assert_int_equal(probe(&c, "f_direct")->arg, 1);

	p = probe(&c, "cat:tp_skb");
	assert_true(p->available);
	assert_int_equal(p->nargs, 3);
	assert_int_equal(p->arg, 1);
	assert_true(p->ret_void);
	assert_int_equal(btf__find_by_name_kind(k->btf, "btf_trace_tp_skb", BTF_KIND_TYPEDEF),
			 p->btf_id);

	assert_unavailable(&c, "f_missing_ks", NT_WHY_NO_KSYM);
	assert_unavailable(&c, "missing_fn", NT_WHY_NO_BTF);
	assert_unavailable(&c, "cat:tp_noskb", NT_WHY_NO_SKB);
	assert_unavailable(&c, "f_pp", NT_WHY_NO_SKB); /* struct sk_buff ** does not count */
	assert_int_equal(probe(&c, "cat:tp_noskb")->nargs, 1);

	/* Without kallsyms, BTF is enough. */
	nt_catalog_resolve(&c, k->btf, NULL);
	assert_true(probe(&c, "f_missing_ks")->available);
	nt_catalog_free(&c);

	c = resolved(k,
		     "g\n"
		     "  func f_const1 skb=0\n"
		     "  func f_skb0 skb=5\n"
		     "  func f_skb0x skb=0\n"
		     "  func f_sock sk=2\n"
		     "  func f_dup\n"
		     "  func f_var\n"
		     "  func extra_int sk\n"
		     "  tp   c:tp_skb skb=0\n"
		     "  tp   d:tp_missing\n",
		     true);
	assert_unavailable(&c, "f_const1", NT_WHY_BAD_SKB);
	assert_unavailable(&c, "f_skb0", NT_WHY_BAD_POS);
	assert_unavailable(&c, "f_skb0x", NT_WHY_NO_BTF);
	assert_unavailable(&c, "f_sock", NT_WHY_BAD_SK);
	assert_unavailable(&c, "extra_int", NT_WHY_NO_SK);
	assert_unavailable(&c, "c:tp_skb", NT_WHY_BAD_SKB);
	assert_unavailable(&c, "d:tp_missing", NT_WHY_NO_BTF);
	p = probe(&c, "f_dup");
	assert_true(p->available);
	assert_int_equal(p->arg, 1);
	assert_int_equal(p->nargs, 2);
	p = probe(&c, "f_var");
	assert_true(p->available);
	assert_int_equal(p->nargs, 2);
	assert_int_equal(p->arg, 0);
	assert_int_equal(p->arg_spec, -1);

	/* Resolving again against a BTF without the functions, then back. */
	{
		struct btf *empty = btf__new_empty();

		assert_non_null(empty);
		nt_catalog_resolve(&c, empty, NULL);
		assert_unavailable(&c, "f_dup", NT_WHY_NO_BTF);
		assert_int_equal(probe(&c, "f_dup")->arg, -1);
		nt_catalog_resolve(&c, NULL, NULL);
		assert_unavailable(&c, "f_dup", NT_WHY_NO_BTF);
		nt_catalog_resolve(&c, k->btf, &k->ks);
		assert_true(probe(&c, "f_dup")->available);
		assert_int_equal(probe(&c, "f_dup")->arg, 1);
		btf__free(empty);
	}
	nt_catalog_free(&c);
}

static int count_enabled(const struct nt_catalog *c)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->nprobes; i++)
		n += c->probes[i].enabled;
	return n;
}

static bool on(struct nt_catalog *c, const char *name)
{
	return probe(c, name)->enabled;
}

static void test_select(void **state)
{
	struct kernel *k = *state;
	struct nt_catalog c = resolved(k, small, true);
	char err[256];

	/* Default: available and not off. */
	assert_int_equal(nt_catalog_select(&c, NULL, NULL, err, sizeof(err)), 0);
	assert_true(on(&c, "f_skb0"));
	assert_false(on(&c, "f_const1")); /* off */
	assert_true(on(&c, "cat:tp_skb"));
	assert_true(on(&c, "f_clone"));
	assert_false(on(&c, "f_sock")); /* sk: unavailable */
	assert_false(on(&c, "f_missing_ks")); /* unavailable */
	assert_false(on(&c, "missing_fn"));
	assert_int_equal(count_enabled(&c), 3);
	assert_int_equal(nt_catalog_select(&c, "", "", err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 3);

	/* all: every available probe, off ones too. */
	assert_int_equal(nt_catalog_select(&c, "all", NULL, err, sizeof(err)), 0);
	assert_true(on(&c, "f_const1"));
	assert_false(on(&c, "f_missing_ks"));
	assert_false(on(&c, "cat:tp_noskb"));
	assert_false(on(&c, "f_direct"));
	assert_int_equal(count_enabled(&c), 4);

	/* A parent group enables its subtree, including off entries; nothing else. */
	assert_int_equal(nt_catalog_select(&c, "top", NULL, err, sizeof(err)), 0);
	assert_true(on(&c, "f_const1"));
	assert_true(on(&c, "f_clone"));
	assert_int_equal(count_enabled(&c), 4);
	assert_int_equal(nt_catalog_select(&c, "sub-b", NULL, err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 1);
	assert_true(on(&c, "f_clone"));

	/* Probe names: func, cat:name, plain tracepoint name; spaces around commas. */
	assert_int_equal(nt_catalog_select(&c, "f_const1, cat:tp_skb", NULL, err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 2);
	assert_true(on(&c, "f_const1"));
	assert_int_equal(nt_catalog_select(&c, "tp_skb", NULL, err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 1);
	assert_true(on(&c, "cat:tp_skb"));

	/* Exclusion: groups and names, also on top of the default. */
	assert_int_equal(nt_catalog_select(&c, "top", "sub-a,f_sock", err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 1);
	assert_true(on(&c, "f_clone"));
	assert_int_equal(nt_catalog_select(&c, NULL, "tp_skb", err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 2);
	assert_false(on(&c, "cat:tp_skb"));
	assert_int_equal(nt_catalog_select(&c, "all", "all", err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 0);

	/* Unavailable probes are never enabled, even by name. */
	assert_int_equal(nt_catalog_select(&c, "f_missing_ks,missing_fn", NULL, err, sizeof(err)),
			 0);
	assert_int_equal(count_enabled(&c), 0);

	/* Unknown names. */
	assert_int_equal(nt_catalog_select(&c, "top,bogus", NULL, err, sizeof(err)), -1);
	assert_contains(err, "'bogus'");
	assert_int_equal(count_enabled(&c), 0);
	assert_int_equal(nt_catalog_select(&c, NULL, "nothing", err, sizeof(err)), -1);
	assert_contains(err, "'nothing'");
	assert_int_equal(nt_catalog_select(&c, "other:tp_skb", NULL, err, sizeof(err)), -1);
	assert_contains(err, "'other:tp_skb'");
	nt_catalog_free(&c);
}

static void test_print_tree(void **state)
{
	struct kernel *k = *state;
	struct nt_catalog c = resolved(k, small, true);
	struct capture out;
	char err[256];
	const char *s;

	assert_int_equal(nt_catalog_select(&c, NULL, NULL, err, sizeof(err)), 0);
	capture_open(&out);
	nt_catalog_print_tree(&c, out.f);
	s = capture_text(&out);
	/* A group's own probes come before its subgroups. */
	assert_contains(s, "top\n"
			   "  [-] func f_direct sk=1 ret=net_rx: " NT_WHY_SK_ONLY "\n"
			   "  sub-a\n"
			   "    [x] func f_skb0\n");
	assert_contains(s, "    [ ] func f_const1 off ret=errno\n");
	assert_contains(s, "    [x] tp   cat:tp_skb free\n");
	assert_contains(s, "    [-] func f_missing_ks ret=netdev_tx: " NT_WHY_NO_KSYM "\n");
	assert_contains(s, "    [-] func f_sock sk ret=verdict: " NT_WHY_SK_ONLY "\n");
	assert_contains(s, "    [x] func f_clone skb=2 clone ret=ptr\n");
	assert_contains(s, "other\n  [-] func missing_fn ret=bool: " NT_WHY_NO_BTF "\n");
	assert_contains(s, "[-] tp   cat:tp_noskb: " NT_WHY_NO_SKB "\n");
	/* 10 probes: f_missing_ks, missing_fn, tp_noskb, f_pp, f_sock, f_direct unavailable;
	 * f_const1 off. */
	assert_contains(s, "\n4 of 10 probes available, 3 enabled\n");
	assert_int_equal(s[strlen(s) - 1], '\n');
	capture_close(&out);
	nt_catalog_free(&c);
}

static void test_all_funcs(void **state)
{
	struct kernel *k = *state;
	struct nt_catalog c = resolved(k, small, true);
	char err[256];
	int g, n;

	/* Every FUNC with an skb argument, in kallsyms, not in the catalog: f_dup, f_var,
	 * extra_skb (not extra_int, f_pp, f_missing_ks, __traceiter_*, nor catalog ones). */
	n = nt_catalog_add_all_funcs(&c, k->btf, &k->ks, NULL, err, sizeof(err));
	assert_int_equal(n, 3);
	assert_int_equal(c.nprobes, 13);
	g = nt_catalog_find_group(&c, NT_CATALOG_ALL_FUNCS);
	assert_int_equal(g, 4);
	assert_int_equal(c.groups[g].parent, -1);
	assert_true(probe(&c, "f_dup")->enabled);
	assert_int_equal(probe(&c, "f_dup")->arg, 1);
	assert_int_equal(probe(&c, "f_dup")->group, g);
	assert_true(probe(&c, "extra_skb")->available);
	assert_true(probe(&c, "extra_skb")->enabled);
	assert_int_equal(probe(&c, "extra_skb")->arg, 1);
	assert_true(probe(&c, "f_var")->enabled);
	assert_int_equal(nt_catalog_find(&c, "extra_int"), -1);
	assert_int_equal(nt_catalog_find(&c, "__traceiter_tp_skb"), -1);

	/* Again: nothing new, and the group is not made twice. */
	assert_int_equal(nt_catalog_add_all_funcs(&c, k->btf, &k->ks, "", err, sizeof(err)), 0);
	assert_int_equal(c.ngroups, 5);

	/* Selecting keeps them, unless excluded. */
	assert_int_equal(nt_catalog_select(&c, "sub-b", NULL, err, sizeof(err)), 0);
	assert_true(probe(&c, "extra_skb")->enabled);
	assert_int_equal(count_enabled(&c), 4);
	assert_int_equal(nt_catalog_select(&c, NULL, NT_CATALOG_ALL_FUNCS, err, sizeof(err)), 0);
	assert_false(probe(&c, "extra_skb")->enabled);
	assert_int_equal(nt_catalog_select(&c, "f_sock", "f_var", err, sizeof(err)), 0);
	assert_int_equal(count_enabled(&c), 2); /* f_dup, extra_skb: f_sock is unavailable */
	assert_false(probe(&c, "f_var")->enabled);
	nt_catalog_free(&c);

	/* A regex; without kallsyms, f_missing_ks counts. */
	c = resolved(k, "g\n  func f_skb0\n", false);
	n = nt_catalog_add_all_funcs(&c, k->btf, NULL, "^f_(so|m|cl)", err, sizeof(err));
	assert_int_equal(n, 3); /* f_sock, f_clone, f_missing_ks; f_skb0 is in the catalog */
	assert_true(probe(&c, "f_missing_ks")->enabled);
	assert_true(probe(&c, "f_clone")->available);
	assert_int_equal(probe(&c, "f_clone")->arg, 2);
	assert_int_equal(nt_catalog_find(&c, "f_const1"), -1);

	/* A bad regex. */
	n = nt_catalog_add_all_funcs(&c, k->btf, NULL, "f_(", err, sizeof(err));
	assert_int_equal(n, -1);
	assert_contains(err, "'f_('");
	assert_int_equal(c.nprobes, 4);
	nt_catalog_free(&c);
}

/* ---- the real catalog on the running kernel ---- */

static void test_real_catalog(void **state)
{
	const char *paths[] = { NT_SRCDIR "/data/catalog.txt", "data/catalog.txt" };
	struct nt_catalog c;
	struct nt_ksyms ks;
	struct btf *btf;
	char err[512] = "";
	size_t i, avail = 0, funcs = 0, tps = 0, enabled = 0, no_ks = 0;
	int r = -1;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(paths) && r; i++)
		r = nt_catalog_load(&c, paths[i], err, sizeof(err));
	if (r)
		fail_msg("%s", err);
	for (i = 0; i < c.nprobes; i++) {
		funcs += c.probes[i].kind == NT_PROBE_FUNC;
		tps += c.probes[i].kind == NT_PROBE_TP;
	}
	print_message("catalog: %zu groups, %zu funcs, %zu tracepoints\n", c.ngroups, funcs, tps);
	{
		static const char *const groups[] = {
			"link-in", "link-out", "sched", "bridge", "arp", "vlan", "vxlan",
			"netfilter", "conntrack", "ip-in", "ip-out", "ip-route", "xfrm",
			"tcp-in", "tcp-out", "udp", "icmp", "socket", "life",
		};
		for (i = 0; i < ARRAY_SIZE(groups); i++)
			if (nt_catalog_find_group(&c, groups[i]) < 0)
				fail_msg("no group %s", groups[i]);
	}

	btf = btf__load_vmlinux_btf();
	if (!btf) {
		nt_catalog_free(&c);
		skip();
	}
	if (nt_ksyms_load(&ks, NULL)) {
		print_message("no usable /proc/kallsyms: resolving with BTF only\n");
		memset(&ks, 0, sizeof(ks));
		no_ks = 1;
	}
	nt_catalog_resolve(&c, btf, no_ks ? NULL : &ks);
	assert_int_equal(nt_catalog_select(&c, NULL, NULL, err, sizeof(err)), 0);
	for (i = 0; i < c.nprobes; i++) {
		const struct nt_probe *p = &c.probes[i];

		avail += p->available;
		enabled += p->enabled;
		if (!p->available && strcmp(p->why, NT_WHY_NO_BTF) &&
		    strcmp(p->why, NT_WHY_NO_KSYM) && strcmp(p->why, NT_WHY_SK_ONLY))
			fail_msg("%s: %s (a catalog mistake?)", p->name, p->why);
	}
	print_message("on this kernel: %zu of %zu probes available, %zu enabled by default\n",
		      avail, c.nprobes, enabled);
	assert_true(probe(&c, "net:netif_receive_skb")->available);
	assert_true(probe(&c, "skb:kfree_skb")->available);
	assert_true(probe(&c, "skb:kfree_skb")->flags & NT_PROBE_FREE);
	assert_int_equal(probe(&c, "skb:kfree_skb")->arg, 0);
	assert_true(probe(&c, "ip_rcv")->available);
	assert_int_equal(probe(&c, "ip_rcv")->arg, 0);
	assert_true(probe(&c, "skb_clone")->flags & NT_PROBE_CLONE);
	nt_catalog_free(&c);
	if (!no_ks)
		nt_ksyms_free(&ks);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_tree),
		cmocka_unit_test(test_parse_misc),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_load),
		cmocka_unit_test_setup_teardown(test_resolve, kernel_setup, kernel_teardown),
		cmocka_unit_test_setup_teardown(test_select, kernel_setup, kernel_teardown),
		cmocka_unit_test_setup_teardown(test_print_tree, kernel_setup, kernel_teardown),
		cmocka_unit_test_setup_teardown(test_all_funcs, kernel_setup, kernel_teardown),
		cmocka_unit_test(test_real_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
