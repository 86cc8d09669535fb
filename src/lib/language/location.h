/* SPDX-License-Identifier: GPL-2.0-only */
/* Where a piece of input came from, carried from the scanner to the final error message. */
#ifndef ENDURA_LOCATION_H
#define ENDURA_LOCATION_H

#include <stdbool.h>

#include "list.h"

/* One source of text: a file, the command line or standard input. Inputs live as long as the
 * context that parsed them, so every location may point at one. */
struct input {
	struct list_head list;
	char *name;		/* file name, or "<cmdline>", "<stdin>" */
	char *text;		/* whole text, kept so that errors can quote the line */
	const struct location *included_from; /* the include statement that opened it, or NULL */
};

struct location {
	const struct input *input; /* NULL: the object came from the daemon, not from user text */
	unsigned int first_line, first_column; /* 1-based, columns count bytes */
	unsigned int last_line, last_column;   /* inclusive */
};

static inline bool location_known(const struct location *loc)
{
	return loc->input != NULL;
}

#endif
