// SPDX-License-Identifier: GPL-2.0
/*
 * --hooks: the netfilter hook functions registered in one network namespace,
 * per family and hook point, in priority order (src/netfilter/inventory/inventory_walk.c
 * reads them; nfnetlink_hook, nft list hooks, may answer nothing).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "modes/modes.h"
#include "netfilter/inventory/inventory.h"
#include "netns/netns.h"
#include "session/session.h"
#include "util/log.h"

int nt_hooks_run(const struct nt_opts *o)
{
	char path[512] = "", why[256] = "";
	struct nt_hook_inv inv;
	struct nt_session s;
	bool other_ns;
	struct stat self;
	__u32 ino;
	int ret;

	if (stat("/proc/self/ns/net", &self)) {
		nt_err("cannot read /proc/self/ns/net: %s", strerror(errno));
		return NT_EXIT_RUNTIME;
	}
	ino = self.st_ino;
	if (o->filter.mask & NT_F_NETNS)
		ino = o->filter.netns;
	other_ns = ino != self.st_ino;
	/* Our own namespace is shown with its /run/netns name, if it has one. */
	if (nt_netns_find(ino, other_ns, path, sizeof(path)) && other_ns) {
		nt_err("--netns: no network namespace with inode %u in /run/netns or "
		       "/proc/*/ns/net",
		       ino);
		return NT_EXIT_USAGE;
	}
	if (o->filter.mask & ~(__u32)NT_F_NETNS)
		nt_warn("--hooks lists hook functions: packet filters are ignored");

	if (nt_hooks_walk(ino, other_ns ? path : NULL, NULL, &inv, why, sizeof(why))) {
		nt_err("cannot list the netfilter hooks: %s", why);
		return NT_EXIT_RUNTIME;
	}
	inv.path = path;
	nt_session_open(&s, o, 0);
	nt_output_hooks(&s.out, &inv);
	ret = nt_output_flush(&s.out);
	if (ret)
		nt_err("writing the hook list: %s", strerror(-ret));
	nt_session_close(&s);
	nt_hooks_inv_free(&inv);
	return ret ? NT_EXIT_RUNTIME : NT_EXIT_OK;
}
