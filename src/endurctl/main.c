// SPDX-License-Identifier: GPL-2.0-only
/* endurctl: the administration CLI, a thin layer over libendura shaped like nft. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cli.h"
#include "print.h"
#include "version.h"
#include "wire.h"
#include "xalloc.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: endurctl [options] [command]\n"
		"  -f, --file PATH       read commands from a file, a directory of *.rules, or -\n"
		"  -i, --interactive     read commands from a prompt, one transaction a line\n"
		"  -c, --check           check only: parse, evaluate and compile, commit nothing\n"
		"  -j, --json            JSON input (with -f) and output\n"
		"  -a, --handle          show handles and counter values\n"
		"  -t, --terse           list sets without their elements\n"
		"  -s, --stateless       list without counter values\n"
		"  -n, --numeric         numeric output: what endurctl always prints (uids, ports)\n"
		"  -e, --echo            print the ruleset that results (with -c: without a daemon)\n"
		"  -I, --includepath DIR look for relative includes in DIR too\n"
		"  -D, --define NAME=VAL define a variable, as define NAME = VAL\n"
		"      --output FORMAT   text or json, for listings and -e (default: json with -j)\n"
		"      --socket PATH     endurd's control socket (default %s)\n"
		"  -v, --version         print the version\n"
		"  -h, --help            this help\n"
		"Commands: list ruleset|tables|table T|chain T C|set T S | status |\n"
		"          monitor [ruleset|events] |\n"
		"          any statement of a rules file (add, insert, replace, delete, flush ...)\n"
		"See endurctl(8) and endura-rules(5).\n", ENDURA_SOCKET_PATH);
}

static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	char *text;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = xzalloc(len);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(text, " ");
		strcat(text, argv[i]);
	}
	return text;
}

/* list and status are answered here; everything else is rules text, one transaction. */
static int run_words(const struct options *o, int argc, char **argv)
{
	char *text;
	int ret;

	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return list_command(o, argc - 1, argv + 1);
	if (argc == 1 && strcmp(argv[0], "status") == 0)
		return show_status(o);
	if (argc >= 1 && strcmp(argv[0], "monitor") == 0)
		return monitor_command(o, argc - 1, argv + 1);
	text = join_words(argc, argv);
	ret = run_input(o, text);
	free(text);
	return ret;
}

/* -i: a prompt with history; each line is one command, "quit" or end of input leaves. */
static int interactive(const struct options *o)
{
	char *line;
	int failed = 0;

	while ((line = readline("endura> "))) {
		char *words[64], *save = NULL, *word;
		int count = 0;

		if (strcmp(line, "quit") == 0 || strcmp(line, "exit") == 0) {
			free(line);
			break;
		}
		if (line[strspn(line, " \t")] != '\0') {
			add_history(line);
			if (strncmp(line + strspn(line, " \t"), "list", 4) == 0 ||
			    strncmp(line + strspn(line, " \t"), "status", 6) == 0) {
				for (word = strtok_r(line, " \t", &save); word && count < 64;
				     word = strtok_r(NULL, " \t", &save))
					words[count++] = word;
				failed |= run_words(o, count, words) < 0;
			} else {
				failed |= run_input(o, line) < 0;
			}
		}
		free(line);
	}
	return failed ? -1 : 0;
}

static bool add_option_value(const char **values, unsigned int *count, unsigned int max,
			     const char *value, const char *option)
{
	if (*count == max) {
		fprintf(stderr, "Error: at most %u %s options\n", max, option);
		return false;
	}
	values[(*count)++] = value;
	return true;
}

int main(int argc, char **argv)
{
	enum { OPT_SOCKET = 256, OPT_OUTPUT };
	static const struct option long_options[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "check", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "handle", no_argument, NULL, 'a' },
		{ "terse", no_argument, NULL, 't' },
		{ "stateless", no_argument, NULL, 's' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "echo", no_argument, NULL, 'e' },
		{ "includepath", required_argument, NULL, 'I' },
		{ "define", required_argument, NULL, 'D' },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct options o = { .socket_path = ENDURA_SOCKET_PATH };
	const char *output = NULL;
	bool prompt = false;
	int opt;

	/* '+': options end at the first command word, as in nft */
	while ((opt = getopt_long(argc, argv, "+f:icjatsneI:D:vh", long_options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			o.file = optarg;
			break;
		case 'i':
			prompt = true;
			break;
		case 'c':
			o.check = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'a':
			o.print_flags |= PRINT_HANDLES;
			break;
		case 't':
			o.print_flags |= PRINT_TERSE;
			break;
		case 's':
			o.print_flags |= PRINT_STATELESS;
			break;
		case 'n':
			/* uids, ports and addresses are listed as numbers already; nft users type -n */
			break;
		case 'e':
			o.echo = true;
			break;
		case 'I':
			if (!add_option_value(o.include_dirs, &o.ninclude_dirs, INCLUDE_MAX_DIRS,
					      optarg, "-I"))
				return 1;
			break;
		case 'D':
			if (!add_option_value(o.defines, &o.ndefines, CLI_MAX_DEFINES, optarg, "-D"))
				return 1;
			break;
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_SOCKET:
			o.socket_path = optarg;
			break;
		case 'v':
			printf("endurctl %s\n", ENDURA_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	o.json_output = o.json;
	if (output && (strcmp(output, "json") == 0 || strcmp(output, "text") == 0)) {
		o.json_output = strcmp(output, "json") == 0;
	} else if (output) {
		fprintf(stderr, "Error: unknown output format '%s'; expected text or json\n", output);
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "Error: option '%s' after the command: options go first\n",
				argv[i]);
			return 1;
		}
	if ((o.file || prompt) && optind < argc) {
		fprintf(stderr, "Error: %s takes no command words ('%s')\n", o.file ? "-f" : "-i",
			argv[optind]);
		return 1;
	}
	if (o.file && prompt) {
		fprintf(stderr, "Error: -f and -i do not go together\n");
		return 1;
	}
	if (prompt)
		return interactive(&o) < 0;
	if (o.file)
		return run_input(&o, NULL) < 0;
	if (optind == argc) {
		usage(stderr);
		return 1;
	}
	return run_words(&o, argc - optind, argv + optind) < 0;
}
