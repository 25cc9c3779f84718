// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding a record from the ring buffer (wire.h) into struct nt_event. The
 * bytes come from the kernel side, but are checked as if they did not: every
 * length is bounded by the record's size, and a record that does not hold
 * together is refused, never half-used.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "record/record.h"

static void take_header(struct nt_event *e, const struct nt_rec *h)
{
	e->ts = h->ts;
	e->skb = h->skb;
	e->group = h->group;
	e->kind = h->kind;
	e->probe = h->probe;
	e->flags = h->flags;
	e->pid = h->pid;
	e->cpu = h->cpu;
	e->netns = h->netns;
	e->ifindex = h->ifindex;
	e->skb_len = h->skb_len;
	memcpy(e->comm, h->comm, sizeof(e->comm));
	memcpy(e->ifname, h->ifname, sizeof(e->ifname));
	e->flow = h->flow;
}

static int take_packet(struct nt_event *e, const struct nt_sec_packet *s)
{
	if (s->len > NT_SNAP_BYTES || s->nh_off > s->len)
		return -EBADMSG;
	e->link_type = s->link_type;
	e->nh_off = s->nh_off;
	e->data_len = s->len;
	memcpy(e->data, s->data, s->len);
	return 0;
}

static void take_nf(struct nt_event *e, const struct nt_sec_nf *s)
{
	e->nf.pf = s->pf;
	e->nf.hook = s->hook;
	e->nf.where = s->where;
	e->nf.in_ifindex = s->in_ifindex;
	e->nf.out_ifindex = s->out_ifindex;
	memcpy(e->nf.in, s->in, sizeof(e->nf.in));
	memcpy(e->nf.out, s->out, sizeof(e->nf.out));
}

static void take_ct(struct nt_event *e, const struct nt_sec_ct *s)
{
	e->nf.ctinfo = s->ctinfo;
	e->nf.ct_status = s->status;
	e->nf.ct_mark = s->mark;
	e->nf.ct_zone = s->zone;
	e->nf.orig = s->orig;
	e->nf.reply = s->reply;
}

static void take_stack(struct nt_stack *st, const struct nt_sec_stack *s)
{
	size_t n = s->len > 0 ? (size_t)s->len : 0;

	if (n > sizeof(st->ips))
		n = sizeof(st->ips);
	st->len = s->len > (__s32)sizeof(st->ips) ? (__s64)sizeof(st->ips) : s->len;
	memcpy(st->ips, s->ips, n);
}

/* The size of a section type this build knows; 0 for another. */
static size_t sec_size(__u8 type)
{
	switch (type) {
	case NT_SEC_PACKET:
		return sizeof(struct nt_sec_packet);
	case NT_SEC_NF:
		return sizeof(struct nt_sec_nf);
	case NT_SEC_CT:
		return sizeof(struct nt_sec_ct);
	case NT_SEC_SOCK:
		return sizeof(struct nt_sec_sock);
	case NT_SEC_DROP:
		return sizeof(struct nt_sec_drop);
	case NT_SEC_RET:
		return sizeof(struct nt_sec_ret);
	case NT_SEC_STACK:
		return sizeof(struct nt_sec_stack);
	}
	return 0;
}

/*
 * One known section, copied out of the record first (sections are aligned
 * in the ring buffer, not necessarily in a caller's buffer).
 */
static int take_section(struct nt_event *e, struct nt_stack *st, __u8 type, const void *at)
{
	union {
		struct nt_sec_packet packet;
		struct nt_sec_nf nf;
		struct nt_sec_ct ct;
		struct nt_sec_sock sock;
		struct nt_sec_drop drop;
		struct nt_sec_ret ret;
		struct nt_sec_stack stack;
	} s;

	memcpy(&s, at, sec_size(type));
	switch (type) {
	case NT_SEC_PACKET:
		return take_packet(e, &s.packet);
	case NT_SEC_NF:
		take_nf(e, &s.nf);
		break;
	case NT_SEC_CT:
		take_ct(e, &s.ct);
		break;
	case NT_SEC_SOCK:
		e->sock = s.sock.sk;
		break;
	case NT_SEC_DROP:
		e->reason = s.drop.reason;
		e->location = s.drop.location;
		break;
	case NT_SEC_RET:
		e->retval = s.ret.retval;
		break;
	case NT_SEC_STACK:
		if (st)
			take_stack(st, &s.stack);
		break;
	}
	return 0;
}

/* The sections the header's flags and kind promise. */
static bool sections_complete(const struct nt_event *e)
{
	if ((e->flags & NT_EV_HAS_REASON) && !(e->sections & NT_HAS(NT_SEC_DROP)))
		return false;
	if ((e->flags & (NT_EV_HAS_RET | NT_EV_CLONE)) && !(e->sections & NT_HAS(NT_SEC_RET)))
		return false;
	if ((e->flags & NT_EV_HAS_STACK) && !(e->sections & NT_HAS(NT_SEC_STACK)))
		return false;
	if (e->kind == NT_EV_NFHOOK && !(e->sections & NT_HAS(NT_SEC_NF)))
		return false;
	return true;
}

int nt_record_decode(const void *data, size_t size, struct nt_event *e, struct nt_stack *st)
{
	const __u8 *b = data;
	struct nt_rec h;
	struct nt_sec s;
	size_t off, known, n = 0;
	int err;

	memset(e, 0, sizeof(*e));
	e->link_type = NT_LINK_NONE;
	e->nf.ctinfo = NT_NO_CT;
	if (st)
		st->len = 0;
	if (!data || size < sizeof(h))
		return -EBADMSG;
	memcpy(&h, b, sizeof(h));
	take_header(e, &h);
	for (off = sizeof(h); off < size; off += s.len) {
		if (size - off < sizeof(s))
			return -EBADMSG;
		memcpy(&s, b + off, sizeof(s));
		if (s.len < sizeof(s) || s.len > size - off)
			return -EBADMSG;
		n++;
		known = sec_size(s.type);
		if (!known)
			continue; /* a type this build does not know: skipped */
		if (s.len < known || (e->sections & NT_HAS(s.type)))
			return -EBADMSG;
		e->sections |= NT_HAS(s.type);
		err = take_section(e, st, s.type, b + off);
		if (err)
			return err;
	}
	/* A record cut short between two sections has fewer than it says. */
	if (n != h.nsec)
		return -EBADMSG;
	return sections_complete(e) ? 0 : -EBADMSG;
}
