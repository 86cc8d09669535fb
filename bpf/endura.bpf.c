// SPDX-License-Identifier: GPL-2.0-only
/* The generic LSM programs: one per hook, loaded once. Policy lives only in the maps. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "decide.bpf.h"
#include "path.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_EXEC	0x20
#define __FMODE_EXEC	0x20	/* in f_flags: execve and uselib opens, before kernels set FMODE_EXEC */

/* Per-CPU room for the path being decided: too large for the 512-byte stack. */
struct scratch {
	char buf[PATH_BUF_SIZE];
	struct endura_path_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_space SEC(".maps");

static int report(struct decision *d, const struct endura_rule_info *rule, __u8 verdict)
{
	struct endura_subject *s = d->subject;
	struct endura_event *event;
	struct scratch *scratch;
	__u64 pid_tgid;
	__u32 zero = 0;

	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		stat_add(ENDURA_STAT_EVENTS_LOST);
		return 0;
	}
	pid_tgid = bpf_get_current_pid_tgid();
	event->time_ns = bpf_ktime_get_boot_ns();
	event->rule_handle = rule->handle;
	event->generation = d->generation;
	event->pid = pid_tgid >> 32;
	event->tid = (__u32)pid_tgid;
	event->uid = s->uid;
	event->hook = s->hook;
	event->verdict = verdict;
	event->access = s->access;
	event->flags = s->flags;
	event->policy = !!(rule->flags & ENDURA_RULE_POLICY);
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	event->path[0] = '\0';
	if (s->path)
		bpf_probe_read_kernel_str(event->path, sizeof(event->path), s->path->path);
	event->exe[0] = '\0';
	/* The exe path is only needed for reports: resolved here, not per decision. The scratch
	 * buffer is free again: the subject's path was already copied out of it into the key. */
	scratch = bpf_map_lookup_elem(&scratch_space, &zero);
	if (s->exe_file && scratch &&
	    !copy_path(event->exe, scratch->buf, build_path(&s->exe_file->f_path, scratch->buf)))
		event->flags |= ENDURA_EVENT_EXE_UNRESOLVED;
	bpf_ringbuf_submit(event, 0);
	return 0;
}

static __always_inline void describe_task(struct endura_subject *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct mm_struct *mm = task->mm;
	struct file *exe_file = mm ? mm->exe_file : NULL;

	s->uid = (__u32)bpf_get_current_uid_gid();
	s->exe_file = exe_file;
	if (exe_file)
		file_identity(exe_file, &s->exe);
	else
		s->flags |= ENDURA_EVENT_EXE_UNRESOLVED;
}

static __always_inline int decide_file(struct file *file, __u32 hook, __u32 access)
{
	struct endura_subject s = { .hook = hook, .access = access };
	struct scratch *scratch;
	__u32 zero = 0, size;

	if (!hook_active(hook))
		return 0;
	scratch = bpf_map_lookup_elem(&scratch_space, &zero);
	if (!scratch)
		return 0;
	/* the exact-path lookup hashes all ENDURA_PATH_MAX bytes: no stale tail */
	__builtin_memset(scratch->key.path, 0, sizeof(scratch->key.path));
	size = copy_path((char *)scratch->key.path, scratch->buf,
			 build_path(&file->f_path, scratch->buf));
	if (size) {
		scratch->key.prefixlen = size * 8;
		s.path = &scratch->key;
		s.path_size = size;
	} else {
		s.flags |= ENDURA_EVENT_PATH_UNRESOLVED;
	}
	file_identity(file, &s.object);
	describe_task(&s);
	return decide(&s);
}

SEC("lsm/file_open")
int BPF_PROG(endura_file_open, struct file *file, int ret)
{
	__u32 access = 0;
	__u32 mode, flags;

	if (ret)
		return ret;
	mode = file->f_mode;
	flags = file->f_flags;
	if (mode & FMODE_READ)
		access |= ENDURA_ACCESS_READ;
	if (mode & FMODE_WRITE)
		access |= ENDURA_ACCESS_WRITE;
	if ((mode & FMODE_EXEC) || (flags & __FMODE_EXEC))
		access |= ENDURA_ACCESS_EXEC;
	return decide_file(file, ENDURA_HOOK_FILE_OPEN, access);
}

SEC("lsm/bprm_check_security")
int BPF_PROG(endura_exec, struct linux_binprm *bprm, int ret)
{
	if (ret)
		return ret;
	return decide_file(bprm->file, ENDURA_HOOK_EXEC, ENDURA_ACCESS_EXEC);
}
