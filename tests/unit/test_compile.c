// SPDX-License-Identifier: GPL-2.0-only
/* The compiler: the exact contents of the decision tables for small rulesets (positions, rule
 * infos, classes, path, identity, exe, uid and access tables, the default and special classes), the
 * limit on rules per hook, and what the kernel decides with those tables, computed by a mirror of
 * bpf/decide.bpf.h, for the shipped rules.d and for hand-written rulesets. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "decide_mirror.h"
#include "hooks.h"
#include "system_lookup.h"

#define B(n)	(1ULL << (n))

#define R	ENDURA_ACCESS_READ
#define W	ENDURA_ACCESS_WRITE
#define X	ENDURA_ACCESS_EXEC

#define LOG	ENDURA_RULE_LOG
#define COUNTER	ENDURA_RULE_COUNTER
#define AUDIT	ENDURA_RULE_AUDIT
#define POLICY	ENDURA_RULE_POLICY

/* The files the resolver knows. Two names with one identity are hard links of one file. */
static const struct fake_file files[] = {
	{ "/etc/shadow", { 8, 100 } },
	{ "/etc/gshadow", { 8, 101 } },
	{ "/usr/bin/passwd", { 8, 200 } },
	{ "/usr/sbin/chpasswd", { 8, 201 } },
	{ "/usr/bin/chage", { 8, 202 } },
	{ "/usr/bin/gpasswd", { 8, 203 } },
	{ "/usr/sbin/useradd", { 8, 204 } },
	{ "/usr/sbin/usermod", { 8, 205 } },
	{ "/usr/sbin/userdel", { 8, 206 } },
	{ "/usr/sbin/groupadd", { 8, 207 } },
	{ "/usr/sbin/groupmod", { 8, 208 } },
	{ "/usr/sbin/groupdel", { 8, 209 } },
	{ "/usr/sbin/vipw", { 8, 210 } },
	{ "/usr/bin/vi", { 8, 300 } },
	{ "/usr/bin/vim", { 8, 300 } },
	{ "/usr/bin/sh", { 8, 301 } },
	{ "/srv/allowed", { 9, 1 } },
	{ "/srv/tree", { 9, 50 } },
	{ "/srv/tree/inner", { 9, 51 } },
	{ "/srv/a/file", { 9, 2 } },
	{ "/srv/b/link", { 9, 2 } },
	{ NULL },
};

#define VI	"/usr/bin/vi"
#define PASSWD	"/usr/bin/passwd"

/* --- compiling, and what every image must be ------------------------------------------------ */

/* The bits of word @w that stand for positions of a hook of @nrules. */
static uint64_t positions_in_word(uint32_t nrules, uint32_t w)
{
	if (w * 64 >= nrules)
		return 0;
	return (w + 1) * 64 <= nrules ? UINT64_MAX : B(nrules % 64) - 1;
}

/* What the kernel side relies on: class 0 holds every rule, no class holds a position past the
 * last, aggregate bits mark exactly the non-empty words, classes are distinct, every class named
 * exists, map keys are unique (a BPF hash map would keep only one of two), exact paths are short
 * or long as the table they go to, subtrees end with '/' and are keyed without their NUL, and
 * every rule jumps forward to the end of a chain closed by its policy. */
static void check_hook(const struct hook_image *h)
{
	const struct endura_hook_meta *m = &h->meta;
	uint32_t refs[] = { m->path_default, m->exe_default, m->uid_default, m->path_unresolved,
			    m->path_negated };

	assert_int_equal(m->nrules, h->nrules);
	if (!h->nrules) {
		assert_null(h->rules);
		assert_null(h->classes);
		assert_int_equal(h->nclasses, 0);
		return;
	}
	assert_true(h->nclasses >= 1);
	for (uint32_t c = 0; c < h->nclasses; c++) {
		struct endura_bitset set, other;

		hook_image_class(h, c, &set);
		for (uint32_t w = 0; w < ENDURA_BITSET_WORDS; w++) {
			uint64_t valid = positions_in_word(h->nrules, w);

			assert_int_equal(set.word[w] & ~valid, 0);
			if (c == ENDURA_CLASS_ALL)
				assert_int_equal(set.word[w], valid);
			assert_int_equal(!!(set.agg[w / 64] & B(w % 64)), set.word[w] != 0);
		}
		for (uint32_t d = 0; d < c; d++) {
			hook_image_class(h, d, &other);
			assert_memory_not_equal(set.word, other.word, sizeof(set.word));
		}
	}
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		assert_true(refs[i] < h->nclasses);
	for (uint32_t i = 0; i < ENDURA_ACCESS_VALUES; i++)
		assert_true(m->access[i] < h->nclasses);

	assert_true(h->nshort_paths <= h->nexact_paths);
	for (uint32_t i = 0; i < h->nexact_paths; i++) {
		const char *path = h->exact_paths[i].path;
		size_t len = strnlen(path, ENDURA_PATH_MAX);

		assert_true(len > 0 && len < ENDURA_PATH_MAX && path[len - 1] != '/');
		assert_int_equal(len + 1 <= ENDURA_PATH_SHORT, i < h->nshort_paths);
		assert_true(h->exact_paths[i].class < h->nclasses);
		for (uint32_t j = 0; j < i; j++)
			assert_string_not_equal(path, h->exact_paths[j].path);
	}
	for (uint32_t i = 0; i < h->npaths; i++) {
		const struct endura_path_key *key = &h->paths[i].key;
		size_t len = strnlen((const char *)key->path, ENDURA_PATH_MAX);

		assert_true(len > 0 && len < ENDURA_PATH_MAX && key->path[len - 1] == '/');
		assert_int_equal(key->prefixlen, len * 8);
		assert_true(h->paths[i].class < h->nclasses);
		for (uint32_t j = 0; j < i; j++)
			assert_string_not_equal((const char *)key->path,
						(const char *)h->paths[j].key.path);
	}
	for (uint32_t i = 0; i < h->npath_ids; i++) {
		assert_true(h->path_ids[i].class < h->nclasses);
		for (uint32_t j = 0; j < i; j++)
			assert_memory_not_equal(&h->path_ids[i].id, &h->path_ids[j].id,
						sizeof(struct endura_file_id));
	}
	for (uint32_t i = 0; i < h->nexe_ids; i++) {
		assert_true(h->exe_ids[i].class < h->nclasses);
		for (uint32_t j = 0; j < i; j++)
			assert_memory_not_equal(&h->exe_ids[i].id, &h->exe_ids[j].id,
						sizeof(struct endura_file_id));
	}
	for (uint32_t i = 0; i < h->nuids; i++) {
		assert_true(h->uids[i].class < h->nclasses);
		for (uint32_t j = 0; j < i; j++)
			assert_int_not_equal(h->uids[i].uid, h->uids[j].uid);
	}
	for (uint32_t p = 0; p < h->nrules; p++) {
		uint32_t end = h->rules[p].chain_end;

		assert_true(end > p && end <= h->nrules);
		/* a policy closes its chain; the rules before it share its end */
		if (h->rules[p].flags & POLICY)
			assert_int_equal(end, p + 1);
		else
			assert_int_equal(h->rules[p + 1].chain_end, end);
		assert_int_equal(h->rules[p].pad, 0);
		assert_int_equal(h->origins[p].rule == NULL, !!(h->rules[p].flags & POLICY));
	}
}

static struct compiled *compile_session(struct session *s)
{
	struct compiled *c = xzalloc(sizeof(*c));

	c->session = s;
	c->resolver = fake_resolver(files);
	session_compile(s, &c->resolver, &c->image);
	for (int hook = 0; hook < HOOK_COUNT; hook++)
		check_hook(&c->image.hooks[hook]);
	c->open = &c->image.hooks[HOOK_FILE_OPEN];
	c->exec = &c->image.hooks[HOOK_EXEC];
	return c;
}

/* @text applied to an empty ruleset, evaluated and compiled, all without a diagnostic. */
static struct compiled *compile_text(const char *text)
{
	return compile_session(session_from(text));
}

/* Table t with one chain c on @hook with policy accept: table 1, chain 2, rules from 3. @rules are
 * lines, each ended by a newline. */
#define CHAIN(hook, rules) \
	"table t {\n\tchain c {\n\t\thook " hook "; policy accept\n" rules "\t}\n}\n"


/* The positions of a class, for hooks of at most 64 positions. */
static uint64_t bits(const struct hook_image *h, uint32_t class)
{
	struct endura_bitset set;

	assert_true(h->nrules <= 64);
	assert_true(class < h->nclasses);
	hook_image_class(h, class, &set);
	for (uint32_t w = 1; w < ENDURA_BITSET_WORDS; w++)
		assert_int_equal(set.word[w], 0);
	return set.word[0];
}

/* --- exact table contents ------------------------------------------------------------------- */

struct expect_rule {
	uint64_t handle;
	uint32_t chain_end;
	uint8_t verdict, flags;
};

static void assert_rules(const struct hook_image *h, const struct expect_rule *expected,
			 uint32_t n)
{
	assert_int_equal(h->nrules, n);
	for (uint32_t p = 0; p < n; p++) {
		const struct endura_rule_info *got = &h->rules[p];
		const struct expect_rule *want = &expected[p];

		if (got->handle != want->handle || got->chain_end != want->chain_end ||
		    got->verdict != want->verdict || got->flags != want->flags)
			fail_msg("position %u: handle %" PRIu64 ", chain_end %u, verdict %u, flags "
				 "%#x; expected %" PRIu64 ", %u, %u, %#x", p, (uint64_t)got->handle,
				 got->chain_end, got->verdict, got->flags, want->handle,
				 want->chain_end, want->verdict, want->flags);
	}
}

/* Positions: tables, their chains on the hook, the rules of each then its policy. Handles of rules,
 * of the chain for policies; flags from the statements, the table's mode, the policy. */
static void test_positions(void **state)
{
	struct compiled *c = compile_text("table a {\n"
					  "\tchain files {\n"
					  "\t\thook file_open; policy accept\n"
					  "\t\tpath /x counter log deny\n"
					  "\t\tpath /y accept\n"
					  "\t}\n"
					  "\tchain exec {\n"
					  "\t\thook exec; policy deny\n"
					  "\t\tpath /z log\n"
					  "\t}\n"
					  "\tchain idle {\n"
					  "\t}\n"
					  "}\n"
					  "table b {\n"
					  "\tmode audit\n"
					  "\tchain files {\n"
					  "\t\thook file_open; policy deny\n"
					  "\t\tpath /w deny\n"
					  "\t\tpath /v counter accept\n"
					  "\t\tpath /u log\n"
					  "\t}\n"
					  "\tchain more {\n"
					  "\t\thook file_open; policy accept\n"
					  "\t}\n"
					  "}\n");
	static const struct expect_rule open[] = {
		{ 3, 3, ENDURA_DENY, LOG | COUNTER },
		{ 4, 3, ENDURA_ACCEPT, 0 },
		{ 2, 3, ENDURA_ACCEPT, POLICY },
		{ 10, 7, ENDURA_DENY, AUDIT | LOG },	/* audit mode reports what it would deny */
		{ 11, 7, ENDURA_ACCEPT, AUDIT | COUNTER },
		{ 12, 7, ENDURA_CONTINUE, AUDIT | LOG },
		{ 9, 7, ENDURA_DENY, AUDIT | LOG | POLICY },
		{ 13, 8, ENDURA_ACCEPT, AUDIT | POLICY },
	};
	static const struct expect_rule exec[] = {
		{ 6, 2, ENDURA_CONTINUE, LOG },
		{ 5, 2, ENDURA_DENY, POLICY },
	};
	const struct table *a, *b;

	(void)state;
	assert_rules(c->open, open, 8);
	assert_rules(c->exec, exec, 2);

	a = table_find(&c->session->ruleset, "a");
	b = table_find(&c->session->ruleset, "b");
	assert_ptr_equal(c->open->origins[0].table, a);
	assert_ptr_equal(c->open->origins[0].chain, chain_find(a, "files"));
	assert_ptr_equal(c->open->origins[1].rule,
			 nth_entry(&chain_find(a, "files")->rules, struct rule, 1));
	assert_ptr_equal(c->open->origins[2].chain, chain_find(a, "files"));
	assert_null(c->open->origins[2].rule);
	assert_ptr_equal(c->open->origins[5].table, b);
	assert_ptr_equal(c->open->origins[5].rule,
			 nth_entry(&chain_find(b, "files")->rules, struct rule, 2));
	assert_ptr_equal(c->open->origins[7].chain, chain_find(b, "more"));
	assert_ptr_equal(c->exec->origins[1].chain, chain_find(a, "exec"));
	assert_null(c->exec->origins[1].rule);
	compiled_free(c);
}

/* A hook without chains has no tables at all: the kernel side then allows everything. A chain
 * without a hook is on none. */
static void test_empty_hooks(void **state)
{
	struct session *s = session_new();
	struct compiled *c;

	(void)state;
	assert_int_equal(session_apply(s, "table t { chain c { path /x deny } }\n"), 0);
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	assert_session_diags(s, "<cmdline>:1:17-17: Warning: chain 'c' has no hook: its rules are "
			     "never evaluated\n"
			     "table t { chain c { path /x deny } }\n"
			     "                ^\n");
	c = compile_session(s);
	assert_int_equal(c->open->nrules, 0);
	assert_int_equal(c->exec->nrules, 0);
	compiled_free(c);

	c = compile_text("table t { chain c { hook exec; policy deny } }\n");
	assert_int_equal(c->open->nrules, 0);
	assert_int_equal(c->exec->nrules, 1);
	/* the policy alone, and the empty class of path_negated */
	assert_int_equal(c->exec->nclasses, 2);
	assert_int_equal(bits(c->exec, 0), B(0));
	assert_int_equal(bits(c->exec, c->exec->meta.path_negated), 0);
	assert_int_equal(c->exec->meta.path_default, 0);
	assert_int_equal(c->exec->meta.path_unresolved, 0);
	assert_int_equal(c->exec->meta.exe_default, 0);
	assert_int_equal(c->exec->meta.uid_default, 0);
	assert_int_equal(c->exec->nexact_paths + c->exec->npaths + c->exec->npath_ids +
			 c->exec->nexe_ids + c->exec->nuids, 0);
	compiled_free(c);
}

/* Class 0 is every rule; the same set of positions is one class, whatever named it; a large set
 * used by one rule costs a few classes, not one per element. */
static void test_classes(void **state)
{
	struct compiled *c;
	FILE *out;
	char *text;
	size_t len;

	(void)state;
	c = compile_text(CHAIN("file_open",
			       "path { /a, /b } uid 5 deny\n"
			       "path /c/ uid 5 deny\n"));
	assert_int_equal(bits(c->open, ENDURA_CLASS_ALL), B(0) | B(1) | B(2));
	/* /a and /b give one class; the chain's policy, which accepts and does nothing else, is in
	 * none but the universal class */
	assert_int_equal(c->open->exact_paths[0].class, c->open->exact_paths[1].class);
	assert_int_equal(bits(c->open, c->open->exact_paths[0].class), B(0));
	assert_int_equal(bits(c->open, c->open->uids[0].class), B(0) | B(1));
	assert_int_equal(c->open->meta.path_default, ENDURA_CLASS_NONE);
	assert_int_equal(c->open->meta.uid_default, ENDURA_CLASS_NONE);
	/* all, the empty class (the defaults, path_negated), {0}, {1}, and {0,1}: uid 5, and every
	 * access */
	assert_int_equal(c->open->nclasses, 5);
	assert_int_equal(bits(c->open, c->open->meta.access[0]), B(0) | B(1));
	compiled_free(c);

	out = open_memstream(&text, &len);
	fputs("table t {\n\tset big {\n\t\ttype path\n\t\telements = {", out);
	for (unsigned int i = 0; i < 1000; i++)
		fprintf(out, "%s/srv/data/file-%u", i ? ", " : " ", i);
	fputs(" }\n\t}\n\tchain c {\n\t\thook file_open; policy accept\n"
	      "\t\tpath @big access write deny\n\t}\n}\n", out);
	fclose(out);
	c = compile_text(text);
	assert_int_equal(c->open->nexact_paths, 1000);
	assert_int_equal(c->open->nshort_paths, 1000);
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(bits(c->open, c->open->exact_paths[i].class), B(0));
	/* all, the empty class (the default's, path_negated's, and a read's: it meets no rule), and
	 * {0}: each element's, path_unresolved's, a write's */
	assert_int_equal(c->open->nclasses, 3);
	assert_int_equal(bits(c->open, c->open->meta.access[ENDURA_ACCESS_WRITE]), B(0));
	assert_int_equal(bits(c->open, c->open->meta.access[ENDURA_ACCESS_READ]), 0);
	assert_int_equal(c->open->meta.needs[ENDURA_ACCESS_WRITE],
			 ENDURA_NEED_DECISION | ENDURA_NEED_PATH);
	assert_int_equal(c->open->meta.needs[ENDURA_ACCESS_READ], 0);
	assert_int_equal(c->open->exact_paths[0].class, c->open->meta.access[ENDURA_ACCESS_WRITE]);
	assert_int_equal(c->open->meta.path_default, ENDURA_CLASS_NONE);
	assert_int_equal(c->open->meta.path_negated, ENDURA_CLASS_NONE);
	compiled_free(c);
	free(text);
}

struct expect_path {
	const char *path;
	uint64_t bits;
};

static void assert_exact_paths(const struct hook_image *h, uint32_t nshort,
			       const struct expect_path *expected, uint32_t n)
{
	assert_int_equal(h->nexact_paths, n);
	assert_int_equal(h->nshort_paths, nshort);
	for (uint32_t i = 0; i < n; i++) {
		unsigned char key[ENDURA_PATH_MAX] = { 0 }, stored[ENDURA_PATH_MAX];

		strcpy((char *)key, expected[i].path);
		exact_path_key(&h->exact_paths[i], stored);
		assert_memory_equal(stored, key, ENDURA_PATH_MAX);
		assert_int_equal(bits(h, h->exact_paths[i].class), expected[i].bits);
	}
}

static void assert_subtrees(const struct hook_image *h, const struct expect_path *expected,
			    uint32_t n)
{
	assert_int_equal(h->npaths, n);
	for (uint32_t i = 0; i < n; i++) {
		unsigned char key[ENDURA_PATH_MAX] = { 0 };

		strcpy((char *)key, expected[i].path);
		assert_int_equal(h->paths[i].key.prefixlen, strlen(expected[i].path) * 8);
		assert_memory_equal(h->paths[i].key.path, key, ENDURA_PATH_MAX);
		assert_int_equal(bits(h, h->paths[i].class), expected[i].bits);
	}
}

/* The class of a path folds in the subtrees that enclose it; != holds where the value is not hit;
 * the default class is for paths under no subtree; an unresolved path satisfies the path matches
 * of every rule that does not accept; path_negated holds the rules with a path != match. */
static void test_path_classes(void **state)
{
	struct compiled *c = compile_text(CHAIN("file_open",
						"path /etc/shadow deny\n"
						"path /etc/ log\n"
						"path != /tmp/ log\n"
						"path /tmp/x accept\n"
						"path / counter\n"
						"uid 0 deny\n"));
	/* a subtree value names its directory too: /etc and /tmp are exact paths of their own */
	static const struct expect_path exact[] = {
		{ "/etc", B(1) | B(2) | B(4) | B(5) },
		{ "/etc/shadow", B(0) | B(1) | B(2) | B(4) | B(5) },
		{ "/tmp", B(4) | B(5) },
		{ "/tmp/x", B(3) | B(4) | B(5) },
	};
	static const struct expect_path subtrees[] = {
		{ "/", B(2) | B(4) | B(5) },
		{ "/etc/", B(1) | B(2) | B(4) | B(5) },
		{ "/tmp/", B(4) | B(5) },
	};
	const struct endura_hook_meta *m = &c->open->meta;

	(void)state;
	assert_exact_paths(c->open, 4, exact, 4);
	assert_subtrees(c->open, subtrees, 3);
	assert_int_equal(bits(c->open, m->path_default), B(2) | B(5));
	assert_int_equal(bits(c->open, m->path_unresolved),
			 B(0) | B(1) | B(2) | B(4) | B(5));
	assert_int_equal(bits(c->open, m->path_negated), B(2));
	/* /etc/shadow resolves, /tmp/x does not */
	assert_int_equal(c->open->npath_ids, 1);
	assert_int_equal(c->open->path_ids[0].id.dev, 8);
	assert_int_equal(c->open->path_ids[0].id.ino, 100);
	assert_int_equal(c->open->path_ids[0].class, c->open->exact_paths[1].class);
	/* no other field is constrained but uid; no class holds the policy, which does nothing;
	 * mappings are no operation of this hook's */
	assert_int_equal(bits(c->open, m->exe_default), B(6) - 1);
	for (uint32_t i = 0; i < ENDURA_ACCESS_VALUES; i++)
		assert_int_equal(bits(c->open, m->access[i]), B(6) - 1);
	compiled_free(c);
}

/* The exec hook's rules decide a file mapped executable when they name its path, not only the
 * paths it is not (path != /tmp/ exe X deny: X runs only from /tmp), or accept; not when they
 * name the subject alone (exe X deny: X runs nothing, yet maps its libraries), nor by policy. */
static void test_mapping_classes(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain e {\n"
					  "\t\thook exec; policy deny\n"
					  "\t\tpath /etc/shadow deny\n"
					  "\t\tpath /etc/ log\n"
					  "\t\tpath != /tmp/ exe /bin/true deny\n"
					  "\t\tpath /tmp/x accept\n"
					  "\t\tpath / counter\n"
					  "\t\tuid 0 deny\n"
					  "\t\texe /bin/true log\n"
					  "\t\tuid 1000 accept\n"
					  "\t}\n"
					  "}\n");
	const struct endura_hook_meta *m = &c->exec->meta;

	(void)state;
	assert_int_equal(bits(c->exec, m->access[ENDURA_ACCESS_EXEC]), B(9) - 1);
	assert_int_equal(bits(c->exec, m->access[ENDURA_ACCESS_MAP]),
			 B(0) | B(1) | B(3) | B(4) | B(7));
	assert_int_equal(m->needs[ENDURA_ACCESS_MAP],
			 ENDURA_NEED_DECISION | ENDURA_NEED_PATH | ENDURA_NEED_UID);
	compiled_free(c);
}

static void test_mapping_needs(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain e {\n"
					  "\t\thook exec; policy deny\n"
					  "\t\texe /bin/true deny\n"
					  "\t}\n"
					  "}\n");

	(void)state;
	/* nothing decides a mapping: it is allowed before anything is looked up */
	assert_int_equal(c->exec->meta.access[ENDURA_ACCESS_MAP], ENDURA_CLASS_NONE);
	assert_int_equal(c->exec->meta.needs[ENDURA_ACCESS_MAP], 0);
	assert_int_equal(c->exec->meta.needs[ENDURA_ACCESS_EXEC],
			 ENDURA_NEED_DECISION | ENDURA_NEED_EXE);
	compiled_free(c);
}

/* Hook capable's values are the capabilities: "capability X" holds for X alone, a set for its
 * members, != for the others; a rule without the field for all. What only an accepting rule
 * meets needs nothing looked up. */
static void test_capability_classes(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain c {\n"
					  "\t\thook capable; policy accept\n"
					  "\t\tcapability cap_sys_module deny\n"
					  "\t\tcapability { cap_sys_rawio, cap_sys_boot } uid 0 log\n"
					  "\t\tcapability != cap_net_bind_service exe /bin/true counter\n"
					  "\t\tuid 1000 deny\n"
					  "\t\tcapability cap_chown accept\n"
					  "\t}\n"
					  "}\n");
	const struct hook_image *h = &c->image.hooks[HOOK_CAPABLE];
	enum { D = ENDURA_NEED_DECISION, E = ENDURA_NEED_EXE, U = ENDURA_NEED_UID };

	(void)state;
	for (uint32_t cap = 0; cap < ENDURA_ACCESS_VALUES; cap++) {
		uint64_t want = B(3) | (cap != CAP_NET_BIND_SERVICE ? B(2) : 0) |
				(cap == CAP_SYS_MODULE ? B(0) : 0) |
				(cap == CAP_SYS_RAWIO || cap == CAP_SYS_BOOT ? B(1) : 0) |
				(cap == CAP_CHOWN ? B(4) : 0);

		if (bits(h, h->meta.access[cap]) != want)
			fail_msg("capability %u: %#" PRIx64 ", expected %#" PRIx64, cap,
				 bits(h, h->meta.access[cap]), want);
	}
	assert_int_equal(h->meta.needs[CAP_SYS_MODULE], D | E | U);
	assert_int_equal(h->meta.needs[CAP_SYS_RAWIO], D | E | U);
	assert_int_equal(h->meta.needs[CAP_NET_BIND_SERVICE], D | U);
	/* the file hooks have no rules: nothing of theirs is made */
	assert_int_equal(c->open->nrules, 0);
	assert_int_equal(c->exec->nrules, 0);
	compiled_free(c);
}

/* Hook bpf's values are the commands of bpf(2), by the kernel's numbers. */
static void test_bpf_command_classes(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain b {\n"
					  "\t\thook bpf; policy accept\n"
					  "\t\tcommand { prog_load, token_create } deny\n"
					  "\t\tcommand != map_lookup_elem uid 0 log\n"
					  "\t}\n"
					  "}\n");
	const struct hook_image *h = &c->image.hooks[HOOK_BPF];

	(void)state;
	assert_int_equal(bits(h, h->meta.access[BPF_PROG_LOAD]), B(0) | B(1));
	assert_int_equal(bits(h, h->meta.access[BPF_PROG_BIND_MAP + 1]), B(0) | B(1));
	assert_int_equal(bits(h, h->meta.access[BPF_MAP_LOOKUP_ELEM]), 0);
	assert_int_equal(h->meta.needs[BPF_MAP_LOOKUP_ELEM], 0);
	assert_int_equal(bits(h, h->meta.access[BPF_MAP_CREATE]), B(1));
	assert_int_equal(h->meta.needs[BPF_MAP_CREATE], ENDURA_NEED_DECISION | ENDURA_NEED_UID);
	compiled_free(c);
}

/* Hook signal's values are the signal numbers, 0 to 64, by name or number; its object, the
 * target's executable, is classified in the path tables under the field's own name, and a
 * target without one falls in the default class, where only "target !=" rules are. */
static void test_signal_classes(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain s {\n"
					  "\t\thook signal; policy accept\n"
					  "\t\ttarget /usr/sbin/endurd signal { kill, term } deny\n"
					  "\t\tsignal 64 target != /usr/bin/app log\n"
					  "\t\tsignal 0 exe /usr/bin/ps accept\n"
					  "\t}\n"
					  "}\n");
	const struct hook_image *h = &c->image.hooks[HOOK_SIGNAL];
	enum { D = ENDURA_NEED_DECISION, P = ENDURA_NEED_PATH, E = ENDURA_NEED_EXE };

	(void)state;
	assert_int_equal(bits(h, h->meta.access[9]), B(0));
	assert_int_equal(bits(h, h->meta.access[15]), B(0));
	assert_int_equal(bits(h, h->meta.access[64]), B(1));
	assert_int_equal(bits(h, h->meta.access[10]), 0);
	assert_int_equal(h->meta.needs[10], 0);
	assert_int_equal(h->meta.needs[9], D | P);
	assert_int_equal(h->meta.needs[64], D | P);
	/* an accept decides nothing a chain's policy would not: signal 0 needs no decision */
	assert_int_equal(h->meta.needs[0], 0);
	assert_int_equal(h->nexact_paths, 2);
	for (uint32_t i = 0; i < h->nexact_paths; i++)
		assert_int_equal(bits(h, h->exact_paths[i].class),
				 !strcmp(h->exact_paths[i].path, "/usr/sbin/endurd") ? B(0) | B(1) | B(2) :
				 B(2));
	assert_int_equal(bits(h, h->meta.path_default), B(1) | B(2));
	assert_int_equal(c->open->nrules, 0);
	compiled_free(c);
}

/* Hook module's values are the sources; a module from memory or asked for by name has no file,
 * and a rule on a path holds for none of those, whether it names or excludes the path. */
static void test_module_sources(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain m {\n"
					  "\t\thook module; policy accept\n"
					  "\t\tpath /lib/modules/ accept\n"
					  "\t\tpath != /lib/modules/ deny\n"
					  "\t\tsource memory log deny\n"
					  "\t\tuid != 0 deny\n"
					  "\t}\n"
					  "}\n");
	const struct hook_image *h = &c->image.hooks[HOOK_MODULE];
	enum { D = ENDURA_NEED_DECISION, P = ENDURA_NEED_PATH, U = ENDURA_NEED_UID };

	(void)state;
	assert_int_equal(bits(h, h->meta.access[ENDURA_MODULE_FILE]), B(0) | B(1) | B(3));
	assert_int_equal(h->meta.needs[ENDURA_MODULE_FILE], D | P | U);
	assert_int_equal(bits(h, h->meta.access[ENDURA_MODULE_MEMORY]), B(2) | B(3));
	assert_int_equal(h->meta.needs[ENDURA_MODULE_MEMORY], D | U);
	assert_int_equal(bits(h, h->meta.access[ENDURA_MODULE_REQUEST]), B(3));
	assert_int_equal(h->meta.needs[ENDURA_MODULE_REQUEST], D | U);
	compiled_free(c);
}

/* Exact paths of up to ENDURA_PATH_SHORT bytes with their NUL first, each kind in byte order;
 * subtrees keyed with prefixlen = 8 * their length, their NUL not included. */
static void test_path_tables(void **state)
{
	char *p63 = long_path(ENDURA_PATH_SHORT - 1, 'a', false);
	char *p64 = long_path(ENDURA_PATH_SHORT, 'b', false);
	char *p255 = long_path(ENDURA_PATH_MAX - 1, 'c', false);
	char *d255 = long_path(ENDURA_PATH_MAX - 1, 'd', true);
	char *text = xasprintf(CHAIN("exec",
				     "path { %s, /z, %s, %s } deny\n"
				     "path { %s, /y/ } log\n"), p64, p63, p255, d255);
	struct compiled *c = compile_text(text);
	char *d254 = xstrndup(d255, ENDURA_PATH_MAX - 2);	/* the directory of d255 */
	/* the directories of the subtrees are exact paths too */
	const struct expect_path exact[] = {
		{ p63, B(0) },
		{ "/y", B(1) },
		{ "/z", B(0) },
		{ p64, B(0) },
		{ p255, B(0) },
		{ d254, B(1) },
	};
	const struct expect_path subtrees[] = {
		{ d255, B(1) },
		{ "/y/", B(1) },
	};

	(void)state;
	assert_exact_paths(c->exec, 3, exact, 6);
	assert_subtrees(c->exec, subtrees, 2);
	assert_int_equal(c->exec->paths[0].key.prefixlen, 2040);
	compiled_free(c);
	free(text);
	free(p63);
	free(p64);
	free(p255);
	free(d255);
	free(d254);
}

struct expect_id {
	uint64_t dev, ino;
	uint64_t bits;
};

static void assert_ids(const struct hook_image *h, const struct file_id_entry *entries, uint32_t n,
		       const struct expect_id *expected, uint32_t nexpected)
{
	assert_int_equal(n, nexpected);
	for (uint32_t i = 0; i < nexpected; i++) {
		uint32_t j = 0;

		while (j < n && (entries[j].id.dev != expected[i].dev ||
				 entries[j].id.ino != expected[i].ino))
			j++;
		assert_true(j < n);
		assert_int_equal(bits(h, entries[j].class), expected[i].bits);
	}
}

/* Exact paths that resolve give identities with the class of the path; subtrees and paths that do
 * not resolve give none; two paths of one file give one identity. */
static void test_path_ids(void **state)
{
	struct compiled *c = compile_text(CHAIN("file_open",
						"path { /etc/shadow, /etc/gshadow } access write deny\n"
						"path != /etc/gshadow log\n"
						"path { /etc/, /srv/missing, /usr/bin/vi } accept\n"
						"path /usr/bin/vim counter\n"));
	static const struct expect_id ids[] = {
		{ 8, 100, B(0) | B(1) | B(2) },
		{ 8, 101, B(0) | B(2) },
		/* vi and vim are one file: its identity satisfies what either name does */
		{ 8, 300, B(1) | B(2) | B(3) },
	};

	(void)state;
	assert_ids(c->open, c->open->path_ids, c->open->npath_ids, ids, 3);
	/* /etc/ names the directory /etc too, which does not resolve here */
	assert_int_equal(c->open->nexact_paths, 6);
	assert_int_equal(bits(c->open, c->open->meta.path_negated), B(1));
	compiled_free(c);
}

/* The directory of a subtree value has an identity of its own kind, classified as the subtree:
 * what a file under it by any name satisfies; and, as the directory itself, the plain identity
 * of its exact path. A subtree that does not resolve has neither. */
static void test_subtree_ids(void **state)
{
	struct compiled *c = compile_text(CHAIN("file_open",
						"path /srv/tree/ access write deny\n"
						"path /srv/tree/inner/ log\n"
						"path != /srv/tree/ counter\n"
						"path /srv/missing/ deny\n"));
	static const struct expect_id ids[] = {
		{ 9 | ENDURA_ID_SUBTREE, 50, B(0) },
		{ 9 | ENDURA_ID_SUBTREE, 51, B(0) | B(1) },
		{ 9, 50, B(0) },
		{ 9, 51, B(0) | B(1) },
	};

	(void)state;
	assert_ids(c->open, c->open->path_ids, c->open->npath_ids, ids, 4);
	assert_int_equal(bits(c->open, c->open->meta.path_negated), B(2));
	assert_true(c->open->meta.lookups & ENDURA_LOOKUP_PATH_IDS);
	compiled_free(c);
}

/* The system's lookup answers as stat(2) does, whatever comes before a name: names of one
 * directory in a row or not, a directory that is missing or a file, names it looks up whole
 * ("/", a subtree's "dir/"), ".." and symbolic links on the way, and after its end. */
static void test_system_lookup(void **state)
{
	static const char *const names[] = {
		"%s/file", "%s/missing/x", "%s/file/under", "%s/missing/y", "%s/sub/../file",
		"%s/link/inside", "%s/sub/", "/", "%s", "%s/link", "%s/file", "%s/sub/inside",
	};
	char dir[] = "/tmp/endura-lookup.XXXXXX", *path;
	struct system_lookup lookup;
	struct endura_file_id id;
	struct stat st;
	int ret;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/file", dir);
	assert_int_equal(close(open(path, O_CREAT | O_WRONLY, 0600)), 0);
	free(path);
	path = xasprintf("%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	path = xasprintf("%s/sub/inside", dir);
	assert_int_equal(close(open(path, O_CREAT | O_WRONLY, 0600)), 0);
	free(path);
	path = xasprintf("%s/link", dir);
	assert_int_equal(symlink("sub", path), 0);
	free(path);

	system_lookup_init(&lookup);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			path = xasprintf(names[i], dir);
			ret = lookup.resolver.file_id(lookup.resolver.ctx, path, &id);
			if (stat(path, &st) < 0) {
				assert_int_equal(ret, -1);
			} else {
				assert_int_equal(ret, 0);
				assert_int_equal(id.dev, ((uint64_t)major(st.st_dev) << 20) |
							 minor(st.st_dev));
				assert_int_equal(id.ino, st.st_ino);
			}
			free(path);
		}
		system_lookup_end(&lookup);
	}
	path = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(path), 0);
	free(path);
}

/* Past SYSTEM_LOOKUP_LISTED names in a directory, its listing answers for the names it lacks, and
 * the names it has are still looked up: every answer is stat(2)'s, in order or not, on the
 * directory's file system (tmpfs or the disk under /tmp) and on /dev/shm's tmpfs. */
static void test_system_lookup_listing(void **state)
{
	static const char *const bases[] = { "/tmp", "/dev/shm" };
	struct system_lookup lookup;
	struct endura_file_id id;
	char *path, *dir;
	struct stat st;
	int ret;

	(void)state;
	for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		dir = xasprintf("%s/endura-listing.XXXXXX", bases[b]);
		assert_non_null(mkdtemp(dir));
		for (int i = 0; i < 3 * SYSTEM_LOOKUP_LISTED; i += 3) {
			path = xasprintf("%s/name-%03d", dir, i);
			assert_int_equal(close(open(path, O_CREAT | O_WRONLY, 0600)), 0);
			free(path);
		}
		system_lookup_init(&lookup);
		/* sorted, then out of order in the same directory: both after the listing */
		for (int round = 0; round < 2; round++) {
			for (int n = 0; n < 3 * SYSTEM_LOOKUP_LISTED; n++) {
				int i = round ? (n * 7) % (3 * SYSTEM_LOOKUP_LISTED) : n;

				path = xasprintf("%s/name-%03d", dir, i);
				ret = lookup.resolver.file_id(lookup.resolver.ctx, path, &id);
				assert_int_equal(ret, stat(path, &st) == 0 ? 0 : -1);
				if (ret == 0)
					assert_false(system_lookup_absent(&lookup, path));
				if (ret == 0)
					assert_int_equal(id.ino, st.st_ino);
				free(path);
			}
			/* tmpfs lists names exactly */
			if (strcmp(bases[b], "/dev/shm") == 0) {
				assert_true(lookup.listed);
				path = xasprintf("%s/name-001", dir);
				assert_true(system_lookup_absent(&lookup, path));
				free(path);
			}
		}
		system_lookup_end(&lookup);
		path = xasprintf("rm -rf %s", dir);
		assert_int_equal(system(path), 0);
		free(path);
		free(dir);
	}
}

/* The system's resolver looks at a directory once for all the paths in it: the files of a
 * directory that exists get their identities, and those under a missing directory or under a
 * file get none. */
static void test_path_ids_system(void **state)
{
	char dir[] = "/tmp/endura-compile.XXXXXX";
	char *file, *text;
	struct endura_file_id id;
	struct system_lookup lookup;
	struct table_image image;
	struct session *s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	file = xasprintf("%s/real", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	text = xasprintf(CHAIN("file_open", "path { %s/missing/a, %s/missing/b, %s/real, "
					    "%s/real/a, %s/zz } access write deny\n"),
			 dir, dir, dir, dir, dir);
	s = session_from(text);
	system_lookup_init(&lookup);
	assert_int_equal(compile_ruleset(&s->ruleset, &lookup.resolver, &image, &s->diags), 0);
	system_lookup_end(&lookup);
	assert_int_equal(image.hooks[HOOK_FILE_OPEN].nexact_paths, 5);
	assert_int_equal(image.hooks[HOOK_FILE_OPEN].npath_ids, 1);
	assert_int_equal(lookup.resolver.file_id(&lookup, file, &id), 0);
	system_lookup_end(&lookup);
	assert_memory_equal(&image.hooks[HOOK_FILE_OPEN].path_ids[0].id, &id, sizeof(id));
	table_image_free(&image);
	session_free(s);
	unlink(file);
	rmdir(dir);
	free(file);
	free(text);
}

/* exe: identities from the resolver, one class each; a value that names no file is in no class,
 * so == never holds and != always does. */
static void test_exe(void **state)
{
	struct compiled *c = compile_text(CHAIN("exec",
						"exe /usr/bin/passwd deny\n"
						"exe { /usr/bin/vi, /opt/missing } log\n"
						"exe != /opt/missing accept\n"
						"exe != /usr/bin/vi counter\n"
						"exe /usr/bin/vim counter\n"));
	static const struct expect_id ids[] = {
		{ 8, 200, B(0) | B(2) | B(3) },
		/* vi and vim: one identity, hit by both names */
		{ 8, 300, B(1) | B(2) | B(4) },
	};

	(void)state;
	assert_ids(c->exec, c->exec->exe_ids, c->exec->nexe_ids, ids, 2);
	assert_int_equal(bits(c->exec, c->exec->meta.exe_default), B(2) | B(3));
	assert_int_equal(bits(c->exec, c->exec->meta.path_default), B(5) - 1);
	assert_int_equal(c->exec->npath_ids, 0);
	compiled_free(c);
}

/* uid: numbers, names turned into numbers, named sets; one class per uid, and a default. */
static void test_uid(void **state)
{
	struct compiled *c = compile_text("add table t\n"
					  "add set t admins { type uid; elements = { 0, 1000 } }\n"
					  CHAIN("file_open",
						"uid 0 deny\n"
						"uid != 0 log\n"
						"uid { 1000, 1001 } accept\n"
						"uid != @admins counter\n"
						"uid root log\n"));
	static const struct {
		uint32_t uid;
		uint64_t bits;
	} uids[] = {
		{ 0, B(0) | B(4) },
		{ 1000, B(1) | B(2) },
		{ 1001, B(1) | B(2) | B(3) },
	};

	(void)state;
	assert_int_equal(c->open->nuids, 3);
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t j = 0;

		while (j < c->open->nuids && c->open->uids[j].uid != uids[i].uid)
			j++;
		assert_true(j < c->open->nuids);
		assert_int_equal(bits(c->open, c->open->uids[j].class), uids[i].bits);
	}
	assert_int_equal(bits(c->open, c->open->meta.uid_default), B(1) | B(3));
	compiled_free(c);
}

/* access: a class for each access value; access write holds for opens with the write bit and
 * for every class of change, access != write for the other opens, access delete for deletes
 * only. A policy that accepts and does nothing else is in none. */
static void test_access(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain c {\n"
					  "\t\thook file_open; policy accept\n"
					  "\t\taccess write deny\n"
					  "\t\taccess != write log\n"
					  "\t\taccess { read, exec } counter\n"
					  "\t\taccess != { read, write } accept\n"
					  "\t\taccess { delete, rename } counter\n"
					  "\t}\n"
					  "\tchain e {\n"
					  "\t\thook exec; policy accept\n"
					  "\t\tpath /x deny\n"
					  "\t}\n"
					  "}\n");
	static const uint64_t masks[ENDURA_ACCESS_VALUES] = {
		[0] = B(1) | B(3),
		[R] = B(1) | B(2),
		[W] = B(0),
		[R | W] = B(0) | B(2),
		[X] = B(1) | B(2) | B(3),
		[R | X] = B(1) | B(2),
		[W | X] = B(0) | B(2),
		[R | W | X] = B(0) | B(2),
		[ENDURA_ACCESS_CREATE] = B(0),
		[ENDURA_ACCESS_DELETE] = B(0) | B(4),
		[ENDURA_ACCESS_RENAME] = B(0) | B(4),
		[ENDURA_ACCESS_LINK] = B(0),
		[ENDURA_ACCESS_ATTR] = B(0),
		[ENDURA_ACCESS_MOUNT] = B(0),
		/* an exec, which the exec hook's rules decide: here they are as for exec */
		[ENDURA_ACCESS_MAP] = B(1) | B(2) | B(3),
		[ENDURA_ACCESS_MAP + 1 ... ENDURA_ACCESS_VALUES - 1] = B(1) | B(3),
	};

	(void)state;
	for (uint32_t m = 0; m < ENDURA_ACCESS_VALUES; m++) {
		if (bits(c->open, c->open->meta.access[m]) != masks[m])
			fail_msg("access mask %u: %#" PRIx64 ", expected %#" PRIx64, m,
				 bits(c->open, c->open->meta.access[m]), masks[m]);
		assert_int_equal(bits(c->exec, c->exec->meta.access[m]), B(0));
	}
	compiled_free(c);
}

/* What an access needs looked up: nothing when no rule it meets denies, logs or counts; else the
 * fields its rules match on, accepting rules included, since they end their chain early. */
static void test_needs(void **state)
{
	enum { D = ENDURA_NEED_DECISION, P = ENDURA_NEED_PATH, E = ENDURA_NEED_EXE,
	       U = ENDURA_NEED_UID };
	struct compiled *c = compile_text("table t {\n"
					  "\tchain c {\n"
					  "\t\thook file_open; policy accept\n"
					  "\t\tuid 0 access read accept\n"
					  "\t\taccess read counter\n"
					  "\t\tpath /etc/shadow access write exe != /bin/true deny\n"
					  "\t\taccess exec accept\n"
					  "\t}\n"
					  "\tchain e {\n"
					  "\t\thook exec; policy deny\n"
					  "\t}\n"
					  "}\n");
	static const uint8_t needs[ENDURA_ACCESS_VALUES] = {
		[0] = 0,
		[R] = D | U,
		[W] = D | P | E,
		[R | W] = D | P | E | U,
		[X] = 0,
		[R | X] = D | U,
		[W | X] = D | P | E,
		[R | W | X] = D | P | E | U,
		[ENDURA_ACCESS_CREATE ... ENDURA_ACCESS_MOUNT] = D | P | E,
	};

	(void)state;
	for (uint32_t m = 0; m < ENDURA_ACCESS_VALUES; m++) {
		if (c->open->meta.needs[m] != needs[m])
			fail_msg("access mask %u needs %#x, expected %#x", m, c->open->meta.needs[m],
				 needs[m]);
		/* a policy that denies acts on every operation but mappings, and matches on
		 * nothing */
		assert_int_equal(c->exec->meta.needs[m], m == ENDURA_ACCESS_MAP ? 0 : D);
	}
	/* the made-up files have /etc/shadow and no /bin/true: no exe identity to look up */
	assert_int_equal(c->open->meta.lookups, ENDURA_LOOKUP_SHORT_PATHS | ENDURA_LOOKUP_PATH_IDS |
			 ENDURA_LOOKUP_UIDS);
	assert_int_equal(c->exec->meta.lookups, 0);
	compiled_free(c);
}

/* Class 1 is the empty class: a field value no rule matches falls into it, so that the program
 * stops the decision there. A hook whose chain denies by policy has no empty field class but the
 * one for access values the hook never sees. */
static void test_empty_class(void **state)
{
	struct endura_bitset none;
	struct compiled *c = compile_text("table t {\n"
					  "\tchain c {\n"
					  "\t\thook file_open; policy accept\n"
					  "\t\tpath /etc/ access write exe != /bin/true uid 0 deny\n"
					  "\t}\n"
					  "\tchain e {\n"
					  "\t\thook exec; policy deny\n"
					  "\t}\n"
					  "}\n");

	(void)state;
	hook_image_class(c->open, ENDURA_CLASS_NONE, &none);
	for (uint32_t w = 0; w < ENDURA_BITSET_WORDS; w++)
		assert_int_equal(none.word[w], 0);
	for (uint32_t a = 0; a < ENDURA_AGG_WORDS; a++)
		assert_int_equal(none.agg[a], 0);
	assert_int_equal(c->open->meta.path_default, ENDURA_CLASS_NONE);
	assert_int_equal(c->open->meta.uid_default, ENDURA_CLASS_NONE);
	assert_int_not_equal(c->open->meta.exe_default, ENDURA_CLASS_NONE);
	assert_int_equal(c->open->meta.access[R], ENDURA_CLASS_NONE);
	assert_int_not_equal(c->open->meta.access[W], ENDURA_CLASS_NONE);
	assert_int_not_equal(c->exec->meta.path_default, ENDURA_CLASS_NONE);
	assert_int_not_equal(c->exec->meta.access[X], ENDURA_CLASS_NONE);
	compiled_free(c);
}

/* Several matches on one field in one rule must all hold. */
static void test_matches_anded(void **state)
{
	struct compiled *c = compile_text(CHAIN("file_open",
						"path /a path /b deny\n"
						"path /d/ path != /d/e log\n"
						"uid != 0 uid != 1000 counter\n"
						"access write access read accept\n"));
	static const struct expect_path exact[] = {
		{ "/a", B(2) | B(3) },
		{ "/b", B(2) | B(3) },
		{ "/d", B(1) | B(2) | B(3) },	/* the directory /d/ names */
		{ "/d/e", B(2) | B(3) },
	};
	static const struct expect_path subtrees[] = {
		{ "/d/", B(1) | B(2) | B(3) },
	};

	(void)state;
	assert_exact_paths(c->open, 4, exact, 4);
	assert_subtrees(c->open, subtrees, 1);
	assert_int_equal(bits(c->open, c->open->meta.path_default), B(2) | B(3));
	assert_int_equal(bits(c->open, c->open->meta.uid_default), B(4) - 1);
	assert_int_equal(bits(c->open, c->open->uids[0].class), B(0) | B(1) | B(3));
	assert_int_equal(c->open->uids[0].class, c->open->uids[1].class);
	for (uint32_t m = 0; m < ENDURA_ACCESS_VALUES; m++)
		assert_int_equal(bits(c->open, c->open->meta.access[m]),
				 B(0) | B(1) | B(2) |
				 ((access_of_value(m) & (R | W)) == (R | W) ? B(3) : 0));
	compiled_free(c);
}

/* Empty named sets: == holds for nothing, != for everything. */
static void test_empty_sets(void **state)
{
	struct compiled *c = compile_text("add table t\n"
					  "add set t none { type path }\n"
					  "add set t nobody { type uid }\n"
					  CHAIN("exec",
						"path @none deny\n"
						"exe != @none uid != @nobody log\n"));

	(void)state;
	assert_int_equal(c->exec->nexact_paths + c->exec->npaths + c->exec->nexe_ids +
			 c->exec->nuids, 0);
	assert_int_equal(bits(c->exec, c->exec->meta.path_default), B(1));
	assert_int_equal(bits(c->exec, c->exec->meta.exe_default), B(0) | B(1));
	assert_int_equal(bits(c->exec, c->exec->meta.uid_default), B(0) | B(1));
	compiled_free(c);
}

/* Two file_open chains of @first and @second rules "path /never deny", then "path /last log deny"
 * in the second, and a chain on exec. */
static char *many_rules(unsigned int first, unsigned int second)
{
	char *text;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	fputs("add table t\nadd chain t c0 { hook file_open; policy accept }\n", out);
	for (unsigned int r = 0; r < first; r++)
		fputs("add rule t c0 path /never deny\n", out);
	fputs("add chain t c1 { hook file_open; policy accept }\n", out);
	for (unsigned int r = 0; r < second; r++)
		fputs("add rule t c1 path /never deny\n", out);
	fputs("add rule t c1 path /last log deny\n"
	      "add chain t e { hook exec; policy accept }\n", out);
	fclose(out);
	return text;
}

/* ENDURA_MAX_RULES positions per hook, policies included: one more is an error, and no image. */
static void test_too_many_rules(void **state)
{
	struct resolver resolver = fake_resolver(files);
	struct table_image image;
	struct session *s;
	char *text;

	(void)state;
	/* 8191 + 8192 rules and 2 policies are one too many */
	text = many_rules(8191, 8191);
	s = session_from(text);
	memset(&image, 0xa5, sizeof(image));
	assert_int_equal(compile_ruleset(&s->ruleset, &resolver, &image, &s->diags), -1);
	assert_session_diags(s, "Error: hook file_open has 16385 rules and chain policies; at most "
			     "16384 are supported\n");
	for (int hook = 0; hook < HOOK_COUNT; hook++) {
		assert_int_equal(image.hooks[hook].nrules, 0);
		assert_null(image.hooks[hook].rules);
		assert_null(image.hooks[hook].classes);
	}
	session_free(s);
	free(text);
}

/* The shipped rules: table host (1), chain files (2) with rule 3, chain exec (4) with rule 5;
 * table watch (6) in audit mode, chain files (7) with rules 8 and 9. */
static void test_decide_shipped_rules(void **state)
{
	static const struct decide_case cases[] = {
		{ "vi writes /etc/shadow", { OPEN, "/etc/shadow", W, VI }, DENIED,
		  "3 deny counter log" },
		{ "vi writes /etc/gshadow", { OPEN, "/etc/gshadow", W, VI }, DENIED,
		  "3 deny counter log" },
		{ "vi opens /etc/shadow to read and write", { OPEN, "/etc/shadow", R | W, VI },
		  DENIED, "3 deny counter log" },
		{ "vim, vi's file, writes /etc/shadow", { OPEN, "/etc/shadow", W, "/usr/bin/vim" },
		  DENIED, "3 deny counter log" },
		{ "an unknown program writes /etc/shadow",
		  { OPEN, "/etc/shadow", W, "/home/u/passwd" }, DENIED, "3 deny counter log" },
		{ "a kernel thread writes /etc/shadow", { OPEN, "/etc/shadow", W, NULL }, DENIED,
		  "3 deny counter log" },
		{ "vi writes a hard link of /etc/shadow",
		  { OPEN, "/var/backups/sh", W, VI, 0, "/etc/shadow" }, DENIED,
		  "3 deny counter log" },
		{ "vi writes a bind mount of /etc/gshadow",
		  { OPEN, "/mnt/etc/gshadow", W, VI, 0, "/etc/gshadow" }, DENIED,
		  "3 deny counter log" },
		{ "vi reads /etc/shadow", { OPEN, "/etc/shadow", R, VI }, ALLOWED,
		  "" },
		{ "passwd writes /etc/shadow", { OPEN, "/etc/shadow", W, PASSWD, 1000 }, ALLOWED,
		  "" },
		{ "chpasswd writes /etc/gshadow", { OPEN, "/etc/gshadow", W, "/usr/sbin/chpasswd" },
		  ALLOWED, "" },
		{ "vipw writes /etc/shadow", { OPEN, "/etc/shadow", R | W, "/usr/sbin/vipw" },
		  ALLOWED, "" },
		{ "vi writes /etc/shadow-", { OPEN, "/etc/shadow-", W, VI }, ALLOWED,
		  "" },
		{ "vi writes /root/.ssh/authorized_keys",
		  { OPEN, "/root/.ssh/authorized_keys", W, VI }, ALLOWED,
		  "8 audit counter log" },
		{ "vi writes deeper under /root/.ssh/", { OPEN, "/root/.ssh/a/b/c", R | W, VI },
		  ALLOWED, "8 audit counter log" },
		{ "vi reads /root/.ssh/authorized_keys",
		  { OPEN, "/root/.ssh/authorized_keys", R, VI }, ALLOWED,
		  "" },
		/* the subtree names its directory too: renaming or removing it is a write */
		{ "vi changes /root/.ssh, the directory", { OPEN, "/root/.ssh", W, VI }, ALLOWED,
		  "8 audit counter log" },
		{ "vi writes /root/.sshd", { OPEN, "/root/.sshd", W, VI }, ALLOWED,
		  "" },
		{ "vi writes /etc/sudoers.d/90-admin", { OPEN, "/etc/sudoers.d/90-admin", W, VI },
		  ALLOWED, "9 audit counter log" },
		{ "vi writes /etc/sudoers", { OPEN, "/etc/sudoers", W, VI }, ALLOWED,
		  "" },
		{ "vi writes a file in /dev/shm/", { OPEN, "/dev/shm/x", W, VI }, ALLOWED,
		  "" },
		/* fail closed: the rules that deny hold, the watch's first audit rule reports */
		{ "vi writes an unresolvable path", { OPEN, NULL, W, VI }, DENIED,
		  "3 deny counter log" },
		{ "passwd writes an unresolvable path", { OPEN, NULL, W, PASSWD }, ALLOWED,
		  "8 audit counter log" },
		{ "vi reads an unresolvable path", { OPEN, NULL, R, VI }, ALLOWED,
		  "" },
		{ "sh runs /dev/shm/payload", { EXEC, "/dev/shm/payload", X, "/usr/bin/sh" },
		  DENIED, "5 deny counter log" },
		{ "root runs /dev/shm/a/b/c", { EXEC, "/dev/shm/a/b/c", X, "/usr/bin/sh" },
		  DENIED, "5 deny counter log" },
		{ "sh runs /usr/bin/vi", { EXEC, "/usr/bin/vi", X, "/usr/bin/sh" }, ALLOWED,
		  "" },
		{ "sh runs /dev/shmem/x", { EXEC, "/dev/shmem/x", X, "/usr/bin/sh" }, ALLOWED,
		  "" },
		{ "sh runs an unresolvable path", { EXEC, NULL, X, "/usr/bin/sh" }, DENIED,
		  "5 deny counter log" },
	};
	char *rules = source_path("../../rules.d");
	struct session *s = session_new();
	struct compiled *c;

	(void)state;
	assert_int_equal(ruleset_apply(&s->ruleset, session_parse_path(s, rules), &s->diags), 0);
	assert_int_equal(ruleset_evaluate(&s->ruleset, &s->diags), 0);
	assert_session_diags(s, "");
	c = compile_session(s);
	assert_int_equal(c->open->nrules, 5);
	assert_int_equal(c->exec->nrules, 2);
	/* every password tool resolves */
	assert_int_equal(c->open->nexe_ids, 11);
	free(rules);
	ASSERT_DECIDE_CASES(c, cases);
}

/* Chains and tables: an accept ends its chain only, a rule without verdict goes on, a deny in an
 * audit table goes on at the end of its chain, a policy decides when no rule did. */
static void test_decide_chains(void **state)
{
	static const struct decide_case cases[] = {
		{ "accept ends the chain, the next chains decide", { OPEN, "/srv/open/secret", R },
		  ALLOWED, "3 continue counter; 4 accept; 9 accept; 13 audit log" },
		{ "continue, continue, deny", { OPEN, "/srv/log", W }, DENIED,
		  "3 continue counter; 6 continue log; 7 deny" },
		{ "through every chain", { OPEN, "/srv/log", R }, ALLOWED,
		  "3 continue counter; 6 continue log; 9 accept; 14 accept" },
		{ "a policy deny", { OPEN, "/etc/passwd", R }, DENIED,
		  "policy 8 deny" },
		{ "an audit policy", { OPEN, "/etc/passwd", R, .uid = 1000 }, ALLOWED,
		  "10 accept log; policy 12 audit log" },
		/* fail closed: /srv/open/ accepts, so it does not hold, the deny after it does */
		{ "an unresolvable path", { OPEN, NULL, R }, DENIED,
		  "3 continue counter; 5 deny log" },
	};
	struct compiled *c = compile_text("table a {\n"
					  "\tchain files {\n"
					  "\t\thook file_open; policy accept\n"
					  "\t\tpath /srv/ counter\n"
					  "\t\tpath /srv/open/ accept\n"
					  "\t\tpath /srv/open/secret log deny\n"
					  "\t\tpath /srv/log log\n"
					  "\t\tpath /srv/log access write deny\n"
					  "\t}\n"
					  "\tchain more {\n"
					  "\t\thook file_open; policy deny\n"
					  "\t\tpath /srv/ accept\n"
					  "\t\tuid 1000 log accept\n"
					  "\t}\n"
					  "}\n"
					  "table b {\n"
					  "\tmode audit\n"
					  "\tchain files {\n"
					  "\t\thook file_open; policy deny\n"
					  "\t\tpath /srv/open/secret deny\n"
					  "\t\tpath /srv/ accept\n"
					  "\t}\n"
					  "}\n");

	(void)state;
	ASSERT_DECIDE_CASES(c, cases);
}

/* Identity, !=, exe and uid. */
static void test_decide_fields(void **state)
{
	static const struct decide_case cases[] = {
		{ "a write to the allowed file", { OPEN, "/srv/allowed", W, VI }, ALLOWED,
		  "" },
		{ "a write to another file", { OPEN, "/srv/other", W, VI }, DENIED, "4 deny" },
		{ "a read of another file", { OPEN, "/srv/other", R, VI }, ALLOWED,
		  "" },
		/* != needs both names to differ */
		{ "a write to a hard link of the allowed file",
		  { OPEN, "/srv/link", W, VI, 0, "/srv/allowed" }, ALLOWED, "" },
		{ "a write to the allowed file bound elsewhere",
		  { OPEN, "/tmp/allowed", W, VI, 0, "/srv/allowed" }, ALLOWED, "" },
		{ "uid 4242 reads", { OPEN, "/etc/hosts", R, VI, 4242 }, DENIED, "6 deny log" },
		{ "uid 4242 in a kernel thread", { OPEN, "/etc/hosts", R, NULL, 4242 }, DENIED,
		  "6 deny log" },
		{ "uid 4243 reads", { OPEN, "/etc/hosts", R, VI, 4243 }, ALLOWED,
		  "" },
		{ "an empty set holds for nothing, != for everything",
		  { EXEC, "/usr/bin/vi", X, "/usr/bin/sh" }, ALLOWED,
		  "9 continue log" },
	};
	struct compiled *c = compile_text("table t {\n"
					  "\tset none { type path }\n"
					  "\tchain files {\n"
					  "\t\thook file_open; policy accept\n"
					  "\t\tpath != /srv/allowed access write path /srv/ deny\n"
					  "\t\texe /opt/missing log deny\n"
					  "\t\texe != /opt/missing uid 4242 log deny\n"
					  "\t}\n"
					  "\tchain exec {\n"
					  "\t\thook exec; policy accept\n"
					  "\t\tpath @none deny\n"
					  "\t\texe != @none log\n"
					  "\t}\n"
					  "}\n");

	(void)state;
	ASSERT_DECIDE_CASES(c, cases);
}

/* The search crosses words and aggregate words: the last of ENDURA_MAX_RULES positions. */
static void test_decide_full_hook(void **state)
{
	static const struct decide_case cases[] = {
		{ "the last rule", { OPEN, "/last", R }, DENIED,
		  "16385 deny log" },
		{ "the first rule", { OPEN, "/never", R }, DENIED, "3 deny" },
		{ "no rule", { OPEN, "/other", R }, ALLOWED,
		  "" },
	};
	char *text = many_rules(8191, 8190);
	struct compiled *c = compile_text(text);
	uint32_t last = ENDURA_MAX_RULES - 1;
	struct endura_bitset all;

	(void)state;
	assert_int_equal(c->open->nrules, ENDURA_MAX_RULES);
	hook_image_class(c->open, ENDURA_CLASS_ALL, &all);
	for (uint32_t w = 0; w < ENDURA_BITSET_WORDS; w++)
		assert_int_equal(all.word[w], UINT64_MAX);
	for (uint32_t a = 0; a < ENDURA_AGG_WORDS; a++)
		assert_int_equal(all.agg[a], UINT64_MAX);
	assert_int_equal(c->open->rules[last].chain_end, ENDURA_MAX_RULES);
	assert_int_equal(c->open->rules[8191].flags, POLICY);
	free(text);
	ASSERT_DECIDE_CASES(c, cases);
}

/* The last step of @t, and how many there were. */
static void assert_last_step(const struct trace *t, uint32_t steps, const char *last)
{
	const char *sep = strrchr(t->text, ';');

	assert_true(t->len < t->size);
	assert_int_equal(t->steps, steps);
	assert_string_equal(sep ? sep + 2 : t->text, last);
}

/* A signal is decided by its number and its target's executable; a target without one (a kernel
 * thread) is no "target X" and is every "target != X". */
static void test_decide_signal_targets(void **state)
{
	struct compiled *c = compile_text("table t {\n"
					  "\tchain s {\n"
					  "\t\thook signal; policy accept\n"
					  "\t\ttarget /usr/sbin/endurd signal kill deny\n"
					  "\t\ttarget != /usr/sbin/sshd signal 0 deny\n"
					  "\t}\n"
					  "}\n");
	const struct subject kill_endurd = { .hook = HOOK_SIGNAL, .path = "/usr/sbin/endurd", .access = 9 },
			     term_endurd = { .hook = HOOK_SIGNAL, .path = "/usr/sbin/endurd", .access = 15 },
			     kill_kthread = { .hook = HOOK_SIGNAL, .access = 9, .no_file = true },
			     probe_kthread = { .hook = HOOK_SIGNAL, .access = 0, .no_file = true },
			     probe_sshd = { .hook = HOOK_SIGNAL, .path = "/usr/sbin/sshd", .access = 0 },
			     probe_endurd = { .hook = HOOK_SIGNAL, .path = "/usr/sbin/endurd", .access = 0 };
	struct trace trace = { .size = 256 };

	(void)state;
	trace.text = xzalloc(trace.size);
	assert_int_equal(decide(c, &kill_endurd, &trace), DENIED);
	assert_int_equal(decide(c, &term_endurd, &trace), 0);
	assert_int_equal(decide(c, &kill_kthread, &trace), 0);
	assert_int_equal(decide(c, &probe_kthread, &trace), DENIED);
	assert_int_equal(decide(c, &probe_sshd, &trace), 0);
	assert_int_equal(decide(c, &probe_endurd, &trace), DENIED);
	free(trace.text);
	compiled_free(c);
}

/* One decision acts on at most ENDURA_MAX_ACTIONS rules: every rule without a verdict that holds,
 * and the rule or policy that ends each chain. A ruleset that could need more is refused, so the
 * kernel's bounded loop never stops short of the verdict. Rules without a verdict, then a deny:
 * the most that fit decide every operation they cover; one more is an error. */
static void test_decide_action_limit(void **state)
{
	const uint32_t continues = ENDURA_MAX_ACTIONS - 2;
	const struct subject a = { OPEN, "/a", R }, b = { OPEN, "/b", R };
	struct trace trace = { .size = (size_t)(continues + 2) * 32 };
	struct system_lookup lookup;
	struct table_image image;
	struct session *s;
	char *text, *last;
	size_t len;
	FILE *out = open_memstream(&text, &len);
	struct compiled *c;

	(void)state;
	fputs("add table t\nadd chain t c { hook file_open; policy accept }\n", out);
	for (uint32_t i = 0; i < continues; i++)
		fputs("add rule t c path { /a, /b }\n", out);
	fputs("add rule t c path /b\nadd rule t c path { /a, /b } deny\n", out);
	fclose(out);
	c = compile_text(text);
	trace.text = xzalloc(trace.size);

	/* handles: the continues from 3, the rule for /b, the deny */
	assert_int_equal(decide(c, &a, &trace), DENIED);
	last = xasprintf("%u deny", continues + 4);
	assert_last_step(&trace, continues + 1, last);
	assert_int_equal(decide(c, &b, &trace), DENIED);
	assert_last_step(&trace, continues + 2, last);
	free(last);
	free(trace.text);
	compiled_free(c);

	/* one more rule without a verdict: 257 rules could act on one open */
	s = session_from(text);
	free(text);
	assert_int_equal(session_apply(s, "add rule t c path /c\n"), 0);
	system_lookup_init(&lookup);
	assert_int_equal(compile_ruleset(&s->ruleset, &lookup.resolver, &image, &s->diags), -1);
	system_lookup_end(&lookup);
	assert_session_diags(s, "Error: hook file_open: one operation could meet 257 rules that act "
				"on it (each rule without a verdict, and one per chain); at most 256 "
				"are supported\n");
	session_free(s);
}

/* Two exact paths that name one file: an operation under either name matches the rules of both,
 * the way it does with one of them named alone. A rule that only logs the first name must not
 * keep the deny of the second from holding for it. Fails while the identity takes the class of
 * the first name alone (compile_path_ids(); endura-rules(5), BUGS). */
static void test_decide_two_names_of_one_file(void **state)
{
	static const struct decide_case alone[] = {
		{ "write under the other name", { OPEN, "/srv/a/file", W, VI }, DENIED, "3 deny" },
		{ "write under the named one", { OPEN, "/srv/b/link", W, VI }, DENIED, "3 deny" },
	};
	static const struct decide_case both[] = {
		{ "write under the named one", { OPEN, "/srv/b/link", W, VI }, DENIED,
		  "3 continue log; 4 deny" },
		{ "write under the name that only logs", { OPEN, "/srv/a/file", W, VI }, DENIED,
		  "3 continue log; 4 deny" },
	};
	struct compiled *c = compile_text(CHAIN("file_open",
						"path /srv/b/link access write deny\n"));

	(void)state;
	ASSERT_DECIDE_CASES(c, alone);
	c = compile_text(CHAIN("file_open",
			       "path /srv/a/file log\n"
			       "path /srv/b/link access write deny\n"));
	ASSERT_DECIDE_CASES(c, both);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_empty_hooks),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_path_classes),
		cmocka_unit_test(test_mapping_classes),
		cmocka_unit_test(test_mapping_needs),
		cmocka_unit_test(test_capability_classes),
		cmocka_unit_test(test_bpf_command_classes),
		cmocka_unit_test(test_module_sources),
		cmocka_unit_test(test_signal_classes),
		cmocka_unit_test(test_decide_signal_targets),
		cmocka_unit_test(test_path_tables),
		cmocka_unit_test(test_path_ids),
		cmocka_unit_test(test_subtree_ids),
		cmocka_unit_test(test_exe),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_empty_class),
		cmocka_unit_test(test_matches_anded),
		cmocka_unit_test(test_empty_sets),
		cmocka_unit_test(test_too_many_rules),
		cmocka_unit_test(test_decide_shipped_rules),
		cmocka_unit_test(test_decide_chains),
		cmocka_unit_test(test_decide_fields),
		cmocka_unit_test(test_decide_full_hook),
		cmocka_unit_test(test_decide_action_limit),
		cmocka_unit_test(test_decide_two_names_of_one_file),
		cmocka_unit_test(test_system_lookup),
		cmocka_unit_test(test_system_lookup_listing),
		cmocka_unit_test(test_path_ids_system),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
