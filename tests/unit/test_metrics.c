// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics (src/metrics/): text exposition, label escaping, the series cap
 * with its "other" series, forgetting a namespace's series, --metrics parsing.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include "common.h"
#include "metrics/addr.h"
#include "metrics/metrics.h"

#define L(...) ((const char *const[]){__VA_ARGS__})

/* The exposition of @m, in a buffer the caller frees. */
static char *expo(const struct nt_metric *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	nt_metric_write(m, f);
	fclose(f);
	return buf;
}

static void test_exposition(void **state)
{
	struct nt_metric m;
	char *t;

	(void)state;
	nt_metric_init(&m, "nettrace_drops_total", "Packets dropped.", NT_COUNTER, 10,
		       L("reason", "netns", NULL));
	assert_int_equal(nt_metric_add(&m, L("NO_SOCKET", "4026531840"), 3), 0);
	assert_int_equal(nt_metric_add(&m, L("NO_SOCKET", "4026531840"), 2), 0);
	assert_int_equal(nt_metric_add(&m, L("NETFILTER_DROP", "4026531841"), 1), 0);
	t = expo(&m);
	assert_string_equal(
		t, "# HELP nettrace_drops_total Packets dropped.\n"
		   "# TYPE nettrace_drops_total counter\n"
		   "nettrace_drops_total{reason=\"NO_SOCKET\",netns=\"4026531840\"} 5\n"
		   "nettrace_drops_total{reason=\"NETFILTER_DROP\",netns=\"4026531841\"} 1\n");
	free(t);
	nt_metric_free(&m);
}

static void test_unlabelled_and_values(void **state)
{
	struct nt_metric m;
	char *t;

	(void)state;
	nt_metric_init(&m, "nettrace_namespaces_watched", "Watched.", NT_GAUGE, 10, NULL);
	t = expo(&m);
	/* A family without labels always has its one series, 0 until set. */
	assert_contains(
		t, "# TYPE nettrace_namespaces_watched gauge\nnettrace_namespaces_watched 0\n");
	free(t);
	nt_metric_set(&m, NULL, 12);
	nt_metric_set(&m, NULL, 7);
	t = expo(&m);
	assert_contains(t, "\nnettrace_namespaces_watched 7\n");
	free(t);
	nt_metric_set(&m, NULL, 0.25);
	t = expo(&m);
	assert_contains(t, "\nnettrace_namespaces_watched 0.25\n");
	free(t);
	nt_metric_set(&m, NULL, 1e17);
	t = expo(&m);
	assert_contains(t, "\nnettrace_namespaces_watched 1e+17\n");
	free(t);
	nt_metric_free(&m);
}

static void test_escaping(void **state)
{
	struct nt_metric m;
	char *t;

	(void)state;
	nt_metric_init(&m, "nettrace_nft_rule_drops_total", "Rule \\ drops\nby rule.", NT_COUNTER,
		       10, L("rule", NULL));
	nt_metric_add(&m, L("meta mark \"x\" drop \\ comment\nnext"), 1);
	nt_metric_add(&m, L(""), 1);
	t = expo(&m);
	assert_contains(t, "# HELP nettrace_nft_rule_drops_total Rule \\\\ drops\\nby rule.\n");
	assert_contains(t, "{rule=\"meta mark \\\"x\\\" drop \\\\ comment\\nnext\"} 1\n");
	assert_contains(t, "{rule=\"\"} 1\n");
	free(t);
	nt_metric_free(&m);
}

/* Past the cap, new label sets share the "other" series; the old ones keep theirs. */
static void test_cap_other(void **state)
{
	char name[16], *t;
	struct nt_metric m;
	int i;

	(void)state;
	nt_metric_init(&m, "nettrace_drops_total", "x", NT_COUNTER, 4,
		       L("device", "protocol", NULL));
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "veth%d", i);
		assert_int_equal(nt_metric_add(&m, L(name, "udp"), 1), 0);
	}
	assert_int_equal(m.n, 4);
	assert_int_equal(m.overflow, 7);
	nt_metric_add(&m, L("veth0", "udp"), 10);
	t = expo(&m);
	assert_contains(t, "{device=\"veth0\",protocol=\"udp\"} 11\n");
	assert_contains(t, "{device=\"veth2\",protocol=\"udp\"} 1\n");
	assert_contains(t, "{device=\"other\",protocol=\"other\"} 7\n");
	assert_not_contains(t, "veth3");
	free(t);
	nt_metric_free(&m);
}

static void test_forget(void **state)
{
	struct nt_metric m;
	char *t;

	(void)state;
	nt_metric_init(&m, "nettrace_drops_total", "x", NT_COUNTER, 10, L("netns", "device", NULL));
	nt_metric_add(&m, L("1", "a"), 1);
	nt_metric_add(&m, L("2", "a"), 1);
	nt_metric_add(&m, L("1", "b"), 1);
	nt_metric_add(&m, L("3", "1"), 1);
	assert_int_equal(nt_metric_forget(&m, "netns", "1"), 2);
	assert_int_equal(nt_metric_forget(&m, "netns", "1"), 0);
	assert_int_equal(nt_metric_forget(&m, "nolabel", "2"), 0);
	t = expo(&m);
	assert_not_contains(t, "netns=\"1\"");
	assert_contains(t, "{netns=\"2\",device=\"a\"} 1\n");
	assert_contains(t, "{netns=\"3\",device=\"1\"} 1\n");
	free(t);
	/* Room is made again: a new series, not "other". */
	nt_metric_add(&m, L("4", "a"), 1);
	t = expo(&m);
	assert_contains(t, "{netns=\"4\",device=\"a\"} 1\n");
	free(t);
	nt_metric_free(&m);
}

static void test_listen_parse(void **state)
{
	struct sockaddr_in6 *s6;
	struct sockaddr_in *s4;
	struct nt_listen l;
	char err[160], a[64];

	(void)state;
	assert_int_equal(nt_listen_parse("9100", &l, err, sizeof(err)), 0);
	s6 = (struct sockaddr_in6 *)&l.ss;
	assert_true(l.set && l.any);
	assert_int_equal(s6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(s6->sin6_port), 9100);
	assert_int_equal(nt_listen_parse(":80", &l, err, sizeof(err)), 0);
	assert_true(l.any);
	assert_int_equal(nt_listen_parse("127.0.0.1:9810", &l, err, sizeof(err)), 0);
	s4 = (struct sockaddr_in *)&l.ss;
	assert_false(l.any);
	assert_int_equal(s4->sin_family, AF_INET);
	assert_int_equal(ntohs(s4->sin_port), 9810);
	assert_string_equal(inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a)), "127.0.0.1");
	assert_string_equal(l.text, "127.0.0.1:9810");
	assert_int_equal(nt_listen_parse("[::1]:65535", &l, err, sizeof(err)), 0);
	s6 = (struct sockaddr_in6 *)&l.ss;
	assert_int_equal(ntohs(s6->sin6_port), 65535);
	assert_string_equal(inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a)), "::1");

	static const char *const bad[] = {
		"",	      "0",	"65536",	"abc",	 "9100x",   "-1",
		"1.2.3:80",   "::1:80", "localhost:80", "[::1]", "[::1]80", "[1.2.3.4]:80",
		"127.0.0.1:", "[::1]:0"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		assert_int_equal(nt_listen_parse(bad[i], &l, err, sizeof(err)), -1);
		assert_false(l.set);
		assert_contains(err, bad[i]);
		assert_contains(err, "e.g. 9100");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exposition), cmocka_unit_test(test_unlabelled_and_values),
		cmocka_unit_test(test_escaping),   cmocka_unit_test(test_cap_other),
		cmocka_unit_test(test_forget),	   cmocka_unit_test(test_listen_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
