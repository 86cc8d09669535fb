#!/bin/sh
# The kernel under test has BPF LSM active: bpf is in /sys/kernel/security/lsm. Without it no other
# case can mean anything, so this one needs no endurd.
. /tests/lib.sh

[ -r /sys/kernel/security/lsm ] || fail "/sys/kernel/security/lsm is not readable (securityfs not mounted?)"
lsm=$(cat /sys/kernel/security/lsm)
case ",$lsm," in
*,bpf,*) ;;
*) fail "bpf is not an active LSM: $lsm" ;;
esac
[ -d /sys/fs/bpf ] && grep -q ' /sys/fs/bpf bpf ' /proc/mounts || fail "bpffs is not mounted on /sys/fs/bpf"
pass
