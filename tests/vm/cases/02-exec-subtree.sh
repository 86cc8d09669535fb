#!/bin/sh
# Exec of anything under a denied subtree fails with EPERM; a binary elsewhere runs, even one whose
# path merely starts with the same characters.
. /tests/lib.sh

mkdir -p /tmp/denied/deep/er /tmp/denied-not /tmp/allowed
cp "$PROBE" /tmp/denied/prog
cp "$PROBE" /tmp/denied/deep/er/prog
cp "$PROBE" /tmp/denied-not/prog
cp "$PROBE" /tmp/allowed/prog
start_endurd
load <<'RULES'
table host {
    chain exec {
        hook exec; policy accept
        path /tmp/denied/ counter log deny comment "no exec in /tmp/denied"
    }
}
RULES
h=$(handle_of host exec 'comment "no exec in /tmp/denied"')

mark_events
expect_errno EPERM -- exec /tmp/denied/prog nop
expect_event '"hook":"exec"' '"verdict":"deny"' '"path":"/tmp/denied/prog"' "\"handle\":$h"
expect_errno EPERM -- exec /tmp/denied/deep/er/prog nop
expect_event '"hook":"exec"' '"verdict":"deny"' '"path":"/tmp/denied/deep/er/prog"'
expect_errno OK -- exec /tmp/allowed/prog nop
expect_errno OK -- exec /tmp/denied-not/prog nop
expect_errno OK -- open /tmp/denied/prog r
expect_counter host exec "$h" 2
pass
