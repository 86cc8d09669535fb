// SPDX-License-Identifier: GPL-2.0-only
/* Construction, destruction, copying and lookup of ruleset objects. */
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "hooks.h"
#include "ruleset.h"
#include "xalloc.h"

const char *const set_type_names[SET_TYPE_COUNT] = {
	[SET_TYPE_PATH] = "path",
	[SET_TYPE_UID] = "uid",
	[SET_TYPE_IPV4_ADDR] = "ipv4_addr",
	[SET_TYPE_IPV6_ADDR] = "ipv6_addr",
	[SET_TYPE_INET_SERVICE] = "inet_service",
};

const char *const access_names[ACCESS_COUNT] = {
	"read", "write", "exec", "create", "delete", "rename", "link", "attr", "mount",
};

const char *hook_name(enum hook_type hook)
{
	return hook_descs[hook].name;
}

const char *verdict_name(enum verdict verdict)
{
	switch (verdict) {
	case VERDICT_ACCEPT:
		return "accept";
	case VERDICT_DENY:
		return "deny";
	case VERDICT_NONE:
		break;
	}
	return "continue";
}

const char *field_name(enum match_field field)
{
	return field_descs[field].name;
}

const char *set_type_name(enum set_type type)
{
	return set_type_names[type];
}

const char *mode_name(enum table_mode mode)
{
	return mode == MODE_AUDIT ? "audit" : "enforce";
}

const char *access_name(unsigned int bit)
{
	for (unsigned int i = 0; i < ACCESS_COUNT; i++)
		if (bit == 1u << i)
			return access_names[i];
	return NULL;
}

static int name_lookup(const char *name, const char *const *names, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

int access_lookup(const char *name)
{
	int index = name_lookup(name, access_names, ACCESS_COUNT);

	return index < 0 ? -1 : 1 << index;
}

static void set_location(struct location *dst, const struct location *loc)
{
	if (loc)
		*dst = *loc;
	else
		memset(dst, 0, sizeof(*dst));
}

struct value *value_new(enum value_kind kind, const char *text, uint64_t number,
			const struct location *loc)
{
	struct value *value = xzalloc(sizeof(*value));

	init_list_head(&value->list);
	value->kind = kind;
	value->text = xstrdup(text);
	value->number = number;
	set_location(&value->loc, loc);
	return value;
}

struct match *match_new(enum match_field field, const struct location *loc)
{
	struct match *match = xzalloc(sizeof(*match));

	init_list_head(&match->list);
	init_list_head(&match->values);
	match->field = field;
	set_location(&match->loc, loc);
	match->field_loc = match->loc;
	return match;
}

struct rule *rule_new(const struct location *loc)
{
	struct rule *rule = xzalloc(sizeof(*rule));

	init_list_head(&rule->list);
	init_list_head(&rule->matches);
	set_location(&rule->loc, loc);
	return rule;
}

struct chain *chain_new(const char *name, const struct location *loc)
{
	struct chain *chain = xzalloc(sizeof(*chain));

	init_list_head(&chain->list);
	init_list_head(&chain->rules);
	chain->name = xstrdup(name);
	chain->policy = VERDICT_ACCEPT;
	set_location(&chain->loc, loc);
	chain->hook_loc = chain->loc;
	return chain;
}

struct set *set_new(const char *name, const struct location *loc)
{
	struct set *set = xzalloc(sizeof(*set));

	init_list_head(&set->list);
	init_list_head(&set->elements);
	set->name = xstrdup(name);
	set_location(&set->loc, loc);
	return set;
}

struct table *table_new(const char *name, const struct location *loc)
{
	struct table *table = xzalloc(sizeof(*table));

	init_list_head(&table->list);
	init_list_head(&table->sets);
	init_list_head(&table->chains);
	table->name = xstrdup(name);
	set_location(&table->loc, loc);
	return table;
}

struct cmd *cmd_new(enum cmd_op op, enum cmd_object object, const struct location *loc)
{
	struct cmd *cmd = xzalloc(sizeof(*cmd));

	init_list_head(&cmd->list);
	cmd->op = op;
	cmd->object = object;
	set_location(&cmd->loc, loc);
	return cmd;
}

void ruleset_init(struct ruleset *ruleset)
{
	init_list_head(&ruleset->tables);
	ruleset->next_handle = 1;
}

#define free_list(head, type, destructor)                        \
	do {                                                     \
		type *pos_, *tmp_;                               \
		list_for_each_entry_safe(pos_, tmp_, head, list) \
			destructor(pos_);                        \
	} while (0)

void value_free(struct value *value)
{
	list_del(&value->list);
	free(value->text);
	free(value);
}

void match_free(struct match *match)
{
	list_del(&match->list);
	free_list(&match->values, struct value, value_free);
	free(match->set_name);
	free(match);
}

void rule_free(struct rule *rule)
{
	list_del(&rule->list);
	free_list(&rule->matches, struct match, match_free);
	free(rule->comment);
	free(rule);
}

void chain_free(struct chain *chain)
{
	list_del(&chain->list);
	free_list(&chain->rules, struct rule, rule_free);
	free(chain->comment);
	free(chain->name);
	free(chain);
}

void set_free(struct set *set)
{
	list_del(&set->list);
	free_list(&set->elements, struct value, value_free);
	free(set->comment);
	free(set->name);
	free(set);
}

void table_free(struct table *table)
{
	list_del(&table->list);
	free_list(&table->sets, struct set, set_free);
	free_list(&table->chains, struct chain, chain_free);
	free(table->comment);
	free(table->name);
	free(table);
}

static void cmd_target_free(struct cmd_target *target)
{
	free(target->table);
	free(target->chain);
	free(target->set);
}

void cmd_free(struct cmd *cmd)
{
	list_del(&cmd->list);
	cmd_target_free(&cmd->target);
	if (cmd->op != CMD_FLUSH && (cmd->op != CMD_DELETE || cmd->object == CMD_OBJ_ELEMENT)) {
		switch (cmd->object) {
		case CMD_OBJ_TABLE:
			if (cmd->table)
				table_free(cmd->table);
			break;
		case CMD_OBJ_CHAIN:
			if (cmd->chain)
				chain_free(cmd->chain);
			break;
		case CMD_OBJ_SET:
		case CMD_OBJ_ELEMENT:
			if (cmd->set)
				set_free(cmd->set);
			break;
		case CMD_OBJ_RULE:
			if (cmd->rule)
				rule_free(cmd->rule);
			break;
		case CMD_OBJ_RULESET:
			break;
		}
	}
	free(cmd);
}

void cmd_list_free(struct list_head *cmds)
{
	free_list(cmds, struct cmd, cmd_free);
}

void ruleset_free(struct ruleset *ruleset)
{
	free_list(&ruleset->tables, struct table, table_free);
}

static void values_clone(struct list_head *dst, const struct list_head *src)
{
	const struct value *value;

	list_for_each_entry(value, src, list) {
		struct value *copy = value_new(value->kind, value->text, value->number, &value->loc);

		copy->verdict = value->verdict;
		list_add_tail(&copy->list, dst);
	}
}

static struct match *match_clone(const struct match *match)
{
	struct match *copy = match_new(match->field, &match->loc);

	copy->field_loc = match->field_loc;
	copy->op = match->op;
	copy->braces = match->braces;
	copy->vmap = match->vmap;
	copy->set_name = xstrdup(match->set_name);
	values_clone(&copy->values, &match->values);
	return copy;
}

struct rule *rule_clone(const struct rule *rule)
{
	struct rule *copy = rule_new(&rule->loc);
	const struct match *match;

	copy->handle = rule->handle;
	copy->counter = rule->counter;
	copy->counter_hits = rule->counter_hits;
	copy->log = rule->log;
	copy->verdict = rule->verdict;
	copy->comment = xstrdup(rule->comment);
	list_for_each_entry(match, &rule->matches, list)
		list_add_tail(&match_clone(match)->list, &copy->matches);
	return copy;
}

struct chain *chain_clone(const struct chain *chain)
{
	struct chain *copy = chain_new(chain->name, &chain->loc);
	const struct rule *rule;

	copy->handle = chain->handle;
	copy->has_hook = chain->has_hook;
	copy->hook = chain->hook;
	copy->hook_loc = chain->hook_loc;
	copy->policy = chain->policy;
	copy->comment = xstrdup(chain->comment);
	list_for_each_entry(rule, &chain->rules, list)
		list_add_tail(&rule_clone(rule)->list, &copy->rules);
	return copy;
}

struct set *set_clone(const struct set *set)
{
	struct set *copy = set_new(set->name, &set->loc);

	copy->handle = set->handle;
	copy->type = set->type;
	copy->comment = xstrdup(set->comment);
	values_clone(&copy->elements, &set->elements);
	return copy;
}

struct table *table_clone(const struct table *table)
{
	struct table *copy = table_new(table->name, &table->loc);
	const struct chain *chain;
	const struct set *set;

	copy->handle = table->handle;
	copy->mode = table->mode;
	copy->has_mode = table->has_mode;
	copy->comment = xstrdup(table->comment);
	list_for_each_entry(set, &table->sets, list)
		list_add_tail(&set_clone(set)->list, &copy->sets);
	list_for_each_entry(chain, &table->chains, list)
		list_add_tail(&chain_clone(chain)->list, &copy->chains);
	return copy;
}

void ruleset_clone(struct ruleset *dst, const struct ruleset *src)
{
	const struct table *table;

	ruleset_init(dst);
	dst->next_handle = src->next_handle;
	list_for_each_entry(table, &src->tables, list)
		list_add_tail(&table_clone(table)->list, &dst->tables);
}

static void values_clear_locations(struct list_head *values)
{
	struct value *value;

	list_for_each_entry(value, values, list)
		memset(&value->loc, 0, sizeof(value->loc));
}

void ruleset_clear_locations(struct ruleset *ruleset)
{
	struct table *table;
	struct chain *chain;
	struct rule *rule;
	struct match *match;
	struct set *set;

	list_for_each_entry(table, &ruleset->tables, list) {
		memset(&table->loc, 0, sizeof(table->loc));
		list_for_each_entry(set, &table->sets, list) {
			memset(&set->loc, 0, sizeof(set->loc));
			values_clear_locations(&set->elements);
		}
		list_for_each_entry(chain, &table->chains, list) {
			memset(&chain->loc, 0, sizeof(chain->loc));
			memset(&chain->hook_loc, 0, sizeof(chain->hook_loc));
			list_for_each_entry(rule, &chain->rules, list) {
				memset(&rule->loc, 0, sizeof(rule->loc));
				list_for_each_entry(match, &rule->matches, list) {
					memset(&match->loc, 0, sizeof(match->loc));
					memset(&match->field_loc, 0, sizeof(match->field_loc));
					values_clear_locations(&match->values);
				}
			}
		}
	}
}

void ruleset_move(struct ruleset *dst, struct ruleset *src)
{
	ruleset_init(dst);
	list_splice_tail_init(&src->tables, &dst->tables);
	dst->next_handle = src->next_handle;
}

#define NAMES_OF(head, type, count)                                     \
	({                                                              \
		const type *pos_;                                       \
		const char **names_;                                    \
		unsigned int n_ = 0;                                    \
		list_for_each_entry(pos_, head, list)                   \
			n_++;                                           \
		names_ = xzalloc((n_ + 1) * sizeof(*names_));           \
		n_ = 0;                                                 \
		list_for_each_entry(pos_, head, list)                   \
			names_[n_++] = pos_->name;                      \
		*(count) = n_;                                          \
		names_;                                                 \
	})

const char **table_names(const struct ruleset *ruleset, unsigned int *count)
{
	return NAMES_OF(&ruleset->tables, struct table, count);
}

const char **chain_names(const struct table *table, unsigned int *count)
{
	return NAMES_OF(&table->chains, struct chain, count);
}

const char **set_names(const struct table *table, unsigned int *count)
{
	return NAMES_OF(&table->sets, struct set, count);
}

struct table *table_find(const struct ruleset *ruleset, const char *name)
{
	struct table *table;

	list_for_each_entry(table, &ruleset->tables, list)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

struct chain *chain_find(const struct table *table, const char *name)
{
	struct chain *chain;

	list_for_each_entry(chain, &table->chains, list)
		if (strcmp(chain->name, name) == 0)
			return chain;
	return NULL;
}

struct set *set_find(const struct table *table, const char *name)
{
	struct set *set;

	list_for_each_entry(set, &table->sets, list)
		if (strcmp(set->name, name) == 0)
			return set;
	return NULL;
}

bool set_is_used(const struct table *table, const char *name)
{
	const struct chain *chain;
	const struct rule *rule;
	const struct match *match;

	list_for_each_entry(chain, &table->chains, list)
		list_for_each_entry(rule, &chain->rules, list)
			list_for_each_entry(match, &rule->matches, list)
				if (match->set_name && strcmp(match->set_name, name) == 0)
					return true;
	return false;
}

struct rule *rule_find(const struct chain *chain, uint64_t handle)
{
	struct rule *rule;

	list_for_each_entry(rule, &chain->rules, list)
		if (rule->handle == handle)
			return rule;
	return NULL;
}
