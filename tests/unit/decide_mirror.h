/* SPDX-License-Identifier: GPL-2.0-only */
/* A compiled ruleset and what the kernel decides with it: a mirror of decide() in
 * bpf/decide.bpf.h, shared by the tests of the compiler and of verdict maps. */
#ifndef ENDURA_TEST_DECIDE_MIRROR_H
#define ENDURA_TEST_DECIDE_MIRROR_H

#include <errno.h>
#include <inttypes.h>

#include "testutil.h"

#define ALLOWED	0
#define DENIED	(-EPERM)

/* --- compiling ------------------------------------------------------------------------------ */

struct compiled {
	struct session *session;	/* the origins point into its ruleset, or the image's copy */
	struct resolver resolver;
	struct table_image image;
	const struct hook_image *open, *exec;
};

static inline void compiled_free(struct compiled *c)
{
	table_image_free(&c->image);
	session_free(c->session);
	free(c);
}

/* --- the kernel's decision, mirrored -------------------------------------------------------- */

/* What decide() in bpf/decide.bpf.h does with the maps, done here with the image that tables.c
 * copies into them entry for entry: nothing when the access's needs say no rule can act, else
 * the lookups the needs name, the universal class for the others (exact path in the table of short or long
 * keys by the path's size, else the longest subtree, else path_default; path_unresolved when the
 * path could not be built; the file's identity; exe; uid; the access mask), the same combination
 * of the path and identity classes, the same search from a position (aggregate words, then the
 * words they mark) and the same steps: continue goes on with the next position, accept jumps to
 * chain_end, deny stops, deny in an audit table goes on at chain_end. The compiler lets no ruleset
 * reach more than ENDURA_MAX_ACTIONS rules in one decision, so the kernel never stops short.
 * Keep it faithful to decide.bpf.h: these tests say what the kernel decides only as long as it
 * is. */

/* What a hook knows of an operation (struct endura_subject), with files named for the resolver. */
struct subject {
	enum hook_type hook;
	const char *path;	/* as the kernel side builds it; NULL: longer than ENDURA_PATH_FULL */
	uint32_t access;	/* ENDURA_ACCESS_*: X on the exec hook */
	const char *exe;	/* the process's executable; NULL: none (a kernel thread) */
	uint32_t uid;
	const char *file;	/* another name of the file, for its identity; NULL: @path */
	bool no_file;		/* the object has none: a process without an executable */
};

enum decision_field { D_PATH, D_PATH_ID, D_NEGATED, D_ACCESS, D_EXE, D_UID, D_FIELDS };

struct decision {
	const struct endura_bitset *path, *path_id, *negated, *access, *exe, *uid;
	struct endura_bitset held[D_FIELDS];	/* the classes as the class table holds them */
};

/* The kernel's lookup of a class past the last fails, and the decision allows: a broken image. */
static inline const struct endura_bitset *class_of(const struct hook_image *h, uint32_t class,
						   struct decision *d, enum decision_field field)
{
	assert_true(class < h->nclasses);
	hook_image_class(h, class, &d->held[field]);
	return &d->held[field];
}

static inline uint64_t path_word(const struct decision *d, uint32_t w)
{
	uint64_t by_path = d->path->word[w], by_id;

	if (!d->path_id)
		return by_path;
	by_id = d->path_id->word[w];
	return ((by_path | by_id) & ~d->negated->word[w]) | (by_path & by_id);
}

static inline uint64_t path_agg(const struct decision *d, uint32_t a)
{
	return d->path_id ? d->path->agg[a] | d->path_id->agg[a] : d->path->agg[a];
}

/* first_match(): the first position at or after @from in every class, or -1. */
static inline int first_match(const struct decision *d, uint32_t from)
{
	uint32_t from_word = from / 64;

	for (uint32_t a = 0; a < ENDURA_AGG_WORDS; a++) {
		uint64_t agg = path_agg(d, a) & d->access->agg[a] & d->exe->agg[a] & d->uid->agg[a];

		if (from_word >= (a + 1) * 64)
			continue;
		if (from_word > a * 64)
			agg &= ~0ULL << (from_word - a * 64);
		for (; agg; agg &= agg - 1) {
			uint32_t w = a * 64 + (uint32_t)__builtin_ctzll(agg);
			uint64_t word = path_word(d, w) & d->access->word[w] & d->exe->word[w] &
					d->uid->word[w];

			if (w == from_word)
				word &= ~0ULL << (from % 64);
			if (word)
				return (int)(w * 64 + (uint32_t)__builtin_ctzll(word));
		}
	}
	return -1;
}

/* The class the path's lookups give: exact, then longest prefix; NULL for path_default. A path
 * longer than ENDURA_PATH_MAX bytes is looked up by its first ENDURA_PATH_MAX bytes, as a subtree
 * only. */
static inline const uint32_t *lookup_path(const struct hook_image *h, const char *path)
{
	struct endura_path_key key = { 0 };
	unsigned char stored[ENDURA_PATH_MAX];
	uint32_t size = (uint32_t)strlen(path) + 1;
	uint32_t kept = size < ENDURA_PATH_MAX ? size : ENDURA_PATH_MAX;
	const struct path_entry *best = NULL;

	assert_true(size <= ENDURA_PATH_FULL);
	memcpy(key.path, path, kept);
	key.prefixlen = kept * 8;
	if (size <= ENDURA_PATH_SHORT) {
		for (uint32_t i = 0; i < h->nshort_paths; i++) {
			exact_path_key(&h->exact_paths[i], stored);
			if (memcmp(stored, key.path, ENDURA_PATH_SHORT) == 0)
				return &h->exact_paths[i].class;
		}
	} else if (size <= ENDURA_PATH_MAX) {
		for (uint32_t i = h->nshort_paths; i < h->nexact_paths; i++) {
			exact_path_key(&h->exact_paths[i], stored);
			if (memcmp(stored, key.path, ENDURA_PATH_MAX) == 0)
				return &h->exact_paths[i].class;
		}
	}
	for (uint32_t i = 0; i < h->npaths; i++) {
		const struct path_entry *entry = &h->paths[i];

		if (entry->key.prefixlen <= key.prefixlen &&
		    memcmp(entry->key.path, key.path, entry->key.prefixlen / 8) == 0 &&
		    (!best || entry->key.prefixlen > best->key.prefixlen))
			best = entry;
	}
	return best ? &best->class : NULL;
}

static inline const uint32_t *lookup_id(const struct file_id_entry *entries, uint32_t n,
				 const struct endura_file_id *id)
{
	for (uint32_t i = 0; i < n; i++)
		if (entries[i].id.dev == id->dev && entries[i].id.ino == id->ino)
			return &entries[i].class;
	return NULL;
}

static inline const uint32_t *lookup_uid(const struct hook_image *h, uint32_t uid)
{
	for (uint32_t i = 0; i < h->nuids; i++)
		if (h->uids[i].uid == uid)
			return &h->uids[i].class;
	return NULL;
}

/* The identity of a named file; @unknown for a name the resolver does not know. */
static inline struct endura_file_id identity(const struct resolver *resolver, const char *name,
				      struct endura_file_id unknown)
{
	struct endura_file_id id = unknown;

	if (name && resolver->file_id(resolver->ctx, name, &id) < 0)
		id = unknown;
	return id;
}

/* The steps of a decision, as text in a buffer of @size bytes: what does not fit is cut. */
struct trace {
	char *text;
	size_t len, size;
	uint32_t steps;
};

/* One step: "HANDLE VERDICT" or "policy HANDLE VERDICT", then what the rule's flags made the
 * kernel do: "counter" (a hit counted), "log" (an event reported); steps separated by "; ". */
static inline void trace_step(struct trace *t, const struct endura_rule_info *rule, const char *verdict)
{
	int n = 0;

	if (t->len < t->size)
		n = snprintf(t->text + t->len, t->size - t->len, "%s%s%" PRIu64 " %s%s%s",
			     t->steps ? "; " : "", rule->flags & ENDURA_RULE_POLICY ? "policy " : "",
			     (uint64_t)rule->handle, verdict,
			     rule->flags & ENDURA_RULE_COUNTER ? " counter" : "", rule->flags & ENDURA_RULE_LOG ? " log" : "");
	t->len += n > 0 ? (size_t)n : 0;
	t->steps++;
}

/* decide(): 0 or -EPERM, and every step in @t. */
static inline int decide(const struct compiled *c, const struct subject *s, struct trace *t)
{
	const struct hook_image *h = &c->image.hooks[s->hook];
	const struct endura_hook_meta *m = &h->meta;
	/* a file or an executable nobody names, and the zero exe of a kernel thread */
	const struct endura_file_id unknown = { UINT64_MAX, UINT64_MAX }, none = { 0, 0 };
	struct endura_file_id object, exe;
	struct decision d;
	const uint32_t *found;
	uint32_t position = 0;

	t->text[0] = '\0';
	t->len = 0;
	t->steps = 0;
	uint8_t needs;

	if (!m->nrules)
		return 0;
	needs = m->needs[s->access & (ENDURA_ACCESS_VALUES - 1)];
	if (!(needs & ENDURA_NEED_DECISION))
		return 0;
	d.path = class_of(h, ENDURA_CLASS_ALL, &d, D_PATH);
	d.path_id = NULL;
	d.negated = class_of(h, m->path_negated, &d, D_NEGATED);
	if (needs & ENDURA_NEED_PATH && s->no_file) {
		/* no path holds, every "!=" does */
		d.path = class_of(h, m->path_default, &d, D_PATH);
	} else if (needs & ENDURA_NEED_PATH) {
		if (s->path) {
			found = lookup_path(h, s->path);
			d.path = class_of(h, found ? *found : m->path_default, &d, D_PATH);
		} else {
			d.path = class_of(h, m->path_unresolved, &d, D_PATH);
		}
		object = identity(&c->resolver, s->file ? s->file : s->path, unknown);
		found = lookup_id(h->path_ids, h->npath_ids, &object);
		d.path_id = found ? class_of(h, *found, &d, D_PATH_ID) : NULL;
	}
	d.access = class_of(h, m->access[s->access & (ENDURA_ACCESS_VALUES - 1)], &d, D_ACCESS);
	d.exe = class_of(h, ENDURA_CLASS_ALL, &d, D_EXE);
	if (needs & ENDURA_NEED_EXE) {
		exe = s->exe ? identity(&c->resolver, s->exe, unknown) : none;
		found = lookup_id(h->exe_ids, h->nexe_ids, &exe);
		d.exe = class_of(h, found ? *found : m->exe_default, &d, D_EXE);
	}
	d.uid = class_of(h, ENDURA_CLASS_ALL, &d, D_UID);
	if (needs & ENDURA_NEED_UID) {
		found = lookup_uid(h, s->uid);
		d.uid = class_of(h, found ? *found : m->uid_default, &d, D_UID);
	}

	for (;;) {
		int at = first_match(&d, position);
		const struct endura_rule_info *rule;

		if (at < 0)
			break;
		assert_true((uint32_t)at < h->nrules);
		assert_true(t->steps < ENDURA_MAX_ACTIONS);
		rule = &h->rules[at];
		if (rule->verdict == ENDURA_CONTINUE) {
			trace_step(t, rule, "continue");
			position = (uint32_t)at + 1;
		} else if (rule->verdict == ENDURA_DENY && !(rule->flags & ENDURA_RULE_AUDIT)) {
			trace_step(t, rule, "deny");
			return -EPERM;
		} else {
			trace_step(t, rule, rule->verdict == ENDURA_DENY ? "audit" : "accept");
			position = rule->chain_end;
		}
	}
	return 0;
}

struct decide_case {
	const char *what;
	struct subject subject;
	int result;		/* ALLOWED or DENIED */
	const char *trace;
};

/* Decides every case; each mismatch is printed and counted. */
static inline unsigned int decide_cases(const struct compiled *c, const struct decide_case *cases,
				 size_t n)
{
	unsigned int failed = 0;

	for (size_t i = 0; i < n; i++) {
		char text[1024];
		struct trace trace = { .text = text, .size = sizeof(text) };
		int result = decide(c, &cases[i].subject, &trace);

		if (result == cases[i].result && strcmp(text, cases[i].trace) == 0)
			continue;
		print_error("%s: %s by \"%s\", expected %s by \"%s\"\n", cases[i].what,
			    result ? "denied" : "allowed", text,
			    cases[i].result ? "denied" : "allowed", cases[i].trace);
		failed++;
	}
	return failed;
}

/* The cases decided with the image of @c, which is freed before a mismatch fails the test. */
#define ASSERT_DECIDE_CASES(c, cases)                                                      \
	do {                                                                               \
		unsigned int failed_ = decide_cases(c, cases, sizeof(cases) / sizeof(cases[0])); \
		compiled_free(c);                                                          \
		assert_int_equal(failed_, 0);                                              \
	} while (0)

#define OPEN	.hook = HOOK_FILE_OPEN
#define EXEC	.hook = HOOK_EXEC

#endif
