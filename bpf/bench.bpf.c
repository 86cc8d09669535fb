// SPDX-License-Identifier: GPL-2.0-only
/* The decision code of the LSM programs, in a program type the host kernel lets us load and run
 * with BPF_PROG_TEST_RUN: it times one decision natively, without a kernel that runs BPF LSM. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define ENDURA_NO_EVENTS
#include "decide.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The operation to decide, written by the benchmark before each run. */
struct endura_path_key bench_path;
struct endura_file_id bench_object;
struct endura_file_id bench_exe;
__u32 bench_path_size;
__u32 bench_uid;
__u32 bench_access;
__u32 bench_hook;
__u32 bench_flags;
__u32 bench_enclosing = ENDURA_NO_CLASS;
int bench_result;

SEC("tc")
int bench_decide(struct __sk_buff *skb)
{
	struct scratch *scratch = scratch_at(0);
	__u32 generation, tables;

	if (!scratch || !active_tables(bench_hook, &generation, &tables))
		return 0;
	/* the bytes path_key() writes in the programs: the long part only for a long path */
	scratch->key.prefixlen = bench_path.prefixlen;
	__builtin_memcpy(scratch->key.path, bench_path.path, ENDURA_PATH_SHORT);
	if (bench_path_size > ENDURA_PATH_SHORT)
		__builtin_memcpy(scratch->key.path + ENDURA_PATH_SHORT,
				 bench_path.path + ENDURA_PATH_SHORT,
				 ENDURA_PATH_MAX - ENDURA_PATH_SHORT);
	scratch->subject = (struct endura_subject){
		.path_size = bench_path_size,
		.object = bench_object,
		.exe = bench_exe,
		.uid = bench_uid,
		.access = bench_access,
		.hook = bench_hook,
		.flags = bench_flags,
		.enclosing = bench_enclosing,
		.described = ENDURA_NEED_PATH | ENDURA_NEED_EXE | ENDURA_NEED_UID,
	};
	bench_result = endura_decide(ENDURA_TIER_LSM, 0, tables, generation);
	return 0;
}
