// SPDX-License-Identifier: GPL-2.0-only
/* Reading rules text: files, directories of *.rules, standard input, command lines, includes and
 * the symbols of "define". The grammar itself lives in grammar/parser.y.
 *
 * Every text read becomes a struct input on ctx->inputs and stays there until parse_ctx_free(),
 * so that locations stay valid. An input owns its name, its text and its included_from location,
 * all from malloc(): whoever adds an input to the list (the JSON reader too) follows that rule. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "parse_internal.h"
#include "parser.h"
#include "scanner.h"
#include "xalloc.h"

void parse_ctx_init(struct parse_ctx *ctx, struct diag_list *diags)
{
	ctx->diags = diags;
	init_list_head(&ctx->inputs);
	init_list_head(&ctx->cmds);
	init_list_head(&ctx->defines);
}

static void symbol_free(struct symbol *symbol)
{
	list_del(&symbol->list);
	match_free(symbol->value);
	free(symbol->name);
	free(symbol);
}

void parse_ctx_free(struct parse_ctx *ctx)
{
	struct symbol *symbol, *next_symbol;
	struct input *input, *next_input;

	cmd_list_free(&ctx->cmds);
	list_for_each_entry_safe(symbol, next_symbol, &ctx->defines, list)
		symbol_free(symbol);
	list_for_each_entry_safe(input, next_input, &ctx->inputs, list) {
		list_del(&input->list);
		free((void *)input->included_from);
		free(input->name);
		free(input->text);
		free(input);
	}
}

/* Takes @text; copies @name and @included_from. */
static struct input *input_add(struct parse_ctx *ctx, const char *name, char *text,
			       const struct location *included_from)
{
	struct input *input = xzalloc(sizeof(*input));

	input->name = xstrdup(name);
	input->text = text;
	if (included_from) {
		struct location *from = xzalloc(sizeof(*from));

		*from = *included_from;
		input->included_from = from;
	}
	list_add_tail(&input->list, &ctx->inputs);
	return input;
}

struct symbol *symbol_lookup(const struct parse_ctx *ctx, const char *name)
{
	struct symbol *symbol;

	list_for_each_entry(symbol, &ctx->defines, list)
		if (strcmp(symbol->name, name) == 0)
			return symbol;
	return NULL;
}

void symbol_add(struct parse_ctx *ctx, const char *name, struct match *value,
		const struct location *loc)
{
	struct symbol *symbol = xzalloc(sizeof(*symbol));

	symbol->name = xstrdup(name);
	symbol->value = value;
	symbol->loc = *loc;
	list_add_tail(&symbol->list, &ctx->defines);
}

void parse_warn_unused(struct parse_ctx *ctx)
{
	const struct symbol *symbol;

	list_for_each_entry(symbol, &ctx->defines, list)
		if (!symbol->used)
			diag_warning(ctx->diags, &symbol->loc, "'%s' is defined but not used",
				     symbol->name);
}

bool symbol_remove(struct parse_ctx *ctx, const char *name)
{
	struct symbol *symbol = symbol_lookup(ctx, name);

	if (symbol)
		symbol_free(symbol);
	return symbol != NULL;
}

const char **symbol_names(const struct parse_ctx *ctx, unsigned int *count)
{
	const struct symbol *symbol;
	const char **names;
	unsigned int n = 0;

	list_for_each_entry(symbol, &ctx->defines, list)
		n++;
	names = xzalloc(sizeof(*names) * (n ? n : 1));
	n = 0;
	list_for_each_entry(symbol, &ctx->defines, list)
		names[n++] = symbol->name;
	*count = n;
	return names;
}

/* Runs the scanner and the parser over state->input; -1 when that added errors. */
static int parse_input(struct parser_state *state, size_t len)
{
	struct diag_list *diags = state->ctx->diags;
	unsigned int errors = diags->errors;
	YY_BUFFER_STATE buffer;
	yyscan_t scanner;

	state->line = 1;
	state->column = 1;
	if (len > INT_MAX) {
		diag_error(diags, NULL, "%s: too large to parse", state->input->name);
		return -1;
	}
	if (yylex_init_extra(state, &scanner) != 0)
		abort();
	buffer = yy_scan_bytes(state->input->text, (int)len, scanner);
	if (yyparse(scanner, state) != 0 && diags->errors == errors)
		diag_error(diags, NULL, "%s: cannot be parsed", state->input->name);
	yy_delete_buffer(buffer, scanner);
	yylex_destroy(scanner);
	return diags->errors > errors ? -1 : 0;
}

int parse_text(struct parse_ctx *ctx, const char *name, const char *text)
{
	struct parser_state state = { .ctx = ctx };

	state.input = input_add(ctx, name, xstrdup(text), NULL);
	return parse_input(&state, strlen(text));
}

char *read_whole_file(const char *path, size_t *len)
{
	bool is_stdin = strcmp(path, "-") == 0;
	size_t size = 0, capacity = 4096;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	char *text;

	if (fd < 0)
		return NULL;
	text = xzalloc(capacity);
	for (;;) {
		ssize_t n;

		if (capacity - size < 2) {
			capacity *= 2;
			text = xrealloc(text, capacity);
		}
		n = read(fd, text + size, capacity - size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			free(text);
			if (!is_stdin)
				close(fd);
			errno = saved;
			return NULL;
		}
		if (n == 0)
			break;
		size += (size_t)n;
	}
	text[size] = '\0';
	if (!is_stdin)
		close(fd);
	if (len)
		*len = size;
	return text;
}

static int parse_file(struct parse_ctx *ctx, const char *path, const struct location *from,
		      const struct parser_state *parent);

static int path_compare(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_rules_file(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 6 && strcmp(name + len - 6, ".rules") == 0;
}

/* Every "*.rules" file of a directory, in byte order of their names; subdirectories are not
 * entered. */
static int parse_dir(struct parse_ctx *ctx, const char *path, const struct location *from,
		     const struct parser_state *parent)
{
	const char *sep = path[strlen(path) - 1] == '/' ? "" : "/";
	size_t count = 0, capacity = 16;
	char **names = xzalloc(capacity * sizeof(*names));
	struct dirent *entry;
	int ret = 0;
	DIR *dir;

	dir = opendir(path);
	if (!dir) {
		diag_error(ctx->diags, from, "cannot read '%s': %s", path, strerror(errno));
		free(names);
		return -1;
	}
	while ((entry = readdir(dir))) {
		if (!is_rules_file(entry->d_name))
			continue;
		if (count == capacity) {
			capacity *= 2;
			names = xrealloc(names, capacity * sizeof(*names));
		}
		names[count++] = xasprintf("%s%s%s", path, sep, entry->d_name);
	}
	closedir(dir);
	qsort(names, count, sizeof(*names), path_compare);
	for (size_t i = 0; i < count; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    parse_file(ctx, names[i], from, parent) < 0)
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

/* The directory that relative includes of @path start from, or NULL for the current one. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t len;
	char *dir;

	if (!slash)
		return NULL;
	len = slash == path ? 1 : (size_t)(slash - path);
	dir = xzalloc(len + 1);
	memcpy(dir, path, len);
	return dir;
}

static int parse_file(struct parse_ctx *ctx, const char *path, const struct location *from,
		      const struct parser_state *parent)
{
	struct parser_state state = {
		.ctx = ctx,
		.parent = parent,
		.depth = parent ? parent->depth + 1 : 0,
	};
	struct stat st;
	size_t len;
	char *text;
	int ret;

	if (stat(path, &st) < 0) {
		diag_error(ctx->diags, from, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return parse_dir(ctx, path, from, parent);
	for (const struct parser_state *p = parent; p; p = p->parent) {
		if (p->dev == st.st_dev && p->ino == st.st_ino && p->ino) {
			diag_error(ctx->diags, from, "include loop: '%s' is already being read",
				   path);
			return -1;
		}
	}
	text = read_whole_file(path, &len);
	if (!text) {
		diag_error(ctx->diags, from, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	state.input = input_add(ctx, path, text, from);
	state.dev = st.st_dev;
	state.ino = st.st_ino;
	state.dir = dir_of(path);
	ret = parse_input(&state, len);
	free((char *)state.dir);
	return ret;
}

int parse_path(struct parse_ctx *ctx, const char *path)
{
	struct parser_state state = { .ctx = ctx };
	size_t len;
	char *text;

	if (strcmp(path, "-") != 0)
		return parse_file(ctx, path, NULL, NULL);
	text = read_whole_file(path, &len);
	if (!text) {
		diag_error(ctx->diags, NULL, "cannot read standard input: %s", strerror(errno));
		return -1;
	}
	state.input = input_add(ctx, "<stdin>", text, NULL);
	return parse_input(&state, len);
}

static char *include_candidate(const char *pattern, const char *dir)
{
	if (pattern[0] == '/' || !dir)
		return xstrdup(pattern);
	return xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", pattern);
}

void parse_include(struct parser_state *state, const char *pattern, const struct location *loc)
{
	struct diag_list *diags = state->ctx->diags;
	char *full;
	glob_t matches = { 0 };
	int ret;

	if (state->depth >= INCLUDE_MAX_DEPTH) {
		diag_error(diags, loc, "includes nested too deeply (the limit is %d levels)",
			   INCLUDE_MAX_DEPTH);
		return;
	}
	if (pattern[0] == '\0') {
		diag_error(diags, loc, "include of an empty file name");
		return;
	}
	full = include_candidate(pattern, state->dir);
	ret = glob(full, GLOB_NOSORT, NULL, &matches);
	/* beside the including file first, then in the include directories, in order */
	for (unsigned int i = 0; ret == GLOB_NOMATCH && pattern[0] != '/' &&
	     i < state->ctx->ninclude_dirs; i++) {
		char *candidate = include_candidate(pattern, state->ctx->include_dirs[i]);

		ret = glob(candidate, GLOB_NOSORT, NULL, &matches);
		if (ret == GLOB_NOMATCH)
			free(candidate);
		else {
			free(full);
			full = candidate;
		}
	}
	if (ret == GLOB_NOMATCH) {
		/* a pattern may match nothing; a plain file name must exist */
		if (!strpbrk(pattern, "*?["))
			diag_error(diags, loc, "cannot read '%s': %s", full, strerror(ENOENT));
	} else if (ret != 0) {
		diag_error(diags, loc, "cannot expand '%s': %s", full,
			   ret == GLOB_NOSPACE ? strerror(ENOMEM) : strerror(errno ?: EIO));
	} else {
		qsort(matches.gl_pathv, matches.gl_pathc, sizeof(*matches.gl_pathv), path_compare);
		for (size_t i = 0; i < matches.gl_pathc; i++)
			parse_file(state->ctx, matches.gl_pathv[i], loc, state);
	}
	globfree(&matches);
	free(full);
}
