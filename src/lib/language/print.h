/* SPDX-License-Identifier: GPL-2.0-only */
/* The text printer: what it prints is valid input for the parser. */
#ifndef ENDURA_PRINT_H
#define ENDURA_PRINT_H

#include <stdio.h>

#include "ruleset.h"

enum print_flags {
	PRINT_HANDLES = 1 << 0,		/* -a: "# handle N" after every object, counter values */
	PRINT_TERSE = 1 << 1,		/* -t: sets without their elements */
	PRINT_STATELESS = 1 << 2,	/* -s: no counter values, even with -a */
};

void print_ruleset(FILE *out, const struct ruleset *ruleset, unsigned int flags);
void print_rule(FILE *out, const struct rule *rule, unsigned int flags);

/* One command as a line of valid input: "add rule host files path /x deny", "flush ruleset". A
 * whole-table add prints as its block. */
void print_cmd(FILE *out, const struct cmd *cmd);

#endif
