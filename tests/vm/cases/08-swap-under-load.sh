#!/bin/sh
# A ruleset swap under a concurrent loop of opens never gives a result that matches neither the old
# nor the new ruleset. A denies writes to a, B denies writes to b, both deny d and allow c. The two
# differ in shape (rule count, order, fields, sets), so a decision mixing their generations would
# deny c: in A, rule 0 matches every path but needs uid 4242; in B, rule 0 needs path b but any uid;
# B's rule 2 matches every path but needs an exe that does not exist, A's rule 2 any exe.
# Each file starts with "flush ruleset": a window where the flush is seen alone would allow d.
. /tests/lib.sh

SWAPS=${SWAPS:-20}
dir=/srv/c8
mkdir -p $dir
for f in a b c d; do echo data >$dir/$f; done
loop_probe=/usr/local/bin/probe-loop
cp "$PROBE" $loop_probe

cat >"$WORK/A.rules" <<'RULES'
flush ruleset
table host {
    set decoys { type path; elements = { /srv/c8/y1, /srv/c8/y2 } }
    chain files {
        hook file_open; policy accept
        uid 4242 access write deny
        path /srv/c8/a access write counter deny
        path /srv/c8/d access write counter deny
        path @decoys deny
    }
}
RULES
cat >"$WORK/B.rules" <<'RULES'
flush ruleset
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c8/b access write counter deny
        path { /srv/c8/x1, /srv/c8/x2, /srv/c8/x3 } exe != /nonexistent/probe access write deny
        exe /nonexistent/other deny
        path /srv/c8/d access write counter deny
        path /srv/c8/c uid { 4243, 4244 } access read deny
    }
}
RULES

start_endurd
load "$WORK/A.rules"
expect_errno EPERM -- open $dir/a w
expect_errno EPERM -- open $dir/d w
expect_errno OK -- open $dir/c w
load "$WORK/B.rules"
expect_errno EPERM -- open $dir/b w
expect_errno OK -- open $dir/a w

loops=
case_cleanup() {
	touch "$WORK/stop"
	[ -z "$loops" ] || kill $loops 2>/dev/null
}
for f in a b c d; do
	(while [ ! -e "$WORK/stop" ]; do $loop_probe loop $dir/$f 200; done >"$WORK/$f.tally") &
	loops="$loops $!"
done
i=0
while [ "$i" -lt "$SWAPS" ]; do
	load "$WORK/A.rules"
	load "$WORK/B.rules"
	i=$((i + 1))
done
touch "$WORK/stop"
wait $loops
loops=

# tally FILE KEY: how many opens of FILE gave KEY (OK, EPERM, ...); others FILE KEYS: the rest
tally() {
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) n += kv[2] } }
		END { print n + 0 }' "$WORK/$1.tally"
}
others() {
	awk -v keep=" $2 " '{ for (i = 1; i <= NF; i++) { split($i, kv, "=")
			if (index(keep, " " kv[1] " ") == 0 && kv[2] > 0) n[kv[1]] += kv[2] } }
		END { for (k in n) printf "%s=%d ", k, n[k] }' "$WORK/$1.tally"
}
for f in a b c d; do
	echo "# $f: $(tally $f OK) OK, $(tally $f EPERM) EPERM, other: $(others $f 'OK EPERM')"
done
[ -z "$(others c OK)" ] || fail "writes to c, allowed by both rulesets, gave $(others c OK)"
[ -z "$(others d EPERM)" ] || fail "writes to d, denied by both rulesets, gave $(others d EPERM)"
[ -z "$(others a 'OK EPERM')" ] || fail "writes to a gave $(others a 'OK EPERM')"
[ -z "$(others b 'OK EPERM')" ] || fail "writes to b gave $(others b 'OK EPERM')"
for f in a b; do
	[ "$(tally $f OK)" -gt 0 ] && [ "$(tally $f EPERM)" -gt 0 ] ||
		fail "the loop on $f did not see both rulesets ($(tally $f OK) OK, $(tally $f EPERM) EPERM): no swap overlapped it"
done

# After the storm, a last swap is exact and reported.
load <<'RULES'
flush ruleset
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c8/d access write counter log deny comment "final"
    }
}
RULES
h=$(handle_of host files 'comment "final"')
mark_events
expect_errno EPERM -- open $dir/d w
expect_errno EPERM -- open $dir/d w
expect_errno OK -- open $dir/a w
expect_errno OK -- open $dir/b w
expect_event '"verdict":"deny"' '"path":"/srv/c8/d"' "\"handle\":$h" '"generation":'
expect_counter host files "$h" 2
pass
