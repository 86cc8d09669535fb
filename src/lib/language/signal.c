// SPDX-License-Identifier: GPL-2.0-only
#include <signal.h>

#include "endura.h"
#include "named_values.h"

/* kill(1)'s names, in lower case, by this architecture's numbers: the kernel side sees the
 * number the sender gave. Signal 0 sends nothing, it asks whether the process exists; the
 * real-time signals, 32 to 64, are written by number. */
static const char *const names[] = {
	[SIGHUP] = "hup",	[SIGINT] = "int",	[SIGQUIT] = "quit",	[SIGILL] = "ill",
	[SIGTRAP] = "trap",	[SIGABRT] = "abrt",	[SIGBUS] = "bus",	[SIGFPE] = "fpe",
	[SIGKILL] = "kill",	[SIGUSR1] = "usr1",	[SIGSEGV] = "segv",	[SIGUSR2] = "usr2",
	[SIGPIPE] = "pipe",	[SIGALRM] = "alrm",	[SIGTERM] = "term",	[SIGSTKFLT] = "stkflt",
	[SIGCHLD] = "chld",	[SIGCONT] = "cont",	[SIGSTOP] = "stop",	[SIGTSTP] = "tstp",
	[SIGTTIN] = "ttin",	[SIGTTOU] = "ttou",	[SIGURG] = "urg",	[SIGXCPU] = "xcpu",
	[SIGXFSZ] = "xfsz",	[SIGVTALRM] = "vtalrm",	[SIGPROF] = "prof",	[SIGWINCH] = "winch",
	[SIGIO] = "io",		[SIGPWR] = "pwr",	[SIGSYS] = "sys",
};

_Static_assert(ENDURA_SIGNALS <= ENDURA_ACCESS_VALUES, "every signal is a value of the hook");

const struct named_values signals = {
	.names = names,
	.count = sizeof(names) / sizeof(names[0]),
	.what = "signal",
	.example = "a name of kill -l in lower case such as kill or term, or a number up to 64",
	.numbers = ENDURA_SIGNALS,
};
