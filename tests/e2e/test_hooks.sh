# SPDX-License-Identifier: GPL-2.0
# The netfilter hook inventory (--hooks), in namespaces made here. Other
# processes may add BPF netfilter links to every namespace: the checks only
# look for what the test installed.

# hooks_section FILE "ipv4 FORWARD": the lines under that header.
hooks_section() {
	awk -v h="$2" '/^[a-z0-9]+ [A-Z_]+$/ { on = ($0 == h); next } on' "$1"
}

# In the --hooks --json inventory $1, priorities never decrease within a hook
# point, nor among a nat entry's chains. Fails when there is nothing to compare.
hooks_check_order() {
	python3 - "$1" <<-'EOF'
	import json, sys
	inv = json.load(open(sys.argv[1]))
	pairs, bad = 0, []
	for h in inv["hooks"]:
	    where = h["family"] + " " + h["hook"]
	    lists = [(where, h["entries"])]
	    lists += [(where + " " + e["function"], e["chains"]) for e in h["entries"] if e.get("chains")]
	    for name, rows in lists:
	        prios = [r["priority"] for r in rows]
	        for a, b in zip(prios, prios[1:]):
	            pairs += 1
	            if b < a:
	                bad.append("%s: %d after %d" % (name, b, a))
	if bad or not pairs:
	    sys.exit("; ".join(bad) or "no two neighbouring entries to compare")
	print("%d neighbouring priorities in order" % pairs)
	EOF
}

# No program or map of the hook walker may outlive the nettrace that loaded it.
hooks_check_unloaded() {
	local end=$((SECONDS + 10)) left
	while :; do
		{ "$NT_PROGS/bpfobj" list prog && "$NT_PROGS/bpfobj" list map; } >"$NT_TMP/bpf" 2>&1 ||
			fail "bpfobj list failed: $(tail -n 1 "$NT_TMP/bpf")"
		left=$(grep -E '^(prog|map) [0-9]+ (nt_hooks_walk|nt_hook_recs|nt_hook_privs)$' "$NT_TMP/bpf")
		[ -n "$left" ] || return 0
		[ "$SECONDS" -lt "$end" ] || break
		sleep 0.1
	done
	fail "the hook walker is still loaded after exit: $left"
}

test_hooks_inventory() {
	need nft python3
	need_bpfobj
	local legacy=0 rc=0 out err ino
	ns_add N
	in_ns "$N" nft -f - <<-EOF || fail "nft rules not accepted"
		table inet nt_test {
			chain forward {
				type filter hook forward priority 0;
			}
		}
		table ip nt_nat {
			chain postrouting {
				type nat hook postrouting priority srcnat;
				masquerade
			}
		}
	EOF
	if command -v iptables-legacy >/dev/null 2>&1 &&
		in_ns "$N" iptables-legacy -t filter -A INPUT -j ACCEPT 2>/dev/null; then
		legacy=1
	else
		echo "iptables-legacy unavailable: legacy table not checked"
	fi
	out="$NT_TMP/hooks.out"
	err="$NT_TMP/hooks.err"
	"$NETTRACE" --hooks --netns "/run/netns/$N" >"$out" 2>"$err" || rc=$?
	cat "$out" "$err"
	[ "$rc" -eq 0 ] || fail "nettrace --hooks exited $rc: $(tail -n 3 "$err")"
	ino=$(ns_inode "$N")
	head -n 1 "$out" | grep -qx "netns $ino (/run/netns/$N)" ||
		fail "header: $(head -n 1 "$out")"

	hooks_section "$out" "ipv4 FORWARD" |
		grep -Eq '^ +0  nft_do_chain_inet +nft table inet nt_test chain forward$' ||
		fail "nft forward chain not listed: $(hooks_section "$out" "ipv4 FORWARD")"
	hooks_section "$out" "ipv6 FORWARD" | grep -q 'nft table inet nt_test chain forward' ||
		fail "inet chain not listed for ipv6"
	hooks_section "$out" "ipv4 PRE_ROUTING" | grep -Eq '^ +-200  ipv4_conntrack_in +conntrack$' ||
		fail "conntrack not listed: $(hooks_section "$out" "ipv4 PRE_ROUTING")"
	hooks_section "$out" "ipv4 POST_ROUTING" | grep -A1 -E '^ +100  nf_nat_ipv4_out +nat$' |
		tail -n 1 | grep -Eq '^ {13,}100  nft table ip nt_nat chain postrouting$' ||
		fail "masquerade chain not nested under nat: $(hooks_section "$out" "ipv4 POST_ROUTING")"
	if [ "$legacy" -eq 1 ]; then
		hooks_section "$out" "ipv4 LOCAL_IN" |
			grep -Eq '^ +0  [a-z0-9_]+ +iptables-legacy table filter$' ||
			fail "iptables-legacy table not named: $(hooks_section "$out" "ipv4 LOCAL_IN")"
	fi
	! grep -q '^note: .*nat chains not listed' "$out" || fail "nat chains unreadable"

	# The same as one JSON object.
	rc=0
	"$NETTRACE" --hooks --json --netns "$ino" >"$out.json" 2>"$err" || rc=$?
	[ "$rc" -eq 0 ] || fail "--json exited $rc: $(tail -n 3 "$err")"
	[ "$(wc -l <"$out.json")" -eq 1 ] || fail "--json: not one line"
	grep -q "^{\"netns\":$ino,\"path\":\"/run/netns/$N\",\"hooks\":\[" "$out.json" ||
		fail "--json header: $(head -c 200 "$out.json")"
	grep -q '"chains":\[{"priority":100,"function":"[a-z_]*","owner":"nft","text":"nft table ip nt_nat chain postrouting"' "$out.json" ||
		fail "--json: nat chain missing: $(head -c 600 "$out.json")"
	hooks_check_order "$out.json" || fail "priorities out of order"

	# A namespace without rules has no nft entries.
	ns_add E
	rc=0
	"$NETTRACE" --hooks --netns "/run/netns/$E" >"$out" 2>"$err" || rc=$?
	cat "$out"
	[ "$rc" -eq 0 ] || fail "empty namespace: exited $rc: $(tail -n 3 "$err")"
	head -n 1 "$out" | grep -qx "netns $(ns_inode "$E") (/run/netns/$E)" ||
		fail "empty namespace header: $(head -n 1 "$out")"
	! grep -Eq 'nft_do_chain|nft table|iptables-legacy' "$out" ||
		fail "empty namespace lists rules: $(cat "$out")"
	hooks_check_unloaded
}

test_hooks_bad_netns() {
	local rc=0 arg
	for arg in /nonexistent 1; do
		rc=0
		"$NETTRACE" --hooks --netns "$arg" >"$NT_TMP/out" 2>"$NT_TMP/err" || rc=$?
		[ "$rc" -eq 2 ] || fail "--netns $arg exited $rc, not 2: $(cat "$NT_TMP/err")"
		grep -q -- '--netns' "$NT_TMP/err" ||
			fail "--netns $arg: message does not name --netns: $(cat "$NT_TMP/err")"
		[ ! -s "$NT_TMP/out" ] || fail "--netns $arg printed on stdout: $(cat "$NT_TMP/out")"
	done
}
