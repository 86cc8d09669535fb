// SPDX-License-Identifier: GPL-2.0-only
#include "named_values.h"
#include "hooks.h"

/* The model's hooks are the kernel ABI's: the compiler's hook images index the BPF tables. */
_Static_assert((int)HOOK_EXEC == (int)ENDURA_HOOK_EXEC, "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_FILE_OPEN == (int)ENDURA_HOOK_FILE_OPEN,
	       "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_CAPABLE == (int)ENDURA_HOOK_CAPABLE, "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_BPF == (int)ENDURA_HOOK_BPF, "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_MODULE == (int)ENDURA_HOOK_MODULE, "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_SIGNAL == (int)ENDURA_HOOK_SIGNAL, "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_COUNT == (int)ENDURA_HOOK_COUNT, "enum hook_type is enum endura_hook");

/* An open's access value is its mask of the language's bits; the classes of change follow. */
_Static_assert((int)ACCESS_READ == (int)ENDURA_ACCESS_READ &&
	       (int)ACCESS_WRITE == (int)ENDURA_ACCESS_WRITE &&
	       (int)ACCESS_EXEC == (int)ENDURA_ACCESS_EXEC, "an open's access value is its access bits");
_Static_assert(ACCESS_MOUNT == ACCESS_CREATE << (ENDURA_ACCESS_MOUNT - ENDURA_ACCESS_CREATE),
	       "the classes of change are in the same order in both enums");

unsigned int access_of_value(unsigned int value)
{
	if (value < ENDURA_ACCESS_CREATE)
		return value;
	if (value <= ENDURA_ACCESS_MOUNT)
		return ACCESS_CREATE << (value - ENDURA_ACCESS_CREATE) | ACCESS_WRITE;
	if (value == ENDURA_ACCESS_MAP)
		return ACCESS_EXEC;
	return 0;
}

#define SUBJECT_FIELDS (FIELD_BIT(FIELD_EXE) | FIELD_BIT(FIELD_UID))

const struct hook_desc hook_descs[HOOK_COUNT] = {
	[HOOK_EXEC] = {
		.name = "exec",
		.op = ENDURA_OP_EXEC,
		.every = "exec",
		.fields = FIELD_BIT(FIELD_PATH) | SUBJECT_FIELDS,
		.value_field = FIELD_ACCESS,
		.object = HOOK_OBJECT_FILE,
		.decides_mappings = true,
	},
	[HOOK_FILE_OPEN] = {
		.name = "file_open",
		.op = ENDURA_OP_OPEN,
		.every = "open",
		.fields = FIELD_BIT(FIELD_PATH) | FIELD_BIT(FIELD_ACCESS) | SUBJECT_FIELDS,
		.value_field = FIELD_ACCESS,
		.object = HOOK_OBJECT_FILE,
	},
	[HOOK_CAPABLE] = {
		.name = "capable",
		.op = ENDURA_OP_CAPABLE,
		.every = "capability check",
		.fields = FIELD_BIT(FIELD_CAPABILITY) | SUBJECT_FIELDS,
		.value_field = FIELD_CAPABILITY,
		.object = HOOK_OBJECT_VALUE,
	},
	[HOOK_BPF] = {
		.name = "bpf",
		.op = ENDURA_OP_BPF,
		.every = "bpf call",
		.fields = FIELD_BIT(FIELD_BPF_COMMAND) | SUBJECT_FIELDS,
		.value_field = FIELD_BPF_COMMAND,
		.object = HOOK_OBJECT_VALUE,
	},
	[HOOK_MODULE] = {
		.name = "module",
		.op = ENDURA_OP_FINIT_MODULE,
		.every = "module load",
		.fields = FIELD_BIT(FIELD_MODULE_SOURCE) | FIELD_BIT(FIELD_PATH) | SUBJECT_FIELDS,
		.value_field = FIELD_MODULE_SOURCE,
		.object = HOOK_OBJECT_FILE,
		.fileless_values = 1ULL << ENDURA_MODULE_MEMORY | 1ULL << ENDURA_MODULE_REQUEST,
	},
	[HOOK_SIGNAL] = {
		.name = "signal",
		.op = ENDURA_OP_SIGNAL,
		.every = "signal",
		.fields = FIELD_BIT(FIELD_SIGNAL) | FIELD_BIT(FIELD_TARGET) | SUBJECT_FIELDS,
		.value_field = FIELD_SIGNAL,
		.object = HOOK_OBJECT_PROCESS,
	},
};

/* The programs of an operation at tiers lsm and fmod_ret: "endura_NAME", "endura_NAME_fmod". */
#define DENYING_PROGRAMS(name) \
	[ENDURA_TIER_LSM] = "endura_" name, [ENDURA_TIER_FMOD_RET] = "endura_" name "_fmod"

/* The programs "endura_NAME_no_idmap" for the kernels whose inode hook @hook has @args
 * arguments, its first, the mount's idmap, missing. */
#define WITHOUT_IDMAP(name, hook, args) {						\
	{ ENDURA_TIER_LSM, "bpf_lsm_" hook, args, "endura_" name "_no_idmap" },		\
	{ ENDURA_TIER_FMOD_RET, "security_" hook, args, "endura_" name "_no_idmap_fmod" },	\
}

const struct op_desc op_descs[ENDURA_OP_COUNT] = {
	[ENDURA_OP_EXEC] = {
		.name = "exec",
		.hook = HOOK_EXEC,
		.programs = { DENYING_PROGRAMS("exec"),
			      [ENDURA_TIER_OBSERVE] = "endura_exec_observe" },
	},
	[ENDURA_OP_OPEN] = {
		.name = "open",
		.hook = HOOK_FILE_OPEN,
		.programs = { DENYING_PROGRAMS("file_open"),
			      [ENDURA_TIER_OBSERVE] = "endura_file_open_observe" },
	},
	[ENDURA_OP_TRUNCATE] = {
		.name = "truncate", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("truncate") },
	},
	[ENDURA_OP_UNLINK] = {
		.name = "unlink", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("unlink") },
	},
	[ENDURA_OP_RMDIR] = {
		.name = "rmdir", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("rmdir") },
	},
	[ENDURA_OP_RENAME] = {
		.name = "rename", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("rename") },
		.fewer_args = { { ENDURA_TIER_LSM, "bpf_lsm_path_rename", 4, "endura_rename_no_flags" } },
	},
	[ENDURA_OP_CREATE] = {
		.name = "create", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("create") },
	},
	[ENDURA_OP_MKDIR] = {
		.name = "mkdir", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("mkdir") },
	},
	[ENDURA_OP_SYMLINK] = {
		.name = "symlink", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("symlink") },
	},
	[ENDURA_OP_LINK] = {
		.name = "link", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("link") },
	},
	[ENDURA_OP_CHMOD] = {
		.name = "chmod", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("chmod") },
	},
	[ENDURA_OP_CHOWN] = {
		.name = "chown", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("chown") },
		.unserved_by = ENDURA_OP_UTIMES,
	},
	[ENDURA_OP_MOUNT] = {
		.name = "mount", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("mount") },
	},
	[ENDURA_OP_MOVE_MOUNT] = {
		.name = "move_mount", .hook = HOOK_FILE_OPEN,
		.programs = { DENYING_PROGRAMS("move_mount") },
	},
	[ENDURA_OP_UTIMES] = {
		.name = "utimes", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("utimes") },
		.fewer_args = WITHOUT_IDMAP("utimes", "inode_setattr", 2),
	},
	[ENDURA_OP_SETXATTR] = {
		.name = "setxattr", .hook = HOOK_FILE_OPEN,
		.programs = { DENYING_PROGRAMS("setxattr") },
		.fewer_args = WITHOUT_IDMAP("setxattr", "inode_setxattr", 5),
	},
	[ENDURA_OP_REMOVEXATTR] = {
		.name = "removexattr", .hook = HOOK_FILE_OPEN,
		.programs = { DENYING_PROGRAMS("removexattr") },
		.fewer_args = WITHOUT_IDMAP("removexattr", "inode_removexattr", 2),
	},
	[ENDURA_OP_FTRUNCATE] = {
		.name = "ftruncate", .hook = HOOK_FILE_OPEN,
		.programs = { DENYING_PROGRAMS("ftruncate") },
		.absent = { "security_file_truncate", "truncate" },
	},
	[ENDURA_OP_SET_ACL] = {
		.name = "set_acl", .hook = HOOK_FILE_OPEN, .programs = { DENYING_PROGRAMS("set_acl") },
		.absent = { "security_inode_set_acl", "setxattr" },
	},
	[ENDURA_OP_REMOVE_ACL] = {
		.name = "remove_acl", .hook = HOOK_FILE_OPEN,
		.programs = { DENYING_PROGRAMS("remove_acl") },
		.absent = { "security_inode_remove_acl", "removexattr" },
	},
	[ENDURA_OP_MMAP] = {
		.name = "mmap", .hook = HOOK_EXEC, .programs = { DENYING_PROGRAMS("mmap") },
	},
	[ENDURA_OP_MPROTECT] = {
		.name = "mprotect", .hook = HOOK_EXEC, .programs = { DENYING_PROGRAMS("mprotect") },
	},
	[ENDURA_OP_CAPABLE] = {
		.name = "capable", .hook = HOOK_CAPABLE, .programs = { DENYING_PROGRAMS("capable") },
	},
	/* the hook's last argument, whether the kernel itself makes the call, is new: 7.2 has it,
	 * 6.12 not */
	[ENDURA_OP_BPF] = {
		.name = "bpf", .hook = HOOK_BPF, .programs = { DENYING_PROGRAMS("bpf") },
		.fewer_args = {
			{ ENDURA_TIER_LSM, "bpf_lsm_bpf", 3, "endura_bpf_user" },
			{ ENDURA_TIER_FMOD_RET, "security_bpf", 3, "endura_bpf_user_fmod" },
		},
	},
	[ENDURA_OP_FINIT_MODULE] = {
		.name = "finit_module", .hook = HOOK_MODULE,
		.programs = { DENYING_PROGRAMS("finit_module") },
	},
	[ENDURA_OP_INIT_MODULE] = {
		.name = "init_module", .hook = HOOK_MODULE,
		.programs = { DENYING_PROGRAMS("init_module") },
	},
	[ENDURA_OP_REQUEST_MODULE] = {
		.name = "request_module", .hook = HOOK_MODULE,
		.programs = { DENYING_PROGRAMS("request_module") },
	},
	[ENDURA_OP_SIGNAL] = {
		.name = "signal", .hook = HOOK_SIGNAL, .programs = { DENYING_PROGRAMS("signal") },
	},
	[ENDURA_OP_SIGIO] = {
		.name = "sigio", .hook = HOOK_SIGNAL, .programs = { DENYING_PROGRAMS("sigio") },
	},
};

void hook_name_list(const char *names[HOOK_COUNT])
{
	for (unsigned int hook = 0; hook < HOOK_COUNT; hook++)
		names[hook] = hook_descs[hook].name;
}

const char *abi_hook_name(unsigned int hook)
{
	return hook < ENDURA_HOOK_COUNT ? hook_descs[hook].name : "?";
}

const char *abi_op_name(unsigned int op)
{
	return op < ENDURA_OP_COUNT ? op_descs[op].name : "?";
}
