/*
 * ctl/ctl.c - leerkansctl, the administration tool: schema migrations,
 * the console's accounts, API tokens, the demo seed, and the organiser's
 * tools on the server (attendee exports, the reach report, the
 * retention purge).  It
 * finds its settings the way leerkansd does (-c FILE, $LEERKANS_CONFIG,
 * LEERKANS_* variables) and, being a short-lived command, blocks on the
 * database (ctl/pg.c, the db layer's blocking twin).
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "base/config.h"
#include "base/password.h"
#include "ctl/embedded.h"
#include "ctl/pg.h"
#include "input/account.h"
#include "input/validate.h"
#include "render/export.h"
#include "render/json.h"
#include "render/reach.h"
#include "base/log.h"
#include "db/export_rows.h"
#include "db/sql.h"
#include "base/util.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: leerkansctl [-c FILE] COMMAND [ARGS]\n"
	    "\n"
	    "commands:\n"
	    "  migrate              apply the schema migrations this build has\n"
	    "  migrate --status     show which migrations are applied\n"
	    "  user add EMAIL --role admin|organiser|door\n"
	    "                       a console account; the password is read\n"
	    "                       from standard input (one line, at least\n"
	    "                       12 characters)\n"
	    "  user disable EMAIL   end the account's sessions; no more logins\n"
	    "  user enable EMAIL    allow logins again\n"
	    "  user passwd EMAIL    a new password, from standard input\n"
	    "  user role EMAIL admin|organiser|door\n"
	    "  user list            the accounts, their roles and last logins\n"
	    "  token create NAME [--scope organiser|door]\n"
	    "                       make an API token (default scope organiser;\n"
	    "                       door may only check in); printed once\n"
	    "  token revoke NAME    revoke NAME's token\n"
	    "  token list           list tokens (names, scopes and dates, never\n"
	    "                       tokens)\n"
	    "  seed                 add the action plan's demonstration events\n"
	    "  export EVENT [--format csv|json|xlsx] [--session S] [--status S]\n"
	    "         [--delimiter comma|semicolon] [--profile plain|excel]\n"
	    "         [-o FILE]\n"
	    "                       the attendee list, to stdout or FILE (an\n"
	    "                       xlsx workbook needs FILE or a pipe)\n"
	    "  report reach [--year YYYY] [--json]\n"
	    "                       \"De teller loopt\": the reach of a year\n"
	    "  purge [--dry-run]    erase the registrations of events that ended\n"
	    "                       more than retention_months ago\n"
	    "  mail status          the outbox: queued, sent and failed mails,\n"
	    "                       and the failed ones (never an address)\n"
	    "  mail retry ID|--all-failed\n"
	    "                       queue a failed mail (or every one) again\n"
	    "\n"
	    "Settings as for leerkansd: -c FILE, $LEERKANS_CONFIG, and\n"
	    "LEERKANS_DATABASE_URL; see leerkansctl(8).\n");
}

/* A value of an answer as text, "" for an SQL NULL: for printing. */
static const char *
ctl_value(const struct db_result *res, int row, int col)
{
	const char *v = db_result_value(res, row, col);

	return v != NULL ? v : "";
}

/* Is version recorded in res (sql_migrations_applied)? */
static bool
migration_recorded(const struct db_result *res, int version)
{
	int i;

	for (i = 0; i < db_result_rows(res); i++)
		if (atoi(ctl_value(res, i, 0)) == version)
			return true;
	return false;
}

/* The checksum res (sql_functions_applied) records for a function file,
 * or NULL. */
static const char *
function_recorded(const struct db_result *res, const char *name)
{
	int i;

	for (i = 0; i < db_result_rows(res); i++)
		if (strcmp(ctl_value(res, i, 0), name) == 0)
			return ctl_value(res, i, 1);
	return NULL;
}

/* Does the database hold exactly this build's function files? */
static bool
functions_current(const struct db_result *res)
{
	const struct embedded_function *f;
	const char *sum;
	int n = 0;

	for (f = embedded_functions; f->name != NULL; f++, n++)
		if ((sum = function_recorded(res, f->name)) == NULL ||
		    strcmp(sum, f->checksum) != 0)
			return false;
	return n == db_result_rows(res);
}

/*
 * Refuses to drop the functions when a stored object (an index
 * expression, a column default, a CHECK, a view) needs one: dropping it
 * with CASCADE would drop that object too.  Triggers are code and come
 * back with the function files.
 */
static bool
functions_droppable(struct ctl_pg *pg)
{
	struct db_result res;
	int i, n;

	if (!ctl_pg_exec(pg, "checking what uses the functions",
	    sql_functions_dependents, 0, NULL, &res))
		return false;
	n = db_result_rows(&res);
	for (i = 0; i < n; i++)
		fprintf(stderr, "leerkansctl: %s needs %s\n",
		    ctl_value(&res, i, 1), ctl_value(&res, i, 0));
	if (n > 0)
		fprintf(stderr, "leerkansctl: the functions are dropped and "
		    "made again from migrations/functions/, which would drop "
		    "what needs them; a function the stored schema needs "
		    "belongs in a versioned migration, under a name without "
		    "the lk_ prefix\n");
	ctl_pg_clear(&res);
	return n == 0;
}

/*
 * One transaction: the lk_* functions go (and with them their
 * triggers), the pending migrations run against the tables alone, as
 * they do on a new database, then every function file, in name order.
 * Either all of it happens or none, so a failure leaves the database as
 * it was, functions included, and a daemon on it keeps working.
 */
static bool
migrate_apply(struct ctl_pg *pg, const struct db_result *versions,
    int *applied)
{
	const struct embedded_migration *m;
	const struct embedded_function *f;
	const char *params[2];
	char version[16], what[300];

	*applied = 0;
	if (!ctl_pg_script(pg, "migrate", sql_begin))
		return false;
	if (!functions_droppable(pg) ||
	    !ctl_pg_script(pg, "dropping the functions", sql_functions_drop))
		goto fail;
	for (m = embedded_migrations; m->name != NULL; m++) {
		if (migration_recorded(versions, m->version))
			continue;
		snprintf(version, sizeof(version), "%d", m->version);
		snprintf(what, sizeof(what), "migrations/%s", m->name);
		params[0] = version;
		params[1] = m->name;
		if (!ctl_pg_script(pg, what, m->sql) ||
		    !ctl_pg_exec(pg, what, sql_migration_record, 2, params,
		    NULL))
			goto fail;
	}
	if (!ctl_pg_script(pg, "recording the functions",
	    sql_functions_forget))
		goto fail;
	for (f = embedded_functions; f->name != NULL; f++) {
		snprintf(what, sizeof(what), "migrations/functions/%s",
		    f->name);
		params[0] = f->name;
		params[1] = f->checksum;
		if (!ctl_pg_script(pg, what, f->sql) ||
		    !ctl_pg_exec(pg, what, sql_function_record, 2, params,
		    NULL))
			goto fail;
	}
	if (!ctl_pg_script(pg, "migrate", sql_commit))
		goto fail;
	/* said once it holds: until COMMIT, nothing was applied */
	for (m = embedded_migrations; m->name != NULL; m++)
		if (!migration_recorded(versions, m->version)) {
			fprintf(stderr, "leerkansctl: applied %s\n", m->name);
			(*applied)++;
		}
	for (f = embedded_functions; f->name != NULL; f++)
		fprintf(stderr, "leerkansctl: applied functions/%s\n", f->name);
	return true;
fail:
	ctl_pg_try(pg, sql_rollback);
	fprintf(stderr, "leerkansctl: migrate failed; the database is as it "
	    "was before\n");
	*applied = 0;
	return false;
}

static int
cmd_migrate(struct ctl_pg *pg, bool status_only)
{
	const struct embedded_migration *m;
	const struct embedded_function *f;
	struct db_result versions, functions;
	const char *sum;
	int applied, pending = 0, latest = 0, newest = 0, i, v;
	bool ok = false;

	memset(&versions, 0, sizeof(versions));
	memset(&functions, 0, sizeof(functions));
	ctl_pg_quiet(pg);
	if (!ctl_pg_script(pg, "taking the migration lock", sql_migrate_lock))
		return 1;
	if (!ctl_pg_script(pg, "creating schema_migrations",
	    sql_migrations_table) ||
	    !ctl_pg_script(pg, "creating schema_functions",
	    sql_functions_table) ||
	    !ctl_pg_exec(pg, "reading schema_migrations",
	    sql_migrations_applied, 0, NULL, &versions) ||
	    !ctl_pg_exec(pg, "reading schema_functions",
	    sql_functions_applied, 0, NULL, &functions))
		goto done;

	for (m = embedded_migrations; m->name != NULL; m++) {
		latest = m->version;
		if (!migration_recorded(&versions, m->version))
			pending++;
		if (status_only)
			printf("%s %s\n", migration_recorded(&versions,
			    m->version) ? "applied" : "pending", m->name);
	}
	if (status_only) {
		for (f = embedded_functions; f->name != NULL; f++) {
			sum = function_recorded(&functions, f->name);
			printf("%s functions/%s\n", sum == NULL ? "pending" :
			    strcmp(sum, f->checksum) != 0 ? "changed" :
			    "applied", f->name);
		}
		for (i = 0; i < db_result_rows(&functions); i++) {
			for (f = embedded_functions; f->name != NULL; f++)
				if (strcmp(f->name,
				    ctl_value(&functions, i, 0)) == 0)
					break;
			if (f->name == NULL)
				printf("obsolete functions/%s\n",
				    ctl_value(&functions, i, 0));
		}
	}
	for (i = 0; i < db_result_rows(&versions); i++)
		if ((v = atoi(ctl_value(&versions, i, 0))) > latest) {
			fprintf(stderr, "leerkansctl: warning: the database has "
			    "migration %d, newer than this build\n", v);
			newest = v;
		}
	if (status_only) {
		ok = true;
		goto done;
	}
	if (newest > 0) {
		/* its functions may need that migration: leave them be */
		fprintf(stderr, "leerkansctl: nothing changed; use the "
		    "leerkansctl of the newer build\n");
		ok = true;
		goto done;
	}
	if (pending == 0 && functions_current(&functions)) {
		printf("schema is up to date (version %d)\n", latest);
		ok = true;
		goto done;
	}
	if (!migrate_apply(pg, &versions, &applied))
		goto done;
	if (applied == 0)
		printf("applied the functions; schema at version %d\n", latest);
	else
		printf("applied %d migration%s; schema at version %d\n",
		    applied, applied == 1 ? "" : "s", latest);
	ok = true;
done:
	ctl_pg_clear(&versions);
	ctl_pg_clear(&functions);
	ctl_pg_try(pg, sql_migrate_unlock);
	return ok ? 0 : 1;
}

static bool
token_name_ok(const char *name)
{
	size_t len = strlen(name), i;

	if (len == 0 || len > 100)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return true;
}
/* The value of --name VALUE or --name=VALUE at argv[*i]; NULL if argv[*i]
 * is not that option.  Exits on a missing value. */
static const char *
ctl_opt(int argc, char *argv[], int *i, const char *name)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len) != 0)
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "leerkansctl: %s needs a value\n", name);
		exit(2);
	}
	return argv[++*i];
}
/* Who did it, for the audit log: the program and the Unix user. */
static void
ctl_actor(char *out, size_t len)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(out, len, "leerkansctl (%s)", pw != NULL ? pw->pw_name : "?");
}

/* The JSON of a one-row answer, which it clears, or NULL (said on
 * stderr). */
static json_t *
ctl_json(struct db_result *res)
{
	const char *text = db_result_text(res, NULL);
	json_t *doc = text != NULL ? json_loads(text, 0, NULL) : NULL;

	ctl_pg_clear(res);
	if (doc == NULL)
		fprintf(stderr, "leerkansctl: the database's answer is not "
		    "what this build expects; run leerkansctl migrate\n");
	return doc;
}
static const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}
static int
cmd_token_create(struct ctl_pg *pg, int argc, char *argv[])
{
	char token[TOKEN_LEN + 1], actor[300];
	const char *name = NULL, *scope = "organiser", *v, *params[6];
	enum account_role role;
	int i;

	for (i = 2; i < argc; i++) {
		if ((v = ctl_opt(argc, argv, &i, "--scope")) != NULL)
			scope = v;
		else if (argv[i][0] != '-' && name == NULL)
			name = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (name == NULL) {
		usage(stderr);
		return 2;
	}
	if (!token_name_ok(name)) {
		fprintf(stderr, "leerkansctl: a token name is 1 to 100 printable "
		    "characters\n");
		return 2;
	}
	if (!account_role_parse(scope, &role) || role == ROLE_ADMIN) {
		fprintf(stderr, "leerkansctl: --scope is organiser or door\n");
		return 2;
	}
	if (!token_new(token)) {
		fprintf(stderr, "leerkansctl: no random bytes: %s\n",
		    strerror(errno));
		return 1;
	}
	ctl_actor(actor, sizeof(actor));
	params[0] = name;
	params[1] = token;
	params[2] = scope;
	params[3] = "[]";
	params[4] = actor;
	params[5] = NULL;
	if (!ctl_pg_exec(pg, "storing the token", sql_token_create, 6, params,
	    NULL)) {
		explicit_bzero(token, sizeof(token));
		return 1;
	}
	printf("%s\n", token);
	explicit_bzero(token, sizeof(token));
	return 0;
}
static int
cmd_token_revoke(struct ctl_pg *pg, const char *name)
{
	const char *params[2];
	char actor[300];

	ctl_actor(actor, sizeof(actor));
	params[0] = name;
	params[1] = actor;
	if (!ctl_pg_exec(pg, "revoking the token", sql_token_revoke_name, 2,
	    params, NULL))
		return 1;
	fprintf(stderr, "leerkansctl: revoked %s\n", name);
	return 0;
}
/* "2027-03-18T14:00:00+01:00" as "2027-03-18 14:00" */
static void
ctl_when(const char *t, char *out, size_t len)
{
	snprintf(out, len, "%.10s %.5s", t, *t != '\0' ? t + 11 : "");
	if (*t == '\0')
		snprintf(out, len, "-");
}
static int
cmd_token_list(struct ctl_pg *pg)
{
	char created[20], revoked[20];
	json_t *doc, *t;
	struct db_result res;
	size_t i;

	if (!ctl_pg_exec(pg, "listing tokens", sql_tokens, 0, NULL, &res) ||
	    (doc = ctl_json(&res)) == NULL)
		return 1;
	printf("%-30s %-10s %-17s %s\n", "NAME", "SCOPE", "CREATED", "REVOKED");
	json_array_foreach(json_object_get(doc, "tokens"), i, t) {
		ctl_when(jstr(t, "created_at"), created, sizeof(created));
		ctl_when(jstr(t, "revoked_at"), revoked, sizeof(revoked));
		printf("%-30s %-10s %-17s %s\n", jstr(t, "name"),
		    jstr(t, "scope"), created, *jstr(t, "revoked_at") ?
		    revoked : "");
	}
	json_decref(doc);
	return 0;
}

/* -- console accounts ----------------------------------------------------- */
/*
 * One line of standard input, without its line end, into buf (size
 * bytes): false at end of input with nothing read, or for a line that
 * does not fit (the rest is read and dropped).
 */
static bool
ctl_read_line(char *buf, size_t size, bool *too_long)
{
	size_t len;
	int c;

	*too_long = false;
	if (fgets(buf, (int)size, stdin) == NULL)
		return false;
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (len == size - 1) {
		*too_long = true;
		while ((c = getchar()) != EOF && c != '\n')
			;
	}
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return true;
}
/*
 * A password from standard input: one line.  On a terminal it is asked
 * for without echo, twice.  Checked against the rule; false (said why)
 * otherwise.  buf holds ACCOUNT_PASSWORD_MAX + 3 bytes; the caller
 * wipes it.
 */
static bool
ctl_read_password(const char *email, char *buf, size_t size)
{
	char again[ACCOUNT_PASSWORD_MAX + 3];
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO), too_long = false, got, same = true;

	if (tty) {
		fprintf(stderr, "Password for %s (at least %d characters): ",
		    email, ACCOUNT_PASSWORD_MIN);
		if (tcgetattr(STDIN_FILENO, &old) == -1)
			tty = false;
		else {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		}
	}
	got = ctl_read_line(buf, size, &too_long);
	if (tty && got && !too_long) {
		fprintf(stderr, "\nAgain: ");
		same = ctl_read_line(again, sizeof(again), &too_long) &&
		    strcmp(buf, again) == 0;
		explicit_bzero(again, sizeof(again));
	}
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!got) {
		fprintf(stderr, "leerkansctl: no password on standard input "
		    "(one line)\n");
		return false;
	}
	if (!same) {
		fprintf(stderr, "leerkansctl: the two passwords differ\n");
		return false;
	}
	switch (too_long ? PASSWORD_LONG : account_password_check(buf)) {
	case PASSWORD_OK:
		return true;
	case PASSWORD_SHORT:
		fprintf(stderr, "leerkansctl: a password has at least %d "
		    "characters (spaces count; a sentence will do); this one "
		    "has %zu\n", ACCOUNT_PASSWORD_MIN, utf8_length(buf));
		return false;
	case PASSWORD_LONG:
		fprintf(stderr, "leerkansctl: a password has at most %d "
		    "bytes\n", ACCOUNT_PASSWORD_MAX);
		return false;
	case PASSWORD_INVALID:
		fprintf(stderr, "leerkansctl: a password is UTF-8 text without "
		    "control characters (tabs included)\n");
		return false;
	}
	return false;
}
/* The login argv names, normalised, or a message and false. */
static bool
ctl_login(const char *arg, char *out, size_t len)
{
	if (account_email_normalize(arg, out, len))
		return true;
	fprintf(stderr, "leerkansctl: '%s' is not an e-mail address\n", arg);
	return false;
}
/* A new password hash for email, read from standard input, into hash. */
static bool
ctl_new_hash(const char *email, char hash[PASSWORD_HASH_SIZE])
{
	char pw[ACCOUNT_PASSWORD_MAX + 3];
	bool ok;

	if (!password_init()) {
		fprintf(stderr, "leerkansctl: libsodium cannot start\n");
		return false;
	}
	ok = ctl_read_password(email, pw, sizeof(pw));
	if (ok && !(ok = password_hash(pw, hash)))
		fprintf(stderr, "leerkansctl: hashing the password failed "
		    "(out of memory: Argon2id takes 64 MiB)\n");
	explicit_bzero(pw, sizeof(pw));
	return ok;
}
static int
cmd_user_add(struct ctl_pg *pg, int argc, char *argv[])
{
	const char *arg = NULL, *rolename = NULL, *v, *params[6];
	char email[ACCOUNT_EMAIL_MAX + 1], hash[PASSWORD_HASH_SIZE];
	char actor[300];
	enum account_role role;
	struct db_result res;
	json_t *u;
	int i;

	for (i = 2; i < argc; i++) {
		if ((v = ctl_opt(argc, argv, &i, "--role")) != NULL)
			rolename = v;
		else if (argv[i][0] != '-' && arg == NULL)
			arg = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (arg == NULL || rolename == NULL) {
		fprintf(stderr, "leerkansctl: user add EMAIL --role "
		    "admin|organiser|door\n");
		return 2;
	}
	if (!account_role_parse(rolename, &role)) {
		fprintf(stderr, "leerkansctl: --role is admin, organiser or "
		    "door\n");
		return 2;
	}
	if (!ctl_login(arg, email, sizeof(email)))
		return 2;
	if (!ctl_new_hash(email, hash))
		return 1;
	ctl_actor(actor, sizeof(actor));
	params[0] = email;
	params[1] = account_role_name(role);
	params[2] = hash;
	params[3] = "[]";
	params[4] = actor;
	params[5] = NULL;
	i = ctl_pg_exec(pg, "adding the account", sql_user_create, 6, params,
	    &res);
	explicit_bzero(hash, sizeof(hash));
	if (!i || (u = ctl_json(&res)) == NULL)
		return 1;
	fprintf(stderr, "leerkansctl: added %s (%s)\n", jstr(u, "email"),
	    jstr(u, "role"));
	json_decref(u);
	return 0;
}
/* user disable, enable, passwd, role: one change of one account. */
static int
cmd_user_change(struct ctl_pg *pg, int argc, char *argv[])
{
	const char *what = argv[1], *params[3];
	char email[ACCOUNT_EMAIL_MAX + 1], hash[PASSWORD_HASH_SIZE];
	char actor[300], *change;
	enum account_role role;
	struct db_result res;
	json_t *u, *obj;
	bool ok;

	if (argc != (strcmp(what, "role") == 0 ? 4 : 3)) {
		usage(stderr);
		return 2;
	}
	if (!ctl_login(argv[2], email, sizeof(email)))
		return 2;
	if (strcmp(what, "role") == 0) {
		if (!account_role_parse(argv[3], &role)) {
			fprintf(stderr, "leerkansctl: a role is admin, organiser "
			    "or door\n");
			return 2;
		}
		obj = json_pack("{s:s}", "role", account_role_name(role));
	} else if (strcmp(what, "passwd") == 0) {
		if (!ctl_new_hash(email, hash))
			return 1;
		obj = json_pack("{s:s}", "password_hash", hash);
		explicit_bzero(hash, sizeof(hash));
	} else
		obj = json_pack("{s:b}", "disabled",
		    strcmp(what, "disable") == 0);
	change = obj != NULL ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	if (change == NULL) {
		fprintf(stderr, "leerkansctl: out of memory\n");
		return 1;
	}
	ctl_actor(actor, sizeof(actor));
	params[0] = email;
	params[1] = change;
	params[2] = actor;
	ok = ctl_pg_exec(pg, "changing the account", sql_user_update_email, 3,
	    params, &res);
	explicit_bzero(change, strlen(change));
	free(change);
	if (!ok || (u = ctl_json(&res)) == NULL)
		return 1;
	fprintf(stderr, "leerkansctl: %s: %s%s\n", jstr(u, "email"),
	    strcmp(what, "passwd") == 0 ? "new password; its sessions ended" :
	    strcmp(what, "role") == 0 ? "role " : strcmp(what, "disable") == 0 ?
	    "disabled; its sessions ended" : "enabled",
	    strcmp(what, "role") == 0 ? jstr(u, "role") : "");
	json_decref(u);
	return 0;
}
static int
cmd_user_list(struct ctl_pg *pg)
{
	char created[20], last[20];
	json_t *doc, *u;
	struct db_result res;
	size_t i;

	if (!ctl_pg_exec(pg, "listing accounts", sql_users, 0, NULL, &res) ||
	    (doc = ctl_json(&res)) == NULL)
		return 1;
	printf("%-40s %-10s %-9s %-17s %s\n", "EMAIL", "ROLE", "STATUS",
	    "CREATED", "LAST LOGIN");
	json_array_foreach(json_object_get(doc, "users"), i, u) {
		ctl_when(jstr(u, "created_at"), created, sizeof(created));
		ctl_when(jstr(u, "last_login_at"), last, sizeof(last));
		printf("%-40s %-10s %-9s %-17s %s\n", jstr(u, "email"),
		    jstr(u, "role"), json_is_true(json_object_get(u,
		    "disabled")) ? "disabled" : "active", created, last);
	}
	json_decref(doc);
	return 0;
}
static int
cmd_user(struct ctl_pg *pg, int argc, char *argv[])
{
	if (strcmp(argv[1], "add") == 0)
		return cmd_user_add(pg, argc, argv);
	if (strcmp(argv[1], "list") == 0)
		return cmd_user_list(pg);
	return cmd_user_change(pg, argc, argv);
}




static int
cmd_seed(struct ctl_pg *pg)
{
	struct db_result res;

	ctl_pg_quiet(pg);
	if (!ctl_pg_script(pg, "seed", sql_begin))
		return 1;
	if (!ctl_pg_script(pg, "seed", embedded_seed) ||
	    !ctl_pg_script(pg, "seed", sql_commit)) {
		ctl_pg_try(pg, sql_rollback);
		return 1;
	}
	if (!ctl_pg_exec(pg, "counting events", sql_events_count, 0, NULL,
	    &res))
		return 1;
	printf("seeded; %s events in the catalogue\n", ctl_value(&res, 0, 0));
	ctl_pg_clear(&res);
	return 0;
}



static bool
ctl_write_all(int fd, struct evbuffer *buf)
{
	while (evbuffer_get_length(buf) > 0)
		if (evbuffer_write(buf, fd) == -1 && errno != EINTR)
			return false;
	return true;
}

/* A file only its owner may read: it holds personal data. */
static int
ctl_create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd == -1)
		fprintf(stderr, "leerkansctl: %s: %s\n", path, strerror(errno));
	return fd;
}

/* An export under way: the writer, and where its bytes go. */
struct ctl_export {
	struct export_writer	 w;
	const char		*path;		/* -o FILE, or NULL: stdout */
	int			 fd;		/* CSV, JSON: the output */
	int			 tmpfd;		/* XLSX to stdout: the workbook */
};

/*
 * Opens the output: a text format's file (or stdout), or a workbook,
 * which libxlsxwriter writes by name: the file itself, or a nameless
 * temporary file that goes to stdout once it is whole.
 */
static bool
ctl_export_open(struct ctl_export *x)
{
	char tmpname[64], name[PATH_MAX];
	int fd;

	if (x->w.format != EXPORT_XLSX) {
		x->fd = x->path != NULL ? ctl_create_private(x->path) :
		    STDOUT_FILENO;
		return x->fd != -1;
	}
	if (x->path != NULL) {
		if ((fd = ctl_create_private(x->path)) == -1)
			return false;
		close(fd);
		snprintf(name, sizeof(name), "%s", x->path);
	} else {
		snprintf(tmpname, sizeof(tmpname), "/tmp/leerkansctl-XXXXXX");
		if ((x->tmpfd = mkstemp(tmpname)) == -1) {
			fprintf(stderr, "leerkansctl: no temporary file: %s\n",
			    strerror(errno));
			return false;
		}
		unlink(tmpname);
		snprintf(name, sizeof(name), "/proc/self/fd/%d", x->tmpfd);
	}
	if ((x->w.xlsx = export_xlsx_new(name, NULL, x->w.event)) == NULL) {
		fprintf(stderr, "leerkansctl: cannot start a workbook\n");
		return false;
	}
	return true;
}

/* One batch of the cursor: the row loop leerkansd runs, then out. */
static bool
ctl_export_batch(const struct db_result *res, void *arg)
{
	struct ctl_export *x = arg;

	if (!export_rows_write(&x->w, res)) {
		fprintf(stderr, "leerkansctl: %s\n", x->w.error);
		return false;
	}
	if (x->fd != -1 && !ctl_write_all(x->fd, x->w.out)) {
		fprintf(stderr, "leerkansctl: writing: %s\n", strerror(errno));
		return false;
	}
	return true;
}

/* The end of the list; a workbook is zipped, and copied to stdout. */
static bool
ctl_export_finish(struct ctl_export *x)
{
	char block[65536];
	ssize_t got;
	off_t off = 0;
	bool closed;

	export_write_end(&x->w);
	if (x->w.format != EXPORT_XLSX) {
		if (ctl_write_all(x->fd, x->w.out))
			return true;
		fprintf(stderr, "leerkansctl: writing: %s\n", strerror(errno));
		return false;
	}
	closed = export_xlsx_close(x->w.xlsx);
	x->w.xlsx = NULL;
	if (!closed) {
		fprintf(stderr, "leerkansctl: the workbook could not be "
		    "written\n");
		return false;
	}
	while (x->tmpfd != -1 &&
	    (got = pread(x->tmpfd, block, sizeof(block), off)) > 0) {
		off += got;
		evbuffer_add(x->w.out, block, (size_t)got);
		if (!ctl_write_all(STDOUT_FILENO, x->w.out)) {
			fprintf(stderr, "leerkansctl: writing: %s\n",
			    strerror(errno));
			return false;
		}
	}
	return true;
}

static int
cmd_export(struct ctl_pg *pg, int argc, char *argv[])
{
	const char *session = NULL, *status = "active", *format = "csv";
	const char *delim = "comma", *profile = "plain", *v, *params[6];
	struct ctl_export x;
	char actor[300];
	bool ok = false;
	int i;

	memset(&x, 0, sizeof(x));
	x.fd = x.tmpfd = -1;
	for (i = 1; i < argc; i++) {
		if ((v = ctl_opt(argc, argv, &i, "--format")) != NULL)
			format = v;
		else if ((v = ctl_opt(argc, argv, &i, "--session")) != NULL)
			session = v;
		else if ((v = ctl_opt(argc, argv, &i, "--status")) != NULL)
			status = v;
		else if ((v = ctl_opt(argc, argv, &i, "--delimiter")) != NULL)
			delim = v;
		else if ((v = ctl_opt(argc, argv, &i, "--profile")) != NULL)
			profile = v;
		else if ((v = ctl_opt(argc, argv, &i, "-o")) != NULL ||
		    (v = ctl_opt(argc, argv, &i, "--output")) != NULL)
			x.path = v;
		else if (argv[i][0] != '-' && x.w.event == NULL)
			x.w.event = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	x.w.session = session;
	if (x.w.event == NULL || !export_format_parse(format, &x.w.format) ||
	    !export_delimiter_parse(delim, &x.w.delim) ||
	    !export_profile_parse(profile, &x.w.profile) ||
	    (x.w.profile == EXPORT_SHEET && x.w.format != EXPORT_CSV)) {
		usage(stderr);
		return 2;
	}
	if (x.w.profile == EXPORT_SHEET)
		x.w.delim = ';';	/* a spreadsheet's CSV, as in leerkansd */
	if (x.w.format == EXPORT_XLSX && x.path == NULL &&
	    isatty(STDOUT_FILENO)) {
		fprintf(stderr, "leerkansctl: a workbook is no text for a "
		    "terminal; use -o FILE.xlsx\n");
		return 2;
	}

	/* the event and session checked, the export in the audit log */
	ctl_actor(actor, sizeof(actor));
	params[0] = x.w.event;
	params[1] = session;
	params[2] = status;
	params[3] = export_extension(x.w.format);
	params[4] = actor;
	params[5] = "true";
	if (!ctl_pg_exec(pg, "checking the export", sql_export_begin, 6,
	    params, NULL))
		return 1;

	if ((x.w.out = evbuffer_new()) == NULL || !ctl_export_open(&x))
		goto done;
	export_write_begin(&x.w);
	if (!ctl_pg_cursor(pg, "export", x.w.profile == EXPORT_SHEET ?
	    sql_attendees_sheet_cursor : sql_attendees_cursor, 3, params,
	    ctl_export_batch, &x) || !ctl_export_finish(&x))
		goto done;
	fprintf(stderr, "leerkansctl: exported %ld attendee%s\n", x.w.rows,
	    x.w.rows == 1 ? "" : "s");
	ok = true;
done:
	export_xlsx_discard(x.w.xlsx);
	if (x.w.out != NULL)
		evbuffer_free(x.w.out);
	if (x.fd != -1 && x.fd != STDOUT_FILENO && close(x.fd) == -1 && ok) {
		fprintf(stderr, "leerkansctl: %s: %s\n", x.path,
		    strerror(errno));
		ok = false;
	}
	if (x.tmpfd != -1)
		close(x.tmpfd);
	if (!ok && x.path != NULL)
		unlink(x.path);
	return ok ? 0 : 1;
}

/* One line of the reach table: a label and a count per column. */
static void
reach_line_print(json_t *cols[], size_t ncols, const int widths[],
    const struct reach_line *line)
{
	size_t i;

	printf("%-38s", line->label);
	for (i = 0; i < ncols; i++)
		printf(" %*ld", widths[i], reach_count(cols[i], line));
	printf("\n");
}

static void
reach_print(json_t *report)
{
	json_t *kinds = json_object_get(report, "kinds"), *k;
	json_t *cols[16];
	int widths[16];
	size_t ncols = 0, i, idx;

	json_array_foreach(kinds, idx, k) {
		const char *name = json_string_value(json_object_get(k, "kind"));
		int w = name != NULL ? (int)strlen(name) : 8;

		if (ncols >= 15)
			break;
		cols[ncols] = json_object_get(k, "counts");
		widths[ncols++] = w < 8 ? 8 : w;
	}
	cols[ncols] = json_object_get(report, "total");
	widths[ncols++] = 8;

	printf("De teller loopt: reach of %lld (events starting %s to %s)\n\n",
	    (long long)json_integer_value(json_object_get(report, "year")),
	    json_string_value(json_object_get(report, "from")),
	    json_string_value(json_object_get(report, "to")));
	printf("%-38s", "");
	json_array_foreach(kinds, idx, k) {
		if (idx >= 15)
			break;
		printf(" %*s", widths[idx], json_string_value(
		    json_object_get(k, "kind")));
	}
	printf(" %*s\n", widths[ncols - 1], "total");
	for (i = 0; i < reach_nlines; i++) {
		if (reach_lines[i].key == NULL)
			printf("%s\n", reach_lines[i].label);
		else
			reach_line_print(cols, ncols, widths, &reach_lines[i]);
	}
	printf("\nDistinct people and organisations are not added up: the "
	    "total counts\neach once, across kinds.\n");
}

static int
cmd_report(struct ctl_pg *pg, const struct settings *s, int argc,
    char *argv[])
{
	const char *year = NULL, *v, *params[2];
	bool as_json = false;
	json_t *report;
	struct db_result res;
	size_t len;
	int i;

	if (argc < 2 || strcmp(argv[1], "reach") != 0) {
		usage(stderr);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if ((v = ctl_opt(argc, argv, &i, "--year")) != NULL)
			year = v;
		else if (strcmp(argv[i], "--json") == 0)
			as_json = true;
		else {
			usage(stderr);
			return 2;
		}
	}
	if (year != NULL && (strlen(year) != 4 ||
	    strspn(year, "0123456789") != 4)) {
		fprintf(stderr, "leerkansctl: --year takes a year, e.g. 2027\n");
		return 2;
	}
	if (*s->erasure_secret == '\0')
		fprintf(stderr, "leerkansctl: warning: erasure_secret is not "
		    "set; erased registrations cannot be matched with the "
		    "others, so distinct people and organisations may count "
		    "too high\n");
	params[0] = year;
	params[1] = s->erasure_secret;
	if (!ctl_pg_exec(pg, "the reach report", sql_reach, 2, params, &res))
		return 1;
	if (as_json) {
		/* the bytes leerkansd answers: compact, one line */
		const char *raw = ctl_value(&res, 0, 0);
		char *text = json_text_compact(raw, strlen(raw), &len);

		ctl_pg_clear(&res);
		if (text == NULL) {
			fprintf(stderr, "leerkansctl: the report is not JSON\n");
			return 1;
		}
		fwrite(text, 1, len, stdout);
		free(text);
		return 0;
	}
	report = json_loads(ctl_value(&res, 0, 0), 0, NULL);
	ctl_pg_clear(&res);
	if (report == NULL) {
		fprintf(stderr, "leerkansctl: the report is not JSON\n");
		return 1;
	}
	reach_print(report);
	json_decref(report);
	return 0;
}

static int
cmd_purge(struct ctl_pg *pg, const struct settings *s, int argc,
    char *argv[])
{
	const char *params[4];
	char months[16], actor[300];
	bool dry = false;
	json_t *answer;
	struct db_result res;
	long erased;

	if (argc == 2 && strcmp(argv[1], "--dry-run") == 0)
		dry = true;
	else if (argc != 1) {
		usage(stderr);
		return 2;
	}
	if (!dry && *s->erasure_secret == '\0') {
		fprintf(stderr, "leerkansctl: purge needs erasure_secret "
		    "(LEERKANS_ERASURE_SECRET), the same as leerkansd's\n");
		return 1;
	}
	snprintf(months, sizeof(months), "%d", s->retention_months);
	ctl_actor(actor, sizeof(actor));
	params[0] = months;
	params[1] = s->erasure_secret;
	params[2] = actor;
	params[3] = dry ? "true" : "false";
	if (!ctl_pg_exec(pg, "purging", sql_purge, 4, params, &res))
		return 1;
	answer = json_loads(ctl_value(&res, 0, 0), 0, NULL);
	ctl_pg_clear(&res);
	if (dry) {
		printf("would erase %ld registrations of %ld events that ended "
		    "more than %d months ago\n",
		    (long)json_integer_value(json_object_get(answer,
		    "would_erase")),
		    (long)json_integer_value(json_object_get(answer, "events")),
		    s->retention_months);
		json_decref(answer);
		return 0;
	}
	erased = (long)json_integer_value(json_object_get(answer, "erased"));
	printf("erased %ld registrations of %ld events that ended more than "
	    "%d months ago\n", erased,
	    (long)json_integer_value(json_object_get(answer, "events")),
	    s->retention_months);
	json_decref(answer);
	/* the old row versions hold the data until VACUUM reclaims them */
	if (erased > 0 && !ctl_pg_script(pg, "vacuuming", sql_purge_vacuum))
		fprintf(stderr, "leerkansctl: warning: run VACUUM on "
		    "registrations so the erased values leave the disk\n");
	return 0;
}

/* leerkansctl mail status | retry ID | retry --all-failed */
static int
cmd_mail(struct ctl_pg *pg, int argc, char *argv[])
{
	struct db_result res;
	json_t *answer, *f;
	const char *params[1];
	char *end;
	size_t i;

	if (strcmp(argv[1], "status") == 0) {
		if (!ctl_pg_exec(pg, "reading the outbox", sql_mail_status, 0,
		    NULL, &res))
			return 1;
		answer = json_loads(ctl_value(&res, 0, 0), 0, NULL);
		ctl_pg_clear(&res);
		printf("queued %lld\nsent %lld\nfailed %lld\n",
		    (long long)json_integer_value(json_object_get(answer,
		    "queued")),
		    (long long)json_integer_value(json_object_get(answer,
		    "sent")),
		    (long long)json_integer_value(json_object_get(answer,
		    "failed")));
		json_array_foreach(json_object_get(answer, "failed_mails"), i,
		    f) {
			if (i == 0)
				printf("\n%-8s %-16s %-12s %-24s %-8s %-12s "
				    "%s\n", "ID", "KIND", "REGISTRATION",
				    "EVENT", "ATTEMPTS", "ERROR", "QUEUED");
			printf("%-8lld %-16s %-12lld %-24s %-8lld %-12s %s\n",
			    (long long)json_integer_value(json_object_get(f,
			    "id")),
			    json_string_value(json_object_get(f, "kind")),
			    (long long)json_integer_value(json_object_get(f,
			    "registration")),
			    json_string_value(json_object_get(f, "event")),
			    (long long)json_integer_value(json_object_get(f,
			    "attempts")),
			    json_is_string(json_object_get(f, "error")) ?
			    json_string_value(json_object_get(f, "error")) :
			    "-",
			    json_string_value(json_object_get(f,
			    "created_at")));
		}
		json_decref(answer);
		return 0;
	}
	/* retry */
	if (strcmp(argv[2], "--all-failed") == 0)
		params[0] = NULL;
	else {
		if (strtoll(argv[2], &end, 10) <= 0 || *end != '\0') {
			usage(stderr);
			return 2;
		}
		params[0] = argv[2];
	}
	if (!ctl_pg_exec(pg, "queueing again", sql_mail_retry, 1, params,
	    &res))
		return 1;
	answer = json_loads(ctl_value(&res, 0, 0), 0, NULL);
	ctl_pg_clear(&res);
	printf("queued %lld failed mails again\n",
	    (long long)json_integer_value(json_object_get(answer, "retried")));
	json_decref(answer);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct settings s;
	const char *file = NULL;
	char err[CONFIG_ERR_MAX];
	struct ctl_pg *pg;
	int ch, rc;

	log_init("leerkansctl", LOG_LEVEL_INFO);
	while ((ch = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("leerkansctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (!((strcmp(argv[0], "migrate") == 0 && (argc == 1 || (argc == 2 &&
	    strcmp(argv[1], "--status") == 0))) ||
	    (strcmp(argv[0], "seed") == 0 && argc == 1) ||
	    strcmp(argv[0], "export") == 0 || strcmp(argv[0], "report") == 0 ||
	    strcmp(argv[0], "purge") == 0 ||
	    (strcmp(argv[0], "mail") == 0 && ((argc == 2 &&
	    strcmp(argv[1], "status") == 0) || (argc == 3 &&
	    strcmp(argv[1], "retry") == 0))) ||
	    (strcmp(argv[0], "token") == 0 && ((argc >= 3 &&
	    strcmp(argv[1], "create") == 0) || (argc == 3 &&
	    strcmp(argv[1], "revoke") == 0) || (argc == 2 &&
	    strcmp(argv[1], "list") == 0))) ||
	    (strcmp(argv[0], "user") == 0 && argc >= 2 &&
	    (strcmp(argv[1], "add") == 0 || (argc == 2 &&
	    strcmp(argv[1], "list") == 0) || (argc >= 3 &&
	    (strcmp(argv[1], "disable") == 0 ||
	    strcmp(argv[1], "enable") == 0 || strcmp(argv[1], "passwd") == 0 ||
	    strcmp(argv[1], "role") == 0)))))) {
		usage(stderr);
		return 2;
	}
	if (!config_load(&s, file, err, sizeof(err))) {
		fprintf(stderr, "leerkansctl: %s\n", err);
		return 1;
	}
	if ((pg = ctl_pg_connect(s.database_url)) == NULL) {
		config_free(&s);
		return 1;
	}
	if (strcmp(argv[0], "migrate") == 0)
		rc = cmd_migrate(pg, argc == 2);
	else if (strcmp(argv[0], "seed") == 0)
		rc = cmd_seed(pg);
	else if (strcmp(argv[0], "export") == 0)
		rc = cmd_export(pg, argc, argv);
	else if (strcmp(argv[0], "report") == 0)
		rc = cmd_report(pg, &s, argc, argv);
	else if (strcmp(argv[0], "purge") == 0)
		rc = cmd_purge(pg, &s, argc, argv);
	else if (strcmp(argv[0], "user") == 0)
		rc = cmd_user(pg, argc, argv);
	else if (strcmp(argv[0], "mail") == 0)
		rc = cmd_mail(pg, argc, argv);
	else if (strcmp(argv[1], "create") == 0)
		rc = cmd_token_create(pg, argc, argv);
	else if (strcmp(argv[1], "revoke") == 0)
		rc = cmd_token_revoke(pg, argv[2]);
	else
		rc = cmd_token_list(pg);
	ctl_pg_close(pg);
	config_free(&s);
	return rc;
}
