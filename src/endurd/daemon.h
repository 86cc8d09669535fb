/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ENDURD_DAEMON_H
#define ENDURD_DAEMON_H

#include <stdio.h>

#include <jansson.h>

#include "endura.h"
#include "identity.h"
#include "ruleset.h"
#include "system_lookup.h"
#include "tables.h"

#define ENDURA_PIN_DIR "/sys/fs/bpf/endura"
#define MONITOR_MAX 16

struct endura_bpf;
struct ring_buffer;
struct bpf_link;
struct bpf_program;

/* How one operation is served on this kernel. */
struct op_state {
	/* op_descs' programs, fitted to this kernel's hooks */
	const char *programs[ENDURA_TIER_COUNT];
	const char *decided_by;		/* the operation whose program decides it here instead */
	enum endura_tier tier;		/* ENDURA_TIER_COUNT: no tier serves it */
	struct bpf_link *link;
	unsigned long long verified_insns;	/* the verifier's "processed N insns" */
	unsigned long long verification_us;	/* its own timing, 0 where the kernel does not say */
	char *refused[ENDURA_TIER_COUNT];	/* why each stronger tier was not taken */
};

/* The programs on the entry-changing hooks (entries.bpf.h), loaded all or none. */
#define ENTRY_PROGRAMS 8

/* refresh.c: the names the identities in force came from, watched */
struct identity_watch {
	int inotify_fd, mounts_fd;	/* -1 when they cannot be watched */
	struct ring_buffer *changes;	/* the entry programs' records, when they run */
	int changes_fd;			/* its epoll descriptor, or the inotify one */
	struct identity_names names;	/* what the tables in force were compiled with */
	struct watch_points points;
	struct dir_watch *dirs;		/* with the entry programs: the points' directories */
	size_t ndirs;
	size_t *by_id, nwatched;	/* those that exist, by identity: what watched_dirs holds */
	bool entries_changed;		/* a record read names a watch point */
	bool arm_pending;		/* names adopted, not watched yet */
	struct coalescer timer;
	size_t unwatched;		/* directories the last arming could not watch */
	unsigned long long refreshes;
};

struct daemon {
	struct endura_bpf *skel;
	struct op_state ops[ENDURA_OP_COUNT];
	bool pinned;			/* the links are pinned, and follow what is attached */
	/* the programs of a hook without rules that act are detached; false where the kernel
	 * could not attach them again (before 5.13) */
	bool detaches_idle;
	struct bpf_link *entry_links[ENTRY_PROGRAMS];	/* all NULL: entries are watched by inotify */
	char *entry_refused;		/* why the entry programs do not run, when they do not */
	char *lsm_list;			/* the active LSMs, NULL when securityfs does not tell */
	struct btf *kernel_btf;		/* the kernel's BTF while sensor_load() runs, or NULL */
	double load_ms;			/* loading the object that was kept */
	struct decision_maps maps;
	struct ruleset ruleset;		/* in force: generation maps.generation */
	struct ruleset previous;	/* the one before, while a commit reports its last events */
	struct ring_buffer *events;
	FILE *out;			/* event stream */
	const char *socket_path;
	int listen_fd;
	int epoll_fd;
	int monitors[MONITOR_MAX];	/* connections of "endurctl monitor" */
	unsigned int nmonitors;
	struct identity_watch identities;
};

/* sensor.c: the BPF side */
/* Loads, attaches and probes every hook at the strongest tier that runs, none weaker than
 * @weakest; says why on stderr and returns -1 when a hook cannot. */
int sensor_load(struct daemon *d, enum endura_tier weakest);
void sensor_describe(const struct daemon *d, FILE *out);
/* Per hook, the tier of the operation it is named after and, in "operations", of the others its
 * rules decide: the program, what the verifier spent on it, why no stronger tier. */
json_t *sensor_hooks_status(const struct daemon *d);
/* Whether some tier serves @op, and its program then (NULL otherwise). */
bool sensor_serves(const struct daemon *d, unsigned int op);
struct bpf_program *sensor_program(const struct daemon *d, unsigned int op);
/* "hook file_open" for the operation a hook is named after, "hook file_open (unlink)" else. */
const char *op_label(unsigned int op, char *buf, size_t size);

/* probe.c: whether each operation's program (loaded[op]) ran when endurd made it happen */
void probe_ops(struct endura_bpf *skel, const bool loaded[ENDURA_OP_COUNT],
	       bool seen[ENDURA_OP_COUNT]);
int sensor_pin(struct daemon *d);
void sensor_unload(struct daemon *d);
/* A hook whose rules can act (acting[hook]) has its programs attached; one whose rules cannot
 * has them detached, and costs nothing: not even a program that finds no rule, which the
 * kernel's own capability checks and mappings during every exec would run. Attach before the
 * rules are in force, detach after. sensor_attach_acting() returns 0, or -1 with the error in
 * @diags and what it attached left so. */
int sensor_attach_acting(struct daemon *d, const bool acting[ENDURA_HOOK_COUNT],
			 struct diag_list *diags);
void sensor_detach_idle(struct daemon *d, const bool acting[ENDURA_HOOK_COUNT]);

/* Commits commands as one transaction; errors go to @diags and change nothing. What only endurd
 * can say about the ruleset, on this kernel (a deny its tier cannot enforce), goes to @tier_diags;
 * endurctl checked the rest before it sent the commands. */
int daemon_commit(struct daemon *d, struct list_head *cmds, struct diag_list *diags,
		  struct diag_list *tier_diags);

/* refresh.c: identities looked up again when their names change */
int refresh_open(struct daemon *d);
void refresh_close(struct daemon *d);
/* Takes the names a commit resolved, for the tables now in force, to watch them at the next
 * tick. */
void refresh_adopt(struct daemon *d, struct identity_names *names);
void refresh_poll(struct daemon *d, int epfd);
/* Takes in what @fd reports when it is one of refresh's; returns whether it was. */
bool refresh_handle(struct daemon *d, int fd);
/* Watches the names adopted, and refreshes when a burst of changes has settled; returns the epoll
 * timeout until the next tick. */
int refresh_tick(struct daemon *d);
/* The directories watched now, of the entries on the way to the names. */
size_t refresh_watched_dirs(const struct daemon *d);

/* entries.c: watch points watched by the entry programs, when they run */
int entries_open(struct daemon *d);
void entries_close(struct daemon *d);
/* Puts the directories of @next in watched_dirs (those of the points before out) and sets the
 * points' wd; returns how many could not be, with the last error in @err. Each is to be settled
 * before the names are looked up. */
size_t entries_watch(struct daemon *d, struct watch_points *next, int *err);
/* Takes the records waiting; returns whether one names a watch point. */
bool entries_read(struct daemon *d);
/* Waits until the changes reported since the last call are done. */
void entries_settle(struct daemon *d);

/* control.c: the root-only control socket */
int control_listen(struct daemon *d);
void control_serve_one(struct daemon *d);
void control_close(struct daemon *d);

/* report.c: events as JSON lines */
int report_open(struct daemon *d);

/* monitor.c: clients that follow changes and events */
int monitor_add(struct daemon *d, int fd);
void monitor_drop(struct daemon *d, int fd);
bool monitor_owns(const struct daemon *d, int fd);
void monitor_send(struct daemon *d, const char *key, json_t *value);
/* Sends one message, already JSON text without its newline, to every monitor. */
void monitor_send_line(struct daemon *d, const char *text);

#endif
