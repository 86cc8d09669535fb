// SPDX-License-Identifier: GPL-2.0-only
/* The JSON reader: {"endura": [...]} into the same commands the text parser produces.
 *
 * A syntax error carries the line and column jansson reports. Content errors name the place with
 * a JSON path (endura[3].rule.expr[0].match.field) and carry a location on the whole input (line
 * 0), since a decoded document no longer knows where its values were. Nothing is half done: the
 * commands reach ctx->cmds only when the whole document is valid. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "json.h"
#include "xalloc.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

struct importer {
	struct parse_ctx *ctx;
	struct location loc;		/* the whole input */
	struct list_head cmds;		/* built here, handed over when the document is valid */
	unsigned int errors;
	const json_t *misspelt;		/* the last object with an unknown key */
	char *path;			/* where the reader is: "endura[3].rule.expr[0]" */
	size_t path_len, path_size;
};

/* --- where the reader is ------------------------------------------------------------------- */

/* Appends @sep and @part to the path; returns the length to come back to with path_pop(). Every
 * element of a large set passes here: no printf. */
static size_t path_append(struct importer *imp, const char *sep, const char *part, size_t len)
{
	size_t mark = imp->path_len, sep_len = strlen(sep);

	if (imp->path_len + sep_len + len + 1 > imp->path_size) {
		imp->path_size = (imp->path_len + sep_len + len + 1) * 2;
		imp->path = xrealloc(imp->path, imp->path_size);
	}
	memcpy(imp->path + imp->path_len, sep, sep_len);
	memcpy(imp->path + imp->path_len + sep_len, part, len);
	imp->path_len += sep_len + len;
	imp->path[imp->path_len] = '\0';
	return mark;
}

/* Path parts are the reader's own key names, never text from the input. */
static size_t path_key(struct importer *imp, const char *key)
{
	return path_append(imp, imp->path_len ? "." : "", key, strlen(key));
}

static size_t path_index(struct importer *imp, size_t index)
{
	char part[32], *start = part + sizeof(part);

	*--start = ']';
	do
		*--start = (char)('0' + index % 10);
	while (index /= 10);
	*--start = '[';
	return path_append(imp, "", start, part + sizeof(part) - start);
}

static void path_pop(struct importer *imp, size_t mark)
{
	imp->path_len = mark;
	imp->path[mark] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void import_error(struct importer *imp, const char *fmt, ...)
{
	va_list ap;
	char *message;

	va_start(ap, fmt);
	if (vasprintf(&message, fmt, ap) < 0)
		message = NULL;
	va_end(ap);
	if (imp->path_len)
		diag_error(imp->ctx->diags, &imp->loc, "%s: %s", imp->path, message ? message : fmt);
	else
		diag_error(imp->ctx->diags, &imp->loc, "%s", message ? message : fmt);
	free(message);
	imp->errors++;
}

/* --- words and types ----------------------------------------------------------------------- */

static const char *type_desc(json_type type)
{
	switch (type) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		break;
	}
	return "null";
}

/* "'a', 'b' or 'c'" */
static char *alternatives(const char *const *names, unsigned int count)
{
	char *text = xstrdup("");

	for (unsigned int i = 0; i < count; i++) {
		const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
		char *longer = xasprintf("%s%s'%s'", text, sep, names[i]);

		free(text);
		text = longer;
	}
	return text;
}

/* "unknown hook 'file_opn'; did you mean 'file_open'?", or the list of what is known. */
static void unknown_word(struct importer *imp, const char *kind, const char *word,
			 const char *const *names, unsigned int count)
{
	const char *hint = diag_suggest(word, names, count);
	char *expected;

	if (hint) {
		import_error(imp, "unknown %s '%s'; did you mean '%s'?", kind, word, hint);
		return;
	}
	expected = alternatives(names, count);
	import_error(imp, "unknown %s '%s'; expected %s", kind, word, expected);
	free(expected);
}

static int word_lookup(const char *word, const char *const *names, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		if (strcmp(word, names[i]) == 0)
			return (int)i;
	return -1;
}

static bool expect_type(struct importer *imp, const json_t *value, json_type type)
{
	if (json_typeof(value) == type)
		return true;
	import_error(imp, "expected %s, got %s", type_desc(type), type_desc(json_typeof(value)));
	return false;
}

/* An object whose keys all belong to @keys: every other key is an error, and the caller goes on
 * reading the known ones so that one pass reports every mistake. False when not an object. */
static bool expect_object(struct importer *imp, json_t *obj, const char *const *keys,
			  unsigned int count)
{
	const char *key;
	json_t *value;

	if (!expect_type(imp, obj, JSON_OBJECT))
		return false;
	json_object_foreach(obj, key, value) {
		if (count == 0)
			import_error(imp, "unknown key '%s'; expected none", key);
		else if (word_lookup(key, keys, count) < 0)
			unknown_word(imp, "key", key, keys, count);
		else
			continue;
		imp->misspelt = obj;
	}
	return true;
}

/* A one-key object {"name": value} whose key is one of @names: returns the key's index and its
 * value, or -1. */
static int expect_selector(struct importer *imp, json_t *obj, const char *kind,
			   const char *const *names, unsigned int count, json_t **value)
{
	const char *key;
	char *expected;
	void *iter;
	int index;

	if (!expect_type(imp, obj, JSON_OBJECT))
		return -1;
	if (json_object_size(obj) != 1) {
		expected = alternatives(names, count);
		import_error(imp, "expected a single key (%s), got %zu keys", expected,
			     json_object_size(obj));
		free(expected);
		return -1;
	}
	iter = json_object_iter(obj);
	key = json_object_iter_key(iter);
	*value = json_object_iter_value(iter);
	index = word_lookup(key, names, count);
	if (index < 0)
		unknown_word(imp, kind, key, names, count);
	return index;
}

/* --- members of an object ------------------------------------------------------------------ */

/* A required key is missing: unless the object has an unknown key, which is likely the same one
 * misspelt and already reported. */
static void missing(struct importer *imp, const json_t *obj, const char *key, bool required)
{
	if (!required)
		return;
	if (imp->misspelt == obj)
		imp->errors++;
	else
		import_error(imp, "missing key '%s'", key);
}

/* Each getter returns 1 when the member is there and valid, 0 when it is absent (an error when
 * @required) and -1 on an error. Errors name the member's path. */

static int member(struct importer *imp, json_t *obj, const char *key, bool required,
		  json_type type, json_t **value)
{
	size_t mark;
	bool ok;

	*value = json_object_get(obj, key);
	if (!*value) {
		missing(imp, obj, key, required);
		return required ? -1 : 0;
	}
	mark = path_key(imp, key);
	ok = expect_type(imp, *value, type);
	path_pop(imp, mark);
	return ok ? 1 : -1;
}

static int get_string(struct importer *imp, json_t *obj, const char *key, bool required,
		      const char **text)
{
	json_t *value;
	int ret = member(imp, obj, key, required, JSON_STRING, &value);

	*text = ret > 0 ? json_string_value(value) : NULL;
	return ret;
}

/* A comment: a string on one line, as the text form writes it between quotes. */
static int get_comment(struct importer *imp, json_t *obj, const char **comment)
{
	int ret = get_string(imp, obj, "comment", false, comment);
	size_t mark;

	if (ret > 0 && strpbrk(*comment, "\n\r")) {
		mark = path_key(imp, "comment");
		import_error(imp, "a comment is one line: no line breaks");
		path_pop(imp, mark);
		*comment = NULL;
		return -1;
	}
	return ret;
}

/* A name: a non-empty string. */
static int get_name(struct importer *imp, json_t *obj, const char *key, const char **name)
{
	int ret = get_string(imp, obj, key, true, name);
	size_t mark;

	if (ret > 0 && (*name)[0] == '\0') {
		mark = path_key(imp, key);
		import_error(imp, "expected a non-empty name");
		path_pop(imp, mark);
		return -1;
	}
	return ret;
}

static bool integer_value(struct importer *imp, const json_t *value, uint64_t *number)
{
	if (!expect_type(imp, value, JSON_INTEGER))
		return false;
	if (json_integer_value(value) < 0) {
		import_error(imp, "expected a non-negative integer, got %" JSON_INTEGER_FORMAT,
			     json_integer_value(value));
		return false;
	}
	*number = (uint64_t)json_integer_value(value);
	return true;
}

static int get_number(struct importer *imp, json_t *obj, const char *key, bool required,
		      uint64_t *number)
{
	json_t *value = json_object_get(obj, key);
	size_t mark;
	bool ok;

	if (!value) {
		missing(imp, obj, key, required);
		return required ? -1 : 0;
	}
	mark = path_key(imp, key);
	ok = integer_value(imp, value, number);
	path_pop(imp, mark);
	return ok ? 1 : -1;
}

/* A string member that must be one of @names: returns its index in *index. */
static int get_word(struct importer *imp, json_t *obj, const char *key, bool required,
		    const char *kind, const char *const *names, unsigned int count, int *index)
{
	const char *word;
	int ret = get_string(imp, obj, key, required, &word);
	size_t mark;

	if (ret <= 0)
		return ret;
	*index = word_lookup(word, names, count);
	if (*index >= 0)
		return 1;
	mark = path_key(imp, key);
	unknown_word(imp, kind, word, names, count);
	path_pop(imp, mark);
	return -1;
}

/* --- values -------------------------------------------------------------------------------- */

/* A literal: a string or a non-negative integer. Inside a set a string starting with '@' would be
 * a set reference, which a set cannot hold. */
static struct value *import_value(struct importer *imp, const json_t *json, bool in_set)
{
	const char *text;
	uint64_t number;
	char *spelling;
	struct value *value;

	if (json_is_integer(json)) {
		if (!integer_value(imp, json, &number))
			return NULL;
		spelling = xasprintf("%" PRIu64, number);
		value = value_new(VALUE_NUMBER, spelling, number, &imp->loc);
		free(spelling);
		return value;
	}
	if (!json_is_string(json)) {
		import_error(imp, "expected a string or an integer, got %s",
			     type_desc(json_typeof(json)));
		return NULL;
	}
	text = json_string_value(json);
	if (in_set && text[0] == '@') {
		import_error(imp, "a set cannot hold the set reference '%s'", text);
		return NULL;
	}
	return value_new(VALUE_STRING, text, 0, &imp->loc);
}

/* The elements of a named or anonymous set, appended to @values. */
static bool import_elements(struct importer *imp, const json_t *array, struct list_head *values)
{
	unsigned int errors = imp->errors;
	struct value *value;
	json_t *json;
	size_t i, mark;

	json_array_foreach(array, i, json) {
		mark = path_index(imp, i);
		value = import_value(imp, json, true);
		if (value)
			list_add_tail(&value->list, values);
		path_pop(imp, mark);
	}
	return imp->errors == errors;
}

/* --- objects ------------------------------------------------------------------------------- */

static const char *const verdict_names[] = { "accept", "deny" };
static const enum verdict verdicts[] = { VERDICT_ACCEPT, VERDICT_DENY };
static const char *const mode_names[] = { [MODE_ENFORCE] = "enforce", [MODE_AUDIT] = "audit" };
static const char *const op_names[] = { [OP_EQ] = "==", [OP_NEQ] = "!=" };

static struct cmd *new_cmd(struct importer *imp, enum cmd_op op, enum cmd_object object,
			   const char *table)
{
	struct cmd *cmd = cmd_new(op, object, &imp->loc);

	cmd->target.table = xstrdup(table);
	cmd->target.table_loc = imp->loc;
	cmd->target.chain_loc = imp->loc;
	cmd->target.set_loc = imp->loc;
	cmd->target.handle_loc = imp->loc;
	cmd->target.position_loc = imp->loc;
	return cmd;
}

static struct cmd *import_table(struct importer *imp, json_t *obj)
{
	static const char *const keys[] = { "name", "handle", "mode", "comment" };
	unsigned int errors = imp->errors;
	const char *name, *comment = NULL;
	uint64_t handle = 0;
	int mode = MODE_ENFORCE, has_mode;
	struct cmd *cmd;

	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return NULL;
	get_name(imp, obj, "name", &name);
	get_number(imp, obj, "handle", false, &handle);
	has_mode = get_word(imp, obj, "mode", false, "mode", mode_names, COUNT(mode_names), &mode);
	get_comment(imp, obj, &comment);
	if (imp->errors != errors)
		return NULL;
	cmd = new_cmd(imp, CMD_ADD, CMD_OBJ_TABLE, name);
	cmd->table = table_new(name, &imp->loc);
	cmd->table->comment = xstrdup(comment);
	cmd->table->handle = handle;
	cmd->table->mode = (enum table_mode)mode;
	cmd->table->has_mode = has_mode > 0;
	return cmd;
}

static struct cmd *import_set(struct importer *imp, json_t *obj)
{
	static const char *const keys[] = { "table", "name", "handle", "type", "elem", "comment" };
	unsigned int errors = imp->errors;
	const char *table, *name, *comment = NULL;
	uint64_t handle = 0;
	int type = 0;
	json_t *elem;
	struct set *set;
	struct cmd *cmd;
	size_t mark;

	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return NULL;
	get_name(imp, obj, "table", &table);
	get_name(imp, obj, "name", &name);
	get_number(imp, obj, "handle", false, &handle);
	get_word(imp, obj, "type", true, "set type", set_type_names, SET_TYPE_COUNT, &type);
	get_comment(imp, obj, &comment);
	set = set_new(name, &imp->loc);
	set->comment = xstrdup(comment);
	if (member(imp, obj, "elem", false, JSON_ARRAY, &elem) > 0) {
		mark = path_key(imp, "elem");
		import_elements(imp, elem, &set->elements);
		path_pop(imp, mark);
	}
	if (imp->errors != errors) {
		set_free(set);
		return NULL;
	}
	set->handle = handle;
	set->type = (enum set_type)type;
	cmd = new_cmd(imp, CMD_ADD, CMD_OBJ_SET, table);
	cmd->target.set = xstrdup(name);
	cmd->set = set;
	return cmd;
}

static struct cmd *import_chain(struct importer *imp, json_t *obj)
{
	static const char *const keys[] = { "table", "name", "handle", "hook", "policy", "comment" };
	unsigned int errors = imp->errors;
	const char *table, *name, *comment = NULL, *hook_names[HOOK_COUNT];
	uint64_t handle = 0;
	int hook = 0, policy = 0, has_hook, has_policy;
	struct cmd *cmd;

	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return NULL;
	get_name(imp, obj, "table", &table);
	get_name(imp, obj, "name", &name);
	get_number(imp, obj, "handle", false, &handle);
	hook_name_list(hook_names);
	has_hook = get_word(imp, obj, "hook", false, "hook", hook_names, HOOK_COUNT, &hook);
	has_policy = get_word(imp, obj, "policy", false, "policy", verdict_names,
			      COUNT(verdict_names), &policy);
	if (has_policy > 0 && has_hook == 0)
		import_error(imp, "a chain without a hook has no policy: add \"hook\" or remove \"policy\"");
	get_comment(imp, obj, &comment);
	if (imp->errors != errors)
		return NULL;
	cmd = new_cmd(imp, CMD_ADD, CMD_OBJ_CHAIN, table);
	cmd->target.chain = xstrdup(name);
	cmd->chain = chain_new(name, &imp->loc);
	cmd->chain->handle = handle;
	cmd->chain->has_hook = has_hook > 0;
	cmd->chain->hook = (enum hook_type)hook;
	cmd->chain->comment = xstrdup(comment);
	if (has_policy > 0)
		cmd->chain->policy = verdicts[policy];
	return cmd;
}

/* The right-hand side of a match: "literal", 42, "@set" or {"set": [...]}. */
static void import_right(struct importer *imp, json_t *right, struct match *match)
{
	static const char *const keys[] = { "set" };
	struct value *value;
	const char *text;
	json_t *elem;

	if (json_is_string(right) && (text = json_string_value(right))[0] == '@') {
		if (text[1] == '\0')
			import_error(imp, "expected a set name after '@'");
		else
			match->set_name = xstrdup(text + 1);
		return;
	}
	if (json_is_object(right)) {
		if (!expect_object(imp, right, keys, COUNT(keys)) ||
		    member(imp, right, "set", true, JSON_ARRAY, &elem) < 0)
			return;
		path_key(imp, "set");
		match->braces = true;
		/* as in the text form: a match on nothing is a mistake, and would list as "{ }" */
		if (json_array_size(elem) == 0)
			import_error(imp, "empty set of values in match");
		import_elements(imp, elem, &match->values);
		return;
	}
	if (!json_is_string(right) && !json_is_integer(right)) {
		import_error(imp, "expected a string, an integer or {\"set\": [...]}, got %s",
			     type_desc(json_typeof(right)));
		return;
	}
	value = import_value(imp, right, false);
	if (value)
		list_add_tail(&value->list, &match->values);
}

static struct match *import_match(struct importer *imp, json_t *obj)
{
	static const char *const keys[] = { "op", "field", "right" };
	const char *fields[FIELD_COUNT];
	unsigned int errors = imp->errors;
	int op = 0, field = 0;
	struct match *match;
	json_t *right;
	size_t mark;

	for (unsigned int i = 0; i < FIELD_COUNT; i++)
		fields[i] = field_name((enum match_field)i);
	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return NULL;
	get_word(imp, obj, "op", true, "operator", op_names, COUNT(op_names), &op);
	get_word(imp, obj, "field", true, "field", fields, FIELD_COUNT, &field);
	match = match_new((enum match_field)field, &imp->loc);
	match->op = (enum match_op)op;
	right = json_object_get(obj, "right");
	if (right) {
		mark = path_key(imp, "right");
		import_right(imp, right, match);
		path_pop(imp, mark);
	} else {
		missing(imp, obj, "right", true);
	}
	if (imp->errors != errors) {
		match_free(match);
		return NULL;
	}
	return match;
}

/* {"vmap": {"field": "exe", "data": [["/usr/bin/curl", "deny"], ...]}}: a verdict map, a match
 * whose keys each carry a verdict. */
static struct match *import_vmap(struct importer *imp, json_t *obj)
{
	static const char *const keys[] = { "field", "data" };
	const char *fields[FIELD_COUNT];
	unsigned int errors = imp->errors;
	struct match *match;
	struct value *value;
	json_t *data, *pair;
	size_t i, mark, item;
	int field = 0, verdict;

	for (unsigned int f = 0; f < FIELD_COUNT; f++)
		fields[f] = field_name((enum match_field)f);
	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return NULL;
	get_word(imp, obj, "field", true, "field", fields, FIELD_COUNT, &field);
	match = match_new((enum match_field)field, &imp->loc);
	match->vmap = true;
	match->braces = true;
	if (member(imp, obj, "data", true, JSON_ARRAY, &data) > 0) {
		mark = path_key(imp, "data");
		if (json_array_size(data) == 0)
			import_error(imp, "an empty verdict map: expected [key, verdict] pairs");
		json_array_foreach(data, i, pair) {
			item = path_index(imp, i);
			if (!json_is_array(pair) || json_array_size(pair) != 2) {
				import_error(imp, "expected a [key, verdict] pair, got %s",
					     json_is_array(pair) ? "an array of another size" :
					     type_desc(json_typeof(pair)));
				path_pop(imp, item);
				continue;
			}
			value = import_value(imp, json_array_get(pair, 0), true);
			verdict = -1;
			if (!json_is_string(json_array_get(pair, 1)))
				import_error(imp, "expected a verdict (accept or deny), got %s",
					     type_desc(json_typeof(json_array_get(pair, 1))));
			else if ((verdict = word_lookup(json_string_value(json_array_get(pair, 1)),
						       verdict_names, COUNT(verdict_names))) < 0)
				unknown_word(imp, "verdict", json_string_value(json_array_get(pair, 1)),
					     verdict_names, COUNT(verdict_names));
			if (value && verdict >= 0) {
				value->verdict = verdicts[verdict];
				list_add_tail(&value->list, &match->values);
			} else if (value) {
				value_free(value);
			}
			path_pop(imp, item);
		}
		path_pop(imp, mark);
	}
	if (imp->errors != errors) {
		match_free(match);
		return NULL;
	}
	return match;
}

enum statement {
	STMT_MATCH,
	STMT_VMAP,
	STMT_COUNTER,
	STMT_LOG,
	STMT_ACCEPT,
	STMT_DENY,
};

static const char *const statement_names[] = {
	[STMT_MATCH] = "match",
	[STMT_VMAP] = "vmap",
	[STMT_COUNTER] = "counter",
	[STMT_LOG] = "log",
	[STMT_ACCEPT] = "accept",
	[STMT_DENY] = "deny",
};

/* null or an object with @keys: {"counter": null} is {"counter": {}}. */
static bool statement_args(struct importer *imp, json_t *args, const char *const *keys,
			   unsigned int count)
{
	if (json_is_null(args))
		return true;
	if (!json_is_object(args)) {
		import_error(imp, "expected null or an object, got %s", type_desc(json_typeof(args)));
		return false;
	}
	return expect_object(imp, args, keys, count);
}

/* Statements follow the model's order: matches, then counter and log, then the verdict. */
static void import_statement(struct importer *imp, json_t *stmt, struct rule *rule)
{
	static const char *const counter_keys[] = { "hits" };
	bool after_matches = rule->counter || rule->log || rule->verdict != VERDICT_NONE;
	struct match *match;
	json_t *args;
	size_t mark;
	int kind;

	kind = expect_selector(imp, stmt, "statement", statement_names, COUNT(statement_names),
			       &args);
	if (kind < 0)
		return;
	if (rule->verdict != VERDICT_NONE) {
		import_error(imp, "nothing may follow the verdict '%s'", verdict_name(rule->verdict));
		return;
	}
	mark = path_key(imp, statement_names[kind]);
	switch ((enum statement)kind) {
	case STMT_MATCH:
	case STMT_VMAP:
		match = kind == STMT_VMAP ? import_vmap(imp, args) : import_match(imp, args);
		if (match)
			list_add_tail(&match->list, &rule->matches);
		if (match && after_matches)
			import_error(imp, "a %s must come before counter, log and the verdict",
				     statement_names[kind]);
		break;
	case STMT_COUNTER:
		if (rule->counter)
			import_error(imp, "a rule has one counter at most");
		if (statement_args(imp, args, counter_keys, COUNT(counter_keys)) &&
		    json_is_object(args))
			get_number(imp, args, "hits", false, &rule->counter_hits);
		rule->counter = true;
		break;
	case STMT_LOG:
		if (rule->log)
			import_error(imp, "a rule has one log at most");
		statement_args(imp, args, NULL, 0);
		rule->log = true;
		break;
	case STMT_ACCEPT:
	case STMT_DENY:
		expect_type(imp, args, JSON_NULL);
		rule->verdict = verdicts[kind - STMT_ACCEPT];
		break;
	}
	path_pop(imp, mark);
}

/* A rule to add (at the end, or after "position"), insert (at the start, or before "position")
 * or replace (the one with "handle"). In a listing, "handle" is the rule's own. */
static struct cmd *import_rule(struct importer *imp, enum cmd_op op, json_t *obj)
{
	static const char *const keys[] = { "table", "chain", "handle", "position", "expr",
					    "comment" };
	unsigned int errors = imp->errors;
	const char *table, *chain, *comment;
	uint64_t handle = 0, position = 0;
	int has_position;
	struct rule *rule;
	struct cmd *cmd;
	json_t *expr, *stmt;
	size_t i, mark;

	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return NULL;
	get_name(imp, obj, "table", &table);
	get_name(imp, obj, "chain", &chain);
	rule = rule_new(&imp->loc);
	if (get_number(imp, obj, "handle", op == CMD_REPLACE, &handle) > 0 && op == CMD_REPLACE &&
	    handle == 0) {
		mark = path_key(imp, "handle");
		import_error(imp, "expected a rule handle, a positive integer");
		path_pop(imp, mark);
	}
	has_position = get_number(imp, obj, "position", false, &position);
	if (has_position > 0 && position == 0) {
		mark = path_key(imp, "position");
		import_error(imp, "expected a rule handle, a positive integer");
		path_pop(imp, mark);
	}
	if (op == CMD_REPLACE && has_position > 0) {
		mark = path_key(imp, "position");
		import_error(imp, "replace takes the handle of the rule to replace, not a position");
		path_pop(imp, mark);
	}
	if (member(imp, obj, "expr", true, JSON_ARRAY, &expr) > 0) {
		mark = path_key(imp, "expr");
		/* a comment alone does nothing, and the text form cannot write it as a rule */
		if (json_array_size(expr) == 0)
			import_error(imp, "empty rule: expected a match, a statement or a verdict");
		json_array_foreach(expr, i, stmt) {
			size_t item = path_index(imp, i);

			import_statement(imp, stmt, rule);
			path_pop(imp, item);
		}
		path_pop(imp, mark);
	}
	if (get_comment(imp, obj, &comment) > 0)
		rule->comment = xstrdup(comment);
	if (imp->errors != errors) {
		rule_free(rule);
		return NULL;
	}
	cmd = new_cmd(imp, op, CMD_OBJ_RULE, table);
	cmd->target.chain = xstrdup(chain);
	if (op == CMD_REPLACE)
		cmd->target.handle = handle;
	else
		rule->handle = handle;
	cmd->target.position = position;
	cmd->target.has_position = has_position > 0;
	cmd->rule = rule;
	return cmd;
}

/* {"table": "host", "name": "shells", "elem": [...]}: elements to add to or delete from a set. */
static struct cmd *import_element(struct importer *imp, enum cmd_op op, json_t *obj)
{
	static const char *const keys[] = { "table", "name", "elem" };
	unsigned int errors = imp->errors;
	const char *table, *name;
	struct set *set;
	struct cmd *cmd;
	json_t *elem;
	size_t mark;

	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return NULL;
	get_name(imp, obj, "table", &table);
	get_name(imp, obj, "name", &name);
	set = set_new(name, &imp->loc);
	if (member(imp, obj, "elem", true, JSON_ARRAY, &elem) > 0) {
		mark = path_key(imp, "elem");
		import_elements(imp, elem, &set->elements);
		path_pop(imp, mark);
	}
	if (imp->errors != errors) {
		set_free(set);
		return NULL;
	}
	cmd = new_cmd(imp, op, CMD_OBJ_ELEMENT, table);
	cmd->target.set = xstrdup(name);
	cmd->set = set;
	return cmd;
}

/* --- commands ------------------------------------------------------------------------------ */

static const char *const add_names[] = { "table", "set", "chain", "rule", "element" };
static const char *const rule_names[] = { "rule" };
static const char *const delete_names[] = { "table", "chain", "set", "rule", "element" };
static const char *const flush_names[] = { "ruleset", "table", "chain", "set" };

static struct cmd *import_add(struct importer *imp, const char *object, json_t *obj)
{
	if (strcmp(object, "table") == 0)
		return import_table(imp, obj);
	if (strcmp(object, "set") == 0)
		return import_set(imp, obj);
	if (strcmp(object, "chain") == 0)
		return import_chain(imp, obj);
	if (strcmp(object, "element") == 0)
		return import_element(imp, CMD_ADD, obj);
	return import_rule(imp, CMD_ADD, obj);
}

/* delete and flush name their object: {"name"} for a table, {"table", "name"} for a chain or a
 * set, {"table", "chain", "handle"} for a rule, null for the ruleset. */
static struct cmd *import_target(struct importer *imp, enum cmd_op op, const char *object,
				 json_t *obj)
{
	static const char *const table_keys[] = { "name" };
	static const char *const named_keys[] = { "table", "name" };
	static const char *const rule_keys[] = { "table", "chain", "handle" };
	unsigned int errors = imp->errors;
	const char *table = NULL, *name = NULL;
	uint64_t handle = 0;
	struct cmd *cmd;
	size_t mark;

	if (strcmp(object, "ruleset") == 0) {
		if (!expect_type(imp, obj, JSON_NULL))
			return NULL;
		return new_cmd(imp, op, CMD_OBJ_RULESET, NULL);
	}
	if (strcmp(object, "element") == 0)
		return import_element(imp, op, obj);
	if (strcmp(object, "table") == 0) {
		if (expect_object(imp, obj, table_keys, COUNT(table_keys)))
			get_name(imp, obj, "name", &table);
	} else if (strcmp(object, "rule") == 0) {
		if (expect_object(imp, obj, rule_keys, COUNT(rule_keys))) {
			get_name(imp, obj, "table", &table);
			get_name(imp, obj, "chain", &name);
			if (get_number(imp, obj, "handle", true, &handle) > 0 && handle == 0) {
				mark = path_key(imp, "handle");
				import_error(imp, "expected a rule handle, a positive integer");
				path_pop(imp, mark);
			}
		}
	} else if (expect_object(imp, obj, named_keys, COUNT(named_keys))) {
		get_name(imp, obj, "table", &table);
		get_name(imp, obj, "name", &name);
	}
	if (imp->errors != errors)
		return NULL;
	if (strcmp(object, "table") == 0)
		return new_cmd(imp, op, CMD_OBJ_TABLE, table);
	if (strcmp(object, "set") == 0) {
		cmd = new_cmd(imp, op, CMD_OBJ_SET, table);
		cmd->target.set = xstrdup(name);
		return cmd;
	}
	cmd = new_cmd(imp, op, strcmp(object, "rule") == 0 ? CMD_OBJ_RULE : CMD_OBJ_CHAIN, table);
	cmd->target.chain = xstrdup(name);
	cmd->target.handle = handle;
	return cmd;
}

/* {"add": {"rule": {...}}}, {"delete": {...}}, {"flush": {...}} */
static struct cmd *import_command(struct importer *imp, enum cmd_op op, const char *op_name,
				  json_t *wrapper)
{
	static const char *const *const names[] = {
		[CMD_ADD] = add_names, [CMD_INSERT] = rule_names, [CMD_REPLACE] = rule_names,
		[CMD_DELETE] = delete_names, [CMD_FLUSH] = flush_names,
	};
	static const unsigned int counts[] = {
		[CMD_ADD] = COUNT(add_names), [CMD_INSERT] = COUNT(rule_names),
		[CMD_REPLACE] = COUNT(rule_names), [CMD_DELETE] = COUNT(delete_names),
		[CMD_FLUSH] = COUNT(flush_names),
	};
	struct cmd *cmd = NULL;
	json_t *obj;
	size_t mark = path_key(imp, op_name);
	int index;

	index = expect_selector(imp, wrapper, "object", names[op], counts[op], &obj);
	if (index >= 0) {
		path_key(imp, names[op][index]);
		if (op == CMD_ADD)
			cmd = import_add(imp, names[op][index], obj);
		else if (op == CMD_INSERT || op == CMD_REPLACE)
			cmd = import_rule(imp, op, obj);
		else
			cmd = import_target(imp, op, names[op][index], obj);
	}
	path_pop(imp, mark);
	return cmd;
}

static void import_metainfo(struct importer *imp, json_t *obj)
{
	static const char *const keys[] = { "version", "json_schema_version" };
	uint64_t version;
	const char *release;
	size_t mark;

	if (!expect_object(imp, obj, keys, COUNT(keys)))
		return;
	get_string(imp, obj, "version", false, &release);
	if (get_number(imp, obj, "json_schema_version", false, &version) <= 0)
		return;
	mark = path_key(imp, "json_schema_version");
	if (version > ENDURA_JSON_SCHEMA_VERSION)
		import_error(imp, "schema version %" PRIu64 " is newer than this version of "
			     "Endura reads (%d): upgrade Endura", version, ENDURA_JSON_SCHEMA_VERSION);
	else if (version == 0)
		import_error(imp, "expected a schema version from 1 to %d, got 0",
			     ENDURA_JSON_SCHEMA_VERSION);
	path_pop(imp, mark);
}

enum entry {
	ENTRY_METAINFO,
	ENTRY_TABLE,
	ENTRY_SET,
	ENTRY_CHAIN,
	ENTRY_RULE,
	ENTRY_ADD,
	ENTRY_INSERT,
	ENTRY_REPLACE,
	ENTRY_DELETE,
	ENTRY_FLUSH,
};

static const char *const entry_names[] = {
	[ENTRY_METAINFO] = "metainfo",
	[ENTRY_TABLE] = "table",
	[ENTRY_SET] = "set",
	[ENTRY_CHAIN] = "chain",
	[ENTRY_RULE] = "rule",
	[ENTRY_ADD] = "add",
	[ENTRY_INSERT] = "insert",
	[ENTRY_REPLACE] = "replace",
	[ENTRY_DELETE] = "delete",
	[ENTRY_FLUSH] = "flush",
};

/* One entry of the list: metainfo, a plain object (add) or a command wrapper. */
static struct cmd *import_entry(struct importer *imp, json_t *entry)
{
	json_t *obj;
	int kind = expect_selector(imp, entry, "object", entry_names, COUNT(entry_names), &obj);
	struct cmd *cmd = NULL;
	size_t mark;

	switch (kind) {
	case ENTRY_METAINFO:
		mark = path_key(imp, entry_names[kind]);
		import_metainfo(imp, obj);
		path_pop(imp, mark);
		break;
	case ENTRY_TABLE:
	case ENTRY_SET:
	case ENTRY_CHAIN:
	case ENTRY_RULE:
		mark = path_key(imp, entry_names[kind]);
		cmd = import_add(imp, entry_names[kind], obj);
		path_pop(imp, mark);
		break;
	case ENTRY_ADD:
		cmd = import_command(imp, CMD_ADD, entry_names[kind], obj);
		break;
	case ENTRY_INSERT:
		cmd = import_command(imp, CMD_INSERT, entry_names[kind], obj);
		break;
	case ENTRY_REPLACE:
		cmd = import_command(imp, CMD_REPLACE, entry_names[kind], obj);
		break;
	case ENTRY_DELETE:
		cmd = import_command(imp, CMD_DELETE, entry_names[kind], obj);
		break;
	case ENTRY_FLUSH:
		cmd = import_command(imp, CMD_FLUSH, entry_names[kind], obj);
		break;
	}
	return cmd;
}

static void importer_init(struct importer *imp, struct parse_ctx *ctx, const struct input *input)
{
	*imp = (struct importer){ .ctx = ctx, .loc = { .input = input } };
	init_list_head(&imp->cmds);
	imp->path = xzalloc(imp->path_size = 64);
}

/* Entry @index of the list; false once there are too many errors to go on. */
static bool importer_entry(struct importer *imp, size_t index, json_t *entry)
{
	size_t item = path_index(imp, index);
	struct cmd *cmd = import_entry(imp, entry);

	if (cmd)
		list_add_tail(&cmd->list, &imp->cmds);
	path_pop(imp, item);
	return imp->errors < DIAG_MAX_ERRORS;
}

static int importer_finish(struct importer *imp)
{
	free(imp->path);
	if (imp->errors) {
		cmd_list_free(&imp->cmds);
		return -1;
	}
	list_splice_tail_init(&imp->cmds, &imp->ctx->cmds);
	return 0;
}

static int import_document(struct parse_ctx *ctx, const struct input *input, json_t *root)
{
	static const char *const keys[] = { "endura" };
	struct importer imp;
	json_t *list, *entry;
	size_t i, mark;

	importer_init(&imp, ctx, input);
	if (!json_is_object(root))
		import_error(&imp, "expected {\"endura\": [...]}, got %s",
			     type_desc(json_typeof(root)));
	else if (expect_object(&imp, root, keys, COUNT(keys)) &&
		 member(&imp, root, "endura", true, JSON_ARRAY, &list) > 0) {
		mark = path_key(&imp, "endura");
		json_array_foreach(list, i, entry)
			if (!importer_entry(&imp, i, entry))
				break;
		path_pop(&imp, mark);
	}
	return importer_finish(&imp);
}

struct json_stream {
	struct importer imp;
	size_t next;		/* the index of the next entry */
};

/* --- inputs -------------------------------------------------------------------------------- */

/* Kept in ctx->inputs, freed with them by parse_ctx_free(). */
static struct input *add_input(struct parse_ctx *ctx, const char *name, char *text)
{
	struct input *input = xzalloc(sizeof(*input));

	input->name = xstrdup(name);
	input->text = text;
	list_add_tail(&input->list, &ctx->inputs);
	return input;
}

/* Line and 1-based byte column of @offset in @text. */
static void locate(const char *text, size_t offset, unsigned int *line, unsigned int *column)
{
	size_t start = 0;

	*line = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*column = (unsigned int)(offset - start) + 1;
}

/* jansson reports the byte offset just past the offending token and the token itself ("invalid
 * token near 'x'"): the location covers the token, or the place where the text ended. */
static void syntax_error(struct parse_ctx *ctx, const struct input *input,
			 const json_error_t *error)
{
	const char *text = input->text, *near = strstr(error->text, " near '");
	size_t len = strlen(text), end = error->position > 0 ? (size_t)error->position : 0;
	size_t first, last, token = 0;
	struct location loc = { .input = input };

	if (end > len)
		end = len;
	if (near && strlen(near) >= 8 && near[strlen(near) - 1] == '\'') {
		token = strlen(near) - 8;
		if (token > end || memcmp(text + end - token, near + 7, token) != 0)
			token = 0;
	}
	if (token) {
		first = end - token;
		last = end - 1;
	} else if (!near && end == len) {
		/* The text ended too early: point just past its last character, blank lines
		 * left aside. */
		while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
			end--;
		first = last = end;
	} else {
		first = last = end > 0 ? end - 1 : 0;
	}
	locate(text, first, &loc.first_line, &loc.first_column);
	locate(text, last, &loc.last_line, &loc.last_column);
	diag_error(ctx->diags, &loc, "JSON syntax error: %s", error->text);
}

int json_import_text(struct parse_ctx *ctx, const char *name, const char *text)
{
	struct input *input = add_input(ctx, name, xstrdup(text));
	json_error_t error;
	json_t *root;
	int ret;

	root = json_loads(input->text, JSON_REJECT_DUPLICATES, &error);
	if (!root) {
		syntax_error(ctx, input, &error);
		return -1;
	}
	ret = import_document(ctx, input, root);
	json_decref(root);
	return ret;
}

int json_import_path(struct parse_ctx *ctx, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	size_t len = 0;
	char *text = read_whole_file(path, &len);
	int ret;

	if (!text) {
		if (is_stdin)
			diag_error(ctx->diags, NULL, "cannot read standard input: %s", strerror(errno));
		else
			diag_error(ctx->diags, NULL, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (strlen(text) != len) {
		diag_error(ctx->diags, NULL, "cannot read '%s': a JSON policy holds no NUL byte",
			   is_stdin ? "<stdin>" : path);
		free(text);
		return -1;
	}
	ret = json_import_text(ctx, is_stdin ? "<stdin>" : path, text);
	free(text);
	return ret;
}

struct json_stream *json_stream_open(struct parse_ctx *ctx, const char *name)
{
	struct json_stream *stream = xzalloc(sizeof(*stream));

	importer_init(&stream->imp, ctx, add_input(ctx, name, xstrdup("")));
	path_key(&stream->imp, "endura");
	return stream;
}

void json_stream_entry(struct json_stream *stream, json_t *entry)
{
	/* past too many errors the rest is read and left alone, as in a whole document */
	if (stream->imp.errors < DIAG_MAX_ERRORS)
		importer_entry(&stream->imp, stream->next, entry);
	stream->next++;
}

int json_stream_close(struct json_stream *stream)
{
	int ret = importer_finish(&stream->imp);

	free(stream);
	return ret;
}

/* The document has no text of its own: the input keeps its compact form. */
int json_import(struct parse_ctx *ctx, const char *name, json_t *root)
{
	char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	struct input *input = add_input(ctx, name, text ? text : xstrdup(""));

	return import_document(ctx, input, root);
}
