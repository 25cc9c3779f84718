/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What template programs (trace.bpf.c, nf_observer.bpf.c) are built from: marker
 * immediates the user side patches per clone (src/probe/clone.c), and ctx
 * loads the verifier accepts.
 */
#ifndef MARKER_BPF_H
#define MARKER_BPF_H

#define __stringify_1(x) #x
#define __stringify(x)	 __stringify_1(x)

/* `rX = m`: a move whose immediate is patched in each clone. */
#define MARKER(m)                                                 \
	({                                                        \
		__u64 __v;                                        \
		asm volatile("%0 = " __stringify(m) : "=r"(__v)); \
		__v;                                              \
	})

/*
 * ctx[off / 8] as one load at a constant offset: left to itself, clang may
 * turn a switch over positions into ctx + variable, which the verifier refuses.
 */
#define CTX_LOAD(ctx, off)                                                           \
	({                                                                           \
		__u64 __v;                                                           \
		asm volatile("%0 = *(u64 *)(%1 + " #off ")" : "=r"(__v) : "r"(ctx)); \
		__v;                                                                 \
	})

#endif /* MARKER_BPF_H */
