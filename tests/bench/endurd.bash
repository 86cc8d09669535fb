# Sourced by the host benchmarks that need a running endurd: endurd_start starts build/endurd on a
# socket of its own under a fresh directory ($bench_dir) and waits until it answers; ectl runs
# build/endurctl against it. The directory and endurd go when the script exits. Needs root.
bench_dir=$(mktemp -d /tmp/endura-bench.XXXXXX)
endurd_pid=
endurd_cleanup() {
	[ -z "$endurd_pid" ] || kill "$endurd_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$bench_dir"
}
trap endurd_cleanup EXIT

ectl() {
	build/endurctl --socket "$bench_dir/endurd.sock" "$@"
}

endurd_start() {
	build/endurd --socket "$bench_dir/endurd.sock" >/dev/null 2>"$bench_dir/stderr" &
	endurd_pid=$!
	for _ in $(seq 100); do
		ectl status >/dev/null 2>&1 && return 0
		kill -0 "$endurd_pid" 2>/dev/null || { cat "$bench_dir/stderr" >&2; exit 1; }
		sleep 0.2
	done
	echo "endurd did not answer within 20 s" >&2
	exit 1
}
