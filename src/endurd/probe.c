// SPDX-License-Identifier: GPL-2.0-only
/* The start-up probe: endurd makes each decided operation happen in its own process and reads
 * whether the program of the operation saw it. A program that attached but never runs (BPF LSM
 * without bpf in the active LSM list) is found out here. Operations on names are made in a
 * directory of endurd's own, removed once probed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/bpf.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
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

/* Operations on names happen in @dir, on "@dir/probe" and "@dir/probe.to", which are removed
 * after. The changes of a file are made on one made for them. */
struct names {
	char *path, *to;
};

static int make_file(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* @change(names) in @dir, on a file made for it when @file; 0 when every step worked. */
static int on_names(const char *dir, bool file, int (*change)(const struct names *names))
{
	struct names names;
	int ret;

	if (!dir)
		return -1;
	names.path = xasprintf("%s/probe", dir);
	names.to = xasprintf("%s/probe.to", dir);
	ret = file && make_file(names.path) < 0 ? -1 : change(&names);
	remove(names.path);
	remove(names.to);
	free(names.path);
	free(names.to);
	return ret;
}

static int truncate_file(const struct names *n) { return truncate(n->path, 0); }
static int unlink_file(const struct names *n) { return unlink(n->path); }
static int rename_file(const struct names *n) { return rename(n->path, n->to); }
static int link_file(const struct names *n) { return link(n->path, n->to); }
static int chmod_file(const struct names *n) { return chmod(n->path, 0600); }
/* owner and group -1: nothing changes, and the hook runs all the same */
static int chown_file(const struct names *n) { return chown(n->path, (uid_t)-1, (gid_t)-1); }
static int create_file(const struct names *n) { return make_file(n->path); }
static int make_directory(const struct names *n) { return mkdir(n->path, 0700); }
static int remove_directory(const struct names *n)
{
	return mkdir(n->path, 0700) == 0 ? rmdir(n->path) : -1;
}
static int make_symlink(const struct names *n) { return symlink("target", n->path); }

static int ftruncate_file(const struct names *n)
{
	int fd = open(n->path, O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = ftruncate(fd, 0);
	close(fd);
	return ret;
}
static int touch_file(const struct names *n) { return utimensat(AT_FDCWD, n->path, NULL, 0); }

/* A trusted attribute: every file system with extended attributes keeps those, tmpfs before
 * 6.6 no user ones; the hook runs before the file system is asked, so one without any still
 * shows the program at work. */
#define PROBE_XATTR "trusted.endurd-probe"

static int set_xattr(const struct names *n)
{
	return setxattr(n->path, PROBE_XATTR, "", 0, 0) == 0 || errno == EOPNOTSUPP ? 0 : -1;
}
static int remove_xattr(const struct names *n)
{
	return removexattr(n->path, PROBE_XATTR) == 0 || errno == ENODATA ||
	       errno == EOPNOTSUPP ? 0 : -1;
}

/* The access ACL a mode of 0600 means, in the kernel's format (posix_acl_xattr.h): owner rw-,
 * group and others nothing. Kernels from 6.2, which have hooks of their own for ACLs, call them
 * before they ask the file system, as for other attributes. */
static int set_acl(const struct names *n)
{
	static const unsigned char acl[] = {
		2, 0, 0, 0,				/* version */
		0x01, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,	/* user_obj rw- */
		0x04, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,	/* group_obj --- */
		0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,	/* other --- */
	};

	return setxattr(n->path, "system.posix_acl_access", acl, sizeof(acl), 0) == 0 ||
	       errno == EOPNOTSUPP ? 0 : -1;
}
static int remove_acl(const struct names *n)
{
	return removexattr(n->path, "system.posix_acl_access") == 0 || errno == ENODATA ||
	       errno == EOPNOTSUPP ? 0 : -1;
}

static int trigger_truncate(const char *dir) { return on_names(dir, true, truncate_file); }
static int trigger_ftruncate(const char *dir) { return on_names(dir, true, ftruncate_file); }
static int trigger_utimes(const char *dir) { return on_names(dir, true, touch_file); }
static int trigger_setxattr(const char *dir) { return on_names(dir, true, set_xattr); }
static int trigger_removexattr(const char *dir) { return on_names(dir, true, remove_xattr); }
static int trigger_set_acl(const char *dir) { return on_names(dir, true, set_acl); }
static int trigger_remove_acl(const char *dir) { return on_names(dir, true, remove_acl); }
static int trigger_unlink(const char *dir) { return on_names(dir, true, unlink_file); }
static int trigger_rmdir(const char *dir) { return on_names(dir, false, remove_directory); }
static int trigger_rename(const char *dir) { return on_names(dir, true, rename_file); }
static int trigger_create(const char *dir) { return on_names(dir, false, create_file); }
static int trigger_mkdir(const char *dir) { return on_names(dir, false, make_directory); }
static int trigger_symlink(const char *dir) { return on_names(dir, false, make_symlink); }
static int trigger_link(const char *dir) { return on_names(dir, true, link_file); }
static int trigger_chmod(const char *dir) { return on_names(dir, true, chmod_file); }
static int trigger_chown(const char *dir) { return on_names(dir, true, chown_file); }

/* A remount of a directory that is no mount: refused with EINVAL after the hook ran, and
 * nothing is mounted. */
static int trigger_mount(const char *dir)
{
	if (!dir || mount(NULL, dir, NULL, MS_REMOUNT, NULL) == 0)
		return -1;
	return errno == EINVAL ? 0 : -1;
}

/* A move of a directory that is no mount: refused with EINVAL after the hook ran. */
static int trigger_move_mount(const char *dir)
{
	if (!dir || syscall(SYS_move_mount, AT_FDCWD, dir, AT_FDCWD, dir, 0) == 0)
		return -1;
	return errno == EINVAL ? 0 : -1;
}

/* A page of endurd's own executable mapped with @prot; MAP_FAILED when it cannot be. */
static void *map_own_executable(int prot)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	void *page;

	if (fd < 0)
		return MAP_FAILED;
	page = mmap(NULL, 1, prot, MAP_PRIVATE, fd, 0);
	close(fd);
	return page;
}

/* Mapped executable, the way ld.so maps a program it is given. */
static int trigger_mmap(const char *dir)
{
	void *page = map_own_executable(PROT_READ | PROT_EXEC);

	(void)dir;
	return page == MAP_FAILED ? -1 : munmap(page, 1);
}

/* Mapped for reading, then made executable. */
static int trigger_mprotect(const char *dir)
{
	void *page = map_own_executable(PROT_READ);
	int ret;

	(void)dir;
	if (page == MAP_FAILED)
		return -1;
	ret = mprotect(page, 1, PROT_READ | PROT_EXEC);
	munmap(page, 1);
	return ret;
}

/* chroot(2) to the root it has: CAP_SYS_CHROOT is checked, and nothing changes. */
static int trigger_capable(const char *dir)
{
	(void)dir;
	return chroot("/");
}

/* A question about the loaded BPF maps, which changes nothing. */
static int trigger_bpf(const char *dir)
{
	union bpf_attr attr = { .start_id = 0 };

	(void)dir;
	return syscall(SYS_bpf, BPF_MAP_GET_NEXT_ID, &attr, sizeof(attr)) == 0 || errno == ENOENT ?
	       0 : -1;
}

/* Module loads that cannot succeed, each refused by the kernel after the hook ran: endurd's own
 * executable, which is no module, from a file and from memory (an image too short to be one),
 * and a file system type no module provides, which the kernel asks modprobe for. */
static int trigger_finit_module(const char *dir)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	(void)dir;
	if (fd < 0)
		return -1;
	syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return 0;
}

static int trigger_init_module(const char *dir)
{
	static const char image[64];

	(void)dir;
	syscall(SYS_init_module, image, sizeof(image), "");
	return 0;
}

static int trigger_request_module(const char *dir)
{
	if (!dir)
		return -1;
	mount("endurd-probe", dir, "endurd-probe", MS_RDONLY, NULL);
	return 0;
}

/* Signal 0 to endurd itself: whether it exists, nothing sent. */
static int trigger_signal(const char *dir)
{
	(void)dir;
	return kill(getpid(), 0);
}

/* A byte written to a pipe whose reading end endurd owns for I/O signals: SIGIO, ignored while
 * the write sends it. */
static int trigger_sigio(const char *dir)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old;
	int fds[2], ret = -1;

	(void)dir;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (sigaction(SIGIO, &ignore, &old) == 0) {
		if (fcntl(fds[0], F_SETOWN, getpid()) == 0 &&
		    fcntl(fds[0], F_SETFL, O_ASYNC | O_NONBLOCK) == 0 && write(fds[1], "", 1) == 1)
			ret = 0;
		sigaction(SIGIO, &old, NULL);
	}
	close(fds[0]);
	close(fds[1]);
	return ret;
}

static int (*const triggers[ENDURA_OP_COUNT])(const char *dir) = {
	[ENDURA_OP_EXEC] = trigger_exec,
	[ENDURA_OP_OPEN] = trigger_open,
	[ENDURA_OP_TRUNCATE] = trigger_truncate,
	[ENDURA_OP_UNLINK] = trigger_unlink,
	[ENDURA_OP_RMDIR] = trigger_rmdir,
	[ENDURA_OP_RENAME] = trigger_rename,
	[ENDURA_OP_CREATE] = trigger_create,
	[ENDURA_OP_MKDIR] = trigger_mkdir,
	[ENDURA_OP_SYMLINK] = trigger_symlink,
	[ENDURA_OP_LINK] = trigger_link,
	[ENDURA_OP_CHMOD] = trigger_chmod,
	[ENDURA_OP_CHOWN] = trigger_chown,
	[ENDURA_OP_MOUNT] = trigger_mount,
	[ENDURA_OP_MOVE_MOUNT] = trigger_move_mount,
	[ENDURA_OP_FTRUNCATE] = trigger_ftruncate,
	[ENDURA_OP_UTIMES] = trigger_utimes,
	[ENDURA_OP_SETXATTR] = trigger_setxattr,
	[ENDURA_OP_REMOVEXATTR] = trigger_removexattr,
	[ENDURA_OP_SET_ACL] = trigger_set_acl,
	[ENDURA_OP_REMOVE_ACL] = trigger_remove_acl,
	[ENDURA_OP_MMAP] = trigger_mmap,
	[ENDURA_OP_MPROTECT] = trigger_mprotect,
	[ENDURA_OP_CAPABLE] = trigger_capable,
	[ENDURA_OP_BPF] = trigger_bpf,
	[ENDURA_OP_FINIT_MODULE] = trigger_finit_module,
	[ENDURA_OP_INIT_MODULE] = trigger_init_module,
	[ENDURA_OP_REQUEST_MODULE] = trigger_request_module,
	[ENDURA_OP_SIGNAL] = trigger_signal,
	[ENDURA_OP_SIGIO] = trigger_sigio,
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
