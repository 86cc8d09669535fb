#!/bin/sh
# A deny in any chain of a hook denies, however many chains accept before it.
. /tests/lib.sh

mkdir -p /srv/c10
echo data >/srv/c10/file
{
	echo "table host {"
	i=0
	while [ "$i" -lt 40 ]; do
		echo "    chain pass$i { hook file_open; policy accept; path /srv/c10/file log accept }"
		i=$((i + 1))
	done
	echo "}"
	echo "table last {"
	echo "    chain files { hook file_open; policy accept; path /srv/c10/file access write counter deny comment \"last word\" }"
	echo "}"
} >"$WORK/many.rules"
start_endurd
load "$WORK/many.rules"
h=$(handle_of last files 'comment "last word"')

expect_errno EPERM -- open /srv/c10/file w
expect_errno OK -- open /srv/c10/file r
expect_counter last files "$h" 1
pass
