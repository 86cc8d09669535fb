#!/bin/sh
# A rule in an audit table logs the event with verdict "audit" and lets the operation through.
. /tests/lib.sh

mkdir -p /srv/c4
echo data >/srv/c4/watched
start_endurd
load <<'RULES'
table watch {
    mode audit
    chain files {
        hook file_open; policy accept
        path /srv/c4/watched access write counter log deny comment "would deny"
    }
}
RULES
h=$(handle_of watch files 'comment "would deny"')

mark_events
expect_errno OK -- open /srv/c4/watched w
expect_event '"verdict":"audit"' '"path":"/srv/c4/watched"' '"table":"watch"' "\"handle\":$h"
expect_no_event '"verdict":"deny"'
expect_errno OK -- open /srv/c4/watched r
expect_counter watch files "$h" 1
pass
