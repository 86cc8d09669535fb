// SPDX-License-Identifier: GPL-2.0-only
/* Verdict maps: the compiler expands "F vmap { key : verdict, ... }" into one position per key
 * (the rule's other matches and F == key, the key's verdict, the rule's handle and statements) on
 * a copy of the ruleset the image owns; what the kernel then decides, through the mirror of
 * bpf/decide.bpf.h; and the warnings about rules that never decide, which positions of one rule
 * do not raise against each other. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decide_mirror.h"

static const struct fake_file files[] = {
	{ "/usr/bin/curl", { 8, 400 } },
	{ "/usr/bin/wget", { 8, 401 } },
	{ "/usr/bin/vi", { 8, 300 } },
	{ "/usr/bin/sh", { 8, 301 } },
	{ "/etc/shadow", { 8, 100 } },
	{ NULL },
};

#define CURL	"/usr/bin/curl"
#define WGET	"/usr/bin/wget"
#define VI	"/usr/bin/vi"

static struct compiled *compile_text(const char *text)
{
	struct compiled *c = xzalloc(sizeof(*c));

	c->session = session_from(text);
	c->resolver = fake_resolver(files);
	session_compile(c->session, &c->resolver, &c->image);
	c->open = &c->image.hooks[HOOK_FILE_OPEN];
	c->exec = &c->image.hooks[HOOK_EXEC];
	return c;
}

/* Table t (1), chain exec (2) on exec with policy accept, rules from handle 3. */
/* A rule as the printer writes it, to free. */
static char *rule_text(const struct rule *rule)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	print_rule(out, rule, 0);
	fclose(out);
	return text;
}

#define EXEC_CHAIN(rules) \
	"table t {\n\tchain exec {\n\t\thook exec; policy accept\n" rules "\t}\n}\n"

/* --- the expansion ------------------------------------------------------------------------- */

/* One position per key in written order, each with the key's verdict and the rule's handle and
 * flags; the origins name the image's expanded rules, which share the first key's position as
 * their start; the ruleset compiled is left as written. */
static void test_expansion(void **state)
{
	struct compiled *c = compile_text(EXEC_CHAIN(
		"\t\tuid 0 log\n"
		"\t\tuid 1000 exe vmap { " CURL " : deny, " WGET " : accept, " VI " : deny } counter\n"
		"\t\tuid 1000 deny\n"));
	const struct hook_image *h = c->exec;
	static const struct {
		uint64_t handle;
		uint8_t verdict, flags;
		uint32_t start;
	} want[] = {
		{ 3, ENDURA_CONTINUE, ENDURA_RULE_LOG, 0 },
		{ 4, ENDURA_DENY, ENDURA_RULE_COUNTER, 1 },
		{ 4, ENDURA_ACCEPT, ENDURA_RULE_COUNTER, 1 },
		{ 4, ENDURA_DENY, ENDURA_RULE_COUNTER, 1 },
		{ 5, ENDURA_DENY, 0, 4 },
		{ 2, ENDURA_ACCEPT, ENDURA_RULE_POLICY, 5 },
	};
	char *text;

	(void)state;
	assert_int_equal(h->nrules, 6);
	for (uint32_t p = 0; p < h->nrules; p++) {
		assert_int_equal(h->rules[p].handle, want[p].handle);
		assert_int_equal(h->rules[p].verdict, want[p].verdict);
		assert_int_equal(h->rules[p].flags, want[p].flags);
		assert_int_equal(h->rules[p].chain_end, 6);
		assert_int_equal(h->origins[p].rule_start, want[p].start);
	}
	assert_non_null(c->image.expanded);
	assert_ptr_equal(h->origins[1].table, table_find(c->image.expanded, "t"));
	assert_int_equal(h->origins[2].rule->verdict, VERDICT_ACCEPT);
	assert_true(h->origins[2].rule->counter);
	text = rule_text(h->origins[2].rule);
	assert_string_equal(text, "uid 1000 exe vmap { " WGET " : continue } counter accept");
	free(text);
	/* the key's location: a report on this position points at the key */
	assert_int_equal(h->origins[3].rule->loc.first_line, 5);
	assert_int_equal(h->origins[3].rule->loc.first_column,
			 strlen("\t\tuid 1000 exe vmap { " CURL " : deny, " WGET " : accept, ") + 1);

	/* three exe keys, one uid key: each key a value of its own */
	assert_int_equal(h->nexe_ids, 3);
	assert_int_equal(h->nuids, 2);
	assert_ruleset(c->session,
		       "table t { # handle 1\n"
		       "\tmode enforce\n"
		       "\tchain exec { # handle 2\n"
		       "\t\thook exec; policy accept\n"
		       "\t\tuid 0 log # handle 3\n"
		       "\t\tuid 1000 exe vmap { " CURL " : deny, " WGET " : accept, " VI
		       " : deny } counter hits 0 # handle 4\n"
		       "\t\tuid 1000 deny # handle 5\n"
		       "\t}\n"
		       "}\n");
	compiled_free(c);
}

/* Without a vmap the image keeps no copy: the origins point into the ruleset compiled. */
static void test_no_copy_without_vmap(void **state)
{
	struct compiled *c = compile_text(EXEC_CHAIN("\t\texe " CURL " deny\n"));

	(void)state;
	assert_null(c->image.expanded);
	assert_ptr_equal(c->exec->origins[0].table, table_find(&c->session->ruleset, "t"));
	assert_int_equal(c->exec->origins[0].rule_start, 0);
	assert_int_equal(c->exec->origins[1].rule_start, 1);
	compiled_free(c);
}

/* --- what the kernel decides ----------------------------------------------------------------- */

/* curl is denied, wget accepted, other executables go on to the next rule; the rule's other
 * matches still hold for every key. */
static void test_decide_exe(void **state)
{
	static const struct decide_case cases[] = {
		{ "curl is denied", { EXEC, CURL, ENDURA_ACCESS_EXEC, CURL, 1000 }, DENIED, "3 deny counter" },
		{ "wget is accepted", { EXEC, WGET, ENDURA_ACCESS_EXEC, WGET, 1000 }, ALLOWED,
		  "3 accept counter" },
		{ "another exe goes on to the next rule", { EXEC, VI, ENDURA_ACCESS_EXEC, VI, 1000 }, DENIED,
		  "4 deny log" },
		{ "an exe nobody names goes on too", { EXEC, "/opt/x", ENDURA_ACCESS_EXEC, "/opt/x", 1000 },
		  DENIED, "4 deny log" },
		{ "a kernel thread goes on too", { EXEC, "/opt/x", ENDURA_ACCESS_EXEC, NULL, 1000 }, DENIED,
		  "4 deny log" },
		{ "the other match fails: no key holds", { EXEC, CURL, ENDURA_ACCESS_EXEC, CURL, 0 }, ALLOWED,
		  "" },
	};
	struct compiled *c = compile_text(EXEC_CHAIN(
		"\t\tuid 1000 exe vmap { " CURL " : deny, " WGET " : accept } counter\n"
		"\t\tuid 1000 log deny\n"));

	(void)state;
	ASSERT_DECIDE_CASES(c, cases);
}

/* Paths: exact keys and subtree keys as in path matches; the longest key decides through the
 * classes, an exact key before a subtree that holds it; uid keys. */
static void test_decide_path_uid(void **state)
{
	static const struct decide_case cases[] = {
		{ "an exact key", { OPEN, "/etc/shadow", ENDURA_ACCESS_READ, VI, 0 }, DENIED,
		  "3 deny log" },
		{ "the exact key, another name of the file",
		  { OPEN, "/srv/shadow-link", ENDURA_ACCESS_READ, VI, 0, "/etc/shadow" }, DENIED,
		  "3 deny log" },
		{ "under the subtree key", { OPEN, "/etc/hosts", ENDURA_ACCESS_READ, VI, 0 }, ALLOWED,
		  "3 accept log" },
		/* keys are tried in written order: write deeper subtrees first */
		{ "under a later, deeper subtree key: the earlier one decides",
		  { OPEN, "/etc/ssl/x", ENDURA_ACCESS_READ, VI, 0 }, ALLOWED, "3 accept log" },
		{ "under an earlier, deeper subtree key", { OPEN, "/var/log/x", ENDURA_ACCESS_READ,
		  VI, 0 }, DENIED, "3 deny log" },
		{ "under a later, shallower subtree key", { OPEN, "/var/x", ENDURA_ACCESS_READ, VI, 0 },
		  ALLOWED, "3 accept log" },
		{ "no key: the uid map decides", { OPEN, "/srv/x", ENDURA_ACCESS_READ, VI, 4242 },
		  DENIED, "4 deny" },
		{ "no key in either map", { OPEN, "/srv/x", ENDURA_ACCESS_READ, VI, 1 }, ALLOWED,
		  "" },
		{ "an accepted uid", { OPEN, "/srv/x", ENDURA_ACCESS_READ, VI, 4243 }, ALLOWED,
		  "4 accept" },
	};
	struct compiled *c = compile_text(
		"table t {\n\tchain files {\n\t\thook file_open; policy accept\n"
		"\t\tpath vmap { /etc/shadow : deny, /etc/ : accept, /etc/ssl/ : deny,\n"
		"\t\t\t/var/log/ : deny, /var/ : accept } log\n"
		"\t\tuid vmap { 4242 : deny, 4243 : accept }\n"
		"\t}\n}\n");

	(void)state;
	ASSERT_DECIDE_CASES(c, cases);
}

/* --- rules that never decide ---------------------------------------------------------------- */

static char *shadow_warnings(const char *rules)
{
	struct session *s = session_from(rules);
	struct resolver resolver = fake_resolver(files);
	struct table_image image;
	char *text;

	assert_int_equal(compile_ruleset(&s->ruleset, &resolver, &image, &s->diags), 0);
	text = diag_text(&s->diags);
	table_image_free(&image);
	session_free(s);
	return text;
}

/* Keys of one map do not shadow each other, even a subtree key before a path under it (which
 * then never decides: keys are tried in written order); a key that an earlier rule covers is
 * reported at the key. */
static void test_shadow(void **state)
{
	const char *line = "path vmap { /etc/ : deny, /etc/shadow : accept }";
	char *rules = xasprintf("table t {\n\tchain files {\n\t\thook file_open; policy accept\n"
				"%s\n\t}\n}\n", line);

	(void)state;
	assert_same_text(shadow_warnings(rules), xstrdup(""));
	free(rules);

	line = "exe vmap { " WGET " : deny, " CURL " : accept }";
	/* an accept: a rule on the subject alone that denies decides no mapping, and so would
	 * leave the key's accept to decide curl's */
	rules = xasprintf(EXEC_CHAIN("exe " CURL " accept\n%s\n"), line);
	assert_same_text(shadow_warnings(rules),
			 warning_at(5, line, CURL,
				    "this rule never decides: the rule at line 4 of <cmdline> "
				    "decides everything it covers first"));
	free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_no_copy_without_vmap),
		cmocka_unit_test(test_decide_exe),
		cmocka_unit_test(test_decide_path_uid),
		cmocka_unit_test(test_shadow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
