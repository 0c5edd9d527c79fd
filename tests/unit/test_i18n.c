/* test_i18n.c - language choice, field messages and dates. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render/i18n.h"
#include "input/validate.h"
#include "tap.h"

static void
test_negotiate(void)
{
	enum lang l;

	ok(i18n_negotiate(NULL) == LANG_NL, "no header: Dutch");
	ok(i18n_negotiate("") == LANG_NL, "empty header: Dutch");
	ok(i18n_negotiate("en") == LANG_EN, "en");
	ok(i18n_negotiate("en-GB,en;q=0.9") == LANG_EN, "en-GB");
	ok(i18n_negotiate("nl-BE,nl;q=0.9,en;q=0.8") == LANG_NL, "nl-BE first");
	ok(i18n_negotiate("fr-BE,fr;q=0.9,en;q=0.7,nl;q=0.5") == LANG_EN,
	    "the better of the two by q");
	ok(i18n_negotiate("en;q=0.3, nl;q=0.8") == LANG_NL, "q decides, not "
	    "order");
	ok(i18n_negotiate("de, fr") == LANG_NL, "neither: Dutch");
	ok(i18n_negotiate("en;q=0") == LANG_NL, "q=0 is not acceptable");
	ok(i18n_negotiate("*") == LANG_NL, "a wildcard: Dutch");
	ok(i18n_negotiate("english") == LANG_NL, "not a language tag");
	ok(i18n_parse("en", &l) && l == LANG_EN, "parse en");
	ok(i18n_parse("NL", &l) && l == LANG_NL, "parse NL");
	ok(!i18n_parse("fr", &l), "fr is not a page language");
	ok(!i18n_parse("e", &l) && !i18n_parse(NULL, &l), "short or NULL");
}

/* Each name error of a registration with these name members has words
 * of its own; n is how many there are. */
static void
check_name_parts(const char *members, size_t n)
{
	json_t *body = json_loads(members, 0, NULL), *errors = json_array();
	json_t *e;
	const char *code, *field;
	size_t i, found = 0;

	json_object_set_new(body, "email", json_string("an@example.be"));
	json_object_set_new(body, "role", json_string("employer"));
	json_object_set_new(body, "organisation_type", json_string("sme"));
	json_object_set_new(body, "consent", json_pack("{s:b}", "privacy", 1));
	validate_object(body, registration_fields, true, errors);
	json_array_foreach(errors, i, e) {
		code = json_string_value(json_object_get(e, "code"));
		field = json_string_value(json_object_get(e, "field"));
		if (strcmp(field, "given_name") != 0 &&
		    strcmp(field, "family_name") != 0)
			continue;
		found++;
		ok(code != NULL && strcmp(i18n_field_error(LANG_NL, field,
		    code), i18n_field_error(LANG_NL, NULL, NULL)) != 0 &&
		    strcmp(i18n_field_error(LANG_NL, field, code),
		    i18n_field_error(LANG_NL, "name", code)) != 0,
		    "%s (%s) has a message of its own, not the whole name's",
		    field, code);
	}
	ok(found == n, "%zu name errors for %s", found, members);
	json_decref(body);
	json_decref(errors);
}

static void
test_field_errors(void)
{
	json_t *errors = json_array(), *body, *e;
	size_t i;
	const char *code;

	is_str(i18n_field_error(LANG_NL, "email", VE_REQUIRED),
	    "Vul je e-mailadres in.", "email required (nl)");
	is_str(i18n_field_error(LANG_EN, "email", VE_REQUIRED),
	    "Enter your e-mail address.", "email required (en)");
	is_str(i18n_field_error(LANG_NL, "email", VE_INVALID),
	    "Vul een geldig e-mailadres in, bijvoorbeeld an@voorbeeld.be.",
	    "email invalid (nl)");
	is_str(i18n_field_error(LANG_NL, "email", "duplicate"),
	    "Met dit e-mailadres ben je al ingeschreven voor dit event.",
	    "duplicate e-mail (nl)");
	is_str(i18n_field_error(LANG_NL, "sessions", "overlap"),
	    "Twee sessies die je koos lopen tegelijk; kies er één van.",
	    "sessions overlap (nl)");
	is_str(i18n_field_error(LANG_EN, "name", VE_TOO_LONG),
	    "Your name can be at most 200 characters long.", "name too long");
	is_str(i18n_field_error(LANG_NL, "whatever", VE_REQUIRED),
	    "Vul dit veld in.", "any field by problem");
	is_str(i18n_field_error(LANG_EN, NULL, NULL),
	    "This field is not filled in correctly.", "the fallback");

	/* what lk_register refuses with a page can show, in its own words */
	ok(strcmp(i18n_field_error(LANG_NL, "email", VE_DUPLICATE),
	    i18n_field_error(LANG_NL, "email", NULL)) != 0, "email duplicate");
	ok(strcmp(i18n_field_error(LANG_NL, "sessions", VE_UNKNOWN),
	    i18n_field_error(LANG_NL, "sessions", NULL)) != 0,
	    "sessions unknown");
	ok(strcmp(i18n_field_error(LANG_NL, "sessions", VE_OVERLAP),
	    i18n_field_error(LANG_NL, "sessions", NULL)) != 0,
	    "sessions overlap");
	is_str(i18n_field_error(LANG_EN, "Idempotency-Key", VE_REUSED),
	    "What you are sending now differs from what you sent with this "
	    "form the first time.", "idempotency key reused (en)");
	ok(strcmp(i18n_field_error(LANG_NL, "Idempotency-Key", VE_REUSED),
	    i18n_field_error(LANG_NL, NULL, NULL)) != 0,
	    "idempotency key reused (nl)");

	/* every error validate gives a registration has its own words */
	body = json_loads("{\"name\": \" \", \"email\": \"x\", \"role\": \"boss\","
	    "\"organisation_type\": 3, \"postcode\": \"123\","
	    "\"enterprise_number\": \"0123.456.789\", \"language\": \"de\","
	    "\"sessions\": [\"a\", \"a\"], \"consent\": {\"privacy\": false},"
	    "\"organisation\": \"a\\u0001b\"}", 0, NULL);
	validate_object(body, registration_fields, true, errors);
	ok(json_array_size(errors) == 10, "ten problems (%zu)",
	    json_array_size(errors));
	json_array_foreach(errors, i, e) {
		code = json_string_value(json_object_get(e, "code"));
		ok(code != NULL && strcmp(i18n_field_error(LANG_NL,
		    json_string_value(json_object_get(e, "field")), code),
		    i18n_field_error(LANG_NL, NULL, NULL)) != 0,
		    "%s (%s) has a message of its own",
		    json_string_value(json_object_get(e, "field")), code);
	}
	json_decref(body);
	json_decref(errors);

	/* and those of the name's two parts (API.md section 11) */
	check_name_parts("{\"given_name\": \" \", \"family_name\": "
	    "\"a\\u0001b\"}", 2);
	check_name_parts("{\"family_name\": \"Peeters\"}", 1);
	check_name_parts("{\"name\": \"An\", \"given_name\": \"An\", "
	    "\"family_name\": \"Peeters\"}", 2);
	is_str(i18n_field_error(LANG_NL, "family_name", VE_REQUIRED),
	    "Vul je familienaam in.", "family name required (nl)");
	is_str(i18n_field_error(LANG_EN, "given_name", VE_REQUIRED),
	    "Enter your given name.", "given name required (en)");
}

static void
test_names(void)
{
	is_str(i18n_role(LANG_NL, "job-seeker"), "Werkzoekende", "role nl");
	is_str(i18n_role(LANG_EN, "training-provider"), "Training provider",
	    "role en");
	is_str(i18n_organisation_type(LANG_NL, "sme"), "KMO", "KMO");
	ok(i18n_role(LANG_NL, "boss") == NULL, "unknown role");
	is_str(i18n_language_name("fr"), "Français", "language name");
}

static void
test_dates(void)
{
	char out[128];

	ok(i18n_when(LANG_NL, "2027-03-18T13:30:00+01:00",
	    "2027-03-18T17:30:00+01:00", out, sizeof(out)), "a Dutch range");
	is_str(out, "donderdag 18 maart 2027, 13:30\xe2\x80\x93" "17:30",
	    "donderdag 18 maart 2027, 13:30-17:30");
	ok(i18n_when(LANG_EN, "2027-03-18T13:30:00+01:00",
	    "2027-03-18T17:30:00+01:00", out, sizeof(out)), "an English range");
	is_str(out, "Thursday 18 March 2027, 13:30\xe2\x80\x93" "17:30",
	    "Thursday 18 March 2027, 13:30-17:30");
	ok(i18n_when(LANG_NL, "2027-10-14T20:00:00+02:00",
	    "2027-10-15T01:00:00+02:00", out, sizeof(out)), "over midnight");
	is_str(out, "donderdag 14 oktober 2027, 20:00 \xe2\x80\x93 "
	    "vrijdag 15 oktober 2027, 01:00", "both days named");
	ok(i18n_when(LANG_NL, "2028-02-29T09:00:00+01:00",
	    "2028-02-29T10:00:00+01:00", out, sizeof(out)) &&
	    strncmp(out, "dinsdag 29 februari 2028", 24) == 0,
	    "a leap day: %s", out);
	ok(i18n_when(LANG_EN, "2026-12-15T18:00:00+01:00",
	    "2026-12-15T20:00:00+01:00", out, sizeof(out)) &&
	    strncmp(out, "Tuesday 15 December 2026", 24) == 0, "%s", out);
	ok(i18n_moment(LANG_NL, "2027-01-04T09:00:00+01:00", out, sizeof(out)),
	    "a moment");
	is_str(out, "maandag 4 januari 2027 om 09:00", "maandag 4 januari");
	ok(i18n_times("2027-03-18T14:30:00+01:00", "2027-03-18T15:45:00+01:00",
	    out, sizeof(out)), "times");
	is_str(out, "14:30\xe2\x80\x93" "15:45", "14:30-15:45");
	ok(!i18n_when(LANG_NL, "tomorrow", "2027-03-18T17:30:00+01:00", out,
	    sizeof(out)), "not a time");
	ok(!i18n_when(LANG_NL, "2027-13-18T13:30:00+01:00",
	    "2027-03-18T17:30:00+01:00", out, sizeof(out)), "month 13");
	ok(!i18n_when(LANG_NL, NULL, NULL, out, sizeof(out)), "NULL");
	ok(!i18n_when(LANG_NL, "2027-03-18T13:30:00+01:00",
	    "2027-03-18T17:30:00+01:00", out, 10), "too small a buffer");
}

int
main(void)
{
	test_negotiate();
	test_field_errors();
	test_names();
	test_dates();
	return done_testing();
}
