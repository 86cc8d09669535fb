#!/bin/sh
# Deleting a rule by its handle restores access to what it denied, and only that;
# flush ruleset restores everything.
. /tests/lib.sh

mkdir -p /srv/c5
for f in one two three; do echo data >/srv/c5/$f; done
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c5/one access write counter log deny comment "rule one"
        path /srv/c5/two access write counter log deny comment "rule two"
    }
}
RULES
ectl add rule host files path /srv/c5/three access write counter log deny comment '"rule three"' >/dev/null
h1=$(handle_of host files 'comment "rule one"')
h2=$(handle_of host files 'comment "rule two"')
h3=$(handle_of host files 'comment "rule three"')
expect_errno EPERM -- open /srv/c5/one w
expect_errno EPERM -- open /srv/c5/two w
expect_errno EPERM -- open /srv/c5/three w

ectl delete rule host files handle "$h1" >/dev/null
ectl -a list ruleset | grep -q 'rule one' && fail "rule one is still listed after its deletion"
mark_events
expect_errno OK -- open /srv/c5/one w
expect_no_event '"path":"/srv/c5/one"'
expect_errno EPERM -- open /srv/c5/two w
expect_event '"verdict":"deny"' '"path":"/srv/c5/two"' "\"handle\":$h2"
expect_counter host files "$h2" 2
expect_counter host files "$h3" 1

ectl flush ruleset >/dev/null
[ -z "$(ectl list ruleset)" ] || fail "list ruleset is not empty after flush ruleset: $(ectl list ruleset | head -n 3)"
mark_events
for f in one two three; do expect_errno OK -- open /srv/c5/$f w; done
expect_no_event '"verdict":"deny"'
pass
