/* test_query.c - the list's query arguments: kind, from, to. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "input/query.h"
#include "tap.h"

static bool
has_error(json_t *errors, const char *field)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    field) == 0)
			return true;
	return false;
}

static void
test_bounds(void)
{
	char buf[QUERY_BOUND_MAX];

	ok(query_time_bound("2027-03-18T14:00:00+01:00", false, buf,
	    sizeof(buf)), "an RFC 3339 time");
	is_str(buf, "2027-03-18T14:00:00+01:00", "a time is kept as it is");
	ok(query_time_bound("2027-03-18", false, buf, sizeof(buf)), "a date");
	is_str(buf, "2027-03-18 00:00:00 Europe/Brussels",
	    "from a date: the start of that day in Brussels");
	ok(query_time_bound("2027-03-18", true, buf, sizeof(buf)), "a date");
	is_str(buf, "2027-03-19 00:00:00 Europe/Brussels",
	    "to a date: the end of that day");
	ok(query_time_bound("2027-12-31", true, buf, sizeof(buf)) &&
	    strcmp(buf, "2028-01-01 00:00:00 Europe/Brussels") == 0,
	    "the end of a year rolls over");
	ok(query_time_bound("2028-02-28", true, buf, sizeof(buf)) &&
	    strcmp(buf, "2028-02-29 00:00:00 Europe/Brussels") == 0,
	    "a leap day");
	ok(!query_time_bound("2027-02-29", false, buf, sizeof(buf)),
	    "no 29 February in 2027");
	ok(!query_time_bound("18/03/2027", false, buf, sizeof(buf)),
	    "another date format");
	ok(!query_time_bound("", true, buf, sizeof(buf)), "empty");
}

static void
test_events(void)
{
	struct query_events q;
	json_t *errors;

	errors = json_array();
	query_events(NULL, NULL, NULL, &q, errors);
	ok(json_array_size(errors) == 0 && q.kind == NULL && q.from == NULL &&
	    q.to == NULL, "no arguments");
	json_decref(errors);

	errors = json_array();
	query_events("", NULL, NULL, &q, errors);
	ok(json_array_size(errors) == 0 && q.kind == NULL,
	    "an empty kind is no filter");
	json_decref(errors);

	errors = json_array();
	query_events("sme-info-session", "2027-01-01",
	    "2027-06-30T23:59:59Z", &q, errors);
	ok(json_array_size(errors) == 0, "kind, from and to");
	is_str(q.kind, "sme-info-session", "kind");
	is_str(q.from, "2027-01-01 00:00:00 Europe/Brussels", "from");
	is_str(q.to, "2027-06-30T23:59:59Z", "to");
	json_decref(errors);

	errors = json_array();
	query_events("Network Event", "tomorrow", "2027-13-01", &q, errors);
	ok(json_array_size(errors) == 3 && has_error(errors, "kind") &&
	    has_error(errors, "from") && has_error(errors, "to"),
	    "every bad argument is named");
	json_decref(errors);
}

int
main(void)
{
	test_bounds();
	test_events();
	return done_testing();
}
