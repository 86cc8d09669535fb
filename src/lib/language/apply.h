/* SPDX-License-Identifier: GPL-2.0-only */
/* Applies commands to a ruleset, as one transaction: callers apply to a copy and keep it only when
 * every command, the evaluation and the compilation succeeded. */
#ifndef ENDURA_APPLY_H
#define ENDURA_APPLY_H

#include "diag.h"
#include "ruleset.h"

/* Moves the objects of added commands into @ruleset, assigning handles. Returns 0, or -1 with the
 * errors (a missing table, chain or handle, a conflicting hook) in @diags. */
int ruleset_apply(struct ruleset *ruleset, struct list_head *cmds, struct diag_list *diags);

/* The same for the daemon's own listing: objects keep the handles and counter values it gave. */
int ruleset_adopt(struct ruleset *ruleset, struct list_head *cmds, struct diag_list *diags);

/* Checks what the grammar cannot: types of values against fields and sets, names of sets, which
 * fields a hook has, paths the kernel side can resolve. Converts user names to uids. */
int ruleset_evaluate(struct ruleset *ruleset, struct diag_list *diags);

/* Warns about every set of the input (one with a location) that no rule of its table uses: what
 * "endurctl -c" reports. */
void ruleset_warn_unused_sets(const struct ruleset *ruleset, struct diag_list *diags);

#endif
