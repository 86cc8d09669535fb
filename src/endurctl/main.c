// SPDX-License-Identifier: GPL-2.0-only
/* endurctl: the administration CLI, a thin layer over libendura shaped like nft. Every input, a
 * file or a command line, is one transaction: checked here in full against the live ruleset (so
 * errors point at the token), then committed by endurd, which checks it again. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "json.h"
#include "parse.h"
#include "print.h"
#include "transaction.h"
#include "version.h"
#include "wire.h"
#include "xalloc.h"

struct options {
	const char *file;
	const char *socket_path;
	bool check;
	bool json;		/* JSON input */
	bool json_output;
	bool echo;
	unsigned int print_flags;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: endurctl [options] [command]\n"
		"  -f, --file PATH     read commands from a file, a directory of *.rules, or - (stdin)\n"
		"  -c, --check         check only: parse, evaluate and compile, commit nothing\n"
		"  -j, --json          JSON input (with -f) and output\n"
		"  -a, --handle        show handles and counter values\n"
		"  -e, --echo          print the ruleset that results (with -c: without a daemon)\n"
		"      --output FORMAT text or json, for listings and -e (default: json with -j)\n"
		"      --socket PATH   endurd's control socket (default %s)\n"
		"  -v, --version       print the version\n"
		"  -h, --help          this help\n"
		"Commands: list ruleset | status | flush ruleset | add rule TABLE CHAIN RULE |\n"
		"          delete rule TABLE CHAIN handle N | any statement of a rules file\n"
		"See endurctl(8) and endura-rules(5).\n", ENDURA_SOCKET_PATH);
}

static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	char *text;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = xzalloc(len);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	return text;
}

static int print_json(json_t *root)
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

static int list_ruleset(const struct options *o)
{
	struct ruleset ruleset;
	json_int_t generation;
	int ret;

	ruleset_init(&ruleset);
	ret = client_fetch_ruleset(o->socket_path, &ruleset, &generation, false);
	if (ret == 0)
		output_ruleset(o, &ruleset);
	ruleset_free(&ruleset);
	return ret;
}

/* What the kernel side enforces and what it counted. */
static int show_status(const struct options *o)
{
	json_t *request = json_pack("{s:s}", "command", "status");
	json_t *reply = client_request(o->socket_path, request);
	json_t *tiers, *stats, *value;
	const char *hook;

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
	printf("generation %lld\n", json_integer_value(json_object_get(reply, "generation")));
	tiers = json_object_get(reply, "tier");
	json_object_foreach(tiers, hook, value)
		printf("hook %s: tier %s\n", hook, json_string_value(value));
	stats = json_object_get(reply, "stats");
	printf("decisions %lld, denied %lld, events lost %lld\n",
	       json_integer_value(json_object_get(stats, "decisions")),
	       json_integer_value(json_object_get(stats, "denied")),
	       json_integer_value(json_object_get(stats, "events_lost")));
	json_decref(reply);
	return 0;
}

static int read_input(struct parse_ctx *ctx, const struct options *o, int argc, char **argv)
{
	char *text;
	int ret;

	if (o->file)
		return o->json ? json_import_path(ctx, o->file) : parse_path(ctx, o->file);
	text = join_words(argc, argv);
	ret = o->json ? json_import_text(ctx, "<cmdline>", text) :
			parse_text(ctx, "<cmdline>", text);
	free(text);
	return ret;
}

static int commit(const struct options *o, json_t *cmds, json_int_t generation)
{
	json_t *request = json_pack("{s:s, s:I, s:O}", "command", "commit", "generation",
				    generation, "endura", json_object_get(cmds, "endura"));
	json_t *reply = client_request(o->socket_path, request);
	json_t *errors, *error;
	size_t i;
	int ret = 0;

	json_decref(request);
	if (!reply) {
		fprintf(stderr, "Error: cannot reach endurd at %s: %s\n", o->socket_path,
			strerror(errno));
		return -1;
	}
	if (!json_is_true(json_object_get(reply, "ok"))) {
		errors = json_object_get(reply, "errors");
		json_array_foreach(errors, i, error)
			fprintf(stderr, "Error: %s\n", json_string_value(error));
		ret = -1;
	}
	json_decref(reply);
	return ret;
}

/* Checks the commands against the live ruleset (an empty one when checking offline) and, unless
 * only checking, commits them. */
static int run_transaction(const struct options *o, struct parse_ctx *ctx)
{
	json_t *cmds = json_export_cmds(&ctx->cmds);
	struct ruleset live, result;
	struct table_image image;
	json_int_t generation = 0;
	int ret = -1;

	ruleset_init(&live);
	/* offline, a check runs against an empty ruleset */
	if (client_fetch_ruleset(o->socket_path, &live, &generation, o->check) == -1)
		goto out;
	if (ruleset_transaction(&live, &ctx->cmds, &system_resolver, &result, &image,
				ctx->diags) < 0)
		goto out;
	table_image_free(&image);
	if (o->check) {
		ret = 0;
		if (o->echo)
			output_ruleset(o, &result);
	} else {
		/* what endurd holds now, with the handles it gave */
		ret = commit(o, cmds, generation);
		if (ret == 0 && o->echo)
			ret = list_ruleset(o);
	}
	ruleset_free(&result);
out:
	ruleset_free(&live);
	json_decref(cmds);
	return ret;
}

int main(int argc, char **argv)
{
	enum { OPT_SOCKET = 256, OPT_OUTPUT };
	static const struct option long_options[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "handle", no_argument, NULL, 'a' },
		{ "echo", no_argument, NULL, 'e' },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct options o = { .socket_path = ENDURA_SOCKET_PATH };
	const char *output = NULL;
	struct diag_list diags;
	struct parse_ctx ctx;
	int opt, ret;

	/* '+': options end at the first command word, as in nft */
	while ((opt = getopt_long(argc, argv, "+f:cjaevh", long_options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			o.file = optarg;
			break;
		case 'c':
			o.check = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'a':
			o.print_flags |= PRINT_HANDLES;
			break;
		case 'e':
			o.echo = true;
			break;
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_SOCKET:
			o.socket_path = optarg;
			break;
		case 'v':
			printf("endurctl %s\n", ENDURA_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	o.json_output = o.json;
	if (output && (strcmp(output, "json") == 0 || strcmp(output, "text") == 0)) {
		o.json_output = strcmp(output, "json") == 0;
	} else if (output) {
		fprintf(stderr, "Error: unknown output format '%s'; expected text or json\n", output);
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0' && !o.file) {
			fprintf(stderr, "Error: option '%s' after the command: options go first\n",
				argv[i]);
			return 1;
		}
	if (o.file && optind < argc) {
		fprintf(stderr, "Error: -f takes no command words ('%s')\n", argv[optind]);
		return 1;
	}
	if (!o.file && optind == argc) {
		usage(stderr);
		return 1;
	}
	if (!o.file && argc - optind == 2 && strcmp(argv[optind], "list") == 0 &&
	    strcmp(argv[optind + 1], "ruleset") == 0)
		return list_ruleset(&o) < 0;
	if (!o.file && argc - optind == 1 && strcmp(argv[optind], "status") == 0)
		return show_status(&o) < 0;

	diag_list_init(&diags);
	parse_ctx_init(&ctx, &diags);
	ret = read_input(&ctx, &o, argc - optind, argv + optind);
	if (ret == 0)
		ret = run_transaction(&o, &ctx);
	diag_print(&diags, stderr);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	return ret < 0;
}
