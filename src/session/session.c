// SPDX-License-Identifier: GPL-2.0
/* The session: what every mode needs, set up and torn down once. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "session/session.h"
#include "util/log.h"

int nt_session_open(struct nt_session *s, const struct nt_opts *o, unsigned int needs)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->o = o;
	s->pl.limit = o->count;
	s->pl.report_periodic = o->verbose > 0;
	nt_output_init(&s->out);
	s->out.date = o->date;
	s->out.detail = o->detail;
	nt_output_add(&s->out, o->json ? &nt_sink_json : &nt_sink_text, stdout);
	if (needs & (NT_NEED_BTF | NT_NEED_REASONS)) {
		s->btf = btf__load_vmlinux_btf();
		if (!s->btf) {
			nt_err("the kernel's BTF is not readable (%s): nettrace needs "
			       "CONFIG_DEBUG_INFO_BTF",
			       strerror(errno));
			return NT_EXIT_RUNTIME;
		}
	}
	if (needs & NT_NEED_KSYMS) {
		err = nt_ksyms_load(&s->ksyms, NULL);
		if (err)
			nt_warn("kallsyms unreadable (%s): kernel addresses are shown as numbers "
				"and functions are not checked against it",
				strerror(-err));
		else
			s->out.ksyms = &s->ksyms;
	}
	if ((needs & NT_NEED_REASONS) && !nt_reasons_load(&s->reasons, s->btf)) {
		s->has_reasons = true;
		s->out.reasons = &s->reasons;
	}
	return 0;
}

int nt_session_size_ring(struct nt_session *s, struct bpf_map *events)
{
	return bpf_map__set_max_entries(events, s->o->buf_kb * 1024);
}

void nt_session_ring(struct nt_session *s, struct bpf_map *events, struct bpf_map *lost)
{
	s->pl.events_fd = bpf_map__fd(events);
	s->pl.lost_fd = bpf_map__fd(lost);
}

int nt_session_run(struct nt_session *s, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	nt_pipeline_ready("%s", line);
	return nt_pipeline_main(&s->pl);
}

void nt_session_close(struct nt_session *s)
{
	nt_ksyms_free(&s->ksyms);
	nt_reasons_free(&s->reasons);
	btf__free(s->btf);
	s->btf = NULL;
}
