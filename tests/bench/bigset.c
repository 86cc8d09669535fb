// SPDX-License-Identifier: GPL-2.0-only
/* A file defining a 100,000-element set: what loading it costs (parse, evaluate, compile, the
 * wire, commit into the decision maps of the host kernel), what a terse listing costs (export,
 * the wire's JSON both ways, import, print), and endurctl's peak memory checking it. In-process
 * figures run the library code endurd and endurctl run, with endurctl's side of the wire in a
 * child process; the commit goes into real BPF maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "apply.h"
#include "compile.h"
#include "bench.skel.h"
#include "json.h"
#include "parse.h"
#include "print.h"
#include "system_lookup.h"
#include "tables.h"
#include "transaction.h"
#include "wire.h"

#define ELEMENTS 100000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *generate(void)
{
	size_t cap = 64 + (size_t)ELEMENTS * 32, len = 0;
	char *text = malloc(cap);

	len += sprintf(text + len, "table big {\n\tset files {\n\t\ttype path\n\t\telements = { ");
	for (int i = 0; i < ELEMENTS; i++)
		len += sprintf(text + len, "%s/srv/data/file-%d", i ? ", " : "", i);
	sprintf(text + len, " }\n\t}\n\tchain files {\n\t\thook file_open; policy accept\n"
		"\t\tpath @files access write deny\n\t}\n}\n");
	return text;
}

static void fail(const char *what, struct diag_list *diags)
{
	fprintf(stderr, "bigset: %s failed\n", what);
	if (diags)
		diag_print(diags, stderr);
	exit(1);
}

/* The other side of the wire, in a child as in another process: @send writes to the connection.
 * Returns this side's end of it. */
static int child_sends(int (*send)(int fd, const void *data), const void *data, pid_t *child)
{
	int fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		fail("the connection", NULL);
	*child = fork();
	if (*child == 0) {
		close(fds[0]);
		_exit(send(fds[1], data) < 0);
	}
	if (*child < 0)
		fail("the connection", NULL);
	close(fds[1]);
	return fds[0];
}

static void child_done(pid_t child, int fd)
{
	int status;

	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		fail("the other side of the wire", NULL);
	close(fd);
}

/* endurctl's side of a commit: the request and the commands */
static int send_commit(int fd, const void *cmds)
{
	json_t *request = json_pack("{s:s, s:i}", "command", "commit", "generation", 0);
	int err = wire_send_entries(fd, request, json_object_get(cmds, "endura"));

	json_decref(request);
	return err;
}

/* endurd's side of "list ruleset -t" */
static int send_terse_listing(int fd, const void *ruleset)
{
	json_t *reply = json_pack("{s:b, s:i}", "ok", 1, "generation", 1);
	int err = wire_send_ruleset(fd, reply, ruleset, PRINT_HANDLES | PRINT_TERSE);

	json_decref(reply);
	return err;
}

/* Reads a request or reply and the entries that follow it into @ctx's commands. */
static void read_entries(int fd, struct parse_ctx *ctx, const char *name)
{
	struct wire_reader reader;
	json_t *header;

	wire_reader_init(&reader, fd);
	header = wire_read(&reader);
	if (!header ||
	    wire_import_entries(&reader, json_integer_value(json_object_get(header, "entries")),
				ctx, name, NULL, NULL) != 0)
		fail(name, ctx->diags);
	json_decref(header);
	wire_reader_free(&reader);
}

/* What "endurctl -f FILE" and endurd do with the file, in order: endurctl parses, checks
 * (evaluate, compile) and sends the commands as JSON; endurd reads them, checks them again and
 * commits. @single: the time of one read, check and commit without the client's share. */
static double load(const char *text, struct ruleset *result, double *single)
{
	struct ruleset empty, client_result;
	struct system_lookup lookup;
	struct table_image image;
	struct decision_maps maps;
	struct diag_list diags;
	struct parse_ctx client, daemon;
	struct bench_bpf *skel = bench_bpf__open_and_load();
	double start, daemon_start;
	json_t *cmds;
	pid_t child;
	int fd;

	if (!skel || decision_maps_find(&maps, skel->obj) < 0)
		fail("loading the benchmark maps", NULL);
	diag_list_init(&diags);
	parse_ctx_init(&client, &diags);
	parse_ctx_init(&daemon, &diags);
	ruleset_init(&empty);
	start = now();
	if (parse_text(&client, "<bigset>", text) < 0)
		fail("parsing", &diags);
	cmds = json_export_cmds(&client.cmds);
	system_lookup_init(&lookup);
	if (ruleset_transaction(&empty, &client.cmds, &lookup.resolver, &client_result, &image,
				&diags) < 0)
		fail("the client's check", &diags);
	system_lookup_end(&lookup);
	table_image_free(&image);
	daemon_start = now();
	fd = child_sends(send_commit, cmds, &child);
	read_entries(fd, &daemon, "request");
	if (ruleset_transaction(&empty, &daemon.cmds, &lookup.resolver, result, &image, &diags) < 0)
		fail("the daemon's check", &diags);
	system_lookup_end(&lookup);
	if (decision_maps_commit(&maps, &image) < 0)
		fail("the commit", NULL);
	*single = now() - daemon_start;
	start = now() - start;
	child_done(child, fd);
	table_image_free(&image);
	ruleset_free(&client_result);
	json_decref(cmds);
	parse_ctx_free(&client);
	parse_ctx_free(&daemon);
	diag_list_free(&diags);
	bench_bpf__destroy(skel);
	return start;
}

/* list ruleset -t: endurd exports without elements, endurctl reads and prints */
static double list_terse(const struct ruleset *ruleset)
{
	FILE *out = fopen("/dev/null", "w");
	struct ruleset listed;
	struct diag_list diags;
	struct parse_ctx ctx;
	double start = now();
	pid_t child;
	int fd;

	diag_list_init(&diags);
	parse_ctx_init(&ctx, &diags);
	ruleset_init(&listed);
	fd = child_sends(send_terse_listing, ruleset, &child);
	read_entries(fd, &ctx, "endurd");
	if (ruleset_adopt(&listed, &ctx.cmds, &diags) < 0)
		fail("the listing", &diags);
	print_ruleset(out, &listed, PRINT_TERSE);
	start = now() - start;
	child_done(child, fd);
	fclose(out);
	ruleset_free(&listed);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	return start;
}

/* endurctl -c -f FILE in a child: its peak resident memory and its time */
static long endurctl_peak_kib(const char *endurctl, const char *text, double *seconds)
{
	char path[] = "/tmp/endura-bigset-XXXXXX";
	int fd = mkstemp(path), status;
	struct rusage usage;
	double start;
	pid_t pid;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail("writing the rules file", NULL);
	close(fd);
	start = now();
	pid = fork();
	if (pid == 0) {
		execl(endurctl, endurctl, "-c", "-f", path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &usage) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		fail("endurctl -c -f", NULL);
	*seconds = now() - start;
	unlink(path);
	return usage.ru_maxrss;
}

int main(int argc, char **argv)
{
	const char *endurctl = argc > 1 ? argv[1] : "build/endurctl";
	char *text = generate();
	struct ruleset ruleset;
	double load_s, daemon_s, list_s, check_s;
	long peak_kib;
	int ok;

	/* first: a forked child's peak memory counts what it shared with its parent before exec */
	peak_kib = endurctl_peak_kib(endurctl, text, &check_s);
	load_s = load(text, &ruleset, &daemon_s);
	list_s = list_terse(&ruleset);
	printf("100,000-element set: endurctl -f through endurd %.3f s (bar: < 1 s): "
	       "endurd's own read, check and commit %.3f s\n", load_s, daemon_s);
	printf("100,000-element set: list ruleset -t %.4f s (bar: < 0.1 s)\n", list_s);
	printf("100,000-element set: endurctl -c -f %.3f s, peak memory %.1f MB (bar: < 64 MB)\n",
	       check_s, peak_kib / 1024.0);
	ok = load_s < 1.0 && list_s < 0.1 && peak_kib < 64 * 1024;
	ruleset_free(&ruleset);
	free(text);
	return ok ? 0 : 1;
}
