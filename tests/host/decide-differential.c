// SPDX-License-Identifier: GPL-2.0-only
/* One decision, one truth. tests/unit/decide_mirror.h copies in C the decision code of the LSM
 * programs (bpf/decide.bpf.h), and the unit tests of the compiler say what the kernel decides
 * through that copy: they are right only as long as the copy is. This test holds the copy to the
 * original. Generated rulesets are compiled and committed to the maps of the benchmark's tc
 * program (bpf/bench.bpf.c), which runs the real decision code under BPF_PROG_TEST_RUN on the
 * host kernel, and generated operations are decided on both sides: the result, and the hits of
 * every rule with a counter, must be what the mirror says. The first mismatch prints the ruleset
 * and the operation and fails the test.
 *
 * decide-differential [SEED [RULESETS]]; DECIDE_SEED in the environment gives a seed too. Without
 * one the seed is new every run, and printed: each run tries rulesets no earlier run tried, and
 * the seed and the count of a failing run reproduce it. Needs root: a host that cannot load or run the program
 * fails the test rather than skip it, since a skipped comparison proves nothing. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../unit/decide_mirror.h"
#include "bench.skel.h"
#include "hooks.h"
#include "tables.h"

#define RULESETS	400
#define SUBJECTS	300	/* operations decided per ruleset */
#define KERNELS		50	/* programs loaded: rulesets are committed to them side by side */
#define TRACE_SIZE	16384	/* ENDURA_MAX_ACTIONS steps of the longest kind, whole */

#define R	ENDURA_ACCESS_READ
#define W	ENDURA_ACCESS_WRITE
#define X	ENDURA_ACCESS_EXEC

#define COUNT(array)	(sizeof(array) / sizeof((array)[0]))
#define PICK(array)	((array)[below(COUNT(array))])

/* --- a seeded generator --------------------------------------------------------------------- */

static uint64_t rng_state;

/* splitmix64: one word of state, so that a seed alone replays a run. */
static uint64_t next_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(size_t n)
{
	return (uint32_t)(next_random() % n);
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* --- the universe: paths, files, executables, users ----------------------------------------- */

/* Long paths around the sizes at which the kernel side changes what it looks up, filled in by
 * build_long_paths(): the table of short exact keys, the table of long ones, the longest value a
 * rule can name, the LPM key that holds only the first ENDURA_PATH_MAX bytes of a path. */
static char short_last[64];		/* 63 bytes: the longest path of the table of short keys */
static char long_first[65];		/* 64 bytes: the shortest of the table of long keys */
static char mid_subtree[71];		/* a subtree longer than a short key */
static char mid_file[75];
static char deep_dir[201];		/* a subtree of 200 bytes */
static char deep254[255];
static char deep255[256];		/* the longest path a rule can name */
static char deep256[257];		/* one byte more: no exact rule can name it */
static char deep300[301];
static char deep_full[ENDURA_PATH_FULL];	/* the longest path the kernel side resolves */
static char widest_subtree[256];	/* the longest subtree a rule can name */
static char widest_dir[255];		/* its directory, which the subtree does not cover */
static char under_widest[257];
static char far_under_widest[1301];

/* @buf of @size bytes: @prefix, @fill up to the length that leaves room for @suffix, @suffix. */
static void fill_path(char *buf, size_t size, const char *prefix, char fill, const char *suffix)
{
	size_t len = size - 1, head = strlen(prefix), tail = strlen(suffix);

	assert_true(head + tail <= len);
	memcpy(buf, prefix, head);
	memset(buf + head, fill, len - head - tail);
	memcpy(buf + len - tail, suffix, tail + 1);
}

#define FILL(buf, prefix, fill, suffix) fill_path(buf, sizeof(buf), prefix, fill, suffix)

static void build_long_paths(void)
{
	FILL(short_last, "/mid/", 'm', "");
	FILL(long_first, "/mid/", 'm', "");
	FILL(mid_subtree, "/mid/", 'n', "/");
	FILL(mid_file, mid_subtree, 'f', "file");
	FILL(deep_dir, "/deep/", 'd', "/");
	FILL(deep254, deep_dir, 'f', "");
	FILL(deep255, deep_dir, 'f', "");
	FILL(deep256, deep_dir, 'f', "");
	FILL(deep300, deep_dir, 'f', "");
	FILL(deep_full, deep_dir, 'f', "");
	FILL(widest_subtree, deep_dir, 'g', "/");
	FILL(widest_dir, deep_dir, 'g', "");
	FILL(under_widest, widest_subtree, 'x', "");
	FILL(far_under_widest, widest_subtree, 'x', "");
}

/* The files the resolver knows. Names with one identity are hard links or bind mounts of one
 * file: an operation under one name meets the exact rules of the other. */
static const struct fake_file files[] = {
	{ "/etc", { 8, 2 } },
	{ "/etc/shadow", { 8, 100 } },
	{ "/mnt/shadow", { 8, 100 } },
	{ "/etc/gshadow", { 8, 101 } },
	{ "/etc/passwd", { 8, 102 } },
	{ "/etc/ssh/sshd_config", { 8, 103 } },
	{ "/tmp/a", { 12, 1 } },
	{ "/srv/a/file", { 9, 2 } },
	{ "/srv/b/link", { 9, 2 } },
	{ "/srv/allowed", { 9, 1 } },
	{ "/usr/bin/vi", { 8, 300 } },
	{ "/usr/bin/vim", { 8, 300 } },
	{ "/usr/bin/sh", { 8, 301 } },
	{ "/usr/bin/passwd", { 8, 200 } },
	{ "/usr/sbin/useradd", { 8, 204 } },
	{ short_last, { 10, 63 } },
	{ long_first, { 10, 64 } },
	{ mid_file, { 10, 74 } },
	{ deep254, { 10, 254 } },
	{ deep255, { 10, 255 } },
	{ deep256, { 10, 255 } },	/* met by the exact rules of deep255 through its identity only */
	{ NULL, { 0, 0 } },
};

static const char *const exact_values[] = {
	"/etc", "/etc/shadow", "/etc/gshadow", "/etc/passwd", "/etc/ssh/sshd_config", "/tmp",
	"/tmp/a", "/tmp/a/b", "/tmpfoo", "/srv/a/file", "/srv/allowed", "/usr/bin/vi",
	"/usr/bin/sh", "/usr/bin/passwd", "/nonexistent", short_last, long_first, mid_file, deep254,
	deep255, widest_dir,
};

static const char *const subtree_values[] = {
	"/", "/etc/", "/etc/ssh/", "/tmp/", "/tmp/a/", "/srv/", "/srv/b/", "/usr/bin/", "/dev/shm/",
	"/root/.ssh/", "/mid/", mid_subtree, "/deep/", deep_dir, widest_subtree,
};

/* NULL: a path the kernel side could not resolve. */
static const char *const subject_paths[] = {
	"/", "/etc", "/etc/shadow", "/etc/gshadow", "/etc/passwd", "/etc/ssh",
	"/etc/ssh/sshd_config", "/etc/sudoers.d/admins", "/mnt/shadow", "/tmp", "/tmp/a",
	"/tmp/a/b", "/tmp/a/b/c", "/tmpfoo", "/srv", "/srv/a/file", "/srv/b/link", "/srv/allowed",
	"/usr/bin", "/usr/bin/vi", "/usr/bin/vim", "/usr/bin/sh", "/usr/bin/passwd",
	"/dev/shm/payload", "/root/.ssh/authorized_keys", "/home/user/notes", "/filler/x",
	short_last, long_first, mid_file, deep254, deep255, deep256, deep300, deep_full, widest_dir,
	under_widest, far_under_widest, NULL, NULL,
};

/* Another name of the file, for its identity: a bind mount, or a file nobody names. */
static const char *const other_names[] = {
	"/etc/shadow", "/mnt/shadow", "/srv/a/file", "/srv/allowed", "/usr/bin/vi", "/tmp/a",
	deep255, long_first, "/elsewhere",
};

static const char *const exe_values[] = {
	"/usr/bin/vi", "/usr/bin/vim", "/usr/bin/sh", "/usr/bin/passwd", "/usr/sbin/useradd",
	"/usr/local/bin/tool",
};

/* NULL: a kernel thread. */
static const char *const subject_exes[] = {
	NULL, "/usr/bin/vi", "/usr/bin/vim", "/usr/bin/sh", "/usr/bin/passwd", "/usr/sbin/useradd",
	"/usr/local/bin/tool", "/usr/bin/python3",
};

static const uint32_t uid_values[] = { 0, 1, 1000, 65534, 4294967294u };
static const uint32_t subject_uids[] = { 0, 1, 1000, 65534, 4294967294u, 4294967295u, 42 };

/* The user of the filler rules: rare enough that they mostly only move the other rules. */
#define FILLER_UID	4242

/* What open_access() in bpf/endura.bpf.c makes of the opens programs do. */
static const uint32_t open_accesses[] = { R, W, R | W, R | X };

/* --- rulesets, as text ---------------------------------------------------------------------- */

/* How many values of @field a rule can name. */
static unsigned int value_count(enum match_field field)
{
	switch (field) {
	case FIELD_PATH:
		return COUNT(exact_values) + COUNT(subtree_values);
	case FIELD_EXE:
		return COUNT(exe_values);
	case FIELD_UID:
		return COUNT(uid_values);
	default:
		return ACCESS_COUNT;
	}
}

/* The @i-th value of @field a rule can name. */
static void put_value(FILE *out, enum match_field field, unsigned int i)
{
	switch (field) {
	case FIELD_PATH:
		fputs(i < COUNT(exact_values) ? exact_values[i] :
		      subtree_values[i - COUNT(exact_values)], out);
		break;
	case FIELD_EXE:
		fputs(exe_values[i], out);
		break;
	case FIELD_UID:
		fprintf(out, "%" PRIu32, uid_values[i]);
		break;
	default:
		fputs(access_names[i], out);
		break;
	}
}

static void put_random_value(FILE *out, enum match_field field)
{
	put_value(out, field, below(value_count(field)));
}

/* The named sets of a table: one of paths, one of executables, one of users, each maybe. */
struct table_sets {
	bool has[FIELD_COUNT];
};

static const char *const named_sets[FIELD_COUNT] = {
	[FIELD_PATH] = "paths", [FIELD_EXE] = "exes", [FIELD_UID] = "users",
};

static void put_sets(FILE *out, struct table_sets *sets)
{
	static const enum match_field fields[] = { FIELD_PATH, FIELD_EXE, FIELD_UID };

	memset(sets, 0, sizeof(*sets));
	for (size_t f = 0; f < COUNT(fields); f++) {
		enum match_field field = fields[f];
		unsigned int n = below(4);

		if (!chance(30))
			continue;
		sets->has[field] = true;
		/* empty now and then: it matches nothing, and everything with != */
		fprintf(out, "\tset %s { type %s; elements = {", named_sets[field],
			field == FIELD_UID ? "uid" : "path");
		for (unsigned int i = 0; i < n; i++) {
			fputs(i ? ", " : " ", out);
			put_random_value(out, field);
		}
		fputs(n ? " } }\n" : "} }\n", out);
	}
}

static void put_match(FILE *out, enum hook_type hook, const struct table_sets *sets)
{
	unsigned int r = below(100);
	enum match_field field = r < 45 ? FIELD_PATH : r < 65 ? FIELD_EXE : r < 85 ? FIELD_UID :
				 hook == HOOK_FILE_OPEN ? FIELD_ACCESS : FIELD_PATH;

	fprintf(out, " %s", field_name(field));
	r = below(100);
	fputs(r < 10 ? " == " : r < 45 ? " != " : " ", out);
	if (sets->has[field] && chance(20)) {
		fprintf(out, "@%s", named_sets[field]);
	} else if (chance(30)) {
		unsigned int n = 2 + below(2);

		fputs("{ ", out);
		for (unsigned int i = 0; i < n; i++) {
			fputs(i ? ", " : "", out);
			put_random_value(out, field);
		}
		fputs(" }", out);
	} else {
		put_random_value(out, field);
	}
}

/* A verdict map of distinct keys: the compiler makes one position per key, under one handle. */
static void put_vmap(FILE *out)
{
	static const enum match_field fields[] = { FIELD_PATH, FIELD_EXE, FIELD_UID };
	enum match_field field = PICK(fields);
	unsigned int count = value_count(field), n = 1 + below(3), keys[3];

	fprintf(out, " %s vmap {", field_name(field));
	for (unsigned int i = 0; i < n; i++) {
		bool fresh;

		do {
			keys[i] = below(count);
			fresh = true;
			for (unsigned int j = 0; j < i; j++)
				fresh = fresh && keys[j] != keys[i];
		} while (!fresh);
		fputs(i ? ", " : " ", out);
		put_value(out, field, keys[i]);
		fputs(chance(50) ? " : deny" : " : accept", out);
	}
	fputs(" }", out);
}

/* A rule; a @quiet one holds often, counts or logs, and lets the decision go on. */
static void put_rule(FILE *out, enum hook_type hook, const struct table_sets *sets, bool quiet)
{
	/* a rule without a match decides all that reaches it: rare, unless it only counts or logs */
	unsigned int nmatches = quiet ? below(2) : chance(10) ? 0 : 1 + below(3), r = below(100);
	bool vmap = !quiet && chance(10), counter = chance(quiet ? 50 : 35);
	bool log = quiet ? !counter || chance(50) : chance(20);
	const char *verdict = vmap || quiet ? NULL : r < 40 ? "deny" : r < 70 ? "accept" : NULL;
	char *words = NULL;
	size_t size;
	FILE *rule = open_memstream(&words, &size);

	assert_non_null(rule);
	if (!nmatches && !vmap && !counter && !log && !verdict)
		verdict = chance(50) ? "deny" : "accept";
	for (unsigned int i = 0; i < nmatches; i++)
		put_match(rule, hook, sets);
	if (vmap)
		put_vmap(rule);
	if (counter)
		fputs(" counter", rule);
	if (log)
		fputs(" log", rule);
	if (verdict)
		fprintf(rule, " %s", verdict);
	fclose(rule);
	/* every part came with a space before it */
	fprintf(out, "\t\t%s\n", words + 1);
	free(words);
}

#define STRING(x)	#x
#define NUMBER(x)	STRING(x)

/* Rules that hold for the filler user alone, with a verdict and no statement: they cost no
 * counter reads and count nothing against ENDURA_MAX_ACTIONS. Thousands of them put the other
 * rules in words and aggregate words past the first, where the search of the decision has more
 * to do. */
static void put_filler(FILE *out, enum hook_type hook)
{
	static const char *const any[] = {
		"uid " NUMBER(FILLER_UID) " deny",
		"path /filler/ uid " NUMBER(FILLER_UID) " accept",
		"exe != /usr/bin/sh uid " NUMBER(FILLER_UID) " deny",
	};

	if (hook == HOOK_FILE_OPEN && chance(25))
		fputs("\t\taccess write uid " NUMBER(FILLER_UID) " deny\n", out);
	else
		fprintf(out, "\t\t%s\n", PICK(any));
}

#define MAX_TABLES	4
#define MAX_CHAINS	3
#define MAX_RULES	8
#define MAX_QUIET_RULES	(ENDURA_MAX_ACTIONS - 1)	/* alone on its hook, with its policy */

struct chain_plan {
	int hook;				/* enum hook_type, or -1: none */
	unsigned int nrules;
	bool quiet;
	unsigned int fillers[MAX_QUIET_RULES + 1];	/* before each rule, and the policy */
};

/* Fillers for a hook with @n gaps: none mostly; often a few hundred scattered, so that the other
 * rules fall in different words; now and then a block of about 4096, so that the rules after it
 * fall around the end of the first aggregate word and the rules before it do not. */
static void place_fillers(unsigned int **gaps, unsigned int n)
{
	unsigned int r = below(100), scattered = r < 45 ? 0 : r < 90 ? 1 + below(400) : below(64);

	if (r >= 90)
		*gaps[below(n)] += 4000 + below(150);
	while (scattered--)
		(*gaps[below(n)])++;
}

/* A ruleset of a few tables of a few chains, as text to free. */
static char *generate_ruleset(void)
{
	struct chain_plan plan[MAX_TABLES][MAX_CHAINS] = { 0 };
	unsigned int ntables = 1 + below(MAX_TABLES), nchains[MAX_TABLES];
	/* where fillers can go on each hook: before a rule or a policy of a chain on it; no more
	 * than ENDURA_MAX_ACTIONS, as the quiet chain takes only the room the others leave */
	unsigned int *gaps[HOOK_COUNT][ENDURA_MAX_ACTIONS];
	unsigned int ngaps[HOOK_COUNT] = { 0 };
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(out);
	for (unsigned int t = 0; t < ntables; t++) {
		nchains[t] = 1 + below(MAX_CHAINS);
		for (unsigned int c = 0; c < nchains[t]; c++) {
			struct chain_plan *p = &plan[t][c];
			unsigned int r = below(100);

			p->hook = r < 5 ? -1 : r < 55 ? HOOK_FILE_OPEN : HOOK_EXEC;
			p->nrules = below(MAX_RULES + 1);
		}
	}
	/* now and then a long chain of rules that all act: decisions of up to the ENDURA_MAX_ACTIONS
	 * actions the compiler allows, which bound the kernel's loop */
	if (plan[0][0].hook >= 0 && chance(8)) {
		struct chain_plan *quiet = &plan[0][0];
		/* what the rest of the hook could act on: any of its rules, and each chain's end */
		unsigned int room = ENDURA_MAX_ACTIONS - 1;

		for (unsigned int t = 0; t < ntables; t++)
			for (unsigned int c = 0; c < nchains[t]; c++)
				if ((t || c) && plan[t][c].hook == quiet->hook)
					room -= plan[t][c].nrules + 1;
		quiet->quiet = true;
		quiet->nrules = chance(30) ? room : room / 2 + below(room / 2 + 1);
	}
	for (unsigned int t = 0; t < ntables; t++)
		for (unsigned int c = 0; c < nchains[t]; c++) {
			struct chain_plan *p = &plan[t][c];

			for (unsigned int i = 0; p->hook >= 0 && i <= p->nrules; i++) {
				assert_true(ngaps[p->hook] < ENDURA_MAX_ACTIONS);
				gaps[p->hook][ngaps[p->hook]++] = &p->fillers[i];
			}
		}
	for (int hook = 0; hook < HOOK_COUNT; hook++)
		if (ngaps[hook])
			place_fillers(gaps[hook], ngaps[hook]);

	for (unsigned int t = 0; t < ntables; t++) {
		struct table_sets sets;
		unsigned int r = below(100);

		fprintf(out, "table t%u {\n", t);
		if (r < 30)
			fputs("\tmode audit\n", out);
		else if (r < 45)
			fputs("\tmode enforce\n", out);
		put_sets(out, &sets);
		for (unsigned int c = 0; c < nchains[t]; c++) {
			const struct chain_plan *p = &plan[t][c];

			fprintf(out, "\tchain c%u {\n", c);
			if (p->hook >= 0) {
				r = below(100);
				fprintf(out, "\t\thook %s%s\n", hook_name(p->hook),
					r < 30 ? "; policy deny" : r < 85 ? "; policy accept" : "");
			}
			for (unsigned int i = 0; i <= p->nrules; i++) {
				for (unsigned int f = 0; f < p->fillers[i]; f++)
					put_filler(out, p->hook);
				if (i < p->nrules)
					put_rule(out, p->hook < 0 ? HOOK_FILE_OPEN : p->hook, &sets,
						 p->quiet);
			}
			fputs("\t}\n", out);
		}
		fputs("}\n", out);
	}
	fclose(out);
	return text;
}

/* --- operations ----------------------------------------------------------------------------- */

static struct subject random_subject(void)
{
	struct subject s = {
		.hook = chance(50) ? HOOK_FILE_OPEN : HOOK_EXEC,
		.path = PICK(subject_paths),
		.file = chance(15) ? PICK(other_names) : NULL,
		.exe = PICK(subject_exes),
		.uid = chance(3) ? FILLER_UID : PICK(subject_uids),
	};

	if (s.hook == HOOK_EXEC)
		/* an exec, or code of a file mapped executable */
		s.access = chance(70) ? X : ENDURA_ACCESS_MAP;
	else
		/* opens, the other operations' classes of change, any value now and then */
		s.access = chance(70) ? PICK(open_accesses) :
			   chance(85) ? ENDURA_ACCESS_CREATE + below(ENDURA_ACCESS_MOUNT -
								     ENDURA_ACCESS_CREATE + 1) :
			   below(ENDURA_ACCESS_VALUES);
	return s;
}

/* The identities the kernel side reads from the inodes: those the mirror gives the names. */
static const struct endura_file_id unknown_id = { UINT64_MAX, UINT64_MAX }, no_exe = { 0, 0 };

static struct endura_file_id object_id(const struct compiled *c, const struct subject *s)
{
	return identity(&c->resolver, s->file ? s->file : s->path, unknown_id);
}

static struct endura_file_id exe_id(const struct compiled *c, const struct subject *s)
{
	return s->exe ? identity(&c->resolver, s->exe, unknown_id) : no_exe;
}

static void print_id(FILE *out, struct endura_file_id id)
{
	if (id.dev == unknown_id.dev && id.ino == unknown_id.ino)
		fputs("{unknown}", out);
	else
		fprintf(out, "{%" PRIu64 ", %" PRIu64 "}", (uint64_t)id.dev, (uint64_t)id.ino);
}

static void print_subject(FILE *out, const struct compiled *c, const struct subject *s)
{
	unsigned int bits = access_of_value(s->access);

	fprintf(out, "subject: hook %s, access %#x (", hook_name(s->hook), s->access);
	for (unsigned int i = 0, n = 0; i < ACCESS_COUNT; i++)
		if (bits & 1u << i)
			fprintf(out, "%s%s", n++ ? "|" : "", access_names[i]);
	fputs(")\n", out);
	if (s->path)
		fprintf(out, "  path (%zu bytes): %s\n", strlen(s->path), s->path);
	else
		fputs("  path: unresolved\n", out);
	fprintf(out, "  file identity%s%s: ", s->file ? " through " : "", s->file ? s->file : "");
	print_id(out, object_id(c, s));
	fprintf(out, "\n  exe: %s ", s->exe ? s->exe : "none (kernel thread)");
	print_id(out, exe_id(c, s));
	fprintf(out, "\n  uid: %" PRIu32 "\n", s->uid);
}

/* --- the mirror's side ---------------------------------------------------------------------- */

/* @text parsed, applied to an empty ruleset, evaluated and compiled with the made-up files, as the
 * compiler's unit tests do. Random rules draw warnings (rules that never decide, sets no rule
 * uses), and those are fine; an error is a bug of the generator, shown with the text. */
static struct compiled *compile_generated(const char *text)
{
	struct compiled *c = xzalloc(sizeof(*c));
	struct session *s = session_new();
	struct parsed *p = parse_string(text);
	int ret = p->ret;

	/* the ruleset's locations point into the parsed text: the session keeps it */
	s->parsed[s->nparsed++] = p;
	c->session = s;
	c->resolver = fake_resolver(files);
	if (!ret && !p->diags.errors)
		ret = ruleset_apply(&s->ruleset, &p->ctx.cmds, &s->diags);
	if (!ret)
		ret = ruleset_evaluate(&s->ruleset, &s->diags);
	if (!ret)
		ret = compile_ruleset(&s->ruleset, &c->resolver, &c->image, &s->diags);
	if (ret < 0 || p->diags.errors || s->diags.errors) {
		char *parse_diags = diag_text(&p->diags), *diags = diag_text(&s->diags);

		fprintf(stderr, "generated ruleset:\n%s%s%s", text, parse_diags, diags);
		fail_msg("a generated ruleset does not compile");
	}
	diag_list_free(&s->diags);
	c->open = &c->image.hooks[HOOK_FILE_OPEN];
	c->exec = &c->image.hooks[HOOK_EXEC];
	return c;
}

/* --- the kernel's side ---------------------------------------------------------------------- */

struct kernel {
	struct bench_bpf *skel;
	struct decision_maps maps;
	int prog;
};

static void kernel_load(struct kernel *k)
{
	int err;

	k->skel = bench_bpf__open_and_load();
	if (!k->skel)
		fail_msg("cannot load the decision code of the LSM programs in a tc program "
			 "(bpf/bench.bpf.c): %s. This test needs root, and a kernel that loads "
			 "tc programs and runs them with BPF_PROG_TEST_RUN", strerror(errno));
	err = decision_maps_find(&k->maps, k->skel->obj);
	if (err < 0)
		fail_msg("the decision maps of bpf/bench.bpf.c: %s", strerror(-err));
	k->prog = bpf_program__fd(k->skel->progs.bench_decide);
}

/* bench_decide() leaves bench_result alone when the hook has no tables: the LSM programs allow
 * then, before deciding anything. */
#define NOT_DECIDED	1

static int kernel_decide(struct kernel *k, const struct compiled *c, const struct subject *s)
{
	struct bench_bpf__bss *bss = k->skel->bss;
	unsigned char packet[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet));

	memset(&bss->bench_path, 0, sizeof(bss->bench_path));
	bss->bench_path_size = 0;
	bss->bench_flags = 0;
	if (s->path) {
		size_t size = strlen(s->path) + 1;
		size_t kept = size < ENDURA_PATH_MAX ? size : ENDURA_PATH_MAX;

		memcpy(bss->bench_path.path, s->path, kept);
		bss->bench_path.prefixlen = kept * 8;
		bss->bench_path_size = size;
	} else {
		bss->bench_flags = ENDURA_EVENT_PATH_UNRESOLVED;
	}
	bss->bench_object = object_id(c, s);
	bss->bench_exe = exe_id(c, s);
	bss->bench_uid = s->uid;
	bss->bench_access = s->access;
	bss->bench_hook = s->hook == HOOK_EXEC ? ENDURA_HOOK_EXEC : ENDURA_HOOK_FILE_OPEN;
	bss->bench_result = NOT_DECIDED;
	if (bpf_prog_test_run_opts(k->prog, &opts) < 0)
		fail_msg("BPF_PROG_TEST_RUN of the decision code: %s", strerror(errno));
	return bss->bench_result == NOT_DECIDED ? ALLOWED : bss->bench_result;
}

/* --- counters ------------------------------------------------------------------------------- */

/* A rule with a counter. Handles start from 1 in every generated ruleset, and a commit keeps the
 * count of a handle the new ruleset still counts: hits are compared from where the commit left
 * them. */
struct counted {
	uint64_t handle;
	uint64_t base;		/* its hits in the maps just after the commit */
	uint64_t expected;	/* the hits the mirror's traces gave it since */
};

/* The rules of the image that count, each once: the positions of a verdict map share a handle. */
static struct counted *counted_rules(const struct kernel *k, const struct compiled *c, size_t *n)
{
	size_t cap = c->open->nrules + c->exec->nrules + 1;
	struct counted *counted = xzalloc(cap * sizeof(*counted));

	*n = 0;
	for (int hook = 0; hook < HOOK_COUNT; hook++) {
		const struct hook_image *h = &c->image.hooks[hook];

		for (uint32_t p = 0; p < h->nrules; p++) {
			bool seen = false;

			if (!(h->rules[p].flags & ENDURA_RULE_COUNTER))
				continue;
			for (size_t i = 0; i < *n; i++)
				seen = seen || counted[i].handle == h->rules[p].handle;
			if (seen)
				continue;
			counted[*n].handle = h->rules[p].handle;
			counted[*n].base = decision_maps_hits(&k->maps, h->rules[p].handle);
			(*n)++;
		}
	}
	return counted;
}

/* Adds the hits of the steps of @trace that count ("3 deny counter", "policy 2 accept counter
 * log") to @counted, and their number to @hits; false for a counting step of a rule that is not
 * there. */
static bool add_traced_hits(const char *trace, struct counted *counted, size_t n,
			    unsigned long *hits)
{
	for (const char *step = trace; *step;) {
		const char *end = strstr(step, "; ");
		size_t len = end ? (size_t)(end - step) : strlen(step);
		const char *handle = strncmp(step, "policy ", 7) == 0 ? step + 7 : step;
		uint64_t h = strtoull(handle, NULL, 10);
		bool found = false;

		if (memmem(step, len, " counter", 8)) {
			for (size_t i = 0; i < n; i++)
				if (counted[i].handle == h) {
					counted[i].expected++;
					found = true;
				}
			if (!found)
				return false;
			(*hits)++;
		}
		step = end ? end + 2 : step + len;
	}
	return true;
}

/* --- the comparison ------------------------------------------------------------------------- */

struct run {
	uint64_t seed;
	unsigned int ruleset, rulesets, subject;
	const char *text;
	const struct compiled *c;
};

/* Everything needed to see the mismatch again: the seed, the ruleset as generated and with its
 * handles (the trace names rules by handle), the operation, and then what @fmt says of the two
 * decisions. */
__attribute__((format(printf, 3, 4)))
static void print_mismatch(const struct run *run, const struct subject *s, const char *fmt, ...)
{
	char *listing = ruleset_text(&run->c->session->ruleset, PRINT_HANDLES);
	va_list args;

	fprintf(stderr, "\nMISMATCH between the mirror (tests/unit/decide_mirror.h) and the kernel "
		"(bpf/decide.bpf.h)\nseed %" PRIu64 ", ruleset %u of %u, subject %u of %u\n",
		run->seed, run->ruleset + 1, run->rulesets, run->subject + 1, SUBJECTS);
	fprintf(stderr, "--- ruleset as generated\n%s--- ruleset with handles\n%s---\n", run->text,
		listing);
	free(listing);
	print_subject(stderr, run->c, s);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
}

struct totals {
	unsigned long decisions, denied, unresolved, hits;
	uint32_t longest;		/* steps of the longest decision */
	unsigned int wide, widest;	/* rulesets with a hook past one word, one aggregate word */
};

static const char *result_name(int result)
{
	return result == ALLOWED ? "allowed" : result == DENIED ? "denied" :
	       "neither allowed nor denied";
}

static void compare(struct kernel *k, const struct run *run, struct counted *counted, size_t n,
		    struct totals *totals)
{
	static char text[TRACE_SIZE];
	struct trace trace = { .text = text, .size = sizeof(text) };
	struct subject s = random_subject();
	int mirror = decide(run->c, &s, &trace), kernel = kernel_decide(k, run->c, &s);

	/* a trace cut short would hide counted steps */
	assert_true(trace.len < trace.size);
	if (!add_traced_hits(text, counted, n, &totals->hits)) {
		print_mismatch(run, &s, "mirror: %s, steps \"%s\": a rule counts that has no "
			       "counter\n", result_name(mirror), text);
		fail_msg("the mirror's trace counts a rule without a counter");
	}
	if (mirror != kernel) {
		print_mismatch(run, &s, "mirror: %s, steps \"%s\"\nkernel: %s\n",
			       result_name(mirror), text, result_name(kernel));
		fail_msg("the kernel: %s (%d), the mirror: %s", result_name(kernel), kernel,
			 result_name(mirror));
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t got = decision_maps_hits(&k->maps, counted[i].handle) - counted[i].base;

		if (got == counted[i].expected)
			continue;
		print_mismatch(run, &s, "both: %s; mirror steps \"%s\"\ncounter of rule %" PRIu64
			       ": the kernel counted %" PRIu64 " hits since the commit, the mirror %"
			       PRIu64 "\n", result_name(mirror), text, counted[i].handle, got,
			       counted[i].expected);
		fail_msg("counter of rule %" PRIu64 ": kernel %" PRIu64 ", mirror %" PRIu64,
			 counted[i].handle, got, counted[i].expected);
	}
	totals->decisions++;
	totals->denied += mirror == DENIED;
	totals->unresolved += !s.path;
	if (trace.steps > totals->longest)
		totals->longest = trace.steps;
}

struct options {
	uint64_t seed;
	unsigned int rulesets;
};

/* A ruleset on its way to a kernel. */
struct batch_entry {
	struct kernel kernel;
	char *text;
	struct compiled *c;
	pthread_t thread;
	int err;		/* of the commit */
};

/* A commit spends its time waiting for RCU grace periods (each replaced inner map, and the
 * generation flip): commits to separate kernels in parallel share them. The thread only commits:
 * cmocka's checks stay on the test's thread. */
static void *commit_thread(void *arg)
{
	struct batch_entry *e = arg;

	e->err = decision_maps_commit(&e->kernel.maps, &e->c->image);
	return NULL;
}

static void test_differential(void **state)
{
	const struct options *o = *state;
	unsigned int nkernels = o->rulesets < KERNELS ? o->rulesets : KERNELS;
	struct batch_entry batch[KERNELS];
	struct totals totals = { 0 };

	build_long_paths();
	for (unsigned int i = 0; i < nkernels; i++)
		kernel_load(&batch[i].kernel);
	rng_state = o->seed;
	for (unsigned int first = 0; first < o->rulesets; first += nkernels) {
		unsigned int n = o->rulesets - first < nkernels ? o->rulesets - first : nkernels;

		for (unsigned int i = 0; i < n; i++) {
			batch[i].text = generate_ruleset();
			batch[i].c = compile_generated(batch[i].text);
			if (pthread_create(&batch[i].thread, NULL, commit_thread, &batch[i]))
				fail_msg("cannot start a thread to commit a ruleset");
		}
		for (unsigned int i = 0; i < n; i++)
			pthread_join(batch[i].thread, NULL);
		for (unsigned int i = 0; i < n; i++) {
			struct kernel *k = &batch[i].kernel;
			const struct compiled *c = batch[i].c;
			struct run run = { .seed = o->seed, .ruleset = first + i,
					   .rulesets = o->rulesets, .text = batch[i].text, .c = c };
			uint32_t most = c->open->nrules > c->exec->nrules ? c->open->nrules :
					c->exec->nrules;
			struct counted *counted;
			size_t ncounted;

			if (batch[i].err < 0)
				fail_msg("committing a generated ruleset to the decision maps: %s",
					 strerror(-batch[i].err));
			counted = counted_rules(k, c, &ncounted);
			for (run.subject = 0; run.subject < SUBJECTS; run.subject++)
				compare(k, &run, counted, ncounted, &totals);
			totals.wide += most > 64;
			totals.widest += most > 64 * 64;
			free(counted);
			compiled_free(batch[i].c);
			free(batch[i].text);
		}
	}
	for (unsigned int i = 0; i < nkernels; i++)
		bench_bpf__destroy(batch[i].kernel.skel);
	printf("seed %" PRIu64 ": %u rulesets (%u with a hook of more than 64 positions, %u of more "
	       "than 4096), %lu decisions (%lu denied, %lu of unresolved paths, the longest of %"
	       PRIu32 " steps), %lu counted hits: the kernel and the mirror agree\n", o->seed,
	       o->rulesets, totals.wide, totals.widest, totals.decisions, totals.denied,
	       totals.unresolved, totals.longest, totals.hits);
	/* agreement on cases that never deny or never count would prove little */
	if (!totals.denied || totals.denied == totals.decisions || !totals.hits)
		fail_msg("the generated cases were too uniform to compare the decisions: more "
			 "rulesets, or another seed");
}

/* @text as a whole decimal number into @value; false for anything else. */
static bool parse_number(const char *text, uint64_t *value)
{
	char *end;

	errno = 0;
	*value = strtoull(text, &end, 10);
	return *text >= '0' && *text <= '9' && !*end && !errno;
}

int main(int argc, char **argv)
{
	const char *seed = argc > 1 ? argv[1] : getenv("DECIDE_SEED");
	struct options options;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_differential, &options),
	};
	uint64_t rulesets = RULESETS;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	options.seed = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec + (uint64_t)getpid();
	if (argc > 3 || (seed && !parse_number(seed, &options.seed)) ||
	    (argc > 2 && (!parse_number(argv[2], &rulesets) || !rulesets || rulesets > UINT_MAX))) {
		fprintf(stderr, "usage: %s [SEED [RULESETS]]\n", argv[0]);
		return 2;
	}
	options.rulesets = (unsigned int)rulesets;
	printf("decide-differential: seed %" PRIu64 " (run again: %s %" PRIu64 " %u)\n",
	       options.seed, argv[0], options.seed, options.rulesets);
	fflush(stdout);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
