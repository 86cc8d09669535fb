// SPDX-License-Identifier: GPL-2.0-only
/* The generic programs: for every hook one per tier, of which endurd loads the strongest the
 * kernel runs (set_autoload). Policy lives only in the maps. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "decide.bpf.h"
#include "entries.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_EXEC	0x20
#define __FMODE_EXEC	0x20	/* in f_flags: execve and uselib opens, before kernels set FMODE_EXEC */
#define MAX_ERRNO	4095

/* The start-up probe: endurd sets probe_tgid, makes the hooked operation happen in that process
 * and reads which hooks saw it. A program that attached but never runs (BPF LSM without bpf in
 * the active list) is found out here. */
__u32 probe_tgid;
__u32 probe_seen[ENDURA_HOOK_COUNT];

static __always_inline void note_probe(__u32 hook)
{
	if (probe_tgid && bpf_get_current_pid_tgid() >> 32 == probe_tgid && hook < ENDURA_HOOK_COUNT)
		probe_seen[hook] = 1;
}

/* The first bytes of the path in the scratch buffer, as the lookup key: NUL-padded over the bytes
 * the exact-path table of its size hashes. Returns the path's whole size, 0 when unresolved. */
static __always_inline __u32 path_key(struct scratch *scratch, int offset)
{
	__builtin_memset(scratch->key.path, 0, ENDURA_PATH_SHORT);
	if (offset >= 0 && offset < ENDURA_PATH_FULL - ENDURA_PATH_SHORT)
		__builtin_memset(scratch->key.path + ENDURA_PATH_SHORT, 0,
				 ENDURA_PATH_MAX - ENDURA_PATH_SHORT);
	return copy_path((char *)scratch->key.path, ENDURA_PATH_MAX, scratch->buf, offset);
}

/* Describes the operation on @file in scratch space @slot and decides it: 0 or -EPERM. The path
 * is built here when @needs asks for it and @cached does not hold its classes, since only here
 * can a trusted file be walked with plain loads; the decision gathers the executable itself, and
 * only when the path and uid leave it a rule to meet. */
static __always_inline int describe_and_decide(struct scratch *scratch, __u32 slot, __u8 needs,
					       __u32 lookups, __u32 tables, __u32 generation,
					       struct file *file, const struct path_cache_lookup *cached,
					       __u32 hook, __u32 access, __u32 tier, bool trusted)
{
	struct endura_subject *s = &scratch->subject;
	__u32 size;

	s->file = (__u64)file;
	s->hook = hook;
	s->access = access;
	s->flags = 0;
	s->described = needs & ENDURA_NEED_UID;
	if (needs & ENDURA_NEED_UID)
		s->uid = (__u32)bpf_get_current_uid_gid();
	s->path_size = 0;
	s->cached = *cached;
	if ((needs & ENDURA_NEED_PATH) && cached->result != PATH_CACHE_HIT) {
		size = path_key(scratch, file_path(scratch, slot, file, trusted));
		s->path_size = size;
		scratch->key.prefixlen = (size < ENDURA_PATH_MAX ? size : ENDURA_PATH_MAX) * 8;
		if (!size)
			s->flags |= ENDURA_EVENT_PATH_UNRESOLVED;
		file_identity(file, &s->object, trusted);
		s->enclosing = lookups & ENDURA_LOOKUP_SUBTREE_IDS ?
			       endura_enclosing(slot, tables) : ENDURA_NO_CLASS;
	}
	s->described |= needs & ENDURA_NEED_PATH;
	return endura_decide(tier, slot, tables, generation) ? -EPERM : 0;
}

/* A scratch space of this CPU that no decision owns, now @owner's, and its number in @slot; when
 * all are taken (that many tasks preempted while deciding on one CPU), the first: the owner
 * check finds out. */
static __always_inline struct scratch *claim_scratch(__u64 owner, __u32 *slot)
{
	struct scratch *scratch;

	UNROLLED
	for (__u32 i = 0; i < ENDURA_SCRATCH_SLOTS; i++) {
		scratch = scratch_at(i);
		if (scratch && !scratch->owner) {
			scratch->owner = owner;
			*slot = i;
			return scratch;
		}
	}
	*slot = 0;
	return scratch_at(0);
}

/* One attempt at the decision, in a scratch space marked as @owner's first. Returns whether the
 * mark is still there at the end: no other task used the space meanwhile. */
static __always_inline bool attempt(struct scratch *scratch, __u32 slot, __u64 owner, __u8 needs,
				    __u32 lookups, __u32 tables, __u32 generation, struct file *file,
				    const struct path_cache_lookup *cached,
				    __u32 hook, __u32 access, __u32 tier, bool trusted, int *result)
{
	scratch->owner = owner;
	*result = describe_and_decide(scratch, slot, needs, lookups, tables, generation, file,
				      cached, hook, access, tier, trusted);
	return scratch->owner == owner;
}

/* Claiming a free scratch space can itself be preempted between its check and its mark, and a
 * ninth decision on one CPU shares a space: a decision overtaken that way is made again;
 * overtaken twice, it is counted and denied: never a decision on another task's data.
 * An operation no rule can act on is allowed first, before any of this: by its access, or by a
 * remembered path that no rule names. */
static __always_inline int decide_file(struct file *file, __u32 hook, __u32 access, __u32 tier,
				       bool trusted)
{
	struct path_cache_lookup cached = { .result = PATH_CACHE_NONE };
	struct endura_hook_meta *meta;
	struct endura_stats *stats;
	struct scratch *scratch;
	__u32 generation, slot, tables;
	__u64 classes, owner;
	int result;
	__u8 needs;

	note_probe(hook);
	meta = active_tables(hook, &generation, &tables);
	if (!meta)
		return 0;
	needs = decision_needs(meta, access);
	if (!(needs & ENDURA_NEED_DECISION))
		return 0;
	stats = stats_here();
	if (stats)
		stats->count[ENDURA_STAT_DECISIONS] += 1;
	if (trusted && (needs & ENDURA_NEED_PATH) && path_cache_name(&cached.name, file, hook)) {
		classes = path_cache_find(&cached.name, generation);
		cached.result = PATH_CACHE_MISS;
		if (classes != PATH_CACHE_UNKNOWN) {
			if (stats)
				stats->count[ENDURA_STAT_PATH_CACHED] += 1;
			/* no rule names the path: nothing else about the operation matters */
			if (classes == path_classes(ENDURA_CLASS_NONE, ENDURA_NO_CLASS))
				return 0;
			cached.result = PATH_CACHE_HIT;
			cached.path = classes;
			cached.path_id = classes >> 32;
		}
	}
	owner = bpf_get_current_pid_tgid();
	scratch = claim_scratch(owner, &slot);
	if (!scratch)
		return 0;
	if (!attempt(scratch, slot, owner, needs, meta->lookups, tables, generation, file, &cached,
		     hook, access, tier, trusted, &result) &&
	    !attempt(scratch, slot, owner, needs, meta->lookups, tables, generation, file, &cached,
		     hook, access, tier, trusted, &result)) {
		stat_add(ENDURA_STAT_OVERTAKEN);
		result = -EPERM;
	}
	if (scratch->owner == owner)
		scratch->owner = 0;
	return result;
}

/* What an earlier program on the hook returned, kept when it is an error number: the verifier of
 * 6.12 and later wants an LSM program's result proven to be 0 or -1..-4095. */
static __always_inline int earlier_verdict(int ret)
{
	return ret < 0 && ret >= -MAX_ERRNO ? ret : -EPERM;
}

static __always_inline __u32 open_access(__u32 mode, __u32 flags)
{
	__u32 access = 0;

	if (mode & FMODE_READ)
		access |= ENDURA_ACCESS_READ;
	if (mode & FMODE_WRITE)
		access |= ENDURA_ACCESS_WRITE;
	if ((mode & FMODE_EXEC) || (flags & __FMODE_EXEC))
		access |= ENDURA_ACCESS_EXEC;
	return access;
}

/* --- file_open ------------------------------------------------------------------------------ */
static __always_inline int decide_open(struct file *file, __u32 tier)
{
	return decide_file(file, ENDURA_HOOK_FILE_OPEN, open_access(file->f_mode, file->f_flags),
			   tier, true);
}

SEC("lsm/file_open")
int BPF_PROG(endura_file_open, struct file *file, int ret)
{
	return ret ? earlier_verdict(ret) : decide_open(file, ENDURA_TIER_LSM);
}

SEC("fmod_ret/security_file_open")
int BPF_PROG(endura_file_open_fmod, struct file *file, int ret)
{
	return ret ? earlier_verdict(ret) : decide_open(file, ENDURA_TIER_FMOD_RET);
}

/* x86_64 system call numbers of the calls that open a file and return its descriptor. */
static __always_inline bool opens_a_file(long nr)
{
	return nr == 2 /* open */ || nr == 85 /* creat */ || nr == 257 /* openat */ ||
	       nr == 304 /* open_by_handle_at */ || nr == 437 /* openat2 */;
}

/* The file behind descriptor @fd of the current task, read with helpers. */
static __always_inline struct file *fd_file(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;

	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

/* Observe: after the system call opened the file. Opens that enter no system call of their own
 * (io_uring) are not seen. */
SEC("tp_btf/sys_exit")
int BPF_PROG(endura_file_open_observe, struct pt_regs *regs, long ret)
{
	struct file *file;

	if (ret < 0 || !opens_a_file(regs->orig_ax))
		return 0;
	file = fd_file(ret);
	if (file)
		decide_file(file, ENDURA_HOOK_FILE_OPEN,
			    open_access(BPF_CORE_READ(file, f_mode), BPF_CORE_READ(file, f_flags)),
			    ENDURA_TIER_OBSERVE, false);
	return 0;
}

/* --- exec ----------------------------------------------------------------------------------- */
static __always_inline int decide_exec(struct linux_binprm *bprm, __u32 tier)
{
	return decide_file(bprm->file, ENDURA_HOOK_EXEC, ENDURA_ACCESS_EXEC, tier, true);
}

SEC("lsm/bprm_check_security")
int BPF_PROG(endura_exec, struct linux_binprm *bprm, int ret)
{
	return ret ? earlier_verdict(ret) : decide_exec(bprm, ENDURA_TIER_LSM);
}

SEC("fmod_ret/security_bprm_check")
int BPF_PROG(endura_exec_fmod, struct linux_binprm *bprm, int ret)
{
	return ret ? earlier_verdict(ret) : decide_exec(bprm, ENDURA_TIER_FMOD_RET);
}

/* Observe: the program that now runs (for a script, its interpreter). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(endura_exec_observe, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	if (bprm->file)
		decide_exec(bprm, ENDURA_TIER_OBSERVE);
	return 0;
}
