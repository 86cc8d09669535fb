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

/* A directory of the watch points, by the identity the programs report it by. */
struct dir_watch {
	struct endura_file_id id;
	const char *path;		/* in the watch points' strings */
	size_t first_point;		/* the first watch point in it */
	bool changed;			/* reported since the last look-up */
};

static int dir_by_id(const void *a, const void *b)
{
	const struct endura_file_id *x = &((const struct dir_watch *)a)->id;
	const struct endura_file_id *y = &((const struct dir_watch *)b)->id;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* A reported change: a point of the directory, or of another name of it, changed. */
static int take_change(void *ctx, void *data, size_t size)
{
	struct identity_watch *w = ctx;
	const struct endura_entry_change *change = data;
	struct dir_watch key = { .id = change->dir };
	struct dir_watch *dir;

	if (size < sizeof(*change) || !w->ndirs)
		return 0;
	dir = bsearch(&key, w->dirs, w->ndirs, sizeof(*dir), dir_by_id);
	if (!dir)
		return 0;
	/* two names of one directory (a bind mount) are neighbours */
	while (dir > w->dirs && dir_by_id(dir - 1, &key) == 0)
		dir--;
	for (; dir < w->dirs + w->ndirs && dir_by_id(dir, &key) == 0; dir++)
		if (watch_points_match(&w->points, (int)(dir - w->dirs), change->name)) {
			dir->changed = true;
			w->entries_changed = true;
		}
	return 0;
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
	free(w->dirs);
	w->dirs = NULL;
	w->ndirs = 0;
}

size_t entries_watch(struct daemon *d, struct watch_points *next, int *err)
{
	struct identity_watch *w = &d->identities;
	int map = bpf_map__fd(d->skel->maps.watched_dirs);
	struct dir_watch *dirs = xzalloc((next->n + 1) * sizeof(*dirs));
	size_t ndirs = 0, unwatched = 0, *wd_of_point, i, j;
	__u8 yes = 1;

	/* the points' directories in their order, each once, those that exist */
	for (i = 0; i < next->n; i++) {
		if (i > 0 && strcmp(next->points[i].dir, next->points[i - 1].dir) == 0)
			continue;
		dirs[ndirs].path = next->points[i].dir;
		dirs[ndirs].first_point = i;
		/* a change that passed its hook before the directory was watched is waited for */
		dirs[ndirs].changed = true;
		/* a directory missing on the way is watched for in its parent */
		if (system_resolver.file_id(system_resolver.ctx, dirs[ndirs].path,
					    &dirs[ndirs].id) == 0)
			ndirs++;
	}
	qsort(dirs, ndirs, sizeof(*dirs), dir_by_id);
	/* both sorted by identity: the directories no longer watched go, the new ones come */
	for (i = 0, j = 0; i < w->ndirs; i++) {
		while (j < ndirs && dir_by_id(&dirs[j], &w->dirs[i]) < 0)
			j++;
		if (j == ndirs || dir_by_id(&dirs[j], &w->dirs[i]) != 0)
			bpf_map_delete_elem(map, &w->dirs[i].id);
	}
	for (i = 0; i < ndirs; i++)
		if (bpf_map_update_elem(map, &dirs[i].id, &yes, BPF_ANY) < 0) {
			unwatched++;
			*err = errno;
		}
	/* a point's watch descriptor is its directory's place in @dirs, -1 for none */
	wd_of_point = xzalloc((next->n + 1) * sizeof(*wd_of_point));
	for (i = 0; i < ndirs; i++)
		wd_of_point[dirs[i].first_point] = i + 1;
	for (i = 0, j = 0; i < next->n; i++) {
		if (i == 0 || strcmp(next->points[i].dir, next->points[i - 1].dir) != 0)
			j = i;
		next->points[i].wd = (int)wd_of_point[j] - 1;
	}
	free(wd_of_point);
	free(w->dirs);
	w->dirs = dirs;
	w->ndirs = ndirs;
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
			w->dirs[i].changed = true;
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
