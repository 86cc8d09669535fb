// SPDX-License-Identifier: GPL-2.0-only
#include "apply.h"
#include "transaction.h"

int ruleset_transaction(const struct ruleset *current, struct list_head *cmds,
			const struct resolver *resolver, struct ruleset *result,
			struct table_image *image, struct diag_list *diags)
{
	ruleset_clone(result, current);
	if (ruleset_apply(result, cmds, diags) == 0 && ruleset_evaluate(result, diags) == 0 &&
	    compile_ruleset(result, resolver, image, diags) == 0)
		return 0;
	ruleset_free(result);
	return -1;
}
