// SPDX-License-Identifier: GPL-2.0-only
/* The text printer. Its output is canonical (one spelling for one ruleset, tab-indented like nft)
 * and valid input: parsing it and printing again gives the same bytes.
 *
 *   table NAME {
 *   	mode enforce|audit
 *   	set NAME { ... }		sets first, then chains, a blank line between them
 *   	chain NAME { ... }
 *   }
 *
 * In a rule: the matches as written, then counter, log, the verdict and the comment. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "print.h"

/* Bytes that may stand in a bare word; the scanner's {word} pattern, which also keeps '@' out of
 * the first place (a set reference) and gives all-digit words to numbers. */
static bool word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80 || strchr("/._+:@~-", c);
}

static bool needs_quotes(const char *text)
{
	bool digits = true;

	/* a lone ':' is the separator of a verdict map */
	if (text[0] == '\0' || text[0] == '@' || strcmp(text, ":") == 0)
		return true;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (!word_char(*p))
			return true;
		digits &= *p >= '0' && *p <= '9';
	}
	return digits;
}

static void print_quoted(FILE *out, const char *text)
{
	fputc('"', out);
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/* A name or a value: bare when it scans back as the same word, quoted otherwise. */
static void print_string(FILE *out, const char *text)
{
	if (!text)
		text = "";
	if (needs_quotes(text))
		print_quoted(out, text);
	else
		fputs(text, out);
}

static void print_value(FILE *out, const struct value *value)
{
	if (value->kind == VALUE_NUMBER)
		fprintf(out, "%" PRIu64, value->number);
	else
		print_string(out, value->text);
}

static void print_values(FILE *out, const struct list_head *values, bool braces)
{
	const struct value *value;
	const char *sep = "";

	if (!braces) {
		list_for_each_entry(value, values, list)
			print_value(out, value);
		return;
	}
	fputs("{ ", out);
	list_for_each_entry(value, values, list) {
		fputs(sep, out);
		print_value(out, value);
		sep = ", ";
	}
	fputs(list_empty(values) ? "}" : " }", out);
}

/* "exe vmap { /usr/bin/curl : deny, /usr/bin/wget : accept }": the ':' stands apart, since a
 * word may hold one. */
static void print_vmap(FILE *out, const struct match *match)
{
	const struct value *value;
	const char *sep = "";

	fprintf(out, "%s vmap { ", field_name(match->field));
	list_for_each_entry(value, &match->values, list) {
		fputs(sep, out);
		print_value(out, value);
		fprintf(out, " : %s", verdict_name(value->verdict));
		sep = ", ";
	}
	fputs(" }", out);
}

static void print_match(FILE *out, const struct match *match)
{
	if (match->vmap) {
		print_vmap(out, match);
		return;
	}
	fprintf(out, "%s %s", field_name(match->field), match->op == OP_NEQ ? "!= " : "");
	if (match->set_name) {
		fputc('@', out);
		print_string(out, match->set_name);
	} else {
		/* several values without braces cannot be written: print them as a set */
		bool braces = match->braces || (!list_empty(&match->values) &&
						match->values.next->next != &match->values);

		print_values(out, &match->values, braces);
	}
}

static void print_handle(FILE *out, uint64_t handle, unsigned int flags)
{
	if (flags & PRINT_HANDLES)
		fprintf(out, " # handle %" PRIu64, handle);
}

void print_rule(FILE *out, const struct rule *rule, unsigned int flags)
{
	const struct match *match;
	const char *sep = "";

	list_for_each_entry(match, &rule->matches, list) {
		fputs(sep, out);
		print_match(out, match);
		sep = " ";
	}
	if (rule->counter) {
		fprintf(out, "%scounter", sep);
		if ((flags & (PRINT_HANDLES | PRINT_STATELESS)) == PRINT_HANDLES)
			fprintf(out, " hits %" PRIu64, rule->counter_hits);
		sep = " ";
	}
	if (rule->log) {
		fprintf(out, "%slog", sep);
		sep = " ";
	}
	if (rule->verdict != VERDICT_NONE) {
		fprintf(out, "%s%s", sep, verdict_name(rule->verdict));
		sep = " ";
	}
	if (rule->comment) {
		fprintf(out, "%scomment ", sep);
		print_quoted(out, rule->comment);
	}
	print_handle(out, rule->handle, flags);
}

/* "table host {", "\tchain files {" ..., with the handle comment under -a, and a line break. */
static void print_block_start(FILE *out, const char *keyword, const char *name, uint64_t handle,
			      unsigned int flags)
{
	fputs(keyword, out);
	print_string(out, name);
	fputs(" {", out);
	print_handle(out, handle, flags);
	fputc('\n', out);
}

/* A table's, set's or chain's comment: a line of its own in the body. */
static void print_comment(FILE *out, const char *indent, const char *comment)
{
	if (!comment)
		return;
	fprintf(out, "%scomment ", indent);
	print_quoted(out, comment);
	fputc('\n', out);
}

static void print_set(FILE *out, const struct set *set, unsigned int flags)
{
	print_block_start(out, "\tset ", set->name, set->handle, flags);
	fprintf(out, "\t\ttype %s\n", set_type_name(set->type));
	print_comment(out, "\t\t", set->comment);
	if (!list_empty(&set->elements) && !(flags & PRINT_TERSE)) {
		fputs("\t\telements = ", out);
		print_values(out, &set->elements, true);
		fputc('\n', out);
	}
	fputs("\t}\n", out);
}

static void print_chain(FILE *out, const struct chain *chain, unsigned int flags)
{
	const struct rule *rule;

	print_block_start(out, "\tchain ", chain->name, chain->handle, flags);
	if (chain->has_hook)
		fprintf(out, "\t\thook %s; policy %s\n", hook_name(chain->hook),
			verdict_name(chain->policy));
	print_comment(out, "\t\t", chain->comment);
	list_for_each_entry(rule, &chain->rules, list) {
		fputs("\t\t", out);
		print_rule(out, rule, flags);
		fputc('\n', out);
	}
	fputs("\t}\n", out);
}

static void print_table(FILE *out, const struct table *table, unsigned int flags)
{
	const struct chain *chain;
	const struct set *set;
	const char *sep = "";

	print_block_start(out, "table ", table->name, table->handle, flags);
	fprintf(out, "\tmode %s\n", mode_name(table->mode));
	print_comment(out, "\t", table->comment);
	list_for_each_entry(set, &table->sets, list) {
		fputs(sep, out);
		print_set(out, set, flags);
		sep = "\n";
	}
	list_for_each_entry(chain, &table->chains, list) {
		fputs(sep, out);
		print_chain(out, chain, flags);
		sep = "\n";
	}
	fputs("}\n", out);
}

void print_ruleset(FILE *out, const struct ruleset *ruleset, unsigned int flags)
{
	const struct table *table;

	list_for_each_entry(table, &ruleset->tables, list)
		print_table(out, table, flags);
}

static const char *const cmd_op_words[] = {
	[CMD_ADD] = "add", [CMD_INSERT] = "insert", [CMD_REPLACE] = "replace",
	[CMD_DELETE] = "delete", [CMD_FLUSH] = "flush",
};

static const char *const cmd_object_words[] = {
	[CMD_OBJ_RULESET] = "ruleset", [CMD_OBJ_TABLE] = "table", [CMD_OBJ_CHAIN] = "chain",
	[CMD_OBJ_SET] = "set", [CMD_OBJ_RULE] = "rule", [CMD_OBJ_ELEMENT] = "element",
};

/* "TABLE", "TABLE CHAIN" or "TABLE SET": the names a command's object goes by. */
static void print_target(FILE *out, const struct cmd *cmd)
{
	const struct cmd_target *t = &cmd->target;

	fputc(' ', out);
	print_string(out, t->table);
	if (cmd->object == CMD_OBJ_CHAIN || cmd->object == CMD_OBJ_RULE) {
		fputc(' ', out);
		print_string(out, t->chain);
	} else if (cmd->object == CMD_OBJ_SET || cmd->object == CMD_OBJ_ELEMENT) {
		fputc(' ', out);
		print_string(out, t->set);
	}
}

void print_cmd(FILE *out, const struct cmd *cmd)
{
	const struct cmd_target *t = &cmd->target;

	if (cmd->op == CMD_ADD && cmd->object == CMD_OBJ_TABLE &&
	    (!list_empty(&cmd->table->sets) || !list_empty(&cmd->table->chains))) {
		print_table(out, cmd->table, 0);
		return;
	}
	fprintf(out, "%s %s", cmd_op_words[cmd->op], cmd_object_words[cmd->object]);
	if (cmd->object != CMD_OBJ_RULESET)
		print_target(out, cmd);
	if (cmd->object == CMD_OBJ_RULE) {
		if (t->has_position)
			fprintf(out, " position %" PRIu64, t->position);
		if (cmd->op == CMD_REPLACE || cmd->op == CMD_DELETE)
			fprintf(out, " handle %" PRIu64, t->handle);
		if (cmd->rule) {
			fputc(' ', out);
			print_rule(out, cmd->rule, 0);
		}
	} else if (cmd->object == CMD_OBJ_ELEMENT) {
		fputc(' ', out);
		print_values(out, &cmd->set->elements, true);
	} else if (cmd->op == CMD_ADD && cmd->object == CMD_OBJ_TABLE &&
		   (cmd->table->has_mode || cmd->table->comment)) {
		fputs(" {", out);
		if (cmd->table->has_mode)
			fprintf(out, " mode %s;", mode_name(cmd->table->mode));
		if (cmd->table->comment) {
			fputs(" comment ", out);
			print_quoted(out, cmd->table->comment);
			fputc(';', out);
		}
		fputs(" }", out);
	} else if (cmd->op == CMD_ADD && cmd->object == CMD_OBJ_CHAIN &&
		   (cmd->chain->has_hook || cmd->chain->comment)) {
		fputs(" {", out);
		if (cmd->chain->has_hook)
			fprintf(out, " hook %s; policy %s;", hook_name(cmd->chain->hook),
				verdict_name(cmd->chain->policy));
		if (cmd->chain->comment) {
			fputs(" comment ", out);
			print_quoted(out, cmd->chain->comment);
			fputc(';', out);
		}
		fputs(" }", out);
	} else if (cmd->op == CMD_ADD && cmd->object == CMD_OBJ_SET) {
		fprintf(out, " { type %s;", set_type_name(cmd->set->type));
		if (!list_empty(&cmd->set->elements)) {
			fputs(" elements = ", out);
			print_values(out, &cmd->set->elements, true);
			fputc(';', out);
		}
		if (cmd->set->comment) {
			fputs(" comment ", out);
			print_quoted(out, cmd->set->comment);
			fputc(';', out);
		}
		fputs(" }", out);
	}
	fputc('\n', out);
}
