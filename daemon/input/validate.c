/*
 * validate.c - field tables and the checks behind them.
 */
#include "autoconf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "input/validate.h"

static const char *const languages[] = { "nl", "en", "fr", NULL };
static const char *const statuses[] = { "draft", "published", "cancelled",
	NULL };
static const char *const roles[] = { "employer", "employee", "job-seeker",
	"intermediary", "training-provider", "student", "citizen", "other",
	NULL };
static const char *const organisation_types[] = { "sme", "large-company",
	"intermediary", "education", "government", "non-profit", "none", NULL };

const struct vfield event_fields[] = {
	{ "slug",			V_SLUG,		VF_REQUIRED | VF_FIXED, 80, NULL },
	{ "kind",			V_SLUG,		VF_REQUIRED, 80, NULL },
	{ "title",			V_LINE,		VF_REQUIRED, 200, NULL },
	{ "description",		V_TEXT,		0, 20000, NULL },
	{ "language",			V_ENUM,		0, 0, languages },
	{ "starts_at",			V_TIME,		VF_REQUIRED, 0, NULL },
	{ "ends_at",			V_TIME,		VF_REQUIRED, 0, NULL },
	{ "timezone",			V_TIMEZONE,	0, 0, NULL },
	{ "venue",			V_VENUE,	VF_NULLABLE, 0, NULL },
	{ "online_url",			V_URL,		VF_NULLABLE, 2000, NULL },
	{ "price_text",			V_LINE,		VF_NULLABLE, 200, NULL },
	{ "capacity",			V_COUNT,	VF_NULLABLE, 1000000, NULL },
	{ "waitlist",			V_BOOL,		0, 0, NULL },
	{ "registration_opens_at",	V_TIME,		VF_NULLABLE, 0, NULL },
	{ "registration_closes_at",	V_TIME,		VF_NULLABLE, 0, NULL },
	{ "status",			V_ENUM,		0, 0, statuses },
	{ NULL, 0, 0, 0, NULL }
};

const struct vfield session_fields[] = {
	{ "slug",		V_SLUG,		VF_REQUIRED | VF_FIXED, 80, NULL },
	{ "title",		V_LINE,		VF_REQUIRED, 200, NULL },
	{ "description",	V_TEXT,		0, 20000, NULL },
	{ "starts_at",		V_TIME,		VF_REQUIRED, 0, NULL },
	{ "ends_at",		V_TIME,		VF_REQUIRED, 0, NULL },
	{ "room",		V_LINE,		VF_NULLABLE, 200, NULL },
	{ "capacity",		V_COUNT,	VF_NULLABLE, 1000000, NULL },
	{ NULL, 0, 0, 0, NULL }
};

const struct vfield registration_fields[] = {
	{ "given_name",		V_LINE,		VF_REQUIRED | VF_NAME_PART, 100,
	  NULL },
	{ "family_name",	V_LINE,		VF_REQUIRED | VF_NAME_PART, 100,
	  NULL },
	{ VALIDATE_WHOLE_NAME,	V_LINE,		0, 200, NULL },
	{ "email",		V_EMAIL,	VF_REQUIRED, 254, NULL },
	{ "organisation",	V_LINE,		VF_NULLABLE, 200, NULL },
	{ "enterprise_number",	V_ENTERPRISE,	VF_NULLABLE, 0, NULL },
	{ "role",		V_ENUM,		VF_REQUIRED, 0, roles },
	{ "organisation_type",	V_ENUM,		VF_REQUIRED, 0,
	  organisation_types },
	{ "postcode",		V_POSTCODE,	VF_NULLABLE, 0, NULL },
	{ "sessions",		V_SLUGS,	0, 20, NULL },
	{ "consent",		V_CONSENT,	VF_REQUIRED, 0, NULL },
	{ "language",		V_ENUM,		0, 0, languages },
	{ NULL, 0, 0, 0, NULL }
};

/* Fields that are not in the table but are answered: refused kindly. */
static const char *const read_only[] = {
	"sequence", "seats_left", "waitlist_length", "sessions",
	"created_at", "updated_at", NULL
};

static const struct vfield venue_fields[] = {
	{ "name",	V_LINE,	VF_NULLABLE, 200, NULL },
	{ "address",	V_LINE,	VF_NULLABLE, 300, NULL },
	{ "postcode",	V_LINE,	VF_NULLABLE, 16, NULL },
	{ "city",	V_LINE,	VF_NULLABLE, 100, NULL },
	{ NULL, 0, 0, 0, NULL }
};

static void __attribute__((format(printf, 4, 0)))
verror(json_t *errors, const char *field, const char *code, const char *fmt,
    va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field",
	    field, "message", msg, "code", code));
}

void
validate_error(json_t *errors, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(errors, field, VE_INVALID, fmt, ap);
	va_end(ap);
}

void
validate_error_code(json_t *errors, const char *field, const char *code,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(errors, field, code, fmt, ap);
	va_end(ap);
}

void
validate_strip_codes(json_t *errors)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
		if (json_is_object(e))
			json_object_del(e, "code");
}

size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool
valid_id(const char *s)
{
	size_t len = strlen(s);

	return len >= 1 && len <= 18 && strspn(s, "0123456789") == len &&
	    s[0] != '0';
}

bool
valid_slug(const char *s)
{
	size_t i;

	if (s[0] == '\0' || s[0] == '-')
		return false;
	for (i = 0; s[i]; i++) {
		if (i >= 80)
			return false;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	}
	return true;
}

/*
 * A practical check, not RFC 5322: one '@', a local part of printable
 * characters without spaces or quotes, a domain of dot-separated labels
 * of letters, digits and '-' (or non-ASCII, for IDNs) with at least one
 * dot.
 */
bool
valid_email(const char *s)
{
	const char *at = strchr(s, '@'), *p, *label;
	size_t len;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    (size_t)(at - s) > 64)
		return false;
	for (p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' ||
		    *p == '(' || *p == ')' || *p == ',' || *p == ':' ||
		    *p == ';' || *p == '<' || *p == '>' || *p == '[' ||
		    *p == ']' || *p == '\\')
			return false;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return false;
	if (strchr(at + 1, '.') == NULL)
		return false;
	for (label = at + 1;; label = p + 1) {
		for (p = label; *p != '\0' && *p != '.'; p++)
			if (!(isalnum((unsigned char)*p) || *p == '-' ||
			    (unsigned char)*p >= 0x80))
				return false;
		len = (size_t)(p - label);
		if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-')
			return false;
		if (*p == '\0')
			break;
	}
	return true;
}

bool
valid_postcode(const char *s)
{
	return strlen(s) == 4 && s[0] >= '1' && s[0] <= '9' &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    isdigit((unsigned char)s[3]);
}

bool
enterprise_number_normalize(const char *s, char out[11])
{
	size_t n = 0;
	unsigned long long base;
	int check;

	if ((s[0] == 'B' || s[0] == 'b') && (s[1] == 'E' || s[1] == 'e'))
		s += 2;
	for (; *s; s++) {
		if (*s == ' ' || *s == '.')
			continue;
		if (!isdigit((unsigned char)*s) || n == 10)
			return false;
		out[n++] = *s;
	}
	if (n == 9) {		/* the old numbers, without the leading 0 */
		memmove(out + 1, out, 9);
		out[0] = '0';
		n = 10;
	}
	out[n] = '\0';
	if (n != 10 || (out[0] != '0' && out[0] != '1'))
		return false;
	base = strtoull((char[9]){ out[0], out[1], out[2], out[3], out[4],
	    out[5], out[6], out[7], '\0' }, NULL, 10);
	check = (out[8] - '0') * 10 + (out[9] - '0');
	return 97 - (int)(base % 97) == check;
}

bool
valid_timezone(const char *s)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) > 64 || strstr(s, "..") != NULL ||
	    s[0] == '/')
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("/_-+", s[i]) ==
		    NULL)
			return false;
	return icaltimezone_get_builtin_timezone(s) != NULL;
}

bool
valid_url(const char *s)
{
	const char *host;
	size_t i;

	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return false;
	if (*host == '\0' || *host == '/' || *host == ':')
		return false;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

static bool
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

bool
parse_date(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d))
		return false;
	return *y >= 1970 && *y <= 9999 && *m >= 1 && *m <= 12 && *d >= 1 &&
	    *d <= days_in_month(*y, *m);
}

/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM); a zone is required. */
bool
parse_time(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, oh, om, sign;
	const char *p;

	if (strlen(s) < 20 || strlen(s) > 40)
		return false;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return false;
	{
		char date[11];

		memcpy(date, s, 10);
		date[10] = '\0';
		if (!parse_date(date, &y, &mo, &d))
			return false;
	}
	p = s + 11;
	if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi) ||
	    p[5] != ':' || !digits(p + 6, 2, &sec))
		return false;
	if (h > 23 || mi > 59 || sec > 59)
		return false;
	p += 8;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		oh = om = 0;
		sign = 1;
	} else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) &&
	    p[3] == ':' && digits(p + 4, 2, &om) && p[6] == '\0') {
		if (oh > 23 || om > 59)
			return false;
		sign = *p == '-' ? -1 : 1;
	} else
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - sign * (oh * 3600 + om * 60);
	return true;
}

static bool
has_control(const char *s, bool newlines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\t' || (newlines && (c == '\n' || c == '\r')))
			continue;
		if (c < 0x20 || c == 0x7f)
			return true;
	}
	return false;
}

static bool
blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static void
check_field(const struct vfield *f, const char *path, const json_t *v,
    json_t *errors)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	time_t t;

	if (json_is_null(v)) {
		if (!(f->flags & VF_NULLABLE))
			validate_error_code(errors, path, VE_NULL, "must not be null");
		return;
	}
	switch (f->type) {
	case V_SLUG:
		if (s == NULL || !valid_slug(s))
			validate_error(errors, path, "must be 1 to 80 lower-case "
			    "letters, digits or '-', not starting with '-'");
		break;
	case V_LINE:
	case V_TEXT:
		if (s == NULL)
			validate_error(errors, path, "must be a string");
		else if (f->type == V_LINE && blank(s))
			validate_error_code(errors, path, VE_EMPTY, "must not be empty");
		else if (has_control(s, f->type == V_TEXT))
			validate_error_code(errors, path, VE_CONTROL,
			    "must not contain control "
			    "characters");
		else if (utf8_length(s) > f->max)
			validate_error_code(errors, path, VE_TOO_LONG,
			    "must be at most %zu "
			    "characters", f->max);
		break;
	case V_TIME:
		if (s == NULL || !parse_time(s, &t))
			validate_error(errors, path, "must be an RFC 3339 time "
			    "with an offset, e.g. 2027-03-18T14:00:00+01:00");
		break;
	case V_TIMEZONE:
		if (s == NULL || !valid_timezone(s))
			validate_error(errors, path, "must be an IANA time zone, "
			    "e.g. Europe/Brussels");
		break;
	case V_ENUM: {
		const char *const *c;
		char list[300];
		size_t o = 0;

		for (c = f->choices; s != NULL && *c != NULL; c++)
			if (strcmp(s, *c) == 0)
				return;
		list[0] = '\0';
		for (c = f->choices; *c != NULL && o < sizeof(list); c++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
			    c == f->choices ? "" : ", ", *c);
		validate_error_code(errors, path, VE_CHOICE, "must be one of %s",
		    list);
		break;
	}
	case V_URL:
		if (s == NULL || !valid_url(s) || strlen(s) > f->max)
			validate_error(errors, path, "must be an http:// or "
			    "https:// URL");
		break;
	case V_COUNT:
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > (json_int_t)f->max)
			validate_error_code(errors, path, VE_RANGE,
			    "must be a whole number from "
			    "0 to %zu", f->max);
		break;
	case V_BOOL:
		if (!json_is_boolean(v))
			validate_error(errors, path, "must be true or false");
		break;
	case V_EMAIL:
		if (s == NULL || strlen(s) > f->max || !valid_email(s))
			validate_error(errors, path, "must be an e-mail address, "
			    "e.g. an@example.be");
		break;
	case V_POSTCODE:
		if (s == NULL || !valid_postcode(s))
			validate_error(errors, path, "must be a Belgian postcode "
			    "of four digits");
		break;
	case V_ENTERPRISE: {
		char digits10[11];

		if (s == NULL || !enterprise_number_normalize(s, digits10))
			validate_error(errors, path, "must be a Belgian "
			    "enterprise number, e.g. 0123.456.749 (its last "
			    "two digits are a check)");
		break;
	}
	case V_SLUGS: {
		size_t i, j;
		json_t *a, *b;

		if (!json_is_array(v) || json_array_size(v) > f->max) {
			validate_error(errors, path, "must be a list of at most "
			    "%zu session slugs", f->max);
			break;
		}
		json_array_foreach(v, i, a) {
			if (!json_is_string(a) ||
			    !valid_slug(json_string_value(a))) {
				validate_error(errors, path, "item %zu is not a "
				    "session slug", i + 1);
				continue;
			}
			for (j = 0; j < i; j++) {
				b = json_array_get(v, j);
				if (json_is_string(b) && strcmp(
				    json_string_value(a),
				    json_string_value(b)) == 0) {
					validate_error_code(errors, path,
					    VE_DUPLICATE_ITEM, "session "
					    "%s is listed twice",
					    json_string_value(a));
					break;
				}
			}
		}
		break;
	}
	case V_CONSENT:
		if (!json_is_object(v) ||
		    !json_is_true(json_object_get(v, "privacy")) ||
		    json_object_size(v) != 1)
			validate_error_code(errors, path, VE_CONSENT,
			    "must be {\"privacy\": "
			    "true}: registering needs consent to the privacy "
			    "statement");
		break;
	case V_VENUE: {
		const char *key;
		json_t *sub;
		char *subpath;
		const struct vfield *vf;

		if (!json_is_object(v)) {
			validate_error(errors, path, "must be an object with "
			    "name, address, postcode and city");
			break;
		}
		json_object_foreach((json_t *)v, key, sub) {
			/* whole: a name cut inside a UTF-8 character is no
			 * JSON string, and its error would be lost */
			if (asprintf(&subpath, "%s.%s", path, key) == -1) {
				validate_error(errors, path, "out of memory");
				break;
			}
			for (vf = venue_fields; vf->name != NULL; vf++)
				if (strcmp(vf->name, key) == 0)
					break;
			if (vf->name == NULL)
				validate_error_code(errors, subpath,
				    VE_UNKNOWN_FIELD, "unknown field");
			else
				check_field(vf, subpath, sub, errors);
			free(subpath);
		}
		break;
	}
	}
}

static bool
field_time(const json_t *obj, const char *name, time_t *t)
{
	json_t *v = json_object_get(obj, name);

	return json_is_string(v) && parse_time(json_string_value(v), t);
}

void
validate_object(const json_t *obj, const struct vfield *fields, bool create,
    json_t *errors)
{
	const struct vfield *f;
	const char *key;
	json_t *v;
	time_t a, b;
	size_t i;
	bool whole_name = json_object_get(obj, VALIDATE_WHOLE_NAME) != NULL;

	json_object_foreach((json_t *)obj, key, v) {
		for (f = fields; f->name != NULL; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (f->name != NULL)
			continue;
		for (i = 0; read_only[i] != NULL; i++)
			if (strcmp(read_only[i], key) == 0)
				break;
		if (read_only[i] != NULL)
			validate_error_code(errors, key, VE_READ_ONLY,
			    "is read-only");
		else
			validate_error_code(errors, key, VE_UNKNOWN_FIELD,
			    "unknown field");
	}
	for (f = fields; f->name != NULL; f++) {
		v = json_object_get(obj, f->name);
		if (v == NULL) {
			if (create && (f->flags & VF_REQUIRED) &&
			    !((f->flags & VF_NAME_PART) && whole_name))
				validate_error_code(errors, f->name, VE_REQUIRED,
				    "is required");
			continue;
		}
		/* one way to give a name: whole, or in its parts */
		if ((f->flags & VF_NAME_PART) && whole_name) {
			validate_error_code(errors, f->name, VE_CONFLICT,
			    "cannot be sent with %s: send given_name and "
			    "family_name, or %s alone", VALIDATE_WHOLE_NAME,
			    VALIDATE_WHOLE_NAME);
			continue;
		}
		if (!create && (f->flags & VF_FIXED)) {
			validate_error_code(errors, f->name, VE_FIXED,
			    "cannot be changed");
			continue;
		}
		check_field(f, f->name, v, errors);
	}
	if (field_time(obj, "starts_at", &a) && field_time(obj, "ends_at", &b) &&
	    b <= a)
		validate_error_code(errors, "ends_at", VE_ORDER,
		    "must be after starts_at");
	if (field_time(obj, "registration_opens_at", &a) &&
	    field_time(obj, "registration_closes_at", &b) && b <= a)
		validate_error_code(errors, "registration_closes_at", VE_ORDER,
		    "must be after registration_opens_at");
}
