/* SPDX-License-Identifier: GPL-2.0-only */
/* The compiler: an evaluated ruleset in, the exact contents of the decision tables out. Pure: the
 * only contact with the system is the resolver that gives a path's file identity. */
#ifndef ENDURA_COMPILE_H
#define ENDURA_COMPILE_H

#include <stdint.h>

#include "diag.h"
#include "endura.h"
#include "ruleset.h"

/* Where the identities of names come from: the running system (system_lookup.h), or a test's. */
struct resolver {
	/* Fills @id for an existing file, returns -1 when there is none. */
	int (*file_id)(void *ctx, const char *path, struct endura_file_id *id);
	void *ctx;
};

struct path_entry {
	struct endura_path_key key;
	uint32_t class;
};

struct exact_path_entry {
	const char *path;	/* a value of the ruleset compiled */
	uint32_t class;
};

/* The key of an exact path in the kernel's tables: the path, NUL-padded. The table of short
 * paths takes its first ENDURA_PATH_SHORT bytes. */
void exact_path_key(const struct exact_path_entry *entry, unsigned char key[ENDURA_PATH_MAX]);

struct file_id_entry {
	struct endura_file_id id;
	uint32_t class;
};

struct uid_entry {
	uint32_t uid;
	uint32_t class;
};

/* Where a rule position came from, to name the rule in reports. A rule with a vmap takes one
 * position per key: @rule is then the image's expansion for that key (the rule's other matches,
 * "F == key", the key's verdict, the rule's handle and statements, the key's location), and
 * @rule_start is the position of its first key. */
struct position_origin {
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;	/* NULL for the chain's policy */
	uint32_t rule_start;		/* the first position of the same written rule */
};

struct hook_image {
	uint32_t nrules;
	struct endura_rule_info *rules;		/* [nrules] */
	struct position_origin *origins;	/* [nrules] */
	uint32_t nclasses, class_words;
	/* [nclasses][class_words]: the words of each class that can hold a position, class 0 is
	 * universal; hook_image_class() gives the whole bitset the kernel holds */
	uint64_t *classes;
	struct endura_hook_meta meta;
	uint32_t nexact_paths, nshort_paths, npaths, npath_ids, nexe_ids, nuids;
	struct exact_path_entry *exact_paths;	/* short ones first: [0, nshort_paths) */
	struct path_entry *paths;		/* subtrees */
	struct file_id_entry *path_ids;
	struct file_id_entry *exe_ids;
	struct uid_entry *uids;
	/* the directories subtree values name, "/x" of "/x/": exact paths too, the names that a
	 * rename or removal of the directory itself changes */
	char **subtree_dirs;
	uint32_t nsubtree_dirs;
};

struct table_image {
	struct hook_image hooks[HOOK_COUNT];
	/* When a rule has a vmap: the copy of the ruleset with every vmap expanded, which the
	 * origins point into. NULL otherwise: they point into the ruleset compiled. */
	struct ruleset *expanded;
};

/* Returns 0, or -1 with errors (a hook with too many rules) in @diags. */
int compile_ruleset(const struct ruleset *ruleset, const struct resolver *resolver,
		    struct table_image *image, struct diag_list *diags);
void table_image_free(struct table_image *image);

/* The class as the kernel's class table holds it: its words, and the aggregate words that mark
 * the non-empty ones. */
void hook_image_class(const struct hook_image *image, uint32_t class, struct endura_bitset *set);

/* Warns about rules that never decide: an earlier rule of their chain decides every operation
 * they cover. Only rules from the input (with a location) are reported. */
void warn_shadowed_rules(const struct table_image *image, struct diag_list *diags);

#endif
