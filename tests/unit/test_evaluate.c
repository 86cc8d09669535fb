// SPDX-License-Identifier: GPL-2.0-only
/* The evaluator: every error it reports, with its exact message and the place it points at, the
 * values it accepts at the limits, user names turned into uids, and the warning for a chain without
 * a hook. Rulesets are built from text through the real ruleset_apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/* A table with a chain on each hook; a case adds one rule to one of them, on line 4. */
#define BASE                                                    \
	"add table t\n"                                         \
	"add chain t files { hook file_open; policy accept }\n" \
	"add chain t exec { hook exec; policy accept }\n"

/* Applies @text to an empty ruleset, which must succeed, then evaluates it: the return value and
 * every diagnostic printed. */
static void assert_evaluate(const char *text, int ret, const char *expected)
{
	struct session *s = session_new();
	int got;

	assert_int_equal(session_apply(s, text), 0);
	assert_session_diags(s, "");
	got = ruleset_evaluate(&s->ruleset, &s->diags);
	assert_session_diags(s, expected);
	assert_int_equal(got, ret);
	session_free(s);
}

struct rule_case {
	const char *line;	/* line 4 of the input, after BASE */
	const char *token;	/* what the error points at; NULL: no error */
	const char *message;
};

static void run_rule_cases(const struct rule_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *text = xasprintf(BASE "%s\n", cases[i].line);
		char *expected = cases[i].token ?
			error_at(4, cases[i].line, cases[i].token, cases[i].message) : xstrdup("");

		assert_evaluate(text, cases[i].token ? -1 : 0, expected);
		free(expected);
		free(text);
	}
}

#define RUN_RULE_CASES(cases) run_rule_cases(cases, sizeof(cases) / sizeof(cases[0]))

/* --- paths ---------------------------------------------------------------------------------- */

static void test_path_absolute(void **state)
{
	static const struct rule_case cases[] = {
		{ "add rule t files path etc/shadow deny", "etc/shadow",
		  "'etc/shadow' is not an absolute path" },
		{ "add rule t files path shadow deny", "shadow",
		  "'shadow' is not an absolute path" },
		{ "add rule t files path ./etc/ deny", "./etc/",
		  "'./etc/' is not an absolute path" },
		{ "add rule t files path 42 deny", "42", "'42' is not an absolute path" },
		{ "add rule t files path \"\" deny", "\"\"", "'' is not an absolute path" },
		{ "add rule t files path != tmp/ deny", "tmp/", "'tmp/' is not an absolute path" },
		{ "add rule t files path { /etc/passwd, etc/group } deny", "etc/group",
		  "'etc/group' is not an absolute path" },
		{ "add rule t exec exe usr/bin/vi deny", "usr/bin/vi",
		  "'usr/bin/vi' is not an absolute path" },
		{ "add rule t files path / deny", NULL, NULL },
		{ "add rule t files path /etc/shadow deny", NULL, NULL },
		{ "add rule t files path \"/srv/my data/\" deny", NULL, NULL },
	};

	(void)state;
	RUN_RULE_CASES(cases);
}

static void test_path_canonical(void **state)
{
	static const struct rule_case cases[] = {
		{ "add rule t files path //etc/shadow deny", "//etc/shadow",
		  "path '//etc/shadow' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /etc//shadow deny", "/etc//shadow",
		  "path '/etc//shadow' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /etc// deny", "/etc//",
		  "path '/etc//' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /etc/./shadow deny", "/etc/./shadow",
		  "path '/etc/./shadow' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /tmp/../etc/shadow deny", "/tmp/../etc/shadow",
		  "path '/tmp/../etc/shadow' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /etc/. deny", "/etc/.",
		  "path '/etc/.' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /etc/.. deny", "/etc/..",
		  "path '/etc/..' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /etc/./ deny", "/etc/./",
		  "path '/etc/./' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /. deny", "/.",
		  "path '/.' is not canonical (no //, . or .. components)" },
		{ "add rule t files path /.. deny", "/..",
		  "path '/..' is not canonical (no //, . or .. components)" },
		{ "add rule t exec exe /usr/bin/../bin/vi deny", "/usr/bin/../bin/vi",
		  "path '/usr/bin/../bin/vi' is not canonical (no //, . or .. components)" },
		/* dots inside a name are names */
		{ "add rule t files path /etc/.hidden/..x/x.. deny", NULL, NULL },
		{ "add rule t files path /root/.ssh/ deny", NULL, NULL },
		{ "add rule t files path /etc/... deny", NULL, NULL },
	};

	(void)state;
	RUN_RULE_CASES(cases);
}

/* ENDURA_PATH_MAX bytes with the NUL: 255 characters are the most, for files and subtrees. */
static void test_path_length(void **state)
{
	char *fits = long_path(ENDURA_PATH_MAX - 1, 'a', false);
	char *fits_dir = long_path(ENDURA_PATH_MAX - 1, 'a', true);
	char *over = long_path(ENDURA_PATH_MAX, 'a', false);
	char *over_dir = long_path(ENDURA_PATH_MAX, 'a', true);
	char *lines[6] = {
		xasprintf("add rule t files path %s deny", fits),
		xasprintf("add rule t files path %s deny", fits_dir),
		xasprintf("add rule t exec exe %s deny", fits),
		xasprintf("add rule t files path %s deny", over),
		xasprintf("add rule t files path %s deny", over_dir),
		xasprintf("add rule t exec exe != %s deny", over),
	};
	char *messages[3] = {
		xasprintf("path '%s' is longer than 255 bytes", over),
		xasprintf("path '%s' is longer than 255 bytes", over_dir),
		xasprintf("path '%s' is longer than 255 bytes", over),
	};
	const struct rule_case cases[] = {
		{ lines[0], NULL, NULL },
		{ lines[1], NULL, NULL },
		{ lines[2], NULL, NULL },
		{ lines[3], over, messages[0] },
		{ lines[4], over_dir, messages[1] },
		{ lines[5], over, messages[2] },
	};

	(void)state;
	RUN_RULE_CASES(cases);
	for (size_t i = 0; i < 6; i++)
		free(lines[i]);
	for (size_t i = 0; i < 3; i++)
		free(messages[i]);
	free(fits);
	free(fits_dir);
	free(over);
	free(over_dir);
}

static void test_exe_directory(void **state)
{
	static const struct rule_case cases[] = {
		{ "add rule t exec exe /usr/bin/ deny", "/usr/bin/",
		  "'/usr/bin/' names a directory; exe takes an executable file" },
		{ "add rule t files exe != / deny", "/",
		  "'/' names a directory; exe takes an executable file" },
		{ "add rule t files exe { /usr/bin/vi, /opt/tools/ } deny", "/opt/tools/",
		  "'/opt/tools/' names a directory; exe takes an executable file" },
		/* the same value is a subtree for path */
		{ "add rule t exec path /usr/bin/ deny", NULL, NULL },
		{ "add rule t exec exe /usr/bin/vi deny", NULL, NULL },
	};

	(void)state;
	RUN_RULE_CASES(cases);
}

/* --- uid and access ------------------------------------------------------------------------- */

static void test_uid(void **state)
{
	static const struct rule_case cases[] = {
		{ "add rule t files uid nosuchuser deny", "nosuchuser",
		  "unknown user 'nosuchuser'" },
		{ "add rule t files uid { 0, nosuchuser } deny", "nosuchuser",
		  "unknown user 'nosuchuser'" },
		/* a quoted number is a name */
		{ "add rule t files uid \"1000\" deny", "\"1000\"", "unknown user '1000'" },
		{ "add rule t files uid /root deny", "/root", "unknown user '/root'" },
		/* (uid_t)-1 is no uid */
		{ "add rule t files uid 4294967295 deny", "4294967295",
		  "uid 4294967295 is out of range" },
		{ "add rule t files uid != 4294967296 deny", "4294967296",
		  "uid 4294967296 is out of range" },
		{ "add rule t files uid 18446744073709551615 deny", "18446744073709551615",
		  "uid 18446744073709551615 is out of range" },
		{ "add rule t files uid 4294967294 deny", NULL, NULL },
		{ "add rule t files uid 0 deny", NULL, NULL },
		{ "add rule t exec uid != root deny", NULL, NULL },
	};

	(void)state;
	RUN_RULE_CASES(cases);
}

/* User names become uids: the rule prints with numbers afterwards. */
static void test_uid_names_converted(void **state)
{
	struct session *s = session_new();
	struct rule *rule;
	struct value *value;

	(void)state;
	assert_int_equal(session_apply(s, BASE
				       "add rule t files uid { root, 1000, daemon } deny\n"
				       "add set t admins { type uid; elements = { daemon, 7 } }\n"),
			 0);
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	assert_session_diags(s, "");
	rule = nth_entry(&chain_find(table_find(&s->ruleset, "t"), "files")->rules, struct rule, 0);
	value = nth_entry(&nth_entry(&rule->matches, struct match, 0)->values, struct value, 0);
	assert_int_equal(value->kind, VALUE_NUMBER);
	assert_int_equal(value->number, 0);
	assert_string_equal(value->text, "0");
	assert_ruleset(s, "table t { # handle 1\n"
			  "\tmode enforce\n"
			  "\tset admins { # handle 5\n"
			  "\t\ttype uid\n"
			  "\t\telements = { 1, 7 }\n"
			  "\t}\n"
			  "\n"
			  "\tchain files { # handle 2\n"
			  "\t\thook file_open; policy accept\n"
			  "\t\tuid { 0, 1000, 1 } deny # handle 4\n"
			  "\t}\n"
			  "\n"
			  "\tchain exec { # handle 3\n"
			  "\t\thook exec; policy accept\n"
			  "\t}\n"
			  "}\n");
	/* a second evaluation finds numbers and keeps them */
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	assert_session_diags(s, "");
	session_free(s);
}

static void test_access(void **state)
{
	static const struct rule_case cases[] = {
		{ "add rule t files access wirte deny", "wirte",
		  "unknown access mode 'wirte'; did you mean 'write'?" },
		{ "add rule t files access raed deny", "raed",
		  "unknown access mode 'raed'; did you mean 'read'?" },
		{ "add rule t files access exe deny", "exe",
		  "unknown access mode 'exe'; did you mean 'exec'?" },
		{ "add rule t files access != { read, wrte } deny", "wrte",
		  "unknown access mode 'wrte'; did you mean 'write'?" },
		{ "add rule t files access append deny", "append",
		  "unknown access mode 'append'; expected read, write, exec, create, delete, rename, link, attr or mount" },
		{ "add rule t files access 2 deny", "2",
		  "unknown access mode '2'; expected read, write, exec, create, delete, rename, link, attr or mount" },
		{ "add rule t files access { read, write, exec } deny", NULL, NULL },
		{ "add rule t files access != exec deny", NULL, NULL },
	};

	(void)state;
	RUN_RULE_CASES(cases);
}

/* The error points at the field: the values are not what is wrong. */
static void test_access_on_exec_hook(void **state)
{
	static const struct rule_case cases[] = {
		{ "add rule t exec access exec deny", "access",
		  "access is not available on hook exec" },
		{ "add rule t exec path /tmp/ access != { read } deny", "access",
		  "access is not available on hook exec" },
	};

	(void)state;
	RUN_RULE_CASES(cases);
}

/* --- sets ----------------------------------------------------------------------------------- */

#define SETS                                                           \
	BASE                                                           \
	"add set t paths { type path; elements = { /etc/shadow, /tmp/ } }\n" \
	"add set t uids { type uid; elements = { 0, 1000 } }\n"

static void test_set_missing(void **state)
{
	(void)state;
	/* the error spans the match: field and set reference */
	assert_evaluate(BASE "add rule t files path @nosuch deny\n", -1,
			"<cmdline>:4:18-29: Error: set 'nosuch' does not exist in table 't'\n"
			"add rule t files path @nosuch deny\n"
			"                 ^^^^^^^^^^^^\n");
	assert_evaluate(BASE "add rule t exec exe != @tools deny\n", -1,
			"<cmdline>:4:17-29: Error: set 'tools' does not exist in table 't'\n"
			"add rule t exec exe != @tools deny\n"
			"                ^^^^^^^^^^^^^\n");
	/* sets are found in the rule's own table only */
	assert_evaluate(SETS "add table u\n"
			"add chain u c { hook file_open; policy accept }\n"
			"add rule u c uid @uids deny\n", -1,
			"<cmdline>:8:14-22: Error: set 'uids' does not exist in table 'u'\n"
			"add rule u c uid @uids deny\n"
			"             ^^^^^^^^^\n");
}

static void test_set_type_mismatch(void **state)
{
	(void)state;
	assert_evaluate(SETS "add rule t files uid @paths deny\n", -1,
			"<cmdline>:6:18-27: Error: set 'paths' holds path values, uid needs uid\n"
			"add rule t files uid @paths deny\n"
			"                 ^^^^^^^^^^\n");
	assert_evaluate(SETS "add rule t files path != @uids deny\n", -1,
			"<cmdline>:6:18-30: Error: set 'uids' holds uid values, path needs path\n"
			"add rule t files path != @uids deny\n"
			"                 ^^^^^^^^^^^^^\n");
	assert_evaluate(SETS "add rule t exec exe @uids deny\n", -1,
			"<cmdline>:6:17-25: Error: set 'uids' holds uid values, exe needs path\n"
			"add rule t exec exe @uids deny\n"
			"                ^^^^^^^^^\n");
	assert_evaluate(SETS "add rule t files access @paths deny\n", -1,
			"<cmdline>:6:18-30: Error: set 'paths' holds path values, access needs "
			"access modes\n"
			"add rule t files access @paths deny\n"
			"                 ^^^^^^^^^^^^^\n");
	/* the ones that fit */
	assert_evaluate(SETS "add set t tools { type path; elements = { /usr/bin/passwd } }\n"
			"add rule t files path @paths uid != @uids deny\n"
			"add rule t exec exe != @tools deny\n", 0, "");
}

/* A path set may hold subtrees, an executable is a file: used by exe, each element must name a
 * file. The error points at the element; a set of the wrong type is reported as that. */
static void test_exe_set_elements(void **state)
{
	(void)state;
	assert_evaluate(SETS "add rule t files path @paths deny\n"
			"add rule t exec exe != @paths deny\n", -1,
			"<cmdline>:4:56-60: Error: '/tmp/' names a directory; exe takes an executable "
			"file\n"
			"add set t paths { type path; elements = { /etc/shadow, /tmp/ } }\n"
			"                                                       ^^^^^\n");
	assert_evaluate(SETS "add rule t exec exe @uids deny\n", -1,
			"<cmdline>:6:17-25: Error: set 'uids' holds uid values, exe needs path\n"
			"add rule t exec exe @uids deny\n"
			"                ^^^^^^^^^\n");
}

/* Elements are checked as the values of the set's type, where they are written. */
static void test_set_elements(void **state)
{
	(void)state;
	assert_evaluate("table t {\n"
			"\tset p { type path; elements = { /etc/, etc/shadow, /a//b } }\n"
			"\tset u { type uid; elements = { 0, nosuchuser, 4294967295 } }\n"
			"}\n", -1,
			"<cmdline>:2:41-50: Error: 'etc/shadow' is not an absolute path\n"
			"\tset p { type path; elements = { /etc/, etc/shadow, /a//b } }\n"
			"\t                                       ^^^^^^^^^^\n"
			"<cmdline>:2:53-57: Error: path '/a//b' is not canonical (no //, . or .. "
			"components)\n"
			"\tset p { type path; elements = { /etc/, etc/shadow, /a//b } }\n"
			"\t                                                   ^^^^^\n"
			"<cmdline>:3:36-45: Error: unknown user 'nosuchuser'\n"
			"\tset u { type uid; elements = { 0, nosuchuser, 4294967295 } }\n"
			"\t                                  ^^^^^^^^^^\n"
			"<cmdline>:3:48-57: Error: uid 4294967295 is out of range\n"
			"\tset u { type uid; elements = { 0, nosuchuser, 4294967295 } }\n"
			"\t                                              ^^^^^^^^^^\n");
	/* an unused set is checked too; an empty one is fine */
	assert_evaluate("table t { set e { type path } }\n", 0, "");
}

/* --- the chain and the whole ruleset -------------------------------------------------------- */

static void test_chain_without_hook(void **state)
{
	(void)state;
	assert_evaluate("table t {\n"
			"\tchain helper {\n"
			"\t\tpath /etc/shadow deny\n"
			"\t}\n"
			"\tchain empty {\n"
			"\t}\n"
			"}\n", 0,
			"<cmdline>:2:8-13: Warning: chain 'helper' has no hook: its rules are never "
			"evaluated\n"
			"\tchain helper {\n"
			"\t      ^^^^^^\n");
	/* the warning comes with the errors of its rules, which are still checked */
	assert_evaluate("add table t\n"
			"add chain t helper\n"
			"add rule t helper path etc deny\n", -1,
			"<cmdline>:2:13-18: Warning: chain 'helper' has no hook: its rules are never "
			"evaluated\n"
			"add chain t helper\n"
			"            ^^^^^^\n"
			"<cmdline>:3:24-26: Error: 'etc' is not an absolute path\n"
			"add rule t helper path etc deny\n"
			"                       ^^^\n");
}

/* A deny without a match denies every operation of its hook: allowed, with a warning where the
 * rule is. Not for other verdicts, nor in a chain without a hook. */
static void test_deny_without_match(void **state)
{
	(void)state;
	assert_evaluate(BASE "add rule t files log deny\n"
			"add rule t exec counter deny comment \"no exec at all\"\n"
			"add rule t files log accept\n"
			"add rule t exec counter\n"
			"add rule t files path /x deny\n"
			"add chain t idle\n"
			"add rule t idle deny\n", 0,
			"<cmdline>:4:18-25: Warning: this rule has no match: it denies every open\n"
			"add rule t files log deny\n"
			"                 ^^^^^^^^\n"
			"<cmdline>:5:17-53: Warning: this rule has no match: it denies every exec\n"
			"add rule t exec counter deny comment \"no exec at all\"\n"
			"                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
			"<cmdline>:9:13-16: Warning: chain 'idle' has no hook: its rules are never "
			"evaluated\n"
			"add chain t idle\n"
			"            ^^^^\n");
}

/* A chain without a hook is on no hook: access is not an error there, the warning says enough.
 * Binding the chain to exec later is what makes access wrong. */
static void test_access_in_chain_without_hook(void **state)
{
	(void)state;
	assert_evaluate("add table t\n"
			"add chain t helper\n"
			"add rule t helper path /etc/shadow access write deny\n", 0,
			"<cmdline>:2:13-18: Warning: chain 'helper' has no hook: its rules are never "
			"evaluated\n"
			"add chain t helper\n"
			"            ^^^^^^\n");
}

/* A value from a define is reported where the define wrote it. */
static void test_error_in_define(void **state)
{
	(void)state;
	assert_evaluate("define TOOLS = { /usr/bin/passwd, usr/bin/chage }\n"
			BASE
			"add rule t files exe != $TOOLS deny\n", -1,
			"<cmdline>:1:35-47: Error: 'usr/bin/chage' is not an absolute path\n"
			"define TOOLS = { /usr/bin/passwd, usr/bin/chage }\n"
			"                                  ^^^^^^^^^^^^^\n");
}

/* Every error of a ruleset is reported, in table, set, chain and rule order; sets before the
 * chains that use them. */
static void test_every_error(void **state)
{
	(void)state;
	assert_evaluate("table t {\n"
			"\tchain exec {\n"
			"\t\thook exec; policy deny\n"
			"\t\texe /bin/ access read uid nobody-here accept\n"
			"\t\tpath @missing deny\n"
			"\t}\n"
			"\tset s { type uid; elements = { x } }\n"
			"}\n", -1,
			"<cmdline>:7:33-33: Error: unknown user 'x'\n"
			"\tset s { type uid; elements = { x } }\n"
			"\t                               ^\n"
			"<cmdline>:4:7-11: Error: '/bin/' names a directory; exe takes an executable "
			"file\n"
			"\t\texe /bin/ access read uid nobody-here accept\n"
			"\t\t    ^^^^^\n"
			"<cmdline>:4:13-18: Error: access is not available on hook exec\n"
			"\t\texe /bin/ access read uid nobody-here accept\n"
			"\t\t          ^^^^^^\n"
			"<cmdline>:4:29-39: Error: unknown user 'nobody-here'\n"
			"\t\texe /bin/ access read uid nobody-here accept\n"
			"\t\t                          ^^^^^^^^^^^\n"
			"<cmdline>:5:3-15: Error: set 'missing' does not exist in table 't'\n"
			"\t\tpath @missing deny\n"
			"\t\t^^^^^^^^^^^^^\n");
}

/* The shipped rules are free of diagnostics. */
static void test_shipped_rules(void **state)
{
	char *rules = source_path("../../rules.d");
	struct session *s = session_new();

	(void)state;
	assert_int_equal(ruleset_apply(&s->ruleset, session_parse_path(s, rules), &s->diags), 0);
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	assert_session_diags(s, "");
	session_free(s);
	free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_absolute),
		cmocka_unit_test(test_path_canonical),
		cmocka_unit_test(test_path_length),
		cmocka_unit_test(test_exe_directory),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_uid_names_converted),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_access_on_exec_hook),
		cmocka_unit_test(test_set_missing),
		cmocka_unit_test(test_set_type_mismatch),
		cmocka_unit_test(test_exe_set_elements),
		cmocka_unit_test(test_set_elements),
		cmocka_unit_test(test_chain_without_hook),
		cmocka_unit_test(test_access_in_chain_without_hook),
		cmocka_unit_test(test_deny_without_match),
		cmocka_unit_test(test_error_in_define),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_shipped_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
