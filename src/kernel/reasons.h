/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drop reason names from the running kernel's BTF (enum skb_drop_reason),
 * never from a table of ours: the enum changes with every kernel release.
 */
#ifndef NT_REASONS_H
#define NT_REASONS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct btf;

struct nt_enum_val {
	__u32 value;
	const char *name; /* points into the BTF's strings, prefix stripped */
};

struct nt_reasons {
	struct nt_enum_val *core; /* enum skb_drop_reason */
	size_t ncore;
	struct nt_enum_val *subsys; /* enum skb_drop_reason_subsys */
	size_t nsubsys;
	struct nt_enum_val *sub; /* enumerators of the subsystems' own *drop_reason enums */
	size_t nsub;
};

/* Reads the enums from @btf. Returns 0, or -ENOENT when the kernel has no drop reasons. */
int nt_reasons_load(struct nt_reasons *r, const struct btf *btf);
void nt_reasons_free(struct nt_reasons *r);

/* The value of a reason by its name without prefix (e.g. "CONSUMED"); -1 if unknown. */
long nt_reason_value(const struct nt_reasons *r, const char *name);

/* "NO_SOCKET"; a subsystem's reason as "SUBSYS/NAME" or "SUBSYS/0xCODE"; else "UNKNOWN(N)". */
void nt_reason_format(const struct nt_reasons *r, __u32 value, char *buf, size_t len);

#endif
