/* SPDX-License-Identifier: GPL-2.0-only */
/* Changes of the directory entries endurd watches, seen from the kernel's security hooks: one record
 * per changed entry of a watched directory, both ends of a rename. endurd fills watched_dirs (see
 * struct endura_entry_change) and drains entry_changes; a record the buffer has no room for sets
 * entry_changes_lost, which endurd takes as a change of every name, as inotify's overflow. */
#ifndef ENDURA_ENTRIES_BPF_H
#define ENDURA_ENTRIES_BPF_H

#include "endura.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, ENDURA_WATCHED_DIRS);
	__type(key, struct endura_file_id);
	__type(value, __u8);
} watched_dirs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} entry_changes SEC(".maps");

__u32 entry_changes_lost;

static __always_inline void note_entry(struct inode *dir, struct dentry *dentry)
{
	struct endura_file_id id = { .dev = dir->i_sb->s_dev, .ino = dir->i_ino };
	struct endura_entry_change *change;

	if (!bpf_map_lookup_elem(&watched_dirs, &id))
		return;
	change = bpf_ringbuf_reserve(&entry_changes, sizeof(*change), 0);
	if (!change) {
		entry_changes_lost = 1;
		return;
	}
	change->dir = id;
	bpf_probe_read_kernel_str(change->name, sizeof(change->name), dentry->d_name.name);
	bpf_ringbuf_submit(change, 0);
}

/* The hooks of a change of one entry, @dentry in @dir, as the first two arguments. */
#define ENTRY_PROGRAM(operation)							\
	SEC("fentry/security_inode_" #operation)					\
	int BPF_PROG(endura_entry_##operation, struct inode *dir, struct dentry *dentry)	\
	{										\
		note_entry(dir, dentry);						\
		return 0;								\
	}

ENTRY_PROGRAM(create)
ENTRY_PROGRAM(mknod)
ENTRY_PROGRAM(mkdir)
ENTRY_PROGRAM(symlink)
ENTRY_PROGRAM(unlink)
ENTRY_PROGRAM(rmdir)

SEC("fentry/security_inode_link")
int BPF_PROG(endura_entry_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry)
{
	note_entry(dir, new_dentry);
	return 0;
}

SEC("fentry/security_inode_rename")
int BPF_PROG(endura_entry_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry)
{
	note_entry(old_dir, old_dentry);
	note_entry(new_dir, new_dentry);
	return 0;
}

#endif
