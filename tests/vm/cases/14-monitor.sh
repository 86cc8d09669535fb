#!/bin/sh
# endurctl monitor prints committed changes as valid commands and events as they happen; -j gives
# one JSON object per line.
. /tests/lib.sh

mkdir -p /srv/c14
echo data >/srv/c14/x
start_endurd
endurctl monitor >"$WORK/monitor.txt" 2>&1 &
text_pid=$!
endurctl -j monitor events >"$WORK/monitor.json" 2>&1 &
json_pid=$!
sleep 1
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c14/x access write log deny comment "watched"
    }
}
RULES
expect_errno EPERM -- open /srv/c14/x w
sleep 1
kill "$text_pid" "$json_pid"
wait "$text_pid" "$json_pid" 2>/dev/null || true

grep -q '^add table host$' "$WORK/monitor.txt" || fail "no table change: $(cat "$WORK/monitor.txt")"
grep -q '^add rule host files path /srv/c14/x access write log deny comment "watched"$' \
	"$WORK/monitor.txt" || fail "no rule change: $(cat "$WORK/monitor.txt")"
grep -q '^event file_open deny host files handle [0-9]* pid [0-9]* uid 0 .*path /srv/c14/x write$' \
	"$WORK/monitor.txt" || fail "no event line: $(cat "$WORK/monitor.txt")"
# the change lines read back as input
grep -v '^event ' "$WORK/monitor.txt" >"$WORK/changes.rules"
ectl -c -f "$WORK/changes.rules" >/dev/null
grep -q '^{"event":{.*"verdict":"deny".*"path":"/srv/c14/x"' "$WORK/monitor.json" ||
	fail "no JSON event: $(cat "$WORK/monitor.json")"
if grep -q '"commit"' "$WORK/monitor.json"; then fail "monitor events printed a change"; fi
pass
