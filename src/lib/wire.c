// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"
#include "xalloc.h"

int wire_send(int fd, const json_t *message)
{
	char *text = json_dumps(message, JSON_COMPACT);
	size_t len, done = 0;
	int ret = 0;

	if (!text)
		return -ENOMEM;
	len = strlen(text);
	text = xrealloc(text, len + 2);
	text[len++] = '\n';
	while (done < len) {
		/* a peer that went away is an error to report, not a signal that kills the daemon */
		ssize_t n = send(fd, text + done, len - done, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		done += n;
	}
	free(text);
	return ret;
}

json_t *wire_recv(int fd)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = xzalloc(cap), *end = NULL;
	json_t *message = NULL;

	/* one message per connection and direction: nothing follows the newline */
	while (!end) {
		ssize_t n;

		if (cap - len < 4096)
			buf = xrealloc(buf, cap *= 2);
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		end = memchr(buf + len, '\n', n);
		len += n;
	}
	if (end)
		message = json_loadb(buf, end - buf, 0, NULL);
	free(buf);
	return message;
}
