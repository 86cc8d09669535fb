// SPDX-License-Identifier: GPL-2.0-only
/* Diagnostics, recorded while reading and checking rules and printed the way nft prints them. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xalloc.h"

void diag_list_init(struct diag_list *diags)
{
	init_list_head(&diags->entries);
	diags->errors = 0;
	diags->warnings = 0;
}

void diag_list_free(struct diag_list *diags)
{
	struct diag *diag, *next;

	list_for_each_entry_safe(diag, next, &diags->entries, list) {
		list_del(&diag->list);
		free(diag->message);
		free(diag);
	}
	diag_list_init(diags);
}

void diag_add(struct diag_list *diags, enum diag_severity severity, const struct location *loc,
	      const char *fmt, ...)
{
	struct diag *diag;
	va_list ap;
	int ret;

	if (severity == DIAG_ERROR) {
		/* past the limit errors are only counted: the first ones are what matters */
		if (++diags->errors > DIAG_MAX_ERRORS)
			return;
	} else {
		diags->warnings++;
	}
	diag = xzalloc(sizeof(*diag));
	diag->severity = severity;
	if (loc)
		diag->loc = *loc;
	va_start(ap, fmt);
	ret = vasprintf(&diag->message, fmt, ap);
	va_end(ap);
	if (ret < 0)
		diag->message = xstrdup(fmt);
	list_add_tail(&diag->list, &diags->entries);
}

/* The start of line @number (1-based) of @text, or NULL past its end. */
static const char *find_line(const char *text, unsigned int number)
{
	for (unsigned int n = 1; n < number; n++) {
		text = strchr(text, '\n');
		if (!text)
			return NULL;
		text++;
	}
	return text;
}

static unsigned int line_length(const char *line)
{
	size_t len = strcspn(line, "\n");

	if (len > 0 && line[len - 1] == '\r')
		len--;
	return (unsigned int)len;
}

/* "In file included from" lines, innermost include first, outermost last, as nft does. */
static void print_includes(FILE *out, const struct input *input)
{
	const char *prefix = "In file included from";
	const struct location *from;

	for (from = input->included_from; from && from->input; from = from->input->included_from) {
		fprintf(out, "%s %s:%u:%u-%u:\n", prefix, from->input->name, from->first_line,
			from->first_column, from->last_column);
		prefix = "                 from";
	}
}

static void print_diag(FILE *out, const struct diag *diag)
{
	const char *severity = diag->severity == DIAG_ERROR ? "Error" : "Warning";
	const struct location *loc = &diag->loc;
	const char *line = NULL;
	unsigned int len = 0, last;

	if (!location_known(loc)) {
		fprintf(out, "%s: %s\n", severity, diag->message);
		return;
	}
	/* the input is known, the place in it is not (a JSON path names it in the message) */
	if (loc->first_line == 0) {
		print_includes(out, loc->input);
		fprintf(out, "%s: %s: %s\n", loc->input->name, severity, diag->message);
		return;
	}
	if (loc->input->text)
		line = find_line(loc->input->text, loc->first_line);
	if (line)
		len = line_length(line);
	/* a span over several lines is shown up to the end of its first one */
	last = loc->last_column;
	if (loc->last_line != loc->first_line)
		last = len > loc->first_column ? len : loc->first_column;
	if (last < loc->first_column)
		last = loc->first_column;

	print_includes(out, loc->input);
	fprintf(out, "%s:%u:%u-%u: %s: %s\n", loc->input->name, loc->first_line,
		loc->first_column, last, severity, diag->message);
	if (!line)
		return;
	fprintf(out, "%.*s\n", (int)len, line);
	/* tabs copied from the source line keep the carets under the token */
	for (unsigned int col = 1; col < loc->first_column; col++)
		fputc(col <= len && line[col - 1] == '\t' ? '\t' : ' ', out);
	for (unsigned int col = loc->first_column; col <= last; col++)
		fputc('^', out);
	fputc('\n', out);
}

void diag_print(const struct diag_list *diags, FILE *out)
{
	const struct diag *diag;

	list_for_each_entry(diag, &diags->entries, list)
		print_diag(out, diag);
	if (diags->errors > DIAG_MAX_ERRORS)
		fprintf(out, "Error: %u more errors not shown\n", diags->errors - DIAG_MAX_ERRORS);
}

/* Edit distance counting insertions, deletions, substitutions and swaps of two neighbours, each
 * as one edit: "wirte" is one edit away from "write". */
static unsigned int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned int *rows = xzalloc(3 * (lb + 1) * sizeof(*rows));
	unsigned int *prev2 = rows, *prev = rows + lb + 1, *cur = rows + 2 * (lb + 1);
	unsigned int result;

	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned int *tmp;

		cur[0] = (unsigned int)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] == b[j - 1] ? 0 : 1;
			unsigned int best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		tmp = prev2;
		prev2 = prev;
		prev = cur;
		cur = tmp;
	}
	result = prev[lb];
	free(rows);
	return result;
}

const char *diag_suggest(const char *word, const char *const *candidates, unsigned int count)
{
	size_t len = strlen(word);
	unsigned int limit = len / 3 > 1 ? (unsigned int)(len / 3) : 1;
	const char *best = NULL;
	unsigned int best_distance = limit + 1;

	for (unsigned int i = 0; i < count; i++) {
		size_t clen;
		unsigned int distance;

		if (!candidates[i])
			continue;
		clen = strlen(candidates[i]);
		if ((clen > len ? clen - len : len - clen) > limit)
			continue;
		distance = edit_distance(word, candidates[i]);
		if (distance < best_distance) {
			best = candidates[i];
			best_distance = distance;
		}
	}
	return best;
}

char *diag_choices(const char *const *names, unsigned int count)
{
	size_t len = 1;
	char *text;

	for (unsigned int i = 0; i < count; i++)
		len += strlen(names[i]) + strlen(" or ");
	text = xzalloc(len);
	for (unsigned int i = 0; i < count; i++) {
		if (i)
			strcat(text, i + 1 < count ? ", " : " or ");
		strcat(text, names[i]);
	}
	return text;
}
