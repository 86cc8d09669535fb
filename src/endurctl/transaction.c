// SPDX-License-Identifier: GPL-2.0-only
/* One input, one transaction: parsed here, checked in full against the live ruleset (so errors
 * point at the token), then committed by endurd, which checks it again. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "json.h"
#include "print.h"
#include "system_lookup.h"
#include "apply.h"
#include "transaction.h"
#include "wire.h"
#include "xalloc.h"

/* -D NAME=VALUE is "define NAME = VALUE", read before the input. */
static int read_defines(struct parse_ctx *ctx, const struct options *o)
{
	int ret = 0;

	for (unsigned int i = 0; i < o->ndefines; i++) {
		const char *eq = strchr(o->defines[i], '=');
		char *text;

		if (!eq) {
			diag_error(ctx->diags, NULL, "-D %s: expected NAME=VALUE", o->defines[i]);
			ret = -1;
			continue;
		}
		text = xasprintf("define %.*s = %s", (int)(eq - o->defines[i]), o->defines[i],
				 eq + 1);
		if (parse_text(ctx, "<-D>", text) < 0)
			ret = -1;
		free(text);
	}
	return ret;
}

static int read_input(struct parse_ctx *ctx, const struct options *o, const char *text)
{
	for (unsigned int i = 0; i < o->ninclude_dirs; i++)
		ctx->include_dirs[i] = o->include_dirs[i];
	ctx->ninclude_dirs = o->ninclude_dirs;
	if (read_defines(ctx, o) < 0)
		return -1;
	if (o->file)
		return o->json ? json_import_path(ctx, o->file) : parse_path(ctx, o->file);
	return o->json ? json_import_text(ctx, "<cmdline>", text) :
			 parse_text(ctx, "<cmdline>", text);
}

static int commit(const struct options *o, json_t *cmds, json_int_t generation)
{
	json_t *request = json_pack("{s:s, s:I}", "command", "commit", "generation", generation);
	json_t *reply = client_request(o->socket_path, request, json_object_get(cmds, "endura"));
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
	/* what only endurd knows: the tiers of this kernel */
	json_array_foreach(json_object_get(reply, "warnings"), i, error)
		fprintf(stderr, "Warning: %s\n", json_string_value(error));
	json_decref(reply);
	return ret;
}

/* Checks the commands against the live ruleset (an empty one when checking offline) and, unless
 * only checking, commits them. */
static int run_transaction(const struct options *o, struct parse_ctx *ctx)
{
	json_t *cmds = json_export_cmds(&ctx->cmds);
	struct ruleset live, result;
	struct system_lookup lookup;
	struct table_image image;
	json_int_t generation = 0;
	char *words[] = { "ruleset" };
	int ret = -1;

	ruleset_init(&live);
	/* offline, a check runs against an empty ruleset */
	if (client_fetch_ruleset(o->socket_path, &live, &generation, o->check, false) == -1)
		goto out;
	system_lookup_init(&lookup);
	ret = ruleset_transaction(&live, &ctx->cmds, &lookup.resolver, &result, &image,
				  ctx->diags);
	system_lookup_end(&lookup);
	if (ret < 0)
		goto out;
	ret = -1;
	table_image_free(&image);
	if (o->check) {
		ret = 0;
		parse_warn_unused(ctx);
		ruleset_warn_unused_sets(&result, ctx->diags);
		if (o->echo && o->json_output)
			print_json(json_export_ruleset(&result, o->print_flags));
		else if (o->echo)
			print_ruleset(stdout, &result, o->print_flags);
	} else {
		/* what endurd holds now, with the handles it gave */
		ret = commit(o, cmds, generation);
		if (ret == 0 && o->echo)
			ret = list_command(o, 1, words);
	}
	ruleset_free(&result);
out:
	ruleset_free(&live);
	json_decref(cmds);
	return ret;
}

int run_input(const struct options *o, const char *text)
{
	struct diag_list diags;
	struct parse_ctx ctx;
	int ret;

	diag_list_init(&diags);
	parse_ctx_init(&ctx, &diags);
	ret = read_input(&ctx, o, text);
	if (ret == 0)
		ret = run_transaction(o, &ctx);
	diag_print(&diags, stderr);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	return ret;
}
