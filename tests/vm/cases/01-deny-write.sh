#!/bin/sh
# A rule denies writes to a file; reads of it still succeed.
. /tests/lib.sh

mkdir -p /srv/c1
echo secret >/srv/c1/shadow
start_endurd
load <<'RULES'
table host {
    mode enforce
    chain files {
        hook file_open; policy accept
        path /srv/c1/shadow access write counter log deny comment "credential store"
    }
}
RULES
h=$(handle_of host files 'comment "credential store"')

mark_events
expect_errno EPERM -- open /srv/c1/shadow w
expect_event '"hook":"file_open"' '"verdict":"deny"' '"path":"/srv/c1/shadow"' '"access":["write"]' \
	'"table":"host"' '"chain":"files"' "\"handle\":$h" '"comment":"credential store"' '"exe":"/usr/local/bin/probe"'
expect_errno EPERM -- open /srv/c1/shadow rw
expect_errno OK -- open /srv/c1/shadow r
[ "$(cat /srv/c1/shadow)" = secret ] || fail "the file changed"
expect_counter host files "$h" 2
pass
