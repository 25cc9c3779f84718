/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook inventory's record: what the BPF_PROG_TYPE_SYSCALL program
 * (src/bpf/nf_inventory.bpf.c) reads of each registered netfilter hook entry
 * and writes to an array map, for the user side (src/netfilter/inventory/).
 */
#ifndef NT_RECORD_INVENTORY_H
#define NT_RECORD_INVENTORY_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define NT_HOOK_MAX_RECS    1024 /* records one run can return */
#define NT_HOOK_MAX_ENTRIES 64	 /* entries read per hook point */
#define NT_HOOK_MAX_NESTED  8	 /* chains read behind one nat entry */
#define NT_HOOK_NAMELEN	    64
#define NT_HOOK_MAX_PRIVS   4096 /* hook function addresses whose priv is read */

/* The hook arrays of struct netns_nf, in the order they are walked. */
enum nt_hook_family {
	NT_HF_IPV4 = 0, /* hooks_ipv4[NF_INET_NUMHOOKS] */
	NT_HF_IPV6,	/* hooks_ipv6[NF_INET_NUMHOOKS] */
	NT_HF_ARP,	/* hooks_arp[NF_ARP_NUMHOOKS], CONFIG_NETFILTER_FAMILY_ARP */
	NT_HF_BRIDGE,	/* hooks_bridge[NF_INET_NUMHOOKS], CONFIG_NETFILTER_FAMILY_BRIDGE */
	NT_HF_N,
};

#define NT_HOOK_SLOTS 5 /* hook points per family, at most */

/* What the kernel side reads behind an entry's priv; chosen by hook function address. */
enum nt_hook_privkind {
	NT_PRIV_NONE = 0,
	NT_PRIV_NFT_CHAIN = 1, /* struct nft_chain: name, table->name, table->family */
	NT_PRIV_XT_TABLE = 2,  /* struct xt_table: name */
	NT_PRIV_BPF_PROG = 3,  /* struct bpf_prog: aux->id, aux->name; the bpf_nf_link's id */
	NT_PRIV_NAT = 4,       /* struct nf_nat_lookup_hook_priv: nested nf_hook_entries */
};

enum nt_hook_rec_flags {
	NT_HR_PRIORITY = 1 << 0, /* priority read from the entry's nf_hook_ops */
	NT_HR_OPS_TYPE = 1 << 1, /* ops_type read (nf_hook_ops.hook_ops_type, 6.4+) */
	NT_HR_NAMES = 1 << 2,	 /* table/chain (or prog) read behind priv */
	NT_HR_NFT_FAMILY = 1 << 3,
	NT_HR_PROG_ID = 1 << 4,
	NT_HR_LINK_ID = 1 << 5,
	NT_HR_NESTED = 1 << 6,	  /* a nat entry whose nested entries follow (depth 1) */
	NT_HR_NO_TYPE = 1 << 7,	  /* priv's type is not in this kernel's BTF: names unknown */
	NT_HR_TRUNCATED = 1 << 8, /* more entries than were read */
};

/* One hook entry as read in the kernel (array map nt_hook_recs, nrecs of them). */
struct nt_hook_rec {
	__u64 fn;   /* hooks[i].hook: the hook function's address */
	__u64 priv; /* hooks[i].priv */
	__s32 priority;
	__u32 flags;	 /* enum nt_hook_rec_flags */
	__u8 family;	 /* enum nt_hook_family */
	__u8 hook;	 /* index in the family's array (NF_INET_* / NF_ARP_*) */
	__u8 depth;	 /* 0: at the hook point; 1: nested under the nat entry before it */
	__u8 ops_type;	 /* enum nf_hook_ops_type (NT_HR_OPS_TYPE) */
	__u8 nft_family; /* NFPROTO_* of the nft table (NT_HR_NFT_FAMILY) */
	__u8 pad[3];
	__u32 prog_id, link_id;
	__u32 nentries; /* num_hook_entries of the array this entry is in */
	__u32 pad2;
	char table[NT_HOOK_NAMELEN]; /* nft table, xt table or bpf prog name */
	char chain[NT_HOOK_NAMELEN]; /* nft chain */
};

/* Kernel side summary bits (nt_hook_info in .bss). */
enum nt_hook_info_bits {
	NT_HI_RAN = 1 << 0,
	NT_HI_FAMILY0 = 1 << 1, /* << family: that hook array exists in this kernel */
	NT_HI_FULL = 1 << 8,	/* out of records */
	NT_HI_NO_OPS = 1 << 9,	/* struct nf_hook_ops lacks priority: none read */
	NT_HI_NO_NAT = 1 << 10, /* nf_nat_lookup_hook_priv not in BTF: nat chains unknown */
};

#endif /* NT_RECORD_INVENTORY_H */
