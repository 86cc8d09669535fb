// SPDX-License-Identifier: GPL-2.0-only
/* Identities kept true to their names: the names a compilation resolves (exe and exact path
 * values, those that name no file yet included, subtrees not), which of them resolve otherwise
 * later, the directory entries endurd watches for them, and when a burst of changes is looked at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "identity.h"

#define MKDEV(major, minor) ((uint64_t)(major) << 20 | (minor))

static const struct fake_file before[] = {
	{ "/etc/shadow", { MKDEV(8, 1), 100 } },
	{ "/usr/bin/passwd", { MKDEV(8, 1), 200 } },
	{ "/usr/sbin/chpasswd", { MKDEV(8, 1), 201 } },
	{ NULL },
};

/* After a package upgrade of passwd, and /srv/later created. */
static const struct fake_file after[] = {
	{ "/etc/shadow", { MKDEV(8, 1), 100 } },
	{ "/usr/bin/passwd", { MKDEV(8, 1), 900 } },
	{ "/usr/sbin/chpasswd", { MKDEV(8, 1), 201 } },
	{ "/srv/later", { MKDEV(0, 44), 7 } },
	{ NULL },
};

static const char *const rules =
	"table host {\n"
	"    set tools { type path; elements = { /usr/bin/passwd, /usr/sbin/chpasswd } }\n"
	"    chain files {\n"
	"        hook file_open; policy accept\n"
	"        path /etc/shadow access write exe != @tools deny\n"
	"        path /srv/later access write deny\n"
	"        path /tmp/ exe /usr/bin/passwd log\n"
	"    }\n"
	"    chain exec {\n"
	"        hook exec; policy accept\n"
	"        path /etc/shadow deny\n"
	"    }\n"
	"}\n";

/* The names compiling @rules asks the resolver of @files, as recorded. */
static void record_compiled(struct identity_names *names, const struct fake_file *files)
{
	struct resolver inner = fake_resolver(files), recorder;
	struct session *s = session_from(rules);
	struct table_image image;

	identity_names_init(names, &inner);
	recorder = identity_names_recorder(names);
	session_compile(s, &recorder, &image);
	identity_names_finish(names);
	names->inner = NULL;
	table_image_free(&image);
	session_free(s);
}

/* Asks the recorder of @names for @path: the inode it gives, 0 for no file. */
static uint64_t ask(struct identity_names *names, const char *path)
{
	struct resolver recorder = identity_names_recorder(names);
	struct endura_file_id id = { 0 };

	return recorder.file_id(recorder.ctx, path, &id) == 0 ? id.ino : 0;
}

static void test_names_of_a_compilation(void **state)
{
	/* /tmp: the directory of a subtree value, held by identity too */
	static const char *const expected[] = {
		"/etc/shadow", "/srv/later", "/tmp", "/usr/bin/passwd", "/usr/sbin/chpasswd",
	};
	struct identity_names names;

	(void)state;
	record_compiled(&names, before);
	assert_int_equal(names.n, 5);
	for (size_t i = 0; i < names.n; i++) {
		assert_string_equal(names.names[i].path, expected[i]);
		assert_false(names.names[i].mixed);
	}
	assert_true(names.names[0].found);
	assert_int_equal(names.names[0].id.ino, 100);
	assert_false(names.names[1].found);
	assert_int_equal(names.names[3].id.ino, 200);
	identity_names_free(&names);
}

static void test_changed_names(void **state)
{
	struct resolver same = fake_resolver(before), upgraded = fake_resolver(after);
	struct identity_names names;
	char *what;

	(void)state;
	record_compiled(&names, before);
	assert_int_equal(identity_names_changed(&names, &same, &what), 0);
	assert_string_equal(what, "");
	free(what);
	assert_int_equal(identity_names_changed(&names, &upgraded, &what), 2);
	assert_string_equal(what, "/srv/later none -> 0:44/7, /usr/bin/passwd 8:1/200 -> 8:1/900");
	free(what);
	identity_names_free(&names);
}

/* A file replaced between two look-ups of one compilation: its tables disagree, so the name is
 * changed even where it now gives the first answer again. */
static void test_two_answers_in_one_compilation(void **state)
{
	struct resolver first = fake_resolver(before), second = fake_resolver(after);
	struct identity_names names;
	char *what;

	(void)state;
	identity_names_init(&names, &first);
	assert_int_equal(ask(&names, "/usr/bin/passwd"), 200);
	names.inner = &second;
	assert_int_equal(ask(&names, "/usr/bin/passwd"), 900);
	assert_int_equal(ask(&names, "/etc/shadow"), 100);
	identity_names_finish(&names);
	assert_int_equal(names.n, 2);
	assert_int_equal(identity_names_changed(&names, &first, &what), 1);
	assert_string_equal(what, "/usr/bin/passwd 8:1/200 -> 8:1/200");
	free(what);
	identity_names_free(&names);
}

/* The log line names four changes and counts the others. */
static void test_many_changes_are_counted(void **state)
{
	static const struct fake_file six[] = {
		{ "/a", { MKDEV(8, 1), 1 } }, { "/b", { MKDEV(8, 1), 2 } },
		{ "/c", { MKDEV(8, 1), 3 } }, { "/d", { MKDEV(8, 1), 4 } },
		{ "/e", { MKDEV(8, 1), 5 } }, { "/f", { MKDEV(8, 1), 6 } },
		{ NULL },
	};
	static const struct fake_file none[] = { { NULL } };
	struct resolver all = fake_resolver(six), nothing = fake_resolver(none);
	struct identity_names names;
	char *what;

	(void)state;
	identity_names_init(&names, &all);
	for (int i = 5; i >= 0; i--)
		assert_int_equal(ask(&names, six[i].path), i + 1);
	identity_names_finish(&names);
	assert_int_equal(identity_names_changed(&names, &nothing, &what), 6);
	assert_string_equal(what, "/a 8:1/1 -> none, /b 8:1/2 -> none, /c 8:1/3 -> none, "
				  "/d 8:1/4 -> none and 2 more");
	free(what);
	identity_names_free(&names);
}

static void test_watch_points(void **state)
{
	char *paths[] = { "/usr/bin/passwd", "/etc/shadow", "//usr//sbin/chpasswd", "/usr/bin/vi",
			  "/", "/etc/shadow" };
	static const char *const expected[][2] = {
		{ "/", "etc" }, { "/", "usr" }, { "/etc", "shadow" }, { "/usr", "bin" },
		{ "/usr", "sbin" }, { "/usr/bin", "passwd" }, { "/usr/bin", "vi" },
		{ "/usr/sbin", "chpasswd" },
	};
	struct watch_points wp;

	(void)state;
	watch_points_build(&wp, paths, sizeof(paths) / sizeof(paths[0]));
	assert_int_equal(wp.n, sizeof(expected) / sizeof(expected[0]));
	for (size_t i = 0; i < wp.n; i++) {
		assert_string_equal(wp.points[i].dir, expected[i][0]);
		assert_string_equal(wp.points[i].name, expected[i][1]);
		assert_int_equal(wp.points[i].wd, -1);
	}

	/* /bin and /usr/bin are one directory, one watch, when /bin is a symbolic link */
	for (size_t i = 0; i < wp.n; i++)
		wp.points[i].wd = strcmp(wp.points[i].dir, "/usr/sbin") == 0 ? -1 :
				  (int)strlen(wp.points[i].dir);
	watch_points_index(&wp);
	assert_true(watch_points_match(&wp, 1, "usr"));
	assert_true(watch_points_match(&wp, 1, "etc"));
	assert_false(watch_points_match(&wp, 1, "tmp"));
	assert_true(watch_points_match(&wp, 8, "vi"));
	assert_true(watch_points_match(&wp, 8, "passwd"));
	assert_false(watch_points_match(&wp, 8, "shadow"));
	assert_true(watch_points_match(&wp, 4, "shadow"));
	assert_false(watch_points_match(&wp, 9, "chpasswd"));
	watch_points_free(&wp);

	watch_points_build(&wp, paths, 0);
	assert_int_equal(wp.n, 0);
	watch_points_index(&wp);
	assert_false(watch_points_match(&wp, 1, "usr"));
	watch_points_free(&wp);
}

static void test_coalescer(void **state)
{
	struct coalescer c = { .quiet_ms = 150, .bound_ms = 1000 };

	(void)state;
	assert_int_equal(coalescer_timeout(&c, 5000), -1);
	coalescer_note(&c, 5000);
	assert_int_equal(coalescer_timeout(&c, 5000), 150);
	assert_int_equal(coalescer_timeout(&c, 5100), 50);
	/* each change puts the look-up off until things are quiet */
	coalescer_note(&c, 5100);
	assert_int_equal(coalescer_timeout(&c, 5100), 150);
	assert_int_equal(coalescer_timeout(&c, 5250), 0);
	assert_int_equal(coalescer_timeout(&c, 9000), 0);
	coalescer_clear(&c);
	assert_int_equal(coalescer_timeout(&c, 9000), -1);

	/* a change every 100 ms: due 1000 ms after the first all the same */
	for (uint64_t t = 10000; t < 12000; t += 100) {
		coalescer_note(&c, t);
		if (t < 10900)
			assert_int_equal(coalescer_timeout(&c, t), 150);
		else
			assert_int_equal(coalescer_timeout(&c, t), t >= 11000 ? 0 : 11000 - t);
	}
	coalescer_clear(&c);
	coalescer_note(&c, 20000);
	assert_int_equal(coalescer_timeout(&c, 20000), 150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_of_a_compilation),
		cmocka_unit_test(test_changed_names),
		cmocka_unit_test(test_two_answers_in_one_compilation),
		cmocka_unit_test(test_many_changes_are_counted),
		cmocka_unit_test(test_watch_points),
		cmocka_unit_test(test_coalescer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
