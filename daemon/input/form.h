/*
 * form.h - application/x-www-form-urlencoded bodies, the registration
 * form turned into the API's JSON object, and cookies.
 *
 * form_parse() is strict where evhttp's query parser is lenient: a bad
 * percent escape, an encoded NUL, invalid UTF-8 or a pair without '='
 * makes the whole body malformed (400), never a silently shortened value.
 */
#ifndef LEERKANS_FORM_H
#define LEERKANS_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define FORM_MAX_FIELDS	100

struct form_field {
	char	*name;
	char	*value;
};

struct form {
	struct form_field	*fields;
	size_t			 n;
};

/* Parses len bytes; false if malformed (form is then empty). */
bool	form_parse(const char *data, size_t len, struct form *form)
	    __attribute__((warn_unused_result));
void	form_free(struct form *form);
/* The first value of name, or NULL. */
const char *form_get(const struct form *form, const char *name);
/* How many values name has. */
size_t	form_count(const struct form *form, const char *name);

/* The registration form's consent checkbox (value "on"). */
#define FORM_CONSENT	"consent_privacy"
/*
 * Its session choices: "sessions" once per chosen session; where
 * sessions overlap in time, one radio group per time slot, named
 * FORM_SLOT and the slot's number ("sessions.1"), since browsers make
 * one group of all radio buttons of a form that share a name.
 */
#define FORM_SESSIONS	"sessions"
#define FORM_SLOT	"sessions."
/* Is name a field that carries a session choice? */
bool	form_session_field(const char *name);

/*
 * The API's registration object (API.md 4) from the web form, for
 * validate_object and lk_register as if it came as JSON: the first value
 * of each of given_name, family_name, name (what forms drawn before
 * names had two parts send), email, organisation, enterprise_number,
 * role, organisation_type, postcode and language, trimmed of spaces,
 * tabs, CR and LF, left out when that leaves it empty; language
 * defaulting to default_language; "sessions" always a list of every
 * non-empty value of a session field (form_session_field) in the order
 * given; FORM_CONSENT, when present, {"privacy": value == "on"} as
 * "consent".  Other fields (the CSRF token, the honeypot, the
 * idempotency key) are ignored.  NULL when out of memory.
 */
json_t	*form_to_registration(const struct form *form,
	    const char *default_language);

/* Is ct application/x-www-form-urlencoded (parameters allowed)? */
bool	form_content_type(const char *ct);

/*
 * Copies the value of cookie name from a Cookie header into out; false
 * when it is absent or does not fit.
 */
bool	cookie_get(const char *header, const char *name, char *out,
	    size_t outlen);

/* Are these n bytes UTF-8 (no overlong forms, no surrogates)? */
bool	utf8_valid(const unsigned char *s, size_t n);

/* Compares without leaking where two strings differ. */
bool	secure_equal(const char *a, const char *b);

#endif
