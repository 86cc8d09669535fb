# lib.sh: helpers for the VM test cases, sourced first by every case (busybox sh, inside the guest).
#
# A case is tests/vm/cases/NN-name.sh; it reports exactly one line, "ok N name" or "not ok N name:
# reason", printed when it exits. A case that stops for any other reason (a failed command under
# set -e, a signal, a timeout) is reported as failed with that reason: nothing is ever skipped.
#
#   start_endurd [RULES]         start a fresh endurd (empty ruleset unless RULES), wait until it answers
#   stop_endurd                  stop it; fails if it had died or does not stop cleanly (pass does it)
#   load [FILE]                  endurctl -f FILE, or the rules on stdin; fails on error
#   ectl ARGS...                 endurctl ARGS; fails on error, prints its output
#   handle_of TABLE CHAIN TEXT   print the handle of the rule of TABLE CHAIN whose line contains TEXT
#   expect_errno WANT -- [/PATH/TO/PROBE] probe-args...
#                                run the probe (default /usr/local/bin/probe); WANT is OK, EPERM, ...
#   expect_write_twice WANT PATH open PATH for writing twice: the first decision builds the path,
#                                the second may take it from the path cache; WANT both times
#   mark_events                  later expect_event / expect_no_event only look at events after this
#   expect_event TEXT...         an event line containing every TEXT (fixed strings) appears (10 s)
#   expect_no_event TEXT...      after 2 s, no event line since the mark contains every TEXT
#   expect_counter TABLE CHAIN HANDLE N   the rule's "counter hits" is N in endurctl -a list ruleset
#   fail REASON / pass
#
# Events are compact JSON, so fixed strings like '"verdict":"deny"' '"path":"/tmp/x"' match them.
# endurd's stdout is a file here, so it must flush after every event line.
# A case may define case_cleanup (stop its background jobs...): it runs first when the case exits.

set -eu

CASE_FILE=${0##*/}
CASE_NAME=${CASE_FILE%.sh}
CASE_NAME=${CASE_NAME#*-}
CASE_NUM=$(echo "${CASE_FILE%%-*}" | sed 's/^0*//')
CASE_NUM=${CASE_NUM:-0}

VM_RUN=/run/endura-vm		# the runner clears it before every case
WORK=/tmp/case			# scratch space of this case, cleared before every case
EVENTS=$VM_RUN/endurd.events	# endurd's stdout
ENDURD_LOG=$VM_RUN/endurd.log	# endurd's stderr
PROBE=/usr/local/bin/probe
EVENT_WAIT=${EVENT_WAIT:-10}
ENDURD_PID=
EVENT_MARK=0
_passed=

mkdir -p "$VM_RUN" "$WORK"

# --- reporting --------------------------------------------------------------------------------
# The first failure wins. fail may run in a subshell ($(...), a pipeline): it leaves its reason in a
# file and exits; set -e or a later check carries it up, and the exit trap reports it.
fail() {
	[ -s "$VM_RUN/reason" ] || printf '%s\n' "$*" | tr '\n' ' ' | sed 's/ *$//' >"$VM_RUN/reason"
	exit 1
}

pass() {
	[ ! -s "$VM_RUN/reason" ] || exit 1
	stop_endurd
	_passed=1
	exit 0
}

# On a failure: the last lines on the console, and when the host gave a details port
# (endura.details=ttyS1 on the kernel command line), endurd's whole stderr and the last events there.
_diagnostics() {
	_port=$(sed -n 's/.*endura\.details=\([a-zA-Z0-9]*\).*/\1/p' /proc/cmdline)
	if [ -n "$_port" ] && [ -c "/dev/$_port" ]; then
		{
			echo "=== case $CASE_NUM $CASE_NAME: $(cat "$VM_RUN/reason" 2>/dev/null)"
			echo "=== endurd stderr"
			_n=$(wc -l <"$ENDURD_LOG" 2>/dev/null || echo 0)
			if [ "$_n" -gt 5100 ]; then
				head -n 100 "$ENDURD_LOG"
				echo "=== ... $((_n - 5100)) lines left out ..."
				tail -n 5000 "$ENDURD_LOG"
			else
				cat "$ENDURD_LOG" 2>/dev/null
			fi
			echo "=== the last 200 events"
			tail -n 200 "$EVENTS" 2>/dev/null
			echo "=== end of case $CASE_NUM"
		} >"/dev/$_port" 2>/dev/null
	fi
	if [ -s "$ENDURD_LOG" ]; then
		echo "# endurd stderr, last lines:"
		tail -n 8 "$ENDURD_LOG" | sed 's/^/#   /'
	fi
	if [ -s "$EVENTS" ]; then
		echo "# events: $(wc -l <"$EVENTS") in all, the last ones:"
		tail -n 3 "$EVENTS" | cut -c 1-400 | sed 's/^/#   /'
	fi
}

_on_exit() {
	rc=$?
	set +e
	trap - EXIT TERM INT HUP
	if command -v case_cleanup >/dev/null 2>&1; then
		case_cleanup
	fi
	if [ -n "$ENDURD_PID" ]; then
		kill -TERM "$ENDURD_PID" 2>/dev/null
		_i=0
		while _alive "$ENDURD_PID" && [ "$_i" -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		kill -KILL "$ENDURD_PID" 2>/dev/null
		wait "$ENDURD_PID" 2>/dev/null
	fi
	if [ -s "$VM_RUN/reason" ]; then
		result="not ok $CASE_NUM $CASE_NAME: $(cat "$VM_RUN/reason")"
	elif [ -n "$_passed" ]; then
		result="ok $CASE_NUM $CASE_NAME"
	else
		result="not ok $CASE_NUM $CASE_NAME: the case stopped (exit status $rc) without reporting a result"
	fi
	echo "$result" >"$VM_RUN/result"
	echo "$result"
	case $result in not*) _diagnostics ;; esac
}
trap _on_exit EXIT
trap 'fail "$(cat "$VM_RUN/timeout" 2>/dev/null || echo "stopped by a signal")"' TERM INT HUP

# --- endurd -----------------------------------------------------------------------------------
_alive() {
	_st=
	[ -r "/proc/$1/stat" ] && read -r _ _ _st _ <"/proc/$1/stat" 2>/dev/null
	[ -n "$_st" ] && [ "$_st" != Z ]
}

start_endurd() {
	command -v endurd >/dev/null 2>&1 ||
		fail "endurd is not in the initramfs: build/endurd was missing when it was built (run make)"
	command -v endurctl >/dev/null 2>&1 ||
		fail "endurctl is not in the initramfs: build/endurctl was missing when it was built (run make)"
	mkdir -p "$VM_RUN/empty-rules.d"
	: >"$EVENTS"
	: >"$ENDURD_LOG"
	endurd --rules "${1:-$VM_RUN/empty-rules.d}" >"$EVENTS" 2>"$ENDURD_LOG" &
	ENDURD_PID=$!
	echo "$ENDURD_PID" >"$VM_RUN/endurd.pid"
	_i=0
	until endurctl list ruleset >/dev/null 2>&1; do
		if ! _alive "$ENDURD_PID"; then
			_rc=0
			wait "$ENDURD_PID" || _rc=$?
			ENDURD_PID=
			fail "endurd exited with status $_rc at start: $(tail -n 2 "$ENDURD_LOG")"
		fi
		_i=$((_i + 1))
		[ "$_i" -lt 600 ] || fail "endurctl list ruleset got no answer within 60 s of starting endurd"
		sleep 0.1
	done
	EVENT_MARK=0
}

stop_endurd() {
	[ -n "$ENDURD_PID" ] || return 0
	_pid=$ENDURD_PID
	ENDURD_PID=
	if ! _alive "$_pid"; then
		_rc=0
		wait "$_pid" || _rc=$?
		fail "endurd died during the case (exit status $_rc)"
	fi
	kill -TERM "$_pid"
	_i=0
	while _alive "$_pid"; do
		_i=$((_i + 1))
		if [ "$_i" -ge 100 ]; then
			kill -KILL "$_pid"
			fail "endurd did not exit within 10 s of SIGTERM"
		fi
		sleep 0.1
	done
	_rc=0
	wait "$_pid" || _rc=$?
	# 143: ended by the SIGTERM itself; anything else (a crash, an error exit) is a failure.
	case $_rc in 0 | 143) ;; *) fail "endurd exited with status $_rc on SIGTERM: $(tail -n 1 "$ENDURD_LOG")" ;; esac
}

# --- endurctl ---------------------------------------------------------------------------------
ectl() {
	_rc=0
	endurctl "$@" >"$WORK/ectl.out" 2>"$WORK/ectl.err" || _rc=$?
	[ "$_rc" -eq 0 ] || fail "endurctl $* exited with status $_rc: $(head -n 3 "$WORK/ectl.err")"
	cat "$WORK/ectl.out"
}

# The operation whose program decides operation OP on this kernel, and whose name its events
# carry: OP itself, another (status's decided_by), or nothing. Case 00 says which where.
decider() {
	_status=$(ectl -j status | sed -n "s/.*\"$1\":{\([^}]*\)}.*/\1/p")
	case $_status in
	*'"decided_by":"'*)
		_by=${_status#*\"decided_by\":\"}
		echo "${_by%%\"*}"
		;;
	*'"tier":"none"'*) ;;
	*) echo "$1" ;;
	esac
}

load() {
	if [ $# -eq 0 ]; then
		cat >"$WORK/load.rules"
		set -- "$WORK/load.rules"
	fi
	ectl -f "$1" >/dev/null
}

# The rule lines of TABLE CHAIN in an "endurctl -a list ruleset" listing on stdin.
_rule_lines() {
	awk -v t="$1" -v c="$2" '
		$1 == "table" { tbl = $2; chn = ""; next }
		$1 == "chain" { chn = $2; next }
		$1 == "set"   { chn = ""; next }
		tbl == t && chn == c && /# handle [0-9]+[ \t]*$/ { print }'
}

_handle() {
	sed -n 's/.*# handle \([0-9][0-9]*\)[ \t]*$/\1/p'
}

handle_of() {
	_listing=$(ectl -a list ruleset)
	_h=$(printf '%s\n' "$_listing" | _rule_lines "$1" "$2" | grep -F -e "$3" | head -n 1 | _handle)
	[ -n "$_h" ] || fail "no rule containing '$3' in chain $1 $2 of 'endurctl -a list ruleset'"
	echo "$_h"
}

expect_counter() {
	_listing=$(ectl -a list ruleset)
	_line=$(printf '%s\n' "$_listing" | _rule_lines "$1" "$2" | grep -e "# handle $3[ \t]*\$" | head -n 1)
	[ -n "$_line" ] || fail "no rule with handle $3 in chain $1 $2 of 'endurctl -a list ruleset'"
	_hits=$(echo "$_line" | sed -n 's/.*counter hits \([0-9][0-9]*\).*/\1/p')
	[ -n "$_hits" ] || fail "rule $1 $2 handle $3 shows no 'counter hits N': $_line"
	[ "$_hits" = "$4" ] || fail "counter of rule $1 $2 handle $3 is $_hits, expected $4"
}

# --- probes -----------------------------------------------------------------------------------
expect_errno() {
	_want=$1
	shift
	[ "${1:-}" != "--" ] || shift
	_probe=$PROBE
	case ${1:-} in /*) _probe=$1 && shift ;; esac
	_rc=0
	_got=$("$_probe" "$@" 2>"$WORK/probe.err") || _rc=$?
	[ "$_rc" -eq 0 ] || fail "${_probe##*/} $* exited with status $_rc: $(head -n 1 "$WORK/probe.err")"
	[ "$_got" = "$_want" ] || fail "${_probe##*/} $*: got $_got, expected $_want"
}

# The class of change an operation of the file hook is (endura-rules(5)).
_class_of() {
	case $1 in
	truncate | ftruncate) echo write ;;
	unlink | rmdir) echo delete ;;
	create | mkdir | symlink) echo create ;;
	chmod | chown | utimes | setxattr | removexattr | set_acl | remove_acl) echo attr ;;
	move_mount) echo mount ;;
	mmap | mprotect) echo exec ;;
	*) echo "$1" ;;
	esac
}

# expect_denied OPERATION HANDLE PATH -- probe-args: EPERM, and the event of OPERATION on PATH
# by rule HANDLE, with its class of change
expect_denied() {
	_op=$1 _handle=$2 _path=$3
	shift 4
	mark_events
	expect_errno EPERM -- "$@"
	expect_event '"verdict":"deny"' "\"operation\":\"$_op\"" "\"handle\":$_handle" \
		"\"path\":\"$_path\"" "\"access\":[\"$(_class_of "$_op")\"]"
}

# expect_value HOOK OPERATION FIELD VERDICT VALUE HANDLE ERRNO -- probe-args: the probe's result
# ERRNO, and the event of OPERATION on HOOK (capable, bpf, module) with VERDICT (deny, audit) for
# VALUE of FIELD (capability, command, source) by rule HANDLE
expect_value() {
	_hook=$1 _op=$2 _field=$3 _verdict=$4 _value=$5 _handle=$6 _errno=$7
	shift 8
	mark_events
	expect_errno "$_errno" -- "$@"
	expect_event "\"verdict\":\"$_verdict\"" "\"hook\":\"$_hook\"" "\"operation\":\"$_op\"" \
		"\"$_field\":\"$_value\"" "\"handle\":$_handle"
}

expect_capability() {	# VERDICT CAPABILITY HANDLE ERRNO -- probe-args
	expect_value capable capable capability "$@"
}

# expect_audited OPERATION HANDLE PATH -- probe-args: done, and reported with verdict audit
expect_audited() {
	_op=$1 _handle=$2 _path=$3
	shift 4
	mark_events
	expect_errno OK -- "$@"
	expect_event '"verdict":"audit"' "\"operation\":\"$_op\"" "\"handle\":$_handle" \
		"\"path\":\"$_path\"" "\"access\":[\"$(_class_of "$_op")\"]"
}

expect_write_twice() {
	expect_errno "$1" -- open "$2" w
	expect_errno "$1" -- open "$2" w
}

# --- events -----------------------------------------------------------------------------------
mark_events() {
	EVENT_MARK=$(wc -l <"$EVENTS")
}

_grep_all() {
	if [ $# -eq 0 ]; then
		cat
	else
		_p=$1
		shift
		grep -F -e "$_p" | _grep_all "$@"
	fi
}

_events_since_mark() {
	tail -n "+$((EVENT_MARK + 1))" "$EVENTS" | _grep_all "$@"
}

expect_event() {
	_i=0
	while [ "$(_events_since_mark "$@" | wc -l)" -eq 0 ]; do
		_i=$((_i + 1))
		[ "$_i" -lt $((EVENT_WAIT * 10)) ] ||
			fail "no event with $* within $EVENT_WAIT s ($(wc -l <"$EVENTS") events in all, mark at $EVENT_MARK)"
		sleep 0.1
	done
}

expect_no_event() {
	sleep 2
	_line=$(_events_since_mark "$@" | head -n 1)
	[ -z "$_line" ] || fail "unexpected event: $(echo "$_line" | cut -c 1-300)"
}
