// SPDX-License-Identifier: GPL-2.0-only
/* endurctl monitor [ruleset|events]: what endurd commits and reports, as it happens. Ruleset
 * changes print as commands that are valid input; events as one line each; with -j, one JSON
 * object per line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "fields.h"
#include "hooks.h"
#include "json.h"
#include "print.h"
#include "wire.h"

static int connect_daemon(const char *socket_path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return -1;
	strcpy(addr.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void print_commit(const json_t *commit)
{
	json_t *document = json_pack("{s:O}", "endura", json_object_get(commit, "endura"));
	struct diag_list diags;
	struct parse_ctx ctx;
	const struct cmd *cmd;

	diag_list_init(&diags);
	parse_ctx_init(&ctx, &diags);
	if (json_import(&ctx, "endurd", document) == 0)
		list_for_each_entry(cmd, &ctx.cmds, list)
			print_cmd(stdout, cmd);
	diag_print(&diags, stderr);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	json_decref(document);
}

static const char *text_of(const json_t *obj, const char *key)
{
	const char *text = json_string_value(json_object_get(obj, key));

	return text ? text : "";
}

/* event file_open deny host files handle 4 pid 812 uid 0 exe /usr/bin/vi path /etc/shadow write
 * event capable deny host caps handle 7 pid 901 uid 0 exe /usr/bin/insmod capability cap_sys_module
 * event signal deny host guard handle 9 pid 950 uid 0 exe /usr/bin/kill target 612 /usr/sbin/sshd
 *   signal kill */
static void print_event(const json_t *event)
{
	const json_t *rule = json_object_get(event, "rule");
	const json_t *process = json_object_get(event, "process");
	const json_t *file = json_object_get(event, "file");
	const json_t *target = json_object_get(event, "target");
	const json_t *access;
	size_t i;

	printf("event %s %s %s %s handle %lld pid %lld uid %lld exe %s",
	       text_of(event, "hook"), text_of(event, "verdict"), text_of(rule, "table"),
	       text_of(rule, "chain"), json_integer_value(json_object_get(rule, "handle")),
	       json_integer_value(json_object_get(process, "pid")),
	       json_integer_value(json_object_get(process, "uid")), text_of(process, "exe"));
	if (file)
		printf(" path %s", text_of(file, "path"));
	json_array_foreach(json_object_get(file, "access"), i, access)
		printf(" %s", json_string_value(access));
	/* a process without an executable (a kernel thread) shows its pid alone */
	if (target)
		printf(" target %lld%s%s", json_integer_value(json_object_get(target, "pid")),
		       json_object_get(target, "exe") ? " " : "", text_of(target, "exe"));
	for (unsigned int hook = 0; hook < HOOK_COUNT; hook++) {
		const char *key = field_descs[hook_descs[hook].value_field].name;
		const json_t *value = json_object_get(event, key);

		if (!field_descs[hook_descs[hook].value_field].names ||
		    strcmp(text_of(event, "hook"), hook_descs[hook].name) != 0)
			continue;
		/* a number the kernel has and this endurd has no name for is shown as it is */
		if (json_is_integer(value))
			printf(" %s %lld", key, json_integer_value(value));
		else
			printf(" %s %s", key, text_of(event, key));
	}
	putchar('\n');
}

int monitor_command(const struct options *o, int argc, char **argv)
{
	bool events = true, changes = true, refused = false;
	char *line = NULL;
	size_t cap = 0;
	json_t *request, *message;
	FILE *in;
	int fd;

	if (argc == 1 && strcmp(argv[0], "events") == 0) {
		changes = false;
	} else if (argc == 1 && strcmp(argv[0], "ruleset") == 0) {
		events = false;
	} else if (argc != 0) {
		fprintf(stderr, "Error: monitor takes nothing, ruleset or events\n");
		return -1;
	}
	fd = connect_daemon(o->socket_path);
	request = json_pack("{s:s}", "command", "monitor");
	if (fd < 0 || wire_send(fd, request) < 0 || !(in = fdopen(fd, "r"))) {
		fprintf(stderr, "Error: cannot reach endurd at %s: %s\n", o->socket_path,
			strerror(errno));
		json_decref(request);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	json_decref(request);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* the first line is endurd's answer; then one message a line until it goes away */
	for (bool first = true; getline(&line, &cap, in) > 0; first = false) {
		json_t *commit, *event;

		message = json_loads(line, 0, NULL);
		if (first && !json_is_true(json_object_get(message, "ok"))) {
			fprintf(stderr, "Error: endurd refused to be monitored\n");
			json_decref(message);
			refused = true;
			break;
		}
		commit = changes ? json_object_get(message, "commit") : NULL;
		event = events ? json_object_get(message, "event") : NULL;
		if (o->json_output && (commit || event))
			print_json(json_incref(message));
		else if (commit)
			print_commit(commit);
		else if (event)
			print_event(event);
		json_decref(message);
	}
	free(line);
	fclose(in);
	if (refused)
		return -1;
	/* monitoring ends when endurd stops, or drops a monitor that does not keep up */
	fprintf(stderr, "Error: endurd closed the connection\n");
	return -1;
}
