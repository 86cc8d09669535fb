// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "system_lookup.h"

/* The kernel numbers devices as major << 20 | minor (MKDEV), unlike stat's st_dev encoding. */
static void kernel_id(const struct stat *st, struct endura_file_id *id)
{
	id->dev = ((uint64_t)major(st->st_dev) << 20) | minor(st->st_dev);
	id->ino = st->st_ino;
}

static int whole_path_id(const char *path, struct endura_file_id *id)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	kernel_id(&st, id);
	return 0;
}

/* Holds the directory of the first @len bytes of @path; false when it cannot be held, for a
 * reason that says nothing of the names in it (no descriptor left, a name too long). */
static bool hold_dir(struct system_lookup *lookup, const char *path, size_t len)
{
	if (lookup->have_dir && len == lookup->dir_len && memcmp(path, lookup->dir, len) == 0)
		return true;
	system_lookup_end(lookup);
	if (len >= sizeof(lookup->dir))
		return false;
	memcpy(lookup->dir, len ? path : "/", len ? len : 1);
	lookup->dir[len ? len : 1] = '\0';
	lookup->dir_fd = open(lookup->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (lookup->dir_fd < 0 && errno != ENOENT && errno != ENOTDIR)
		return false;
	lookup->dir_len = len;
	lookup->have_dir = true;
	return true;
}

static int lookup_file_id(void *ctx, const char *path, struct endura_file_id *id)
{
	struct system_lookup *lookup = ctx;
	const char *slash = strrchr(path, '/');
	struct stat st;

	/* "/", a subtree's "dir/", a relative name: looked up whole */
	if (path[0] != '/' || !slash[1])
		return whole_path_id(path, id);
	if (!hold_dir(lookup, path, (size_t)(slash - path)))
		return whole_path_id(path, id);
	if (lookup->dir_fd < 0 || fstatat(lookup->dir_fd, slash + 1, &st, 0) < 0)
		return -1;
	kernel_id(&st, id);
	return 0;
}

void system_lookup_init(struct system_lookup *lookup)
{
	lookup->resolver = (struct resolver){ .file_id = lookup_file_id, .ctx = lookup };
	lookup->have_dir = false;
	lookup->dir_fd = -1;
}

void system_lookup_end(struct system_lookup *lookup)
{
	if (lookup->dir_fd >= 0)
		close(lookup->dir_fd);
	lookup->dir_fd = -1;
	lookup->have_dir = false;
}
