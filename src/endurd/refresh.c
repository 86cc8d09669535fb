// SPDX-License-Identifier: GPL-2.0-only
/* Identities follow their names: the tables hold the device and inode that each exe and exact path
 * value named at the commit, and a package upgrade (a new file renamed over the old one) or a mount
 * changes what the name gives. endurd watches the directory entries on the way to every such name
 * (with the entry programs where they run, entries.c, with inotify elsewhere), and the mount
 * table, and once a burst of changes has settled looks the names up again: when one gives another
 * file, the ruleset is compiled again and committed as a transaction is. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "xalloc.h"

/* dpkg renames a package's files one by one: wait until it has been quiet this long, and never
 * longer than the bound after the first change, while the new file is not recognised. */
#define REFRESH_QUIET_MS 150
#define REFRESH_BOUND_MS 1000

/* The changes of an entry that can make its name give another file. */
#define ENTRY_EVENTS (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int refresh_open(struct daemon *d)
{
	struct identity_watch *w = &d->identities;
	bool by_programs = d->entry_links[0] != NULL;

	w->timer = (struct coalescer){ .quiet_ms = REFRESH_QUIET_MS, .bound_ms = REFRESH_BOUND_MS };
	identity_names_init(&w->names, NULL);
	w->inotify_fd = by_programs ? -1 : inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	w->changes_fd = w->inotify_fd;
	/* the mount table signals a change by EPOLLPRI: a bind mount over a name changes its file */
	w->mounts_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if ((by_programs ? entries_open(d) : w->inotify_fd) < 0 || w->mounts_fd < 0) {
		fprintf(stderr, "endurd: cannot watch the names of file identities: %s\n",
			strerror(errno));
		refresh_close(d);
		return -1;
	}
	return 0;
}

void refresh_close(struct daemon *d)
{
	struct identity_watch *w = &d->identities;

	entries_close(d);
	if (w->inotify_fd >= 0)
		close(w->inotify_fd);
	if (w->mounts_fd >= 0)
		close(w->mounts_fd);
	w->inotify_fd = w->mounts_fd = w->changes_fd = -1;
	identity_names_free(&w->names);
	watch_points_free(&w->points);
}

/* The directory of the names at hand, resolved once for all of them: names come sorted,
 * thousands may share a directory, and realpath() would walk its components again for each. */
struct resolved_dir {
	const char *name;	/* a name in it: its first @len bytes are the directory */
	size_t len;
	bool resolves;
	char real[PATH_MAX];
};

/* What realpath() gives for @path, in @real, or false when it gives nothing. Only a name that is
 * itself a symbolic link is resolved whole; @lookup knows names that do not exist without a
 * look at each. */
static bool name_realpath(const char *path, struct resolved_dir *dir, struct system_lookup *lookup,
			  char real[PATH_MAX])
{
	const char *base = strrchr(path, '/') + 1;
	size_t len = (size_t)(base - 1 - path);
	struct stat st;

	if (!dir->name || len != dir->len || memcmp(path, dir->name, len) != 0) {
		char parent[PATH_MAX];

		dir->name = path;
		dir->len = len;
		snprintf(parent, sizeof(parent), "%.*s", (int)(len ? len : 1), len ? path : "/");
		dir->resolves = realpath(parent, dir->real) != NULL;
	}
	/* a name in a directory that does not resolve does not resolve either */
	if (!dir->resolves || system_lookup_absent(lookup, path) || lstat(path, &st) < 0)
		return false;
	if (S_ISLNK(st.st_mode) ||
	    snprintf(real, PATH_MAX, "%s%s%s", dir->real, dir->real[1] ? "/" : "", base) >= PATH_MAX)
		return realpath(path, real) != NULL;
	return true;
}

/* The names, and for those that are symbolic links somewhere on the way, the paths they lead to:
 * the file a link names can be replaced in its own directory. */
static char **watched_paths(const struct identity_names *names, size_t *n)
{
	char **paths = xzalloc((2 * names->n + 1) * sizeof(*paths)), real[PATH_MAX];
	struct resolved_dir dir = { 0 };
	struct system_lookup lookup;

	*n = 0;
	system_lookup_init(&lookup);
	for (size_t i = 0; i < names->n; i++) {
		const char *path = names->names[i].path;

		paths[(*n)++] = xstrdup(path);
		if (name_realpath(path, &dir, &lookup, real) && strcmp(real, path) != 0)
			paths[(*n)++] = xstrdup(real);
	}
	system_lookup_end(&lookup);
	return paths;
}

/* How many names of the identities in force give another file now, as identity_names_changed()
 * says. */
static size_t names_changed(struct identity_watch *w, char **what)
{
	struct system_lookup lookup;
	size_t changed;

	system_lookup_init(&lookup);
	changed = identity_names_changed(&w->names, &lookup.resolver, what);
	system_lookup_end(&lookup);
	return changed;
}

/* Watches @next's directories with inotify, sets the points' wd and indexes them; returns how
 * many directories could not be watched, with the last error in @err. */
static size_t inotify_watch(struct identity_watch *w, struct watch_points *next, int *err)
{
	size_t unwatched = 0;

	for (size_t i = 0; i < next->n; i++) {
		if (i > 0 && strcmp(next->points[i].dir, next->points[i - 1].dir) == 0) {
			next->points[i].wd = next->points[i - 1].wd;
			continue;
		}
		next->points[i].wd = inotify_add_watch(w->inotify_fd, next->points[i].dir,
						       ENTRY_EVENTS);
		/* a directory missing on the way is watched for in its parent */
		if (next->points[i].wd < 0 && errno != ENOENT && errno != ENOTDIR) {
			unwatched++;
			*err = errno;
		}
	}
	watch_points_index(next);
	/* both in order of watch: the ones that are no longer on the way to a name go */
	for (size_t i = 0, j = 0; i < w->points.n; i++) {
		int wd = w->points.points[i].wd;

		while (j < next->n && next->points[j].wd < wd)
			j++;
		if (wd >= 0 && (j == next->n || next->points[j].wd != wd) &&
		    (i == 0 || w->points.points[i - 1].wd != wd))
			inotify_rm_watch(w->inotify_fd, wd);
	}
	return unwatched;
}

/* Watches the entries on the way to every name, then looks the names up: a change made since they
 * were resolved, before the watches were there, is not missed. */
static void arm(struct daemon *d)
{
	struct identity_watch *w = &d->identities;
	struct watch_points next;
	size_t npaths, unwatched;
	char **paths = watched_paths(&w->names, &npaths), *what;
	int err = 0;

	watch_points_build(&next, paths, npaths);
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	if (w->changes) {
		unwatched = entries_watch(d, &next, &err);
		watch_points_index(&next);
	} else {
		unwatched = inotify_watch(w, &next, &err);
	}
	watch_points_free(&w->points);
	w->points = next;
	if (unwatched && unwatched != w->unwatched)
		fprintf(stderr, "endurd: %zu directories cannot be watched (%s): a file replaced "
			"under them is recognised at the next refresh or transaction only\n",
			unwatched, strerror(err));
	w->unwatched = unwatched;
	if (w->changes)
		entries_settle(d);
	if (names_changed(w, &what))
		coalescer_note(&w->timer, now_ms());
	free(what);
}

void refresh_adopt(struct daemon *d, struct identity_names *names)
{
	identity_names_finish(names);
	identity_names_move(&d->identities.names, names);
	/* once the commit is answered: the look-up after the arming finds a change made since */
	d->identities.arm_pending = d->identities.changes_fd >= 0;
}

void refresh_poll(struct daemon *d, int epfd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = d->identities.changes_fd };

	if (ev.data.fd < 0)
		return;
	epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	ev = (struct epoll_event){ .events = EPOLLPRI, .data.fd = d->identities.mounts_fd };
	epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
}

static void read_changes(struct daemon *d)
{
	struct identity_watch *w = &d->identities;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *event;
	ssize_t len;

	while ((len = read(w->inotify_fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + len; p += sizeof(*event) + event->len) {
			event = (const struct inotify_event *)p;
			/* a lost event may have been any change */
			if ((event->mask & IN_Q_OVERFLOW) ||
			    (event->len && watch_points_match(&w->points, event->wd, event->name)))
				coalescer_note(&w->timer, now_ms());
		}
}

bool refresh_handle(struct daemon *d, int fd)
{
	if (fd < 0)
		return false;
	if (fd == d->identities.changes_fd && d->identities.changes) {
		if (entries_read(d))
			coalescer_note(&d->identities.timer, now_ms());
	} else if (fd == d->identities.changes_fd) {
		read_changes(d);
	} else if (fd == d->identities.mounts_fd) {
		coalescer_note(&d->identities.timer, now_ms());
	} else {
		return false;
	}
	return true;
}

static void refresh(struct daemon *d)
{
	struct identity_watch *w = &d->identities;
	struct diag_list diags;
	struct list_head cmds = LIST_HEAD_INIT(cmds);
	char *what;

	coalescer_clear(&w->timer);
	if (w->changes)
		entries_settle(d);
	if (!names_changed(w, &what)) {
		/* a directory replaced by one that holds the same files: watch the new one */
		arm(d);
		free(what);
		return;
	}
	diag_list_init(&diags);
	if (daemon_commit(d, &cmds, &diags, &diags) == 0) {
		w->refreshes++;
		fprintf(stderr, "endurd: identities refreshed, generation %u: %s\n", d->maps.generation,
			what);
	} else {
		fprintf(stderr, "endurd: identities changed (%s), not refreshed:\n", what);
		diag_print(&diags, stderr);
	}
	diag_list_free(&diags);
	free(what);
}

int refresh_tick(struct daemon *d)
{
	if (d->identities.arm_pending) {
		d->identities.arm_pending = false;
		arm(d);
	}
	if (coalescer_timeout(&d->identities.timer, now_ms()) == 0)
		refresh(d);
	/* a refresh takes time (the commit waits for decisions in flight), and adopts names */
	return d->identities.arm_pending ? 0 : coalescer_timeout(&d->identities.timer, now_ms());
}

size_t refresh_watched_dirs(const struct daemon *d)
{
	const struct identity_watch *w = &d->identities;
	size_t n = 0;

	if (w->changes)
		return w->nwatched;
	/* indexed by watch: a directory's points are neighbours */
	for (size_t i = 0; i < w->points.n; i++)
		n += w->points.points[i].wd >= 0 &&
		     (i == 0 || w->points.points[i - 1].wd != w->points.points[i].wd);
	return n;
}
