/* test_validate.c - field checks and the event and session tables. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/validate.h"
#include "tap.h"

static bool
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The code of the first error about field; NULL if there is none. */
static const char *
code_of(json_t *errors, const char *field)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    field) == 0)
			return json_string_value(json_object_get(e, "code"));
	return NULL;
}

static bool
has_error(json_t *errors, const char *field)
{
	return code_of(errors, field) != NULL;
}

static void
test_id(void)
{
	ok(valid_id("1") && valid_id("42") && valid_id("123456789012345678"),
	    "ids of 1 to 18 digits");
	ok(!valid_id("") && !valid_id("0") && !valid_id("042"),
	    "empty, zero and a leading zero refused");
	ok(!valid_id("1234567890123456789"), "19 digits refused");
	ok(!valid_id("12a") && !valid_id("-1") && !valid_id(" 1"),
	    "only digits");
}

static void
test_slug(void)
{
	char long_slug[90];

	ok(valid_slug("netwerkevent-voorjaar-2027"), "plain slug");
	ok(valid_slug("a"), "one character");
	ok(!valid_slug(""), "empty");
	ok(!valid_slug("-start"), "leading dash");
	ok(!valid_slug("Upper"), "upper case");
	ok(!valid_slug("a_b"), "underscore");
	ok(!valid_slug("caf\xc3\xa9"), "non-ASCII");
	memset(long_slug, 'a', 81);
	long_slug[81] = '\0';
	ok(!valid_slug(long_slug), "81 characters");
	long_slug[80] = '\0';
	ok(valid_slug(long_slug), "80 characters");
}

static void
test_time(void)
{
	time_t t, u;

	ok(parse_time("2027-03-18T14:00:00+01:00", &t), "RFC 3339 with offset");
	ok(parse_time("2027-03-18T13:00:00Z", &u) && t == u,
	    "Z and +01:00 name the same instant");
	ok(parse_time("2027-03-18T14:00:00.250+01:00", &u) && t == u,
	    "fractions allowed");
	ok(!parse_time("2027-03-18T14:00:00", &t), "an offset is required");
	ok(!parse_time("2027-02-29T10:00:00Z", &t), "no 29 February in 2027");
	ok(parse_time("2028-02-29T10:00:00Z", &t), "29 February 2028");
	ok(!parse_time("2027-03-18T24:00:00Z", &t), "hour 24");
	ok(!parse_time("2027-3-18T14:00:00Z", &t), "one-digit month");
	ok(!parse_time("2027-03-18T14:00:00+0100", &t), "offset without colon");
	ok(!parse_time("tomorrow", &t), "words");
}

static void
test_timezone(void)
{
	ok(valid_timezone("Europe/Brussels"), "Europe/Brussels");
	ok(valid_timezone("America/New_York"), "America/New_York");
	ok(!valid_timezone("Europe/Atlantis"), "unknown zone");
	ok(!valid_timezone("../../etc/passwd"), "a path");
	ok(!valid_timezone(""), "empty");
}

static void
test_event_create(void)
{
	json_t *body, *errors = json_array();

	body = json_loads("{\"slug\": \"Bad Slug\", \"kind\": \"network-event\","
	    "\"title\": \"   \", \"starts_at\": \"2027-03-18T14:00:00+01:00\","
	    "\"ends_at\": \"2027-03-18T13:00:00+01:00\", \"capacity\": -1,"
	    "\"colour\": \"blue\", \"sequence\": 3, \"venue\": {\"name\": \"x\","
	    "\"floor\": 2}, \"language\": \"de\", \"timezone\": \"Mars/Base\"}",
	    0, NULL);
	validate_object(body, event_fields, true, errors);
	ok(has_error(errors, "slug"), "bad slug named");
	ok(has_error(errors, "title"), "blank title named");
	ok(has_error(errors, "ends_at"), "ends before start named");
	ok(has_error(errors, "capacity"), "negative capacity named");
	ok(has_error(errors, "colour"), "unknown field named");
	ok(has_error(errors, "sequence"), "read-only field named");
	ok(has_error(errors, "venue.floor"), "unknown venue field named");
	ok(has_error(errors, "language"), "unknown language named");
	ok(has_error(errors, "timezone"), "unknown zone named");
	ok(!has_error(errors, "kind"), "a good kind is not named");
	ok(json_array_size(errors) == 9, "exactly the nine problems (%zu)",
	    json_array_size(errors));
	json_decref(body);
	json_decref(errors);

	errors = json_array();
	body = json_loads("{}", 0, NULL);
	validate_object(body, event_fields, true, errors);
	ok(has_error(errors, "slug") && has_error(errors, "kind") &&
	    has_error(errors, "title") && has_error(errors, "starts_at") &&
	    has_error(errors, "ends_at"), "every required field named");
	json_decref(body);
	json_decref(errors);
}

static void
test_event_patch(void)
{
	json_t *body, *errors = json_array();

	body = json_loads("{\"slug\": \"new-slug\", \"capacity\": null,"
	    "\"venue\": null, \"title\": null}", 0, NULL);
	validate_object(body, event_fields, false, errors);
	ok(has_error(errors, "slug"), "slug cannot change");
	ok(has_error(errors, "title"), "title cannot be null");
	ok(!has_error(errors, "capacity"), "capacity may become null");
	ok(!has_error(errors, "venue"), "venue may be cleared");
	ok(json_array_size(errors) == 2, "nothing else named");
	json_decref(body);
	json_decref(errors);
}

static void
test_codes(void)
{
	json_t *body, *errors = json_array(), *e;
	size_t i;
	bool all = true;

	body = json_loads("{\"email\": \"x\", \"colour\": 1,"
	    "\"consent\": {}}", 0, NULL);
	validate_object(body, registration_fields, true, errors);
	json_array_foreach(errors, i, e)
		if (!json_is_string(json_object_get(e, "code")))
			all = false;
	ok(all && json_array_size(errors) > 0, "every error has a code");
	ok(json_array_size(errors) == 7, "seven problems (%zu)",
	    json_array_size(errors));
	e = json_array_get(errors, 0);
	is_str(json_string_value(json_object_get(e, "code")), VE_UNKNOWN_FIELD,
	    "unknown fields first");
	validate_strip_codes(errors);
	all = true;
	json_array_foreach(errors, i, e)
		if (json_object_get(e, "code") != NULL ||
		    json_object_size(e) != 2)
			all = false;
	ok(all, "stripped: {field, message} as the API answers");
	json_decref(body);
	json_decref(errors);
}

/* The errors of a registration with these name fields (JSON members). */
static json_t *
name_errors(const char *members)
{
	char text[512];
	json_t *body, *errors = json_array();

	snprintf(text, sizeof(text), "{%s%s\"email\": \"an@example.be\","
	    " \"role\": \"employer\", \"organisation_type\": \"sme\","
	    " \"consent\": {\"privacy\": true}}", members,
	    *members != '\0' ? ", " : "");
	body = json_loads(text, 0, NULL);
	validate_object(body, registration_fields, true, errors);
	json_decref(body);
	return errors;
}


/* API.md section 11: given_name and family_name, or name alone. */
static void
test_names(void)
{
	json_t *errors;

	errors = name_errors("\"given_name\": \"An\", "
	    "\"family_name\": \"Peeters\"");
	ok(json_array_size(errors) == 0, "both parts");
	json_decref(errors);

	errors = name_errors("\"name\": \"An Peeters\"");
	ok(json_array_size(errors) == 0, "the whole name alone, as before");
	json_decref(errors);

	errors = name_errors("");
	ok(json_array_size(errors) == 2 &&
	    streq(code_of(errors, "given_name"), VE_REQUIRED) &&
	    streq(code_of(errors, "family_name"), VE_REQUIRED),
	    "no name: both parts required, not name");
	json_decref(errors);

	errors = name_errors("\"family_name\": \"Peeters\"");
	ok(json_array_size(errors) == 1 &&
	    streq(code_of(errors, "given_name"), VE_REQUIRED),
	    "one part: the other required");
	json_decref(errors);

	errors = name_errors("\"name\": \"An Peeters\", "
	    "\"family_name\": \"Peeters\"");
	ok(json_array_size(errors) == 1 &&
	    streq(code_of(errors, "family_name"), VE_CONFLICT),
	    "name with a part: the part named as the conflict");
	ok(strstr(json_string_value(json_object_get(json_array_get(errors, 0),
	    "message")), "name") != NULL, "its message says with what");
	json_decref(errors);

	errors = name_errors("\"name\": \"An Peeters\", "
	    "\"given_name\": \"An\", \"family_name\": \"Peeters\"");
	ok(json_array_size(errors) == 2 &&
	    streq(code_of(errors, "given_name"), VE_CONFLICT) &&
	    streq(code_of(errors, "family_name"), VE_CONFLICT),
	    "name with both parts: both named");
	json_decref(errors);

	errors = name_errors("\"name\": null, \"given_name\": \"An\", "
	    "\"family_name\": \"Peeters\"");
	ok(code_of(errors, "given_name") != NULL &&
	    code_of(errors, "name") != NULL,
	    "a null name is sent too: a conflict, and not a string");
	json_decref(errors);

	errors = name_errors("\"given_name\": \" \", "
	    "\"family_name\": \"\\u0007\"");
	ok(streq(code_of(errors, "given_name"), VE_EMPTY) &&
	    streq(code_of(errors, "family_name"), VE_CONTROL),
	    "each part checked as a line");
	json_decref(errors);
}

/*
 * A venue part with a long name holding a multi-byte character: its
 * error named the field cut at 127 bytes, inside the character, which
 * is no JSON string, so the error was silently dropped.
 */
static void
test_venue_long_key(void)
{
	char key[200], body[300];
	json_t *obj, *errors;
	size_t i, n;
	json_t *e;
	bool named = false;

	memset(key, 'b', 120);
	memcpy(key + 120, "\xc3\xa9\xc3\xa9", 5);	/* "éé" */
	snprintf(body, sizeof(body), "{\"venue\": {\"%s\": 1}}", key);
	obj = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	ok(obj != NULL, "a venue with a 124-character part name");
	errors = json_array();
	validate_object(obj, event_fields, false, errors);
	n = json_array_size(errors);
	json_array_foreach(errors, i, e) {
		const char *f = json_string_value(json_object_get(e, "field"));

		if (f != NULL && strncmp(f, "venue.", 6) == 0 &&
		    strcmp(f + 6, key) == 0)
			named = true;
	}
	ok(n == 1 && named, "its error is kept, naming the whole part");
	json_decref(errors);
	json_decref(obj);
}

int
main(void)
{
	test_codes();
	test_names();
	test_id();
	test_slug();
	test_time();
	test_timezone();
	test_event_create();
	test_event_patch();
	test_venue_long_key();
	return done_testing();
}
