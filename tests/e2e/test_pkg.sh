# SPDX-License-Identifier: GPL-2.0
# The man page, the bash completion and the Debian package: every option
# `nettrace --help` lists is documented and completed, and nothing else is;
# the .deb builds, passes lintian, and its nettrace and man page work.

# Host-only: they test the source tree and the package, not a kernel, and the
# qemu guests get tests/ only. Defined nowhere else, they do not run there.
[ -z "${NT_VM:-}" ] || return 0

NT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The guests get tests/ only: the man page and completion sources are not there.
pkg_need_sources() {
	local f
	for f in man/nettrace.8 completion/nettrace data/catalog.txt; do
		[ -f "$NT_REPO/$f" ] || skip "no $f here (the qemu guests get tests/ only)"
	done
}

# Options of `nettrace --help`, one per line: the leading words of its
# option lines ("  -s, --saddr ADDR", "      --all-funcs[=REGEX]").
pkg_help_opts() {
	"$NETTRACE" --help | awk '/^ +-/ {
		for (i = 1; i <= NF; i++) {
			w = $i
			sub(/,$/, "", w)
			sub(/[=[].*/, "", w)
			if (w !~ /^-(-[a-z][a-z0-9-]*|[A-Za-z])$/)
				break
			print w
		}
	}' | sort -u
}

# Options the man page documents: those in the tags of its .TP paragraphs.
pkg_man_opts() {
	awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' "$NT_REPO/man/nettrace.8" |
		sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/"/ /g' -e 's/,/ /g' |
		tr -s ' \t' '\n' | sed 's/[=[].*//' |
		grep -E '^-(-[a-z][a-z0-9-]*|[A-Za-z])$' | sort -u
}

# pkg_complete WORD...: the completion's replies, one per line, for a command
# line of these words with the cursor after the last one (no ':' or '=' in
# them, so bash's words are these words).
pkg_complete() {
	bash --norc --noprofile -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_nettrace
		printf "%s\n" "${COMPREPLY[@]}"' _ "$NT_REPO/completion/nettrace" "$@" |
		grep -v '^$' | sort -u
}

# pkg_same WHAT FILE_WANT FILE_GOT: fails naming what one has and the other lacks.
pkg_same() {
	local lacks extra
	[ -s "$2" ] || fail "$1: the reference list is empty"
	lacks=$(comm -23 "$2" "$3" | tr '\n' ' ')
	extra=$(comm -13 "$2" "$3" | tr '\n' ' ')
	[ -z "$lacks$extra" ] || fail "$1: missing: ${lacks:-none}; not in the reference: ${extra:-none}"
}

test_pkg_options_documented() {
	pkg_need_sources
	pkg_help_opts >"$NT_TMP/help"
	# A sanity floor, so that a --help this parser misreads cannot pass.
	[ "$(wc -l <"$NT_TMP/help")" -ge 30 ] || fail "only $(wc -l <"$NT_TMP/help") options read from --help"
	pkg_man_opts >"$NT_TMP/man"
	pkg_same "man page against --help" "$NT_TMP/help" "$NT_TMP/man"
	pkg_complete "$NETTRACE" - >"$NT_TMP/comp"
	pkg_same "completion of '-' against --help" "$NT_TMP/help" "$NT_TMP/comp"
}

test_pkg_completion_values() {
	local got kind opts opt
	pkg_need_sources
	# -p and --backend: the values --help names.
	"$NETTRACE" --help | sed -nE 's/^ *-p, --proto PROTO +//p' |
		tr -cs 'a-z0-9\n' '\n' | grep -v '^$' | sort -u >"$NT_TMP/protos"
	pkg_complete "$NETTRACE" -p "" >"$NT_TMP/comp"
	pkg_same "completion of -p against --help" "$NT_TMP/protos" "$NT_TMP/comp"
	"$NETTRACE" --help | sed -nE 's/^ *--backend NAME +//p' |
		tr -cs 'a-z0-9\n-' '\n' | grep -vx -e '' -e or | sort -u >"$NT_TMP/backends"
	pkg_complete "$NETTRACE" --backend "" >"$NT_TMP/comp"
	pkg_same "completion of --backend against --help" "$NT_TMP/backends" "$NT_TMP/comp"
	# -t: the catalog's groups and probes starting with "tcp", as the catalog
	# file has them (the completion asks the binary).
	sed 's/#.*//' "$NT_REPO/data/catalog.txt" |
		awk 'NF == 1 { print $1 } NF >= 2 { print $2 }' | grep '^tcp' | sort -u >"$NT_TMP/tcp"
	pkg_complete "$NETTRACE" -t tcp >"$NT_TMP/comp"
	pkg_same "completion of '-t tcp' against data/catalog.txt" "$NT_TMP/tcp" "$NT_TMP/comp"
	# After an option that takes a value, '-' is a value, not an option.
	"$NETTRACE" --help | awk '/^ +-/ {
		for (i = 1; i <= NF && $i ~ /^-/; i++)
			opts = opts " " $i
		print (i <= NF && $i ~ /^[A-Z]/ ? "value" : "flag") opts
		opts = ""
	}' | tr -d ',' | sed 's/[=[][^ ]*//g' >"$NT_TMP/kinds"
	[ "$(grep -c '^value' "$NT_TMP/kinds")" -ge 15 ] || fail "few options with values read from --help"
	while read -r kind opts; do
		for opt in $opts; do
			got=$(pkg_complete "$NETTRACE" "$opt" -)
			case $kind in
			value) ! grep -qx -- --help <<<"$got" || fail "'$opt -' completes options: $opt takes a value" ;;
			flag) grep -qx -- --help <<<"$got" || fail "'$opt -' does not complete options" ;;
			esac
		done
	done <"$NT_TMP/kinds"
	# The last name of a list is completed, the ones before it kept.
	got=$(pkg_complete "$NETTRACE" --trace-exclude tcp-in,ip-ou)
	[ "$got" = "tcp-in,ip-out" ] || fail "'--trace-exclude tcp-in,ip-ou' completes to '$got'"
}

# Builds the .deb (make deb), checks it with lintian, unpacks it into a
# scratch root and runs its nettrace and man from there.
test_pkg_deb() {
	local root="$NT_TMP/root" deb version page out warn
	pkg_need_sources
	[ -d "$NT_REPO/debian" ] || skip "no debian/ here"
	need dpkg-buildpackage dh lintian man git
	git -c safe.directory='*' -C "$NT_REPO" rev-parse --git-dir >/dev/null 2>&1 ||
		skip "$NT_REPO is not a git checkout (make deb packages the tracked files)"
	make -C "$NT_REPO" --no-print-directory deb DEB_OUT="$NT_TMP/deb" >"$NT_TMP/build.log" 2>&1 ||
		fail "make deb failed: $(tail -n 5 "$NT_TMP/build.log")"
	version=$(dpkg-parsechangelog -l "$NT_REPO/debian/changelog" -S Version)
	deb="$NT_TMP/deb/nettrace_${version}_$(dpkg --print-architecture).deb"
	[ -f "$deb" ] || fail "no $deb after make deb: $(ls "$NT_TMP/deb")"
	[ ! -e "$NT_TMP/deb/src" ] || fail "make deb left its build tree behind"

	# Errors and warnings fail; overridden tags are justified in debian/.
	lintian --fail-on error,warning "$NT_TMP/deb"/*.changes >"$NT_TMP/lintian" 2>&1 ||
		fail "lintian: $(grep -E '^[EW]:' "$NT_TMP/lintian" | head -n 5)"

	dpkg -x "$deb" "$root" || fail "dpkg -x $deb failed"
	out=$("$root/usr/sbin/nettrace" --version) || fail "installed nettrace --version failed"
	[ "$out" = "nettrace $version" ] || fail "installed nettrace --version says '$out', not 'nettrace $version'"
	bash --norc -c '. "$1" && complete -p nettrace' _ \
		"$root/usr/share/bash-completion/completions/nettrace" >/dev/null ||
		fail "the installed completion does not register for nettrace"

	# man by name, from the scratch root's man tree.
	out=$(MANPATH="$root/usr/share/man" MANWIDTH=80 man nettrace 2>"$NT_TMP/man.err") ||
		fail "man nettrace from the package failed: $(cat "$NT_TMP/man.err")"
	grep -q 'nettrace - follow network packets' <<<"$out" || fail "man nettrace shows no NAME line: $(head -c 300 <<<"$out")"
	grep -q -- '--drop-stack' <<<"$out" || fail "man nettrace does not show --drop-stack"
	# Every page the package has (dropreason(7) too, once it is generated)
	# renders, without a warning from groff.
	for page in "$root"/usr/share/man/man*/*; do
		warn=$(MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
		[ -z "$warn" ] || fail "man -l ${page#"$root"}: $warn"
	done
}
