// SPDX-License-Identifier: GPL-2.0-only
/* endurctl monitor: clients that stay connected and receive every committed change and every
 * event as one JSON line. A client that cannot keep up is dropped, never waited for: reporting
 * must not slow down the daemon that serves the kernel's ring buffer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon.h"

int monitor_add(struct daemon *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLRDHUP | EPOLLIN, .data.fd = fd };

	if (d->nmonitors == MONITOR_MAX)
		return -1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	d->monitors[d->nmonitors++] = fd;
	return 0;
}

void monitor_drop(struct daemon *d, int fd)
{
	for (unsigned int i = 0; i < d->nmonitors; i++) {
		if (d->monitors[i] != fd)
			continue;
		epoll_ctl(d->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
		d->monitors[i] = d->monitors[--d->nmonitors];
		return;
	}
}

bool monitor_owns(const struct daemon *d, int fd)
{
	for (unsigned int i = 0; i < d->nmonitors; i++)
		if (d->monitors[i] == fd)
			return true;
	return false;
}

/* Sends {@key: @value} to every monitor; takes the reference to @value. */
void monitor_send(struct daemon *d, const char *key, json_t *value)
{
	json_t *message = json_pack("{s:o}", key, value);
	char *text;

	if (!message || !d->nmonitors) {
		json_decref(message);
		return;
	}
	text = json_dumps(message, JSON_COMPACT);
	json_decref(message);
	if (text)
		monitor_send_line(d, text);
	free(text);
}

void monitor_send_line(struct daemon *d, const char *text)
{
	size_t len = strlen(text);

	for (unsigned int i = d->nmonitors; i-- > 0;) {
		/* the newline goes with the line: a monitor never reads half a message */
		struct iovec iov[] = { { (void *)text, len }, { "\n", 1 } };
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
		ssize_t n = sendmsg(d->monitors[i], &msg, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n != (ssize_t)len + 1)
			monitor_drop(d, d->monitors[i]);
	}
}
