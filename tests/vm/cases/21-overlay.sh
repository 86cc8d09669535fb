#!/bin/sh
# A protected directory reached through an overlay stays protected. With an overlay whose upper
# directory is under a protected subtree, a write through the overlay's mount, to a file of the
# upper directory or to one of the lower that the write would copy up, is denied; reads are not.
# Kernels before 6.6 open the upper file under the overlay's path (open_with_fake_path), so only
# the file's identity leads to the protected directory. With a protected lower directory instead,
# a write through the overlay changes a copy in the upper one and is allowed: the protected file
# stays as it was.
. /tests/lib.sh

grep -qw overlay /proc/filesystems || fail "the kernel has no overlay file system (module not loaded)"
mkdir -p /srv/c21/protected/upper /srv/c21/lower /srv/c21/work /srv/c21/up2 /srv/c21/work2 \
	/srv/c21/protected/lower2 /mnt/c21 /mnt/c21b
echo upper >/srv/c21/protected/upper/file
echo lower >/srv/c21/lower/other
echo kept >/srv/c21/protected/lower2/file
# file permissions allow everyone: only the LSM can say no
chmod 0666 /srv/c21/protected/upper/file /srv/c21/lower/other /srv/c21/protected/lower2/file
mount -t overlay overlay \
	-o lowerdir=/srv/c21/lower,upperdir=/srv/c21/protected/upper,workdir=/srv/c21/work /mnt/c21 ||
	fail "cannot mount the overlay with a protected upper directory"
mount -t overlay overlay \
	-o lowerdir=/srv/c21/protected/lower2,upperdir=/srv/c21/up2,workdir=/srv/c21/work2 /mnt/c21b ||
	fail "cannot mount the overlay with a protected lower directory"
case_cleanup() {
	umount /mnt/c21b /mnt/c21 2>/dev/null || true
}

start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c21/protected/ access write counter log deny comment "protected"
    }
}
RULES
h=$(handle_of host files 'comment "protected"')

# a file of the protected upper directory, written through the overlay
mark_events
expect_write_twice EPERM /mnt/c21/file
expect_event '"verdict":"deny"' "\"handle\":$h" '"access":["write"]'
expect_counter host files "$h" 2
expect_errno OK -- open /mnt/c21/file r
[ "$(cat /srv/c21/protected/upper/file)" = upper ] || fail "the protected upper file changed"

# a file of the lower directory: the write would copy it up into the protected one
expect_errno EPERM -- open /mnt/c21/other w
expect_counter host files "$h" 3
[ "$(cat /srv/c21/lower/other)" = lower ] || fail "the lower file changed"

# a protected lower directory: the write goes to a copy in the upper one
expect_errno OK -- open /mnt/c21b/file w
[ "$(cat /srv/c21/protected/lower2/file)" = kept ] || fail "the protected lower file changed"
[ -e /srv/c21/up2/file ] || fail "the write through the overlay made no copy in its upper directory"
expect_counter host files "$h" 3
pass
