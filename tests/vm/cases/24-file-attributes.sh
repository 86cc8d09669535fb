#!/bin/sh
# A write rule protects a file's times, extended attributes and ACLs, and its size through a
# descriptor opened before the rule: utimensat, setxattr, removexattr, POSIX ACLs (their own hooks
# from 6.2, setxattr's before), ftruncate, by path and through a descriptor opened for reading
# only, through io_uring, through a hard link and a bind mount made before the rule. Each fails
# with EPERM, leaves the file as it was, reports the operation and class attr (write for
# ftruncate) and counts; the same change of an unprotected file succeeds. An audit table denies
# nothing and reports every change. The hooks of these changes get no mount: the event names the
# file by a mount of its file system in the caller's namespace.
. /tests/lib.sh

mkdir -p /srv/c24/protected /srv/c24/free /srv/c24/view
for f in /srv/c24/secret /srv/c24/protected/file /srv/c24/protected/held /srv/c24/free/file; do
	echo "content of $f" >"$f"
	chmod 0666 "$f"
	touch -d '2001-01-01 00:00:00' "$f"
	expect_errno OK -- setxattr "$f" trusted.tag old
done
expect_errno OK -- setfacl /srv/c24/protected/file
ln /srv/c24/secret /srv/c24/free/alias
mount -o bind /srv/c24/protected /srv/c24/view || fail "cannot bind-mount /srv/c24/protected"
exec 3>>/srv/c24/protected/held	# a descriptor opened for writing before the rule

start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c24/secret access write counter log deny comment "secret"
        path /srv/c24/protected/ access write counter log deny comment "protected"
    }
}
RULES
hs=$(handle_of host files 'comment "secret"')
hp=$(handle_of host files 'comment "protected"')

# the operations events name: POSIX ACL changes and ftruncate have their own from 6.2; before,
# the programs of setxattr, removexattr and truncate decide them, under their own names (case 00)
set_acl=$(decider set_acl) remove_acl=$(decider remove_acl) ftruncate=$(decider ftruncate)
[ -n "$set_acl" ] && [ -n "$remove_acl" ] && [ -n "$ftruncate" ] ||
	fail "ACL changes or ftruncate not decided: $(ectl status | grep -F 'hook file_open (')"

unchanged() {	# PATH...: content, times and attribute as they were made
	for _f in "$@"; do
		[ "$(cat "$_f")" = "content of $_f" ] || fail "$_f changed: $(head -c 80 "$_f")"
		[ "$(date -u -d "@$(stat -c %Y "$_f")" +%Y)" = 2001 ] ||
			fail "$_f's times changed: $(stat -c %y "$_f")"
		[ "$("$PROBE" getxattr "$_f" trusted.tag)" = old ] ||
			fail "$_f's attribute changed: $("$PROBE" getxattr "$_f" trusted.tag)"
	done
}

expect_denied utimes "$hs" /srv/c24/secret -- utimes /srv/c24/secret
expect_denied utimes "$hs" /srv/c24/secret -- futimes /srv/c24/secret
expect_denied setxattr "$hs" /srv/c24/secret -- setxattr /srv/c24/secret trusted.tag new
expect_denied setxattr "$hs" /srv/c24/secret -- fsetxattr /srv/c24/secret trusted.tag new
expect_denied setxattr "$hs" /srv/c24/secret -- setxattr /srv/c24/secret trusted.other new
expect_denied removexattr "$hs" /srv/c24/secret -- removexattr /srv/c24/secret trusted.tag
expect_denied "$set_acl" "$hs" /srv/c24/secret -- setfacl /srv/c24/secret
expect_errno ENODATA -- getxattr /srv/c24/secret system.posix_acl_access
expect_errno ENODATA -- getxattr /srv/c24/secret trusted.other
# by the name it had before the rule: the file is decided by its identity
expect_denied setxattr "$hs" /srv/c24/free/alias -- setxattr /srv/c24/free/alias trusted.tag new
expect_denied utimes "$hs" /srv/c24/free/alias -- utimes /srv/c24/free/alias
unchanged /srv/c24/secret
expect_counter host files "$hs" 9

expect_denied utimes "$hp" /srv/c24/protected/file -- utimes /srv/c24/protected/file
expect_denied setxattr "$hp" /srv/c24/protected/file -- setxattr /srv/c24/protected/file trusted.tag new
expect_denied removexattr "$hp" /srv/c24/protected/file -- removexattr /srv/c24/protected/file trusted.tag
expect_denied "$set_acl" "$hp" /srv/c24/protected/file -- setfacl /srv/c24/protected/file
expect_denied "$remove_acl" "$hp" /srv/c24/protected/file -- removefacl /srv/c24/protected/file
[ "$("$PROBE" getxattr /srv/c24/protected/file system.posix_acl_access)" != ENODATA ] ||
	fail "the protected file's ACL was removed"
expect_denied "$ftruncate" "$hp" /srv/c24/protected/held -- ftruncate 3
# through the bind mount: the subtree holds the file by identity, and the event names it by
# the file system's own mount
expect_denied setxattr "$hp" /srv/c24/protected/file -- setxattr /srv/c24/view/file trusted.tag new
expect_denied utimes "$hp" /srv/c24/protected/file -- futimes /srv/c24/view/file
unchanged /srv/c24/protected/file /srv/c24/protected/held
expect_counter host files "$hp" 8

# io_uring's setxattr request, from 5.19 (Debian's 5.10 refuses it as unknown)
case $(uname -r) in
5.10.*) expect_errno EINVAL -- uring setxattr /srv/c24/secret trusted.tag new ;;
*)
	expect_denied setxattr "$hs" /srv/c24/secret -- uring setxattr /srv/c24/secret trusted.tag new
	unchanged /srv/c24/secret
	expect_counter host files "$hs" 10
	;;
esac

# where no rule applies, every one of these changes is made
expect_errno OK -- utimes /srv/c24/free/file
expect_errno OK -- futimes /srv/c24/free/file
expect_errno OK -- setxattr /srv/c24/free/file trusted.tag new
expect_errno OK -- fsetxattr /srv/c24/free/file trusted.other new
expect_errno OK -- removexattr /srv/c24/free/file trusted.tag
expect_errno OK -- setfacl /srv/c24/free/file
expect_errno OK -- removefacl /srv/c24/free/file
exec 4>>/srv/c24/free/file
expect_errno OK -- ftruncate 4
exec 4>&-
[ "$(date -u -d "@$(stat -c %Y /srv/c24/free/file)" +%Y)" != 2001 ] && [ ! -s /srv/c24/free/file ] &&
	[ "$("$PROBE" getxattr /srv/c24/free/file trusted.other)" = new ] ||
	fail "a change of the unprotected file was not made"
expect_counter host files "$hp" 8

# an audit table: every change made, and reported with verdict audit
ectl flush ruleset
load <<'RULES'
table watch {
    mode audit
    chain files {
        hook file_open; policy accept
        path /srv/c24/protected/ access write counter log deny comment "watched"
    }
}
RULES
hw=$(handle_of watch files 'comment "watched"')
expect_audited utimes "$hw" /srv/c24/protected/file -- utimes /srv/c24/protected/file
expect_audited setxattr "$hw" /srv/c24/protected/file -- setxattr /srv/c24/protected/file trusted.tag new
expect_audited removexattr "$hw" /srv/c24/protected/file -- removexattr /srv/c24/protected/file trusted.tag
expect_audited "$remove_acl" "$hw" /srv/c24/protected/file -- removefacl /srv/c24/protected/file
expect_audited "$set_acl" "$hw" /srv/c24/protected/file -- setfacl /srv/c24/protected/file
expect_audited "$ftruncate" "$hw" /srv/c24/protected/held -- ftruncate 3
[ ! -s /srv/c24/protected/held ] && [ "$("$PROBE" getxattr /srv/c24/protected/file trusted.tag)" = ENODATA ] &&
	[ "$(date -u -d "@$(stat -c %Y /srv/c24/protected/file)" +%Y)" != 2001 ] ||
	fail "an audited change was not made"
expect_counter watch files "$hw" 6
exec 3>&-
umount /srv/c24/view
pass
