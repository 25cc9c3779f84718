// SPDX-License-Identifier: GPL-2.0
/*
 * nt_record_decode() on records built here as the BPF programs write them:
 * each section into its field of struct nt_event, sections of an unknown
 * type skipped, and every malformed record refused without a read past its
 * end (each decode gets an exact-size heap copy, for valgrind/ASan).
 */
#include <errno.h>
#include "common.h"
#include "record/record.h"

/* A record under construction. */
struct rec {
	__u8 b[1024];
	size_t len;
};

static void rec_header(struct rec *r, __u8 kind, __u16 flags)
{
	struct nt_rec h = {
		.ts = 1000,
		.skb = 0xffff888800001000ULL,
		.group = 77,
		.pid = 42,
		.cpu = 1,
		.netns = 4026531840U,
		.ifindex = 3,
		.skb_len = 60,
		.probe = 9,
		.flags = flags,
		.kind = kind,
		.flow = { .l3proto = 0x0800, .l4proto = 17, .sport = 1234, .dport = 53 },
	};

	memcpy(h.comm, "ping", 5);
	memcpy(h.ifname, "veth0", 6);
	memcpy(r->b, &h, sizeof(h));
	r->len = sizeof(h);
}

/* Appends a section of @size bytes whose header says @type and @len. */
static void *rec_add(struct rec *r, void *sec, size_t size, __u8 type, __u16 len)
{
	struct nt_sec *h = sec;
	void *at = r->b + r->len;

	h->type = type;
	h->pad = 0;
	h->len = len;
	assert_true(r->len + size <= sizeof(r->b));
	memcpy(at, sec, size);
	r->len += size;
	((struct nt_rec *)r->b)->nsec++;
	return at;
}

#define ADD(r, sec, type) rec_add(r, &(sec), sizeof(sec), type, sizeof(sec))

/* Decodes an exact-size copy of @r. */
static int decode(const struct rec *r, size_t len, struct nt_event *e, struct nt_stack *st)
{
	unsigned char *copy = exact_copy(r->b, len);
	int ret;

	memset(e, 0xa5, sizeof(*e)); /* nothing may be left over */
	ret = nt_record_decode(copy, len, e, st);
	free(copy);
	return ret;
}

static void test_header_only(void **state)
{
	struct nt_event e;
	struct rec r;

	(void)state;
	rec_header(&r, NT_EV_TRACE, NT_EV_TRACKED);
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);
	assert_int_equal(e.ts, 1000);
	assert_int_equal(e.skb, 0xffff888800001000ULL);
	assert_int_equal(e.group, 77);
	assert_int_equal(e.pid, 42);
	assert_int_equal(e.cpu, 1);
	assert_int_equal(e.netns, 4026531840U);
	assert_int_equal(e.ifindex, 3);
	assert_int_equal(e.skb_len, 60);
	assert_int_equal(e.probe, 9);
	assert_int_equal(e.kind, NT_EV_TRACE);
	assert_int_equal(e.flags, NT_EV_TRACKED);
	assert_string_equal(e.comm, "ping");
	assert_string_equal(e.ifname, "veth0");
	assert_int_equal(e.flow.dport, 53);
	assert_int_equal(e.sections, 0);
	assert_int_equal(e.data_len, 0);
	assert_int_equal(e.link_type, NT_LINK_NONE);
	assert_int_equal(e.nf.ctinfo, NT_NO_CT);
	assert_int_equal(e.retval, 0);
	assert_int_equal(e.location, 0);
}

static void test_packet(void **state)
{
	struct nt_sec_packet pk = { .link_type = 1, .nh_off = 14, .len = 42 };
	struct nt_event e;
	struct rec r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pk.data); i++)
		pk.data[i] = (__u8)i;
	rec_header(&r, NT_EV_TRACE, 0);
	ADD(&r, pk, NT_SEC_PACKET);
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);
	assert_int_equal(e.sections, NT_HAS(NT_SEC_PACKET));
	assert_int_equal(e.link_type, 1);
	assert_int_equal(e.nh_off, 14);
	assert_int_equal(e.data_len, 42);
	assert_memory_equal(e.data, pk.data, 42);
	assert_int_equal(e.data[42], 0); /* not copied past the captured bytes */

	/* More bytes than a snap holds, or a network header past them: refused. */
	pk.len = NT_SNAP_BYTES + 1;
	rec_header(&r, NT_EV_TRACE, 0);
	ADD(&r, pk, NT_SEC_PACKET);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	pk.len = 10;
	rec_header(&r, NT_EV_TRACE, 0);
	ADD(&r, pk, NT_SEC_PACKET);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
}

static void test_nf_and_ct(void **state)
{
	struct nt_sec_nf nf = { .pf = 2, .hook = 1, .where = NT_NF_LAST, .in_ifindex = 4,
				.out_ifindex = 5 };
	struct nt_sec_ct ct = { .ctinfo = 2, .zone = 7, .status = 0x188, .mark = 0x42 };
	struct nt_event e;
	struct rec r;

	(void)state;
	memcpy(nf.in, "r0", 3);
	memcpy(nf.out, "r1", 3);
	ct.orig.sport = 1111;
	ct.orig.l3num = 2;
	ct.reply.dport = 2222;

	/* Without a conntrack entry. */
	rec_header(&r, NT_EV_NFHOOK, 0);
	ADD(&r, nf, NT_SEC_NF);
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);
	assert_int_equal(e.sections, NT_HAS(NT_SEC_NF));
	assert_int_equal(e.nf.pf, 2);
	assert_int_equal(e.nf.hook, 1);
	assert_int_equal(e.nf.where, NT_NF_LAST);
	assert_int_equal(e.nf.in_ifindex, 4);
	assert_int_equal(e.nf.out_ifindex, 5);
	assert_string_equal(e.nf.in, "r0");
	assert_string_equal(e.nf.out, "r1");
	assert_int_equal(e.nf.ctinfo, NT_NO_CT);
	assert_int_equal(e.nf.ct_status, 0);

	/* With one. */
	ADD(&r, ct, NT_SEC_CT);
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);
	assert_int_equal(e.sections, NT_HAS(NT_SEC_NF) | NT_HAS(NT_SEC_CT));
	assert_int_equal(e.nf.ctinfo, 2);
	assert_int_equal(e.nf.ct_zone, 7);
	assert_int_equal(e.nf.ct_status, 0x188);
	assert_int_equal(e.nf.ct_mark, 0x42);
	assert_int_equal(e.nf.orig.sport, 1111);
	assert_int_equal(e.nf.orig.l3num, 2);
	assert_int_equal(e.nf.reply.dport, 2222);
	assert_string_equal(e.nf.in, "r0");

	/* A hook event must say which hook. */
	rec_header(&r, NT_EV_NFHOOK, 0);
	ADD(&r, ct, NT_SEC_CT);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
}

static void test_sock(void **state)
{
	struct nt_sec_sock sk = { .sk = { .family = 10, .state = 1, .protocol = 6, .type = 1,
					  .sport = 443, .dport = 50000 } };
	struct nt_event e;
	struct rec r;

	(void)state;
	sk.sk.saddr[15] = 1;
	sk.sk.daddr[15] = 2;
	rec_header(&r, NT_EV_DROP, 0);
	ADD(&r, sk, NT_SEC_SOCK);
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);
	assert_int_equal(e.sections, NT_HAS(NT_SEC_SOCK));
	assert_int_equal(e.sock.family, 10);
	assert_int_equal(e.sock.state, 1);
	assert_int_equal(e.sock.protocol, 6);
	assert_int_equal(e.sock.type, 1);
	assert_int_equal(e.sock.sport, 443);
	assert_int_equal(e.sock.dport, 50000);
	assert_int_equal(e.sock.saddr[15], 1);
	assert_int_equal(e.sock.daddr[15], 2);
}

static void test_drop_ret_stack(void **state)
{
	struct nt_sec_drop d = { .reason = 5, .location = 0xffffffff81000010ULL };
	struct nt_sec_ret rv = { .retval = -22 };
	struct nt_sec_stack sk = { .len = 3 * 8, .ips = { 1, 2, 3 } };
	struct nt_stack st;
	struct nt_event e;
	struct rec r;

	(void)state;
	rec_header(&r, NT_EV_DROP, NT_EV_HAS_REASON | NT_EV_HAS_STACK | NT_EV_HAS_RET);
	ADD(&r, d, NT_SEC_DROP);
	ADD(&r, rv, NT_SEC_RET);
	ADD(&r, sk, NT_SEC_STACK);
	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(decode(&r, r.len, &e, &st), 0);
	assert_int_equal(e.sections,
			 NT_HAS(NT_SEC_DROP) | NT_HAS(NT_SEC_RET) | NT_HAS(NT_SEC_STACK));
	assert_int_equal(e.reason, 5);
	assert_int_equal(e.location, 0xffffffff81000010ULL);
	assert_int_equal(e.retval, -22);
	assert_int_equal(st.len, 24);
	assert_int_equal(st.ips[0], 1);
	assert_int_equal(st.ips[2], 3);

	/* No room given for the stack: skipped. */
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);

	/* bpf_get_stack() failed: no frames. */
	sk.len = -14;
	rec_header(&r, NT_EV_DROP, NT_EV_HAS_STACK);
	ADD(&r, sk, NT_SEC_STACK);
	assert_int_equal(decode(&r, r.len, &e, &st), 0);
	assert_true(st.len < 0);

	/* Flags that promise a section the record does not carry. */
	rec_header(&r, NT_EV_DROP, NT_EV_HAS_REASON);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	rec_header(&r, NT_EV_TRACE, NT_EV_CLONE);
	ADD(&r, d, NT_SEC_DROP);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	rec_header(&r, NT_EV_DROP, NT_EV_HAS_STACK);
	assert_int_equal(decode(&r, r.len, &e, &st), -EBADMSG);
}

/* Every record cut short is refused, never read past its end. */
static void test_truncated(void **state)
{
	struct nt_sec_packet pk = { .link_type = NT_LINK_NONE, .len = 20 };
	struct nt_sec_drop d = { .reason = 5 };
	struct nt_sec_sock sk = { .sk = { .family = 2 } };
	struct nt_event e;
	struct rec r;
	size_t len;

	(void)state;
	rec_header(&r, NT_EV_DROP, NT_EV_HAS_REASON);
	ADD(&r, pk, NT_SEC_PACKET);
	ADD(&r, d, NT_SEC_DROP);
	ADD(&r, sk, NT_SEC_SOCK);
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);
	/* Cut between two sections too: fewer sections than the header says. */
	for (len = 0; len < r.len; len++)
		if (decode(&r, len, &e, NULL) != -EBADMSG)
			fail_msg("a record cut to %zu of %zu bytes decoded", len, r.len);
	assert_int_equal(nt_record_decode(NULL, 128, &e, NULL), -EBADMSG);
}

/* A section of a type this build does not know is skipped, whatever its length. */
static void test_unknown_type(void **state)
{
	struct nt_sec_drop d = { .reason = 9 };
	struct {
		struct nt_sec h;
		__u8 body[20];
	} odd = { .body = { 0xff } };
	struct nt_event e;
	struct rec r;

	(void)state;
	rec_header(&r, NT_EV_DROP, NT_EV_HAS_REASON);
	ADD(&r, odd, NT_SEC_TYPES);
	ADD(&r, d, NT_SEC_DROP);
	ADD(&r, odd, 200);
	assert_int_equal(decode(&r, r.len, &e, NULL), 0);
	assert_int_equal(e.sections, NT_HAS(NT_SEC_DROP));
	assert_int_equal(e.reason, 9);
}

/* Section lengths that do not fit: past the record, below a header, below the type's size. */
static void test_bad_lengths(void **state)
{
	struct nt_sec_drop d = { .reason = 9 };
	struct nt_sec tiny = {};
	struct nt_event e;
	struct rec r;

	(void)state;
	/* Runs past the end of the record. */
	rec_header(&r, NT_EV_DROP, 0);
	rec_add(&r, &d, sizeof(d), NT_SEC_DROP, sizeof(d) + 8);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	/* An unknown type running past the end is not skipped over the edge. */
	rec_header(&r, NT_EV_DROP, 0);
	rec_add(&r, &d, sizeof(d), 99, 0xffff);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	/* Shorter than a section header (would loop, or step backwards). */
	rec_header(&r, NT_EV_DROP, 0);
	rec_add(&r, &tiny, sizeof(tiny), 99, 0);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	/* Shorter than its type. */
	rec_header(&r, NT_EV_DROP, 0);
	rec_add(&r, &d, sizeof(d), NT_SEC_DROP, sizeof(d) - 8);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	/* Trailing bytes too few for a section header. */
	rec_header(&r, NT_EV_DROP, 0);
	r.len += 2;
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	/* More sections than the header says. */
	rec_header(&r, NT_EV_DROP, 0);
	ADD(&r, d, NT_SEC_DROP);
	((struct nt_rec *)r.b)->nsec = 0;
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
	/* A known section twice. */
	rec_header(&r, NT_EV_DROP, 0);
	ADD(&r, d, NT_SEC_DROP);
	ADD(&r, d, NT_SEC_DROP);
	assert_int_equal(decode(&r, r.len, &e, NULL), -EBADMSG);
}

/* The wire sizes the bytes-per-event figures (bench/RESULTS.md) are computed from. */
static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct nt_rec), 128);
	assert_int_equal(sizeof(struct nt_sec_packet), 136);
	assert_int_equal(sizeof(struct nt_sec_nf), 48);
	assert_int_equal(sizeof(struct nt_sec_ct), 96);
	assert_int_equal(sizeof(struct nt_sec_sock), 48);
	assert_int_equal(sizeof(struct nt_sec_drop), 16);
	assert_int_equal(sizeof(struct nt_sec_ret), 16);
	assert_int_equal(sizeof(struct nt_sec_stack), 264);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_only),   cmocka_unit_test(test_packet),
		cmocka_unit_test(test_nf_and_ct),     cmocka_unit_test(test_sock),
		cmocka_unit_test(test_drop_ret_stack), cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_unknown_type),  cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
