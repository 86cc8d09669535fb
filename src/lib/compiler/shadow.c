// SPDX-License-Identifier: GPL-2.0-only
/* Rules that can never decide: an earlier rule of the same chain ends evaluation for every
 * operation they cover. Found on the compiled classes, so that it agrees with the kernel side:
 * rule E covers rule R when, field by field, every class holding R holds E too. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "fields.h"
#include "hooks.h"
#include "xalloc.h"

struct field_classes {
	uint32_t *ids;
	uint32_t count;
};

static void add_class(struct field_classes *f, uint32_t id)
{
	f->ids[f->count++] = id;
}

static int id_compare(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Each class once: many keys share one (the elements of a set). */
static void unique_classes(struct field_classes *f)
{
	uint32_t n = 0;

	qsort(f->ids, f->count, sizeof(uint32_t), id_compare);
	for (uint32_t i = 0; i < f->count; i++)
		if (!n || f->ids[n - 1] != f->ids[i])
			f->ids[n++] = f->ids[i];
	f->count = n;
}

/* The classes a field's values can fall in: its keys' classes and its default. */
static void collect_classes(const struct hook_image *h, enum match_field value_field,
			    struct field_classes fields[FIELD_COUNT])
{
	fields[FIELD_PATH].ids = xzalloc((h->npaths + h->nexact_paths + h->npath_ids + 3) *
					 sizeof(uint32_t));
	for (uint32_t i = 0; i < h->nexact_paths; i++)
		add_class(&fields[FIELD_PATH], h->exact_paths[i].class);
	for (uint32_t i = 0; i < h->npaths; i++)
		add_class(&fields[FIELD_PATH], h->paths[i].class);
	for (uint32_t i = 0; i < h->npath_ids; i++)
		add_class(&fields[FIELD_PATH], h->path_ids[i].class);
	add_class(&fields[FIELD_PATH], h->meta.path_default);
	/* a path too long to resolve is a case too: it fails closed */
	add_class(&fields[FIELD_PATH], h->meta.path_unresolved);

	fields[FIELD_EXE].ids = xzalloc((h->nexe_ids + 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < h->nexe_ids; i++)
		add_class(&fields[FIELD_EXE], h->exe_ids[i].class);
	add_class(&fields[FIELD_EXE], h->meta.exe_default);

	fields[FIELD_UID].ids = xzalloc((h->nuids + 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < h->nuids; i++)
		add_class(&fields[FIELD_UID], h->uids[i].class);
	add_class(&fields[FIELD_UID], h->meta.uid_default);

	fields[value_field].ids = xzalloc(ENDURA_ACCESS_VALUES * sizeof(uint32_t));
	for (uint32_t i = 0; i < ENDURA_ACCESS_VALUES; i++)
		add_class(&fields[value_field], h->meta.access[i]);
	for (int field = 0; field < FIELD_COUNT; field++) {
		if (!fields[field].ids)	/* a field the hook does not offer: no class */
			fields[field].ids = xzalloc(sizeof(uint32_t));
		unique_classes(&fields[field]);
	}
}

static bool constrains(const struct rule *rule, enum match_field field)
{
	const struct match *match;

	list_for_each_entry(match, &rule->matches, list)
		if (field_dimension(match->field) == field)
			return true;
	return false;
}

/* A file reached by a name and by the identity of another satisfies "path != X" only if both
 * names do: the classes alone cannot tell whether such a rule covers another. */
static bool negates_path(const struct position_origin *o)
{
	const struct match *match;

	if (!o->rule)
		return false;
	list_for_each_entry(match, &o->rule->matches, list)
		if (field_dimension(match->field) == FIELD_PATH && match->op == OP_NEQ)
			return true;
	return false;
}

static const uint64_t *class_words(const struct hook_image *h, uint32_t id)
{
	return h->classes + (size_t)id * h->class_words;
}

/* The rows of cover[p] for the positions [first, last): those of a block at a time, so that the
 * matrix of a large ruleset never exists whole. */
struct cover_block {
	uint32_t first, last;
	uint64_t *rows;		/* [last - first][class_words] */
};

/* cover[p] = the rules present in every class of the field that holds p. Rules that do not
 * constrain the field are in all its classes: for them that is @all, the AND of all the
 * classes. @constrained[p] has bit @field set when rule p matches on the field. */
static void cover_field(const struct hook_image *h, const struct field_classes *f,
			enum match_field field, const uint8_t *constrained, const uint64_t *all,
			struct cover_block *b)
{
	uint32_t words = h->class_words;

	for (uint32_t p = b->first; p < b->last; p++)
		if (!(constrained[p] & (1u << field)))
			for (uint32_t w = 0; w < words; w++)
				b->rows[(size_t)(p - b->first) * words + w] &= all[w];
	for (uint32_t i = 0; i < f->count; i++) {
		const uint64_t *bits = class_words(h, f->ids[i]);

		for (uint32_t w = b->first / 64; w <= (b->last - 1) / 64; w++) {
			for (uint64_t held = bits[w]; held; held &= held - 1) {
				uint32_t p = w * 64 + (uint32_t)__builtin_ctzll(held);

				if (p < b->first || p >= b->last || !(constrained[p] & (1u << field)))
					continue;
				for (uint32_t v = 0; v < words; v++)
					b->rows[(size_t)(p - b->first) * words + v] &= bits[v];
			}
		}
	}
}

static void warn_rule(const struct hook_image *h, uint32_t p, uint32_t by, struct diag_list *diags)
{
	const struct rule *shadowed = h->origins[p].rule, *earlier = h->origins[by].rule;

	if (location_known(&earlier->loc) && earlier->loc.first_line)
		diag_warning(diags, &shadowed->loc,
			     "this rule never decides: the rule at line %u of %s decides everything "
			     "it covers first", earlier->loc.first_line, earlier->loc.input->name);
	else
		diag_warning(diags, &shadowed->loc,
			     "this rule never decides: the rule with handle %llu decides everything "
			     "it covers first", (unsigned long long)earlier->handle);
}

/* Positions a block of cover rows takes: about 1 MiB of them. */
static uint32_t block_positions(uint32_t words)
{
	uint32_t n = (1u << 17) / words;

	return n ? n : 1;
}

static void check_hook(const struct hook_image *h, enum match_field value_field,
		       struct diag_list *diags)
{
	uint32_t words = h->class_words, step = block_positions(words);
	struct field_classes fields[FIELD_COUNT] = { { 0 } };
	uint64_t *all = xzalloc(((size_t)FIELD_COUNT * words + 1) * sizeof(uint64_t));
	uint64_t *terminal = xzalloc((words + 1) * sizeof(uint64_t));
	uint8_t *constrained = xzalloc(h->nrules + 1);
	struct cover_block block = {
		.rows = xzalloc(((size_t)step * words + 1) * sizeof(uint64_t)),
	};
	uint32_t chain_start = 0, reported = 0, end;

	for (uint32_t p = 0; p < h->nrules; p++) {
		if (h->rules[p].verdict != ENDURA_CONTINUE &&
		    !(h->npath_ids && negates_path(&h->origins[p])))
			terminal[p / 64] |= 1ULL << (p % 64);
		for (int field = 0; field < FIELD_COUNT; field++)
			if (h->origins[p].rule && constrains(h->origins[p].rule, field))
				constrained[p] |= 1u << field;
		/* a rule without a match on the hook's value field is still not in every class of
		 * its values: a mapping's holds only the rules that decide mappings */
		constrained[p] |= 1u << value_field;
	}
	collect_classes(h, value_field, fields);
	memset(all, 0xff, (size_t)FIELD_COUNT * words * sizeof(uint64_t));
	for (int field = 0; field < FIELD_COUNT; field++)
		for (uint32_t i = 0; i < fields[field].count; i++)
			for (uint32_t w = 0; w < words; w++)
				all[(size_t)field * words + w] &= class_words(h, fields[field].ids[i])[w];

	for (uint32_t p = 0; p < h->nrules; p++) {
		const struct position_origin *o = &h->origins[p];
		const uint64_t *cover;

		if (p == block.last) {
			block.first = p;
			block.last = h->nrules - p < step ? h->nrules : p + step;
			memset(block.rows, 0xff, (size_t)step * words * sizeof(uint64_t));
			for (int field = 0; field < FIELD_COUNT; field++)
				cover_field(h, &fields[field], field, constrained,
					    all + (size_t)field * words, &block);
		}
		cover = block.rows + (size_t)(p - block.first) * words;
		if (p > 0 && h->origins[p - 1].chain != o->chain)
			chain_start = p;
		/* as many as errors are shown: a generated ruleset may repeat one mistake */
		if (!o->rule || !location_known(&o->rule->loc) || reported >= DIAG_MAX_ERRORS)
			continue;
		/* the positions of one rule's vmap keys do not shadow each other: only the rules
		 * before it count */
		end = o->rule_start;
		for (uint32_t w = chain_start / 64; w <= (end - 1) / 64 && end > chain_start; w++) {
			uint64_t bits = cover[w] & terminal[w];

			if (w == chain_start / 64)
				bits &= ~0ULL << (chain_start % 64);
			if (w == (end - 1) / 64 && end % 64)
				bits &= ~0ULL >> (64 - end % 64);
			if (bits) {
				warn_rule(h, p, w * 64 + __builtin_ctzll(bits), diags);
				reported++;
				break;
			}
		}
	}
	free(block.rows);
	free(constrained);
	free(terminal);
	for (int field = 0; field < FIELD_COUNT; field++)
		free(fields[field].ids);
	free(all);
}

void warn_shadowed_rules(const struct table_image *image, struct diag_list *diags)
{
	for (int hook = 0; hook < HOOK_COUNT; hook++)
		if (image->hooks[hook].nrules)
			check_hook(&image->hooks[hook], hook_descs[hook].value_field, diags);
}
