// SPDX-License-Identifier: GPL-2.0-only
/* endurd: loads the LSM programs once, commits rulesets into their decision tables, reports events
 * and serves endurctl. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "daemon.h"
#include "endura.skel.h"
#include "hooks.h"
#include "parse.h"
#include "tier.h"
#include "transaction.h"
#include "version.h"
#include "wire.h"

/* A deny on a hook whose tier cannot deny is said at commit, once per hook, at its first rule. */
static void warn_not_enforced(const struct daemon *d, const struct table_image *image,
			      struct diag_list *diags)
{
	for (unsigned int hook = 0; hook < ENDURA_HOOK_COUNT; hook++) {
		const struct hook_image *h = &image->hooks[hook];
		/* ENDURA_TIER_COUNT where no tier serves the operation a hook is named after */
		enum endura_tier tier = d->ops[hook_descs[hook].op].tier;
		const struct position_origin *first = NULL;
		unsigned int denies = 0;

		if (tier < ENDURA_TIER_COUNT && tier_descs[tier].denies)
			continue;
		for (uint32_t i = 0; i < h->nrules; i++) {
			if (h->rules[i].verdict != ENDURA_DENY || (h->rules[i].flags & ENDURA_RULE_AUDIT))
				continue;
			/* the positions of one written rule are one rule here */
			if (h->origins[i].rule && h->origins[i].rule_start != i)
				continue;
			first = first ? first : &h->origins[i];
			denies++;
		}
		if (!denies)
			continue;
		if (tier < ENDURA_TIER_COUNT)
			diag_warning(diags, first->rule ? &first->rule->loc : &first->chain->loc,
				     "%u rule%s on hook %s, which runs at tier %s on this kernel: "
				     "what %s is reported, not denied", denies,
				     denies == 1 ? " denies" : "s deny", hook_name((enum hook_type)hook),
				     tier_descs[tier].name, denies == 1 ? "it denies" : "they deny");
		else
			diag_warning(diags, first->rule ? &first->rule->loc : &first->chain->loc,
				     "%u rule%s on hook %s, which this kernel does not decide: "
				     "nothing is denied or reported", denies,
				     denies == 1 ? " denies" : "s deny", hook_name((enum hook_type)hook));
	}
}

/* Whether each hook of @image has a rule that can act on an operation: deny, report or count. */
static void hooks_acting(const struct table_image *image, bool acting[ENDURA_HOOK_COUNT])
{
	for (unsigned int hook = 0; hook < ENDURA_HOOK_COUNT; hook++) {
		acting[hook] = false;
		for (unsigned int value = 0; value < ENDURA_ACCESS_VALUES; value++)
			acting[hook] |= image->hooks[hook].meta.needs[value] & ENDURA_NEED_DECISION;
	}
}

int daemon_commit(struct daemon *d, struct list_head *cmds, struct diag_list *diags,
		  struct diag_list *tier_diags)
{
	bool acting[ENDURA_HOOK_COUNT];
	struct identity_names names;
	struct system_lookup lookup;
	struct resolver resolver;
	struct ruleset next;
	struct table_image image;
	int err;

	system_lookup_init(&lookup);
	identity_names_init(&names, &lookup.resolver);
	resolver = identity_names_recorder(&names);
	err = ruleset_transaction(&d->ruleset, cmds, &resolver, &next, &image, diags);
	system_lookup_end(&lookup);
	if (err < 0) {
		identity_names_free(&names);
		return -1;
	}
	hooks_acting(&image, acting);
	if (sensor_attach_acting(d, acting, diags) < 0) {
		table_image_free(&image);
		ruleset_free(&next);
		identity_names_free(&names);
		return -1;
	}
	err = decision_maps_commit(&d->maps, &image);
	if (err == 0)
		warn_not_enforced(d, &image, tier_diags);
	table_image_free(&image);
	if (err < 0) {
		diag_error(diags, NULL, "cannot write the decision tables: %s", strerror(-err));
		ruleset_free(&next);
		identity_names_free(&names);
		return -1;
	}
	/* the old generation's decisions are done: the hooks the new one leaves idle let go */
	sensor_detach_idle(d, acting);
	ruleset_move(&d->previous, &d->ruleset);
	/* the request's text goes away with it */
	ruleset_clear_locations(&next);
	ruleset_move(&d->ruleset, &next);
	/* decision_maps_commit() waited for every decision of the old generation: their events are
	 * in the ring buffer, and once reported the old ruleset names nothing more */
	if (d->events)
		ring_buffer__consume(d->events);
	ruleset_free(&d->previous);
	/* What is kept is copied into the place the old ruleset left: the objects that came with
	 * the request lie among its commands and the transaction's copies, and would pin their
	 * pages once those are freed. */
	ruleset_clone(&next, &d->ruleset);
	ruleset_free(&d->ruleset);
	ruleset_move(&d->ruleset, &next);
	refresh_adopt(d, &names);
	return 0;
}

static int load_rules(struct daemon *d, const char *path)
{
	struct diag_list diags;
	struct parse_ctx ctx;
	int ret;

	diag_list_init(&diags);
	parse_ctx_init(&ctx, &diags);
	ret = parse_path(&ctx, path);
	if (ret == 0)
		ret = daemon_commit(d, &ctx.cmds, &diags, &diags);
	diag_print(&diags, stderr);
	parse_ctx_free(&ctx);
	diag_list_free(&diags);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: endurd [--rules PATH] [--socket PATH] [--require-tier lsm|fmod_ret]\n"
		     "  -r, --rules PATH         load a rules file or a directory of *.rules at start\n"
		     "  -s, --socket PATH        control socket (default %s)\n"
		     "  -T, --require-tier TIER  exit unless every hook runs at TIER or stronger\n"
		     "  -V, --version            print the version\n"
		     "  -h, --help               this help\n", ENDURA_SOCKET_PATH);
}

static int serve(struct daemon *d)
{
	struct epoll_event ev, events[8];
	struct signalfd_siginfo info;
	sigset_t mask;
	int epfd, sigfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sigfd < 0 || epfd < 0)
		return -1;
	d->epoll_fd = epfd;
	ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = sigfd };
	epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev);
	ev.data.fd = d->listen_fd;
	epoll_ctl(epfd, EPOLL_CTL_ADD, d->listen_fd, &ev);
	ev.data.fd = ring_buffer__epoll_fd(d->events);
	epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	refresh_poll(d, epfd);

	for (;;) {
		int n = epoll_wait(epfd, events, 8, refresh_tick(d));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			if (events[i].data.fd == sigfd) {
				if (read(sigfd, &info, sizeof(info)) == sizeof(info))
					fprintf(stderr, "endurd: signal %u, stopping\n", info.ssi_signo);
				ring_buffer__consume(d->events);
				return 0;
			}
			if (events[i].data.fd == d->listen_fd)
				control_serve_one(d);
			else if (refresh_handle(d, events[i].data.fd))
				continue;
			else if (monitor_owns(d, events[i].data.fd))
				monitor_drop(d, events[i].data.fd);	/* monitors only listen */
			else
				ring_buffer__consume(d->events);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "socket", required_argument, NULL, 's' },
		{ "require-tier", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct daemon d = { .out = stdout, .socket_path = ENDURA_SOCKET_PATH, .listen_fd = -1,
			    .identities = { .inotify_fd = -1, .mounts_fd = -1, .changes_fd = -1 } };
	enum endura_tier weakest = ENDURA_TIER_OBSERVE;
	const char *rules = NULL;
	int opt, tier, ret = 1;

	while ((opt = getopt_long(argc, argv, "r:s:T:Vh", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			rules = optarg;
			break;
		case 's':
			d.socket_path = optarg;
			break;
		case 'T':
			tier = tier_by_name(optarg);
			if (tier < 0 || !tier_descs[tier].denies) {
				fprintf(stderr, "endurd: --require-tier takes lsm or fmod_ret, not '%s'\n",
					optarg);
				return 2;
			}
			weakest = tier;
			break;
		case 'V':
			printf("endurd %s\n", ENDURA_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "endurd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A commit's large buffers (classes, tables, requests) are mapped and unmapped whole. glibc
	 * would otherwise raise the threshold after the first such free and put the next ones on
	 * the heap, where growing one copies it and freeing it keeps the pages resident. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	/* a control client or an event reader that goes away must not kill the daemon */
	signal(SIGPIPE, SIG_IGN);
	ruleset_init(&d.ruleset);
	ruleset_init(&d.previous);
	if (control_listen(&d) < 0) {
		fprintf(stderr, "endurd: cannot listen on %s: %s\n", d.socket_path,
			errno == EADDRINUSE ? "another endurd is running" : strerror(errno));
		return 1;
	}
	if (sensor_load(&d, weakest) < 0)
		goto out;
	/* loading parsed the kernel's BTF and held verifier logs: none of it is needed again */
	malloc_trim(0);
	sensor_describe(&d, stderr);
	/* probed; with no rules yet, no hook has any that can act */
	sensor_detach_idle(&d, (bool[ENDURA_HOOK_COUNT]){ false });
	refresh_open(&d);
	if (rules && load_rules(&d, rules) < 0) {
		fprintf(stderr, "endurd: %s not loaded, nothing enforced\n", rules);
		goto out;
	}
	if (sensor_pin(&d) < 0 || report_open(&d) < 0)
		goto out;
	fprintf(stderr, "endurd: running, generation %u\n", d.maps.generation);
	ret = serve(&d) < 0;
out:
	ring_buffer__free(d.events);
	if (d.skel)
		sensor_unload(&d);
	control_close(&d);
	refresh_close(&d);
	ruleset_free(&d.ruleset);
	ruleset_free(&d.previous);
	return ret;
}
