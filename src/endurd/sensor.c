// SPDX-License-Identifier: GPL-2.0-only
/* Loading the LSM programs once, attaching and pinning them, and refusing to claim enforcement the
 * kernel does not provide. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "daemon.h"
#include "endura.skel.h"
#include "parse.h"
#include "xalloc.h"

#define LSM_LIST "/sys/kernel/security/lsm"

/* An LSM program attaches even where bpf is not an active LSM, and then never runs: only the
 * active list tells. */
int sensor_check_lsm(void)
{
	char *list = read_whole_file(LSM_LIST, NULL), *tokens;
	char *token, *save = NULL;
	bool active = false;

	if (!list) {
		fprintf(stderr, "endurd: cannot read %s (%s): is securityfs mounted?\n", LSM_LIST,
			strerror(errno));
		return -1;
	}
	list[strcspn(list, "\n")] = '\0';
	tokens = xstrdup(list);
	for (token = strtok_r(tokens, ",", &save); token; token = strtok_r(NULL, ",", &save))
		active |= strcmp(token, "bpf") == 0;
	free(tokens);
	/* lsm= replaces the whole list: the advice keeps every module that is active now */
	if (!active)
		fprintf(stderr, "endurd: BPF LSM is not active on this kernel (active LSMs: %s); "
			"boot with lsm=%s,bpf to enforce\n", list, list);
	free(list);
	return active ? 0 : -1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int unpin_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* No re-adoption yet: what an earlier endurd left pinned is detached before loading anew, so two
 * sets of programs never enforce side by side. */
static void remove_stale_pins(void)
{
	if (access(ENDURA_PIN_DIR, F_OK) == 0)
		nftw(ENDURA_PIN_DIR, unpin_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int sensor_load(struct daemon *d)
{
	int err;

	libbpf_set_print(libbpf_print);
	remove_stale_pins();
	d->skel = endura_bpf__open_and_load();
	if (!d->skel) {
		fprintf(stderr, "endurd: cannot load the BPF programs: %s\n", strerror(errno));
		return -1;
	}
	err = decision_maps_find(&d->maps, d->skel->obj);
	if (err) {
		fprintf(stderr, "endurd: decision maps missing: %s\n", strerror(-err));
		return -1;
	}
	return 0;
}

static int pin_link(struct bpf_link *link, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", ENDURA_PIN_DIR, name);
	return bpf_link__pin(link, path);
}

int sensor_attach_and_pin(struct daemon *d)
{
	char maps_dir[256];
	int err = endura_bpf__attach(d->skel);

	if (err) {
		fprintf(stderr, "endurd: cannot attach the LSM programs: %s\n", strerror(-err));
		return -1;
	}
	snprintf(maps_dir, sizeof(maps_dir), "%s/maps", ENDURA_PIN_DIR);
	if (mkdir(ENDURA_PIN_DIR, 0700) < 0 || mkdir(maps_dir, 0700) < 0 ||
	    bpf_object__pin_maps(d->skel->obj, maps_dir) < 0 ||
	    pin_link(d->skel->links.endura_file_open, "file_open") < 0 ||
	    pin_link(d->skel->links.endura_exec, "exec") < 0) {
		fprintf(stderr, "endurd: cannot pin under %s (is bpffs mounted on /sys/fs/bpf?): %s\n",
			ENDURA_PIN_DIR, strerror(errno));
		return -1;
	}
	return 0;
}

void sensor_unload(struct daemon *d)
{
	remove_stale_pins();
	endura_bpf__destroy(d->skel);
	d->skel = NULL;
}
