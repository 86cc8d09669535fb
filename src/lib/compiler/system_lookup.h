/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ENDURA_SYSTEM_LOOKUP_H
#define ENDURA_SYSTEM_LOOKUP_H

#include <limits.h>
#include <stdbool.h>

#include "compile.h"

/* The identities of names on the running system, numbered as the kernel numbers them. Names of
 * one directory come in a row (they are looked up sorted): the directory is opened once for all
 * of them, each is looked up within it, and a directory that does not exist answers for every
 * name in it. Past SYSTEM_LOOKUP_LISTED names in one directory, its listing is read once and
 * answers for the names it lacks, as in a list of indicators, where most named files do not
 * exist: where names are compared byte for byte (system_lookup.c says where). One lookup serves
 * one pass over the names; the directory is held until its end. */
#define SYSTEM_LOOKUP_LISTED	64

struct system_lookup {
	struct resolver resolver;	/* what the compiler and the identity refresh are given */
	char dir[PATH_MAX];		/* the directory at hand */
	size_t dir_len;
	bool have_dir;
	int dir_fd;			/* -1 when it does not exist */
	unsigned int asked;		/* names looked up in it so far */
	bool listed;			/* its names are in listing, sorted */
	char **listing;
	size_t nlisted;
	char *names;			/* what listing points into */
};

void system_lookup_init(struct system_lookup *lookup);
void system_lookup_end(struct system_lookup *lookup);

/* Whether @path is known not to exist from its directory alone, held as for the resolver's
 * lookups: the directory is missing, or its listing lacks the name. false says nothing. */
bool system_lookup_absent(struct system_lookup *lookup, const char *path);

#endif
