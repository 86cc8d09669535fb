/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ENDURCTL_CLI_H
#define ENDURCTL_CLI_H

#include <stdbool.h>

#include <jansson.h>

#include "parse.h"

#define CLI_MAX_DEFINES 64

struct options {
	const char *file;
	const char *socket_path;
	bool check;
	bool json;		/* JSON input */
	bool json_output;
	bool echo;
	unsigned int print_flags;
	const char *include_dirs[INCLUDE_MAX_DIRS];
	unsigned int ninclude_dirs;
	const char *defines[CLI_MAX_DEFINES];	/* -D NAME=VALUE */
	unsigned int ndefines;
};

/* list.c: what endurd holds and does */
int print_json(json_t *root);
int list_command(const struct options *o, int argc, char **argv);
int show_status(const struct options *o);

/* monitor.c: changes and events as they happen */
int monitor_command(const struct options *o, int argc, char **argv);

/* transaction.c: reading input and committing it */
int run_input(const struct options *o, const char *text);

#endif
