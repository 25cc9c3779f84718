#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs what building and testing nettrace need on Debian 12 (root).
# Only what is missing is installed.
set -euo pipefail

pkgs=(
	make gcc clang llvm pkg-config     # build; clang for BPF
	libbpf-dev bpftool libelf-dev zlib1g-dev libzstd-dev
	libnftables-dev libnftnl-dev libmnl-dev    # nft tracing (netfilter insight)
	libmicrohttpd-dev                  # --metrics (the monitor's HTTP server)
	libcmocka-dev                      # unit tests
	libclang-rt-dev                    # libFuzzer, ASan, UBSan for clang (make fuzz, make asan)
	iproute2 nftables iptables netcat-openbsd python3 iputils-ping  # e2e tests
	prometheus curl                    # e2e tests of the monitor (promtool, a real server)
	qemu-system-x86 busybox-static cpio kmod   # qemu guest tests (tests/vm)
	debhelper lintian                  # the Debian package and its test (make deb)
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
