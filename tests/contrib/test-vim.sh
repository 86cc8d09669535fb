#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# contrib/vim: the syntax file loads without an error message on the shipped rules, .rules files
# of the rule language are detected and others are not, and a few tokens get the group their
# place in the grammar gives them. Prints "N passed, N failed"; exits non-zero on a failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/contrib/c-names.bash
. tests/contrib/c-names.bash
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v vim >/dev/null; then
	echo "vim: not installed (apt-get install vim-nox), nothing checked"
	echo "vim: 0 passed, 0 failed"
	exit 0
fi

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ ! -s "${2:-/dev/null}" ] || { sed 's/^/  /' "$2"; echo; }; }

# vim -es prints no message: -V1 with 'verbosefile' keeps them, errors included.
run_vim() { # messages-file command...
	local messages=$1
	shift
	rm -f "$messages"
	vim -es -u NONE --cmd "set verbosefile=$messages.v" -V1 -c 'set rtp+=contrib/vim' -c 'syntax on' "$@" \
		</dev/null >"$messages.o" 2>&1
	local status=$?
	cat "$messages.v" "$messages.o" >"$messages" 2>/dev/null
	return $status
}

errors_in() { grep -E '(^|[^A-Za-z])E[0-9]+:|Error detected' "$1" >/dev/null 2>&1; }

# The command of the review: loading a shipped file prints no error.
run_vim "$tmp/messages" -c 'e rules.d/10-host.rules' -c 'q'
status=$?
if [ "$status" -ne 0 ] || errors_in "$tmp/messages"; then
	fail "vim loads rules.d/10-host.rules without an error (exit status $status)" "$tmp/messages"
else
	pass
fi

# Every shipped file, and the examples of endura-rules(5): detected, highlighted, no error.
awk -v out="$tmp/example" '
	/^\.\\" example-begin/ { n++; f = out "-" n ".rules"; printf "" > f; next }
	/^\.\\" example-end/ { f = ""; next }
	f != "" { gsub(/\\-/, "-"); gsub(/\\\(dq/, "\""); gsub(/\\&/, ""); gsub(/\\e/, "\\"); print > f }
' man/endura-rules.5
for file in rules.d/*.rules "$tmp"/example-*.rules; do
	run_vim "$tmp/messages" -c "e $file" \
		-c "call writefile([&filetype . ' ' . get(b:, 'current_syntax', '')], '$tmp/ft')" -c 'q'
	status=$?
	got=$(cat "$tmp/ft" 2>/dev/null)
	if [ "$status" -ne 0 ] || errors_in "$tmp/messages"; then
		fail "$file: error messages (exit status $status)" "$tmp/messages"
	elif [ "$got" != "endura endura" ]; then
		fail "$file: filetype and syntax are '$got', expected 'endura endura'"
	else
		pass
	fi
done

# Files that are not Endura's keep their own filetype.
printf 'ACTION=="add", SUBSYSTEM=="net", RUN+="/bin/true"\n' >"$tmp/99-udev.rules"
run_vim "$tmp/messages" -c "e $tmp/99-udev.rules" -c "call writefile([&filetype], '$tmp/ft')" -c 'q'
if [ "$(cat "$tmp/ft")" = endura ]; then fail "a udev rules file is taken for Endura"; else pass; fi
mkdir -p "$tmp/etc/endura/rules.d"
run_vim "$tmp/messages" -c "e $tmp/etc/endura/rules.d/new.rules" -c "call writefile([&filetype], '$tmp/ft')" -c 'q'
if [ "$(cat "$tmp/ft")" = endura ]; then pass; else fail "a new file under endura/ is not detected"; fi

# The group of the token at LINE:COLUMN of a sample, against the expected one.
cat >"$tmp/sample.rules" <<'RULES'
table table {
	chain exec {
		hook exec; policy deny
		uid log access != { read, exec } exe $TOOLS counter hits 3 log deny comment "a \"b\"" # handle 7
		path @scratch accept
	}
}
add rule host files path /srv/a#b
delete rule host files handle 10
add rule host files comment "new"
insert rule host files position 5 uid 0 accept
add element host scratch { /srv/ }
replace rule host files handle 5 log
redefine X = 1
table caps {
	chain capable {
		hook capable; policy accept
		capability != { cap_sys_rawio, cap_sys_boot } uid != 0 log deny
		capability cap_sys_module exe != /usr/sbin/modprobe deny
	}
}
add rule caps capable capability == cap_net_raw log
table bpf {
	chain bpf {
		hook bpf; policy accept
		command != { map_lookup_elem, obj_get_info_by_fd } uid 1000 log
		command prog_load exe != /usr/sbin/bpftool deny
	}
}
add rule bpf bpf command == token_create deny
table modules {
	chain module {
		hook module; policy accept
		source file path /lib/modules/ exe /usr/bin/kmod accept
		source != { file, request } log deny
		source request uid != 0 deny
	}
}
add rule modules module source == memory counter deny
table signals {
	chain signals {
		hook signal; policy accept
		target /usr/sbin/sshd signal { kill, term, 34 } exe != /usr/lib/systemd/systemd deny
		signal != 0 target vmap { /usr/bin/a : accept } log
	}
}
add rule signals signals signal == usr1 counter deny
RULES
checks=(
	"1:1 enduraKeyword"		# table
	"1:7 enduraTableName"		# table (a name)
	"2:8 enduraChainName"		# exec (a name)
	"3:3 enduraChainItem"		# hook
	"3:8 enduraHook"		# exec (a hook)
	"3:21 enduraPolicy"		# deny
	"4:3 enduraField"		# uid
	"4:7 enduraWord"		# log (a user name)
	"4:18 enduraAccessOp"		# !=
	"4:29 enduraAccessMode"		# exec (an access mode)
	"4:40 enduraVariable"		# $TOOLS
	"4:47 enduraStatement"		# counter
	"4:55 enduraHits"		# hits
	"4:60 enduraNumber"		# 3
	"4:66 enduraVerdict"		# deny
	"4:79 enduraString"		# "a \"b\""
	"4:82 enduraEscape"		# \"
	"4:91 enduraHandleNote"	# handle 7
	"5:8 enduraSetRef"		# @scratch
	"8:10 enduraAddRuleTable"	# host
	"8:15 enduraAddRuleChain"	# files
	"8:26 enduraPath"		# /srv/a
	"8:32 enduraComment"		# #b
	"9:31 enduraNumber"		# 10
	"11:1 enduraKeyword"		# insert: the rule of the line before ended with it
	"11:24 enduraPosition"		# position
	"11:33 enduraPlaceNumber"	# 5
	"11:35 enduraField"		# uid
	"12:5 enduraAddObject"		# element
	"12:18 enduraElementSet"	# scratch
	"12:28 enduraPath"		# /srv/
	"13:25 enduraReplaceHandle"	# handle
	"13:34 enduraStatement"		# log
	"14:1 enduraDefine"		# redefine
	"14:10 enduraDefineName"	# X
	"16:8 enduraChainName"		# capable (a name)
	"17:8 enduraHook"		# capable (a hook)
	"18:3 enduraField"		# capability
	"18:14 enduraCapabilityOp"	# !=
	"18:19 enduraCapability"	# cap_sys_rawio, in a list
	"18:34 enduraCapability"	# cap_sys_boot
	"19:14 enduraCapability"	# cap_sys_module
	"22:15 enduraAddRuleChain"	# capable (a name)
	"22:23 enduraField"		# capability
	"22:34 enduraCapabilityOp"	# ==
	"22:37 enduraCapability"	# cap_net_raw
	"22:49 enduraStatement"		# log
	"23:7 enduraTableName"		# bpf (a name)
	"24:8 enduraChainName"		# bpf (a name)
	"25:8 enduraHook"		# bpf (a hook)
	"26:3 enduraField"		# command
	"26:11 enduraBpfCommandOp"	# !=
	"26:16 enduraBpfCommand"	# map_lookup_elem, in a list
	"26:33 enduraBpfCommand"	# obj_get_info_by_fd
	"26:63 enduraStatement"		# log
	"27:11 enduraBpfCommand"	# prog_load
	"27:21 enduraField"		# exe
	"27:46 enduraVerdict"		# deny
	"30:14 enduraAddRuleChain"	# bpf (a name)
	"30:18 enduraField"		# command
	"30:26 enduraBpfCommandOp"	# ==
	"30:29 enduraBpfCommand"	# token_create
	"30:42 enduraVerdict"		# deny
	"31:7 enduraTableName"		# modules (a name)
	"32:8 enduraChainName"		# module (a name)
	"33:8 enduraHook"		# module (a hook)
	"34:3 enduraField"		# source
	"34:10 enduraModuleSource"	# file
	"34:15 enduraField"		# path
	"34:20 enduraPath"		# /lib/modules/
	"34:52 enduraVerdict"		# accept
	"35:10 enduraModuleSourceOp"	# !=
	"35:15 enduraModuleSource"	# file, in a list
	"35:21 enduraModuleSource"	# request
	"35:31 enduraStatement"		# log
	"36:10 enduraModuleSource"	# request
	"36:18 enduraField"		# uid
	"39:10 enduraAddRuleTable"	# modules
	"39:18 enduraAddRuleChain"	# module (a name)
	"39:25 enduraField"		# source
	"39:32 enduraModuleSourceOp"	# ==
	"39:35 enduraModuleSource"	# memory
	"39:42 enduraStatement"		# counter
	"39:50 enduraVerdict"		# deny
	"40:7 enduraTableName"		# signals (a name)
	"41:8 enduraChainName"		# signals (a name)
	"42:8 enduraHook"		# signal (a hook)
	"43:3 enduraField"		# target
	"43:10 enduraPath"		# /usr/sbin/sshd
	"43:25 enduraField"		# signal
	"43:34 enduraSignal"		# kill, in a list
	"43:40 enduraSignal"		# term
	"43:46 enduraNumber"		# 34, in a list
	"43:51 enduraField"		# exe
	"43:83 enduraVerdict"		# deny
	"44:3 enduraField"		# signal
	"44:10 enduraSignalOp"		# !=
	"44:13 enduraNumber"		# 0
	"44:15 enduraField"		# target
	"44:22 enduraVmap"		# vmap
	"44:29 enduraPath"		# /usr/bin/a
	"44:51 enduraStatement"		# log
	"47:18 enduraAddRuleChain"	# signals (a name)
	"47:26 enduraField"		# signal
	"47:33 enduraSignalOp"		# ==
	"47:36 enduraSignal"		# usr1
	"47:41 enduraStatement"		# counter
	"47:49 enduraVerdict"		# deny
)
script=""
for check in "${checks[@]}"; do
	place=${check%% *}
	script+="call add(g:out, '$check ' . synIDattr(synID(${place%%:*}, ${place##*:}, 1), 'name'))|"
done
run_vim "$tmp/messages" -c 'let g:out = []' -c "e $tmp/sample.rules" -c "${script%|}" \
	-c "call writefile(g:out, '$tmp/groups')" -c 'q'
if errors_in "$tmp/messages"; then
	fail "sample: error messages" "$tmp/messages"
fi
while read -r place expected got; do
	if [ "$expected" = "${got:-}" ]; then
		pass
	else
		fail "sample $place: group '${got:-}', expected '$expected'"
	fi
done <"$tmp/groups"

# vim_names GROUP: the keywords of GROUP in the syntax file, in their order
vim_names() {
	awk -v g="$1" '$1 == "syn" && $2 == "keyword" && $3 == g {
		for (i = 4; i <= NF && $i !~ /=/; i++) if ($i != "contained") print $i }' \
		contrib/vim/syntax/endura.vim
}

# The names highlighted as GROUP are those of the rule language, the names of FILE's table, in
# their order: capabilities, bpf commands, module sources, signals; and the hooks.
for pair in enduraCapability:capability.c enduraBpfCommand:bpf_command.c \
	enduraModuleSource:module_source.c enduraSignal:signal.c enduraHook:hooks.c:hook_descs; do
	group=${pair%%:*} file=${pair#*:} array=
	case $file in *:*) array=${file#*:} file=${file%%:*} ;; esac
	file=src/lib/language/$file
	names=$(c_names "$file" ${array:+"$array"})
	if [ -n "$names" ] && [ "$(vim_names "$group")" = "$names" ]; then
		pass
	else
		fail "contrib/vim/syntax/endura.vim: the names of $group are not those of $file"
	fi
done
# The fields, on lines of their own by what may follow them: the same names, in any order.
names=$(c_names src/lib/language/fields.c field_descs | LC_ALL=C sort)
if [ -n "$names" ] && [ "$(vim_names enduraField | LC_ALL=C sort)" = "$names" ]; then
	pass
else
	fail "contrib/vim/syntax/endura.vim: the names of enduraField are not those of src/lib/language/fields.c"
fi

echo "vim: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
