// SPDX-License-Identifier: GPL-2.0
/*
 * Event output (src/output/event.c): time stamps, stack glue skipping, drop
 * lines as text and JSON; and the JSON writer (src/output/json.c).
 */
#include <regex.h>
#include <time.h>
#include "common.h"
#include "json_check.h"
#include "output/output.h"
#include "output/json.h"

/* ---- A minimal JSON checker (RFC 8259, strings must be valid UTF-8) ---- */

static void test_json_checker(void **state)
{
	static const char *const bad[] = {
		"{\n",
		"{\"a\":}\n",
		"{\"a\":1,}\n",
		"{\"a\" 1}\n",
		"{\"a\":\"\x01\"}\n",
		"{\"a\":\"\\x\"}\n",
		"{\"a\":\"\xff\"}\n",
		"{\"a\":\"\xc0\x80\"}\n",
		"{a:1}\n",
		"{\"a\":01}\n",
		"{\"a\":[1 2]}\n",
		"{}{}\n",
		"{\"a\":\"\\u12\"}\n",
	};
	size_t i;
	const char *s;

	(void)state;
	assert_json_line("{}\n");
	assert_json_line("{\"a\":[1,-2.5e3,true,false,null,{\"b\":\"\\\"\\u0001\xc3\xa9\"}]}\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		s = bad[i];
		if (jvalue(&s, 0)) {
			jws(&s);
			if (!*s)
				fail_msg("accepted bad JSON #%zu: %s", i, bad[i]);
		}
	}
}

/* ---- Fixtures: a few kernel symbols, a few drop reasons, one event ---- */

static const struct {
	__u64 addr;
	const char *name;
} symtab[] = {
	/* sorted by address, as nt_ksyms_load leaves them */
	{0xffffffff81000000ULL, "bpf_trace_run3"},
	{0xffffffff81001000ULL, "__bpf_trace_kfree_skb"},
	{0xffffffff81002000ULL, "__traceiter_kfree_skb"},
	{0xffffffff81003000ULL, "bpf_trampoline_6442"},
	{0xffffffff81100000ULL, "kfree_skb_reason"},
	{0xffffffff81200000ULL, "tcp_v4_rcv"},
	{0xffffffff81300000ULL, "ip_local_deliver_finish"},
	{0xffffffffa0000000ULL, "bpf_prog_0123456789abcdef_drop_tp_btf"},
	{0xffffffffa0001000ULL, "bpf_prog_fedcba9876543210_tc_prog"},
};

#define PROG   0xffffffffa0000040ULL /* our program */
#define PROG2  0xffffffffa0001040ULL /* another BPF program */
#define RUN3   0xffffffff81000020ULL
#define BTRACE 0xffffffff81001020ULL
#define ITER   0xffffffff81002020ULL
#define TRAMP  0xffffffff81003020ULL
#define KFREE  0xffffffff81100010ULL
#define TCPRCV 0xffffffff81200123ULL
#define IPDELV 0xffffffff81300008ULL
#define NONAME 0xffffffff80000000ULL /* below every symbol */

static struct nt_ksym syms[ARRAY_SIZE(symtab)];
static char names[1024];
static struct nt_ksyms ksyms;

static struct nt_enum_val core_reasons[] = {
	{0, "NOT_DROPPED_YET"},
	{1, "CONSUMED"},
	{2, "NOT_SPECIFIED"},
	{3, "NO_SOCKET"},
};
static struct nt_reasons reasons = {.core = core_reasons, .ncore = ARRAY_SIZE(core_reasons)};

static const __u8 ip4_tcp_syn[] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00, 10,   0,
	0,    1,    10,	  0,	0,    2,    0x04, 0xd2, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
};

#define PKT_TEXT "TCP 10.0.0.1:1234 -> 10.0.0.2:80 seq:1 ack:0 flags:S"

static int group_setup(void **state)
{
	size_t i, off = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(symtab); i++) {
		syms[i].addr = symtab[i].addr;
		syms[i].name = off;
		strcpy(names + off, symtab[i].name);
		off += strlen(symtab[i].name) + 1;
	}
	ksyms = (struct nt_ksyms){
		.syms = syms, .n = ARRAY_SIZE(syms), .names = names, .names_len = off};
	return 0;
}

static void make_event(struct nt_event *e)
{
	memset(e, 0, sizeof(*e));
	e->ts = 12345678901ULL;
	e->kind = NT_EV_DROP;
	e->skb = 0xffff888012345678ULL;
	e->location = 0xffffffff81200010ULL;
	e->reason = 3;
	e->flags = NT_EV_HAS_REASON;
	e->pid = 42;
	e->cpu = 3;
	e->netns = 4026531840U;
	e->ifindex = 2;
	e->skb_len = 40;
	strcpy(e->comm, "curl");
	strcpy(e->ifname, "eth0");
	e->flow.l3proto = 0x0800;
	memcpy(e->data, ip4_tcp_syn, sizeof(ip4_tcp_syn));
	e->data_len = sizeof(ip4_tcp_syn);
}

struct fixture {
	struct capture cap;
	struct nt_output out;
	struct nt_event e;
	struct nt_stack st;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	capture_open(&fx->cap);
	nt_output_init(&fx->out);
	fx->out.wall_offset_ns = 0;
	fx->out.reasons = &reasons;
	fx->out.ksyms = &ksyms;
	nt_output_add(&fx->out, &nt_sink_text, fx->cap.f);
	make_event(&fx->e);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	capture_close(&fx->cap);
	free(fx);
	return 0;
}

/* Prints the fixture's event (with @st) and returns what was printed. */
static const char *drop(struct fixture *fx, const struct nt_stack *st)
{
	nt_output_drop(&fx->out, &fx->e, st);
	return capture_text(&fx->cap);
}

static void set_stack(struct nt_stack *st, const __u64 *ips, size_t n)
{
	memset(st, 0, sizeof(*st));
	memcpy(st->ips, ips, n * sizeof(*ips));
	st->len = n * sizeof(*ips);
}

/* ---- Time ---- */

static void test_time_plain(void **state)
{
	struct nt_output out = {};
	char buf[64];

	(void)state;
	nt_time_format(&out, 12345678901ULL, buf, sizeof(buf));
	assert_string_equal(buf, "12.345678");
	nt_time_format(&out, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0.000000");
	nt_time_format(&out, 999, buf, sizeof(buf));
	assert_string_equal(buf, "0.000000");
	nt_time_format(&out, 1000, buf, sizeof(buf));
	assert_string_equal(buf, "0.000001");
	nt_time_format(&out, 86400999999999ULL, buf, sizeof(buf));
	assert_string_equal(buf, "86400.999999");
	out.wall_offset_ns = 1000000000000LL; /* only used with date */
	nt_time_format(&out, 12345678901ULL, buf, sizeof(buf));
	assert_string_equal(buf, "12.345678");
}

static void test_time_date(void **state)
{
	/* Wall clock 1700000000.123456789 (2023-11-14 22:13:20 UTC) at ts 12.345678901. */
	struct nt_output out = {.date = true,
				.wall_offset_ns = 1700000000123456789LL - 12345678901LL};
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	char buf[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	nt_time_format(&out, 12345678901ULL, buf, sizeof(buf));
	assert_string_equal(buf, "2023-11-14 22:13:20.123456");

	setenv("TZ", "JST-9", 1); /* local time, whatever zone it is */
	tzset();
	nt_time_format(&out, 12345678901ULL, buf, sizeof(buf));
	assert_string_equal(buf, "2023-11-15 07:13:20.123456");

	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

static void test_time_date_now(void **state)
{
	struct nt_output out;
	struct timespec ts;
	regex_t re;
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	nt_output_init(&out);
	assert_int_equal(out.nsinks, 0);
	assert_int_equal(nt_output_add(&out, &nt_sink_text, stdout), 0);
	assert_ptr_equal(out.sinks[0].f, stdout);
	assert_false(out.detail || out.date);
	assert_null(out.reasons);
	assert_null(out.ksyms);
	out.date = true;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	nt_time_format(&out, (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec, buf, sizeof(buf));
	assert_int_equal(
		regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}$",
			REG_EXTENDED | REG_NOSUB),
		0);
	if (regexec(&re, buf, 0, NULL, 0))
		fail_msg("'%s' is not YYYY-MM-DD HH:MM:SS.uuuuuu", buf);
	regfree(&re);
	/* And it is today (or a second ago, at midnight). */
	gmtime_r(&now, &tm);
	assert_int_equal(atoi(buf), tm.tm_year + 1900);
}

/* ---- Stack glue ---- */

static void test_stack_skip(void **state)
{
	const __u64 tp[] = {PROG, RUN3, BTRACE, KFREE, TCPRCV};
	const __u64 tp_unnamed[] = {NONAME, RUN3, BTRACE, KFREE, TCPRCV};
	const __u64 fentry[] = {PROG, TRAMP, KFREE, TCPRCV};
	const __u64 iter[] = {PROG, ITER, KFREE};
	const __u64 progs_only[] = {PROG, PROG2, KFREE, TCPRCV};
	const __u64 kernel_only[] = {KFREE, TCPRCV, IPDELV};
	const __u64 prog_later[] = {PROG, RUN3, BTRACE, KFREE, PROG2, TCPRCV};
	const __u64 all_glue[] = {PROG, RUN3, BTRACE};

	(void)state;
	assert_int_equal(nt_stack_skip(&ksyms, tp, ARRAY_SIZE(tp)), 3);
	assert_int_equal(nt_stack_skip(&ksyms, tp_unnamed, ARRAY_SIZE(tp_unnamed)), 3);
	assert_int_equal(nt_stack_skip(&ksyms, fentry, ARRAY_SIZE(fentry)), 2);
	assert_int_equal(nt_stack_skip(&ksyms, iter, ARRAY_SIZE(iter)), 2);
	assert_int_equal(nt_stack_skip(&ksyms, progs_only, ARRAY_SIZE(progs_only)), 2);
	assert_int_equal(nt_stack_skip(&ksyms, kernel_only, ARRAY_SIZE(kernel_only)), 0);
	/* A BPF program further down (e.g. a tc program that dropped) is kept. */
	assert_int_equal(nt_stack_skip(&ksyms, prog_later, ARRAY_SIZE(prog_later)), 3);
	/* Nothing but glue: better everything than nothing. */
	assert_int_equal(nt_stack_skip(&ksyms, all_glue, ARRAY_SIZE(all_glue)), 0);
	assert_int_equal(nt_stack_skip(NULL, tp, ARRAY_SIZE(tp)), 0);
	assert_int_equal(nt_stack_skip(&ksyms, tp, 0), 0);
}

/* ---- Drop lines as text ---- */

static void test_drop_text(void **state)
{
	struct fixture *fx = *state;

	assert_string_equal(drop(fx, NULL),
			    "[12.345678] " PKT_TEXT " reason:NO_SOCKET tcp_v4_rcv+0x10\n");
}

static void test_drop_text_no_reason(void **state)
{
	struct fixture *fx = *state;

	fx->e.flags = 0; /* the kernel passed none */
	assert_string_equal(drop(fx, NULL), "[12.345678] " PKT_TEXT " tcp_v4_rcv+0x10\n");
}

static void test_drop_text_no_names(void **state)
{
	struct fixture *fx = *state;

	fx->out.reasons = NULL;
	fx->out.ksyms = NULL;
	fx->e.reason = 77;
	assert_string_equal(drop(fx, NULL), "[12.345678] " PKT_TEXT " 0xffffffff81200010\n");
}

static void test_drop_text_unknown_reason(void **state)
{
	struct fixture *fx = *state;

	fx->e.reason = 99;
	assert_string_equal(drop(fx, NULL),
			    "[12.345678] " PKT_TEXT " reason:UNKNOWN(99) tcp_v4_rcv+0x10\n");
}

static void test_drop_text_detail(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	fx->out.detail = true;
	text = drop(fx, NULL);
	assert_string_equal(text, "[12.345678] [skb:0xffff888012345678 cpu:3 pid:42 comm:curl "
				  "dev:eth0 ns:4026531840] " PKT_TEXT
				  " reason:NO_SOCKET tcp_v4_rcv+0x10\n");
}

static void test_drop_text_detail_no_dev(void **state)
{
	struct fixture *fx = *state;

	fx->out.detail = true;
	memset(fx->e.ifname, 0, sizeof(fx->e.ifname));
	assert_contains(drop(fx, NULL), " dev:- ns:4026531840] ");
}

static void test_drop_text_date(void **state)
{
	struct fixture *fx = *state;

	setenv("TZ", "UTC", 1);
	tzset();
	fx->out.date = true;
	fx->out.wall_offset_ns = 1700000000123456789LL - 12345678901LL;
	assert_string_equal(drop(fx, NULL), "[2023-11-14 22:13:20.123456] " PKT_TEXT
					    " reason:NO_SOCKET tcp_v4_rcv+0x10\n");
}

static void test_drop_text_stack(void **state)
{
	const __u64 ips[] = {PROG, RUN3, BTRACE, KFREE, TCPRCV, IPDELV};
	struct fixture *fx = *state;

	set_stack(&fx->st, ips, ARRAY_SIZE(ips));
	assert_string_equal(drop(fx, &fx->st),
			    "[12.345678] " PKT_TEXT " reason:NO_SOCKET tcp_v4_rcv+0x10\n"
			    "    kfree_skb_reason+0x10\n"
			    "    tcp_v4_rcv+0x123\n"
			    "    ip_local_deliver_finish+0x8\n");
}

/* bpf_get_stack() failed (negative length) or found nothing: no frames. */
static void test_drop_text_stack_empty(void **state)
{
	struct fixture *fx = *state;

	memset(&fx->st, 0, sizeof(fx->st));
	fx->st.len = -14;
	assert_string_equal(drop(fx, &fx->st),
			    "[12.345678] " PKT_TEXT " reason:NO_SOCKET tcp_v4_rcv+0x10\n");
	fx->st.len = 0;
	nt_output_drop(&fx->out, &fx->e, &fx->st);
	assert_string_equal(capture_text(&fx->cap),
			    "[12.345678] " PKT_TEXT " reason:NO_SOCKET tcp_v4_rcv+0x10\n"
			    "[12.345678] " PKT_TEXT " reason:NO_SOCKET tcp_v4_rcv+0x10\n");
}

/* Without symbols every frame is printed, in hex. */
static void test_drop_text_stack_no_ksyms(void **state)
{
	const __u64 ips[] = {PROG, KFREE};
	struct fixture *fx = *state;

	fx->out.ksyms = NULL;
	set_stack(&fx->st, ips, ARRAY_SIZE(ips));
	assert_string_equal(drop(fx, &fx->st),
			    "[12.345678] " PKT_TEXT " reason:NO_SOCKET 0xffffffff81200010\n"
			    "    0xffffffffa0000040\n"
			    "    0xffffffff81100010\n");
}

static void test_drop_text_from_socket(void **state)
{
	struct fixture *fx = *state;

	fx->e.flags |= NT_EV_FROM_SK;
	fx->e.data_len = 0;
	fx->e.flow = (struct nt_flow){.saddr = {10, 0, 0, 1},
				      .daddr = {10, 0, 0, 2},
				      .l3proto = 0x0800,
				      .l4proto = 6,
				      .sport = 1234,
				      .dport = 80};
	assert_string_equal(drop(fx, NULL), "[12.345678] TCP 10.0.0.1:1234 -> 10.0.0.2:80 "
					    "(from socket) reason:NO_SOCKET tcp_v4_rcv+0x10\n");
}

static void test_drop_text_no_headers(void **state)
{
	struct fixture *fx = *state;

	memset(&fx->e.flow, 0, sizeof(fx->e.flow));
	fx->e.data_len = 0;
	assert_string_equal(drop(fx, NULL),
			    "[12.345678] no packet headers reason:NO_SOCKET tcp_v4_rcv+0x10\n");
}

/* ---- Drop lines as JSON ---- */

static void test_drop_json(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	fx->out.sinks[0].ops = &nt_sink_json;
	text = drop(fx, NULL);
	assert_string_equal(text,
			    "{\"event\":\"drop\",\"time\":\"12.345678\",\"packet\":\"" PKT_TEXT
			    "\",\"reason\":\"NO_SOCKET\",\"location\":\"tcp_v4_rcv+0x10\"}\n");
	assert_json_line(text);
}

static void test_drop_json_no_reason(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	fx->out.sinks[0].ops = &nt_sink_json;
	fx->out.reasons = NULL;
	text = drop(fx, NULL);
	assert_json_line(text);
	assert_not_contains(text, "\"reason\"");
	assert_contains(text, "\"location\":\"tcp_v4_rcv+0x10\"");
}

static void test_drop_json_detail(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	fx->out.sinks[0].ops = &nt_sink_json;
	fx->out.detail = true;
	strcpy(fx->e.comm, "a\"b\\c");
	text = drop(fx, NULL);
	assert_json_line(text);
	assert_string_equal(text,
			    "{\"event\":\"drop\",\"time\":\"12.345678\",\"packet\":\"" PKT_TEXT
			    "\",\"reason\":\"NO_SOCKET\",\"location\":\"tcp_v4_rcv+0x10\","
			    "\"skb\":\"0xffff888012345678\",\"cpu\":3,\"pid\":42,"
			    "\"comm\":\"a\\\"b\\\\c\",\"dev\":\"eth0\",\"netns\":4026531840}\n");
}

static void test_drop_json_control_chars(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	fx->out.sinks[0].ops = &nt_sink_json;
	fx->out.detail = true;
	strcpy(fx->e.comm, "x\ty\001\177");
	text = drop(fx, NULL);
	assert_json_line(text);
	assert_contains(text, "\"comm\":\"x\\u0009y\\u0001\\u007f\"");
}

/*
 * A task can name itself with any bytes (prctl(PR_SET_NAME)): --json must
 * stay valid JSON, which is UTF-8, whatever the comm holds.
 */
static void test_drop_json_comm_not_utf8(void **state)
{
	struct fixture *fx = *state;

	fx->out.sinks[0].ops = &nt_sink_json;
	fx->out.detail = true;
	strcpy(fx->e.comm, "bad\xff\xfe");
	assert_json_line(drop(fx, NULL));
}

static void test_drop_json_stack(void **state)
{
	const __u64 ips[] = {PROG, TRAMP, KFREE, TCPRCV};
	struct fixture *fx = *state;
	const char *text;

	fx->out.sinks[0].ops = &nt_sink_json;
	set_stack(&fx->st, ips, ARRAY_SIZE(ips));
	text = drop(fx, &fx->st);
	assert_json_line(text);
	assert_string_equal(text,
			    "{\"event\":\"drop\",\"time\":\"12.345678\",\"packet\":\"" PKT_TEXT
			    "\",\"reason\":\"NO_SOCKET\",\"location\":\"tcp_v4_rcv+0x10\","
			    "\"stack\":[\"kfree_skb_reason+0x10\",\"tcp_v4_rcv+0x123\"]}\n");
}

static void test_drop_json_date(void **state)
{
	struct fixture *fx = *state;
	const char *text;

	setenv("TZ", "UTC", 1);
	tzset();
	fx->out.sinks[0].ops = &nt_sink_json;
	fx->out.date = true;
	fx->out.wall_offset_ns = 1700000000123456789LL - 12345678901LL;
	text = drop(fx, NULL);
	assert_json_line(text);
	assert_contains(text, "\"time\":\"2023-11-14 22:13:20.123456\"");
}

/* ---- The JSON writer ---- */

static void test_json_nesting(void **state)
{
	struct capture cap;
	struct json j;

	(void)state;
	capture_open(&cap);
	json_begin(&j, cap.f);
	json_str(&j, "a", "x");
	json_obj_open(&j, "o");
	json_uint(&j, "n", 1);
	json_obj_open(&j, "inner");
	json_bool(&j, "t", true);
	json_close(&j, '}');
	json_int(&j, "i", -5);
	json_close(&j, '}');
	json_arr_open(&j, "arr");
	json_str(&j, NULL, "p");
	json_str(&j, NULL, "q");
	json_close(&j, ']');
	json_bool(&j, "f", false);
	json_end(&j);
	assert_string_equal(capture_text(&cap),
			    "{\"a\":\"x\",\"o\":{\"n\":1,\"inner\":{\"t\":true},"
			    "\"i\":-5},\"arr\":[\"p\",\"q\"],\"f\":false}\n");
	assert_json_line(capture_text(&cap));
	assert_int_equal(j.depth, 0);
	capture_close(&cap);
}

static void test_json_empty_and_first(void **state)
{
	struct capture cap;
	struct json j;

	(void)state;
	capture_open(&cap);
	/* Containers as first members, empty ones, arrays of objects. */
	json_begin(&j, cap.f);
	json_arr_open(&j, "e");
	json_close(&j, ']');
	json_obj_open(&j, "o");
	json_close(&j, '}');
	json_arr_open(&j, "l");
	json_obj_open(&j, NULL);
	json_uint(&j, "a", 18446744073709551615ULL);
	json_close(&j, '}');
	json_obj_open(&j, NULL);
	json_close(&j, '}');
	json_arr_open(&j, NULL);
	json_int(&j, NULL, -9223372036854775807LL - 1);
	json_close(&j, ']');
	json_close(&j, ']');
	json_end(&j);
	/* An empty object. */
	json_begin(&j, cap.f);
	json_end(&j);
	assert_string_equal(capture_text(&cap),
			    "{\"e\":[],\"o\":{},\"l\":[{\"a\":18446744073709551615},{},"
			    "[-9223372036854775808]]}\n"
			    "{}\n");
	capture_close(&cap);
}

static void test_json_escapes(void **state)
{
	struct capture cap;
	struct json j;

	(void)state;
	capture_open(&cap);
	json_begin(&j, cap.f);
	json_str(&j, "k\"ey", "q\"b\\s/\n\r\x1f\x7f~ \xc3\xa9");
	json_end(&j);
	assert_string_equal(capture_text(&cap), "{\"k\\\"ey\":\"q\\\"b\\\\s/\\u000a\\u000d\\u001f"
						"\\u007f~ \xc3\xa9\"}\n");
	assert_json_line(capture_text(&cap));
	capture_close(&cap);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test(test_time_plain),
		cmocka_unit_test(test_time_date),
		cmocka_unit_test(test_time_date_now),
		cmocka_unit_test(test_stack_skip),
		T(test_drop_text),
		T(test_drop_text_no_reason),
		T(test_drop_text_no_names),
		T(test_drop_text_unknown_reason),
		T(test_drop_text_detail),
		T(test_drop_text_detail_no_dev),
		T(test_drop_text_date),
		T(test_drop_text_stack),
		T(test_drop_text_stack_empty),
		T(test_drop_text_stack_no_ksyms),
		T(test_drop_text_from_socket),
		T(test_drop_text_no_headers),
		T(test_drop_json),
		T(test_drop_json_no_reason),
		T(test_drop_json_detail),
		T(test_drop_json_control_chars),
		T(test_drop_json_comm_not_utf8),
		T(test_drop_json_stack),
		T(test_drop_json_date),
		cmocka_unit_test(test_json_nesting),
		cmocka_unit_test(test_json_empty_and_first),
		cmocka_unit_test(test_json_escapes),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
