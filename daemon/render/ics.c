/*
 * ics.c - VCALENDAR, VEVENT and VTIMEZONE with libical.
 *
 * libical builds the calendar and escapes the TEXT values; three things
 * it does not do as the feeds need are done here:
 *
 *  - TZID: libical names its zones /freeassociation.sourceforge.net/...
 *    (and libical 3.0 takes icaltimezone_set_tzid_prefix("") to mean
 *    "the default prefix"), so each VTIMEZONE gets the plain IANA name
 *    that Google and Outlook map, and is truncated to the span of the
 *    events that use it instead of carrying every rule since 1880.
 *  - X-WR-CALNAME: libical does not escape ',' and ';' in the value of
 *    an X- property; that one line is written here, escaped as TEXT.
 *  - Folding: libical's output is unfolded and folded again at 75
 *    octets, never inside a UTF-8 character, the same with any libical.
 *
 * Text from the database is cleaned first: CR and CRLF become LF (which
 * libical escapes as \n) and other control characters, which RFC 5545
 * does not allow in TEXT, are dropped.  A SUMMARY, LOCATION or
 * DESCRIPTION left with nothing but spaces and tabs is not written:
 * libical's parser strips them and calls the empty value an error.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "render/ics.h"

#define FOLD_AT		75	/* octets on a line, CRLF not counted */
#define CALNAME		"X-WR-CALNAME"
/*
 * RFC 5545 wants at least one component in a VCALENDAR: a calendar
 * without events carries the default zone (rules from 2020 on).
 */
#define EMPTY_TZID	"Europe/Brussels"
#define EMPTY_FROM	((time_t)1577836800)	/* 2020-01-01T00:00:00Z */

struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	bool	 failed;
};

/* One VEVENT, flattened from an event or a session. */
struct ics_vevent {
	const char	*kind;		/* "event", "session": the UID */
	long long	 id;
	const char	*summary;
	const char	*location;
	const char	*description;
	const char	*url;
	const char	*tzid;
	icaltimezone	*zone;		/* NULL: times in UTC */
	time_t		 starts_at;
	time_t		 ends_at;
	time_t		 modified;
	int		 sequence;
	enum ics_status	 status;
};

struct ics_zone {
	const char	*name;
	icaltimezone	*zone;
	time_t		 from;
	time_t		 until;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	char *p;
	size_t cap;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_adds(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_add(b, s, strlen(s));
}

/* The buffer's text (the caller frees it), or NULL if anything failed. */
static char *
buf_take(struct buf *b)
{
	if (b->p == NULL)
		buf_add(b, "", 0);
	if (b->failed) {
		free(b->p);
		b->p = NULL;
		return NULL;
	}
	return b->p;
}

static bool
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Nothing but spaces and tabs, which libical's parser strips from either
 * end of a value before it calls an empty one an error. */
static bool
blank(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

/* Appends s without control characters other than TAB; CR, CRLF -> LF. */
static void
buf_add_clean(struct buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; p != NULL && *p; p++) {
		if (*p == '\r') {
			if (p[1] != '\n')
				buf_add(b, "\n", 1);
		} else if (*p == '\n' || *p == '\t' || (*p >= 0x20 && *p != 0x7f))
			buf_add(b, (const char *)p, 1);
	}
}

/* Is nothing of s left once cleaned (only control characters, or none)? */
static bool
empty_clean(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; p != NULL && *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t' ||
		    (*p >= 0x20 && *p != 0x7f))
			return false;
	return true;
}

char *
ics_escape_text(const char *s)
{
	struct buf clean = { 0 }, out = { 0 };
	const char *p;
	char *text;

	buf_add_clean(&clean, s);
	if ((text = buf_take(&clean)) == NULL)
		return NULL;
	for (p = text; *p; p++) {
		switch (*p) {
		case '\\':
			buf_add(&out, "\\\\", 2);
			break;
		case ';':
			buf_add(&out, "\\;", 2);
			break;
		case ',':
			buf_add(&out, "\\,", 2);
			break;
		case '\n':
			buf_add(&out, "\\n", 2);
			break;
		default:
			buf_add(&out, p, 1);
			break;
		}
	}
	free(text);
	return buf_take(&out);
}

/* Appends one logical line, folded, each physical line ending in CRLF. */
static void
buf_add_folded(struct buf *b, const char *s, size_t len)
{
	size_t pos = 0, limit = FOLD_AT, cut;

	while (len - pos > limit) {
		cut = pos + limit;
		/* the next line must not start inside a character */
		while (cut > pos && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		if (cut == pos)
			cut = pos + limit;	/* not UTF-8 */
		buf_add(b, s + pos, cut - pos);
		buf_add(b, "\r\n ", 3);
		pos = cut;
		limit = FOLD_AT - 1;	/* after the leading space */
	}
	buf_add(b, s + pos, len - pos);
	buf_add(b, "\r\n", 2);
}

char *
ics_fold(const char *text, size_t len, size_t *outlen)
{
	struct buf out = { 0 };
	char *s;

	buf_add_folded(&out, text, len);
	if ((s = buf_take(&out)) != NULL && outlen != NULL)
		*outlen = out.len;
	return s;
}

/*
 * libical's text, unfolded and folded again, with the calendar's name
 * written in place of the X-WR-CALNAME that libical wrote.
 */
static char *
ics_finish(const char *text, const char *calname, size_t *lenp)
{
	struct buf flat = { 0 }, out = { 0 };
	const char *p, *line, *eol;
	char *unfolded, *name, *s;

	for (p = text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n' && (p[1] == ' ' || p[1] == '\t')) {
			p++;
			continue;
		}
		buf_add(&flat, p, 1);
	}
	if ((unfolded = buf_take(&flat)) == NULL)
		return NULL;
	if ((name = ics_escape_text(calname)) == NULL) {
		free(unfolded);
		return NULL;
	}
	for (line = unfolded; *line; line = *eol ? eol + 1 : eol) {
		if ((eol = strchr(line, '\n')) == NULL)
			eol = line + strlen(line);
		if (eol == line)
			continue;
		if (strncmp(line, CALNAME ":", sizeof(CALNAME)) == 0) {
			struct buf cn = { 0 };

			buf_adds(&cn, CALNAME ":");
			buf_adds(&cn, name);
			if ((s = buf_take(&cn)) == NULL) {
				out.failed = true;
				break;
			}
			buf_add_folded(&out, s, strlen(s));
			free(s);
		} else
			buf_add_folded(&out, line, (size_t)(eol - line));
	}
	free(unfolded);
	free(name);
	if ((s = buf_take(&out)) != NULL && lenp != NULL)
		*lenp = out.len;
	return s;
}

/* A zone with rules, or NULL for UTC and zones libical does not know. */
static icaltimezone *
ics_zone(const char *name)
{
	icaltimezone *z;

	if (empty(name) ||
	    (z = icaltimezone_get_builtin_timezone(name)) == NULL ||
	    z == icaltimezone_get_utc_timezone() ||
	    icaltimezone_get_component(z) == NULL)
		return NULL;
	return z;
}

static icaltimetype
ics_utc(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone());
}

/* A DTSTART or DTEND: local time with TZID, or UTC. */
static icalproperty *
ics_time_prop(icalproperty *(*make)(struct icaltimetype), time_t t,
    const struct ics_vevent *v)
{
	icalproperty *p;

	if (v->zone == NULL)
		return make(ics_utc(t));
	/* not icaltime_from_timet_with_zone: libical 3.0 leaves its result
	 * marked as UTC, and the local time would be written with a Z */
	p = make(icaltime_convert_to_zone(ics_utc(t), v->zone));
	icalproperty_set_parameter(p, icalparameter_new_tzid(v->tzid));
	return p;
}

static void
ics_add_vevent(icalcomponent *cal, const struct ics_vevent *v)
{
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalproperty_status st;
	char uid[128];

	snprintf(uid, sizeof(uid), "%s-%lld@%s", v->kind, v->id,
	    ICS_UID_DOMAIN);
	switch (v->status) {
	case ICS_TENTATIVE:
		st = ICAL_STATUS_TENTATIVE;
		break;
	case ICS_CANCELLED:
		st = ICAL_STATUS_CANCELLED;
		break;
	case ICS_CONFIRMED:
	default:
		st = ICAL_STATUS_CONFIRMED;
		break;
	}
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(
	    ics_utc(v->modified)));
	icalcomponent_add_property(ev, ics_time_prop(icalproperty_new_dtstart,
	    v->starts_at, v));
	icalcomponent_add_property(ev, ics_time_prop(icalproperty_new_dtend,
	    v->ends_at, v));
	icalcomponent_add_property(ev, icalproperty_new_sequence(v->sequence));
	icalcomponent_add_property(ev, icalproperty_new_lastmodified(
	    ics_utc(v->modified)));
	icalcomponent_add_property(ev, icalproperty_new_status(st));
	if (!blank(v->summary))
		icalcomponent_add_property(ev,
		    icalproperty_new_summary(v->summary));
	if (!blank(v->location))
		icalcomponent_add_property(ev,
		    icalproperty_new_location(v->location));
	if (!blank(v->description))
		icalcomponent_add_property(ev,
		    icalproperty_new_description(v->description));
	if (!empty(v->url))
		icalcomponent_add_property(ev, icalproperty_new_url(v->url));
	icalcomponent_add_component(cal, ev);
}

static const char *
ics_cancelled_word(const char *language)
{
	if (language != NULL && strcmp(language, "en") == 0)
		return "Cancelled: ";
	if (language != NULL && strcmp(language, "fr") == 0)
		return "Annul\xc3\xa9 : ";
	return "Geannuleerd: ";
}

static void
buf_join(struct buf *b, const char *s)
{
	if (empty_clean(s))
		return;
	if (b->len > 0)
		buf_adds(b, ", ");
	buf_add_clean(b, s);
}

/* room, venue name, address, "postcode city"; online_url without a venue */
static char *
ics_location(const struct ics_event *e, const char *room)
{
	struct buf b = { 0 }, town = { 0 };
	size_t before;
	char *t;

	buf_join(&b, room);
	before = b.len;
	buf_join(&b, e->venue_name);
	buf_join(&b, e->venue_address);
	buf_add_clean(&town, e->venue_postcode);
	if (!empty_clean(e->venue_postcode) && !empty_clean(e->venue_city))
		buf_adds(&town, " ");
	buf_add_clean(&town, e->venue_city);
	if ((t = buf_take(&town)) != NULL)
		buf_join(&b, t);
	else
		b.failed = true;
	free(t);
	if (b.len == before)
		buf_join(&b, e->online_url);
	return buf_take(&b);
}

static bool
ics_has_venue(const struct ics_event *e)
{
	return !empty_clean(e->venue_name) ||
	    !empty_clean(e->venue_address) ||
	    !empty_clean(e->venue_postcode) || !empty_clean(e->venue_city);
}

static char *
ics_description(const struct ics_event *e, const char *text)
{
	struct buf b = { 0 };

	buf_add_clean(&b, text);
	if (!empty_clean(e->online_url) && ics_has_venue(e)) {
		if (b.len > 0)
			buf_adds(&b, "\n\n");
		buf_adds(&b, "Online: ");
		buf_add_clean(&b, e->online_url);
	}
	return buf_take(&b);
}

static char *
ics_summary(const struct ics_event *e, const struct ics_session *s,
    enum ics_status st)
{
	struct buf b = { 0 };

	if (st == ICS_CANCELLED)
		buf_adds(&b, ics_cancelled_word(e->language));
	if (s != NULL) {
		buf_add_clean(&b, s->title);
		buf_adds(&b, " (");
		buf_add_clean(&b, e->title);
		buf_adds(&b, ")");
	} else
		buf_add_clean(&b, e->title);
	return buf_take(&b);
}

/* Adds the VEVENTs of one event and its sessions. */
static bool
ics_add_event(icalcomponent *cal, const struct ics_calendar *c,
    const struct ics_event *e)
{
	struct ics_vevent v;
	struct buf url = { 0 };
	char *summary = NULL, *location = NULL, *description = NULL;
	char *link;
	size_t i;
	bool ok = false;

	buf_adds(&url, c->base_url);
	buf_adds(&url, "/events/");
	buf_adds(&url, e->slug);
	if ((link = buf_take(&url)) == NULL)
		return false;

	memset(&v, 0, sizeof(v));
	v.kind = "event";
	v.id = e->id;
	v.url = link;
	v.tzid = e->timezone;
	v.zone = ics_zone(e->timezone);
	v.starts_at = e->starts_at;
	v.ends_at = e->ends_at;
	v.modified = e->updated_at;
	v.sequence = e->sequence;
	v.status = e->status;
	summary = ics_summary(e, NULL, e->status);
	location = ics_location(e, NULL);
	description = ics_description(e, e->description);
	if (summary == NULL || location == NULL || description == NULL)
		goto fail;
	v.summary = summary;
	v.location = location;
	v.description = description;
	ics_add_vevent(cal, &v);

	for (i = 0; i < e->nsessions; i++) {
		const struct ics_session *s = &e->sessions[i];

		free(summary);
		free(location);
		free(description);
		v.kind = "session";
		v.id = s->id;
		v.starts_at = s->starts_at;
		v.ends_at = s->ends_at;
		v.modified = s->updated_at > e->updated_at ? s->updated_at :
		    e->updated_at;
		v.sequence = e->sequence + s->sequence;
		v.status = e->status == ICS_CANCELLED ? ICS_CANCELLED :
		    s->status;
		summary = ics_summary(e, s, v.status);
		location = ics_location(e, s->room);
		description = ics_description(e, s->description);
		if (summary == NULL || location == NULL || description == NULL)
			goto fail;
		v.summary = summary;
		v.location = location;
		v.description = description;
		ics_add_vevent(cal, &v);
	}
	ok = true;
fail:
	free(summary);
	free(location);
	free(description);
	free(link);
	return ok;
}

static void
ics_zone_use(struct ics_zone *zones, size_t *nzones, const char *name,
    time_t from, time_t until)
{
	icaltimezone *z;
	size_t i;

	if ((z = ics_zone(name)) == NULL)
		return;
	for (i = 0; i < *nzones; i++)
		if (strcmp(zones[i].name, name) == 0)
			break;
	if (i == *nzones) {
		zones[i].name = name;
		zones[i].zone = z;
		zones[i].from = from;
		zones[i].until = until;
		(*nzones)++;
		return;
	}
	if (from < zones[i].from)
		zones[i].from = from;
	if (until > zones[i].until)
		zones[i].until = until;
}

static int
ics_zone_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ics_zone *)a)->name,
	    ((const struct ics_zone *)b)->name);
}

/*
 * A compact VTIMEZONE for the span [from, until] (until 0: open), TZID
 * the IANA name.
 */
static void
ics_add_vtimezone(icalcomponent *cal, const struct ics_zone *z)
{
	icalcomponent *vtz;
	icalproperty *p;

	vtz = icalcomponent_new_clone(icaltimezone_get_component(z->zone));
	icaltimezone_truncate_vtimezone(vtz, ics_utc(z->from), z->until == 0 ?
	    icaltime_null_time() : ics_utc(z->until), 1);
	if ((p = icalcomponent_get_first_property(vtz,
	    ICAL_TZID_PROPERTY)) != NULL)
		icalproperty_set_tzid(p, z->name);
	else
		icalcomponent_add_property(vtz, icalproperty_new_tzid(z->name));
	icalcomponent_add_component(cal, vtz);
}

char *
ics_render(const struct ics_calendar *c, size_t *lenp)
{
	icalcomponent *cal;
	icalproperty *p;
	struct ics_zone *zones;
	struct icaldurationtype every;
	size_t i, j, nzones = 0, maxzones = c->nevents;
	char *text = NULL, *out = NULL, *ttl;

	if ((zones = calloc(maxzones + 1, sizeof(*zones))) == NULL)
		return NULL;
	for (i = 0; i < c->nevents; i++) {
		const struct ics_event *e = &c->events[i];

		ics_zone_use(zones, &nzones, e->timezone, e->starts_at,
		    e->ends_at);
		for (j = 0; j < e->nsessions; j++)
			ics_zone_use(zones, &nzones, e->timezone,
			    e->sessions[j].starts_at, e->sessions[j].ends_at);
	}
	if (c->nevents == 0)
		ics_zone_use(zones, &nzones, EMPTY_TZID, EMPTY_FROM, 0);
	qsort(zones, nzones, sizeof(*zones), ics_zone_cmp);

	every = icaldurationtype_from_int(c->refresh);
	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(c->prodid));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(
	    c->method == ICS_REQUEST ? ICAL_METHOD_REQUEST :
	    c->method == ICS_CANCEL ? ICAL_METHOD_CANCEL :
	    ICAL_METHOD_PUBLISH));
	/* its value is written by ics_finish */
	p = icalproperty_new_x("");
	icalproperty_set_x_name(p, CALNAME);
	icalcomponent_add_property(cal, p);
	icalcomponent_add_property(cal,
	    icalproperty_new_refreshinterval(every));
	ttl = icaldurationtype_as_ical_string_r(every);
	p = icalproperty_new_x(ttl);
	icalproperty_set_x_name(p, "X-PUBLISHED-TTL");
	icalcomponent_add_property(cal, p);
	free(ttl);

	for (i = 0; i < nzones; i++)
		ics_add_vtimezone(cal, &zones[i]);
	for (i = 0; i < c->nevents; i++)
		if (!ics_add_event(cal, c, &c->events[i]))
			goto fail;

	text = icalcomponent_as_ical_string_r(cal);
	if (text != NULL)
		out = ics_finish(text, c->name, lenp);
fail:
	free(text);
	icalcomponent_free(cal);
	free(zones);
	return out;
}

/* -- from the feed's JSON ------------------------------------------- */

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool
jtime(const json_t *o, const char *key, time_t *t)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return false;
	*t = (time_t)json_integer_value(v);
	return true;
}

static bool
jint(const json_t *o, const char *key, long long *n)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return false;
	*n = (long long)json_integer_value(v);
	return true;
}

static bool
jstatus(const json_t *o, enum ics_status *st)
{
	const char *s = jstr(o, "status");

	if (s == NULL)
		return false;
	if (strcmp(s, "confirmed") == 0)
		*st = ICS_CONFIRMED;
	else if (strcmp(s, "tentative") == 0)
		*st = ICS_TENTATIVE;
	else if (strcmp(s, "cancelled") == 0)
		*st = ICS_CANCELLED;
	else
		return false;
	return true;
}

static bool
ics_session_from_json(struct ics_session *s, const json_t *j)
{
	long long seq;

	if (!json_is_object(j) || !jint(j, "id", &s->id) ||
	    !jint(j, "sequence", &seq) || !jtime(j, "starts_at", &s->starts_at) ||
	    !jtime(j, "ends_at", &s->ends_at) ||
	    !jtime(j, "updated_at", &s->updated_at) || !jstatus(j, &s->status) ||
	    (s->title = jstr(j, "title")) == NULL)
		return false;
	s->sequence = (int)seq;
	s->description = jstr(j, "description");
	s->room = jstr(j, "room");
	return true;
}

static bool
ics_event_from_json(struct ics_event *e, const json_t *j)
{
	const json_t *sessions;
	long long seq;
	size_t i;

	if (!json_is_object(j) || !jint(j, "id", &e->id) ||
	    !jint(j, "sequence", &seq) || !jtime(j, "starts_at", &e->starts_at) ||
	    !jtime(j, "ends_at", &e->ends_at) ||
	    !jtime(j, "updated_at", &e->updated_at) || !jstatus(j, &e->status) ||
	    (e->slug = jstr(j, "slug")) == NULL ||
	    (e->title = jstr(j, "title")) == NULL ||
	    (e->timezone = jstr(j, "timezone")) == NULL)
		return false;
	e->sequence = (int)seq;
	e->description = jstr(j, "description");
	e->language = jstr(j, "language");
	e->venue_name = jstr(j, "venue_name");
	e->venue_address = jstr(j, "venue_address");
	e->venue_postcode = jstr(j, "venue_postcode");
	e->venue_city = jstr(j, "venue_city");
	e->online_url = jstr(j, "online_url");
	sessions = json_object_get(j, "sessions");
	if (sessions == NULL || json_array_size(sessions) == 0)
		return sessions == NULL || json_is_array(sessions);
	e->nsessions = json_array_size(sessions);
	if ((e->sessions = calloc(e->nsessions, sizeof(*e->sessions))) == NULL)
		return false;
	for (i = 0; i < e->nsessions; i++)
		if (!ics_session_from_json(&e->sessions[i],
		    json_array_get(sessions, i)))
			return false;
	return true;
}

bool
ics_calendar_from_json(struct ics_calendar *cal, const json_t *j)
{
	const json_t *events = json_object_get(j, "events");
	size_t i, n;

	if ((cal->name = jstr(j, "name")) == NULL || !json_is_array(events))
		return false;
	if ((n = json_array_size(events)) == 0)
		return true;
	if ((cal->events = calloc(n, sizeof(*cal->events))) == NULL)
		return false;
	cal->nevents = n;
	for (i = 0; i < n; i++)
		if (!ics_event_from_json(&cal->events[i],
		    json_array_get(events, i)))
			return false;
	return true;
}

void
ics_calendar_clear(struct ics_calendar *cal)
{
	size_t i;

	for (i = 0; i < cal->nevents; i++)
		free(cal->events[i].sessions);
	free(cal->events);
	cal->events = NULL;
	cal->nevents = 0;
}
