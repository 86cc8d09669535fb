// SPDX-License-Identifier: GPL-2.0-only
/* The status printer of endurctl status and endurd's start: operations that fare alike share a
 * line, in order; one another operation decides, or none does, gets a line of its own saying so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "status.h"

/* What status_print_hooks() prints for the hooks in @json, with @prefix. */
static char *printed(const char *json, const char *prefix)
{
	json_t *hooks = json_loads(json, 0, NULL);
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	assert_non_null(hooks);
	assert_non_null(out);
	status_print_hooks(out, prefix, hooks, NULL);
	fclose(out);
	json_decref(hooks);
	return text;
}

#define LSM "{\"tier\": \"lsm\", \"denies\": true, \"refused\": {}}"

static void test_alike_share_a_line(void **unused)
{
	char *text = printed("{\"file_open\": {\"tier\": \"lsm\", \"denies\": true, \"refused\": {},"
			     " \"operations\": {\"truncate\": " LSM ", \"unlink\": " LSM "}}}",
			     "endurd: ");

	(void)unused;
	assert_string_equal(text, "endurd: hook file_open: tier lsm (denies)\n"
				  "endurd: hook file_open (truncate, unlink): tier lsm (denies)\n");
	free(text);
}

static void test_decided_by_and_not_decided(void **unused)
{
	char *text = printed(
		"{\"file_open\": {\"tier\": \"fmod_ret\", \"denies\": true,"
		" \"refused\": {\"lsm\": \"bpf is not in the active LSM list\"},"
		" \"operations\": {"
		"  \"chown\": {\"tier\": \"none\", \"denies\": false, \"decided_by\": \"utimes\","
		"   \"refused\": {\"fmod_ret\": \"arg1 type STRUCT is unsupported\"}},"
		"  \"mount\": {\"tier\": \"none\", \"denies\": false,"
		"   \"refused\": {\"fmod_ret\": \"no trampolines\"}},"
		"  \"utimes\": {\"tier\": \"fmod_ret\", \"denies\": true, \"refused\": {}},"
		"  \"setxattr\": {\"tier\": \"fmod_ret\", \"denies\": true, \"refused\": {}},"
		"  \"ftruncate\": {\"tier\": \"none\", \"denies\": false,"
		"   \"decided_by\": \"truncate\", \"refused\": {}},"
		"  \"set_acl\": {\"tier\": \"none\", \"denies\": false,"
		"   \"decided_by\": \"setxattr\", \"refused\": {}}}}}", "");

	(void)unused;
	assert_string_equal(text,
		"hook file_open: tier fmod_ret (denies); lsm: bpf is not in the active LSM list\n"
		"hook file_open (chown): decided by the program of utimes on this kernel; "
		"fmod_ret: arg1 type STRUCT is unsupported\n"
		"hook file_open (mount): not decided on this kernel; fmod_ret: no trampolines\n"
		"hook file_open (utimes, setxattr): tier fmod_ret (denies)\n"
		"hook file_open (ftruncate): decided by the program of truncate on this kernel\n"
		"hook file_open (set_acl): decided by the program of setxattr on this kernel\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alike_share_a_line),
		cmocka_unit_test(test_decided_by_and_not_decided),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
