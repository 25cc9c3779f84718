// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing backends (src/probe/plan.c): what a kernel's backends and their
 * argument reach let a run attach, and what -t ? then says beside the rest.
 * Pure logic: the catalog's resolved fields and the features are set by hand.
 */
#include "common.h"
#include "catalog/catalog.h"
#include "output/catalog.h"
#include "probe/attach.h"

static const char text[] = "g\n"
			   "  tp   cat:tp0\n"
			   "  tp   cat:tp7\n"
			   "  func f0          ret=errno\n"
			   "  func f4\n"
			   "  func f5\n"
			   "  func f6\n"
			   "  func f7\n"
			   "  func f_many      ret=errno\n"
			   "  func f_clone     clone ret=ptr\n"
			   "  func f_off5      off\n"
			   "  func f_gone\n";

/* name, skb position, number of arguments, returns void */
static const struct {
	const char *name;
	int arg, nargs;
	bool ret_void;
} shapes[] = {
	{"cat:tp0", 0, 2, true}, {"cat:tp7", 7, 8, true}, {"f0", 0, 2, false},
	{"f4", 4, 5, true},	 {"f5", 5, 6, true},	  {"f6", 6, 7, true},
	{"f7", 7, 8, true},	 {"f_many", 1, 7, false}, {"f_clone", 0, 7, false},
	{"f_off5", 5, 6, true},
};

static struct nt_probe *probe(struct nt_catalog *c, const char *name)
{
	int i = nt_catalog_find(c, name);

	if (i < 0)
		fail_msg("no probe %s", name);
	return &c->probes[i];
}

/* The catalog as resolved on a kernel that has all but f_gone, default selection. */
static void make(struct nt_catalog *c)
{
	char err[128];
	size_t i;

	assert_int_equal(nt_catalog_parse(c, text, err, sizeof(err)), 0);
	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		struct nt_probe *p = probe(c, shapes[i].name);

		p->available = true;
		p->arg = shapes[i].arg;
		p->nargs = shapes[i].nargs;
		p->ret_void = shapes[i].ret_void;
	}
	probe(c, "f_gone")->why = NT_WHY_NO_BTF;
	assert_int_equal(nt_catalog_select(c, NULL, NULL, err, sizeof(err)), 0);
}

static struct nt_features features(bool fentry, bool multi, bool kprobe, bool tp)
{
	struct nt_features f = {};

	f.ok[NT_BACKEND_FENTRY] = fentry;
	f.ok[NT_BACKEND_KPROBE_MULTI] = multi;
	f.ok[NT_BACKEND_KPROBE] = kprobe;
	f.ok[NT_BACKEND_TRACEPOINT] = tp;
	snprintf(f.why[NT_BACKEND_FENTRY], sizeof(f.why[0]), "blocked (EPERM)");
	snprintf(f.why[NT_BACKEND_KPROBE], sizeof(f.why[0]), "not in this kernel");
	snprintf(f.why[NT_BACKEND_KPROBE_MULTI], sizeof(f.why[0]), "not in this kernel");
	snprintf(f.why[NT_BACKEND_TRACEPOINT], sizeof(f.why[0]), "blocked (EPERM)");
	nt_features_explain(&f);
	return f;
}

static size_t enabled(const struct nt_catalog *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nprobes; i++)
		n += c->probes[i].enabled;
	return n;
}

/* The tree's count line, as -t ? prints it. */
static void assert_count(struct nt_catalog *c, const char *line)
{
	struct capture out;

	capture_open(&out);
	nt_catalog_print_tree(c, out.f);
	assert_contains(capture_text(&out), line);
	capture_close(&out);
}

/* One planning: the catalog of make(), these features, --backend and --ret. */
struct run {
	struct nt_features f;
	struct nt_attached a;
	struct nt_catalog c;
	nt_plan_t *plan;
};

static void plan_run(struct run *r, struct nt_features f, int forced, bool want_ret)
{
	char err[128];

	memset(r, 0, sizeof(*r));
	r->f = f;
	make(&r->c);
	r->plan = calloc(r->c.nprobes, sizeof(*r->plan));
	assert_non_null(r->plan);
	assert_int_equal(nt_plan(&r->c, &r->f, forced, want_ret, r->plan, &r->a, err, sizeof(err)),
			 0);
}

static void run_free(struct run *r)
{
	free(r->plan);
	nt_catalog_free(&r->c);
}

static nt_plan_t plan_for(struct run *r, const char *name)
{
	return r->plan[nt_catalog_find(&r->c, name)];
}

/* This host: tracepoints only. Functions are [-] with the kernel's reasons, not failures. */
static void test_no_function_backend(void **state)
{
	struct run r;

	(void)state;
	plan_run(&r, features(false, false, false, true), -1, false);
	assert_int_equal(plan_for(&r, "cat:tp0"), NT_BACKEND_TRACEPOINT);
	assert_int_equal(plan_for(&r, "f0"), NT_BACKEND_COUNT);
	assert_false(probe(&r.c, "f0")->available);
	assert_false(probe(&r.c, "f0")->enabled);
	assert_string_equal(probe(&r.c, "f0")->why, "no function backend here (kprobes: not in "
						    "this kernel; fentry: blocked (EPERM))");
	assert_false(probe(&r.c, "f_off5")->available);
	assert_string_equal(probe(&r.c, "f_gone")->why, NT_WHY_NO_BTF);
	/* tp7: past what tp_btf reads; enabled, so a failure the start-up line names */
	assert_false(probe(&r.c, "cat:tp7")->available);
	assert_contains(probe(&r.c, "cat:tp7")->why, "tp_btf read the first 7");
	assert_int_equal(r.a.failed, 1);
	assert_contains(r.a.first_failure, "cat:tp7: ");
	assert_int_equal(enabled(&r.c), 1);
	assert_count(&r.c, "\n1 of 11 probes available, 1 enabled\n");
	run_free(&r);
}

/* Everything works: each function gets the first backend that can read it. */
static void test_all_backends(void **state)
{
	struct run r;

	(void)state;
	plan_run(&r, features(true, true, true, true), -1, false);
	assert_int_equal(plan_for(&r, "f5"), NT_BACKEND_FENTRY);
	assert_int_equal(plan_for(&r, "f6"), NT_BACKEND_FENTRY); /* slot 6 is read */
	assert_int_equal(plan_for(&r, "f7"), NT_BACKEND_COUNT);
	assert_contains(probe(&r.c, "f7")->why, "fentry and tp_btf read the first 7");
	assert_int_equal(plan_for(&r, "f_many"), NT_BACKEND_FENTRY); /* no --ret */
	/* clone: fexit reads the new skb, in the slot after 7 arguments: kprobe-multi can */
	assert_int_equal(plan_for(&r, "f_clone"), NT_BACKEND_KPROBE_MULTI);
	assert_int_equal(plan_for(&r, "f_off5"), NT_BACKEND_COUNT); /* not enabled */
	assert_true(probe(&r.c, "f_off5")->available);
	assert_int_equal(r.a.failed, 2); /* tp7, f7 */
	assert_count(&r.c, "\n8 of 11 probes available, 7 enabled\n");
	run_free(&r);

	/* --ret: f_many's return value is past fexit's reach; kprobe-multi reads it. */
	plan_run(&r, features(true, true, true, true), -1, true);
	assert_int_equal(plan_for(&r, "f0"), NT_BACKEND_FENTRY);
	assert_int_equal(plan_for(&r, "f_many"), NT_BACKEND_KPROBE_MULTI);
	assert_true(nt_plan_needs_kprobes(&r.c, r.plan));
	run_free(&r);
}

/* --backend kprobe: five registers; tracepoints left out by choice, not failures. */
static void test_forced_kprobe(void **state)
{
	struct run r;

	(void)state;
	plan_run(&r, features(true, true, true, true), NT_BACKEND_KPROBE, false);
	assert_int_equal(plan_for(&r, "f4"), NT_BACKEND_KPROBE);
	assert_int_equal(plan_for(&r, "f5"), NT_BACKEND_COUNT);
	assert_string_equal(probe(&r.c, "f5")->why,
			    "the skb is argument 6 or later: kprobes read the first 5 (registers)");
	assert_string_equal(probe(&r.c, "f_off5")->why, probe(&r.c, "f5")->why);
	assert_int_equal(plan_for(&r, "cat:tp0"), NT_BACKEND_COUNT);
	assert_string_equal(probe(&r.c, "cat:tp0")->why, "--backend: functions only");
	/* f5, f6, f7 enabled and refused for their arguments; tp0, tp7 and f_off5 not counted */
	assert_int_equal(r.a.failed, 3);
	assert_contains(r.a.first_failure, "f5: the skb is argument 6");
	assert_count(&r.c, "\n4 of 11 probes available, 4 enabled\n");
	run_free(&r);
}

static void test_forced_tracepoint_and_refused(void **state)
{
	struct nt_features f = features(false, false, false, true);
	struct nt_attached a = {};
	struct nt_catalog c;
	nt_plan_t plan[16];
	char err[128];
	struct run r;

	(void)state;
	plan_run(&r, f, NT_BACKEND_TRACEPOINT, false);
	assert_string_equal(probe(&r.c, "f0")->why, "--backend tracepoint: tracepoints only");
	assert_int_equal(plan_for(&r, "cat:tp0"), NT_BACKEND_TRACEPOINT);
	assert_false(nt_plan_needs_kprobes(&r.c, r.plan));
	run_free(&r);

	make(&c);
	assert_int_equal(nt_plan(&c, &f, NT_BACKEND_FENTRY, false, plan, &a, err, sizeof(err)), -1);
	assert_string_equal(err, "--backend fentry: blocked (EPERM)");
	nt_catalog_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_function_backend),
		cmocka_unit_test(test_all_backends),
		cmocka_unit_test(test_forced_kprobe),
		cmocka_unit_test(test_forced_tracepoint_and_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
