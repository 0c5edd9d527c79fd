/*
 * test_form.c - form bodies, the registration form as the API's JSON,
 * cookies and the comparison of secrets.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "input/form.h"
#include "tap.h"

static bool
parses(const char *body)
{
	struct form f;
	bool ok_ = form_parse(body, strlen(body), &f);

	form_free(&f);
	return ok_;
}

static void
test_parse(void)
{
	struct form f;
	const char *body = "name=An+Peeters&email=an%40example.be&"
	    "sessions=a&sessions=b&organisation=Caf%C3%A9+%26+Co&empty=&"
	    "consent_privacy=on";

	ok(form_parse(body, strlen(body), &f), "a form parses");
	is_str(form_get(&f, "name"), "An Peeters", "'+' is a space");
	is_str(form_get(&f, "email"), "an@example.be", "%%40 is '@'");
	is_str(form_get(&f, "organisation"), "Caf\xc3\xa9 & Co",
	    "percent-encoded UTF-8 and '&'");
	is_str(form_get(&f, "empty"), "", "an empty value");
	ok(form_count(&f, "sessions") == 2, "a repeated name keeps each value");
	is_str(form_get(&f, "sessions"), "a", "form_get gives the first");
	ok(form_get(&f, "missing") == NULL, "absent is NULL");
	form_free(&f);

	ok(form_parse("", 0, &f) && f.n == 0, "an empty body is an empty form");
	form_free(&f);
	ok(parses("a=1&&b=2&"), "empty pairs are skipped");
	ok(parses("a%5Bb%5D=1"), "names are decoded too");

	ok(!parses("a"), "a pair without '=' is malformed");
	ok(!parses("=1"), "an empty name is malformed");
	ok(!parses("a=%zz"), "a bad escape is malformed");
	ok(!parses("a=%4"), "a truncated escape is malformed");
	ok(!parses("a=x%00y"), "an encoded NUL is malformed");
	ok(!parses("a=%ff"), "invalid UTF-8 is malformed");
	ok(!parses("a=%C3"), "a truncated UTF-8 sequence is malformed");
	ok(!parses("a=%ED%A0%80"), "an encoded surrogate is malformed");
	ok(!form_parse("a=1\0b=2", 7, &f), "a raw NUL is malformed");
	form_free(&f);
}

/* The registration object from a form body, dumped compactly with sorted
 * keys; NULL if the body does not parse. */
static char *
registration(const char *body, const char *lang)
{
	struct form f;
	json_t *j;
	char *s;

	if (!form_parse(body, strlen(body), &f))
		return NULL;
	j = form_to_registration(&f, lang);
	s = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	form_free(&f);
	return s;
}

static void
test_to_registration(void)
{
	char *s;

	s = registration("csrf=abc&homepage=&idempotency_key=k&"
	    "name=+An+Peeters%09&email=an%40example.be&role=employer&"
	    "organisation_type=sme&organisation=&postcode=8310&"
	    "sessions=b&sessions=&sessions=a&sessions=b&"
	    "consent_privacy=on&name=second", "nl");
	is_str(s, "{\"consent\":{\"privacy\":true},"
	    "\"email\":\"an@example.be\",\"language\":\"nl\","
	    "\"name\":\"An Peeters\",\"organisation_type\":\"sme\","
	    "\"postcode\":\"8310\",\"role\":\"employer\","
	    "\"sessions\":[\"b\",\"a\",\"b\"]}",
	    "a form as the API's object: first values, trimmed, empty ones "
	    "left out, every session in order, nothing of the page's own");
	free(s);

	/* a time slot's radio group carries its choice as well */
	s = registration("sessions.1=&sessions=c&sessions.2=d&sessions.10=e&"
	    "sessions.0=x&sessions.=y&sessions.1a=z&sessions.12345=w&"
	    "sessionsX=v", "nl");
	is_str(s, "{\"language\":\"nl\",\"sessions\":[\"c\",\"d\",\"e\"]}",
	    "sessions.N (N 1 to 9999) counts as sessions; \"none\" (empty) "
	    "and other names do not");
	free(s);
	ok(form_session_field("sessions") && form_session_field("sessions.3")
	    && !form_session_field("sessions.03") &&
	    !form_session_field("session"), "form_session_field");

	s = registration("language=+en+&consent_privacy=yes", "nl");
	is_str(s, "{\"consent\":{\"privacy\":false},\"language\":\"en\","
	    "\"sessions\":[]}", "a chosen language wins; consent is \"on\"");
	free(s);

	s = registration("language=%0D%0A&name=%0A", "en");
	is_str(s, "{\"language\":\"en\",\"sessions\":[]}",
	    "a blank language is the page's");
	free(s);

	s = registration("name=a%0Ab", "nl");
	is_str(s, "{\"language\":\"nl\",\"name\":\"a\\nb\","
	    "\"sessions\":[]}", "a newline inside is kept for validation");
	free(s);

	s = registration("given_name=+%C3%89liane+&family_name=Van+den+Bossche"
	    "&given_name=second", "nl");
	is_str(s, "{\"family_name\":\"Van den Bossche\","
	    "\"given_name\":\"\xc3\x89liane\",\"language\":\"nl\","
	    "\"sessions\":[]}", "the name's two parts, first values, trimmed");
	free(s);

	s = registration("given_name=&family_name=+&name=An+Peeters", "nl");
	is_str(s, "{\"language\":\"nl\",\"name\":\"An Peeters\","
	    "\"sessions\":[]}", "empty parts left out: an old form's name "
	    "stands alone");
	free(s);

	s = registration("given_name=An&family_name=Peeters&name=An+Peeters",
	    "nl");
	is_str(s, "{\"family_name\":\"Peeters\",\"given_name\":\"An\","
	    "\"language\":\"nl\",\"name\":\"An Peeters\","
	    "\"sessions\":[]}", "all three passed on, for validation to "
	    "refuse");
	free(s);
}

static void
test_limits(void)
{
	char body[FORM_MAX_FIELDS * 4 + 8];
	size_t i, o = 0;

	for (i = 0; i < FORM_MAX_FIELDS + 1; i++)
		o += (size_t)snprintf(body + o, sizeof(body) - o, "a=1&");
	ok(!parses(body), "more than %d fields is malformed", FORM_MAX_FIELDS);
	body[o - 4] = '\0';
	ok(parses(body), "%d fields are fine", FORM_MAX_FIELDS);
}

static void
test_content_type(void)
{
	ok(form_content_type("application/x-www-form-urlencoded"), "plain");
	ok(form_content_type("application/x-www-form-urlencoded; charset=UTF-8"),
	    "with a charset");
	ok(form_content_type("Application/X-WWW-Form-Urlencoded"),
	    "any case");
	ok(!form_content_type("multipart/form-data; boundary=x"), "multipart");
	ok(!form_content_type("application/json"), "JSON");
	ok(!form_content_type("application/x-www-form-urlencodedx"),
	    "a longer type");
	ok(!form_content_type(NULL), "none");
}

static void
test_cookies(void)
{
	char v[64];

	ok(cookie_get("lk_csrf=abc", "lk_csrf", v, sizeof(v)) &&
	    strcmp(v, "abc") == 0, "one cookie");
	ok(cookie_get("a=1; lk_csrf=xyz; b=2", "lk_csrf", v, sizeof(v)) &&
	    strcmp(v, "xyz") == 0, "among others");
	ok(cookie_get("x_lk_csrf=no; lk_csrf=yes", "lk_csrf", v, sizeof(v)) &&
	    strcmp(v, "yes") == 0, "a longer name does not match");
	ok(cookie_get("lk_csrf=\"q\"", "lk_csrf", v, sizeof(v)) &&
	    strcmp(v, "q") == 0, "a quoted value");
	ok(!cookie_get("lk_csrfx=1", "lk_csrf", v, sizeof(v)), "prefix only");
	ok(!cookie_get("a=1", "lk_csrf", v, sizeof(v)), "absent");
	ok(!cookie_get(NULL, "lk_csrf", v, sizeof(v)), "no header");
	ok(!cookie_get("lk_csrf=0123456789", "lk_csrf", v, 5), "too long");
}

static void
test_secure_equal(void)
{
	ok(secure_equal("abc", "abc"), "equal");
	ok(!secure_equal("abc", "abd"), "last byte differs");
	ok(!secure_equal("abc", "abcd"), "lengths differ");
	ok(secure_equal("", ""), "both empty");
}

int
main(void)
{
	test_parse();
	test_to_registration();
	test_limits();
	test_content_type();
	test_cookies();
	test_secure_equal();
	return done_testing();
}
