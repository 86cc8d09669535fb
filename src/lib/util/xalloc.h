/* SPDX-License-Identifier: GPL-2.0-only */
/* Allocation that cannot fail: a sensor out of memory has nothing better to do than stop. */
#ifndef ENDURA_XALLOC_H
#define ENDURA_XALLOC_H

#include <stddef.h>

void *xzalloc(size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *text);	/* NULL stays NULL */
char *xstrndup(const char *text, size_t len);
__attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt, ...);

#endif
