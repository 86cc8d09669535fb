// SPDX-License-Identifier: GPL-2.0-only
/* The control socket: root only, one request per connection. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "apply.h"
#include "daemon.h"
#include "endura.skel.h"
#include "hooks.h"
#include "json.h"
#include "tier.h"
#include "wire.h"
#include "xalloc.h"

int control_listen(struct daemon *d)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char *dir = xstrdup(d->socket_path), *slash = strrchr(dir, '/');
	int fd;

	if (strlen(d->socket_path) >= sizeof(addr.sun_path)) {
		free(dir);
		errno = ENAMETOOLONG;
		return -1;
	}
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0700);
	}
	free(dir);
	strcpy(addr.sun_path, d->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* a socket file left by an endurd that died; a live one answers and is not replaced */
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		close(fd);
		errno = EADDRINUSE;
		return -1;
	}
	unlink(d->socket_path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(d->socket_path, 0600) < 0 ||
	    listen(fd, 16) < 0) {
		close(fd);
		return -1;
	}
	d->listen_fd = fd;
	return 0;
}

void control_close(struct daemon *d)
{
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->socket_path);
	}
}

static json_t *error_reply(const char *message)
{
	return json_pack("{s:b, s:[s]}", "ok", 0, "errors", message);
}

static json_t *diag_messages(const struct diag_list *diags, enum diag_severity severity)
{
	json_t *messages = json_array();
	const struct diag *diag;

	list_for_each_entry(diag, &diags->entries, list)
		if (diag->severity == severity)
			json_array_append_new(messages, json_string(diag->message));
	return messages;
}

static json_t *diag_reply(const struct diag_list *diags)
{
	return json_pack("{s:b, s:o}", "ok", 0, "errors", diag_messages(diags, DIAG_ERROR));
}

static void fill_counters(struct daemon *d)
{
	struct table *table;
	struct chain *chain;
	struct rule *rule;

	list_for_each_entry(table, &d->ruleset.tables, list)
		list_for_each_entry(chain, &table->chains, list)
			list_for_each_entry(rule, &chain->rules, list)
				if (rule->counter)
					rule->counter_hits = decision_maps_hits(&d->maps, rule->handle);
}

static void send_listing(struct daemon *d, int fd, json_t *request)
{
	/* a terse listing leaves set elements out here already: 100,000 of them cost */
	unsigned int flags = PRINT_HANDLES;
	json_t *reply = json_pack("{s:b, s:i}", "ok", 1, "generation", d->maps.generation);

	if (json_is_true(json_object_get(request, "terse")))
		flags |= PRINT_TERSE;
	fill_counters(d);
	wire_send_ruleset(fd, reply, &d->ruleset, flags);
	json_decref(reply);
}

/* What a commit tells the monitors: the entries as the text they came in, since decoded those of
 * 10,000 rules take some 50 MB. Kept only while monitors are connected. */
struct committed {
	char *text;		/* "[entry,entry,...": the "endura" list, still open */
	size_t len, cap;
};

static void committed_add(struct committed *c, const char *line, size_t len)
{
	if (c->len + len + 2 > c->cap) {
		c->cap = (c->len + len + 2) * 2;
		c->text = xrealloc(c->text, c->cap);
	}
	c->text[c->len] = c->len ? ',' : '[';
	memcpy(c->text + c->len + 1, line, len);
	c->len += len + 1;
	c->text[c->len] = '\0';
}

static void committed_send(struct daemon *d, struct committed *c)
{
	char *message = xasprintf("{\"commit\":{\"generation\":%u,\"endura\":%s]}}",
				  d->maps.generation, c->len ? c->text : "[");

	monitor_send_line(d, message);
	free(message);
}

static void keep_committed(void *data, const char *line, size_t len)
{
	committed_add(data, line, len);
}

static json_t *commit_reply(struct daemon *d, json_t *request, struct wire_reader *reader)
{
	json_t *expected = json_object_get(request, "generation");
	json_t *entries = json_object_get(request, "entries");
	struct committed committed = { 0 };
	struct diag_list diags, tier_diags;
	struct parse_ctx ctx;
	json_t *reply;
	int read;

	/* an endurctl of another version would send its commands in a form not read here */
	if (!json_is_integer(entries))
		return error_reply("malformed request: endurctl and endurd are of different versions");
	diag_list_init(&diags);
	diag_list_init(&tier_diags);
	parse_ctx_init(&ctx, &diags);
	read = wire_import_entries(reader, json_integer_value(entries), &ctx, "request",
				   d->nmonitors ? keep_committed : NULL, &committed);
	if (read < 0) {
		reply = error_reply("malformed request");
	} else if (expected && json_integer_value(expected) != d->maps.generation) {
		reply = json_pack("{s:b, s:b, s:[s]}", "ok", 0, "conflict", 1, "errors",
				  "the ruleset changed while the request was prepared");
	} else if (read == 0 && daemon_commit(d, &ctx.cmds, &diags, &tier_diags) == 0) {
		reply = json_pack("{s:b, s:i, s:o}", "ok", 1, "generation", d->maps.generation,
				  "warnings", diag_messages(&tier_diags, DIAG_WARNING));
		if (d->nmonitors)
			committed_send(d, &committed);
	} else {
		reply = diag_reply(&diags);
	}
	free(committed.text);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	diag_list_free(&tier_diags);
	/* a large commit's image, commands and request are free now: give the pages back, or the
	 * daemon keeps its peak resident until the next one */
	malloc_trim(0);
	return reply;
}

static json_t *tiers_status(void)
{
	json_t *tiers = json_object();

	for (unsigned int tier = 0; tier < ENDURA_TIER_COUNT; tier++)
		json_object_set_new(tiers, tier_descs[tier].name,
				    json_pack("{s:b, s:s}", "denies", tier_descs[tier].denies,
					      "does", tier_descs[tier].does));
	return tiers;
}

/* How the identity refresh learns of changes to the names it keeps. */
static json_t *identity_watch_status(const struct daemon *d)
{
	json_t *watch = json_pack("{s:s, s:I, s:I}",
				  "by", d->entry_refused ? "inotify" : "entry programs",
				  "directories", (json_int_t)refresh_watched_dirs(d),
				  "unwatched", (json_int_t)d->identities.unwatched);

	if (d->entry_refused)
		json_object_set_new(watch, "entry_programs_refused", json_string(d->entry_refused));
	return watch;
}

static json_t *status_reply(struct daemon *d)
{
	uint64_t totals[ENDURA_STAT_COUNT] = { 0 };
	int ncpus = libbpf_num_possible_cpus();
	struct endura_stats *per_cpu = xzalloc((ncpus > 0 ? ncpus : 1) * sizeof(*per_cpu));
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(d->skel->maps.stats), &zero, per_cpu) == 0)
		for (int cpu = 0; cpu < ncpus; cpu++)
			for (uint32_t stat = 0; stat < ENDURA_STAT_COUNT; stat++)
				totals[stat] += per_cpu[cpu].count[stat];
	free(per_cpu);
	return json_pack("{s:b, s:i, s:I, s:o, s:I, s:o, s:o, s:f, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}}",
			 "ok", 1,
			 "generation", d->maps.generation,
			 "identity_refreshes", (json_int_t)d->identities.refreshes,
			 "identity_watch", identity_watch_status(d),
			 "maps_memlock", (json_int_t)d->maps.memlock,
			 "hooks", sensor_hooks_status(d),
			 "tiers", tiers_status(),
			 "load_ms", d->load_ms,
			 "stats", "decisions", (json_int_t)totals[ENDURA_STAT_DECISIONS],
			 "denied", (json_int_t)totals[ENDURA_STAT_DENIED],
			 "not_enforced", (json_int_t)totals[ENDURA_STAT_NOT_ENFORCED],
			 "events_lost", (json_int_t)totals[ENDURA_STAT_EVENTS_LOST],
			 "overtaken", (json_int_t)totals[ENDURA_STAT_OVERTAKEN],
			 "path_unresolved", (json_int_t)totals[ENDURA_STAT_PATH_UNRESOLVED],
			 "path_cached", (json_int_t)totals[ENDURA_STAT_PATH_CACHED]);
}

/* The reply to send, or NULL when it was sent already. */
static json_t *handle_request(struct daemon *d, json_t *request, struct wire_reader *reader)
{
	const char *command = json_string_value(json_object_get(request, "command"));

	if (!command)
		return error_reply("request without a command");
	if (strcmp(command, "list") == 0) {
		send_listing(d, reader->fd, request);
		return NULL;
	}
	if (strcmp(command, "commit") == 0)
		return commit_reply(d, request, reader);
	if (strcmp(command, "status") == 0)
		return status_reply(d);
	return error_reply("unknown command");
}

void control_serve_one(struct daemon *d)
{
	struct timeval timeout = { .tv_sec = 10 };
	struct wire_reader reader;
	const char *command;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	json_t *request, *reply;
	int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	wire_reader_init(&reader, fd);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != 0) {
		reply = error_reply("permission denied: endurd takes commands from root only");
	} else {
		request = wire_read(&reader);
		command = json_string_value(json_object_get(request, "command"));
		if (command && strcmp(command, "monitor") == 0) {
			/* the connection stays open: changes and events follow the reply */
			json_decref(request);
			wire_reader_free(&reader);
			reply = json_pack("{s:b, s:i}", "ok", 1, "generation", d->maps.generation);
			if (wire_send(fd, reply) == 0 && monitor_add(d, fd) == 0) {
				json_decref(reply);
				return;
			}
			json_decref(reply);
			close(fd);
			return;
		}
		reply = request ? handle_request(d, request, &reader) :
				  error_reply("malformed request");
		json_decref(request);
	}
	wire_reader_free(&reader);
	if (reply)
		wire_send(fd, reply);
	json_decref(reply);
	close(fd);
}
