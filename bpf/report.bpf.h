/* SPDX-License-Identifier: GPL-2.0-only */
/* Events: one ring buffer record per rule that logs, naming the rule, the generation and the tier
 * that decided. A global function, checked once by the verifier however many places call it. */
#ifndef ENDURA_REPORT_BPF_H
#define ENDURA_REPORT_BPF_H

#include "path.bpf.h"

#ifndef ENDURA_NO_EVENTS
/* Reports the operation described in scratch space @slot, decided by @rule_handle in the
 * generation and tier of its search. @policy: the chain's policy decided. */
__noinline int endura_report(__u64 rule_handle, __u32 policy, __u32 verdict, __u32 slot)
{
	struct endura_subject *s;
	struct endura_event *event;
	struct scratch *scratch;
	struct vfsmount *mnt, *other_mnt;	/* locals: CO-RE reads relocate every member named */
	struct file *exe_file;
	__u32 path_size;
	__u64 pid_tgid;

	scratch = scratch_at(slot);
	if (!scratch)
		return 0;
	s = &scratch->subject;
	mnt = (struct vfsmount *)s->mnt;
	other_mnt = (struct vfsmount *)s->other_mnt;
	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		stat_add(ENDURA_STAT_EVENTS_LOST);
		return 0;
	}
	pid_tgid = bpf_get_current_pid_tgid();
	event->time_ns = bpf_ktime_get_boot_ns();
	event->rule_handle = rule_handle;
	event->generation = scratch->search.generation;
	event->pid = pid_tgid >> 32;
	event->tid = (__u32)pid_tgid;
	event->uid = (__u32)bpf_get_current_uid_gid();	/* s->uid is set only when a rule needed it */
	event->target_pid = s->target_pid;
	event->hook = s->hook;
	event->op = s->op;
	event->verdict = verdict;
	event->access = s->access;
	event->flags = s->flags;
	event->policy = policy != 0;
	event->tier = scratch->search.tier;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	event->path[0] = '\0';
	path_size = s->path_size;
	if (s->flags & ENDURA_EVENT_PATH_UNRESOLVED)
		path_size = 0;
	else if (path_size)
		bpf_probe_read_kernel(event->path, sizeof(event->path), scratch->key.path);
	else if (s->dentry)	/* no rule needed the path: it is built for the report alone */
		path_size = copy_path(event->path, sizeof(event->path), scratch->buf,
				      build_path(scratch, slot, (struct dentry *)s->dentry, mnt,
						 BPF_CORE_READ(mnt, mnt_root), false));
	if (path_size > sizeof(event->path))
		event->flags |= ENDURA_EVENT_PATH_TRUNCATED;
	event->path[sizeof(event->path) - 1] = '\0';
	event->other_path[0] = '\0';
	if (s->other_dentry)
		copy_path(event->other_path, sizeof(event->other_path), scratch->buf,
			  build_path(scratch, slot, (struct dentry *)s->other_dentry, other_mnt,
				     BPF_CORE_READ(other_mnt, mnt_root), false));
	event->other_path[sizeof(event->other_path) - 1] = '\0';
	event->exe[0] = '\0';
	/* The exe path is only needed for reports: resolved here, not per decision. The scratch
	 * buffer is free again: the subject's path is in the key or the event by now. */
	exe_file = current_exe_file();
	if (exe_file && !copy_path(event->exe, sizeof(event->exe), scratch->buf,
				   file_path(scratch, slot, exe_file)))
		event->flags |= ENDURA_EVENT_EXE_UNRESOLVED;
	event->exe[sizeof(event->exe) - 1] = '\0';
	bpf_ringbuf_submit(event, 0);
	return 0;
}
#else
static __always_inline int endura_report(__u64 rule_handle, __u32 policy, __u32 verdict,
					 __u32 slot)
{
	return 0;
}
#endif

#endif
