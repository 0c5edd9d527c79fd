/*
 * ctl/pg.c - leerkansctl's blocking twin of the db layer (see pg.h).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ctl/pg.h"
#include "db/sql.h"

struct ctl_pg {
	PGconn		*conn;
};

struct ctl_pg *
ctl_pg_connect(const char *database_url)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { database_url, "leerkansctl", NULL };
	struct ctl_pg *pg;

	if ((pg = calloc(1, sizeof(*pg))) == NULL ||
	    (pg->conn = PQconnectdbParams(keys, vals, 1)) == NULL ||
	    PQstatus(pg->conn) != CONNECTION_OK) {
		fprintf(stderr, "leerkansctl: cannot connect to the database: "
		    "%s", pg != NULL && pg->conn != NULL ?
		    PQerrorMessage(pg->conn) : "out of memory\n");
		ctl_pg_close(pg);
		return NULL;
	}
	return pg;
}

void
ctl_pg_close(struct ctl_pg *pg)
{
	if (pg == NULL)
		return;
	if (pg->conn != NULL)
		PQfinish(pg->conn);
	free(pg);
}

static void
ctl_pg_notice_dropped(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

void
ctl_pg_quiet(struct ctl_pg *pg)
{
	PQsetNoticeProcessor(pg->conn, ctl_pg_notice_dropped, NULL);
}

/*
 * Says why a statement failed: a refusal of an lk_* function (SQLSTATE
 * LKnnn) by its title and the field errors DETAIL holds, anything else
 * by the server's message.
 */
static void
ctl_pg_failed(struct ctl_pg *pg, const char *what, const struct db_result *res)
{
	struct db_refusal ref;
	json_t *e;
	size_t i;

	if (!db_result_refusal(res, &ref)) {
		fprintf(stderr, "leerkansctl: %s: %s", what,
		    PQerrorMessage(pg->conn));
		return;
	}
	fprintf(stderr, "leerkansctl: %s: %s\n", what, ref.title != NULL ?
	    ref.title : "refused");
	json_array_foreach(ref.errors, i, e)
		fprintf(stderr, "leerkansctl:   %s: %s\n",
		    json_string_value(json_object_get(e, "field")),
		    json_string_value(json_object_get(e, "message")));
	db_refusal_clear(&ref);
}

/* Takes what libpq answered: into out when it is wanted and went well,
 * said and freed when it failed. */
static bool
ctl_pg_answer(struct ctl_pg *pg, const char *what, PGresult *pgres,
    struct db_result *out)
{
	struct db_result res;
	ExecStatusType st = PQresultStatus(pgres);

	memset(&res, 0, sizeof(res));
	res.res = pgres;
	/* a migration that is only a comment is an empty query */
	if (pgres != NULL && (st == PGRES_COMMAND_OK ||
	    st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)) {
		res.status = DB_OK;
		if (out != NULL)
			*out = res;
		else
			ctl_pg_clear(&res);
		return true;
	}
	res.status = DB_ERROR;
	if ((res.sqlstate = PQresultErrorField(pgres, PG_DIAG_SQLSTATE)) ==
	    NULL)
		res.sqlstate = "XX000";
	ctl_pg_failed(pg, what, &res);
	ctl_pg_clear(&res);
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	return false;
}

bool
ctl_pg_script(struct ctl_pg *pg, const char *what, const char *sql)
{
	return ctl_pg_answer(pg, what, PQexec(pg->conn, sql), NULL);
}

bool
ctl_pg_exec(struct ctl_pg *pg, const char *what, const char *sql,
    int nparams, const char *const *params, struct db_result *out)
{
	return ctl_pg_answer(pg, what, PQexecParams(pg->conn, sql, nparams,
	    NULL, params, NULL, NULL, 0), out);
}

void
ctl_pg_clear(struct db_result *res)
{
	if (res->res != NULL)
		PQclear(res->res);
	res->res = NULL;
}

void
ctl_pg_try(struct ctl_pg *pg, const char *sql)
{
	PQclear(PQexec(pg->conn, sql));
}

bool
ctl_pg_cursor(struct ctl_pg *pg, const char *what, const char *declare,
    int nparams, const char *const *params, ctl_pg_batch_cb batch, void *arg)
{
	struct db_result res;
	bool more, taken;

	if (!ctl_pg_exec(pg, what, sql_cursor_begin, 0, NULL, NULL))
		return false;
	if (!ctl_pg_exec(pg, what, declare, nparams, params, NULL))
		goto fail;
	do {
		if (!ctl_pg_exec(pg, what, sql_cursor_fetch, 0, NULL, &res))
			goto fail;
		more = res.more = db_result_rows(&res) >= SQL_CURSOR_BATCH;
		taken = batch(&res, arg);
		ctl_pg_clear(&res);
		if (!taken)
			goto fail;
	} while (more);
	if (!ctl_pg_exec(pg, what, sql_commit, 0, NULL, NULL))
		goto fail;
	return true;
fail:
	ctl_pg_try(pg, sql_rollback);
	return false;
}
