// SPDX-License-Identifier: GPL-2.0-only
#include "endura.h"
#include "named_values.h"

static const char *const names[ENDURA_MODULE_SOURCES] = {
	[ENDURA_MODULE_FILE] = "file",
	[ENDURA_MODULE_MEMORY] = "memory",
	[ENDURA_MODULE_REQUEST] = "request",
};

const struct named_values module_sources = {
	.names = names,
	.count = ENDURA_MODULE_SOURCES,
	.what = "module source",
	.example = "file, memory or request",
};
