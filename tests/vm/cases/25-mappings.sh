#!/bin/sh
# The exec hook's rules that name a path decide code of a file mapped executable, not only
# execve(2): ld.so running a program it is given by path, mmap(2) with PROT_EXEC, mprotect(2)
# adding PROT_EXEC to a read mapping, a read mapping that a READ_IMPLIES_EXEC personality makes
# executable, and a file a rule names through a hard link made before the rule. Each fails with
# EPERM, reports operation mmap or mprotect with access exec and the rule, and counts. What no
# rule names maps. Rules on the subject alone decide no mapping: a program that may execute nothing
# still maps its own libraries and runs. The mappings execve(2) itself makes are not decided
# again as the new program's: a program only the shell may run is run by the shell. An audit
# table denies nothing and reports the mapping.
. /tests/lib.sh

LOADER=/lib64/ld-linux-x86-64.so.2
[ -x "$LOADER" ] || fail "$LOADER is missing from the guest (mkinitramfs copies what ldd names)"
mkdir -p /srv/c25/shm /srv/c25/free /srv/c25/audited
for f in /srv/c25/shm/tool /srv/c25/named /srv/c25/free/tool /srv/c25/free/quiet \
	/srv/c25/free/shell-only /srv/c25/audited/tool; do
	cp /usr/sbin/endurctl "$f"
done
ln /srv/c25/named /srv/c25/free/alias
version=$(/srv/c25/free/tool --version) || fail "a copy of endurctl does not run before the rules"

start_endurd
load <<'RULES'
table host {
    chain exec {
        hook exec; policy accept
        path /srv/c25/shm/ counter log deny comment "shm"
        path /srv/c25/named counter log deny comment "named"
        exe /srv/c25/free/quiet counter log deny comment "runs nothing"
        path /srv/c25/free/shell-only exe != /bin/busybox counter log deny comment "shell only"
    }
}
table watch {
    mode audit
    chain exec {
        hook exec; policy accept
        path /srv/c25/audited/ counter log deny comment "audited"
    }
}
RULES
hs=$(handle_of host exec 'comment "shm"')
hn=$(handle_of host exec 'comment "named"')
hq=$(handle_of host exec 'comment "runs nothing"')
ho=$(handle_of host exec 'comment "shell only"')
ha=$(handle_of watch exec 'comment "audited"')

expect_denied exec "$hs" /srv/c25/shm/tool -- exec /srv/c25/shm/tool --version
expect_counter host exec "$hs" 1

# the loader maps the program it is given: the exec hook's rule on its path decides that
mark_events
rc=0
"$LOADER" /srv/c25/shm/tool --version >"$WORK/loader.out" 2>"$WORK/loader.err" || rc=$?
[ "$rc" -ne 0 ] || fail "$LOADER ran /srv/c25/shm/tool past the rule: $(cat "$WORK/loader.out")"
# glibc's loader says no more than that (the event says why)
grep -q "failed to map segment from shared object" "$WORK/loader.err" ||
	fail "$LOADER failed otherwise than at mapping the program: $(cat "$WORK/loader.err")"
expect_event '"verdict":"deny"' '"operation":"mmap"' "\"handle\":$hs" \
	'"path":"/srv/c25/shm/tool"' '"access":["exec"]'
expect_counter host exec "$hs" 2

expect_denied mmap "$hs" /srv/c25/shm/tool -- mmap /srv/c25/shm/tool rx
expect_denied mmap "$hs" /srv/c25/shm/tool -- mmap /srv/c25/shm/tool implied
expect_denied mprotect "$hs" /srv/c25/shm/tool -- mprotect /srv/c25/shm/tool
expect_counter host exec "$hs" 5
# a file a rule names, by the name it had before the rule: it is decided by its identity
expect_denied mmap "$hn" /srv/c25/free/alias -- mmap /srv/c25/free/alias rx
expect_denied mprotect "$hn" /srv/c25/named -- mprotect /srv/c25/named
expect_counter host exec "$hn" 2
# reading is no execution
mark_events
expect_errno OK -- mmap /srv/c25/shm/tool r
expect_no_event '"path":"/srv/c25/shm/tool"'
expect_counter host exec "$hs" 5

# what no rule names maps, through the loader too
expect_errno OK -- mmap /srv/c25/free/tool rx
expect_errno OK -- mprotect /srv/c25/free/tool
[ "$("$LOADER" /srv/c25/free/tool --version)" = "$version" ] ||
	fail "$LOADER does not run /srv/c25/free/tool, which no rule names"

# a program that may execute nothing maps its own libraries and runs
[ "$(/srv/c25/free/quiet --version)" = "$version" ] ||
	fail "/srv/c25/free/quiet, which a rule on the subject alone covers, does not run"
expect_counter host exec "$hq" 0
# the shell runs a program only it may run: the kernel's own mappings of it are not decided as
# the new program's, whose exe is not the shell
[ "$(/srv/c25/free/shell-only --version)" = "$version" ] ||
	fail "the shell cannot run /srv/c25/free/shell-only"
expect_counter host exec "$ho" 0
expect_denied exec "$ho" /srv/c25/free/shell-only -- exec /srv/c25/free/shell-only --version
expect_denied mmap "$ho" /srv/c25/free/shell-only -- mmap /srv/c25/free/shell-only rx
expect_counter host exec "$ho" 2

expect_audited mmap "$ha" /srv/c25/audited/tool -- mmap /srv/c25/audited/tool rx
expect_audited mprotect "$ha" /srv/c25/audited/tool -- mprotect /srv/c25/audited/tool
expect_counter watch exec "$ha" 2
pass
