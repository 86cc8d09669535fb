/* SPDX-License-Identifier: GPL-2.0-only */
/* Path and identity of a file, resolved in non-sleepable programs: bpf_d_path is reserved to
 * sleepable ones, and sleepable programs may not use LPM tries. The walk follows d_parent and
 * crosses mounts up to the root of the mount tree, as d_path does.
 *
 * A trusted file is one the kernel handed the program as a typed argument (LSM, modify-return and
 * BTF tracepoint programs): its pointers are followed with plain loads, which the verifier turns
 * into fault-checked reads, far cheaper than a helper call each. Any other file (read out of a
 * descriptor table, or an executable reached through the task) is read with helpers. */
#ifndef ENDURA_PATH_BPF_H
#define ENDURA_PATH_BPF_H

#include "maps.bpf.h"

/* Loops are unrolled by the compiler: kernels before 6.3 refuse some of the shapes clang gives
 * a bounded loop (a back-edge that is not a conditional jump), and the verifier walks every
 * iteration of a bounded loop anyway. */
#define UNROLLED _Pragma("clang loop unroll(full)")

/* A field of a kernel object, by plain load when @trusted (a constant) says the pointer allows it. */
#define KERNEL_READ(trusted, ptr, field) ((trusted) ? (ptr)->field : BPF_CORE_READ(ptr, field))

/* @value masked into [0, ENDURA_PATH_FULL): the mask is kept even where clang could prove it
 * useless, since the verifier cannot. */
static __always_inline __u32 path_index(__u32 value)
{
	asm volatile("" : "+r"(value));
	return value & (ENDURA_PATH_FULL - 1);
}

/* Prepends "/" and a name to the path being built right to left. */
static __always_inline int prepend_name(struct scratch *scratch, __u32 len,
					const unsigned char *name)
{
	__u32 offset = scratch->walk.offset;

	if (offset >= ENDURA_PATH_FULL || len + 1 > offset)
		return -1;
	offset -= len;
	bpf_probe_read_kernel(scratch->buf + path_index(offset), path_index(len), name);
	offset -= 1;
	scratch->buf[path_index(offset)] = '/';
	scratch->walk.offset = offset;
	return 0;
}

/* One step up, read with helpers: prepend a name, or cross from a mount's root to its mountpoint.
 * Pointers reached through struct mount come from reads, never from typed arguments. Returns
 * 0 to go on, 1 when the root is reached, -1 when the path is longer than ENDURA_PATH_FULL or a
 * read fails.
 * What it reads goes to the scratch space, not the stack, which the global functions calling
 * each other share. */
static __always_inline int path_walk_step(struct scratch *scratch)
{
	struct dentry *dentry = (struct dentry *)scratch->walk.dentry;
	struct mount *mnt;

	if (bpf_core_read(&scratch->walk.parent, sizeof(scratch->walk.parent), &dentry->d_parent))
		return -1;
	if (dentry == (struct dentry *)scratch->walk.mnt_root ||
	    dentry == (struct dentry *)scratch->walk.parent) {
		mnt = (struct mount *)scratch->walk.mnt;
		if (bpf_core_read(&scratch->walk.parent, sizeof(scratch->walk.parent),
				  &mnt->mnt_parent))
			return -1;
		if (dentry != (struct dentry *)scratch->walk.mnt_root ||
		    mnt == (struct mount *)scratch->walk.parent)
			return 1;
		if (bpf_core_read(&scratch->walk.dentry, sizeof(scratch->walk.dentry),
				  &mnt->mnt_mountpoint))
			return -1;
		mnt = (struct mount *)scratch->walk.parent;
		scratch->walk.mnt = (__u64)mnt;
		return bpf_core_read(&scratch->walk.mnt_root, sizeof(scratch->walk.mnt_root),
				     &mnt->mnt.mnt_root) ? -1 : 0;
	}
	/* the name's length and pointer in one read */
	if (bpf_core_read(&scratch->walk.name, sizeof(scratch->walk.name), &dentry->d_name) ||
	    prepend_name(scratch, scratch->walk.name.len, scratch->walk.name.name) < 0)
		return -1;
	scratch->walk.dentry = scratch->walk.parent;
	return 0;
}

/* Unrolled, a batch costs the verifier every step it holds, in every program that walks, and a
 * call of it a few instructions: batches of 32 steps verify in under a quarter of the
 * instructions of batches of 256 (29,282 to 6,512 for the walk, on 6.18), and the paths of
 * files are seldom deeper than one batch. */
#define PATH_WALK_BATCH		32

/* Up to PATH_WALK_BATCH steps of the walk under way in scratch space @slot; returns as
 * path_walk_step. */
__noinline int endura_path_batch(__u32 slot)
{
	struct scratch *scratch = scratch_at(slot);
	int result = 0;

	if (!scratch)
		return -1;
	UNROLLED
	for (int step = 0; step < PATH_WALK_BATCH; step++) {
		result = path_walk_step(scratch);
		if (result)
			break;
	}
	return result;
}

/* Batches that reach the root of any path that fits: a step prepends two bytes or more, or
 * crosses a mount, so ENDURA_PATH_FULL steps walk any path that fits under fewer mounts than it
 * has components; only mounts stacked thousands deep need more. */
#define PATH_WALK_BATCHES	(ENDURA_PATH_FULL / PATH_WALK_BATCH)

/* The walk under way in scratch space @slot, to the root: 1, or -1 when the path does not fit.
 * Global functions, this one and endura_path_batch: the verifier checks each once, so a walk of
 * thousands of steps is a short loop of calls, and the programs that walk call it once. */
__noinline int endura_path_walk(__u32 slot)
{
	int result = 0;

	UNROLLED
	for (int batch = 0; batch < PATH_WALK_BATCHES; batch++) {
		result = endura_path_batch(slot);
		if (result)
			break;
	}
	return result;
}

/* Components a trusted walk reads with plain loads before handing over to endura_path_walk:
 * files are seldom deeper inside their own mount. */
#define PATH_TRUSTED_STEPS	32

/* Builds the path of @dentry in @vfsmnt, whose root is @mnt_root, right-aligned in the buffer of
 * scratch space @slot, ending with its NUL at buf[ENDURA_PATH_FULL - 1]. Returns the offset of its
 * first byte, or -1 when it is longer than ENDURA_PATH_FULL (where d_path fails too) or its mounts
 * are stacked too deep. @trusted: @dentry is, and is walked with plain loads up to its mount's
 * root; the mount may be one found by reads. */
static __always_inline int build_path(struct scratch *scratch, __u32 slot, struct dentry *dentry,
				      struct vfsmount *vfsmnt, struct dentry *mnt_root, bool trusted)
{
	int step;

	scratch->buf[ENDURA_PATH_FULL - 1] = '\0';
	scratch->walk.offset = ENDURA_PATH_FULL - 1;
	if (trusted) {
		UNROLLED
		for (step = 0; step < PATH_TRUSTED_STEPS; step++) {
			struct dentry *parent = dentry->d_parent;

			if (dentry == mnt_root || dentry == parent)
				break;
			if (prepend_name(scratch, dentry->d_name.len, dentry->d_name.name) < 0)
				return -1;
			dentry = parent;
		}
	}
	scratch->walk.dentry = (__u64)dentry;
	scratch->walk.mnt = (__u64)vfsmnt - bpf_core_field_offset(struct mount, mnt);
	scratch->walk.mnt_root = (__u64)mnt_root;
	if (endura_path_walk(slot) != 1)
		return -1;
	if (scratch->walk.offset == ENDURA_PATH_FULL - 1) {
		scratch->walk.offset -= 1;
		scratch->buf[ENDURA_PATH_FULL - 2] = '/';
	}
	return scratch->walk.offset;
}

/* Copies the first bytes of a path built by build_path to the start of @out, at most @room
 * (a power of two, at most ENDURA_PATH_MAX); returns the size of the whole path with its NUL, or
 * 0 when it was not resolved. A path of more than @room bytes is copied without its NUL. */
static __always_inline __u32 copy_path(char *out, __u32 room, const char *buf, int offset)
{
	__u32 start, size, copied;

	if (offset < 0 || offset >= ENDURA_PATH_FULL)
		return 0;
	start = offset & (ENDURA_PATH_FULL - 1);
	size = ENDURA_PATH_FULL - start;
	copied = size < room ? size : room;
	/* keep clang from checking one copy of the size and passing another to the helper */
	asm volatile("" : "+r"(copied));
	if (copied == 0 || copied > ENDURA_PATH_MAX)
		return 0;
	bpf_probe_read_kernel(out, copied, buf + start);
	return size;
}

/* The path of @file right-aligned in the scratch buffer (build_path), read with helpers. */
static __always_inline int file_path(struct scratch *scratch, __u32 slot, struct file *file)
{
	struct vfsmount *vfsmnt = BPF_CORE_READ(file, f_path.mnt);

	return build_path(scratch, slot, BPF_CORE_READ(file, f_path.dentry), vfsmnt,
			  BPF_CORE_READ(vfsmnt, mnt_root), false);
}

/* The identity of @inode, none (0/0, which no table holds) for a name about to be made. */
static __always_inline void inode_identity(struct inode *inode, struct endura_file_id *id,
					   bool trusted)
{
	struct super_block *sb;

	id->dev = 0;
	id->ino = 0;
	if (!inode)
		return;
	sb = KERNEL_READ(trusted, inode, i_sb);
	id->dev = KERNEL_READ(trusted, sb, s_dev);
	id->ino = KERNEL_READ(trusted, inode, i_ino);
}

/* endura_enclosing_batch() has walked its directories without finding a subtree value. */
#define ENCLOSING_GO_ON		(ENDURA_NO_CLASS - 1)
#define ENCLOSING_BATCH		32
/* Each directory adds "/" and a name to a path: a file deeper than this has no path that fits
 * in ENDURA_PATH_FULL, and is decided as unresolved. */
#define ENCLOSING_BATCHES	(ENDURA_PATH_FULL / 2 / ENCLOSING_BATCH)

/* Up to ENCLOSING_BATCH directories above subject.climb, of the walk endura_enclosing() began in
 * scratch space @slot: the class of the first one a subtree value of the hook's tables at
 * @tables names, ENDURA_NO_CLASS at the root of the file system, else ENCLOSING_GO_ON. */
__noinline int endura_enclosing_batch(__u32 slot, __u32 tables)
{
	struct scratch *scratch = scratch_at(slot);
	void *table = bpf_map_lookup_elem(&path_id_tables, &tables);
	struct endura_file_id *id;
	struct dentry *dentry, *parent;
	__u32 *found;

	if (!scratch || !table)
		return ENDURA_NO_CLASS;
	id = &scratch->subject.ancestor;	/* off the stack the calls share */
	dentry = (struct dentry *)scratch->subject.climb;
	UNROLLED
	for (int step = 0; step < ENCLOSING_BATCH; step++) {
		parent = BPF_CORE_READ(dentry, d_parent);
		if (parent == dentry)
			return ENDURA_NO_CLASS;
		dentry = parent;
		id->ino = BPF_CORE_READ(dentry, d_inode, i_ino);
		found = bpf_map_lookup_elem(table, id);
		if (found)
			return *found;
	}
	scratch->subject.climb = (__u64)dentry;
	return ENCLOSING_GO_ON;
}

/* 7.x made dentry's d_u union anonymous: d_alias is a member of its own there. */
struct dentry___anonymous_d_u {
	struct hlist_node d_alias;
} __attribute__((preserve_access_index));

/* A dentry of @inode, NULL when it has none. */
static __always_inline struct dentry *inode_alias(struct inode *inode)
{
	struct hlist_node *first = BPF_CORE_READ(inode, i_dentry.first);
	__u64 offset;

	if (!first)
		return NULL;
	if (bpf_core_field_exists(struct dentry___anonymous_d_u, d_alias))
		offset = bpf_core_field_offset(struct dentry___anonymous_d_u, d_alias);
	else
		offset = bpf_core_field_offset(struct dentry, d_u.d_alias);
	return (struct dentry *)((char *)first - offset);
}

/* The class of the nearest directory above the file of the operation in scratch space @slot
 * whose identity a subtree value of the hook's tables at @tables names (ENDURA_ID_SUBTREE), or
 * ENDURA_NO_CLASS: the subtree holds the file whatever name it was reached by (a bind mount,
 * another mount namespace). The walk follows d_parent within the file system, past the root of
 * the file's mount, up to its root. Global functions read with helpers: the verifier checks
 * each once, and only a path being built walks them. */
__noinline int endura_enclosing(__u32 slot, __u32 tables)
{
	struct scratch *scratch = scratch_at(slot);
	struct dentry *dentry;
	struct inode *inode;
	int class = ENDURA_NO_CLASS;

	if (!scratch)
		return ENDURA_NO_CLASS;
	dentry = (struct dentry *)scratch->subject.dentry;
	inode = (struct inode *)scratch->subject.inode;
	/* a file opened under another's path (an overlay's upper or lower file before 6.6) lies
	 * where its own dentry is */
	if (inode && inode != BPF_CORE_READ(dentry, d_inode))
		dentry = inode_alias(inode) ?: dentry;
	scratch->subject.ancestor.dev = BPF_CORE_READ(dentry, d_sb, s_dev) | ENDURA_ID_SUBTREE;
	scratch->subject.climb = (__u64)dentry;
	UNROLLED
	for (int batch = 0; batch < ENCLOSING_BATCHES; batch++) {
		class = endura_enclosing_batch(slot, tables);
		if (class != ENCLOSING_GO_ON)
			return class;
	}
	return ENDURA_NO_CLASS;
}

/* The executable of the current task, NULL for a kernel thread. Read with helpers:
 * bpf_get_current_task_btf is missing before 5.11. */
static __always_inline struct file *current_exe_file(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, mm, exe_file);
}

/* The identity of the current task's executable into @s, or the flag that it has none. */
static __always_inline void describe_exe(struct endura_subject *s)
{
	struct file *exe_file = current_exe_file();

	if (exe_file) {
		inode_identity(BPF_CORE_READ(exe_file, f_inode), &s->exe, false);
	} else {
		s->exe = (struct endura_file_id){ 0 };
		s->flags |= ENDURA_EVENT_EXE_UNRESOLVED;
	}
	s->described |= ENDURA_NEED_EXE;
}

#endif
