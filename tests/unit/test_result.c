/*
 * test_result.c - db/result.c without a server: the refusals of the SQL
 * functions read from their fields (as libpq gives them) and from JSON
 * (as lk_register_form answers them), and the accessors over results
 * that libpq builds on the client (pgresult.h).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/result.h"
#include "pgresult.h"
#include "tap.h"

static void
test_refusal_fields(void)
{
	struct db_refusal ref;

	ok(db_refusal_parse("LK422", "validation-failed", "The request has "
	    "invalid fields.", "[{\"field\": \"email\", \"message\": "
	    "\"required\"}, {\"field\": \"sessions\", \"message\": \"unknown "
	    "session x\"}]", &ref), "LK422 is a refusal");
	ok(ref.status == 422, "its status from the SQLSTATE");
	is_str(ref.problem, "validation-failed", "the problem from HINT");
	is_str(ref.title, "The request has invalid fields.",
	    "the title from MESSAGE");
	ok(json_array_size(ref.errors) == 2, "the errors from DETAIL");
	is_str(json_string_value(json_object_get(json_array_get(ref.errors, 1),
	    "field")), "sessions", "each error as sent");
	db_refusal_clear(&ref);
	ok(ref.errors == NULL, "cleared");

	ok(db_refusal_parse("LK409", "duplicate-registration", "Already "
	    "registered.", "", &ref) && ref.status == 409 &&
	    ref.errors == NULL, "an empty DETAIL: no errors");
	db_refusal_clear(&ref);
	ok(db_refusal_parse("LK404", NULL, NULL, NULL, &ref) &&
	    ref.status == 404, "LK404 without the other fields");
	is_str(ref.problem, "conflict", "no HINT: conflict");
	ok(ref.title == NULL, "no MESSAGE: no title (the caller words one)");
	db_refusal_clear(&ref);
	ok(db_refusal_parse("LK422", "", "", "not json", &ref) &&
	    ref.errors == NULL, "a DETAIL that is not JSON: no errors");
	is_str(ref.problem, "conflict", "an empty HINT: conflict");
	ok(ref.title == NULL, "an empty MESSAGE: no title");
	db_refusal_clear(&ref);
	ok(db_refusal_parse("LK422", "p", "t", "{\"field\": \"x\"}", &ref) &&
	    ref.errors == NULL, "a DETAIL that is not a list: no errors");
	db_refusal_clear(&ref);

	ok(!db_refusal_parse("LK500", "p", "t", NULL, &ref),
	    "LK500 is the server's, not a refusal");
	ok(!db_refusal_parse("LK399", "p", "t", NULL, &ref), "LK399 is not");
	ok(!db_refusal_parse("LK4x2", "p", "t", NULL, &ref),
	    "LK with a letter in the status is not");
	ok(!db_refusal_parse("LK42", "p", "t", NULL, &ref), "LK42 is not");
	ok(!db_refusal_parse("LK4220", "p", "t", NULL, &ref), "LK4220 is not");
	ok(!db_refusal_parse("23505", "p", "t", NULL, &ref),
	    "a constraint is not");
	ok(!db_refusal_parse("57014", NULL, NULL, NULL, &ref),
	    "a cancelled statement is not");
	ok(!db_refusal_parse(NULL, "p", "t", NULL, &ref), "no SQLSTATE is not");
	ok(ref.errors == NULL && ref.problem == NULL, "and fills nothing");
}

static void
test_refusal_json(void)
{
	struct db_refusal ref;
	json_t *o;

	o = json_loads("{\"status\": 422, \"problem\": \"validation-failed\", "
	    "\"title\": \"Invalid\", \"errors\": [{\"field\": \"email\", "
	    "\"message\": \"m\"}]}", 0, NULL);
	ok(db_refusal_json(o, &ref) && ref.status == 422,
	    "a refusal as JSON");
	is_str(ref.problem, "validation-failed", "its problem");
	is_str(ref.title, "Invalid", "its title");
	ok(json_array_size(ref.errors) == 1, "its errors");
	json_decref(o);		/* the errors are ref's own */
	is_str(json_string_value(json_object_get(json_array_get(ref.errors, 0),
	    "field")), "email", "the errors outlive the document");
	db_refusal_clear(&ref);

	o = json_loads("{\"status\": 409, \"problem\": null, \"title\": null, "
	    "\"errors\": null}", 0, NULL);
	ok(db_refusal_json(o, &ref) && ref.status == 409 &&
	    ref.errors == NULL && ref.title == NULL, "nulls");
	is_str(ref.problem, "conflict", "a null problem: conflict");
	db_refusal_clear(&ref);
	json_decref(o);

	o = json_loads("{\"status\": 500, \"problem\": \"x\"}", 0, NULL);
	ok(!db_refusal_json(o, &ref), "status 500 is not a refusal");
	json_decref(o);
	o = json_loads("{\"status\": \"422\"}", 0, NULL);
	ok(!db_refusal_json(o, &ref), "a status as text is not");
	json_decref(o);
	ok(!db_refusal_json(NULL, &ref), "no object is not");
}

static void
test_accessors(void)
{
	static const char *const one[] = { "{\"a\": 1}", "17" };
	static const char *const two[] = { "x", NULL, "yz", "w" };
	static const char *const null[] = { NULL };
	struct db_result res;
	size_t len;

	memset(&res, 0, sizeof(res));
	res.status = DB_OK;
	res.res = pgresult_make(1, 2, one);
	ok(res.res != NULL, "a result built without a server");
	ok(db_result_rows(&res) == 1 && db_result_columns(&res) == 2,
	    "one row, two columns");
	is_str(db_result_text(&res, &len), "{\"a\": 1}",
	    "the one row's first column");
	ok(len == 8, "and its length");
	is_str(db_result_value(&res, 0, 1), "17", "a value by row and column");
	ok(db_result_value(&res, 0, 2) == NULL &&
	    db_result_value(&res, 1, 0) == NULL &&
	    db_result_value(&res, -1, 0) == NULL, "outside: NULL");
	PQclear(res.res);

	res.res = pgresult_make(2, 2, two);
	ok(db_result_text(&res, &len) == NULL && len == 0,
	    "two rows are not one answer");
	ok(db_result_value(&res, 0, 1) == NULL &&
	    db_result_length(&res, 0, 1) == 0, "an SQL NULL is NULL");
	is_str(db_result_value(&res, 1, 0), "yz", "the second row");
	ok(db_result_length(&res, 1, 0) == 2, "its length");
	PQclear(res.res);

	res.res = pgresult_make(1, 1, null);
	ok(db_result_text(&res, NULL) == NULL, "a NULL answer is none");
	PQclear(res.res);

	res.res = pgresult_make(0, 1, null);
	ok(db_result_rows(&res) == 0 && db_result_text(&res, &len) == NULL,
	    "no row");
	PQclear(res.res);

	res.status = DB_UNAVAILABLE;
	res.res = NULL;
	ok(db_result_rows(&res) == 0 && db_result_columns(&res) == 0 &&
	    db_result_text(&res, &len) == NULL && len == 0,
	    "no connection: nothing");
	res.status = DB_ERROR;
	res.sqlstate = "LK422";
	{
		struct db_refusal ref;

		ok(!db_result_refusal(&res, &ref),
		    "an error without libpq's result is no refusal");
	}
}

int
main(void)
{
	test_refusal_fields();
	test_refusal_json();
	test_accessors();
	return done_testing();
}
