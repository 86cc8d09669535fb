/* SPDX-License-Identifier: GPL-2.0-only */
/* The tiers of a status reply's "hooks" as lines, for "endurctl status" and for endurd's own
 * lines at start: one printer, so that both say the same in the same words. */
#ifndef ENDURA_STATUS_H
#define ENDURA_STATUS_H

#include <stdio.h>

#include <jansson.h>

/* One line per hook for the operation it is named after ("hook file_open: tier lsm (denies)"),
 * then one for its other operations, those that fare alike on one line
 * ("hook file_open (truncate, unlink): ..."), each with why no stronger tier was taken, and
 * @prefix before each. The tiers that serve an operation are set in @used when it is given. */
void status_print_hooks(FILE *out, const char *prefix, json_t *hooks, json_t *used);

#endif
