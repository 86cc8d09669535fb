/* SPDX-License-Identifier: GPL-2.0-only */
/* One transaction: commands applied to a copy of the ruleset, evaluated and compiled. Either all of
 * it succeeds and the caller gets the new ruleset and its tables, or nothing changes. */
#ifndef ENDURA_TRANSACTION_H
#define ENDURA_TRANSACTION_H

#include "compile.h"
#include "diag.h"
#include "ruleset.h"

int ruleset_transaction(const struct ruleset *current, struct list_head *cmds,
			const struct resolver *resolver, struct ruleset *result,
			struct table_image *image, struct diag_list *diags);

#endif
