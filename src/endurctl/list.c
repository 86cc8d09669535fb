// SPDX-License-Identifier: GPL-2.0-only
/* list ruleset | tables | table T | chain T C | set T S, and status. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "json.h"
#include "print.h"
#include "status.h"
#include "wire.h"
#include "xalloc.h"

int print_json(json_t *root)
{
	int ret = json_dumpf(root, stdout, JSON_COMPACT);

	fputc('\n', stdout);
	json_decref(root);
	return ret;
}

static void output_ruleset(const struct options *o, const struct ruleset *ruleset)
{
	if (o->json_output)
		print_json(json_export_ruleset(ruleset, o->print_flags));
	else
		print_ruleset(stdout, ruleset, o->print_flags);
}

/* "Error: table 'hots' does not exist; did you mean 'host'?" */
static void missing(const char *what, const char *name, const char **names, unsigned int count)
{
	const char *hint = diag_suggest(name, names, count);

	if (hint)
		fprintf(stderr, "Error: %s '%s' does not exist; did you mean '%s'?\n", what, name,
			hint);
	else
		fprintf(stderr, "Error: %s '%s' does not exist\n", what, name);
	free(names);
}

static struct table *take_table(struct ruleset *ruleset, const char *name)
{
	struct table *table = table_find(ruleset, name);
	const char **names;
	unsigned int count;

	if (!table) {
		names = table_names(ruleset, &count);
		missing("table", name, names, count);
	}
	return table;
}

/* Keeps in @table only the chain or the set called @name. */
static int keep_member(struct table *table, bool chain, const char *name)
{
	struct chain *c, *next_chain;
	struct set *s, *next_set;
	const char **names;
	unsigned int count;

	if (chain ? !chain_find(table, name) : !set_find(table, name)) {
		names = chain ? chain_names(table, &count) : set_names(table, &count);
		missing(chain ? "chain" : "set", name, names, count);
		return -1;
	}
	list_for_each_entry_safe(c, next_chain, &table->chains, list)
		if (!chain || strcmp(c->name, name) != 0)
			chain_free(c);
	list_for_each_entry_safe(s, next_set, &table->sets, list)
		if (chain || strcmp(s->name, name) != 0)
			set_free(s);
	return 0;
}

/* Narrows the ruleset to what the words name: "ruleset", "tables", "table T", "chain T C",
 * "set T S". Tables alone print as their names. */
static int select_words(struct ruleset *ruleset, int argc, char **argv, bool *names_only)
{
	struct table *table, *next;

	*names_only = argc == 1 && strcmp(argv[0], "tables") == 0;
	if ((argc == 1 && strcmp(argv[0], "ruleset") == 0) || *names_only)
		return 0;
	if (!((argc == 2 && strcmp(argv[0], "table") == 0) ||
	      (argc == 3 && (strcmp(argv[0], "chain") == 0 || strcmp(argv[0], "set") == 0)))) {
		fprintf(stderr, "Error: list takes ruleset, tables, table TABLE, chain TABLE CHAIN "
			"or set TABLE SET\n");
		return -1;
	}
	table = take_table(ruleset, argv[1]);
	if (!table)
		return -1;
	list_for_each_entry_safe(table, next, &ruleset->tables, list)
		if (strcmp(table->name, argv[1]) != 0)
			table_free(table);
	table = list_first_entry(&ruleset->tables, struct table, list);
	if (argc == 3)
		return keep_member(table, strcmp(argv[0], "chain") == 0, argv[2]);
	return 0;
}

int list_command(const struct options *o, int argc, char **argv)
{
	struct ruleset ruleset;
	struct table *table;
	json_int_t generation;
	bool names_only;
	int ret;

	ruleset_init(&ruleset);
	ret = client_fetch_ruleset(o->socket_path, &ruleset, &generation, false,
				   o->print_flags & PRINT_TERSE);
	if (ret == 0)
		ret = select_words(&ruleset, argc, argv, &names_only);
	if (ret == 0 && names_only) {
		/* the tables alone, in JSON as table objects */
		list_for_each_entry(table, &ruleset.tables, list) {
			struct chain *chain, *next_chain;
			struct set *set, *next_set;

			if (!o->json_output)
				printf("table %s\n", table->name);
			list_for_each_entry_safe(chain, next_chain, &table->chains, list)
				chain_free(chain);
			list_for_each_entry_safe(set, next_set, &table->sets, list)
				set_free(set);
		}
		if (o->json_output)
			output_ruleset(o, &ruleset);
	} else if (ret == 0) {
		output_ruleset(o, &ruleset);
	}
	ruleset_free(&ruleset);
	return ret;
}

/* What the kernel side enforces and what it counted. */
int show_status(const struct options *o)
{
	json_t *request = json_pack("{s:s}", "command", "status");
	json_t *reply = client_request(o->socket_path, request, NULL);
	json_t *stats, *value, *watch, *used = json_object();
	const char *tier;
	long long memlock;

	json_decref(request);
	if (!reply || !json_is_true(json_object_get(reply, "ok"))) {
		fprintf(stderr, "Error: cannot reach endurd at %s: %s\n", o->socket_path,
			reply ? json_string_value(json_array_get(json_object_get(reply, "errors"), 0)) :
			strerror(errno));
		json_decref(reply);
		return -1;
	}
	json_object_del(reply, "ok");
	if (o->json_output)
		return print_json(reply);
	printf("generation %lld, identity refreshes %lld\n",
	       json_integer_value(json_object_get(reply, "generation")),
	       json_integer_value(json_object_get(reply, "identity_refreshes")));
	watch = json_object_get(reply, "identity_watch");
	printf("identities: entries of %lld directories watched %s",
	       json_integer_value(json_object_get(watch, "directories")),
	       json_object_get(watch, "entry_programs_refused") ? "with inotify" :
	       "by the entry programs");
	if (json_integer_value(json_object_get(watch, "unwatched")))
		printf(", %lld could not be", json_integer_value(json_object_get(watch, "unwatched")));
	if (json_object_get(watch, "entry_programs_refused"))
		printf("; entry programs: %s",
		       json_string_value(json_object_get(watch, "entry_programs_refused")));
	putchar('\n');
	memlock = json_integer_value(json_object_get(reply, "maps_memlock"));
	printf("decision maps: %.1f %s of kernel memory (%lld bytes)\n",
	       memlock < 1048576 ? memlock / 1024.0 : memlock / 1048576.0,
	       memlock < 1048576 ? "KiB" : "MiB", memlock);
	status_print_hooks(stdout, "", json_object_get(reply, "hooks"), used);
	json_object_foreach(json_object_get(reply, "tiers"), tier, value)
		if (json_object_get(used, tier))
			printf("tier %s: %s\n", tier,
			       json_string_value(json_object_get(value, "does")));
	stats = json_object_get(reply, "stats");
	printf("decisions %lld, denied %lld, not enforced %lld, events lost %lld, "
	       "paths unresolved %lld, paths cached %lld\n",
	       json_integer_value(json_object_get(stats, "decisions")),
	       json_integer_value(json_object_get(stats, "denied")),
	       json_integer_value(json_object_get(stats, "not_enforced")),
	       json_integer_value(json_object_get(stats, "events_lost")),
	       json_integer_value(json_object_get(stats, "path_unresolved")),
	       json_integer_value(json_object_get(stats, "path_cached")));
	json_decref(used);
	json_decref(reply);
	return 0;
}
