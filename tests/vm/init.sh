#!/bin/busybox sh
# shellcheck shell=dash
# /init of the nettrace test VM (PID 1, busybox sh: its applets win over the
# real tools here, which is fine for this script).
#
# Prepares a minimal system (pseudo file systems, loopback, kernel modules),
# runs the e2e runner with the arguments recorded by tests/vm/run.sh in
# /nt/args.sh, prints "$NT_END_MARKER rc=<exit code>" and powers off.
# Everything goes to /dev/console (the serial port ttyS0).

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C

say() { echo "ntvm: $*"; }

mnt() { # mnt TYPE DIR [OPTIONS]
	mkdir -p "$2"
	mount -t "$1" ${3:+-o "$3"} "$1" "$2" || say "mount -t $1 $2 failed"
}

setup_mounts() {
	mnt proc /proc
	mnt sysfs /sys
	mnt devtmpfs /dev
	# bash process substitution and /dev/std* need these (devtmpfs lacks them).
	ln -sf /proc/self/fd /dev/fd
	ln -sf /proc/self/fd/0 /dev/stdin
	ln -sf /proc/self/fd/1 /dev/stdout
	ln -sf /proc/self/fd/2 /dev/stderr
	mnt devpts /dev/pts
	mnt tmpfs /dev/shm
	mnt tracefs /sys/kernel/tracing
	mnt debugfs /sys/kernel/debug
	mnt bpf /sys/fs/bpf
	mnt cgroup2 /sys/fs/cgroup
	mnt tmpfs /tmp mode=1777
	mnt tmpfs /run mode=755
	mnt tmpfs /run/netns mode=755
	mkdir -p /var
	[ -e /var/run ] || ln -s /run /var/run
	mkdir -p /root /var/tmp /var/log
}

load_modules() {
	loaded=0 failed=""
	while read -r m; do
		[ -n "$m" ] || continue
		if modprobe "$m" 2>/dev/null; then
			loaded=$((loaded + 1))
		else
			failed="$failed $m"
		fi
	done </nt/modules.list
	say "loaded $loaded modules${failed:+, failed:$failed}"
}

# stdin/stdout/stderr on the console even if the initramfs had no /dev/console
setup_mounts
exec </dev/console >/dev/console 2>&1
echo # the firmware's last console line has no newline

# shellcheck source=/dev/null
. /nt/vm.conf

hostname nettrace-vm
ip link set lo up
# shellcheck disable=SC3045 # busybox ash supports ulimit -l
ulimit -l unlimited 2>/dev/null
load_modules
# keep kernel messages off the console while the tests run (dumped at the end)
dmesg -n 1

say "kernel $(uname -r), $(nproc) cpus, starting e2e runner"
cd /nt || exit 1
NETTRACE=/bin/nettrace NT_VM="$(uname -r)" NT_PROGS=/nt/tests/progs \
	bash -c '. /nt/args.sh && exec bash /nt/tests/e2e/run.sh "${NT_ARGS[@]}"' </dev/null
rc=$?
say "e2e runner exited with $rc"

echo "---- dmesg (last 100 lines) ----"
dmesg | tail -n 100 | sed 's/^/dmesg| /'
echo "$NT_END_MARKER rc=$rc"
sync
poweroff -f
# poweroff should not return; try harder, then let the kernel panic (panic=-1
# reboots, which qemu's -no-reboot turns into an exit)
echo o >/proc/sysrq-trigger
sleep 5
exit "$rc"
