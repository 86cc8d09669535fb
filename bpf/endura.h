/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What crosses the kernel boundary: the decision tables endurd writes and the LSM programs read, and
 * the events the programs emit. Included by the BPF programs and by userspace.
 *
 * Decision tables (bit-vector classification, Lakshman and Stiliadis 1998, with aggregated bit
 * vectors, Baboescu and Varghese 2001): the rules of one hook are numbered in evaluation order;
 * every field value maps to a class, a class is the set of rules that value satisfies. The program
 * ANDs the field classes and the lowest set bit is the deciding rule. Aggregate words (one bit per
 * non-empty word) let the search skip empty words, so the cost does not grow with the rule count.
 *
 * Generations: every table exists twice (outer array-of-maps slot gen * HOOK_COUNT + hook); endurd
 * fills the inactive slot and then flips one word, active_generation, so every decision sees either
 * the old or the new tables, never a mix. */
#ifndef ENDURA_ABI_H
#define ENDURA_ABI_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#define ENDURA_MAX_RULES	16384	/* per hook, chain policies included */
#define ENDURA_BITSET_WORDS	(ENDURA_MAX_RULES / 64)
#define ENDURA_AGG_WORDS	(ENDURA_BITSET_WORDS / 64)
#define ENDURA_PATH_MAX		256	/* bytes of a path a rule names, NUL included: the lookup keys */
#define ENDURA_PATH_SHORT	64	/* exact paths up to this size live in a table of short keys */
/* Bytes of a path the kernel side resolves, NUL included: the kernel's PATH_MAX. A longer path
 * cannot be opened by name either. Rules name at most ENDURA_PATH_MAX - 1 bytes, so the first
 * ENDURA_PATH_MAX bytes of a path decide every subtree rule and a longer path meets no exact one. */
#define ENDURA_PATH_FULL	4096
/* Rules one operation can act on: every rule without a verdict (log, counter) and one per chain.
 * The compiler refuses a ruleset that could need more, so no decision is ever cut short. */
#define ENDURA_MAX_ACTIONS	256
/* A decision steps from candidate word to candidate word of the bitsets, and from rule to rule:
 * bounded loops the verifier checks on every kernel, bpf_loop being missing before 5.17. */
#define ENDURA_DECISION_STEPS	(ENDURA_BITSET_WORDS + ENDURA_MAX_ACTIONS)
#define ENDURA_GENERATIONS	2

enum endura_hook {
	ENDURA_HOOK_EXEC,
	ENDURA_HOOK_FILE_OPEN,
	ENDURA_HOOK_CAPABLE,
	ENDURA_HOOK_BPF,
	ENDURA_HOOK_MODULE,
	ENDURA_HOOK_SIGNAL,
	ENDURA_HOOK_COUNT,
};

#define ENDURA_TABLE_SLOTS	(ENDURA_GENERATIONS * ENDURA_HOOK_COUNT)

/* What the programs decide, each with its own program per tier: an operation is decided by the
 * rules of one hook (struct op_desc in userspace says which), and its events name it. The file
 * hook's rules decide every change of a file or of a name a rule protects, as writes. */
enum endura_op {
	ENDURA_OP_EXEC,
	ENDURA_OP_OPEN,
	ENDURA_OP_TRUNCATE,	/* truncate(2); before 6.2 also ftruncate(2) and open(O_TRUNC) */
	ENDURA_OP_UNLINK,
	ENDURA_OP_RMDIR,
	ENDURA_OP_RENAME,	/* both names: the one that goes and the one that is replaced or made */
	ENDURA_OP_CREATE,	/* a file made by open(O_CREAT), a node by mknod(2) */
	ENDURA_OP_MKDIR,
	ENDURA_OP_SYMLINK,
	ENDURA_OP_LINK,		/* both names: the file linked and the name made */
	ENDURA_OP_CHMOD,
	ENDURA_OP_CHOWN,
	ENDURA_OP_MOUNT,	/* mount(2): the place mounted on */
	ENDURA_OP_MOVE_MOUNT,	/* move_mount(2): the place mounted on */
	ENDURA_OP_UTIMES,	/* times set: utimensat(2), utimes(2) and the like */
	ENDURA_OP_SETXATTR,	/* an extended attribute set; before 6.2 also POSIX ACLs */
	ENDURA_OP_REMOVEXATTR,
	/* the hooks of these three came in 6.2: before, truncate, setxattr and removexattr decide them */
	ENDURA_OP_FTRUNCATE,	/* an open file truncated: ftruncate(2), open(O_TRUNC) */
	ENDURA_OP_SET_ACL,	/* a POSIX ACL set */
	ENDURA_OP_REMOVE_ACL,	/* a POSIX ACL removed */
	/* code of a file made executable in memory outside execve(2): by the exec hook's rules */
	ENDURA_OP_MMAP,		/* mmap(2) with PROT_EXEC, as ld.so does with the program it runs */
	ENDURA_OP_MPROTECT,	/* mprotect(2) adding PROT_EXEC to a mapping of a file */
	ENDURA_OP_CAPABLE,	/* a capability used by the calling task */
	ENDURA_OP_BPF,		/* a bpf(2) call */
	ENDURA_OP_FINIT_MODULE,	/* a kernel module loaded from a file: finit_module(2) */
	ENDURA_OP_INIT_MODULE,	/* a kernel module loaded from memory: init_module(2) */
	ENDURA_OP_REQUEST_MODULE,	/* a module the kernel asks modprobe for, by name */
	/* a signal sent to a process: kill(2), tgkill(2), rt_sigqueueinfo(2), pidfd_send_signal(2) */
	ENDURA_OP_SIGNAL,
	ENDURA_OP_SIGIO,	/* a signal of I/O on a file sent to its owner (fcntl F_SETOWN) */
	ENDURA_OP_COUNT,
};

/* How a hook is served, strongest first: endurd takes the strongest that loads, attaches and is
 * seen to run on this kernel. */
enum endura_tier {
	ENDURA_TIER_LSM,	/* BPF LSM program: denies; needs bpf in the active LSM list */
	ENDURA_TIER_FMOD_RET,	/* modify-return on security_*(): denies; needs BPF trampolines */
	ENDURA_TIER_OBSERVE,	/* BTF tracepoint after the operation: reports, cannot deny */
	ENDURA_TIER_COUNT,
};

/* The value of an operation that the index of a hook's per-value arrays is: on the hooks of
 * files, what the operation does to its object, below; on hook capable, the capability used; on
 * hook bpf, the command (enum bpf_cmd); on hook module, the source (enum endura_module_source);
 * on hook signal, the signal's number (0 to 64).
 * An open asks for a combination of read, write and exec (values 0 to 7); every change of a file
 * or a name is one class of change, which rules on write also cover; a mapping is an exec that
 * only the rules naming what is mapped decide (a program's own libraries are mapped by the
 * program). */
enum endura_access {
	ENDURA_ACCESS_READ = 1 << 0,
	ENDURA_ACCESS_WRITE = 1 << 1,
	ENDURA_ACCESS_EXEC = 1 << 2,
	ENDURA_ACCESS_CREATE = 1 << 3,	/* a name made: file, directory, node, symbolic link */
	ENDURA_ACCESS_DELETE,		/* a name removed */
	ENDURA_ACCESS_RENAME,		/* a name moved, or another moved over it */
	ENDURA_ACCESS_LINK,		/* a hard link made to a file, or in a place */
	ENDURA_ACCESS_ATTR,		/* mode, owner, times, extended attributes */
	ENDURA_ACCESS_MOUNT,		/* something mounted on the path */
	ENDURA_ACCESS_MAP,		/* code of a file mapped executable: decided as an exec */
	ENDURA_ACCESS_VALUES = 1 << 7,	/* the capabilities, bpf commands and signals too */
};

/* Where a module comes from: hook module's values. */
enum endura_module_source {
	ENDURA_MODULE_FILE,
	ENDURA_MODULE_MEMORY,
	ENDURA_MODULE_REQUEST,
	ENDURA_MODULE_SOURCES,
};

/* Signals a process can be sent: 0 (whether it exists) to 64 (SIGRTMAX). */
#define ENDURA_SIGNALS	65

/* Class 0 of every hook is the universal class: all rules. Fields a hook does not have use it.
 * Class 1 is the empty class, of every hook that has rules: an operation that falls into it for
 * any field meets no rule, and its decision stops there, before the other fields are gathered. */
#define ENDURA_CLASS_ALL	0
#define ENDURA_CLASS_NONE	1

struct endura_bitset {
	__u64 agg[ENDURA_AGG_WORDS];
	__u64 word[ENDURA_BITSET_WORDS];
};

/* Exact paths are looked up whole in a hash map (key: the path, NUL-padded), subtrees ("/tmp/") by
 * longest prefix in an LPM trie: a trie's depth grows with its entries, a hash lookup does not,
 * and exact paths are most of what rules name. Hashing costs per key byte, so paths of at most
 * ENDURA_PATH_SHORT bytes have a table of short keys. The same buffer serves every lookup: the
 * hash key starts at path. */
struct endura_path_key {
	__u32 prefixlen;
	unsigned char path[ENDURA_PATH_MAX];
};

/* Identity of a file: what path rules are also matched by (hardlinks, bind mounts) and what exe
 * rules are matched by. */
struct endura_file_id {
	__u64 dev;
	__u64 ino;
};

/* In dev of a path identity: the directory a subtree value names, matched by the directories
 * above a file rather than by the file itself. Device numbers use 32 bits. */
#define ENDURA_ID_SUBTREE	(1ULL << 63)

enum endura_rule_verdict {
	ENDURA_CONTINUE,	/* log/counter only: evaluation goes on with the next rule */
	ENDURA_ACCEPT,		/* ends this chain; the next chain of the hook decides next */
	ENDURA_DENY,
};

enum endura_rule_flags {
	ENDURA_RULE_LOG = 1 << 0,
	ENDURA_RULE_COUNTER = 1 << 1,
	ENDURA_RULE_AUDIT = 1 << 2,	/* table in audit mode: a deny is reported, not enforced */
	ENDURA_RULE_POLICY = 1 << 3,	/* the chain's policy, placed after its last rule */
};

struct endura_rule_info {
	__u64 handle;		/* the rule's handle, or the chain's for a policy */
	__u32 chain_end;	/* position after the chain's policy: where an accept continues */
	__u8 verdict;		/* enum endura_rule_verdict */
	__u8 flags;		/* enum endura_rule_flags */
	__u16 pad;
};

/* What a decision needs, per access value: the compiler knows which fields the rules an access can
 * meet match on, and a program gathers nothing else. Without ENDURA_NEED_DECISION no rule the access
 * meets can deny, log or count: the operation is allowed before anything is looked at. */
enum endura_need {
	ENDURA_NEED_DECISION = 1 << 0,
	ENDURA_NEED_PATH = 1 << 1,	/* the path and the file's identity */
	ENDURA_NEED_EXE = 1 << 2,
	ENDURA_NEED_UID = 1 << 3,
};

/* The lookup tables of a hook that have entries: an empty one is not searched. */
enum endura_lookup {
	ENDURA_LOOKUP_SHORT_PATHS = 1 << 0,
	ENDURA_LOOKUP_LONG_PATHS = 1 << 1,
	ENDURA_LOOKUP_PREFIXES = 1 << 2,
	ENDURA_LOOKUP_PATH_IDS = 1 << 3,
	ENDURA_LOOKUP_EXE_IDS = 1 << 4,
	ENDURA_LOOKUP_UIDS = 1 << 5,
	ENDURA_LOOKUP_SUBTREE_IDS = 1 << 6,	/* path identities of subtree directories */
};

struct endura_hook_meta {
	__u32 nrules;
	__u32 path_default;		/* no path prefix matched */
	__u32 exe_default;		/* exe not in exe_ids */
	__u32 uid_default;		/* uid not in uid_classes */
	__u32 path_unresolved;		/* path longer than ENDURA_PATH_FULL: fail closed */
	__u32 path_negated;		/* class whose bits are the rules matching path != ... */
	__u32 access[ENDURA_ACCESS_VALUES];
	__u8 needs[ENDURA_ACCESS_VALUES];	/* enum endura_need */
	__u32 lookups;				/* enum endura_lookup */
};

enum endura_event_verdict {
	ENDURA_EVENT_ACCEPT,
	ENDURA_EVENT_DENY,
	ENDURA_EVENT_AUDIT,	/* would have been denied: the table is in audit mode */
	ENDURA_EVENT_LOG,	/* a non-terminal rule logged */
};

enum endura_event_flags {
	ENDURA_EVENT_PATH_UNRESOLVED = 1 << 0,
	ENDURA_EVENT_EXE_UNRESOLVED = 1 << 1,
	ENDURA_EVENT_PATH_TRUNCATED = 1 << 2,	/* path holds the first ENDURA_PATH_MAX - 1 bytes */
	ENDURA_EVENT_TO = 1 << 3,	/* other_path: the name a rename or link gives the file */
	ENDURA_EVENT_FROM = 1 << 4,	/* other_path: the name of the file a rename or link brings */
	ENDURA_EVENT_NO_FILE = 1 << 5,	/* the object has no file: a process without an executable */
};

struct endura_event {
	__u64 time_ns;		/* CLOCK_BOOTTIME */
	__u64 rule_handle;
	__u32 generation;
	__u32 pid;		/* thread group id */
	__u32 tid;
	__u32 uid;
	__u32 target_pid;	/* the process acted on (hook signal), 0 for none */
	__u8 hook;		/* enum endura_hook */
	__u8 verdict;		/* enum endura_event_verdict */
	__u8 access;		/* enum endura_access; the capability, command, module source,
				 * signal */
	__u8 flags;		/* enum endura_event_flags */
	__u8 policy;		/* the chain's policy decided, rule_handle is the chain's */
	__u8 tier;		/* enum endura_tier of the program that decided */
	__u8 op;		/* enum endura_op */
	__u8 pad;
	char comm[16];
	char path[ENDURA_PATH_MAX];
	char other_path[ENDURA_PATH_MAX];	/* with ENDURA_EVENT_TO or _FROM; "" if unresolved */
	char exe[ENDURA_PATH_MAX];
};

/* Directory entries endurd keeps identities true to (its identity refresh): where trampolines run,
 * the programs on the kernel's entry-changing security hooks report a change in a watched directory
 * instead of an fsnotify mark, which makes every open and close in the directory dearer on some
 * kernels. The hooks run with the directory locked, before the change is made: endurd waits for
 * the lock before it looks names up again. */
#define ENDURA_WATCHED_DIRS	65536
#define ENDURA_NAME_MAX		256	/* an entry's name, NUL included: NAME_MAX + 1 */

/* A directory's key in the watched_dirs map, and what a change in it reports. */
struct endura_entry_change {
	struct endura_file_id dir;	/* as the tables number identities */
	char name[ENDURA_NAME_MAX];
};

/* Counts kept per CPU in the stats map's one value, struct endura_stats. */
enum endura_stat {
	ENDURA_STAT_DECISIONS,
	ENDURA_STAT_DENIED,
	ENDURA_STAT_NOT_ENFORCED,	/* a deny an observe tier could only report */
	ENDURA_STAT_EVENTS_LOST,	/* ring buffer full: the event is counted, never silently lost */
	ENDURA_STAT_OVERTAKEN,		/* preempted twice while deciding, each time overwritten: denied */
	ENDURA_STAT_PATH_UNRESOLVED,	/* a path the kernel side could not build, decided fail-closed */
	ENDURA_STAT_PATH_CACHED,	/* a path's classes remembered from an earlier decision */
	ENDURA_STAT_COUNT,
};

struct endura_stats {
	__u64 count[ENDURA_STAT_COUNT];
};

#endif
