/*
 * i18n.h - Dutch and English for the web pages.
 *
 * Page texts are written in place as pairs, TR(lang, "nl", "en"), so a
 * template reads in both languages at once.  What the pages learn from
 * elsewhere has a table here: field errors by field and problem code
 * (validate.h VE_*, and the SQL functions' problems), the names of
 * roles and organisation types, and dates.
 */
#ifndef LEERKANS_I18N_H
#define LEERKANS_I18N_H

#include <stdbool.h>
#include <stddef.h>

enum lang {
	LANG_NL,	/* the default */
	LANG_EN
};

#define TR(lang, nl, en)	((lang) == LANG_EN ? (en) : (nl))

/* "nl" or "en" */
const char *i18n_code(enum lang lang);
/* Accepts "nl" and "en" (any case, with a region: "nl-BE"). */
bool	i18n_parse(const char *s, enum lang *out);
/* The best of nl and en for an Accept-Language header; nl if neither. */
enum lang i18n_negotiate(const char *accept_language);

/*
 * The message to show beside a form field.  code is a VE_* code, or one
 * of the SQL functions' refusals: "duplicate", "unknown", "overlap".
 * Never NULL.
 */
const char *i18n_field_error(enum lang lang, const char *field,
	    const char *code);

/* Names of the choices in registration_fields; NULL if unknown. */
const char *i18n_role(enum lang lang, const char *role);
const char *i18n_organisation_type(enum lang lang, const char *type);
const char *i18n_language_name(const char *code);

/*
 * Dates from the API's local RFC 3339 text, as the reader says them:
 *	"donderdag 18 maart 2027, 13:30–17:30"
 *	"Thursday 18 March 2027, 13:30–17:30"
 * A range over two days names both.  False if a time does not parse.
 */
bool	i18n_when(enum lang lang, const char *start, const char *end,
	    char *out, size_t outlen);
/* "maandag 4 januari 2027 om 09:00" / "Monday 4 January 2027 at 09:00" */
bool	i18n_moment(enum lang lang, const char *t, char *out, size_t outlen);
/* "13:30–17:30" (times only, for sessions on the event's day) */
bool	i18n_times(const char *start, const char *end, char *out,
	    size_t outlen);

#endif
