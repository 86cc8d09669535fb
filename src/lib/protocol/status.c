// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>
#include <string.h>

#include "status.h"

/* Whether two operations' statuses read the same: tier, whether it denies, why not stronger. */
static bool fare_alike(json_t *a, json_t *b)
{
	static const char *const keys[] = { "tier", "denies", "decided_by", "refused" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *in_a = json_object_get(a, keys[i]), *in_b = json_object_get(b, keys[i]);

		/* json_equal() holds nothing equal to an absent key */
		if ((in_a || in_b) && !json_equal(in_a, in_b))
			return false;
	}
	return true;
}

static void print_line(FILE *out, const char *prefix, const char *hook, const char *ops,
		       json_t *status, json_t *used)
{
	const char *tier = json_string_value(json_object_get(status, "tier")), *refused_tier;
	json_t *why;

	fprintf(out, "%shook %s%s%s%s: ", prefix, hook, ops ? " (" : "", ops ? ops : "",
		ops ? ")" : "");
	if (json_object_get(status, "decided_by")) {
		fprintf(out, "decided by the program of %s on this kernel",
			json_string_value(json_object_get(status, "decided_by")));
	} else if (!tier || strcmp(tier, "none") == 0) {
		fputs("not decided on this kernel", out);
	} else {
		fprintf(out, "tier %s (%s)", tier, json_is_true(json_object_get(status, "denies")) ?
			"denies" : "reports only, denies nothing");
		if (used)
			json_object_set_new(used, tier, json_true());
	}
	json_object_foreach(json_object_get(status, "refused"), refused_tier, why)
		fprintf(out, "; %s: %s", refused_tier, json_string_value(why));
	fputc('\n', out);
}

void status_print_hooks(FILE *out, const char *prefix, json_t *hooks, json_t *used)
{
	const char *hook, *op;
	json_t *status, *op_status, *group;
	char names[512];
	size_t len;

	json_object_foreach(hooks, hook, status) {
		print_line(out, prefix, hook, NULL, status, used);
		group = NULL;
		len = 0;
		json_object_foreach(json_object_get(status, "operations"), op, op_status) {
			if (group && !fare_alike(group, op_status)) {
				print_line(out, prefix, hook, names, group, used);
				group = NULL;
				len = 0;
			}
			group = group ? group : op_status;
			if (len < sizeof(names))
				len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
							len ? ", " : "", op);
		}
		if (group)
			print_line(out, prefix, hook, names, group, used);
	}
}
