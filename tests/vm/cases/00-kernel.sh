#!/bin/sh
# endurd serves every hook, and every operation its rules decide, at the strongest tier this kernel
# runs, and says so: lsm where bpf is in the active LSM list, fmod_ret where it is not (the VM's
# kernels all have BPF trampolines), never a tier whose programs attach and then do not run.
. /tests/lib.sh

[ -d /sys/fs/bpf ] && grep -q ' /sys/fs/bpf bpf ' /proc/mounts || fail "bpffs is not mounted on /sys/fs/bpf"
[ -r /sys/kernel/security/lsm ] || fail "/sys/kernel/security/lsm is not readable (securityfs not mounted?)"
case ",$(cat /sys/kernel/security/lsm)," in
*,bpf,*) want=lsm ;;
*) want=fmod_ret ;;
esac
start_endurd
ectl status >"$WORK/status"
grep -qF "hook exec: tier $want (denies)" "$WORK/status" ||
	fail "expected hook exec at tier $want: $(grep -F "hook exec" "$WORK/status")"
grep -qF "hook file_open: tier $want (denies)" "$WORK/status" ||
	fail "expected hook file_open at tier $want: $(grep -F "hook file_open:" "$WORK/status")"
# the file hook's other operations, alike on one line; chown's hook passes the owner as a
# structure, which BPF trampolines take from 6.1 on: before, utimes' program decides it at
# inode_setattr, and status says why chown's own could not.
# Kernels before 6.2 have no hooks for ftruncate and ACLs: truncate and the xattr operations
# decide those, and status says so
case $(uname -r) in
5.10.*)
	grep -q "hook file_open (chown): decided by the program of utimes on this kernel; .*security_path_chown arg1 type STRUCT is unsupported" "$WORK/status" ||
		fail "expected chown decided by utimes' program, and why not its own: $(grep -F "hook file_open (" "$WORK/status")"
	set -- "truncate, unlink, rmdir, rename, create, mkdir, symlink, link, chmod" \
		"mount, move_mount, utimes, setxattr, removexattr"
	;;
6.1.*)
	set -- "truncate, unlink, rmdir, rename, create, mkdir, symlink, link, chmod, chown, mount, move_mount, utimes, setxattr, removexattr"
	;;
*)
	set -- "truncate, unlink, rmdir, rename, create, mkdir, symlink, link, chmod, chown, mount, move_mount, utimes, setxattr, removexattr, ftruncate, set_acl, remove_acl"
	;;
esac
for others; do
	grep -qF "hook file_open ($others): tier $want (denies)" "$WORK/status" ||
		fail "expected the operations $others at tier $want: $(grep -F "hook file_open (" "$WORK/status")"
done
case $(uname -r) in
5.10.* | 6.1.*)
	for pair in ftruncate:truncate set_acl:setxattr remove_acl:removexattr; do
		grep -qF "hook file_open (${pair%:*}): decided by the program of ${pair#*:} on this kernel" "$WORK/status" ||
			fail "expected ${pair%:*} decided by ${pair#*:}'s program: $(grep -F "hook file_open (" "$WORK/status")"
	done
	;;
esac
# code mapped executable, which the exec hook's rules decide, on every kernel
grep -qF "hook module (init_module, request_module): tier $want (denies)" "$WORK/status" ||
	fail "expected init_module and request_module at tier $want: $(grep -F "hook module (" "$WORK/status")"
grep -qF "hook exec (mmap, mprotect): tier $want (denies)" "$WORK/status" ||
	fail "expected mmap and mprotect at tier $want: $(grep -F "hook exec (" "$WORK/status")"
grep -qF "hook signal (sigio): tier $want (denies)" "$WORK/status" ||
	fail "expected sigio at tier $want: $(grep -F "hook signal (" "$WORK/status")"
for hook in capable bpf module signal; do
	grep -qF "hook $hook: tier $want (denies)" "$WORK/status" ||
		fail "expected hook $hook at tier $want: $(grep -F "hook $hook" "$WORK/status")"
done
# a hook whose rules cannot act has no program attached, and costs nothing; a commit attaches
# the programs of a hook its rules need, and detaches them again once they are gone. Before 5.13
# a trampoline attaches a program only once: there they stay attached, and endurd says so.
attached() {	# HOOK true|false: what status says of the hook's program
	ectl -j status | tr -d ' ' | grep -q '"'"$1"'":{"tier":"'"$want"'","denies":true,"attached":'"$2" ||
		fail "status does not say attached $2 for hook $1: $(ectl -j status)"
}
case $(uname -r) in
5.10.*)
	grep -q "the programs of hooks without rules stay attached: this kernel cannot attach a program again" \
		"$ENDURD_LOG" || fail "endurd did not say that idle hooks stay attached"
	[ -e /sys/fs/bpf/endura/capable ] || fail "the program of capable is not attached"
	attached capable true
	;;
*)
	for op in exec mmap open unlink capable bpf finit_module signal sigio; do
		[ ! -e "/sys/fs/bpf/endura/$op" ] || fail "the program of $op is attached with no rules"
	done
	attached capable false
	load <<'RULES'
table t00 {
    chain c {
        hook capable; policy accept
        capability cap_sys_boot log deny
    }
}
RULES
	[ -e /sys/fs/bpf/endura/capable ] || fail "the program of capable is not attached for its rule"
	[ ! -e /sys/fs/bpf/endura/bpf ] || fail "the program of bpf is attached with no rule of its own"
	attached capable true
	ectl delete table t00 >/dev/null
	[ ! -e /sys/fs/bpf/endura/capable ] || fail "the program of capable stays attached without rules"
	;;
esac
grep -q "^tier $want: " "$WORK/status" || fail "status does not say what tier $want does"
grep -q "hook file_open: tier $want (denies)" "$ENDURD_LOG" || fail "endurd did not say its tiers at start"
if [ "$want" = fmod_ret ]; then
	grep -q "lsm: bpf is not in the active LSM list ($(cat /sys/kernel/security/lsm))" "$WORK/status" ||
		fail "status does not say why tier lsm was not taken: $(cat "$WORK/status")"
fi
# The verifier's work on every program, for make bench: well under its limit of 1,000,000.
ectl -j status >"$WORK/status.json"
for n in $(sed 's/"verified_insns":/\n/g' "$WORK/status.json" | sed -n '2,$s/^\([0-9]*\).*/\1/p'); do
	[ "$n" -gt 0 ] && [ "$n" -lt 200000 ] || fail "a program took $n verified instructions (bar: 200,000)"
done
echo "# status: $(tr -d '\n' <"$WORK/status.json")"
pass
