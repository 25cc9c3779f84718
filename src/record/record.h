/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records shared by the BPF programs and the user side, and their decoding:
 * the filter (filter.h), probe ids and markers (probe.h), the event on the
 * wire (wire.h) and decoded (event.h), the hook inventory's record
 * (inventory.h), the monitor's counters (monitor.h). This folder is the only
 * one src/bpf/ includes.
 */
#ifndef NT_RECORD_H
#define NT_RECORD_H

#include <stddef.h>
#include "record/event.h"

/*
 * Decodes a record of @size bytes, as taken from the ring buffer, into @e;
 * the stack section, if any, into @st (NULL: ignored). Sections of a type
 * this build does not know are skipped. Returns 0, or -EBADMSG when the
 * record is malformed: shorter than its header, a section running past its
 * end or shorter than its type, a section twice, fewer or more sections than
 * the header says, or the header's flags and kind asking for a section that
 * is not there. Never reads past @size.
 */
int nt_record_decode(const void *data, size_t size, struct nt_event *e, struct nt_stack *st);

#endif /* NT_RECORD_H */
