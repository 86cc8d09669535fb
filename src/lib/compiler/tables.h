/* SPDX-License-Identifier: GPL-2.0-only */
/* Writes a compiled table image into the BPF maps of a loaded object, as one generation flip. */
#ifndef ENDURA_TABLES_H
#define ENDURA_TABLES_H

#include <stdint.h>

#include "compile.h"

struct bpf_object;

/* The maps of maps.bpf.h, by file descriptor. */
struct decision_maps {
	int class_tables, rule_tables, path_short_tables, path_long_tables, path_prefix_tables;
	int path_id_tables;
	int exe_id_tables, uid_tables;
	int hook_meta, control, counters;
	uint32_t generation;		/* the active one */
	/* kernel memory the active generation's tables take (their fdinfo's memlock), in bytes; a
	 * commit needs as much again for the new one while both exist */
	uint64_t memlock;
};

/* Finds the maps in a loaded object (the LSM object or the benchmark's). */
int decision_maps_find(struct decision_maps *maps, struct bpf_object *obj);

/* Fills the inactive generation, flips to it, waits until no decision can still be using the old
 * one, then releases it. Returns 0, or a negative errno with nothing of the new image active. */
int decision_maps_commit(struct decision_maps *maps, const struct table_image *image);

/* Sum of a rule's per-CPU hit counter, 0 when it has none. */
uint64_t decision_maps_hits(const struct decision_maps *maps, uint64_t handle);

#endif
