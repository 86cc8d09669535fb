// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"
#include "xalloc.h"

/* Bytes gathered before a send: the entries of a large commit are many short lines. */
#define WIRE_CHUNK (64 * 1024)

struct wire_writer {
	int fd;
	int err;		/* the first error: what follows it is not sent */
	size_t len;
	char buf[WIRE_CHUNK];
};

static int send_all(int fd, const char *text, size_t len)
{
	size_t done = 0;

	while (done < len) {
		/* a peer that went away is an error to report, not a signal that kills the daemon */
		ssize_t n = send(fd, text + done, len - done, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += n;
	}
	return 0;
}

static int flush(struct wire_writer *w)
{
	if (!w->err)
		w->err = send_all(w->fd, w->buf, w->len);
	w->len = 0;
	return w->err;
}

/* json_dump_callback()'s output: -1 stops the dump */
static int put(const char *text, size_t size, void *data)
{
	struct wire_writer *w = data;

	if (w->len + size > sizeof(w->buf) && flush(w) < 0)
		return -1;
	if (size > sizeof(w->buf)) {
		w->err = send_all(w->fd, text, size);
		return w->err ? -1 : 0;
	}
	memcpy(w->buf + w->len, text, size);
	w->len += size;
	return 0;
}

struct wire_writer *wire_writer_open(int fd)
{
	struct wire_writer *w = xzalloc(sizeof(*w));

	w->fd = fd;
	return w;
}

void wire_writer_put(struct wire_writer *w, const json_t *message)
{
	if (w->err)
		return;
	if ((json_dump_callback(message, put, w, JSON_COMPACT) < 0 || put("\n", 1, w) < 0) &&
	    !w->err)
		w->err = -ENOMEM;
}

int wire_writer_close(struct wire_writer *w)
{
	int err = flush(w);

	free(w);
	return err;
}

int wire_send(int fd, const json_t *message)
{
	struct wire_writer *w = wire_writer_open(fd);

	wire_writer_put(w, message);
	return wire_writer_close(w);
}

int wire_send_entries(int fd, json_t *header, const json_t *entries)
{
	struct wire_writer *w = wire_writer_open(fd);
	const json_t *entry;
	size_t i;

	json_object_set_new(header, "entries", json_integer((json_int_t)json_array_size(entries)));
	wire_writer_put(w, header);
	json_array_foreach(entries, i, entry)
		wire_writer_put(w, entry);
	return wire_writer_close(w);
}

static void put_entry(json_t *entry, void *writer)
{
	wire_writer_put(writer, entry);
	json_decref(entry);
}

int wire_send_ruleset(int fd, json_t *reply, const struct ruleset *ruleset, unsigned int flags)
{
	struct wire_writer *w = wire_writer_open(fd);

	json_object_set_new(reply, "entries",
			    json_integer((json_int_t)json_export_ruleset_size(ruleset)));
	wire_writer_put(w, reply);
	json_export_ruleset_each(ruleset, flags, put_entry, w);
	return wire_writer_close(w);
}

void wire_reader_init(struct wire_reader *reader, int fd)
{
	*reader = (struct wire_reader){ .fd = fd, .cap = 1 << 16 };
	reader->buf = xzalloc(reader->cap);
}

void wire_reader_free(struct wire_reader *reader)
{
	free(reader->buf);
	reader->buf = NULL;
}

/* Reads what the peer sent next into the buffer, after what it holds from @r->start on. Returns
 * 0 at the end of the stream or on an error. */
static int wire_fill(struct wire_reader *r)
{
	for (;;) {
		size_t held = r->len - r->start;
		ssize_t n;

		/* lines already read make room first, then the buffer grows */
		if (r->start) {
			memmove(r->buf, r->buf + r->start, held);
			r->len = held;
			r->start = 0;
		}
		if (r->cap - r->len < 4096)
			r->buf = xrealloc(r->buf, r->cap *= 2);
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		r->len += n;
		return 1;
	}
}

char *wire_read_line(struct wire_reader *r, size_t *len)
{
	size_t scanned = 0;
	char *line, *end;

	while (!(end = memchr(r->buf + r->start + scanned, '\n', r->len - r->start - scanned))) {
		scanned = r->len - r->start;
		if (!wire_fill(r))
			return NULL;
	}
	*end = '\0';
	line = r->buf + r->start;
	*len = end - line;
	r->start = end - r->buf + 1;
	return line;
}

/* The line being decoded: its bytes go to the decoder as they arrive, so that a long line is
 * decoded while the peer is still sending it, and never past its newline. */
struct line_feed {
	struct wire_reader *reader;
	size_t fed;		/* bytes of the line given to the decoder */
	bool ended;		/* its newline was reached */
};

/* json_load_callback()'s source: returns 0 at the newline, as at the end of a document */
static size_t feed(void *buffer, size_t size, void *data)
{
	struct line_feed *f = data;
	struct wire_reader *r = f->reader;
	size_t held;
	char *next, *newline;

	if (f->ended)
		return 0;
	while (r->start + f->fed == r->len)
		if (!wire_fill(r))
			return 0;
	next = r->buf + r->start + f->fed;
	held = r->len - r->start - f->fed;
	newline = memchr(next, '\n', held);
	if (newline)
		held = newline - next;
	if (held > size)
		held = size;
	else if (newline)
		f->ended = true;
	memcpy(buffer, next, held);
	f->fed += held;
	return held;
}

/* The next line decoded, with its text in @line and @len for the caller to see; NULL at the end
 * of the stream, including a last line the peer did not finish, or when it is not JSON. */
static json_t *read_decoded(struct wire_reader *r, char **line, size_t *len)
{
	struct line_feed f = { .reader = r };
	json_t *message = json_load_callback(feed, &f, 0, NULL);

	if (!f.ended) {
		/* stopped short of the newline: not JSON, or the stream ended; what is left of the
		 * line is skipped */
		json_decref(message);
		wire_read_line(r, len);
		return NULL;
	}
	*line = r->buf + r->start;
	*len = f.fed;
	(*line)[f.fed] = '\0';
	r->start += f.fed + 1;
	return message;
}

json_t *wire_read(struct wire_reader *reader)
{
	size_t len;
	char *line;

	return read_decoded(reader, &line, &len);
}

int wire_import_entries(struct wire_reader *reader, long long count, struct parse_ctx *ctx,
			const char *name, void (*seen)(void *data, const char *line, size_t len),
			void *data)
{
	struct json_stream *stream = json_stream_open(ctx, name);
	int read = 0;

	for (long long i = 0; i < count && read == 0; i++) {
		size_t len;
		char *line;
		json_t *entry = read_decoded(reader, &line, &len);

		if (!entry) {
			read = -1;
			break;
		}
		if (seen)
			seen(data, line, len);
		json_stream_entry(stream, entry);
		json_decref(entry);
	}
	if (json_stream_close(stream) < 0 && read == 0)
		return 1;
	return read;
}

json_t *wire_recv(int fd)
{
	struct wire_reader reader;
	json_t *message;

	wire_reader_init(&reader, fd);
	message = wire_read(&reader);
	wire_reader_free(&reader);
	return message;
}
