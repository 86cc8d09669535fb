#!/bin/sh
# Hook bpf decides bpf(2) calls by command: a program load and a map creation by the probe fail
# with EPERM, report the command and the rule, and count; another executable loads and creates.
# An audit table denies nothing and reports. A rule that denies every task the commands endurd
# needs leaves endurd its own: the rule can be lifted.
. /tests/lib.sh

mkdir -p /srv/c27
cp "$PROBE" /srv/c27/other

start_endurd
load <<'RULES'
table host {
    chain bpf {
        hook bpf; policy accept
        command prog_load exe /usr/local/bin/probe counter log deny comment "loads"
        command { map_create, btf_load } exe /usr/local/bin/probe counter log deny comment "maps"
    }
}
table watch {
    mode audit
    chain bpf {
        hook bpf; policy accept
        command prog_load exe /srv/c27/other counter log deny comment "audited"
    }
}
RULES
hl=$(handle_of host bpf 'comment "loads"')
hm=$(handle_of host bpf 'comment "maps"')
ha=$(handle_of watch bpf 'comment "audited"')

expect_value bpf bpf command deny prog_load "$hl" EPERM -- bpf-prog-load
expect_value bpf bpf command deny map_create "$hm" EPERM -- bpf-map-create
expect_counter host bpf "$hl" 1
expect_counter host bpf "$hm" 1

expect_value bpf bpf command audit prog_load "$ha" OK -- /srv/c27/other bpf-prog-load
mark_events
expect_errno OK -- /srv/c27/other bpf-map-create
expect_no_event '"command":"map_create"'
expect_counter watch bpf "$ha" 1

# every task loses the commands endurd changes its maps with; endurd does not
load <<'RULES'
table lockout {
    chain bpf {
        hook bpf; policy accept
        command { map_update_elem, map_delete_elem, map_lookup_elem, map_get_fd_by_id, obj_get } deny
    }
}
RULES
ectl delete table lockout >/dev/null
! endurctl list table lockout >/dev/null 2>&1 || fail "table lockout is still there"
expect_counter host bpf "$hl" 1
pass
