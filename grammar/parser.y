/* SPDX-License-Identifier: GPL-2.0-only */
/* The grammar of the rule language: rules files and command lines become struct cmd, appended to
 * the parse context in input order. Syntax errors are recorded with their location and parsing
 * resumes at the next statement or rule, so one run reports several. Names and values may be
 * spelt like keywords: the "identifier" and "value" rules take every keyword token. */

%define api.pure full
%define api.location.type {struct location}
%define parse.error custom
%define parse.lac full
%locations

%lex-param {void *scanner}
%parse-param {void *scanner} {struct parser_state *state}

%code requires {
#include "location.h"
#include "ruleset.h"

struct parser_state;
}

%code {
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hooks.h"
#include "parse_internal.h"
#include "xalloc.h"

/* A span runs from the first symbol's start to the last one's end; an empty one sits at the end
 * of the symbol before it. */
#define YYLLOC_DEFAULT(cur, rhs, n)						\
	do {									\
		if (n) {							\
			(cur).input = YYRHSLOC(rhs, 1).input;			\
			(cur).first_line = YYRHSLOC(rhs, 1).first_line;		\
			(cur).first_column = YYRHSLOC(rhs, 1).first_column;	\
			(cur).last_line = YYRHSLOC(rhs, n).last_line;		\
			(cur).last_column = YYRHSLOC(rhs, n).last_column;	\
		} else {							\
			(cur).input = YYRHSLOC(rhs, 0).input;			\
			(cur).first_line = (cur).last_line =			\
				YYRHSLOC(rhs, 0).last_line;			\
			(cur).first_column = (cur).last_column =		\
				YYRHSLOC(rhs, 0).last_column;			\
		}								\
	} while (0)

int yylex(YYSTYPE *yylval, YYLTYPE *yylloc, void *scanner);

static void yyerror(const YYLTYPE *loc, void *scanner, struct parser_state *state, const char *msg)
{
	(void)scanner;
	diag_error(state->ctx->diags, loc, "%s", msg);
}

#define DIAGS (state->ctx->diags)

static const char *const mode_names[] = { [MODE_ENFORCE] = "enforce", [MODE_AUDIT] = "audit" };
static const char *const policy_names[] = { "accept", "deny" };

/* ", expecting a, b or c" */
static void print_choices(FILE *out, const char *const *names, unsigned int count)
{
	char *choices = diag_choices(names, count);

	if (count)
		fprintf(out, ", expecting %s", choices);
	free(choices);
}

/* Looks up a word that must be one of @names; records an error with a hint otherwise. */
static int lookup_word(struct parser_state *state, const struct location *loc, const char *what,
		       const char *word, const char *const *names, unsigned int count)
{
	const char *hint;
	char *choices = NULL;
	size_t size;
	FILE *out;

	for (unsigned int i = 0; i < count; i++)
		if (strcmp(word, names[i]) == 0)
			return (int)i;
	hint = diag_suggest(word, names, count);
	if (hint) {
		diag_error(DIAGS, loc, "unknown %s '%s'; did you mean '%s'?", what, word, hint);
		return -1;
	}
	out = open_memstream(&choices, &size);
	if (!out)
		abort();
	print_choices(out, names, count);
	fclose(out);
	diag_error(DIAGS, loc, "unknown %s '%s'%s", what, word, choices);
	free(choices);
	return -1;
}

/* Right-hand sides are built as a match without a field: its values, braces and set name. */
static struct match *rhs_new(const struct location *loc)
{
	return match_new(FIELD_PATH, loc);
}

static struct match *rhs_value(struct value *value, const struct location *loc)
{
	struct match *rhs = rhs_new(loc);

	list_add_tail(&value->list, &rhs->values);
	return rhs;
}

/* Expands $name: a copy of the symbol's value, locations pointing at the definition. */
static struct match *rhs_variable(struct parser_state *state, char *name, const struct location *loc)
{
	struct symbol *symbol = symbol_lookup(state->ctx, name);
	struct match *rhs = rhs_new(loc);
	const struct value *value;

	if (!symbol) {
		unsigned int count;
		const char **names = symbol_names(state->ctx, &count);
		const char *hint = diag_suggest(name, names, count);

		if (hint)
			diag_error(DIAGS, loc, "undefined variable '$%s'; did you mean '$%s'?", name, hint);
		else
			diag_error(DIAGS, loc, "undefined variable '$%s'", name);
		free(names);
		free(name);
		return rhs;
	}
	symbol->used = true;
	rhs->braces = symbol->value->braces;
	rhs->set_name = xstrdup(symbol->value->set_name);
	list_for_each_entry(value, &symbol->value->values, list)
		list_add_tail(&value_new(value->kind, value->text, value->number, &value->loc)->list,
			      &rhs->values);
	free(name);
	return rhs;
}

/* Adds the values of @item to the brace list @list; a set reference has no place there. */
static void brace_append(struct parser_state *state, struct match *list, struct match *item,
			 const struct location *loc)
{
	if (item->set_name)
		diag_error(DIAGS, loc, "a set reference cannot be a member of a set");
	list_splice_tail_init(&item->values, &list->values);
	match_free(item);
}

static struct match *match_finish(struct parser_state *state, struct match *rhs,
				  enum match_field field, enum match_op op,
				  const struct location *loc, const struct location *field_loc)
{
	rhs->field = field;
	rhs->op = op;
	rhs->loc = *loc;
	rhs->field_loc = *field_loc;
	if (rhs->braces && list_empty(&rhs->values) && !rhs->set_name)
		diag_error(DIAGS, loc, "empty set of values in match");
	return rhs;
}

/* Folds the rule fragment @elem (one match or statement) into @rule. */
static void rule_merge(struct parser_state *state, struct rule *rule, struct rule *elem)
{
	if (elem->counter) {
		if (rule->counter)
			diag_error(DIAGS, &elem->loc, "rule already has a counter");
		rule->counter = true;
	}
	if (elem->log) {
		if (rule->log)
			diag_error(DIAGS, &elem->loc, "rule already has a log statement");
		rule->log = true;
	}
	if (elem->verdict != VERDICT_NONE) {
		if (rule->verdict != VERDICT_NONE)
			diag_error(DIAGS, &elem->loc, "rule already has verdict '%s'",
				   verdict_name(rule->verdict));
		else
			rule->verdict = elem->verdict;
	}
	if (elem->comment) {
		if (rule->comment) {
			diag_error(DIAGS, &elem->loc, "rule already has a comment");
		} else {
			rule->comment = elem->comment;
			elem->comment = NULL;
		}
	}
	list_splice_tail_init(&elem->matches, &rule->matches);
	rule_free(elem);
}

static void set_finish(struct parser_state *state, struct set *set, char *name,
		       const struct location *loc)
{
	set->name = name;
	set->loc = *loc;
	if (!state->set_has_type)
		diag_error(DIAGS, loc, "set '%s' has no type: add 'type path' or 'type uid'", name);
}

static void chain_finish(struct chain *chain, char *name, const struct location *loc)
{
	chain->name = name;
	chain->loc = *loc;
}

static struct cmd *cmd_target(enum cmd_op op, enum cmd_object object, const struct location *loc,
			      char *table, const struct location *table_loc)
{
	struct cmd *cmd = cmd_new(op, object, loc);

	cmd->target.table = table;
	cmd->target.table_loc = *table_loc;
	return cmd;
}

static struct cmd *cmd_table(const struct location *loc, char *name,
			     const struct location *name_loc, struct table *table)
{
	struct cmd *cmd = cmd_target(CMD_ADD, CMD_OBJ_TABLE, loc, name, name_loc);

	table->name = xstrdup(name);
	table->loc = *name_loc;
	cmd->table = table;
	return cmd;
}

static struct cmd *cmd_chain(enum cmd_op op, const struct location *loc, char *table,
			     const struct location *table_loc, char *chain,
			     const struct location *chain_loc)
{
	struct cmd *cmd = cmd_target(op, CMD_OBJ_CHAIN, loc, table, table_loc);

	cmd->target.chain = chain;
	cmd->target.chain_loc = *chain_loc;
	return cmd;
}

static struct cmd *cmd_set(enum cmd_op op, const struct location *loc, char *table,
			   const struct location *table_loc, char *set, const struct location *set_loc)
{
	struct cmd *cmd = cmd_target(op, CMD_OBJ_SET, loc, table, table_loc);

	cmd->target.set = set;
	cmd->target.set_loc = *set_loc;
	return cmd;
}

static struct cmd *cmd_rule(struct parser_state *state, enum cmd_op op,
			    const struct location *loc, char *table,
			    const struct location *table_loc, char *chain,
			    const struct location *chain_loc, struct rule *rule)
{
	struct cmd *cmd = cmd_chain(op, loc, table, table_loc, chain, chain_loc);

	/* in a chain body such a line is the chain's comment; as a rule it would do nothing */
	if (rule && list_empty(&rule->matches) && !rule->counter && !rule->log &&
	    rule->verdict == VERDICT_NONE)
		diag_error(DIAGS, &rule->loc,
			   "a comment alone is no rule: add a match, a statement or a verdict");

	cmd->object = CMD_OBJ_RULE;
	cmd->rule = rule;
	return cmd;
}

/* A handle as written: a positive number; 0 names no object. */
static uint64_t handle_value(struct parser_state *state, char *text, const struct location *loc)
{
	uint64_t handle;

	errno = 0;
	handle = strtoull(text, NULL, 10);
	if (errno || handle == 0)
		diag_error(DIAGS, loc, "'%s' is not a handle", text);
	free(text);
	return handle;
}

static void cmd_handle(struct parser_state *state, struct cmd *cmd, char *text,
		       const struct location *loc)
{
	cmd->target.handle = handle_value(state, text, loc);
	cmd->target.handle_loc = *loc;
}

static void cmd_position(struct parser_state *state, struct cmd *cmd, char *text,
			 const struct location *loc)
{
	cmd->target.position = handle_value(state, text, loc);
	cmd->target.has_position = true;
	cmd->target.position_loc = *loc;
}

/* "add element host shells { /bin/zsh }": the elements travel in a set named like the target. */
static struct cmd *cmd_elements(struct parser_state *state, enum cmd_op op,
				const struct location *loc, char *table,
				const struct location *table_loc, char *set,
				const struct location *set_loc, struct match *rhs,
				const struct location *rhs_loc)
{
	struct cmd *cmd = cmd_set(op, loc, table, table_loc, set, set_loc);

	cmd->object = CMD_OBJ_ELEMENT;
	cmd->set = set_new(set, set_loc);
	if (rhs->set_name)
		diag_error(DIAGS, rhs_loc, "elements must be values, not a set reference");
	list_splice_tail_init(&rhs->values, &cmd->set->elements);
	match_free(rhs);
	return cmd;
}

static void set_comment(struct parser_state *state, char **comment, char *text,
			const struct location *loc, const char *what)
{
	if (*comment) {
		diag_error(DIAGS, loc, "%s already has a comment", what);
		free(text);
		return;
	}
	*comment = text;
}

static bool valid_variable_name(const char *name)
{
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
	      name[0] == '_'))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
	       strlen(name);
}
}

%initial-action {
	@$.input = state->input;
	@$.first_line = @$.last_line = 1;
	@$.first_column = @$.last_column = 1;
}

%union {
	char *string;
	const char *keyword;
	enum match_field field;
	enum verdict verdict;
	struct value *value;
	struct match *match;
	struct rule *rule;
	struct chain *chain;
	struct set *set;
	struct table *table;
	struct cmd *cmd;
}

/* Keywords first, in the order messages list them. */
%token <keyword> TABLE "table" CHAIN "chain" SET "set" RULE "rule" RULESET "ruleset"
%token <keyword> ADD "add" INSERT "insert" REPLACE "replace" DELETE "delete" FLUSH "flush"
%token <keyword> ELEMENT "element" POSITION "position"
%token <keyword> DEFINE "define" REDEFINE "redefine" UNDEFINE "undefine" INCLUDE "include"
%token <keyword> MODE "mode" TYPE "type" ELEMENTS "elements" HOOK "hook" POLICY "policy"
%token <keyword> HANDLE "handle"
%token <keyword> PATH "path" ACCESS "access" EXE "exe" UID "uid" CAPABILITY "capability"
%token <keyword> COMMAND "command" SOURCE "source" SIGNAL "signal" TARGET "target" VMAP "vmap"
%token <keyword> COUNTER "counter" HITS "hits" LOG "log" COMMENT "comment"
%token <keyword> ACCEPT "accept" DENY "deny"

/* Then punctuation, then literals: "expecting '==', '!=' or value". */
%token NEWLINE "newline" SEMICOLON "';'"
%token EQ "'=='" NEQ "'!='" ASSIGN "'='" LBRACE "'{'" RBRACE "'}'" COMMA "','" COLON "':'"
%token <string> STRING "string" QUOTED "quoted string" NUMBER "number"
%token <string> SET_REF "set reference" VARIABLE "variable"
%token JUNK "invalid token"

%type <keyword> keyword
%type <string> identifier text
%type <field> field
%type <value> value
%type <match> match rhs brace_list brace_items brace_item vmap_list vmap_items
%type <value> vmap_item
%type <verdict> vmap_verdict
%type <rule> rule rule_elem
%type <chain> chain_block chain_alloc
%type <set> set_block set_alloc
%type <table> table_block table_alloc
%type <cmd> cmd

%destructor { free($$); } <string>
%destructor { value_free($$); } <value>
%destructor { match_free($$); } <match>
%destructor { rule_free($$); } <rule>
%destructor { chain_free($$); } <chain>
%destructor { set_free($$); } <set>
%destructor { table_free($$); } <table>
%destructor { if ($$) cmd_free($$); } <cmd>

%%

/* --- top level: statements separated by newlines or ';' -------------------------------------- */

input		: lines
		| lines statement
		| lines error
		| lines error junk_block
		;

lines		: %empty
		| lines sep
		| lines statement sep
		| lines error sep		{ yyerrok; }
		| lines error junk_block sep	{ yyerrok; }
		;

sep		: NEWLINE
		| SEMICOLON
		;

statement	: cmd
			{
				if ($1)
					list_add_tail(&$1->list, &state->ctx->cmds);
			}
		| DEFINE identifier ASSIGN rhs
			{
				if (!valid_variable_name($2)) {
					diag_error(DIAGS, &@2, "'%s' is not a valid variable name", $2);
					match_free($4);
				} else if (symbol_lookup(state->ctx, $2)) {
					diag_error(DIAGS, &@2, "'%s' is already defined", $2);
					match_free($4);
				} else {
					symbol_add(state->ctx, $2, $4, &@2);
				}
				free($2);
			}
		| REDEFINE identifier ASSIGN rhs
			{
				struct symbol *symbol = symbol_lookup(state->ctx, $2);

				if (!valid_variable_name($2)) {
					diag_error(DIAGS, &@2, "'%s' is not a valid variable name", $2);
					match_free($4);
				} else if (symbol) {
					match_free(symbol->value);
					symbol->value = $4;
					symbol->loc = @2;
					symbol->used = false;
				} else {
					symbol_add(state->ctx, $2, $4, &@2);
				}
				free($2);
			}
		| UNDEFINE identifier
			{
				if (!symbol_remove(state->ctx, $2))
					diag_error(DIAGS, &@2, "'%s' is not defined", $2);
				free($2);
			}
		| INCLUDE QUOTED
			{
				parse_include(state, $2, &@$);
				free($2);
			}
		;

cmd		: TABLE identifier table_block
			{ $$ = cmd_table(&@$, $2, &@2, $3); }
		| ADD TABLE identifier
			{ $$ = cmd_table(&@$, $3, &@3, table_new(NULL, NULL)); }
		| ADD TABLE identifier table_block
			{ $$ = cmd_table(&@$, $3, &@3, $4); }
		| ADD CHAIN identifier identifier
			{
				$$ = cmd_chain(CMD_ADD, &@$, $3, &@3, $4, &@4);
				$$->chain = chain_new($4, &@4);
			}
		| ADD CHAIN identifier identifier chain_block
			{
				$$ = cmd_chain(CMD_ADD, &@$, $3, &@3, $4, &@4);
				chain_finish($5, xstrdup($4), &@4);
				$$->chain = $5;
			}
		| ADD SET identifier identifier set_block
			{
				$$ = cmd_set(CMD_ADD, &@$, $3, &@3, $4, &@4);
				set_finish(state, $5, xstrdup($4), &@4);
				$$->set = $5;
			}
		| ADD RULE identifier identifier rule
			{ $$ = cmd_rule(state, CMD_ADD, &@$, $3, &@3, $4, &@4, $5); }
		| ADD RULE identifier identifier POSITION NUMBER rule
			{
				$$ = cmd_rule(state, CMD_ADD, &@$, $3, &@3, $4, &@4, $7);
				cmd_position(state, $$, $6, &@6);
			}
		| INSERT RULE identifier identifier rule
			{ $$ = cmd_rule(state, CMD_INSERT, &@$, $3, &@3, $4, &@4, $5); }
		| INSERT RULE identifier identifier POSITION NUMBER rule
			{
				$$ = cmd_rule(state, CMD_INSERT, &@$, $3, &@3, $4, &@4, $7);
				cmd_position(state, $$, $6, &@6);
			}
		| REPLACE RULE identifier identifier HANDLE NUMBER rule
			{
				$$ = cmd_rule(state, CMD_REPLACE, &@$, $3, &@3, $4, &@4, $7);
				cmd_handle(state, $$, $6, &@6);
			}
		| ADD ELEMENT identifier identifier rhs
			{ $$ = cmd_elements(state, CMD_ADD, &@$, $3, &@3, $4, &@4, $5, &@5); }
		| DELETE ELEMENT identifier identifier rhs
			{ $$ = cmd_elements(state, CMD_DELETE, &@$, $3, &@3, $4, &@4, $5, &@5); }
		| ADD RULE identifier identifier
			{
				diag_error(DIAGS, &@$,
					   "empty rule: expecting a match, a statement or a verdict");
				free($3);
				free($4);
				$$ = NULL;
			}
		| DELETE TABLE identifier
			{ $$ = cmd_target(CMD_DELETE, CMD_OBJ_TABLE, &@$, $3, &@3); }
		| DELETE CHAIN identifier identifier
			{ $$ = cmd_chain(CMD_DELETE, &@$, $3, &@3, $4, &@4); }
		| DELETE SET identifier identifier
			{ $$ = cmd_set(CMD_DELETE, &@$, $3, &@3, $4, &@4); }
		| DELETE RULE identifier identifier HANDLE NUMBER
			{
				$$ = cmd_rule(state, CMD_DELETE, &@$, $3, &@3, $4, &@4, NULL);
				cmd_handle(state, $$, $6, &@6);
			}
		| FLUSH RULESET
			{ $$ = cmd_new(CMD_FLUSH, CMD_OBJ_RULESET, &@$); }
		| FLUSH TABLE identifier
			{ $$ = cmd_target(CMD_FLUSH, CMD_OBJ_TABLE, &@$, $3, &@3); }
		| FLUSH CHAIN identifier identifier
			{ $$ = cmd_chain(CMD_FLUSH, &@$, $3, &@3, $4, &@4); }
		| FLUSH SET identifier identifier
			{ $$ = cmd_set(CMD_FLUSH, &@$, $3, &@3, $4, &@4); }
		;

/* After an error, a block in braces is skipped whole: "tabel t { ... }" is one error, not one
 * for every line of its body. */
junk_block	: LBRACE junk RBRACE
		;

junk		: %empty
		| junk junk_block
		| junk STRING		{ free($2); }
		| junk QUOTED		{ free($2); }
		| junk NUMBER		{ free($2); }
		| junk SET_REF		{ free($2); }
		| junk VARIABLE		{ free($2); }
		| junk keyword
		| junk NEWLINE
		| junk SEMICOLON
		| junk EQ
		| junk NEQ
		| junk ASSIGN
		| junk COMMA
		| junk COLON
		| junk JUNK
		;

/* --- table body ------------------------------------------------------------------------------ */

table_block	: LBRACE table_alloc table_items RBRACE	{ $$ = $2; }
		;

table_alloc	: %empty
			{
				$$ = table_new(NULL, NULL);
				state->table = $$;
			}
		;

table_items	: table_lines
		| table_lines table_item
		| table_lines error
		| table_lines error junk_block
		;

table_lines	: %empty
		| table_lines sep
		| table_lines table_item sep
		| table_lines error sep		{ yyerrok; }
		| table_lines error junk_block sep	{ yyerrok; }
		;

table_item	: MODE identifier
			{
				int mode = lookup_word(state, &@2, "mode", $2, mode_names, 2);

				if (state->table->has_mode)
					diag_error(DIAGS, &@$, "table already has a mode");
				state->table->has_mode = true;
				if (mode >= 0)
					state->table->mode = (enum table_mode)mode;
				free($2);
			}
		| SET identifier set_block
			{
				set_finish(state, $3, $2, &@2);
				list_add_tail(&$3->list, &state->table->sets);
			}
		| CHAIN identifier chain_block
			{
				chain_finish($3, $2, &@2);
				list_add_tail(&$3->list, &state->table->chains);
			}
		| COMMENT text
			{ set_comment(state, &state->table->comment, $2, &@$, "table"); }
		;

/* --- set body -------------------------------------------------------------------------------- */

set_block	: LBRACE set_alloc set_items RBRACE	{ $$ = $2; }
		;

set_alloc	: %empty
			{
				$$ = set_new(NULL, NULL);
				state->set = $$;
				state->set_has_type = false;
			}
		;

set_items	: set_lines
		| set_lines set_item
		| set_lines error
		| set_lines error junk_block
		;

set_lines	: %empty
		| set_lines sep
		| set_lines set_item sep
		| set_lines error sep		{ yyerrok; }
		| set_lines error junk_block sep	{ yyerrok; }
		;

set_item	: TYPE identifier
			{
				int type = lookup_word(state, &@2, "set type", $2, set_type_names,
						       SET_TYPE_COUNT);

				if (state->set_has_type)
					diag_error(DIAGS, &@$, "set already has a type");
				state->set_has_type = true;
				if (type >= 0)
					state->set->type = (enum set_type)type;
				free($2);
			}
		| ELEMENTS ASSIGN rhs
			{
				if ($3->set_name)
					diag_error(DIAGS, &@3, "elements must be values, not a set reference");
				list_splice_tail_init(&$3->values, &state->set->elements);
				match_free($3);
			}
		| COMMENT text
			{ set_comment(state, &state->set->comment, $2, &@$, "set"); }
		;

/* --- chain body ------------------------------------------------------------------------------ */

chain_block	: LBRACE chain_alloc chain_items RBRACE	{ $$ = $2; }
		;

chain_alloc	: %empty
			{
				$$ = chain_new(NULL, NULL);
				state->chain = $$;
				state->chain_has_policy = false;
			}
		;

chain_items	: chain_lines
		| chain_lines chain_item
		| chain_lines error
		| chain_lines error junk_block
		;

chain_lines	: %empty
		| chain_lines sep
		| chain_lines chain_item sep
		| chain_lines error sep		{ yyerrok; }
		| chain_lines error junk_block sep	{ yyerrok; }
		;

chain_item	: HOOK identifier
			{
				const char *names[HOOK_COUNT];
				int hook;

				hook_name_list(names);
				hook = lookup_word(state, &@2, "hook", $2, names, HOOK_COUNT);

				if (state->chain->has_hook)
					diag_error(DIAGS, &@$, "chain already has a hook");
				/* an unknown hook still counts as written: no follow-up errors */
				state->chain->has_hook = true;
				state->chain->hook_loc = @$;
				if (hook >= 0)
					state->chain->hook = (enum hook_type)hook;
				free($2);
			}
		| POLICY identifier
			{
				int policy = lookup_word(state, &@2, "policy", $2, policy_names, 2);

				if (state->chain_has_policy)
					diag_error(DIAGS, &@$, "chain already has a policy");
				else if (!state->chain->has_hook)
					diag_error(DIAGS, &@$, "policy without hook: write 'hook NAME; policy %s'",
						   $2);
				if (policy >= 0)
					state->chain->policy = policy ? VERDICT_DENY : VERDICT_ACCEPT;
				state->chain_has_policy = true;
				free($2);
			}
		| rule
			{
				/* a line with a comment alone comments the chain, as in nft */
				if (list_empty(&$1->matches) && !$1->counter && !$1->log &&
				    $1->verdict == VERDICT_NONE && $1->comment) {
					set_comment(state, &state->chain->comment, $1->comment, &@$,
						    "chain");
					$1->comment = NULL;
					rule_free($1);
				} else {
					list_add_tail(&$1->list, &state->chain->rules);
				}
			}
		;

/* --- rules ----------------------------------------------------------------------------------- */

rule		: rule_elem
		| rule rule_elem
			{
				rule_merge(state, $1, $2);
				$$ = $1;
				$$->loc = @$;
			}
		;

rule_elem	: match
			{
				$$ = rule_new(&@$);
				list_add_tail(&$1->list, &$$->matches);
			}
		| COUNTER
			{
				$$ = rule_new(&@$);
				$$->counter = true;
			}
		| COUNTER HITS NUMBER
			{
				$$ = rule_new(&@$);
				$$->counter = true;
				free($3);
			}
		| LOG
			{
				$$ = rule_new(&@$);
				$$->log = true;
			}
		| COMMENT text
			{
				$$ = rule_new(&@$);
				$$->comment = $2;
			}
		| ACCEPT
			{
				$$ = rule_new(&@$);
				$$->verdict = VERDICT_ACCEPT;
			}
		| DENY
			{
				$$ = rule_new(&@$);
				$$->verdict = VERDICT_DENY;
			}
		;

match		: field rhs
			{ $$ = match_finish(state, $2, $1, OP_EQ, &@$, &@1); }
		| field EQ rhs
			{ $$ = match_finish(state, $3, $1, OP_EQ, &@$, &@1); }
		| field NEQ rhs
			{ $$ = match_finish(state, $3, $1, OP_NEQ, &@$, &@1); }
		| field VMAP vmap_list
			{
				$$ = match_finish(state, $3, $1, OP_EQ, &@$, &@1);
				$$->vmap = true;
			}
		;

field		: PATH		{ $$ = FIELD_PATH; }
		| ACCESS	{ $$ = FIELD_ACCESS; }
		| EXE		{ $$ = FIELD_EXE; }
		| UID		{ $$ = FIELD_UID; }
		| CAPABILITY	{ $$ = FIELD_CAPABILITY; }
		| COMMAND	{ $$ = FIELD_BPF_COMMAND; }
		| SOURCE	{ $$ = FIELD_MODULE_SOURCE; }
		| SIGNAL	{ $$ = FIELD_SIGNAL; }
		| TARGET	{ $$ = FIELD_TARGET; }
		;

/* --- values ---------------------------------------------------------------------------------- */

rhs		: value
			{ $$ = rhs_value($1, &@$); }
		| brace_list
		| SET_REF
			{
				$$ = rhs_new(&@$);
				$$->set_name = $1;
			}
		| VARIABLE
			{ $$ = rhs_variable(state, $1, &@$); }
		;

brace_list	: LBRACE nls RBRACE
			{
				$$ = rhs_new(&@$);
				$$->braces = true;
			}
		| LBRACE nls brace_items nls RBRACE
			{
				$$ = $3;
				$$->braces = true;
				$$->loc = @$;
			}
		| LBRACE nls brace_items nls COMMA nls RBRACE
			{
				$$ = $3;
				$$->braces = true;
				$$->loc = @$;
			}
		;

brace_items	: brace_item
			{
				$$ = rhs_new(&@$);
				brace_append(state, $$, $1, &@1);
			}
		| brace_items nls COMMA nls brace_item
			{
				$$ = $1;
				brace_append(state, $$, $5, &@5);
			}
		;

brace_item	: value
			{ $$ = rhs_value($1, &@$); }
		| VARIABLE
			{ $$ = rhs_variable(state, $1, &@$); }
		;

/* A verdict map: { key : verdict, ... }. The ':' must stand apart from the key ("/a : deny"):
 * a word may hold ':', so "/a: deny" scans as the key "/a:". */
vmap_list	: LBRACE nls vmap_items nls RBRACE
			{
				$$ = $3;
				$$->braces = true;
				$$->loc = @$;
			}
		| LBRACE nls vmap_items nls COMMA nls RBRACE
			{
				$$ = $3;
				$$->braces = true;
				$$->loc = @$;
			}
		;

vmap_items	: vmap_item
			{
				$$ = rhs_new(&@$);
				list_add_tail(&$1->list, &$$->values);
			}
		| vmap_items nls COMMA nls vmap_item
			{
				$$ = $1;
				list_add_tail(&$5->list, &$$->values);
			}
		;

vmap_item	: value COLON vmap_verdict
			{
				$$ = $1;
				$$->verdict = $3;
			}
		| value vmap_verdict
			{
				size_t len = strlen($1->text);

				$$ = $1;
				$$->verdict = $2;
				if (len > 1 && $1->text[len - 1] == ':') {
					$1->text[len - 1] = '\0';
					diag_error(DIAGS, &@1, "the ':' after '%s' is read as part of "
						   "the key: write '%s : %s' (or quote the key)",
						   $1->text, $1->text, verdict_name($2));
				} else {
					diag_error(DIAGS, &@$, "missing ':' between the key '%s' and "
						   "its verdict", $1->text);
				}
			}
		;

vmap_verdict	: ACCEPT	{ $$ = VERDICT_ACCEPT; }
		| DENY		{ $$ = VERDICT_DENY; }
		;

nls		: %empty
		| nls NEWLINE
		;

value		: STRING
			{
				$$ = value_new(VALUE_STRING, NULL, 0, &@$);
				$$->text = $1;
			}
		| QUOTED
			{
				$$ = value_new(VALUE_STRING, NULL, 0, &@$);
				$$->text = $1;
			}
		| NUMBER
			{
				$$ = value_new(VALUE_NUMBER, NULL, strtoull($1, NULL, 10), &@$);
				$$->text = $1;
			}
		| keyword
			{ $$ = value_new(VALUE_STRING, $1, 0, &@$); }
		;

identifier	: STRING
		| QUOTED
		| keyword
			{ $$ = xstrdup($1); }
		;

text		: identifier
		| NUMBER
		;

keyword		: TABLE | CHAIN | SET | RULE | RULESET
		| ADD | INSERT | REPLACE | DELETE | FLUSH | ELEMENT | POSITION
		| DEFINE | REDEFINE | UNDEFINE | INCLUDE
		| MODE | TYPE | ELEMENTS | HOOK | POLICY | HANDLE
		| PATH | ACCESS | EXE | UID | CAPABILITY | COMMAND | SOURCE | SIGNAL | TARGET | VMAP
		| COUNTER | HITS | LOG | COMMENT
		| ACCEPT | DENY
		;

%%

static const struct keyword {
	const char *name;
	int token;
	yysymbol_kind_t symbol;
} keywords[] = {
	{ "accept", ACCEPT, YYSYMBOL_ACCEPT },
	{ "access", ACCESS, YYSYMBOL_ACCESS },
	{ "add", ADD, YYSYMBOL_ADD },
	{ "capability", CAPABILITY, YYSYMBOL_CAPABILITY },
	{ "chain", CHAIN, YYSYMBOL_CHAIN },
	{ "command", COMMAND, YYSYMBOL_COMMAND },
	{ "comment", COMMENT, YYSYMBOL_COMMENT },
	{ "counter", COUNTER, YYSYMBOL_COUNTER },
	{ "define", DEFINE, YYSYMBOL_DEFINE },
	{ "delete", DELETE, YYSYMBOL_DELETE },
	{ "deny", DENY, YYSYMBOL_DENY },
	{ "element", ELEMENT, YYSYMBOL_ELEMENT },
	{ "elements", ELEMENTS, YYSYMBOL_ELEMENTS },
	{ "exe", EXE, YYSYMBOL_EXE },
	{ "flush", FLUSH, YYSYMBOL_FLUSH },
	{ "handle", HANDLE, YYSYMBOL_HANDLE },
	{ "hits", HITS, YYSYMBOL_HITS },
	{ "hook", HOOK, YYSYMBOL_HOOK },
	{ "include", INCLUDE, YYSYMBOL_INCLUDE },
	{ "insert", INSERT, YYSYMBOL_INSERT },
	{ "log", LOG, YYSYMBOL_LOG },
	{ "mode", MODE, YYSYMBOL_MODE },
	{ "path", PATH, YYSYMBOL_PATH },
	{ "policy", POLICY, YYSYMBOL_POLICY },
	{ "position", POSITION, YYSYMBOL_POSITION },
	{ "redefine", REDEFINE, YYSYMBOL_REDEFINE },
	{ "replace", REPLACE, YYSYMBOL_REPLACE },
	{ "rule", RULE, YYSYMBOL_RULE },
	{ "ruleset", RULESET, YYSYMBOL_RULESET },
	{ "set", SET, YYSYMBOL_SET },
	{ "signal", SIGNAL, YYSYMBOL_SIGNAL },
	{ "source", SOURCE, YYSYMBOL_SOURCE },
	{ "table", TABLE, YYSYMBOL_TABLE },
	{ "target", TARGET, YYSYMBOL_TARGET },
	{ "type", TYPE, YYSYMBOL_TYPE },
	{ "uid", UID, YYSYMBOL_UID },
	{ "undefine", UNDEFINE, YYSYMBOL_UNDEFINE },
	{ "vmap", VMAP, YYSYMBOL_VMAP },
};

#define KEYWORD_COUNT (sizeof(keywords) / sizeof(keywords[0]))

static int keyword_compare(const void *key, const void *entry)
{
	return strcmp(key, ((const struct keyword *)entry)->name);
}

int keyword_lookup(const char *word, const char **name)
{
	const struct keyword *keyword = bsearch(word, keywords, KEYWORD_COUNT, sizeof(keywords[0]),
						keyword_compare);

	if (!keyword)
		return 0;
	*name = keyword->name;
	return keyword->token;
}

static const char *keyword_of_symbol(yysymbol_kind_t symbol)
{
	for (size_t i = 0; i < KEYWORD_COUNT; i++)
		if (keywords[i].symbol == symbol)
			return keywords[i].name;
	return NULL;
}

/* How a token is named in a message: keywords as spelt, punctuation quoted. */
static const char *symbol_display(yysymbol_kind_t symbol)
{
	const char *keyword = keyword_of_symbol(symbol);

	if (keyword)
		return keyword;
	switch (symbol) {
	case YYSYMBOL_YYEOF:
		return "end of file";
	case YYSYMBOL_EQ:
		return "'=='";
	case YYSYMBOL_NEQ:
		return "'!='";
	case YYSYMBOL_ASSIGN:
		return "'='";
	case YYSYMBOL_LBRACE:
		return "'{'";
	case YYSYMBOL_RBRACE:
		return "'}'";
	case YYSYMBOL_COMMA:
		return "','";
	case YYSYMBOL_COLON:
		return "':'";
	case YYSYMBOL_SEMICOLON:
		return "';'";
	case YYSYMBOL_NEWLINE:
		return "newline";
	case YYSYMBOL_STRING:
		return "string";
	case YYSYMBOL_QUOTED:
		return "quoted string";
	case YYSYMBOL_NUMBER:
		return "number";
	case YYSYMBOL_SET_REF:
		return "set reference";
	case YYSYMBOL_VARIABLE:
		return "variable";
	default:
		return "invalid token";
	}
}

/* The text a location covers on its first line, as written. */
static void print_span(FILE *out, const struct location *loc)
{
	const char *line = loc->input ? loc->input->text : NULL;

	for (unsigned int n = 1; n < loc->first_line && line; n++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line)
		return;
	for (unsigned int col = loc->first_column; col <= loc->last_column; col++) {
		char c = line[col - 1];

		if (c == '\0' || c == '\n')
			break;
		fputc(c, out);
	}
}

/* At most this many expected tokens are listed; past it the list says little. */
#define EXPECTED_MAX 6

/* Words and strings stand for a name or a value: a keyword is accepted wherever one is, so
 * keywords, quoted strings, numbers, variables and anonymous sets are listed as one item. */
static unsigned int expected_collapse(yysymbol_kind_t *expected, unsigned int count)
{
	bool string = false, number = false;
	unsigned int kept = 0;

	for (unsigned int i = 0; i < count; i++) {
		string |= expected[i] == YYSYMBOL_STRING;
		number |= expected[i] == YYSYMBOL_NUMBER;
	}
	if (!string)
		return count;
	for (unsigned int i = 0; i < count; i++) {
		yysymbol_kind_t symbol = expected[i];

		if (keyword_of_symbol(symbol) || symbol == YYSYMBOL_QUOTED)
			continue;
		if (number && (symbol == YYSYMBOL_NUMBER || symbol == YYSYMBOL_VARIABLE ||
			       symbol == YYSYMBOL_SET_REF || symbol == YYSYMBOL_LBRACE))
			continue;
		expected[kept++] = symbol;
	}
	return kept;
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, void *scanner,
				 struct parser_state *state)
{
	yysymbol_kind_t lookahead = yypcontext_token(yyctx);
	const struct location *loc = yypcontext_location(yyctx);
	yysymbol_kind_t expected[YYNTOKENS];
	const char *candidates[YYNTOKENS];
	unsigned int count, ncandidates = 0;
	const char *hint = NULL;
	bool number = false;
	char *message = NULL;
	size_t size;
	FILE *out;
	int n;

	(void)scanner;
	if (lookahead == YYSYMBOL_JUNK)
		return 0;	/* the scanner has said what is wrong with it */

	n = yypcontext_expected_tokens(yyctx, expected, YYNTOKENS);
	count = n > 0 ? (unsigned int)n : 0;
	for (unsigned int i = 0; i < count; i++) {
		const char *keyword = keyword_of_symbol(expected[i]);

		if (keyword)
			candidates[ncandidates++] = keyword;
		number |= expected[i] == YYSYMBOL_NUMBER;
	}
	count = expected_collapse(expected, count);

	out = open_memstream(&message, &size);
	if (!out)
		abort();
	fputs("syntax error", out);
	if (lookahead != YYSYMBOL_YYEMPTY) {
		fprintf(out, ", unexpected %s", symbol_display(lookahead));
		switch (lookahead) {
		case YYSYMBOL_STRING:
		case YYSYMBOL_SET_REF:
		case YYSYMBOL_VARIABLE:
			fputs(" '", out);
			print_span(out, loc);
			fputc('\'', out);
			break;
		case YYSYMBOL_QUOTED:
		case YYSYMBOL_NUMBER:
			fputc(' ', out);
			print_span(out, loc);
			break;
		default:
			break;
		}
	}
	if (count <= EXPECTED_MAX) {
		const char *names[EXPECTED_MAX];

		for (unsigned int i = 0; i < count; i++)
			names[i] = expected[i] == YYSYMBOL_STRING ? (number ? "value" : "name") :
				   symbol_display(expected[i]);
		print_choices(out, names, count);
	}
	if (lookahead == YYSYMBOL_STRING && ncandidates) {
		char *word = NULL;
		size_t len;
		FILE *w = open_memstream(&word, &len);

		if (!w)
			abort();
		print_span(w, loc);
		fclose(w);
		hint = diag_suggest(word, candidates, ncandidates);
		free(word);
	}
	if (hint)
		fprintf(out, "; did you mean '%s'?", hint);
	fclose(out);
	diag_error(DIAGS, loc, "%s", message);
	free(message);
	return 0;
}
