/* SPDX-License-Identifier: GPL-2.0-only */
/* Path and identity of a file, resolved in non-sleepable LSM programs: bpf_d_path is reserved to
 * sleepable ones, and sleepable programs may not use LPM tries. The walk follows d_parent and
 * crosses mounts up to the root of the mount tree, as d_path does. */
#ifndef ENDURA_PATH_BPF_H
#define ENDURA_PATH_BPF_H

#include "endura.h"

#define PATH_BUF_SIZE (2 * ENDURA_PATH_MAX) /* room for bounded writes the verifier can prove */

/* Builds the path right-aligned in @buf, ending with its NUL at buf[ENDURA_PATH_MAX - 1].
 * Returns the offset of its first byte, or -1 when it is too long or too deep to resolve. */
static __always_inline int build_path(const struct path *path, char *buf)
{
	struct dentry *dentry = BPF_CORE_READ(path, dentry);
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);
	struct mount *mnt = container_of(vfsmnt, struct mount, mnt);
	__u32 offset = ENDURA_PATH_MAX - 1;
	bool complete = false;

	buf[ENDURA_PATH_MAX - 1] = '\0';
	for (int depth = 0; depth < ENDURA_PATH_DEPTH * 2; depth++) {
		struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
		struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
		const unsigned char *name;
		__u32 len;

		if (dentry == mnt_root || dentry == parent) {
			struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

			if (dentry != mnt_root || mnt == mnt_parent) {
				complete = true;
				break;
			}
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mnt_parent;
			vfsmnt = &mnt->mnt;
			continue;
		}
		len = BPF_CORE_READ(dentry, d_name.len);
		name = BPF_CORE_READ(dentry, d_name.name);
		if (len + 1 > offset)
			return -1;
		offset -= len;
		bpf_probe_read_kernel(buf + (offset & (ENDURA_PATH_MAX - 1)),
				      len & (ENDURA_PATH_MAX - 1), name);
		offset -= 1;
		buf[offset & (ENDURA_PATH_MAX - 1)] = '/';
		dentry = parent;
	}
	if (!complete)
		return -1;
	if (offset == ENDURA_PATH_MAX - 1) {
		offset -= 1;
		buf[offset] = '/';
	}
	return offset;
}

/* Copies a path built by build_path to the start of @out (NUL included); returns its length with
 * the NUL, or 0 when it was not resolved. */
static __always_inline __u32 copy_path(char *out, const char *buf, int offset)
{
	__u32 size;

	if (offset < 0 || offset >= ENDURA_PATH_MAX)
		return 0;
	size = ENDURA_PATH_MAX - offset;
	if (size > ENDURA_PATH_MAX)
		return 0;
	bpf_probe_read_kernel(out, size, buf + offset);
	return size;
}

static __always_inline void file_identity(const struct file *file, struct endura_file_id *id)
{
	struct inode *inode = BPF_CORE_READ(file, f_inode);

	id->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	id->ino = BPF_CORE_READ(inode, i_ino);
}

#endif
