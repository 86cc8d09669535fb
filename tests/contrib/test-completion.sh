#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# contrib/bash-completion/endurctl, driven the way bash drives it: COMP_WORDS and COMP_CWORD set,
# _endurctl called, COMPREPLY compared. A shell function stands in for endurctl, so no endurd is
# needed. Prints "N passed, N failed"; exits non-zero on a failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/contrib/c-names.bash
. tests/contrib/c-names.bash
# shellcheck source=contrib/bash-completion/endurctl
. contrib/bash-completion/endurctl

passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# What `endurctl [-a] list ruleset` prints, with a table and a chain whose names need quotes, and
# comments that look like handles.
listing()
{
	local a=$1

	cat <<LIST
table host {${a:+ # handle 1}
	mode enforce
	comment "table host { # handle 70"
	set scratch {${a:+ # handle 2}
		type path
		comment "scratch"
		elements = { /tmp/, /var/tmp/ }
	}

	chain files {${a:+ # handle 3}
		hook file_open; policy accept
		comment "the files # handle 71"
		path /etc/shadow access write counter${a:+ hits 4} log deny comment "x # handle 99"${a:+ # handle 5}
		path /etc/sudoers access write log${a:+ # handle 12}
	}

	chain exec {${a:+ # handle 6}
		hook exec; policy accept
		path /dev/shm/ deny${a:+ # handle 7}
	}
}
table watch {${a:+ # handle 8}
	mode audit
	chain files {${a:+ # handle 9}
		hook file_open; policy accept
		path /root/.ssh/ access write deny${a:+ # handle 10}
	}
}
table "my t" {${a:+ # handle 11}
	mode enforce
	chain "c d" {${a:+ # handle 13}
		hook exec; policy accept
		path /x deny${a:+ # handle 14}
	}
}
LIST
}

# The stand-in: records its arguments, answers like endurctl, or fails like one that cannot reach
# endurd when $tmp/down exists.
endurctl()
{
	printf '%s\n' "$*" >>"$tmp/calls"
	if [ -e "$tmp/down" ]; then
		echo "Error: cannot reach endurd at /run/endura/endurd.sock: endurd is not running" >&2
		return 1
	fi
	case "$*" in
	*"-a list ruleset") listing a ;;
	*"list ruleset") listing "" ;;
	*) return 1 ;;
	esac
}

# check NAME EXPECTED WORD... : completes the last WORD (which may be empty) of the command line
# WORD..., and compares the sorted replies, joined by single spaces, with EXPECTED.
check()
{
	local name=$1 expected=$2 got
	shift 2
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_endurctl endurctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>"$tmp/stderr"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd ' ')
	if [ "$got" != "$expected" ]; then
		failed=$((failed + 1))
		printf 'FAIL %s\n  expected: %s\n  got:      %s\n' "$name" "$expected" "$got"
	elif [ -s "$tmp/stderr" ]; then
		failed=$((failed + 1))
		printf 'FAIL %s: printed on standard error:\n' "$name"
		cat "$tmp/stderr"
	else
		passed=$((passed + 1))
	fi
}

check "command words" "add delete flush insert list replace status" endurctl ""
check "command word prefix" "list" endurctl l
check "list" "chain ruleset set table tables" endurctl list ""
check "list table: tables" "\\\"my\\ t\\\" host watch" endurctl list table ""
check "list set: sets" "scratch" endurctl list set host ""
check "nothing after status" "" endurctl status ""
check "add objects" "chain element rule set table" endurctl add ""
check "delete objects" "chain element rule set table" endurctl -c delete ""
check "flush objects" "chain ruleset set table" endurctl flush ""
check "insert objects" "rule" endurctl insert ""
check "long options" "--handle --help" endurctl --h
check "all options" "--check --define --echo --file --handle --help --includepath --interactive --json --numeric --output --socket --stateless --terse --version -D -I -a -c -e -f -h -i -j -n -s -t -v" \
	endurctl -
check "no options after the command" "" endurctl list -
check "--output" "json text" endurctl --output ""
check "--output=j" "json" endurctl --output = j
check "command words after --output" "add delete flush insert list replace status" endurctl --output json ""
check "command words after -D NAME=VALUE" "list" endurctl -D X = 1 l
check "command words after --define=NAME=VALUE" "list" endurctl --define = X = 1 l
check "no command words after -i" "" endurctl -ai ""

mkdir -p "$tmp/files/sub dir" && : >"$tmp/files/a.rules" && : >"$tmp/files/b.json"
check "-f: files and directories" "$tmp/files/a.rules $tmp/files/b.json $tmp/files/sub dir" \
	endurctl -f "$tmp/files/"
check "-cf: files" "$tmp/files/a.rules" endurctl -cf "$tmp/files/a"
check "--file=: files" "$tmp/files/b.json" endurctl -j --file = "$tmp/files/b"
check "-I: directories only" "$tmp/files/sub dir" endurctl -I "$tmp/files/"
check "no command words after -f" "" endurctl -f "$tmp/files/a.rules" ""

check "add rule: tables" "\\\"my\\ t\\\" host watch" endurctl add rule ""
check "add rule: table prefix" "host" endurctl add rule h
check "add rule: chains" "exec files" endurctl add rule host ""
check "add rule: chains of a quoted table" "\\\"c\\ d\\\"" endurctl add rule '\"my\ t\"' ""
check "delete rule: chains" "files" endurctl delete rule watch ""
check "delete rule: handle keyword" "handle" endurctl delete rule host files ""
check "delete rule: handles" "12 5" endurctl delete rule host files handle ""
check "delete rule: handle prefix" "12" endurctl delete rule host files handle 1
check "delete rule: handles of a quoted chain" "14" endurctl delete rule '"my t"' '\"c\ d\"' handle ""
check "replace rule: handles" "7" endurctl replace rule host exec handle ""
check "replace rule: the rule after the handle" "accept access capability command comment counter deny exe log path signal source target uid" \
	endurctl replace rule host exec handle 7 ""
check "insert rule: position" "position" endurctl insert rule host files po
check "add rule: handles after position" "12 5" endurctl add rule host files position ""
check "flush chain: chains" "files" endurctl flush chain watch ""
check "delete set: sets" "scratch" endurctl delete set host ""
check "add element: sets" "scratch" endurctl add element host ""
check "add chain: a new name" "" endurctl add chain host ""
check "rule words" "accept access capability command comment counter deny exe log path signal source target uid" \
	endurctl add rule host files path /etc/hosts ""
check "access values" "!= == attr create delete exec link mount read rename write" \
	endurctl add rule host files access ""
check "access values after !=" "attr create delete exec link mount read rename write" \
	endurctl add rule host files access != ""
check "path values are files" "$tmp/files/a.rules" endurctl add rule host files path "$tmp/files/a"
check "field names: capability" "capability" endurctl add rule host caps cap
check "field names after counter" "accept access capability command comment deny exe hits log path signal source target uid" \
	endurctl add rule host caps counter ""
check "capability values" "!= == $(LC_ALL=C sort <<<"$_endurctl_capabilities" | paste -sd ' ')" \
	endurctl add rule host caps capability ""
check "capability values after !=" "cap_net_admin cap_net_bind_service cap_net_broadcast cap_net_raw" \
	endurctl add rule host caps capability != cap_net
check "capability values after ==" "cap_sys_module" endurctl add rule host caps capability == cap_sys_m
# same_names WHAT LIST FILE [ARRAY]: the completion's names of WHAT are those of the rule
# language, in their order (c_names)
same_names() {
	local what=$1 list=$2 names
	shift 2
	names=$(c_names "$@")
	if [ -n "$names" ] && [ "$list" = "$names" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $what: the completion's names are not those of $*"
	fi
}
same_names "capabilities" "$_endurctl_capabilities" src/lib/language/capability.c
check "rule words after a capability" "accept access capability command comment counter deny exe log path signal source target uid" \
	endurctl add rule host caps capability cap_sys_admin ""
check "field names: command" "command" endurctl add rule host bpf comma
check "bpf commands" "!= == $(LC_ALL=C sort <<<"$_endurctl_bpf_commands" | paste -sd ' ')" \
	endurctl add rule host bpf command ""
check "bpf commands after !=" "prog_get_fd_by_id prog_get_next_id" endurctl add rule host bpf command != prog_g
check "bpf commands after ==" "btf_get_fd_by_id btf_get_next_id btf_load" endurctl add rule host bpf command == btf
check "bpf command prefix" "map_lookup_and_delete_batch map_lookup_and_delete_elem map_lookup_batch map_lookup_elem" \
	endurctl add rule host bpf command map_lookup
same_names "bpf commands" "$_endurctl_bpf_commands" src/lib/language/bpf_command.c
check "rule words after a bpf command" "accept access capability command comment counter deny exe log path signal source target uid" \
	endurctl add rule host bpf command prog_load ""
check "field names: source" "source" endurctl add rule host modules so
check "module sources" "!= == file memory request" endurctl add rule host modules source ""
check "module sources after !=" "file memory request" endurctl add rule host modules source != ""
check "module sources after ==" "memory" endurctl add rule host modules source == m
check "module source prefix" "request" endurctl add rule host modules source r
same_names "module sources" "$_endurctl_module_sources" src/lib/language/module_source.c
check "rule words after a module source" "accept access capability command comment counter deny exe log path signal source target uid" \
	endurctl add rule host modules source request ""
check "path values after a module source" "$tmp/files/a.rules" endurctl add rule host modules source file path "$tmp/files/a"
check "field names: signal" "signal" endurctl add rule host signals sig
check "signal values" "!= == $(LC_ALL=C sort <<<"$_endurctl_signals" | paste -sd ' ')" \
	endurctl add rule host signals signal ""
check "signal values after !=" "stkflt stop" endurctl add rule host signals signal != st
check "signal values after ==" "usr1 usr2" endurctl add rule host signals signal == us
check "signal prefix" "kill" endurctl add rule host signals signal k
same_names "signals" "$_endurctl_signals" src/lib/language/signal.c
check "rule words after a signal" "accept access capability command comment counter deny exe log path signal source target uid" \
	endurctl add rule host signals signal kill ""
check "field names: target" "target" endurctl add rule host signals ta
check "target operators" "!= == vmap" endurctl add rule host signals signal kill target ""
check "target values are files" "$tmp/files/a.rules" endurctl add rule host signals target != "$tmp/files/a"
check "hooks" "bpf capable exec file_open module signal" endurctl add chain host caps "{" hook ""
same_names "hooks" "$_endurctl_hooks" src/lib/language/hooks.c hook_descs
same_names "fields" "$_endurctl_fields" src/lib/language/fields.c field_descs
check "hook prefix" "capable" endurctl add chain host caps "{" hook ca
check "hook prefix: bpf" "bpf" endurctl add chain host bpf "{" hook b
check "hook prefix: module" "module" endurctl add chain host modules "{" hook m
check "hooks in a table body" "file_open" endurctl add table host "{" chain files "{" hook f
check "policies" "accept deny" endurctl add chain host caps "{" hook capable ";" policy ""
check "no hooks in a delete" "" endurctl delete chain host caps hook ""

: >"$tmp/calls"
check "--socket is passed on" "host" endurctl --socket /tmp/other.sock add rule ho
if grep -qx -- "--socket /tmp/other.sock list ruleset" "$tmp/calls"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL --socket is passed on: endurctl was called as:"
	cat "$tmp/calls"
fi

touch "$tmp/down"
check "endurd down: no tables, quietly" "" endurctl add rule ""
check "endurd down: no handles, quietly" "" endurctl delete rule host files handle ""
check "endurd down: keywords still complete" "handle" endurctl delete rule host files ""
rm -f "$tmp/down"

echo "completion: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
