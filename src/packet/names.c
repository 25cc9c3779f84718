// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include "packet/names.h"

struct name {
	unsigned int value;
	const char *name;
};

#define LOOKUP(table, v)                                               \
	({                                                             \
		const char *_n = NULL;                                 \
		size_t _i;                                             \
		for (_i = 0; _i < sizeof(table) / sizeof(table[0]); _i++) \
			if (table[_i].value == (v)) {                  \
				_n = table[_i].name;                   \
				break;                                 \
			}                                              \
		_n;                                                    \
	})

static const struct name ethertypes[] = {
	{ 0x0800, "IPv4" },     { 0x0806, "ARP" },        { 0x86DD, "IPv6" },
	{ 0x8035, "RARP" },     { 0x8100, "802.1Q" },     { 0x88A8, "802.1ad" },
	{ 0x8847, "MPLS" },     { 0x8848, "MPLS-mc" },    { 0x8863, "PPPoE-disc" },
	{ 0x8864, "PPPoE" },    { 0x888E, "EAPOL" },      { 0x88CC, "LLDP" },
	{ 0x88E5, "MACsec" },   { 0x88F7, "PTP" },        { 0x8906, "FCoE" },
	{ 0x22F0, "AVB" },      { 0x22EB, "ETH_P_ERSPAN" }, { 0x6558, "TEB" },
	{ 0x0003, "ETH_P_ALL" }, { 0x0004, "802.2" },     { 0x0001, "802.3" },
	{ 0x00F5, "MCTP" },     { 0x0060, "LOOP" },       { 0x9000, "LOOPBACK" },
	{ 0x894F, "NSH" },      { 0x88B5, "802_EX1" },
};

static const struct name ipprotos[] = {
	{ 0, "HOPOPT" }, { 1, "ICMP" },   { 2, "IGMP" },    { 4, "IPIP" },   { 6, "TCP" },
	{ 17, "UDP" },   { 41, "IPv6" },  { 43, "IPv6-Route" }, { 44, "IPv6-Frag" },
	{ 46, "RSVP" },  { 47, "GRE" },   { 50, "ESP" },    { 51, "AH" },    { 58, "ICMPv6" },
	{ 59, "IPv6-NoNxt" }, { 60, "IPv6-Opts" }, { 89, "OSPF" }, { 103, "PIM" },
	{ 112, "VRRP" }, { 115, "L2TP" }, { 132, "SCTP" },  { 136, "UDPLite" },
	{ 137, "MPLS-in-IP" }, { 143, "ETHERNET" },
};

static const struct name icmp_types[] = {
	{ 0, "ping reply" },       { 3, "destination unreachable" }, { 4, "source quench" },
	{ 5, "redirect" },         { 8, "ping request" },    { 9, "router advertisement" },
	{ 10, "router solicitation" }, { 11, "time exceeded" }, { 12, "parameter problem" },
	{ 13, "timestamp request" }, { 14, "timestamp reply" },
};

static const struct name icmp_unreach[] = {
	{ 0, "network unreachable" },  { 1, "host unreachable" },
	{ 2, "protocol unreachable" }, { 3, "port unreachable" },
	{ 4, "fragmentation needed" }, { 5, "source route failed" },
	{ 6, "network unknown" },      { 7, "host unknown" },
	{ 9, "network prohibited" },   { 10, "host prohibited" },
	{ 13, "communication prohibited" },
};

static const struct name icmp6_types[] = {
	{ 1, "destination unreachable" }, { 2, "packet too big" },
	{ 3, "time exceeded" },           { 4, "parameter problem" },
	{ 128, "ping request" },          { 129, "ping reply" },
	{ 130, "MLD query" },             { 131, "MLD report" },
	{ 132, "MLD done" },              { 133, "router solicitation" },
	{ 134, "router advertisement" },  { 135, "neighbour solicitation" },
	{ 136, "neighbour advertisement" }, { 137, "redirect" },
	{ 143, "MLDv2 report" },
};

static const struct name icmp6_unreach[] = {
	{ 0, "no route" },          { 1, "administratively prohibited" },
	{ 2, "beyond scope" },      { 3, "address unreachable" },
	{ 4, "port unreachable" },  { 5, "source policy failed" },
	{ 6, "reject route" },
};

const char *nt_ethertype_name(__u16 ethertype)
{
	return LOOKUP(ethertypes, ethertype);
}

const char *nt_ipproto_name(__u8 proto)
{
	return LOOKUP(ipprotos, proto);
}

const char *nt_icmp_name(int family, __u8 type, __u8 code)
{
	const char *n;

	if (family == 4) {
		if (type == 3 && (n = LOOKUP(icmp_unreach, code)))
			return n;
		return LOOKUP(icmp_types, type);
	}
	if (type == 1 && (n = LOOKUP(icmp6_unreach, code)))
		return n;
	return LOOKUP(icmp6_types, type);
}
