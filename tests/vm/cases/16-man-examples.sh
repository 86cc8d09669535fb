#!/bin/sh
# Every command of the EXAMPLES of endurctl(8) runs, in order, against endurd on the shipped
# rules, as the page says they do: the handles they name are the ones endurd gives. The prompt
# transcript is fed to endurctl -i; the monitor transcript is the one example not run (it waits).
. /tests/lib.sh

page=/tests/endurctl.8
[ -r "$page" ] || fail "$page is not in the initramfs"
# the roff escapes the page uses, undone
unroff() { sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\en/\\n/g' -e 's/\\e/\\/g'; }
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$page" | awk '
	/^\.EX/ { inside = 1; next }
	/^\.EE/ { inside = 0; next }
	inside' | unroff >"$WORK/blocks"
grep -E '^(endurctl |printf )' "$WORK/blocks" >"$WORK/commands"
grep '^endura> ' "$WORK/blocks" | sed 's/^endura> //' >"$WORK/prompt"
[ "$(wc -l <"$WORK/commands")" -ge 20 ] || fail "only $(wc -l <"$WORK/commands") example commands found"
[ -s "$WORK/prompt" ] || fail "no prompt example found"

# what the examples name: an include directory and a file that includes from it
mkdir -p /etc/endura/include
echo 'define SITE = /srv/site/' >/etc/endura/include/site.defs
printf 'include "site.defs"\ntable site { chain exec { hook exec; policy accept; path $SITE log } }\n' \
	>"$WORK/site.rules"

start_endurd /etc/endura/rules.d
cd "$WORK"
n=0
while IFS= read -r command; do
	n=$((n + 1))
	case $command in
	*"monitor"*) continue ;;
	esac
	if ! sh -c "$command" >"$WORK/out" 2>&1; then
		fail "example $n failed: $command: $(head -n 3 "$WORK/out")"
	fi
	# the interactive example follows the one-statement audit table that creates lab
	case $command in
	*"table lab { mode audit"*)
		endurctl -i <"$WORK/prompt" >"$WORK/out" 2>&1 ||
			fail "the prompt example failed: $(head -n 3 "$WORK/out")"
		;;
	esac
done <"$WORK/commands"
pass
