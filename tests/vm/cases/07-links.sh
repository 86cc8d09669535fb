#!/bin/sh
# The protected file stays protected when reached through a hardlink made before the rule was
# loaded and through a symlink; a hardlink made after it is refused (a link of the file).
. /tests/lib.sh

mkdir -p /srv/c7/elsewhere
echo secret >/srv/c7/secret
ln /srv/c7/secret /srv/c7/elsewhere/hard-before
ln -s /srv/c7/secret /tmp/c7-symlink
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c7/secret access write counter log deny comment "secret"
    }
}
RULES
h=$(handle_of host files 'comment "secret"')
expect_denied link "$h" /srv/c7/secret -- link /srv/c7/secret /srv/c7/elsewhere/hard-after
[ ! -e /srv/c7/elsewhere/hard-after ] || fail "a hardlink to the protected file was made"

n=1
for p in /srv/c7/secret /tmp/c7-symlink /srv/c7/elsewhere/hard-before; do
	mark_events
	expect_errno EPERM -- open "$p" w
	expect_event '"verdict":"deny"' "\"handle\":$h"
	expect_errno OK -- open "$p" r
	n=$((n + 1))
done
[ "$(cat /srv/c7/secret)" = secret ] || fail "the file changed"
expect_counter host files "$h" "$n"
pass
