/* SPDX-License-Identifier: GPL-2.0-only */
/* The text syntax: flex scanner and bison parser (grammar/) turning rules files and command lines
 * into commands. */
#ifndef ENDURA_PARSE_H
#define ENDURA_PARSE_H

#include "diag.h"
#include "list.h"
#include "ruleset.h"

#define INCLUDE_MAX_DEPTH 16
#define INCLUDE_MAX_DIRS 16

struct parse_ctx {
	struct diag_list *diags;
	struct list_head inputs;	/* struct input: every text read, kept for error quoting */
	struct list_head cmds;		/* struct cmd: the result, in input order */
	struct list_head defines;	/* "define NAME = ..." symbols, shared by all inputs of a run */
	/* where a relative include not found beside the including file is looked for (-I) */
	const char *include_dirs[INCLUDE_MAX_DIRS];
	unsigned int ninclude_dirs;
};

void parse_ctx_init(struct parse_ctx *ctx, struct diag_list *diags);
/* Frees inputs, commands and symbols: print diagnostics before. */
void parse_ctx_free(struct parse_ctx *ctx);

/* Parses a file, every "*.rules" file of a directory in sorted order, or standard input for "-".
 * Returns 0, or -1 with errors recorded in ctx->diags. */
int parse_path(struct parse_ctx *ctx, const char *path);

/* Parses @text, named @name in messages ("<cmdline>" for a command line). */
int parse_text(struct parse_ctx *ctx, const char *name, const char *text);

/* Warns about every define that no $NAME used: what "endurctl -c" reports. */
void parse_warn_unused(struct parse_ctx *ctx);

/* Reads a whole file (or standard input for "-") into a NUL-terminated buffer; NULL with errno. */
char *read_whole_file(const char *path, size_t *len);

#endif
