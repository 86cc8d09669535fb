// SPDX-License-Identifier: GPL-2.0-only
#include "hooks.h"

/* The model's hooks are the kernel ABI's: the compiler's hook images index the BPF tables. */
_Static_assert((int)HOOK_EXEC == (int)ENDURA_HOOK_EXEC, "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_FILE_OPEN == (int)ENDURA_HOOK_FILE_OPEN,
	       "enum hook_type is enum endura_hook");
_Static_assert((int)HOOK_COUNT == (int)ENDURA_HOOK_COUNT, "enum hook_type is enum endura_hook");

#define SUBJECT_FIELDS (FIELD_BIT(FIELD_EXE) | FIELD_BIT(FIELD_UID))

const struct hook_desc hook_descs[HOOK_COUNT] = {
	[HOOK_EXEC] = {
		.name = "exec",
		.operation = "exec",
		.fields = FIELD_BIT(FIELD_PATH) | SUBJECT_FIELDS,
		.programs = {
			[ENDURA_TIER_LSM] = "endura_exec",
			[ENDURA_TIER_FMOD_RET] = "endura_exec_fmod",
			[ENDURA_TIER_OBSERVE] = "endura_exec_observe",
		},
	},
	[HOOK_FILE_OPEN] = {
		.name = "file_open",
		.operation = "open",
		.fields = FIELD_BIT(FIELD_PATH) | FIELD_BIT(FIELD_ACCESS) | SUBJECT_FIELDS,
		.programs = {
			[ENDURA_TIER_LSM] = "endura_file_open",
			[ENDURA_TIER_FMOD_RET] = "endura_file_open_fmod",
			[ENDURA_TIER_OBSERVE] = "endura_file_open_observe",
		},
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
