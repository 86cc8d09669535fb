// SPDX-License-Identifier: GPL-2.0-only
/* The JSON form: exact export text, import of every object and command, import errors with their
 * messages and places, byte-stable round trips, a large ruleset and the golden files. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "apply.h"
#include "json.h"
#include "xalloc.h"

#ifndef ENDURA_VERSION
#define ENDURA_VERSION "0.1.0"
#endif

#define META "{\"metainfo\":{\"version\":\"" ENDURA_VERSION "\",\"json_schema_version\":1}}"
#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

/* --- fixture ------------------------------------------------------------------------------- */

struct fixture {
	struct diag_list diags;
	struct parse_ctx ctx;
};

static int setup(void **state)
{
	struct fixture *f = xzalloc(sizeof(*f));

	diag_list_init(&f->diags);
	parse_ctx_init(&f->ctx, &f->diags);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	parse_ctx_free(&f->ctx);
	diag_list_free(&f->diags);
	free(f);
	return 0;
}

/* Empties the fixture between cases of one test. */
static void reset(struct fixture *f)
{
	parse_ctx_free(&f->ctx);
	diag_list_free(&f->diags);
	diag_list_init(&f->diags);
	parse_ctx_init(&f->ctx, &f->diags);
}

static char *dump(json_t *root)
{
	char *text = json_dumps(root, DUMP_FLAGS);

	json_decref(root);
	assert_non_null(text);
	return text;
}

static void assert_json(json_t *root, const char *expected)
{
	char *text = dump(root);

	assert_string_equal(text, expected);
	free(text);
}

static int import(struct fixture *f, const char *text)
{
	return json_import_text(&f->ctx, "policy.json", text);
}

static unsigned int count_cmds(const struct list_head *cmds)
{
	const struct cmd *cmd;
	unsigned int count = 0;

	list_for_each_entry(cmd, cmds, list)
		count++;
	return count;
}

static struct cmd *nth_cmd(const struct list_head *cmds, unsigned int n)
{
	struct cmd *cmd;

	list_for_each_entry(cmd, cmds, list)
		if (n-- == 0)
			return cmd;
	fail_msg("no command %u", n);
	return NULL;
}

static const struct diag *first_diag(const struct fixture *f)
{
	assert_false(list_empty(&f->diags.entries));
	return list_first_entry(&f->diags.entries, struct diag, list);
}

/* --- building rulesets by hand ------------------------------------------------------------- */

static struct table *add_table(struct ruleset *ruleset, const char *name, enum table_mode mode)
{
	struct table *table = table_new(name, NULL);

	table->mode = mode;
	table->has_mode = true;
	list_add_tail(&table->list, &ruleset->tables);
	return table;
}

static struct set *add_set(struct table *table, const char *name, enum set_type type)
{
	struct set *set = set_new(name, NULL);

	set->type = type;
	list_add_tail(&set->list, &table->sets);
	return set;
}

/* @hook < 0: a chain without a hook. */
static struct chain *add_chain(struct table *table, const char *name, int hook,
			       enum verdict policy)
{
	struct chain *chain = chain_new(name, NULL);

	if (hook >= 0) {
		chain->has_hook = true;
		chain->hook = (enum hook_type)hook;
		chain->policy = policy;
	}
	list_add_tail(&chain->list, &table->chains);
	return chain;
}

static struct rule *add_rule(struct chain *chain, enum verdict verdict)
{
	struct rule *rule = rule_new(NULL);

	rule->verdict = verdict;
	list_add_tail(&rule->list, &chain->rules);
	return rule;
}

static struct match *add_match(struct rule *rule, enum match_field field, enum match_op op)
{
	struct match *match = match_new(field, NULL);

	match->op = op;
	list_add_tail(&match->list, &rule->matches);
	return match;
}

static void add_string(struct list_head *values, const char *text)
{
	list_add_tail(&value_new(VALUE_STRING, text, 0, NULL)->list, values);
}

static void add_number(struct list_head *values, uint64_t number)
{
	char *text = xasprintf("%" PRIu64, number);

	list_add_tail(&value_new(VALUE_NUMBER, text, number, NULL)->list, values);
	free(text);
}

/* The ruleset of the format description. */
static void build_example(struct ruleset *ruleset)
{
	struct table *table = add_table(ruleset, "host", MODE_ENFORCE);
	struct set *set = add_set(table, "shells", SET_TYPE_PATH);
	struct chain *chain = add_chain(table, "files", HOOK_FILE_OPEN, VERDICT_ACCEPT);
	struct rule *rule = add_rule(chain, VERDICT_DENY);
	struct match *match;

	add_string(&set->elements, "/bin/sh");
	add_string(&set->elements, "/bin/bash");
	add_string(&add_match(rule, FIELD_PATH, OP_EQ)->values, "/etc/shadow");
	add_string(&add_match(rule, FIELD_ACCESS, OP_EQ)->values, "write");
	match = add_match(rule, FIELD_EXE, OP_NEQ);
	match->braces = true;
	add_string(&match->values, "/usr/bin/passwd");
	add_string(&match->values, "/usr/sbin/chpasswd");
	add_number(&add_match(rule, FIELD_UID, OP_EQ)->values, 0);
	add_match(rule, FIELD_EXE, OP_EQ)->set_name = xstrdup("shells");
	rule->counter = true;
	rule->log = true;
	rule->comment = xstrdup("credential store");
}

#define EXAMPLE_RULE_EXPR                                                                        \
	"[{\"match\":{\"op\":\"==\",\"field\":\"path\",\"right\":\"/etc/shadow\"}},"             \
	"{\"match\":{\"op\":\"==\",\"field\":\"access\",\"right\":\"write\"}},"                  \
	"{\"match\":{\"op\":\"!=\",\"field\":\"exe\",\"right\":{\"set\":[\"/usr/bin/passwd\","   \
	"\"/usr/sbin/chpasswd\"]}}},"                                                            \
	"{\"match\":{\"op\":\"==\",\"field\":\"uid\",\"right\":0}},"                             \
	"{\"match\":{\"op\":\"==\",\"field\":\"exe\",\"right\":\"@shells\"}},"

static const char example_json[] =
	"{\"endura\":[" META ","
	"{\"table\":{\"name\":\"host\",\"mode\":\"enforce\"}},"
	"{\"set\":{\"table\":\"host\",\"name\":\"shells\",\"type\":\"path\","
	"\"elem\":[\"/bin/sh\",\"/bin/bash\"]}},"
	"{\"chain\":{\"table\":\"host\",\"name\":\"files\",\"hook\":\"file_open\","
	"\"policy\":\"accept\"}},"
	"{\"rule\":{\"table\":\"host\",\"chain\":\"files\",\"expr\":" EXAMPLE_RULE_EXPR
	"{\"counter\":null},{\"log\":null},{\"deny\":null}],\"comment\":\"credential store\"}}]}";

static const char example_handles_json[] =
	"{\"endura\":[" META ","
	"{\"table\":{\"name\":\"host\",\"handle\":1,\"mode\":\"enforce\"}},"
	"{\"set\":{\"table\":\"host\",\"name\":\"shells\",\"handle\":2,\"type\":\"path\","
	"\"elem\":[\"/bin/sh\",\"/bin/bash\"]}},"
	"{\"chain\":{\"table\":\"host\",\"name\":\"files\",\"handle\":3,\"hook\":\"file_open\","
	"\"policy\":\"accept\"}},"
	"{\"rule\":{\"table\":\"host\",\"chain\":\"files\",\"handle\":4,\"expr\":" EXAMPLE_RULE_EXPR
	"{\"counter\":{\"hits\":42}},{\"log\":null},{\"deny\":null}],"
	"\"comment\":\"credential store\"}}]}";

static void number_example(struct ruleset *ruleset)
{
	struct table *table = list_first_entry(&ruleset->tables, struct table, list);
	struct set *set = list_first_entry(&table->sets, struct set, list);
	struct chain *chain = list_first_entry(&table->chains, struct chain, list);
	struct rule *rule = list_first_entry(&chain->rules, struct rule, list);

	table->handle = 1;
	set->handle = 2;
	chain->handle = 3;
	rule->handle = 4;
	rule->counter_hits = 42;
}

/* Everything else the printer distinguishes: audit mode, a set without elements, number sets, a
 * chain without a hook, a deny policy, one value in braces, several values without them, empty
 * braces, a rule without a verdict, a rule with nothing but a comment, an empty comment, two
 * tables. */
static void build_shapes(struct ruleset *ruleset)
{
	struct table *table = add_table(ruleset, "lab", MODE_AUDIT);
	struct chain *helper, *exec;
	struct set *admins;
	struct rule *rule;
	struct match *match;

	add_set(table, "empty", SET_TYPE_PATH);
	admins = add_set(table, "admins", SET_TYPE_UID);
	add_number(&admins->elements, 0);
	add_number(&admins->elements, 1000);
	helper = add_chain(table, "helper", -1, VERDICT_ACCEPT);
	exec = add_chain(table, "exec", HOOK_EXEC, VERDICT_DENY);
	rule = add_rule(exec, VERDICT_ACCEPT);
	match = add_match(rule, FIELD_PATH, OP_EQ);
	match->braces = true;
	add_string(&match->values, "/usr/");
	rule = add_rule(exec, VERDICT_NONE);
	rule->log = true;
	rule->comment = xstrdup("");
	match = add_match(rule, FIELD_UID, OP_NEQ);
	add_number(&match->values, 1);
	add_number(&match->values, 2);
	rule = add_rule(helper, VERDICT_DENY);
	add_match(rule, FIELD_UID, OP_EQ)->set_name = xstrdup("admins");
	match = add_match(rule, FIELD_PATH, OP_NEQ);
	match->braces = true;
	add_string(&match->values, "/opt/");
	rule = add_rule(helper, VERDICT_NONE);
	rule->log = true;
	rule->comment = xstrdup("a log and a comment");
	table = add_table(ruleset, "second", MODE_ENFORCE);
	add_chain(table, "files", HOOK_FILE_OPEN, VERDICT_ACCEPT);
}

static const char shapes_json[] =
	"{\"endura\":[" META ","
	"{\"table\":{\"name\":\"lab\",\"mode\":\"audit\"}},"
	"{\"set\":{\"table\":\"lab\",\"name\":\"empty\",\"type\":\"path\"}},"
	"{\"set\":{\"table\":\"lab\",\"name\":\"admins\",\"type\":\"uid\",\"elem\":[0,1000]}},"
	"{\"chain\":{\"table\":\"lab\",\"name\":\"helper\"}},"
	"{\"chain\":{\"table\":\"lab\",\"name\":\"exec\",\"hook\":\"exec\",\"policy\":\"deny\"}},"
	"{\"rule\":{\"table\":\"lab\",\"chain\":\"helper\",\"expr\":["
	"{\"match\":{\"op\":\"==\",\"field\":\"uid\",\"right\":\"@admins\"}},"
	"{\"match\":{\"op\":\"!=\",\"field\":\"path\",\"right\":{\"set\":[\"/opt/\"]}}},"
	"{\"deny\":null}]}},"
	"{\"rule\":{\"table\":\"lab\",\"chain\":\"helper\",\"expr\":[{\"log\":null}],"
	"\"comment\":\"a log and a comment\"}},"
	"{\"rule\":{\"table\":\"lab\",\"chain\":\"exec\",\"expr\":["
	"{\"match\":{\"op\":\"==\",\"field\":\"path\",\"right\":{\"set\":[\"/usr/\"]}}},"
	"{\"accept\":null}]}},"
	"{\"rule\":{\"table\":\"lab\",\"chain\":\"exec\",\"expr\":["
	"{\"match\":{\"op\":\"!=\",\"field\":\"uid\",\"right\":{\"set\":[1,2]}}},{\"log\":null}],"
	"\"comment\":\"\"}},"
	"{\"table\":{\"name\":\"second\",\"mode\":\"enforce\"}},"
	"{\"chain\":{\"table\":\"second\",\"name\":\"files\",\"hook\":\"file_open\","
	"\"policy\":\"accept\"}}]}";

/* The ruleset an import describes, built the simple way: every command adds. */
static void apply_adds(struct ruleset *ruleset, struct list_head *cmds)
{
	struct table *table;
	struct cmd *cmd;

	list_for_each_entry(cmd, cmds, list) {
		assert_int_equal(cmd->op, CMD_ADD);
		if (cmd->object == CMD_OBJ_TABLE) {
			assert_null(table_find(ruleset, cmd->target.table));
			list_add_tail(&cmd->table->list, &ruleset->tables);
			cmd->table = NULL;
			continue;
		}
		table = table_find(ruleset, cmd->target.table);
		assert_non_null(table);
		switch (cmd->object) {
		case CMD_OBJ_SET:
			list_add_tail(&cmd->set->list, &table->sets);
			cmd->set = NULL;
			break;
		case CMD_OBJ_CHAIN:
			list_add_tail(&cmd->chain->list, &table->chains);
			cmd->chain = NULL;
			break;
		case CMD_OBJ_RULE:
			assert_non_null(chain_find(table, cmd->target.chain));
			list_add_tail(&cmd->rule->list, &chain_find(table, cmd->target.chain)->rules);
			cmd->rule = NULL;
			break;
		default:
			fail_msg("unexpected command object %d", cmd->object);
		}
	}
	cmd_list_free(cmds);
}

/* --- export -------------------------------------------------------------------------------- */

static void test_export_empty(void **state)
{
	struct ruleset ruleset;

	(void)state;
	ruleset_init(&ruleset);
	assert_json(json_export_ruleset(&ruleset, 0), "{\"endura\":[" META "]}");
	assert_json(json_export_ruleset(&ruleset, PRINT_HANDLES), "{\"endura\":[" META "]}");
}

static void test_export_example(void **state)
{
	struct ruleset ruleset;

	(void)state;
	ruleset_init(&ruleset);
	build_example(&ruleset);
	assert_json(json_export_ruleset(&ruleset, 0), example_json);
	/* handles and counter values only with PRINT_HANDLES */
	number_example(&ruleset);
	assert_json(json_export_ruleset(&ruleset, 0), example_json);
	assert_json(json_export_ruleset(&ruleset, PRINT_HANDLES), example_handles_json);
	ruleset_free(&ruleset);
}

static void test_export_shapes(void **state)
{
	struct ruleset ruleset;

	(void)state;
	ruleset_init(&ruleset);
	build_shapes(&ruleset);
	assert_json(json_export_ruleset(&ruleset, 0), shapes_json);
	ruleset_free(&ruleset);
}

/* What JSON cannot carry as it is, and the evaluator rejects: a number too large for a JSON
 * integer keeps its spelling as a string; bytes that are not UTF-8 become U+FFFD, the key stays. */
static void test_export_unrepresentable(void **state)
{
	struct ruleset ruleset;
	struct rule *rule;

	(void)state;
	ruleset_init(&ruleset);
	rule = add_rule(add_chain(add_table(&ruleset, "t", MODE_ENFORCE), "c", HOOK_EXEC,
				  VERDICT_ACCEPT), VERDICT_DENY);
	add_number(&add_match(rule, FIELD_UID, OP_EQ)->values, UINT64_MAX);
	add_string(&add_match(rule, FIELD_PATH, OP_EQ)->values,
		   "/caf\xe9/\xc3\xa9/\xed\xa0\x80/\xf0\x9f\x98\x80");
	rule->comment = xstrdup("\xff");
	assert_json(json_export_ruleset(&ruleset, 0),
		    "{\"endura\":[" META ",{\"table\":{\"name\":\"t\",\"mode\":\"enforce\"}},"
		    "{\"chain\":{\"table\":\"t\",\"name\":\"c\",\"hook\":\"exec\",\"policy\":\"accept\"}},"
		    "{\"rule\":{\"table\":\"t\",\"chain\":\"c\",\"expr\":[{\"match\":{\"op\":\"==\","
		    "\"field\":\"uid\",\"right\":\"18446744073709551615\"}},{\"match\":{\"op\":\"==\","
		    "\"field\":\"path\",\"right\":\"/caf\xef\xbf\xbd/\xc3\xa9/"
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd/"
		    "\xf0\x9f\x98\x80\"}},{\"deny\":null}],\"comment\":\"\xef\xbf\xbd\"}}]}");
	ruleset_free(&ruleset);
}

static struct cmd *push_cmd(struct list_head *cmds, enum cmd_op op, enum cmd_object object,
			    const char *table, const char *name, uint64_t handle)
{
	struct cmd *cmd = cmd_new(op, object, NULL);

	cmd->target.table = xstrdup(table);
	if (object == CMD_OBJ_SET)
		cmd->target.set = xstrdup(name);
	else
		cmd->target.chain = xstrdup(name);
	cmd->target.handle = handle;
	list_add_tail(&cmd->list, cmds);
	return cmd;
}

/* One of each command: the parser's table block, add chain with a rule inside, add set and rule,
 * every delete and flush. */
static void build_cmds(struct list_head *cmds)
{
	struct ruleset ruleset;
	struct table *table;
	struct chain *chain;
	struct rule *rule;
	struct set *set;
	struct cmd *cmd;

	ruleset_init(&ruleset);
	build_example(&ruleset);
	table = list_first_entry(&ruleset.tables, struct table, list);
	list_del(&table->list);
	table->has_mode = false;
	push_cmd(cmds, CMD_ADD, CMD_OBJ_TABLE, "host", NULL, 0)->table = table;

	table = table_new("lab", NULL);
	table->mode = MODE_AUDIT;
	table->has_mode = true;
	push_cmd(cmds, CMD_ADD, CMD_OBJ_TABLE, "lab", NULL, 0)->table = table;

	chain = chain_new("extra", NULL);
	chain->has_hook = true;
	chain->hook = HOOK_EXEC;
	rule = add_rule(chain, VERDICT_DENY);
	add_string(&add_match(rule, FIELD_PATH, OP_EQ)->values, "/tmp/");
	push_cmd(cmds, CMD_ADD, CMD_OBJ_CHAIN, "lab", NULL, 0)->chain = chain;

	set = set_new("more", NULL);
	add_string(&set->elements, "/x");
	push_cmd(cmds, CMD_ADD, CMD_OBJ_SET, "lab", NULL, 0)->set = set;

	rule = rule_new(NULL);
	rule->log = true;
	rule->verdict = VERDICT_ACCEPT;
	cmd = push_cmd(cmds, CMD_ADD, CMD_OBJ_RULE, "lab", "extra", 0);
	cmd->rule = rule;

	push_cmd(cmds, CMD_DELETE, CMD_OBJ_RULE, "host", "files", 4);
	push_cmd(cmds, CMD_DELETE, CMD_OBJ_TABLE, "lab", NULL, 0);
	push_cmd(cmds, CMD_DELETE, CMD_OBJ_CHAIN, "host", "files", 0);
	push_cmd(cmds, CMD_DELETE, CMD_OBJ_SET, "host", "shells", 0);
	push_cmd(cmds, CMD_FLUSH, CMD_OBJ_RULESET, NULL, NULL, 0);
	push_cmd(cmds, CMD_FLUSH, CMD_OBJ_TABLE, "host", NULL, 0);
	push_cmd(cmds, CMD_FLUSH, CMD_OBJ_CHAIN, "host", "files", 0);
}

static const char cmds_json[] =
	"{\"endura\":[" META ","
	"{\"add\":{\"table\":{\"name\":\"host\"}}},"
	"{\"add\":{\"set\":{\"table\":\"host\",\"name\":\"shells\",\"type\":\"path\","
	"\"elem\":[\"/bin/sh\",\"/bin/bash\"]}}},"
	"{\"add\":{\"chain\":{\"table\":\"host\",\"name\":\"files\",\"hook\":\"file_open\","
	"\"policy\":\"accept\"}}},"
	"{\"add\":{\"rule\":{\"table\":\"host\",\"chain\":\"files\",\"expr\":" EXAMPLE_RULE_EXPR
	"{\"counter\":null},{\"log\":null},{\"deny\":null}],\"comment\":\"credential store\"}}},"
	"{\"add\":{\"table\":{\"name\":\"lab\",\"mode\":\"audit\"}}},"
	"{\"add\":{\"chain\":{\"table\":\"lab\",\"name\":\"extra\",\"hook\":\"exec\","
	"\"policy\":\"accept\"}}},"
	"{\"add\":{\"rule\":{\"table\":\"lab\",\"chain\":\"extra\",\"expr\":["
	"{\"match\":{\"op\":\"==\",\"field\":\"path\",\"right\":\"/tmp/\"}},{\"deny\":null}]}}},"
	"{\"add\":{\"set\":{\"table\":\"lab\",\"name\":\"more\",\"type\":\"path\",\"elem\":[\"/x\"]}}},"
	"{\"add\":{\"rule\":{\"table\":\"lab\",\"chain\":\"extra\",\"expr\":[{\"log\":null},"
	"{\"accept\":null}]}}},"
	"{\"delete\":{\"rule\":{\"table\":\"host\",\"chain\":\"files\",\"handle\":4}}},"
	"{\"delete\":{\"table\":{\"name\":\"lab\"}}},"
	"{\"delete\":{\"chain\":{\"table\":\"host\",\"name\":\"files\"}}},"
	"{\"delete\":{\"set\":{\"table\":\"host\",\"name\":\"shells\"}}},"
	"{\"flush\":{\"ruleset\":null}},"
	"{\"flush\":{\"table\":{\"name\":\"host\"}}},"
	"{\"flush\":{\"chain\":{\"table\":\"host\",\"name\":\"files\"}}}]}";

static void test_export_cmds(void **state)
{
	struct list_head cmds = LIST_HEAD_INIT(cmds);

	(void)state;
	assert_json(json_export_cmds(&cmds), "{\"endura\":[" META "]}");
	build_cmds(&cmds);
	assert_json(json_export_cmds(&cmds), cmds_json);
	cmd_list_free(&cmds);
}

/* Commands carry the handles and counter values they hold, whatever they are. */
static void test_export_cmds_handles(void **state)
{
	struct list_head cmds = LIST_HEAD_INIT(cmds);
	struct rule *rule = rule_new(NULL);
	struct table *table = table_new("t", NULL);

	(void)state;
	table->handle = 7;
	push_cmd(&cmds, CMD_ADD, CMD_OBJ_TABLE, "t", NULL, 0)->table = table;
	rule->handle = 9;
	rule->counter = true;
	rule->counter_hits = 3;
	push_cmd(&cmds, CMD_ADD, CMD_OBJ_RULE, "t", "c", 0)->rule = rule;
	assert_json(json_export_cmds(&cmds),
		    "{\"endura\":[" META ",{\"add\":{\"table\":{\"name\":\"t\",\"handle\":7}}},"
		    "{\"add\":{\"rule\":{\"table\":\"t\",\"chain\":\"c\",\"handle\":9,"
		    "\"expr\":[{\"counter\":{\"hits\":3}}]}}}]}");
	cmd_list_free(&cmds);
}

/* --- import -------------------------------------------------------------------------------- */

static void assert_whole_input(const struct location *loc, const char *name)
{
	assert_non_null(loc->input);
	assert_string_equal(loc->input->name, name);
	assert_int_equal(loc->first_line, 0);
}

static void assert_value(const struct value *value, enum value_kind kind, const char *text,
			 uint64_t number)
{
	assert_int_equal(value->kind, kind);
	assert_string_equal(value->text, text);
	assert_int_equal(value->number, number);
}

static struct value *nth_value(const struct list_head *values, unsigned int n)
{
	struct value *value;

	list_for_each_entry(value, values, list)
		if (n-- == 0)
			return value;
	fail_msg("no value %u", n);
	return NULL;
}

static void test_import_objects(void **state)
{
	struct fixture *f = *state;
	const struct input *input;
	struct match *match;
	struct cmd *cmd;
	struct rule *rule;

	assert_int_equal(import(f, example_json), 0);
	assert_int_equal(f->diags.errors, 0);
	assert_int_equal(count_cmds(&f->ctx.cmds), 4);

	/* the text is kept for error quoting */
	input = list_first_entry(&f->ctx.inputs, struct input, list);
	assert_string_equal(input->name, "policy.json");
	assert_string_equal(input->text, example_json);
	assert_null(input->included_from);

	cmd = nth_cmd(&f->ctx.cmds, 0);
	assert_int_equal(cmd->op, CMD_ADD);
	assert_int_equal(cmd->object, CMD_OBJ_TABLE);
	assert_string_equal(cmd->target.table, "host");
	assert_string_equal(cmd->table->name, "host");
	assert_true(cmd->table->has_mode);
	assert_int_equal(cmd->table->mode, MODE_ENFORCE);
	assert_int_equal(cmd->table->handle, 0);
	assert_true(list_empty(&cmd->table->sets));
	assert_true(list_empty(&cmd->table->chains));
	assert_whole_input(&cmd->loc, "policy.json");
	assert_whole_input(&cmd->table->loc, "policy.json");

	cmd = nth_cmd(&f->ctx.cmds, 1);
	assert_int_equal(cmd->op, CMD_ADD);
	assert_int_equal(cmd->object, CMD_OBJ_SET);
	assert_string_equal(cmd->target.table, "host");
	assert_string_equal(cmd->set->name, "shells");
	assert_int_equal(cmd->set->type, SET_TYPE_PATH);
	assert_value(nth_value(&cmd->set->elements, 0), VALUE_STRING, "/bin/sh", 0);
	assert_value(nth_value(&cmd->set->elements, 1), VALUE_STRING, "/bin/bash", 0);
	assert_whole_input(&nth_value(&cmd->set->elements, 1)->loc, "policy.json");

	cmd = nth_cmd(&f->ctx.cmds, 2);
	assert_int_equal(cmd->object, CMD_OBJ_CHAIN);
	assert_string_equal(cmd->target.table, "host");
	assert_string_equal(cmd->chain->name, "files");
	assert_true(cmd->chain->has_hook);
	assert_int_equal(cmd->chain->hook, HOOK_FILE_OPEN);
	assert_int_equal(cmd->chain->policy, VERDICT_ACCEPT);

	cmd = nth_cmd(&f->ctx.cmds, 3);
	assert_int_equal(cmd->object, CMD_OBJ_RULE);
	assert_string_equal(cmd->target.table, "host");
	assert_string_equal(cmd->target.chain, "files");
	rule = cmd->rule;
	assert_true(rule->counter);
	assert_int_equal(rule->counter_hits, 0);
	assert_true(rule->log);
	assert_int_equal(rule->verdict, VERDICT_DENY);
	assert_string_equal(rule->comment, "credential store");
	match = list_first_entry(&rule->matches, struct match, list);
	assert_int_equal(match->field, FIELD_PATH);
	assert_int_equal(match->op, OP_EQ);
	assert_false(match->braces);
	assert_null(match->set_name);
	assert_value(nth_value(&match->values, 0), VALUE_STRING, "/etc/shadow", 0);
	match = list_entry(match->list.next, struct match, list);
	assert_int_equal(match->field, FIELD_ACCESS);
	assert_value(nth_value(&match->values, 0), VALUE_STRING, "write", 0);
	match = list_entry(match->list.next, struct match, list);
	assert_int_equal(match->field, FIELD_EXE);
	assert_int_equal(match->op, OP_NEQ);
	assert_true(match->braces);
	assert_value(nth_value(&match->values, 0), VALUE_STRING, "/usr/bin/passwd", 0);
	assert_value(nth_value(&match->values, 1), VALUE_STRING, "/usr/sbin/chpasswd", 0);
	match = list_entry(match->list.next, struct match, list);
	assert_int_equal(match->field, FIELD_UID);
	assert_value(nth_value(&match->values, 0), VALUE_NUMBER, "0", 0);
	match = list_entry(match->list.next, struct match, list);
	assert_int_equal(match->field, FIELD_EXE);
	assert_string_equal(match->set_name, "shells");
	assert_true(list_empty(&match->values));
	assert_whole_input(&match->loc, "policy.json");
	assert_ptr_equal(match->list.next, &rule->matches);
}

/* Keys left out take the model's defaults; handles and counter values are kept. */
static void test_import_defaults_and_handles(void **state)
{
	struct fixture *f = *state;
	struct cmd *cmd;

	assert_int_equal(import(f, "{\"endura\": ["
				"{\"table\": {\"name\": \"t\"}},"
				"{\"set\": {\"table\": \"t\", \"name\": \"u\", \"type\": \"uid\","
				" \"elem\": []}},"
				"{\"chain\": {\"table\": \"t\", \"name\": \"c\"}},"
				"{\"chain\": {\"table\": \"t\", \"name\": \"d\", \"hook\": \"exec\"}},"
				"{\"table\": {\"name\": \"h\", \"handle\": 1, \"mode\": \"audit\"}},"
				"{\"set\": {\"table\": \"h\", \"name\": \"s\", \"handle\": 2,"
				" \"type\": \"uid\", \"elem\": [0, 4294967294, \"nobody\"]}},"
				"{\"chain\": {\"table\": \"h\", \"name\": \"c\", \"handle\": 3,"
				" \"hook\": \"exec\", \"policy\": \"deny\"}},"
				"{\"rule\": {\"table\": \"h\", \"chain\": \"c\", \"handle\": 4,"
				" \"expr\": [{\"log\": {}}, {\"counter\": {\"hits\": 12}}]}},"
				"{\"rule\": {\"table\": \"h\", \"chain\": \"c\","
				" \"expr\": [{\"counter\": {}}, {\"accept\": null}]}}"
				"]}"), 0);
	assert_int_equal(count_cmds(&f->ctx.cmds), 9);
	cmd = nth_cmd(&f->ctx.cmds, 0);
	assert_false(cmd->table->has_mode);
	assert_int_equal(cmd->table->mode, MODE_ENFORCE);
	cmd = nth_cmd(&f->ctx.cmds, 1);
	assert_int_equal(cmd->set->type, SET_TYPE_UID);
	assert_true(list_empty(&cmd->set->elements));
	cmd = nth_cmd(&f->ctx.cmds, 2);
	assert_false(cmd->chain->has_hook);
	assert_int_equal(cmd->chain->policy, VERDICT_ACCEPT);
	cmd = nth_cmd(&f->ctx.cmds, 3);
	assert_true(cmd->chain->has_hook);
	assert_int_equal(cmd->chain->hook, HOOK_EXEC);
	assert_int_equal(cmd->chain->policy, VERDICT_ACCEPT);
	cmd = nth_cmd(&f->ctx.cmds, 4);
	assert_int_equal(cmd->table->handle, 1);
	assert_true(cmd->table->has_mode);
	assert_int_equal(cmd->table->mode, MODE_AUDIT);
	cmd = nth_cmd(&f->ctx.cmds, 5);
	assert_int_equal(cmd->set->handle, 2);
	assert_value(nth_value(&cmd->set->elements, 0), VALUE_NUMBER, "0", 0);
	assert_value(nth_value(&cmd->set->elements, 1), VALUE_NUMBER, "4294967294", 4294967294u);
	assert_value(nth_value(&cmd->set->elements, 2), VALUE_STRING, "nobody", 0);
	cmd = nth_cmd(&f->ctx.cmds, 6);
	assert_int_equal(cmd->chain->handle, 3);
	assert_int_equal(cmd->chain->policy, VERDICT_DENY);
	cmd = nth_cmd(&f->ctx.cmds, 7);
	assert_int_equal(cmd->rule->handle, 4);
	assert_true(cmd->rule->log);
	assert_true(cmd->rule->counter);
	assert_int_equal(cmd->rule->counter_hits, 12);
	assert_int_equal(cmd->rule->verdict, VERDICT_NONE);
	assert_true(list_empty(&cmd->rule->matches));
	assert_null(cmd->rule->comment);
	cmd = nth_cmd(&f->ctx.cmds, 8);
	assert_true(cmd->rule->counter);
	assert_false(cmd->rule->log);
	assert_int_equal(cmd->rule->verdict, VERDICT_ACCEPT);
}

static void assert_target(const struct cmd *cmd, enum cmd_op op, enum cmd_object object,
			  const char *table, const char *chain, const char *set, uint64_t handle)
{
	assert_int_equal(cmd->op, op);
	assert_int_equal(cmd->object, object);
	if (table)
		assert_string_equal(cmd->target.table, table);
	else
		assert_null(cmd->target.table);
	if (chain)
		assert_string_equal(cmd->target.chain, chain);
	else
		assert_null(cmd->target.chain);
	if (set)
		assert_string_equal(cmd->target.set, set);
	else
		assert_null(cmd->target.set);
	assert_int_equal(cmd->target.handle, handle);
	assert_whole_input(&cmd->loc, "policy.json");
}

static void test_import_commands(void **state)
{
	struct fixture *f = *state;
	struct cmd *cmd;

	assert_int_equal(import(f, cmds_json), 0);
	assert_int_equal(count_cmds(&f->ctx.cmds), 16);

	/* the table block arrives flat: table, set, chain, rule */
	cmd = nth_cmd(&f->ctx.cmds, 0);
	assert_target(cmd, CMD_ADD, CMD_OBJ_TABLE, "host", NULL, NULL, 0);
	assert_string_equal(cmd->table->name, "host");
	assert_false(cmd->table->has_mode);
	cmd = nth_cmd(&f->ctx.cmds, 1);
	assert_target(cmd, CMD_ADD, CMD_OBJ_SET, "host", NULL, "shells", 0);
	assert_string_equal(cmd->set->name, "shells");
	cmd = nth_cmd(&f->ctx.cmds, 2);
	assert_target(cmd, CMD_ADD, CMD_OBJ_CHAIN, "host", "files", NULL, 0);
	assert_string_equal(cmd->chain->name, "files");
	cmd = nth_cmd(&f->ctx.cmds, 3);
	assert_target(cmd, CMD_ADD, CMD_OBJ_RULE, "host", "files", NULL, 0);
	assert_int_equal(cmd->rule->verdict, VERDICT_DENY);
	cmd = nth_cmd(&f->ctx.cmds, 4);
	assert_target(cmd, CMD_ADD, CMD_OBJ_TABLE, "lab", NULL, NULL, 0);
	assert_true(cmd->table->has_mode);
	assert_int_equal(cmd->table->mode, MODE_AUDIT);
	assert_target(nth_cmd(&f->ctx.cmds, 5), CMD_ADD, CMD_OBJ_CHAIN, "lab", "extra", NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 6), CMD_ADD, CMD_OBJ_RULE, "lab", "extra", NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 7), CMD_ADD, CMD_OBJ_SET, "lab", NULL, "more", 0);
	assert_target(nth_cmd(&f->ctx.cmds, 8), CMD_ADD, CMD_OBJ_RULE, "lab", "extra", NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 9), CMD_DELETE, CMD_OBJ_RULE, "host", "files", NULL, 4);
	assert_target(nth_cmd(&f->ctx.cmds, 10), CMD_DELETE, CMD_OBJ_TABLE, "lab", NULL, NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 11), CMD_DELETE, CMD_OBJ_CHAIN, "host", "files", NULL,
		      0);
	assert_target(nth_cmd(&f->ctx.cmds, 12), CMD_DELETE, CMD_OBJ_SET, "host", NULL, "shells",
		      0);
	assert_target(nth_cmd(&f->ctx.cmds, 13), CMD_FLUSH, CMD_OBJ_RULESET, NULL, NULL, NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 14), CMD_FLUSH, CMD_OBJ_TABLE, "host", NULL, NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 15), CMD_FLUSH, CMD_OBJ_CHAIN, "host", "files", NULL,
		      0);
}

/* Plain objects and wrappers mix; metainfo may be left out; a second input appends. */
static void test_import_mixed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(import(f, "{\"endura\": [{\"flush\": {\"ruleset\": null}},"
				"{\"table\": {\"name\": \"t\"}},"
				"{\"add\": {\"chain\": {\"table\": \"t\", \"name\": \"c\"}}},"
				"{\"rule\": {\"table\": \"t\", \"chain\": \"c\","
				" \"expr\": [{\"deny\": null}]}},"
				"{\"delete\": {\"rule\": {\"table\": \"t\", \"chain\": \"c\","
				" \"handle\": 2}}}]}"), 0);
	assert_int_equal(json_import_text(&f->ctx, "second.json",
					  "{\"endura\": [{\"metainfo\": {\"json_schema_version\": 1}},"
					  "{\"delete\": {\"table\": {\"name\": \"t\"}}}]}"), 0);
	assert_int_equal(count_cmds(&f->ctx.cmds), 6);
	assert_target(nth_cmd(&f->ctx.cmds, 0), CMD_FLUSH, CMD_OBJ_RULESET, NULL, NULL, NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 1), CMD_ADD, CMD_OBJ_TABLE, "t", NULL, NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 2), CMD_ADD, CMD_OBJ_CHAIN, "t", "c", NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 3), CMD_ADD, CMD_OBJ_RULE, "t", "c", NULL, 0);
	assert_target(nth_cmd(&f->ctx.cmds, 4), CMD_DELETE, CMD_OBJ_RULE, "t", "c", NULL, 2);
	assert_string_equal(nth_cmd(&f->ctx.cmds, 5)->loc.input->name, "second.json");
	assert_int_equal(f->diags.errors, 0);
}

/* An error anywhere leaves ctx->cmds as it was: nothing of the bad document is kept. */
static void test_import_error_adds_nothing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(import(f, "{\"endura\": [{\"table\": {\"name\": \"a\"}}]}"), 0);
	assert_int_equal(import(f, "{\"endura\": [{\"table\": {\"name\": \"b\"}},"
				"{\"chain\": {\"table\": \"b\"}}]}"), -1);
	assert_int_equal(count_cmds(&f->ctx.cmds), 1);
	assert_string_equal(nth_cmd(&f->ctx.cmds, 0)->target.table, "a");
	assert_int_equal(f->diags.errors, 1);
	/* both inputs are kept for the messages */
	assert_string_equal(list_first_entry(&f->ctx.inputs, struct input, list)->name,
			    "policy.json");
	assert_ptr_not_equal(f->ctx.inputs.next, f->ctx.inputs.prev);
}

/* --- import errors ------------------------------------------------------------------------- */

struct error_case {
	const char *json;
	const char *message;
	unsigned int line, first_column, last_column; /* line 0: the whole input */
};

#define RULE(expr)                                                                                 \
	"{\"endura\": [{\"rule\": {\"table\": \"t\", \"chain\": \"c\", \"expr\": " expr "}}]}"
#define MATCH(right)                                                                               \
	RULE("[{\"match\": {\"op\": \"==\", \"field\": \"path\", \"right\": " right "}}]")
#define ONE(entry) "{\"endura\": [" entry "]}"

static const struct error_case error_cases[] = {
	/* syntax: line and byte columns of the offending token */
	{ "{\"endura\": [x]}", "JSON syntax error: invalid token near 'x'", 1, 13, 13 },
	{ "{\"endura\": [\"\xc3\xa9\" x]}", "JSON syntax error: ']' expected near 'x'", 1, 18, 18 },
	{ "{\"endura\": [\n  {\"table\": {\"name\": \"t\",}}\n]}",
	  "JSON syntax error: string or '}' expected near '}'", 2, 26, 26 },
	{ "{\"endura\": [], \"endura\": []}",
	  "JSON syntax error: duplicate object key near '\"endura\"'", 1, 16, 23 },
	{ "{\"endura\": [{\"table\": {\"name\": \"t\"}}]} x",
	  "JSON syntax error: end of file expected near 'x'", 1, 40, 40 },
	{ "{\"endura\": [{\"table\": {\"name\": \"t\\u0000\"}}]}",
	  "JSON syntax error: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"t\\u0000\"'",
	  1, 32, 40 },
	{ "{\n  \"endura\": [\n\n", "JSON syntax error: ']' expected near end of file", 2, 14, 14 },
	{ "", "JSON syntax error: '[' or '{' expected near end of file", 1, 1, 1 },

	/* the document */
	{ "[]", "expected {\"endura\": [...]}, got an array", 0, 0, 0 },
	{ "{}", "missing key 'endura'", 0, 0, 0 },
	{ "{\"endura\": [], \"version\": 1}", "unknown key 'version'; expected 'endura'", 0, 0, 0 },
	{ "{\"endur\": []}", "unknown key 'endur'; did you mean 'endura'?", 0, 0, 0 },
	{ "{\"endura\": {}}", "endura: expected an array, got an object", 0, 0, 0 },
	{ ONE("1"), "endura[0]: expected an object, got an integer", 0, 0, 0 },
	{ ONE("{}"), "endura[0]: expected a single key ('metainfo', 'table', 'set', 'chain', 'rule', "
	  "'add', 'insert', 'replace', 'delete' or 'flush'), got 0 keys", 0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"t\"}, \"chain\": {}}"),
	  "endura[0]: expected a single key ('metainfo', 'table', 'set', 'chain', 'rule', 'add', "
	  "'insert', 'replace', 'delete' or 'flush'), got 2 keys", 0, 0, 0 },
	{ ONE("{\"tabel\": {\"name\": \"t\"}}"), "endura[0]: unknown object 'tabel'; did you mean "
	  "'table'?", 0, 0, 0 },
	{ ONE("{\"frobnicate\": {}}"), "endura[0]: unknown object 'frobnicate'; expected "
	  "'metainfo', 'table', 'set', 'chain', 'rule', 'add', 'insert', 'replace', 'delete' or "
	  "'flush'", 0, 0, 0 },

	/* metainfo */
	{ ONE("{\"metainfo\": {\"json_schema_version\": 2}}"),
	  "endura[0].metainfo.json_schema_version: schema version 2 is newer than this version of "
	  "Endura reads (1): upgrade Endura", 0, 0, 0 },
	{ ONE("{\"metainfo\": {\"json_schema_version\": 0}}"),
	  "endura[0].metainfo.json_schema_version: expected a schema version from 1 to 1, got 0",
	  0, 0, 0 },
	{ ONE("{\"metainfo\": {\"version\": 1}}"),
	  "endura[0].metainfo.version: expected a string, got an integer", 0, 0, 0 },
	{ ONE("{\"metainfo\": {\"release_name\": \"x\"}}"),
	  "endura[0].metainfo: unknown key 'release_name'; expected 'version' or "
	  "'json_schema_version'", 0, 0, 0 },
	{ ONE("{\"metainfo\": null}"), "endura[0].metainfo: expected an object, got null", 0, 0, 0 },

	/* table */
	{ ONE("{\"table\": {}}"), "endura[0].table: missing key 'name'", 0, 0, 0 },
	{ ONE("{\"table\": {\"name\": 1}}"), "endura[0].table.name: expected a string, got an integer",
	  0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"\"}}"), "endura[0].table.name: expected a non-empty name",
	  0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"t\", \"mode\": \"audt\"}}"),
	  "endura[0].table.mode: unknown mode 'audt'; did you mean 'audit'?", 0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"t\", \"mode\": \"permissive\"}}"),
	  "endura[0].table.mode: unknown mode 'permissive'; expected 'enforce' or 'audit'", 0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"t\", \"prio\": 0}}"),
	  "endura[0].table: unknown key 'prio'; expected 'name', 'handle', 'mode' or 'comment'",
	  0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"t\", \"handle\": -1}}"),
	  "endura[0].table.handle: expected a non-negative integer, got -1", 0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"t\", \"handle\": \"1\"}}"),
	  "endura[0].table.handle: expected an integer, got a string", 0, 0, 0 },
	{ ONE("{\"table\": \"t\"}"), "endura[0].table: expected an object, got a string", 0, 0, 0 },

	/* set */
	{ ONE("{\"set\": {\"table\": \"t\", \"name\": \"s\"}}"), "endura[0].set: missing key 'type'",
	  0, 0, 0 },
	{ ONE("{\"set\": {\"table\": \"t\", \"name\": \"s\", \"type\": \"string\"}}"),
	  "endura[0].set.type: unknown set type 'string'; expected 'path', 'uid', 'ipv4_addr', "
	  "'ipv6_addr' or 'inet_service'", 0, 0, 0 },
	{ ONE("{\"set\": {\"name\": \"s\", \"type\": \"path\"}}"), "endura[0].set: missing key 'table'",
	  0, 0, 0 },
	{ ONE("{\"set\": {\"table\": \"t\", \"name\": \"s\", \"type\": \"path\", \"elem\": \"/a\"}}"),
	  "endura[0].set.elem: expected an array, got a string", 0, 0, 0 },
	{ ONE("{\"set\": {\"table\": \"t\", \"name\": \"s\", \"type\": \"path\", "
	      "\"elem\": [\"/a\", true]}}"),
	  "endura[0].set.elem[1]: expected a string or an integer, got true", 0, 0, 0 },
	{ ONE("{\"set\": {\"table\": \"t\", \"name\": \"s\", \"type\": \"uid\", \"elem\": [-5]}}"),
	  "endura[0].set.elem[0]: expected a non-negative integer, got -5", 0, 0, 0 },
	{ ONE("{\"set\": {\"table\": \"t\", \"name\": \"s\", \"type\": \"path\", \"elem\": [\"@s\"]}}"),
	  "endura[0].set.elem[0]: a set cannot hold the set reference '@s'", 0, 0, 0 },
	{ ONE("{\"set\": {\"table\": \"t\", \"name\": \"s\", \"type\": \"path\", \"elements\": []}}"),
	  "endura[0].set: unknown key 'elements'; expected 'table', 'name', 'handle', 'type', "
	  "'elem' or 'comment'", 0, 0, 0 },

	/* chain */
	{ ONE("{\"chain\": {\"table\": \"t\", \"name\": \"c\", \"hook\": \"file_opn\"}}"),
	  "endura[0].chain.hook: unknown hook 'file_opn'; did you mean 'file_open'?", 0, 0, 0 },
	{ ONE("{\"chain\": {\"table\": \"t\", \"name\": \"c\", \"hook\": \"socket_connect\"}}"),
	  "endura[0].chain.hook: unknown hook 'socket_connect'; expected 'exec', 'file_open', "
	  "'capable', 'bpf', 'module' or 'signal'",
	  0, 0, 0 },
	{ ONE("{\"chain\": {\"table\": \"t\", \"name\": \"c\", \"hook\": \"exec\", "
	      "\"policy\": \"drop\"}}"),
	  "endura[0].chain.policy: unknown policy 'drop'; expected 'accept' or 'deny'", 0, 0, 0 },
	{ ONE("{\"chain\": {\"table\": \"t\", \"name\": \"c\", \"policy\": \"deny\"}}"),
	  "endura[0].chain: a chain without a hook has no policy: add \"hook\" or remove \"policy\"",
	  0, 0, 0 },
	{ ONE("{\"chain\": {\"table\": \"t\", \"name\": \"c\", \"hook\": 1}}"),
	  "endura[0].chain.hook: expected a string, got an integer", 0, 0, 0 },
	{ ONE("{\"chain\": {\"table\": \"t\", \"name\": \"c\", \"type\": \"filter\"}}"),
	  "endura[0].chain: unknown key 'type'; expected 'table', 'name', 'handle', 'hook', "
	  "'policy' or 'comment'", 0, 0, 0 },

	/* rule */
	{ ONE("{\"rule\": {\"table\": \"t\", \"chain\": \"c\"}}"), "endura[0].rule: missing key 'expr'",
	  0, 0, 0 },
	{ ONE("{\"rule\": {\"table\": \"t\", \"expr\": [{\"deny\": null}]}}"),
	  "endura[0].rule: missing key 'chain'", 0, 0, 0 },
	{ RULE("[]"), "endura[0].rule.expr: empty rule: expected a match, a statement or a "
	  "verdict", 0, 0, 0 },
	{ RULE("{}"), "endura[0].rule.expr: expected an array, got an object", 0, 0, 0 },
	{ ONE("{\"rule\": {\"table\": \"t\", \"chain\": \"c\", \"expr\": [{\"deny\": null}], "
	      "\"comment\": 5}}"),
	  "endura[0].rule.comment: expected a string, got an integer", 0, 0, 0 },
	{ RULE("[\"deny\"]"), "endura[0].rule.expr[0]: expected an object, got a string", 0, 0, 0 },
	{ RULE("[{\"acept\": null}]"),
	  "endura[0].rule.expr[0]: unknown statement 'acept'; did you mean 'accept'?", 0, 0, 0 },
	{ RULE("[{\"drop\": null}]"), "endura[0].rule.expr[0]: unknown statement 'drop'; expected "
	  "'match', 'vmap', 'counter', 'log', 'accept' or 'deny'", 0, 0, 0 },
	{ RULE("[{\"vmap\": {\"field\": \"exe\", \"data\": []}}]"),
	  "endura[0].rule.expr[0].vmap.data: an empty verdict map: expected [key, verdict] pairs",
	  0, 0, 0 },
	{ RULE("[{\"vmap\": {\"field\": \"exe\", \"data\": [\"/bin/sh\"]}}]"),
	  "endura[0].rule.expr[0].vmap.data[0]: expected a [key, verdict] pair, got a string",
	  0, 0, 0 },
	{ RULE("[{\"vmap\": {\"field\": \"exe\", \"data\": [[\"/bin/sh\", \"drop\"]]}}]"),
	  "endura[0].rule.expr[0].vmap.data[0]: unknown verdict 'drop'; expected 'accept' or "
	  "'deny'", 0, 0, 0 },
	{ RULE("[{\"vmap\": {\"field\": \"exe\"}}]"),
	  "endura[0].rule.expr[0].vmap: missing key 'data'", 0, 0, 0 },
	{ RULE("[{\"log\": null}, {\"vmap\": {\"field\": \"uid\", \"data\": [[0, \"deny\"]]}}]"),
	  "endura[0].rule.expr[1].vmap: a vmap must come before counter, log and the verdict",
	  0, 0, 0 },
	{ RULE("[{\"deny\": {}}]"), "endura[0].rule.expr[0].deny: expected null, got an object",
	  0, 0, 0 },
	{ RULE("[{\"log\": \"x\"}]"), "endura[0].rule.expr[0].log: expected null or an object, got "
	  "a string", 0, 0, 0 },
	{ RULE("[{\"log\": {\"prefix\": \"x\"}}]"),
	  "endura[0].rule.expr[0].log: unknown key 'prefix'; expected none", 0, 0, 0 },
	{ RULE("[{\"counter\": {\"packets\": 1}}]"),
	  "endura[0].rule.expr[0].counter: unknown key 'packets'; expected 'hits'", 0, 0, 0 },
	{ RULE("[{\"counter\": {\"hits\": 1.5}}]"),
	  "endura[0].rule.expr[0].counter.hits: expected an integer, got a real number", 0, 0, 0 },
	{ RULE("[{\"counter\": null}, {\"counter\": null}]"),
	  "endura[0].rule.expr[1].counter: a rule has one counter at most", 0, 0, 0 },
	{ RULE("[{\"log\": null}, {\"log\": null}]"),
	  "endura[0].rule.expr[1].log: a rule has one log at most", 0, 0, 0 },
	{ RULE("[{\"deny\": null}, {\"log\": null}]"),
	  "endura[0].rule.expr[1]: nothing may follow the verdict 'deny'", 0, 0, 0 },
	{ RULE("[{\"accept\": null}, {\"deny\": null}]"),
	  "endura[0].rule.expr[1]: nothing may follow the verdict 'accept'", 0, 0, 0 },
	{ RULE("[{\"counter\": null}, {\"match\": {\"op\": \"==\", \"field\": \"uid\", \"right\": 0}}]"),
	  "endura[0].rule.expr[1].match: a match must come before counter, log and the verdict",
	  0, 0, 0 },

	/* match */
	{ RULE("[{\"match\": {\"op\": \"==\", \"field\": \"path\", \"right\": {\"set\": []}}}, "
	       "{\"deny\": null}]"),
	  "endura[0].rule.expr[0].match.right.set: empty set of values in match", 0, 0, 0 },
	{ RULE("[{\"match\": {\"op\": \"==\", \"field\": \"pth\", \"right\": \"/a\"}}]"),
	  "endura[0].rule.expr[0].match.field: unknown field 'pth'; did you mean 'path'?", 0, 0, 0 },
	{ RULE("[{\"match\": {\"op\": \"==\", \"field\": \"comm\", \"right\": \"sh\"}}]"),
	  "endura[0].rule.expr[0].match.field: unknown field 'comm'; expected 'path', 'access', "
	  "'exe', 'uid', 'capability', 'command', 'source', 'signal' or 'target'", 0, 0, 0 },
	{ RULE("[{\"match\": {\"op\": \"eq\", \"field\": \"path\", \"right\": \"/a\"}}]"),
	  "endura[0].rule.expr[0].match.op: unknown operator 'eq'; expected '==' or '!='", 0, 0, 0 },
	{ RULE("[{\"match\": {\"field\": \"path\", \"right\": \"/a\"}}]"),
	  "endura[0].rule.expr[0].match: missing key 'op'", 0, 0, 0 },
	{ RULE("[{\"match\": {\"op\": \"==\", \"field\": \"path\"}}]"),
	  "endura[0].rule.expr[0].match: missing key 'right'", 0, 0, 0 },
	{ RULE("[{\"match\": {\"op\": \"==\", \"left\": \"path\", \"field\": \"path\", "
	       "\"right\": \"/a\"}}]"),
	  "endura[0].rule.expr[0].match: unknown key 'left'; expected 'op', 'field' or 'right'",
	  0, 0, 0 },
	{ MATCH("true"), "endura[0].rule.expr[0].match.right: expected a string, an integer or "
	  "{\"set\": [...]}, got true", 0, 0, 0 },
	{ MATCH("1.5"), "endura[0].rule.expr[0].match.right: expected a string, an integer or "
	  "{\"set\": [...]}, got a real number", 0, 0, 0 },
	{ MATCH("[\"/a\"]"), "endura[0].rule.expr[0].match.right: expected a string, an integer or "
	  "{\"set\": [...]}, got an array", 0, 0, 0 },
	{ MATCH("-3"), "endura[0].rule.expr[0].match.right: expected a non-negative integer, got -3",
	  0, 0, 0 },
	{ MATCH("\"@\""), "endura[0].rule.expr[0].match.right: expected a set name after '@'",
	  0, 0, 0 },
	{ MATCH("{\"set\": \"/a\"}"), "endura[0].rule.expr[0].match.right.set: expected an array, "
	  "got a string", 0, 0, 0 },
	{ MATCH("{}"), "endura[0].rule.expr[0].match.right: missing key 'set'", 0, 0, 0 },
	{ MATCH("{\"elements\": [\"/a\"]}"), "endura[0].rule.expr[0].match.right: unknown key "
	  "'elements'; expected 'set'", 0, 0, 0 },
	{ MATCH("{\"set\": [\"/a\", \"@s\"]}"), "endura[0].rule.expr[0].match.right.set[1]: a set "
	  "cannot hold the set reference '@s'", 0, 0, 0 },
	{ MATCH("{\"set\": [\"/a\", null]}"), "endura[0].rule.expr[0].match.right.set[1]: expected a "
	  "string or an integer, got null", 0, 0, 0 },

	/* command wrappers */
	{ ONE("{\"add\": \"table\"}"), "endura[0].add: expected an object, got a string", 0, 0, 0 },
	{ ONE("{\"add\": {\"table\": {\"name\": \"t\"}, \"chain\": {}}}"),
	  "endura[0].add: expected a single key ('table', 'set', 'chain', 'rule' or 'element'), "
	  "got 2 keys",
	  0, 0, 0 },
	{ ONE("{\"add\": {\"tabel\": {\"name\": \"t\"}}}"),
	  "endura[0].add: unknown object 'tabel'; did you mean 'table'?", 0, 0, 0 },
	{ ONE("{\"add\": {\"chain\": {\"table\": \"t\", \"name\": \"c\", \"hook\": \"file_opn\"}}}"),
	  "endura[0].add.chain.hook: unknown hook 'file_opn'; did you mean 'file_open'?", 0, 0, 0 },
	{ ONE("{\"add\": {\"rule\": {\"table\": \"t\", \"chain\": \"c\", \"expr\": [{\"match\": "
	      "{\"op\": \"==\", \"field\": \"exe\", \"right\": {\"set\": [1, {}]}}}]}}}"),
	  "endura[0].add.rule.expr[0].match.right.set[1]: expected a string or an integer, got an "
	  "object", 0, 0, 0 },
	{ ONE("{\"delete\": {\"rule\": {\"table\": \"t\", \"chain\": \"c\"}}}"),
	  "endura[0].delete.rule: missing key 'handle'", 0, 0, 0 },
	{ ONE("{\"delete\": {\"rule\": {\"table\": \"t\", \"chain\": \"c\", \"handle\": 0}}}"),
	  "endura[0].delete.rule.handle: expected a rule handle, a positive integer", 0, 0, 0 },
	{ ONE("{\"delete\": {\"rule\": {\"table\": \"t\", \"chain\": \"c\", \"handle\": 1, "
	      "\"expr\": []}}}"),
	  "endura[0].delete.rule: unknown key 'expr'; expected 'table', 'chain' or 'handle'", 0, 0, 0 },
	{ ONE("{\"delete\": {\"table\": {\"name\": \"t\", \"handle\": 1}}}"),
	  "endura[0].delete.table: unknown key 'handle'; expected 'name'", 0, 0, 0 },
	{ ONE("{\"delete\": {\"chain\": {\"table\": \"t\"}}}"), "endura[0].delete.chain: missing key "
	  "'name'", 0, 0, 0 },
	{ ONE("{\"delete\": {\"set\": {\"table\": \"t\", \"name\": \"\"}}}"),
	  "endura[0].delete.set.name: expected a non-empty name", 0, 0, 0 },
	{ ONE("{\"delete\": {\"ruleset\": null}}"), "endura[0].delete: unknown object 'ruleset'; "
	  "expected 'table', 'chain', 'set', 'rule' or 'element'", 0, 0, 0 },
	{ ONE("{\"flush\": {\"element\": {\"table\": \"t\", \"name\": \"s\"}}}"),
	  "endura[0].flush: unknown object 'element'; expected 'ruleset', 'table', 'chain' or "
	  "'set'", 0, 0, 0 },
	{ ONE("{\"flush\": {\"ruleset\": {}}}"), "endura[0].flush.ruleset: expected null, got an "
	  "object", 0, 0, 0 },
	{ ONE("{\"flush\": {\"chain\": {\"table\": \"t\", \"name\": \"c\", \"hook\": \"exec\"}}}"),
	  "endura[0].flush.chain: unknown key 'hook'; expected 'table' or 'name'", 0, 0, 0 },
	{ ONE("{\"table\": {\"name\": \"ok\"}}, {\"flush\": {\"table\": {}}}"),
	  "endura[1].flush.table: missing key 'name'", 0, 0, 0 },
};

static void test_import_errors(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *c = &error_cases[i];
		const struct diag *diag;
		const struct location *loc;

		reset(f);
		if (import(f, c->json) != -1 || f->diags.errors != 1 || !list_empty(&f->ctx.cmds))
			fail_msg("case %zu: %s: expected one error, got %u", i, c->json,
				 f->diags.errors);
		diag = first_diag(f);
		loc = &diag->loc;
		if (strcmp(diag->message, c->message) != 0)
			fail_msg("case %zu: %s:\n   got: %s\nwanted: %s", i, c->json, diag->message,
				 c->message);
		/* every error names the input, which keeps the text for quoting */
		assert_int_equal(diag->severity, DIAG_ERROR);
		assert_non_null(loc->input);
		assert_string_equal(loc->input->name, "policy.json");
		assert_string_equal(loc->input->text, c->json);
		if (loc->first_line != c->line || loc->last_line != c->line ||
		    loc->first_column != c->first_column || loc->last_column != c->last_column)
			fail_msg("case %zu: %s: at %u:%u-%u:%u, wanted %u:%u-%u", i, c->json,
				 loc->first_line, loc->first_column, loc->last_line, loc->last_column,
				 c->line, c->first_column, c->last_column);
	}
}

/* A syntax error prints like a text one: position, message, the line and carets. */
static void test_syntax_error_printed(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	size_t size = 0;
	FILE *stream = open_memstream(&out, &size);

	assert_int_equal(import(f, "{\"endura\": [\n  {\"table\": {\"name\": \"t\"}}\n"
				"  {\"chain\": {}}\n]}"), -1);
	diag_print(&f->diags, stream);
	fclose(stream);
	assert_string_equal(out, "policy.json:3:3-3: Error: JSON syntax error: ']' expected near '{'\n"
			    "  {\"chain\": {}}\n"
			    "  ^\n");
	free(out);
}

/* Every mistake of one object is reported, not only the first; the count stops at
 * DIAG_MAX_ERRORS entries. */
static void test_import_many_errors(void **state)
{
	struct fixture *f = *state;
	const struct diag *diag;
	size_t len = 0, size = 64;
	char *text = xzalloc(size);

	assert_int_equal(import(f, ONE("{\"chain\": {\"table\": 1, \"name\": \"\", \"hook\": "
				       "\"file_opn\", \"policy\": \"drop\", \"prio\": 0}}")), -1);
	assert_int_equal(f->diags.errors, 5);
	diag = first_diag(f);
	assert_string_equal(diag->message, "endura[0].chain: unknown key 'prio'; expected 'table', "
			    "'name', 'handle', 'hook', 'policy' or 'comment'");

	reset(f);
	len = (size_t)sprintf(text, "{\"endura\": [");
	for (int i = 0; i < 3 * DIAG_MAX_ERRORS; i++) {
		text = xrealloc(text, size += 64);
		len += (size_t)sprintf(text + len, "%s{\"table\": {}}", i ? "," : "");
	}
	strcpy(text + len, "]}");
	assert_int_equal(import(f, text), -1);
	assert_int_equal(f->diags.errors, DIAG_MAX_ERRORS);
	free(text);
}

/* --- round trips --------------------------------------------------------------------------- */

/* export -> text -> import -> ruleset -> export gives the same bytes. */
static void assert_ruleset_round_trip(struct fixture *f, const struct ruleset *ruleset,
				      unsigned int flags)
{
	char *first = dump(json_export_ruleset(ruleset, flags)), *second;
	struct ruleset copy;

	reset(f);
	assert_int_equal(import(f, first), 0);
	ruleset_init(&copy);
	apply_adds(&copy, &f->ctx.cmds);
	second = dump(json_export_ruleset(&copy, flags));
	assert_string_equal(second, first);
	ruleset_free(&copy);
	free(first);
	free(second);
}

static void test_round_trip_ruleset(void **state)
{
	struct fixture *f = *state;
	struct ruleset ruleset;

	ruleset_init(&ruleset);
	build_example(&ruleset);
	build_shapes(&ruleset);
	assert_ruleset_round_trip(f, &ruleset, 0);
	number_example(&ruleset);
	assert_ruleset_round_trip(f, &ruleset, PRINT_HANDLES);
	ruleset_free(&ruleset);
}

/* The entries of a listing one at a time: those of the whole document, in its order, as many as
 * json_export_ruleset_size() says. */
struct each {
	const json_t *list;
	size_t seen;
};

static void check_entry(json_t *entry, void *data)
{
	struct each *each = data;

	assert_true(json_equal(entry, json_array_get(each->list, each->seen)));
	each->seen++;
	json_decref(entry);
}

static void test_export_each(void **state)
{
	struct ruleset ruleset;
	json_t *whole;
	struct each each;

	(void)state;
	ruleset_init(&ruleset);
	build_example(&ruleset);
	build_shapes(&ruleset);
	number_example(&ruleset);
	whole = json_export_ruleset(&ruleset, PRINT_HANDLES);
	each = (struct each){ json_object_get(whole, "endura"), 0 };
	json_export_ruleset_each(&ruleset, PRINT_HANDLES, check_entry, &each);
	assert_int_equal(each.seen, json_array_size(each.list));
	assert_int_equal(json_export_ruleset_size(&ruleset), each.seen);
	json_decref(whole);
	ruleset_free(&ruleset);
}

static void test_round_trip_cmds(void **state)
{
	struct fixture *f = *state;
	char *text;

	assert_int_equal(import(f, cmds_json), 0);
	text = dump(json_export_cmds(&f->ctx.cmds));
	assert_string_equal(text, cmds_json);
	free(text);
}

/* The daemon's wire input: an already decoded document. */
static void test_import_decoded(void **state)
{
	struct fixture *f = *state;
	json_t *root = json_loads(example_json, 0, NULL);
	const struct input *input;
	char *text;

	assert_non_null(root);
	assert_int_equal(json_import(&f->ctx, "<control>", root), 0);
	json_decref(root);
	assert_int_equal(count_cmds(&f->ctx.cmds), 4);
	input = list_first_entry(&f->ctx.inputs, struct input, list);
	assert_string_equal(input->name, "<control>");
	assert_string_equal(input->text, example_json);
	assert_whole_input(&nth_cmd(&f->ctx.cmds, 3)->rule->loc, "<control>");
	text = dump(json_export_cmds(&f->ctx.cmds));
	free(text);

	root = json_pack("{s:[{s:{s:i}}]}", "endura", "table", "name", 1);
	assert_int_equal(json_import(&f->ctx, "<control>", root), -1);
	json_decref(root);
	assert_string_equal(first_diag(f)->message,
			    "endura[0].table.name: expected a string, got an integer");
	assert_string_equal(first_diag(f)->loc.input->name, "<control>");
	assert_int_equal(count_cmds(&f->ctx.cmds), 4);
}

/* The daemon's wire input of a commit: the entries one at a time, each freed once imported, give
 * the commands the whole document gives; an error names its entry and adds nothing. */
static void test_import_stream(void **state)
{
	struct fixture *f = *state;
	json_t *root = json_loads(example_json, 0, NULL), *entry;
	struct json_stream *stream = json_stream_open(&f->ctx, "<control>");
	char *whole, *streamed;
	size_t i;

	assert_non_null(root);
	json_array_foreach(json_object_get(root, "endura"), i, entry)
		json_stream_entry(stream, entry);
	assert_int_equal(json_stream_close(stream), 0);
	streamed = dump(json_export_cmds(&f->ctx.cmds));
	reset(f);
	assert_int_equal(json_import(&f->ctx, "<control>", root), 0);
	whole = dump(json_export_cmds(&f->ctx.cmds));
	assert_string_equal(streamed, whole);
	free(streamed);
	free(whole);
	json_decref(root);

	reset(f);
	stream = json_stream_open(&f->ctx, "<control>");
	entry = json_pack("{s:{s:s}}", "table", "name", "ok");
	json_stream_entry(stream, entry);
	json_decref(entry);
	entry = json_pack("{s:{s:i}}", "table", "name", 1);
	json_stream_entry(stream, entry);
	json_decref(entry);
	assert_int_equal(json_stream_close(stream), -1);
	assert_string_equal(first_diag(f)->message,
			    "endura[1].table.name: expected a string, got an integer");
	assert_string_equal(first_diag(f)->loc.input->name, "<control>");
	assert_int_equal(count_cmds(&f->ctx.cmds), 0);
}

/* --- size ---------------------------------------------------------------------------------- */

#define MANY_RULES 10000

static void test_import_10000_rules(void **state)
{
	struct fixture *f = *state;
	struct ruleset ruleset, copy;
	struct chain *chain;
	struct rule *rule;
	struct timespec start, end;
	char *text, *again, path[32];
	double seconds;

	ruleset_init(&ruleset);
	chain = add_chain(add_table(&ruleset, "big", MODE_ENFORCE), "files", HOOK_FILE_OPEN,
			  VERDICT_ACCEPT);
	for (unsigned int i = 0; i < MANY_RULES; i++) {
		rule = add_rule(chain, i % 2 ? VERDICT_DENY : VERDICT_NONE);
		snprintf(path, sizeof(path), "/srv/data/%u/", i);
		add_string(&add_match(rule, FIELD_PATH, OP_EQ)->values, path);
		add_number(&add_match(rule, FIELD_UID, OP_NEQ)->values, i);
		rule->counter = true;
		rule->log = i % 3 == 0;
	}
	text = dump(json_export_ruleset(&ruleset, 0));

	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(import(f, text), 0);
	clock_gettime(CLOCK_MONOTONIC, &end);
	seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	print_message("imported %u rules in %.3f s\n", MANY_RULES, seconds);
	assert_int_equal(count_cmds(&f->ctx.cmds), MANY_RULES + 2);
	assert_true(seconds < 10.0);

	ruleset_init(&copy);
	apply_adds(&copy, &f->ctx.cmds);
	again = dump(json_export_ruleset(&copy, 0));
	assert_string_equal(again, text);
	ruleset_free(&copy);
	ruleset_free(&ruleset);
	free(again);
	free(text);
}

/* --- files --------------------------------------------------------------------------------- */

static char *write_temp(const char *text, size_t len)
{
	char *path = xstrdup("/tmp/endura-test-json-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_import_path(void **state)
{
	struct fixture *f = *state;
	char *path = write_temp(example_json, strlen(example_json));
	int saved;

	assert_int_equal(json_import_path(&f->ctx, path), 0);
	assert_int_equal(count_cmds(&f->ctx.cmds), 4);
	assert_string_equal(list_first_entry(&f->ctx.inputs, struct input, list)->name, path);
	assert_whole_input(&nth_cmd(&f->ctx.cmds, 0)->loc, path);

	/* "-" reads standard input */
	saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(open(path, O_RDONLY), STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(json_import_path(&f->ctx, "-"), 0);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	assert_int_equal(count_cmds(&f->ctx.cmds), 8);
	assert_string_equal(nth_cmd(&f->ctx.cmds, 4)->loc.input->name, "<stdin>");
	unlink(path);
	free(path);

	reset(f);
	assert_int_equal(json_import_path(&f->ctx, "/nonexistent/endura.json"), -1);
	assert_string_equal(first_diag(f)->message,
			    "cannot read '/nonexistent/endura.json': No such file or directory");

	reset(f);
	path = write_temp("{\"endura\": []}\0{", 16);
	assert_int_equal(json_import_path(&f->ctx, path), -1);
	assert_non_null(strstr(first_diag(f)->message, "': a JSON policy holds no NUL byte"));
	unlink(path);
	free(path);
}

/* --- golden files -------------------------------------------------------------------------- */

static char *golden_dir(const char *which)
{
	char *dir = xstrdup(__FILE__), *slash = strrchr(dir, '/'), *path;

	if (slash)
		*slash = '\0';
	path = xasprintf("%s/../golden/%s", slash ? dir : ".", which);
	free(dir);
	return path;
}

static char *read_golden(const char *file)
{
	size_t len;
	char *text = read_whole_file(file, &len);

	assert_non_null(text);
	assert_true(len > 0 && text[len - 1] == '\n');
	text[len - 1] = '\0';
	return text;
}

/* The text twin golden/parse/NAME.rules, loaded the way endurd loads it (parse, apply, evaluate),
 * lists as the JSON golden, read directly and through the JSON commands endurctl sends. */
static void check_text_twin(const char *name, const char *expected)
{
	char *parse_dir = golden_dir("parse"), *file = xasprintf("%s/%s.rules", parse_dir, name);
	struct diag_list diags;
	struct parse_ctx ctx;
	struct ruleset ruleset;
	char *text;

	if (access(file, R_OK) != 0)
		fail_msg("%s: the JSON golden %s has no text twin", file, name);
	print_message("%s\n", file);
	diag_list_init(&diags);
	parse_ctx_init(&ctx, &diags);
	ruleset_init(&ruleset);
	if (parse_path(&ctx, file) < 0 || ruleset_apply(&ruleset, &ctx.cmds, &diags) < 0 ||
	    ruleset_evaluate(&ruleset, &diags) < 0)
		diag_print(&diags, stderr);
	assert_int_equal(diags.errors, 0);
	text = dump(json_export_ruleset(&ruleset, 0));
	assert_string_equal(text, expected);
	free(text);
	ruleset_free(&ruleset);
	parse_ctx_free(&ctx);
	/* the same through the wire: endurctl sends the commands as JSON, endurd imports */
	parse_ctx_init(&ctx, &diags);
	assert_int_equal(parse_path(&ctx, file), 0);
	text = dump(json_export_cmds(&ctx.cmds));
	cmd_list_free(&ctx.cmds);
	ruleset_init(&ruleset);
	assert_int_equal(json_import_text(&ctx, "request", text), 0);
	assert_int_equal(ruleset_apply(&ruleset, &ctx.cmds, &diags), 0);
	assert_int_equal(ruleset_evaluate(&ruleset, &diags), 0);
	free(text);
	text = dump(json_export_ruleset(&ruleset, 0));
	assert_string_equal(text, expected);
	free(text);
	ruleset_free(&ruleset);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	free(file);
	free(parse_dir);
}

/* golden/json/NAME.json holds what "endurctl -j list ruleset" prints, one line: importing it and
 * exporting the result gives it back byte for byte, and its text twin lists the same. */
static void test_golden_files(void **state)
{
	struct fixture *f = *state;
	char *golden = golden_dir("json");
	struct dirent **names;
	unsigned int checked = 0;
	int count;

	count = scandir(golden, &names, NULL, alphasort);
	if (count < 0)
		fail_msg("cannot read %s (run from the top of the source tree)", golden);
	for (int i = 0; i < count; i++) {
		size_t len = strlen(names[i]->d_name);
		char *file, *text, *again;
		struct ruleset ruleset;

		if (len > 5 && strcmp(names[i]->d_name + len - 5, ".json") == 0) {
			file = xasprintf("%s/%s", golden, names[i]->d_name);
			print_message("%s\n", file);
			text = read_golden(file);
			reset(f);
			assert_int_equal(json_import_text(&f->ctx, file, text), 0);
			ruleset_init(&ruleset);
			apply_adds(&ruleset, &f->ctx.cmds);
			again = dump(json_export_ruleset(&ruleset, 0));
			assert_string_equal(again, text);
			ruleset_free(&ruleset);
			names[i]->d_name[len - 5] = '\0';
			check_text_twin(names[i]->d_name, text);
			free(again);
			free(text);
			free(file);
			checked++;
		}
		free(names[i]);
	}
	free(names);
	free(golden);
	assert_true(checked > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_empty),
		cmocka_unit_test(test_export_example),
		cmocka_unit_test(test_export_shapes),
		cmocka_unit_test(test_export_unrepresentable),
		cmocka_unit_test(test_export_cmds),
		cmocka_unit_test(test_export_cmds_handles),
		cmocka_unit_test_setup_teardown(test_import_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_defaults_and_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_mixed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_error_adds_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error_printed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_many_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_ruleset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_cmds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_stream, setup, teardown),
		cmocka_unit_test(test_export_each),
		cmocka_unit_test_setup_teardown(test_import_10000_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_golden_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
