// SPDX-License-Identifier: GPL-2.0-only
/* Applying commands: how added objects merge into existing ones, the handles they get, deletes and
 * flushes, every error with its text and place, the daemon's listing adopted with its handles
 * and counters, and the transaction that changes nothing or gives a new ruleset and its tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/* The ruleset most cases start from. */
#define HOST                                          \
	"table host {\n"                              \
	"\tset tools { type path; elements = { /usr/bin/passwd } }\n" \
	"\tchain files {\n"                           \
	"\t\thook file_open; policy accept\n"         \
	"\t\tpath /etc/shadow access write exe != @tools deny\n" \
	"\t\tpath /etc/gshadow log deny\n"            \
	"\t}\n"                                       \
	"\tchain exec {\n"                            \
	"\t\thook exec; policy deny\n"                \
	"\t}\n"                                       \
	"}\n"

/* A ruleset like HOST printed with its handles: the elements of set tools, the rules of chain
 * files, the handle, policy and rules of chain exec. Rules are printed lines. */
#define PRINTED(elements, files_rules, exec_handle, exec_policy, exec_rules) \
	"table host { # handle 1\n"                                           \
	"\tmode enforce\n"                                                    \
	"\tset tools { # handle 2\n"                                          \
	"\t\ttype path\n"                                                     \
	"\t\telements = { " elements " }\n"                                   \
	"\t}\n"                                                               \
	"\n"                                                                  \
	"\tchain files { # handle 3\n"                                        \
	"\t\thook file_open; policy accept\n"                                 \
	files_rules                                                           \
	"\t}\n"                                                               \
	"\n"                                                                  \
	"\tchain exec { # handle " exec_handle "\n"                           \
	"\t\thook exec; policy " exec_policy "\n"                             \
	exec_rules                                                            \
	"\t}\n"                                                               \
	"}\n"

#define TOOLS	"/usr/bin/passwd"
#define RULE_4	"\t\tpath /etc/shadow access write exe != @tools deny # handle 4\n"
#define RULE_5	"\t\tpath /etc/gshadow log deny # handle 5\n"

#define HOST_PRINTED PRINTED(TOOLS, RULE_4 RULE_5, "6", "deny", "")

static struct session *host_session(void)
{
	struct session *s = session_new();

	assert_int_equal(session_apply(s, HOST), 0);
	assert_session_diags(s, "");
	assert_ruleset(s, HOST_PRINTED);
	assert_int_equal(s->ruleset.next_handle, 7);
	return s;
}

/* Each case on its own, on the ruleset of host_session(), which each leaves as it was. */
#define ASSERT_APPLY_ERRORS(s, cases) \
	assert_apply_errors(s, cases, sizeof(cases) / sizeof(cases[0]), HOST_PRINTED)

/* --- adding and merging --------------------------------------------------------------------- */

/* Handles are given in the order objects are met: table, its sets, each chain and its rules. */
static void test_handles(void **state)
{
	struct session *s = host_session();

	(void)state;
	assert_session_apply(s, "add rule host exec path /tmp/ deny\n"
		     "add table other\n"
		     "add chain other c\n"
		     "add rule host files path /etc/sudoers deny\n", 0, "");
	assert_ruleset(s, PRINTED(TOOLS, RULE_4 RULE_5 "\t\tpath /etc/sudoers deny # handle 10\n",
				  "6", "deny", "\t\tpath /tmp/ deny # handle 7\n")
			  "table other { # handle 8\n"
			  "\tmode enforce\n"
			  "\tchain c { # handle 9\n"
			  "\t}\n"
			  "}\n");
	assert_int_equal(s->ruleset.next_handle, 11);
	session_free(s);
}

/* "table x { ... }" on an existing table adds to it: new sets and chains after the existing ones,
 * rules at the end of their chain. Re-adding what exists gives no handle. */
static void test_table_merge(void **state)
{
	struct session *s = host_session();

	(void)state;
	assert_session_apply(s, "add table host\n"
		     "table host {\n"
		     "\tchain exec {\n"
		     "\t\tpath /dev/shm/ deny\n"
		     "\t}\n"
		     "\tchain late {\n"
		     "\t\tpath /x log\n"
		     "\t}\n"
		     "\tset admins { type uid; elements = { 0 } }\n"
		     "\tchain files {\n"
		     "\t}\n"
		     "}\n", 0, "");
	assert_ruleset(s, "table host { # handle 1\n"
			  "\tmode enforce\n"
			  "\tset tools { # handle 2\n"
			  "\t\ttype path\n"
			  "\t\telements = { /usr/bin/passwd }\n"
			  "\t}\n"
			  "\n"
			  "\tset admins { # handle 7\n"
			  "\t\ttype uid\n"
			  "\t\telements = { 0 }\n"
			  "\t}\n"
			  "\n"
			  "\tchain files { # handle 3\n"
			  "\t\thook file_open; policy accept\n"
			  "\t\tpath /etc/shadow access write exe != @tools deny # handle 4\n"
			  "\t\tpath /etc/gshadow log deny # handle 5\n"
			  "\t}\n"
			  "\n"
			  "\tchain exec { # handle 6\n"
			  "\t\thook exec; policy deny\n"
			  "\t\tpath /dev/shm/ deny # handle 8\n"
			  "\t}\n"
			  "\n"
			  "\tchain late { # handle 9\n"
			  "\t\tpath /x log # handle 10\n"
			  "\t}\n"
			  "}\n");
	assert_int_equal(s->ruleset.next_handle, 11);
	session_free(s);
}

/* A mode is changed only where one is written. */
static void test_table_mode(void **state)
{
	struct session *s = session_new();
	struct table *table;

	(void)state;
	assert_session_apply(s, "table t { mode audit }\n", 0, "");
	table = table_find(&s->ruleset, "t");
	assert_int_equal(table->mode, MODE_AUDIT);
	assert_true(table->has_mode);
	assert_session_apply(s, "table t { chain c { hook exec; policy accept } }\nadd table t\n", 0, "");
	assert_int_equal(table->mode, MODE_AUDIT);
	assert_session_apply(s, "table t { mode enforce }\n", 0, "");
	assert_int_equal(table->mode, MODE_ENFORCE);
	assert_true(table->has_mode);

	assert_session_apply(s, "add table u\n", 0, "");
	table = table_find(&s->ruleset, "u");
	assert_int_equal(table->mode, MODE_ENFORCE);
	assert_false(table->has_mode);
	session_free(s);
}

/* A chain without a hook gets one by a later add; the same hook again sets the policy. */
static void test_chain_merge(void **state)
{
	struct session *s = session_new();
	struct chain *chain;

	(void)state;
	assert_session_apply(s, "add table t\n"
		     "add chain t c\n"
		     "add rule t c path /a deny\n", 0, "");
	chain = chain_find(table_find(&s->ruleset, "t"), "c");
	assert_false(chain->has_hook);
	assert_session_apply(s, "add chain t c { hook exec; policy deny; path /b accept }\n", 0, "");
	assert_true(chain->has_hook);
	assert_int_equal(chain->hook, HOOK_EXEC);
	assert_int_equal(chain->policy, VERDICT_DENY);
	assert_session_apply(s, "add chain t c { hook exec; policy accept }\n"
		     "add chain t c\n", 0, "");
	assert_int_equal(chain->policy, VERDICT_ACCEPT);
	assert_ruleset(s, "table t { # handle 1\n"
			  "\tmode enforce\n"
			  "\tchain c { # handle 2\n"
			  "\t\thook exec; policy accept\n"
			  "\t\tpath /a deny # handle 3\n"
			  "\t\tpath /b accept # handle 4\n"
			  "\t}\n"
			  "}\n");
	assert_int_equal(s->ruleset.next_handle, 5);
	session_free(s);
}

/* A chain's policy changes with a hook line only: to the policy that follows it, or to accept when
 * none does. A body without a hook line leaves it. */
static void test_chain_merge_policy(void **state)
{
	struct session *s = host_session();
	struct chain *exec = chain_find(table_find(&s->ruleset, "host"), "exec");

	(void)state;
	assert_session_apply(s, "table host { chain exec { path /dev/shm/ deny } }\n"
		     "add chain host exec\n"
		     "add chain host exec { path /tmp/ deny }\n", 0, "");
	assert_int_equal(exec->policy, VERDICT_DENY);
	assert_session_apply(s, "table host {\n"
		     "\tchain exec {\n"
		     "\t\thook exec\n"
		     "\t\tpath /run/ deny\n"
		     "\t}\n"
		     "}\n", 0, "");
	assert_true(exec->has_hook);
	assert_int_equal(exec->hook, HOOK_EXEC);
	assert_int_equal(exec->policy, VERDICT_ACCEPT);
	assert_int_equal(list_count(&exec->rules), 3);
	session_free(s);
}

/* Elements added to a set that exists go after its own, duplicates included. */
static void test_set_merge(void **state)
{
	struct session *s = host_session();

	(void)state;
	assert_session_apply(s, "add set host tools { type path; elements = { /usr/bin/chage, "
		     "/usr/bin/passwd } }\n"
		     "table host { set tools { type path; elements = { /usr/sbin/vipw } } }\n",
		     0, "");
	assert_int_equal(s->ruleset.next_handle, 7);
	assert_ruleset(s, PRINTED(TOOLS ", /usr/bin/chage, /usr/bin/passwd, /usr/sbin/vipw",
				  RULE_4 RULE_5, "6", "deny", ""));
	session_free(s);
}

static void test_add_errors(void **state)
{
	static const struct apply_error cases[] = {
		{ "add rule nosuch files path /x deny", "nosuch", "table 'nosuch' does not exist" },
		{ "add rule host flies path /x deny", "flies",
		  "chain 'flies' does not exist in table 'host'; did you mean 'files'?" },
		{ "add chain nosuch c", "nosuch", "table 'nosuch' does not exist" },
		{ "add set nosuch s { type uid }", "nosuch", "table 'nosuch' does not exist" },
	};
	struct session *s = host_session();

	(void)state;
	ASSERT_APPLY_ERRORS(s, cases);
	/* the error points at the hook statement that conflicts */
	assert_session_apply(s, "table host {\n"
		     "\tchain files { hook exec; policy accept }\n"
		     "}\n", -1,
		     "<cmdline>:2:16-24: Error: chain 'files' of table 'host' is already bound to "
		     "hook file_open\n"
		     "\tchain files { hook exec; policy accept }\n"
		     "\t              ^^^^^^^^^\n");
	assert_ruleset(s, HOST_PRINTED);
	session_free(s);
}

/* The same conflict from "add chain": the rejected chain is freed with the command (the sanitized
 * build reports a leak otherwise). */
static void test_add_chain_hook_conflict(void **state)
{
	struct session *s = host_session();

	(void)state;
	assert_session_apply(s, "add chain host exec { hook file_open; policy accept }\n", -1,
		     "<cmdline>:1:23-36: Error: chain 'exec' of table 'host' is already bound to "
		     "hook exec\n"
		     "add chain host exec { hook file_open; policy accept }\n"
		     "                      ^^^^^^^^^^^^^^\n");
	assert_ruleset(s, HOST_PRINTED);
	session_free(s);
}

/* Every command is tried and every error reported, not only the first. */
static void test_every_error(void **state)
{
	struct session *s = host_session();

	(void)state;
	assert_session_apply(s, "add rule host files path /a deny\n"
		     "delete rule host files handle 99\n"
		     "add rule host nosuch path /b deny\n"
		     "flush table nosuch\n", -1,
		     "<cmdline>:2:31-32: Error: no rule with handle 99 in chain 'files' of table "
		     "'host'\n"
		     "delete rule host files handle 99\n"
		     "                              ^^\n"
		     "<cmdline>:3:15-20: Error: chain 'nosuch' does not exist in table 'host'\n"
		     "add rule host nosuch path /b deny\n"
		     "              ^^^^^^\n"
		     "<cmdline>:4:13-18: Error: table 'nosuch' does not exist\n"
		     "flush table nosuch\n"
		     "            ^^^^^^\n");
	session_free(s);
}

/* --- deleting and flushing ------------------------------------------------------------------ */

/* Handles are never given again, whatever was deleted. */
static void test_delete(void **state)
{
	struct session *s = host_session();

	(void)state;
	assert_session_apply(s, "delete rule host files handle 5\n"
		     "add rule host files path /etc/sudoers deny\n"
		     "add set host spare { type uid }\n"
		     "delete set host spare\n"
		     "delete chain host exec\n"
		     "add chain host exec { hook exec; policy accept }\n", 0, "");
	assert_ruleset(s, PRINTED(TOOLS, RULE_4 "\t\tpath /etc/sudoers deny # handle 7\n", "9",
				  "accept", ""));
	assert_session_apply(s, "delete table host\nadd table host\n", 0, "");
	assert_ruleset(s, "table host { # handle 10\n"
			  "\tmode enforce\n"
			  "}\n");
	assert_int_equal(s->ruleset.next_handle, 11);
	session_free(s);
}

static void test_delete_errors(void **state)
{
	static const struct apply_error cases[] = {
		{ "delete table nosuch", "nosuch", "table 'nosuch' does not exist" },
		{ "delete chain host nosuch", "nosuch",
		  "chain 'nosuch' does not exist in table 'host'" },
		{ "delete chain nosuch exec", "nosuch", "table 'nosuch' does not exist" },
		{ "delete set host nosuch", "nosuch",
		  "set 'nosuch' does not exist in table 'host'" },
		{ "delete set host tools", "tools",
		  "set 'tools' is used by a rule of table 'host'" },
		{ "delete rule host files handle 6", "6",
		  "no rule with handle 6 in chain 'files' of table 'host'" },
		/* a rule is found in its own chain only */
		{ "delete rule host exec handle 4", "4",
		  "no rule with handle 4 in chain 'exec' of table 'host'" },
		{ "delete rule host nosuch handle 4", "nosuch",
		  "chain 'nosuch' does not exist in table 'host'" },
	};
	struct session *s = host_session();

	(void)state;
	ASSERT_APPLY_ERRORS(s, cases);
	/* once no rule uses it, the set can go */
	assert_session_apply(s, "delete rule host files handle 4\ndelete set host tools\n", 0, "");
	session_free(s);
}

/* flush table empties its chains, which keep their hooks; sets stay. */
static void test_flush(void **state)
{
	struct session *s = host_session();

	(void)state;
	assert_session_apply(s, "add rule host exec path /tmp/ deny\nflush chain host files\n", 0, "");
	assert_ruleset(s, PRINTED(TOOLS, "", "6", "deny", "\t\tpath /tmp/ deny # handle 7\n"));
	assert_session_apply(s, "add rule host files path /a deny\nflush table host\n", 0, "");
	assert_ruleset(s, PRINTED(TOOLS, "", "6", "deny", ""));
	assert_session_apply(s, "flush ruleset\n", 0, "");
	assert_ruleset(s, "");
	assert_session_apply(s, "flush ruleset\nadd table host\n", 0, "");
	assert_ruleset(s, "table host { # handle 9\n"
			  "\tmode enforce\n"
			  "}\n");
	session_free(s);
}

static void test_flush_errors(void **state)
{
	static const struct apply_error cases[] = {
		{ "flush table nosuch", "nosuch", "table 'nosuch' does not exist" },
		{ "flush chain nosuch files", "nosuch", "table 'nosuch' does not exist" },
		{ "flush chain host nosuch", "nosuch",
		  "chain 'nosuch' does not exist in table 'host'" },
	};
	struct session *s = host_session();
	struct list_head *cmds;
	struct cmd *cmd;

	(void)state;
	ASSERT_APPLY_ERRORS(s, cases);

	/* neither syntax writes these: made by hand, from no input */
	cmds = session_parse(s, "");
	cmd = cmd_new(CMD_FLUSH, CMD_OBJ_ELEMENT, NULL);
	cmd->target.table = xstrdup("host");
	cmd->target.set = xstrdup("tools");
	list_add_tail(&cmd->list, cmds);
	cmd = cmd_new(CMD_FLUSH, CMD_OBJ_RULE, NULL);
	cmd->target.table = xstrdup("host");
	cmd->target.chain = xstrdup("files");
	list_add_tail(&cmd->list, cmds);
	assert_int_equal(ruleset_apply(&s->ruleset, cmds, &s->diags), -1);
	assert_session_diags(s, "Error: this object cannot be flushed\n"
			     "Error: this object cannot be flushed\n");
	assert_ruleset(s, HOST_PRINTED);
	session_free(s);
}

/* --- the daemon's listing ------------------------------------------------------------------- */

/* Sets the handles of the table block of @cmds as the daemon lists them: table, set, chains and
 * rules in order from @first; rules with a counter get @hits. */
static void give_handles(struct list_head *cmds, uint64_t first, uint64_t hits)
{
	struct cmd *cmd = list_first_entry(cmds, struct cmd, list);
	struct chain *chain;
	struct rule *rule;
	struct set *set;

	assert_int_equal(cmd->object, CMD_OBJ_TABLE);
	cmd->table->handle = first++;
	list_for_each_entry(set, &cmd->table->sets, list)
		set->handle = first++;
	list_for_each_entry(chain, &cmd->table->chains, list) {
		chain->handle = first++;
		list_for_each_entry(rule, &chain->rules, list) {
			rule->handle = first++;
			if (rule->counter)
				rule->counter_hits = hits;
		}
	}
}

#define LISTED                                    \
	"table host {\n"                          \
	"\tset tools { type path; elements = { /usr/bin/passwd } }\n" \
	"\tchain files {\n"                       \
	"\t\thook file_open; policy accept\n"     \
	"\t\tpath /etc/shadow counter deny\n"     \
	"\t}\n"                                   \
	"}\n"

#define LISTED_PRINTED(table, set, chain, rule, hits)                         \
	"table host { # handle " table "\n"                                   \
	"\tmode enforce\n"                                                    \
	"\tset tools { # handle " set "\n"                                    \
	"\t\ttype path\n"                                                     \
	"\t\telements = { /usr/bin/passwd }\n"                                \
	"\t}\n"                                                               \
	"\n"                                                                  \
	"\tchain files { # handle " chain "\n"                                \
	"\t\thook file_open; policy accept\n"                                 \
	"\t\tpath /etc/shadow counter hits " hits " deny # handle " rule "\n" \
	"\t}\n"                                                               \
	"}\n"

/* Adopted objects keep the handles and counter values the daemon gave them; handles given later
 * come after the largest. */
static void test_adopt(void **state)
{
	struct session *s = session_new();
	struct list_head *cmds = session_parse(s, LISTED);
	struct rule *added;

	(void)state;
	give_handles(cmds, 40, 17);
	assert_int_equal(ruleset_adopt(&s->ruleset, cmds, &s->diags), 0);
	assert_session_diags(s, "");
	assert_ruleset(s, LISTED_PRINTED("40", "41", "42", "43", "17"));
	assert_int_equal(s->ruleset.next_handle, 44);

	/* after an adopt, apply gives fresh handles and counters from zero again */
	cmds = session_parse(s, "add rule host files path /etc/gshadow counter deny\n");
	list_first_entry(cmds, struct cmd, list)->rule->handle = 7;
	list_first_entry(cmds, struct cmd, list)->rule->counter_hits = 5;
	assert_int_equal(ruleset_apply(&s->ruleset, cmds, &s->diags), 0);
	assert_session_diags(s, "");
	added = nth_entry(&chain_find(table_find(&s->ruleset, "host"), "files")->rules, struct rule,
			  1);
	assert_int_equal(added->handle, 44);
	assert_int_equal(added->counter_hits, 0);
	session_free(s);
}

/* Applied, not adopted: the daemon's handles and counters are dropped. */
static void test_apply_ignores_listed_handles(void **state)
{
	struct session *s = session_new();
	struct list_head *cmds = session_parse(s, LISTED);

	(void)state;
	give_handles(cmds, 40, 17);
	assert_int_equal(ruleset_apply(&s->ruleset, cmds, &s->diags), 0);
	assert_session_diags(s, "");
	assert_ruleset(s, LISTED_PRINTED("1", "2", "3", "4", "0"));
	session_free(s);
}

/* Objects the listing gives no handle get fresh ones; a failed adopt leaves apply as it was. */
static void test_adopt_without_handles(void **state)
{
	struct session *s = session_new();

	(void)state;
	assert_int_equal(ruleset_adopt(&s->ruleset, session_parse(s, LISTED), &s->diags), 0);
	assert_session_diags(s, "");
	assert_ruleset(s, LISTED_PRINTED("1", "2", "3", "4", "0"));
	assert_int_equal(ruleset_adopt(&s->ruleset, session_parse(s, "add rule nosuch c deny\n"),
				       &s->diags), -1);
	assert_session_diags(s, "<cmdline>:1:10-15: Error: table 'nosuch' does not exist\n"
			     "add rule nosuch c deny\n"
			     "         ^^^^^^\n");
	assert_session_apply(s, "add rule host files path /x deny\n", 0, "");
	assert_int_equal(s->ruleset.next_handle, 6);
	session_free(s);
}

/* --- the transaction ------------------------------------------------------------------------ */

static const struct fake_file files[] = {
	{ "/usr/bin/passwd", { 8, 200 } },
	{ "/etc/shadow", { 8, 100 } },
	{ NULL },
};

/* Runs a transaction on the session's ruleset, which must not change whatever happens: what
 * ruleset_transaction returns, its diagnostics compared with @diags. On success the caller checks
 * and frees @result and @image; on failure the result is empty. */
static int transaction(struct session *s, const char *text, struct ruleset *result,
		       struct table_image *image, const char *diags)
{
	struct resolver resolver = fake_resolver(files);
	char *before = ruleset_text(&s->ruleset, PRINT_HANDLES);
	uint64_t next_handle = s->ruleset.next_handle;
	int ret;

	ret = ruleset_transaction(&s->ruleset, session_parse(s, text), &resolver, result, image,
				  &s->diags);
	assert_session_diags(s, diags);
	assert_ruleset(s, before);
	assert_int_equal(s->ruleset.next_handle, next_handle);
	if (ret < 0)
		assert_true(list_empty(&result->tables));
	free(before);
	return ret;
}

static void test_transaction(void **state)
{
	struct session *s = host_session();
	struct table_image image;
	struct ruleset result;
	char *text;

	(void)state;
	assert_int_equal(transaction(s, "add rule host exec path /tmp/ log deny\n"
				     "delete rule host files handle 5\n", &result, &image, ""), 0);
	text = ruleset_text(&result, PRINT_HANDLES);
	assert_string_equal(text, PRINTED(TOOLS, RULE_4, "6", "deny",
					  "\t\tpath /tmp/ log deny # handle 7\n"));
	free(text);
	assert_int_equal(result.next_handle, 8);
	/* the image is the result's: rule, policy on each hook */
	assert_int_equal(image.hooks[HOOK_FILE_OPEN].nrules, 2);
	assert_int_equal(image.hooks[HOOK_FILE_OPEN].rules[0].handle, 4);
	assert_int_equal(image.hooks[HOOK_FILE_OPEN].nexe_ids, 1);
	assert_int_equal(image.hooks[HOOK_EXEC].nrules, 2);
	assert_int_equal(image.hooks[HOOK_EXEC].rules[0].handle, 7);
	assert_ptr_equal(image.hooks[HOOK_EXEC].origins[0].rule,
			 nth_entry(&chain_find(table_find(&result, "host"), "exec")->rules,
				   struct rule, 0));
	table_image_free(&image);
	ruleset_free(&result);

	/* user names are converted in the result, not in the ruleset it started from */
	assert_int_equal(transaction(s, "add rule host files uid root deny\n", &result, &image, ""),
			 0);
	text = ruleset_text(&result, 0);
	assert_non_null(strstr(text, "\t\tuid 0 deny\n"));
	free(text);
	table_image_free(&image);
	ruleset_free(&result);

	/* flush ruleset: an empty result, no table on either hook */
	assert_int_equal(transaction(s, "flush ruleset\n", &result, &image, ""), 0);
	assert_true(list_empty(&result.tables));
	assert_int_equal(result.next_handle, 7);
	assert_int_equal(image.hooks[HOOK_FILE_OPEN].nrules, 0);
	assert_int_equal(image.hooks[HOOK_EXEC].nrules, 0);
	table_image_free(&image);
	ruleset_free(&result);
	session_free(s);
}

/* All or nothing: an error anywhere, in apply, evaluation or compilation, after commands that
 * succeeded, leaves the ruleset as it was and gives no result. */
static void test_transaction_errors(void **state)
{
	struct session *s = host_session();
	struct table_image image;
	struct ruleset result;
	char *big;
	size_t len;
	FILE *out;

	(void)state;
	/* apply */
	assert_int_equal(transaction(s, "flush chain host files\n"
				     "add rule host exec path /tmp/ deny\n"
				     "delete set host nosuch\n", &result, &image,
				     "<cmdline>:3:17-22: Error: set 'nosuch' does not exist in table "
				     "'host'\n"
				     "delete set host nosuch\n"
				     "                ^^^^^^\n"), -1);
	assert_int_equal(transaction(s, "delete table host\n"
				     "table host { chain exec { hook file_open; policy accept } }\n"
				     "add rule host exec path /tmp/ deny\n"
				     "add rule host files path /tmp/ deny\n", &result, &image,
				     "<cmdline>:4:15-19: Error: chain 'files' does not exist in table "
				     "'host'\n"
				     "add rule host files path /tmp/ deny\n"
				     "              ^^^^^\n"), -1);
	/* evaluation */
	assert_int_equal(transaction(s, "add rule host exec path /tmp/ deny\n"
				     "add rule host exec access write deny\n", &result, &image,
				     "<cmdline>:2:20-25: Error: access is not available on hook "
				     "exec\n"
				     "add rule host exec access write deny\n"
				     "                   ^^^^^^\n"), -1);
	/* compilation: one rule too many with the policy */
	out = open_memstream(&big, &len);
	fputs("add rule host files path /a deny\n", out);
	for (unsigned int i = 0; i < ENDURA_MAX_RULES - 3; i++)
		fprintf(out, "add rule host files path /x%u deny\n", i);
	fclose(out);
	assert_int_equal(transaction(s, big, &result, &image,
				     "Error: hook file_open has 16385 rules and chain policies; at "
				     "most 16384 are supported\n"), -1);
	/* one fewer fits */
	assert_int_equal(transaction(s, strchr(big, '\n') + 1, &result, &image, ""), 0);
	assert_int_equal(image.hooks[HOOK_FILE_OPEN].nrules, ENDURA_MAX_RULES);
	table_image_free(&image);
	ruleset_free(&result);
	free(big);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handles),
		cmocka_unit_test(test_table_merge),
		cmocka_unit_test(test_table_mode),
		cmocka_unit_test(test_chain_merge),
		cmocka_unit_test(test_chain_merge_policy),
		cmocka_unit_test(test_set_merge),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_add_chain_hook_conflict),
		cmocka_unit_test(test_every_error),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_delete_errors),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_flush_errors),
		cmocka_unit_test(test_adopt),
		cmocka_unit_test(test_apply_ignores_listed_handles),
		cmocka_unit_test(test_adopt_without_handles),
		cmocka_unit_test(test_transaction),
		cmocka_unit_test(test_transaction_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
