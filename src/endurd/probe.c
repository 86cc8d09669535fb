// SPDX-License-Identifier: GPL-2.0-only
/* The start-up probe: endurd makes each decided operation happen in its own process and reads
 * whether the program of the operation saw it. A program that attached but never runs (BPF LSM
 * without bpf in the active LSM list) is found out here. Operations on names are made in a
 * directory of endurd's own, removed once probed. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon.h"
#include "endura.skel.h"
#include "xalloc.h"

static struct endura_bpf *probe_skel;

static int trigger_open(const char *dir)
{
	int fd = open(dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* A child executes endurd --version once it is the process the programs watch for. */
static int trigger_exec(const char *dir)
{
	char *const argv[] = { "endurd", "--version", NULL };
	int go[2], status;
	pid_t pid;
	char byte = 0;

	(void)dir;
	if (pipe2(go, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (read(go[0], &byte, 1) != 1)
			_exit(127);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(go[0]);
	if (pid < 0) {
		close(go[1]);
		return -1;
	}
	probe_skel->bss->probe_tgid = pid;
	if (write(go[1], &byte, 1) != 1)
		kill(pid, SIGKILL);
	close(go[1]);
	return waitpid(pid, &status, 0) == pid ? 0 : -1;
}

/* A file @name in @dir, made empty; returns its path, to free, or NULL. */
static char *make_file(const char *dir, const char *name)
{
	char *path = dir ? xasprintf("%s/%s", dir, name) : NULL;
	int fd = path ? open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600) : -1;

	if (fd < 0) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static int trigger_truncate(const char *dir)
{
	char *path = make_file(dir, "truncated");
	int ret = path ? truncate(path, 0) : -1;

	if (path)
		unlink(path);
	free(path);
	return ret;
}

static int trigger_unlink(const char *dir)
{
	char *path = make_file(dir, "unlinked");
	int ret = path ? unlink(path) : -1;

	free(path);
	return ret;
}

static int trigger_rmdir(const char *dir)
{
	char *path = xasprintf("%s/removed", dir ? dir : "/nonexistent");
	int ret = mkdir(path, 0700) == 0 ? rmdir(path) : -1;

	free(path);
	return ret;
}

static int trigger_rename(const char *dir)
{
	char *from = make_file(dir, "renamed"), *to = xasprintf("%s.to", from ? from : "");
	int ret = from ? rename(from, to) : -1;

	if (from)
		unlink(ret == 0 ? to : from);
	free(from);
	free(to);
	return ret;
}

static int (*const triggers[ENDURA_OP_COUNT])(const char *dir) = {
	[ENDURA_OP_EXEC] = trigger_exec,
	[ENDURA_OP_OPEN] = trigger_open,
	[ENDURA_OP_TRUNCATE] = trigger_truncate,
	[ENDURA_OP_UNLINK] = trigger_unlink,
	[ENDURA_OP_RMDIR] = trigger_rmdir,
	[ENDURA_OP_RENAME] = trigger_rename,
};

void probe_ops(struct endura_bpf *skel, const bool loaded[ENDURA_OP_COUNT],
	       bool seen[ENDURA_OP_COUNT])
{
	char dir[] = "/tmp/endurd-probe.XXXXXX";
	bool made = mkdtemp(dir) != NULL;

	probe_skel = skel;
	for (unsigned int op = 0; op < ENDURA_OP_COUNT; op++) {
		seen[op] = false;
		if (!loaded[op])
			continue;
		skel->bss->probe_seen[op] = 0;
		skel->bss->probe_tgid = getpid();
		seen[op] = triggers[op](made ? dir : NULL) == 0 && skel->bss->probe_seen[op];
	}
	skel->bss->probe_tgid = 0;
	if (made)
		rmdir(dir);
}
