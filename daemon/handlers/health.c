/*
 * handlers/health.c - /healthz (the process serves) and /readyz (the database
 * answers and its schema and functions are the ones this build expects).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/handlers.h"
#include "http/request.h"
#include "db/result.h"
#include "db/schema.h"
#include "db/sql.h"

void
h_healthz(struct request *r)
{
	static const char body[] = "{\"status\":\"ok\"}\n";

	request_reply(r, 200, "application/json", body, sizeof(body) - 1);
}

static void
readyz_done(struct request *r, const struct db_result *res)
{
	char body[160];
	const char *v, *functions;
	int version;

	if (res->status != DB_OK) {
		request_problem(r, 503, "not-ready", "Not ready",
		    res->status == DB_UNAVAILABLE ?
		    "The database is unavailable." :
		    "The database schema is not set up; run leerkansctl "
		    "migrate.", NULL);
		return;
	}
	v = db_result_text(res, NULL);
	version = v != NULL ? atoi(v) : 0;
	if (version != SCHEMA_VERSION) {
		snprintf(body, sizeof(body), "The database schema is at version "
		    "%d; this build needs %d (leerkansctl migrate).", version,
		    SCHEMA_VERSION);
		request_problem(r, 503, "not-ready", "Not ready", body, NULL);
		return;
	}
	functions = db_result_value(res, 0, 1);
	if (functions == NULL || strcmp(functions, SCHEMA_FUNCTIONS) != 0) {
		request_problem(r, 503, "not-ready", "Not ready", "The "
		    "database's functions are not this build's (leerkansctl "
		    "migrate).", NULL);
		return;
	}
	snprintf(body, sizeof(body),
	    "{\"status\":\"ready\",\"schema\":%d}\n", version);
	request_reply(r, 200, "application/json", body, strlen(body));
}

void
h_readyz(struct request *r)
{
	request_db(r, sql_ready, 0, NULL, readyz_done);
}
