/* SPDX-License-Identifier: GPL-2.0-only */
/* The control socket between endurctl and endurd: one JSON document per line each way. Requests
 * are {"command": "list", "terse": bool}, {"command": "status"} and {"command": "commit",
 * "generation": N, "entries": K} followed by K lines, the entries of an "endura" list one per
 * line, so that endurd decodes one entry at a time and never a whole ruleset at once. Replies
 * carry "ok" and, on failure, "errors" (a list of messages) and "conflict" when the ruleset
 * changed since the generation the client checked against. A listing's reply, {"ok": true,
 * "generation": N, "entries": K}, is followed by its entries the same way. */
#ifndef ENDURA_WIRE_H
#define ENDURA_WIRE_H

#include <stddef.h>

#include <jansson.h>

#include "json.h"

#define ENDURA_SOCKET_PATH "/run/endura/endurd.sock"

int wire_send(int fd, const json_t *message);

/* Messages sent one line each, gathered into fewer sends; close returns the first error. */
struct wire_writer;
struct wire_writer *wire_writer_open(int fd);
void wire_writer_put(struct wire_writer *writer, const json_t *message);
int wire_writer_close(struct wire_writer *writer);
/* Sends @header with "entries" set to the size of the array @entries, then its entries. */
int wire_send_entries(int fd, json_t *header, const json_t *entries);
/* Sends @reply with "entries" set, then the entries of the ruleset's listing (json.h), each made
 * as it is sent: decoded whole, those of 10,000 rules take some 50 MB. */
int wire_send_ruleset(int fd, json_t *reply, const struct ruleset *ruleset, unsigned int flags);
/* Returns the next message, or NULL at end of stream or on a malformed line. */
json_t *wire_recv(int fd);

/* The lines of one connection, read as they come. */
struct wire_reader {
	int fd;
	char *buf;
	size_t start, len, cap;		/* the next line starts at buf + start */
};

void wire_reader_init(struct wire_reader *reader, int fd);
void wire_reader_free(struct wire_reader *reader);
/* The next line without its newline, NUL-terminated and valid until the next call; NULL at the
 * end of the stream, including a last line the peer did not finish. */
char *wire_read_line(struct wire_reader *reader, size_t *len);
/* The next line decoded; NULL at the end of the stream or when it is not JSON. */
json_t *wire_read(struct wire_reader *reader);

/* Reads the @count entries that follow a request or a reply and imports them one at a time into
 * @ctx as the input @name (json_stream_open), giving each line to @seen when it is not NULL.
 * Returns -1 when the stream ends early or an entry is not JSON; 1 when an entry does not import
 * (the errors are in ctx->diags, and no command is appended); 0 with the commands appended to
 * ctx->cmds. */
int wire_import_entries(struct wire_reader *reader, long long count, struct parse_ctx *ctx,
			const char *name, void (*seen)(void *data, const char *line, size_t len),
			void *data);

#endif
