/* SPDX-License-Identifier: GPL-2.0-only */
/* Path and identity of a file, resolved in non-sleepable LSM programs: bpf_d_path is reserved to
 * sleepable ones, and sleepable programs may not use LPM tries. The walk follows d_parent and
 * crosses mounts up to the root of the mount tree, as d_path does. */
#ifndef ENDURA_PATH_BPF_H
#define ENDURA_PATH_BPF_H

#include "endura.h"

#define PATH_BUF_SIZE (2 * ENDURA_PATH_MAX) /* room for bounded writes the verifier can prove */

/* Prepends "/" and a name to the path being built right to left. */
static __always_inline int prepend_name(char *buf, __u32 *offset, __u32 len,
					const unsigned char *name)
{
	if (len + 1 > *offset)
		return -1;
	*offset -= len;
	bpf_probe_read_kernel(buf + (*offset & (ENDURA_PATH_MAX - 1)), len & (ENDURA_PATH_MAX - 1),
			      name);
	*offset -= 1;
	buf[*offset & (ENDURA_PATH_MAX - 1)] = '/';
	return 0;
}

struct path_walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	char *buf;
	__u32 offset;		/* first byte written so far */
	int result;		/* 0 while walking, 1 done, -1 unresolvable */
};

/* One step up above the file's own mount: prepend a name, or cross from a mount's root to its
 * mountpoint. Pointers reached through struct mount come from reads, not from typed arguments,
 * so this part reads with helpers. A bpf_loop callback, checked once by the verifier. */
static int path_walk_step(__u32 index, struct path_walk *w)
{
	/* locals: CO-RE relocations must start from kernel types, not from struct path_walk */
	struct dentry *dentry = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	const unsigned char *name;
	__u32 len;

	if (dentry == mnt_root || dentry == parent) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

		if (dentry != mnt_root || mnt == mnt_parent) {
			w->result = 1;
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mnt_parent;
		w->vfsmnt = &mnt_parent->mnt;
		return 0;
	}
	len = BPF_CORE_READ(dentry, d_name.len);
	name = BPF_CORE_READ(dentry, d_name.name);
	if (prepend_name(w->buf, &w->offset, len, name) < 0) {
		w->result = -1;
		return 1;
	}
	w->dentry = parent;
	return 0;
}

/* Builds the path right-aligned in @buf, ending with its NUL at buf[ENDURA_PATH_MAX - 1].
 * Returns the offset of its first byte, or -1 when it is too long or too deep to resolve: more
 * than ENDURA_PATH_STEPS components and mount crossings together. Inside the file's own mount,
 * where most of the walk happens, pointers are followed with plain loads, which the verifier
 * turns into fault-checked reads of BTF-typed memory: far cheaper than a helper call each. */
static __always_inline int build_path(const struct path *path, char *buf)
{
	struct dentry *dentry = path->dentry;
	struct vfsmount *vfsmnt = path->mnt;
	struct dentry *mnt_root = vfsmnt->mnt_root;
	struct path_walk w = { .buf = buf, .offset = ENDURA_PATH_MAX - 1 };
	int step;

	buf[ENDURA_PATH_MAX - 1] = '\0';
	for (step = 0; step < ENDURA_PATH_STEPS; step++) {
		struct dentry *parent = dentry->d_parent;

		if (dentry == mnt_root || dentry == parent)
			break;
		if (prepend_name(buf, &w.offset, dentry->d_name.len, dentry->d_name.name) < 0)
			return -1;
		dentry = parent;
	}
	if (step == ENDURA_PATH_STEPS)
		return -1;
	/* the root of the file's mount: go on from its mountpoint in the mounts above */
	w.dentry = dentry;
	w.vfsmnt = vfsmnt;
	w.mnt = (struct mount *)((unsigned long)vfsmnt - bpf_core_field_offset(struct mount, mnt));
	bpf_loop(ENDURA_PATH_STEPS - step, path_walk_step, &w, 0);
	if (w.result != 1)
		return -1;
	if (w.offset == ENDURA_PATH_MAX - 1) {
		w.offset -= 1;
		buf[w.offset] = '/';
	}
	return w.offset;
}

/* Copies a path built by build_path to the start of @out (NUL included); returns its length with
 * the NUL, or 0 when it was not resolved. */
static __always_inline __u32 copy_path(char *out, const char *buf, int offset)
{
	__u32 start, size;

	if (offset < 0 || offset >= ENDURA_PATH_MAX)
		return 0;
	start = offset & (ENDURA_PATH_MAX - 1);
	size = ENDURA_PATH_MAX - start;
	/* keep clang from checking one copy of size and passing another to the helper */
	asm volatile("" : "+r"(size));
	if (size == 0 || size > ENDURA_PATH_MAX)
		return 0;
	bpf_probe_read_kernel(out, size, buf + start);
	return size;
}

static __always_inline void file_identity(const struct file *file, struct endura_file_id *id)
{
	struct inode *inode = file->f_inode;

	id->dev = inode->i_sb->s_dev;
	id->ino = inode->i_ino;
}

#endif
