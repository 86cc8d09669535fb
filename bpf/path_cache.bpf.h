/* SPDX-License-Identifier: GPL-2.0-only */
/* The classes a file's path fell into, remembered per name: a file opened again by the same name
 * is decided without building its path or looking it up.
 *
 * A name is the file's dentry and every dentry above it up to the root of its mount (each
 * dentry's address and its name's hash and length), the mount, the inode number and the hook,
 * hashed with a seed endurd draws at start. The path of that name can change without any of
 * these changing only when something is renamed (d_move) or a mount moves above it, and the
 * kernel counts both in its rename_lock and mount_lock sequence counters. An entry holds the
 * counters as they were before its path was built and the ruleset generation it was decided
 * in, and serves only while all three are the same: a rename or mount anywhere, or a commit,
 * retires every entry at once. A dentry freed and its memory reused serves under the old entry
 * only if every dentry up to the mount root is at the same address with the same name, which
 * is the same path.
 *
 * The counters are kernel data that BTF does not describe: their addresses come from kallsyms
 * (CONFIG_KALLSYMS_ALL, set in the kernels of Debian, Ubuntu and RHEL). Where kallsyms lacks
 * them, or the file is not handed to the program as a trusted pointer, nothing is cached. */
#ifndef ENDURA_PATH_CACHE_BPF_H
#define ENDURA_PATH_CACHE_BPF_H

#include "path.bpf.h"

extern const void rename_lock __ksym __weak;
extern const void mount_lock __ksym __weak;

/* Set by endurd from getrandom(2) before the programs are attached. */
__u64 path_cache_seed;

#define PATH_CACHE_ENTRIES	16384

struct path_cache_entry {
	__u32 generation;
	__u32 rename_seq;
	__u32 mount_seq;
	__u32 path;			/* the path's class */
	__u32 path_id;			/* the class of the file's identity, ENDURA_NO_CLASS if none */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PATH_CACHE_ENTRIES);
	__type(key, __u64);
	__type(value, struct path_cache_entry);
} path_cache SEC(".maps");

/* One round of a multiply-xorshift hash: the input is kernel addresses and name hashes that an
 * unprivileged task neither sees nor chooses, under a seed it does not know. */
static __always_inline __u64 name_mix(__u64 hash, __u64 value)
{
	hash = (hash ^ value) * 0x9e3779b97f4a7c15ULL;
	return hash ^ (hash >> 31);
}

/* The address @ptr holds, as a number: verifiers before 6.2 refuse any arithmetic but addition on
 * a pointer, and a value stored to a map and read back is a number to them. @slot is in a map. */
static __always_inline __u64 address_of(const void *ptr, __u64 *slot)
{
	*(volatile __u64 *)slot = (__u64)ptr;
	return *(volatile __u64 *)slot;
}

/* A sequence counter of the kernel, or 1 (odd: being written) when its address is unknown. */
static __always_inline __u32 kernel_seq(const void *counter)
{
	__u32 seq = 1;

	if (counter)
		bpf_probe_read_kernel(&seq, sizeof(seq), counter);
	return seq;
}

/* The hash of @file's name, in @s->path_cache_key, and the counters in @s, when the name can be
 * cached: 1, or 0 when it cannot (a rename or mount under way, a name deeper than
 * PATH_TRUSTED_STEPS in its mount, no counters). @file must be trusted. */
static __always_inline int path_cache_name(struct endura_subject *s, struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct vfsmount *vfsmnt = file->f_path.mnt;
	struct dentry *mnt_root = vfsmnt->mnt_root;
	__u64 hash;
	int step;

	s->rename_seq = kernel_seq(&rename_lock);
	s->mount_seq = kernel_seq(&mount_lock);
	if ((s->rename_seq | s->mount_seq) & 1)
		return 0;
	hash = name_mix(path_cache_seed, address_of(vfsmnt, &s->path_cache_key));
	hash = name_mix(hash, ((__u64)s->hook << 32) ^ file->f_inode->i_ino);
	UNROLLED
	for (step = 0; step < PATH_TRUSTED_STEPS; step++) {
		if (dentry == mnt_root) {
			s->path_cache_key = hash;
			return 1;
		}
		hash = name_mix(hash, address_of(dentry, &s->path_cache_key));
		/* hash and len read apart: 6.1's BTF checks see hash_len as the 4-byte hash */
		hash = name_mix(hash, (__u64)dentry->d_name.len << 32 | dentry->d_name.hash);
		dentry = dentry->d_parent;
	}
	return 0;
}

/* The classes remembered for the name in @s, into @s: whether there were any. */
static __always_inline bool path_cache_find(struct endura_subject *s, __u32 generation)
{
	struct path_cache_entry *entry = bpf_map_lookup_elem(&path_cache, &s->path_cache_key);

	if (!entry || entry->generation != generation || entry->rename_seq != s->rename_seq ||
	    entry->mount_seq != s->mount_seq)
		return false;
	s->path_class = entry->path;
	s->path_id_class = entry->path_id;
	return true;
}

/* Remembers the classes the name in @s fell into in @generation. */
static __always_inline void path_cache_keep(const struct endura_subject *s, __u32 generation,
					    __u32 path, __u32 path_id)
{
	struct path_cache_entry entry = {
		.generation = generation,
		.rename_seq = s->rename_seq,
		.mount_seq = s->mount_seq,
		.path = path,
		.path_id = path_id,
	};

	bpf_map_update_elem(&path_cache, &s->path_cache_key, &entry, BPF_ANY);
}

#endif
