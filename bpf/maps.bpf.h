/* SPDX-License-Identifier: GPL-2.0-only */
/* The maps of the decision tables, shared by the LSM object and the benchmark object so that both
 * run the same decision code on the same layout. */
#ifndef ENDURA_MAPS_BPF_H
#define ENDURA_MAPS_BPF_H

#include "endura.h"

/* Inner map templates: endurd creates maps of these shapes, sized to what a ruleset needs, and
 * places them in the outer slots. Keys and values are given by size: clang emits only a forward
 * declaration for a struct reached through an inner map definition, and the kernel refuses a map
 * with BTF for its key but not its value. */
struct class_table {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct endura_bitset));
};

struct rule_table {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct endura_rule_info));
};

struct path_prefix_table {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(struct endura_path_key));
	__uint(value_size, sizeof(__u32));
};

struct path_short_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, ENDURA_PATH_SHORT);
	__uint(value_size, sizeof(__u32));
};

struct path_long_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, ENDURA_PATH_MAX);
	__uint(value_size, sizeof(__u32));
};

struct file_id_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(struct endura_file_id));
	__uint(value_size, sizeof(__u32));
};

struct uid_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
};

#define OUTER(name, inner)                                       \
	struct {                                                 \
		__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);        \
		__uint(max_entries, ENDURA_TABLE_SLOTS);         \
		__type(key, __u32);                              \
		__array(values, struct inner);                   \
	} name SEC(".maps")

OUTER(class_tables, class_table);
OUTER(rule_tables, rule_table);
OUTER(path_short_tables, path_short_table);
OUTER(path_long_tables, path_long_table);
OUTER(path_prefix_tables, path_prefix_table);
OUTER(path_id_tables, file_id_table);
OUTER(exe_id_tables, file_id_table);
OUTER(uid_tables, uid_table);

struct endura_control {
	__u32 active_generation;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct endura_control);
} control SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENDURA_TABLE_SLOTS);
	__type(key, __u32);
	__type(value, struct endura_hook_meta);
} hook_meta SEC(".maps");

/* Per-rule hit counters, keyed by rule handle: handles are stable across commits, so counters
 * survive every ruleset change that keeps the rule. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, ENDURA_MAX_RULES * ENDURA_HOOK_COUNT);
	__type(key, __u64);
	__type(value, __u64);
} counters SEC(".maps");

/* All statistics in one value: a decision that counts two looks it up once. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct endura_stats);
} stats SEC(".maps");

static __always_inline struct endura_stats *stats_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline void stat_add(__u32 which)
{
	struct endura_stats *here = stats_here();

	if (here && which < ENDURA_STAT_COUNT)
		here->count[which] += 1;
}


/* A file's name as the path cache knows it (path_cache.bpf.h), and the kernel's rename and
 * mount counters when it was taken. */
struct path_name {
	__u64 hash;
	__u32 rename_seq, mount_seq;
};

enum path_cache_result {
	PATH_CACHE_NONE,		/* the name cannot be cached */
	PATH_CACHE_MISS,		/* the classes the decision finds are to be remembered */
	PATH_CACHE_HIT,			/* path and path_id hold them: no path built */
};

/* What the path cache said about a file, asked before a scratch space is taken. */
struct path_cache_lookup {
	struct path_name name;		/* HIT or MISS: taken before the path was built */
	__u32 result;			/* enum path_cache_result */
	__u32 path, path_id;		/* HIT: the classes remembered */
};

/* What a hook knows about the operation being decided. */
struct endura_subject {
	/* the object: a name, as a dentry in the mount it was reached in (a report reads its path
	 * when no rule needed it), and the file it names, 0 for a name about to be made */
	__u64 dentry;			/* struct dentry * */
	__u64 mnt;			/* struct vfsmount * */
	__u64 inode;			/* struct inode * */
	/* the other name of a rename or a link, for reports: its flag in flags says which */
	__u64 other_dentry;		/* struct dentry *, 0 for none */
	__u64 other_mnt;		/* struct vfsmount * */
	struct endura_file_id object;
	struct endura_file_id exe;
	__u32 path_size;		/* bytes of the path in the scratch key, NUL included; 0 when
					 * not built (no rule needed it) or unresolved */
	__u32 uid;
	__u32 target_pid;		/* the process acted on (struct object's pid), 0 for none */
	__u32 access;
	__u32 hook;
	__u32 op;			/* enum endura_op */
	__u32 flags;			/* enum endura_event_flags */
	__u32 described;		/* enum endura_need: fields filled in before the decision,
					 * which describes the others it comes to need itself */
	__u32 enclosing;		/* class of the nearest directory above the file that a
					 * subtree value names, by identity; ENDURA_NO_CLASS if none */
	struct endura_file_id ancestor;	/* key of the directory endura_enclosing() looks up */
	__u64 climb;			/* struct dentry *: where endura_enclosing() goes on */
	struct path_cache_lookup cached;
};

#define PATH_BUF_SIZE (2 * ENDURA_PATH_FULL) /* room for bounded writes the verifier can prove */

#define ENDURA_NO_CLASS	0xffffffffu

/* A decision under way (decide.bpf.h): the tables, the classes the operation falls into, and
 * where the search for the deciding rule stands. */
struct endura_search {
	__u32 tables;			/* slot of the tables in the outer maps */
	__u32 generation;
	__u32 tier;
	__u32 path, path_id, negated, access, exe, uid;	/* classes; path_id may be NO_CLASS */
	__u32 position;			/* next rule position to consider */
	__u32 word;			/* the word whose candidates are in bits */
	__u64 bits;			/* candidates of that word at or after position, not yet tried */
	__u32 more;			/* whether a later word may hold candidates */
	int result;			/* 0, or -EPERM once a rule denied */
};

/* Per-CPU room for the operation being decided, too large for the 512-byte stack: the programs
 * describe it here, endura_decide() and endura_report() read it. State kept here rather than on
 * the stack is not tracked by the verifier: every step of a loop reaches the same verifier state
 * and is checked once, not once per path through the steps before it.
 *
 * A program can be preempted on kernels with full or lazy preemption (sid's 7.2), and another
 * task on the same CPU then decides meanwhile: each CPU has several spaces, and a decision takes
 * one that no other decision owns. */
#define ENDURA_SCRATCH_SLOTS	8

struct scratch {
	__u64 owner;			/* pid_tgid of the task deciding here, 0: free */
	struct endura_subject subject;
	struct endura_search search;
	struct {			/* a path being built (path.bpf.h) */
		__u64 dentry;		/* struct dentry *, read with helpers */
		__u64 mnt;		/* struct mount *, read with helpers */
		__u64 mnt_root;		/* struct dentry *, the root of mnt */
		__u64 parent;		/* struct dentry * or struct mount *, just read */
		struct qstr name;	/* of dentry, just read */
		__u32 offset;		/* first byte of buf written so far */
	} walk;
	struct endura_path_key key;	/* the path, NUL-padded: the exact-path lookup hashes it all */
	char buf[PATH_BUF_SIZE];	/* where paths are built, right-aligned */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENDURA_SCRATCH_SLOTS);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_space SEC(".maps");

static __always_inline struct scratch *scratch_at(__u32 slot)
{
	slot &= ENDURA_SCRATCH_SLOTS - 1;
	return bpf_map_lookup_elem(&scratch_space, &slot);
}

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

#endif
