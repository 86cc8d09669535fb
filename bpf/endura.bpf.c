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
__u32 probe_seen[ENDURA_OP_COUNT];

static __always_inline void note_probe(__u32 op)
{
	if (probe_tgid && bpf_get_current_pid_tgid() >> 32 == probe_tgid && op < ENDURA_OP_COUNT)
		probe_seen[op] = 1;
}

/* Whether operation @op of @hook with value @value, which a number below @values is, meets a
 * rule that acts in the active tables: what an operation asks first, before it gathers anything
 * a decision alone needs. */
static __always_inline bool value_acts(__u32 op, __u32 hook, int value, int values)
{
	note_probe(op);
	return value >= 0 && value < values && hook_acts(hook, value);
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

/* What an operation acts on: a name, as a dentry in the mount it was reached in, and the file it
 * names, none for a name about to be made. */
struct object {
	struct dentry *dentry;
	struct vfsmount *mnt;
	bool mnt_found;			/* by reads, not handed by the kernel: a number to the verifier */
	struct dentry *mnt_root;	/* the mount's root */
	struct inode *inode;
	struct dentry *other;		/* the other name of a rename or a link, NULL for none */
	struct vfsmount *other_mnt;
	__u32 other_role;		/* ENDURA_EVENT_TO or ENDURA_EVENT_FROM, 0 for none */
	__u32 pid;			/* a process acted on, by its executable: its thread group
					 * id; 0 for a file */
	bool no_file;			/* a process without an executable: no name at all */
};

/* @file as the object of an operation. */
static __always_inline void file_object(struct object *o, struct file *file, bool trusted)
{
	struct vfsmount *mnt = KERNEL_READ(trusted, file, f_path.mnt);

	o->dentry = KERNEL_READ(trusted, file, f_path.dentry);
	o->mnt = mnt;
	o->mnt_found = !trusted;
	o->mnt_root = KERNEL_READ(trusted, mnt, mnt_root);
	o->inode = KERNEL_READ(trusted, file, f_inode);
	o->other = NULL;
	o->other_role = 0;
	o->pid = 0;
	o->no_file = false;
}

/* The name @dentry in mount @mnt with root @mnt_root, and the file it names when there is one: a
 * name whose directory entry changes. @dentry is a typed argument of an LSM or modify-return
 * program. */
static __always_inline void name_object(struct object *o, struct vfsmount *mnt,
					struct dentry *mnt_root, struct dentry *dentry)
{
	o->dentry = dentry;
	o->mnt = mnt;
	o->mnt_found = false;
	o->mnt_root = mnt_root;
	o->inode = dentry->d_inode;
	o->other = NULL;
	o->other_role = 0;
	o->pid = 0;
	o->no_file = false;
}

/* Describes operation @op on @o in scratch space @slot and decides it: 0 or -EPERM. The path is
 * built here when @needs asks for it and @cached does not hold its classes, since only here can a
 * trusted object be walked with plain loads; the decision gathers the executable itself, and only
 * when the path and uid leave it a rule to meet. @o is NULL for an operation on no file (a
 * capability used), whose hook offers no path: a constant, so that no object code is made. */
static __always_inline int describe_and_decide(struct scratch *scratch, __u32 slot, __u8 needs,
					       __u32 lookups, __u32 tables, __u32 generation,
					       const struct object *o,
					       const struct path_cache_lookup *cached,
					       __u32 hook, __u32 op, __u32 access, __u32 tier,
					       bool trusted)
{
	struct endura_subject *s = &scratch->subject;
	__u32 size;

	s->dentry = o ? (__u64)o->dentry : 0;
	s->mnt = o ? (__u64)o->mnt : 0;
	s->inode = o ? (__u64)o->inode : 0;
	s->other_dentry = o ? (__u64)o->other : 0;
	s->other_mnt = o ? (__u64)o->other_mnt : 0;
	s->hook = hook;
	s->op = op;
	s->access = access;
	s->flags = o ? o->other_role : 0;
	s->target_pid = o ? o->pid : 0;
	s->described = needs & ENDURA_NEED_UID;
	if (needs & ENDURA_NEED_UID)
		s->uid = (__u32)bpf_get_current_uid_gid();
	s->path_size = 0;
	s->cached = *cached;
	/* a constant but for a process's executable: the programs of files verify no such path */
	if ((!o || o->no_file) && (needs & ENDURA_NEED_PATH)) {
		/* no file: no path holds, every "!=" does */
		s->flags |= ENDURA_EVENT_NO_FILE;
		s->object = (struct endura_file_id){ 0 };
		s->enclosing = ENDURA_NO_CLASS;
	} else if (o && (needs & ENDURA_NEED_PATH) && cached->result != PATH_CACHE_HIT) {
		size = path_key(scratch, build_path(scratch, slot, o->dentry, o->mnt, o->mnt_root,
						    trusted));
		s->path_size = size;
		scratch->key.prefixlen = (size < ENDURA_PATH_MAX ? size : ENDURA_PATH_MAX) * 8;
		if (!size)
			s->flags |= ENDURA_EVENT_PATH_UNRESOLVED;
		inode_identity(o->inode, &s->object, trusted);
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
				    __u32 lookups, __u32 tables, __u32 generation,
				    const struct object *o, const struct path_cache_lookup *cached,
				    __u32 hook, __u32 op, __u32 access, __u32 tier, bool trusted,
				    int *result)
{
	scratch->owner = owner;
	*result = describe_and_decide(scratch, slot, needs, lookups, tables, generation, o,
				      cached, hook, op, access, tier, trusted);
	return scratch->owner == owner;
}

/* Claiming a free scratch space can itself be preempted between its check and its mark, and a
 * ninth decision on one CPU shares a space: a decision overtaken that way is made again;
 * overtaken twice, it is counted and denied: never a decision on another task's data.
 * An operation no rule can act on is allowed first, before any of this: by its access, or by a
 * remembered path that no rule names. */
static __always_inline int decide(const struct object *o, __u32 hook, __u32 op, __u32 access,
				  __u32 tier, bool trusted)
{
	struct path_cache_lookup cached = { .result = PATH_CACHE_NONE };
	struct endura_hook_meta *meta;
	struct endura_stats *stats;
	struct scratch *scratch;
	__u32 generation, slot, tables;
	__u64 classes, owner;
	int result;
	__u8 needs;

	note_probe(op);
	meta = active_tables(hook, &generation, &tables);
	if (!meta)
		return 0;
	needs = decision_needs(meta, access);
	if (!(needs & ENDURA_NEED_DECISION))
		return 0;
	stats = stats_here();
	if (stats)
		stats->count[ENDURA_STAT_DECISIONS] += 1;
	/* a rename retires every remembered name as it happens: its own are not worth a lookup */
	if (o && trusted && op != ENDURA_OP_RENAME && (needs & ENDURA_NEED_PATH) &&
	    path_cache_name(&cached.name, o->dentry,
			    o->mnt_found ? (__u64)o->mnt : address_of(o->mnt), o->mnt_root,
			    o->inode, hook)) {
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
	if (!attempt(scratch, slot, owner, needs, meta->lookups, tables, generation, o, &cached,
		     hook, op, access, tier, trusted, &result) &&
	    !attempt(scratch, slot, owner, needs, meta->lookups, tables, generation, o, &cached,
		     hook, op, access, tier, trusted, &result)) {
		stat_add(ENDURA_STAT_OVERTAKEN);
		result = -EPERM;
	}
	if (scratch->owner == owner)
		scratch->owner = 0;
	return result;
}

static __always_inline int decide_file(struct file *file, __u32 hook, __u32 op, __u32 access,
				       __u32 tier, bool trusted)
{
	struct object o;

	file_object(&o, file, trusted);
	return decide(&o, hook, op, access, tier, trusted);
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
	return decide_file(file, ENDURA_HOOK_FILE_OPEN, ENDURA_OP_OPEN,
			   open_access(file->f_mode, file->f_flags), tier, true);
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
		decide_file(file, ENDURA_HOOK_FILE_OPEN, ENDURA_OP_OPEN,
			    open_access(BPF_CORE_READ(file, f_mode), BPF_CORE_READ(file, f_flags)),
			    ENDURA_TIER_OBSERVE, false);
	return 0;
}

/* --- exec ----------------------------------------------------------------------------------- */
static __always_inline int decide_exec(struct linux_binprm *bprm, __u32 tier)
{
	return decide_file(bprm->file, ENDURA_HOOK_EXEC, ENDURA_OP_EXEC, ENDURA_ACCESS_EXEC, tier,
			   true);
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

/* --- changes of a name: decided by the file hook's rules, by their class of change ---------- */
/* No observe program: these operations enter no system call the tracepoint could tell apart
 * cheaply, and an observe tier says so rather than seeing some of them. Their names are typed
 * arguments, walked with plain loads as an open's file is: a helper call per field made a
 * rename's two decisions cost 6.1 us, 5.0 with plain loads (make bench, rules.d). */

static __always_inline int decide_name(struct vfsmount *mnt, struct dentry *dentry, __u32 op,
				       __u32 access, __u32 tier)
{
	struct object o;

	name_object(&o, mnt, mnt->mnt_root, dentry);
	return decide(&o, ENDURA_HOOK_FILE_OPEN, op, access, tier, true);
}

#define UNPAREN(...) __VA_ARGS__

/* The programs endura_@program and endura_@program_fmod at tiers lsm and fmod_ret, on LSM hook
 * @hook and on the kernel's function security_@hook that calls it: each returns what
 * decide_@decider(tier, @args) decides, unless an earlier program on the hook denied. @params
 * are the hook's. */
#define DENYING_PROGRAMS_AS(program, decider, hook, args, params...)			\
	SEC("lsm/" #hook)								\
	int BPF_PROG(endura_##program, params, int ret)					\
	{										\
		return ret ? earlier_verdict(ret) :					\
			     decide_##decider(ENDURA_TIER_LSM, UNPAREN args);		\
	}										\
											\
	SEC("fmod_ret/security_" #hook)							\
	int BPF_PROG(endura_##program##_fmod, params, int ret)				\
	{										\
		return ret ? earlier_verdict(ret) :					\
			     decide_##decider(ENDURA_TIER_FMOD_RET, UNPAREN args);		\
	}
#define DENYING_PROGRAMS(name, hook, args, params...)					\
	DENYING_PROGRAMS_AS(name, name, hook, args, params)

/* A change of the file or directory at @path, or of a name in directory @dir. */
#define PATH_CHANGE(name, op, access)							\
	static __always_inline int decide_##name(__u32 tier, const struct path *path)	\
	{										\
		return decide_name(path->mnt, path->dentry, op, access, tier);		\
	}
#define NAME_CHANGE(name, op, access)							\
	static __always_inline int decide_##name(__u32 tier, const struct path *dir,	\
						 struct dentry *dentry)			\
	{										\
		return decide_name(dir->mnt, dentry, op, access, tier);			\
	}

PATH_CHANGE(truncate, ENDURA_OP_TRUNCATE, ENDURA_ACCESS_WRITE)
DENYING_PROGRAMS(truncate, path_truncate, (path), const struct path *path)

/* An open file truncated: ftruncate(2) and open(O_TRUNC) from 6.2, which call no path hook. */
static __always_inline int decide_ftruncate(__u32 tier, struct file *file)
{
	return decide_file(file, ENDURA_HOOK_FILE_OPEN, ENDURA_OP_FTRUNCATE, ENDURA_ACCESS_WRITE,
			   tier, true);
}
DENYING_PROGRAMS(ftruncate, file_truncate, (file), struct file *file)

NAME_CHANGE(unlink, ENDURA_OP_UNLINK, ENDURA_ACCESS_DELETE)
DENYING_PROGRAMS(unlink, path_unlink, (dir, dentry), const struct path *dir, struct dentry *dentry)

NAME_CHANGE(rmdir, ENDURA_OP_RMDIR, ENDURA_ACCESS_DELETE)
DENYING_PROGRAMS(rmdir, path_rmdir, (dir, dentry), const struct path *dir, struct dentry *dentry)

/* A regular file made by open(O_CREAT), or a node by mknod(2). */
NAME_CHANGE(create, ENDURA_OP_CREATE, ENDURA_ACCESS_CREATE)
DENYING_PROGRAMS(create, path_mknod, (dir, dentry), const struct path *dir, struct dentry *dentry,
		 umode_t mode, unsigned int dev)

NAME_CHANGE(mkdir, ENDURA_OP_MKDIR, ENDURA_ACCESS_CREATE)
DENYING_PROGRAMS(mkdir, path_mkdir, (dir, dentry), const struct path *dir, struct dentry *dentry,
		 umode_t mode)

NAME_CHANGE(symlink, ENDURA_OP_SYMLINK, ENDURA_ACCESS_CREATE)
DENYING_PROGRAMS(symlink, path_symlink, (dir, dentry), const struct path *dir,
		 struct dentry *dentry, const char *old_name)

PATH_CHANGE(chmod, ENDURA_OP_CHMOD, ENDURA_ACCESS_ATTR)
DENYING_PROGRAMS(chmod, path_chmod, (path), const struct path *path, umode_t mode)

/* kuid_t and kgid_t are structures of one number, passed as one */
PATH_CHANGE(chown, ENDURA_OP_CHOWN, ENDURA_ACCESS_ATTR)
DENYING_PROGRAMS(chown, path_chown, (path), const struct path *path, __u32 uid, __u32 gid)

/* mount(2) on @path: a new mount, a bind, a move (the place it goes) or a remount. */
PATH_CHANGE(mount, ENDURA_OP_MOUNT, ENDURA_ACCESS_MOUNT)
DENYING_PROGRAMS(mount, sb_mount, (path), const char *dev_name, const struct path *path,
		 const char *type, unsigned long flags, void *data)

/* move_mount(2): the mount made or moved onto @to_path. */
PATH_CHANGE(move_mount, ENDURA_OP_MOVE_MOUNT, ENDURA_ACCESS_MOUNT)
DENYING_PROGRAMS(move_mount, move_mount, (to_path), const struct path *from_path,
		 const struct path *to_path)

/* Both names of a rename or a link, each decided with the other named in its events: @from's,
 * the name the file has (a protected file moved away or linked elsewhere), then @to's, the name
 * made or replaced (a file moved over a protected one, a link or a move into a protected place). */
static __always_inline int decide_names(struct vfsmount *from_mnt, struct dentry *from,
					struct vfsmount *to_mnt, struct dentry *to, __u32 op,
					__u32 access, __u32 tier)
{
	struct object o;
	int result;

	name_object(&o, from_mnt, from_mnt->mnt_root, from);
	o.other = to;
	o.other_mnt = to_mnt;
	o.other_role = ENDURA_EVENT_TO;
	result = decide(&o, ENDURA_HOOK_FILE_OPEN, op, access, tier, true);
	if (result)
		return result;
	name_object(&o, to_mnt, to_mnt->mnt_root, to);
	o.other = from;
	o.other_mnt = from_mnt;
	o.other_role = ENDURA_EVENT_FROM;
	return decide(&o, ENDURA_HOOK_FILE_OPEN, op, access, tier, true);
}

/* A hard link stays in its mount: the file linked is in @new_dir's. */
static __always_inline int decide_link(__u32 tier, struct dentry *old_dentry,
				       const struct path *new_dir, struct dentry *new_dentry)
{
	return decide_names(new_dir->mnt, old_dentry, new_dir->mnt, new_dentry, ENDURA_OP_LINK,
			    ENDURA_ACCESS_LINK, tier);
}
DENYING_PROGRAMS(link, path_link, (old_dentry, new_dir, new_dentry), struct dentry *old_dentry,
		 const struct path *new_dir, struct dentry *new_dentry)

static __always_inline int decide_rename(__u32 tier, const struct path *old_dir,
					 struct dentry *old_dentry, const struct path *new_dir,
					 struct dentry *new_dentry)
{
	return decide_names(old_dir->mnt, old_dentry, new_dir->mnt, new_dentry, ENDURA_OP_RENAME,
			    ENDURA_ACCESS_RENAME, tier);
}
DENYING_PROGRAMS(rename, path_rename, (old_dir, old_dentry, new_dir, new_dentry),
		 const struct path *old_dir, struct dentry *old_dentry, const struct path *new_dir,
		 struct dentry *new_dentry, unsigned int flags)

/* The LSM hook before 5.19, without flags: its return value is one argument earlier. */
SEC("lsm/path_rename")
int BPF_PROG(endura_rename_no_flags, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, int ret)
{
	return ret ? earlier_verdict(ret) :
		     decide_rename(ENDURA_TIER_LSM, old_dir, old_dentry, new_dir, new_dentry);
}

/* --- changes the kernel names by their dentry alone: times, extended attributes, ACLs ------- */
/* Their hooks get no mount, so one is found for the name: decisions by identity hold for every
 * name of the file; the path, which the events show and path strings match, is the file's in
 * that mount. The hooks take the mount's idmap (a user namespace before 6.3) as their first
 * argument, except on 5.10, and inode_setattr's on 6.1: programs "_no_idmap" serve those. */

#define ATTR_UID	(1 << 1)
#define ATTR_GID	(1 << 2)
#define ATTR_SIZE	(1 << 3)
#define ATTR_ATIME	(1 << 4)
#define ATTR_MTIME	(1 << 5)

/* Mounts of a file system looked at for one to name its file by. */
#define MOUNTS_TRIED	8

/* Before 6.16, a superblock's mounts are a list threading struct mount's mnt_instance, oldest
 * first; from 6.16, a chain from s_mounts through mnt_next_for_sb, newest first. */
struct super_block___mount_list {
	struct list_head s_mounts;
} __attribute__((preserve_access_index));

struct mount___mount_list {
	struct list_head mnt_instance;
} __attribute__((preserve_access_index));

/* The mount of @sb after @m (NULL: the first), NULL after the last. Read with helpers. */
static __always_inline struct mount *next_mount(struct super_block *sb, struct mount *m)
{
	struct super_block___mount_list *listed = (void *)sb;
	struct list_head *next;

	if (!bpf_core_field_exists(struct mount___mount_list, mnt_instance))
		return m ? BPF_CORE_READ(m, mnt_next_for_sb) : BPF_CORE_READ(sb, s_mounts);
	next = m ? BPF_CORE_READ((struct mount___mount_list *)m, mnt_instance.next) :
		   BPF_CORE_READ(listed, s_mounts.next);
	if (!next || next == &listed->s_mounts)
		return NULL;
	return (void *)next - bpf_core_field_offset(struct mount___mount_list, mnt_instance);
}

/* The mount to name @dentry by: of its file system's mounts, one in the current task's mount
 * namespace before one elsewhere, one of the file system's root before one of a directory in it
 * (a bind mount, which may not hold the file). NULL when it has none: the path is unresolved. */
static __always_inline struct vfsmount *mount_of(struct dentry *dentry)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct mnt_namespace *ns = BPF_CORE_READ(task, nsproxy, mnt_ns);
	struct super_block *sb = BPF_CORE_READ(dentry, d_sb);
	struct dentry *root = BPF_CORE_READ(sb, s_root);
	struct mount *m = NULL, *best = NULL;
	int score, best_score = -1;

	UNROLLED
	for (int i = 0; i < MOUNTS_TRIED; i++) {
		m = next_mount(sb, m);
		if (!m)
			break;
		score = (BPF_CORE_READ(m, mnt_ns) == ns) * 2 + (BPF_CORE_READ(m, mnt.mnt_root) == root);
		if (score > best_score) {
			best = m;
			best_score = score;
		}
		if (score == 3)
			break;
	}
	return best ? (void *)best + bpf_core_field_offset(struct mount, mnt) : NULL;
}

/* Operation @op on @dentry, named in the mount mount_of() finds: the dentry is walked with
 * plain loads up to that mount's root, and the name is remembered by the path cache. */
static __always_inline int decide_dentry(struct dentry *dentry, __u32 op, __u32 access,
					 __u32 tier)
{
	struct vfsmount *mnt = mount_of(dentry);
	struct object o;

	name_object(&o, mnt, BPF_CORE_READ(mnt, mnt_root), dentry);
	o.mnt_found = true;
	return decide(&o, ENDURA_HOOK_FILE_OPEN, op, access, tier, true);
}

/* Operations whose own program no tier serves, decided by another operation's (op_desc's
 * unserved_by): bit 1 << op, set by endurd. */
__u64 unserved_ops;

/* Times are decided here; mode is chmod's, a size truncate's, and the owner chown's unless
 * chown's own hook cannot be served (5.10's trampolines cannot take the owner path_chown
 * passes by value): then here, as chown. */
static __always_inline int decide_utimes(__u32 tier, struct dentry *dentry, struct iattr *attr)
{
	unsigned int valid = attr->ia_valid;
	__u32 op;

	if (valid & ATTR_SIZE)
		return 0;
	if ((valid & (ATTR_UID | ATTR_GID)) && (unserved_ops & (1ULL << ENDURA_OP_CHOWN)))
		op = ENDURA_OP_CHOWN;
	else if (valid & (ATTR_ATIME | ATTR_MTIME))
		op = ENDURA_OP_UTIMES;
	else
		return 0;
	/* one call: each inlined copy of the decision is verified again */
	return decide_dentry(dentry, op, ENDURA_ACCESS_ATTR, tier);
}
DENYING_PROGRAMS(utimes, inode_setattr, (dentry, attr), void *idmap, struct dentry *dentry,
		 struct iattr *attr)
DENYING_PROGRAMS_AS(utimes_no_idmap, utimes, inode_setattr, (dentry, attr),
		    struct dentry *dentry, struct iattr *attr)

/* A change of @dentry's, of class attr. */
#define ATTR_CHANGE(name, op)								\
	static __always_inline int decide_##name(__u32 tier, struct dentry *dentry)	\
	{										\
		return decide_dentry(dentry, op, ENDURA_ACCESS_ATTR, tier);		\
	}

ATTR_CHANGE(setxattr, ENDURA_OP_SETXATTR)
DENYING_PROGRAMS(setxattr, inode_setxattr, (dentry), void *idmap, struct dentry *dentry,
		 const char *name, const void *value, size_t size, int flags)
DENYING_PROGRAMS_AS(setxattr_no_idmap, setxattr, inode_setxattr, (dentry), struct dentry *dentry,
		    const char *name, const void *value, size_t size, int flags)

ATTR_CHANGE(removexattr, ENDURA_OP_REMOVEXATTR)
DENYING_PROGRAMS(removexattr, inode_removexattr, (dentry), void *idmap, struct dentry *dentry,
		 const char *name)
DENYING_PROGRAMS_AS(removexattr_no_idmap, removexattr, inode_removexattr, (dentry),
		    struct dentry *dentry, const char *name)

ATTR_CHANGE(set_acl, ENDURA_OP_SET_ACL)
DENYING_PROGRAMS(set_acl, inode_set_acl, (dentry), void *idmap, struct dentry *dentry,
		 const char *acl_name, void *kacl)

ATTR_CHANGE(remove_acl, ENDURA_OP_REMOVE_ACL)
DENYING_PROGRAMS(remove_acl, inode_remove_acl, (dentry), void *idmap, struct dentry *dentry,
		 const char *acl_name)

/* --- code of a file mapped executable: an exec the exec hook's rules naming the file decide ---- */
/* Without this, ld.so runs any program it is given (ld.so /dev/shm/x) past a rule on its path:
 * the loader maps the program instead of executing it. */
#define PROT_READ		0x1
#define PROT_EXEC		0x4
#define READ_IMPLIES_EXEC	0x0400000
#define MNT_NOEXEC		0x04
#define SB_I_NOEXEC		0x02

/* The mappings execve(2) makes are the kernel loading the program and its interpreter, which
 * bprm_check and the interpreter's open have decided; the subject would already be the new
 * program. */
static __always_inline bool in_execve(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
}

/* Whether execve(2) is under way is a helper read: asked once a rule can act on the mapping. */
static __always_inline int decide_mapping(struct file *file, unsigned long prot, __u32 op,
					  __u32 tier)
{
	if (!file || !(prot & PROT_EXEC))
		return 0;
	if (!value_acts(op, ENDURA_HOOK_EXEC, ENDURA_ACCESS_MAP, ENDURA_ACCESS_VALUES) ||
	    in_execve())
		return 0;
	return decide_file(file, ENDURA_HOOK_EXEC, op, ENDURA_ACCESS_MAP, tier, true);
}

/* The protection the LSM hook is given for the @prot security_mmap_file() is asked for, as
 * mmap_prot() makes it: a read mapping is also executable for a READ_IMPLIES_EXEC personality,
 * on a mount that lets files be executed. */
static __always_inline unsigned long mapped_prot(struct file *file, unsigned long prot)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct vfsmount *mnt;

	if ((prot & (PROT_READ | PROT_EXEC)) != PROT_READ || !file ||
	    !(BPF_CORE_READ(task, personality) & READ_IMPLIES_EXEC))
		return prot;
	mnt = file->f_path.mnt;
	if ((mnt->mnt_flags & MNT_NOEXEC) || (mnt->mnt_sb->s_iflags & SB_I_NOEXEC))
		return prot;
	return prot | PROT_EXEC;
}

SEC("lsm/mmap_file")
int BPF_PROG(endura_mmap, struct file *file, unsigned long reqprot, unsigned long prot,
	     unsigned long flags, int ret)
{
	return ret ? earlier_verdict(ret) :
		     decide_mapping(file, prot, ENDURA_OP_MMAP, ENDURA_TIER_LSM);
}

SEC("fmod_ret/security_mmap_file")
int BPF_PROG(endura_mmap_fmod, struct file *file, unsigned long prot, unsigned long flags, int ret)
{
	return ret ? earlier_verdict(ret) :
		     decide_mapping(file, mapped_prot(file, prot), ENDURA_OP_MMAP,
				    ENDURA_TIER_FMOD_RET);
}

/* A mapping of a file made executable after it was made: mmap(PROT_READ), then mprotect(2). */
static __always_inline int decide_mprotect(__u32 tier, struct vm_area_struct *vma,
					   unsigned long prot)
{
	return decide_mapping(vma->vm_file, prot, ENDURA_OP_MPROTECT, tier);
}

DENYING_PROGRAMS(mprotect, file_mprotect, (vma, prot), struct vm_area_struct *vma,
		 unsigned long reqprot, unsigned long prot)

/* --- capable: a capability the calling task uses ---------------------------------------------- */
/* The credentials the current task acts with: a plain load where the kernel has
 * bpf_get_current_task_btf (5.11), a helper read before. */
static __always_inline __u64 current_cred(void)
{
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf))
		return (__u64)bpf_get_current_task_btf()->cred;
	return (__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), cred);
}

/* endurd's own process: no rule decides its capabilities, which it needs to change the rules
 * (a "capability cap_sys_admin deny" would otherwise leave it unable to lift itself). */
__u32 endurd_tgid;

/* Only the calling task's own credentials are decided: the kernel also asks about another task's
 * (has_capability(): the OOM killer, ptrace's checks of the tracer), and the subject of those is
 * not the caller. Capability checks are frequent: one that no rule acts on is let go before
 * anything else is looked at. */
static __always_inline int decide_capable(__u32 tier, const struct cred *cred, int cap)
{
	if (!value_acts(ENDURA_OP_CAPABLE, ENDURA_HOOK_CAPABLE, cap, ENDURA_ACCESS_VALUES) ||
	    bpf_get_current_pid_tgid() >> 32 == endurd_tgid || (__u64)cred != current_cred())
		return 0;
	return decide(NULL, ENDURA_HOOK_CAPABLE, ENDURA_OP_CAPABLE, cap, tier, true);
}
DENYING_PROGRAMS(capable, capable, (cred, cap), const struct cred *cred,
		 struct user_namespace *ns, int cap, unsigned int opts)

/* --- bpf: a bpf(2) call ------------------------------------------------------------------------ */
/* endurd's own calls are not decided: a rule cannot keep it from the maps that hold the rules. */
static __always_inline int decide_bpf(__u32 tier, int cmd)
{
	if (!value_acts(ENDURA_OP_BPF, ENDURA_HOOK_BPF, cmd, ENDURA_ACCESS_VALUES) ||
	    bpf_get_current_pid_tgid() >> 32 == endurd_tgid)
		return 0;
	return decide(NULL, ENDURA_HOOK_BPF, ENDURA_OP_BPF, cmd, tier, true);
}

/* The calls the kernel makes itself (a light skeleton's loader) are no task's. */
static __always_inline int decide_bpf_call(__u32 tier, int cmd, bool kernel)
{
	return kernel ? 0 : decide_bpf(tier, cmd);
}
DENYING_PROGRAMS_AS(bpf, bpf_call, bpf, (cmd, kernel), int cmd, union bpf_attr *attr,
		    unsigned int size, bool kernel)
DENYING_PROGRAMS_AS(bpf_user, bpf, bpf, (cmd), int cmd, union bpf_attr *attr, unsigned int size)

/* --- signal: a signal sent to a process ---------------------------------------------------- */
#define SIGIO 29	/* this architecture's: what fown_struct's signum 0 stands for */

/* The process @task as an object: its executable, read with helpers (the pointers are not
 * handed to the program), none for a kernel thread or a process whose memory is gone. */
static __always_inline void process_object(struct object *o, struct task_struct *task)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);

	if (exe)
		file_object(o, exe, false);
	else
		*o = (struct object){ .no_file = true };
	o->pid = BPF_CORE_READ(task, tgid);
}

/* Signal @sig sent to @task, decided by the rules on the signal and the target's executable. */
static __always_inline int decide_signal_to(__u32 tier, struct task_struct *task, int sig,
					    __u32 op)
{
	struct object o;

	if (!value_acts(op, ENDURA_HOOK_SIGNAL, sig, ENDURA_SIGNALS))
		return 0;
	process_object(&o, task);
	return decide(&o, ENDURA_HOOK_SIGNAL, op, sig, tier, false);
}

/* kill(2), tgkill(2), rt_sigqueueinfo(2), pidfd_send_signal(2): every signal one process sends
 * another, and the check whether it could (signal 0). */
static __always_inline int decide_signal(__u32 tier, struct task_struct *p, int sig)
{
	return decide_signal_to(tier, p, sig, ENDURA_OP_SIGNAL);
}
DENYING_PROGRAMS(signal, task_kill, (p, sig), struct task_struct *p,
		 struct kernel_siginfo *info, int sig, const struct cred *cred)

/* The signal of I/O on a file sent to the file's owner (fcntl(2) F_SETOWN, F_SETSIG), which may
 * be any signal, SIGKILL too: no kill(2) is made. It is sent where the I/O happens, often from an
 * interrupt, so the subject is whatever task runs there. */
static __always_inline int decide_sigio(__u32 tier, struct task_struct *tsk, int sig)
{
	return decide_signal_to(tier, tsk, sig ? sig : SIGIO, ENDURA_OP_SIGIO);
}
DENYING_PROGRAMS(sigio, file_send_sigiotask, (tsk, sig), struct task_struct *tsk,
		 struct fown_struct *fown, int sig)

/* --- module: a kernel module loaded from a file or from memory, or asked for by name ---------- */
/* From 7.x a compressed module that the kernel decompresses (finit_module(2) with
 * MODULE_INIT_COMPRESSED_FILE, how kmod loads Debian's .ko.xz) is read under an id of its own. */
enum kernel_read_file_id___compressed {
	READING_MODULE_COMPRESSED___compressed = 7,
};

static __always_inline bool reads_module(enum kernel_read_file_id id)
{
	if (id == bpf_core_enum_value(enum kernel_read_file_id, READING_MODULE))
		return true;
	return bpf_core_enum_value_exists(enum kernel_read_file_id___compressed,
					  READING_MODULE_COMPRESSED___compressed) &&
	       id == bpf_core_enum_value(enum kernel_read_file_id___compressed,
					 READING_MODULE_COMPRESSED___compressed);
}

/* The file the module is read from, by the path and identity rules; finit_module(2) is the one
 * reading for a module among the kernel's reads of whole files (firmware, kexec images, ...). */
static __always_inline int decide_finit_module(__u32 tier, struct file *file,
					       enum kernel_read_file_id id)
{
	if (!reads_module(id))
		return 0;
	return decide_file(file, ENDURA_HOOK_MODULE, ENDURA_OP_FINIT_MODULE, ENDURA_MODULE_FILE,
			   tier, true);
}
DENYING_PROGRAMS_AS(finit_module, finit_module, kernel_read_file, (file, id), struct file *file,
		    enum kernel_read_file_id id, bool contents)

/* init_module(2): the module's image comes from the caller's memory. */
static __always_inline int decide_init_module(__u32 tier, enum kernel_load_data_id id)
{
	if (id != bpf_core_enum_value(enum kernel_load_data_id, LOADING_MODULE))
		return 0;
	return decide(NULL, ENDURA_HOOK_MODULE, ENDURA_OP_INIT_MODULE, ENDURA_MODULE_MEMORY, tier,
		      true);
}
DENYING_PROGRAMS_AS(init_module, init_module, kernel_load_data, (id),
		    enum kernel_load_data_id id, bool contents)

/* A module the kernel asks modprobe for on the caller's behalf (a socket of a family, a file
 * system type that no module loaded yet provides): the caller is the subject. */
static __always_inline int decide_request_module(__u32 tier, const char *name)
{
	(void)name;	/* events show no name yet: the request is decided by its source */
	return decide(NULL, ENDURA_HOOK_MODULE, ENDURA_OP_REQUEST_MODULE, ENDURA_MODULE_REQUEST,
		      tier, true);
}
DENYING_PROGRAMS_AS(request_module, request_module, kernel_module_request, (kmod_name),
		    char *kmod_name)
