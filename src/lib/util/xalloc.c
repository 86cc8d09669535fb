// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void out_of_memory(void)
{
	fputs("endura: out of memory\n", stderr);
	abort();
}

void *xzalloc(size_t size)
{
	void *ptr = calloc(1, size ? size : 1);

	if (!ptr)
		out_of_memory();
	return ptr;
}

void *xrealloc(void *ptr, size_t size)
{
	ptr = realloc(ptr, size ? size : 1);
	if (!ptr)
		out_of_memory();
	return ptr;
}

char *xstrdup(const char *text)
{
	char *copy;

	if (!text)
		return NULL;
	copy = strdup(text);
	if (!copy)
		out_of_memory();
	return copy;
}

char *xstrndup(const char *text, size_t len)
{
	char *copy = strndup(text, len);

	if (!copy)
		out_of_memory();
	return copy;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *text;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (ret < 0)
		out_of_memory();
	return text;
}
