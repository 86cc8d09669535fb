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

/* A directory of tests/fuzz/ and how its inputs are read. */
struct replay {
	const char *dir;
	enum fuzz_syntax syntax;
};

static void test_replay(void **state)
{
	const struct replay *replay = *state;

	replay_dir(replay->dir, replay->syntax);
}

static struct replay replays[] = {
	{ "corpus/rules", FUZZ_RULES },
	{ "corpus/json", FUZZ_JSON },
	{ "corpus/wire", FUZZ_WIRE },
	{ "regressions/rules", FUZZ_RULES },
	{ "regressions/json", FUZZ_JSON },
	{ "regressions/wire", FUZZ_WIRE },
};

int main(void)
{
	struct CMUnitTest tests[sizeof(replays) / sizeof(replays[0])];

	/* each test is named after its directory */
	for (size_t i = 0; i < sizeof(replays) / sizeof(replays[0]); i++)
		tests[i] = (struct CMUnitTest){
			.name = replays[i].dir, .test_func = test_replay, .initial_state = &replays[i],
		};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
