/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probe: the one program the VM test cases use to try an operation and see what the kernel said.
 * Built static, so a copy under any name runs anywhere in the guest ("different executables").
 *
 *   probe [--uid N] open PATH r|w|rw     open with O_RDONLY, O_WRONLY or O_RDWR; print OK or the errno
 *   probe [--uid N] exec PATH [ARG...]   fork and execve PATH; print OK if the exec happened, or the errno
 *   probe [--uid N] loop PATH COUNT      open PATH O_WRONLY COUNT times; print "OK=n EPERM=n ..."
 *   probe truncate PATH                  truncate(2) PATH to 0 bytes; print OK or the errno
 *   probe ftruncate FD                   ftruncate(2) the inherited descriptor FD to 0 bytes
 *   probe utimes PATH                    utimensat(2) PATH's times to now
 *   probe setxattr PATH NAME VALUE       setxattr(2); getxattr PATH NAME prints the value or errno
 *   probe removexattr PATH NAME          removexattr(2)
 *   probe futimes PATH / fsetxattr PATH NAME VALUE
 *                                        the same through a descriptor opened O_RDONLY
 *   probe setfacl PATH / removefacl PATH set the access ACL user::rw-,user:1000:r--,group::r--,
 *                                        mask::r--,other::r--, or remove it (system.posix_acl_access)
 *   probe unlink PATH / rmdir PATH       unlink(2) or rmdir(2) PATH; print OK or the errno
 *   probe rename OLD NEW                 rename(2) OLD to NEW; print OK or the errno
 *   probe exchange A B                   renameat2(2) RENAME_EXCHANGE of A and B
 *   probe create PATH                    open(2) O_CREAT|O_EXCL a new file, and close it
 *   probe mkdir PATH / mkfifo PATH       mkdir(2), or mknod(2) of a FIFO
 *   probe symlink TARGET PATH            symlink(2) PATH to TARGET
 *   probe link OLD NEW                   link(2) NEW to OLD
 *   probe chmod PATH MODE                chmod(2), MODE in octal
 *   probe chown PATH UID GID             chown(2)
 *   probe mount PATH / umount PATH       mount(2) a tmpfs on PATH, or umount2(2) it
 *   probe move-mount FROM TO             open_tree(2) a clone of FROM, move_mount(2) it onto TO
 *   probe mmap PATH rx|r|implied         mmap(2) PATH's first page with PROT_READ|PROT_EXEC, with
 *                                        PROT_READ, or with PROT_READ under personality(2)
 *                                        READ_IMPLIES_EXEC, which makes it executable
 *   probe mprotect PATH                  mmap(2) PATH's first page with PROT_READ, then mprotect(2)
 *                                        it to PROT_READ|PROT_EXEC; print mprotect's result
 *   probe chroot PATH                    chroot(2) to PATH (chroot / is a check of CAP_SYS_CHROOT alone)
 *   probe finit-module [PATH]            finit_module(2) of PATH (no module: ENOEXEC), or of
 *                                        descriptor -1: EPERM without CAP_SYS_MODULE, EBADF with it
 *   probe finit-module-compressed PATH   the same with MODULE_INIT_COMPRESSED_FILE: the kernel
 *                                        decompresses (from 5.17; 7.x reads it under its own id)
 *   probe init-module                    init_module(2) of 64 zero bytes (no module: ENOEXEC)
 *   probe mount-type TYPE PATH           mount(2) a file system of TYPE on PATH: for a TYPE no
 *                                        module provides, the kernel asks modprobe (ENODEV)
 *   probe bind-tcp PORT                  bind(2) a TCP socket to 127.0.0.1:PORT (below 1024: a
 *                                        check of CAP_NET_BIND_SERVICE)
 *   probe bpf-prog-load / bpf-map-create bpf(2) BPF_PROG_LOAD of a socket filter that returns 0, or
 *                                        BPF_MAP_CREATE of an array of one entry; the result, and
 *                                        the descriptor closed
 *   probe uring OP ARG...                one request through io_uring(7), its result as above:
 *                                        create PATH, unlink PATH, rename OLD NEW, mkdir PATH,
 *                                        symlink TARGET PATH, link OLD NEW, setxattr PATH NAME VALUE
 *   probe kill PID SIG / tgkill PID SIG / sigqueue PID SIG / pidfd-kill PID SIG
 *                                        send signal number SIG to PID with kill(2), tgkill(2),
 *                                        sigqueue(3) or pidfd_send_signal(2)
 *   probe sigio PID SIG                  make PID the owner of a pipe for I/O signals of number
 *                                        SIG (fcntl F_SETOWN, F_SETSIG, O_ASYNC) and write to it:
 *                                        the kernel sends SIG without a kill(2), once; the write's
 *                                        result
 *   probe pause                          wait for a signal, forever (a process to send them to)
 *   probe nop                            do nothing, exit 0 (a harmless program to exec)
 *   probe bench-open PATH COUNT r|w      open PATH O_RDONLY or O_WRONLY and close it, COUNT times
 *   probe bench-exec PATH COUNT [ARG...] fork, execve PATH ARG... and wait for it, COUNT times
 *   probe bench-rename PATH COUNT        rename(2) PATH to PATH.to and back, COUNT renames in all
 *   probe bench-mmap PATH COUNT          mmap(2) PATH's first page PROT_READ|PROT_EXEC and munmap(2)
 *                                        it, COUNT times
 *   probe bench-chroot PATH COUNT        chroot(2) to PATH, COUNT times: a capability check each
 *   probe bench-bpf map_get_next_id COUNT
 *                                        bpf(2) BPF_MAP_GET_NEXT_ID, COUNT times
 *   probe bench-utimes PATH COUNT        utimensat(2) PATH's times to now, COUNT times
 *   probe bench-create PATH COUNT        make PATH with open(2) O_CREAT and unlink(2) it, COUNT times
 *   probe bpf-stats                      print "NAME RUN_TIME_NS RUN_COUNT" for each loaded BPF
 *                                        program (kernel.bpf_stats_enabled counts them)
 *
 * The result goes to stdout alone (an exec'd program's stdout is sent to stderr). Exit 0 whatever the
 * kernel answered, 1 when the probe itself could not work (fork, setresuid), 2 on a usage error.
 * The bench- commands print the CLOCK_MONOTONIC nanoseconds per operation (rounded) and exit 0, or
 * exit 1 at the first operation that fails (an errno, or an exec'd program that does not exit 0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/mount.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

extern char **environ;

#define E(x) { x, #x }
static const struct { int num; const char *name; } errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC), E(EBADF),
	E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV),
	E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ETXTBSY), E(EFBIG),
	E(ENOSPC), E(EROFS), E(EMLINK), E(ENAMETOOLONG), E(ENOSYS), E(ELOOP), E(EOPNOTSUPP),
	E(ECANCELED), E(EOVERFLOW), E(ESTALE), E(EDQUOT), E(ENODATA), E(ERANGE),
};

static const char *errno_name(int err)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].num == err)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: probe [--uid N] open PATH r|w|rw\n"
		"       probe [--uid N] exec PATH [ARG...]\n"
		"       probe [--uid N] loop PATH COUNT\n"
		"       probe truncate PATH | unlink PATH | rmdir PATH | rename OLD NEW\n"
		"       probe ftruncate FD | utimes PATH | setfacl PATH | removefacl PATH\n"
		"       probe setxattr PATH NAME VALUE | getxattr PATH NAME | removexattr PATH NAME\n"
		"       probe futimes PATH | fsetxattr PATH NAME VALUE\n"
		"       probe exchange A B | create PATH | mkdir PATH | mkfifo PATH\n"
		"       probe symlink TARGET PATH | link OLD NEW | chmod PATH MODE | chown PATH UID GID\n"
		"       probe mount PATH | umount PATH | move-mount FROM TO\n"
		"       probe mmap PATH rx|r|implied | mprotect PATH\n"
		"       probe chroot PATH | finit-module [PATH] | finit-module-compressed PATH\n"
		"       probe init-module | mount-type TYPE PATH\n"
		"       probe bind-tcp PORT | bpf-prog-load | bpf-map-create\n"
		"       probe uring create PATH | unlink PATH | rename OLD NEW | mkdir PATH\n"
		"       probe uring symlink TARGET PATH | link OLD NEW | setxattr PATH NAME VALUE\n"
		"       probe kill|tgkill|sigqueue|pidfd-kill PID SIG | sigio PID SIG | pause\n"
		"       probe nop\n"
		"       probe bench-open PATH COUNT r|w\n"
		"       probe bench-exec PATH COUNT [ARG...]\n"
		"       probe bench-rename PATH COUNT | bench-utimes PATH COUNT | bench-create PATH COUNT\n"
		"       probe bench-mmap PATH COUNT | bench-chroot PATH COUNT\n"
		"       probe bench-bpf map_get_next_id COUNT\n"
		"       probe bpf-stats\n");
	return 2;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && !errno && *out <= max ? 0 : -1;
}

static int open_flags(const char *mode)
{
	if (!strcmp(mode, "r"))
		return O_RDONLY;
	if (!strcmp(mode, "w"))
		return O_WRONLY;
	if (!strcmp(mode, "rw"))
		return O_RDWR;
	return -1;
}

static int do_open(const char *path, const char *mode)
{
	int flags = open_flags(mode);
	int fd;

	if (flags < 0)
		return usage();
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		puts(errno_name(errno));
		return 0;
	}
	close(fd);
	puts("OK");
	return 0;
}

/* The result of a system call that returns 0 or -1 with errno: OK or the errno's name. */
static int report(int ret)
{
	puts(ret == 0 ? "OK" : errno_name(errno));
	return 0;
}

static int do_create(const char *path)
{
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
	return report(fd < 0 ? -1 : 0);
}

static int do_chmod(const char *path, const char *mode)
{
	char *end;
	unsigned long bits = strtoul(mode, &end, 8);

	if (*end || bits > 07777)
		return usage();
	return report(chmod(path, (mode_t)bits));
}

static int do_chown(const char *path, const char *uid, const char *gid)
{
	unsigned long owner, group;

	if (parse_ulong(uid, (uid_t)-2, &owner) < 0 || parse_ulong(gid, (gid_t)-2, &group) < 0)
		return usage();
	return report(chown(path, (uid_t)owner, (gid_t)group));
}

static int do_ftruncate(const char *fd_arg)
{
	unsigned long fd;

	if (parse_ulong(fd_arg, INT_MAX, &fd) < 0)
		return usage();
	return report(ftruncate((int)fd, 0));
}

/* futimens(2) (@value NULL) or fsetxattr(2) through a descriptor opened for reading only. */
static int on_read_descriptor(const char *path, const char *name, const char *value)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return report(-1);
	ret = value ? fsetxattr(fd, name, value, strlen(value), 0) : futimens(fd, NULL);
	report(ret);
	close(fd);
	return 0;
}

/* A page of @path mapped with @prot, after @persona is set; MAP_FAILED with errno set when not. */
static void *map_page(const char *path, int prot, unsigned long persona)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *page;

	if (fd < 0)
		return MAP_FAILED;
	if (persona && personality(persona) < 0) {
		close(fd);
		return MAP_FAILED;
	}
	page = mmap(NULL, 1, prot, MAP_PRIVATE, fd, 0);
	close(fd);
	return page;
}

static int do_mmap(const char *path, const char *mode)
{
	void *page;

	if (!strcmp(mode, "rx"))
		page = map_page(path, PROT_READ | PROT_EXEC, 0);
	else if (!strcmp(mode, "r"))
		page = map_page(path, PROT_READ, 0);
	else if (!strcmp(mode, "implied"))
		page = map_page(path, PROT_READ, READ_IMPLIES_EXEC);
	else
		return usage();
	return report(page == MAP_FAILED ? -1 : 0);
}

static int do_mprotect(const char *path)
{
	void *page = map_page(path, PROT_READ, 0);

	if (page == MAP_FAILED)
		return report(-1);
	return report(mprotect(page, 1, PROT_READ | PROT_EXEC));
}

/* A signal sent to a process in one of the ways a process can send it another. */
static int do_signal(const char *how, const char *pid_arg, const char *sig_arg)
{
	unsigned long pid, sig;
	int pidfd, ret;

	if (parse_ulong(pid_arg, INT_MAX, &pid) < 0 || parse_ulong(sig_arg, 64, &sig) < 0)
		return usage();
	if (!strcmp(how, "kill"))
		return report(kill((pid_t)pid, (int)sig));
	if (!strcmp(how, "tgkill"))
		return report((int)syscall(SYS_tgkill, (pid_t)pid, (pid_t)pid, (int)sig));
	if (!strcmp(how, "sigqueue"))
		return report(sigqueue((pid_t)pid, (int)sig, (union sigval){ .sival_int = 1 }));
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0)
		return report(-1);
	ret = (int)syscall(SYS_pidfd_send_signal, pidfd, (int)sig, NULL, 0);
	close(pidfd);
	return report(ret);
}

/* The kernel sends @sig_arg to @pid_arg for I/O on a pipe @pid_arg owns: the write's result. */
static int do_sigio(const char *pid_arg, const char *sig_arg)
{
	unsigned long pid, sig;
	int fds[2], ret;

	if (parse_ulong(pid_arg, INT_MAX, &pid) < 0 || parse_ulong(sig_arg, 64, &sig) < 0)
		return usage();
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0 || fcntl(fds[0], F_SETOWN, (int)pid) < 0 ||
	    fcntl(fds[0], F_SETSIG, (int)sig) < 0 || fcntl(fds[0], F_SETFL, O_ASYNC | O_NONBLOCK) < 0) {
		fprintf(stderr, "probe: sigio: %s\n", strerror(errno));
		return 1;
	}
	ret = write(fds[1], "", 1) == 1 ? 0 : -1;
	/* one signal: the close of the writing end would send another on some kernels (5.10) */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	return report(ret);
}

static int do_bind_tcp(const char *port_arg)
{
	struct sockaddr_in address = { .sin_family = AF_INET,
				       .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	unsigned long port;
	int fd, ret, one = 1;

	if (parse_ulong(port_arg, 65535, &port) < 0)
		return usage();
	address.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ret = bind(fd, (struct sockaddr *)&address, sizeof(address));
	report(ret);
	close(fd);
	return 0;
}

#define MODULE_INIT_COMPRESSED_FILE 4	/* linux/module.h from 5.17 */

static int do_finit_module(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return report(-1);
	report((int)syscall(SYS_finit_module, fd, "", flags));
	close(fd);
	return 0;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* bpf(2) with the command @cmd; before 5.11 a program or a map counts against RLIMIT_MEMLOCK,
 * which would fail the call with EPERM of its own. */
static long sys_bpf_unlimited(int cmd, union bpf_attr *attr)
{
	const struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	return sys_bpf(cmd, attr);
}

/* A descriptor bpf(2) made, reported and closed. */
static int report_bpf_fd(long fd)
{
	report(fd < 0 ? -1 : 0);
	if (fd >= 0)
		close((int)fd);
	return 0;
}

static int do_bpf_prog_load(void)
{
	static const struct bpf_insn return_zero[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr = {
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.insns = (unsigned long)return_zero,
		.insn_cnt = 2,
		.license = (unsigned long)"GPL",
	};

	return report_bpf_fd(sys_bpf_unlimited(BPF_PROG_LOAD, &attr));
}

static int do_bpf_map_create(void)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1,
	};

	return report_bpf_fd(sys_bpf_unlimited(BPF_MAP_CREATE, &attr));
}

static int next_map_id(const char *unused)
{
	union bpf_attr attr = { .start_id = 0 };

	(void)unused;
	return sys_bpf(BPF_MAP_GET_NEXT_ID, &attr) < 0 && errno != ENOENT ? -1 : 0;
}

static int do_getxattr(const char *path, const char *name)
{
	char value[256];
	ssize_t size = getxattr(path, name, value, sizeof(value) - 1);

	if (size < 0)
		return report(-1);
	value[size] = '\0';
	puts(value);
	return 0;
}

/* An access ACL in the kernel's format (linux/posix_acl_xattr.h), entries sorted by tag and id,
 * with a named user: kept as an ACL, not folded into the mode. */
static int do_setfacl(const char *path)
{
	static const unsigned char acl[] = {
		2, 0, 0, 0,					/* version */
		0x01, 0, 6, 0, 0xff, 0xff, 0xff, 0xff,		/* user::rw- */
		0x02, 0, 4, 0, 0xe8, 0x03, 0, 0,		/* user:1000:r-- */
		0x04, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,		/* group::r-- */
		0x10, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,		/* mask::r-- */
		0x20, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,		/* other::r-- */
	};

	return report(setxattr(path, "system.posix_acl_access", acl, sizeof(acl), 0));
}

/* The new mount API: a detached clone of FROM's tree, attached on TO. */
static int do_move_mount(const char *from, const char *to)
{
	int tree = (int)syscall(SYS_open_tree, AT_FDCWD, from, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	int ret;

	if (tree < 0)
		return report(-1);
	ret = (int)syscall(SYS_move_mount, tree, "", AT_FDCWD, to, MOVE_MOUNT_F_EMPTY_PATH);
	report(ret);
	close(tree);
	return 0;
}

/* One request submitted to a ring of one entry, and its result reported. The rings are mapped
 * the way io_uring_setup(2) describes; no liburing, so that the probe stays one static file. */
static int uring_submit(const struct io_uring_sqe *request)
{
	struct io_uring_params params = { 0 };
	int fd = (int)syscall(SYS_io_uring_setup, 1, &params), ret;
	size_t sq_size, cq_size, size;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	unsigned int *tail, head;
	char *sq, *cq;

	if (fd < 0)
		return report(-1);
	sq_size = params.sq_off.array + params.sq_entries * sizeof(unsigned int);
	cq_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
	size = sq_size > cq_size ? sq_size : cq_size;
	sq = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		  IORING_OFF_SQ_RING);
	cq = !(params.features & IORING_FEAT_SINGLE_MMAP) && sq != MAP_FAILED ?
		mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		     IORING_OFF_CQ_RING) : sq;
	sqes = mmap(NULL, params.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
		perror("probe: mmap of the io_uring rings");
		return 1;
	}
	sqes[0] = *request;
	((unsigned int *)(sq + params.sq_off.array))[0] = 0;
	tail = (unsigned int *)(sq + params.sq_off.tail);
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	ret = (int)syscall(SYS_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	if (ret < 0)
		return report(-1);
	head = __atomic_load_n((unsigned int *)(cq + params.cq_off.head), __ATOMIC_ACQUIRE);
	cqes = (struct io_uring_cqe *)(cq + params.cq_off.cqes);
	ret = cqes[head & *(unsigned int *)(cq + params.cq_off.ring_mask)].res;
	if (ret >= 0 && request->opcode == IORING_OP_OPENAT)
		close(ret);
	close(fd);
	errno = -ret;
	return report(ret < 0 ? -1 : 0);
}

static int do_uring(int argc, char **argv)
{
	struct io_uring_sqe request = { .fd = AT_FDCWD };

	if (argc == 2 && !strcmp(argv[0], "create")) {
		request.opcode = IORING_OP_OPENAT;
		request.open_flags = O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC;
		request.len = 0644;
	} else if (argc == 2 && !strcmp(argv[0], "unlink")) {
		request.opcode = IORING_OP_UNLINKAT;
	} else if (argc == 3 && !strcmp(argv[0], "rename")) {
		request.opcode = IORING_OP_RENAMEAT;
		request.len = (unsigned int)AT_FDCWD;
	} else if (argc == 2 && !strcmp(argv[0], "mkdir")) {
		request.opcode = IORING_OP_MKDIRAT;
		request.len = 0755;
	} else if (argc == 3 && !strcmp(argv[0], "symlink")) {
		request.opcode = IORING_OP_SYMLINKAT;
	} else if (argc == 3 && !strcmp(argv[0], "link")) {
		request.opcode = IORING_OP_LINKAT;
		request.len = (unsigned int)AT_FDCWD;
	} else if (argc == 4 && !strcmp(argv[0], "setxattr")) {
		request.opcode = IORING_OP_SETXATTR;
		request.addr = (unsigned long)argv[2];
		request.addr2 = (unsigned long)argv[3];
		request.addr3 = (unsigned long)argv[1];
		request.len = (unsigned int)strlen(argv[3]);
		return uring_submit(&request);
	} else {
		return usage();
	}
	request.addr = (unsigned long)argv[1];
	if (argc == 3)
		request.addr2 = (unsigned long)argv[2];
	return uring_submit(&request);
}

/* The child reports a failed execve through a close-on-exec pipe: EOF without data means it ran. */
static int do_exec(char **argv)
{
	int pipefd[2], err = 0, status;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		perror("probe: pipe2");
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("probe: fork");
		return 1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execve(argv[0], argv, environ);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	do
		n = read(pipefd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	puts(n == sizeof(err) ? errno_name(err) : "OK");
	return 0;
}

static int do_loop(const char *path, const char *count_arg)
{
	unsigned long count, ok = 0, i;
	struct { int err; unsigned long n; } seen[16];
	size_t nseen = 0, j;
	int fd;

	if (parse_ulong(count_arg, ULONG_MAX, &count) < 0)
		return usage();
	for (i = 0; i < count; i++) {
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd >= 0) {
			close(fd);
			ok++;
			continue;
		}
		for (j = 0; j < nseen && seen[j].err != errno; j++)
			;
		if (j == nseen) {
			if (nseen == sizeof(seen) / sizeof(seen[0]))
				j--;	/* more distinct errnos than slots: lump the rest into the last */
			else
				seen[nseen++] = (typeof(seen[0])){ errno, 0 };
		}
		seen[j].n++;
	}
	printf("OK=%lu", ok);
	for (j = 0; j < nseen; j++)
		printf(" %s=%lu", errno_name(seen[j].err), seen[j].n);
	putchar('\n');
	return 0;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void print_per_op(unsigned long long start, unsigned long count)
{
	printf("%llu\n", (now_ns() - start + count / 2) / count);
}

static int bench_open(const char *path, const char *count_arg, const char *mode)
{
	int flags = open_flags(mode);
	unsigned long count, i;
	unsigned long long start;
	int fd;

	if (parse_ulong(count_arg, ULONG_MAX, &count) < 0 || !count || flags < 0)
		return usage();
	start = now_ns();
	for (i = 0; i < count; i++) {
		fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		if (fd < 0 || close(fd) < 0) {
			fprintf(stderr, "probe: bench-open %s: operation %lu: %s\n", path, i + 1,
				errno_name(errno));
			return 1;
		}
	}
	print_per_op(start, count);
	return 0;
}

/* @op on @path COUNT times, timed; the first failure ends the loop. */
static int bench_loop(const char *name, const char *path, const char *count_arg,
		      int (*op)(const char *path))
{
	unsigned long count, i;
	unsigned long long start;

	if (parse_ulong(count_arg, ULONG_MAX, &count) < 0 || !count)
		return usage();
	start = now_ns();
	for (i = 0; i < count; i++) {
		if (op(path)) {
			fprintf(stderr, "probe: bench-%s %s: operation %lu: %s\n", name, path, i + 1,
				errno_name(errno));
			return 1;
		}
	}
	print_per_op(start, count);
	return 0;
}

static int touch_now(const char *path)
{
	return utimensat(AT_FDCWD, path, NULL, 0);
}

static int bench_mmap(const char *path, const char *count_arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned long count, i;
	unsigned long long start;
	void *page;

	if (parse_ulong(count_arg, ULONG_MAX, &count) < 0 || !count)
		return usage();
	if (fd < 0) {
		fprintf(stderr, "probe: bench-mmap %s: %s\n", path, errno_name(errno));
		return 1;
	}
	start = now_ns();
	for (i = 0; i < count; i++) {
		page = mmap(NULL, 1, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (page == MAP_FAILED) {
			fprintf(stderr, "probe: bench-mmap %s: operation %lu: %s\n", path, i + 1,
				errno_name(errno));
			return 1;
		}
		munmap(page, 1);
	}
	print_per_op(start, count);
	close(fd);
	return 0;
}

static int bench_create(const char *path, const char *count_arg)
{
	unsigned long count, i;
	unsigned long long start;
	int fd;

	if (parse_ulong(count_arg, ULONG_MAX, &count) < 0 || !count)
		return usage();
	start = now_ns();
	for (i = 0; i < count; i++) {
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
		if (fd < 0 || close(fd) || unlink(path)) {
			fprintf(stderr, "probe: bench-create %s: operation %lu: %s\n", path, i + 1,
				errno_name(errno));
			return 1;
		}
	}
	print_per_op(start, count);
	return 0;
}

static int bench_rename(const char *path, const char *count_arg)
{
	char to[PATH_MAX];
	unsigned long count, i;
	unsigned long long start;

	if (parse_ulong(count_arg, ULONG_MAX, &count) < 0 || !count ||
	    snprintf(to, sizeof(to), "%s.to", path) >= (int)sizeof(to))
		return usage();
	start = now_ns();
	for (i = 0; i < count; i++) {
		if (i % 2 ? rename(to, path) : rename(path, to)) {
			fprintf(stderr, "probe: bench-rename %s: operation %lu: %s\n", path, i + 1,
				errno_name(errno));
			return 1;
		}
	}
	print_per_op(start, count);
	if (count % 2 && rename(to, path)) {
		fprintf(stderr, "probe: bench-rename %s: back: %s\n", path, errno_name(errno));
		return 1;
	}
	return 0;
}

static int bench_exec(char *path, const char *count_arg, char **args)
{
	unsigned long count, i;
	unsigned long long start;
	int status;
	pid_t pid;

	if (parse_ulong(count_arg, ULONG_MAX, &count) < 0 || !count)
		return usage();
	args[-1] = path;	/* the program's argv: PATH ARG... (COUNT, parsed, makes room) */
	start = now_ns();
	for (i = 0; i < count; i++) {
		pid = fork();
		if (pid < 0) {
			perror("probe: fork");
			return 1;
		}
		if (pid == 0) {
			execve(path, args - 1, environ);
			fprintf(stderr, "probe: bench-exec: execve %s: %s\n", path, errno_name(errno));
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("probe: waitpid");
				return 1;
			}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "probe: bench-exec %s: operation %lu: %s %d\n", path, i + 1,
				WIFEXITED(status) ? "exit status" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			return 1;
		}
	}
	print_per_op(start, count);
	return 0;
}

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* The time the kernel has spent in each loaded program and its runs, as bpftool prog shows them:
 * the guest has no bpftool. */
static int bpf_stats(void)
{
	union bpf_attr attr;
	__u32 id = 0;

	for (;;) {
		struct bpf_prog_info info;
		int fd;

		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
		if (bpf(BPF_PROG_GET_NEXT_ID, &attr) < 0)
			return errno == ENOENT ? 0 : (perror("probe: BPF_PROG_GET_NEXT_ID"), 1);
		id = attr.next_id;
		memset(&attr, 0, sizeof(attr));
		attr.prog_id = id;
		fd = bpf(BPF_PROG_GET_FD_BY_ID, &attr);
		if (fd < 0)
			continue;	/* unloaded meanwhile */
		memset(&info, 0, sizeof(info));
		memset(&attr, 0, sizeof(attr));
		attr.info.bpf_fd = fd;
		attr.info.info_len = sizeof(info);
		attr.info.info = (__u64)(unsigned long)&info;
		if (bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) < 0) {
			perror("probe: BPF_OBJ_GET_INFO_BY_FD");
			close(fd);
			return 1;
		}
		close(fd);
		printf("%s %llu %llu\n", info.name, (unsigned long long)info.run_time_ns,
		       (unsigned long long)info.run_cnt);
	}
}

int main(int argc, char **argv)
{
	unsigned long uid;

	argv++, argc--;
	if (argc >= 2 && !strcmp(argv[0], "--uid")) {
		if (parse_ulong(argv[1], (uid_t)-2, &uid) < 0)
			return usage();
		if (setresuid(uid, uid, uid) < 0) {
			fprintf(stderr, "probe: setresuid %lu: %s\n", uid, strerror(errno));
			return 1;
		}
		argv += 2, argc -= 2;
	}
	if (argc == 1 && !strcmp(argv[0], "nop"))
		return 0;
	if (argc == 1 && !strcmp(argv[0], "pause"))
		for (;;)
			pause();
	if (argc == 3 && (!strcmp(argv[0], "kill") || !strcmp(argv[0], "tgkill") ||
			  !strcmp(argv[0], "sigqueue") || !strcmp(argv[0], "pidfd-kill")))
		return do_signal(argv[0], argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "sigio"))
		return do_sigio(argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "open"))
		return do_open(argv[1], argv[2]);
	if (argc >= 2 && !strcmp(argv[0], "exec"))
		return do_exec(argv + 1);
	if (argc == 2 && !strcmp(argv[0], "truncate"))
		return report(truncate(argv[1], 0));
	if (argc == 2 && !strcmp(argv[0], "ftruncate"))
		return do_ftruncate(argv[1]);
	if (argc == 2 && !strcmp(argv[0], "utimes"))
		return report(utimensat(AT_FDCWD, argv[1], NULL, 0));
	if (argc == 4 && !strcmp(argv[0], "setxattr"))
		return report(setxattr(argv[1], argv[2], argv[3], strlen(argv[3]), 0));
	if (argc == 3 && !strcmp(argv[0], "getxattr"))
		return do_getxattr(argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "removexattr"))
		return report(removexattr(argv[1], argv[2]));
	if (argc == 2 && !strcmp(argv[0], "futimes"))
		return on_read_descriptor(argv[1], NULL, NULL);
	if (argc == 4 && !strcmp(argv[0], "fsetxattr"))
		return on_read_descriptor(argv[1], argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[0], "setfacl"))
		return do_setfacl(argv[1]);
	if (argc == 2 && !strcmp(argv[0], "removefacl"))
		return report(removexattr(argv[1], "system.posix_acl_access"));
	if (argc == 2 && !strcmp(argv[0], "unlink"))
		return report(unlink(argv[1]));
	if (argc == 2 && !strcmp(argv[0], "rmdir"))
		return report(rmdir(argv[1]));
	if (argc == 3 && !strcmp(argv[0], "rename"))
		return report(rename(argv[1], argv[2]));
	if (argc == 3 && !strcmp(argv[0], "exchange"))
		return report(renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE));
	if (argc == 2 && !strcmp(argv[0], "create"))
		return do_create(argv[1]);
	if (argc == 2 && !strcmp(argv[0], "mkdir"))
		return report(mkdir(argv[1], 0755));
	if (argc == 2 && !strcmp(argv[0], "mkfifo"))
		return report(mknod(argv[1], S_IFIFO | 0644, 0));
	if (argc == 3 && !strcmp(argv[0], "symlink"))
		return report(symlink(argv[1], argv[2]));
	if (argc == 3 && !strcmp(argv[0], "link"))
		return report(link(argv[1], argv[2]));
	if (argc == 3 && !strcmp(argv[0], "chmod"))
		return do_chmod(argv[1], argv[2]);
	if (argc == 4 && !strcmp(argv[0], "chown"))
		return do_chown(argv[1], argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[0], "mount"))
		return report(mount("endura-test", argv[1], "tmpfs", MS_NOSUID | MS_NODEV, "size=64k"));
	if (argc == 2 && !strcmp(argv[0], "umount"))
		return report(umount2(argv[1], 0));
	if (argc == 3 && !strcmp(argv[0], "move-mount"))
		return do_move_mount(argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "mmap"))
		return do_mmap(argv[1], argv[2]);
	if (argc == 2 && !strcmp(argv[0], "mprotect"))
		return do_mprotect(argv[1]);
	if (argc == 2 && !strcmp(argv[0], "chroot"))
		return report(chroot(argv[1]));
	if (argc == 1 && !strcmp(argv[0], "finit-module"))
		return report((int)syscall(SYS_finit_module, -1, "", 0));
	if (argc == 2 && !strcmp(argv[0], "finit-module"))
		return do_finit_module(argv[1], 0);
	if (argc == 2 && !strcmp(argv[0], "finit-module-compressed"))
		return do_finit_module(argv[1], MODULE_INIT_COMPRESSED_FILE);
	if (argc == 1 && !strcmp(argv[0], "init-module")) {
		static const char image[64];

		return report((int)syscall(SYS_init_module, image, sizeof(image), ""));
	}
	if (argc == 3 && !strcmp(argv[0], "mount-type"))
		return report(mount("endura-test", argv[2], argv[1], MS_RDONLY, NULL));
	if (argc == 2 && !strcmp(argv[0], "bind-tcp"))
		return do_bind_tcp(argv[1]);
	if (argc == 1 && !strcmp(argv[0], "bpf-prog-load"))
		return do_bpf_prog_load();
	if (argc == 1 && !strcmp(argv[0], "bpf-map-create"))
		return do_bpf_map_create();
	if (argc >= 2 && !strcmp(argv[0], "uring"))
		return do_uring(argc - 1, argv + 1);
	if (argc == 3 && !strcmp(argv[0], "loop"))
		return do_loop(argv[1], argv[2]);
	if (argc == 4 && !strcmp(argv[0], "bench-open"))
		return bench_open(argv[1], argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[0], "bench-rename"))
		return bench_rename(argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "bench-create"))
		return bench_create(argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "bench-bpf") && !strcmp(argv[1], "map_get_next_id"))
		return bench_loop("bpf", argv[1], argv[2], next_map_id);
	if (argc == 3 && !strcmp(argv[0], "bench-chroot"))
		return bench_loop("chroot", argv[1], argv[2], chroot);
	if (argc == 3 && !strcmp(argv[0], "bench-mmap"))
		return bench_mmap(argv[1], argv[2]);
	if (argc == 3 && !strcmp(argv[0], "bench-utimes"))
		return bench_loop("utimes", argv[1], argv[2], touch_now);
	if (argc >= 3 && !strcmp(argv[0], "bench-exec"))
		return bench_exec(argv[1], argv[2], argv + 3);
	if (argc == 1 && !strcmp(argv[0], "bpf-stats"))
		return bpf_stats();
	return usage();
}
