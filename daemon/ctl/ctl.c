/*
 * ctl/ctl.c - leerkansctl, the administration tool: schema migrations,
 * organiser tokens, the demo seed, and the organiser's tools on the
 * server (attendee exports, the reach report, the retention purge).  It
 * finds its settings the way leerkansd does (-c FILE, $LEERKANS_CONFIG,
 * LEERKANS_* variables) and, being a short-lived command, uses libpq's
 * blocking calls.
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
#include <unistd.h>

#include <event2/buffer.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "base/config.h"
#include "ctl/embedded.h"
#include "render/export.h"
#include "render/json.h"
#include "render/reach.h"
#include "base/log.h"
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
	    "  token create NAME    make an organiser token; it is printed once\n"
	    "  token revoke NAME    revoke NAME's token\n"
	    "  token list           list tokens (names and dates, never tokens)\n"
	    "  seed                 add the action plan's demonstration events\n"
	    "  export EVENT [--format csv|json|xlsx] [--session S] [--status S]\n"
	    "         [--delimiter comma|semicolon] [-o FILE]\n"
	    "                       the attendee list, to stdout or FILE (an\n"
	    "                       xlsx workbook needs FILE or a pipe)\n"
	    "  report reach [--year YYYY] [--json]\n"
	    "                       \"De teller loopt\": the reach of a year\n"
	    "  purge [--dry-run]    erase the registrations of events that ended\n"
	    "                       more than retention_months ago\n"
	    "\n"
	    "Settings as for leerkansd: -c FILE, $LEERKANS_CONFIG, and\n"
	    "LEERKANS_DATABASE_URL; see leerkansctl(8).\n");
}

static PGconn *
ctl_connect(const struct settings *s)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { s->database_url, "leerkansctl", NULL };
	PGconn *pg;

	pg = PQconnectdbParams(keys, vals, 1);
	if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "leerkansctl: cannot connect to the database: "
		    "%s", pg ? PQerrorMessage(pg) : "out of memory\n");
		exit(1);
	}
	return pg;
}

static void
notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* A refusal of the lk_* functions (SQLSTATE LKnnn): its message and the
 * field errors that DETAIL holds as JSON. */
static void
ctl_refusal(const char *what, const PGresult *res)
{
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	json_t *errors = detail != NULL && *detail ?
	    json_loads(detail, 0, NULL) : NULL, *e;
	size_t i;

	fprintf(stderr, "leerkansctl: %s: %s\n", what, msg ? msg : "refused");
	json_array_foreach(errors, i, e)
		fprintf(stderr, "leerkansctl:   %s: %s\n",
		    json_string_value(json_object_get(e, "field")),
		    json_string_value(json_object_get(e, "message")));
	json_decref(errors);
}

/* Runs sql; on failure prints what and the server's message. */
static bool
ctl_exec(PGconn *pg, const char *what, const char *sql, int n,
    const char *const *params, PGresult **out)
{
	PGresult *res;
	ExecStatusType st;

	res = n > 0 || out != NULL ?
	    PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0) :
	    PQexec(pg, sql);
	st = PQresultStatus(res);
	/* a migration that is only a comment is an empty query */
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state != NULL && strncmp(state, "LK", 2) == 0)
			ctl_refusal(what, res);
		else
			fprintf(stderr, "leerkansctl: %s: %s", what,
			    PQerrorMessage(pg));
		PQclear(res);
		return false;
	}
	if (out != NULL)
		*out = res;
	else
		PQclear(res);
	return true;
}

/* Is version recorded in res (sql_migrations_applied)? */
static bool
migration_recorded(const PGresult *res, int version)
{
	int i;

	for (i = 0; i < PQntuples(res); i++)
		if (atoi(PQgetvalue(res, i, 0)) == version)
			return true;
	return false;
}

/* The checksum res (sql_functions_applied) records for a function file,
 * or NULL. */
static const char *
function_recorded(const PGresult *res, const char *name)
{
	int i;

	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), name) == 0)
			return PQgetvalue(res, i, 1);
	return NULL;
}

/* Does the database hold exactly this build's function files? */
static bool
functions_current(const PGresult *res)
{
	const struct embedded_function *f;
	const char *sum;
	int n = 0;

	for (f = embedded_functions; f->name != NULL; f++, n++)
		if ((sum = function_recorded(res, f->name)) == NULL ||
		    strcmp(sum, f->checksum) != 0)
			return false;
	return n == PQntuples(res);
}

/*
 * Refuses to drop the functions when a stored object (an index
 * expression, a column default, a CHECK, a view) needs one: dropping it
 * with CASCADE would drop that object too.  Triggers are code and come
 * back with the function files.
 */
static bool
functions_droppable(PGconn *pg)
{
	PGresult *res;
	int i, n;

	if (!ctl_exec(pg, "checking what uses the functions",
	    sql_functions_dependents, 0, NULL, &res))
		return false;
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		fprintf(stderr, "leerkansctl: %s needs %s\n",
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 0));
	if (n > 0)
		fprintf(stderr, "leerkansctl: the functions are dropped and "
		    "made again from migrations/functions/, which would drop "
		    "what needs them; a function the stored schema needs "
		    "belongs in a versioned migration, under a name without "
		    "the lk_ prefix\n");
	PQclear(res);
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
migrate_apply(PGconn *pg, const PGresult *versions, int *applied)
{
	const struct embedded_migration *m;
	const struct embedded_function *f;
	const char *params[2];
	char version[16], what[300];
	PGresult *res;

	*applied = 0;
	if (!ctl_exec(pg, "migrate", sql_begin, 0, NULL, NULL))
		return false;
	if (!functions_droppable(pg) ||
	    !ctl_exec(pg, "dropping the functions", sql_functions_drop, 0,
	    NULL, NULL))
		goto fail;
	for (m = embedded_migrations; m->name != NULL; m++) {
		if (migration_recorded(versions, m->version))
			continue;
		snprintf(version, sizeof(version), "%d", m->version);
		snprintf(what, sizeof(what), "migrations/%s", m->name);
		params[0] = version;
		params[1] = m->name;
		if (!ctl_exec(pg, what, m->sql, 0, NULL, NULL) ||
		    !ctl_exec(pg, what, sql_migration_record, 2, params, NULL))
			goto fail;
	}
	if (!ctl_exec(pg, "recording the functions", sql_functions_forget, 0,
	    NULL, NULL))
		goto fail;
	for (f = embedded_functions; f->name != NULL; f++) {
		snprintf(what, sizeof(what), "migrations/functions/%s",
		    f->name);
		params[0] = f->name;
		params[1] = f->checksum;
		if (!ctl_exec(pg, what, f->sql, 0, NULL, NULL) ||
		    !ctl_exec(pg, what, sql_function_record, 2, params, NULL))
			goto fail;
	}
	if (!ctl_exec(pg, "migrate", sql_commit, 0, NULL, NULL))
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
	res = PQexec(pg, sql_rollback);
	PQclear(res);
	fprintf(stderr, "leerkansctl: migrate failed; the database is as it "
	    "was before\n");
	*applied = 0;
	return false;
}

static int
cmd_migrate(PGconn *pg, bool status_only)
{
	const struct embedded_migration *m;
	const struct embedded_function *f;
	PGresult *versions = NULL, *functions = NULL;
	const char *sum;
	int applied, pending = 0, latest = 0, newest = 0, i, v;
	bool ok = false;

	PQsetNoticeProcessor(pg, notice_quiet, NULL);
	if (!ctl_exec(pg, "taking the migration lock", sql_migrate_lock, 0,
	    NULL, NULL))
		return 1;
	if (!ctl_exec(pg, "creating schema_migrations", sql_migrations_table,
	    0, NULL, NULL) ||
	    !ctl_exec(pg, "creating schema_functions", sql_functions_table,
	    0, NULL, NULL) ||
	    !ctl_exec(pg, "reading schema_migrations", sql_migrations_applied,
	    0, NULL, &versions) ||
	    !ctl_exec(pg, "reading schema_functions", sql_functions_applied,
	    0, NULL, &functions))
		goto done;

	for (m = embedded_migrations; m->name != NULL; m++) {
		latest = m->version;
		if (!migration_recorded(versions, m->version))
			pending++;
		if (status_only)
			printf("%s %s\n", migration_recorded(versions,
			    m->version) ? "applied" : "pending", m->name);
	}
	if (status_only) {
		for (f = embedded_functions; f->name != NULL; f++) {
			sum = function_recorded(functions, f->name);
			printf("%s functions/%s\n", sum == NULL ? "pending" :
			    strcmp(sum, f->checksum) != 0 ? "changed" :
			    "applied", f->name);
		}
		for (i = 0; i < PQntuples(functions); i++) {
			for (f = embedded_functions; f->name != NULL; f++)
				if (strcmp(f->name,
				    PQgetvalue(functions, i, 0)) == 0)
					break;
			if (f->name == NULL)
				printf("obsolete functions/%s\n",
				    PQgetvalue(functions, i, 0));
		}
	}
	for (i = 0; i < PQntuples(versions); i++)
		if ((v = atoi(PQgetvalue(versions, i, 0))) > latest) {
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
	if (pending == 0 && functions_current(functions)) {
		printf("schema is up to date (version %d)\n", latest);
		ok = true;
		goto done;
	}
	if (!migrate_apply(pg, versions, &applied))
		goto done;
	if (applied == 0)
		printf("applied the functions; schema at version %d\n", latest);
	else
		printf("applied %d migration%s; schema at version %d\n",
		    applied, applied == 1 ? "" : "s", latest);
	ok = true;
done:
	if (versions != NULL)
		PQclear(versions);
	if (functions != NULL)
		PQclear(functions);
	versions = PQexec(pg, sql_migrate_unlock);
	PQclear(versions);
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

static int
cmd_token_create(PGconn *pg, const char *name)
{
	char token[TOKEN_LEN + 1];
	const char *params[2];
	PGresult *res;

	if (!token_name_ok(name)) {
		fprintf(stderr, "leerkansctl: a token name is 1 to 100 printable "
		    "characters\n");
		return 2;
	}
	if (!token_new(token)) {
		fprintf(stderr, "leerkansctl: no random bytes: %s\n",
		    strerror(errno));
		return 1;
	}

	params[0] = name;
	params[1] = token;
	if (!ctl_exec(pg, "storing the token", sql_token_create, 2, params,
	    &res))
		return 1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		fprintf(stderr, "leerkansctl: %s has a token already; revoke it "
		    "first\n", name);
		return 1;
	}
	PQclear(res);
	printf("%s\n", token);
	explicit_bzero(token, sizeof(token));
	return 0;
}

static int
cmd_token_revoke(PGconn *pg, const char *name)
{
	PGresult *res;

	if (!ctl_exec(pg, "revoking the token", sql_token_revoke, 1, &name,
	    &res))
		return 1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		fprintf(stderr, "leerkansctl: no active token named %s\n", name);
		return 1;
	}
	PQclear(res);
	fprintf(stderr, "leerkansctl: revoked %s\n", name);
	return 0;
}

static int
cmd_token_list(PGconn *pg)
{
	PGresult *res;
	int i;

	if (!ctl_exec(pg, "listing tokens", sql_token_list, 0, NULL, &res))
		return 1;
	printf("%-30s %-22s %s\n", "NAME", "CREATED", "REVOKED");
	for (i = 0; i < PQntuples(res); i++)
		printf("%-30s %-22s %s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	PQclear(res);
	return 0;
}

static int
cmd_seed(PGconn *pg)
{
	PGresult *res;

	PQsetNoticeProcessor(pg, notice_quiet, NULL);
	if (!ctl_exec(pg, "seed", sql_begin, 0, NULL, NULL))
		return 1;
	if (!ctl_exec(pg, "seed", embedded_seed, 0, NULL, NULL) ||
	    !ctl_exec(pg, "seed", sql_commit, 0, NULL, NULL)) {
		res = PQexec(pg, sql_rollback);
		PQclear(res);
		return 1;
	}
	if (!ctl_exec(pg, "counting events", sql_events_count, 0, NULL, &res))
		return 1;
	printf("seeded; %s events in the catalogue\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Who did it, for the audit log: the program and the Unix user. */
static void
ctl_actor(char *out, size_t len)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(out, len, "leerkansctl (%s)", pw != NULL ? pw->pw_name : "?");
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

static int
cmd_export(PGconn *pg, int argc, char *argv[])
{
	const char *event = NULL, *session = NULL, *status = "active";
	const char *format = "csv", *delim_opt = "comma", *out = NULL, *v;
	const char *params[6];
	enum export_format fmt;
	struct export_xlsx *x = NULL;
	struct evbuffer *buf = NULL;
	struct export_row row;
	char actor[300], tmpname[64], path[PATH_MAX];
	PGresult *res = NULL;
	long rows = 0;
	bool in_tx = false, ok = false;
	char delim;
	int i, j, n, fd = -1, tmpfd = -1;

	for (i = 1; i < argc; i++) {
		if ((v = ctl_opt(argc, argv, &i, "--format")) != NULL)
			format = v;
		else if ((v = ctl_opt(argc, argv, &i, "--session")) != NULL)
			session = v;
		else if ((v = ctl_opt(argc, argv, &i, "--status")) != NULL)
			status = v;
		else if ((v = ctl_opt(argc, argv, &i, "--delimiter")) != NULL)
			delim_opt = v;
		else if ((v = ctl_opt(argc, argv, &i, "-o")) != NULL ||
		    (v = ctl_opt(argc, argv, &i, "--output")) != NULL)
			out = v;
		else if (argv[i][0] != '-' && event == NULL)
			event = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (event == NULL || !export_format_parse(format, &fmt) ||
	    (strcmp(delim_opt, "comma") != 0 &&
	    strcmp(delim_opt, "semicolon") != 0)) {
		usage(stderr);
		return 2;
	}
	delim = strcmp(delim_opt, "semicolon") == 0 ? ';' : ',';
	if (fmt == EXPORT_XLSX && out == NULL && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "leerkansctl: a workbook is no text for a "
		    "terminal; use -o FILE.xlsx\n");
		return 2;
	}

	ctl_actor(actor, sizeof(actor));
	params[0] = event;
	params[1] = session;
	params[2] = status;
	params[3] = export_extension(fmt);
	params[4] = actor;
	params[5] = "true";
	if (!ctl_exec(pg, "checking the export", sql_export_begin, 6, params,
	    &res))
		return 1;
	PQclear(res);
	res = NULL;

	if ((buf = evbuffer_new()) == NULL)
		goto done;
	if (fmt == EXPORT_XLSX) {
		/* libxlsxwriter writes by name: the file itself, or a
		 * nameless temporary file that then goes to stdout */
		if (out != NULL) {
			if ((fd = ctl_create_private(out)) == -1)
				goto done;
			close(fd);
			fd = -1;
			snprintf(path, sizeof(path), "%s", out);
		} else {
			snprintf(tmpname, sizeof(tmpname),
			    "/tmp/leerkansctl-XXXXXX");
			if ((tmpfd = mkstemp(tmpname)) == -1) {
				fprintf(stderr, "leerkansctl: no temporary "
				    "file: %s\n", strerror(errno));
				goto done;
			}
			unlink(tmpname);
			snprintf(path, sizeof(path), "/proc/self/fd/%d", tmpfd);
		}
		if ((x = export_xlsx_new(path, NULL, event)) == NULL) {
			fprintf(stderr, "leerkansctl: cannot start a "
			    "workbook\n");
			goto done;
		}
	} else if (out != NULL) {
		if ((fd = ctl_create_private(out)) == -1)
			goto done;
	} else
		fd = STDOUT_FILENO;

	if (!ctl_exec(pg, "export", sql_cursor_begin, 0, NULL, NULL))
		goto done;
	in_tx = true;
	if (!ctl_exec(pg, "export", sql_attendees_cursor, 3, params, NULL))
		goto done;
	if (fmt == EXPORT_CSV)
		export_csv_header(buf, delim, delim == ';');
	else if (fmt == EXPORT_JSON)
		export_json_begin(buf, event, session);
	do {
		if (!ctl_exec(pg, "export", sql_cursor_fetch, 0, NULL, &res))
			goto done;
		n = PQntuples(res);
		for (i = 0; i < n; i++) {
			for (j = 0; j < EXPORT_NCOLS; j++)
				row.v[j] = PQgetisnull(res, i, j) ? NULL :
				    PQgetvalue(res, i, j);
			row.sessions_json = PQgetisnull(res, i, EXPORT_NCOLS) ?
			    NULL : PQgetvalue(res, i, EXPORT_NCOLS);
			if (fmt == EXPORT_CSV)
				export_csv_row(buf, &row, delim);
			else if (fmt == EXPORT_JSON) {
				if (!export_json_row(buf, &row, rows == 0))
					goto done;
			} else if (!export_xlsx_row(x, &row)) {
				fprintf(stderr, "leerkansctl: a row did not "
				    "fit the workbook\n");
				goto done;
			}
			rows++;
		}
		PQclear(res);
		res = NULL;
		if (fd != -1 && !ctl_write_all(fd, buf)) {
			fprintf(stderr, "leerkansctl: writing: %s\n",
			    strerror(errno));
			goto done;
		}
	} while (n == SQL_CURSOR_BATCH);
	if (!ctl_exec(pg, "export", sql_commit, 0, NULL, NULL))
		goto done;
	in_tx = false;

	if (fmt == EXPORT_JSON)
		export_json_end(buf, rows);
	if (fmt != EXPORT_XLSX && !ctl_write_all(fd, buf)) {
		fprintf(stderr, "leerkansctl: writing: %s\n", strerror(errno));
		goto done;
	}
	if (fmt == EXPORT_XLSX) {
		bool closed = export_xlsx_close(x);

		x = NULL;
		if (!closed) {
			fprintf(stderr, "leerkansctl: the workbook could not "
			    "be written\n");
			goto done;
		}
		if (tmpfd != -1) {
			char block[65536];
			ssize_t got;
			off_t off = 0;

			while ((got = pread(tmpfd, block, sizeof(block),
			    off)) > 0) {
				off += got;
				evbuffer_add(buf, block, (size_t)got);
				if (!ctl_write_all(STDOUT_FILENO, buf)) {
					fprintf(stderr, "leerkansctl: "
					    "writing: %s\n", strerror(errno));
					goto done;
				}
			}
		}
	}
	fprintf(stderr, "leerkansctl: exported %ld attendee%s\n", rows,
	    rows == 1 ? "" : "s");
	ok = true;
done:
	if (res != NULL)
		PQclear(res);
	if (in_tx) {
		res = PQexec(pg, sql_rollback);
		PQclear(res);
	}
	export_xlsx_discard(x);
	if (buf != NULL)
		evbuffer_free(buf);
	if (fd != -1 && fd != STDOUT_FILENO && close(fd) == -1 && ok) {
		fprintf(stderr, "leerkansctl: %s: %s\n", out, strerror(errno));
		ok = false;
	}
	if (tmpfd != -1)
		close(tmpfd);
	if (!ok && out != NULL)
		unlink(out);
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
cmd_report(PGconn *pg, const struct settings *s, int argc, char *argv[])
{
	const char *year = NULL, *v, *params[2];
	bool as_json = false;
	json_t *report;
	PGresult *res;
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
	if (!ctl_exec(pg, "the reach report", sql_reach, 2, params, &res))
		return 1;
	if (as_json) {
		/* the bytes leerkansd answers: compact, one line */
		char *text = json_text_compact(PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0), &len);

		PQclear(res);
		if (text == NULL) {
			fprintf(stderr, "leerkansctl: the report is not JSON\n");
			return 1;
		}
		fwrite(text, 1, len, stdout);
		free(text);
		return 0;
	}
	report = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	if (report == NULL) {
		fprintf(stderr, "leerkansctl: the report is not JSON\n");
		return 1;
	}
	reach_print(report);
	json_decref(report);
	return 0;
}

static int
cmd_purge(PGconn *pg, const struct settings *s, int argc, char *argv[])
{
	const char *params[4];
	char months[16], actor[300];
	bool dry = false;
	json_t *answer;
	PGresult *res;
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
	if (!ctl_exec(pg, "purging", sql_purge, 4, params, &res))
		return 1;
	answer = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
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
	if (erased > 0 && !ctl_exec(pg, "vacuuming", sql_purge_vacuum, 0, NULL,
	    NULL))
		fprintf(stderr, "leerkansctl: warning: run VACUUM on "
		    "registrations so the erased values leave the disk\n");
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
	PGconn *pg;
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
	    (strcmp(argv[0], "token") == 0 && ((argc == 3 &&
	    (strcmp(argv[1], "create") == 0 || strcmp(argv[1], "revoke") == 0))
	    || (argc == 2 && strcmp(argv[1], "list") == 0))))) {
		usage(stderr);
		return 2;
	}
	if (!config_load(&s, file, err, sizeof(err))) {
		fprintf(stderr, "leerkansctl: %s\n", err);
		return 1;
	}
	pg = ctl_connect(&s);
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
	else if (strcmp(argv[1], "create") == 0)
		rc = cmd_token_create(pg, argv[2]);
	else if (strcmp(argv[1], "revoke") == 0)
		rc = cmd_token_revoke(pg, argv[2]);
	else
		rc = cmd_token_list(pg);
	PQfinish(pg);
	config_free(&s);
	return rc;
}
