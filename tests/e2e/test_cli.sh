# SPDX-License-Identifier: GPL-2.0
# The command line: bad input exits 2 naming the option and loads nothing;
# nothing stays attached after kill -9.

# The BPF programs and links a process holds, as "prog ID" / "link ID" lines.
bpf_ids_of() {
	grep -hE '^(prog|link)_id:' /proc/"$1"/fdinfo/* 2>/dev/null | sed -E 's/_id:\s*/ /' | sort -u
}

test_cli_bad_options() {
	local args want rc
	while IFS='|' read -r args want; do
		rc=0
		# shellcheck disable=SC2086
		"$NETTRACE" $args >"$NT_TMP/out" 2>"$NT_TMP/err" || rc=$?
		[ "$rc" -eq 2 ] || fail "'$args' exited $rc, not 2"
		grep -q -- "$want" "$NT_TMP/err" || fail "'$args' message does not name $want: $(cat "$NT_TMP/err")"
		[ ! -s "$NT_TMP/out" ] || fail "'$args' printed on stdout"
	done <<-'EOF2'
		--drop -s 10.0.0|--saddr
		--drop -d 10.0.0.1/40|--daddr
		--drop --addr fe80::zz|--addr
		--drop --dport 70000|--dport
		--drop -S abc|--sport
		--drop -p bogus|--proto
		--drop --bogus|--bogus
		--drop -x|-x
		--drop --basic|--basic
		--drop --diag|--diag
		--drop --ret|--ret
		--drop --pkt-len 9-3|--pkt-len
		--drop --tcp-flags SQ|--tcp-flags
		--drop --netns /nonexistent/ns|--netns
		--drop --dev averyveryverylongname|--dev
		--drop -c 0|--count
		--drop --buffer-size 3|--buffer-size
		--drop extra|extra
		--drop -s|--saddr
	EOF2
}

test_cli_help_version() {
	"$NETTRACE" -h | grep -q -- '--drop-stack' || fail "help lacks --drop-stack"
	"$NETTRACE" --version | grep -q '^nettrace ' || fail "no version"
}

test_cli_kill9_leaves_nothing() {
	need bpftool
	ns_add A
	nt_start --drop --netns "/run/netns/$A"
	local ids kind id
	ids=$(bpf_ids_of "$NT_PID")
	echo "$ids" | grep -q '^link ' || fail "nettrace holds no BPF link: $ids"
	kill -KILL "$NT_PID"
	wait "$NT_PID" 2>/dev/null
	sleep 0.5
	while read -r kind id; do
		! bpftool "$kind" show id "$id" >/dev/null 2>&1 || fail "$kind $id still there after kill -9"
	done <<<"$ids"
}
