#!/bin/sh
# Hook capable decides the capabilities a task uses, by name: chroot(2) without CAP_SYS_CHROOT
# fails with EPERM, a module load without CAP_SYS_MODULE with EPERM, a bind to a port below 1024
# without CAP_NET_BIND_SERVICE with EACCES, as the kernel's own code answers a missing
# capability; each reports the capability and the rule, and counts. What no rule names is used:
# a port above 1023 needs no capability, and another executable keeps them all. An audit table
# denies nothing and reports the capability used.
. /tests/lib.sh

mkdir -p /srv/c26/mnt
cp "$PROBE" /srv/c26/other

start_endurd
endurctl monitor events >"$WORK/monitor.txt" 2>&1 &
monitor=$!
sleep 1
load <<'RULES'
table host {
    chain caps {
        hook capable; policy accept
        capability cap_sys_chroot exe /usr/local/bin/probe counter log deny comment "chroot"
        capability { cap_sys_module, cap_net_bind_service } exe /usr/local/bin/probe counter log deny comment "modules and ports"
    }
}
table watch {
    mode audit
    chain caps {
        hook capable; policy accept
        capability { cap_sys_chroot, cap_net_bind_service } exe /srv/c26/other counter log deny comment "audited"
    }
}
RULES
hc=$(handle_of host caps 'comment "chroot"')
hm=$(handle_of host caps 'comment "modules and ports"')
ha=$(handle_of watch caps 'comment "audited"')

expect_capability deny cap_sys_chroot "$hc" EPERM -- chroot /
expect_capability deny cap_sys_module "$hm" EPERM -- finit-module
expect_capability deny cap_net_bind_service "$hm" EACCES -- bind-tcp 80
expect_counter host caps "$hc" 1
expect_counter host caps "$hm" 2
# no capability is needed above 1023
mark_events
expect_errno OK -- bind-tcp 8080
expect_no_event '"hook":"capable"'

# another executable keeps its capabilities; the audit table reports those it names
expect_capability audit cap_sys_chroot "$ha" OK -- /srv/c26/other chroot /
expect_capability audit cap_net_bind_service "$ha" OK -- /srv/c26/other bind-tcp 80
mark_events
expect_errno EBADF -- /srv/c26/other finit-module
expect_no_event '"capability":"cap_sys_module"'
expect_counter watch caps "$ha" 2
expect_counter host caps "$hc" 1
expect_counter host caps "$hm" 2
# a rule that takes every program's capabilities to change BPF maps leaves endurd its own: the
# rule that would lock it out can be lifted
load <<'RULES'
table lockout {
    chain caps {
        hook capable; policy accept
        capability { cap_sys_admin, cap_bpf } counter deny comment "everyone"
    }
}
RULES
expect_errno EPERM -- /srv/c26/other mount /srv/c26/mnt
ectl delete table lockout >/dev/null
! endurctl list table lockout >/dev/null 2>&1 || fail "table lockout is still there"
expect_errno OK -- /srv/c26/other mount /srv/c26/mnt
umount /srv/c26/mnt

# endurctl monitor names the capability
kill "$monitor"
wait "$monitor" 2>/dev/null || true
grep -q "^event capable deny host caps handle $hc pid [0-9]* uid 0 exe /usr/local/bin/probe capability cap_sys_chroot\$" \
	"$WORK/monitor.txt" || fail "no monitor line of the chroot: $(cat "$WORK/monitor.txt")"
pass
