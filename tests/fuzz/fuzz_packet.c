// SPDX-License-Identifier: GPL-2.0
/*
 * Packet decoding (nt_pkt_decode) and its text, directly and as a drop event
 * in text and JSON: the bytes an event carries from the network header are
 * whatever was on the wire.
 *
 * Input: a selector byte, then the packet from its network header.
 *   bits 0-1  ethertype: IPv4, IPv6, ARP, or the next two input bytes
 *   bit 2     also print it as a drop event (bit 3: in JSON)
 *   bit 4     the event's flow comes from its socket (struct nt_flow from the bytes)
 */
#include "fuzz.h"
#include "output/output.h"
#include "packet/decode.h"
#include "packet/text.h"
#include "util/strbuf.h"

static void check_line(const char *s, size_t size)
{
	fuzz_check(strnlen(s, size) < size);
	fuzz_check(!strchr(s, '\n'));
}

static void as_event(__u16 l3proto, __u8 sel, const uint8_t *data, size_t size)
{
	struct nt_output out;
	struct nt_event e;
	char pkt[256];

	memset(&e, 0, sizeof(e));
	e.kind = NT_EV_DROP;
	e.flow.l3proto = l3proto;
	e.data_len = (__u16)size; /* may claim more than the record holds */
	memcpy(e.data, data, size < sizeof(e.data) ? size : sizeof(e.data));
	if (sel & 0x10) {
		e.flags |= NT_EV_FROM_SK;
		memcpy(&e.flow, data, size < sizeof(e.flow) ? size : sizeof(e.flow));
	}
	nt_event_pkt_text(&e, pkt, sizeof(pkt));
	check_line(pkt, sizeof(pkt));
	nt_output_init(&out);
	if (nt_output_add(&out, sel & 0x8 ? &nt_sink_json : &nt_sink_text, fuzz_sink()))
		abort();
	out.detail = true;
	nt_output_drop(&out, &e, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const __u16 ethertypes[] = {0x0800, 0x86DD, 0x0806};
	char buf[256];
	struct strbuf sb = STRBUF(buf);
	struct nt_pkt p;
	__u16 l3proto;
	__u8 sel;

	if (!fuzz_take_byte(&data, &size, &sel))
		return 0;
	if ((sel & 3) < 3) {
		l3proto = ethertypes[sel & 3];
	} else {
		if (size < 2)
			return 0;
		l3proto = (__u16)(data[0] << 8 | data[1]);
		data += 2;
		size -= 2;
	}
	nt_pkt_decode(&p, l3proto, data, size);
	nt_pkt_format(&sb, &p);
	check_line(buf, sizeof(buf));
	if (sel & 0x4)
		as_event(l3proto, sel, data, size);
	return 0;
}
