/* SPDX-License-Identifier: GPL-2.0-only */
/* Enforcement tiers: how a hook is served on a kernel, and what that can and cannot do. Shared by
 * endurd (start-up, status, events) and endurctl (status). */
#ifndef ENDURA_TIER_H
#define ENDURA_TIER_H

#include <stdbool.h>

#include "endura.h"

struct tier_desc {
	const char *name;
	bool denies;		/* can refuse the operation, not only report it */
	const char *does;	/* what it does and needs, one line */
};

extern const struct tier_desc tier_descs[ENDURA_TIER_COUNT];

/* The tier called @name, or -1. */
int tier_by_name(const char *name);

#endif
