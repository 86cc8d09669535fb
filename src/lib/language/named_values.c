// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "named_values.h"

int check_named_value(struct value *value, const struct named_values *names,
		      struct diag_list *diags)
{
	const char *hint;

	if (value->kind == VALUE_NUMBER && names->numbers) {
		if (value->number < names->numbers)
			return 0;
		diag_error(diags, &value->loc, "%s %s is out of range; expected %s", names->what,
			   value->text, names->example);
		return -1;
	}
	for (unsigned int number = 0; number < names->count; number++)
		if (names->names[number] && strcmp(value->text, names->names[number]) == 0) {
			value->number = number;
			return 0;
		}
	hint = diag_suggest(value->text, names->names, names->count);
	if (hint)
		diag_error(diags, &value->loc, "unknown %s '%s'; did you mean '%s'?", names->what,
			   value->text, hint);
	else
		diag_error(diags, &value->loc, "unknown %s '%s'; expected %s", names->what,
			   value->text, names->example);
	return -1;
}

const char *named_value(const struct named_values *names, unsigned int number)
{
	return number < names->count ? names->names[number] : NULL;
}
