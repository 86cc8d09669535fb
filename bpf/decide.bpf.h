/* SPDX-License-Identifier: GPL-2.0-only */
/* The decision: classify the subject field by field, AND the classes, walk the matching rules in
 * order. One lookup per field, then a search whose length does not depend on the rule count.
 *
 * endura_decide() and endura_decide_step() are global functions: the verifier checks each once per
 * program, whatever states the program reaches them in. Global functions take only numbers on
 * 5.10, so the decision's state lives in the scratch space they are given the slot of, and the
 * loop over steps costs a few instructions a step. */
#ifndef ENDURA_DECIDE_BPF_H
#define ENDURA_DECIDE_BPF_H

#include "path_cache.bpf.h"
#include "report.bpf.h"

#define EPERM 1

/* Lowest set bit of a non-zero word, by de Bruijn multiplication: BPF has no ctz instruction. */
static const __u8 debruijn_index[64] = {
	0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
	62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
	63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
	46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
};

static __always_inline __u32 lowest_bit(__u64 word)
{
	return debruijn_index[((word & -word) * 0x03f79d71b4cb0a89ULL) >> 58];
}

struct decision {
	struct endura_bitset *path;	/* class of the path string */
	struct endura_bitset *path_id;	/* class of the file's identity, NULL if it has none */
	struct endura_bitset *negated;	/* rules matching "path != ...": need both names to differ;
					 * NULL when there are none */
	struct endura_bitset *access;
	struct endura_bitset *exe;	/* NULL: every rule (ENDURA_CLASS_ALL), not looked up */
	struct endura_bitset *uid;	/* NULL: every rule (ENDURA_CLASS_ALL), not looked up */
	struct endura_search *search;	/* in the scratch space */
};

/* A file reached by two names (its path and, through its identity, the path a rule names) matches
 * "path == X" if either name does and "path != X" only if both do. */
static __always_inline __u64 path_word(const struct decision *d, __u32 w)
{
	__u64 by_path = d->path->word[w];
	__u64 by_id, negated;

	if (!d->path_id)
		return by_path;
	by_id = d->path_id->word[w];
	negated = d->negated ? d->negated->word[w] : 0;
	return ((by_path | by_id) & ~negated) | (by_path & by_id);
}

static __always_inline __u64 path_agg(const struct decision *d, __u32 a)
{
	return d->path_id ? d->path->agg[a] | d->path_id->agg[a] : d->path->agg[a];
}

/* Word @w, or aggregate word @a, of a subject field's class, which NULL stands for when it is
 * every rule: the path and access classes are never NULL and clear the bits past the last rule. */
static __always_inline __u64 subject_word(const struct endura_bitset *class, __u32 w)
{
	return class ? class->word[w] : ~0ULL;
}

static __always_inline __u64 subject_agg(const struct endura_bitset *class, __u32 a)
{
	return class ? class->agg[a] : ~0ULL;
}

/* The first word at or after word @from where every field class has a rule: the aggregate words
 * are few, so they are read without a loop step. ENDURA_BITSET_WORDS when there is none. */
static __always_inline __u32 next_candidate_word(const struct decision *d, __u32 from)
{
	__u32 from_agg = from / 64;
	__u64 agg;

#pragma unroll
	for (__u32 a = 0; a < ENDURA_AGG_WORDS; a++) {
		if (a < from_agg)
			continue;
		agg = path_agg(d, a) & d->access->agg[a] & subject_agg(d->exe, a) &
		      subject_agg(d->uid, a);
		if (a == from_agg)
			agg &= ~0ULL << (from % 64);
		if (agg)
			return a * 64 + lowest_bit(agg);
	}
	return ENDURA_BITSET_WORDS;
}

/* Moves to the next word holding candidates at or after position. Returns 1 when no candidate is left. */
static __always_inline int next_word(struct decision *d)
{
	struct endura_search *search = d->search;
	__u32 position = search->position;
	__u32 w = next_candidate_word(d, position / 64);
	__u64 bits;

	if (w >= ENDURA_BITSET_WORDS)
		return 1;
	w &= ENDURA_BITSET_WORDS - 1;
	bits = path_word(d, w) & d->access->word[w] & subject_word(d->exe, w) &
	       subject_word(d->uid, w);
	if (w == position / 64)
		bits &= ~0ULL << (position % 64);
	search->word = w;
	search->bits = bits;
	/* a word without candidates is never looked at again */
	search->position = bits ? (position > w * 64 ? position : w * 64) : (w + 1) * 64;
	/* so that the step that empties this word can end the decision, not one more step */
	search->more = next_candidate_word(d, w + 1) < ENDURA_BITSET_WORDS;
	return !bits && !search->more;
}

/* Evaluation goes on at @position: the candidates of the current word before it are dropped. */
static __always_inline void go_on_at(struct endura_search *search, __u32 position)
{
	__u32 word = search->word;
	__u64 bits = 0;

	if (position / 64 == word) {
		bits = search->bits & (~0ULL << (position % 64));
		/* a word without candidates is never looked at again */
		if (!bits)
			position = (word + 1) * 64;
	}
	search->bits = bits;
	search->position = position;
}

static __always_inline void count_hit(const struct endura_rule_info *rule)
{
	__u64 *hits = bpf_map_lookup_elem(&counters, &rule->handle);

	if (hits)
		*hits += 1;
}

/* The lowest candidate of the decision in scratch space @slot, a rule of @rules: run its
 * statements and say where evaluation goes on. Returns 1 to stop. */
static __always_inline int act(struct endura_search *search, void *rules, __u32 slot)
{
	__u32 position = search->word * 64 + lowest_bit(search->bits);
	struct endura_rule_info *rule;
	__u8 verdict;

	rule = bpf_map_lookup_elem(rules, &position);
	if (!rule)
		return 1;
	if (rule->flags & ENDURA_RULE_COUNTER)
		count_hit(rule);
	verdict = rule->verdict == ENDURA_CONTINUE ? ENDURA_EVENT_LOG :
		  rule->verdict == ENDURA_ACCEPT ? ENDURA_EVENT_ACCEPT :
		  rule->flags & ENDURA_RULE_AUDIT ? ENDURA_EVENT_AUDIT : ENDURA_EVENT_DENY;
	if (rule->flags & ENDURA_RULE_LOG)
		endura_report(rule->handle, rule->flags & ENDURA_RULE_POLICY, verdict, slot);
	if (verdict == ENDURA_EVENT_DENY) {
		search->result = -EPERM;
		return 1;
	}
	go_on_at(search, verdict == ENDURA_EVENT_LOG ? position + 1 : rule->chain_end);
	return !search->bits && !search->more;
}

/* @class is in the scratch space: as a key there it takes no room on the stack. */
static __always_inline struct endura_bitset *class_of(void *classes, const __u32 *class)
{
	return bpf_map_lookup_elem(classes, class);
}

static __always_inline __u32 class_or(__u32 *found, __u32 fallback)
{
	return found ? *found : fallback;
}

/* The description of @hook's tables in the active generation, with their slot in @tables, or
 * NULL when the hook has no rules there: then nothing needs describing. */
static __always_inline struct endura_hook_meta *active_tables(__u32 hook, __u32 *generation,
							      __u32 *tables)
{
	__u32 zero = 0;
	struct endura_control *control_word = bpf_map_lookup_elem(&control, &zero);
	struct endura_hook_meta *meta;

	if (!control_word || hook >= ENDURA_HOOK_COUNT)
		return NULL;
	*generation = control_word->active_generation;
	*tables = (*generation & 1) * ENDURA_HOOK_COUNT + hook;
	meta = bpf_map_lookup_elem(&hook_meta, tables);
	return meta && meta->nrules ? meta : NULL;
}

/* @access as an index of the per-access arrays of the hook's meta. The mask is applied after a
 * barrier: clang would otherwise fold it into the operands of the OR that built @access, and the
 * verifier of 6.1 and older loses the bounds of an OR. */
static __always_inline __u32 access_index(__u32 access)
{
	asm volatile("" : "+r"(access));
	return access & (ENDURA_ACCESS_VALUES - 1);
}

/* What deciding an operation of @access needs gathered (enum endura_need): 0 to allow it now. */
static __always_inline __u8 decision_needs(const struct endura_hook_meta *meta, __u32 access)
{
	return meta->needs[access_index(access)];
}

/* Whether an operation of @access on @hook meets a rule that acts in the active tables: what an
 * operation asks before it gathers anything the decision alone needs. */
static __always_inline bool hook_acts(__u32 hook, __u32 access)
{
	struct endura_hook_meta *meta;
	__u32 generation, tables;

	meta = active_tables(hook, &generation, &tables);
	return meta && (decision_needs(meta, access) & ENDURA_NEED_DECISION);
}

/* The bitset of @class into @set, unless @class is @implied, which the decision knows without
 * looking (every rule, or none): @set then stays NULL. -1 when the lookup fails. */
static __always_inline int class_unless(void *classes, const __u32 *class, __u32 implied,
					struct endura_bitset **set)
{
	if (*class == implied)
		return 0;
	*set = class_of(classes, class);
	return *set ? 0 : -1;
}

/* The bitsets of the classes the operation fell into, found again from their numbers. */
static __always_inline int load_classes(struct decision *d, struct endura_search *search)
{
	__u32 tables = search->tables;
	void *classes = bpf_map_lookup_elem(&class_tables, &tables);

	if (!classes)
		return -1;
	d->path = class_of(classes, &search->path);
	d->access = class_of(classes, &search->access);
	if (!d->path || !d->access)
		return -1;
	if (class_unless(classes, &search->exe, ENDURA_CLASS_ALL, &d->exe) < 0 ||
	    class_unless(classes, &search->uid, ENDURA_CLASS_ALL, &d->uid) < 0)
		return -1;
	if (search->path_id != ENDURA_NO_CLASS) {
		d->path_id = class_of(classes, &search->path_id);
		if (!d->path_id ||
		    class_unless(classes, &search->negated, ENDURA_CLASS_NONE, &d->negated) < 0)
			return -1;
	}
	return 0;
}

/* One step of a decision: move to the next word with candidates when there are none at hand, and
 * act on the lowest one. Returns 1 when the decision is made. A global function taking a number
 * only: the verifier checks it once, and the loop that calls it costs a few instructions a step. */
__noinline int endura_decide_step(__u32 slot)
{
	struct decision d = {};
	struct scratch *scratch;
	void *rules;

	scratch = scratch_at(slot);
	if (!scratch)
		return 1;
	d.search = &scratch->search;
	/* acting on a candidate needs the rules alone, finding candidates the classes alone */
	if (!d.search->bits && (load_classes(&d, d.search) < 0 || next_word(&d)))
		return 1;
	if (!d.search->bits)
		return 0;
	rules = bpf_map_lookup_elem(&rule_tables, &d.search->tables);
	return rules ? act(d.search, rules, slot) : 1;
}

/* The class of the path in the scratch key: its exact entry, else its longest enclosing subtree.
 * Only a path of at most ENDURA_PATH_MAX bytes can be named exactly. */
static __always_inline __u32 path_class(struct scratch *scratch, struct endura_hook_meta *meta,
					__u32 tables)
{
	__u32 size = scratch->subject.path_size;
	__u32 *found = NULL;
	void *table;

	if (scratch->subject.flags & ENDURA_EVENT_NO_FILE)
		return meta->path_default;
	if (scratch->subject.flags & ENDURA_EVENT_PATH_UNRESOLVED) {
		stat_add(ENDURA_STAT_PATH_UNRESOLVED);
		return meta->path_unresolved;
	}
	if (size <= ENDURA_PATH_SHORT && (meta->lookups & ENDURA_LOOKUP_SHORT_PATHS)) {
		table = bpf_map_lookup_elem(&path_short_tables, &tables);
		found = table ? bpf_map_lookup_elem(table, scratch->key.path) : NULL;
	} else if (size > ENDURA_PATH_SHORT && size <= ENDURA_PATH_MAX &&
		   (meta->lookups & ENDURA_LOOKUP_LONG_PATHS)) {
		table = bpf_map_lookup_elem(&path_long_tables, &tables);
		found = table ? bpf_map_lookup_elem(table, scratch->key.path) : NULL;
	}
	if (!found && (meta->lookups & ENDURA_LOOKUP_PREFIXES)) {
		table = bpf_map_lookup_elem(&path_prefix_tables, &tables);
		found = table ? bpf_map_lookup_elem(table, &scratch->key) : NULL;
	}
	return class_or(found, meta->path_default);
}

/* The class of @key in the outer map @outer's table at @tables, when @present says the table has
 * entries; else @fallback. */
static __always_inline __u32 key_class(void *outer, __u32 tables, const void *key, bool present,
				       __u32 fallback)
{
	void *table;

	if (!present)
		return fallback;
	table = bpf_map_lookup_elem(outer, &tables);
	return class_or(table ? bpf_map_lookup_elem(table, key) : NULL, fallback);
}

/* Decides the operation described in scratch space @slot with the tables at slot @tables of
 * the outer maps, of @generation (active_tables()). Only the fields decision_needs() names
 * need describing, and of those the executable is described here when the caller has not
 * (subject.described). Returns 0 to allow, -EPERM to deny. */
__noinline int endura_decide(__u32 tier, __u32 slot, __u32 tables, __u32 generation)
{
	struct endura_subject *subject;
	struct endura_search *search;
	struct endura_hook_meta *meta;
	struct scratch *scratch;
	__u8 needs;

	scratch = scratch_at(slot);
	if (!scratch)
		return 0;
	subject = &scratch->subject;
	search = &scratch->search;
	meta = bpf_map_lookup_elem(&hook_meta, &tables);
	if (!meta)
		return 0;
	needs = decision_needs(meta, subject->access);
	if (!(needs & ENDURA_NEED_DECISION))
		return 0;
	*search = (struct endura_search){
		.tables = tables, .generation = generation, .tier = tier,
		.path = ENDURA_CLASS_ALL, .path_id = ENDURA_NO_CLASS, .negated = meta->path_negated,
		.access = meta->access[access_index(subject->access)],
		.exe = ENDURA_CLASS_ALL, .uid = ENDURA_CLASS_ALL,
	};
	/* the cheapest fields first: an empty class ends the decision, the rest need not be looked
	 * at, nor the executable gathered */
	if (needs & ENDURA_NEED_UID)
		search->uid = key_class(&uid_tables, tables, &subject->uid,
					meta->lookups & ENDURA_LOOKUP_UIDS, meta->uid_default);
	if (needs & ENDURA_NEED_PATH && subject->cached.result == PATH_CACHE_HIT) {
		search->path = subject->cached.path;
		search->path_id = subject->cached.path_id;
	} else if (needs & ENDURA_NEED_PATH) {
		search->path = path_class(scratch, meta, tables);
		search->path_id = key_class(&path_id_tables, tables, &subject->object,
					    meta->lookups & ENDURA_LOOKUP_PATH_IDS, subject->enclosing);
		if (subject->cached.result == PATH_CACHE_MISS &&
		    !(subject->flags & (ENDURA_EVENT_PATH_UNRESOLVED | ENDURA_EVENT_NO_FILE)))
			path_cache_keep(&subject->cached.name, generation, search->path,
					search->path_id);
	}
	if (search->access == ENDURA_CLASS_NONE || search->uid == ENDURA_CLASS_NONE ||
	    (search->path == ENDURA_CLASS_NONE && search->path_id == ENDURA_NO_CLASS))
		return 0;
	if (needs & ENDURA_NEED_EXE) {
		if (!(subject->described & ENDURA_NEED_EXE))
			describe_exe(subject);
		search->exe = key_class(&exe_id_tables, tables, &subject->exe,
					meta->lookups & ENDURA_LOOKUP_EXE_IDS, meta->exe_default);
		if (search->exe == ENDURA_CLASS_NONE)
			return 0;
	}

	/* a loop, not unrolled: the verifier walks its iterations all the same, and its check of
	 * the stack depth, which follows every call site down to the path walk's batches, sees one
	 * call where 512 made it take a second per program (6.18, natively) */
#pragma clang loop unroll(disable)
	for (__u32 step = 0; step < ENDURA_DECISION_STEPS; step++)
		if (endura_decide_step(slot))
			break;
	if (search->result)
		stat_add(tier == ENDURA_TIER_OBSERVE ? ENDURA_STAT_NOT_ENFORCED : ENDURA_STAT_DENIED);
	return search->result;
}

#endif
