#!/bin/sh
# exe and uid conditions: the same open is denied for one executable or uid and allowed for another.
# A rule that names no path still reports the path of the file.
. /tests/lib.sh

a=/usr/local/bin/probe-a
b=/usr/local/bin/probe-b
cp "$PROBE" "$a"
cp "$PROBE" "$b"
mkdir -p /srv/c3
for f in by-exe by-uid; do
	echo data >/srv/c3/$f
	chmod 0666 /srv/c3/$f		# file permissions allow everyone: only the LSM can say no
done
start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c3/by-exe access write exe != /usr/local/bin/probe-a counter log deny comment "only probe-a"
        path /srv/c3/by-uid access write uid != 0 counter log deny comment "only root"
        exe /usr/local/bin/probe-b access read log comment "reads by probe-b"
    }
}
RULES
he=$(handle_of host files 'comment "only probe-a"')
hu=$(handle_of host files 'comment "only root"')
hl=$(handle_of host files 'comment "reads by probe-b"')

mark_events
expect_errno OK -- "$a" open /srv/c3/by-exe w
expect_errno EPERM -- "$b" open /srv/c3/by-exe w
expect_event '"verdict":"deny"' '"path":"/srv/c3/by-exe"' "\"handle\":$he" "\"exe\":\"$b\""
expect_no_event '"verdict":"deny"' "\"exe\":\"$a\""
expect_counter host files "$he" 1

mark_events
expect_errno OK -- open /srv/c3/by-uid w
expect_errno EPERM -- --uid 1000 open /srv/c3/by-uid w
expect_errno OK -- --uid 1000 open /srv/c3/by-uid r
expect_event '"verdict":"deny"' '"path":"/srv/c3/by-uid"' "\"handle\":$hu" '"uid":1000'
expect_counter host files "$hu" 1

# the last path built is another file's: the event must not take it
expect_errno OK -- "$a" open /srv/c3/by-exe w
mark_events
expect_errno OK -- "$b" open /srv/c3/by-uid r
expect_event '"verdict":"log"' '"path":"/srv/c3/by-uid"' "\"handle\":$hl" "\"exe\":\"$b\""
pass
