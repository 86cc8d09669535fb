#!/bin/sh
# A second endurd refuses to start and leaves the running one serving and enforcing.
. /tests/lib.sh

mkdir -p /srv/c11
echo data >/srv/c11/file
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c11/file access write deny
    }
}
RULES

rc=0
endurd --rules "$VM_RUN/empty-rules.d" >"$WORK/second.out" 2>"$WORK/second.err" || rc=$?
[ "$rc" -ne 0 ] || fail "a second endurd started"
grep -q "another endurd is running" "$WORK/second.err" ||
	fail "the second endurd did not say why: $(cat "$WORK/second.err")"
_alive "$ENDURD_PID" || fail "the running endurd died when the second one tried to start"
ectl list ruleset | grep -q "path /srv/c11/file access write deny" || fail "the ruleset is gone"
expect_errno EPERM -- open /srv/c11/file w
pass
