/* SPDX-License-Identifier: GPL-2.0-only */
/* The control socket between endurctl and endurd: one JSON document per line each way. Requests
 * are {"command": "list", "terse": bool}, {"command": "commit", "generation": N, "endura": [...]} and
 * {"command": "status"}; replies carry "ok" and, on failure, "errors" (a list of messages) and
 * "conflict" when the ruleset changed since the generation the client checked against. */
#ifndef ENDURA_WIRE_H
#define ENDURA_WIRE_H

#include <jansson.h>

#define ENDURA_SOCKET_PATH "/run/endura/endurd.sock"

int wire_send(int fd, const json_t *message);
/* Returns the next message, or NULL at end of stream or on a malformed line. */
json_t *wire_recv(int fd);

#endif
