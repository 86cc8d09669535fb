#!/bin/sh
# Hook module decides kernel modules by where they come from: a module read from a file
# (finit_module), by its path and identity; one from memory (init_module); one the kernel asks
# modprobe for on the caller's behalf (a file system type no module loaded provides). Denied,
# each fails with EPERM (the request: the mount finds no such type), reports the operation, the
# source and, for a file, its path, and counts. A rule on a path holds for no module without a
# file. What no rule denies reaches the kernel's own checks (ENOEXEC: these are no modules).
. /tests/lib.sh

mkdir -p /srv/c28/scratch /srv/c28/free /srv/c28/elsewhere /srv/c28/mnt
for dir in scratch free elsewhere; do
	echo "no module" >/srv/c28/$dir/fake.ko
done
cp "$PROBE" /srv/c28/other

start_endurd
load <<'RULES'
table host {
    chain modules {
        hook module; policy accept
        source file path /srv/c28/scratch/ counter log deny comment "scratch"
        path != /srv/c28/free/ exe /srv/c28/other counter log deny comment "free only"
        source memory exe /usr/local/bin/probe counter log deny comment "memory"
        source request exe /usr/local/bin/probe counter log deny comment "requests"
    }
}
RULES
hs=$(handle_of host modules 'comment "scratch"')
hf=$(handle_of host modules 'comment "free only"')
hm=$(handle_of host modules 'comment "memory"')
hr=$(handle_of host modules 'comment "requests"')

expect_value module finit_module source deny file "$hs" EPERM -- \
	finit-module /srv/c28/scratch/fake.ko
expect_event '"operation":"finit_module"' '"path":"/srv/c28/scratch/fake.ko"'
expect_value module init_module source deny memory "$hm" EPERM -- init-module
expect_value module request_module source deny request "$hr" ENODEV -- \
	mount-type endura-c28 /srv/c28/mnt
# a compressed module the kernel decompresses itself: from 5.17, read as a module; from 7.x
# under an id of its own, which is a module's too. 5.10 refuses the flag before reading.
case $(uname -r) in
5.10.*)
	expect_errno EINVAL -- finit-module-compressed /srv/c28/scratch/fake.ko
	scratch=1
	;;
*)
	expect_value module finit_module source deny file "$hs" EPERM -- \
		finit-module-compressed /srv/c28/scratch/fake.ko
	scratch=2
	;;
esac
expect_counter host modules "$hs" "$scratch"
expect_counter host modules "$hm" 1
expect_counter host modules "$hr" 1

# the kernel's own checks answer what no rule denies
expect_errno ENOEXEC -- finit-module /srv/c28/free/fake.ko
expect_errno ENOEXEC -- finit-module /srv/c28/elsewhere/fake.ko
expect_value module finit_module source deny file "$hs" EPERM -- \
	/srv/c28/other finit-module /srv/c28/scratch/fake.ko
expect_value module finit_module source deny file "$hf" EPERM -- \
	/srv/c28/other finit-module /srv/c28/elsewhere/fake.ko
expect_errno ENOEXEC -- /srv/c28/other finit-module /srv/c28/free/fake.ko
expect_counter host modules "$hs" $((scratch + 1))
# the rule on a path does not hold for a module without a file
mark_events
expect_errno ENOEXEC -- /srv/c28/other init-module
expect_errno ENODEV -- /srv/c28/other mount-type endura-c28 /srv/c28/mnt
expect_no_event '"exe":"/srv/c28/other"'
expect_counter host modules "$hf" 1
pass
