/*
 * validate.h - checks of outside input, by field tables.
 *
 * A table of struct vfield describes the fields of a JSON object; one
 * call checks them all and adds a {field, message} object to an errors
 * array for every problem, so that a client hears of every bad field at
 * once.
 */
#ifndef LEERKANS_VALIDATE_H
#define LEERKANS_VALIDATE_H

#include <stdbool.h>
#include <time.h>

#include <jansson.h>

enum vtype {
	V_SLUG,		/* [a-z0-9][a-z0-9-]{0,79} */
	V_LINE,		/* one line of text, not blank */
	V_TEXT,		/* text, newlines allowed, may be empty */
	V_TIME,		/* RFC 3339 with an offset */
	V_TIMEZONE,	/* IANA zone name */
	V_ENUM,		/* one of the field's choices */
	V_URL,		/* http:// or https:// */
	V_COUNT,	/* whole number >= 0 */
	V_BOOL,
	V_VENUE,	/* {name, address, postcode, city} */
	V_EMAIL,	/* an e-mail address */
	V_POSTCODE,	/* Belgian: four digits, 1000-9999 */
	V_ENTERPRISE,	/* Belgian enterprise number, mod-97 checked */
	V_SLUGS,	/* array of distinct slugs */
	V_CONSENT	/* {"privacy": true} */
};

#define VF_REQUIRED	0x01	/* on create */
#define VF_NULLABLE	0x02
#define VF_FIXED	0x04	/* may not change on update */
/*
 * A part of a person's name (given_name, family_name), which the whole
 * name in VALIDATE_WHOLE_NAME may stand in for (API.md section 11): not
 * required when that is sent, and never sent with it.
 */
#define VF_NAME_PART	0x08
#define VALIDATE_WHOLE_NAME	"name"

struct vfield {
	const char	*name;
	enum vtype	 type;
	unsigned	 flags;
	size_t		 max;	/* longest text in characters; largest count */
	const char *const *choices;	/* V_ENUM: NULL-terminated */
};

extern const struct vfield event_fields[];
extern const struct vfield session_fields[];
extern const struct vfield registration_fields[];

/* Checks obj against fields; create says which fields are required. */
void	validate_object(const json_t *obj, const struct vfield *fields,
	    bool create, json_t *errors);
/*
 * Every error also carries a "code" naming the problem, so that a page
 * can say it in the reader's language (i18n_field_error) without
 * parsing the English message.  The codes are internal: the JSON API
 * answers {field, message} (validate_strip_codes).
 */
#define VE_REQUIRED		"required"
#define VE_NULL			"null"
#define VE_EMPTY		"empty"
#define VE_CONTROL		"control"
#define VE_TOO_LONG		"too-long"
#define VE_INVALID		"invalid"	/* wrong form; the default */
#define VE_CHOICE		"choice"	/* not one of the choices */
#define VE_RANGE		"range"
#define VE_CONSENT		"consent"
#define VE_DUPLICATE_ITEM	"duplicate-item"
#define VE_UNKNOWN_FIELD	"unknown-field"
#define VE_READ_ONLY		"read-only"
#define VE_FIXED		"fixed"
#define VE_ORDER		"order"		/* must come after another */
#define VE_CONFLICT		"conflict"	/* not with another field */
/*
 * Codes only the SQL functions send (lk_field_error, migrations/
 * functions/), for what only the database knows; they use the codes
 * above too.  A new one a page can show needs its words in
 * render/i18n.c.
 */
#define VE_UNKNOWN		"unknown"	/* no such kind or session */
#define VE_DUPLICATE		"duplicate"	/* slug taken, e-mail in use */
#define VE_OVERLAP		"overlap"	/* sessions at the same time */
#define VE_OUTSIDE		"outside"	/* a session beyond its event */
#define VE_BELOW_CONFIRMED	"below-confirmed" /* capacity too small */
#define VE_REUSED		"reused"	/* Idempotency-Key, new body */

void	validate_error(json_t *errors, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	validate_error_code(json_t *errors, const char *field,
	    const char *code, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* Removes the codes from an errors array before it is answered. */
void	validate_strip_codes(json_t *errors);

bool	valid_slug(const char *s);
/* A database id in a path: 1 to 18 digits, no leading zero. */
bool	valid_id(const char *s);
bool	valid_email(const char *s);
bool	valid_postcode(const char *s);
/* Accepts 0123.456.789, 0123456789, BE0123456789 (spaces allowed);
 * writes the ten digits to out. */
bool	enterprise_number_normalize(const char *s, char out[11]);
bool	valid_timezone(const char *s);
bool	valid_url(const char *s);
bool	parse_time(const char *s, time_t *out);
bool	parse_date(const char *s, int *y, int *m, int *d);
size_t	utf8_length(const char *s);

#endif
