// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "tables.h"
#include "xalloc.h"

/* the stack of a thread that makes one system call */
#define SLOT_CHANGE_STACK (64 * 1024)
/* the tables of one hook (maps.bpf.h) */
#define HOOK_TABLES 8

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* the kernel's own, which it returns for a map type without batches */
#endif

int decision_maps_find(struct decision_maps *maps, struct bpf_object *obj)
{
	struct {
		const char *name;
		int *fd;
	} wanted[] = {
		{ "class_tables", &maps->class_tables },
		{ "rule_tables", &maps->rule_tables },
		{ "path_short_tables", &maps->path_short_tables },
		{ "path_long_tables", &maps->path_long_tables },
		{ "path_prefix_tables", &maps->path_prefix_tables },
		{ "path_id_tables", &maps->path_id_tables },
		{ "exe_id_tables", &maps->exe_id_tables },
		{ "uid_tables", &maps->uid_tables },
		{ "hook_meta", &maps->hook_meta },
		{ "control", &maps->control },
		{ "counters", &maps->counters },
	};
	uint32_t zero = 0;

	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		*wanted[i].fd = bpf_object__find_map_fd_by_name(obj, wanted[i].name);
		if (*wanted[i].fd < 0)
			return -ENOENT;
	}
	if (bpf_map_lookup_elem(maps->control, &zero, &maps->generation) < 0)
		return -errno;
	maps->memlock = 0;
	return 0;
}

/* A change to @slot of the outer map @outer: the table @fd placed there, or with @fd -1 the slot
 * emptied. Either returns only after an RCU grace period, which the kernel waits for on every
 * change of an outer map: each change runs in a thread of its own, and waits that overlap end
 * with the same grace period. */
struct slot_change {
	int outer, fd, err;
	uint32_t slot;
	bool threaded;
	pthread_t thread;
};

static void *slot_change_run(void *data)
{
	struct slot_change *c = data;
	int ret = c->fd >= 0 ? bpf_map_update_elem(c->outer, &c->slot, &c->fd, BPF_ANY) :
			       bpf_map_delete_elem(c->outer, &c->slot);

	if (ret < 0)
		c->err = -errno;
	return NULL;
}

/* Starts the change; where no thread can be had, makes it before returning. */
static void slot_change_start(struct slot_change *c)
{
	pthread_attr_t attr;

	c->threaded = pthread_attr_init(&attr) == 0 &&
		      pthread_attr_setstacksize(&attr, SLOT_CHANGE_STACK) == 0 &&
		      pthread_create(&c->thread, &attr, slot_change_run, c) == 0;
	pthread_attr_destroy(&attr);
	if (!c->threaded)
		slot_change_run(c);
}

/* Waits for the change, then closes this side's descriptor of a placed table: the outer map
 * holds it. Returns the change's error. */
static int slot_change_finish(struct slot_change *c)
{
	if (c->threaded)
		pthread_join(c->thread, NULL);
	if (c->fd >= 0)
		close(c->fd);
	return c->err;
}

/* What a batch of entries may take in memory, keys and values together. */
#define BATCH_BYTES (256 * 1024)

/* One map being filled from the image: entry @i's key and value come from @get. */
struct filler {
	int fd;
	uint32_t key_size, value_size;
	/* hash and array maps take entries in batches (Linux 5.6); LPM tries only one by one */
	bool batch;
	const void *entries;
	void (*get)(const struct filler *f, uint32_t i, void *key, void *value);
};

/* Writes @count packed entries. A kernel without batches for this map (EINVAL before 5.6,
 * ENOTSUPP for map types without them) gets them one by one, and so does every later batch. */
static int update_packed(struct filler *f, const char *keys, const char *values, uint32_t count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	uint32_t done = count;

	if (f->batch) {
		if (bpf_map_update_batch(f->fd, keys, values, &done, &opts) == 0)
			return 0;
		if (errno != EINVAL && errno != ENOTSUPP && errno != EOPNOTSUPP)
			return -errno;
		f->batch = false;
	}
	for (uint32_t i = 0; i < count; i++)
		if (bpf_map_update_elem(f->fd, keys + (size_t)i * f->key_size,
					values + (size_t)i * f->value_size, BPF_ANY) < 0)
			return -errno;
	return 0;
}

static int fill(struct filler *f, uint32_t count)
{
	uint32_t chunk = BATCH_BYTES / (f->key_size + f->value_size);
	char *keys, *values;
	int err = 0;

	if (!count)
		return 0;
	if (!chunk)
		chunk = 1;
	keys = xzalloc((size_t)chunk * f->key_size);
	values = xzalloc((size_t)chunk * f->value_size);
	for (uint32_t first = 0; first < count && !err; first += chunk) {
		uint32_t n = count - first < chunk ? count - first : chunk;

		for (uint32_t i = 0; i < n; i++)
			f->get(f, first + i, keys + (size_t)i * f->key_size,
			       values + (size_t)i * f->value_size);
		err = update_packed(f, keys, values, n);
	}
	free(keys);
	free(values);
	return err;
}

static void get_class(const struct filler *f, uint32_t i, void *key, void *value)
{
	*(uint32_t *)key = i;
	hook_image_class(f->entries, i, value);
}

/* an array map: the key is the index */
static void get_indexed(const struct filler *f, uint32_t i, void *key, void *value)
{
	*(uint32_t *)key = i;
	memcpy(value, (const char *)f->entries + (size_t)i * f->value_size, f->value_size);
}

static void get_exact_path(const struct filler *f, uint32_t i, void *key, void *value)
{
	const struct exact_path_entry *e = (const struct exact_path_entry *)f->entries + i;
	unsigned char path[ENDURA_PATH_MAX];

	exact_path_key(e, path);
	memcpy(key, path, f->key_size);
	memcpy(value, &e->class, f->value_size);
}

static void get_prefix(const struct filler *f, uint32_t i, void *key, void *value)
{
	const struct path_entry *e = (const struct path_entry *)f->entries + i;

	memcpy(key, &e->key, f->key_size);
	memcpy(value, &e->class, f->value_size);
}

static void get_file_id(const struct filler *f, uint32_t i, void *key, void *value)
{
	const struct file_id_entry *e = (const struct file_id_entry *)f->entries + i;

	memcpy(key, &e->id, f->key_size);
	memcpy(value, &e->class, f->value_size);
}

static void get_uid(const struct filler *f, uint32_t i, void *key, void *value)
{
	const struct uid_entry *e = (const struct uid_entry *)f->entries + i;

	memcpy(key, &e->uid, f->key_size);
	memcpy(value, &e->class, f->value_size);
}

/* What the kernel charges for a map (RLIMIT_MEMLOCK accounting, and since Linux 6.4 its actual
 * usage), which bpf_map_info does not carry; 0 where fdinfo does not say. */
static uint64_t map_memlock(int fd)
{
	unsigned long long memlock = 0;
	char path[64], line[128];
	FILE *info;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = fopen(path, "re");
	if (!info)
		return 0;
	while (fgets(line, sizeof(line), info))
		if (sscanf(line, "memlock: %llu", &memlock) == 1)
			break;
	fclose(info);
	return memlock;
}

/* One table of a hook: its map, its size and where its entries come from. */
struct table_shape {
	int outer;
	enum bpf_map_type type;
	uint32_t key_size, value_size, entries, flags;
	const void *source;
	void (*get)(const struct filler *f, uint32_t i, void *key, void *value);
};

static void hook_shapes(const struct decision_maps *maps, const struct hook_image *h,
			struct table_shape shapes[HOOK_TABLES])
{
	struct table_shape all[HOOK_TABLES] = {
		{ maps->class_tables, BPF_MAP_TYPE_ARRAY, 4, sizeof(struct endura_bitset),
		  h->nclasses, BPF_F_INNER_MAP, h, get_class },
		{ maps->rule_tables, BPF_MAP_TYPE_ARRAY, 4, sizeof(struct endura_rule_info),
		  h->nrules, BPF_F_INNER_MAP, h->rules, get_indexed },
		{ maps->path_short_tables, BPF_MAP_TYPE_HASH, ENDURA_PATH_SHORT, 4, h->nshort_paths,
		  0, h->exact_paths, get_exact_path },
		{ maps->path_long_tables, BPF_MAP_TYPE_HASH, ENDURA_PATH_MAX, 4,
		  h->nexact_paths - h->nshort_paths, 0, h->exact_paths + h->nshort_paths,
		  get_exact_path },
		{ maps->path_prefix_tables, BPF_MAP_TYPE_LPM_TRIE, sizeof(struct endura_path_key), 4,
		  h->npaths, BPF_F_NO_PREALLOC, h->paths, get_prefix },
		{ maps->path_id_tables, BPF_MAP_TYPE_HASH, sizeof(struct endura_file_id), 4,
		  h->npath_ids, 0, h->path_ids, get_file_id },
		{ maps->exe_id_tables, BPF_MAP_TYPE_HASH, sizeof(struct endura_file_id), 4,
		  h->nexe_ids, 0, h->exe_ids, get_file_id },
		{ maps->uid_tables, BPF_MAP_TYPE_HASH, 4, 4, h->nuids, 0, h->uids, get_uid },
	};

	memcpy(shapes, all, sizeof(all));
}

/* Makes the table at @slot and starts placing it. Only tables that will be read are made: the
 * programs read none of a hook without rules, and no empty lookup table
 * (endura_hook_meta.lookups); @p->fd stays -1 for the others. */
static int make_table(const struct table_shape *shape, const struct hook_image *h, uint32_t slot,
		      struct slot_change *p)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = shape->flags);

	*p = (struct slot_change){ .outer = shape->outer, .fd = -1, .slot = slot };
	if (!h->nrules || !shape->entries)
		return 0;
	p->fd = bpf_map_create(shape->type, NULL, shape->key_size, shape->value_size,
			       shape->entries, &opts);
	if (p->fd < 0)
		return -errno;
	slot_change_start(p);
	return 0;
}

/* Fills the table @p made; adds the kernel memory it takes to @memlock. */
static int fill_table(const struct table_shape *shape, const struct slot_change *p,
		      uint64_t *memlock)
{
	struct filler f = {
		.fd = p->fd,
		.key_size = shape->key_size,
		.value_size = shape->value_size,
		.batch = shape->type != BPF_MAP_TYPE_LPM_TRIE,
		.entries = shape->source,
		.get = shape->get,
	};
	int err;

	if (p->fd < 0)
		return 0;
	err = fill(&f, shape->entries);
	*memlock += map_memlock(p->fd);
	return err;
}

/* Makes, places and fills the tables of every hook at @base, then describes them in hook_meta.
 * Adds their kernel memory to @memlock. */
static int write_hooks(struct decision_maps *maps, uint32_t base, const struct table_image *image,
		       uint64_t *memlock)
{
	struct table_shape shapes[HOOK_COUNT][HOOK_TABLES];
	struct slot_change tables[HOOK_COUNT][HOOK_TABLES];
	int err = 0, placed;

	for (int hook = 0; hook < HOOK_COUNT; hook++) {
		hook_shapes(maps, &image->hooks[hook], shapes[hook]);
		for (int i = 0; i < HOOK_TABLES; i++) {
			tables[hook][i] = (struct slot_change){ .fd = -1 };
			if (!err)
				err = make_table(&shapes[hook][i], &image->hooks[hook], base + hook,
						 &tables[hook][i]);
		}
	}
	for (int hook = 0; hook < HOOK_COUNT; hook++)
		for (int i = 0; i < HOOK_TABLES && !err; i++)
			err = fill_table(&shapes[hook][i], &tables[hook][i], memlock);
	for (int hook = 0; hook < HOOK_COUNT; hook++)
		for (int i = 0; i < HOOK_TABLES; i++) {
			placed = slot_change_finish(&tables[hook][i]);
			err = err ? err : placed;
		}
	for (uint32_t slot = base; slot < base + HOOK_COUNT && !err; slot++)
		if (bpf_map_update_elem(maps->hook_meta, &slot, &image->hooks[slot - base].meta,
					BPF_ANY) < 0)
			err = -errno;
	return err;
}

/* Empties the slots of every hook at @base: their tables go, and hook_meta says they have none. */
static void release_slots(struct decision_maps *maps, uint32_t base)
{
	int outers[HOOK_TABLES] = { maps->class_tables, maps->rule_tables, maps->path_short_tables,
				    maps->path_long_tables, maps->path_prefix_tables,
				    maps->path_id_tables, maps->exe_id_tables, maps->uid_tables };
	struct slot_change changes[HOOK_COUNT][HOOK_TABLES];
	struct endura_hook_meta empty = { 0 };

	for (uint32_t hook = 0; hook < HOOK_COUNT; hook++) {
		uint32_t slot = base + hook;

		bpf_map_update_elem(maps->hook_meta, &slot, &empty, BPF_ANY);
		for (int i = 0; i < HOOK_TABLES; i++) {
			uint32_t id;

			changes[hook][i] = (struct slot_change){
				.outer = outers[i], .fd = -1, .slot = slot,
			};
			/* a slot without a table needs no thread */
			if (bpf_map_lookup_elem(outers[i], &slot, &id) == 0)
				slot_change_start(&changes[hook][i]);
		}
	}
	for (int hook = 0; hook < HOOK_COUNT; hook++)
		for (int i = 0; i < HOOK_TABLES; i++)
			slot_change_finish(&changes[hook][i]);
}

static int handle_compare(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The handles of the image's rules that count, sorted. */
static uint64_t *counted_handles(const struct table_image *image, size_t *count)
{
	size_t n = 0, cap = 1;
	uint64_t *handles;

	for (int hook = 0; hook < HOOK_COUNT; hook++)
		cap += image->hooks[hook].nrules;
	handles = xzalloc(cap * sizeof(uint64_t));
	for (int hook = 0; hook < HOOK_COUNT; hook++)
		for (uint32_t p = 0; p < image->hooks[hook].nrules; p++)
			if (image->hooks[hook].rules[p].flags & ENDURA_RULE_COUNTER)
				handles[n++] = image->hooks[hook].rules[p].handle;
	qsort(handles, n, sizeof(uint64_t), handle_compare);
	*count = n;
	return handles;
}

/* Counters are keyed by handle: create those of new rules, keep the others' values. */
static int add_counters(struct decision_maps *maps, const struct table_image *image)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *zeros;
	int err = 0;

	if (ncpus < 0)
		return ncpus;
	zeros = xzalloc(ncpus * sizeof(uint64_t));
	for (int hook = 0; hook < HOOK_COUNT && !err; hook++)
		for (uint32_t p = 0; p < image->hooks[hook].nrules; p++) {
			const struct endura_rule_info *rule = &image->hooks[hook].rules[p];

			if (!(rule->flags & ENDURA_RULE_COUNTER))
				continue;
			if (bpf_map_update_elem(maps->counters, &rule->handle, zeros, BPF_NOEXIST) < 0 &&
			    errno != EEXIST) {
				err = -errno;
				break;
			}
		}
	free(zeros);
	return err;
}

static void drop_counters(struct decision_maps *maps, const struct table_image *image)
{
	uint64_t key, next, *prev = NULL;
	size_t count;
	uint64_t *kept = counted_handles(image, &count);

	while (bpf_map_get_next_key(maps->counters, prev, &next) == 0) {
		key = next;
		if (!bsearch(&key, kept, count, sizeof(uint64_t), handle_compare) &&
		    bpf_map_delete_elem(maps->counters, &key) == 0)
			continue;	/* deleted: start over from the same predecessor */
		prev = &key;
	}
	free(kept);
}

/* A decision runs inside an RCU read-side section; MEMBARRIER_CMD_GLOBAL waits for a grace period,
 * so once it returns no decision can still read the previous generation. */
static void wait_for_decisions(void)
{
	syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
}

int decision_maps_commit(struct decision_maps *maps, const struct table_image *image)
{
	uint32_t next = maps->generation + 1, zero = 0;
	uint32_t base = (next & 1) * ENDURA_HOOK_COUNT, old = (maps->generation & 1) * ENDURA_HOOK_COUNT;
	uint64_t memlock = 0;
	int err;

	err = write_hooks(maps, base, image, &memlock);
	if (err < 0)
		goto undo;
	err = add_counters(maps, image);
	if (err < 0)
		goto undo;
	if (bpf_map_update_elem(maps->control, &zero, &next, BPF_ANY) < 0) {
		err = -errno;
		goto undo;
	}
	maps->generation = next;
	maps->memlock = memlock;
	wait_for_decisions();
	release_slots(maps, old);
	drop_counters(maps, image);
	return 0;
undo:
	release_slots(maps, base);
	return err;
}

uint64_t decision_maps_hits(const struct decision_maps *maps, uint64_t handle)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *values, sum = 0;

	if (ncpus <= 0)
		return 0;
	values = xzalloc(ncpus * sizeof(uint64_t));
	if (bpf_map_lookup_elem(maps->counters, &handle, values) == 0)
		for (int i = 0; i < ncpus; i++)
			sum += values[i];
	free(values);
	return sum;
}
