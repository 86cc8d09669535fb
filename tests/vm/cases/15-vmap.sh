#!/bin/sh
# Verdict maps: one rule gives each executable its own verdict; an executable the map does not name
# goes on to the next rule. Counters and events name the rule whatever key decided.
. /tests/lib.sh

a=/usr/local/bin/probe-vmap-a
b=/usr/local/bin/probe-vmap-b
c=/usr/local/bin/probe-vmap-c
cp "$PROBE" "$a"
cp "$PROBE" "$b"
cp "$PROBE" "$c"
mkdir -p /srv/c15
echo data >/srv/c15/file
chmod 0666 /srv/c15/file
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c15/file access write exe vmap { /usr/local/bin/probe-vmap-a : deny, /usr/local/bin/probe-vmap-b : accept } counter log comment "by exe"
        path /srv/c15/file access write uid vmap { 1000 : deny } log comment "by uid"
        path /srv/c15/ access write counter deny comment "the rest"
    }
}
RULES
hv=$(handle_of host files 'comment "by exe"')
hu=$(handle_of host files 'comment "by uid"')
hr=$(handle_of host files 'comment "the rest"')

mark_events
expect_errno EPERM -- "$a" open /srv/c15/file w
expect_event '"verdict":"deny"' '"path":"/srv/c15/file"' "\"handle\":$hv" "\"exe\":\"$a\""
expect_errno OK -- "$b" open /srv/c15/file w
expect_event '"verdict":"accept"' '"path":"/srv/c15/file"' "\"handle\":$hv" "\"exe\":\"$b\""
expect_errno OK -- "$a" open /srv/c15/file r
expect_counter host files "$hv" 2

# not in the exe map: the uid map, then the rule after it
mark_events
expect_errno EPERM -- "$c" --uid 1000 open /srv/c15/file w
expect_event '"verdict":"deny"' "\"handle\":$hu" "\"exe\":\"$c\"" '"uid":1000'
expect_errno EPERM -- "$c" open /srv/c15/file w
expect_no_event "\"handle\":$hv" "\"exe\":\"$c\""
expect_counter host files "$hr" 1
expect_counter host files "$hv" 2
pass
