#!/bin/sh
# Hook signal decides the signals one process sends another, by signal and by the target's
# executable. SIGKILL and SIGTERM to a guarded process fail with EPERM by every way a process sends
# a signal (kill(2), tgkill(2), sigqueue(3), pidfd_send_signal(2)); a SIGKILL the kernel sends for
# I/O on a pipe the guarded process was made owner of (fcntl F_SETOWN, F_SETSIG), with no kill(2),
# is not delivered. Each reports the signal, the target's pid and executable and the rule, and
# counts. Other signals reach it, the exempted sender's reach it, and an audit table denies
# nothing. A process without an executable (a kernel thread) is no "target X" and is every
# "target != X".
. /tests/lib.sh

mkdir -p /srv/c29
for name in guarded other killer; do
	cp "$PROBE" /srv/c29/$name
done

start_endurd
endurctl monitor events >"$WORK/monitor.txt" 2>&1 &
monitor=$!
/srv/c29/guarded pause &
guarded=$!
/srv/c29/other pause &
other=$!
sleep 1
load <<'RULES'
table host {
    chain signals {
        hook signal; policy accept
        target /srv/c29/guarded exe != /srv/c29/killer signal { kill, term } counter log deny comment "guard"
        signal 0 target != { /srv/c29/guarded, /srv/c29/other } exe /srv/c29/killer counter deny comment "hidden"
    }
}
table watch {
    mode audit
    chain signals {
        hook signal; policy accept
        target /srv/c29/other signal usr1 counter log deny comment "audited"
    }
}
RULES
hg=$(handle_of host signals 'comment "guard"')
hh=$(handle_of host signals 'comment "hidden"')
ha=$(handle_of watch signals 'comment "audited"')

target="\"target\":{\"pid\":$guarded,\"exe\":\"/srv/c29/guarded\"}"
expect_value signal signal signal deny kill "$hg" EPERM -- kill "$guarded" 9
expect_event "\"operation\":\"signal\"" "$target" '"exe":"/usr/local/bin/probe"'
expect_value signal signal signal deny term "$hg" EPERM -- tgkill "$guarded" 15
expect_value signal signal signal deny kill "$hg" EPERM -- sigqueue "$guarded" 9
expect_value signal signal signal deny kill "$hg" EPERM -- pidfd-kill "$guarded" 9
# the kernel's I/O signal: the write is done, the SIGKILL it would send is not
expect_value signal sigio signal deny kill "$hg" OK -- sigio "$guarded" 9
expect_event "\"operation\":\"sigio\"" "$target"
kill -0 "$guarded" 2>/dev/null || fail "the guarded process was killed"
expect_counter host signals "$hg" 5

# signals no rule names reach it, and are not reported
mark_events
expect_errno OK -- kill "$guarded" 18
expect_errno OK -- kill "$guarded" 0
expect_no_event '"hook":"signal"'

# a kernel thread has no executable: "target != ..." holds for it, the named targets are let be
expect_errno EPERM -- /srv/c29/killer kill 2 0
expect_errno OK -- /srv/c29/killer kill "$guarded" 0
expect_counter host signals "$hh" 1

# the audit table reports what it would deny; the signal is sent
expect_value signal signal signal audit usr1 "$ha" OK -- kill "$other" 10
wait "$other" 2>/dev/null || true
kill -0 "$other" 2>/dev/null && fail "SIGUSR1 did not reach the other process"
expect_counter watch signals "$ha" 1

# the exempted sender's SIGTERM is delivered
expect_errno OK -- /srv/c29/killer kill "$guarded" 15
wait "$guarded" 2>/dev/null || true
kill -0 "$guarded" 2>/dev/null && fail "the exempted sender's SIGTERM did not reach the guarded process"
expect_counter host signals "$hg" 5

kill "$monitor"
wait "$monitor" 2>/dev/null || true
grep -q "^event signal deny host signals handle $hg pid [0-9]* uid 0 exe /usr/local/bin/probe target $guarded /srv/c29/guarded signal kill\$" \
	"$WORK/monitor.txt" || fail "no monitor line of the SIGKILL: $(cat "$WORK/monitor.txt")"
pass
