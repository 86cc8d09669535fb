/* SPDX-License-Identifier: GPL-2.0-only */
/* The maps of the decision tables, shared by the LSM object and the benchmark object so that both
 * run the same decision code on the same layout. */
#ifndef ENDURA_MAPS_BPF_H
#define ENDURA_MAPS_BPF_H

#include "endura.h"

/* Inner map templates: endurd creates maps of these shapes, sized to what a ruleset needs, and
 * places them in the outer slots. Keys and values are given by size: clang emits only a forward
 * declaration for a struct reached through an inner map definition, and the kernel refuses a map
 * with BTF for its key but not its value. */
struct class_table {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct endura_bitset));
};

struct rule_table {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct endura_rule_info));
};

struct path_prefix_table {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(struct endura_path_key));
	__uint(value_size, sizeof(__u32));
};

struct path_short_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, ENDURA_PATH_SHORT);
	__uint(value_size, sizeof(__u32));
};

struct path_long_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, ENDURA_PATH_MAX);
	__uint(value_size, sizeof(__u32));
};

struct file_id_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(struct endura_file_id));
	__uint(value_size, sizeof(__u32));
};

struct uid_table {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
};

#define OUTER(name, inner)                                       \
	struct {                                                 \
		__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);        \
		__uint(max_entries, ENDURA_TABLE_SLOTS);         \
		__type(key, __u32);                              \
		__array(values, struct inner);                   \
	} name SEC(".maps")

OUTER(class_tables, class_table);
OUTER(rule_tables, rule_table);
OUTER(path_short_tables, path_short_table);
OUTER(path_long_tables, path_long_table);
OUTER(path_prefix_tables, path_prefix_table);
OUTER(path_id_tables, file_id_table);
OUTER(exe_id_tables, file_id_table);
OUTER(uid_tables, uid_table);

struct endura_control {
	__u32 active_generation;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct endura_control);
} control SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENDURA_TABLE_SLOTS);
	__type(key, __u32);
	__type(value, struct endura_hook_meta);
} hook_meta SEC(".maps");

/* Per-rule hit counters, keyed by rule handle: handles are stable across commits, so counters
 * survive every ruleset change that keeps the rule. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, ENDURA_MAX_RULES * ENDURA_HOOK_COUNT);
	__type(key, __u64);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENDURA_STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

#endif
