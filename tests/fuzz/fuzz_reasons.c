// SPDX-License-Identifier: GPL-2.0
/*
 * Drop reason names from BTF (nt_reasons_load, nt_reason_format): the enums
 * a kernel's BTF holds, whatever their names, sizes and values.
 *
 * Input: a mode byte. 0xff: the rest is raw BTF, parsed by libbpf's btf__new.
 * Otherwise the rest describes types added with btf__add_*, one after the other:
 *   kind byte % 4: 0 enum, 1 enum64, 2 int, 3 typedef of the last type
 *   for enums: a name byte (0-4: the kernel's drop reason enums and two
 *   others, else a string), a size byte, a count byte, then per enumerator
 *   a string and a 4-byte value (8 bytes for enum64).
 *   strings: a length byte, then that many bytes.
 * The bytes after the last type are reason values to format.
 */
#include <bpf/btf.h>
#include "fuzz.h"
#include "kernel/reasons.h"

struct reader {
	const uint8_t *p;
	size_t n;
};

static bool get(struct reader *r, void *out, size_t len)
{
	if (r->n < len)
		return false;
	memcpy(out, r->p, len);
	r->p += len;
	r->n -= len;
	return true;
}

static bool get_str(struct reader *r, char *out, size_t size)
{
	__u8 len;

	if (!get(r, &len, 1))
		return false;
	len = len < size ? len : (__u8)(size - 1);
	if (!get(r, out, len))
		return false;
	out[len] = '\0';
	return true;
}

static const char *enum_name(struct reader *r, char *buf, size_t size)
{
	static const char *const names[] = {"skb_drop_reason", "skb_drop_reason_subsys",
					    "ovs_drop_reason", "mac80211_drop_reason", "tcp_state"};
	__u8 sel;

	if (!get(r, &sel, 1))
		return NULL;
	if (sel < sizeof(names) / sizeof(names[0]))
		return names[sel];
	return get_str(r, buf, size) ? buf : NULL;
}

static int add_enum(struct btf *btf, struct reader *r, bool is64)
{
	char name[64], vname[128];
	const char *n = enum_name(r, name, sizeof(name));
	__u8 sz, count, i;
	__u64 v64 = 0;
	__u32 v;
	int id;

	if (!n || !get(r, &sz, 1) || !get(r, &count, 1))
		return -1;
	id = is64 ? btf__add_enum64(btf, n, 1 << (sz & 3), sz & 4)
		  : btf__add_enum(btf, n, 1 << (sz % 3));
	for (i = 0; id > 0 && i < count; i++) {
		if (!get_str(r, vname, sizeof(vname)) ||
		    !(is64 ? get(r, &v64, sizeof(v64)) : get(r, &v, sizeof(v))))
			return -1;
		if (is64)
			btf__add_enum64_value(btf, vname, v64);
		else
			btf__add_enum_value(btf, vname, (__s32)v);
	}
	return id;
}

static struct btf *build(struct reader *r)
{
	struct btf *btf = btf__new_empty();
	int last = 0, id;
	__u8 kind;

	if (!btf)
		abort();
	while (r->n >= 4 && get(r, &kind, 1)) {
		switch (kind % 4) {
		case 0:
		case 1:
			id = add_enum(btf, r, kind % 4 == 1);
			break;
		case 2:
			id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
			break;
		default:
			id = btf__add_typedef(btf, "skb_drop_reason_t", last);
			break;
		}
		if (id < 0)
			break;
		last = id;
	}
	return btf;
}

static void check_format(const struct nt_reasons *rs, __u32 value)
{
	char buf[96];

	memset(buf, 'x', sizeof(buf));
	nt_reason_format(rs, value, buf, sizeof(buf));
	fuzz_check(strnlen(buf, sizeof(buf)) < sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = {data + 1, size ? size - 1 : 0};
	struct nt_reasons rs;
	struct btf *btf;
	size_t i;
	__u32 v;

	if (!size)
		return 0;
	if (data[0] == 0xff) {
		btf = btf__new(data + 1, (__u32)(size - 1));
		if (!btf)
			return 0;
		r.n = 0;
	} else {
		btf = build(&r);
	}
	if (nt_reasons_load(&rs, btf) == 0) {
		fuzz_check(rs.ncore > 0);
		for (i = 0; i < rs.ncore; i++) {
			check_format(&rs, rs.core[i].value);
			fuzz_check(nt_reason_value(&rs, rs.core[i].name) >= 0);
		}
		for (i = 0; i < rs.nsub; i++)
			check_format(&rs, rs.sub[i].value);
		for (i = 0; i < rs.nsubsys; i++)
			check_format(&rs, rs.subsys[i].value << 16 | 1);
		while (get(&r, &v, sizeof(v)))
			check_format(&rs, v);
		nt_reasons_free(&rs);
	}
	btf__free(btf);
	return 0;
}
