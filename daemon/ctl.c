/*
 * ctl.c - leerkansctl, the administration tool: schema migrations,
 * organiser tokens and the demo seed.  It finds its settings the way
 * leerkansd does (-c FILE, $LEERKANS_CONFIG, LEERKANS_* variables) and,
 * being a short-lived command, uses libpq's blocking calls.
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "config.h"
#include "embedded.h"
#include "log.h"
#include "util.h"

/* pg_advisory_lock key for migrations: "lkmg" */
#define MIGRATE_LOCK	"1802202471"

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
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
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

static int
cmd_migrate(PGconn *pg, bool status_only)
{
	const struct embedded_migration *m;
	PGresult *res;
	char version[16];
	const char *params[2];
	int applied = 0, latest = 0, i, have;
	bool ok = false;

	PQsetNoticeProcessor(pg, notice_quiet, NULL);
	if (!ctl_exec(pg, "taking the migration lock",
	    "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", 0, NULL, NULL))
		return 1;
	if (!ctl_exec(pg, "creating schema_migrations",
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY,"
	    " name text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL, NULL))
		goto done;
	if (!ctl_exec(pg, "reading schema_migrations",
	    "SELECT version FROM schema_migrations ORDER BY version", 0, NULL,
	    &res))
		goto done;

	for (m = embedded_migrations; m->name != NULL; m++) {
		latest = m->version;
		for (i = 0, have = 0; i < PQntuples(res) && !have; i++)
			have = atoi(PQgetvalue(res, i, 0)) == m->version;
		if (status_only) {
			printf("%s %s\n", have ? "applied" : "pending", m->name);
			continue;
		}
		if (have)
			continue;
		snprintf(version, sizeof(version), "%d", m->version);
		params[0] = version;
		params[1] = m->name;
		if (!ctl_exec(pg, m->name, "BEGIN", 0, NULL, NULL))
			break;
		if (!ctl_exec(pg, m->name, m->sql, 0, NULL, NULL) ||
		    !ctl_exec(pg, m->name, "INSERT INTO schema_migrations "
		    "(version, name) VALUES ($1, $2)", 2, params, NULL) ||
		    !ctl_exec(pg, m->name, "COMMIT", 0, NULL, NULL)) {
			PGresult *rb = PQexec(pg, "ROLLBACK");

			PQclear(rb);
			fprintf(stderr, "leerkansctl: migrations/%s failed; the "
			    "schema is as it was before it\n", m->name);
			PQclear(res);
			goto done;
		}
		fprintf(stderr, "leerkansctl: applied %s\n", m->name);
		applied++;
	}
	for (i = 0; i < PQntuples(res); i++)
		if (atoi(PQgetvalue(res, i, 0)) > latest)
			fprintf(stderr, "leerkansctl: warning: the database has "
			    "migration %s, newer than this build\n",
			    PQgetvalue(res, i, 0));
	PQclear(res);
	if (!status_only) {
		if (applied == 0)
			printf("schema is up to date (version %d)\n", latest);
		else
			printf("applied %d migration%s; schema at version %d\n",
			    applied, applied == 1 ? "" : "s", latest);
	}
	ok = true;
done:
	res = PQexec(pg, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")");
	PQclear(res);
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
	if (!ctl_exec(pg, "storing the token",
	    "INSERT INTO organiser_tokens (name, token_hash)"
	    " VALUES ($1, sha256(convert_to($2, 'UTF8')))"
	    " ON CONFLICT (name) DO UPDATE"
	    " SET token_hash = excluded.token_hash, created_at = now(),"
	    " revoked_at = NULL"
	    " WHERE organiser_tokens.revoked_at IS NOT NULL"
	    " RETURNING id", 2, params, &res))
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

	if (!ctl_exec(pg, "revoking the token",
	    "UPDATE organiser_tokens SET revoked_at = now()"
	    " WHERE name = $1 AND revoked_at IS NULL RETURNING id", 1, &name,
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

	if (!ctl_exec(pg, "listing tokens",
	    "SELECT name, to_char(created_at, 'YYYY-MM-DD HH24:MI TZ'),"
	    " coalesce(to_char(revoked_at, 'YYYY-MM-DD HH24:MI TZ'), '')"
	    " FROM organiser_tokens ORDER BY name", 0, NULL, &res))
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
	if (!ctl_exec(pg, "seed", "BEGIN", 0, NULL, NULL))
		return 1;
	if (!ctl_exec(pg, "seed", embedded_seed, 0, NULL, NULL) ||
	    !ctl_exec(pg, "seed", "COMMIT", 0, NULL, NULL)) {
		res = PQexec(pg, "ROLLBACK");
		PQclear(res);
		return 1;
	}
	if (!ctl_exec(pg, "counting events", "SELECT count(*) FROM events",
	    0, NULL, &res))
		return 1;
	printf("seeded; %s events in the catalogue\n", PQgetvalue(res, 0, 0));
	PQclear(res);
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
