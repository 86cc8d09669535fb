/* SPDX-License-Identifier: GPL-2.0-only */
/* Diagnostics: errors and warnings collected while parsing, evaluating and compiling, printed the
 * way nft prints them:
 *
 *   rules.d/10-creds.rules:4:24-28: Error: unknown access mode 'wirte'; did you mean 'write'?
 *           path /etc/shadow access wirte deny
 *                                   ^^^^^
 */
#ifndef ENDURA_DIAG_H
#define ENDURA_DIAG_H

#include <stdio.h>

#include "list.h"
#include "location.h"

#define DIAG_MAX_ERRORS 10

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
};

struct diag {
	struct list_head list;
	enum diag_severity severity;
	struct location loc;
	char *message;
};

struct diag_list {
	struct list_head entries;
	unsigned int errors;
	unsigned int warnings;
};

void diag_list_init(struct diag_list *diags);
void diag_list_free(struct diag_list *diags);

/* Records a diagnostic; @loc may be NULL when no place in the input is known. */
__attribute__((format(printf, 4, 5)))
void diag_add(struct diag_list *diags, enum diag_severity severity, const struct location *loc,
	      const char *fmt, ...);

#define diag_error(diags, loc, ...) diag_add(diags, DIAG_ERROR, loc, __VA_ARGS__)
#define diag_warning(diags, loc, ...) diag_add(diags, DIAG_WARNING, loc, __VA_ARGS__)

/* Prints every diagnostic: "In file included from" lines, the position, the message, the quoted
 * source line and carets under the offending token. */
void diag_print(const struct diag_list *diags, FILE *out);

/* Returns the closest candidate to @word (a small edit distance), or NULL: the "did you mean" hint. */
const char *diag_suggest(const char *word, const char *const *candidates, unsigned int count);

/* "a, b or c": the choices a message offers, to free. */
char *diag_choices(const char *const *names, unsigned int count);

#endif
