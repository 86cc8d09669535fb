/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the tests of the transaction, the evaluator and the compiler: a ruleset built
 * from text through the real ruleset_apply, its diagnostics as printed text, and a resolver that
 * knows a few made-up files. Parsing and text capture come from parse_helpers.h. */
#ifndef ENDURA_TEST_TESTUTIL_H
#define ENDURA_TEST_TESTUTIL_H

#include <stdint.h>

#include "parse_helpers.h"

#include "apply.h"
#include "compile.h"
#include "transaction.h"

/* A path relative to the directory of the tests' sources, to free. */
static inline char *source_path(const char *relative)
{
	char *dir = xstrdup(__FILE__), *slash = strrchr(dir, '/');
	char *path;

	if (slash)
		*slash = '\0';
	path = xasprintf("%s/%s", slash ? dir : ".", relative);
	free(dir);
	return path;
}

/* "/" and @fill up to @len bytes, the last one '/' when @slash: a path of @len bytes, to free. */
static inline char *long_path(size_t len, char fill, bool slash)
{
	char *path = xzalloc(len + 1);

	memset(path, fill, len);
	path[0] = '/';
	if (slash)
		path[len - 1] = '/';
	return path;
}

/* How one error is printed: @message at line @number, which reads @line, pointing at @token
 * (which the line holds once); to free. */
static inline char *error_at(unsigned int number, const char *line, const char *token,
			     const char *message)
{
	const char *at = strstr(line, token);
	size_t column, len = strlen(token);
	char *carets, *text;

	assert_non_null(at);
	assert_null(strstr(at + 1, token));
	column = (size_t)(at - line) + 1;
	carets = xzalloc(column + len);
	memset(carets, ' ', column - 1);
	memset(carets + column - 1, '^', len);
	text = xasprintf("<cmdline>:%u:%zu-%zu: Error: %s\n%s\n%s\n", number, column,
			 column + len - 1, message, line, carets);
	free(carets);
	return text;
}

/* --- a resolver of made-up files ------------------------------------------------------------ */

struct fake_file {
	const char *path;
	struct endura_file_id id;
};

/* @ctx: an array of struct fake_file ended by one whose path is NULL. */
static inline int fake_file_id(void *ctx, const char *path, struct endura_file_id *id)
{
	for (const struct fake_file *file = ctx; file->path; file++)
		if (strcmp(file->path, path) == 0) {
			*id = file->id;
			return 0;
		}
	return -1;
}

static inline struct resolver fake_resolver(const struct fake_file *files)
{
	return (struct resolver){ .file_id = fake_file_id, .ctx = (void *)files };
}

/* --- a ruleset built from text -------------------------------------------------------------- */

#define SESSION_INPUTS 16

/* A ruleset, the diagnostics of what was done to it, and every parsed text: the ruleset's
 * locations point into those texts, so they live as long as the ruleset. */
struct session {
	struct ruleset ruleset;
	struct diag_list diags;
	struct parsed *parsed[SESSION_INPUTS];
	unsigned int nparsed;
};

static inline struct session *session_new(void)
{
	struct session *s = xzalloc(sizeof(*s));

	ruleset_init(&s->ruleset);
	diag_list_init(&s->diags);
	return s;
}

static inline void session_free(struct session *s)
{
	ruleset_free(&s->ruleset);
	diag_list_free(&s->diags);
	for (unsigned int i = 0; i < s->nparsed; i++)
		parsed_free(s->parsed[i]);
	free(s);
}

/* Keeps @p, which must be free of errors, for as long as the session: its commands. */
static inline struct list_head *session_keep(struct session *s, struct parsed *p)
{
	assert_true(s->nparsed < SESSION_INPUTS);
	s->parsed[s->nparsed++] = p;
	assert_diags(p, "");
	assert_int_equal(p->ret, 0);
	return &p->ctx.cmds;
}

/* The commands of @text, which must be free of syntax errors. */
static inline struct list_head *session_parse(struct session *s, const char *text)
{
	return session_keep(s, parse_string(text));
}

/* The commands of a file or a directory of *.rules, which must be free of syntax errors. */
static inline struct list_head *session_parse_path(struct session *s, const char *path)
{
	struct parsed *p = parsed_new();

	p->ret = parse_path(&p->ctx, path);
	return session_keep(s, p);
}

/* Parses @text and applies its commands to the session's ruleset: what ruleset_apply returns. */
static inline int session_apply(struct session *s, const char *text)
{
	return ruleset_apply(&s->ruleset, session_parse(s, text), &s->diags);
}

/* What the diagnostics so far print, compared with @expected; they are cleared after. */
static inline void assert_session_diags(struct session *s, const char *expected)
{
	char *text = diag_text(&s->diags);

	assert_string_equal(text, expected);
	free(text);
	diag_list_free(&s->diags);
}

/* The ruleset, printed with handles. */
static inline void assert_ruleset(const struct session *s, const char *expected)
{
	char *text = ruleset_text(&s->ruleset, PRINT_HANDLES);

	assert_string_equal(text, expected);
	free(text);
}

/* A session whose ruleset is @text applied to an empty one and evaluated, without a diagnostic. */
static inline struct session *session_from(const char *text)
{
	struct session *s = session_new();
	int applied = session_apply(s, text);
	int evaluated = ruleset_evaluate(&s->ruleset, &s->diags);

	assert_session_diags(s, "");
	assert_int_equal(applied, 0);
	assert_int_equal(evaluated, 0);
	return s;
}

/* Compiles the session's ruleset, which must compile without an error. Warnings about rules that
 * never decide are tested on their own (test_shadow.c). */
static inline void session_compile(struct session *s, const struct resolver *resolver,
				   struct table_image *image)
{
	int ret = compile_ruleset(&s->ruleset, resolver, image, &s->diags);

	assert_int_equal(s->diags.errors, 0);
	assert_int_equal(ret, 0);
	diag_list_free(&s->diags);
}

/* --- warnings ------------------------------------------------------------------------------- */

/* How one warning is printed: the way error_at() prints an error; to free. */
static inline char *warning_at(unsigned int number, const char *line, const char *token,
			       const char *message)
{
	char *error = error_at(number, line, token, message);
	const char *at = strstr(error, ": Error: ");
	char *text = xasprintf("%.*s: Warning: %s", (int)(at - error), error,
			       at + strlen(": Error: "));

	free(error);
	return text;
}

/* --- commands that fail --------------------------------------------------------------------- */

/* Applies @text to the session's ruleset: what ruleset_apply returns, and its diagnostics, which
 * are compared with @diags. */
static inline void assert_session_apply(struct session *s, const char *text, int ret,
					const char *diags)
{
	int got = session_apply(s, text);

	assert_session_diags(s, diags);
	assert_int_equal(got, ret);
}

/* A command of one line that fails to apply, with an error that points at @token. */
struct apply_error {
	const char *line;
	const char *token;
	const char *message;
};

/* Applies each command on its own to the session's ruleset, which must print as @printed (with
 * handles) before and after each. */
static inline void assert_apply_errors(struct session *s, const struct apply_error *cases, size_t n,
				       const char *printed)
{
	for (size_t i = 0; i < n; i++) {
		char *text = xasprintf("%s\n", cases[i].line);
		char *expected = error_at(1, cases[i].line, cases[i].token, cases[i].message);

		assert_session_apply(s, text, -1, expected);
		assert_ruleset(s, printed);
		free(expected);
		free(text);
	}
}

/* --- texts compared -------------------------------------------------------------------------- */

/* Compares @got with @expected, freeing both first: a test that fails here (one that shows a bug)
 * leaves no leak behind for the sanitized build to report on top. */
static inline void assert_same_text(char *got, char *expected)
{
	bool same = strcmp(got, expected) == 0;

	/* not print_error(): it cuts long texts */
	if (!same)
		fprintf(stderr, "got\n%s\nexpected\n%s\n", got, expected);
	free(got);
	free(expected);
	assert_true(same);
}

/* --- JSON ------------------------------------------------------------------------------------ */

#include "json.h"

/* A JSON document as the golden files and the wire hold it, to free; @root is released. */
static inline char *json_text(json_t *root)
{
	char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(root);
	assert_non_null(text);
	return text;
}

#endif
