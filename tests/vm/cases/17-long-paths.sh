#!/bin/sh
# Paths are decided whole: a path longer than 255 bytes or deeper than 64 directories is decided by
# the rules that can match it and only by those. Past 4096 bytes (reached from a deep working
# directory) the kernel side cannot resolve it: a write fails closed, counted and reported; a read,
# which no rule covers, is allowed.
. /tests/lib.sh

name=$(printf 'n%.0s' $(seq 1 200))	# a 200-byte component
mkdir -p /srv/c17/free /srv/c17/protected

# Builds DIR/COUNT components named by NAME (one at a time: the whole may exceed PATH_MAX),
# with a file "f" at the bottom; prints nothing, leaves the shell where it was.
deep_tree() {
	(
		cd "$1"
		i=0
		while [ "$i" -lt "$2" ]; do
			mkdir "$3" && cd -P "$3"
			i=$((i + 1))
		done
		echo data >f
	)
}

# Runs the probe from the bottom of a tree deep_tree built: "probe open f MODE".
probe_deep() {	# DIR COUNT NAME WANT MODE
	(
		cd "$1"
		i=0
		while [ "$i" -lt "$2" ]; do
			cd -P "$3"
			i=$((i + 1))
		done
		expect_errno "$4" -- open f "$5"
	)
}

deep_tree /srv/c17/free 2 "$name"			# 415 bytes, 4 directories deep
deep_tree /srv/c17/free 100 d				# 200 bytes, 102 directories deep
deep_tree /srv/c17/protected 2 "$name"
deep_tree /srv/c17/protected 100 d
mkdir /srv/c17/free/far
deep_tree /srv/c17/free/far 25 "$name"			# 5,000 bytes: past PATH_MAX
long_free=/srv/c17/free/$name/$name/f
long_protected=/srv/c17/protected/$name/$name/f
deep_free=/srv/c17/free$(printf '/d%.0s' $(seq 1 100))/f
deep_protected=/srv/c17/protected$(printf '/d%.0s' $(seq 1 100))/f

start_endurd
load <<'RULES'
table host {
    chain files {
        hook file_open; policy accept
        path /srv/c17/protected/ access write counter log deny comment "protected"
        path /srv/c17/free/exact access write counter log deny comment "exact"
    }
}
RULES
h=$(handle_of host files 'comment "protected"')

expect_errno OK -- open "$long_free" w
expect_errno OK -- open "$deep_free" w
expect_errno OK -- open "$long_free" r

mark_events
expect_errno EPERM -- open "$long_protected" w
expect_event '"verdict":"deny"' "\"handle\":$h" '"truncated":true' '"path":"/srv/c17/protected/nnn'
expect_errno EPERM -- open "$deep_protected" w
expect_event '"verdict":"deny"' "\"handle\":$h" '"path":"/srv/c17/protected/d/d/d/d/d/d/d/d/d/d/d/'
expect_errno OK -- open "$long_protected" r
expect_counter host files "$h" 2

ectl -j status | grep -q '"path_unresolved":0[,}]' || fail "a path was unresolved before the deep one"
probe_deep /srv/c17/free/far 25 "$name" OK r
mark_events
probe_deep /srv/c17/free/far 25 "$name" EPERM w
expect_event '"verdict":"deny"' "\"handle\":$h" '"unresolved":true'
ectl -j status | grep -q '"path_unresolved":1[,}]' || fail "the unresolved path was not counted: $(ectl -j status)"
expect_counter host files "$h" 3
pass
