/* SPDX-License-Identifier: GPL-2.0-only */
/* The classes a file's path fell into, remembered per name: a file opened or changed again by the
 * same name is decided without building its path or looking it up.
 *
 * A name is the file's dentry and every dentry above it up to the root of its mount (each
 * dentry's address and its name's hash and length), the mount, the inode number and the hook,
 * hashed with a seed endurd draws at start. The path of that name can change without any of
 * these changing only when something is renamed (d_move) or a mount moves above it, and the
 * kernel counts both in its rename_lock and mount_lock sequence counters. An entry is sealed
 * with the counters as they were before its path was built and the ruleset generation it was
 * decided in, and serves only while all three are the same: a rename or mount anywhere, or a
 * commit, retires every entry at once. A dentry freed and its memory reused serves under the
 * old entry only if every dentry up to the mount root is at the same address with the same
 * name, which is the same path.
 *
 * The entries are slots of an array, the name's hash choosing the slot. A slot is written and
 * read without a lock, by any CPU and by a task preempted halfway: its seal is a hash of the
 * name, the counters, the generation and the classes together, so a slot that mixes two writes,
 * or holds another name, does not match and counts as not remembered.
 *
 * The counters are kernel data that BTF does not describe: their addresses come from kallsyms
 * (CONFIG_KALLSYMS_ALL, set in the kernels of Debian, Ubuntu and RHEL). Where kallsyms lacks
 * them, or the name is not handed to the program as a trusted pointer, nothing is cached. */
#ifndef ENDURA_PATH_CACHE_BPF_H
#define ENDURA_PATH_CACHE_BPF_H

#include "path.bpf.h"

extern const void rename_lock __ksym __weak;
extern const void mount_lock __ksym __weak;

/* Set by endurd from getrandom(2) before the programs are attached. */
__u64 path_cache_seed;

#define PATH_CACHE_SLOTS	65536

struct path_cache_entry {
	__u64 seal;
	__u32 path;			/* the path's class */
	__u32 path_id;			/* the class of the file's identity, ENDURA_NO_CLASS if none */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PATH_CACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct path_cache_entry);
} path_cache SEC(".maps");

/* One round of a multiply-xorshift hash: the input is kernel addresses and name hashes that an
 * unprivileged task neither sees nor chooses, under a seed it does not know. */
static __always_inline __u64 name_mix(__u64 hash, __u64 value)
{
	hash = (hash ^ value) * 0x9e3779b97f4a7c15ULL;
	return hash ^ (hash >> 31);
}

/* The address @ptr holds, as a number: its distance from a fixed address. Verifiers before 6.2
 * allow no arithmetic on a pointer but adding a number to it and, for programs allowed to see
 * kernel addresses, subtracting another pointer, which gives a number. */
static __always_inline __u64 address_of(const void *ptr)
{
	__u64 address = (__u64)ptr;

	asm volatile("%0 -= %1" : "+r"(address) : "r"(&path_cache_seed));
	return address;
}

/* A sequence counter of the kernel into @seq, or 1 (odd: being written) when its address is
 * unknown. */
static __always_inline void kernel_seq(__u32 *seq, const void *counter)
{
	*seq = 1;
	if (counter)
		bpf_probe_read_kernel(seq, sizeof(*seq), counter);
}

/* The name of @dentry in the mount numbered @mnt (its address, address_of() for a pointer the
 * kernel handed the program) whose root is @mnt_root, for @hook, into @name, when it can be
 * cached: 1, or 0 when it cannot (a rename or mount under way, a name deeper than
 * PATH_TRUSTED_STEPS in its mount, no counters, no mount, a file @inode under another's path).
 * @dentry must be trusted; @inode is the file the name gives, NULL for none. */
static __always_inline int path_cache_name(struct path_name *name, struct dentry *dentry,
					   __u64 mnt, struct dentry *mnt_root,
					   struct inode *inode, __u32 hook)
{
	__u64 hash;
	int step;

	/* a file opened under another's path (an overlay's before 6.6): the path does not name it */
	if (!mnt_root || inode != dentry->d_inode)
		return 0;
	kernel_seq(&name->rename_seq, &rename_lock);
	kernel_seq(&name->mount_seq, &mount_lock);
	if ((name->rename_seq | name->mount_seq) & 1)
		return 0;
	hash = name_mix(path_cache_seed, mnt);
	hash = name_mix(hash, ((__u64)hook << 32) ^ (inode ? inode->i_ino : 0));
	UNROLLED
	for (step = 0; step < PATH_TRUSTED_STEPS; step++) {
		if (dentry == mnt_root) {
			name->hash = hash;
			return 1;
		}
		hash = name_mix(hash, address_of(dentry));
		/* hash and len read apart: 6.1's BTF checks see hash_len as the 4-byte hash */
		hash = name_mix(hash, (__u64)dentry->d_name.len << 32 | dentry->d_name.hash);
		dentry = dentry->d_parent;
	}
	return 0;
}

/* What a slot holding @path and @path_id for @name in @generation is sealed with. */
static __always_inline __u64 path_cache_seal(const struct path_name *name, __u32 generation,
					     __u32 path, __u32 path_id)
{
	__u64 seal = name_mix(name->hash, (__u64)generation << 32 | name->rename_seq);

	seal = name_mix(seal, (__u64)name->mount_seq << 32 | path);
	seal = name_mix(seal, path_id);
	return name_mix(seal, 0);
}

static __always_inline struct path_cache_entry *path_cache_slot(const struct path_name *name)
{
	__u32 slot = name->hash & (PATH_CACHE_SLOTS - 1);

	return bpf_map_lookup_elem(&path_cache, &slot);
}

/* The two classes of a name, as one number: the path's, and its identity's above. */
static __always_inline __u64 path_classes(__u32 path, __u32 path_id)
{
	return (__u64)path_id << 32 | path;
}

/* What no name is remembered as: ENDURA_NO_CLASS is never the class of a path. */
#define PATH_CACHE_UNKNOWN	path_classes(ENDURA_NO_CLASS, ENDURA_NO_CLASS)

/* The classes remembered for @name in @generation (path_classes), or PATH_CACHE_UNKNOWN. */
static __always_inline __u64 path_cache_find(const struct path_name *name, __u32 generation)
{
	struct path_cache_entry *entry = path_cache_slot(name);
	__u32 path, path_id;

	if (!entry)
		return PATH_CACHE_UNKNOWN;
	path = entry->path;
	path_id = entry->path_id;
	if (entry->seal != path_cache_seal(name, generation, path, path_id))
		return PATH_CACHE_UNKNOWN;
	return path_classes(path, path_id);
}

/* Remembers the classes @name fell into in @generation. */
static __always_inline void path_cache_keep(const struct path_name *name, __u32 generation,
					    __u32 path, __u32 path_id)
{
	struct path_cache_entry *entry = path_cache_slot(name);

	if (!entry)
		return;
	entry->path = path;
	entry->path_id = path_id;
	entry->seal = path_cache_seal(name, generation, path, path_id);
}

#endif
