// SPDX-License-Identifier: GPL-2.0-only
/* The JSON printer: the ruleset and commands as {"endura": [...]}, in the shape nft -j uses.
 *
 * Output is deterministic: objects are built key by key in a fixed order (jansson keeps insertion
 * order), and lists follow the model's lists. Dump with JSON_COMPACT | JSON_PRESERVE_ORDER to get
 * the text the golden files hold. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "version.h"
#include "xalloc.h"


/* Commands carry handles and counter values only where they are set, whatever the print flags. */
#define EXPORT_CMDS (1u << 31)

static const char *const cmd_op_names[] = {
	[CMD_ADD] = "add",
	[CMD_INSERT] = "insert",
	[CMD_REPLACE] = "replace",
	[CMD_DELETE] = "delete",
	[CMD_FLUSH] = "flush",
};

static const char *const cmd_object_names[] = {
	[CMD_OBJ_RULESET] = "ruleset",
	[CMD_OBJ_TABLE] = "table",
	[CMD_OBJ_CHAIN] = "chain",
	[CMD_OBJ_SET] = "set",
	[CMD_OBJ_RULE] = "rule",
	[CMD_OBJ_ELEMENT] = "element",
};

/* {key: value}: the one-key objects every list entry and statement is made of. */
static json_t *wrap(const char *key, json_t *value)
{
	json_t *obj = json_object();

	json_object_set_new(obj, key, value);
	return obj;
}

/* The length of the valid UTF-8 sequence at @s, or 0: the rules jansson applies on input. */
static size_t utf8_sequence(const unsigned char *s)
{
	unsigned int len, code, first = s[0];

	if (first < 0x80)
		return 1;
	if (first >= 0xc2 && first <= 0xdf)
		len = 2, code = first & 0x1f;
	else if (first >= 0xe0 && first <= 0xef)
		len = 3, code = first & 0x0f;
	else if (first >= 0xf0 && first <= 0xf4)
		len = 4, code = first & 0x07;
	else
		return 0;
	for (unsigned int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		code = code << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && code < 0x800) || (len == 4 && (code < 0x10000 || code > 0x10ffff)) ||
	    (code >= 0xd800 && code <= 0xdfff))
		return 0;
	return len;
}

/* A JSON string. JSON cannot carry bytes that are not UTF-8: rather than lose the whole key, each
 * such byte becomes U+FFFD (the evaluator is where such text should be refused). */
static json_t *text_json(const char *text)
{
	json_t *json = json_string(text);
	const unsigned char *s = (const unsigned char *)text;
	char *copy, *out;

	if (json)
		return json;
	out = copy = xzalloc(3 * strlen(text) + 1);
	while (*s) {
		size_t len = utf8_sequence(s);

		if (len) {
			memcpy(out, s, len);
			out += len;
			s += len;
		} else {
			memcpy(out, "\xef\xbf\xbd", 3);
			out += 3;
			s++;
		}
	}
	json = json_string(copy);
	free(copy);
	return json;
}

static void put_string(json_t *obj, const char *key, const char *text)
{
	json_object_set_new(obj, key, text_json(text));
}

static void put_number(json_t *obj, const char *key, uint64_t number)
{
	json_object_set_new(obj, key, json_integer((json_int_t)number));
}

static bool show_number(uint64_t number, unsigned int flags)
{
	return (flags & EXPORT_CMDS) ? number != 0 : (flags & PRINT_HANDLES) != 0;
}

static void put_handle(json_t *obj, uint64_t handle, unsigned int flags)
{
	if (show_number(handle, flags))
		put_number(obj, "handle", handle);
}

/* A number too large for a JSON integer keeps its spelling as a string: nothing valid needs it, and
 * the evaluator reports it the same way it reports the text form. */
static json_t *value_json(const struct value *value)
{
	if (value->kind == VALUE_NUMBER) {
		if (value->number <= INT64_MAX)
			return json_integer((json_int_t)value->number);
		if (value->text)
			return text_json(value->text);
		return json_sprintf("%" PRIu64, value->number);
	}
	return text_json(value->text ? value->text : "");
}

static json_t *values_json(const struct list_head *values)
{
	const struct value *value;
	json_t *array = json_array();

	list_for_each_entry(value, values, list)
		json_array_append_new(array, value_json(value));
	return array;
}

static bool single_value(const struct list_head *values)
{
	return !list_empty(values) && values->next->next == values;
}

static json_t *match_json(const struct match *match)
{
	json_t *obj = json_object();
	json_t *right;

	put_string(obj, "op", match->op == OP_NEQ ? "!=" : "==");
	put_string(obj, "field", field_name(match->field));
	if (match->set_name) {
		char *reference = xasprintf("@%s", match->set_name);

		right = text_json(reference);
		free(reference);
	} else if (match->braces || !single_value(&match->values)) {
		right = wrap("set", values_json(&match->values));
	} else {
		right = value_json(list_first_entry(&match->values, struct value, list));
	}
	json_object_set_new(obj, "right", right);
	return wrap("match", obj);
}

/* {"vmap": {"field": "exe", "data": [["/usr/bin/curl", "deny"], ...]}} */
static json_t *vmap_json(const struct match *match)
{
	json_t *obj = json_object(), *data = json_array();
	const struct value *value;

	put_string(obj, "field", field_name(match->field));
	list_for_each_entry(value, &match->values, list)
		json_array_append_new(data, json_pack("[o,s]", value_json(value),
						      verdict_name(value->verdict)));
	json_object_set_new(obj, "data", data);
	return wrap("vmap", obj);
}

static json_t *expr_json(const struct rule *rule, unsigned int flags)
{
	json_t *expr = json_array();
	const struct match *match;

	list_for_each_entry(match, &rule->matches, list)
		json_array_append_new(expr, match->vmap ? vmap_json(match) : match_json(match));
	if (rule->counter) {
		json_t *counter = json_null();

		if (show_number(rule->counter_hits, flags) && !(flags & PRINT_STATELESS)) {
			counter = json_object();
			put_number(counter, "hits", rule->counter_hits);
		}
		json_array_append_new(expr, wrap("counter", counter));
	}
	if (rule->log)
		json_array_append_new(expr, wrap("log", json_null()));
	if (rule->verdict != VERDICT_NONE)
		json_array_append_new(expr, wrap(verdict_name(rule->verdict), json_null()));
	return expr;
}

/* The table object; a command leaves "mode" out when the input did not write it, so that adding
 * the table again keeps the mode in force. */
static json_t *table_json(const struct table *table, unsigned int flags)
{
	json_t *obj = json_object();

	put_string(obj, "name", table->name);
	put_handle(obj, table->handle, flags);
	if (table->has_mode || !(flags & EXPORT_CMDS))
		put_string(obj, "mode", mode_name(table->mode));
	if (table->comment)
		put_string(obj, "comment", table->comment);
	return wrap("table", obj);
}

/* {"table": "host", "name": "files", "handle": 3}: how sets, chains and rules start. */
static json_t *member_json(const char *table, const char *key, const char *name, uint64_t handle,
			   unsigned int flags)
{
	json_t *obj = json_object();

	put_string(obj, "table", table);
	put_string(obj, key, name);
	put_handle(obj, handle, flags);
	return obj;
}

static json_t *set_json(const char *table, const struct set *set, unsigned int flags)
{
	json_t *obj = member_json(table, "name", set->name, set->handle, flags);

	put_string(obj, "type", set_type_name(set->type));
	if (!list_empty(&set->elements) && !(flags & PRINT_TERSE))
		json_object_set_new(obj, "elem", values_json(&set->elements));
	if (set->comment)
		put_string(obj, "comment", set->comment);
	return wrap("set", obj);
}

static json_t *chain_json(const char *table, const struct chain *chain, unsigned int flags)
{
	json_t *obj = member_json(table, "name", chain->name, chain->handle, flags);

	if (chain->has_hook) {
		put_string(obj, "hook", hook_name(chain->hook));
		put_string(obj, "policy", verdict_name(chain->policy));
	}
	if (chain->comment)
		put_string(obj, "comment", chain->comment);
	return wrap("chain", obj);
}

static json_t *rule_json(const char *table, const char *chain, const struct rule *rule,
			 unsigned int flags)
{
	json_t *obj = member_json(table, "chain", chain, rule->handle, flags);

	json_object_set_new(obj, "expr", expr_json(rule, flags));
	if (rule->comment)
		put_string(obj, "comment", rule->comment);
	return wrap("rule", obj);
}

/* Where the entries of a document go: into @list, or one at a time to @emit. */
struct sink {
	json_t *list;
	void (*emit)(json_t *entry, void *data);
	void *data;
};

/* Appends @obj, inside a command wrapper {"add": obj} when @op is not NULL. */
static void append(struct sink *out, const char *op, json_t *obj)
{
	json_t *entry = op ? wrap(op, obj) : obj;

	if (out->emit)
		out->emit(entry, out->data);
	else
		json_array_append_new(out->list, entry);
}

static void append_rules(struct sink *out, const char *op, const char *table,
			 const struct chain *chain, unsigned int flags)
{
	const struct rule *rule;

	list_for_each_entry(rule, &chain->rules, list)
		append(out, op, rule_json(table, chain->name, rule, flags));
}

/* A table tree, flat: the table, its sets, then its chains. A listing gives the rules after all
 * the chains, as nft does; commands give each chain's rules right after it, the order in which
 * the text form numbers them, so that a handle means the same on both sides of the wire. */
static void append_table(struct sink *out, const char *op, const struct table *table,
			 unsigned int flags)
{
	const struct chain *chain;
	const struct set *set;

	append(out, op, table_json(table, flags));
	list_for_each_entry(set, &table->sets, list)
		append(out, op, set_json(table->name, set, flags));
	list_for_each_entry(chain, &table->chains, list) {
		append(out, op, chain_json(table->name, chain, flags));
		if (flags & EXPORT_CMDS)
			append_rules(out, op, table->name, chain, flags);
	}
	if (!(flags & EXPORT_CMDS))
		list_for_each_entry(chain, &table->chains, list)
			append_rules(out, op, table->name, chain, flags);
}

/* The document's first entry. */
static void append_metainfo(struct sink *out)
{
	json_t *meta = json_object();

	put_string(meta, "version", ENDURA_VERSION);
	put_number(meta, "json_schema_version", ENDURA_JSON_SCHEMA_VERSION);
	append(out, NULL, wrap("metainfo", meta));
}

static void export_ruleset(struct sink *out, const struct ruleset *ruleset, unsigned int flags)
{
	const struct table *table;

	append_metainfo(out);
	list_for_each_entry(table, &ruleset->tables, list)
		append_table(out, NULL, table, flags & ~EXPORT_CMDS);
}

json_t *json_export_ruleset(const struct ruleset *ruleset, unsigned int flags)
{
	struct sink out = { .list = json_array() };

	export_ruleset(&out, ruleset, flags);
	return wrap("endura", out.list);
}

void json_export_ruleset_each(const struct ruleset *ruleset, unsigned int flags,
			      void (*emit)(json_t *entry, void *data), void *data)
{
	struct sink out = { .emit = emit, .data = data };

	export_ruleset(&out, ruleset, flags);
}

size_t json_export_ruleset_size(const struct ruleset *ruleset)
{
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;
	const struct set *set;
	size_t n = 1;

	list_for_each_entry(table, &ruleset->tables, list) {
		n++;
		list_for_each_entry(set, &table->sets, list)
			n++;
		list_for_each_entry(chain, &table->chains, list) {
			n++;
			list_for_each_entry(rule, &chain->rules, list)
				n++;
		}
	}
	return n;
}

/* What delete and flush name: {"table": "x", "name": "c"}, and so on; null for the ruleset. */
static json_t *target_json(const struct cmd *cmd)
{
	const struct cmd_target *target = &cmd->target;
	json_t *obj;

	if (cmd->object == CMD_OBJ_RULESET)
		return json_null();
	obj = json_object();
	if (cmd->object == CMD_OBJ_TABLE) {
		put_string(obj, "name", target->table);
		return obj;
	}
	put_string(obj, "table", target->table);
	switch (cmd->object) {
	case CMD_OBJ_CHAIN:
		put_string(obj, "name", target->chain);
		break;
	case CMD_OBJ_SET:
		put_string(obj, "name", target->set);
		break;
	case CMD_OBJ_RULE:
		put_string(obj, "chain", target->chain);
		put_number(obj, "handle", target->handle);
		break;
	case CMD_OBJ_ELEMENT:
		put_string(obj, "name", target->set);
		json_object_set_new(obj, "elem", values_json(&cmd->set->elements));
		break;
	case CMD_OBJ_RULESET:
	case CMD_OBJ_TABLE:
		break;
	}
	return obj;
}

/* A rule to add, insert or replace: where it goes travels with it. */
static json_t *rule_cmd_json(const struct cmd *cmd)
{
	json_t *rule = rule_json(cmd->target.table, cmd->target.chain, cmd->rule, EXPORT_CMDS);
	json_t *obj = json_object_get(rule, "rule");

	if (cmd->target.has_position)
		put_number(obj, "position", cmd->target.position);
	if (cmd->op == CMD_REPLACE)
		put_number(obj, "handle", cmd->target.handle);
	return rule;
}

static void append_add(struct sink *out, const struct cmd *cmd)
{
	const char *table = cmd->target.table;

	switch (cmd->object) {
	case CMD_OBJ_TABLE:
		append_table(out, "add", cmd->table, EXPORT_CMDS);
		return;
	case CMD_OBJ_SET:
		append(out, "add", set_json(table, cmd->set, EXPORT_CMDS));
		return;
	case CMD_OBJ_CHAIN:
		append(out, "add", chain_json(table, cmd->chain, EXPORT_CMDS));
		append_rules(out, "add", table, cmd->chain, EXPORT_CMDS);
		return;
	case CMD_OBJ_RULE:
	case CMD_OBJ_ELEMENT:
	case CMD_OBJ_RULESET:
		break;
	}
	append(out, "add", wrap("ruleset", json_null()));
}

json_t *json_export_cmds(const struct list_head *cmds)
{
	struct sink out = { .list = json_array() };
	const struct cmd *cmd;

	append_metainfo(&out);
	list_for_each_entry(cmd, cmds, list) {
		if (cmd->object == CMD_OBJ_RULE && cmd->op != CMD_DELETE)
			append(&out, cmd_op_names[cmd->op], rule_cmd_json(cmd));
		else if (cmd->op == CMD_ADD && cmd->object != CMD_OBJ_ELEMENT)
			append_add(&out, cmd);
		else
			append(&out, cmd_op_names[cmd->op],
			       wrap(cmd_object_names[cmd->object], target_json(cmd)));
	}
	return wrap("endura", out.list);
}
