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

#include "validate.h"

const struct vfield event_fields[] = {
	{ "slug",			V_SLUG,		VF_REQUIRED | VF_FIXED, 80 },
	{ "kind",			V_SLUG,		VF_REQUIRED, 80 },
	{ "title",			V_LINE,		VF_REQUIRED, 200 },
	{ "description",		V_TEXT,		0, 20000 },
	{ "language",			V_LANGUAGE,	0, 0 },
	{ "starts_at",			V_TIME,		VF_REQUIRED, 0 },
	{ "ends_at",			V_TIME,		VF_REQUIRED, 0 },
	{ "timezone",			V_TIMEZONE,	0, 0 },
	{ "venue",			V_VENUE,	VF_NULLABLE, 0 },
	{ "online_url",			V_URL,		VF_NULLABLE, 2000 },
	{ "capacity",			V_COUNT,	VF_NULLABLE, 1000000 },
	{ "waitlist",			V_BOOL,		0, 0 },
	{ "registration_opens_at",	V_TIME,		VF_NULLABLE, 0 },
	{ "registration_closes_at",	V_TIME,		VF_NULLABLE, 0 },
	{ "status",			V_STATUS,	0, 0 },
	{ NULL, 0, 0, 0 }
};

const struct vfield session_fields[] = {
	{ "slug",		V_SLUG,		VF_REQUIRED | VF_FIXED, 80 },
	{ "title",		V_LINE,		VF_REQUIRED, 200 },
	{ "description",	V_TEXT,		0, 20000 },
	{ "starts_at",		V_TIME,		VF_REQUIRED, 0 },
	{ "ends_at",		V_TIME,		VF_REQUIRED, 0 },
	{ "room",		V_LINE,		VF_NULLABLE, 200 },
	{ "capacity",		V_COUNT,	VF_NULLABLE, 1000000 },
	{ NULL, 0, 0, 0 }
};

/* Fields that are not in the table but are answered: refused kindly. */
static const char *const read_only[] = {
	"sequence", "seats_left", "waitlist_length", "sessions",
	"created_at", "updated_at", NULL
};

static const struct vfield venue_fields[] = {
	{ "name",	V_LINE,	VF_NULLABLE, 200 },
	{ "address",	V_LINE,	VF_NULLABLE, 300 },
	{ "postcode",	V_LINE,	VF_NULLABLE, 16 },
	{ "city",	V_LINE,	VF_NULLABLE, 100 },
	{ NULL, 0, 0, 0 }
};

void
validate_error(json_t *errors, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(errors, json_pack("{s:s, s:s}", "field", field,
	    "message", msg));
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
			validate_error(errors, path, "must not be null");
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
			validate_error(errors, path, "must not be empty");
		else if (has_control(s, f->type == V_TEXT))
			validate_error(errors, path, "must not contain control "
			    "characters");
		else if (utf8_length(s) > f->max)
			validate_error(errors, path, "must be at most %zu "
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
	case V_LANGUAGE:
		if (s == NULL || (strcmp(s, "nl") != 0 && strcmp(s, "en") != 0 &&
		    strcmp(s, "fr") != 0))
			validate_error(errors, path, "must be one of nl, en, fr");
		break;
	case V_URL:
		if (s == NULL || !valid_url(s) || strlen(s) > f->max)
			validate_error(errors, path, "must be an http:// or "
			    "https:// URL");
		break;
	case V_COUNT:
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > (json_int_t)f->max)
			validate_error(errors, path, "must be a whole number from "
			    "0 to %zu", f->max);
		break;
	case V_BOOL:
		if (!json_is_boolean(v))
			validate_error(errors, path, "must be true or false");
		break;
	case V_STATUS:
		if (s == NULL || (strcmp(s, "draft") != 0 &&
		    strcmp(s, "published") != 0 && strcmp(s, "cancelled") != 0))
			validate_error(errors, path, "must be one of draft, "
			    "published, cancelled");
		break;
	case V_VENUE: {
		const char *key;
		json_t *sub;
		char subpath[128];
		const struct vfield *vf;

		if (!json_is_object(v)) {
			validate_error(errors, path, "must be an object with "
			    "name, address, postcode and city");
			break;
		}
		json_object_foreach((json_t *)v, key, sub) {
			snprintf(subpath, sizeof(subpath), "%s.%s", path, key);
			for (vf = venue_fields; vf->name != NULL; vf++)
				if (strcmp(vf->name, key) == 0)
					break;
			if (vf->name == NULL)
				validate_error(errors, subpath, "unknown field");
			else
				check_field(vf, subpath, sub, errors);
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

	json_object_foreach((json_t *)obj, key, v) {
		for (f = fields; f->name != NULL; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (f->name != NULL)
			continue;
		for (i = 0; read_only[i] != NULL; i++)
			if (strcmp(read_only[i], key) == 0)
				break;
		validate_error(errors, key, read_only[i] != NULL ?
		    "is read-only" : "unknown field");
	}
	for (f = fields; f->name != NULL; f++) {
		v = json_object_get(obj, f->name);
		if (v == NULL) {
			if (create && (f->flags & VF_REQUIRED))
				validate_error(errors, f->name, "is required");
			continue;
		}
		if (!create && (f->flags & VF_FIXED)) {
			validate_error(errors, f->name, "cannot be changed");
			continue;
		}
		check_field(f, f->name, v, errors);
	}
	if (field_time(obj, "starts_at", &a) && field_time(obj, "ends_at", &b) &&
	    b <= a)
		validate_error(errors, "ends_at", "must be after starts_at");
	if (field_time(obj, "registration_opens_at", &a) &&
	    field_time(obj, "registration_closes_at", &b) && b <= a)
		validate_error(errors, "registration_closes_at",
		    "must be after registration_opens_at");
}
