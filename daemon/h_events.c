/*
 * h_events.c - the event catalogue: events and their sessions
 * (API.md section 3).
 *
 * Handlers check the shape of the input themselves, naming every bad
 * field, then make one call to a SQL function that adds what only the
 * database knows and writes, or refuses, in one statement.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "query.h"
#include "request.h"
#include "sql.h"
#include "validate.h"

#define JSON_TYPE	"application/json"

/* Answers the single text column of a one-row result, or 404. */
static void
reply_row(struct request *r, const struct db_result *res, int status)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if (PQntuples(res->res) != 1 || PQgetisnull(res->res, 0, 0)) {
		request_not_found(r);
		return;
	}
	request_reply(r, status, JSON_TYPE, PQgetvalue(res->res, 0, 0),
	    (size_t)PQgetlength(res->res, 0, 0));
}

static void
reply_200(struct request *r, const struct db_result *res)
{
	reply_row(r, res, 200);
}

static void
reply_201(struct request *r, const struct db_result *res)
{
	reply_row(r, res, 201);
}

void
h_events_list(struct request *r)
{
	struct query_events q;
	const char *params[4];
	json_t *errors = json_array();

	query_events(request_arg(r, "kind"), request_arg(r, "from"),
	    request_arg(r, "to"), &q, errors);
	if (json_array_size(errors) > 0) {
		request_invalid(r, errors);
		return;
	}
	json_decref(errors);
	params[0] = q.kind;
	params[1] = q.from;
	params[2] = q.to;
	params[3] = r->organiser != NULL ? "true" : "false";
	request_db(r, sql_events_list, 4, params, reply_200);
}

void
h_events_get(struct request *r)
{
	const char *params[2];

	if (!valid_slug(r->params[0])) {
		request_not_found(r);
		return;
	}
	params[0] = r->params[0];
	params[1] = r->organiser != NULL ? "true" : "false";
	request_db(r, sql_event_get, 2, params, reply_200);
}

/*
 * Runs a write: the body and the errors found here go to one SQL
 * function (sql), after the leading path parameters.
 */
static void
write_call(struct request *r, const char *sql, int npath,
    const struct vfield *fields, bool create, request_db_cb done)
{
	json_t *errors = json_array();
	const char *params[REQUEST_MAX_PARAMS + 2];
	char *body, *errs;
	int i;

	for (i = 0; i < npath; i++) {
		if (!valid_slug(r->params[i])) {
			json_decref(errors);
			request_not_found(r);
			return;
		}
		params[i] = r->params[i];
	}
	validate_object(r->body, fields, create, errors);
	body = json_dumps(r->body, JSON_COMPACT);
	errs = json_dumps(errors, JSON_COMPACT);
	json_decref(errors);
	if (body == NULL || errs == NULL) {
		free(body);
		free(errs);
		request_problem(r, 500, "internal-error", "Out of memory", NULL,
		    NULL);
		return;
	}
	params[npath] = body;
	params[npath + 1] = errs;
	request_db(r, sql, npath + 2, params, done);
	free(body);
	free(errs);
}

static void
event_created(struct request *r, const struct db_result *res)
{
	char loc[256];

	if (res->status == DB_OK) {
		snprintf(loc, sizeof(loc), "/api/v1/events/%s",
		    json_string_value(json_object_get(r->body, "slug")));
		request_add_header(r, "Location", loc);
	}
	reply_row(r, res, 201);
}

void
h_events_create(struct request *r)
{
	write_call(r, sql_event_create, 0, event_fields, true, event_created);
}

void
h_events_patch(struct request *r)
{
	write_call(r, sql_event_patch, 1, event_fields, false, reply_200);
}

void
h_sessions_get(struct request *r)
{
	const char *params[3];

	if (!valid_slug(r->params[0]) || !valid_slug(r->params[1])) {
		request_not_found(r);
		return;
	}
	params[0] = r->params[0];
	params[1] = r->params[1];
	params[2] = r->organiser != NULL ? "true" : "false";
	request_db(r, sql_session_get, 3, params, reply_200);
}

static void
session_created(struct request *r, const struct db_result *res)
{
	char loc[256];

	if (res->status == DB_OK) {
		snprintf(loc, sizeof(loc), "/api/v1/events/%s/sessions/%s",
		    r->params[0],
		    json_string_value(json_object_get(r->body, "slug")));
		request_add_header(r, "Location", loc);
	}
	reply_201(r, res);
}

void
h_sessions_create(struct request *r)
{
	write_call(r, sql_session_create, 1, session_fields, true,
	    session_created);
}

void
h_sessions_patch(struct request *r)
{
	write_call(r, sql_session_patch, 2, session_fields, false, reply_200);
}
