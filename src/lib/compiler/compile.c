// SPDX-License-Identifier: GPL-2.0-only
/* Compiles a ruleset into bit-vector decision tables, one set per hook.
 *
 * Every rule of a hook gets a position in evaluation order (tables, then chains, then rules, each
 * chain closed by its policy). For every field, each distinct value a rule names becomes a key;
 * the class of a key is the set of positions whose matches on that field the key satisfies. Keys
 * nobody names fall in the field's default class. Classes are deduplicated, so a 100,000-element
 * set used by one rule costs one class, not 100,000. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "fields.h"
#include "hooks.h"
#include "xalloc.h"

/* One match of one rule on one field. */
struct field_match {
	uint32_t position;
	bool negated;
	uint32_t hit_stamp;	/* the key being classified hits this match when equal */
};

/* A value named by a match, as the bytes the kernel side looks up. */
struct key_ref {
	const void *key;
	uint32_t len;
	uint32_t match;		/* index into field_match */
};

/* What the compiler knows of one field of one hook while classifying it. */
struct field_plan {
	struct field_match *matches;
	uint32_t nmatches;
	struct key_ref *keys;		/* sorted by key */
	uint32_t nkeys;
	/* paths: the keys of subtrees, sorted, the only ones a path's proper prefix can equal */
	struct key_ref *subtrees;
	uint32_t nsubtrees;
	uint32_t *first, *count;	/* per position: its matches are matches[first..first+count) */
};

/* Provisional classes, deduplicated once all are known. */
struct class_pool {
	uint32_t words;			/* words a bitset of this hook needs */
	uint64_t *bits;			/* [n][words] */
	uint32_t n, cap;
	uint32_t *final;		/* provisional -> final id */
};

struct hook_builder {
	struct hook_image *image;
	const struct resolver *resolver;
	struct field_plan fields[FIELD_COUNT];
	struct class_pool pool;
	uint64_t *scratch;		/* one bitset being built */
	uint32_t stamp;
	/* exe identities are resolved once and kept here, referenced by key_ref */
	struct endura_file_id *ids;
	uint32_t nids, ids_cap;
	uint32_t *uids;
	uint32_t nuids, uids_cap;
};

static int key_compare(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	uint32_t len = x->len < y->len ? x->len : y->len;
	int ret = memcmp(x->key, y->key, len);

	if (ret)
		return ret;
	return (x->len > y->len) - (x->len < y->len);
}

/* --- positions ------------------------------------------------------------------------------ */

static bool chain_on_hook(const struct chain *chain, enum hook_type hook)
{
	return chain->has_hook && chain->hook == hook;
}

static uint32_t count_positions(const struct ruleset *ruleset, enum hook_type hook)
{
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;
	uint32_t n = 0;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list) {
			if (!chain_on_hook(chain, hook))
				continue;
			list_for_each_entry(rule, &chain->rules, list)
				n++;
			n++;
		}
	return n;
}

static uint8_t rule_flags(const struct table *table, const struct rule *rule, enum verdict verdict)
{
	uint8_t flags = 0;
	bool audit = table->mode == MODE_AUDIT;

	if (rule && rule->log)
		flags |= ENDURA_RULE_LOG;
	if (rule && rule->counter)
		flags |= ENDURA_RULE_COUNTER;
	if (audit) {
		flags |= ENDURA_RULE_AUDIT;
		/* audit mode exists to report what would be denied */
		if (verdict == VERDICT_DENY)
			flags |= ENDURA_RULE_LOG;
	}
	if (!rule)
		flags |= ENDURA_RULE_POLICY;
	return flags;
}

static uint8_t abi_verdict(enum verdict verdict)
{
	switch (verdict) {
	case VERDICT_ACCEPT:
		return ENDURA_ACCEPT;
	case VERDICT_DENY:
		return ENDURA_DENY;
	case VERDICT_NONE:
		break;
	}
	return ENDURA_CONTINUE;
}

/* The vmap match of a rule, or NULL. */
static struct match *rule_vmap(const struct rule *rule)
{
	struct match *match;

	list_for_each_entry(match, &rule->matches, list)
		if (match->vmap)
			return match;
	return NULL;
}

/* Whether @rule is the expansion of the same vmap key list as @prev, the rule before it: in the
 * expanded copy, a key's rule keeps the vmap flag on its one-key match, the rule's handle and the
 * vmap's location. */
static bool same_vmap(const struct rule *prev, const struct rule *rule)
{
	const struct match *a = rule_vmap(prev), *b = rule_vmap(rule);

	return a && b && prev->handle == rule->handle && a->loc.input == b->loc.input &&
	       a->loc.first_line == b->loc.first_line &&
	       a->loc.first_column == b->loc.first_column &&
	       a->loc.last_line == b->loc.last_line && a->loc.last_column == b->loc.last_column;
}

static void place_rules(struct hook_image *image, const struct ruleset *ruleset,
			enum hook_type hook)
{
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule, *prev;
	uint32_t p = 0, rule_start = 0;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list) {
			uint32_t start = p, end;

			if (!chain_on_hook(chain, hook))
				continue;
			prev = NULL;
			list_for_each_entry(rule, &chain->rules, list) {
				if (!prev || !same_vmap(prev, rule))
					rule_start = p;
				image->rules[p] = (struct endura_rule_info){
					.handle = rule->handle,
					.verdict = abi_verdict(rule->verdict),
					.flags = rule_flags(table, rule, rule->verdict),
				};
				image->origins[p] = (struct position_origin){ table, chain, rule,
									      rule_start };
				p++;
				prev = rule;
			}
			image->rules[p] = (struct endura_rule_info){
				.handle = chain->handle,
				.verdict = abi_verdict(chain->policy),
				.flags = rule_flags(table, NULL, chain->policy),
			};
			image->origins[p] = (struct position_origin){ table, chain, NULL, p };
			p++;
			end = p;
			for (uint32_t i = start; i < end; i++)
				image->rules[i].chain_end = end;
		}
}

/* --- field plans ---------------------------------------------------------------------------- */

static const struct list_head *match_values(const struct table *table, const struct match *match)
{
	const struct set *set;

	if (!match->set_name)
		return &match->values;
	set = set_find(table, match->set_name);
	return set ? &set->elements : NULL;
}

static void add_key(struct field_plan *plan, uint32_t *cap, const void *key, uint32_t len)
{
	if (plan->nkeys == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		plan->keys = xrealloc(plan->keys, *cap * sizeof(*plan->keys));
	}
	plan->keys[plan->nkeys++] = (struct key_ref){ key, len, plan->nmatches - 1 };
}

/* The directory subtree value @path (@len bytes, its slash last) names, kept with the image. */
static const char *subtree_dir(struct hook_builder *b, const char *path, uint32_t len)
{
	struct hook_image *image = b->image;

	image->subtree_dirs = xrealloc(image->subtree_dirs,
				       (image->nsubtree_dirs + 1) * sizeof(*image->subtree_dirs));
	return image->subtree_dirs[image->nsubtree_dirs++] = xstrndup(path, len - 1);
}

static const void *exe_key(struct hook_builder *b, const char *path)
{
	struct endura_file_id id;

	/* keys point into this array, sized once per hook in plan_fields so it never moves */
	if (b->nids == b->ids_cap || b->resolver->file_id(b->resolver->ctx, path, &id) < 0)
		return NULL;
	b->ids[b->nids] = id;
	return &b->ids[b->nids++];
}

static const void *uid_key(struct hook_builder *b, uint64_t uid)
{
	if (b->nuids == b->uids_cap)
		return NULL;
	b->uids[b->nuids] = (uint32_t)uid;
	return &b->uids[b->nuids++];
}

static uint32_t count_values(const struct ruleset *ruleset, enum hook_type hook,
			     enum match_field field)
{
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;
	const struct match *match;
	const struct value *value;
	uint32_t n = 0;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list) {
			if (!chain_on_hook(chain, hook))
				continue;
			list_for_each_entry(rule, &chain->rules, list)
				list_for_each_entry(match, &rule->matches, list) {
					const struct list_head *values = match_values(table, match);

					if (match->field != field || !values)
						continue;
					list_for_each_entry(value, values, list)
						n++;
				}
		}
	return n;
}

static void plan_subtrees(struct field_plan *plan)
{
	plan->subtrees = xzalloc((plan->nkeys + 1) * sizeof(*plan->subtrees));
	for (uint32_t k = 0; k < plan->nkeys; k++)
		if (((const char *)plan->keys[k].key)[plan->keys[k].len - 1] == '/')
			plan->subtrees[plan->nsubtrees++] = plan->keys[k];
}

static void plan_fields(struct hook_builder *b, const struct ruleset *ruleset, enum hook_type hook)
{
	uint32_t key_caps[FIELD_COUNT] = { 0 }, match_caps[FIELD_COUNT] = { 0 };
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;
	const struct match *match;
	const struct value *value;
	uint32_t p = 0;

	b->ids_cap = count_values(ruleset, hook, FIELD_EXE);
	b->ids = xzalloc((b->ids_cap + 1) * sizeof(*b->ids));
	b->uids_cap = count_values(ruleset, hook, FIELD_UID);
	b->uids = xzalloc((b->uids_cap + 1) * sizeof(*b->uids));
	for (int f = 0; f < FIELD_COUNT; f++) {
		b->fields[f].first = xzalloc(b->image->nrules * sizeof(uint32_t));
		b->fields[f].count = xzalloc(b->image->nrules * sizeof(uint32_t));
	}

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list) {
			if (!chain_on_hook(chain, hook))
				continue;
			list_for_each_entry(rule, &chain->rules, list) {
				for (int f = 0; f < FIELD_COUNT; f++)
					b->fields[f].first[p] = b->fields[f].nmatches;
				list_for_each_entry(match, &rule->matches, list) {
					enum match_field field = field_dimension(match->field);
					struct field_plan *plan = &b->fields[field];
					const struct list_head *values = match_values(table, match);

					if (plan->nmatches == match_caps[field]) {
						match_caps[field] = plan->nmatches * 2 + 16;
						plan->matches = xrealloc(plan->matches,
							match_caps[field] * sizeof(*plan->matches));
					}
					plan->matches[plan->nmatches++] = (struct field_match){
						.position = p, .negated = match->op == OP_NEQ,
					};
					plan->count[p]++;
					if (!values)
						continue;
					list_for_each_entry(value, values, list) {
						const void *key = NULL;
						uint32_t len = 0;

						switch (field) {
						case FIELD_PATH:
							key = value->text;
							len = strlen(value->text);
							/* a subtree value names its directory
							 * too: renaming or removing it
							 * changes the whole subtree */
							if (len > 1 && value->text[len - 1] == '/')
								add_key(plan,
									&key_caps[FIELD_PATH],
									subtree_dir(b, key, len),
									len - 1);
							break;
						case FIELD_EXE:
							key = exe_key(b, value->text);
							len = sizeof(struct endura_file_id);
							break;
						case FIELD_UID:
							key = uid_key(b, value->number);
							len = sizeof(uint32_t);
							break;
						default:
							/* a hook's value field is classified
							 * over its values: compile_values() */
							break;
						}
						if (key)
							add_key(plan, &key_caps[field], key, len);
					}
				}
				p++;
			}
			p++;	/* the policy constrains no field */
		}
	for (int f = 0; f < FIELD_COUNT; f++)
		if (b->fields[f].nkeys)
			qsort(b->fields[f].keys, b->fields[f].nkeys, sizeof(struct key_ref),
			      key_compare);
	plan_subtrees(&b->fields[FIELD_PATH]);
}

/* --- classes -------------------------------------------------------------------------------- */

static uint32_t class_add(struct class_pool *pool, const uint64_t *bits)
{
	/* the keys of one set mostly fall in one class, one after the other: a repeat of the last
	 * class is that class, which the deduplication would find at a greater cost */
	if (pool->n > 0 && memcmp(pool->bits + (size_t)(pool->n - 1) * pool->words, bits,
				  pool->words * sizeof(uint64_t)) == 0)
		return pool->n - 1;
	if (pool->n == pool->cap) {
		pool->cap = pool->cap ? pool->cap * 2 : 64;
		pool->bits = xrealloc(pool->bits, (size_t)pool->cap * pool->words * sizeof(uint64_t));
	}
	memcpy(pool->bits + (size_t)pool->n * pool->words, bits, pool->words * sizeof(uint64_t));
	return pool->n++;
}

/* A copy of a class's bits: the pool moves as it grows. */
static uint64_t *class_copy(const struct class_pool *pool, uint32_t id)
{
	uint64_t *bits = xzalloc((pool->words + 1) * sizeof(uint64_t));

	memcpy(bits, pool->bits + (size_t)id * pool->words, pool->words * sizeof(uint64_t));
	return bits;
}

static int class_compare(const void *a, const void *b, void *arg)
{
	const struct class_pool *pool = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int ret = memcmp(pool->bits + (size_t)x * pool->words, pool->bits + (size_t)y * pool->words,
			 pool->words * sizeof(uint64_t));

	if (ret)
		return ret;
	return (x > y) - (x < y);
}

/* Deduplicates the pool into image->classes, numbering classes by first appearance so that the
 * universal class, added first, is class 0, and the empty one, added second, class 1. */
static void classes_finish(struct class_pool *pool, struct hook_image *image)
{
	uint32_t *order = xzalloc(pool->n * sizeof(uint32_t));
	uint32_t *representative = xzalloc(pool->n * sizeof(uint32_t));
	uint32_t next = 0;

	for (uint32_t i = 0; i < pool->n; i++)
		order[i] = i;
	qsort_r(order, pool->n, sizeof(uint32_t), class_compare, pool);
	for (uint32_t i = 0; i < pool->n; i++) {
		bool same = i > 0 && memcmp(pool->bits + (size_t)order[i] * pool->words,
					    pool->bits + (size_t)order[i - 1] * pool->words,
					    pool->words * sizeof(uint64_t)) == 0;

		representative[order[i]] = same ? representative[order[i - 1]] : order[i];
	}
	pool->final = xzalloc(pool->n * sizeof(uint32_t));
	/* a representative never moves up (it is the first of its equals), so the pool compacts in
	 * place and becomes the image's classes: no second copy of them */
	for (uint32_t i = 0; i < pool->n; i++) {
		if (representative[i] != i) {
			pool->final[i] = pool->final[representative[i]];
			continue;
		}
		pool->final[i] = next;
		memmove(pool->bits + (size_t)next++ * pool->words, pool->bits + (size_t)i * pool->words,
			pool->words * sizeof(uint64_t));
	}
	image->nclasses = next;
	image->class_words = pool->words;
	image->classes = xrealloc(pool->bits, ((size_t)next * pool->words + 1) * sizeof(uint64_t));
	pool->bits = NULL;
	free(order);
	free(representative);
}

void exact_path_key(const struct exact_path_entry *entry, unsigned char key[ENDURA_PATH_MAX])
{
	memset(key, 0, ENDURA_PATH_MAX);
	memcpy(key, entry->path, strnlen(entry->path, ENDURA_PATH_MAX - 1));
}

void hook_image_class(const struct hook_image *image, uint32_t class, struct endura_bitset *set)
{
	const uint64_t *words = image->classes + (size_t)class * image->class_words;

	memset(set, 0, sizeof(*set));
	memcpy(set->word, words, image->class_words * sizeof(uint64_t));
	for (uint32_t w = 0; w < image->class_words; w++)
		if (words[w])
			set->agg[w / 64] |= 1ULL << (w % 64);
}

static void bit_assign(uint64_t *bits, uint32_t position, bool value)
{
	if (value)
		bits[position / 64] |= 1ULL << (position % 64);
	else
		bits[position / 64] &= ~(1ULL << (position % 64));
}

/* Does the position satisfy all its matches on the field, given which matches the key hits? */
static bool position_satisfied(const struct field_plan *plan, uint32_t position, uint32_t stamp)
{
	for (uint32_t i = 0; i < plan->count[position]; i++) {
		const struct field_match *m = &plan->matches[plan->first[position] + i];

		if ((m->hit_stamp == stamp) == m->negated)
			return false;
	}
	return true;
}

/* The class of a key nobody names: rules without matches on the field, or only negated ones. */
static uint32_t default_class(struct hook_builder *b, struct field_plan *plan)
{
	memset(b->scratch, 0, b->pool.words * sizeof(uint64_t));
	b->stamp++;
	for (uint32_t p = 0; p < b->image->nrules; p++)
		bit_assign(b->scratch, p, position_satisfied(plan, p, b->stamp));
	return class_add(&b->pool, b->scratch);
}

/* Builds the class of a key from the default bitset, re-deciding only the positions whose matches
 * the key hits. @hits lists the key_refs hit (a key and, for paths, its enclosing subtrees). */
static uint32_t classify(struct hook_builder *b, struct field_plan *plan, const uint64_t *defaults,
			 const struct key_ref *const *hits, uint32_t nhits)
{
	b->stamp++;
	memcpy(b->scratch, defaults, b->pool.words * sizeof(uint64_t));
	for (uint32_t i = 0; i < nhits; i++)
		plan->matches[hits[i]->match].hit_stamp = b->stamp;
	for (uint32_t i = 0; i < nhits; i++) {
		uint32_t position = plan->matches[hits[i]->match].position;

		bit_assign(b->scratch, position, position_satisfied(plan, position, b->stamp));
	}
	return class_add(&b->pool, b->scratch);
}

/* Appends every key_ref of @keys (sorted) equal to @probe to @hits. */
static uint32_t collect_hits(const struct key_ref *keys, uint32_t nkeys,
			     const struct key_ref *probe, const struct key_ref **hits, uint32_t nhits,
			     uint32_t cap)
{
	const struct key_ref *found = bsearch(probe, keys, nkeys, sizeof(*keys), key_compare);

	if (!found)
		return nhits;
	while (found > keys && key_compare(found - 1, probe) == 0)
		found--;
	for (; found < keys + nkeys && key_compare(found, probe) == 0; found++)
		if (nhits < cap)
			hits[nhits++] = found;
	return nhits;
}

/* --- per field ------------------------------------------------------------------------------ */

struct hit_buffer {
	const struct key_ref **refs;
	uint32_t cap;
};

static void hit_buffer_reserve(struct hit_buffer *buffer, uint32_t cap)
{
	if (cap > buffer->cap) {
		buffer->cap = cap;
		buffer->refs = xrealloc(buffer->refs, cap * sizeof(*buffer->refs));
	}
}

/* Appends to @hits the subtrees enclosing a path: its proper prefixes that are keys. */
static uint32_t subtree_hits(const struct field_plan *plan, const char *text, uint32_t len,
			     struct hit_buffer *hits, uint32_t nhits)
{
	for (uint32_t i = 0; i + 1 < len && plan->nsubtrees; i++) {
		struct key_ref prefix = { text, i + 1, 0 };

		if (text[i] == '/')
			nhits = collect_hits(plan->subtrees, plan->nsubtrees, &prefix, hits->refs,
					     nhits, hits->cap);
	}
	return nhits;
}

/* Appends to @hits what a path satisfies: the values equal to it and the subtrees enclosing it. */
static uint32_t path_hits(const struct field_plan *plan, const char *text, uint32_t len,
			  struct hit_buffer *hits, uint32_t nhits)
{
	struct key_ref whole = { text, len, 0 };

	nhits = subtree_hits(plan, text, len, hits, nhits);
	return collect_hits(plan->keys, plan->nkeys, &whole, hits->refs, nhits, hits->cap);
}

/* Path keys are LPM entries. A path whose longest stored prefix is key K satisfies an exact value
 * V iff K is V, and a subtree value S iff S is a prefix of K: so the class of K folds in every
 * stored subtree that encloses it. */
static void compile_paths(struct hook_builder *b, struct hit_buffer *hits)
{
	struct field_plan *plan = &b->fields[FIELD_PATH];
	struct hook_image *image = b->image;
	uint32_t default_id = default_class(b, plan);
	uint64_t *defaults = class_copy(&b->pool, default_id);
	struct exact_path_entry *longs;
	uint32_t unresolved, nlongs = 0;

	image->meta.path_default = default_id;
	image->paths = xzalloc((plan->nkeys + 1) * sizeof(*image->paths));
	image->exact_paths = xzalloc((plan->nkeys + 1) * sizeof(*image->exact_paths));
	longs = xzalloc((plan->nkeys + 1) * sizeof(*longs));
	hit_buffer_reserve(hits, plan->nkeys + 1);
	for (uint32_t k = 0; k < plan->nkeys; k++) {
		const struct key_ref *key = &plan->keys[k];
		const char *text = key->key;
		uint32_t nhits, class;

		if (k > 0 && key_compare(key, &plan->keys[k - 1]) == 0)
			continue;
		nhits = subtree_hits(plan, text, key->len, hits, 0);
		/* the values equal to the key: the run of equal keys it starts */
		for (uint32_t j = k; j < plan->nkeys && key_compare(&plan->keys[j], key) == 0; j++)
			hits->refs[nhits++] = &plan->keys[j];
		class = classify(b, plan, defaults, hits->refs, nhits);
		if (text[key->len - 1] == '/') {
			struct path_entry *entry = &image->paths[image->npaths++];

			memcpy(entry->key.path, text, key->len);
			entry->key.prefixlen = key->len * 8;
			entry->class = class;
		} else {
			/* short paths first, each kind to its own table */
			bool is_short = key->len + 1 <= ENDURA_PATH_SHORT;
			struct exact_path_entry *entry = is_short ?
				&image->exact_paths[image->nshort_paths++] : &longs[nlongs++];

			entry->path = text;
			entry->class = class;
		}
	}
	memcpy(image->exact_paths + image->nshort_paths, longs, nlongs * sizeof(*longs));
	image->nexact_paths = image->nshort_paths + nlongs;
	free(longs);

	/* Fail closed: a path the kernel side cannot resolve (longer than ENDURA_PATH_FULL)
	 * satisfies every path match of rules that do not accept, so a deny or a log still
	 * happens. */
	memset(b->scratch, 0, b->pool.words * sizeof(uint64_t));
	for (uint32_t p = 0; p < image->nrules; p++)
		bit_assign(b->scratch, p, plan->count[p] == 0 ||
			   image->rules[p].verdict != ENDURA_ACCEPT);
	unresolved = class_add(&b->pool, b->scratch);
	image->meta.path_unresolved = unresolved;

	memset(b->scratch, 0, b->pool.words * sizeof(uint64_t));
	for (uint32_t m = 0; m < plan->nmatches; m++)
		if (plan->matches[m].negated)
			bit_assign(b->scratch, plan->matches[m].position, true);
	image->meta.path_negated = class_add(&b->pool, b->scratch);
	free(defaults);
}

struct named_id {
	struct endura_file_id id;
	const char *path;
};

static int named_id_compare(const void *a, const void *b)
{
	const struct named_id *x = a, *y = b;

	return memcmp(&x->id, &y->id, sizeof(x->id));
}

/* A file named by an exact path value is recognised by its identity too, through hardlinks and
 * bind mounts. Its identity class is classified with everything its names satisfy: a file that
 * two values name (a link and its target) is both. So is the directory a subtree value names,
 * under a key of its own (ENDURA_ID_SUBTREE): a file whose directory, or one above it, has that
 * identity is under the subtree whatever name it was reached by. */
static void compile_path_ids(struct hook_builder *b, struct hit_buffer *hits)
{
	struct field_plan *plan = &b->fields[FIELD_PATH];
	struct hook_image *image = b->image;
	struct named_id *named = xzalloc((image->nexact_paths + image->npaths + 1) * sizeof(*named));
	uint64_t *defaults = class_copy(&b->pool, image->meta.path_default);
	uint32_t n = 0;

	/* in order: the paths of one directory in a row */
	for (uint32_t i = 0; i < image->nexact_paths; i++) {
		const char *path = image->exact_paths[i].path;

		if (b->resolver->file_id(b->resolver->ctx, path, &named[n].id) == 0)
			named[n++].path = path;
	}
	for (uint32_t i = 0; i < image->npaths; i++) {
		const char *subtree = (const char *)image->paths[i].key.path;
		size_t len = strlen(subtree);
		char *directory = xasprintf("%.*s", (int)(len > 1 ? len - 1 : len), subtree);

		if (b->resolver->file_id(b->resolver->ctx, directory, &named[n].id) == 0) {
			named[n].id.dev |= ENDURA_ID_SUBTREE;
			named[n++].path = subtree;
		}
		free(directory);
	}
	qsort(named, n, sizeof(*named), named_id_compare);
	image->path_ids = xzalloc((n + 1) * sizeof(*image->path_ids));
	for (uint32_t first = 0, next; first < n; first = next) {
		uint32_t nhits = 0;

		for (next = first; next < n && named_id_compare(&named[next], &named[first]) == 0;
		     next++)
			;
		hit_buffer_reserve(hits, (plan->nkeys + 1) * (next - first));
		for (uint32_t i = first; i < next; i++)
			nhits = path_hits(plan, named[i].path, strlen(named[i].path), hits, nhits);
		image->path_ids[image->npath_ids++] = (struct file_id_entry){
			named[first].id, classify(b, plan, defaults, hits->refs, nhits),
		};
	}
	free(defaults);
	free(named);
}

struct key_class {
	const void *key;
	uint32_t class;
};

/* Exact-value fields: one class per distinct value, in @out. Returns the default class. */
static uint32_t compile_exact(struct hook_builder *b, enum match_field field,
			      struct hit_buffer *hits, struct key_class **out, uint32_t *count)
{
	struct field_plan *plan = &b->fields[field];
	uint32_t default_id = default_class(b, plan);
	uint64_t *defaults = class_copy(&b->pool, default_id);

	hit_buffer_reserve(hits, plan->nkeys + 1);
	*out = xzalloc((plan->nkeys + 1) * sizeof(**out));
	*count = 0;
	for (uint32_t k = 0; k < plan->nkeys; k++) {
		uint32_t nhits;

		if (k > 0 && key_compare(&plan->keys[k], &plan->keys[k - 1]) == 0)
			continue;
		nhits = collect_hits(plan->keys, plan->nkeys, &plan->keys[k], hits->refs, 0,
				     hits->cap);
		(*out)[(*count)++] = (struct key_class){
			plan->keys[k].key, classify(b, plan, defaults, hits->refs, nhits),
		};
	}
	free(defaults);
	return default_id;
}

static void compile_exe(struct hook_builder *b, struct hit_buffer *hits)
{
	struct hook_image *image = b->image;
	struct key_class *keys;

	image->meta.exe_default = compile_exact(b, FIELD_EXE, hits, &keys, &image->nexe_ids);
	image->exe_ids = xzalloc((image->nexe_ids + 1) * sizeof(*image->exe_ids));
	for (uint32_t i = 0; i < image->nexe_ids; i++) {
		memcpy(&image->exe_ids[i].id, keys[i].key, sizeof(struct endura_file_id));
		image->exe_ids[i].class = keys[i].class;
	}
	free(keys);
}

static void compile_uids(struct hook_builder *b, struct hit_buffer *hits)
{
	struct hook_image *image = b->image;
	struct key_class *keys;

	image->meta.uid_default = compile_exact(b, FIELD_UID, hits, &keys, &image->nuids);
	image->uids = xzalloc((image->nuids + 1) * sizeof(*image->uids));
	for (uint32_t i = 0; i < image->nuids; i++) {
		memcpy(&image->uids[i].uid, keys[i].key, sizeof(uint32_t));
		image->uids[i].class = keys[i].class;
	}
	free(keys);
}

/* A chain policy that accepts without logging or counting: reaching it changes nothing, since
 * evaluation goes on with the next chain either way. */
static bool inert_policy(const struct endura_rule_info *rule)
{
	return (rule->flags & ENDURA_RULE_POLICY) && rule->verdict == ENDURA_ACCEPT &&
	       !(rule->flags & (ENDURA_RULE_LOG | ENDURA_RULE_COUNTER));
}

/* Inert policies are left out of every class but the universal one: no decision spends a step on
 * them, and a field value that only they match falls into the empty class, where the decision
 * stops. */
static void leave_out_inert(struct class_pool *pool, const struct hook_image *image)
{
	for (uint32_t p = 0; p < image->nrules; p++) {
		if (!inert_policy(&image->rules[p]))
			continue;
		for (uint32_t id = ENDURA_CLASS_ALL + 1; id < pool->n; id++)
			bit_assign(pool->bits + (size_t)id * pool->words, p, false);
	}
}

/* Whether a rule can make a decision do something: deny, report or count. */
static bool rule_acts(const struct endura_rule_info *rule)
{
	return (rule->verdict == ENDURA_DENY && !(rule->flags & ENDURA_RULE_AUDIT)) ||
	       (rule->flags & (ENDURA_RULE_LOG | ENDURA_RULE_COUNTER));
}

/* What an operation of the access whose class is @class needs looked up (enum endura_need):
 * nothing when none of its rules acts, else the fields its rules match on. A field no rule of
 * the class matches on takes the universal class, which gives the same candidates. */
static uint8_t access_needs(const struct hook_builder *b, const uint64_t *class)
{
	uint8_t needs = 0;
	bool acts = false;

	for (uint32_t p = 0; p < b->image->nrules; p++) {
		if (!(class[p / 64] & (1ULL << (p % 64))))
			continue;
		acts |= rule_acts(&b->image->rules[p]);
		for (int f = 0; f < FIELD_COUNT; f++)
			if (b->fields[f].count[p])
				needs |= field_descs[f].need;
	}
	return acts ? needs | ENDURA_NEED_DECISION : 0;
}

/* Whether the operations of @hook with value @op_value have no file (hook_desc.fileless_values). */
static bool fileless_value(enum hook_type hook, uint32_t op_value)
{
	return op_value < 64 && (hook_descs[hook].fileless_values >> op_value & 1);
}

/* Whether the rule at @position can decide a mapping made executable: a rule that names the
 * path it matches ("path X", "path @set", not only "path != X"), or an exception, which accepts
 * what the other rules would stop. */
static bool decides_mapping(const struct hook_builder *b, uint32_t position)
{
	const struct field_plan *paths = &b->fields[FIELD_PATH];
	const struct endura_rule_info *rule = &b->image->rules[position];

	for (uint32_t i = 0; i < paths->count[position]; i++)
		if (!paths->matches[paths->first[position] + i].negated)
			return true;
	return rule->verdict == ENDURA_ACCEPT && !(rule->flags & ENDURA_RULE_POLICY);
}

/* Classifies every value an operation of @hook can have (enum endura_access), by the hook's
 * value field: its access on the hooks of files, its capability, command or source on the
 * others. A rule on a path holds for no operation without a file (a module from memory).
 * "access write" is satisfied by any open that includes write and by every class of change;
 * "access delete" by deletes only; "access != write" by opens that do not write. A mapping made
 * executable is decided by the rules that name what is mapped and by exceptions: the program
 * that maps is the subject, and a rule on it alone ("exe X deny": X runs nothing), on the paths
 * it may not run or a chain's policy would keep it from mapping its own libraries. */
static void compile_values(struct hook_builder *b, const struct ruleset *ruleset,
			   enum hook_type hook)
{
	enum match_field field = hook_descs[hook].value_field;
	struct field_plan *plan = &b->fields[field];
	const struct match **matches = xzalloc((plan->nmatches + 1) * sizeof(*matches));
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;
	const struct match *match;
	const struct value *value;
	uint32_t m = 0;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list) {
			if (!chain_on_hook(chain, hook))
				continue;
			list_for_each_entry(rule, &chain->rules, list)
				list_for_each_entry(match, &rule->matches, list)
					if (match->field == field)
						matches[m++] = match;
		}
	for (uint32_t op_value = 0; op_value < ENDURA_ACCESS_VALUES; op_value++) {
		b->stamp++;
		for (uint32_t i = 0; i < plan->nmatches; i++)
			list_for_each_entry(value, &matches[i]->values, list)
				if (field_descs[field].covers(value, op_value))
					plan->matches[i].hit_stamp = b->stamp;
		for (uint32_t p = 0; p < b->image->nrules; p++)
			bit_assign(b->scratch, p, position_satisfied(plan, p, b->stamp) &&
				   (op_value != ENDURA_ACCESS_MAP || !hook_descs[hook].decides_mappings ||
				    decides_mapping(b, p)) &&
				   (!fileless_value(hook, op_value) ||
				    !b->fields[FIELD_PATH].count[p]));
		b->image->meta.access[op_value] = class_add(&b->pool, b->scratch);
		b->image->meta.needs[op_value] = access_needs(b, b->scratch);
	}
	free(matches);
}

static void remap_classes(struct hook_image *image, const uint32_t *final)
{
	image->meta.path_default = final[image->meta.path_default];
	image->meta.path_unresolved = final[image->meta.path_unresolved];
	image->meta.path_negated = final[image->meta.path_negated];
	image->meta.exe_default = final[image->meta.exe_default];
	image->meta.uid_default = final[image->meta.uid_default];
	for (uint32_t i = 0; i < ENDURA_ACCESS_VALUES; i++)
		image->meta.access[i] = final[image->meta.access[i]];
	for (uint32_t i = 0; i < image->nexact_paths; i++)
		image->exact_paths[i].class = final[image->exact_paths[i].class];
	for (uint32_t i = 0; i < image->npaths; i++)
		image->paths[i].class = final[image->paths[i].class];
	for (uint32_t i = 0; i < image->npath_ids; i++)
		image->path_ids[i].class = final[image->path_ids[i].class];
	for (uint32_t i = 0; i < image->nexe_ids; i++)
		image->exe_ids[i].class = final[image->exe_ids[i].class];
	for (uint32_t i = 0; i < image->nuids; i++)
		image->uids[i].class = final[image->uids[i].class];
}

static void builder_free(struct hook_builder *b)
{
	for (int f = 0; f < FIELD_COUNT; f++) {
		free(b->fields[f].matches);
		free(b->fields[f].keys);
		free(b->fields[f].subtrees);
		free(b->fields[f].first);
		free(b->fields[f].count);
	}
	free(b->pool.bits);
	free(b->pool.final);
	free(b->scratch);
	free(b->ids);
	free(b->uids);
}

static bool has_subtree_ids(const struct hook_image *image)
{
	for (uint32_t i = 0; i < image->npath_ids; i++)
		if (image->path_ids[i].id.dev & ENDURA_ID_SUBTREE)
			return true;
	return false;
}

static void compile_hook(struct hook_image *image, const struct ruleset *ruleset,
			 enum hook_type hook, const struct resolver *resolver)
{
	struct hook_builder b = { .image = image, .resolver = resolver };
	struct hit_buffer hits = { 0 };

	image->rules = xzalloc((image->nrules + 1) * sizeof(*image->rules));
	image->origins = xzalloc((image->nrules + 1) * sizeof(*image->origins));
	place_rules(image, ruleset, hook);

	b.pool.words = (image->nrules + 63) / 64;
	b.scratch = xzalloc((b.pool.words + 1) * sizeof(uint64_t));
	memset(b.scratch, 0, b.pool.words * sizeof(uint64_t));
	for (uint32_t p = 0; p < image->nrules; p++)
		bit_assign(b.scratch, p, true);
	class_add(&b.pool, b.scratch);	/* ENDURA_CLASS_ALL */
	memset(b.scratch, 0, b.pool.words * sizeof(uint64_t));
	class_add(&b.pool, b.scratch);	/* ENDURA_CLASS_NONE, when the hook has rules */

	plan_fields(&b, ruleset, hook);
	compile_paths(&b, &hits);
	compile_path_ids(&b, &hits);
	compile_exe(&b, &hits);
	compile_uids(&b, &hits);
	compile_values(&b, ruleset, hook);
	image->meta.nrules = image->nrules;
	image->meta.lookups = (image->nshort_paths ? ENDURA_LOOKUP_SHORT_PATHS : 0) |
			      (image->nexact_paths > image->nshort_paths ?
			       ENDURA_LOOKUP_LONG_PATHS : 0) |
			      (image->npaths ? ENDURA_LOOKUP_PREFIXES : 0) |
			      (image->npath_ids ? ENDURA_LOOKUP_PATH_IDS : 0) |
			      (image->nexe_ids ? ENDURA_LOOKUP_EXE_IDS : 0) |
			      (image->nuids ? ENDURA_LOOKUP_UIDS : 0) |
			      (has_subtree_ids(image) ? ENDURA_LOOKUP_SUBTREE_IDS : 0);

	leave_out_inert(&b.pool, image);
	classes_finish(&b.pool, image);
	remap_classes(image, b.pool.final);
	free(hits.refs);
	builder_free(&b);
}

/* --- verdict maps -------------------------------------------------------------------------- */

static bool has_vmap(const struct ruleset *ruleset)
{
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list)
			list_for_each_entry(rule, &chain->rules, list)
				if (rule_vmap(rule))
					return true;
	return false;
}

/* The rule for one key of @rule's vmap: a copy of the rule whose vmap holds that key alone (an
 * equality match on the field, still flagged so that place_rules knows its siblings), with the
 * key's verdict and location. */
static struct rule *vmap_key_rule(const struct rule *rule, uint32_t index)
{
	struct rule *copy = rule_clone(rule);
	struct match *vmap = rule_vmap(copy);
	struct value *value, *next, *key = NULL;
	uint32_t i = 0;

	list_for_each_entry_safe(value, next, &vmap->values, list)
		if (i++ == index)
			key = value;
		else
			value_free(value);
	copy->verdict = key->verdict;
	copy->loc = key->loc;
	key->verdict = VERDICT_NONE;
	vmap->braces = false;
	return copy;
}

/* Replaces every rule with a vmap by one rule per key, in written order. */
static void expand_vmaps(struct ruleset *ruleset)
{
	struct table *table;
	struct chain *chain;
	struct rule *rule, *next;
	const struct match *vmap;
	const struct value *key;
	uint32_t index;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list)
			list_for_each_entry_safe(rule, next, &chain->rules, list) {
				vmap = rule_vmap(rule);
				if (!vmap)
					continue;
				index = 0;
				list_for_each_entry(key, &vmap->values, list)
					list_add_tail(&vmap_key_rule(rule, index++)->list, &rule->list);
				rule_free(rule);
			}
}

/* The most rules one decision can act on: every rule that lets evaluation go on (log, counter),
 * and in each chain the one that ends it. The kernel's decision loop is bounded by it. */
static uint32_t reachable_actions(const struct hook_image *image)
{
	uint32_t n = 0;

	for (uint32_t p = 0; p < image->nrules; p++)
		n += image->rules[p].verdict == ENDURA_CONTINUE ||
		     (image->rules[p].flags & ENDURA_RULE_POLICY);
	return n;
}

int compile_ruleset(const struct ruleset *ruleset, const struct resolver *resolver,
		    struct table_image *image, struct diag_list *diags)
{
	memset(image, 0, sizeof(*image));
	if (has_vmap(ruleset)) {
		image->expanded = xzalloc(sizeof(*image->expanded));
		ruleset_clone(image->expanded, ruleset);
		expand_vmaps(image->expanded);
		ruleset = image->expanded;
	}
	for (int hook = 0; hook < HOOK_COUNT; hook++) {
		uint32_t n = count_positions(ruleset, hook);

		if (n > ENDURA_MAX_RULES) {
			diag_error(diags, NULL,
				   "hook %s has %u rules and chain policies; at most %u are supported",
				   hook_name(hook), n, ENDURA_MAX_RULES);
			table_image_free(image);
			return -1;
		}
		image->hooks[hook].nrules = n;
		if (n)
			compile_hook(&image->hooks[hook], ruleset, hook, resolver);
		n = reachable_actions(&image->hooks[hook]);
		if (n > ENDURA_MAX_ACTIONS) {
			diag_error(diags, NULL,
				   "hook %s: one operation could meet %u rules that act on it (each "
				   "rule without a verdict, and one per chain); at most %u are supported",
				   hook_name(hook), n, ENDURA_MAX_ACTIONS);
			table_image_free(image);
			return -1;
		}
	}
	warn_shadowed_rules(image, diags);
	return 0;
}

void table_image_free(struct table_image *image)
{
	for (int hook = 0; hook < HOOK_COUNT; hook++) {
		struct hook_image *h = &image->hooks[hook];

		free(h->rules);
		free(h->origins);
		free(h->classes);
		free(h->exact_paths);
		free(h->paths);
		free(h->path_ids);
		free(h->exe_ids);
		free(h->uids);
		for (uint32_t i = 0; i < h->nsubtree_dirs; i++)
			free(h->subtree_dirs[i]);
		free(h->subtree_dirs);
	}
	if (image->expanded) {
		ruleset_free(image->expanded);
		free(image->expanded);
	}
	memset(image, 0, sizeof(*image));
}
