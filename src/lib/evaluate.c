// SPDX-License-Identifier: GPL-2.0-only
#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "network.h"
#include "endura.h"
#include "xalloc.h"

/* Text crosses to endurd as JSON, which carries UTF-8 only: other bytes would arrive changed.
 * ASCII, what nearly every path is, needs no decoding. */
static int check_utf8(const struct value *value, struct diag_list *diags)
{
	json_t *probe;

	for (const unsigned char *c = (const unsigned char *)value->text; *c < 0x80; c++)
		if (!*c)
			return 0;
	probe = json_string(value->text);
	if (probe) {
		json_decref(probe);
		return 0;
	}
	diag_error(diags, &value->loc, "'%s' is not valid UTF-8", value->text);
	return -1;
}

/* A component of "." or "..", or an empty one before another: what follows a '/' at @rest. */
static bool dot_or_empty_component(const char *rest)
{
	if (rest[0] == '.')
		rest += rest[1] == '.' ? 2 : 1;
	else if (rest[0] != '/')
		return false;
	return rest[0] == '/' || rest[0] == '\0';
}

/* No //, /./ or /../ in @text, nor a last component of . or .. */
static bool canonical(const char *text)
{
	for (const char *slash = strchr(text, '/'); slash; slash = strchr(slash + 1, '/'))
		if (dot_or_empty_component(slash + 1))
			return false;
	return true;
}

/* Paths are compared as strings by the kernel side: only canonical absolute paths can match. */
static int check_path(const struct value *value, bool subtree_allowed, struct diag_list *diags)
{
	const char *text = value->text;
	size_t len = strlen(text);

	if (check_utf8(value, diags) < 0)
		return -1;
	if (value->kind != VALUE_STRING || text[0] != '/') {
		diag_error(diags, &value->loc, "'%s' is not an absolute path", text);
		return -1;
	}
	if (!canonical(text)) {
		diag_error(diags, &value->loc, "path '%s' is not canonical (no //, . or .. components)",
			   text);
		return -1;
	}
	if (len + 1 > ENDURA_PATH_MAX) {
		diag_error(diags, &value->loc, "path '%s' is longer than %d bytes", text,
			   ENDURA_PATH_MAX - 1);
		return -1;
	}
	if (!subtree_allowed && text[len - 1] == '/') {
		diag_error(diags, &value->loc, "'%s' names a directory; exe takes an executable file",
			   text);
		return -1;
	}
	return 0;
}

static int check_uid(struct value *value, struct diag_list *diags)
{
	struct passwd *pw;

	if (value->kind == VALUE_NUMBER) {
		if (value->number >= UINT32_MAX) {
			diag_error(diags, &value->loc, "uid %s is out of range", value->text);
			return -1;
		}
		return 0;
	}
	pw = getpwnam(value->text);
	if (!pw) {
		diag_error(diags, &value->loc, "unknown user '%s'", value->text);
		return -1;
	}
	value->kind = VALUE_NUMBER;
	value->number = pw->pw_uid;
	free(value->text);
	value->text = xasprintf("%u", (unsigned int)pw->pw_uid);
	return 0;
}

static int check_access(const struct value *value, struct diag_list *diags)
{
	const char *hint;

	if (access_lookup(value->text) >= 0)
		return 0;
	hint = diag_suggest(value->text, access_names, 3);
	if (hint)
		diag_error(diags, &value->loc, "unknown access mode '%s'; did you mean '%s'?",
			   value->text, hint);
	else
		diag_error(diags, &value->loc, "unknown access mode '%s'; expected read, write or exec",
			   value->text);
	return -1;
}

static int check_value(enum match_field field, struct value *value, struct diag_list *diags)
{
	switch (field) {
	case FIELD_PATH:
		return check_path(value, true, diags);
	case FIELD_EXE:
		return check_path(value, false, diags);
	case FIELD_UID:
		return check_uid(value, diags);
	case FIELD_ACCESS:
		return check_access(value, diags);
	case FIELD_COUNT:
		break;
	}
	return -1;
}

static enum set_type field_set_type(enum match_field field)
{
	return field == FIELD_UID ? SET_TYPE_UID : SET_TYPE_PATH;
}

static int evaluate_match(const struct table *table, const struct chain *chain,
			  struct match *match, struct diag_list *diags)
{
	struct value *value;
	struct set *set;
	int ret = 0;

	if (match->field == FIELD_ACCESS && chain->has_hook && chain->hook != HOOK_FILE_OPEN) {
		diag_error(diags, &match->field_loc, "access is not available on hook %s",
			   hook_name(chain->hook));
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
		if (match->field == FIELD_ACCESS || set->type != field_set_type(match->field)) {
			diag_error(diags, &match->loc, "set '%s' holds %s values, %s needs %s",
				   set->name, set_type_name(set->type), field_name(match->field),
				   match->field == FIELD_ACCESS ? "access modes" :
				   set_type_name(field_set_type(match->field)));
			return -1;
		}
		/* a path set may hold subtrees; an executable is a file */
		if (match->field == FIELD_EXE)
			list_for_each_entry(value, &set->elements, list)
				if (check_path(value, false, diags) < 0)
					return -1;
		return 0;
	}
	list_for_each_entry(value, &match->values, list)
		if (check_value(match->field, value, diags) < 0)
			ret = -1;
	return ret;
}

static bool same_key(enum match_field field, const struct value *a, const struct value *b)
{
	if (field == FIELD_UID)
		return a->number == b->number;
	return strcmp(a->text, b->text) == 0;
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
	if (vmap->field == FIELD_ACCESS) {
		diag_error(diags, &vmap->field_loc,
			   "access cannot be the key of a vmap; use path, exe or uid");
		return -1;
	}
	if (ret < 0)
		return ret;
	list_for_each_entry(value, &vmap->values, list)
		list_for_each_entry(other, &vmap->values, list) {
			if (other == value)
				break;
			if (same_key(vmap->field, value, other)) {
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
		bool valid = (match->vmap && match->field == FIELD_ACCESS) ||
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
	enum match_field field = set->type == SET_TYPE_UID ? FIELD_UID : FIELD_PATH;
	struct value *value;
	int ret = 0;

	if (set->type != SET_TYPE_PATH && set->type != SET_TYPE_UID)
		return network_set_check(set, diags);
	list_for_each_entry(value, &set->elements, list)
		if (check_value(field, value, diags) < 0)
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
						     chain->hook == HOOK_EXEC ? "exec" : "open");
				if (evaluate_rule(table, chain, rule, diags) < 0)
					ret = -1;
			}
		}
	}
	return ret;
}
