// SPDX-License-Identifier: GPL-2.0-only
/* The control socket's reader: lines decoded as they arrive, a line that is not JSON skipped whole,
 * a last line the peer did not finish refused, and lines larger than any one read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wire.h"

/* A reader of what a child writes: @text, in pieces of @piece bytes, then the end of the stream. */
static pid_t writer(const char *text, size_t piece, struct wire_reader *reader)
{
	int fds[2];
	pid_t child;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		size_t len = strlen(text);

		close(fds[0]);
		for (size_t done = 0; done < len; done += piece)
			if (write(fds[1], text + done, len - done < piece ? len - done : piece) < 0)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	wire_reader_init(reader, fds[0]);
	return child;
}

static void writer_done(pid_t child, struct wire_reader *reader)
{
	int status;

	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(reader->fd);
	wire_reader_free(reader);
}

static void assert_number(json_t *message, const char *key, json_int_t value)
{
	assert_non_null(message);
	assert_int_equal(json_integer_value(json_object_get(message, key)), value);
	json_decref(message);
}

static void test_lines(void **unused)
{
	struct wire_reader reader;
	pid_t child;

	(void)unused;
	/* byte by byte: every line is decoded across many reads */
	child = writer("{\"a\": 1}\n{\"b\": 2}  \nnot json\n{\"c\": 3} 4\n{\"d\": 5}\n{\"e\"", 1,
		       &reader);
	assert_number(wire_read(&reader), "a", 1);
	assert_number(wire_read(&reader), "b", 2);
	assert_null(wire_read(&reader));
	assert_null(wire_read(&reader));
	assert_number(wire_read(&reader), "d", 5);
	assert_null(wire_read(&reader));
	assert_null(wire_read(&reader));
	writer_done(child, &reader);
}

static void test_unfinished_line(void **unused)
{
	struct wire_reader reader;
	pid_t child;

	(void)unused;
	/* a whole document, but not its newline */
	child = writer("{\"a\": 1}\n{\"b\": 2}", 4096, &reader);
	assert_number(wire_read(&reader), "a", 1);
	assert_null(wire_read(&reader));
	writer_done(child, &reader);
}

/* A line of a megabyte and more, then a short one already sent with it. */
static void test_long_line(void **unused)
{
	size_t count = 100000, len = 0;
	char *text = malloc(count * 16 + 64);
	struct wire_reader reader;
	json_t *message;
	pid_t child;

	(void)unused;
	len += (size_t)sprintf(text, "{\"elem\": [");
	for (size_t i = 0; i < count; i++)
		len += (size_t)sprintf(text + len, "%s\"/srv/f-%zu\"", i ? ", " : "", i);
	sprintf(text + len, "]}\n{\"next\": 7}\n");
	child = writer(text, 65536, &reader);
	message = wire_read(&reader);
	assert_non_null(message);
	assert_int_equal(json_array_size(json_object_get(message, "elem")), count);
	assert_string_equal(json_string_value(json_array_get(json_object_get(message, "elem"),
							     count - 1)), "/srv/f-99999");
	json_decref(message);
	assert_number(wire_read(&reader), "next", 7);
	assert_null(wire_read(&reader));
	writer_done(child, &reader);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_unfinished_line),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
