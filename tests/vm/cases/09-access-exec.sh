#!/bin/sh
# "access exec" on file_open sees the open that execve makes, and only that one.
. /tests/lib.sh

mkdir -p /srv/c9
cp "$PROBE" /srv/c9/tool
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c9/tool access exec counter log deny comment "no exec of tool"
    }
}
RULES
h=$(handle_of host files 'comment "no exec of tool"')

mark_events
expect_errno EPERM -- exec /srv/c9/tool nop
expect_event '"hook":"file_open"' '"verdict":"deny"' '"path":"/srv/c9/tool"' '"exec"' "\"handle\":$h"
expect_errno OK -- open /srv/c9/tool r
expect_counter host files "$h" 1
pass
