#!/bin/sh
# Identities follow their names without a transaction. An exe exception survives a package upgrade
# (a new file renamed over the old, as dpkg and rpm do), and the file it replaced no longer passes;
# a program renamed over the allowed name is what the rule names from then on. A file renamed over an
# exact path is recognised through its hard links, and the one it replaced no longer is; a directory
# on the way replaced by another gives the name the new one's file. Rules, handles and counters stay;
# the generation goes up by one per refresh. Every kernel of the matrix runs trampolines, so the
# entry programs watch the directories, and endurd holds no inotify mark.
. /tests/lib.sh

tool=/usr/local/bin/c19tool
other=/usr/local/bin/c19other
kept=/usr/local/c19-kept	# hard links live on the file system of their file: / for programs
links=/srv/c19-links
cp "$PROBE" "$tool"
cp "$PROBE" "$other"
mkdir -p /srv/c19 "$links" "$kept" /srv/c19d/conf /srv/c19d/conf.new
echo data >/srv/c19/secret
echo old >/srv/c19/file
echo old >/srv/c19d/conf/file
echo new >/srv/c19d/conf.new/file
# file permissions allow everyone: only the LSM can say no
chmod 0666 /srv/c19/secret /srv/c19/file /srv/c19d/conf/file /srv/c19d/conf.new/file
ln "$tool" "$kept/tool-before"
ln /srv/c19/file "$links/file-before"
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c19/secret access write exe != /usr/local/bin/c19tool counter log deny comment "only c19tool"
        path /srv/c19/file access read counter log deny comment "file"
        path /srv/c19d/conf/file access write counter log deny comment "conf"
    }
}
RULES
hs=$(handle_of host files 'comment "only c19tool"')
hf=$(handle_of host files 'comment "file"')
hc=$(handle_of host files 'comment "conf"')
ectl -a -s list ruleset >"$WORK/rules-before"

ectl -j status | grep -q '"identity_watch":{"by":"entry programs"' ||
	fail "directories not watched by the entry programs: $(ectl status | grep identities)"
! grep -qs '^inotify wd:' /proc/"$ENDURD_PID"/fdinfo/* || fail "endurd holds inotify marks"

generation() {
	ectl -j status | sed -n 's/.*"generation":\([0-9]*\).*/\1/p'
}

# until endurd has refreshed identities N times in all (up to 10 s), then checks its line on stderr
wait_refreshes() {
	_i=0
	until ectl -j status | grep -q "\"identity_refreshes\":$1[,}]"; do
		_i=$((_i + 1))
		[ "$_i" -lt 100 ] || fail "no identity refresh number $1 within 10 s: $(ectl -j status | cut -c 1-80)"
		sleep 0.1
	done
	grep -q "^endurd: identities refreshed, generation $2: $3 " "$ENDURD_LOG" ||
		fail "no refresh line for $3 at generation $2: $(grep refreshed "$ENDURD_LOG" | tail -n 1)"
}

g=$(generation)
mark_events
expect_errno OK -- "$tool" open /srv/c19/secret w
expect_errno EPERM -- "$other" open /srv/c19/secret w
expect_event '"verdict":"deny"' "\"handle\":$hs" "\"exe\":\"$other\"" "\"generation\":$g"
expect_counter host files "$hs" 1

# the upgrade: the package manager writes the new version beside the old, then renames it over
cp "$PROBE" "$tool.dpkg-new"
mv "$tool.dpkg-new" "$tool"
wait_refreshes 1 $((g + 1)) "$tool"
mark_events
expect_errno OK -- "$tool" open /srv/c19/secret w
expect_errno EPERM -- "$other" open /srv/c19/secret w
expect_event '"verdict":"deny"' "\"handle\":$hs" "\"exe\":\"$other\"" "\"generation\":$((g + 1))"
# the old version, kept under another name, is not the tool any more
mark_events
expect_errno EPERM -- "$kept/tool-before" open /srv/c19/secret w
expect_event '"verdict":"deny"' "\"handle\":$hs" "\"exe\":\"$kept/tool-before\""
expect_counter host files "$hs" 3

# another program renamed over the allowed name is the tool now, by the rule's own words; the
# tool it replaced, kept by a hard link, is not
ln "$tool" "$kept/tool-upgraded"
cp "$other" "$tool.tmp"
mv "$tool.tmp" "$tool"
wait_refreshes 2 $((g + 2)) "$tool"
expect_errno OK -- "$tool" open /srv/c19/secret w
mark_events
expect_errno EPERM -- "$kept/tool-upgraded" open /srv/c19/secret w
expect_event '"verdict":"deny"' "\"handle\":$hs" "\"exe\":\"$kept/tool-upgraded\"" "\"generation\":$((g + 2))"
expect_errno EPERM -- "$other" open /srv/c19/secret w
expect_counter host files "$hs" 5

# an exact path: a file renamed over it is protected through its hard links, the old one is not;
# the rule denies reads, since a write rule would deny the rename itself (case 22)
mark_events
expect_errno EPERM -- open "$links/file-before" r
expect_event '"verdict":"deny"' "\"handle\":$hf" "\"path\":\"$links/file-before\""
echo new >/srv/c19/file.tmp
chmod 0666 /srv/c19/file.tmp
mv /srv/c19/file.tmp /srv/c19/file
wait_refreshes 3 $((g + 3)) /srv/c19/file
ln /srv/c19/file "$links/file-after"
mark_events
expect_errno EPERM -- open "$links/file-after" r
expect_errno EPERM -- open /srv/c19/file r
expect_event '"verdict":"deny"' "\"handle\":$hf" "\"path\":\"$links/file-after\"" "\"generation\":$((g + 3))"
expect_errno OK -- open "$links/file-before" r
expect_no_event "\"path\":\"$links/file-before\""
expect_counter host files "$hf" 3
# the new file is read by no one now: its identity says the rename left the old file beside it
[ "$(cat "$links/file-before")" = old ] &&
	[ "$(stat -c %i /srv/c19/file)" = "$(stat -c %i "$links/file-after")" ] &&
	[ "$(stat -c %i /srv/c19/file)" != "$(stat -c %i "$links/file-before")" ] ||
	fail "the rename did not leave the old file beside the new one"

# a directory on the way replaced: its new file is the name's, through its hard links too; the
# old one, under its new name, is not
ln /srv/c19d/conf.new/file "$links/conf-after"
mv /srv/c19d/conf /srv/c19d/conf.old && mv /srv/c19d/conf.new /srv/c19d/conf
wait_refreshes 4 $((g + 4)) /srv/c19d/conf/file
mark_events
expect_errno EPERM -- open "$links/conf-after" w
expect_event '"verdict":"deny"' "\"handle\":$hc" "\"path\":\"$links/conf-after\"" "\"generation\":$((g + 4))"
expect_errno OK -- open /srv/c19d/conf.old/file w
expect_counter host files "$hc" 1

# refreshes change identities only, and nothing refreshes without a change
ectl -a -s list ruleset >"$WORK/rules-after"
cmp -s "$WORK/rules-before" "$WORK/rules-after" ||
	fail "the ruleset changed: $(diff "$WORK/rules-before" "$WORK/rules-after" | head -n 5 | tr '\n' ' ')"
[ "$(generation)" = $((g + 4)) ] || fail "generation $(generation) after four refreshes from $g"
pass
