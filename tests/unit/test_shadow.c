// SPDX-License-Identifier: GPL-2.0-only
/* Rules that never decide (warn_shadowed_rules(), run by compile_ruleset()): the exact warning,
 * where it points and which earlier rule it names, for rules an earlier one covers field by field;
 * what is not reported (a later rule that covers more, other chains and tables, rules that do not
 * end evaluation, narrower earlier rules, !=, exe identities, rules with no place in the input);
 * the cap on warnings; a large hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "transaction.h"

/* The files the resolver knows: vi and vim are one file, and so are the two names under /srv/. */
static const struct fake_file files[] = {
	{ "/usr/bin/passwd", { 8, 200 } },
	{ "/usr/bin/vi", { 8, 300 } },
	{ "/usr/bin/vim", { 8, 300 } },
	{ "/srv/a/file", { 9, 2 } },
	{ "/srv/b/link", { 9, 2 } },
	{ NULL },
};

/* Table t (handle 1) with chain c (handle 2) on @hook, policy accept: rule N of @rules stands on
 * line N + 3 and has handle N + 2. Rules are written without indentation, so that error_at() and
 * warning_at() draw their carets as the diagnostics do. */
#define CHAIN_FORMAT "table t {\n\tchain c {\n\t\thook %s; policy accept\n%s\t}\n}\n"
#define FIRST_RULE_LINE 4

/* Compiles the session's ruleset, which must compile without an error: its warnings, printed. */
static char *compile_warnings(struct session *s)
{
	struct resolver resolver = fake_resolver(files);
	struct table_image image;
	char *text;

	assert_int_equal(compile_ruleset(&s->ruleset, &resolver, &image, &s->diags), 0);
	assert_int_equal(s->diags.errors, 0);
	text = diag_text(&s->diags);
	diag_list_free(&s->diags);
	table_image_free(&image);
	return text;
}

static void assert_warnings(struct session *s, const char *expected)
{
	assert_same_text(compile_warnings(s), xstrdup(expected));
}

/* Line @number (1-based) of @text, to free. */
static char *line_of(const char *text, unsigned int number)
{
	for (unsigned int n = 1; n < number; n++) {
		text = strchr(text, '\n');
		assert_non_null(text);
		text++;
	}
	return xasprintf("%.*s", (int)strcspn(text, "\n"), text);
}

/* The message for a rule that the rule on line @by of <cmdline> covers. */
static char *by_line(unsigned int by)
{
	return xasprintf("this rule never decides: the rule at line %u of <cmdline> decides "
			 "everything it covers first", by);
}

/* The message for a rule that the rule with handle @handle, from no input, covers. */
static char *by_handle(uint64_t handle)
{
	return xasprintf("this rule never decides: the rule with handle %llu decides everything it "
			 "covers first", (unsigned long long)handle);
}

/* Appends to @expected (to free, or NULL) the warning @message (freed) on line @number of @text,
 * pointing at @token, or at the rule that stands alone on the line when @token is NULL. */
static char *append_warning(char *expected, const char *text, unsigned int number,
			    const char *token, char *message)
{
	char *line = line_of(text, number);
	char *warning = warning_at(number, line, token ? token : line, message);
	char *joined = xasprintf("%s%s", expected ? expected : "", warning);

	free(expected);
	free(warning);
	free(line);
	free(message);
	return joined;
}

#define ADD_RULE "add rule t c "

/* Appends the warning @message (freed) for the rule on line @number of @text, which holds it
 * alone or after ADD_RULE. */
static char *add_warning(char *expected, const char *text, unsigned int number, char *message)
{
	char *line = line_of(text, number);
	size_t prefix = strlen(ADD_RULE);
	const char *rule = strncmp(line, ADD_RULE, prefix) ? NULL : line + prefix;

	expected = append_warning(expected, text, number, rule, message);
	free(line);
	return expected;
}

/* --- what is reported, one chain at a time -------------------------------------------------- */

#define MAX_WARNINGS 3

struct shadow_case {
	const char *what;
	const char *hook;
	const char *rules;	/* lines, each ended by a newline */
	/* {shadowed, earlier}: rules numbered from 1 in @rules; { 0, 0 } ends, so at most
	 * MAX_WARNINGS - 1 */
	unsigned int warnings[MAX_WARNINGS][2];
};

/* Compiles each case on its own; each mismatch is printed and counted. */
static unsigned int shadow_cases(const struct shadow_case *cases, size_t n)
{
	unsigned int failed = 0;

	for (size_t i = 0; i < n; i++) {
		char *text = xasprintf(CHAIN_FORMAT, cases[i].hook, cases[i].rules);
		struct session *s = session_from(text);
		char *expected = xstrdup(""), *got = compile_warnings(s);

		for (const unsigned int *w = cases[i].warnings[0]; w[0]; w += 2)
			expected = add_warning(expected, text, FIRST_RULE_LINE - 1 + w[0],
					       by_line(FIRST_RULE_LINE - 1 + w[1]));
		if (strcmp(got, expected) != 0) {
			print_error("%s: got\n%s\nexpected\n%s\n", cases[i].what, got, expected);
			failed++;
		}
		free(got);
		free(expected);
		session_free(s);
		free(text);
	}
	return failed;
}

/* A case in which nothing is reported. */
#define NONE { { 0, 0 } }

#define ASSERT_SHADOW_CASES(cases) \
	assert_int_equal(shadow_cases(cases, sizeof(cases) / sizeof(cases[0])), 0)

#define OPEN	"file_open"
#define EXEC	"exec"
#define CAPABLE	"capable"

/* An earlier rule that ends evaluation and holds wherever the later one does: the later one is
 * reported, pointing at it whole, naming the first such rule. */
static void test_reported(void **state)
{
	static const struct shadow_case cases[] = {
		{ "identical", OPEN, "path /x deny\npath /x deny\n", { { 2, 1 } } },
		{ "identical matches, other statements", OPEN,
		  "path /x counter log deny\npath /x deny comment \"again\"\n", { { 2, 1 } } },
		{ "the same set in another order", OPEN,
		  "path { /a, /b } deny\npath { /b, /a } deny\n", { { 2, 1 } } },
		{ "a set covers one of its members", OPEN, "path { /a, /b } deny\npath /a deny\n",
		  { { 2, 1 } } },
		{ "a subtree covers an exact path under it", OPEN,
		  "path /etc/ deny\npath /etc/passwd deny\n", { { 2, 1 } } },
		{ "a subtree covers a subtree under it", OPEN,
		  "path /etc/ deny\npath /etc/ssh/ deny\n", { { 2, 1 } } },
		{ "no access covers access write", OPEN,
		  "path /x deny\npath /x access write deny\n", { { 2, 1 } } },
		{ "access write covers access write and read", OPEN,
		  "access write deny\naccess write access read deny\n", { { 2, 1 } } },
		{ "no uid covers uid 0", OPEN, "path /x deny\npath /x uid 0 deny\n", { { 2, 1 } } },
		{ "no match on a field covers any match on it", OPEN,
		  "uid 0 deny\nuid 0 path /tmp/ exe /usr/bin/vi deny\n", { { 2, 1 } } },
		{ "exec: a rule on the subject alone covers another", EXEC,
		  "uid 0 deny\nuid 0 exe /usr/bin/vi deny\n", { { 2, 1 } } },
		{ "exec: a rule naming a path covers one naming a path under it", EXEC,
		  "path /tmp/ deny\npath /tmp/x uid 0 deny\n", { { 2, 1 } } },
		{ "an earlier accept covers a later deny", OPEN,
		  "exe /usr/bin/passwd accept\n"
		  "exe /usr/bin/passwd path /etc/shadow access write deny\n", { { 2, 1 } } },
		{ "an earlier deny covers a later accept", OPEN,
		  "path /etc/ deny\npath /etc/passwd uid 0 log accept\n", { { 2, 1 } } },
		{ "the first of the rules that cover is named", OPEN,
		  "path / deny\npath /etc/ deny\npath /etc/passwd deny\n", { { 2, 1 }, { 3, 1 } } },
		{ "after rules that do not end evaluation", OPEN,
		  "path /x log\npath /x counter\npath /x deny\npath /x log deny\n", { { 4, 3 } } },
		{ "a rule that is reported still covers", OPEN,
		  "path /x deny\npath /x deny\npath /x uid 0 deny\n", { { 2, 1 }, { 3, 1 } } },
		{ "path != /a covers path /b", OPEN, "path != /a deny\npath /b deny\n",
		  { { 2, 1 } } },
		{ "path != /a covers path != /a", OPEN, "path != /a deny\npath != /a deny\n",
		  { { 2, 1 } } },
		{ "uid != 0 covers uid 1000", OPEN, "uid != 0 deny\nuid 1000 deny\n",
		  { { 2, 1 } } },
		{ "exe: vi covers vim, the same file", EXEC,
		  "exe /usr/bin/vi deny\nexe /usr/bin/vim log deny\n", { { 2, 1 } } },
		{ "exe: a set covers another name of one of its files", EXEC,
		  "exe { /usr/bin/passwd, /usr/bin/vim } deny\nexe /usr/bin/vi deny\n",
		  { { 2, 1 } } },
		{ "capability: a set covers one of its members", CAPABLE,
		  "capability { cap_chown, cap_kill } deny\ncapability cap_kill uid 0 deny\n",
		  { { 2, 1 } } },
		{ "capability != covers the others", CAPABLE,
		  "capability != cap_chown deny\ncapability cap_kill deny\n", { { 2, 1 } } },
		{ "exe != vi covers passwd", EXEC,
		  "exe != /usr/bin/vi deny\nexe /usr/bin/passwd deny\n", { { 2, 1 } } },
	};

	(void)state;
	ASSERT_SHADOW_CASES(cases);
}

/* Whatever it shares with an earlier rule, a rule that can decide is not reported. */
static void test_not_reported(void **state)
{
	static const struct shadow_case cases[] = {
		{ "a later rule that covers more", OPEN,
		  "path /y access write deny\npath /y deny\n", NONE },
		{ "an earlier exact path under a later subtree", OPEN,
		  "path /etc/passwd deny\npath /etc/ deny\n", NONE },
		{ "an earlier uid", OPEN, "path /x uid 0 deny\npath /x deny\n", NONE },
		{ "an earlier exe", EXEC, "exe /usr/bin/vi path /x deny\npath /x deny\n", NONE },
		{ "exec: a rule on the subject alone does not cover one naming a path, which also "
		  "decides mappings", EXEC, "uid 0 deny\nuid 0 path /tmp/ deny\n", NONE },
		{ "exec: path != does not cover a path it excludes from mappings", EXEC,
		  "path != /usr/ deny\npath /tmp/ deny\n", NONE },
		{ "an earlier access", OPEN, "access write deny\naccess { read, write } deny\n",
		  NONE },
		{ "other values", OPEN, "path /a deny\npath /b deny\n", NONE },
		{ "a sibling subtree", OPEN, "path /etc/ssh/ deny\npath /etc/ssl/ deny\n", NONE },
		{ "an earlier set that holds part of the values", OPEN,
		  "path { /a, /b } deny\npath { /b, /c } deny\n", NONE },
		{ "covered by two earlier rules together, by neither alone", OPEN,
		  "path /a deny\npath /b deny\npath { /a, /b } deny\n", NONE },
		{ "earlier rules that only log or count", OPEN,
		  "path /x log\npath / counter\npath /x deny\n", NONE },
		{ "path != /a does not cover path /a", OPEN, "path != /a deny\npath /a deny\n",
		  NONE },
		{ "path != /etc/ does not cover path /etc/passwd", OPEN,
		  "path != /etc/ deny\npath /etc/passwd deny\n", NONE },
		{ "access != write does not cover access read", OPEN,
		  "access != write deny\naccess read deny\n", NONE },
		{ "capability: another one", CAPABLE,
		  "capability cap_chown deny\ncapability cap_kill deny\n", NONE },
		{ "capability != does not cover the one it excludes", CAPABLE,
		  "capability != cap_chown deny\ncapability cap_chown deny\n", NONE },
		{ "exe: other files", EXEC, "exe /usr/bin/vi deny\nexe /usr/bin/passwd deny\n",
		  NONE },
		{ "exe != vi does not cover vim, the same file", EXEC,
		  "exe != /usr/bin/vi deny\nexe /usr/bin/vim deny\n", NONE },
		{ "exe: a file the resolver does not know holds for nothing", EXEC,
		  "exe /opt/missing deny\nexe /usr/bin/vi deny\n", NONE },
	};

	(void)state;
	ASSERT_SHADOW_CASES(cases);
}

/* Only an earlier rule of the same chain counts: not one of another chain on the hook, of another
 * table, on another hook, nor a chain's policy. */
static void test_chains_and_tables(void **state)
{
	const char *text = "table a {\n"
			   "\tchain first {\n"
			   "\t\thook file_open; policy deny\n"
			   "path /x deny\n"
			   "\t}\n"
			   "\tchain second {\n"
			   "\t\thook file_open; policy accept\n"
			   "path /x deny\n"
			   "path /x deny\n"
			   "\t}\n"
			   "\tchain exec {\n"
			   "\t\thook exec; policy accept\n"
			   "path /x deny\n"
			   "\t}\n"
			   "}\n"
			   "table b {\n"
			   "\tchain first {\n"
			   "\t\thook file_open; policy accept\n"
			   "path /x deny\n"
			   "\t}\n"
			   "}\n"
			   "table c {\n"
			   "\tmode audit\n"
			   "\tchain first {\n"
			   "\t\thook file_open; policy accept\n"
			   "path /x deny\n"
			   "path /x log deny\n"
			   "\t}\n"
			   "}\n";
	struct session *s = session_from(text);
	/* the one in chain second, and a deny in audit mode: it ends its chain too */
	char *expected = add_warning(NULL, text, 9, by_line(8));

	(void)state;
	expected = add_warning(expected, text, 27, by_line(26));
	assert_warnings(s, expected);
	free(expected);
	session_free(s);
}

/* Two chains of many rules on one hook: the second starts inside a word of positions, and the
 * earlier rule of a later position is found across words. Rules are "path /pN deny". */
static void test_across_words(void **state)
{
	char *text, *expected;
	size_t len;
	FILE *out = open_memstream(&text, &len);
	struct session *s;

	(void)state;
	/* chain one: 40 rules and its policy, positions 0-40 */
	fputs("table t {\n\tchain one {\n\t\thook file_open; policy accept\n", out);
	for (unsigned int i = 0; i < 40; i++)
		fprintf(out, "path /p%u deny\n", i);
	/* chain two: position 41 on, line 47 on: /p0 as chain one has it, at 41 and 41 + 70 */
	fputs("\t}\n\tchain two {\n\t\thook file_open; policy accept\n", out);
	for (unsigned int i = 0; i < 70; i++)
		fprintf(out, "path /p%u deny\n", i);
	fputs("path /p0 log deny\npath /p63 access write deny\npath /p64 uid 0 deny\n\t}\n}\n",
	      out);
	fclose(out);
	s = session_from(text);
	expected = add_warning(NULL, text, 117, by_line(47));
	expected = add_warning(expected, text, 118, by_line(47 + 63));
	expected = add_warning(expected, text, 119, by_line(47 + 64));
	assert_warnings(s, expected);
	free(expected);
	session_free(s);
	free(text);
}

/* As many warnings as errors are shown, DIAG_MAX_ERRORS, however many rules never decide. */
static void test_cap(void **state)
{
	char *rules = xstrdup(""), *text, *expected = NULL;
	struct session *s;

	(void)state;
	for (unsigned int i = 0; i < DIAG_MAX_ERRORS + 3; i++) {
		char *more = xasprintf("%spath /x deny\n", rules);

		free(rules);
		rules = more;
	}
	text = xasprintf(CHAIN_FORMAT, OPEN, rules);
	s = session_from(text);
	for (unsigned int i = 1; i <= DIAG_MAX_ERRORS; i++)
		expected = add_warning(expected, text, FIRST_RULE_LINE + i,
				       by_line(FIRST_RULE_LINE));
	assert_warnings(s, expected);
	free(expected);
	session_free(s);
	free(text);
	free(rules);
}

/* The cap is on warnings of this kind: warnings found before (evaluation warns about chains
 * without a hook, and the live ruleset's chains count too) do not take its place. Fails while
 * check_hook() compares diags->warnings, every warning so far, with DIAG_MAX_ERRORS. */
static void test_cap_is_for_these_warnings(void **state)
{
	char *rules = xstrdup(""), *text, *expected = NULL, *got;
	struct session *s = session_new();

	(void)state;
	for (unsigned int i = 0; i < DIAG_MAX_ERRORS; i++) {
		char *more = xasprintf("%schain idle%u { path /x deny }\n", rules, i);

		free(rules);
		rules = more;
	}
	text = xasprintf("table t {\n%s"
			 "chain c {\n"
			 "\t\thook file_open; policy accept\n"
			 "path /x deny\n"
			 "path /x deny\n"
			 "\t}\n"
			 "}\n", rules);
	assert_int_equal(session_apply(s, text), 0);
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	for (unsigned int i = 0; i < DIAG_MAX_ERRORS; i++) {
		char *name = xasprintf("idle%u", i);

		expected = append_warning(expected, text, 2 + i, name,
					  xasprintf("chain '%s' has no hook: its rules are never "
						    "evaluated", name));
		free(name);
	}
	expected = add_warning(expected, text, DIAG_MAX_ERRORS + 5, by_line(DIAG_MAX_ERRORS + 4));
	got = compile_warnings(s);
	session_free(s);
	free(text);
	free(rules);
	assert_same_text(got, expected);
}

/* --- rules from no input -------------------------------------------------------------------- */

/* @added applied to the live ruleset of @s, which is freed, and the whole compiled: the warnings,
 * printed. */
static char *warnings_on_live(struct session *s, const char *added)
{
	char *got;

	assert_int_equal(session_apply(s, added), 0);
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	got = compile_warnings(s);
	session_free(s);
	return got;
}

/* Rules of the live ruleset (ruleset_clear_locations(): no place in any input) are never
 * reported, shadowed or not; one of them that covers a new rule is named by its handle. */
static void test_live_rules(void **state)
{
	char *text = xasprintf(CHAIN_FORMAT, OPEN, "path /x deny\npath /x deny\npath /etc/ deny\n");
	const char *added = ADD_RULE "path /x log deny\n"
			    ADD_RULE "path /etc/passwd deny\n"
			    ADD_RULE "path /new deny\n"
			    ADD_RULE "path /new uid 0 deny\n";
	struct session *s = session_from(text);
	char *expected;

	(void)state;
	ruleset_clear_locations(&s->ruleset);
	assert_warnings(s, "");
	expected = add_warning(NULL, added, 1, by_handle(3));
	expected = add_warning(expected, added, 2, by_handle(5));
	/* a new rule is named by its line when it covers */
	expected = add_warning(expected, added, 4, by_line(3));
	assert_same_text(warnings_on_live(s, added), expected);
	free(text);
}

/* The live ruleset as endurctl gets it (client_fetch_ruleset()): endurd's JSON listing imported,
 * adopted, its locations cleared, and the listing's text freed before the user's commands are
 * checked against it. The sanitized build fails here if anything still points at that text. */
static void test_live_rules_from_a_listing(void **state)
{
	char *text = xasprintf(CHAIN_FORMAT, OPEN, "path /x deny\npath /x deny\n");
	const char *added = ADD_RULE "path /x log deny\n";
	struct session *daemon = session_from(text), *s = session_new();
	char *listed = json_text(json_export_ruleset(&daemon->ruleset, PRINT_HANDLES));
	struct parsed *listing = parsed_new();

	(void)state;
	assert_int_equal(json_import_text(&listing->ctx, "endurd", listed), 0);
	assert_int_equal(ruleset_adopt(&s->ruleset, &listing->ctx.cmds, &s->diags), 0);
	ruleset_clear_locations(&s->ruleset);
	parsed_free(listing);
	session_free(daemon);
	free(listed);
	free(text);
	assert_same_text(warnings_on_live(s, added), add_warning(NULL, added, 1, by_handle(3)));
}

/* The live ruleset as endurd keeps it (daemon_commit()): the result of a transaction, its
 * locations cleared, and the request's text freed; the next transaction compiles it again. */
static void test_live_rules_after_commit(void **state)
{
	char *text = xasprintf(CHAIN_FORMAT, OPEN, "path /x deny\npath /x deny\n");
	const char *added = ADD_RULE "path /x log deny\n";
	struct resolver resolver = fake_resolver(files);
	struct parsed *request = parse_string(text);
	struct session *s = session_new();
	struct table_image image;
	struct ruleset next;
	char *expected = add_warning(NULL, text, 5, by_line(4));

	(void)state;
	assert_int_equal(ruleset_transaction(&s->ruleset, &request->ctx.cmds, &resolver, &next,
					     &image, &s->diags), 0);
	/* the request's own rule that never decides is reported to it */
	assert_same_text(diag_text(&s->diags), expected);
	diag_list_free(&s->diags);
	table_image_free(&image);
	ruleset_free(&s->ruleset);
	ruleset_clear_locations(&next);
	ruleset_move(&s->ruleset, &next);
	parsed_free(request);
	free(text);
	assert_same_text(warnings_on_live(s, added), add_warning(NULL, added, 1, by_handle(3)));
}

/* A rule read from JSON has a place in no line: an earlier one that covers it is named by its
 * handle, never "the rule at line 0". Fails while warn_rule() asks only whether the earlier rule's
 * input is known, not whether its line is. */
static void test_rules_from_json(void **state)
{
	static const char rules_json[] =
		"{\"endura\": ["
		"{\"rule\": {\"table\": \"t\", \"chain\": \"c\", \"expr\": ["
		"{\"match\": {\"op\": \"==\", \"field\": \"path\", \"right\": \"/x\"}}, "
		"{\"deny\": null}]}},"
		"{\"rule\": {\"table\": \"t\", \"chain\": \"c\", \"expr\": ["
		"{\"match\": {\"op\": \"==\", \"field\": \"path\", \"right\": \"/x\"}}, "
		"{\"log\": null}, {\"deny\": null}]}}]}";
	char *text = xasprintf(CHAIN_FORMAT, OPEN, "");
	struct session *s = session_from(text);
	struct parsed *p = parsed_new();
	char *got;

	(void)state;
	assert_int_equal(json_import_text(&p->ctx, "policy.json", rules_json), 0);
	assert_int_equal(ruleset_apply(&s->ruleset, session_keep(s, p), &s->diags), 0);
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	got = compile_warnings(s);
	session_free(s);
	free(text);
	assert_same_text(got, xstrdup("policy.json: Warning: this rule never decides: the rule "
				      "with handle 3 decides everything it covers first\n"));
}

/* --- where the check is wrong: it says a rule never decides, the kernel lets it decide ------ */

/* Fail closed: for a path the kernel side cannot build, every rule with a path match that does
 * not accept holds, and no accept does (meta.path_unresolved). An accept with a path match does
 * not cover a later deny then: that deny decides (test_decide_chains, "an unresolvable path").
 * Fails while collect_classes() leaves path_unresolved out of the classes of the path field. */
static void test_accept_does_not_cover_unresolved_paths(void **state)
{
	static const struct shadow_case cases[] = {
		{ "a subtree accepted, an exact path under it denied", OPEN,
		  "path /srv/ accept\npath /srv/secret deny\n", NONE },
		{ "path != accepted, another path denied", OPEN,
		  "path != /x accept\npath /y deny\n", NONE },
	};

	(void)state;
	ASSERT_SHADOW_CASES(cases);
}

/* path != holds only where neither the name nor the file's identity is the value ("!= needs both
 * names to differ", test_decide_fields): /srv/b/link is a name of /srv/a/file, so opening it does
 * not satisfy "path != /srv/a/file", and the later rule decides. Fails while the check takes the
 * class of the name alone, in which the != rule holds. */
static void test_neq_does_not_cover_another_name(void **state)
{
	static const struct shadow_case cases[] = {
		{ "the other name, exact", OPEN,
		  "path != /srv/a/file deny\npath /srv/b/link deny\n", NONE },
		{ "the other name, in a subtree", OPEN,
		  "path != /srv/a/file deny\npath /srv/b/ deny\n", NONE },
	};

	(void)state;
	ASSERT_SHADOW_CASES(cases);
}

/* --- size ----------------------------------------------------------------------------------- */

#define MANY 10000

/* A hook of MANY rules of distinct paths, then one more that repeats the first: the check is on
 * every compile, so it must stay quiet and cheap on a large hook (not timed here: the sanitized
 * build runs it too). */
static void test_many_rules(void **state)
{
	const char *added = ADD_RULE "path /srv/data/file-0 deny\n"
			    ADD_RULE "path /srv/data/file-0 access write log deny\n";
	char *text, *expected;
	size_t len;
	FILE *out = open_memstream(&text, &len);
	struct session *s;

	(void)state;
	fputs("table t {\n\tchain c {\n\t\thook file_open; policy accept\n", out);
	for (unsigned int i = 0; i < MANY; i++)
		fprintf(out, "path /srv/data/file-%u access write deny\n", i);
	fputs("\t}\n}\n", out);
	fclose(out);
	s = session_from(text);
	assert_warnings(s, "");
	assert_int_equal(session_apply(s, added), 0);
	expected = add_warning(NULL, added, 2, by_line(FIRST_RULE_LINE));
	assert_warnings(s, expected);
	free(expected);
	session_free(s);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported),
		cmocka_unit_test(test_not_reported),
		cmocka_unit_test(test_chains_and_tables),
		cmocka_unit_test(test_across_words),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_cap_is_for_these_warnings),
		cmocka_unit_test(test_live_rules),
		cmocka_unit_test(test_live_rules_from_a_listing),
		cmocka_unit_test(test_live_rules_after_commit),
		cmocka_unit_test(test_rules_from_json),
		cmocka_unit_test(test_accept_does_not_cover_unresolved_paths),
		cmocka_unit_test(test_neq_does_not_cover_another_name),
		cmocka_unit_test(test_many_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
