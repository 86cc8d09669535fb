/* SPDX-License-Identifier: GPL-2.0-only */
/* The decision: classify the subject field by field, AND the classes, walk the matching rules in
 * order. One lookup per field, then a search whose length does not depend on the rule count. */
#ifndef ENDURA_DECIDE_BPF_H
#define ENDURA_DECIDE_BPF_H

#include "maps.bpf.h"

#define EPERM 1

/* What a hook knows about the operation. */
struct endura_subject {
	struct endura_path_key *path;	/* NULL: the path could not be resolved */
	__u32 path_size;		/* bytes of path, NUL included */
	struct endura_file_id object;
	struct endura_file_id exe;
	__u32 uid;
	__u32 access;
	__u32 hook;
	__u32 flags;			/* enum endura_event_flags */
	struct file *exe_file;		/* for event reports; NULL in the benchmark */
};

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
	struct endura_subject *subject;
	struct endura_bitset *path;	/* class of the path string */
	struct endura_bitset *path_id;	/* class of the file's identity, NULL if it has none */
	struct endura_bitset *negated;	/* rules matching "path != ...": need both names to differ */
	struct endura_bitset *access;
	struct endura_bitset *exe;
	struct endura_bitset *uid;
	void *rules;
	__u32 generation;
	__u32 position;			/* next rule position to consider */
	int result;
};

/* A file reached by two names (its path and, through its identity, the path a rule names) matches
 * "path == X" if either name does and "path != X" only if both do. */
static __always_inline __u64 path_word(const struct decision *d, __u32 w)
{
	__u64 by_path = d->path->word[w];
	__u64 by_id;

	if (!d->path_id)
		return by_path;
	by_id = d->path_id->word[w];
	return ((by_path | by_id) & ~d->negated->word[w]) | (by_path & by_id);
}

static __always_inline __u64 path_agg(const struct decision *d, __u32 a)
{
	return d->path_id ? d->path->agg[a] | d->path_id->agg[a] : d->path->agg[a];
}

struct search {
	const struct decision *d;
	__u32 from;
	__u32 agg_index;	/* aggregate word being scanned */
	__u64 agg;		/* its candidate bits not yet tried */
	int found;
};

static __always_inline __u64 candidates(const struct search *s, __u32 a)
{
	const struct decision *d = s->d;
	__u32 from_word = s->from / 64;
	__u64 agg;

	a &= ENDURA_AGG_WORDS - 1;
	agg = path_agg(d, a) & d->access->agg[a] & d->exe->agg[a] & d->uid->agg[a];
	if (from_word >= (a + 1) * 64)
		return 0;
	if (from_word > a * 64)
		agg &= ~0ULL << (from_word - a * 64);
	return agg;
}

/* One step of the search: try the lowest candidate word, or move to the next aggregate word.
 * A bpf_loop callback, so the verifier checks one step rather than every iteration. */
static int search_step(__u32 index, struct search *s)
{
	const struct decision *d = s->d;
	__u32 w;
	__u64 word;

	if (!s->agg) {
		if (++s->agg_index >= ENDURA_AGG_WORDS)
			return 1;
		s->agg = candidates(s, s->agg_index);
		return 0;
	}
	w = (s->agg_index * 64 + lowest_bit(s->agg)) & (ENDURA_BITSET_WORDS - 1);
	s->agg &= s->agg - 1;
	word = path_word(d, w) & d->access->word[w] & d->exe->word[w] & d->uid->word[w];
	if (w == s->from / 64)
		word &= ~0ULL << (s->from % 64);
	if (!word)
		return 0;
	s->found = w * 64 + lowest_bit(word);
	return 1;
}

/* Position of the first rule at or after @from that every field class contains, or -1. The
 * aggregate words are few: skipping the empty ones needs no loop step. */
static __always_inline int first_match(const struct decision *d, __u32 from)
{
	struct search s = { .d = d, .from = from, .found = -1 };

	for (s.agg_index = 0; s.agg_index < ENDURA_AGG_WORDS; s.agg_index++) {
		s.agg = candidates(&s, s.agg_index);
		if (s.agg)
			break;
	}
	if (!s.agg)
		return -1;
	bpf_loop(ENDURA_AGG_WORDS + ENDURA_BITSET_WORDS, search_step, &s, 0);
	return s.found;
}

static __always_inline void stat_add(__u32 which)
{
	__u64 *value = bpf_map_lookup_elem(&stats, &which);

	if (value)
		*value += 1;
}

#ifndef ENDURA_NO_EVENTS
static int report(struct decision *d, const struct endura_rule_info *rule, __u8 verdict);
#else
static __always_inline int report(struct decision *d, const struct endura_rule_info *rule,
				  __u8 verdict)
{
	return 0;
}
#endif

static __always_inline void count_hit(const struct endura_rule_info *rule)
{
	__u64 *hits = bpf_map_lookup_elem(&counters, &rule->handle);

	if (hits)
		*hits += 1;
}

/* One matching rule: run its statements and decide where the search goes on. Returns 1 to stop. */
static int decide_step(__u32 index, struct decision *d)
{
	struct endura_rule_info *rule;
	__u32 position;
	int found;

	found = first_match(d, d->position);
	if (found < 0)
		return 1;
	position = found;
	rule = bpf_map_lookup_elem(d->rules, &position);
	if (!rule)
		return 1;
	if (rule->flags & ENDURA_RULE_COUNTER)
		count_hit(rule);

	switch (rule->verdict) {
	case ENDURA_CONTINUE:
		if (rule->flags & ENDURA_RULE_LOG)
			report(d, rule, ENDURA_EVENT_LOG);
		d->position = position + 1;
		return 0;
	case ENDURA_DENY:
		if (rule->flags & ENDURA_RULE_AUDIT) {
			if (rule->flags & ENDURA_RULE_LOG)
				report(d, rule, ENDURA_EVENT_AUDIT);
			d->position = rule->chain_end;
			return 0;
		}
		if (rule->flags & ENDURA_RULE_LOG)
			report(d, rule, ENDURA_EVENT_DENY);
		d->result = -EPERM;
		return 1;
	default:
		if (rule->flags & ENDURA_RULE_LOG)
			report(d, rule, ENDURA_EVENT_ACCEPT);
		d->position = rule->chain_end;
		return 0;
	}
}

static __always_inline struct endura_bitset *class_of(void *classes, __u32 class)
{
	return bpf_map_lookup_elem(classes, &class);
}

static __always_inline __u32 class_or(__u32 *found, __u32 fallback)
{
	return found ? *found : fallback;
}

/* Whether the active generation has rules on @hook: when not, nothing needs describing. */
static __always_inline bool hook_active(__u32 hook)
{
	__u32 zero = 0, slot;
	struct endura_control *control_word = bpf_map_lookup_elem(&control, &zero);
	struct endura_hook_meta *meta;

	if (!control_word)
		return false;
	slot = (control_word->active_generation & 1) * ENDURA_HOOK_COUNT + hook;
	meta = bpf_map_lookup_elem(&hook_meta, &slot);
	return meta && meta->nrules;
}

/* Returns 0 to allow, -EPERM to deny. Tables missing for the active generation mean no ruleset
 * has been committed for the hook yet. */
static __always_inline int decide(struct endura_subject *subject)
{
	__u32 zero = 0, slot, generation;
	struct endura_control *control_word;
	struct endura_hook_meta *meta;
	struct decision d = { .subject = subject };
	void *classes, *table;
	__u32 *found;

	control_word = bpf_map_lookup_elem(&control, &zero);
	if (!control_word)
		return 0;
	generation = control_word->active_generation;
	slot = (generation & 1) * ENDURA_HOOK_COUNT + subject->hook;
	meta = bpf_map_lookup_elem(&hook_meta, &slot);
	classes = bpf_map_lookup_elem(&class_tables, &slot);
	d.rules = bpf_map_lookup_elem(&rule_tables, &slot);
	if (!meta || !meta->nrules || !classes || !d.rules)
		return 0;
	d.generation = generation;

	if (subject->path) {
		table = bpf_map_lookup_elem(subject->path_size <= ENDURA_PATH_SHORT ?
					    (void *)&path_short_tables : (void *)&path_long_tables,
					    &slot);
		found = table ? bpf_map_lookup_elem(table, subject->path->path) : NULL;
		if (!found) {
			table = bpf_map_lookup_elem(&path_prefix_tables, &slot);
			found = table ? bpf_map_lookup_elem(table, subject->path) : NULL;
		}
		d.path = class_of(classes, class_or(found, meta->path_default));
	} else {
		d.path = class_of(classes, meta->path_unresolved);
	}
	table = bpf_map_lookup_elem(&path_id_tables, &slot);
	found = table ? bpf_map_lookup_elem(table, &subject->object) : NULL;
	d.path_id = found ? class_of(classes, *found) : NULL;
	d.negated = class_of(classes, meta->path_negated);
	d.access = class_of(classes, meta->access[subject->access & (ENDURA_ACCESS_VALUES - 1)]);
	table = bpf_map_lookup_elem(&exe_id_tables, &slot);
	found = table ? bpf_map_lookup_elem(table, &subject->exe) : NULL;
	d.exe = class_of(classes, class_or(found, meta->exe_default));
	table = bpf_map_lookup_elem(&uid_tables, &slot);
	found = table ? bpf_map_lookup_elem(table, &subject->uid) : NULL;
	d.uid = class_of(classes, class_or(found, meta->uid_default));
	if (!d.path || !d.negated || !d.access || !d.exe || !d.uid)
		return 0;

	stat_add(ENDURA_STAT_DECISIONS);
	bpf_loop(ENDURA_MAX_STEPS, decide_step, &d, 0);
	if (d.result)
		stat_add(ENDURA_STAT_DENIED);
	return d.result;
}

#endif
