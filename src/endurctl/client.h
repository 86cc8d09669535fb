/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ENDURCTL_CLIENT_H
#define ENDURCTL_CLIENT_H

#include <jansson.h>

#include "diag.h"
#include "ruleset.h"

/* Sends one request to endurd, followed by @entries when not NULL (see wire.h), and returns its
 * reply, or NULL with errno (ENOENT or ECONNREFUSED: no daemon). */
json_t *client_request(const char *socket_path, json_t *request, const json_t *entries);

/* Fetches the live ruleset, handles and counters included, and its generation. Returns 0, or -1
 * with a message printed; -2 without a message when @absent_ok and no daemon runs or it may not
 * be reached by this user. */
int client_fetch_ruleset(const char *socket_path, struct ruleset *ruleset, json_int_t *generation,
			 bool absent_ok, bool terse);

#endif
