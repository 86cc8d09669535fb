// SPDX-License-Identifier: GPL-2.0-only
/* The scanner and the parser: every construct, the locations they record, define and include,
 * every syntax error with its exact text, error recovery, and the diagnostics printer. */
#include <errno.h>
#include <fcntl.h>

#include "parse_helpers.h"
#include "parse_internal.h"

static void assert_loc(const struct location *loc, unsigned int first_line,
		       unsigned int first_column, unsigned int last_line, unsigned int last_column)
{
	assert_non_null(loc->input);
	assert_int_equal(loc->first_line, first_line);
	assert_int_equal(loc->first_column, first_column);
	assert_int_equal(loc->last_line, last_line);
	assert_int_equal(loc->last_column, last_column);
}

static void assert_values(const struct list_head *values, const char *const *texts,
			  unsigned int count)
{
	const struct value *value;
	unsigned int i = 0;

	list_for_each_entry(value, values, list) {
		assert_true(i < count);
		assert_string_equal(value->text, texts[i]);
		i++;
	}
	assert_int_equal(i, count);
}

/* --- constructs and locations ---------------------------------------------------------------- */

static const char example[] =
	"define PASSWD_TOOLS = { /usr/bin/passwd, /usr/sbin/chpasswd }\n"
	"\n"
	"table host {\n"
	"\tmode enforce\n"
	"\tset shells { type path; elements = { /bin/sh, /bin/bash } }\n"
	"\tchain files {\n"
	"\t\thook file_open; policy accept\n"
	"\t\tpath /etc/shadow access write exe != $PASSWD_TOOLS counter log deny comment \"credential store\"\n"
	"\t\tpath /root/.ssh/ access write uid != 0 deny\t# the whole subtree\n"
	"\t}\n"
	"}\n";

static void test_example_tree(void **unused)
{
	struct parsed *p = parse_string(example);
	struct cmd *cmd;
	struct table *table;
	struct set *set;
	struct chain *chain;
	struct rule *rule;
	struct match *match;
	struct value *value;

	(void)unused;
	assert_int_equal(p->ret, 0);
	assert_int_equal(p->diags.errors, 0);
	assert_int_equal(list_count(&p->ctx.cmds), 1);

	cmd = nth_cmd(p, 0);
	assert_int_equal(cmd->op, CMD_ADD);
	assert_int_equal(cmd->object, CMD_OBJ_TABLE);
	assert_string_equal(cmd->target.table, "host");
	assert_loc(&cmd->target.table_loc, 3, 7, 3, 10);
	assert_loc(&cmd->loc, 3, 1, 11, 1);
	assert_string_equal(cmd->loc.input->name, "<cmdline>");

	table = cmd->table;
	assert_string_equal(table->name, "host");
	assert_loc(&table->loc, 3, 7, 3, 10);
	assert_true(table->has_mode);
	assert_int_equal(table->mode, MODE_ENFORCE);

	assert_int_equal(list_count(&table->sets), 1);
	set = nth_entry(&table->sets, struct set, 0);
	assert_string_equal(set->name, "shells");
	assert_loc(&set->loc, 5, 6, 5, 11);
	assert_int_equal(set->type, SET_TYPE_PATH);
	assert_values(&set->elements, (const char *const[]){ "/bin/sh", "/bin/bash" }, 2);
	value = nth_entry(&set->elements, struct value, 1);
	assert_loc(&value->loc, 5, 48, 5, 56);
	assert_int_equal(value->kind, VALUE_STRING);

	assert_int_equal(list_count(&table->chains), 1);
	chain = nth_entry(&table->chains, struct chain, 0);
	assert_string_equal(chain->name, "files");
	assert_loc(&chain->loc, 6, 8, 6, 12);
	assert_true(chain->has_hook);
	assert_int_equal(chain->hook, HOOK_FILE_OPEN);
	assert_loc(&chain->hook_loc, 7, 3, 7, 16);
	assert_int_equal(chain->policy, VERDICT_ACCEPT);
	assert_int_equal(list_count(&chain->rules), 2);

	rule = nth_entry(&chain->rules, struct rule, 0);
	assert_loc(&rule->loc, 8, 3, 8, 96);
	assert_true(rule->counter);
	assert_true(rule->log);
	assert_int_equal(rule->verdict, VERDICT_DENY);
	assert_string_equal(rule->comment, "credential store");
	assert_int_equal(list_count(&rule->matches), 3);

	match = nth_entry(&rule->matches, struct match, 0);
	assert_int_equal(match->field, FIELD_PATH);
	assert_int_equal(match->op, OP_EQ);
	assert_false(match->braces);
	assert_null(match->set_name);
	assert_loc(&match->loc, 8, 3, 8, 18);
	assert_loc(&match->field_loc, 8, 3, 8, 6);
	assert_values(&match->values, (const char *const[]){ "/etc/shadow" }, 1);
	assert_loc(&nth_entry(&match->values, struct value, 0)->loc, 8, 8, 8, 18);

	match = nth_entry(&rule->matches, struct match, 1);
	assert_int_equal(match->field, FIELD_ACCESS);
	assert_values(&match->values, (const char *const[]){ "write" }, 1);
	assert_loc(&match->loc, 8, 20, 8, 31);

	/* $PASSWD_TOOLS: the match is where it is used, the values where they were defined */
	match = nth_entry(&rule->matches, struct match, 2);
	assert_int_equal(match->field, FIELD_EXE);
	assert_int_equal(match->op, OP_NEQ);
	assert_true(match->braces);
	assert_loc(&match->loc, 8, 33, 8, 52);
	assert_loc(&match->field_loc, 8, 33, 8, 35);
	assert_values(&match->values,
		      (const char *const[]){ "/usr/bin/passwd", "/usr/sbin/chpasswd" }, 2);
	assert_loc(&nth_entry(&match->values, struct value, 0)->loc, 1, 25, 1, 39);
	assert_loc(&nth_entry(&match->values, struct value, 1)->loc, 1, 42, 1, 59);

	rule = nth_entry(&chain->rules, struct rule, 1);
	assert_loc(&rule->loc, 9, 3, 9, 45);
	assert_false(rule->counter);
	assert_false(rule->log);
	assert_null(rule->comment);
	match = nth_entry(&rule->matches, struct match, 2);
	assert_int_equal(match->field, FIELD_UID);
	assert_int_equal(match->op, OP_NEQ);
	value = nth_entry(&match->values, struct value, 0);
	assert_int_equal(value->kind, VALUE_NUMBER);
	assert_int_equal(value->number, 0);
	assert_string_equal(value->text, "0");
	assert_loc(&value->loc, 9, 40, 9, 40);
	parsed_free(p);
}

static void test_commands(void **unused)
{
	struct parsed *p = parse_string("add table t\n"
					"add table u { mode audit }\n"
					"add chain t c\n"
					"add chain t d { hook exec; policy deny }\n"
					"add set t s { type uid; elements = { 0, 1000 } }\n"
					"add rule t c uid 0 accept\n"
					"delete table t\n"
					"delete chain t c\n"
					"delete set t s\n"
					"delete rule t c handle 42\n"
					"flush ruleset\n"
					"flush table t\n"
					"flush chain t c");
	struct cmd *cmd;

	(void)unused;
	assert_int_equal(p->ret, 0);
	assert_int_equal(list_count(&p->ctx.cmds), 13);

	cmd = nth_cmd(p, 0);
	assert_int_equal(cmd->op, CMD_ADD);
	assert_int_equal(cmd->object, CMD_OBJ_TABLE);
	assert_string_equal(cmd->target.table, "t");
	assert_string_equal(cmd->table->name, "t");
	assert_false(cmd->table->has_mode);
	assert_true(list_empty(&cmd->table->chains));
	assert_loc(&cmd->loc, 1, 1, 1, 11);
	assert_loc(&cmd->table->loc, 1, 11, 1, 11);

	cmd = nth_cmd(p, 1);
	assert_true(cmd->table->has_mode);
	assert_int_equal(cmd->table->mode, MODE_AUDIT);

	cmd = nth_cmd(p, 2);
	assert_int_equal(cmd->object, CMD_OBJ_CHAIN);
	assert_string_equal(cmd->target.table, "t");
	assert_string_equal(cmd->target.chain, "c");
	assert_loc(&cmd->target.chain_loc, 3, 13, 3, 13);
	assert_string_equal(cmd->chain->name, "c");
	assert_false(cmd->chain->has_hook);

	cmd = nth_cmd(p, 3);
	assert_string_equal(cmd->chain->name, "d");
	assert_loc(&cmd->chain->loc, 4, 13, 4, 13);
	assert_true(cmd->chain->has_hook);
	assert_int_equal(cmd->chain->hook, HOOK_EXEC);
	assert_int_equal(cmd->chain->policy, VERDICT_DENY);
	assert_loc(&cmd->chain->hook_loc, 4, 17, 4, 25);

	cmd = nth_cmd(p, 4);
	assert_int_equal(cmd->object, CMD_OBJ_SET);
	assert_string_equal(cmd->target.set, "s");
	assert_loc(&cmd->target.set_loc, 5, 11, 5, 11);
	assert_string_equal(cmd->set->name, "s");
	assert_int_equal(cmd->set->type, SET_TYPE_UID);
	assert_values(&cmd->set->elements, (const char *const[]){ "0", "1000" }, 2);
	assert_int_equal(nth_entry(&cmd->set->elements, struct value, 1)->number, 1000);

	cmd = nth_cmd(p, 5);
	assert_int_equal(cmd->object, CMD_OBJ_RULE);
	assert_string_equal(cmd->target.table, "t");
	assert_string_equal(cmd->target.chain, "c");
	assert_loc(&cmd->target.table_loc, 6, 10, 6, 10);
	assert_loc(&cmd->target.chain_loc, 6, 12, 6, 12);
	assert_loc(&cmd->loc, 6, 1, 6, 25);
	assert_loc(&cmd->rule->loc, 6, 14, 6, 25);
	assert_int_equal(cmd->rule->verdict, VERDICT_ACCEPT);

	cmd = nth_cmd(p, 6);
	assert_int_equal(cmd->op, CMD_DELETE);
	assert_int_equal(cmd->object, CMD_OBJ_TABLE);
	assert_string_equal(cmd->target.table, "t");
	assert_null(cmd->table);

	cmd = nth_cmd(p, 7);
	assert_int_equal(cmd->op, CMD_DELETE);
	assert_int_equal(cmd->object, CMD_OBJ_CHAIN);
	assert_string_equal(cmd->target.chain, "c");

	cmd = nth_cmd(p, 8);
	assert_int_equal(cmd->op, CMD_DELETE);
	assert_int_equal(cmd->object, CMD_OBJ_SET);
	assert_string_equal(cmd->target.set, "s");

	cmd = nth_cmd(p, 9);
	assert_int_equal(cmd->op, CMD_DELETE);
	assert_int_equal(cmd->object, CMD_OBJ_RULE);
	assert_string_equal(cmd->target.table, "t");
	assert_string_equal(cmd->target.chain, "c");
	assert_int_equal(cmd->target.handle, 42);
	assert_loc(&cmd->target.table_loc, 10, 13, 10, 13);
	assert_loc(&cmd->target.chain_loc, 10, 15, 10, 15);
	assert_loc(&cmd->target.handle_loc, 10, 24, 10, 25);

	cmd = nth_cmd(p, 10);
	assert_int_equal(cmd->op, CMD_FLUSH);
	assert_int_equal(cmd->object, CMD_OBJ_RULESET);
	assert_loc(&cmd->loc, 11, 1, 11, 13);

	cmd = nth_cmd(p, 11);
	assert_int_equal(cmd->op, CMD_FLUSH);
	assert_int_equal(cmd->object, CMD_OBJ_TABLE);
	assert_string_equal(cmd->target.table, "t");

	cmd = nth_cmd(p, 12);
	assert_int_equal(cmd->op, CMD_FLUSH);
	assert_int_equal(cmd->object, CMD_OBJ_CHAIN);
	assert_string_equal(cmd->target.chain, "c");
	assert_loc(&cmd->loc, 13, 1, 13, 15);
	parsed_free(p);
}

/* Keywords are scoped: as a name or a value they are plain words. */
static void test_keywords_as_names(void **unused)
{
	struct parsed *p = parse_string(
		"table table { chain exec { hook exec; policy accept; path /x access exec deny } }\n"
		"table mode { set path { type path; elements = { table, deny } }; chain log {\n"
		"\thook file_open; path deny access exec comment deny; log } }\n"
		"add rule include hook path accept exe rule deny\n");
	struct table *table;
	struct chain *chain;
	struct rule *rule;
	struct cmd *cmd;
	struct set *set;

	(void)unused;
	assert_int_equal(p->ret, 0);
	table = nth_cmd(p, 0)->table;
	assert_string_equal(table->name, "table");
	chain = nth_entry(&table->chains, struct chain, 0);
	assert_string_equal(chain->name, "exec");
	assert_int_equal(chain->hook, HOOK_EXEC);
	rule = nth_entry(&chain->rules, struct rule, 0);
	assert_values(&nth_entry(&rule->matches, struct match, 1)->values,
		      (const char *const[]){ "exec" }, 1);
	assert_int_equal(rule->verdict, VERDICT_DENY);

	table = nth_cmd(p, 1)->table;
	assert_string_equal(table->name, "mode");
	assert_false(table->has_mode);
	set = nth_entry(&table->sets, struct set, 0);
	assert_string_equal(set->name, "path");
	assert_values(&set->elements, (const char *const[]){ "table", "deny" }, 2);
	chain = nth_entry(&table->chains, struct chain, 0);
	assert_string_equal(chain->name, "log");
	assert_int_equal(list_count(&chain->rules), 2);
	rule = nth_entry(&chain->rules, struct rule, 0);
	assert_values(&nth_entry(&rule->matches, struct match, 0)->values,
		      (const char *const[]){ "deny" }, 1);
	assert_int_equal(rule->verdict, VERDICT_NONE);
	assert_string_equal(rule->comment, "deny");
	rule = nth_entry(&chain->rules, struct rule, 1);
	assert_true(rule->log);
	assert_true(list_empty(&rule->matches));

	cmd = nth_cmd(p, 2);
	assert_string_equal(cmd->target.table, "include");
	assert_string_equal(cmd->target.chain, "hook");
	assert_values(&nth_entry(&cmd->rule->matches, struct match, 0)->values,
		      (const char *const[]){ "accept" }, 1);
	assert_values(&nth_entry(&cmd->rule->matches, struct match, 1)->values,
		      (const char *const[]){ "rule" }, 1);
	assert_int_equal(cmd->rule->verdict, VERDICT_DENY);
	parsed_free(p);
}

static void test_separators_and_comments(void **unused)
{
	struct parsed *p = parse_string(
		"# a comment line\n"
		"\n"
		"table t { chain c { hook exec; policy accept; path /a deny; path /b deny } }; add table u\r\n"
		"add rule t c path /c deny # trailing comment\n"
		";;\n"
		"table v {\n"
		"\n"
		"\t# comment in a body\n"
		"\tchain c {\n"
		"\n"
		"\t\thook exec\n"
		"\t}\n"
		"\n"
		"}\n"
		"add table w");
	struct chain *chain;

	(void)unused;
	assert_int_equal(p->ret, 0);
	assert_int_equal(list_count(&p->ctx.cmds), 5);
	chain = nth_entry(&nth_cmd(p, 0)->table->chains, struct chain, 0);
	assert_int_equal(list_count(&chain->rules), 2);
	assert_string_equal(nth_cmd(p, 1)->target.table, "u");
	assert_int_equal(nth_cmd(p, 2)->object, CMD_OBJ_RULE);
	chain = nth_entry(&nth_cmd(p, 3)->table->chains, struct chain, 0);
	assert_true(chain->has_hook);
	assert_int_equal(chain->policy, VERDICT_ACCEPT);	/* hook without policy: accept */
	assert_string_equal(nth_cmd(p, 4)->target.table, "w");
	parsed_free(p);
}

static void test_values(void **unused)
{
	struct parsed *p = parse_string(
		"add rule t c path \"/with space\" exe == /usr/bin/a+b:c~d@e uid 007 "
		"comment \"say \\\"hi\\\" \\\\ ok\\t\"\n"
		"add rule t c path @shells exe != @\"odd name\" counter hits 99 deny\n"
		"add rule t c path {\n"
		"\t/a,\n"
		"\n"
		"\t/b,\n"
		"} uid { 1, 2 } comment 42\n"
		"add rule t c path /\xc3\xa9t\xc3\xa9 comment \"\"\n");
	struct rule *rule;
	struct match *match;
	struct value *value;

	(void)unused;
	assert_diags(p, "");
	assert_int_equal(p->ret, 0);

	rule = nth_cmd(p, 0)->rule;
	match = nth_entry(&rule->matches, struct match, 0);
	assert_values(&match->values, (const char *const[]){ "/with space" }, 1);
	match = nth_entry(&rule->matches, struct match, 1);
	assert_int_equal(match->op, OP_EQ);
	assert_values(&match->values, (const char *const[]){ "/usr/bin/a+b:c~d@e" }, 1);
	value = nth_entry(&nth_entry(&rule->matches, struct match, 2)->values, struct value, 0);
	assert_int_equal(value->kind, VALUE_NUMBER);
	assert_int_equal(value->number, 7);
	assert_string_equal(value->text, "007");
	assert_string_equal(rule->comment, "say \"hi\" \\ ok\\t");

	rule = nth_cmd(p, 1)->rule;
	match = nth_entry(&rule->matches, struct match, 0);
	assert_string_equal(match->set_name, "shells");
	assert_true(list_empty(&match->values));
	assert_loc(&match->loc, 2, 14, 2, 25);
	match = nth_entry(&rule->matches, struct match, 1);
	assert_string_equal(match->set_name, "odd name");
	assert_int_equal(match->op, OP_NEQ);
	assert_true(rule->counter);
	assert_int_equal(rule->counter_hits, 0);	/* informational, ignored on input */

	rule = nth_cmd(p, 2)->rule;
	match = nth_entry(&rule->matches, struct match, 0);
	assert_true(match->braces);
	assert_values(&match->values, (const char *const[]){ "/a", "/b" }, 2);
	assert_loc(&match->loc, 3, 14, 7, 1);
	match = nth_entry(&rule->matches, struct match, 1);
	assert_values(&match->values, (const char *const[]){ "1", "2" }, 2);
	assert_string_equal(rule->comment, "42");

	rule = nth_cmd(p, 3)->rule;
	assert_values(&nth_entry(&rule->matches, struct match, 0)->values,
		      (const char *const[]){ "/\xc3\xa9t\xc3\xa9" }, 1);
	assert_string_equal(rule->comment, "");
	parsed_free(p);
}

/* Every keyword is found (the table is searched by bisection), and nothing else is one. */
static void test_keyword_table(void **unused)
{
	static const char *const words[] = {
		"accept", "access", "add", "chain", "comment", "counter", "define", "delete", "deny",
		"elements", "exe", "flush", "handle", "hits", "hook", "include", "log", "mode", "path",
		"policy", "rule", "ruleset", "set", "table", "type", "uid",
	};
	const char *name = NULL;

	(void)unused;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		assert_int_not_equal(keyword_lookup(words[i], &name), 0);
		assert_string_equal(name, words[i]);
	}
	assert_int_equal(keyword_lookup("exec", &name), 0);
	assert_int_equal(keyword_lookup("Table", &name), 0);
	assert_int_equal(keyword_lookup("tables", &name), 0);
	assert_int_equal(keyword_lookup("", &name), 0);
}

/* --- define ---------------------------------------------------------------------------------- */

static void test_define(void **unused)
{
	struct parsed *p = parsed_new();
	struct match *match;
	struct cmd *cmd;

	(void)unused;
	assert_int_equal(parse_text(&p->ctx, "a", "define ONE = /one\n"
						  "define SET = { /a, $ONE }\n"
						  "define MORE = { $SET, /b }\n"
						  "define REF = @shells\n"
						  "define NUM = 1000\n"
						  "define COPY = $SET\n"), 0);
	/* symbols are shared by every input of a context */
	assert_int_equal(parse_text(&p->ctx, "b", "add rule t c path $ONE exe $MORE uid != $NUM "
						  "path $REF path $COPY\n"
						  "add set t s { type path; elements = $SET }\n"
						  "add set t u { type path; elements = { $ONE, /z } }\n"), 0);
	cmd = nth_cmd(p, 0);
	match = nth_entry(&cmd->rule->matches, struct match, 0);
	assert_false(match->braces);
	assert_values(&match->values, (const char *const[]){ "/one" }, 1);
	assert_string_equal(nth_entry(&match->values, struct value, 0)->loc.input->name, "a");
	assert_loc(&nth_entry(&match->values, struct value, 0)->loc, 1, 14, 1, 17);
	assert_string_equal(match->loc.input->name, "b");
	assert_loc(&match->loc, 1, 14, 1, 22);

	match = nth_entry(&cmd->rule->matches, struct match, 1);
	assert_true(match->braces);
	assert_values(&match->values, (const char *const[]){ "/a", "/one", "/b" }, 3);

	match = nth_entry(&cmd->rule->matches, struct match, 2);
	assert_int_equal(match->op, OP_NEQ);
	assert_int_equal(nth_entry(&match->values, struct value, 0)->kind, VALUE_NUMBER);
	assert_int_equal(nth_entry(&match->values, struct value, 0)->number, 1000);

	match = nth_entry(&cmd->rule->matches, struct match, 3);
	assert_string_equal(match->set_name, "shells");

	match = nth_entry(&cmd->rule->matches, struct match, 4);
	assert_true(match->braces);
	assert_values(&match->values, (const char *const[]){ "/a", "/one" }, 2);

	assert_values(&nth_cmd(p, 1)->set->elements, (const char *const[]){ "/a", "/one" }, 2);
	assert_values(&nth_cmd(p, 2)->set->elements, (const char *const[]){ "/one", "/z" }, 2);
	parsed_free(p);
}

static void test_define_errors(void **unused)
{
	(void)unused;
	assert_parse_error("add rule t c path $NOPE deny\n",
			   "<cmdline>:1:19-23: Error: undefined variable '$NOPE'\n"
			   "add rule t c path $NOPE deny\n"
			   "                  ^^^^^\n");
	assert_parse_error("define TOOLS = /x\nadd rule t c exe $TOLS deny\n",
			   "<cmdline>:2:18-22: Error: undefined variable '$TOLS'; did you mean '$TOOLS'?\n"
			   "add rule t c exe $TOLS deny\n"
			   "                 ^^^^^\n");
	assert_parse_error("add rule t c exe { /a, $NOPE } deny\n",
			   "<cmdline>:1:24-28: Error: undefined variable '$NOPE'\n"
			   "add rule t c exe { /a, $NOPE } deny\n"
			   "                       ^^^^^\n");
	assert_parse_error("define X = /a\ndefine X = /b\n",
			   "<cmdline>:2:8-8: Error: 'X' is already defined\n"
			   "define X = /b\n"
			   "       ^\n");
	assert_parse_error("define /x = /b\n",
			   "<cmdline>:1:8-9: Error: '/x' is not a valid variable name\n"
			   "define /x = /b\n"
			   "       ^^\n");
	assert_parse_error("define S = @shells\nadd rule t c exe { /a, $S } deny\n",
			   "<cmdline>:2:24-25: Error: a set reference cannot be a member of a set\n"
			   "add rule t c exe { /a, $S } deny\n"
			   "                       ^^\n");
	assert_parse_error("add set t s { type path; elements = @other }\n",
			   "<cmdline>:1:37-42: Error: elements must be values, not a set reference\n"
			   "add set t s { type path; elements = @other }\n"
			   "                                    ^^^^^^\n");
}

/* --- include --------------------------------------------------------------------------------- */

/* Parsing the file @path fails and prints exactly @expected, which is freed. */
static void assert_path_error(const char *path, char *expected)
{
	struct parsed *p = parsed_new();

	assert_int_equal(parse_path(&p->ctx, path), -1);
	assert_diags(p, expected);
	free(expected);
	parsed_free(p);
}

static void test_include(void **unused)
{
	char *dir = scratch_dir();
	char *main_path = xasprintf("%s/main.rules", dir);
	char *expected;
	struct parsed *p = parsed_new();
	struct input *input;
	struct cmd *cmd;

	(void)unused;
	make_dir(dir, "conf.d");
	write_file(dir, "main.rules", "include \"conf.d/*.rules\"\n"
				      "include \"none.d/*.rules\"\n"
				      "add rule a c path $P deny\n");
	write_file(dir, "conf.d/20-b.rules", "add table b\n");
	write_file(dir, "conf.d/10-a.rules", "define P = /p\nadd table a\ninclude \"../leaf.rules\"\n");
	write_file(dir, "conf.d/30-c.conf", "this is not read\n");
	write_file(dir, "leaf.rules", "add table leaf\n");

	assert_int_equal(parse_path(&p->ctx, main_path), 0);
	assert_int_equal(list_count(&p->ctx.cmds), 4);
	assert_string_equal(nth_cmd(p, 0)->target.table, "a");
	assert_string_equal(nth_cmd(p, 1)->target.table, "leaf");
	assert_string_equal(nth_cmd(p, 2)->target.table, "b");
	cmd = nth_cmd(p, 3);
	assert_values(&nth_entry(&cmd->rule->matches, struct match, 0)->values,
		      (const char *const[]){ "/p" }, 1);

	/* every included file is an input, pointing at the include statement that opened it */
	assert_int_equal(list_count(&p->ctx.inputs), 4);
	input = nth_entry(&p->ctx.inputs, struct input, 0);
	assert_string_equal(input->name, main_path);
	assert_null(input->included_from);
	input = nth_entry(&p->ctx.inputs, struct input, 1);
	expected = xasprintf("%s/conf.d/10-a.rules", dir);
	assert_string_equal(input->name, expected);
	free(expected);
	assert_string_equal(input->included_from->input->name, main_path);
	assert_loc(input->included_from, 1, 1, 1, 24);
	input = nth_entry(&p->ctx.inputs, struct input, 2);
	expected = xasprintf("%s/conf.d/../leaf.rules", dir);
	assert_string_equal(input->name, expected);
	free(expected);
	assert_loc(input->included_from, 3, 1, 3, 23);
	assert_ptr_equal(input->included_from->input, nth_entry(&p->ctx.inputs, struct input, 1));
	parsed_free(p);

	/* a plain file name must exist */
	write_file(dir, "missing.rules", "add table x\ninclude \"nowhere.rules\"\n");
	free(main_path);
	main_path = xasprintf("%s/missing.rules", dir);
	assert_path_error(main_path,
			  xasprintf("%s:2:1-23: Error: cannot read '%s/nowhere.rules': No such file "
				    "or directory\n"
				    "include \"nowhere.rules\"\n"
				    "^^^^^^^^^^^^^^^^^^^^^^^\n", main_path, dir));
	free(main_path);
	remove_scratch_dir(dir);
}

static void test_include_errors_are_located(void **unused)
{
	char *dir = scratch_dir();
	char *path = xasprintf("%s/top.rules", dir);

	(void)unused;
	make_dir(dir, "sub");
	write_file(dir, "top.rules", "add table t\n\tinclude \"sub/mid.rules\"\n");
	write_file(dir, "sub/mid.rules", "include \"leaf.rules\"\n");
	write_file(dir, "sub/leaf.rules", "add rule t c path /x acess read deny\n");
	assert_path_error(path, xasprintf("In file included from %s/sub/mid.rules:1:1-20:\n"
					  "                 from %s/top.rules:2:2-24:\n"
					  "%s/sub/leaf.rules:1:22-26: Error: syntax error, unexpected "
					  "string 'acess'; did you mean 'access'?\n"
					  "add rule t c path /x acess read deny\n"
					  "                     ^^^^^\n", dir, dir, dir));
	free(path);
	remove_scratch_dir(dir);
}

static void test_include_depth_and_loops(void **unused)
{
	char *dir = scratch_dir();
	char *path = xasprintf("%s/d0.rules", dir);
	char *text, *expected;
	struct parsed *p = parsed_new();
	unsigned int from_lines = 0;

	(void)unused;
	/* d0 includes d1 ... includes d17: one level too many */
	for (unsigned int i = 0; i <= INCLUDE_MAX_DEPTH + 1; i++) {
		char *name = xasprintf("d%u.rules", i);
		char *body = xasprintf("include \"d%u.rules\"\n", i + 1);

		write_file(dir, name, i <= INCLUDE_MAX_DEPTH ? body : "add table deep\n");
		free(name);
		free(body);
	}
	assert_int_equal(parse_path(&p->ctx, path), -1);
	assert_int_equal(p->diags.errors, 1);
	assert_true(list_empty(&p->ctx.cmds));
	text = diag_text(&p->diags);
	for (size_t at = 0; strstr(text + at, "from "); from_lines++)
		at = (size_t)(strstr(text + at, "from ") - text) + 1;
	assert_int_equal(from_lines, INCLUDE_MAX_DEPTH);
	expected = xasprintf("%s/d16.rules:1:1-19: Error: includes nested too deeply (the limit is "
			     "16 levels)\n"
			     "include \"d17.rules\"\n"
			     "^^^^^^^^^^^^^^^^^^^\n", dir);
	assert_non_null(strstr(text, expected));
	free(expected);
	free(text);
	parsed_free(p);

	/* a loop is named as one */
	write_file(dir, "a.rules", "include \"b.rules\"\n");
	write_file(dir, "b.rules", "include \"a.rules\"\n");
	free(path);
	path = xasprintf("%s/a.rules", dir);
	assert_path_error(path, xasprintf("In file included from %s/a.rules:1:1-17:\n"
					  "%s/b.rules:1:1-17: Error: include loop: '%s/a.rules' is "
					  "already being read\n"
					  "include \"a.rules\"\n"
					  "^^^^^^^^^^^^^^^^^\n", dir, dir, dir));
	free(path);
	remove_scratch_dir(dir);
}

static void test_parse_path_directory(void **unused)
{
	char *dir = scratch_dir();
	struct parsed *p = parsed_new();
	char *empty;

	(void)unused;
	write_file(dir, "b.rules", "add table b\n");
	write_file(dir, "a.rules", "add table a\ninclude \"inc\"\n");
	write_file(dir, "B.rules", "add table B\n");
	write_file(dir, ".hidden.rules", "add table hidden\n");
	write_file(dir, "c.conf", "add table c\n");
	make_dir(dir, "d.rules");
	make_dir(dir, "inc");
	write_file(dir, "inc/x.rules", "add table x\n");
	write_file(dir, "inc/y.txt", "add table y\n");

	assert_int_equal(parse_path(&p->ctx, dir), 0);
	assert_int_equal(list_count(&p->ctx.cmds), 4);
	assert_string_equal(nth_cmd(p, 0)->target.table, "B");
	assert_string_equal(nth_cmd(p, 1)->target.table, "a");
	assert_string_equal(nth_cmd(p, 2)->target.table, "x");	/* an included directory */
	assert_string_equal(nth_cmd(p, 3)->target.table, "b");
	parsed_free(p);

	/* an empty directory is no error */
	make_dir(dir, "empty");
	p = parsed_new();
	empty = xasprintf("%s/empty/", dir);
	assert_int_equal(parse_path(&p->ctx, empty), 0);
	assert_true(list_empty(&p->ctx.cmds));
	free(empty);
	parsed_free(p);

	assert_path_error("/nonexistent/endura.rules",
			  xstrdup("Error: cannot read '/nonexistent/endura.rules': No such file or "
				  "directory\n"));
	remove_scratch_dir(dir);
}

static void test_stdin_and_cmdline_includes(void **unused)
{
	char *dir = scratch_dir();
	char *path = xasprintf("%s/in.rules", dir);
	char *cwd = get_current_dir_name();
	struct parsed *p = parsed_new();
	int saved = dup(STDIN_FILENO), fd;

	(void)unused;
	write_file(dir, "in.rules", "add table from_stdin\ninclude \"rel.rules\"\n");
	write_file(dir, "rel.rules", "add table relative\n");
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	/* standard input and command lines include relative to the current directory */
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(parse_path(&p->ctx, "-"), 0);
	assert_int_equal(parse_text(&p->ctx, "<cmdline>", "include \"rel.rules\""), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);

	assert_int_equal(list_count(&p->ctx.cmds), 3);
	assert_string_equal(nth_cmd(p, 0)->target.table, "from_stdin");
	assert_string_equal(nth_cmd(p, 0)->loc.input->name, "<stdin>");
	assert_string_equal(nth_cmd(p, 1)->target.table, "relative");
	assert_string_equal(nth_cmd(p, 1)->loc.input->name, "rel.rules");
	assert_string_equal(nth_cmd(p, 2)->target.table, "relative");
	parsed_free(p);
	free(cwd);
	free(path);
	remove_scratch_dir(dir);
}

static void test_read_whole_file(void **unused)
{
	char *dir = scratch_dir();
	char *path = xasprintf("%s/f", dir);
	char *big = xzalloc(100001);
	size_t len = 0;
	char *text;

	(void)unused;
	memset(big, 'x', 100000);
	write_file(dir, "f", big);
	text = read_whole_file(path, &len);
	assert_non_null(text);
	assert_int_equal(len, 100000);
	assert_string_equal(text, big);
	free(text);

	errno = 0;
	assert_null(read_whole_file("/nonexistent/file", &len));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(read_whole_file(dir, &len));
	assert_int_equal(errno, EISDIR);
	free(big);
	free(path);
	remove_scratch_dir(dir);
}

/* --- syntax errors --------------------------------------------------------------------------- */

static void test_syntax_errors(void **unused)
{
	(void)unused;
	assert_parse_error("tabel host { }",
			   "<cmdline>:1:1-5: Error: syntax error, unexpected string 'tabel'; did you mean 'table'?\n"
			   "tabel host { }\n"
			   "^^^^^\n");
	assert_parse_error("add rule host files path /etc/shadow acess write deny\n",
			   "<cmdline>:1:38-42: Error: syntax error, unexpected string 'acess'; did you mean 'access'?\n"
			   "add rule host files path /etc/shadow acess write deny\n"
			   "                                     ^^^^^\n");
	assert_parse_error("add rule host files path /x deyn\n",
			   "<cmdline>:1:29-32: Error: syntax error, unexpected string 'deyn'; did you mean 'deny'?\n"
			   "add rule host files path /x deyn\n"
			   "                            ^^^^\n");
	assert_parse_error("table host {\n\tchian files {\n\t\tpath /x deny\n\t}\n}\n",
			   "<cmdline>:2:2-6: Error: syntax error, unexpected string 'chian'; did you mean 'chain'?\n"
			   "\tchian files {\n"
			   "\t^^^^^\n");
	assert_parse_error("add rule t c path\n",
			   "<cmdline>:1:18-18: Error: syntax error, unexpected newline, expecting '==', '!=' or value\n"
			   "add rule t c path\n"
			   "                 ^\n");
	assert_parse_error("add rule t c path !=\n",
			   "<cmdline>:1:21-21: Error: syntax error, unexpected newline, expecting value\n"
			   "add rule t c path !=\n"
			   "                    ^\n");
	assert_parse_error("add",
			   "<cmdline>:1:4-4: Error: syntax error, unexpected end of file, expecting table, chain, set, rule or element\n"
			   "add\n"
			   "   ^\n");
	assert_parse_error("table {\n}\n",
			   "<cmdline>:1:7-7: Error: syntax error, unexpected '{', expecting name\n"
			   "table {\n"
			   "      ^\n");
	assert_parse_error("table t { chain c { hook exec policy accept } }",
			   "<cmdline>:1:31-36: Error: syntax error, unexpected policy, expecting newline, ';' or '}'\n"
			   "table t { chain c { hook exec policy accept } }\n"
			   "                              ^^^^^^\n");
	assert_parse_error("delete rule t c 5\n",
			   "<cmdline>:1:17-17: Error: syntax error, unexpected number 5, expecting handle\n"
			   "delete rule t c 5\n"
			   "                ^\n");
	assert_parse_error("include rules.d\n",
			   "<cmdline>:1:9-15: Error: syntax error, unexpected string 'rules.d', expecting quoted string\n"
			   "include rules.d\n"
			   "        ^^^^^^^\n");
	assert_parse_error("add rule t c path { /a /b }\n",
			   "<cmdline>:1:24-25: Error: syntax error, unexpected string '/b', expecting newline, '}' or ','\n"
			   "add rule t c path { /a /b }\n"
			   "                       ^^\n");
	assert_parse_error("add rule t c comment \"x\" \"y\"\n",
			   "<cmdline>:1:26-28: Error: syntax error, unexpected quoted string \"y\"\n"
			   "add rule t c comment \"x\" \"y\"\n"
			   "                         ^^^\n");
	assert_parse_error("list ruleset\n",
			   "<cmdline>:1:1-4: Error: syntax error, unexpected string 'list'\n"
			   "list ruleset\n"
			   "^^^^\n");
	assert_parse_error("add rule t c exe @ deny\n",
			   "<cmdline>:1:18-18: Error: unexpected character '@'\n"
			   "add rule t c exe @ deny\n"
			   "                 ^\n");
}

static void test_lexical_errors(void **unused)
{
	(void)unused;
	assert_parse_error("add rule t c path \"/unterminated deny\nadd table u\n",
			   "<cmdline>:1:19-37: Error: unterminated quoted string\n"
			   "add rule t c path \"/unterminated deny\n"
			   "                  ^^^^^^^^^^^^^^^^^^^\n");
	assert_parse_error("add rule t c path ! /x deny\n",
			   "<cmdline>:1:19-19: Error: unexpected character '!'\n"
			   "add rule t c path ! /x deny\n"
			   "                  ^\n");
	assert_parse_error("add rule t c path \x01 deny\n",
			   "<cmdline>:1:19-19: Error: unexpected byte 0x01\n"
			   "add rule t c path \x01 deny\n"
			   "                  ^\n");
	assert_parse_error("add rule t c uid 18446744073709551616 deny\n",
			   "<cmdline>:1:18-37: Error: number 18446744073709551616 is out of range (the largest is 18446744073709551615)\n"
			   "add rule t c uid 18446744073709551616 deny\n"
			   "                 ^^^^^^^^^^^^^^^^^^^^\n");
}

static void test_rule_errors(void **unused)
{
	(void)unused;
	assert_parse_error("add rule t c path /x deny accept\n",
			   "<cmdline>:1:27-32: Error: rule already has verdict 'deny'\n"
			   "add rule t c path /x deny accept\n"
			   "                          ^^^^^^\n");
	assert_parse_error("add rule t c\n",
			   "<cmdline>:1:1-12: Error: empty rule: expecting a match, a statement or a verdict\n"
			   "add rule t c\n"
			   "^^^^^^^^^^^^\n");
	assert_parse_error("add rule t c counter log counter\n",
			   "<cmdline>:1:26-32: Error: rule already has a counter\n"
			   "add rule t c counter log counter\n"
			   "                         ^^^^^^^\n");
	assert_parse_error("add rule t c log log\n",
			   "<cmdline>:1:18-20: Error: rule already has a log statement\n"
			   "add rule t c log log\n"
			   "                 ^^^\n");
	assert_parse_error("add rule t c log comment a comment b\n",
			   "<cmdline>:1:28-36: Error: rule already has a comment\n"
			   "add rule t c log comment a comment b\n"
			   "                           ^^^^^^^^^\n");
	assert_parse_error("add rule t c comment a\n",
			   "<cmdline>:1:14-22: Error: a comment alone is no rule: add a match, a "
			   "statement or a verdict\n"
			   "add rule t c comment a\n"
			   "             ^^^^^^^^^\n");
	assert_parse_error("add rule t c path { } deny\n",
			   "<cmdline>:1:14-21: Error: empty set of values in match\n"
			   "add rule t c path { } deny\n"
			   "             ^^^^^^^^\n");
}

static void test_word_errors(void **unused)
{
	(void)unused;
	assert_parse_error("table t { chain c { hook exce } }",
			   "<cmdline>:1:26-29: Error: unknown hook 'exce'; did you mean 'exec'?\n"
			   "table t { chain c { hook exce } }\n"
			   "                         ^^^^\n");
	assert_parse_error("table t { chain c { hook connect } }",
			   "<cmdline>:1:26-32: Error: unknown hook 'connect', expecting exec, file_open, capable, bpf, module or signal\n"
			   "table t { chain c { hook connect } }\n"
			   "                         ^^^^^^^\n");
	assert_parse_error("table t { chain c { hook file_opne } }",
			   "<cmdline>:1:26-34: Error: unknown hook 'file_opne'; did you mean 'file_open'?\n"
			   "table t { chain c { hook file_opne } }\n"
			   "                         ^^^^^^^^^\n");
	assert_parse_error("table t { chain c { hook exec; policy alow } }",
			   "<cmdline>:1:39-42: Error: unknown policy 'alow', expecting accept or deny\n"
			   "table t { chain c { hook exec; policy alow } }\n"
			   "                                      ^^^^\n");
	assert_parse_error("table t { chain c { hook exec; policy acept } }",
			   "<cmdline>:1:39-43: Error: unknown policy 'acept'; did you mean 'accept'?\n"
			   "table t { chain c { hook exec; policy acept } }\n"
			   "                                      ^^^^^\n");
	assert_parse_error("table t { mode enfrce }",
			   "<cmdline>:1:16-21: Error: unknown mode 'enfrce'; did you mean 'enforce'?\n"
			   "table t { mode enfrce }\n"
			   "               ^^^^^^\n");
	assert_parse_error("add set t s { type paht }",
			   "<cmdline>:1:20-23: Error: unknown set type 'paht'; did you mean 'path'?\n"
			   "add set t s { type paht }\n"
			   "                   ^^^^\n");
	assert_parse_error("table t { chain c { policy deny } }",
			   "<cmdline>:1:21-31: Error: policy without hook: write 'hook NAME; policy deny'\n"
			   "table t { chain c { policy deny } }\n"
			   "                    ^^^^^^^^^^^\n");
	assert_parse_error("table t { chain c { hook exec; hook file_open } }",
			   "<cmdline>:1:32-45: Error: chain already has a hook\n"
			   "table t { chain c { hook exec; hook file_open } }\n"
			   "                               ^^^^^^^^^^^^^^\n");
	assert_parse_error("table t { chain c { hook exec; policy deny; policy accept } }",
			   "<cmdline>:1:45-57: Error: chain already has a policy\n"
			   "table t { chain c { hook exec; policy deny; policy accept } }\n"
			   "                                            ^^^^^^^^^^^^^\n");
	assert_parse_error("table t { mode audit; mode audit }",
			   "<cmdline>:1:23-32: Error: table already has a mode\n"
			   "table t { mode audit; mode audit }\n"
			   "                      ^^^^^^^^^^\n");
	assert_parse_error("add set t s { type uid; type uid }",
			   "<cmdline>:1:25-32: Error: set already has a type\n"
			   "add set t s { type uid; type uid }\n"
			   "                        ^^^^^^^^\n");
	assert_parse_error("table t { set s { elements = { /a } } }",
			   "<cmdline>:1:15-15: Error: set 's' has no type: add 'type path' or 'type uid'\n"
			   "table t { set s { elements = { /a } } }\n"
			   "              ^\n");
}

/* Errors are reported one per statement or rule, and parsing goes on after each. */
static void test_error_recovery(void **unused)
{
	struct parsed *p = parse_string("table t {\n"
					"\tchain c {\n"
					"\t\thook exec\n"
					"\t\tpath /a acess read deny\n"
					"\t\tpath /b deny deny\n"
					"\t\tpth /c deny\n"
					"\t\tpath /d deny\n"
					"\t}\n"
					"}\n"
					"tabel u {\n"
					"\tchain c {\n"
					"\t\tpath /x deny\n"
					"\t}\n"
					"}\n"
					"add rule t c\n"
					"add table v\n");
	struct chain *chain;

	(void)unused;
	assert_int_equal(p->ret, -1);
	assert_diags(p, "<cmdline>:4:11-15: Error: syntax error, unexpected string 'acess'; did you mean 'access'?\n"
			"\t\tpath /a acess read deny\n"
			"\t\t        ^^^^^\n"
			"<cmdline>:5:16-19: Error: rule already has verdict 'deny'\n"
			"\t\tpath /b deny deny\n"
			"\t\t             ^^^^\n"
			"<cmdline>:6:3-5: Error: syntax error, unexpected string 'pth'; did you mean 'path'?\n"
			"\t\tpth /c deny\n"
			"\t\t^^^\n"
			"<cmdline>:10:1-5: Error: syntax error, unexpected string 'tabel'; did you mean 'table'?\n"
			"tabel u {\n"
			"^^^^^\n"
			"<cmdline>:15:1-12: Error: empty rule: expecting a match, a statement or a verdict\n"
			"add rule t c\n"
			"^^^^^^^^^^^^\n");
	/* what parsed well is kept: the rules around the errors, and the commands after them */
	assert_int_equal(list_count(&p->ctx.cmds), 2);
	chain = nth_entry(&nth_cmd(p, 0)->table->chains, struct chain, 0);
	assert_int_equal(list_count(&chain->rules), 2);
	assert_string_equal(nth_cmd(p, 1)->target.table, "v");
	parsed_free(p);
}

static void test_error_limit(void **unused)
{
	struct parsed *p;
	char *text = xstrdup("");
	char *output;

	(void)unused;
	for (unsigned int i = 0; i < 13; i++) {
		char *more = xasprintf("%sbogus %u\n", text, i);

		free(text);
		text = more;
	}
	p = parse_string(text);
	assert_int_equal(p->ret, -1);
	assert_int_equal(p->diags.errors, 13);
	assert_int_equal(list_count(&p->diags.entries), DIAG_MAX_ERRORS);
	output = diag_text(&p->diags);
	assert_non_null(strstr(output, "<cmdline>:10:1-5: Error: syntax error, unexpected string 'bogus'\n"
					"bogus 9\n"
					"^^^^^\n"
					"Error: 3 more errors not shown\n"));
	assert_null(strstr(output, "bogus 10"));
	free(output);
	free(text);
	parsed_free(p);
}

/* --- diagnostics ----------------------------------------------------------------------------- */

static struct location at(const struct input *input, unsigned int first_line,
			  unsigned int first_column, unsigned int last_line, unsigned int last_column)
{
	return (struct location){ input, first_line, first_column, last_line, last_column };
}

static void assert_printed(const struct diag_list *diags, const char *expected)
{
	char *text = diag_text(diags);

	assert_string_equal(text, expected);
	free(text);
}

static void test_diag_format(void **unused)
{
	struct input input = {
		.name = "rules.d/10-creds.rules",
		.text = "table host {\n"
			"\tchain files {\n"
			"\t\tpath /etc/shadow\taccess wirte deny\n"
			"\t}\n"
			"}",
	};
	struct diag_list diags;
	struct location loc;

	(void)unused;
	diag_list_init(&diags);
	/* tabs before the token are copied, so the carets line up in any tab width */
	loc = at(&input, 3, 27, 3, 31);
	diag_error(&diags, &loc, "unknown access mode '%s'; did you mean '%s'?", "wirte", "write");
	/* a span over several lines is underlined to the end of its first line */
	loc = at(&input, 1, 7, 5, 1);
	diag_warning(&diags, &loc, "table %s is empty", "host");
	/* past the end of a line, and past the end of the text */
	loc = at(&input, 4, 3, 4, 3);
	diag_error(&diags, &loc, "at the end");
	loc = at(&input, 9, 1, 9, 1);
	diag_error(&diags, &loc, "past the end");
	diag_error(&diags, NULL, "no place %d", 1);
	loc = at(NULL, 1, 1, 1, 1);
	diag_warning(&diags, &loc, "no input");
	assert_int_equal(diags.errors, 4);
	assert_int_equal(diags.warnings, 2);
	assert_printed(&diags,
		       "rules.d/10-creds.rules:3:27-31: Error: unknown access mode 'wirte'; did you mean 'write'?\n"
		       "\t\tpath /etc/shadow\taccess wirte deny\n"
		       "\t\t                \t       ^^^^^\n"
		       "rules.d/10-creds.rules:1:7-12: Warning: table host is empty\n"
		       "table host {\n"
		       "      ^^^^^^\n"
		       "rules.d/10-creds.rules:4:3-3: Error: at the end\n"
		       "\t}\n"
		       "\t ^\n"
		       "rules.d/10-creds.rules:9:1-1: Error: past the end\n"
		       "Error: no place 1\n"
		       "Warning: no input\n");
	diag_list_free(&diags);
	assert_int_equal(diags.errors, 0);
	assert_true(list_empty(&diags.entries));
}

static void test_diag_long_line(void **unused)
{
	char *path = xzalloc(301), *spaces = xzalloc(307), *text, *expected;
	struct input input = { .name = "long.rules" };
	struct diag_list diags;
	struct location loc;

	(void)unused;
	memset(path, 'a', 300);
	path[0] = '/';
	memset(spaces, ' ', 306);
	text = xasprintf("path %s acces\n", path);
	input.text = text;
	diag_list_init(&diags);
	loc = at(&input, 1, 307, 1, 311);
	diag_error(&diags, &loc, "long");
	expected = xasprintf("long.rules:1:307-311: Error: long\n%s%s^^^^^\n", text, spaces);
	assert_printed(&diags, expected);
	diag_list_free(&diags);
	free(expected);
	free(text);
	free(spaces);
	free(path);
}

static void test_diag_includes(void **unused)
{
	struct input top = { .name = "top.rules", .text = "include \"a/*\"\n" };
	struct location from_top = at(&top, 1, 1, 1, 13);
	struct input mid = { .name = "a/mid.rules", .text = "\n  include \"leaf\"\n",
			     .included_from = &from_top };
	struct location from_mid = at(&mid, 2, 3, 2, 16);
	struct input leaf = { .name = "a/leaf", .text = "oops\n", .included_from = &from_mid };
	struct location loc = at(&leaf, 1, 1, 1, 4);
	struct diag_list diags;

	(void)unused;
	diag_list_init(&diags);
	diag_error(&diags, &loc, "bad");
	assert_printed(&diags, "In file included from a/mid.rules:2:3-16:\n"
			       "                 from top.rules:1:1-13:\n"
			       "a/leaf:1:1-4: Error: bad\n"
			       "oops\n"
			       "^^^^\n");
	diag_list_free(&diags);
}

static void test_diag_suggest(void **unused)
{
	static const char *const words[] = { "read", "write", "exec", NULL, "file_open" };

	(void)unused;
	assert_string_equal(diag_suggest("wirte", words, 5), "write");	/* two letters swapped */
	assert_string_equal(diag_suggest("writ", words, 5), "write");
	assert_string_equal(diag_suggest("Read", words, 5), "read");
	assert_string_equal(diag_suggest("exce", words, 5), "exec");
	assert_string_equal(diag_suggest("fileopen", words, 5), "file_open");
	assert_string_equal(diag_suggest("file_opn", words, 5), "file_open");
	assert_string_equal(diag_suggest("fil_opn", words, 5), "file_open");	/* 7/3 = 2 edits */
	assert_null(diag_suggest("fl_opn", words, 5));				/* 3 edits */
	assert_null(diag_suggest("rwx", words, 5));
	assert_null(diag_suggest("ab", words, 5));
	assert_null(diag_suggest("", words, 5));
	assert_null(diag_suggest("read", words, 0));
	assert_string_equal(diag_suggest("x", (const char *const[]){ "y" }, 1), "y");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_tree),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_keywords_as_names),
		cmocka_unit_test(test_separators_and_comments),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_keyword_table),
		cmocka_unit_test(test_define),
		cmocka_unit_test(test_define_errors),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_errors_are_located),
		cmocka_unit_test(test_include_depth_and_loops),
		cmocka_unit_test(test_parse_path_directory),
		cmocka_unit_test(test_stdin_and_cmdline_includes),
		cmocka_unit_test(test_read_whole_file),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_lexical_errors),
		cmocka_unit_test(test_rule_errors),
		cmocka_unit_test(test_word_errors),
		cmocka_unit_test(test_error_recovery),
		cmocka_unit_test(test_error_limit),
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_diag_long_line),
		cmocka_unit_test(test_diag_includes),
		cmocka_unit_test(test_diag_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
