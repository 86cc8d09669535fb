// SPDX-License-Identifier: GPL-2.0-only
#include <jansson.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "endura.h"
#include "fields.h"
#include "hooks.h"
#include "xalloc.h"

/* Text crosses to endurd as JSON, which carries UTF-8 only: other bytes would arrive changed.
 * ASCII, what nearly every path is, needs no decoding. */
static int check_utf8(const struct value *value, struct diag_list *diags)
{
	json_t *probe;

	for (const unsigned char *c = (const unsigned char *)value->text; *c < 0x80; c++)
		if (!*c)
			return 0;
	probe = json_string(value->text);
	if (probe) {
		json_decref(probe);
		return 0;
	}
	diag_error(diags, &value->loc, "'%s' is not valid UTF-8", value->text);
	return -1;
}

/* A component of "." or "..", or an empty one before another: what follows a '/' at @rest. */
static bool dot_or_empty_component(const char *rest)
{
	if (rest[0] == '.')
		rest += rest[1] == '.' ? 2 : 1;
	else if (rest[0] != '/')
		return false;
	return rest[0] == '/' || rest[0] == '\0';
}

/* No //, /./ or /../ in @text, nor a last component of . or .. */
static bool canonical(const char *text)
{
	for (const char *slash = strchr(text, '/'); slash; slash = strchr(slash + 1, '/'))
		if (dot_or_empty_component(slash + 1))
			return false;
	return true;
}

/* Paths are compared as strings by the kernel side: only canonical absolute paths can match. */
static int check_path(const struct value *value, bool subtree_allowed, struct diag_list *diags)
{
	const char *text = value->text;
	size_t len = strlen(text);

	if (check_utf8(value, diags) < 0)
		return -1;
	if (value->kind != VALUE_STRING || text[0] != '/') {
		diag_error(diags, &value->loc, "'%s' is not an absolute path", text);
		return -1;
	}
	if (!canonical(text)) {
		diag_error(diags, &value->loc, "path '%s' is not canonical (no //, . or .. components)",
			   text);
		return -1;
	}
	if (len + 1 > ENDURA_PATH_MAX) {
		diag_error(diags, &value->loc, "path '%s' is longer than %d bytes", text,
			   ENDURA_PATH_MAX - 1);
		return -1;
	}
	if (!subtree_allowed && text[len - 1] == '/') {
		diag_error(diags, &value->loc, "'%s' names a directory; exe takes an executable file",
			   text);
		return -1;
	}
	return 0;
}

static int check_uid(struct value *value, struct diag_list *diags)
{
	struct passwd *pw;

	if (value->kind == VALUE_NUMBER) {
		if (value->number >= UINT32_MAX) {
			diag_error(diags, &value->loc, "uid %s is out of range", value->text);
			return -1;
		}
		return 0;
	}
	pw = getpwnam(value->text);
	if (!pw) {
		diag_error(diags, &value->loc, "unknown user '%s'", value->text);
		return -1;
	}
	value->kind = VALUE_NUMBER;
	value->number = pw->pw_uid;
	free(value->text);
	value->text = xasprintf("%u", (unsigned int)pw->pw_uid);
	return 0;
}

static int check_access(struct value *value, struct diag_list *diags)
{
	const char *hint;

	if (access_lookup(value->text) >= 0)
		return 0;
	hint = diag_suggest(value->text, access_names, ACCESS_COUNT);
	if (hint) {
		diag_error(diags, &value->loc, "unknown access mode '%s'; did you mean '%s'?",
			   value->text, hint);
	} else {
		char *choices = diag_choices(access_names, ACCESS_COUNT);

		diag_error(diags, &value->loc, "unknown access mode '%s'; expected %s", value->text,
			   choices);
		free(choices);
	}
	return -1;
}

static bool access_covers(const struct value *value, unsigned int op_value)
{
	return access_lookup(value->text) & (int)access_of_value(op_value);
}

static int check_capability(struct value *value, struct diag_list *diags)
{
	return check_named_value(value, &capabilities, diags);
}

static int check_bpf_command(struct value *value, struct diag_list *diags)
{
	return check_named_value(value, &bpf_commands, diags);
}

static int check_module_source(struct value *value, struct diag_list *diags)
{
	return check_named_value(value, &module_sources, diags);
}

static int check_signal(struct value *value, struct diag_list *diags)
{
	return check_named_value(value, &signals, diags);
}

/* A value written by name holds for its number alone. */
static bool number_covers(const struct value *value, unsigned int op_value)
{
	return value->number == op_value;
}

static int check_path_or_subtree(struct value *value, struct diag_list *diags)
{
	return check_path(value, true, diags);
}

static int check_file(struct value *value, struct diag_list *diags)
{
	return check_path(value, false, diags);
}

const struct field_desc field_descs[FIELD_COUNT] = {
	[FIELD_PATH] = {
		.name = "path",
		.set_type = SET_TYPE_PATH,
		.values = "path",
		.check = check_path_or_subtree,
		.vmap_key = true,
		.need = ENDURA_NEED_PATH,
		.path_dimension = true,
	},
	[FIELD_ACCESS] = {
		.name = "access",
		.set_type = SET_TYPE_COUNT,
		.values = "access modes",
		.check = check_access,
		.covers = access_covers,
	},
	[FIELD_EXE] = {
		.name = "exe",
		.set_type = SET_TYPE_PATH,
		.values = "path",
		.check = check_file,
		.vmap_key = true,
		.need = ENDURA_NEED_EXE,
	},
	[FIELD_UID] = {
		.name = "uid",
		.set_type = SET_TYPE_UID,
		.values = "uid",
		.check = check_uid,
		.by_number = true,
		.vmap_key = true,
		.need = ENDURA_NEED_UID,
	},
	[FIELD_CAPABILITY] = {
		.name = "capability",
		.set_type = SET_TYPE_COUNT,
		.values = "capabilities",
		.check = check_capability,
		.covers = number_covers,
		.names = &capabilities,
		.by_number = true,
	},
	[FIELD_BPF_COMMAND] = {
		.name = "command",
		.set_type = SET_TYPE_COUNT,
		.values = "bpf commands",
		.check = check_bpf_command,
		.covers = number_covers,
		.names = &bpf_commands,
		.by_number = true,
	},
	[FIELD_MODULE_SOURCE] = {
		.name = "source",
		.set_type = SET_TYPE_COUNT,
		.values = "module sources",
		.check = check_module_source,
		.covers = number_covers,
		.names = &module_sources,
		.by_number = true,
	},
	[FIELD_SIGNAL] = {
		.name = "signal",
		.set_type = SET_TYPE_COUNT,
		.values = "signals",
		.check = check_signal,
		.covers = number_covers,
		.names = &signals,
		.by_number = true,
	},
	/* the object's path on the hooks whose object is a process: its executable's */
	[FIELD_TARGET] = {
		.name = "target",
		.set_type = SET_TYPE_PATH,
		.values = "path",
		.check = check_path_or_subtree,
		.vmap_key = true,
		.need = ENDURA_NEED_PATH,
		.path_dimension = true,
	},
};

enum match_field field_dimension(enum match_field field)
{
	return field_descs[field].path_dimension ? FIELD_PATH : field;
}

enum match_field set_type_field(enum set_type type)
{
	for (unsigned int field = 0; field < FIELD_COUNT; field++)
		if (field_descs[field].set_type == type)
			return (enum match_field)field;
	return FIELD_COUNT;
}

bool field_same_value(enum match_field field, const struct value *a, const struct value *b)
{
	if (field_descs[field].by_number)
		return a->number == b->number;
	return strcmp(a->text, b->text) == 0;
}
