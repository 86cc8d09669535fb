// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "system_lookup.h"
#include "xalloc.h"

/* A listing larger than this is not read: looking names up one by one costs less. */
#define LISTING_MAX_BYTES	(4u << 20)

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

/* File systems on which a name is found exactly when a directory entry of that name is listed,
 * unless the directory folds case (FS_CASEFOLD_FL, on ext4, f2fs and tmpfs). Elsewhere a name can
 * be found that no entry spells so (vfat, cifs, procfs's hidden entries, ...). */
static bool names_listed_exactly(int fd)
{
	static const long exact[] = {
		EXT4_SUPER_MAGIC, XFS_SUPER_MAGIC, BTRFS_SUPER_MAGIC, TMPFS_MAGIC, F2FS_SUPER_MAGIC,
	};
	struct statfs fs;
	int flags = 0;

	if (fstatfs(fd, &fs) < 0)
		return false;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (fs.f_type == exact[i])
			return !(ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_CASEFOLD_FL));
	return false;
}

static int name_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void forget_listing(struct system_lookup *lookup)
{
	free(lookup->listing);
	free(lookup->names);
	lookup->listing = NULL;
	lookup->names = NULL;
	lookup->nlisted = 0;
	lookup->listed = false;
}

/* Reads the held directory's names, when they say exactly which names it has and are not too
 * many to read. */
static void read_listing(struct system_lookup *lookup)
{
	int fd = openat(lookup->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t used = 0, size = 4096, cap = 64, *offsets;
	struct dirent *entry;
	struct stat st;
	DIR *dir;

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > LISTING_MAX_BYTES || !names_listed_exactly(fd) ||
	    !(dir = fdopendir(fd))) {
		close(fd);
		return;
	}
	lookup->names = xrealloc(NULL, size);
	offsets = xrealloc(NULL, cap * sizeof(*offsets));
	errno = 0;
	while ((entry = readdir(dir))) {
		size_t len = strlen(entry->d_name) + 1;

		while (used + len > size)
			lookup->names = xrealloc(lookup->names, size *= 2);
		if (lookup->nlisted == cap)
			offsets = xrealloc(offsets, (cap *= 2) * sizeof(*offsets));
		memcpy(lookup->names + used, entry->d_name, len);
		offsets[lookup->nlisted++] = used;
		used += len;
	}
	lookup->listed = errno == 0;
	closedir(dir);
	/* the names stay where they are once all are read: pointers now */
	lookup->listing = xrealloc(NULL, (lookup->nlisted + 1) * sizeof(*lookup->listing));
	for (size_t i = 0; i < lookup->nlisted; i++)
		lookup->listing[i] = lookup->names + offsets[i];
	free(offsets);
	if (lookup->listed)
		qsort(lookup->listing, lookup->nlisted, sizeof(*lookup->listing), name_compare);
	else
		forget_listing(lookup);
}

/* Whether the held directory's listing says it has no entry @name. */
static bool listed_absent(struct system_lookup *lookup, const char *name)
{
	if (!lookup->listed && ++lookup->asked == SYSTEM_LOOKUP_LISTED)
		read_listing(lookup);
	return lookup->listed &&
	       !bsearch(&name, lookup->listing, lookup->nlisted, sizeof(*lookup->listing),
			name_compare);
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

/* Holds the directory of @path when @path is a name in a directory; false for "/", a subtree's
 * "dir/", a relative name, or a directory that cannot be held. */
static bool hold_dir_of(struct system_lookup *lookup, const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');

	if (path[0] != '/' || !slash[1])
		return false;
	*name = slash + 1;
	return hold_dir(lookup, path, (size_t)(slash - path));
}

static int lookup_file_id(void *ctx, const char *path, struct endura_file_id *id)
{
	struct system_lookup *lookup = ctx;
	const char *name;
	struct stat st;

	if (!hold_dir_of(lookup, path, &name))
		return whole_path_id(path, id);
	if (lookup->dir_fd < 0 || listed_absent(lookup, name) ||
	    fstatat(lookup->dir_fd, name, &st, 0) < 0)
		return -1;
	kernel_id(&st, id);
	return 0;
}

bool system_lookup_absent(struct system_lookup *lookup, const char *path)
{
	const char *name;

	return hold_dir_of(lookup, path, &name) &&
	       (lookup->dir_fd < 0 || listed_absent(lookup, name));
}

void system_lookup_init(struct system_lookup *lookup)
{
	lookup->resolver = (struct resolver){ .file_id = lookup_file_id, .ctx = lookup };
	lookup->have_dir = false;
	lookup->dir_fd = -1;
	lookup->asked = 0;
	lookup->listed = false;
	lookup->listing = NULL;
	lookup->names = NULL;
	lookup->nlisted = 0;
}

void system_lookup_end(struct system_lookup *lookup)
{
	if (lookup->dir_fd >= 0)
		close(lookup->dir_fd);
	lookup->dir_fd = -1;
	lookup->have_dir = false;
	lookup->asked = 0;
	forget_listing(lookup);
}
