/* SPDX-License-Identifier: GPL-2.0-only */
/* The ruleset model: one syntax tree that both syntaxes (text and JSON) build and both printers
 * read. Commands are what an input asks for; the ruleset is what results from applying them. */
#ifndef ENDURA_RULESET_H
#define ENDURA_RULESET_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "location.h"

enum hook_type {
	HOOK_EXEC,	/* security_bprm_check: the binary about to be executed */
	HOOK_FILE_OPEN,	/* security_file_open */
	HOOK_CAPABLE,	/* security_capable: a capability the calling task uses */
	HOOK_BPF,	/* security_bpf: a bpf(2) call */
	HOOK_MODULE,	/* security_kernel_read_file and the like: a kernel module loaded */
	HOOK_SIGNAL,	/* security_task_kill and the like: a signal sent to a process */
	HOOK_COUNT,
};

enum table_mode {
	MODE_ENFORCE,
	MODE_AUDIT,	/* report what would be denied, deny nothing */
};

enum verdict {
	VERDICT_NONE,	/* non-terminal rule: its statements run, evaluation goes on */
	VERDICT_ACCEPT,
	VERDICT_DENY,
};

enum match_field {
	FIELD_PATH,	/* the object's path; trailing slash: the whole subtree */
	FIELD_ACCESS,	/* read, write, exec, classes of change (file_open only) */
	FIELD_EXE,	/* the calling task's executable, by identity */
	FIELD_UID,	/* the calling task's real uid */
	FIELD_CAPABILITY,	/* the capability used (capable only) */
	FIELD_BPF_COMMAND,	/* the command of a bpf(2) call (bpf only) */
	FIELD_MODULE_SOURCE,	/* where a module comes from (module only) */
	FIELD_SIGNAL,	/* the signal sent (signal only) */
	FIELD_TARGET,	/* the executable of the process acted on, by path and identity */
	FIELD_COUNT,
};

enum match_op {
	OP_EQ,
	OP_NEQ,
};

/* Types of named sets. */
enum set_type {
	SET_TYPE_PATH,
	SET_TYPE_UID,
	SET_TYPE_IPV4_ADDR,	/* addresses and CIDR prefixes */
	SET_TYPE_IPV6_ADDR,
	SET_TYPE_INET_SERVICE,	/* ports and port ranges */
	SET_TYPE_COUNT,
};

/* Access modes, as a bit mask: what an open asks for, and the classes of change that are not an
 * open, each of which is also a write (access_of_value()). */
enum access_bits {
	ACCESS_READ = 1 << 0,
	ACCESS_WRITE = 1 << 1,
	ACCESS_EXEC = 1 << 2,
	ACCESS_CREATE = 1 << 3,
	ACCESS_DELETE = 1 << 4,
	ACCESS_RENAME = 1 << 5,
	ACCESS_LINK = 1 << 6,
	ACCESS_ATTR = 1 << 7,
	ACCESS_MOUNT = 1 << 8,
};
#define ACCESS_COUNT 9			/* the bits, each with its name in access_names */

/* One literal as written: the parser does not know its type, the evaluator gives it one. */
enum value_kind {
	VALUE_STRING,	/* a word, a path or a quoted string: @text */
	VALUE_NUMBER,	/* @number, @text keeps the spelling */
};

struct value {
	struct list_head list;
	enum value_kind kind;
	char *text;
	uint64_t number;
	enum verdict verdict;		/* a vmap key's verdict; VERDICT_NONE elsewhere */
	struct location loc;
};

/* The right-hand side of a match: literals (one, or an anonymous set in braces) or a named set.
 * A verdict map ("exe vmap { /usr/bin/curl : deny }") is a match with @vmap set: its values are
 * the keys, each with its verdict; the rule holds with the verdict of the key that the field
 * equals, and does not hold when none does. */
struct match {
	struct list_head list;
	enum match_field field;
	enum match_op op;
	bool braces;			/* written as { ... }: printed back the same way */
	bool vmap;			/* a verdict map: op is OP_EQ, braces is set */
	struct list_head values;	/* struct value; empty when set_name is used */
	char *set_name;			/* "@name" without the '@', or NULL */
	struct location loc;		/* the whole match */
	struct location field_loc;	/* the field keyword */
};

struct rule {
	struct list_head list;
	uint64_t handle;		/* 0 until the ruleset assigns one */
	struct list_head matches;	/* struct match, in written order */
	bool counter;
	uint64_t counter_hits;		/* filled by the daemon for listings */
	bool log;
	enum verdict verdict;
	char *comment;
	struct location loc;
};

struct chain {
	struct list_head list;
	char *name;
	uint64_t handle;
	bool has_hook;			/* a base chain: bound to a hook with a policy */
	enum hook_type hook;
	enum verdict policy;		/* VERDICT_ACCEPT or VERDICT_DENY */
	char *comment;
	struct list_head rules;		/* struct rule */
	struct location loc;
	struct location hook_loc;
};

struct set {
	struct list_head list;
	char *name;
	uint64_t handle;
	enum set_type type;
	char *comment;
	struct list_head elements;	/* struct value */
	struct location loc;
};

struct table {
	struct list_head list;
	char *name;
	uint64_t handle;
	enum table_mode mode;
	bool has_mode;			/* written explicitly: a merge keeps the existing mode otherwise */
	char *comment;
	struct list_head sets;		/* struct set */
	struct list_head chains;	/* struct chain */
	struct location loc;
};

struct ruleset {
	struct list_head tables;	/* struct table */
	uint64_t next_handle;		/* handles are unique across the ruleset and never reused */
};

/* What an input asks for. A "table x { ... }" block is CMD_ADD of a whole table tree. */
enum cmd_op {
	CMD_ADD,
	CMD_INSERT,	/* rules: at the start of the chain, or before target.position */
	CMD_REPLACE,	/* rules: the one with target.handle */
	CMD_DELETE,
	CMD_FLUSH,
};

enum cmd_object {
	CMD_OBJ_RULESET,
	CMD_OBJ_TABLE,
	CMD_OBJ_CHAIN,
	CMD_OBJ_SET,
	CMD_OBJ_RULE,
	CMD_OBJ_ELEMENT,	/* elements of target.set, carried by cmd->set */
};

/* Names the object a command acts on: "add rule host files ..." or "delete rule host files handle 4". */
struct cmd_target {
	char *table;
	char *chain;			/* for chains and rules */
	char *set;			/* for sets and elements */
	uint64_t handle;		/* for delete and replace rule */
	uint64_t position;		/* add rule: after this handle; insert rule: before it */
	bool has_position;
	struct location table_loc, chain_loc, set_loc, handle_loc, position_loc;
};

struct cmd {
	struct list_head list;
	enum cmd_op op;
	enum cmd_object object;
	struct cmd_target target;
	union {				/* what add, insert, replace carry; elements for elements */
		struct table *table;
		struct chain *chain;
		struct set *set;
		struct rule *rule;
	};
	struct location loc;
};

/* Names, for printers, parsers and messages. */
const char *hook_name(enum hook_type hook);
const char *verdict_name(enum verdict verdict);
const char *field_name(enum match_field field);
const char *set_type_name(enum set_type type);
const char *mode_name(enum table_mode mode);
const char *access_name(unsigned int bit);	/* one ACCESS_* bit */

/* An ACCESS_* bit by its name; -1 when unknown. */
int access_lookup(const char *name);

extern const char *const set_type_names[SET_TYPE_COUNT];
extern const char *const access_names[ACCESS_COUNT];

/* Constructors: every list head initialised, everything else zero. Strings are owned. */
struct value *value_new(enum value_kind kind, const char *text, uint64_t number,
			const struct location *loc);
struct match *match_new(enum match_field field, const struct location *loc);
struct rule *rule_new(const struct location *loc);
struct chain *chain_new(const char *name, const struct location *loc);
struct set *set_new(const char *name, const struct location *loc);
struct table *table_new(const char *name, const struct location *loc);
struct cmd *cmd_new(enum cmd_op op, enum cmd_object object, const struct location *loc);
void ruleset_init(struct ruleset *ruleset);

void value_free(struct value *value);
void match_free(struct match *match);
void rule_free(struct rule *rule);
void chain_free(struct chain *chain);
void set_free(struct set *set);
void table_free(struct table *table);
void cmd_free(struct cmd *cmd);
void cmd_list_free(struct list_head *cmds);
void ruleset_free(struct ruleset *ruleset);

/* Deep copies; locations are copied as they are. */
struct rule *rule_clone(const struct rule *rule);
struct chain *chain_clone(const struct chain *chain);
struct set *set_clone(const struct set *set);
struct table *table_clone(const struct table *table);
void ruleset_clone(struct ruleset *dst, const struct ruleset *src);
/* Forgets where every object came from: for rulesets kept after the input they were parsed from
 * is gone (endurd's, or a listing read from endurd), whose locations would point at freed text. */
void ruleset_clear_locations(struct ruleset *ruleset);

/* Takes over every table of @src, leaving it empty. */
void ruleset_move(struct ruleset *dst, struct ruleset *src);

/* The names of the tables, or of a table's chains or sets, for "did you mean"; the array is the
 * caller's to free, the names are not. */
const char **table_names(const struct ruleset *ruleset, unsigned int *count);
const char **chain_names(const struct table *table, unsigned int *count);
const char **set_names(const struct table *table, unsigned int *count);

struct table *table_find(const struct ruleset *ruleset, const char *name);
struct chain *chain_find(const struct table *table, const char *name);
struct set *set_find(const struct table *table, const char *name);
struct rule *rule_find(const struct chain *chain, uint64_t handle);

/* Whether a rule of @table matches against the set called @name. */
bool set_is_used(const struct table *table, const char *name);

#endif
