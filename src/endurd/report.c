// SPDX-License-Identifier: GPL-2.0-only
/* Events from the ring buffer, printed as one JSON object per line, naming the rule that decided
 * in the generation that decided. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>
#include <jansson.h>

#include "fields.h"
#include "daemon.h"
#include "endura.h"
#include "endura.skel.h"
#include "hooks.h"
#include "tier.h"

struct origin {
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;	/* NULL when the chain's policy decided */
};

static bool find_origin(const struct ruleset *ruleset, uint64_t handle, struct origin *o)
{
	const struct table *table;
	const struct chain *chain;
	const struct rule *rule;

	list_for_each_entry(table, &ruleset->tables, list)
		list_for_each_entry(chain, &table->chains, list) {
			if (chain->handle == handle) {
				*o = (struct origin){ table, chain, NULL };
				return true;
			}
			list_for_each_entry(rule, &chain->rules, list)
				if (rule->handle == handle) {
					*o = (struct origin){ table, chain, rule };
					return true;
				}
		}
	return false;
}

static const char *event_verdict(uint8_t verdict)
{
	switch (verdict) {
	case ENDURA_EVENT_DENY:
		return "deny";
	case ENDURA_EVENT_AUDIT:
		return "audit";
	case ENDURA_EVENT_LOG:
		return "log";
	default:
		return "accept";
	}
}

/* Events carry CLOCK_BOOTTIME; reports want wall-clock time. */
static json_t *event_time(uint64_t boot_ns)
{
	struct timespec boot, real;
	char text[64], stamp[32];
	int64_t ns;
	time_t seconds;
	struct tm tm;

	clock_gettime(CLOCK_BOOTTIME, &boot);
	clock_gettime(CLOCK_REALTIME, &real);
	ns = (int64_t)real.tv_sec * 1000000000 + real.tv_nsec -
	     ((int64_t)boot.tv_sec * 1000000000 + boot.tv_nsec) + (int64_t)boot_ns;
	seconds = ns / 1000000000;
	gmtime_r(&seconds, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(text, sizeof(text), "%s.%06lldZ", stamp, (long long)(ns % 1000000000) / 1000);
	return json_string(text);
}

static json_t *rule_object(const struct daemon *d, const struct endura_event *e)
{
	const struct ruleset *ruleset = e->generation == d->maps.generation ? &d->ruleset :
					&d->previous;
	json_t *rule = json_object();
	struct origin o;

	if (find_origin(ruleset, e->rule_handle, &o)) {
		json_object_set_new(rule, "table", json_string(o.table->name));
		json_object_set_new(rule, "chain", json_string(o.chain->name));
		if (o.rule && o.rule->comment)
			json_object_set_new(rule, "comment", json_string(o.rule->comment));
		if (!o.rule)
			json_object_set_new(rule, "policy", json_string(verdict_name(o.chain->policy)));
	}
	json_object_set_new(rule, "handle", json_integer((json_int_t)e->rule_handle));
	json_object_set_new(rule, "generation", json_integer(e->generation));
	return rule;
}

/* What an open asked for, or the class of change of another operation (which rules on write
 * also cover). */
static json_t *access_list(uint8_t value)
{
	unsigned int bits = access_of_value(value);
	json_t *list = json_array();

	if (value >= ENDURA_ACCESS_CREATE)
		bits &= ~(unsigned int)ACCESS_WRITE;
	for (unsigned int i = 0; i < ACCESS_COUNT; i++)
		if (bits & 1u << i)
			json_array_append_new(list, json_string(access_names[i]));
	return list;
}

/* The file an operation acted on: its path, the access where the hook's value is one, and the
 * other name of a rename or a link. */
static json_t *file_object(const struct endura_event *e)
{
	json_t *file = json_pack("{s:s%}", "path", e->path, strnlen(e->path, sizeof(e->path)));

	if (!file)
		return NULL;
	if (hook_descs[e->hook].value_field == FIELD_ACCESS)
		json_object_set_new(file, "access", access_list(e->access));
	if (e->flags & ENDURA_EVENT_PATH_UNRESOLVED)
		json_object_set_new(file, "unresolved", json_true());
	if (e->flags & ENDURA_EVENT_PATH_TRUNCATED)
		json_object_set_new(file, "truncated", json_true());
	/* the other name of a rename or link: null when it could not be resolved */
	if (e->flags & (ENDURA_EVENT_TO | ENDURA_EVENT_FROM))
		json_object_set_new(file, e->flags & ENDURA_EVENT_TO ? "to" : "from",
				    e->other_path[0] ?
				    json_stringn(e->other_path,
						 strnlen(e->other_path, sizeof(e->other_path))) :
				    json_null());
	return file;
}

/* The process an operation acted on: its pid, and its executable unless it has none (a kernel
 * thread). */
static json_t *target_object(const struct endura_event *e)
{
	json_t *target = json_pack("{s:i}", "pid", e->target_pid);

	if (!target || (e->flags & ENDURA_EVENT_NO_FILE))
		return target;
	json_object_set_new(target, "exe", json_stringn(e->path, strnlen(e->path, sizeof(e->path))));
	if (e->flags & ENDURA_EVENT_PATH_UNRESOLVED)
		json_object_set_new(target, "unresolved", json_true());
	if (e->flags & ENDURA_EVENT_PATH_TRUNCATED)
		json_object_set_new(target, "truncated", json_true());
	return target;
}

/* The value of an operation of a hook without a file, by name: the capability, the command. */
static json_t *value_object(const struct endura_event *e)
{
	const struct field_desc *field = &field_descs[hook_descs[e->hook].value_field];
	const char *name = named_value(field->names, e->access);

	return name ? json_string(name) : json_integer(e->access);
}

/* What an event shows of the object of its hook's operations: a value by name, under the value
 * field's name ("capability", "command", "source", "signal"), and the file or the process,
 * where there is one. */
static void add_object(json_t *event, const struct endura_event *e)
{
	const struct hook_desc *hook = &hook_descs[e->hook];

	if (field_descs[hook->value_field].names)
		json_object_set_new(event, field_descs[hook->value_field].name, value_object(e));
	if (hook->object == HOOK_OBJECT_FILE &&
	    (e->path[0] || (e->flags & ENDURA_EVENT_PATH_UNRESOLVED)))
		json_object_set_new(event, "file", file_object(e));
	if (hook->object == HOOK_OBJECT_PROCESS)
		json_object_set_new(event, "target", target_object(e));
}

static int handle_event(void *ctx, void *data, size_t size)
{
	struct daemon *d = ctx;
	const struct endura_event *e = data;
	const struct tier_desc *tier;
	json_t *event, *process;

	if (size < sizeof(*e) || e->hook >= ENDURA_HOOK_COUNT)
		return 0;
	process = json_pack("{s:i, s:i, s:i, s:s%, s:s%}", "pid", e->pid, "tid", e->tid,
			    "uid", e->uid, "exe", e->exe, strnlen(e->exe, sizeof(e->exe)),
			    "comm", e->comm, strnlen(e->comm, sizeof(e->comm)));
	if (e->flags & ENDURA_EVENT_EXE_UNRESOLVED)
		json_object_set_new(process, "unresolved", json_true());
	tier = e->tier < ENDURA_TIER_COUNT ? &tier_descs[e->tier] : NULL;
	event = json_pack("{s:o, s:s, s:s, s:s, s:s}",
			  "time", event_time(e->time_ns),
			  "hook", abi_hook_name(e->hook),
			  "operation", abi_op_name(e->op),
			  "verdict", event_verdict(e->verdict),
			  "tier", tier ? tier->name : "?");
	/* a deny the tier could only report says so: never a block that did not happen */
	if (event && e->verdict == ENDURA_EVENT_DENY)
		json_object_set_new(event, "enforced", json_boolean(tier && tier->denies));
	if (event) {
		json_object_update_new(event, json_pack("{s:o, s:o}", "rule", rule_object(d, e),
							"process", process));
		add_object(event, e);
		json_dumpf(event, d->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', d->out);
		fflush(d->out);
		monitor_send(d, "event", event);
	}
	return 0;
}

int report_open(struct daemon *d)
{
	d->events = ring_buffer__new(bpf_map__fd(d->skel->maps.events), handle_event, d, NULL);
	return d->events ? 0 : -1;
}
