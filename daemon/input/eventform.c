/*
 * eventform.c - the console's event form as the API's JSON; see
 * eventform.h.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "input/eventform.h"
#include "input/validate.h"

/* The event's fields on the form that are text, sent as they are. */
static const char *const event_text[] = { "slug", "kind", "title",
	"description", "language", "timezone", "online_url", "price_text",
	NULL };
static const char *const event_times[] = { "starts_at", "ends_at",
	"registration_opens_at", "registration_closes_at", NULL };
static const char *const venue_parts[] = { "name", "address", "postcode",
	"city", NULL };
/* fields that may be cleared: sent as null when empty on a change */
static const char *const event_nullable[] = { "online_url", "price_text",
	"capacity", "registration_opens_at", "registration_closes_at", NULL };
static const char *const session_text[] = { "slug", "title",
	"description", "room", NULL };
static const char *const session_all[] = { "slug", "title",
	"description", "starts_at", "ends_at", "room", "capacity", NULL };

static bool
in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

int
eventform_rows(const struct form *form)
{
	const char *v = form != NULL ? form_get(form, EVENTFORM_ROWS) : NULL;
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return EVENTFORM_ROWS_NEW;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < 1)
		return EVENTFORM_ROWS_NEW;
	return n > EVENTFORM_ROWS_MAX ? EVENTFORM_ROWS_MAX : (int)n;
}

static bool
two(const char *s, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

bool
eventform_local_time(const char *local, const char *tz, char *out,
    size_t len)
{
	struct icaltimetype t = icaltime_null_time();
	icaltimezone *zone;
	char date[11];
	int y, mo, d, h, mi, sec = 0, off, dst = 0;
	size_t n = strlen(local);

	if ((n != 16 && n != 19) || (local[10] != 'T' && local[10] != ' '))
		return false;
	memcpy(date, local, 10);
	date[10] = '\0';
	if (!parse_date(date, &y, &mo, &d) || !two(local + 11, &h) ||
	    local[13] != ':' || !two(local + 14, &mi) || h > 23 || mi > 59)
		return false;
	if (n == 19 && (local[16] != ':' || !two(local + 17, &sec) ||
	    sec > 59))
		return false;
	if (!valid_timezone(tz) ||
	    (zone = icaltimezone_get_builtin_timezone(tz)) == NULL)
		return false;
	t.year = y;
	t.month = mo;
	t.day = d;
	t.hour = h;
	t.minute = mi;
	t.second = sec;
	off = icaltimezone_get_utc_offset(zone, &t, &dst);
	if (off % 60 != 0)
		off -= off % 60;	/* RFC 3339 offsets are minutes */
	return snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    y, mo, d, h, mi, sec, off < 0 ? '-' : '+', abs(off) / 3600,
	    abs(off) % 3600 / 60) < (int)len;
}

/* A value of the form trimmed of white space at its ends, or NULL when
 * absent or empty; *buf holds it (free it). */
static const char *
trimmed(const struct form *form, const char *name, char **buf)
{
	const char *v = form_get(form, name);
	size_t n;

	*buf = NULL;
	if (v == NULL)
		return NULL;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	n = strlen(v);
	while (n > 0 && strchr(" \t\r\n", v[n - 1]) != NULL)
		n--;
	if (n == 0)
		return NULL;
	if ((*buf = strndup(v, n)) == NULL)
		return NULL;
	return *buf;
}

static void
error(json_t *errors, const char *field, const char *code,
    const char *message)
{
	json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field",
	    field, "message", message, "code", code));
}

/*
 * A count as the API takes it: digits make an integer; anything else
 * stays text, which validate_object refuses as it would from JSON.
 */
static json_t *
count_value(const char *v)
{
	char *end;
	long long n;

	if (strspn(v, "0123456789") == strlen(v) && strlen(v) <= 9) {
		n = strtoll(v, &end, 10);
		return json_integer(n);
	}
	return json_string(v);
}

/*
 * A time field: the local time in tz as RFC 3339, or an error on field;
 * absent: required (when it is) or null (nullable, on a change).
 */
static void
time_field(json_t *obj, const char *key, const char *field, const char *v,
    const char *tz, json_t *errors)
{
	char t[40];

	if (v == NULL)
		return;
	if (!eventform_local_time(v, tz, t, sizeof(t)))
		error(errors, field, VE_INVALID, "must be a date and time, "
		    "e.g. 2027-03-18T14:00");
	else
		json_object_set_new(obj, key, json_string(t));
}

/* Has errors one for field already? */
static bool
has_error(const json_t *errors, const char *field)
{
	json_t *e;
	size_t i;

	json_array_foreach(errors, i, e)
		if (strcmp(json_string_value(json_object_get(e, "field")),
		    field) == 0)
			return true;
	return false;
}

/*
 * validate_object's errors, each field renamed as the form names it
 * (venue.city is venue_city), none for a field that has one already (a
 * time that is none is not missing too).
 */
static void
checked(const json_t *obj, const struct vfield *table, bool create,
    json_t *errors)
{
	json_t *found = json_array(), *e;
	const char *f;
	char name[160];
	size_t i;

	validate_object(obj, table, create, found);
	json_array_foreach(found, i, e) {
		f = json_string_value(json_object_get(e, "field"));
		if (f == NULL)
			continue;
		if (strncmp(f, "venue.", 6) == 0)
			snprintf(name, sizeof(name), "venue_%s", f + 6);
		else
			snprintf(name, sizeof(name), "%s", f);
		if (has_error(errors, name))
			continue;
		json_object_set_new(e, "field", json_string(name));
		json_array_append(errors, e);
	}
	json_decref(found);
}

static bool
read_event(const struct form *form, bool create, json_t *ev, json_t *errors)
{
	const char *v, *tz;
	char *buf, *tzbuf, name[40];
	json_t *venue = json_object();
	size_t i;

	/*
	 * On a change, a field the form sent empty is cleared (null), made
	 * empty (the description), or sent empty for validate_object to
	 * refuse (the title); one it did not send stays as it is.
	 */
	for (i = 0; event_text[i] != NULL; i++) {
		bool sent = form_get(form, event_text[i]) != NULL;

		if ((v = trimmed(form, event_text[i], &buf)) != NULL)
			json_object_set_new(ev, event_text[i], json_string(v));
		else if (!create && sent && in(event_nullable, event_text[i]))
			json_object_set_new(ev, event_text[i], json_null());
		else if (!create && sent && (strcmp(event_text[i],
		    "description") == 0 || strcmp(event_text[i], "title") == 0 ||
		    strcmp(event_text[i], "kind") == 0))
			json_object_set_new(ev, event_text[i], json_string(""));
		free(buf);
	}
	tz = trimmed(form, "timezone", &tzbuf);
	if (tz == NULL)
		tz = "Europe/Brussels";
	for (i = 0; event_times[i] != NULL; i++) {
		bool sent = form_get(form, event_times[i]) != NULL;

		v = trimmed(form, event_times[i], &buf);
		if (v == NULL && !create && sent &&
		    in(event_nullable, event_times[i]))
			json_object_set_new(ev, event_times[i], json_null());
		else if (v == NULL && i < 2 && !create && sent)
			json_object_set_new(ev, event_times[i], json_string(""));
		time_field(ev, event_times[i], event_times[i], v, tz, errors);
		free(buf);
	}
	free(tzbuf);
	if ((v = trimmed(form, "capacity", &buf)) != NULL)
		json_object_set_new(ev, "capacity", count_value(v));
	else if (!create && form_get(form, "capacity") != NULL)
		json_object_set_new(ev, "capacity", json_null());
	free(buf);
	v = form_get(form, "waitlist");
	json_object_set_new(ev, "waitlist", json_boolean(v != NULL &&
	    strcmp(v, "on") == 0));
	for (i = 0; venue_parts[i] != NULL; i++) {
		snprintf(name, sizeof(name), "venue_%s", venue_parts[i]);
		if ((v = trimmed(form, name, &buf)) != NULL)
			json_object_set_new(venue, venue_parts[i],
			    json_string(v));
		else if (!create && form_get(form, name) != NULL)
			json_object_set_new(venue, venue_parts[i], json_null());
		free(buf);
	}
	if (json_object_size(venue) > 0)
		json_object_set(ev, "venue", venue);
	json_decref(venue);
	checked(ev, event_fields, create, errors);
	return true;
}

static bool
read_row(const struct form *form, int row, const char *tz, json_t *rows)
{
	json_t *s = json_object(), *errs = json_array();
	const char *v;
	char *buf, name[40], prefix[16];
	bool any = false;
	size_t i;

	snprintf(prefix, sizeof(prefix), "s%d-", row);
	for (i = 0; session_all[i] != NULL; i++) {
		snprintf(name, sizeof(name), "%s%s", prefix, session_all[i]);
		if ((v = trimmed(form, name, &buf)) == NULL)
			continue;
		any = true;
		if (in(session_text, session_all[i]))
			json_object_set_new(s, session_all[i], json_string(v));
		else if (strcmp(session_all[i], "capacity") == 0)
			json_object_set_new(s, session_all[i], count_value(v));
		else
			time_field(s, session_all[i], name, v, tz, errs);
		free(buf);
	}
	if (!any) {
		json_decref(s);
		json_decref(errs);
		return true;
	}
	/* the row's errors name its fields without the row: the database
	 * adds the row to them all */
	for (i = 0; i < json_array_size(errs); i++) {
		const char *f = json_string_value(json_object_get(
		    json_array_get(errs, i), "field"));

		json_object_set_new(json_array_get(errs, i), "field",
		    json_string(f + strlen(prefix)));
	}
	checked(s, session_fields, true, errs);
	snprintf(prefix, sizeof(prefix), "s%d", row);
	json_array_append_new(rows, json_pack("{s:s, s:o, s:o}", "row",
	    prefix, "session", s, "errors", errs));
	return true;
}

bool
eventform_read(const struct form *form, bool create, json_t **event,
    json_t **errors, json_t **rows)
{
	const char *tz;
	char *tzbuf;
	int i, n = eventform_rows(form);

	*event = json_object();
	*errors = json_array();
	*rows = json_array();
	if (*event == NULL || *errors == NULL || *rows == NULL)
		goto fail;
	if (!read_event(form, create, *event, *errors))
		goto fail;
	tz = trimmed(form, "timezone", &tzbuf);
	for (i = 1; i <= n; i++)
		if (!read_row(form, i, tz != NULL ? tz : "Europe/Brussels",
		    *rows)) {
			free(tzbuf);
			goto fail;
		}
	free(tzbuf);
	return true;
fail:
	json_decref(*event);
	json_decref(*errors);
	json_decref(*rows);
	*event = *errors = *rows = NULL;
	return false;
}

/* -- an event as the form's values ---------------------------------------- */

static bool
add(struct form *f, const char *name, const char *value)
{
	struct form_field *nf;

	if (value == NULL)
		return true;
	if ((nf = realloc(f->fields, (f->n + 1) * sizeof(*nf))) == NULL)
		return false;
	f->fields = nf;
	if ((nf[f->n].name = strdup(name)) == NULL)
		return false;
	if ((nf[f->n].value = strdup(value)) == NULL) {
		free(nf[f->n].name);
		return false;
	}
	f->n++;
	return true;
}

/* "2027-03-18T14:00:00+01:00" (in the event's zone) as "2027-03-18T14:00" */
static bool
add_time(struct form *f, const char *name, const json_t *v)
{
	const char *s = json_string_value(v);
	char local[17];

	if (s == NULL || strlen(s) < 16)
		return true;
	memcpy(local, s, 16);
	local[16] = '\0';
	return add(f, name, local);
}

static bool
add_count(struct form *f, const char *name, const json_t *v)
{
	char n[32];

	if (!json_is_integer(v))
		return true;
	snprintf(n, sizeof(n), "%lld", (long long)json_integer_value(v));
	return add(f, name, n);
}

bool
eventform_from_event(const json_t *ev, int extra, struct form *out)
{
	json_t *venue = json_object_get(ev, "venue"), *s;
	json_t *sessions = json_object_get(ev, "sessions");
	char name[40], n[16];
	size_t i, j;
	bool ok = true;

	out->fields = NULL;
	out->n = 0;
	for (i = 0; event_text[i] != NULL; i++)
		ok = ok && add(out, event_text[i], json_string_value(
		    json_object_get(ev, event_text[i])));
	for (i = 0; event_times[i] != NULL; i++)
		ok = ok && add_time(out, event_times[i],
		    json_object_get(ev, event_times[i]));
	ok = ok && add_count(out, "capacity", json_object_get(ev, "capacity"));
	if (json_is_true(json_object_get(ev, "waitlist")))
		ok = ok && add(out, "waitlist", "on");
	for (i = 0; venue_parts[i] != NULL; i++) {
		snprintf(name, sizeof(name), "venue_%s", venue_parts[i]);
		ok = ok && add(out, name, json_string_value(
		    json_object_get(venue, venue_parts[i])));
	}
	json_array_foreach(sessions, i, s) {
		for (j = 0; session_all[j] != NULL; j++) {
			json_t *v = json_object_get(s, session_all[j]);

			snprintf(name, sizeof(name), "s%zu-%s", i + 1,
			    session_all[j]);
			if (strcmp(session_all[j], "capacity") == 0)
				ok = ok && add_count(out, name, v);
			else if (in(session_text, session_all[j]))
				ok = ok && add(out, name, json_string_value(v));
			else
				ok = ok && add_time(out, name, v);
		}
	}
	i = json_array_size(sessions);
	snprintf(n, sizeof(n), "%zu", i == 0 && extra < EVENTFORM_ROWS_NEW ?
	    (size_t)EVENTFORM_ROWS_NEW : i + (size_t)extra);
	ok = ok && add(out, EVENTFORM_ROWS, n);
	if (!ok)
		form_free(out);
	return ok;
}
