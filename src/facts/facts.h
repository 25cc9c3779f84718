/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Facts of this machine, read in a packet's network namespace for the
 * diagnose mode's findings. Kinds and arguments are those of
 * data/diag/FORMAT.md ("Templates"); the values are:
 *
 *   sysctl net.ipv4.ip_forward    the file's text, blanks squeezed: "0", "4096 131072 6291456".
 *                                 A device name with dots may be written as it is
 *                                 (net.ipv4.conf.eth0.100.rp_filter) or as sysctl(8)
 *                                 writes it (eth0/100). A host-wide sysctl that only
 *                                 the first namespace shows (net.core.netdev_max_backlog,
 *                                 rmem_max...) is read in nettrace's own.
 *   route DST [from SRC] [iif DEV]
 *                                 the routing entry the kernel picks, as `ip route get
 *                                 fibmatch` lists it: "10.0.2.0/24 via 10.0.1.254 dev r1",
 *                                 "default via 10.0.1.1 dev eth0 src 10.0.1.2",
 *                                 "local 10.0.1.1 dev r1 src 10.0.1.1", " table N" when
 *                                 not main; a multipath route
 *                                 "10.0.0.0/8 nexthop via A dev X nexthop via B dev Y".
 *                                 No entry: "no route" (ENETUNREACH), "unreachable",
 *                                 "prohibit", "blackhole". With iif (a received packet,
 *                                 IPv4), why when the kernel's errno does not say:
 *                                 "unreachable (forwarding off on r0)", "martian source",
 *                                 "martian destination", "rejected by rp_filter (strict,
 *                                 back to 10.0.9.5: 10.0.9.0/24 dev a1)" or "(loose, back
 *                                 to 10.0.9.5: no route)"; "blackhole or martian address"
 *                                 when none of these fits.
 *   neigh ADDRESS [dev DEV]       the entry's state: INCOMPLETE REACHABLE STALE DELAY
 *                                 PROBE FAILED NOARP PERMANENT (several bits joined by
 *                                 "|"), "none" without an entry; without dev and entries
 *                                 on several devices, "FAILED dev a, REACHABLE dev b".
 *   listen tcp:PORT | udp:PORT    "tcp 0.0.0.0:8080 (pid 123 nc), tcp [::]:8080 (pid 123
 *                                 nc)": TCP sockets in LISTEN, UDP sockets bound and not
 *                                 connected; "(pid ...)" when a process of the namespace
 *                                 holds it (found among the first 4096 open files of its
 *                                 processes, as ss -p finds them); "none".
 *   link DEV                      "up", "down" (not set up), "no-carrier" (up, no lower layer).
 *   mtu DEV                       "1500".
 *   qdisc DEV                     the root qdisc: kind, its main parameters, counters:
 *                                 "tbf limit 3000b rate 1Mbit drops 12 overlimits 30 qlen 0",
 *                                 "netem limit 1000p delay 100ms loss 10% drops 0 ...",
 *                                 "noqueue".
 *   xdp DEV                       "id 42 name xdp_drop mode generic" (modes native,
 *                                 generic, offload; several joined by ", "), or "none".
 *   tc DEV ingress|egress         what runs there, in order, joined by ", ": "tcx id 7 name
 *                                 f", "bpf id 12 name tc_drop prio 1" (a tc bpf filter),
 *                                 "u32 prio 2" (any other filter), or "none".
 *
 * Every read happens inside the namespace: the calling thread enters it,
 * reads (netlink, sock_diag, /proc/sys, bpf()) and comes back before
 * nt_fact_read() returns. Coming back is checked: if it ever fails, the
 * thread is stranded in another namespace; nt_fact_read() says so with
 * nt_err once, returns -ENOTRECOVERABLE, and refuses every later read with
 * the same error: the caller must stop nettrace (exit status 1).
 *
 * The cache. A packet's findings often name one fact several times (the
 * message and the advice, or several rules of one packet). Values are kept
 * for NT_FACT_TTL_MS (1 s) in NT_FACT_CACHE slots (64), keyed by namespace
 * inode, kind and argument; errors are kept too (a missing device is not
 * asked about twice), but not -ENOTRECOVERABLE. When every slot is live, the
 * oldest is replaced. So a value is never more than 1 s older than the read
 * that asked for it. Arguments longer than NT_FACT_KEY_MAX are read, not
 * cached. Not thread-safe: one thread reads facts.
 */
#ifndef NT_FACTS_H
#define NT_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define NT_FACT_TTL_MS	1000
#define NT_FACT_CACHE	64
#define NT_FACT_KEY_MAX 160
#define NT_FACT_MAX	512 /* longest value kept; longer ones end in "..." */

/*
 * Reads fact @kind with argument @arg (both as in FORMAT.md, the argument
 * already expanded) in the network namespace with inode @netns (0:
 * nettrace's own). Writes the value as text into @out (see above; "?" when
 * it cannot be read) and returns 0, or -errno:
 *   -EOPNOTSUPP      @kind is not a fact kind
 *   -EINVAL          @arg is not a valid argument of @kind
 *   -ESRCH           no network namespace has inode @netns
 *   -ENODEV          the device named in @arg does not exist there
 *   -ENOENT          no such sysctl
 *   -ENOTRECOVERABLE the thread could not come back to its namespace (see above)
 *   other            what the kernel answered (-EPERM, ...)
 * Never exits, never leaves the caller in another namespace.
 */
int nt_fact_read(__u32 netns, const char *kind, const char *arg, char *out, size_t len);

/* What an error of nt_fact_read() means, in words ("no such device"). */
const char *nt_fact_strerror(int err);

/* Whether @kind is a fact kind nettrace knows (for the rule parser). */
bool nt_fact_kind_known(const char *kind);

/* Forgets every cached value (tests and benchmarks read afresh). */
void nt_fact_cache_clear(void);

#endif
