/* SPDX-License-Identifier: GPL-2.0-only */
/* The fields rules match on, one description each, in the style of nftables' expression and
 * socket key tables: what the evaluator, the compiler and the printers know of a field is its entry
 * here, and the hooks say which fields they offer (hooks.h). */
#ifndef ENDURA_FIELDS_H
#define ENDURA_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "named_values.h"
#include "ruleset.h"

struct field_desc {
	const char *name;		/* as a rule names it: "path" */
	/* the type of the named sets it takes; SET_TYPE_COUNT when it takes none */
	enum set_type set_type;
	const char *values;		/* what its values are, in messages: "access modes" */
	/* Checks a value as written, and makes it the value matched (a user name becomes its
	 * uid); 0, or -1 with the error in @diags. */
	int (*check)(struct value *value, struct diag_list *diags);
	/* a hook's value field (hook_desc.value_field): whether @value holds for an operation of
	 * value @op_value (enum endura_access) */
	bool (*covers)(const struct value *value, unsigned int op_value);
	/* values written by name, each standing for its number: their names */
	const struct named_values *names;
	bool by_number;			/* values are the same when their numbers are */
	bool vmap_key;			/* can be the key of a verdict map */
	uint8_t need;			/* what the kernel side gathers for it: enum endura_need */
	/* the object's path, under the name the hook gives it (path, target): one lookup
	 * dimension, the path tables, whatever the object is; a hook offers one such field */
	bool path_dimension;
};

extern const struct field_desc field_descs[FIELD_COUNT];

/* The field whose values a set of @type holds, FIELD_COUNT for none yet: its elements are checked
 * as that field's values. */
enum match_field set_type_field(enum set_type type);

/* The field whose tables the kernel side classifies @field's values in: FIELD_PATH for the
 * object's path under any name, else @field itself. */
enum match_field field_dimension(enum match_field field);

/* Whether @a and @b are the same value of @field. */
bool field_same_value(enum match_field field, const struct value *a, const struct value *b);

#endif
