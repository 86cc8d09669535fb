// SPDX-License-Identifier: GPL-2.0-only
/* The text printer: canonical output, quoting, handles, and byte stability of
 * parse -> print -> parse -> print. Also checks the golden files of tests/golden/parse against
 * the parser and the printer (ENDURA_GOLDEN_UPDATE=1 rewrites them). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>

#include "parse_helpers.h"

static const char canonical_example[] =
	"table host {\n"
	"\tmode enforce\n"
	"\tset shells {\n"
	"\t\ttype path\n"
	"\t\telements = { /bin/bash, /bin/sh }\n"
	"\t}\n"
	"\n"
	"\tchain files {\n"
	"\t\thook file_open; policy accept\n"
	"\t\tpath /etc/shadow access write exe != { /usr/bin/passwd, /usr/sbin/chpasswd } counter log deny comment \"credential store\"\n"
	"\t}\n"
	"}\n";

static void assert_reprint(const char *input, const char *expected)
{
	char *text = reprint(input);

	assert_string_equal(text, expected);
	free(text);
}

static void test_print_example(void **unused)
{
	(void)unused;
	/* statements in any order, chains before sets, defines, spacing: one canonical output */
	assert_reprint("define TOOLS = { /usr/bin/passwd,\n"
		       "                  /usr/sbin/chpasswd }\n"
		       "table host {\n"
		       "    chain files { hook file_open\n"
		       "        policy accept\n"
		       "        deny comment \"credential store\" path == /etc/shadow log access write exe != $TOOLS counter\n"
		       "    }\n"
		       "    set shells { elements = { /bin/bash, /bin/sh }; type path }\n"
		       "    mode enforce\n"
		       "}\n",
		       canonical_example);
	assert_reprint(canonical_example, canonical_example);
}

static char *rule_text(const char *rule, unsigned int flags, uint64_t hits)
{
	char *input = xasprintf("add rule t c %s", rule);
	struct parsed *p = parse_string(input);
	struct cmd *cmd;
	char *text = NULL;
	size_t size;
	FILE *out;

	assert_diags(p, "");
	cmd = nth_cmd(p, 0);
	cmd->rule->handle = 7;
	cmd->rule->counter_hits = hits;
	out = open_memstream(&text, &size);
	print_rule(out, cmd->rule, flags);
	fclose(out);
	parsed_free(p);
	free(input);
	return text;
}

static void assert_rule(const char *rule, const char *expected)
{
	char *text = rule_text(rule, 0, 0);

	assert_string_equal(text, expected);
	free(text);
}

static void test_print_rule(void **unused)
{
	char *text;

	(void)unused;
	assert_rule("path /x", "path /x");
	assert_rule("path == /x", "path /x");
	assert_rule("path != /root/.ssh/ deny", "path != /root/.ssh/ deny");
	assert_rule("exe { /a }", "exe { /a }");
	assert_rule("exe != {\n/a,\n/b,\n}", "exe != { /a, /b }");
	assert_rule("exe @shells accept", "exe @shells accept");
	assert_rule("exe != @\"odd name\"", "exe != @\"odd name\"");
	assert_rule("uid 007 uid != { 0, 1000 }", "uid 7 uid != { 0, 1000 }");
	assert_rule("access { read, write } access exec", "access { read, write } access exec");
	assert_rule("deny comment \"x\" log counter hits 3 path /x access write",
		    "path /x access write counter log deny comment \"x\"");
	assert_rule("accept", "accept");
	assert_rule("counter", "counter");
	assert_rule("log comment keyword", "log comment \"keyword\"");

	/* bare when the word scans back as itself, quoted otherwise */
	assert_rule("path \"/plain/path\"", "path /plain/path");
	assert_rule("path /a@b:c+d~e_f.g-h", "path /a@b:c+d~e_f.g-h");
	assert_rule("path deny exe table", "path deny exe table");
	assert_rule("path \"/a b\"", "path \"/a b\"");
	assert_rule("path \"a\\\"b\\\\c\"", "path \"a\\\"b\\\\c\"");
	assert_rule("path \"x{y}\" path \"#x\" path \"a;b\" path \"a,b\"",
		    "path \"x{y}\" path \"#x\" path \"a;b\" path \"a,b\"");
	assert_rule("path \"\" path \"123\" path \"@x\" path \"$x\" path \"!\"",
		    "path \"\" path \"123\" path \"@x\" path \"$x\" path \"!\"");
	assert_rule("path \"/\xc3\xa9\" comment \"tab\there\"",
		    "path /\xc3\xa9 comment \"tab\there\"");
	assert_rule("log comment \"\"", "log comment \"\"");

	/* -a: handles and counter values */
	text = rule_text("path /x counter deny", PRINT_HANDLES, 42);
	assert_string_equal(text, "path /x counter hits 42 deny # handle 7");
	free(text);
	text = rule_text("path /x deny", PRINT_HANDLES, 42);
	assert_string_equal(text, "path /x deny # handle 7");
	free(text);
}

static void test_print_handles(void **unused)
{
	struct parsed *p = parse_string(canonical_example);
	struct ruleset ruleset;
	struct table *table;
	struct chain *chain;
	struct rule *rule;
	char *text;

	(void)unused;
	assert_int_equal(p->ret, 0);
	ruleset_init(&ruleset);
	apply_adds(&ruleset, &p->ctx.cmds);
	table = nth_entry(&ruleset.tables, struct table, 0);
	table->handle = 1;
	nth_entry(&table->sets, struct set, 0)->handle = 2;
	chain = nth_entry(&table->chains, struct chain, 0);
	chain->handle = 3;
	rule = nth_entry(&chain->rules, struct rule, 0);
	rule->handle = 5;
	rule->counter_hits = 12345678901234ULL;
	text = ruleset_text(&ruleset, PRINT_HANDLES);
	assert_string_equal(text,
		"table host { # handle 1\n"
		"\tmode enforce\n"
		"\tset shells { # handle 2\n"
		"\t\ttype path\n"
		"\t\telements = { /bin/bash, /bin/sh }\n"
		"\t}\n"
		"\n"
		"\tchain files { # handle 3\n"
		"\t\thook file_open; policy accept\n"
		"\t\tpath /etc/shadow access write exe != { /usr/bin/passwd, /usr/sbin/chpasswd } counter hits 12345678901234 log deny comment \"credential store\" # handle 5\n"
		"\t}\n"
		"}\n");
	free(text);
	ruleset_free(&ruleset);
	parsed_free(p);
}

static void test_print_tables(void **unused)
{
	(void)unused;
	assert_reprint("add table empty\n"
		       "table a { mode audit; chain x { hook exec; policy deny }; chain y { path /y log } }\n"
		       "table \"my table\" { set \"a set\" { type uid }; set s2 { type uid; elements = { 0 } }\n"
		       "chain \"c 1\" { hook file_open } }\n"
		       "table table { chain exec { hook exec; path /x access exec deny } }\n",
		       "table empty {\n"
		       "\tmode enforce\n"
		       "}\n"
		       "table a {\n"
		       "\tmode audit\n"
		       "\tchain x {\n"
		       "\t\thook exec; policy deny\n"
		       "\t}\n"
		       "\n"
		       "\tchain y {\n"
		       "\t\tpath /y log\n"
		       "\t}\n"
		       "}\n"
		       "table \"my table\" {\n"
		       "\tmode enforce\n"
		       "\tset \"a set\" {\n"
		       "\t\ttype uid\n"
		       "\t}\n"
		       "\n"
		       "\tset s2 {\n"
		       "\t\ttype uid\n"
		       "\t\telements = { 0 }\n"
		       "\t}\n"
		       "\n"
		       "\tchain \"c 1\" {\n"
		       "\t\thook file_open; policy accept\n"
		       "\t}\n"
		       "}\n"
		       "table table {\n"
		       "\tmode enforce\n"
		       "\tchain exec {\n"
		       "\t\thook exec; policy accept\n"
		       "\t\tpath /x access exec deny\n"
		       "\t}\n"
		       "}\n");
}

/* Values built by something other than the parser (the JSON reader, the daemon) print too. */
static void test_print_built_objects(void **unused)
{
	struct ruleset ruleset;
	struct table *table = table_new("t", NULL);
	struct chain *chain = chain_new("c", NULL);
	struct rule *rule = rule_new(NULL);
	struct match *match = match_new(FIELD_UID, NULL);
	char *text;

	(void)unused;
	ruleset_init(&ruleset);
	list_add_tail(&table->list, &ruleset.tables);
	list_add_tail(&chain->list, &table->chains);
	list_add_tail(&rule->list, &chain->rules);
	list_add_tail(&match->list, &rule->matches);
	/* a number without its spelling, and two values without braces */
	list_add_tail(&value_new(VALUE_NUMBER, NULL, 1000, NULL)->list, &match->values);
	list_add_tail(&value_new(VALUE_NUMBER, "0", 0, NULL)->list, &match->values);
	match = match_new(FIELD_PATH, NULL);
	list_add_tail(&match->list, &rule->matches);
	list_add_tail(&value_new(VALUE_STRING, "a \"quoted\" \\ path", 0, NULL)->list,
		      &match->values);
	rule->comment = xstrdup("with \"quotes\" and \\");
	text = ruleset_text(&ruleset, 0);
	assert_string_equal(text, "table t {\n"
				  "\tmode enforce\n"
				  "\tchain c {\n"
				  "\t\tuid { 1000, 0 } path \"a \\\"quoted\\\" \\\\ path\" comment \"with \\\"quotes\\\" and \\\\\"\n"
				  "\t}\n"
				  "}\n");
	free(text);
	ruleset_free(&ruleset);
}

/* parse -> print -> parse -> print gives the same bytes twice. */
static void test_round_trip(void **unused)
{
	static const char *const inputs[] = {
		canonical_example,
		"table t { chain c { hook exec; path \"/with space\" exe != \"/a\\\"b\" comment \"\\\\\" } }",
		"table t { set s { type path; elements = { \"123\", \"@x\", \"\", deny, /a:b } }\n"
		"chain c { hook file_open; exe @s access { read, write } uid { 0, 65534 } counter hits 9 } }",
		"define D = { /d1, /d2 }\ntable t { chain c { hook exec; exe $D; exe != $D log accept } }",
		"table \"a b\" { set \"s;t\" { type uid }; chain \"c#d\" { hook exec; uid @\"s;t\" deny } }",
		"table t { chain c { hook exec; path /\xc3\xa9t\xc3\xa9/ comment \"x\\ty\" } }",
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char *first = reprint(inputs[i]);
		char *second = reprint(first);

		assert_string_equal(first, second);
		free(first);
		free(second);
	}
}

/* --- golden files ---------------------------------------------------------------------------- */

static char *replace_suffix(const char *name, const char *suffix)
{
	return xasprintf("%.*s%s", (int)(strlen(name) - strlen(".rules")), name, suffix);
}

/* Compares @actual with the file @path, or writes it there when ENDURA_GOLDEN_UPDATE is set. */
static void check_golden(const char *path, const char *actual)
{
	const char *update = getenv("ENDURA_GOLDEN_UPDATE");
	char *expected;

	if (update && strcmp(update, "1") == 0) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(actual, f);
		fclose(f);
		return;
	}
	expected = read_whole_file(path, NULL);
	if (!expected)
		fail_msg("%s: %s", path, strerror(errno));
	if (strcmp(expected, actual) != 0)
		print_error("%s differs; got:\n%s", path, actual);
	assert_string_equal(actual, expected);
	free(expected);
}

static char **rules_files(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *entry;
	char **names = xzalloc(256 * sizeof(*names));

	assert_non_null(d);
	*count = 0;
	while ((entry = readdir(d))) {
		size_t len = strlen(entry->d_name);

		if (len > 6 && strcmp(entry->d_name + len - 6, ".rules") == 0 && *count < 256)
			names[(*count)++] = xstrdup(entry->d_name);
	}
	closedir(d);
	return names;
}

/* tests/golden/parse/NAME.rules: what "list ruleset" prints after loading it is NAME.list. */
static void test_golden_parse(void **unused)
{
	char *root = source_dir("golden", "parse"), *dir = xasprintf("%s/parse", root);
	size_t count;
	char **names = rules_files(dir, &count);

	(void)unused;
	assert_true(count >= 8);
	for (size_t i = 0; i < count; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *list_name = replace_suffix(names[i], ".list");
		char *list_path = xasprintf("%s/%s", dir, list_name);
		struct parsed *p = parsed_new();
		struct ruleset ruleset;
		struct cmd *cmd, *next;
		char *text, *again;

		assert_int_equal(parse_path(&p->ctx, path), 0);
		assert_diags(p, "");
		ruleset_init(&ruleset);
		/* a leading "flush ruleset" empties what is still empty */
		list_for_each_entry_safe(cmd, next, &p->ctx.cmds, list)
			if (cmd->op == CMD_FLUSH && cmd->object == CMD_OBJ_RULESET)
				cmd_free(cmd);
		apply_adds(&ruleset, &p->ctx.cmds);
		/* a listing is of an evaluated ruleset: values in their canonical spelling */
		assert_int_equal(ruleset_evaluate(&ruleset, &p->diags), 0);
		text = ruleset_text(&ruleset, 0);
		check_golden(list_path, text);
		/* and the listing loads back as itself */
		again = reprint(text);
		assert_string_equal(again, text);
		free(again);
		free(text);
		ruleset_free(&ruleset);
		parsed_free(p);
		free(list_path);
		free(list_name);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_example),
		cmocka_unit_test(test_print_rule),
		cmocka_unit_test(test_print_handles),
		cmocka_unit_test(test_print_tables),
		cmocka_unit_test(test_print_built_objects),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_golden_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
