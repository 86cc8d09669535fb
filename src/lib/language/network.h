/* SPDX-License-Identifier: GPL-2.0-only */
/* Elements of network sets: IPv4 and IPv6 addresses and prefixes, ports and port ranges. */
#ifndef ENDURA_NETWORK_H
#define ENDURA_NETWORK_H

#include "diag.h"
#include "ruleset.h"

/* Checks every element of a set of type ipv4_addr, ipv6_addr or inet_service, rewrites it in its
 * canonical spelling (2001:db8::1, 10.0.0.0/8, 1000-2000), and refuses overlapping intervals.
 * Returns 0, or -1 with errors at the elements. */
int network_set_check(struct set *set, struct diag_list *diags);

#endif
