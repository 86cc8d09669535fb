// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "fields.h"
#include "hooks.h"
#include "network.h"

static int evaluate_match(const struct table *table, const struct chain *chain,
			  struct match *match, struct diag_list *diags)
{
	struct value *value;
	struct set *set;
	int ret = 0;

	if (chain->has_hook && !hook_offers(chain->hook, match->field)) {
		diag_error(diags, &match->field_loc, "%s is not available on hook %s",
			   field_name(match->field), hook_name(chain->hook));
		return -1;
	}
	if (match->set_name) {
		set = set_find(table, match->set_name);
		if (!set) {
			unsigned int count;
			const char **names = set_names(table, &count);
			const char *hint = diag_suggest(match->set_name, names, count);

			if (hint)
				diag_error(diags, &match->loc, "set '%s' does not exist in table '%s'; "
					   "did you mean '%s'?", match->set_name, table->name, hint);
			else
				diag_error(diags, &match->loc, "set '%s' does not exist in table '%s'",
					   match->set_name, table->name);
			free(names);
			return -1;
		}
		if (set->type != field_descs[match->field].set_type) {
			diag_error(diags, &match->loc, "set '%s' holds %s values, %s needs %s",
				   set->name, set_type_name(set->type), field_name(match->field),
				   field_descs[match->field].values);
			return -1;
		}
		/* the elements are values of the set's own field: another field may ask more of
		 * them (a path set may hold subtrees, an executable is a file) */
		if (set_type_field(set->type) != match->field)
			list_for_each_entry(value, &set->elements, list)
				if (field_descs[match->field].check(value, diags) < 0)
					return -1;
		return 0;
	}
	list_for_each_entry(value, &match->values, list)
		if (field_descs[match->field].check(value, diags) < 0)
			ret = -1;
	return ret;
}

/* "access cannot be the key of a vmap; use path, exe or uid" */
static void not_a_vmap_key(const struct match *vmap, struct diag_list *diags)
{
	const char *keys[FIELD_COUNT];
	unsigned int n = 0;
	char *choices;

	for (unsigned int field = 0; field < FIELD_COUNT; field++)
		if (field_descs[field].vmap_key)
			keys[n++] = field_descs[field].name;
	choices = diag_choices(keys, n);
	diag_error(diags, &vmap->field_loc, "%s cannot be the key of a vmap; use %s",
		   field_name(vmap->field), choices);
	free(choices);
}

/* A verdict map: the rule's only one, in a rule without a verdict of its own, on a field that
 * has single values, its keys valid values of the field (checked with the match) and distinct. */
static int evaluate_vmap(const struct rule *rule, const struct match *vmap,
			 const struct match *first, struct diag_list *diags)
{
	const struct value *value, *other;
	int ret = 0;

	if (first != vmap) {
		diag_error(diags, &vmap->loc, "a rule has one vmap at most");
		ret = -1;
	}
	if (rule->verdict != VERDICT_NONE) {
		diag_error(diags, &vmap->loc,
			   "a rule with a vmap takes its verdict from the map: remove '%s'",
			   verdict_name(rule->verdict));
		ret = -1;
	}
	if (!field_descs[vmap->field].vmap_key) {
		not_a_vmap_key(vmap, diags);
		return -1;
	}
	if (ret < 0)
		return ret;
	list_for_each_entry(value, &vmap->values, list)
		list_for_each_entry(other, &vmap->values, list) {
			if (other == value)
				break;
			if (field_same_value(vmap->field, value, other)) {
				diag_error(diags, &value->loc, "duplicate key '%s' in vmap",
					   value->text);
				ret = -1;
				break;
			}
		}
	return ret;
}

static int evaluate_rule(const struct table *table, const struct chain *chain,
			 struct rule *rule, struct diag_list *diags)
{
	const struct match *vmap = NULL;
	struct match *match;
	int ret = 0;

	list_for_each_entry(match, &rule->matches, list) {
		/* the keys are values of the field: checked first, so that user names are uids */
		bool valid = (match->vmap && !field_descs[match->field].vmap_key) ||
			     evaluate_match(table, chain, match, diags) == 0;

		if (!valid)
			ret = -1;
		if (!match->vmap)
			continue;
		if (valid && evaluate_vmap(rule, match, vmap ? vmap : match, diags) < 0)
			ret = -1;
		if (!vmap)
			vmap = match;
	}
	return ret;
}

static int evaluate_set(struct set *set, struct diag_list *diags)
{
	enum match_field field = set_type_field(set->type);
	struct value *value;
	int ret = 0;

	/* the typed network sets wait for the hooks whose fields take them */
	if (field == FIELD_COUNT)
		return network_set_check(set, diags);
	list_for_each_entry(value, &set->elements, list)
		if (field_descs[field].check(value, diags) < 0)
			ret = -1;
	return ret;
}

void ruleset_warn_unused_sets(const struct ruleset *ruleset, struct diag_list *diags)
{
	const struct table *table;
	const struct set *set;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(set, &table->sets, list)
			if (location_known(&set->loc) && !set_is_used(table, set->name))
				diag_warning(diags, &set->loc, "set '%s' is not used by any rule",
					     set->name);
}

int ruleset_evaluate(struct ruleset *ruleset, struct diag_list *diags)
{
	struct table *table;
	struct chain *chain;
	struct rule *rule;
	struct set *set;
	int ret = 0;

	list_for_each_entry(table, &ruleset->tables, list) {
		list_for_each_entry(set, &table->sets, list)
			if (evaluate_set(set, diags) < 0)
				ret = -1;
		list_for_each_entry(chain, &table->chains, list) {
			if (!chain->has_hook && !list_empty(&chain->rules))
				diag_warning(diags, &chain->loc,
					     "chain '%s' has no hook: its rules are never evaluated",
					     chain->name);
			list_for_each_entry(rule, &chain->rules, list) {
				if (list_empty(&rule->matches) && rule->verdict == VERDICT_DENY &&
				    chain->has_hook)
					diag_warning(diags, &rule->loc,
						     "this rule has no match: it %s every %s",
						     table->mode == MODE_AUDIT ? "reports" : "denies",
						     hook_descs[chain->hook].every);
				if (evaluate_rule(table, chain, rule, diags) < 0)
					ret = -1;
			}
		}
	}
	return ret;
}
