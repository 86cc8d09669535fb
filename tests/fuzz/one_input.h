/* SPDX-License-Identifier: GPL-2.0-only */
/* One input of the fuzz targets, and nothing else: tests/fuzz/fuzz_rules.c and fuzz_json.c hand
 * libFuzzer's bytes to fuzz_one_input(), and tests/unit/test_fuzz_regressions.c replays the seed
 * corpus and every saved regression through the very same function.
 *
 * An input is read as rules text (parse_text) or as a JSON policy (json_import_text). When it
 * reads without an error, its commands go through ruleset_transaction against an empty ruleset,
 * so the apply step, the evaluator and the compiler run too. When that succeeds, the ruleset is
 * printed in the same syntax, and the printed form must read back, load and print as the same
 * bytes. A broken round trip is a finding: FUZZ_FINDING() runs, abort() unless the includer
 * defines it (libFuzzer then saves the input like any crash).
 *
 * Nothing here touches the file system, so that an input behaves the same wherever it runs:
 *   - the compiler's resolver knows no files;
 *   - glob() is replaced for the whole program and matches nothing: "include" statements are
 *     parsed and checked, but never read a file (an input could otherwise name /dev/stdin or
 *     /dev/zero and hang the run);
 *   - getpwnam() is replaced for the whole program by a fixed table of two users (root and
 *     nobody), instead of whatever /etc/passwd or NSS the machine has.
 * So include this header in exactly one file of a program, and only in programs that do nothing
 * but run these inputs. */
#ifndef ENDURA_FUZZ_ONE_INPUT_H
#define ENDURA_FUZZ_ONE_INPUT_H

#include <errno.h>
#include <glob.h>
#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "diag.h"
#include "json.h"
#include "parse.h"
#include "print.h"
#include "ruleset.h"
#include "transaction.h"
#include "wire.h"
#include "xalloc.h"

#ifndef FUZZ_FINDING
#define FUZZ_FINDING() abort()
#endif

enum fuzz_syntax {
	FUZZ_RULES,	/* rules text */
	FUZZ_JSON,	/* a JSON policy */
	FUZZ_WIRE,	/* what a peer sends on the control socket */
};

#define FUZZ_INPUT_NAME "<fuzz>"
#define FUZZ_JSON_DUMP (JSON_COMPACT | JSON_PRESERVE_ORDER)

/* --- the program's view of the system --------------------------------------------------------- */

int glob(const char *restrict pattern, int flags, int (*errfunc)(const char *, int),
	 glob_t *restrict pglob)
{
	(void)pattern;
	(void)errfunc;
	if (!(flags & GLOB_APPEND)) {
		pglob->gl_pathc = 0;
		pglob->gl_pathv = NULL;
	}
	return GLOB_NOMATCH;
}

struct passwd *getpwnam(const char *name)
{
	static const struct {
		const char *name;
		uid_t uid;
	} users[] = {
		{ "root", 0 },
		{ "nobody", 65534 },
	};
	static struct passwd entry;

	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		if (strcmp(users[i].name, name) != 0)
			continue;
		entry = (struct passwd){
			.pw_name = (char *)users[i].name,
			.pw_passwd = (char *)"x",
			.pw_uid = users[i].uid,
			.pw_gid = users[i].uid,
			.pw_gecos = (char *)"",
			.pw_dir = (char *)"/",
			.pw_shell = (char *)"/bin/sh",
		};
		return &entry;
	}
	errno = 0;
	return NULL;
}

static int fuzz_no_file(void *ctx, const char *path, struct endura_file_id *id)
{
	(void)ctx;
	(void)path;
	(void)id;
	return -1;
}

static const struct resolver fuzz_resolver = { .file_id = fuzz_no_file };

/* --- reading, loading and printing -------------------------------------------------------------- */

/* One input read and loaded: the ruleset's locations point into ctx's inputs. */
struct fuzz_load {
	struct diag_list diags;
	struct parse_ctx ctx;
	struct ruleset ruleset;
	struct table_image image;
	bool read;	/* parsed or imported without an error */
	bool loaded;	/* and the transaction succeeded: ruleset and image are set */
};

/* What the diagnostics print (the quoting of source lines runs too); to free. */
static char *fuzz_diag_text(const struct diag_list *diags)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		abort();
	diag_print(diags, out);
	fclose(out);
	return text;
}

/* The ruleset in @syntax, as the printers write it; to free. */
static char *fuzz_output(enum fuzz_syntax syntax, const struct ruleset *ruleset, unsigned int flags)
{
	char *text = NULL;
	size_t size;
	FILE *out;
	json_t *root;

	if (syntax == FUZZ_JSON) {
		root = json_export_ruleset(ruleset, flags);
		text = json_dumps(root, FUZZ_JSON_DUMP);
		json_decref(root);
		if (!text) {
			fprintf(stderr, "fuzz: json_export_ruleset made a document json_dumps refuses\n");
			FUZZ_FINDING();
		}
		return text;
	}
	out = open_memstream(&text, &size);
	if (!out)
		abort();
	print_ruleset(out, ruleset, flags);
	fclose(out);
	return text;
}

/* The wire form of commands, as endurctl sends them: exported for the sanitizers' sake only. */
static void fuzz_export_cmds(const struct list_head *cmds)
{
	json_t *root = json_export_cmds(cmds);

	free(json_dumps(root, FUZZ_JSON_DUMP));
	json_decref(root);
}

/* Reads @text in @syntax and, when it reads, runs its commands against an empty ruleset. */
static void fuzz_load(struct fuzz_load *load, enum fuzz_syntax syntax, const char *text)
{
	struct ruleset empty;
	int ret;

	memset(load, 0, sizeof(*load));
	diag_list_init(&load->diags);
	parse_ctx_init(&load->ctx, &load->diags);
	if (syntax == FUZZ_JSON)
		ret = json_import_text(&load->ctx, FUZZ_INPUT_NAME, text);
	else
		ret = parse_text(&load->ctx, FUZZ_INPUT_NAME, text);
	load->read = ret == 0;
	if (load->read) {
		fuzz_export_cmds(&load->ctx.cmds);
		ruleset_init(&empty);
		load->loaded = ruleset_transaction(&empty, &load->ctx.cmds, &fuzz_resolver,
						   &load->ruleset, &load->image, &load->diags) == 0;
		ruleset_free(&empty);
	}
	free(fuzz_diag_text(&load->diags));
}

static void fuzz_load_free(struct fuzz_load *load)
{
	if (load->loaded) {
		table_image_free(&load->image);
		ruleset_free(&load->ruleset);
	}
	parse_ctx_free(&load->ctx);
	diag_list_free(&load->diags);
}

/* A round trip that went wrong: what it was given, what came back, then FUZZ_FINDING(). */
static void fuzz_round_trip_failed(const char *what, const char *printed, const char *again,
				   const struct diag_list *diags)
{
	char *messages = diags ? fuzz_diag_text(diags) : NULL;

	fprintf(stderr, "fuzz: round trip: %s\n--- printed:\n%s\n", what, printed);
	if (again)
		fprintf(stderr, "--- printed again:\n%s\n", again);
	if (messages && messages[0])
		fprintf(stderr, "--- diagnostics:\n%s", messages);
	fprintf(stderr, "---\n");
	free(messages);
	FUZZ_FINDING();
}

/* --- the one input ------------------------------------------------------------------------------ */

/* @text, NUL-terminated, read in @syntax. */
static void fuzz_one_text(enum fuzz_syntax syntax, const char *text)
{
	struct fuzz_load first, second;
	char *printed, *again;

	fuzz_load(&first, syntax, text);
	if (!first.loaded) {
		fuzz_load_free(&first);
		return;
	}
	/* the other printer and the -a listings, for the sanitizers' sake */
	free(fuzz_output(syntax == FUZZ_JSON ? FUZZ_RULES : FUZZ_JSON, &first.ruleset, 0));
	free(fuzz_output(FUZZ_RULES, &first.ruleset, PRINT_HANDLES));
	free(fuzz_output(FUZZ_JSON, &first.ruleset, PRINT_HANDLES));

	printed = fuzz_output(syntax, &first.ruleset, 0);
	fuzz_load(&second, syntax, printed);
	if (!second.read)
		fuzz_round_trip_failed("the printed ruleset does not read back", printed, NULL,
				       &second.diags);
	else if (!second.loaded)
		fuzz_round_trip_failed("the printed ruleset reads back but does not load", printed,
				       NULL, &second.diags);
	else {
		again = fuzz_output(syntax, &second.ruleset, 0);
		if (strcmp(printed, again) != 0)
			fuzz_round_trip_failed("the printed ruleset loads but prints differently",
					       printed, again, NULL);
		free(again);
	}
	fuzz_load_free(&second);
	free(printed);
	fuzz_load_free(&first);
}

/* The bytes as a peer's side of the control socket, read as endurd reads a connection: message
 * after message, and after a commit request the entries it announces, imported one at a time as
 * endurd's commit does (wire_import_entries), until the stream ends or a line is not JSON. The
 * bytes are in an anonymous memory file, which reads as a socket does and is on no file system. */
static void fuzz_wire(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-wire", MFD_CLOEXEC);
	struct wire_reader reader;
	json_t *message, *entries;

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || lseek(fd, 0, SEEK_SET) < 0) {
		perror("fuzz: memfd");
		abort();
	}
	wire_reader_init(&reader, fd);
	while ((message = wire_read(&reader))) {
		entries = json_object_get(message, "entries");
		if (json_is_integer(entries)) {
			struct diag_list diags;
			struct parse_ctx ctx;
			int read;

			diag_list_init(&diags);
			parse_ctx_init(&ctx, &diags);
			read = wire_import_entries(&reader, json_integer_value(entries), &ctx,
						   "request", NULL, NULL);
			parse_ctx_free(&ctx);
			diag_list_free(&diags);
			if (read < 0) {
				json_decref(message);
				break;
			}
		}
		json_decref(message);
	}
	wire_reader_free(&reader);
	close(fd);
}

/* libFuzzer's bytes, or a file's: read up to the first NUL, as the readers of text do; the wire
 * whole, as a socket gives it. */
static void fuzz_one_input(enum fuzz_syntax syntax, const uint8_t *data, size_t size)
{
	char *text;

	if (syntax == FUZZ_WIRE) {
		fuzz_wire(data, size);
		return;
	}
	text = xzalloc(size + 1);

	if (size)
		memcpy(text, data, size);
	fuzz_one_text(syntax, text);
	free(text);
}

#endif
