/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ENDURD_DAEMON_H
#define ENDURD_DAEMON_H

#include <stdio.h>

#include <jansson.h>

#include "ruleset.h"
#include "tables.h"

#define ENDURA_PIN_DIR "/sys/fs/bpf/endura"
#define MONITOR_MAX 16

struct endura_bpf;
struct ring_buffer;

struct daemon {
	struct endura_bpf *skel;
	struct decision_maps maps;
	struct ruleset ruleset;		/* in force: generation maps.generation */
	struct ruleset previous;	/* the one before, to name rules in late events */
	struct ring_buffer *events;
	FILE *out;			/* event stream */
	const char *socket_path;
	int listen_fd;
	int epoll_fd;
	int monitors[MONITOR_MAX];	/* connections of "endurctl monitor" */
	unsigned int nmonitors;
};

/* sensor.c: the BPF side */
int sensor_check_lsm(void);
int sensor_load(struct daemon *d);
int sensor_attach_and_pin(struct daemon *d);
void sensor_unload(struct daemon *d);

/* Commits commands as one transaction; errors go to @diags and change nothing. */
int daemon_commit(struct daemon *d, struct list_head *cmds, struct diag_list *diags);

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

#endif
