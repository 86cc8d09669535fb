#!/bin/sh
# list tables, table, chain and set; -t leaves set elements out, -s counter values; status
# counts decisions.
. /tests/lib.sh

mkdir -p /srv/c13
echo x >/srv/c13/x
start_endurd
load <<'RULES'
table host {
    set shells { type path; elements = { /bin/sh, /bin/bash } }
    chain files { hook file_open; policy accept; path /srv/c13/x counter deny }
    chain exec { hook exec; policy accept; path @shells log accept }
}
table watch {
    mode audit
    chain files { hook file_open; policy accept; path /srv/c13/y log deny }
}
RULES
expect_errno EPERM -- open /srv/c13/x r

[ "$(ectl list tables)" = "$(printf 'table host\ntable watch')" ] || fail "list tables: $(ectl list tables)"
ectl list table watch >"$WORK/t"
grep -q "table watch" "$WORK/t" && ! grep -q "table host" "$WORK/t" || fail "list table watch: $(cat "$WORK/t")"
ectl list chain host exec >"$WORK/c"
grep -q "chain exec" "$WORK/c" && ! grep -q "chain files" "$WORK/c" && ! grep -q "set shells" "$WORK/c" ||
	fail "list chain host exec: $(cat "$WORK/c")"
ectl list set host shells >"$WORK/s"
grep -q "elements = { /bin/sh, /bin/bash }" "$WORK/s" && ! grep -q chain "$WORK/s" ||
	fail "list set host shells: $(cat "$WORK/s")"
if ectl -t list set host shells | grep -q elements; then fail "-t printed the elements"; fi
ectl -a list ruleset | grep -q "counter hits 1" || fail "-a shows no counter value"
if ectl -a -s list ruleset | grep -q "counter hits"; then fail "-s printed counter values"; fi
rc=0
endurctl list table hots 2>"$WORK/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "table 'hots' does not exist; did you mean 'host'?" "$WORK/err" ||
	fail "list of a misspelt table: status $rc, $(cat "$WORK/err")"
ectl status >"$WORK/status"
# the tier is the kernel's (case 00 checks which); every VM kernel gives one that denies
grep -q "^hook file_open: tier [a-z_]* (denies)" "$WORK/status" || fail "status: $(cat "$WORK/status")"
decisions=$(sed -n 's/^decisions \([0-9]*\),.*/\1/p' "$WORK/status")
[ "${decisions:-0}" -gt 0 ] || fail "status counted no decision: $(cat "$WORK/status")"
ectl -j status | grep -q '"events_lost":0' || fail "status -j: $(ectl -j status)"
pass
