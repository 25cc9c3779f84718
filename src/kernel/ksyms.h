/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel addresses to "symbol+0xoff", from /proc/kallsyms, loaded once. */
#ifndef NT_KSYMS_H
#define NT_KSYMS_H

#include <stddef.h>
#include <linux/types.h>

struct nt_ksym {
	__u64 addr;
	__u32 name; /* offset in the name pool */
};

struct nt_ksyms {
	struct nt_ksym *syms;
	size_t n;
	char *names;
	size_t names_len;
};

/* Loads a kallsyms-format file (path NULL: /proc/kallsyms). 0 or -errno. */
int nt_ksyms_load(struct nt_ksyms *ks, const char *path);
void nt_ksyms_free(struct nt_ksyms *ks);

/* The symbol containing @addr and the offset into it; NULL if none. */
const char *nt_ksyms_find(const struct nt_ksyms *ks, __u64 addr, __u64 *off);

/* "sym+0xoff", or the bare address in hex. */
void nt_ksyms_format(const struct nt_ksyms *ks, __u64 addr, char *buf, size_t len);

/* The address of a symbol by name (linear search); 0 if absent. */
__u64 nt_ksyms_addr(const struct nt_ksyms *ks, const char *name);

#endif
