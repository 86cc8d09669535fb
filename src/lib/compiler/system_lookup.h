/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ENDURA_SYSTEM_LOOKUP_H
#define ENDURA_SYSTEM_LOOKUP_H

#include <limits.h>
#include <stdbool.h>

#include "compile.h"

/* The identities of names on the running system, numbered as the kernel numbers them. Names of
 * one directory come in a row (they are looked up sorted): the directory is opened once for all
 * of them, each is looked up within it, and a directory that does not exist answers for every
 * name in it. One lookup serves one pass over the names; the directory is held until its end. */
struct system_lookup {
	struct resolver resolver;	/* what the compiler and the identity refresh are given */
	char dir[PATH_MAX];		/* the directory at hand */
	size_t dir_len;
	bool have_dir;
	int dir_fd;			/* -1 when it does not exist */
};

void system_lookup_init(struct system_lookup *lookup);
void system_lookup_end(struct system_lookup *lookup);

#endif
