/* SPDX-License-Identifier: GPL-2.0-only */
/* Keeping the file identities of a committed ruleset true to their names: which names a
 * compilation resolved and what each gave, which directory entries lead to those names, and when a
 * burst of changes has settled enough to look them up again. Pure: the system is reached through
 * resolvers, and times are given. */
#ifndef ENDURA_IDENTITY_H
#define ENDURA_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compile.h"

struct identity_name {
	char *path;
	bool found;			/* else the name gave no file */
	bool mixed;			/* it gave two answers within one compilation */
	struct endura_file_id id;
};

struct identity_names {
	const struct resolver *inner;
	struct identity_name *names;	/* sorted by path, each once, after identity_names_finish */
	size_t n, cap;
	char *strings;			/* after identity_names_finish: every path, one block */
};

void identity_names_init(struct identity_names *names, const struct resolver *inner);
/* A resolver that answers as @names->inner does and keeps every name it was asked and the answer. */
struct resolver identity_names_recorder(struct identity_names *names);
void identity_names_finish(struct identity_names *names);
void identity_names_free(struct identity_names *names);
void identity_names_move(struct identity_names *to, struct identity_names *from);

/* Asks @resolver for every name again. Returns how many answer otherwise now, and says which and
 * how in @what ("/usr/bin/passwd 8:1/1234 -> 8:1/5678, ...", empty when none do), to free. */
size_t identity_names_changed(const struct identity_names *names, const struct resolver *resolver,
			      char **what);

/* A directory entry whose change can change what a name resolves to: @name in @dir. */
struct watch_point {
	char *dir;
	char *name;
	int wd;				/* the caller's watch of @dir, -1 when it has none */
};

struct watch_points {
	struct watch_point *points;
	size_t n;
	char *dirs, *names;		/* the points' strings, a block each */
};

/* Every entry on the way to each of @paths (absolute): "/a/b" gives "a" in "/" and "b" in "/a", so
 * that a directory replaced on the way is seen as well as the file. Sorted by directory and name,
 * each once; wd -1. */
void watch_points_build(struct watch_points *wp, char *const *paths, size_t npaths);
/* Once the caller has set the wd of each point: orders them for watch_points_match. */
void watch_points_index(struct watch_points *wp);
bool watch_points_match(const struct watch_points *wp, int wd, const char *name);
void watch_points_free(struct watch_points *wp);

/* Changes come in bursts (a package manager replaces many files): one look-up once they have been
 * quiet for @quiet_ms, and no later than @bound_ms after the first, so that a steady stream
 * cannot put it off for ever. Times in milliseconds of a monotonic clock. */
struct coalescer {
	uint64_t quiet_ms, bound_ms;
	uint64_t first, last;
	bool pending;
};

void coalescer_note(struct coalescer *c, uint64_t now);
/* Milliseconds until the look-up is due (0: now), -1 when nothing is pending: an epoll timeout. */
int coalescer_timeout(const struct coalescer *c, uint64_t now);
void coalescer_clear(struct coalescer *c);

#endif
