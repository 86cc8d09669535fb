#!/bin/sh
# A subtree rule holds the directory itself, not only its name: its files reached through a bind
# mount of it or of a directory under it, from another mount namespace or inside a chroot, and a
# file 40 directories deep reached through a bind mount, are under the rule, twice in a row (the
# second time from the path cache). A bind mount of a directory no rule names stays free. The
# protected directory itself can be neither renamed away nor replaced by another.
. /tests/lib.sh

mkdir -p /srv/c20/protected/sub /srv/c20/free /mnt/c20all /mnt/c20sub /mnt/c20free /srv/c20/bin
echo data >/srv/c20/protected/f
echo data >/srv/c20/protected/sub/g
echo data >/srv/c20/free/h
deep=
while [ ${#deep} -lt 80 ]; do deep=${deep}d/; done	# 40 directories
mkdir -p "/srv/c20/protected/sub/$deep"
echo data >"/srv/c20/protected/sub/${deep}deep"
cp "$PROBE" /srv/c20/bin/probe

start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c20/protected/ access write counter log deny comment "protected"
    }
}
RULES
h=$(handle_of host files 'comment "protected"')

mount --bind /srv/c20/protected /mnt/c20all
mount --bind /srv/c20/protected/sub /mnt/c20sub
mount --bind /srv/c20/free /mnt/c20free
case_cleanup() {
	umount /mnt/c20all /mnt/c20sub /mnt/c20free 2>/dev/null || true
}

mark_events
expect_write_twice EPERM /mnt/c20all/f
expect_event '"verdict":"deny"' "\"handle\":$h" '"path":"/mnt/c20all/f"'
expect_write_twice EPERM /mnt/c20sub/g
expect_event '"verdict":"deny"' "\"handle\":$h" '"path":"/mnt/c20sub/g"'
expect_write_twice OK /mnt/c20free/h
expect_errno OK -- open /mnt/c20all/f r

# another mount namespace, where the directory is mounted somewhere else
got=$(unshare -m sh -c "mount --bind /srv/c20/protected/sub /mnt && $PROBE open /mnt/g w")
[ "$got" = EPERM ] || fail "a write through a bind mount in another mount namespace: $got"

# a chroot whose root is above the subtree
got=$(chroot /srv/c20 /bin/probe open /protected/sub/g w)
[ "$got" = EPERM ] || fail "a write inside a chroot: $got"

# far below the subtree, through the bind mount of a directory under it
expect_write_twice EPERM "/mnt/c20sub/${deep}deep"
expect_event '"verdict":"deny"' "\"handle\":$h" "\"path\":\"/mnt/c20sub/${deep}deep\""
expect_counter host files "$h" 8

# the subtree names its directory: it stays where it is, with its files
mkdir /srv/c20/new
echo data >/srv/c20/new/file
expect_errno EPERM -- rename /srv/c20/protected /srv/c20/old
expect_errno EPERM -- rename /srv/c20/new /srv/c20/protected
[ -f /srv/c20/protected/f ] && [ ! -e /srv/c20/old ] && [ -d /srv/c20/new ] ||
	fail "the protected directory moved: $(ls /srv/c20 | tr '\n' ' ')"
expect_write_twice EPERM /srv/c20/protected/f
pass
