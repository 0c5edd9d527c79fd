/*
 * handlers/events.c - the event catalogue: events and their sessions
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

#include "cache/answers.h"
#include "handlers/handlers.h"
#include "input/query.h"
#include "http/request.h"
#include "db/result.h"
#include "db/sql.h"
#include "input/validate.h"
#include "render/json.h"

#define JSON_TYPE	"application/json"

static void
reply_row(struct request *r, const struct db_result *res, int status)
{
	request_reply_row(r, res, status, NULL);
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

/*
 * The public answers (no organiser token, so no drafts) come from the
 * answer cache: rendered once per change, with ETag and gzip.
 */
static int
json_render(const struct db_result *res, const struct settings *s,
    struct cache_render *out)
{
	const char *text, *id;
	size_t len;

	(void)s;
	if ((text = db_result_text(res, &len)) == NULL)
		return 0;
	/* compact, as every JSON answer: once per change, not per request */
	if ((out->body = json_text_compact(text, len, &out->len)) == NULL)
		return -1;
	out->last_modified = time(NULL);
	out->seats = true;
	id = db_result_value(res, 0, 1);
	out->event = id != NULL ? atoll(id) : 0;
	return 1;
}

static void
json_reply(struct request *r, enum cache_outcome o, const struct cache_view *v,
    const struct db_result *res)
{
	cache_reply(r, o, v, res, JSON_TYPE, "public, no-cache",
	    "There is no such event.");
}

void
h_events_list(struct request *r)
{
	struct query_events q;
	char key[256];
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
	if (r->organiser != NULL) {
		request_db(r, sql_events_list, 4, params, reply_200);
		return;
	}
	snprintf(key, sizeof(key), "json/events?kind=%s&from=%s&to=%s",
	    q.kind ? q.kind : "", params[1] ? params[1] : "",
	    params[2] ? params[2] : "");
	cache_get(r->srv->cache, r, key, sql_events_list, 4, params,
	    json_render, json_reply);
}

void
h_events_get(struct request *r)
{
	const char *params[2];
	char key[128];

	if (!valid_slug(r->params[0])) {
		request_not_found(r);
		return;
	}
	if (r->organiser == NULL) {
		snprintf(key, sizeof(key), "json/event/%s", r->params[0]);
		cache_get(r->srv->cache, r, key, sql_event_public, 1,
		    (const char *const *)r->params, json_render, json_reply);
		return;
	}
	params[0] = r->params[0];
	params[1] = "true";
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
	if (!request_json_texts(r, r->body, errors, &body, &errs))
		return;
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
