// SPDX-License-Identifier: GPL-2.0-only
#include <linux/bpf.h>

#include "endura.h"
#include "named_values.h"

/* The commands of bpf(2), without their BPF_ prefix, in lower case */
static const char *const names[] = {
	[BPF_MAP_CREATE] = "map_create",
	[BPF_MAP_LOOKUP_ELEM] = "map_lookup_elem",
	[BPF_MAP_UPDATE_ELEM] = "map_update_elem",
	[BPF_MAP_DELETE_ELEM] = "map_delete_elem",
	[BPF_MAP_GET_NEXT_KEY] = "map_get_next_key",
	[BPF_PROG_LOAD] = "prog_load",
	[BPF_OBJ_PIN] = "obj_pin",
	[BPF_OBJ_GET] = "obj_get",
	[BPF_PROG_ATTACH] = "prog_attach",
	[BPF_PROG_DETACH] = "prog_detach",
	[BPF_PROG_TEST_RUN] = "prog_test_run",
	[BPF_PROG_GET_NEXT_ID] = "prog_get_next_id",
	[BPF_MAP_GET_NEXT_ID] = "map_get_next_id",
	[BPF_PROG_GET_FD_BY_ID] = "prog_get_fd_by_id",
	[BPF_MAP_GET_FD_BY_ID] = "map_get_fd_by_id",
	[BPF_OBJ_GET_INFO_BY_FD] = "obj_get_info_by_fd",
	[BPF_PROG_QUERY] = "prog_query",
	[BPF_RAW_TRACEPOINT_OPEN] = "raw_tracepoint_open",
	[BPF_BTF_LOAD] = "btf_load",
	[BPF_BTF_GET_FD_BY_ID] = "btf_get_fd_by_id",
	[BPF_TASK_FD_QUERY] = "task_fd_query",
	[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = "map_lookup_and_delete_elem",
	[BPF_MAP_FREEZE] = "map_freeze",
	[BPF_BTF_GET_NEXT_ID] = "btf_get_next_id",
	[BPF_MAP_LOOKUP_BATCH] = "map_lookup_batch",
	[BPF_MAP_LOOKUP_AND_DELETE_BATCH] = "map_lookup_and_delete_batch",
	[BPF_MAP_UPDATE_BATCH] = "map_update_batch",
	[BPF_MAP_DELETE_BATCH] = "map_delete_batch",
	[BPF_LINK_CREATE] = "link_create",
	[BPF_LINK_UPDATE] = "link_update",
	[BPF_LINK_GET_FD_BY_ID] = "link_get_fd_by_id",
	[BPF_LINK_GET_NEXT_ID] = "link_get_next_id",
	[BPF_ENABLE_STATS] = "enable_stats",
	[BPF_ITER_CREATE] = "iter_create",
	[BPF_LINK_DETACH] = "link_detach",
	[BPF_PROG_BIND_MAP] = "prog_bind_map",
	/* from 6.9, after the build's headers */
	[BPF_PROG_BIND_MAP + 1] = "token_create",
};

_Static_assert(sizeof(names) / sizeof(names[0]) <= ENDURA_ACCESS_VALUES,
	       "a bpf command is a value of the kernel side's per-value arrays");

const struct named_values bpf_commands = {
	.names = names,
	.count = sizeof(names) / sizeof(names[0]),
	.what = "bpf command",
	.example = "a command of bpf(2) without its BPF_ prefix, such as prog_load",
};
