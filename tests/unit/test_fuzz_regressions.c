// SPDX-License-Identifier: GPL-2.0-only
/* Replays the fuzz targets' seed corpus (tests/fuzz/corpus/) and every input the fuzzers ever broke
 * something with (tests/fuzz/regressions/) through fuzz_one_input(), the function the libFuzzer
 * targets run: parse or import, transaction, print, read back, compare; for the wire, read as
 * endurd reads a connection. A sanitizer report, an abort or a broken round trip fails the run;
 * the file being replayed is named on stderr first.
 * Every directory must hold at least one file: a replay of nothing is a failure. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* the file being replayed, for the failure message */
static const char *replaying;

#define FUZZ_FINDING() fail_msg("%s: a fuzz finding, described above", replaying)

#include "../fuzz/one_input.h"
#include "parse_helpers.h"

static int name_compare(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Replays every file of tests/fuzz/@sub (dot files aside) as @syntax; there must be one at least. */
static void replay_dir(const char *sub, enum fuzz_syntax syntax)
{
	char *root = source_dir("fuzz", "one_input.h"), *dir = xasprintf("%s/%s", root, sub);
	size_t count = 0, capacity = 64;
	char **names = xzalloc(capacity * sizeof(*names));
	struct dirent *entry;
	DIR *d = opendir(dir);

	if (!d)
		fail_msg("%s: %s", dir, strerror(errno));
	while ((entry = readdir(d))) {
		if (entry->d_name[0] == '.')
			continue;
		if (count == capacity) {
			capacity *= 2;
			names = xrealloc(names, capacity * sizeof(*names));
		}
		names[count++] = xasprintf("%s/%s", dir, entry->d_name);
	}
	closedir(d);
	if (count == 0)
		fail_msg("%s holds no file: nothing to replay", dir);
	qsort(names, count, sizeof(*names), name_compare);
	for (size_t i = 0; i < count; i++) {
		size_t len;
		char *text = read_whole_file(names[i], &len);

		if (!text)
			fail_msg("%s: %s", names[i], strerror(errno));
		replaying = names[i];
		fprintf(stderr, "fuzz replay: %s\n", names[i]);
		fuzz_one_input(syntax, (const uint8_t *)text, len);
		replaying = NULL;
		free(text);
		free(names[i]);
	}
	print_message("%zu files of %s replayed\n", count, dir);
	free(names);
	free(dir);
	free(root);
}

static void test_corpus_rules(void **unused)
{
	(void)unused;
	replay_dir("corpus/rules", FUZZ_RULES);
}

static void test_corpus_json(void **unused)
{
	(void)unused;
	replay_dir("corpus/json", FUZZ_JSON);
}

static void test_regressions_rules(void **unused)
{
	(void)unused;
	replay_dir("regressions/rules", FUZZ_RULES);
}

static void test_regressions_json(void **unused)
{
	(void)unused;
	replay_dir("regressions/json", FUZZ_JSON);
}

static void test_corpus_wire(void **unused)
{
	(void)unused;
	replay_dir("corpus/wire", FUZZ_WIRE);
}

static void test_regressions_wire(void **unused)
{
	(void)unused;
	replay_dir("regressions/wire", FUZZ_WIRE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_rules),
		cmocka_unit_test(test_corpus_json),
		cmocka_unit_test(test_regressions_rules),
		cmocka_unit_test(test_regressions_json),
		cmocka_unit_test(test_corpus_wire),
		cmocka_unit_test(test_regressions_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
