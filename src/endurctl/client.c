// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "apply.h"
#include "client.h"
#include "json.h"
#include "parse.h"
#include "wire.h"

static void client_close(struct wire_reader *reader)
{
	close(reader->fd);
	wire_reader_free(reader);
}

/* Sends @request (and @entries) and reads the reply's first line; the rest of the reply stays to
 * be read from @reader, whose connection client_close() ends. NULL with errno when there is no
 * reply: then the connection is ended already. */
static json_t *client_converse(const char *socket_path, json_t *request, const json_t *entries,
			       struct wire_reader *reader)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	json_t *reply = NULL;
	int fd, err;

	if (strlen(socket_path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(addr.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	wire_reader_init(reader, fd);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    (entries ? wire_send_entries(fd, request, entries) : wire_send(fd, request)) == 0)
		reply = wire_read(reader);
	if (reply)
		return reply;
	if (!errno)
		errno = EPROTO;
	err = errno;
	client_close(reader);
	errno = err;
	return NULL;
}

json_t *client_request(const char *socket_path, json_t *request, const json_t *entries)
{
	struct wire_reader reader;
	json_t *reply = client_converse(socket_path, request, entries, &reader);

	if (reply)
		client_close(&reader);
	return reply;
}

int client_fetch_ruleset(const char *socket_path, struct ruleset *ruleset, json_int_t *generation,
			 bool absent_ok, bool terse)
{
	json_t *request = json_pack("{s:s, s:b}", "command", "list", "terse", terse);
	struct wire_reader reader;
	json_t *reply = client_converse(socket_path, request, NULL, &reader);
	struct diag_list diags;
	struct parse_ctx ctx;
	int ret = -1, read;

	json_decref(request);
	if (!reply) {
		bool absent = errno == ENOENT || errno == ECONNREFUSED;

		/* a user who may not talk to endurd can still check offline */
		if ((absent || errno == EACCES) && absent_ok)
			return -2;
		fprintf(stderr, "Error: cannot reach endurd at %s: %s\n", socket_path,
			absent ? "endurd is not running" : strerror(errno));
		return -1;
	}
	if (!json_is_true(json_object_get(reply, "ok"))) {
		fprintf(stderr, "Error: %s\n",
			json_string_value(json_array_get(json_object_get(reply, "errors"), 0)));
		client_close(&reader);
		json_decref(reply);
		return -1;
	}
	*generation = json_integer_value(json_object_get(reply, "generation"));
	diag_list_init(&diags);
	parse_ctx_init(&ctx, &diags);
	read = wire_import_entries(&reader, json_integer_value(json_object_get(reply, "entries")),
				   &ctx, "endurd", NULL, NULL);
	if (read == 0 && ruleset_adopt(ruleset, &ctx.cmds, &diags) == 0)
		ret = 0;
	else if (read < 0)
		diag_error(&diags, NULL, "endurd's listing ended early");
	/* the listing's text goes away with ctx; its rules are not the user's input either */
	ruleset_clear_locations(ruleset);
	diag_print(&diags, stderr);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	client_close(&reader);
	json_decref(reply);
	return ret;
}
