/* SPDX-License-Identifier: GPL-2.0-only */
/* Fields whose values are numbers written by name: the capability a task uses, the command of a
 * bpf(2) call, where a module comes from. The kernel side sees the number, a rule and an event
 * the name. */
#ifndef ENDURA_NAMED_VALUES_H
#define ENDURA_NAMED_VALUES_H

#include "diag.h"
#include "ruleset.h"

struct named_values {
	const char *const *names;	/* by number, one for each below count */
	unsigned int count;
	const char *what;		/* in messages: "capability" */
	const char *example;		/* "a name of capabilities(7) such as cap_sys_admin" */
	/* values may also be written as numbers below this, 0 when only names are taken; names
	 * has holes (NULL) then for the numbers without one */
	unsigned int numbers;
};

extern const struct named_values capabilities;	/* capability.c */
extern const struct named_values bpf_commands;	/* bpf_command.c */
extern const struct named_values module_sources;	/* module_source.c */
extern const struct named_values signals;	/* signal.c */

/* Checks @value as one of @names, or a number they take, and makes it its number; 0, or -1
 * with the error in @diags. */
int check_named_value(struct value *value, const struct named_values *names,
		      struct diag_list *diags);

/* The name of number @number, NULL when it has none. */
const char *named_value(const struct named_values *names, unsigned int number);

#endif
