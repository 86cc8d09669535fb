#!/bin/sh
# A write rule protects a file from every change, not only from opens for writing: truncate,
# unlink, rename over it, rename of it away; and a protected directory from having its entries
# removed, renamed away or made by a rename into it, and from being removed itself. Each denied
# change fails with EPERM, leaves the protected file as it was, reports an event naming the
# operation and its class of change, and counts; the same change of an unprotected file beside
# it succeeds. A class names its own operations only: renames allowed in a protected directory
# leave every other change denied, and a rule on delete denies nothing else. In an audit table
# nothing is denied and every change is reported.
. /tests/lib.sh

mkdir -p /srv/c22/protected/empty /srv/c22/free/empty
for f in /srv/c22/secret /srv/c22/protected/file /srv/c22/free/file /srv/c22/free/other \
	/srv/c22/free/incoming /srv/c22/free/cover; do
	echo "content of $f" >"$f"
done
# file permissions allow everyone: only the LSM can say no
chmod 0666 /srv/c22/secret /srv/c22/protected/file /srv/c22/free/*

start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c22/secret access write counter log deny comment "secret"
        path /srv/c22/protected/ access write counter log deny comment "protected"
    }
}
RULES
hs=$(handle_of host files 'comment "secret"')
hp=$(handle_of host files 'comment "protected"')

unchanged() {	# PATH...: each still holds what it was made with
	for _f in "$@"; do
		[ "$(cat "$_f")" = "content of $_f" ] || fail "$_f changed: $(head -c 80 "$_f")"
	done
}

expect_denied truncate "$hs" /srv/c22/secret -- truncate /srv/c22/secret
expect_denied unlink "$hs" /srv/c22/secret -- unlink /srv/c22/secret
expect_denied rename "$hs" /srv/c22/secret -- rename /srv/c22/free/cover /srv/c22/secret
expect_event '"operation":"rename"' '"path":"/srv/c22/secret"' '"from":"/srv/c22/free/cover"'
expect_denied rename "$hs" /srv/c22/secret -- rename /srv/c22/secret /srv/c22/free/away
expect_event '"operation":"rename"' '"path":"/srv/c22/secret"' '"to":"/srv/c22/free/away"'
unchanged /srv/c22/secret /srv/c22/free/cover
expect_counter host files "$hs" 4

expect_denied truncate "$hp" /srv/c22/protected/file -- truncate /srv/c22/protected/file
expect_denied unlink "$hp" /srv/c22/protected/file -- unlink /srv/c22/protected/file
expect_denied rename "$hp" /srv/c22/protected/file -- \
	rename /srv/c22/protected/file /srv/c22/free/away
expect_denied rename "$hp" /srv/c22/protected/incoming -- \
	rename /srv/c22/free/incoming /srv/c22/protected/incoming
expect_denied rmdir "$hp" /srv/c22/protected/empty -- rmdir /srv/c22/protected/empty
expect_denied rename "$hp" /srv/c22/protected -- rename /srv/c22/protected /srv/c22/moved
unchanged /srv/c22/protected/file /srv/c22/free/incoming
[ -d /srv/c22/protected/empty ] && [ ! -e /srv/c22/protected/incoming ] && [ ! -e /srv/c22/moved ] ||
	fail "the protected directory changed: $(ls /srv/c22 /srv/c22/protected | tr '\n' ' ')"
expect_counter host files "$hp" 6

# beside them, the same changes of files no rule protects
expect_errno OK -- truncate /srv/c22/free/file
expect_errno OK -- rename /srv/c22/free/other /srv/c22/free/renamed
expect_errno OK -- unlink /srv/c22/free/renamed
expect_errno OK -- rmdir /srv/c22/free/empty
expect_counter host files "$hs" 4
expect_counter host files "$hp" 6

# log rotation: renames allowed in a protected directory, every other change still denied; and a
# rule on delete alone, which leaves writes to the file it protects alone
ectl flush ruleset
mkdir -p /srv/c22/logs
for f in /srv/c22/logs/app.log /srv/c22/keep; do
	echo "content of $f" >"$f"
	chmod 0666 "$f"
done
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c22/logs/ access rename counter accept comment "rotation"
        path /srv/c22/logs/ access write counter log deny comment "logs"
        path /srv/c22/keep access delete counter log deny comment "keep"
    }
}
RULES
hr=$(handle_of host files 'comment "rotation"')
hl=$(handle_of host files 'comment "logs"')
hk=$(handle_of host files 'comment "keep"')
expect_errno OK -- rename /srv/c22/logs/app.log /srv/c22/logs/app.log.1
expect_counter host files "$hr" 2	# both names of the rename
expect_denied unlink "$hl" /srv/c22/logs/app.log.1 -- unlink /srv/c22/logs/app.log.1
expect_denied truncate "$hl" /srv/c22/logs/app.log.1 -- truncate /srv/c22/logs/app.log.1
expect_errno EPERM -- open /srv/c22/logs/app.log.1 w
[ "$(cat /srv/c22/logs/app.log.1)" = "content of /srv/c22/logs/app.log" ] ||
	fail "the rotated log changed: $(head -c 80 /srv/c22/logs/app.log.1)"
expect_counter host files "$hl" 3
expect_denied unlink "$hk" /srv/c22/keep -- unlink /srv/c22/keep
expect_errno OK -- open /srv/c22/keep w
expect_errno OK -- truncate /srv/c22/keep
expect_counter host files "$hk" 1

# an audit table reports the same changes and denies none
ectl flush ruleset
mkdir -p /srv/c22/free
echo "content of /srv/c22/free/cover" >/srv/c22/free/cover
load <<'RULES'
table watch {
    mode audit
    chain files {
        hook file_open; policy accept
        path /srv/c22/secret access write counter log deny comment "watched"
    }
}
RULES
hw=$(handle_of watch files 'comment "watched"')
expect_audited truncate "$hw" /srv/c22/secret -- truncate /srv/c22/secret
expect_audited rename "$hw" /srv/c22/secret -- rename /srv/c22/free/cover /srv/c22/secret
expect_audited unlink "$hw" /srv/c22/secret -- unlink /srv/c22/secret
[ ! -e /srv/c22/secret ] || fail "the audited unlink did not happen"
expect_counter watch files "$hw" 3
pass
