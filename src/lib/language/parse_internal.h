/* SPDX-License-Identifier: GPL-2.0-only */
/* What the scanner, the parser and parse.c share; nothing outside the text syntax includes this. */
#ifndef ENDURA_PARSE_INTERNAL_H
#define ENDURA_PARSE_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "parse.h"

/* One run of the scanner and the parser over one input. Included files get their own state,
 * linked to the including one through @parent. */
struct parser_state {
	struct parse_ctx *ctx;
	struct input *input;
	const struct parser_state *parent;	/* the file that included this one, or NULL */
	const char *dir;			/* relative includes start here; NULL: the cwd */
	dev_t dev;				/* identity of the file, to catch include loops */
	ino_t ino;
	unsigned int depth;			/* 0 for a top-level input */

	/* scanner position: 1-based line and byte column of the next character */
	unsigned int line, column;

	/* the objects whose bodies are being parsed */
	struct table *table;
	struct chain *chain;
	struct set *set;
	bool chain_has_policy;
	bool set_has_type;
};

/* A "define NAME = ..." symbol; the value is kept as the right-hand side of a match. */
struct symbol {
	struct list_head list;
	char *name;
	struct match *value;
	struct location loc;
	bool used;		/* some $NAME expanded it: -c reports the others */
};

struct symbol *symbol_lookup(const struct parse_ctx *ctx, const char *name);
void symbol_add(struct parse_ctx *ctx, const char *name, struct match *value,
		const struct location *loc);
/* Forgets a symbol; false when there was none of that name. */
bool symbol_remove(struct parse_ctx *ctx, const char *name);
/* The names of every symbol, for "did you mean"; the array is the caller's to free. */
const char **symbol_names(const struct parse_ctx *ctx, unsigned int *count);

/* Handles an include statement of the input parsed with @state. */
void parse_include(struct parser_state *state, const char *pattern, const struct location *loc);

/* Keywords of the language, shared by the scanner (to classify words) and the parser (to name
 * tokens and suggest them). Returns the token and sets @name to the static spelling, or 0. */
int keyword_lookup(const char *word, const char **name);

#endif
