#!/bin/sh
# Every way to change a protected file or directory without opening it, beyond case 22's: making
# a name in a protected directory (open with O_CREAT, mknod, mkdir, symlink, a hard link into
# it), giving a protected file another name (a hard link to it from elsewhere), changing its
# mode or owner, exchanging it with another file, and mounting over a protected directory with
# mount(2) or with the new mount API. Each fails with EPERM under a write rule, leaves things as
# they were, reports the operation and its class of change, and counts; the same change where no
# rule applies succeeds. A rule on one class denies that class alone. In an audit table every
# change is made and reported.
. /tests/lib.sh

mkdir -p /srv/c23/protected /srv/c23/free /srv/c23/source
for f in /srv/c23/secret /srv/c23/free/file /srv/c23/attr-only; do
	echo "content of $f" >"$f"
done
chmod 0777 /srv/c23 /srv/c23/protected /srv/c23/free
chmod 0666 /srv/c23/secret /srv/c23/free/file /srv/c23/attr-only

start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c23/protected/ access write counter log deny comment "protected"
        path /srv/c23/secret access write counter log deny comment "secret"
        path /srv/c23/attr-only access attr counter log deny comment "attributes"
    }
}
RULES
hp=$(handle_of host files 'comment "protected"')
hs=$(handle_of host files 'comment "secret"')
ha=$(handle_of host files 'comment "attributes"')

# names made in a protected directory
expect_denied create "$hp" /srv/c23/protected/new -- create /srv/c23/protected/new
expect_denied create "$hp" /srv/c23/protected/fifo -- mkfifo /srv/c23/protected/fifo
expect_denied mkdir "$hp" /srv/c23/protected/dir -- mkdir /srv/c23/protected/dir
expect_denied symlink "$hp" /srv/c23/protected/passwd -- symlink /etc/passwd /srv/c23/protected/passwd
expect_denied link "$hp" /srv/c23/protected/file -- link /srv/c23/free/file /srv/c23/protected/file
expect_event '"operation":"link"' '"path":"/srv/c23/protected/file"' '"from":"/srv/c23/free/file"'
[ -z "$(ls -A /srv/c23/protected)" ] || fail "names were made in /srv/c23/protected: $(ls -A /srv/c23/protected)"
# ... and by a process of another user, whom the directory's mode lets in
expect_errno EPERM -- --uid 1000 create /srv/c23/protected/by-user
[ ! -e /srv/c23/protected/by-user ] || fail "user 1000 made a file in /srv/c23/protected"
expect_counter host files "$hp" 6

# the protected file: another name for it, its mode, its owner, an exchange with another file
expect_denied link "$hs" /srv/c23/secret -- link /srv/c23/secret /srv/c23/free/secret-link
expect_event '"operation":"link"' '"path":"/srv/c23/secret"' '"to":"/srv/c23/free/secret-link"'
expect_denied chmod "$hs" /srv/c23/secret -- chmod /srv/c23/secret 0600
# chown's own program from 6.1; on 5.10, whose trampolines cannot take path_chown's owner, the
# program of utimes decides it at inode_setattr (case 00), and names it chown all the same
expect_denied chown "$hs" /srv/c23/secret -- chown /srv/c23/secret 1000 1000
expect_denied rename "$hs" /srv/c23/secret -- exchange /srv/c23/free/file /srv/c23/secret
[ ! -e /srv/c23/free/secret-link ] || fail "the protected file got another name"
[ "$(stat -c '%a %u %g' /srv/c23/secret)" = "666 0 0" ] ||
	fail "the protected file's mode or owner changed: $(stat -c '%a %u %g' /srv/c23/secret)"
[ "$(cat /srv/c23/secret)" = "content of /srv/c23/secret" ] || fail "the protected file was exchanged"
expect_counter host files "$hs" 4

# mounts over the protected directory, by mount(2) and by the new mount API
expect_denied mount "$hp" /srv/c23/protected -- mount /srv/c23/protected
expect_denied move_mount "$hp" /srv/c23/protected -- move-mount /srv/c23/source /srv/c23/protected
grep -q ' /srv/c23/protected ' /proc/mounts && fail "something is mounted on /srv/c23/protected"
expect_counter host files "$hp" 8

# the same changes through io_uring, whose requests make them without their system calls.
# Debian's 5.10 has io_uring's unlink and rename requests, and not yet (5.15) its mkdir, symlink
# and link requests, which it refuses as unknown
expect_denied create "$hp" /srv/c23/protected/uring -- uring create /srv/c23/protected/uring
expect_denied rename "$hs" /srv/c23/secret -- uring rename /srv/c23/secret /srv/c23/free/moved
expect_denied unlink "$hs" /srv/c23/secret -- uring unlink /srv/c23/secret
case $(uname -r) in
5.10.*)
	expect_errno EINVAL -- uring mkdir /srv/c23/protected/dir
	expect_errno EINVAL -- uring symlink /etc/passwd /srv/c23/protected/passwd
	expect_errno EINVAL -- uring link /srv/c23/secret /srv/c23/free/secret-link
	uring_hp=1 uring_hs=2
	;;
*)
	expect_denied mkdir "$hp" /srv/c23/protected/dir -- uring mkdir /srv/c23/protected/dir
	expect_denied symlink "$hp" /srv/c23/protected/passwd -- \
		uring symlink /etc/passwd /srv/c23/protected/passwd
	expect_denied link "$hs" /srv/c23/secret -- uring link /srv/c23/secret /srv/c23/free/secret-link
	uring_hp=3 uring_hs=3
	;;
esac
[ -z "$(ls -A /srv/c23/protected)" ] || fail "io_uring made names in /srv/c23/protected: $(ls -A /srv/c23/protected)"
[ "$(cat /srv/c23/secret)" = "content of /srv/c23/secret" ] || fail "io_uring changed the protected file"
expect_counter host files "$hp" $((8 + uring_hp))
expect_counter host files "$hs" $((4 + uring_hs))

# a rule on attributes alone: the file's content and name may change, its mode may not
expect_denied chmod "$ha" /srv/c23/attr-only -- chmod /srv/c23/attr-only 0600
expect_errno OK -- open /srv/c23/attr-only w
expect_errno OK -- link /srv/c23/attr-only /srv/c23/free/attr-link
expect_counter host files "$ha" 1

# where no rule applies, every one of these changes is made
expect_errno OK -- create /srv/c23/free/new
expect_errno OK -- mkfifo /srv/c23/free/fifo
expect_errno OK -- mkdir /srv/c23/free/dir
expect_errno OK -- symlink /etc/passwd /srv/c23/free/passwd
expect_errno OK -- link /srv/c23/free/file /srv/c23/free/file-link
expect_errno OK -- chmod /srv/c23/free/file 0600
expect_errno OK -- chown /srv/c23/free/file 1000 1000
expect_errno OK -- exchange /srv/c23/free/file /srv/c23/free/new
expect_errno OK -- mount /srv/c23/free/dir
expect_errno OK -- umount /srv/c23/free/dir
expect_errno OK -- move-mount /srv/c23/source /srv/c23/free/dir
expect_errno OK -- umount /srv/c23/free/dir
expect_counter host files "$hp" $((8 + uring_hp))
expect_counter host files "$hs" $((4 + uring_hs))

# an audit table: every change made, and reported with verdict audit
ectl flush ruleset
mkdir -p /srv/c23/audited
echo "content" >/srv/c23/audited/file
load <<'RULES'
table watch {
    mode audit
    chain files {
        hook file_open; policy accept
        path /srv/c23/audited/ access write counter log deny comment "watched"
    }
}
RULES
hw=$(handle_of watch files 'comment "watched"')
expect_audited create "$hw" /srv/c23/audited/new -- create /srv/c23/audited/new
expect_audited create "$hw" /srv/c23/audited/fifo -- mkfifo /srv/c23/audited/fifo
expect_audited mkdir "$hw" /srv/c23/audited/dir -- mkdir /srv/c23/audited/dir
expect_audited symlink "$hw" /srv/c23/audited/passwd -- symlink /etc/passwd /srv/c23/audited/passwd
expect_audited link "$hw" /srv/c23/audited/link -- link /srv/c23/free/file /srv/c23/audited/link
expect_audited chmod "$hw" /srv/c23/audited/file -- chmod /srv/c23/audited/file 0600
expect_audited chown "$hw" /srv/c23/audited/file -- chown /srv/c23/audited/file 1000 1000
expect_audited mount "$hw" /srv/c23/audited/dir -- mount /srv/c23/audited/dir
expect_errno OK -- umount /srv/c23/audited/dir
expect_audited move_mount "$hw" /srv/c23/audited/dir -- move-mount /srv/c23/source /srv/c23/audited/dir
expect_errno OK -- umount /srv/c23/audited/dir
[ -p /srv/c23/audited/fifo ] && [ -L /srv/c23/audited/passwd ] && [ -f /srv/c23/audited/link ] &&
	[ "$(stat -c '%a %u' /srv/c23/audited/file)" = "600 1000" ] ||
	fail "an audited change was not made: $(ls -l /srv/c23/audited | tr '\n' ' ')"
# the changes, and the open for writing of the file made by open(O_CREAT)
expect_counter watch files "$hw" 10
pass
