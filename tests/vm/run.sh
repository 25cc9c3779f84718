#!/bin/bash
# Run nettrace's end-to-end tests inside Debian's stock cloud kernels (qemu, TCG).
#
#   tests/vm/run.sh [--kernel 6.1|6.12|all] [--timeout SECONDS] [--keep] [--verbose]
#                   BINARY [TEST_ARGS...]
#
#   --kernel   which Debian kernel(s) to boot (default: all = 6.1 and 6.12)
#   --timeout  seconds per kernel before the guest is killed (default: 900)
#   --keep     keep the build directory (initramfs trees) under .cache/vm
#   --verbose  show the whole guest console, not only PASS/FAIL/SKIP lines
#
# BINARY (./nettrace, or ./nettrace-static) becomes /bin/nettrace in the guest,
# with the shared libraries ldd finds for it; Debian's python3 and a trimmed
# stdlib are in the guest too. The repository's tests/e2e (and tests/lib)
# become /nt/tests/*, and the guest runs
#   NETTRACE=/bin/nettrace NT_VM=$(uname -r) bash /nt/tests/e2e/run.sh TEST_ARGS...
# Environment:
#   NT_TESTS_DIR    directory holding e2e/ (and lib/) instead of <repo>/tests
#   NT_VM_CACHE     cache directory instead of <repo>/.cache/vm
#   NT_VM_NO_INSTALL=1  never run apt-get install (fail if something is missing)
#   NT_VM_SMP       guest CPUs (default 2; 1 lets two guests run side by side)
# Exit status 0 only if every selected kernel booted, its runner exited 0 and
# printed at least one PASS line.

set -euo pipefail
shopt -s inherit_errexit

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
readonly SCRIPT_DIR REPO_DIR
readonly CACHE_DIR=${NT_VM_CACHE:-$REPO_DIR/.cache/vm}
readonly TESTS_DIR=${NT_TESTS_DIR:-$REPO_DIR/tests}
readonly SMP=${NT_VM_SMP:-2}
readonly MULTIARCH=x86_64-linux-gnu
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

# Kernel modules shipped in the initramfs and loaded by /init (with their
# dependencies). Names that are missing or built in are only reported.
readonly MODULES=(
	ipv6 veth bridge br_netfilter 8021q vxlan geneve macvlan ipvlan tun dummy ifb
	ip_tunnel ipip ip_gre ip6_tunnel
	nfnetlink nfnetlink_log nfnetlink_queue nf_conntrack nf_conntrack_netlink
	nf_nat nf_defrag_ipv4 nf_defrag_ipv6 nf_reject_ipv4 nf_reject_ipv6 nf_log_syslog
	nf_tables nft_ct nft_nat nft_chain_nat nft_masq nft_redir nft_reject nft_reject_inet
	nft_reject_ipv4 nft_reject_ipv6 nft_log nft_limit nft_counter nft_compat nft_quota
	nft_fib nft_fib_inet nft_fib_ipv4 nft_fib_ipv6 nft_numgen nft_hash nft_socket
	nft_meta_bridge nft_reject_bridge nft_queue nft_tproxy nft_dup_ipv4 nft_dup_ipv6
	x_tables ip_tables ip6_tables iptable_filter iptable_nat iptable_raw iptable_mangle
	ip6table_filter ip6table_nat ip6table_raw ip6table_mangle ebtables ebtable_filter
	xt_tcpudp xt_conntrack xt_MASQUERADE xt_nat xt_LOG xt_TRACE xt_comment xt_state
	xt_mark xt_CT xt_REDIRECT xt_multiport xt_addrtype xt_physdev xt_NFLOG xt_NFQUEUE
	xt_limit xt_length xt_pkttype xt_owner xt_u32 xt_bpf xt_set ip_set
	sch_ingress sch_netem sch_htb sch_prio sch_tbf sch_fq_codel sch_fq
	cls_bpf act_bpf act_gact act_mirred cls_u32 cls_matchall cls_flower cls_basic
)

# Debian packages needed on the host: package:file-that-proves-it.
readonly REQUIRED_PKGS=(
	qemu-system-x86:/usr/bin/qemu-system-x86_64 busybox-static: cpio:/usr/bin/cpio
	kmod:/usr/sbin/depmod xz-utils:/usr/bin/xz iproute2:/usr/sbin/tc
	nftables:/usr/sbin/nft iptables:/usr/sbin/xtables-legacy-multi bash:/usr/bin/bash
	libc-bin:/usr/bin/ldd python3:/usr/bin/python3
)
# Wanted but not fatal when they cannot be installed.
readonly OPTIONAL_PKGS=(
	iputils-ping:/usr/bin/ping netcat-openbsd:/usr/bin/nc.openbsd conntrack:/usr/sbin/conntrack
	bpftool:/usr/sbin/bpftool
)
# Host tools copied into the guest when present (with their shared libraries).
readonly TOOLS=(
	bash ip tc bridge ss nstat nft conntrack nc ping ping6 ethtool tcpdump socat bpftool
	iptables iptables-save iptables-restore iptables-legacy iptables-legacy-save
	iptables-legacy-restore iptables-nft iptables-nft-save iptables-nft-restore
	ip6tables ip6tables-save ip6tables-restore ip6tables-legacy ip6tables-legacy-save
	ip6tables-legacy-restore ip6tables-nft ip6tables-nft-save ip6tables-nft-restore
	ebtables ebtables-nft arptables arptables-nft xtables-monitor
)

KERNELS=(6.1 6.12)
TIMEOUT=900
KEEP=0
VERBOSE=0
BINARY=
TEST_ARGS=()
BUILD_DIR=
KERNEL_DIR=
END_MARKER=
RESULT=1
QEMU_PID=
TAIL_PID=
declare -A COPIED=()

log() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: error: %s\n' "$*" >&2; exit 2; }

usage() {
	if (("${1:-0}")); then exec >&2; fi
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

parse_args() {
	while (($#)); do
		case $1 in
		--kernel)
			[[ $# -ge 2 ]] || die "--kernel needs a value"
			case $2 in
			6.1 | 6.12) KERNELS=("$2") ;;
			all) KERNELS=(6.1 6.12) ;;
			*) die "unknown kernel '$2' (6.1, 6.12 or all)" ;;
			esac
			shift 2 ;;
		--kernel=*) set -- --kernel "${1#*=}" "${@:2}" ;;
		--timeout)
			[[ $# -ge 2 && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || die "--timeout needs a number of seconds"
			TIMEOUT=$2
			shift 2 ;;
		--timeout=*) set -- --timeout "${1#*=}" "${@:2}" ;;
		--keep) KEEP=1; shift ;;
		--verbose | -v) VERBOSE=1; shift ;;
		-h | --help) usage 0 ;;
		--) shift; break ;;
		-*) die "unknown option $1 (see --help)" ;;
		*) break ;;
		esac
	done
	(($#)) || usage 2
	BINARY=$(readlink -f "$1") || die "no such binary: $1"
	[[ -f $BINARY && -x $BINARY ]] || die "not an executable file: $1"
	shift
	TEST_ARGS=("$@")
	[[ -f $TESTS_DIR/e2e/run.sh ]] || die "no e2e runner at $TESTS_DIR/e2e/run.sh"
}

# ---------------------------------------------------------------- host packages

pkg_installed() {
	[[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

apt_install() {
	[[ ${NT_VM_NO_INSTALL:-0} != 1 && $EUID -eq 0 ]] || return 1
	log "apt-get install $*"
	apt-get install -y -q --no-install-recommends "$@" >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "$@" >&2; }
}

missing_pkgs() { # package:file...
	local spec pkg file
	for spec in "$@"; do
		pkg=${spec%%:*} file=${spec#*:}
		if ! pkg_installed "$pkg" || [[ -n $file && ! -e $file ]]; then
			echo "$pkg"
		fi
	done
}

ensure_packages() {
	local -a missing
	mapfile -t missing < <(missing_pkgs "${REQUIRED_PKGS[@]}")
	if ((${#missing[@]})); then
		apt_install "${missing[@]}" || die "missing packages: ${missing[*]}"
	fi
	mapfile -t missing < <(missing_pkgs "${OPTIONAL_PKGS[@]}")
	if ((${#missing[@]})); then
		apt_install "${missing[@]}" || log "note: could not install ${missing[*]} (continuing)"
	fi
}

# ---------------------------------------------------------------- kernels

# Debian package name of the kernel for a series (empty if apt does not know).
kernel_package() {
	case $1 in
	6.1)
		apt-cache depends linux-image-cloud-amd64 2>/dev/null |
			awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1\.0-[0-9]+-cloud-amd64$/ { print $2; exit }' ;;
	6.12)
		apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' 2>/dev/null |
			awk '{ print $1 }' | sort -V | tail -n 1 ;;
	esac
}

# Newest kernel of a series already extracted in the cache (offline fallback).
cached_kernel_package() {
	local pattern
	case $1 in
	6.1) pattern='linux-image-6.1.0-*-cloud-amd64' ;;
	6.12) pattern='linux-image-6.12.*+deb12-cloud-amd64-unsigned' ;;
	esac
	find "$CACHE_DIR/kernels" -mindepth 2 -maxdepth 2 -name .ready -path "*/$pattern/.ready" 2>/dev/null |
		awk -F/ '{ print $(NF-1) }' | sort -V | tail -n 1
}

can_apt() { [[ ${NT_VM_NO_INSTALL:-0} != 1 && $EUID -eq 0 ]]; }

# download_deb PACKAGE DIR: apt-get download into DIR (returns apt's status).
download_deb() {
	mkdir -p "$2"
	# apt downloads as user _apt when it can write there (no warning then)
	chown _apt "$2" 2>/dev/null || true
	(cd "$2" && apt-get download -q "$1" >&2)
}

# extract_kernel PACKAGE DEB_DIR DIR: unpack, decompress modules, depmod.
extract_kernel() {
	local pkg=$1 debdir=$2 dir=$3 deb
	deb=$(find "$debdir" -name '*.deb' | head -n 1)
	[[ -n $deb ]] || die "no .deb downloaded for $pkg"
	dpkg-deb -x "$deb" "$dir.tmp/root"
	# busybox modprobe cannot load compressed modules: store them plain
	find "$dir.tmp/root/lib/modules" -name '*.ko.xz' -exec xz -d {} +
	find "$dir.tmp/root/lib/modules" -name '*.ko.zst' -exec zstd -q -d --rm {} +
	find "$dir.tmp/root/lib/modules" -name '*.ko.gz' -exec gzip -d {} +
	depmod -b "$dir.tmp/root" "$(kernel_release "$dir.tmp")"
	touch "$dir.tmp/.ready"
	mv "$dir.tmp" "$dir"
}

# fetch_kernel SERIES: sets KERNEL_DIR to the extracted kernel (boot/vmlinuz-*,
# lib/modules/*), downloading the newest Debian package of the series unless
# it is cached already. Older cached kernels of the series are removed.
fetch_kernel() {
	local series=$1 pkg dir old debdir
	pkg=$(kernel_package "$series")
	if [[ -z $pkg ]] && can_apt; then
		apt-get update -q >&2 || true
		pkg=$(kernel_package "$series")
	fi
	[[ -n $pkg ]] || pkg=$(cached_kernel_package "$series")
	[[ -n $pkg ]] || die "cannot find a Debian package for kernel $series"
	dir=$CACHE_DIR/kernels/$pkg
	if [[ ! -e $dir/.ready ]]; then
		log "fetching $pkg"
		rm -rf "$dir" "$dir.tmp"
		debdir=$dir.tmp/deb
		if ! download_deb "$pkg" "$debdir"; then
			# stale package index? (Debian drops superseded kernels)
			can_apt || die "apt-get download $pkg failed"
			apt-get update -q >&2 || true
			rm -rf "$dir.tmp"
			pkg=$(kernel_package "$series")
			dir=$CACHE_DIR/kernels/$pkg
			debdir=$dir.tmp/deb
			if [[ -z $pkg ]] || ! download_deb "$pkg" "$debdir"; then
				die "apt-get download ${pkg:-kernel $series} failed"
			fi
		fi
		extract_kernel "$pkg" "$debdir" "$dir"
		rm -rf "$dir/deb"
		for old in "$CACHE_DIR"/kernels/*/; do
			old=${old%/}
			[[ $old != "$dir" && $(series_of "${old##*/}") == "$series" ]] || continue
			log "removing old cached kernel ${old##*/}"
			rm -rf "$old"
		done
	fi
	KERNEL_DIR=$dir
}

series_of() { # package name -> 6.1 / 6.12 / nothing
	case $1 in
	linux-image-6.1.0-*-cloud-amd64 | linux-image-6.1.0-*-cloud-amd64.tmp) echo 6.1 ;;
	linux-image-6.12.*+deb12-cloud-amd64-unsigned*) echo 6.12 ;;
	esac
}

kernel_release() { # kernel dir -> uname -r
	local d
	for d in "$1"/root/lib/modules/*/; do basename "$d"; return; done
	die "no modules directory in $1"
}

# ---------------------------------------------------------------- initramfs

# copy_path ROOT FILE: copy FILE to the same path under ROOT (dereferenced).
copy_path() {
	local root=$1 file=$2
	[[ -n ${COPIED[$root$file]:-} ]] && return 0
	COPIED[$root$file]=1
	mkdir -p "$root$(dirname "$file")"
	cp -L --preserve=mode "$file" "$root$file"
}

# copy_libs ROOT FILE: copy the shared libraries ldd finds for FILE.
copy_libs() {
	local root=$1 file=$2 lib
	while read -r lib; do
		[[ -n $lib ]] && copy_path "$root" "$lib"
	done < <(ldd "$file" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3; next }
		$1 ~ /^\// { print $1 }')
}

# copy_elf ROOT FILE: copy FILE and its shared libraries.
copy_elf() {
	copy_path "$1" "$2"
	copy_libs "$1" "$2"
}

# copy_tool ROOT NAME: copy a host command, keeping its symlink (iptables ->
# xtables-nft-multi, which dispatches on argv[0]).
copy_tool() {
	local root=$1 name=$2 path real
	path=$(command -v "$name" 2>/dev/null) || return 0
	[[ $path == /* ]] || return 0
	real=$(readlink -f "$path")
	copy_elf "$root" "$real"
	if [[ $path != "$real" && ! -e $root$path ]]; then
		mkdir -p "$root$(dirname "$path")"
		ln -s "$real" "$root$path"
	fi
}

copy_dir_with_libs() { # ROOT DIR: copy DIR and the libraries of the .so files in it
	local root=$1 dir=$2 so
	[[ -d $dir ]] || return 0
	mkdir -p "$root$(dirname "$dir")"
	cp -a "$dir" "$root$dir"
	for so in "$dir"/*.so; do
		[[ -e $so ]] && copy_elf "$root" "$so"
	done
}

# Debian's python3 (not whatever python3 PATH finds: pyenv shims are scripts)
# with its standard library, less what no test imports (and the extension
# modules that bring in libcrypto, sqlite, ncurses, ...). A test that imports a
# left-out module fails with ModuleNotFoundError naming it.
readonly PYTHON=/usr/bin/python3
readonly PYTHON_LEAVE_OUT=(
	'config-*' test idlelib tkinter turtledemo ensurepip lib2to3 pydoc_data distutils unittest
	site-packages asyncio email http xml xmlrpc multiprocessing sqlite3 curses dbm wsgiref venv
	'lib-dynload/_test*' 'lib-dynload/_ctypes_test*' 'lib-dynload/_xxtestfuzz*' 'lib-dynload/xxlimited*'
	'lib-dynload/_sqlite3*' 'lib-dynload/_dbm*' 'lib-dynload/_gdbm*' 'lib-dynload/_curses*'
	'lib-dynload/readline*' 'lib-dynload/nis*' 'lib-dynload/_ssl*' 'lib-dynload/_hashlib*'
)

copy_python() { # ROOT
	local root=$1 real stdlib so d
	local -a leave=()
	real=$(readlink -f "$PYTHON")
	stdlib=/usr/lib/${real##*/}
	[[ -x $real && -d $stdlib ]] || die "no Debian python3 at $PYTHON with $stdlib"
	copy_elf "$root" "$real"
	[[ $real == "$PYTHON" ]] || ln -sfn "${real##*/}" "$root$PYTHON"
	for d in "${PYTHON_LEAVE_OUT[@]}"; do leave+=(--exclude="./$d"); done
	mkdir -p "$root$stdlib"
	tar -C "$stdlib" -chf - "${leave[@]}" . | tar -C "$root$stdlib" -xf - # -h: sitecustomize.py is a link into /etc
	for so in "$root$stdlib"/lib-dynload/*.so; do
		copy_libs "$root" "$stdlib/lib-dynload/${so##*/}"
	done
}

# Copies the modules named in MODULES and their dependencies, writes
# /nt/modules.list (load order) and runs depmod on the staged tree.
stage_modules() {
	local root=$1 kdir=$2 kver=$3 name file rel dep line
	local src=$kdir/root/lib/modules/$kver dst=$root/lib/modules/$kver
	local -A want=()
	local -a found=() missing=() builtin=()
	declare -A deps=()
	while IFS= read -r line; do
		deps[${line%%:*}]=${line#*:}
		rel=${line%%:*}
		file=${rel##*/}
		want[${file%.ko}]=$rel
	done <"$src/modules.dep"
	mkdir -p "$dst"
	for name in "${MODULES[@]}"; do
		rel=${want[$name]:-${want[${name//-/_}]:-${want[${name//_/-}]:-}}}
		if [[ -z $rel ]]; then
			if grep -qE "/(${name}|${name//_/-})\.ko$" "$src/modules.builtin"; then
				builtin+=("$name")
			else
				missing+=("$name")
			fi
			continue
		fi
		found+=("$name")
		for dep in "$rel" ${deps[$rel]}; do
			if [[ ! -e $dst/$dep ]]; then
				mkdir -p "$dst/$(dirname "$dep")"
				cp "$src/$dep" "$dst/$dep"
			fi
		done
	done
	cp "$src"/modules.builtin "$src"/modules.builtin.modinfo "$src"/modules.order "$dst"/
	depmod -b "$root" "$kver"
	printf '%s\n' "${found[@]}" >"$root/nt/modules.list"
	log "$kver: ${#found[@]} modules requested + deps ($(find "$dst" -name '*.ko' | wc -l) files)"
	((${#builtin[@]} == 0)) || log "$kver: built in: ${builtin[*]}"
	((${#missing[@]} == 0)) || log "$kver: note: modules not found: ${missing[*]}"
}

write_etc() {
	local root=$1 f
	mkdir -p "$root/etc"
	echo 'root:x:0:0:root:/root:/bin/bash' >"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	printf '127.0.0.1\tlocalhost nettrace-vm\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
	printf 'passwd: files\ngroup: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\n' \
		>"$root/etc/nsswitch.conf"
	for f in /etc/protocols /etc/services /etc/ethertypes /etc/netconfig; do
		[[ -e $f ]] && cp -L "$f" "$root$f"
	done
	[[ -d /etc/iproute2 ]] && cp -a /etc/iproute2 "$root/etc/"
	return 0
}

# build_initramfs SERIES KERNEL_DIR OUTPUT
build_initramfs() {
	local series=$1 kdir=$2 out=$3 kver root applet d
	kver=$(kernel_release "$kdir")
	root=$BUILD_DIR/root-$series
	rm -rf "$root"
	mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{dev,proc,sys,tmp,run,root,nt/tests}
	for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
	mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || log "note: cannot mknod /dev/console"

	# real tools first, then busybox applets for every name still free
	for applet in "${TOOLS[@]}"; do copy_tool "$root" "$applet"; done
	copy_dir_with_libs "$root" "/usr/lib/$MULTIARCH/xtables"
	copy_dir_with_libs "$root" "/usr/lib/$MULTIARCH/tc"
	copy_python "$root"
	cp /bin/busybox "$root/usr/bin/busybox"
	while read -r applet; do
		[[ $applet == linuxrc ]] && continue
		[[ -e $root/usr/bin/${applet##*/} || -e $root/usr/sbin/${applet##*/} || -L $root/$applet ]] && continue
		ln -s /usr/bin/busybox "$root/$applet"
	done < <(/bin/busybox --list-full)
	# busybox sh runs its own applets (ip, tc, nc, ...) before anything in
	# PATH: make sh the real bash, as test scripts expect the real tools.
	ln -sfn bash "$root/usr/bin/sh"
	write_etc "$root"

	rm -f "$root/usr/bin/nettrace"
	cp "$BINARY" "$root/usr/bin/nettrace"
	chmod 755 "$root/usr/bin/nettrace"
	copy_libs "$root" "$BINARY" # none for a static one

	mkdir -p "$root/nt/tests"
	cp -a "$TESTS_DIR/e2e" "$root/nt/tests/e2e"
	[[ -d $TESTS_DIR/lib ]] && cp -a "$TESTS_DIR/lib" "$root/nt/tests/lib"
	# BPF objects the tests load (built by make into build/tests/progs).
	[[ -d $REPO_DIR/build/tests/progs ]] && cp -a "$REPO_DIR/build/tests/progs" "$root/nt/tests/progs"

	stage_modules "$root" "$kdir" "$kver"

	install -m 755 "$SCRIPT_DIR/init.sh" "$root/init"
	printf 'NT_END_MARKER=%q\nNT_VM_SERIES=%q\n' "$END_MARKER" "$series" >"$root/nt/vm.conf"
	{
		printf 'NT_ARGS=('
		((${#TEST_ARGS[@]} == 0)) || printf ' %q' "${TEST_ARGS[@]}"
		printf ' )\n'
	} >"$root/nt/args.sh"

	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -6 >"$out"
	log "$series: initramfs $(du -h "$out" | cut -f1) ($kver)"
	((KEEP)) || rm -rf "$root"
}

# ---------------------------------------------------------------- qemu

stop_qemu() {
	local i
	if [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill -TERM "$QEMU_PID" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			kill -0 "$QEMU_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
	QEMU_PID=
	if [[ -n $TAIL_PID ]]; then
		kill "$TAIL_PID" 2>/dev/null || true
		wait "$TAIL_PID" 2>/dev/null || true
		TAIL_PID=
	fi
}

cleanup() {
	stop_qemu
	if [[ -n $BUILD_DIR && -d $BUILD_DIR ]]; then
		if ((KEEP)); then
			log "build directory kept: $BUILD_DIR"
		else
			rm -rf "$BUILD_DIR"
		fi
	fi
}

on_signal() {
	trap - INT TERM
	log "interrupted"
	cleanup
	exit 130
}

# Console text without carriage returns and terminal escapes (SeaBIOS).
clean_console() {
	tr -d '\r' | sed -u 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g; s/\x1b[()][0-9A-Z]//g'
}

# Live view of the console: test result lines (everything with --verbose).
show_console() { # SERIES LOG
	local series=$1 line
	tail -n +1 -F --pid="$QEMU_PID" "$2" 2>/dev/null | clean_console | while IFS= read -r line; do
		if ((VERBOSE)) || [[ $line =~ ^(PASS|FAIL|SKIP)( |:|$) || $line =~ ^[0-9]+\ passed, ]]; then
			printf '[%s] %s\n' "$series" "$line"
		fi
	done
}

# run_kernel SERIES: build, boot, report. Sets RESULT to 0 on success, 1 otherwise.
# (Called as a plain command so that set -e still applies inside.)
run_kernel() {
	local series=$1 kdir kver initrd logf start t_build t_run status rc pass fail skip
	start=$SECONDS
	fetch_kernel "$series"
	kdir=$KERNEL_DIR
	kver=$(kernel_release "$kdir")
	initrd=$BUILD_DIR/initrd-$series.img
	build_initramfs "$series" "$kdir" "$initrd"
	t_build=$((SECONDS - start))

	mkdir -p "$CACHE_DIR/logs"
	logf=$CACHE_DIR/logs/$series-$(date +%Y%m%d-%H%M%S).log
	ln -sfn "$(basename "$logf")" "$CACHE_DIR/logs/$series-latest.log"
	# keep the 20 newest logs per kernel
	find "$CACHE_DIR/logs" -maxdepth 1 -type f -name "$series-2*.log" | sort -r | tail -n +21 | xargs -r rm -f
	log "$series: booting $kver (timeout ${TIMEOUT}s), console log $logf"
	start=$SECONDS
	qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp "$SMP" -nographic -no-reboot -nic none \
		-kernel "$kdir/root/boot/vmlinuz-$kver" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 quiet" </dev/null >"$logf" 2>&1 &
	QEMU_PID=$!
	show_console "$series" "$logf" &
	TAIL_PID=$!

	status=finished
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		if ((SECONDS - start >= TIMEOUT)); then
			status=timeout
			break
		fi
		sleep 1
	done
	if [[ $status == timeout ]]; then
		stop_qemu
	else
		wait "$QEMU_PID" 2>/dev/null || true
		QEMU_PID=
		wait "$TAIL_PID" 2>/dev/null || true
		TAIL_PID=
	fi
	t_run=$((SECONDS - start))

	clean_console <"$logf" >"$BUILD_DIR/console-$series.txt"
	rc=$(sed -n "s/^$END_MARKER rc=\([0-9]*\)\$/\1/p" "$BUILD_DIR/console-$series.txt" | tail -n 1)
	pass=$(grep -cE '^PASS( |:|$)' "$BUILD_DIR/console-$series.txt" || true)
	fail=$(grep -cE '^FAIL( |:|$)' "$BUILD_DIR/console-$series.txt" || true)
	skip=$(grep -cE '^SKIP( |:|$)' "$BUILD_DIR/console-$series.txt" || true)
	if [[ $status == timeout ]]; then
		echo "FAIL vm-$series: guest timed out after ${TIMEOUT}s (log: $logf)"
	elif [[ -z $rc ]]; then
		status=crashed
		echo "FAIL vm-$series: guest stopped without reporting a result (log: $logf)"
	fi
	if [[ $status != finished ]]; then
		echo "[$series] last console lines:"
		tail -n 15 "$BUILD_DIR/console-$series.txt" | sed "s/^/[$series] | /"
	fi
	printf '[%s] summary: %s passed, %s failed, %s skipped; runner exit %s; kernel %s; build %ss, boot+run %ss\n' \
		"$series" "$pass" "$fail" "$skip" "${rc:-none}" "$kver" "$t_build" "$t_run"
	RESULT=1
	if [[ $status == finished && $rc == 0 && $pass -gt 0 ]]; then
		RESULT=0
	elif [[ $status == finished && $rc == 0 ]]; then
		echo "FAIL vm-$series: the runner reported no PASS"
	fi
}

main() {
	parse_args "$@"
	[[ $SMP =~ ^[1-9][0-9]?$ ]] || die "NT_VM_SMP must be a number of CPUs, not '$SMP'"
	ensure_packages
	mkdir -p "$CACHE_DIR"
	BUILD_DIR=$(mktemp -d "$CACHE_DIR/build.XXXXXX")
	END_MARKER=NTVM-END-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	trap cleanup EXIT
	trap on_signal INT TERM

	local series ok=0 failed=()
	for series in "${KERNELS[@]}"; do
		run_kernel "$series"
		if ((RESULT == 0)); then
			ok=$((ok + 1))
		else
			failed+=("$series")
		fi
	done
	if ((${#failed[@]})); then
		echo "vm: FAILED on kernel(s): ${failed[*]}"
		return 1
	fi
	echo "vm: all ${ok} kernel run(s) passed"
}

main "$@"
