/* SPDX-License-Identifier: GPL-2.0-only */
/* The hooks chains attach to and the operations the kernel side decides with their rules, one
 * description each, in the style of nftables' expression tables: what the language, the compiler
 * and endurd know of a hook or an operation is its entry here. A new hook is its entry, its id in
 * enum hook_type (which is the kernel ABI's enum endura_hook), and its operations; a new operation
 * is its entry, its id in enum endura_op and its BPF programs. */
#ifndef ENDURA_HOOKS_H
#define ENDURA_HOOKS_H

#include "endura.h"
#include "ruleset.h"

#define FIELD_BIT(field) (1u << (field))

/* What a hook's operations act on, as their events show it. */
enum hook_object {
	HOOK_OBJECT_FILE,		/* "file": its path, and the access where the value is one */
	HOOK_OBJECT_VALUE,		/* no file, the value alone */
	HOOK_OBJECT_PROCESS,		/* "target": the process acted on, by its executable */
};

struct hook_desc {
	const char *name;		/* as a chain names it: "hook file_open" */
	enum endura_op op;		/* the operation it is named after */
	const char *every;		/* in messages, what that operation is: "every open" */
	unsigned int fields;		/* the match fields it offers: FIELD_BIT()s */
	/* the field whose value an operation carries in the kernel side's access value, the index
	 * of the hook's per-value classes: the access, or the capability */
	enum match_field value_field;
	enum hook_object object;
	/* its rules that name a path also decide files mapped executable (ENDURA_ACCESS_MAP) */
	bool decides_mappings;
	/* the values whose operations have no file, bit by value: rules on a path hold for none
	 * of them (a module from memory is in no directory) */
	unsigned long long fileless_values;
};

struct op_desc {
	const char *name;		/* in messages, status and events: "unlink" */
	enum hook_type hook;		/* whose rules decide it */
	/* its BPF program at each tier, strongest first (enum endura_tier); NULL where the tier
	 * cannot serve it */
	const char *programs[ENDURA_TIER_COUNT];
	/* programs for kernels whose hook or function takes fewer arguments than programs[]
	 * expect (path_rename has no flags before 5.19, the inode hooks no idmap on 5.10, nor
	 * inode_setattr's on 6.1): endurd counts the arguments of @function in the kernel's BTF */
	struct fewer_args {
		enum endura_tier tier;
		const char *function;	/* "bpf_lsm_path_rename", "security_inode_setattr" */
		unsigned int args;
		const char *program;
	} fewer_args[2];
	/* on kernels without @function, the operation whose program decides this one instead, and
	 * reports it as its own (ftruncate(2) calls path_truncate before 6.2, which has no
	 * file_truncate) */
	struct {
		const char *function;
		const char *decided_by;
	} absent;
	/* where no tier serves this operation's own hook, the operation whose program decides it
	 * instead, and reports it as this one (chown's owner, passed by value to path_chown, which
	 * 5.10's trampolines cannot take, is also in inode_setattr's iattr); 0 for none */
	enum endura_op unserved_by;
};

extern const struct hook_desc hook_descs[HOOK_COUNT];
extern const struct op_desc op_descs[ENDURA_OP_COUNT];

/* A hook's or an operation's name from the kernel side's number (an event's), "?" for a number it
 * does not have. */
const char *abi_hook_name(unsigned int hook);
const char *abi_op_name(unsigned int op);

/* The access bits (enum access_bits) an operation of the kernel side's access value @value
 * (enum endura_access) has: an open's own; a class of change, which is also a write; a mapping,
 * which is an exec. */
unsigned int access_of_value(unsigned int value);

/* The hooks' names, in order: for lookups that suggest one. */
void hook_name_list(const char *names[HOOK_COUNT]);

/* Whether @hook offers @field. */
static inline bool hook_offers(enum hook_type hook, enum match_field field)
{
	return hook_descs[hook].fields & FIELD_BIT(field);
}

#endif
