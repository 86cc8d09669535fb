// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "network.h"
#include "xalloc.h"

/* Every element is an interval of 128-bit numbers: an address is a prefix of full length, a port
 * a range of one. Sorted by start, overlapping neighbours are a conflict, as in nft. */
struct interval {
	uint64_t start[2], end[2];	/* big-endian halves: [0] is the high one */
	const struct value *value;
};

static int compare_u128(const uint64_t *a, const uint64_t *b)
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return (a[1] > b[1]) - (a[1] < b[1]);
}

static int interval_compare(const void *a, const void *b)
{
	return compare_u128(((const struct interval *)a)->start, ((const struct interval *)b)->start);
}

static void bytes_to_u128(const unsigned char *bytes, size_t len, uint64_t *out)
{
	unsigned char full[16] = { 0 };

	memcpy(full + 16 - len, bytes, len);
	out[0] = out[1] = 0;
	for (int i = 0; i < 8; i++) {
		out[0] = out[0] << 8 | full[i];
		out[1] = out[1] << 8 | full[8 + i];
	}
}

/* An address with an optional "/len": its interval, and the canonical text in @canonical. */
static int parse_prefix(const char *text, int family, struct interval *iv, char *canonical,
			size_t size, const char **problem)
{
	unsigned int bits = family == AF_INET ? 32 : 128, len = bits;
	unsigned char addr[16];
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	uint64_t mask[2];

	if (strlen(text) >= sizeof(buf))
		return *problem = "is not an address", -1;
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		len = strtoul(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end || len > bits)
			return *problem = "has a prefix length out of range", -1;
	}
	if (inet_pton(family, buf, addr) != 1)
		return *problem = family == AF_INET ? "is not an IPv4 address" :
						      "is not an IPv6 address", -1;
	bytes_to_u128(addr, bits / 8, iv->start);
	/* the host part: the bits below the prefix, within the address's width */
	mask[0] = mask[1] = 0;
	for (unsigned int i = len + (128 - bits); i < 128; i++)
		mask[i / 64] |= 1ULL << (63 - i % 64);
	if ((iv->start[0] & mask[0]) || (iv->start[1] & mask[1]))
		return *problem = "has bits set outside its prefix", -1;
	iv->end[0] = iv->start[0] | mask[0];
	iv->end[1] = iv->start[1] | mask[1];
	inet_ntop(family, addr, canonical, size);
	if (slash && len != bits)
		snprintf(canonical + strlen(canonical), size - strlen(canonical), "/%u", len);
	return 0;
}

static int parse_port(const char *text, unsigned long *port)
{
	char *end;

	if (!*text || strspn(text, "0123456789") != strlen(text))
		return -1;
	*port = strtoul(text, &end, 10);
	return *port > 65535 ? -1 : 0;
}

static int parse_service(const char *text, struct interval *iv, char *canonical, size_t size,
			 const char **problem)
{
	char buf[32], *dash;
	unsigned long first, last;

	if (strlen(text) >= sizeof(buf))
		return *problem = "is not a port", -1;
	strcpy(buf, text);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (parse_port(buf, &first) < 0 || (dash && parse_port(dash + 1, &last) < 0))
		return *problem = "is not a port (0 to 65535) or a range of ports", -1;
	if (!dash)
		last = first;
	if (last < first)
		return *problem = "is a range whose end comes before its start", -1;
	iv->start[0] = iv->end[0] = 0;
	iv->start[1] = first;
	iv->end[1] = last;
	if (first == last)
		snprintf(canonical, size, "%lu", first);
	else
		snprintf(canonical, size, "%lu-%lu", first, last);
	return 0;
}

int network_set_check(struct set *set, struct diag_list *diags)
{
	size_t count = 0, n = 0;
	struct interval *intervals;
	struct value *value;
	int ret = 0;

	list_for_each_entry(value, &set->elements, list)
		count++;
	intervals = xzalloc((count + 1) * sizeof(*intervals));
	list_for_each_entry(value, &set->elements, list) {
		char canonical[INET6_ADDRSTRLEN + 8];
		const char *problem = NULL;
		int err;

		if (set->type == SET_TYPE_INET_SERVICE)
			err = parse_service(value->text, &intervals[n], canonical, sizeof(canonical),
					    &problem);
		else
			err = parse_prefix(value->text,
					   set->type == SET_TYPE_IPV4_ADDR ? AF_INET : AF_INET6,
					   &intervals[n], canonical, sizeof(canonical), &problem);
		if (err < 0) {
			diag_error(diags, &value->loc, "'%s' %s", value->text, problem);
			ret = -1;
			continue;
		}
		free(value->text);
		value->text = xstrdup(canonical);
		intervals[n++].value = value;
	}
	qsort(intervals, n, sizeof(*intervals), interval_compare);
	for (size_t i = 1; i < n; i++)
		if (compare_u128(intervals[i].start, intervals[i - 1].end) <= 0) {
			diag_error(diags, &intervals[i].value->loc,
				   "'%s' overlaps '%s' in set '%s'", intervals[i].value->text,
				   intervals[i - 1].value->text, set->name);
			ret = -1;
		}
	free(intervals);
	return ret;
}
