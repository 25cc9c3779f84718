# SPDX-License-Identifier: GPL-2.0
# The production monitor (--monitor, --metrics): counts read back through a
# real Prometheus server, folded reports, namespaces that come and go, a flood,
# the command line, and what a stop leaves behind. Addresses: 10.253.0.0/16.

# Host-only: the monitor works on tracepoints, the same in the guests, and its
# tests need Prometheus, which the guests do not have.
[ -z "${NT_VM:-}" ] || return 0

MON_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# An nft rule in R's forward chain that drops UDP to port 7777.
mon_nft_drop() {
	in_ns "$R" nft -f - <<-EOF || fail "nft rules not accepted"
		table inet nt_mon {
			chain forward {
				type filter hook forward priority 0;
				udp dport 7777 drop
			}
		}
	EOF
}

# prom_start TARGET: a Prometheus on 127.0.0.1 scraping TARGET every second; sets PROM.
prom_start() {
	local dir="$NT_TMP/prom" port i
	port=$(free_port)
	mkdir -p "$dir/data"
	cat >"$dir/prometheus.yml" <<-EOF2
		global:
		  scrape_interval: 1s
		  evaluation_interval: 1s
		scrape_configs:
		  - job_name: nettrace
		    static_configs:
		      - targets: ["$1"]
	EOF2
	prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
		--web.listen-address="127.0.0.1:$port" --log.level=warn >"$dir/log" 2>&1 &
	NT_PIDS+=($!)
	PROM="127.0.0.1:$port"
	for i in $(seq 1 300); do
		curl -fs "http://$PROM/-/ready" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "prometheus did not start: $(tail -n 3 "$dir/log")"
}

# prom_value EXPR: the value of an instant query ("" when it has no result).
prom_value() {
	curl -fs "http://$PROM/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")'
}

# prom_wait EXPR WANT: until the query returns WANT (Prometheus scrapes every second).
prom_wait() {
	local i v
	for i in $(seq 1 60); do
		v=$(prom_value "$1")
		[ "$v" = "$2" ] && return 0
		sleep 0.5
	done
	fail "prometheus: $1 = '${v}', not $2"
}

# metrics_wait PATTERN PORT: until a line of /metrics matches.
metrics_wait() {
	local i
	for i in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$2/metrics" 2>/dev/null | grep -Eq -- "$1" && return 0
		sleep 0.2
	done
	return 1
}

test_monitor_prometheus() {
	need prometheus promtool curl python3 nft nc
	router_topo 10.253 fd53
	mon_nft_drop
	local port
	port=$(free_port)
	nt_start --monitor --metrics "127.0.0.1:$port"
	prom_start "127.0.0.1:$port"
	# A closed port in B, three times: three drops, three resets sent.
	local i
	for i in 1 2 3; do
		in_ns "$A" nc -z -w 2 10.253.2.1 9999
	done
	# The nft rule in R, three datagrams apart: the second one's trace names the rule.
	for i in 1 2 3; do
		udp_send "$A" 10.253.2.1 7777
		sleep 1.2
	done
	# No route in R for 10.99.0.0/16, twice.
	udp_send "$A" 10.99.0.1 5000 2
	local sel_b="netns_name=\"$B\"" sel_r="netns_name=\"$R\""
	prom_wait "sum(nettrace_drops_total{reason=\"NO_SOCKET\",location=\"tcp_v4_rcv\",$sel_b,protocol=\"tcp\"})" 3
	prom_wait "sum(nettrace_drops_total{reason=\"NETFILTER_DROP\",location=\"nft_do_chain\",$sel_r,device=\"r0\",protocol=\"udp\"})" 3
	prom_wait "sum(nettrace_netfilter_drops_total{$sel_r,family=\"ipv4\",hook=\"FORWARD\"})" 3
	prom_wait "sum(nettrace_nft_rule_drops_total{$sel_r,family=\"inet\",table=\"nt_mon\",chain=\"forward\",rule=\"udp dport 7777 drop\"})" 3
	prom_wait "sum(nettrace_drops_total{reason=\"IP_INNOROUTES\",location=\"ip_error\",$sel_r})" 2
	prom_wait "sum(nettrace_tcp_resets_sent_total{$sel_b})" 3
	prom_wait "nettrace_probe_attached{probe=\"skb:kfree_skb\"}" 1
	[ "$(prom_value 'nettrace_scrapes_total')" -ge 1 ] || fail "no scrape counted"
	# The exposition as it is served passes promtool's checks.
	curl -fs "http://127.0.0.1:$port/metrics" >"$NT_TMP/metrics" || fail "no /metrics"
	promtool check metrics <"$NT_TMP/metrics" || fail "promtool: $(promtool check metrics <"$NT_TMP/metrics" 2>&1)"
	! grep -E '10\.253\.|:9999|:7777|0xffff' "$NT_TMP/metrics" || fail "addresses, ports or pointers in labels"
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nothing")" = 404 ] || fail "not 404"
	kill -TERM "$NT_PID"
	wait "$NT_PID" || fail "nettrace exited $? on SIGTERM"
	grep -q 'samples, 0 events lost; [0-9]* reports printed, [0-9]* samples folded' "$NT_ERR" || fail "summary: $(tail -n1 "$NT_ERR")"
	expect_line "^\[[0-9.]+\] drop NO_SOCKET at tcp_v4_rcv\+0x[0-9a-f]+ in netns [0-9]+ \($B\) dev b0: TCP 10\.253\.1\.1:[0-9]+ -> 10\.253\.2\.1:9999 .*flags:S"
	expect_line "^\[[0-9.]+\] netfilter-drop NETFILTER_DROP at nft_do_chain\+0x[0-9a-f]+ in netns [0-9]+ \($R\) dev r0: UDP 10\.253\.1\.1:[0-9]+ -> 10\.253\.2\.1:7777 len:14 \| nft table inet nt_mon chain forward rule 'udp dport 7777 drop' \(handle [0-9]+\)( \| |$)"
	expect_line "^\[[0-9.]+\] drop IP_INNOROUTES at ip_error\+0x[0-9a-f]+ in netns [0-9]+ \($R\) dev r0: UDP 10\.253\.1\.1:[0-9]+ -> 10\.99\.0\.1:5000"
	expect_line "^\[[0-9.]+\] tcp-reset in netns [0-9]+ \($B\) dev b0: TCP 10\.253\.1\.1:[0-9]+ -> 10\.253\.2\.1:9999"
	# The learning trace's table is gone with it.
	# The kernel drops an owner table a little after its socket is released.
	for i in $(seq 1 50); do
		in_ns "$R" nft list tables | grep -q nettrace_ || break
		sleep 0.1
	done
	! in_ns "$R" nft list tables | grep -q nettrace_ || fail "trace table left: $(in_ns "$R" nft list tables)"
}

test_monitor_rules_check() {
	need promtool
	promtool check rules "$MON_DIR/deploy/prometheus/nettrace-rules.yml" >"$NT_TMP/out" 2>&1 ||
		fail "promtool check rules: $(cat "$NT_TMP/out")"
	grep -q 'SUCCESS: [1-9][0-9]* rules found' "$NT_TMP/out" || fail "no rules: $(cat "$NT_TMP/out")"
}

test_monitor_json() {
	need python3
	ns_add A
	nt_start --monitor --json --netns "/run/netns/$A"
	udp_send "$A" 127.0.0.1 9 1
	wait_for '"kind":"drop"' "$NT_OUT" || fail "no report: $(cat "$NT_OUT")"
	nt_stop
	python3 - "$NT_OUT" <<-'EOF' || fail "JSON: $(cat "$NT_OUT")"
		import json, sys
		r = [json.loads(l) for l in open(sys.argv[1])]
		d = [x for x in r if x.get("reason") == "NO_SOCKET"]
		assert d and d[0]["event"] == "report" and d[0]["location"].startswith("__udp4_lib_rcv+0x"), r
		assert d[0]["packet"].startswith("UDP 127.0.0.1:") and d[0]["dev"] == "lo", d[0]
		# The diagnosis of the sampled packet: its ERROR finding and advice.
		assert d[0]["finding"].startswith("udp.port.closed: ") and d[0]["advice"], d[0]
	EOF
}

# A namespace made after the start is labelled; when it is deleted, its series go.
test_monitor_netns_churn() {
	need curl nc
	local port
	port=$(free_port)
	nt_start --monitor --metrics "127.0.0.1:$port"
	ns_add X
	in_ns "$X" nc -z 127.0.0.1 9999
	metrics_wait "^nettrace_drops_total\{reason=\"NO_SOCKET\",location=\"tcp_v4_rcv\",netns=\"[0-9]+\",netns_name=\"$X\",device=\"lo\",protocol=\"tcp\"\} 1$" "$port" ||
		fail "no series for $X: $(curl -s "http://127.0.0.1:$port/metrics" | grep "$X")"
	ip netns del "$X"
	metrics_wait '^nettrace_namespaces_released_total [1-9]' "$port" || fail "no namespace released"
	! curl -fs "http://127.0.0.1:$port/metrics" | grep -q "netns_name=\"$X\"" ||
		fail "series of $X left: $(curl -s "http://127.0.0.1:$port/metrics" | grep "$X")"
	nt_stop
}

# 1M drops: counted exactly, memory flat, the reports folded.
test_monitor_flood() {
	need gcc curl
	gcc -O2 -o "$NT_TMP/udpflood" "$MON_DIR/bench/udpflood.c" || fail "cannot build udpflood"
	ns_add F
	local port rss0 rss1 sent
	port=$(free_port)
	nt_start --monitor --metrics "127.0.0.1:$port" --netns "/run/netns/$F" --report-window 2
	in_ns "$F" "$NT_TMP/udpflood" -d 127.0.0.1:9 -n 20000 >/dev/null
	sleep 1.5
	rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$NT_PID/status")
	in_ns "$F" "$NT_TMP/udpflood" -d 127.0.0.1:9 -n 1000000 -b 64 >"$NT_TMP/flood" || fail "flood"
	sent=$(sed -E 's/.*sent=([0-9]+).*/\1/' "$NT_TMP/flood")
	[ "$sent" -eq 1000000 ] || fail "sent only $sent"
	metrics_wait "^nettrace_drops_total\{reason=\"NO_SOCKET\",location=\"__udp4_lib_rcv\",netns=\"[0-9]+\",netns_name=\"$F\",device=\"lo\",protocol=\"udp\"\} 1020000$" "$port" ||
		fail "count: $(curl -s "http://127.0.0.1:$port/metrics" | grep NO_SOCKET)"
	rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$NT_PID/status")
	[ $((rss1 - rss0)) -lt 1024 ] || fail "VmRSS grew from $rss0 kB to $rss1 kB"
	wait_for 'NO_SOCKET at __udp4_lib_rcv in netns [0-9]+ \('"$F"'\) dev lo: and [0-9]+ more like it in the last [0-9]+ s' "$NT_OUT" 10 ||
		fail "no folded line: $(tail -n 5 "$NT_OUT")"
	nt_stop
	local lines more
	lines=$(grep -c 'drop NO_SOCKET at __udp4_lib_rcv+0x' "$NT_OUT")
	more=$(sed -nE 's/.*NO_SOCKET at __udp4_lib_rcv .*: and ([0-9]+) more like it.*/\1/p' "$NT_OUT" |
		awk '{ n += $1 } END { print n + 0 }')
	[ "$lines" -le 60 ] || fail "$lines report lines for one kind"
	[ $((lines + more)) -eq 1020000 ] || fail "$lines printed + $more folded, not 1020000"
}

test_monitor_port_in_use() {
	need python3
	local port rc=0
	port=$(free_port)
	python3 -c "import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen(); time.sleep(30)" &
	NT_PIDS+=($!)
	wait_for_listen "$port"
	"$NETTRACE" --monitor --metrics "127.0.0.1:$port" >"$NT_TMP/out" 2>"$NT_TMP/err" || rc=$?
	[ "$rc" -eq 1 ] || fail "exit $rc, not 1: $(cat "$NT_TMP/err")"
	grep -q "127.0.0.1:$port: cannot listen: Address already in use" "$NT_TMP/err" ||
		fail "message: $(cat "$NT_TMP/err")"
}

wait_for_listen() {
	local i
	for i in $(seq 1 50); do
		ss -ltn "sport = :$1" | grep -q LISTEN && return 0
		sleep 0.1
	done
	fail "nothing listens on $1"
}

test_monitor_kill9_leaves_nothing() {
	need nft
	router_topo 10.253 fd53
	mon_nft_drop
	nt_start --monitor
	udp_send "$A" 10.253.2.1 7777
	# Wait for its nft trace table (learning the rule) in R, in a build that learns rules.
	local i nft=1
	grep -q 'nft rules not learned' "$NT_ERR" && nft=0
	for i in $(seq 1 50); do
		[ "$nft" = 1 ] || break
		in_ns "$R" nft list tables | grep -q "nettrace_$NT_PID" && break
		sleep 0.1
	done
	[ "$nft" = 0 ] || in_ns "$R" nft list tables | grep -q "nettrace_$NT_PID" || fail "no trace table in R"
	bpf_kill9_leaves_nothing
	# The kernel drops an owner table a little after its socket is released.
	for i in $(seq 1 50); do
		in_ns "$R" nft list tables | grep -q nettrace_ || break
		sleep 0.1
	done
	! in_ns "$R" nft list tables | grep -q nettrace_ || fail "trace table left: $(in_ns "$R" nft list tables)"
}
