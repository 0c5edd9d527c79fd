/*
 * db/result.c - the accessors of db/result.h over libpq's PGresult.
 *
 * This file and db/pool.c are where the daemon speaks libpq (ctl/pg.c
 * is leerkansctl's); it is in libleerkans.a so that leerkansctl reads
 * its answers the same way.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/result.h"

int
db_result_rows(const struct db_result *res)
{
	if (res == NULL || res->status != DB_OK || res->res == NULL)
		return 0;
	return PQntuples(res->res);
}

int
db_result_columns(const struct db_result *res)
{
	if (res == NULL || res->status != DB_OK || res->res == NULL)
		return 0;
	return PQnfields(res->res);
}

const char *
db_result_value(const struct db_result *res, int row, int col)
{
	if (row < 0 || col < 0 || row >= db_result_rows(res) ||
	    col >= db_result_columns(res) || PQgetisnull(res->res, row, col))
		return NULL;
	return PQgetvalue(res->res, row, col);
}

size_t
db_result_length(const struct db_result *res, int row, int col)
{
	if (db_result_value(res, row, col) == NULL)
		return 0;
	return (size_t)PQgetlength(res->res, row, col);
}

const char *
db_result_text(const struct db_result *res, size_t *len)
{
	const char *v = NULL;

	if (db_result_rows(res) == 1)
		v = db_result_value(res, 0, 0);
	if (len != NULL)
		*len = v != NULL ? db_result_length(res, 0, 0) : 0;
	return v;
}

bool
db_refusal_parse(const char *sqlstate, const char *hint, const char *message,
    const char *detail, struct db_refusal *ref)
{
	int status;

	memset(ref, 0, sizeof(*ref));
	/* LKnnn: three digits, the status; only 4xx are the client's */
	if (sqlstate == NULL || strlen(sqlstate) != 5 ||
	    strncmp(sqlstate, "LK", 2) != 0 ||
	    strspn(sqlstate + 2, "0123456789") != 3)
		return false;
	status = atoi(sqlstate + 2);
	if (status < 400 || status > 499)
		return false;
	ref->status = status;
	ref->problem = hint != NULL && *hint != '\0' ? hint : "conflict";
	ref->title = message != NULL && *message != '\0' ? message : NULL;
	if (detail != NULL && *detail != '\0')
		ref->errors = json_loads(detail, 0, NULL);
	if (ref->errors != NULL && !json_is_array(ref->errors)) {
		json_decref(ref->errors);
		ref->errors = NULL;
	}
	return true;
}

bool
db_result_refusal(const struct db_result *res, struct db_refusal *ref)
{
	const PGresult *pg = res->res;

	memset(ref, 0, sizeof(*ref));
	if (res->status != DB_ERROR || pg == NULL)
		return false;
	return db_refusal_parse(res->sqlstate,
	    PQresultErrorField(pg, PG_DIAG_MESSAGE_HINT),
	    PQresultErrorField(pg, PG_DIAG_MESSAGE_PRIMARY),
	    PQresultErrorField(pg, PG_DIAG_MESSAGE_DETAIL), ref);
}

bool
db_refusal_json(const json_t *o, struct db_refusal *ref)
{
	json_t *v;
	const char *s;

	memset(ref, 0, sizeof(*ref));
	v = json_object_get(o, "status");
	if (!json_is_integer(v) || json_integer_value(v) < 400 ||
	    json_integer_value(v) > 499)
		return false;
	ref->status = (int)json_integer_value(v);
	s = json_string_value(json_object_get(o, "problem"));
	ref->problem = s != NULL && *s != '\0' ? s : "conflict";
	s = json_string_value(json_object_get(o, "title"));
	ref->title = s != NULL && *s != '\0' ? s : NULL;
	v = json_object_get(o, "errors");
	if (json_is_array(v))
		ref->errors = json_incref(v);
	return true;
}

void
db_refusal_clear(struct db_refusal *ref)
{
	if (ref->errors != NULL)
		json_decref(ref->errors);
	ref->errors = NULL;
}
