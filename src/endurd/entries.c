// SPDX-License-Identifier: GPL-2.0-only
/* Directory entries watched from the kernel's security hooks (entries.bpf.h), where trampolines
 * run: the refresh's directories go into watched_dirs by identity, and the programs report each
 * change of an entry in one of them. Unlike an inotify mark, this costs the opens and closes of
 * the files in the directory nothing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "daemon.h"
#include "endura.skel.h"
#include "xalloc.h"

/* A directory of the watch points; its place among them, in their order, is its points' wd. */
struct dir_watch {
	struct endura_file_id id;	/* as the programs report it, when it exists */
	const char *path;		/* in the watch points' strings */
	bool exists;
	bool changed;			/* reported since the last look-up */
};

static int compare_ids(const struct endura_file_id *x, const struct endura_file_id *y)
{
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Orders places in @dirs by the identities of the directories there. */
static int place_by_id(const void *a, const void *b, void *dirs)
{
	const struct dir_watch *at = dirs;

	return compare_ids(&at[*(const size_t *)a].id, &at[*(const size_t *)b].id);
}

/* The first place in @w->by_id of a directory with identity @id, or w->nwatched. */
static size_t first_with_id(const struct identity_watch *w, const struct endura_file_id *id)
{
	size_t low = 0, high = w->nwatched;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (compare_ids(&w->dirs[w->by_id[mid]].id, id) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/* A reported change: a point of the directory, or of another name of it (a bind mount), changed. */
static int take_change(void *ctx, void *data, size_t size)
{
	struct identity_watch *w = ctx;
	const struct endura_entry_change *change = data;

	if (size < sizeof(*change))
		return 0;
	for (size_t i = first_with_id(w, &change->dir);
	     i < w->nwatched && compare_ids(&w->dirs[w->by_id[i]].id, &change->dir) == 0; i++)
		if (watch_points_match(&w->points, (int)w->by_id[i], change->name)) {
			w->dirs[w->by_id[i]].changed = true;
			w->entries_changed = true;
		}
	return 0;
}

static void entries_free_dirs(struct identity_watch *w)
{
	free(w->dirs);
	free(w->by_id);
	w->dirs = NULL;
	w->by_id = NULL;
	w->ndirs = w->nwatched = 0;
}

int entries_open(struct daemon *d)
{
	struct identity_watch *w = &d->identities;

	w->changes = ring_buffer__new(bpf_map__fd(d->skel->maps.entry_changes), take_change, w,
				      NULL);
	if (!w->changes)
		return -1;
	w->changes_fd = ring_buffer__epoll_fd(w->changes);
	return 0;
}

void entries_close(struct daemon *d)
{
	struct identity_watch *w = &d->identities;

	ring_buffer__free(w->changes);
	w->changes = NULL;
	entries_free_dirs(w);
}

size_t entries_watch(struct daemon *d, struct watch_points *next, int *err)
{
	struct identity_watch *w = &d->identities;
	int map = bpf_map__fd(d->skel->maps.watched_dirs);
	struct dir_watch *dirs = xzalloc((next->n + 1) * sizeof(*dirs));
	size_t *by_id = xzalloc((next->n + 1) * sizeof(*by_id));
	size_t ndirs = 0, nwatched = 0, unwatched = 0, i, j;
	struct system_lookup lookup;
	__u8 yes = 1;

	/* the points' directories in their order, each once: their places follow the order of
	 * the points, which stay sorted by watch */
	system_lookup_init(&lookup);
	for (i = 0; i < next->n; i++) {
		if (i == 0 || strcmp(next->points[i].dir, next->points[i - 1].dir) != 0) {
			struct dir_watch *dir = &dirs[ndirs++];

			dir->path = next->points[i].dir;
			/* a directory missing on the way is watched for in its parent */
			dir->exists = lookup.resolver.file_id(&lookup, dir->path, &dir->id) == 0;
			/* a change that passed its hook before the directory was watched */
			dir->changed = dir->exists;
			if (dir->exists)
				by_id[nwatched++] = ndirs - 1;
		}
		next->points[i].wd = dirs[ndirs - 1].exists ? (int)(ndirs - 1) : -1;
	}
	system_lookup_end(&lookup);
	qsort_r(by_id, nwatched, sizeof(*by_id), place_by_id, dirs);
	/* both in order of identity: the directories no longer watched go, the new ones come */
	for (i = 0, j = 0; i < w->nwatched; i++) {
		const struct endura_file_id *old = &w->dirs[w->by_id[i]].id;

		while (j < nwatched && compare_ids(&dirs[by_id[j]].id, old) < 0)
			j++;
		if (j == nwatched || compare_ids(&dirs[by_id[j]].id, old) != 0)
			bpf_map_delete_elem(map, old);
	}
	for (i = 0; i < nwatched; i++)
		if (bpf_map_update_elem(map, &dirs[by_id[i]].id, &yes, BPF_ANY) < 0) {
			unwatched++;
			*err = errno;
		}
	entries_free_dirs(w);
	w->dirs = dirs;
	w->ndirs = ndirs;
	w->by_id = by_id;
	w->nwatched = nwatched;
	return unwatched;
}

bool entries_read(struct daemon *d)
{
	struct identity_watch *w = &d->identities;

	w->entries_changed = false;
	ring_buffer__consume(w->changes);
	/* records were lost while some waited here: any name may have changed */
	if (__atomic_exchange_n(&d->skel->bss->entry_changes_lost, 0, __ATOMIC_SEQ_CST)) {
		for (size_t i = 0; i < w->ndirs; i++)
			w->dirs[i].changed = w->dirs[i].exists;
		w->entries_changed = true;
	}
	return w->entries_changed;
}

/* The programs report a change from inside it, with its directory locked: reading the directory
 * takes the lock too, so once a read of each changed directory returns, their changes are done
 * and a look-up sees them. */
void entries_settle(struct daemon *d)
{
	struct identity_watch *w = &d->identities;
	char buf[sizeof(struct dirent64) + 256];

	for (size_t i = 0; i < w->ndirs; i++) {
		int fd;

		if (!w->dirs[i].changed)
			continue;
		w->dirs[i].changed = false;
		fd = open(w->dirs[i].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (getdents64(fd, buf, sizeof(buf)) < 0 && errno != EINVAL)
			fprintf(stderr, "endurd: cannot read %s: %s\n", w->dirs[i].path,
				strerror(errno));
		close(fd);
	}
}
