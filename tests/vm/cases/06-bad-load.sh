#!/bin/sh
# Loading a file with one bad rule among good ones fails (exit 1, an error naming the place) and leaves
# the previous ruleset fully in force, even though the file starts with "flush ruleset".
. /tests/lib.sh

mkdir -p /srv/c6
for f in kept new-a new-b; do echo data >/srv/c6/$f; done
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c6/kept access write counter log deny comment "kept"
    }
}
RULES
h=$(handle_of host files 'comment "kept"')
before=$(ectl list ruleset)

cat >"$WORK/bad.rules" <<'RULES'
flush ruleset
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c6/new-a access write counter log deny
        path /srv/c6/new-b access wirte counter log deny
    }
}
table other {
    chain files {
        hook file_open; policy accept
        path /srv/c6/kept access read deny
    }
}
RULES
rc=0
endurctl -f "$WORK/bad.rules" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
[ "$rc" -eq 1 ] || fail "endurctl -f bad.rules exited with status $rc, expected 1"
grep -q 'bad.rules' "$WORK/bad.err" && grep -q 'wirte' "$WORK/bad.err" ||
	fail "the error does not name bad.rules and the bad token: $(head -n 2 "$WORK/bad.err")"

[ "$(ectl list ruleset)" = "$before" ] || fail "list ruleset changed after the failed load: $(ectl list ruleset | tr '\n' ' ')"
mark_events
expect_errno EPERM -- open /srv/c6/kept w
expect_event '"verdict":"deny"' '"path":"/srv/c6/kept"' "\"handle\":$h"
expect_errno OK -- open /srv/c6/kept r
expect_errno OK -- open /srv/c6/new-a w
expect_errno OK -- open /srv/c6/new-b w
expect_counter host files "$h" 1
pass
