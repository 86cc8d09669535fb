#!/bin/sh
# insert, replace and positioned add of rules, and set elements, through endurd: the listing
# shows the order asked for and enforcement follows it.
. /tests/lib.sh

mkdir -p /srv/c12
for f in a b c; do echo data >/srv/c12/$f; done
start_endurd
load <<'RULES'
table host {
    set secrets { type path; elements = { /srv/c12/a } }
    chain files {
        hook file_open; policy accept
        path /srv/c12/b access write deny comment "b"
    }
}
RULES
hb=$(handle_of host files 'comment "b"')

# the quotes of a comment must reach endurctl, as with nft
ectl insert rule host files path @secrets access write counter deny comment '"secrets"' >/dev/null
hs=$(handle_of host files 'comment "secrets"')
ectl add rule host files position "$hs" path /srv/c12/c access write accept comment '"c first"' >/dev/null
ectl -a list ruleset >"$WORK/list"
order=$(grep -o 'comment "[^"]*"' "$WORK/list" | tr '\n' ' ')
[ "$order" = 'comment "secrets" comment "c first" comment "b" ' ] || fail "rule order: $order"

expect_errno EPERM -- open /srv/c12/a w
expect_errno EPERM -- open /srv/c12/b w
expect_errno OK -- open /srv/c12/c w

# the secrets rule comes before "c first": c is denied from now on
ectl add element host secrets { /srv/c12/c } >/dev/null
expect_errno EPERM -- open /srv/c12/c w
ectl delete element host secrets { /srv/c12/a } >/dev/null
expect_errno OK -- open /srv/c12/a w

ectl replace rule host files handle "$hb" path /srv/c12/b access write accept comment '"b open"' >/dev/null
expect_errno OK -- open /srv/c12/b w
ectl list ruleset | grep -q 'comment "b"$' && fail "the replaced rule is still listed"
# a, then c once it joined the set
expect_counter host files "$hs" 2
pass
