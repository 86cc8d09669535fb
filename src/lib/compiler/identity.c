// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "xalloc.h"

/* --- the names a compilation resolved --------------------------------------------------------- */

void identity_names_init(struct identity_names *names, const struct resolver *inner)
{
	*names = (struct identity_names){ .inner = inner };
}

static int record_file_id(void *ctx, const char *path, struct endura_file_id *id)
{
	struct identity_names *names = ctx;
	int ret = names->inner->file_id(names->inner->ctx, path, id);

	if (names->n == names->cap) {
		names->cap = names->cap ? names->cap * 2 : 16;
		names->names = xrealloc(names->names, names->cap * sizeof(*names->names));
	}
	names->names[names->n] = (struct identity_name){ .path = xstrdup(path), .found = ret == 0 };
	if (ret == 0)
		names->names[names->n].id = *id;
	names->n++;
	return ret;
}

struct resolver identity_names_recorder(struct identity_names *names)
{
	return (struct resolver){ .file_id = record_file_id, .ctx = names };
}

/* qsort(), after one look whether @base is in order already: names and the points on the way to
 * them mostly are, and glibc's merge sort compares as much for an ordered array as for any. */
static void sort_unless_sorted(void *base, size_t n, size_t size,
			       int (*compare)(const void *, const void *))
{
	for (size_t i = 1; i < n; i++)
		if (compare((char *)base + (i - 1) * size, (char *)base + i * size) > 0) {
			qsort(base, n, size, compare);
			return;
		}
}

static int name_compare(const void *a, const void *b)
{
	const struct identity_name *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static bool same_answer(const struct identity_name *x, bool found, const struct endura_file_id *id)
{
	return x->found == found && (!found || memcmp(&x->id, id, sizeof(*id)) == 0);
}

/* Moves the @n strings whose char * fields are at @first and every @stride bytes after it into
 * one block, returned: kept for as long as the daemon runs, thousands of small allocations made
 * among a commit's would hold its freed pages in the heap. */
static char *pack_strings(char **first, size_t stride, size_t n)
{
	size_t total = 0, at = 0;
	char *block;

	for (size_t i = 0; i < n; i++)
		total += strlen(*(char **)((char *)first + i * stride)) + 1;
	block = xzalloc(total + 1);
	for (size_t i = 0; i < n; i++) {
		char **field = (char **)((char *)first + i * stride);
		size_t len = strlen(*field) + 1;

		memcpy(block + at, *field, len);
		free(*field);
		*field = block + at;
		at += len;
	}
	return block;
}

/* A name is asked once per hook and per use; a file replaced between two of those asks left
 * tables that disagree, which only a new compilation can mend: such a name counts as changed. */
void identity_names_finish(struct identity_names *names)
{
	size_t kept = 0;

	/* finished names are looked up again with a resolver given each time */
	names->inner = NULL;
	if (names->strings)
		return;		/* finished already: the paths are in the block */

	sort_unless_sorted(names->names, names->n, sizeof(*names->names), name_compare);
	for (size_t i = 0; i < names->n; i++) {
		struct identity_name *name = &names->names[i];

		if (kept && strcmp(names->names[kept - 1].path, name->path) == 0) {
			if (!same_answer(&names->names[kept - 1], name->found, &name->id))
				names->names[kept - 1].mixed = true;
			free(name->path);
			continue;
		}
		names->names[kept++] = *name;
	}
	names->n = kept;
	names->strings = kept ? pack_strings(&names->names[0].path, sizeof(*names->names), kept) :
				NULL;
}

void identity_names_free(struct identity_names *names)
{
	if (names->strings)
		free(names->strings);
	else
		for (size_t i = 0; i < names->n; i++)
			free(names->names[i].path);
	free(names->names);
	identity_names_init(names, names->inner);
}

void identity_names_move(struct identity_names *to, struct identity_names *from)
{
	identity_names_free(to);
	*to = *from;
	identity_names_init(from, from->inner);
}

/* As the kernel numbers devices (major << 20 | minor), the way the tables hold them. */
static void format_id(char *buf, size_t size, bool found, const struct endura_file_id *id)
{
	if (found)
		snprintf(buf, size, "%llu:%llu/%llu", (unsigned long long)(id->dev >> 20),
			 (unsigned long long)(id->dev & 0xfffff), (unsigned long long)id->ino);
	else
		snprintf(buf, size, "none");
}

/* The log line names this many, then counts the others. */
#define CHANGES_NAMED 4

size_t identity_names_changed(const struct identity_names *names, const struct resolver *resolver,
			      char **what)
{
	char before[64], after[64], *next;
	size_t changed = 0;

	*what = xstrdup("");
	for (size_t i = 0; i < names->n; i++) {
		const struct identity_name *name = &names->names[i];
		struct endura_file_id id = { 0 };
		bool found = resolver->file_id(resolver->ctx, name->path, &id) == 0;

		if (!name->mixed && same_answer(name, found, &id))
			continue;
		if (changed++ >= CHANGES_NAMED)
			continue;
		format_id(before, sizeof(before), name->found, &name->id);
		format_id(after, sizeof(after), found, &id);
		next = xasprintf("%s%s%s %s -> %s", *what, changed > 1 ? ", " : "", name->path, before,
				 after);
		free(*what);
		*what = next;
	}
	if (changed > CHANGES_NAMED) {
		next = xasprintf("%s and %zu more", *what, changed - CHANGES_NAMED);
		free(*what);
		*what = next;
	}
	return changed;
}

/* --- the directory entries that lead to them -------------------------------------------------- */

static int point_by_place(const void *a, const void *b)
{
	const struct watch_point *x = a, *y = b;
	int ret = strcmp(x->dir, y->dir);

	return ret ? ret : strcmp(x->name, y->name);
}

static int point_by_watch(const void *a, const void *b)
{
	const struct watch_point *x = a, *y = b;

	if (x->wd != y->wd)
		return (x->wd > y->wd) - (x->wd < y->wd);
	return strcmp(x->name, y->name);
}

/* How many leading components @a and @b share, whole. */
static size_t shared_components(const char *a, const char *b)
{
	size_t shared = 0;

	for (;;) {
		size_t alen, blen;

		a += strspn(a, "/");
		b += strspn(b, "/");
		alen = strcspn(a, "/");
		blen = strcspn(b, "/");
		if (!alen || alen != blen || memcmp(a, b, alen))
			return shared;
		shared++;
		a += alen;
		b += blen;
	}
}

/* A block of strings that grows: points refer to their strings by offset until it is whole. */
struct string_block {
	char *bytes;
	size_t len, cap;
};

static size_t block_add(struct string_block *block, const char *s, size_t len)
{
	size_t at = block->len;

	if (block->len + len + 1 > block->cap) {
		block->cap = (block->len + len + 1) * 2;
		block->bytes = xrealloc(block->bytes, block->cap);
	}
	memcpy(block->bytes + at, s, len);
	block->bytes[at + len] = '\0';
	block->len += len + 1;
	return at;
}

void watch_points_build(struct watch_points *wp, char *const *paths, size_t npaths)
{
	struct string_block dirs = { 0 }, names = { 0 };
	struct { size_t dir, name; } *at = NULL;	/* the points' strings, by offset */
	size_t cap = 0, kept = 0, dir_cap = 0, last_dir = 0, last_dir_len = 0;
	char *dir = NULL;	/* the directory of the component at hand, made in place */

	*wp = (struct watch_points){ 0 };
	for (size_t i = 0; i < npaths; i++) {
		const char *p = paths[i];
		/* the components a path shares with the one before it gave their points already:
		 * names come sorted, and thousands of them in one directory would give thousands of
		 * copies of each point on the way to it */
		size_t skip = i ? shared_components(paths[i - 1], p) : 0, depth = 0, dir_len = 1;

		if (dir_cap < strlen(p) + 2) {
			dir_cap = strlen(p) + 2;
			dir = xrealloc(dir, dir_cap);
		}
		strcpy(dir, "/");
		while (*p) {
			size_t len;

			p += strspn(p, "/");
			len = strcspn(p, "/");
			if (!len)
				break;
			if (depth++ >= skip) {
				if (wp->n == cap) {
					cap = cap ? cap * 2 : 16;
					at = xrealloc(at, cap * sizeof(*at));
				}
				/* the points of one directory mostly come in a row: its name once */
				if (!dirs.len || dir_len != last_dir_len ||
				    memcmp(dirs.bytes + last_dir, dir, dir_len) != 0) {
					last_dir = block_add(&dirs, dir, dir_len);
					last_dir_len = dir_len;
				}
				at[wp->n].dir = last_dir;
				at[wp->n++].name = block_add(&names, p, len);
			}
			if (dir_len > 1)
				dir[dir_len++] = '/';
			memcpy(dir + dir_len, p, len);
			dir_len += len;
			dir[dir_len] = '\0';
			p += len;
		}
	}
	free(dir);
	if (!wp->n) {
		free(at);
		return;
	}
	wp->dirs = xrealloc(dirs.bytes, dirs.len);
	wp->names = xrealloc(names.bytes, names.len);
	wp->points = xzalloc(wp->n * sizeof(*wp->points));
	for (size_t i = 0; i < wp->n; i++)
		wp->points[i] = (struct watch_point){
			.dir = wp->dirs + at[i].dir, .name = wp->names + at[i].name, .wd = -1,
		};
	free(at);
	sort_unless_sorted(wp->points, wp->n, sizeof(*wp->points), point_by_place);
	for (size_t i = 0; i < wp->n; i++)
		if (!kept || point_by_place(&wp->points[kept - 1], &wp->points[i]) != 0)
			wp->points[kept++] = wp->points[i];
	wp->n = kept;
}

void watch_points_index(struct watch_points *wp)
{
	sort_unless_sorted(wp->points, wp->n, sizeof(*wp->points), point_by_watch);
}

bool watch_points_match(const struct watch_points *wp, int wd, const char *name)
{
	struct watch_point key = { .name = (char *)name, .wd = wd };

	return wp->n && bsearch(&key, wp->points, wp->n, sizeof(*wp->points), point_by_watch);
}

void watch_points_free(struct watch_points *wp)
{
	free(wp->dirs);
	free(wp->names);
	free(wp->points);
	*wp = (struct watch_points){ 0 };
}

/* --- when to look again ------------------------------------------------------------------------ */

void coalescer_note(struct coalescer *c, uint64_t now)
{
	if (!c->pending)
		c->first = now;
	c->pending = true;
	c->last = now;
}

int coalescer_timeout(const struct coalescer *c, uint64_t now)
{
	uint64_t due = c->last + c->quiet_ms, bound = c->first + c->bound_ms;

	if (!c->pending)
		return -1;
	if (bound < due)
		due = bound;
	return due <= now ? 0 : (int)(due - now);
}

void coalescer_clear(struct coalescer *c)
{
	c->pending = false;
}
