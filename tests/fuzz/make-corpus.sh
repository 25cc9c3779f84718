#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Makes the seed corpora (tests/fuzz/corpus/NAME/) from this machine, as root:
# packets and nft trace messages captured in two namespaces while real
# traffic crosses them, `nft list table` output of their tables, the trace
# catalog, option lines, this kernel's drop reason enums and a kallsyms
# excerpt. Replaces what is there; what it makes is small and committed.
#
#   sudo tests/fuzz/make-corpus.sh
#
# Needs ip, nft, iptables (nft backend), tc, ping, nc, python3, bpftool, make.
set -eu
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" -eq 0 ] || { echo "make-corpus.sh needs root" >&2; exit 1; }

corpus=tests/fuzz/corpus
tmp=$(mktemp -d /tmp/nt-corpus.XXXXXX)
A=ntc$$-a B=ntc$$-b
pids=()
cleanup() {
	set +e
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
rm -rf "$corpus"
mkdir -p "$corpus"/{packet,nftrace,nft_rules,catalog,options,reasons,ksyms,kb,facts}

# ---- two namespaces, a veth between them, nft tables with tracing on in B ----
ip netns add "$A"
ip netns add "$B"
ip link add nt-ca netns "$A" type veth peer name nt-cb netns "$B"
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" addr add 10.253.90.1/24 dev nt-ca
ip -n "$B" addr add 10.253.90.2/24 dev nt-cb
ip -n "$A" addr add fd00:90::1/64 dev nt-ca nodad
ip -n "$B" addr add fd00:90::2/64 dev nt-cb nodad
ip -n "$A" link set nt-ca up
ip -n "$B" link set nt-cb up
ip netns exec "$B" nft -f - <<'EOF'
table inet filter {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		meta nftrace set 1
	}
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 7777 counter drop comment "dropped here"
		tcp dport 9 jump check
		ip6 nexthdr icmpv6 goto v6
		icmp type echo-request accept
	}
	chain check {
		ip saddr 10.253.90.1 return
		reject
	}
	chain v6 {
		icmpv6 type echo-request counter accept
	}
	chain output {
		type filter hook output priority filter; policy accept;
		meta nftrace set 1
	}
	set blocked { type ipv4_addr; elements = { 192.0.2.1, 192.0.2.7 } }
}
table ip6 t6 {
	chain in6 {
		type filter hook input priority 10; policy accept;
		udp dport 7777 drop
	}
}
table arp a {
	chain in {
		type filter hook input priority 0; policy accept;
		meta nftrace set 1
		arp operation request accept
	}
}
EOF
ip netns exec "$B" iptables -A INPUT -p udp --dport 7778 -m comment --comment "from iptables" -j DROP

# ---- capture: frames on B's veth, and B's nft trace messages ----
ip netns exec "$B" python3 - "$tmp" nt-cb <<'EOF' &
import os, select, socket, sys, time
out, dev = sys.argv[1], sys.argv[2]
pkt = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
pkt.bind((dev, 0))
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)   # NETLINK_NETFILTER
nl.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
nl.bind((0, 0))
nl.setsockopt(270, 1, 9)                                     # NFNLGRP_NFTRACE
dirs = {pkt: "frames", nl: "traces"}
for d in dirs.values():
    os.makedirs(out + "/" + d)
open(out + "/ready", "w").close()
n = 0
end = time.time() + 12
while time.time() < end and not os.path.exists(out + "/stop"):
    for s in select.select(list(dirs), [], [], 0.1)[0]:
        try:
            data = s.recv(65536)
        except OSError:     # ENOBUFS: some trace messages lost, fine
            continue
        n += 1
        open("%s/%s/%05d" % (out, dirs[s], n), "wb").write(data)
EOF
pids+=($!)
for i in $(seq 50); do [ -e "$tmp/ready" ] && break; sleep 0.1; done

inA() { ip netns exec "$A" "$@"; }
ip netns exec "$B" nc -l -p 8080 >/dev/null &
pids+=($!)
sleep 0.3
inA ping -c 1 -W 1 10.253.90.2 >/dev/null                    # ARP, ICMP echo
inA ping -c 1 -W 1 -s 2000 10.253.90.2 >/dev/null || true   # IPv4 fragments
inA ping -6 -c 1 -W 1 fd00:90::2 >/dev/null || true         # ND, ICMPv6 echo
inA ping -6 -c 1 -W 1 -s 2000 fd00:90::2 >/dev/null || true # IPv6 fragment header
inA nc -z -w 1 10.253.90.2 9 || true                        # TCP SYN, reject: RST
echo hi | inA nc -w 1 10.253.90.2 8080 || true              # TCP handshake, data, FIN
inA python3 - <<'EOF'
import socket, struct
def send(fam, proto, addr, data, opts=()):
    s = socket.socket(fam, socket.SOCK_DGRAM if proto in (17, 136) else socket.SOCK_RAW, proto)
    for lvl, opt, val in opts:
        s.setsockopt(lvl, opt, val)
    try:
        s.sendto(data, addr)
    except OSError:
        pass
v4, v6 = "10.253.90.2", "fd00:90::2"
send(socket.AF_INET, 17, (v4, 7777), b"udp drop")                 # nft drop
send(socket.AF_INET, 17, (v4, 7778), b"udp iptables drop")
send(socket.AF_INET, 17, (v4, 5000), b"closed")                   # ICMP port unreachable
send(socket.AF_INET6, 17, (v6, 5000), b"closed")                  # ICMPv6 port unreachable
send(socket.AF_INET6, 17, (v6, 7777), b"ip6 drop")
send(socket.AF_INET, 136, (v4, 5001), b"udplite")
# SCTP INIT through a raw socket (this kernel has no SCTP stack to reply).
init = struct.pack("!HHII", 40000, 9899, 0, 0) + struct.pack("!BBHIIHHI", 1, 0, 20, 1, 65535, 1, 1, 7)
send(socket.AF_INET, 132, (v4, 0), init)
# IPv4 options (NOPs and end), IPv6 hop-by-hop and destination options.
send(socket.AF_INET, 17, (v4, 5002), b"opts", [(socket.IPPROTO_IP, 4, b"\x01\x01\x01\x00")])
pad = b"\x00\x00\x01\x04\x00\x00\x00\x00"
send(socket.AF_INET6, 17, (v6, 5003), b"hop", [(socket.IPPROTO_IPV6, 54, pad)])
send(socket.AF_INET6, 17, (v6, 5004), b"dst", [(socket.IPPROTO_IPV6, 59, pad)])
EOF
# An ethertype that is neither IP nor ARP: LLDP.
inA python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("nt-ca", 0))
s.send(b"\x01\x80\xc2\x00\x00\x0e" + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xcc" +
       b"\x02\x07\x04\x02\x00\x00\x00\x00\x01\x04\x03\x05nt-ca\x06\x02\x00\x78\x00\x00")'
sleep 0.5
touch "$tmp/stop"
wait "${pids[0]}" || true

# ---- packets: the selector byte of fuzz_packet.c, then the frame without Ethernet ----
python3 - "$tmp/frames" "$corpus/packet" <<'EOF'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
l4 = {1: "icmp", 6: "tcp", 17: "udp", 58: "icmp6", 132: "sctp", 136: "udplite",
      0: "hop", 44: "frag", 60: "dstopts"}
seen = set()
for f in sorted(os.listdir(src)):
    frame = open(os.path.join(src, f), "rb").read()
    etype, l3 = struct.unpack("!H", frame[12:14])[0], frame[14:]
    if etype == 0x0800:
        sel, ihl, p = 0, (l3[0] & 15) * 4, l3[9]
        name = ["ipv4", l4.get(p, str(p))]
        frag = struct.unpack("!H", l3[6:8])[0]
        if frag & 0x3fff:
            name.append("fragment%d" % (frag & 0x1fff))
        if ihl > 20:
            name.append("options")
        if frag & 0x1fff:
            pass            # no L4 header in a later fragment
        elif p == 1:
            name.append("type%d" % l3[ihl])
        if p == 6:
            name.append("flags%02x" % l3[ihl + 13])
    elif etype == 0x86DD:
        sel, p = 1, l3[6]
        name = ["ipv6", l4.get(p, str(p))]
        if p == 58:
            name.append("type%d" % l3[40])
        if p == 6:
            name.append("flags%02x" % l3[53])
    elif etype == 0x0806:
        sel, name = 2, ["arp", "op%d" % l3[7]]
    else:
        sel, name = 3, ["ethertype-%04x" % etype]
    name = "-".join(name)
    if name in seen:
        continue
    # Every third seed also goes through the drop event's text, every third its JSON.
    sel |= (0, 0x04, 0x0c)[len(seen) % 3]
    seen.add(name)
    head = bytes([sel]) + (struct.pack("!H", etype) if sel & 3 == 3 else b"")
    open(os.path.join(dst, name), "wb").write(head + l3[:96])       # as an event carries it
print("packet: %d seeds" % len(seen))
EOF
# ---- nft trace messages: raw datagrams (selector 1) and payloads (selector 0) ----
python3 - "$tmp/traces" "$corpus/nftrace" <<'EOF'
import os, struct, sys
src, dst = sys.argv[1], sys.argv[2]
seen = set()
for f in sorted(os.listdir(src)):
    msg = open(os.path.join(src, f), "rb").read()
    family, attrs, off = msg[16], {}, 20
    while off + 4 <= len(msg):
        alen, atype = struct.unpack("=HH", msg[off:off + 4])
        attrs[atype & 0x3fff] = msg[off + 4:off + alen]
        off += (alen + 3) & ~3
    key = (family, attrs.get(1), attrs.get(2), attrs.get(5), attrs.get(4), attrs.get(17), 9 in attrs)
    if key in seen:
        continue
    seen.add(key)
    n = len(seen)
    open(os.path.join(dst, "datagram-%02d" % n), "wb").write(b"\x01" + msg)
    open(os.path.join(dst, "payload-%02d" % n), "wb").write(b"\x00" + msg[16:])
print("nftrace: %d messages, %d seeds" % (len(os.listdir(src)), 2 * len(seen)))
EOF

# ---- nft listings: family index of fuzz_nft_rules.c, table name, newline, listing ----
list_table() { # INDEX FAMILY TABLE
	{ printf "\\x$(printf %02x "$1")%s\n" "$3"; ip netns exec "$B" nft -a -s list table "$2" "$3"; } \
		>"$corpus/nft_rules/$2-$3"
}
list_table 0 inet filter
list_table 5 ip6 t6
list_table 2 arp a
list_table 1 ip filter    # iptables-nft's
echo "nft_rules: $(ls "$corpus/nft_rules" | wc -l) seeds"

# ---- the catalog, alone and with -t / --trace-exclude lists ----
cp data/catalog.txt "$corpus/catalog/catalog"
{ cat data/catalog.txt; printf '\0link,ip_rcv,kfree_skb\0netfilter'; } >"$corpus/catalog/catalog-select"
printf 'g\n  sub\n    func ip_rcv skb=0 ret=errno\n    tp skb:kfree_skb free\n  func skb_clone clone ret=ptr\n  func tcp_v4_do_rcv sk=0 off\n\0all\0sub' \
	>"$corpus/catalog/small"

# ---- facts: B's routes, qdiscs, tc filters and links as rtnetlink sends them ----
make -s build/tests/progs/tc_drop.bpf.o build/tests/progs/xdp_drop.bpf.o
inB() { ip netns exec "$B" "$@"; }
inB ip route add 10.99.0.0/16 via 10.253.90.1
inB ip route add 10.98.0.0/16 nexthop via 10.253.90.1 weight 1 nexthop via 10.253.90.3 weight 2
inB ip route add blackhole 10.97.0.0/16
inB ip route add unreachable 10.96.0.0/16 table 100
inB ip -6 route add fd00:99::/64 via fd00:90::1
inB ip link add nt-cd type veth peer name nt-ce
inB ip link set nt-cd up
inB tc qdisc add dev nt-cb root tbf rate 1mbit burst 32kbit latency 400ms
inB tc qdisc add dev nt-cd root pfifo limit 10
inB tc qdisc add dev nt-ce root htb default 1
inB tc qdisc add dev nt-cb clsact
inB tc filter add dev nt-cb ingress prio 1 bpf da obj build/tests/progs/tc_drop.bpf.o sec tc
inB tc filter add dev nt-cb ingress prio 2 u32 match ip dport 9 0xffff classid 1:1
inB ip link set dev nt-cd xdpgeneric obj build/tests/progs/xdp_drop.bpf.o sec xdp
inB python3 - "$corpus/facts" <<'EOF'
import os, socket, struct, sys
dst = sys.argv[1]
RTM_GETLINK, RTM_GETROUTE, RTM_GETQDISC, RTM_GETTFILTER = 18, 26, 38, 46
def dump(mtype, hdr):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    s.bind((0, 0))
    s.send(struct.pack("=IHHII", 16 + len(hdr), mtype, 0x301, 1, 0) + hdr)
    out = []
    while True:
        data = s.recv(65536)
        off = 0
        while off + 16 <= len(data):
            ln, ty = struct.unpack("=IH", data[off:off + 6])
            if ty == 3 or ty == 2:          # NLMSG_DONE, NLMSG_ERROR
                return out
            out.append(data[off + 16:off + ln])
            off += (ln + 3) & ~3
routes = dump(RTM_GETROUTE, struct.pack("=BBBBBBBBI", 0, 0, 0, 0, 0, 0, 0, 0, 0))
qdiscs = dump(RTM_GETQDISC, struct.pack("=BxxxiIII", 0, 0, 0, 0, 0))
links = dump(RTM_GETLINK, struct.pack("=BxHiII", 0, 0, 0, 0, 0))
cb = socket.if_nametoindex("nt-cb")
filters = dump(RTM_GETTFILTER, struct.pack("=BxxxiIII", 0, cb, 0, 0xfffffff2, 0))
n = 0
for sel, msgs in ((1, routes), (2, qdiscs), (3, filters), (4, links)):
    for i, m in enumerate(msgs[:12]):
        open("%s/%s-%02d" % (dst, ("", "route", "qdisc", "filter", "link")[sel], i), "wb").write(bytes([sel]) + m)
        n += 1
# struct inet_diag_msg of a TCP listener on 0.0.0.0:8080, then numbers for the other formatters
diag = struct.pack("=BBBB", 2, 10, 0, 0) + struct.pack("!HH", 8080, 0) + bytes(32) + struct.pack("=IQ", 0, 0) + struct.pack("=IIIII", 0, 0, 0, 0, 1234)
open(dst + "/sock-listener", "wb").write(b"\x05" + diag + struct.pack("<Q", (1234 << 48) | 1000000 | 1))
for name, arg in (("sysctl", "net.ipv4.ip_forward"), ("sysctl-dev", "net.ipv4.conf.eth0/100.rp_filter"),
                  ("sysctl-dev-dots", "net.ipv4.conf.eth0.100.rp_filter"),
                  ("route", "10.0.2.1 from 10.0.1.2 iif eth0"), ("neigh", "fd00::1 dev eth0"),
                  ("listen", "tcp:8080"), ("tc", "eth0 ingress")):
    open(dst + "/arg-" + name, "wb").write(b"\x00" + arg.encode())
    n += 1
print("facts: %d seeds (%d routes, %d qdiscs, %d filters, %d links)" % (n + 1, len(routes), len(qdiscs), len(filters), len(links)))
EOF

# ---- diagnose rules: excerpts of the built-in files, and a user file overriding ----
{ printf '\0'; sed -n 1,76p data/diag/reasons.kb; sed -n 926,1000p data/diag/reasons.kb; } \
	>"$corpus/kb/reasons-excerpt"
{ printf '\0'; sed -n 1,110p data/diag/rules.kb; } >"$corpus/kb/rules-netfilter"
{ printf '\1'; sed -n 175,310p data/diag/rules.kb; } >"$corpus/kb/rules-routing-over-base"
{ printf '\1'; cat <<'EOF'; } >"$corpus/kb/user-file"
# a user file
rule my.udp.drop
  level   WARN
  cause   drop
  rank    120
  when    l4 udp|UDP
  when    not dport in 1..1023
  when    flags S !A
  when    ret = -EPERM
  when    no-reply 2s
  when    fact {sysctl:net.ipv4.conf.{dev}.rp_filter} >= 1
  message UDP to {dport} dropped on {dev}: {{rp_filter}} is {sysctl:net.ipv4.conf.{dev}.rp_filter}, \
          route {route:{daddr} from {saddr} iif {dev}}
  advice  Check {listen:udp:{dport}} and {qdisc:{dev}} and {tc:{dev} ingress}.
  check   ip route get {daddr}

reason NO_SOCKET
  level off

reason TCP_*
  code    drop.tcp.mine
  level   INFO
  message TCP says {reason}.

rule nf.chain.drop
  level off
EOF

# ---- option lines, NUL between arguments ----
opt() { printf '%s\0' "$@" | head -c -1 >"$corpus/options/$(printf '%s' "$*" | tr -c 'a-zA-Z0-9.=-' _ | head -c 60)"; }
opt --drop -p tcp --dport 9999
opt --drop-stack --saddr 10.0.0.0/8 --json
opt -p udp --dport 7777 -t link,ip_rcv --trace-exclude netfilter --ret
opt --basic --addr fd00::1/64 -P 53 --tcp-flags SA --pkt-len 40-1500 --dev eth0
opt --netns 4026531840 --pid 1 -c 10 --buffer-size 8192 --detail --date -v
opt --hooks --netns-current --backend tracepoint --all-funcs=^ip_
opt --diag --diag-quiet --diag-keep --debug
opt --monitor --metrics [::1]:9464 --metrics-series 500 --report-window 60 -p tcp
opt --diag --diag-rules /etc/nettrace/site.kb --diag-rules ./more.kb --saddr 10.1.0.0/16
echo "options: $(ls "$corpus/options" | wc -l) seeds"

# ---- drop reasons: this kernel's enums in fuzz_reasons.c's format, and as raw BTF ----
bpftool btf dump file /sys/kernel/btf/vmlinux >"$tmp/btf.txt"
python3 - "$tmp/btf.txt" "$corpus/reasons" <<'EOF'
import re, struct, sys
dst, enums, cur = sys.argv[2], {}, None
for line in open(sys.argv[1]):
    m = re.match(r"\[\d+\] ENUM '(\w*drop_reason\w*)' .*size=(\d+)", line)
    if m:
        cur = enums.setdefault(m.group(1), [])
        continue
    m = re.match(r"\t'(\w+)' val=(-?\d+)", line)
    if m and cur is not None:
        cur.append((m.group(1), int(m.group(2))))
    elif not line.startswith("\t"):
        cur = None
enums["ovs_drop_reason"] = [("OVS_DROP_LAST_ACTION", 0x20001), ("OVS_DROP_ACTION_ERROR", 0x20002)]
sel = {"skb_drop_reason": 0, "skb_drop_reason_subsys": 1, "ovs_drop_reason": 2}
def built(names, values):
    out = b"\x00"
    for name in names:
        vals = enums[name][:255]
        out += b"\x00" + (bytes([sel[name]]) if name in sel else b"\x09" + bytes([len(name)]) + name.encode())
        out += b"\x02" + bytes([len(vals)])
        for n, v in vals:
            out += bytes([len(n)]) + n.encode() + struct.pack("<I", v & 0xffffffff)
    return out + b"".join(struct.pack("<I", v) for v in values)
def raw(names):
    strs, types = b"\x00", b""
    def s(x):
        nonlocal strs
        strs += x.encode() + b"\x00"
        return len(strs) - len(x) - 1
    for name in names:
        vals = enums[name]
        types += struct.pack("<III", s(name), 6 << 24 | len(vals), 4)
        for n, v in vals:
            types += struct.pack("<II", s(n), v & 0xffffffff)
    return b"\xff" + struct.pack("<HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strs)) + types + strs
core = [v for _, v in enums["skb_drop_reason"]]
open(dst + "/kernel", "wb").write(built(["skb_drop_reason", "skb_drop_reason_subsys", "ovs_drop_reason"],
                                         core[:8] + [0x20001, 0x10005, 0x70001]))
open(dst + "/core-only", "wb").write(built(["skb_drop_reason"], [2, 3, 999]))
open(dst + "/raw-kernel", "wb").write(raw(["skb_drop_reason", "skb_drop_reason_subsys", "ovs_drop_reason"]))
print("reasons: 3 seeds (%d core reasons)" % len(core))
EOF

# ---- kallsyms: the lines around a drop's stack, BPF programs and glue included ----
grep -E ' (tcp_v4_rcv|ip_rcv|ip_local_deliver|__netif_receive_skb_one_core|kfree_skb_reason|sk_skb_reason_drop|nft_do_chain|bpf_trace_run[0-9]|__bpf_trace_kfree_skb|__traceiter_kfree_skb|_stext|_text)$' /proc/kallsyms >"$corpus/ksyms/kernel"
grep -m 5 '\[bpf\]$' /proc/kallsyms >>"$corpus/ksyms/kernel" || true
printf 'ffffffffc0000000 t nt_mod_fn\t[nt_mod]\nffffffffc0000100 T nt_mod_fn2\t[nt_mod]\n0000000000000000 T zero\n' >"$corpus/ksyms/module"
echo "ksyms: $(wc -l <"$corpus/ksyms/kernel") kernel lines"
