// SPDX-License-Identifier: GPL-2.0-only
/* Loading the generic programs once: for every hook the strongest tier that loads, attaches and is
 * seen to run on this kernel, found by trying it. One loader path: open, choose per hook which
 * program loads (set_autoload), load, attach, probe; a hook whose program fails goes one tier
 * down and the object is loaded again. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <jansson.h>

#include "daemon.h"
#include "endura.skel.h"
#include "hooks.h"
#include "parse.h"
#include "status.h"
#include "tier.h"
#include "xalloc.h"

#define LSM_LIST "/sys/kernel/security/lsm"
#define VERIFIER_LOG_SIZE (64 * 1024)
#define REASON_LINES 3

/* The programs that report changes of the identity refresh's directory entries (entries.bpf.h).
 * They are trampolines, loaded all or none: without them the refresh watches with inotify. */
static const char *const entry_programs[ENTRY_PROGRAMS] = {
	"endura_entry_create", "endura_entry_mknod", "endura_entry_mkdir", "endura_entry_symlink",
	"endura_entry_link", "endura_entry_unlink", "endura_entry_rmdir", "endura_entry_rename",
};

static bool is_entry_program(const char *name)
{
	for (unsigned int i = 0; i < ENTRY_PROGRAMS; i++)
		if (strcmp(entry_programs[i], name) == 0)
			return true;
	return false;
}

/* Mounts @type on @path unless a file system of that @magic is there, as systemd does at boot:
 * a machine without it (a container, a minimal system) still runs endurd. */
static void ensure_mounted(const char *type, const char *path, unsigned long magic,
			   const char *options)
{
	struct statfs st;

	if (statfs(path, &st) == 0 && (unsigned long)st.f_type == magic)
		return;
	if (mount(type, path, type, MS_NOSUID | MS_NODEV | MS_NOEXEC, options) < 0)
		fprintf(stderr, "endurd: cannot mount %s on %s: %s\n", type, path, strerror(errno));
}

/* The active LSM list, or NULL when securityfs does not tell. */
static char *active_lsms(void)
{
	char *list = read_whole_file(LSM_LIST, NULL);

	if (list)
		list[strcspn(list, "\n")] = '\0';
	return list;
}

static bool lsm_listed(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] != '\0'))
		if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

/* --- what libbpf says while a tier is tried ------------------------------------------------- */

/* libbpf names the program it failed on ("prog 'NAME': ..."); the attempt keeps its first words
 * about it instead of printing them: endurd says in its own words why a tier was not taken. */
static struct {
	bool capturing;
	char program[64];
	char message[256];
} attempt_log;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char line[512];
	const char *name;
	size_t len;

	if (level == LIBBPF_DEBUG)
		return 0;
	if (!attempt_log.capturing)
		return vfprintf(stderr, fmt, args);
	vsnprintf(line, sizeof(line), fmt, args);
	name = strstr(line, "prog '");
	if (name && !attempt_log.program[0]) {
		name += strlen("prog '");
		len = strcspn(name, "'");
		snprintf(attempt_log.program, sizeof(attempt_log.program), "%.*s", (int)len, name);
		line[strcspn(line, "\n")] = '\0';
		snprintf(attempt_log.message, sizeof(attempt_log.message), "%s",
			 name + len + strspn(name + len, "': "));
	}
	return 0;
}

/* --- the verifier's log --------------------------------------------------------------------- */

/* Lines of the verifier's statistics, which say nothing about why a program was refused. */
static bool stats_line(const char *line, size_t len)
{
	static const char *const prefixes[] = { "processed ", "verification time ", "stack depth " };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (len >= strlen(prefixes[i]) && strncmp(line, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return len == 0;
}

/* The last REASON_LINES lines of a verifier log that are not statistics, joined by " / ". */
static char *log_tail(const char *log)
{
	const char *end = log + strlen(log), *start;
	char *tail = xstrdup(""), *next;

	for (int n = 0; end > log && n < REASON_LINES; end = start > log ? start - 1 : log) {
		for (start = end; start > log && start[-1] != '\n'; start--)
			;
		if (stats_line(start, (size_t)(end - start)))
			continue;
		next = xasprintf("%.*s%s%s", (int)(end - start), start, n++ ? " / " : "", tail);
		free(tail);
		tail = next;
	}
	return tail;
}

/* "processed N insns" is printed at the stats log level on every kernel; bpf_prog_info's
 * verified_insns only exists from 5.16. */
static void read_verifier_stats(struct op_state *h, const char *log)
{
	const char *p = strstr(log, "processed ");
	const char *t = strstr(log, "verification time ");

	h->verified_insns = p ? strtoull(p + strlen("processed "), NULL, 10) : 0;
	h->verification_us = t ? strtoull(t + strlen("verification time "), NULL, 10) : 0;
}

/* --- trying tiers --------------------------------------------------------------------------- */

static double elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1e3 + (now.tv_nsec - since->tv_nsec) / 1e6;
}

/* Records why @op cannot have its current tier and moves it down to the next tier that has a
 * program for it: ENDURA_TIER_COUNT when none is left. */
static void refuse(struct daemon *d, unsigned int op, char *reason)
{
	struct op_state *h = &d->ops[op];

	free(h->refused[h->tier]);
	h->refused[h->tier] = reason;
	while (++h->tier < ENDURA_TIER_COUNT && !h->programs[h->tier])
		h->refused[h->tier] = xstrdup("no program serves it at this tier");
}

bool sensor_serves(const struct daemon *d, unsigned int op)
{
	return d->ops[op].tier < ENDURA_TIER_COUNT;
}

/* The operation whose program at its current tier is @name, -1 for none. */
static int op_of_program(const struct daemon *d, const char *name)
{
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
		if (sensor_serves(d, op) && strcmp(d->ops[op].programs[d->ops[op].tier], name) == 0)
			return (int)op;
	return -1;
}

struct bpf_program *sensor_program(const struct daemon *d, unsigned int op)
{
	if (!sensor_serves(d, op))
		return NULL;
	return bpf_object__find_program_by_name(d->skel->obj, d->ops[op].programs[d->ops[op].tier]);
}

static void destroy_attempt(struct daemon *d)
{
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		bpf_link__destroy(d->ops[op].link);
		d->ops[op].link = NULL;
	}
	for (unsigned int i = 0; i < ENTRY_PROGRAMS; i++) {
		bpf_link__destroy(d->entry_links[i]);
		d->entry_links[i] = NULL;
	}
	endura_bpf__destroy(d->skel);
	d->skel = NULL;
}

/* A program the kernel refused before its verifier said anything (BPF LSM or trampolines not
 * allowed at all): the tier is refused to every operation still at it, not one per attempt. */
static void refuse_tier(struct daemon *d, unsigned int tier, const char *reason)
{
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
		if (d->ops[op].tier == tier)
			refuse(d, op, xstrdup(reason));
}

/* The BTF id of the kernel's function @name, or of its LSM hook @name when @lsm (which BPF LSM
 * programs attach to as bpf_lsm_@name), -1 when it has none. */
static int kernel_function(const struct btf *vmlinux, const char *name, bool lsm)
{
	char function[128];

	snprintf(function, sizeof(function), "%s%s", lsm ? "bpf_lsm_" : "", name);
	return btf__find_by_name_kind(vmlinux, function, BTF_KIND_FUNC);
}

/* A program of two instructions of @prog's type and attach type on @hook ("file_open" for BPF
 * LSM, "security_file_open" for a trampoline), @log the verifier's words: a descriptor, -1 with
 * errno set, or -2 for a hook this kernel does not have. */
static int load_stub(const struct btf *vmlinux, const struct bpf_program *prog, const char *hook,
		     char *log, size_t log_size)
{
	static const struct bpf_insn return_zero[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	enum bpf_attach_type type = bpf_program__expected_attach_type(prog);
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type, .log_buf = log,
		    .log_size = (__u32)log_size, .log_level = 1);
	int id = kernel_function(vmlinux, hook, type == BPF_LSM_MAC);

	if (id < 0)
		return -2;
	opts.attach_btf_id = (__u32)id;
	return bpf_prog_load(bpf_program__type(prog), NULL, "GPL", return_zero, 2, &opts);
}

/* A program of two instructions on @prog's attach target: whether the kernel takes a program of
 * its kind there at all. A target it refuses (a function it lacks, an argument its trampolines
 * cannot pass, BPF LSM or trampolines not allowed) is found so before the object is loaded,
 * where each refusal would cost the verification of every program again. Returns 0, or -1 with
 * @reason set and @logged saying whether the kernel said why. */
static int preflight(const struct btf *vmlinux, const struct bpf_program *prog, char *reason,
		     size_t size, bool *logged)
{
	const char *target = strchr(bpf_program__section_name(prog), '/');
	char log[4096] = "", *tail;
	int fd;

	*logged = true;
	if (!vmlinux)	/* nothing to try it with: the load will tell */
		return 0;
	fd = target ? load_stub(vmlinux, prog, target + 1, log, sizeof(log)) : -2;
	if (fd == -2) {
		snprintf(reason, size, "this kernel has no hook %s", target ? target + 1 : "");
		return -1;
	}
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	tail = log_tail(log);
	*logged = tail[0] != '\0';
	if (*logged)
		snprintf(reason, size, "the kernel refuses the hook; the verifier: %s", tail);
	else
		snprintf(reason, size, "BPF program load failed: %s", strerror(errno));
	free(tail);
	return -1;
}

/* Whether this kernel attaches a program of @prog's kind again once its link is gone (from 5.13
 * for trampolines): tried with a program of two instructions on a hook of quotactl(2), which
 * hardly runs, since every attach and detach patches the kernel's text. */
static bool reattaches(const struct btf *vmlinux, const struct bpf_program *prog)
{
	bool lsm = bpf_program__expected_attach_type(prog) == BPF_LSM_MAC;
	char log[4096] = "";
	int fd = vmlinux ? load_stub(vmlinux, prog, lsm ? "quotactl" : "security_quotactl", log,
				     sizeof(log)) : -1;
	int link;
	bool again = false;

	if (fd < 0)
		return false;
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link >= 0) {
		close(link);
		link = bpf_raw_tracepoint_open(NULL, fd);
		again = link >= 0;
		if (again)
			close(link);
	}
	close(fd);
	return again;
}

/* Whether the programs of idle hooks can be detached: every tier in use attaches a program
 * again. Tracepoints always do; trampolines (tiers lsm and fmod_ret) from 5.13. */
static bool idle_hooks_detach(const struct daemon *d)
{
	bool tried[ENDURA_TIER_COUNT] = { false };

	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		enum endura_tier tier = d->ops[op].tier;

		if (!sensor_serves(d, op) || tier == ENDURA_TIER_OBSERVE || tried[tier])
			continue;
		if (!reattaches(d->kernel_btf, sensor_program(d, op)))
			return false;
		tried[tier] = true;
	}
	return true;
}

/* Moves each operation down from the tiers whose hook the kernel refuses outright
 * (preflight()). */
static void preflight_ops(struct daemon *d)
{
	char reason[512];
	bool logged;

	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
		while (sensor_serves(d, op) && d->ops[op].tier != ENDURA_TIER_OBSERVE &&
		       preflight(d->kernel_btf, sensor_program(d, op), reason, sizeof(reason),
				 &logged) < 0) {
			if (logged)
				refuse(d, op, xstrdup(reason));
			else
				refuse_tier(d, d->ops[op].tier, reason);
		}
}

/* Loads the object with every operation at its current tier. Returns 0 when all load, attach and
 * run; 1 when one was moved down a tier (try again); -1 when the object cannot load at all. */
static int try_tiers(struct daemon *d, char *logs[ENDURA_OP_COUNT])
{
	bool seen[ENDURA_OP_COUNT], loaded[ENDURA_OP_COUNT], again = false;
	struct bpf_program *prog;
	struct timespec start;
	char *tail;
	int err, op;

	d->skel = endura_bpf__open();
	if (!d->skel) {
		fprintf(stderr, "endurd: cannot open the BPF object: %s\n", strerror(errno));
		return -1;
	}
	preflight_ops(d);
	/* only the programs chosen load: one per operation, and the entry programs */
	bpf_object__for_each_program(prog, d->skel->obj)
		bpf_program__set_autoload(prog, is_entry_program(bpf_program__name(prog)) &&
						!d->entry_refused);
	for (op = 0; op < ENDURA_OP_COUNT; op++) {
		if (!sensor_serves(d, op))
			continue;
		prog = sensor_program(d, op);
		bpf_program__set_autoload(prog, true);
		logs[op][0] = '\0';
		bpf_program__set_log_buf(prog, logs[op], VERIFIER_LOG_SIZE);
		bpf_program__set_log_level(prog, 4);	/* statistics, and errors */
	}

	/* the path cache's names are hashed under a seed no task on the host knows */
	if (getrandom(&d->skel->bss->path_cache_seed, sizeof(d->skel->bss->path_cache_seed), 0) !=
	    sizeof(d->skel->bss->path_cache_seed)) {
		fprintf(stderr, "endurd: getrandom: %s\n", strerror(errno));
		return -1;
	}
	/* no rule may take from endurd what it needs to change the rules: its capabilities */
	d->skel->bss->endurd_tgid = (__u32)getpid();
	memset(&attempt_log, 0, sizeof(attempt_log));
	attempt_log.capturing = true;
	clock_gettime(CLOCK_MONOTONIC, &start);
	err = endura_bpf__load(d->skel);
	d->load_ms = elapsed_ms(&start);
	attempt_log.capturing = false;
	if (err && is_entry_program(attempt_log.program)) {
		d->entry_refused = xasprintf("%s: %s", attempt_log.program, attempt_log.message);
		destroy_attempt(d);
		return 1;
	}
	if (err) {
		op = op_of_program(d, attempt_log.program);
		if (op < 0) {
			fprintf(stderr, "endurd: cannot load the BPF programs: %s\n",
				attempt_log.message[0] ? attempt_log.message : strerror(-err));
			return -1;
		}
		tail = log_tail(logs[op]);
		if (tail[0])
			refuse(d, op, xasprintf("%s; the verifier: %s", attempt_log.message, tail));
		else
			refuse_tier(d, d->ops[op].tier, attempt_log.message);
		free(tail);
		destroy_attempt(d);
		return 1;
	}

	for (op = 0; op < ENDURA_OP_COUNT; op++) {
		prog = sensor_program(d, op);
		loaded[op] = prog != NULL;
		if (!prog)
			continue;
		read_verifier_stats(&d->ops[op], logs[op]);
		d->ops[op].link = bpf_program__attach(prog);
		if (!d->ops[op].link) {
			refuse(d, op, xasprintf("cannot attach %s: %s", bpf_program__name(prog),
						strerror(errno)));
			again = true;
		}
	}
	for (unsigned int i = 0; i < ENTRY_PROGRAMS && !d->entry_refused && !again; i++) {
		prog = bpf_object__find_program_by_name(d->skel->obj, entry_programs[i]);
		d->entry_links[i] = bpf_program__attach(prog);
		if (!d->entry_links[i]) {
			d->entry_refused = xasprintf("cannot attach %s: %s", entry_programs[i],
						     strerror(errno));
			again = true;
		}
	}
	if (!again) {
		probe_ops(d->skel, loaded, seen);
		for (op = 0; op < ENDURA_OP_COUNT; op++) {
			if (!loaded[op] || seen[op])
				continue;
			refuse(d, op, d->ops[op].tier == ENDURA_TIER_LSM && !d->lsm_list ?
				xstrdup("attached but never runs: bpf is probably not in the active "
					"LSM list, which securityfs does not show") :
				xasprintf("%s attached but was not seen to run",
					  d->ops[op].programs[d->ops[op].tier]));
			again = true;
		}
	}
	if (again)
		destroy_attempt(d);
	return again;
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

/* The BPF object is part of endurd's own file, read once to load it: once loaded, its 1.6 MB of
 * pages need not stay resident. They are read-only, so the file gives them back if ever read. */
static void release_object_bytes(void)
{
	size_t size;
	uintptr_t start = (uintptr_t)endura_bpf__elf_bytes(&size), end = start + size;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	start = (start + page - 1) & ~(page - 1);
	end &= ~(page - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

/* Whether @op not served at @weakest or stronger keeps endurd from starting: always when a tier
 * was required, else when a weakest program of it exists and failed. */
static bool must_serve(const struct daemon *d, unsigned int op, enum endura_tier weakest)
{
	enum endura_op by = op_descs[op].unserved_by;

	if (d->ops[op].decided_by || (by && d->ops[by].tier <= weakest))
		return false;
	return weakest < ENDURA_TIER_OBSERVE || d->ops[op].programs[ENDURA_TIER_OBSERVE];
}

/* The number of arguments of this kernel's function @function, -1 when its BTF does not say. */
static int function_args(const struct btf *vmlinux, const char *function)
{
	int id = vmlinux ? kernel_function(vmlinux, function, false) : -1;

	if (id < 0)
		return -1;
	return btf_vlen(btf__type_by_id(vmlinux, btf__type_by_id(vmlinux, id)->type));
}

/* Each operation's programs, fitted to the arguments of this kernel's hooks; none for an
 * operation whose hook this kernel lacks and another decides (op_desc.absent). */
static void fit_programs(struct daemon *d)
{
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		const struct op_desc *desc = &op_descs[op];
		struct op_state *h = &d->ops[op];

		memcpy(h->programs, desc->programs, sizeof(desc->programs));
		for (size_t i = 0; i < sizeof(desc->fewer_args) / sizeof(desc->fewer_args[0]); i++) {
			const struct fewer_args *fewer = &desc->fewer_args[i];

			if (fewer->program &&
			    function_args(d->kernel_btf, fewer->function) == (int)fewer->args)
				h->programs[fewer->tier] = fewer->program;
		}
		if (desc->absent.function && d->kernel_btf &&
		    kernel_function(d->kernel_btf, desc->absent.function, false) < 0) {
			memset(h->programs, 0, sizeof(h->programs));
			h->tier = ENDURA_TIER_COUNT;
			h->decided_by = desc->absent.decided_by;
		}
	}
}

/* Hands each operation no tier serves to the program that can decide it instead, when that one
 * is served (op_desc.unserved_by): the programs learn it from unserved_ops, status from
 * decided_by. */
static void hand_over_unserved(struct daemon *d)
{
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		enum endura_op by = op_descs[op].unserved_by;

		if (!by || sensor_serves(d, op) || !sensor_serves(d, by))
			continue;
		d->ops[op].decided_by = op_descs[by].name;
		d->skel->bss->unserved_ops |= 1ULL << op;
	}
}

/* Whether an operation that must be served (must_serve()) is below @weakest: says which, and
 * why, for the first. */
static bool below_weakest(const struct daemon *d, enum endura_tier weakest)
{
	char label[64];

	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		const struct op_state *h = &d->ops[op];

		if (h->tier <= weakest || !must_serve(d, op, weakest))
			continue;
		fprintf(stderr, "endurd: %s cannot run at tier %s or stronger on this kernel: %s\n",
			op_label(op, label, sizeof(label)), tier_descs[weakest].name,
			h->refused[h->tier - 1]);
		return true;
	}
	return false;
}

int sensor_load(struct daemon *d, enum endura_tier weakest)
{
	char *logs[ENDURA_OP_COUNT], reason[512];
	int ret = 0, err;

	libbpf_set_print(libbpf_print);
	ensure_mounted("bpf", "/sys/fs/bpf", BPF_FS_MAGIC, "mode=0700");
	ensure_mounted("securityfs", "/sys/kernel/security", SECURITYFS_MAGIC, NULL);
	remove_stale_pins();
	d->lsm_list = active_lsms();
	d->kernel_btf = btf__load_vmlinux_btf();
	fit_programs(d);
	/* an LSM program would load and attach and never run: not worth verifying */
	if (d->lsm_list && !lsm_listed(d->lsm_list, "bpf")) {
		snprintf(reason, sizeof(reason), "bpf is not in the active LSM list (%s)", d->lsm_list);
		refuse_tier(d, ENDURA_TIER_LSM, reason);
	}
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
		logs[op] = xzalloc(VERIFIER_LOG_SIZE);
	/* every attempt moves an operation down a tier or does without the entry programs: the
	 * loop ends */
	do {
		ret = try_tiers(d, logs);
		if (ret >= 0 && below_weakest(d, weakest))
			ret = -1;
	} while (ret == 1);
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
		free(logs[op]);
	if (ret >= 0) {
		hand_over_unserved(d);
		d->detaches_idle = idle_hooks_detach(d);
	}
	btf__free(d->kernel_btf);
	d->kernel_btf = NULL;
	if (ret < 0)
		return -1;
	err = decision_maps_find(&d->maps, d->skel->obj);
	if (err) {
		fprintf(stderr, "endurd: decision maps missing: %s\n", strerror(-err));
		return -1;
	}
	release_object_bytes();
	return 0;
}

const char *op_label(unsigned int op, char *buf, size_t size)
{
	const struct hook_desc *hook = &hook_descs[op_descs[op].hook];

	if (hook->op == op)
		snprintf(buf, size, "hook %s", hook->name);
	else
		snprintf(buf, size, "hook %s (%s)", hook->name, op_descs[op].name);
	return buf;
}

/* An operation's tier ("none" when no tier serves it), its program and what the verifier spent on
 * it (when it has one), why no stronger tier. */
static json_t *op_status(const struct daemon *d, unsigned int op)
{
	const struct op_state *h = &d->ops[op];
	bool served = sensor_serves(d, op);
	json_t *refused = json_object();

	for (unsigned int tier = 0; tier < h->tier && tier < ENDURA_TIER_COUNT; tier++)
		json_object_set_new(refused, tier_descs[tier].name, json_string(h->refused[tier]));
	if (h->decided_by)
		return json_pack("{s:s, s:b, s:s, s:o}", "tier", "none", "denies", false,
				 "decided_by", h->decided_by, "refused", refused);
	if (!served)
		return json_pack("{s:s, s:b, s:o}", "tier", "none", "denies", false,
				 "refused", refused);
	return json_pack("{s:s, s:b, s:b, s:s, s:I, s:I, s:o}",
			 "tier", tier_descs[h->tier].name,
			 "denies", tier_descs[h->tier].denies,
			 "attached", h->link != NULL,
			 "program", bpf_program__name(sensor_program(d, op)),
			 "verified_insns", (json_int_t)h->verified_insns,
			 "verification_us", (json_int_t)h->verification_us,
			 "refused", refused);
}

json_t *sensor_hooks_status(const struct daemon *d)
{
	json_t *hooks = json_object();

	for (unsigned int hook = 0; hook < ENDURA_HOOK_COUNT; hook++) {
		json_t *status = op_status(d, hook_descs[hook].op), *others = json_object();

		for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
			if (op_descs[op].hook == hook && op != hook_descs[hook].op)
				json_object_set_new(others, op_descs[op].name, op_status(d, op));
		if (json_object_size(others))
			json_object_set_new(status, "operations", others);
		else
			json_decref(others);
		json_object_set_new(hooks, hook_name((enum hook_type)hook), status);
	}
	return hooks;
}

/* The tier of each operation, what it can do, and why no stronger tier was taken, in the words
 * of "endurctl status"; then what the kernel keeps from enforcing. */
void sensor_describe(const struct daemon *d, FILE *out)
{
	json_t *hooks = sensor_hooks_status(d);
	bool denies = false, all_lsm = true;

	status_print_hooks(out, "endurd: ", hooks, NULL);
	json_decref(hooks);
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		all_lsm &= d->ops[op].tier == ENDURA_TIER_LSM || d->ops[op].decided_by;
		denies |= sensor_serves(d, op) && tier_descs[d->ops[op].tier].denies;
	}
	if (d->entry_refused)
		fprintf(out, "endurd: identity refresh: directory entries watched with inotify; the "
			"entry programs cannot run: %s\n", d->entry_refused);
	else
		fprintf(out, "endurd: identity refresh: directory entries watched by the entry "
			"programs\n");
	if (!d->detaches_idle)
		fprintf(out, "endurd: the programs of hooks without rules stay attached: this kernel "
			"cannot attach a program again once detached\n");
	if (!denies)
		fprintf(out, "endurd: NOT ENFORCING: this kernel lets no hook deny; rules are "
			"evaluated and reported, nothing is denied\n");
	if (!all_lsm && d->lsm_list && !lsm_listed(d->lsm_list, "bpf"))
		/* lsm= replaces the whole list: the advice keeps every module that is active now */
		fprintf(out, "endurd: for tier lsm, boot with lsm=%s,bpf\n", d->lsm_list);
}

static int pin_link(struct bpf_link *link, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", ENDURA_PIN_DIR, name);
	return bpf_link__pin(link, path);
}

int sensor_pin(struct daemon *d)
{
	char maps_dir[256];

	snprintf(maps_dir, sizeof(maps_dir), "%s/maps", ENDURA_PIN_DIR);
	if (mkdir(ENDURA_PIN_DIR, 0700) < 0 || mkdir(maps_dir, 0700) < 0 ||
	    bpf_object__pin_maps(d->skel->obj, maps_dir) < 0)
		goto fail;
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
		if (d->ops[op].link && pin_link(d->ops[op].link, op_descs[op].name) < 0)
			goto fail;
	d->pinned = true;
	return 0;
fail:
	fprintf(stderr, "endurd: cannot pin under %s (is bpffs mounted on /sys/fs/bpf?): %s\n",
		ENDURA_PIN_DIR, strerror(errno));
	return -1;
}

int sensor_attach_acting(struct daemon *d, const bool acting[ENDURA_HOOK_COUNT],
			 struct diag_list *diags)
{
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		struct bpf_program *prog = sensor_program(d, op);
		struct bpf_link *link;

		if (!acting[op_descs[op].hook] || d->ops[op].link || !prog)
			continue;
		link = bpf_program__attach(prog);
		if (!link || (d->pinned && pin_link(link, op_descs[op].name) < 0)) {
			diag_error(diags, NULL, "cannot attach %s, the program of %s: %s",
				   bpf_program__name(prog), op_descs[op].name, strerror(errno));
			bpf_link__destroy(link);
			return -1;
		}
		d->ops[op].link = link;
	}
	return 0;
}

void sensor_detach_idle(struct daemon *d, const bool acting[ENDURA_HOOK_COUNT])
{
	char path[256];

	if (!d->detaches_idle)
		return;
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		if (acting[op_descs[op].hook] || !d->ops[op].link)
			continue;
		if (d->pinned) {
			snprintf(path, sizeof(path), "%s/%s", ENDURA_PIN_DIR, op_descs[op].name);
			unlink(path);
		}
		bpf_link__destroy(d->ops[op].link);
		d->ops[op].link = NULL;
	}
}

void sensor_unload(struct daemon *d)
{
	remove_stale_pins();
	destroy_attempt(d);
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++)
		for (unsigned int tier = 0; tier < ENDURA_TIER_COUNT; tier++)
			free(d->ops[op].refused[tier]);
	free(d->entry_refused);
	free(d->lsm_list);
}
