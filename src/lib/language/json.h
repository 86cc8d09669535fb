/* SPDX-License-Identifier: GPL-2.0-only */
/* The JSON policy form (jansson), mirroring nft -j: {"endura": [ {"metainfo": ...}, {"table": ...},
 * {"set": ...}, {"chain": ...}, {"rule": ...} ]}. On input, plain objects mean "add", and command
 * wrappers {"add": {...}}, {"delete": {...}}, {"flush": {...}} may be mixed in. The same form is the
 * wire format between endurctl and endurd. */
#ifndef ENDURA_JSON_H
#define ENDURA_JSON_H

#include <jansson.h>

#include "diag.h"
#include "list.h"
#include "parse.h"
#include "print.h"
#include "ruleset.h"

#define ENDURA_JSON_SCHEMA_VERSION 1

/* The whole ruleset as a list of objects; PRINT_HANDLES adds "handle" and counter "hits". */
json_t *json_export_ruleset(const struct ruleset *ruleset, unsigned int flags);

/* The same entries given one at a time to @emit, which takes each reference, so that the
 * document of a large ruleset never exists whole (the daemon's listing). */
void json_export_ruleset_each(const struct ruleset *ruleset, unsigned int flags,
			      void (*emit)(json_t *entry, void *data), void *data);

/* How many entries json_export_ruleset() gives: the metainfo, tables, sets, chains and rules. */
size_t json_export_ruleset_size(const struct ruleset *ruleset);

/* Commands as a list of command wrappers, for the daemon. */
json_t *json_export_cmds(const struct list_head *cmds);

/* Parses @text (named @name in messages) into commands appended to ctx->cmds; the text is kept as
 * one of ctx->inputs. Returns 0, or -1 with errors in ctx->diags that carry a line and column (a
 * syntax error) or a JSON path such as endura[3].rule.expr[0].match.field (a content error). */
int json_import_text(struct parse_ctx *ctx, const char *name, const char *text);

/* Reads a JSON policy file ("-" for standard input) the same way. */
int json_import_path(struct parse_ctx *ctx, const char *path);

/* The same, from an already decoded document. */
int json_import(struct parse_ctx *ctx, const char *name, json_t *root);

/* The entries of one "endura" list, decoded and imported one at a time, so that a large
 * document never exists decoded whole (the daemon's wire input). Errors name the entries as
 * endura[N] and the input @name, which has no text. */
struct json_stream;
struct json_stream *json_stream_open(struct parse_ctx *ctx, const char *name);
void json_stream_entry(struct json_stream *stream, json_t *entry);
/* Frees the stream; 0 with the commands appended to ctx->cmds, or -1 when any entry had errors
 * (in ctx->diags) and nothing is appended. */
int json_stream_close(struct json_stream *stream);

#endif
