// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "xalloc.h"

struct applier {
	struct ruleset *ruleset;
	struct diag_list *diags;
	bool keep_handles;	/* rebuilding the daemon's listing: handles and counters as given */
};

/* A comment given when adding to an existing object replaces its comment. */
static void take_comment(char **existing, char **given)
{
	if (!*given)
		return;
	free(*existing);
	*existing = *given;
	*given = NULL;
}

static void assign_handle(struct applier *a, uint64_t *handle)
{
	if (!a->keep_handles || !*handle)
		*handle = a->ruleset->next_handle;
	if (*handle >= a->ruleset->next_handle)
		a->ruleset->next_handle = *handle + 1;
}

static void assign_rule(struct applier *a, struct rule *rule)
{
	assign_handle(a, &rule->handle);
	if (!a->keep_handles)
		rule->counter_hits = 0;
}

static void assign_chain(struct applier *a, struct chain *chain)
{
	struct rule *rule;

	assign_handle(a, &chain->handle);
	list_for_each_entry(rule, &chain->rules, list)
		assign_rule(a, rule);
}

/* "table 'hots' does not exist; did you mean 'host'?" */
static void report_missing(struct diag_list *diags, const struct location *loc, const char *what,
			   const char *name, const char **names, unsigned int count,
			   const char *where)
{
	const char *hint = diag_suggest(name, names, count);

	if (hint)
		diag_error(diags, loc, "%s '%s' does not exist%s; did you mean '%s'?", what, name,
			   where, hint);
	else
		diag_error(diags, loc, "%s '%s' does not exist%s", what, name, where);
	free(names);
}

static struct table *find_table(const struct ruleset *ruleset, const char *name,
				const struct location *loc, struct diag_list *diags)
{
	struct table *table = table_find(ruleset, name);
	const char **names;
	unsigned int count;

	if (!table) {
		names = table_names(ruleset, &count);
		report_missing(diags, loc, "table", name, names, count, "");
	}
	return table;
}

static struct chain *find_chain(const struct table *table, const char *name,
				const struct location *loc, struct diag_list *diags)
{
	struct chain *chain = chain_find(table, name);
	const char **names;
	unsigned int count;
	char *where;

	if (!chain) {
		names = chain_names(table, &count);
		where = xasprintf(" in table '%s'", table->name);
		report_missing(diags, loc, "chain", name, names, count, where);
		free(where);
	}
	return chain;
}

static struct set *find_set(const struct table *table, const char *name,
			    const struct location *loc, struct diag_list *diags)
{
	struct set *set = set_find(table, name);
	const char **names;
	unsigned int count;
	char *where;

	if (!set) {
		names = set_names(table, &count);
		where = xasprintf(" in table '%s'", table->name);
		report_missing(diags, loc, "set", name, names, count, where);
		free(where);
	}
	return set;
}

static int merge_chain(struct applier *a, struct table *table, struct chain *chain)
{
	struct chain *existing = chain_find(table, chain->name);
	struct rule *rule;

	if (!existing) {
		assign_chain(a, chain);
		list_del(&chain->list);
		list_add_tail(&chain->list, &table->chains);
		return 0;
	}
	if (chain->has_hook && existing->has_hook && chain->hook != existing->hook) {
		diag_error(a->diags, &chain->hook_loc,
			   "chain '%s' of table '%s' is already bound to hook %s", chain->name,
			   table->name, hook_name(existing->hook));
		chain_free(chain);
		return -1;
	}
	if (chain->has_hook) {
		existing->has_hook = true;
		existing->hook = chain->hook;
		existing->policy = chain->policy;
	}
	take_comment(&existing->comment, &chain->comment);
	list_for_each_entry(rule, &chain->rules, list)
		assign_rule(a, rule);
	list_splice_tail_init(&chain->rules, &existing->rules);
	chain_free(chain);
	return 0;
}

static void merge_set(struct applier *a, struct table *table, struct set *set)
{
	struct set *existing = set_find(table, set->name);

	if (!existing) {
		assign_handle(a, &set->handle);
		list_del(&set->list);
		list_add_tail(&set->list, &table->sets);
		return;
	}
	list_splice_tail_init(&set->elements, &existing->elements);
	take_comment(&existing->comment, &set->comment);
	set_free(set);
}

/* "table x { ... }" on an existing table adds to it, as in nft. */
static int merge_table(struct applier *a, struct table *table)
{
	struct table *existing = table_find(a->ruleset, table->name);
	struct chain *chain, *next_chain;
	struct set *set, *next_set;
	int ret = 0;

	if (!existing) {
		existing = table_new(table->name, &table->loc);
		existing->handle = table->handle;
		assign_handle(a, &existing->handle);
		list_add_tail(&existing->list, &a->ruleset->tables);
	}
	if (table->has_mode) {
		existing->mode = table->mode;
		existing->has_mode = true;
	}
	take_comment(&existing->comment, &table->comment);
	list_for_each_entry_safe(set, next_set, &table->sets, list)
		merge_set(a, existing, set);
	list_for_each_entry_safe(chain, next_chain, &table->chains, list)
		if (merge_chain(a, existing, chain) < 0)
			ret = -1;
	table_free(table);
	return ret;
}

static struct rule *find_rule(const struct table *table, const struct chain *chain,
			      uint64_t handle, const struct location *loc, struct diag_list *diags)
{
	struct rule *rule = rule_find(chain, handle);

	if (!rule)
		diag_error(diags, loc, "no rule with handle %llu in chain '%s' of table '%s'",
			   (unsigned long long)handle, chain->name, table->name);
	return rule;
}

/* add: at the end, or after the rule at position; insert: at the start, or before it; replace:
 * in the place of the rule with the handle. */
static int place_rule(struct applier *a, const struct table *table, struct cmd *cmd)
{
	struct cmd_target *t = &cmd->target;
	struct chain *chain = find_chain(table, t->chain, &t->chain_loc, a->diags);
	struct rule *anchor = NULL, *rule = cmd->rule;

	if (!chain)
		return -1;
	if (t->has_position || cmd->op == CMD_REPLACE) {
		anchor = cmd->op == CMD_REPLACE ?
			find_rule(table, chain, t->handle, &t->handle_loc, a->diags) :
			find_rule(table, chain, t->position, &t->position_loc, a->diags);
		if (!anchor)
			return -1;
	}
	assign_rule(a, rule);
	list_del(&rule->list);
	if (cmd->op == CMD_ADD)
		list_add(&rule->list, anchor ? &anchor->list : chain->rules.prev);
	else
		list_add_tail(&rule->list, anchor ? &anchor->list : chain->rules.next);
	if (cmd->op == CMD_REPLACE)
		rule_free(anchor);
	cmd->rule = NULL;
	return 0;
}

static struct value *element_find(const struct set *set, const struct value *value)
{
	struct value *element;

	list_for_each_entry(element, &set->elements, list)
		if (strcmp(element->text, value->text) == 0)
			return element;
	return NULL;
}

/* Elements already in the set are not added again. */
static void add_elements(struct set *set, struct cmd *cmd)
{
	struct value *value, *next;

	list_for_each_entry_safe(value, next, &cmd->set->elements, list) {
		if (element_find(set, value))
			continue;
		list_del(&value->list);
		list_add_tail(&value->list, &set->elements);
	}
}

static int apply_add(struct applier *a, struct cmd *cmd)
{
	struct cmd_target *t = &cmd->target;
	struct table *table;
	struct set *set;
	int ret;

	if (cmd->object == CMD_OBJ_TABLE) {
		ret = merge_table(a, cmd->table);
		cmd->table = NULL;
		return ret;
	}
	table = find_table(a->ruleset, t->table, &t->table_loc, a->diags);
	if (!table)
		return -1;
	switch (cmd->object) {
	case CMD_OBJ_CHAIN:
		ret = merge_chain(a, table, cmd->chain);
		cmd->chain = NULL;
		return ret;
	case CMD_OBJ_SET:
		merge_set(a, table, cmd->set);
		cmd->set = NULL;
		return 0;
	case CMD_OBJ_RULE:
		return place_rule(a, table, cmd);
	case CMD_OBJ_ELEMENT:
		set = find_set(table, t->set, &t->set_loc, a->diags);
		if (!set)
			return -1;
		add_elements(set, cmd);
		return 0;
	case CMD_OBJ_TABLE:
	case CMD_OBJ_RULESET:
		break;
	}
	return -1;
}

static int delete_elements(struct applier *a, struct set *set, const struct cmd *cmd)
{
	const struct value *value;
	struct value *element;
	int ret = 0;

	list_for_each_entry(value, &cmd->set->elements, list) {
		element = element_find(set, value);
		if (element) {
			value_free(element);
			/* a set written with a value twice holds it twice: all of it goes */
			while ((element = element_find(set, value)))
				value_free(element);
			continue;
		}
		diag_error(a->diags, &value->loc, "element '%s' is not in set '%s'", value->text,
			   set->name);
		ret = -1;
	}
	return ret;
}

static int apply_delete(struct applier *a, struct cmd *cmd)
{
	struct cmd_target *t = &cmd->target;
	struct table *table = find_table(a->ruleset, t->table, &t->table_loc, a->diags);
	struct chain *chain;
	struct set *set;
	struct rule *rule;

	if (!table)
		return -1;
	switch (cmd->object) {
	case CMD_OBJ_TABLE:
		table_free(table);
		return 0;
	case CMD_OBJ_CHAIN:
		chain = find_chain(table, t->chain, &t->chain_loc, a->diags);
		if (!chain)
			return -1;
		chain_free(chain);
		return 0;
	case CMD_OBJ_SET:
		set = find_set(table, t->set, &t->set_loc, a->diags);
		if (!set)
			return -1;
		if (set_is_used(table, t->set)) {
			diag_error(a->diags, &t->set_loc, "set '%s' is used by a rule of table '%s'",
				   t->set, table->name);
			return -1;
		}
		set_free(set);
		return 0;
	case CMD_OBJ_ELEMENT:
		set = find_set(table, t->set, &t->set_loc, a->diags);
		return set ? delete_elements(a, set, cmd) : -1;
	case CMD_OBJ_RULE:
		chain = find_chain(table, t->chain, &t->chain_loc, a->diags);
		rule = chain ? find_rule(table, chain, t->handle, &t->handle_loc, a->diags) : NULL;
		if (!rule)
			return -1;
		rule_free(rule);
		return 0;
	case CMD_OBJ_RULESET:
		break;
	}
	return -1;
}

static void flush_chain(struct chain *chain)
{
	struct rule *rule, *next;

	list_for_each_entry_safe(rule, next, &chain->rules, list)
		rule_free(rule);
}

static int apply_flush(struct ruleset *ruleset, struct cmd *cmd, struct diag_list *diags)
{
	struct cmd_target *t = &cmd->target;
	struct table *table, *next;
	struct chain *chain;
	struct set *set;
	struct value *value, *next_value;

	switch (cmd->object) {
	case CMD_OBJ_RULESET:
		list_for_each_entry_safe(table, next, &ruleset->tables, list)
			table_free(table);
		return 0;
	case CMD_OBJ_TABLE:
		table = find_table(ruleset, t->table, &t->table_loc, diags);
		if (!table)
			return -1;
		list_for_each_entry(chain, &table->chains, list)
			flush_chain(chain);
		return 0;
	case CMD_OBJ_CHAIN:
		table = find_table(ruleset, t->table, &t->table_loc, diags);
		chain = table ? find_chain(table, t->chain, &t->chain_loc, diags) : NULL;
		if (!chain)
			return -1;
		flush_chain(chain);
		return 0;
	case CMD_OBJ_SET:
		/* the elements go, the set stays */
		table = find_table(ruleset, t->table, &t->table_loc, diags);
		set = table ? find_set(table, t->set, &t->set_loc, diags) : NULL;
		if (!set)
			return -1;
		list_for_each_entry_safe(value, next_value, &set->elements, list)
			value_free(value);
		return 0;
	case CMD_OBJ_RULE:
	case CMD_OBJ_ELEMENT:
		break;
	}
	diag_error(diags, &cmd->loc, "this object cannot be flushed");
	return -1;
}

static int apply_all(struct applier *a, struct list_head *cmds)
{
	struct table *table;
	struct cmd *cmd;
	int ret = 0;

	list_for_each_entry(cmd, cmds, list) {
		int err = -1;

		switch (cmd->op) {
		case CMD_ADD:
			err = apply_add(a, cmd);
			break;
		case CMD_INSERT:
		case CMD_REPLACE:
			table = find_table(a->ruleset, cmd->target.table, &cmd->target.table_loc,
					   a->diags);
			err = table ? place_rule(a, table, cmd) : -1;
			break;
		case CMD_DELETE:
			err = apply_delete(a, cmd);
			break;
		case CMD_FLUSH:
			err = apply_flush(a->ruleset, cmd, a->diags);
			break;
		}
		if (err < 0)
			ret = -1;
	}
	return ret;
}

int ruleset_adopt(struct ruleset *ruleset, struct list_head *cmds, struct diag_list *diags)
{
	struct applier a = { ruleset, diags, true };

	return apply_all(&a, cmds);
}

int ruleset_apply(struct ruleset *ruleset, struct list_head *cmds, struct diag_list *diags)
{
	struct applier a = { ruleset, diags, false };

	return apply_all(&a, cmds);
}
