/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the parser and printer tests: parse text, capture printed output, build a
 * ruleset from "add" commands, and work in a scratch directory. */
#ifndef ENDURA_TEST_PARSE_HELPERS_H
#define ENDURA_TEST_PARSE_HELPERS_H

#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "apply.h"
#include "diag.h"
#include "parse.h"
#include "print.h"
#include "ruleset.h"
#include "xalloc.h"

/* tests/@sub of the source tree, found from the current directory or above the test binary: the
 * first such directory that holds @marker. */
static inline char *source_dir(const char *sub, const char *marker)
{
	char exe[PATH_MAX], *slash, *dir = xasprintf("tests/%s", sub), *probe;
	ssize_t len;

	probe = xasprintf("%s/%s", dir, marker);
	len = access(probe, F_OK) == 0 ? 0 : readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	free(probe);
	if (len == 0)
		return dir;
	free(dir);
	assert_true(len > 0);
	exe[len] = '\0';
	while ((slash = strrchr(exe, '/'))) {
		*slash = '\0';
		dir = xasprintf("%s/tests/%s", exe, sub);
		probe = xasprintf("%s/%s", dir, marker);
		if (access(probe, F_OK) == 0) {
			free(probe);
			return dir;
		}
		free(probe);
		free(dir);
	}
	fail_msg("tests/%s not found: run from the source tree", sub);
	return NULL;
}

struct parsed {
	struct diag_list diags;
	struct parse_ctx ctx;
	int ret;
};

static inline struct parsed *parsed_new(void)
{
	struct parsed *p = xzalloc(sizeof(*p));

	diag_list_init(&p->diags);
	parse_ctx_init(&p->ctx, &p->diags);
	return p;
}

static inline struct parsed *parse_string(const char *text)
{
	struct parsed *p = parsed_new();

	p->ret = parse_text(&p->ctx, "<cmdline>", text);
	return p;
}

static inline void parsed_free(struct parsed *p)
{
	parse_ctx_free(&p->ctx);
	diag_list_free(&p->diags);
	free(p);
}

static inline struct cmd *nth_cmd(struct parsed *p, unsigned int n)
{
	struct cmd *cmd;

	list_for_each_entry(cmd, &p->ctx.cmds, list)
		if (n-- == 0)
			return cmd;
	fail_msg("no command %u", n);
	return NULL;
}

static inline unsigned int list_count(const struct list_head *head)
{
	const struct list_head *pos;
	unsigned int n = 0;

	for (pos = head->next; pos != head; pos = pos->next)
		n++;
	return n;
}

static inline struct list_head *nth_node(const struct list_head *head, unsigned int n)
{
	const struct list_head *pos = head->next;

	while (n-- > 0 && pos != head)
		pos = pos->next;
	assert_ptr_not_equal(pos, head);
	return (struct list_head *)pos;
}

/* The @n-th entry (0-based) of a list of objects linked through their "list" member. */
#define nth_entry(head, type, n) list_entry(nth_node(head, n), type, list)

/* What the diagnostics print, as one string to free. (Not inlined: GCC takes the stream's
 * pointer to the local buffer variable for a dangling one once it sees both sides.) */
__attribute__((noinline, unused)) static char *diag_text(const struct diag_list *diags)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	diag_print(diags, out);
	fclose(out);
	return text;
}

static inline void assert_diags(const struct parsed *p, const char *expected)
{
	char *text = diag_text(&p->diags);

	assert_string_equal(text, expected);
	free(text);
}

/* Parsing @text fails and prints exactly @expected. */
static inline void assert_parse_error(const char *text, const char *expected)
{
	struct parsed *p = parse_string(text);

	assert_int_equal(p->ret, -1);
	assert_diags(p, expected);
	parsed_free(p);
}

/* Applies parsed "add" commands with the real apply, which must not fail here. */
static inline void apply_adds(struct ruleset *ruleset, struct list_head *cmds)
{
	struct diag_list diags;

	diag_list_init(&diags);
	assert_int_equal(ruleset_apply(ruleset, cmds, &diags), 0);
	diag_list_free(&diags);
}

__attribute__((noinline, unused)) static char *ruleset_text(const struct ruleset *ruleset, unsigned int flags)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	print_ruleset(out, ruleset, flags);
	fclose(out);
	return text;
}

/* Parses @text, which must be free of errors, and prints the ruleset its "add" commands make. */
static inline char *reprint(const char *text)
{
	struct parsed *p = parse_string(text);
	struct ruleset ruleset;
	char *out, *diags = diag_text(&p->diags);

	assert_string_equal(diags, "");
	free(diags);
	assert_int_equal(p->ret, 0);
	ruleset_init(&ruleset);
	apply_adds(&ruleset, &p->ctx.cmds);
	out = ruleset_text(&ruleset, 0);
	ruleset_free(&ruleset);
	parsed_free(p);
	return out;
}

/* --- a scratch directory --------------------------------------------------------------------- */

static inline char *scratch_dir(void)
{
	char *dir = xstrdup("/tmp/endura-test-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static inline void write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static inline void make_dir(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);

	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
}

static inline int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void remove_scratch_dir(char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

#endif
