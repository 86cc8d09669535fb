// SPDX-License-Identifier: GPL-2.0-only
/* Times one decision of the LSM programs' inline decision code with BPF_PROG_TEST_RUN on the host
 * kernel, for rulesets of 10, 1,000 and 10,000 rules, and prints the ratio that the rule count
 * costs. Each ruleset denies writes to one file per rule; the timed open is decided by the last
 * rule, the worst place for a linear scan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compile.h"
#include "bench.skel.h"
#include "tables.h"

#define REPEAT 100000
#define ROUNDS 15

static struct ruleset *generate(unsigned int nrules)
{
	struct ruleset *ruleset = calloc(1, sizeof(*ruleset));
	struct table *table = table_new("host", NULL);
	struct chain *chain = chain_new("files", NULL);

	ruleset_init(ruleset);
	chain->has_hook = true;
	chain->hook = HOOK_FILE_OPEN;
	for (unsigned int i = 0; i < nrules; i++) {
		struct rule *rule = rule_new(NULL);
		struct match *path = match_new(FIELD_PATH, NULL);
		struct match *access = match_new(FIELD_ACCESS, NULL);
		char text[64];

		snprintf(text, sizeof(text), "/data/file-%u", i);
		list_add_tail(&value_new(VALUE_STRING, text, 0, NULL)->list, &path->values);
		list_add_tail(&value_new(VALUE_STRING, "write", 0, NULL)->list, &access->values);
		list_add_tail(&path->list, &rule->matches);
		list_add_tail(&access->list, &rule->matches);
		rule->verdict = VERDICT_DENY;
		rule->handle = ruleset->next_handle++;
		list_add_tail(&rule->list, &chain->rules);
	}
	chain->handle = ruleset->next_handle++;
	list_add_tail(&chain->list, &table->chains);
	list_add_tail(&table->list, &ruleset->tables);
	return ruleset;
}

static int no_file(void *ctx, const char *path, struct endura_file_id *id)
{
	(void)ctx, (void)path, (void)id;
	return -1;
}

static void set_path(struct bench_bpf *skel, const char *path)
{
	size_t len = strlen(path) + 1;

	memset(&skel->bss->bench_path, 0, sizeof(skel->bss->bench_path));
	memcpy(skel->bss->bench_path.path, path, len);
	skel->bss->bench_path.prefixlen = len * 8;
	skel->bss->bench_path_size = len;
}

/* Nanoseconds per decision, as the kernel measures a run of REPEAT. */
static double time_decision(struct bench_bpf *skel, int *result)
{
	unsigned char packet[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet, .data_size_in = sizeof(packet),
		    .repeat = REPEAT);

	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.bench_decide), &opts) < 0) {
		fprintf(stderr, "BPF_PROG_TEST_RUN: %s\n", strerror(errno));
		exit(1);
	}
	*result = skel->bss->bench_result;
	return opts.duration;
}

struct setup {
	unsigned int nrules;
	struct bench_bpf *skel;
	unsigned int nclasses;
	char denied_path[64];
	double deny_ns, allow_ns;
};

static void prepare(struct setup *s)
{
	const struct resolver resolver = { .file_id = no_file };
	struct ruleset *ruleset = generate(s->nrules);
	struct table_image image;
	struct decision_maps maps;
	struct diag_list diags;

	diag_list_init(&diags);
	if (compile_ruleset(ruleset, &resolver, &image, &diags) < 0) {
		diag_print(&diags, stderr);
		exit(1);
	}
	s->skel = bench_bpf__open_and_load();
	if (!s->skel || decision_maps_find(&maps, s->skel->obj) < 0 ||
	    decision_maps_commit(&maps, &image) < 0) {
		fprintf(stderr, "cannot load the benchmark program: %s\n", strerror(errno));
		exit(1);
	}
	s->nclasses = image.hooks[HOOK_FILE_OPEN].nclasses;
	s->skel->bss->bench_hook = ENDURA_HOOK_FILE_OPEN;
	s->skel->bss->bench_access = ENDURA_ACCESS_WRITE;
	snprintf(s->denied_path, sizeof(s->denied_path), "/data/file-%u", s->nrules - 1);
	table_image_free(&image);
	ruleset_free(ruleset);
	free(ruleset);
	diag_list_free(&diags);
}

/* One round: the denied open (decided by the last rule) and an allowed one. Keeps the fastest
 * round: the least disturbed one measures the code, not the machine. */
static void measure(struct setup *s, int round)
{
	int denied, allowed;
	double deny_ns, allow_ns;

	set_path(s->skel, s->denied_path);
	deny_ns = time_decision(s->skel, &denied);
	set_path(s->skel, "/data/elsewhere");
	allow_ns = time_decision(s->skel, &allowed);
	if (denied != -EPERM || allowed != 0) {
		fprintf(stderr, "wrong decision with %u rules: %d for the last rule's file, %d for "
			"another\n", s->nrules, denied, allowed);
		exit(1);
	}
	if (round == 0 || deny_ns < s->deny_ns)
		s->deny_ns = deny_ns;
	if (round == 0 || allow_ns < s->allow_ns)
		s->allow_ns = allow_ns;
}

int main(void)
{
	struct setup setups[] = { { .nrules = 10 }, { .nrules = 1000 }, { .nrules = 10000 } };
	const int nsetups = sizeof(setups) / sizeof(setups[0]);
	double ratio;

	for (int i = 0; i < nsetups; i++)
		prepare(&setups[i]);
	/* rounds interleave the rulesets so that drift in the machine's speed hits all alike */
	for (int round = 0; round < ROUNDS; round++)
		for (int i = 0; i < nsetups; i++)
			measure(&setups[i], round);
	for (int i = 0; i < nsetups; i++) {
		printf("decision with %5u rules: %6.1f ns deny (last rule), %6.1f ns allow, "
		       "%u classes\n", setups[i].nrules, setups[i].deny_ns, setups[i].allow_ns,
		       setups[i].nclasses);
		bench_bpf__destroy(setups[i].skel);
	}
	ratio = setups[2].deny_ns / setups[0].deny_ns;
	printf("ratio cost(10000)/cost(10): %.2f (bar: <= 1.5)\n", ratio);
	return ratio <= 1.5 ? 0 : 1;
}
