/*
 * test_eventform.c - the console's event form as the API's JSON
 * (input/eventform.c): local times in the event's zone, summer and
 * winter; fields trimmed, cleared on a change, a count that is none
 * left to validate_object; every error named as the form names it;
 * empty session rows skipped, the others checked; an event back as the
 * form's values.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "input/eventform.h"
#include "input/form.h"
#include "tap.h"

static struct form
make(const char *body)
{
	struct form f;

	if (!form_parse(body, strlen(body), &f))
		abort();
	return f;
}

/* Has errors one for field with code? */
static bool
has(const json_t *errors, const char *field, const char *code)
{
	json_t *e;
	size_t i;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    field) == 0 && (code == NULL || strcmp(json_string_value(
		    json_object_get(e, "code")), code) == 0))
			return true;
	return false;
}

static void
test_local_time(void)
{
	char t[40];

	ok(eventform_local_time("2027-03-18T14:00", "Europe/Brussels", t,
	    sizeof(t)), "a winter time");
	is_str(t, "2027-03-18T14:00:00+01:00", "with its offset");
	ok(eventform_local_time("2027-09-16 09:30:15", "Europe/Brussels", t,
	    sizeof(t)), "a summer time, a space, seconds");
	is_str(t, "2027-09-16T09:30:15+02:00", "with its offset");
	ok(eventform_local_time("2027-01-05T10:00", "America/New_York", t,
	    sizeof(t)), "another zone");
	is_str(t, "2027-01-05T10:00:00-05:00", "behind UTC");
	ok(!eventform_local_time("2027-02-30T10:00", "Europe/Brussels", t,
	    sizeof(t)), "no 30 February");
	ok(!eventform_local_time("2027-03-18T24:00", "Europe/Brussels", t,
	    sizeof(t)), "no hour 24");
	ok(!eventform_local_time("morgen", "Europe/Brussels", t, sizeof(t)),
	    "words are no time");
	ok(!eventform_local_time("2027-03-18T14:00+01:00", "Europe/Brussels",
	    t, sizeof(t)), "an offset is not the form's");
	ok(!eventform_local_time("2027-03-18T14:00", "Europe/Nergens", t,
	    sizeof(t)), "no such zone");
}

static void
test_read(void)
{
	struct form f = make("csrf=x&rows=3&kind=network-event&slug=netwerk"
	    "&title=+Netwerkevent+&starts_at=2027-03-18T13%3A30"
	    "&ends_at=2027-03-18T17%3A30&timezone=Europe%2FBrussels"
	    "&venue_city=Ieper&venue_postcode=8900&capacity=120&waitlist=on"
	    "&s1-slug=a&s1-title=A&s1-starts_at=2027-03-18T14%3A00"
	    "&s1-ends_at=2027-03-18T15%3A00&s1-capacity=30"
	    "&s2-slug=&s2-title=&s2-room="
	    "&s3-slug=c&s3-title=C&s3-starts_at=nooit&s3-capacity=veel");
	json_t *ev, *errors, *rows, *row;

	ok(eventform_read(&f, true, &ev, &errors, &rows), "a new event read");
	is_str(json_string_value(json_object_get(ev, "title")), "Netwerkevent",
	    "trimmed");
	is_str(json_string_value(json_object_get(ev, "starts_at")),
	    "2027-03-18T13:30:00+01:00", "times in the event's zone");
	ok(json_integer_value(json_object_get(ev, "capacity")) == 120,
	    "a count is a number");
	ok(json_is_true(json_object_get(ev, "waitlist")), "the checkbox");
	is_str(json_string_value(json_object_get(json_object_get(ev, "venue"),
	    "city")), "Ieper", "the venue's parts");
	ok(json_object_get(ev, "online_url") == NULL && json_object_get(ev,
	    "status") == NULL, "what was not sent is not made up");
	ok(json_array_size(errors) == 0, "the event is fine");
	ok(json_array_size(rows) == 2, "the empty row is skipped");
	row = json_array_get(rows, 0);
	is_str(json_string_value(json_object_get(row, "row")), "s1", "row 1");
	is_str(json_string_value(json_object_get(json_object_get(row,
	    "session"), "ends_at")), "2027-03-18T15:00:00+01:00",
	    "its times in the event's zone");
	ok(json_array_size(json_object_get(row, "errors")) == 0, "and fine");
	row = json_array_get(rows, 1);
	is_str(json_string_value(json_object_get(row, "row")), "s3",
	    "row 3 keeps its number");
	ok(has(json_object_get(row, "errors"), "starts_at", "invalid") &&
	    has(json_object_get(row, "errors"), "ends_at", "required") &&
	    has(json_object_get(row, "errors"), "capacity", NULL),
	    "its errors, by field, without the row");
	ok(json_array_size(json_object_get(row, "errors")) == 3,
	    "a time that is none is not missing too");
	json_decref(ev);
	json_decref(errors);
	json_decref(rows);
	form_free(&f);

	f = make("rows=1&kind=&title=&starts_at=2027-13-01T10%3A00"
	    "&ends_at=&capacity=&venue_city=&online_url=&description=");
	ok(eventform_read(&f, false, &ev, &errors, &rows), "a change read");
	ok(json_is_null(json_object_get(ev, "capacity")) &&
	    json_is_null(json_object_get(ev, "online_url")),
	    "emptied: cleared");
	is_str(json_string_value(json_object_get(ev, "description")), "",
	    "an emptied description is empty");
	ok(json_is_null(json_object_get(json_object_get(ev, "venue"),
	    "city")), "a venue part cleared, merged");
	ok(has(errors, "starts_at", "invalid") && has(errors, "ends_at",
	    NULL) && has(errors, "title", NULL), "every bad field named");
	ok(json_array_size(rows) == 0, "no rows");
	ok(json_object_get(ev, "price_text") == NULL && json_object_get(
	    json_object_get(ev, "venue"), "name") == NULL, "what was not sent "
	    "stays as it is");
	json_decref(ev);
	json_decref(errors);
	json_decref(rows);
	form_free(&f);

	f = make("venue_postcode=8900");
	ok(eventform_read(&f, true, &ev, &errors, &rows), "a new, bare form");
	ok(has(errors, "slug", "required") && has(errors, "starts_at",
	    "required"), "required fields named");
	json_decref(ev);
	json_decref(errors);
	json_decref(rows);
	form_free(&f);
}

static void
test_rows(void)
{
	struct form f = make("rows=7");

	ok(eventform_rows(&f) == 7, "rows as drawn");
	form_free(&f);
	f = make("rows=100000");
	ok(eventform_rows(&f) == EVENTFORM_ROWS_MAX, "at most the maximum");
	form_free(&f);
	f = make("rows=-1");
	ok(eventform_rows(&f) == EVENTFORM_ROWS_NEW, "a bad count: the default");
	form_free(&f);
	ok(eventform_rows(NULL) == EVENTFORM_ROWS_NEW, "none: the default");
}

static void
test_from_event(void)
{
	json_t *ev = json_loads("{\"slug\": \"n\", \"title\": \"N\", "
	    "\"kind\": \"network-event\", \"timezone\": \"Europe/Brussels\", "
	    "\"starts_at\": \"2027-09-16T13:30:00+02:00\", \"capacity\": null, "
	    "\"waitlist\": false, \"venue\": {\"city\": \"Ieper\", \"name\": "
	    "null}, \"sessions\": [{\"slug\": \"a\", \"title\": \"A\", "
	    "\"starts_at\": \"2027-09-16T14:00:00+02:00\", \"capacity\": 30, "
	    "\"room\": null}]}", 0, NULL);
	struct form f;

	ok(eventform_from_event(ev, 2, &f), "an event as the form's values");
	is_str(form_get(&f, "starts_at"), "2027-09-16T13:30",
	    "a time on the event's wall clock");
	ok(form_get(&f, "capacity") == NULL && form_get(&f, "waitlist") ==
	    NULL, "no limit, no waiting list");
	is_str(form_get(&f, "venue_city"), "Ieper", "a venue part");
	is_str(form_get(&f, "s1-slug"), "a", "a session in row 1");
	is_str(form_get(&f, "s1-capacity"), "30", "its count");
	is_str(form_get(&f, "rows"), "3", "and two empty rows");
	form_free(&f);
	json_decref(ev);
}

int
main(void)
{
	test_local_time();
	test_read();
	test_rows();
	test_from_event();
	return done_testing();
}
