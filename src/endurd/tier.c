// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "tier.h"

const struct tier_desc tier_descs[ENDURA_TIER_COUNT] = {
	[ENDURA_TIER_LSM] = {
		"lsm", true,
		"BPF LSM program: denies before the operation completes; needs bpf in the active LSM list",
	},
	[ENDURA_TIER_FMOD_RET] = {
		"fmod_ret", true,
		"modify-return program on the kernel's security_*() function: denies before the "
		"operation completes, without bpf in the LSM list; needs BPF trampolines",
	},
	[ENDURA_TIER_OBSERVE] = {
		"observe", false,
		"BTF tracepoint after the operation: reports what the rules decide, denies nothing; "
		"opens through io_uring are not seen",
	},
};

int tier_by_name(const char *name)
{
	for (int tier = 0; tier < ENDURA_TIER_COUNT; tier++)
		if (strcmp(tier_descs[tier].name, name) == 0)
			return tier;
	return -1;
}
