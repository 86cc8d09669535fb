#!/bin/sh
# A file opened again by the same name is decided from the path classes remembered for that name.
# Every way to give the name another path, or the path another decision, must be seen at once: a
# directory renamed into and out of a protected subtree, a mount moved under it, a commit, a hard
# link (a name of its own), a file deleted and made again. Events of remembered decisions still
# name the path, and endurctl status counts them. The rules deny reads: a write rule would deny the
# renames themselves (case 22), which must happen here to move names under the cache.
. /tests/lib.sh

read_twice() {	# WANT PATH: the first read open builds the path, the second may remember it
	expect_errno "$1" -- open "$2" r
	expect_errno "$1" -- open "$2" r
}

mkdir -p /srv/c18/open/d /srv/c18/protected/x /srv/c18/protected/m /mnt/c18
echo data >/srv/c18/open/d/f
echo data >/srv/c18/protected/x/f
echo data >/srv/c18/open/h
ln /srv/c18/open/h /srv/c18/protected/h

start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c18/protected/ access read counter log deny comment "protected"
    }
}
RULES
h=$(handle_of host files 'comment "protected"')

# a directory renamed into the subtree, and out again
read_twice OK /srv/c18/open/d/f
mv /srv/c18/open/d /srv/c18/protected/d
expect_errno EPERM -- open /srv/c18/protected/d/f r
mv /srv/c18/protected/d /srv/c18/open/d
read_twice OK /srv/c18/open/d/f

# a protected directory renamed away and back: the same dentries, other paths in between
read_twice EPERM /srv/c18/protected/x/f
mv /srv/c18/protected/x /srv/c18/open/x
read_twice OK /srv/c18/open/x/f
mv /srv/c18/open/x /srv/c18/protected/x
read_twice EPERM /srv/c18/protected/x/f

# a mount moved under the subtree: its files keep their dentries and get another path
mount -t tmpfs c18 /mnt/c18
echo data >/mnt/c18/f
read_twice OK /mnt/c18/f
mount -o move /mnt/c18 /srv/c18/protected/m
expect_errno EPERM -- open /srv/c18/protected/m/f r
umount /srv/c18/protected/m

# a hard link is a name of its own
read_twice OK /srv/c18/open/h
mark_events
read_twice EPERM /srv/c18/protected/h
expect_errno OK -- open /srv/c18/open/h r
# the second deny was remembered: its event builds the path itself
expect_event '"verdict":"deny"' "\"handle\":$h" '"path":"/srv/c18/protected/h"'
[ "$(grep -c '"path":"/srv/c18/protected/h"' "$EVENTS")" -ge 2 ] ||
	fail "the remembered deny of /srv/c18/protected/h has no event with its path"

# a file deleted and made again under another directory's name
rm /srv/c18/open/h
echo data >/srv/c18/open/h
read_twice OK /srv/c18/open/h

# a commit decides again what was remembered
read_twice OK /srv/c18/open/d/f
ectl add rule host files path /srv/c18/open/d/f access read deny comment '"now denied"' >/dev/null
expect_errno EPERM -- open /srv/c18/open/d/f r
ectl delete rule host files handle "$(handle_of host files 'comment "now denied"')" >/dev/null
expect_errno OK -- open /srv/c18/open/d/f r

cached=$(ectl -j status | sed -n 's/.*"path_cached":\([0-9]*\).*/\1/p')
[ -n "$cached" ] && [ "$cached" -gt 0 ] ||
	fail "no decision took its path classes from the cache: $(ectl -j status)"
# every ectl writes its output to a file, a remembered decision too: the count only grows
text=$(ectl status | sed -n 's/.*paths cached \([0-9]*\).*/\1/p')
[ -n "$text" ] && [ "$text" -ge "$cached" ] ||
	fail "endurctl status says paths cached '$text' after $cached"
pass
