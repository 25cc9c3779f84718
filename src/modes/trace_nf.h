/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter part of the trace modes: hook observers (BPF netfilter links)
 * feeding the same ring buffer and tracking as the other probes, nft rule
 * tracing (nftrace) in the namespaces that have nftables tables, and the
 * hook functions blamed for a drop inside a hook.
 */
#ifndef NT_TRACE_NF_H
#define NT_TRACE_NF_H

#include "cli/options.h"
#include "analysis/analysis.h"
#include "netfilter/inventory/inventory_cache.h"
#include "netfilter/observer/observer.h"
#include "netfilter/nftrace/nftrace.h"
#include "output/output.h"
#include "pipeline/events.h"

#define NT_NFT_MAX NT_PIPE_EXTRA

struct trace_bpf;

struct nt_trace_nf;

/* One namespace's nftrace socket, as the pipeline polls it. */
struct nt_nft_source {
	struct nt_trace_nf *nf;
	struct nt_nftrace *t;
	__u32 netns; /* inode of the namespace it traces */
};

struct nt_trace_nf {
	struct nt_nflinks *links;
	struct nt_nftrace *nft[NT_NFT_MAX];
	struct nt_nft_source src[NT_NFT_MAX];
	size_t nnft;
	const struct nt_output *out;
	char note[512]; /* for the start-up line */
	double next_refresh;
	struct nt_hookcache hooks; /* for blame */
	/* Lifecycle: nft verdicts wait here for their packet; NULL: printed as they come. */
	struct nt_analyzer *an;
};

/*
 * Attaches what this kernel allows; what it does not is said in note, never
 * fatal. Nothing when -t leaves out the netfilter group (nf, netfilter, all).
 */
void nt_trace_nf_start(struct nt_trace_nf *nf, const struct nt_opts *o, struct trace_bpf *skel,
		       struct nt_pipeline *pl, const struct nt_output *out);
/* Once a second: links namespaces made since, drops those gone. */
void nt_trace_nf_tick(struct nt_trace_nf *nf);
/* Detaches the hook observers: no more events from them; blame still works. */
void nt_trace_nf_quiesce(struct nt_trace_nf *nf);
void nt_trace_nf_stop(struct nt_trace_nf *nf);

/*
 * Lifecycle: nft verdicts are kept in @an for the packets they belong to,
 * blame reads the hook cache, and unclaimed verdicts are printed on their own
 * after NT_VERDICT_WAIT_S. Call after nt_trace_nf_start().
 */
void nt_trace_nf_analyze(struct nt_trace_nf *nf, struct nt_analyzer *an);
/* The prefix that runs a command in namespace @netns: "ip netns exec NAME ", "" for ours. */
void nt_trace_nf_netns_cmd(__u32 netns, char *buf, size_t len);
/* For the closing line: what nft tracing lost ("" when nothing); returns strlen(buf). */
size_t nt_trace_nf_summary(const struct nt_trace_nf *nf, char *buf, size_t len);
/* At exit: the verdicts no packet claimed, printed on their own. */
void nt_trace_nf_flush(struct nt_trace_nf *nf);

#define NT_VERDICT_WAIT_S 2.0

#endif
