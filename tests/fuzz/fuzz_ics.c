/*
 * fuzz_ics.c - the feed renderer (ics_render) on events and sessions
 * whose texts are any bytes: UTF-8 or not, control characters, the
 * characters TEXT escapes, 4-byte characters at the fold.
 *
 * The input: four option bytes (status, language, how many sessions,
 * zone; sequences and the sessions' statuses; the start day; the
 * length), then NUL-separated fields: the event's title, description,
 * venue name, address, postcode and city, online URL, the calendar's
 * name (after "Leerkans: ", as lk_feed_* names it), the public URL, the
 * slug, and title, description and room of up to three sessions.  A
 * field missing is NULL (a title ""; the JSON has one).  The public URL and
 * the slug get what config.c and the database let through (valid_url
 * without a trailing '/', valid_slug); others are replaced.
 *
 * Promises: no crash, leak or undefined behaviour; the output is CRLF
 * lines of at most 75 octets, folded with one space, never inside a
 * UTF-8 character; unfolded, libical's parser reads it (and the folded
 * text too) without an X-LIC-ERROR; each VEVENT is there, in order, with
 * its UID, STATUS and URL; and SUMMARY, DESCRIPTION, LOCATION and
 * X-WR-CALNAME, unescaped, are the input after ics.c's cleaning (CR and
 * CRLF become LF, other control characters but TAB are dropped; bytes
 * that are not UTF-8 are kept as they are), joined as ics.c documents
 * (the cancelled word, "session (event)", "room, venue, address,
 * postcode city", the online URL in LOCATION without a venue and in
 * DESCRIPTION with one), a property left out when it would be blank.
 * libical's reading is the same but for the spaces and tabs its parser
 * strips from either end of a value.
 *
 * FUZZ_ICS_PRINT=1 tests/fuzz/fuzz_ics FILE shows the calendar and what
 * each VEVENT should say.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <string.h>

#include <libical/ical.h>

#include "fuzz.h"
#include "render/ics.h"
#include "input/validate.h"

#define FOLD_AT		75
#define MAX_SESSIONS	3
#define T0		((time_t)1805374800)	/* 2027-03-18 14:00 +01 */
#define BASE_URL	"https://leerkans.example.be"

/* -- a growing string ---------------------------------------------------- */

struct str {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void
str_addn(struct str *s, const char *t, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->cap = s->len + n + 1 > 2 * s->cap ? s->len + n + 1 :
		    2 * s->cap;
		s->p = realloc(s->p, s->cap);
		FUZZ_CHECK(s->p != NULL);
	}
	memcpy(s->p + s->len, t, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void
str_add(struct str *s, const char *t)
{
	str_addn(s, t, strlen(t));
}

/* -- what the feed should say ------------------------------------------- */

/* ics.c's cleaning, as documented: CR, CRLF -> LF; C0 but TAB, LF and DEL
 * dropped; everything else (UTF-8 or not) kept.  Never NULL. */
static char *
clean(const char *s)
{
	struct str o = { NULL, 0, 0 };
	size_t i;

	str_add(&o, "");
	for (i = 0; s != NULL && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' && s[i + 1] == '\n')
			continue;
		if (c == '\r' || c == '\n')
			str_add(&o, "\n");
		else if (c == '\t' || (c >= 0x20 && c != 0x7f))
			str_addn(&o, s + i, 1);
	}
	return o.p;
}

/* Appends clean(part) after sep when both have something. */
static void
join(struct str *o, const char *sep, const char *part)
{
	char *c = clean(part);

	if (*c != '\0') {
		if (o->len > 0)
			str_add(o, sep);
		str_add(o, c);
	}
	free(c);
}

static bool
has_venue(const struct ics_event *e)
{
	struct str v = { NULL, 0, 0 };
	bool any;

	str_add(&v, "");
	join(&v, "", e->venue_name);
	join(&v, "", e->venue_address);
	join(&v, "", e->venue_postcode);
	join(&v, "", e->venue_city);
	any = v.len > 0;
	free(v.p);
	return any;
}

static char *
want_location(const struct ics_event *e, const char *room)
{
	struct str o = { NULL, 0, 0 }, town = { NULL, 0, 0 };

	str_add(&o, "");
	str_add(&town, "");
	join(&o, ", ", room);
	join(&o, ", ", e->venue_name);
	join(&o, ", ", e->venue_address);
	join(&town, " ", e->venue_postcode);
	join(&town, " ", e->venue_city);
	join(&o, ", ", town.p);
	free(town.p);
	if (!has_venue(e))
		join(&o, ", ", e->online_url);
	return o.p;
}

static char *
want_description(const struct ics_event *e, const char *text)
{
	struct str o = { NULL, 0, 0 };
	char *online = clean(e->online_url);

	str_add(&o, "");
	join(&o, "", text);
	if (*online != '\0' && has_venue(e)) {
		if (o.len > 0)
			str_add(&o, "\n\n");
		str_add(&o, "Online: ");
		str_add(&o, online);
	}
	free(online);
	return o.p;
}

static const char *
cancelled_word(const char *language)
{
	if (language != NULL && strcmp(language, "en") == 0)
		return "Cancelled: ";
	if (language != NULL && strcmp(language, "fr") == 0)
		return "Annul\xc3\xa9 : ";
	return "Geannuleerd: ";
}

static char *
want_summary(const struct ics_event *e, const struct ics_session *s,
    enum ics_status st)
{
	struct str o = { NULL, 0, 0 };
	char *c;

	str_add(&o, st == ICS_CANCELLED ? cancelled_word(e->language) : "");
	if (s != NULL) {
		str_add(&o, c = clean(s->title));
		free(c);
		str_add(&o, " (");
	}
	str_add(&o, c = clean(e->title));
	free(c);
	if (s != NULL)
		str_add(&o, ")");
	return o.p;
}

/* What libical's parser makes of a value: isspace() stripped both ends. */
static bool
same_but_ends(const char *got, const char *want)
{
	size_t a = 0, b = strlen(want);

	while (a < b && (want[a] == ' ' || want[a] == '\t'))
		a++;
	while (b > a && (want[b - 1] == ' ' || want[b - 1] == '\t'))
		b--;
	return got != NULL && strlen(got) == b - a &&
	    memcmp(got, want + a, b - a) == 0;
}

/* Nothing but spaces and tabs (libical reads that as no value). */
static bool
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

/* -- the output, read by the rules ---------------------------------------- */

/* Length of the well-formed UTF-8 character at s (n bytes left), or 0. */
static size_t
utf8_char(const unsigned char *s, size_t n)
{
	size_t len, k;
	unsigned lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return len;
}

/*
 * Checks the folding of out and returns it unfolded (CRLF line ends),
 * folds[] marking each offset in the unfolded text where a fold was.
 */
static char *
unfold(const char *out, size_t len, unsigned char **foldsp)
{
	struct str u = { NULL, 0, 0 };
	unsigned char *folds = calloc(len + 1, 1);
	size_t pos = 0, eol, i, k, n;

	FUZZ_CHECK(folds != NULL);
	str_add(&u, "");
	FUZZ_CHECK(len >= 2 && out[len - 2] == '\r' && out[len - 1] == '\n');
	while (pos < len) {
		for (eol = pos; eol < len && out[eol] != '\r' &&
		    out[eol] != '\n'; eol++)
			;
		/* every line ends in CRLF; no bare CR or LF */
		FUZZ_CHECK(eol + 1 < len && out[eol] == '\r' &&
		    out[eol + 1] == '\n');
		FUZZ_CHECK(eol - pos <= FOLD_AT);
		FUZZ_CHECK(eol > pos && out[pos] != '\t');
		if (out[pos] == ' ') {
			/* a continuation: one space, then something */
			FUZZ_CHECK(pos > 0 && eol - pos >= 2);
			folds[u.len] = 1;
			str_addn(&u, out + pos + 1, eol - pos - 1);
		} else {
			if (pos > 0)
				str_add(&u, "\r\n");
			str_addn(&u, out + pos, eol - pos);
		}
		pos = eol + 2;
	}
	str_add(&u, "\r\n");
	/* no fold inside a well-formed character: walk it as a decoder does */
	for (i = 0; i < u.len; i += n > 0 ? n : 1) {
		n = utf8_char((const unsigned char *)u.p + i, u.len - i);
		for (k = 1; k < n; k++)
			FUZZ_CHECK(!folds[i + k]);
	}
	*foldsp = folds;
	return u.p;
}

/* RFC 5545 3.3.11 unescaping; false on an escape TEXT does not have. */
static bool
unescape(const char *s, struct str *o)
{
	str_add(o, "");
	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			/* these never appear unescaped in TEXT */
			if (*s == ';' || *s == ',')
				return false;
			str_addn(o, s, 1);
			continue;
		}
		s++;
		if (*s == '\\' || *s == ';' || *s == ',')
			str_addn(o, s, 1);
		else if (*s == 'n' || *s == 'N')
			str_add(o, "\n");
		else
			return false;
	}
	return true;
}

/* -- the properties of each VEVENT, read from the unfolded text ---------- */

enum { P_UID, P_STATUS, P_SUMMARY, P_DESCRIPTION, P_LOCATION, P_URL, NPROPS };
static const char *const prop_names[NPROPS] = { "UID", "STATUS", "SUMMARY",
	"DESCRIPTION", "LOCATION", "URL" };

struct vevent {
	char	*v[NPROPS];	/* raw values, NULL when absent */
};

static size_t
read_vevents(char *text, struct vevent *ev, size_t max, char **calname)
{
	char *line, *next, *colon;
	size_t n = 0, p;
	bool in = false;
	int depth = 0;

	*calname = NULL;
	for (line = text; line != NULL; line = next) {
		if ((next = strstr(line, "\r\n")) != NULL) {
			*next = '\0';
			next += 2;
			if (*next == '\0')
				next = NULL;
		}
		if (strncmp(line, "BEGIN:", 6) == 0) {
			depth++;
			if (strcmp(line, "BEGIN:VEVENT") == 0) {
				FUZZ_CHECK(depth == 2 && n < max);
				memset(&ev[n], 0, sizeof(ev[n]));
				in = true;
			}
			continue;
		}
		if (strncmp(line, "END:", 4) == 0) {
			depth--;
			if (strcmp(line, "END:VEVENT") == 0) {
				FUZZ_CHECK(in);
				in = false;
				n++;
			}
			continue;
		}
		if (depth == 1 && strncmp(line, "X-WR-CALNAME:", 13) == 0) {
			FUZZ_CHECK(*calname == NULL);
			*calname = line + 13;
		}
		if (!in)
			continue;
		FUZZ_CHECK((colon = strchr(line, ':')) != NULL);
		for (p = 0; p < NPROPS; p++)
			if (strlen(prop_names[p]) == (size_t)(colon - line) &&
			    strncmp(line, prop_names[p], (size_t)(colon - line))
			    == 0) {
				/* each at most once */
				FUZZ_CHECK(ev[n].v[p] == NULL);
				ev[n].v[p] = colon + 1;
			}
	}
	FUZZ_CHECK(depth == 0 && !in);
	return n;
}

/* A TEXT property: absent when blank, else exactly want when unescaped. */
static void
check_text(const char *raw, const char *want)
{
	struct str u = { NULL, 0, 0 };

	if (blank(want)) {
		FUZZ_CHECK(raw == NULL);
		return;
	}
	FUZZ_CHECK(raw != NULL);
	FUZZ_CHECK(unescape(raw, &u));
	FUZZ_CHECK(u.len == strlen(want) && memcmp(u.p, want, u.len) == 0);
	free(u.p);
}

/* The same, as libical reads it from its VEVENT. */
static void
check_ical_text(icalcomponent *v, icalproperty_kind kind, const char *want)
{
	icalproperty *p = icalcomponent_get_first_property(v, kind);

	if (blank(want)) {
		FUZZ_CHECK(p == NULL);
		return;
	}
	FUZZ_CHECK(p != NULL);
	FUZZ_CHECK(same_but_ends(icalvalue_get_text(
	    icalproperty_get_value(p)), want));
	FUZZ_CHECK(icalcomponent_get_next_property(v, kind) == NULL);
}

struct want {
	char		 uid[64];
	enum ics_status	 st;
	const char	*status;
	char		*summary;
	char		*description;
	char		*location;
};

static const char *
status_name(enum ics_status st)
{
	return st == ICS_CANCELLED ? "CANCELLED" : st == ICS_TENTATIVE ?
	    "TENTATIVE" : "CONFIRMED";
}

static icalproperty_status
status_kind(enum ics_status st)
{
	return st == ICS_CANCELLED ? ICAL_STATUS_CANCELLED :
	    st == ICS_TENTATIVE ? ICAL_STATUS_TENTATIVE :
	    ICAL_STATUS_CONFIRMED;
}

/* libical's reading of text (folded or not): no errors, every value. */
static void
check_libical(const char *text, const struct want *w, size_t nw,
    const char *url, const char *calname)
{
	icalcomponent *cal, *v;
	icalproperty *p;
	size_t i = 0;

	cal = icalparser_parse_string(text);
	FUZZ_CHECK(cal != NULL);
	FUZZ_CHECK(icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT);
	FUZZ_CHECK(icalcomponent_count_errors(cal) == 0);
	for (p = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(cal,
	    ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), "X-WR-CALNAME") == 0)
			break;
	FUZZ_CHECK(p != NULL && same_but_ends(icalproperty_get_x(p),
	    calname));
	for (v = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); v != NULL;
	    v = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT),
	    i++) {
		FUZZ_CHECK(i < nw);
		FUZZ_CHECK(strcmp(icalcomponent_get_uid(v), w[i].uid) == 0);
		FUZZ_CHECK(icalcomponent_get_status(v) == status_kind(w[i].st));
		check_ical_text(v, ICAL_SUMMARY_PROPERTY, w[i].summary);
		check_ical_text(v, ICAL_DESCRIPTION_PROPERTY,
		    w[i].description);
		check_ical_text(v, ICAL_LOCATION_PROPERTY, w[i].location);
		p = icalcomponent_get_first_property(v, ICAL_URL_PROPERTY);
		FUZZ_CHECK(p != NULL && strcmp(icalproperty_get_url(p), url) ==
		    0);
	}
	FUZZ_CHECK(i == nw);
	icalcomponent_free(cal);
}

/* -- the input ---------------------------------------------------------- */

#define NFIELDS		(10 + 3 * MAX_SESSIONS)

/* Splits at NUL into fields[]; a field not there is NULL. */
static void
split(char *s, size_t len, char *fields[NFIELDS])
{
	size_t f = 0, i, start = 0;

	for (f = 0; f < NFIELDS; f++)
		fields[f] = NULL;
	for (f = 0, i = 0; i <= len && f < NFIELDS; i++)
		if (i == len || s[i] == '\0') {
			fields[f++] = s + start;
			start = i + 1;
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const languages[] = { "nl", "en", "fr", NULL };
	static const char *const zones[] = { "Europe/Brussels",
		"America/New_York", "UTC", "Mars/Olympus_Mons" };
	static const enum ics_status statuses[] = { ICS_CONFIRMED,
		ICS_TENTATIVE, ICS_CANCELLED, ICS_CONFIRMED };
	struct ics_session sessions[MAX_SESSIONS];
	struct ics_event e;
	struct ics_calendar c;
	struct want w[1 + MAX_SESSIONS];
	struct vevent ev[1 + MAX_SESSIONS];
	char *fields[NFIELDS], *text, *out, *flat, *copy, *calname_raw;
	char *base, *url, *calname;
	unsigned char *folds;
	struct str s = { NULL, 0, 0 };
	size_t len = 0, i, nw, n, blen;
	uint8_t o0, o1;

	if (size < 4)
		return 0;
	o0 = data[0];
	o1 = data[1];
	text = fuzz_string(data + 4, size - 4);
	split(text, size - 4, fields);

	memset(&e, 0, sizeof(e));
	memset(sessions, 0, sizeof(sessions));
	e.id = 1;
	e.status = statuses[o0 & 3];
	e.language = languages[(o0 >> 2) & 3];
	e.timezone = zones[(o0 >> 6) & 3];
	e.starts_at = T0 + (time_t)(int8_t)data[2] * 86400;
	e.ends_at = e.starts_at + ((time_t)data[3] + 1) * 900;
	e.updated_at = (time_t)1790000000;
	e.sequence = o1 & 7;
	e.title = fields[0] != NULL ? fields[0] : "";
	e.description = fields[1];
	e.venue_name = fields[2];
	e.venue_address = fields[3];
	e.venue_postcode = fields[4];
	e.venue_city = fields[5];
	e.online_url = fields[6];
	/* the public URL as config.c keeps it, the slug as the database */
	base = strdup(fields[8] != NULL && valid_url(fields[8]) ? fields[8] :
	    BASE_URL);
	FUZZ_CHECK(base != NULL);
	for (blen = strlen(base); blen > 0 && base[blen - 1] == '/'; blen--)
		base[blen - 1] = '\0';
	e.slug = fields[9] != NULL && valid_slug(fields[9]) ? fields[9] :
	    "netwerkevent";
	e.nsessions = (o0 >> 4) & 3;
	e.sessions = sessions;
	for (i = 0; i < e.nsessions; i++) {
		sessions[i].id = 10 + (long long)i;
		sessions[i].title = fields[10 + 3 * i] != NULL ?
		    fields[10 + 3 * i] : "";
		sessions[i].description = fields[11 + 3 * i];
		sessions[i].room = fields[12 + 3 * i];
		sessions[i].starts_at = e.starts_at + (time_t)i * 3600;
		sessions[i].ends_at = sessions[i].starts_at + 1800;
		sessions[i].updated_at = (time_t)1790000000 + (time_t)i;
		sessions[i].sequence = (o1 >> (3 + i)) & 1;
		sessions[i].status = statuses[(o1 >> (2 * i + 1)) & 3];
	}
	str_add(&s, "Leerkans: ");
	str_add(&s, fields[7] != NULL ? fields[7] : "");
	memset(&c, 0, sizeof(c));
	c.prodid = "-//leerkans//fuzz_ics//EN";
	c.name = s.p;
	c.base_url = base;
	c.refresh = 3600;
	c.events = &e;
	c.nevents = 1;

	/* what each VEVENT should say */
	nw = 1 + e.nsessions;
	snprintf(w[0].uid, sizeof(w[0].uid), "event-1@%s", ICS_UID_DOMAIN);
	w[0].st = e.status;
	w[0].status = status_name(e.status);
	w[0].summary = want_summary(&e, NULL, e.status);
	w[0].description = want_description(&e, e.description);
	w[0].location = want_location(&e, NULL);
	for (i = 0; i < e.nsessions; i++) {
		enum ics_status st = e.status == ICS_CANCELLED ?
		    ICS_CANCELLED : sessions[i].status;

		snprintf(w[1 + i].uid, sizeof(w[1 + i].uid), "session-%lld@%s",
		    sessions[i].id, ICS_UID_DOMAIN);
		w[1 + i].st = st;
		w[1 + i].status = status_name(st);
		w[1 + i].summary = want_summary(&e, &sessions[i], st);
		w[1 + i].description = want_description(&e,
		    sessions[i].description);
		w[1 + i].location = want_location(&e, sessions[i].room);
	}
	calname = clean(c.name);
	FUZZ_CHECK(asprintf(&url, "%s/events/%s", base, e.slug) > 0);

	out = ics_render(&c, &len);
	FUZZ_CHECK(out != NULL);
	if (getenv("FUZZ_ICS_PRINT") != NULL) {	/* to see a failure */
		fwrite(out, 1, len, stderr);
		for (i = 0; i < nw; i++)
			fprintf(stderr, "want %s: SUMMARY [%s] "
			    "DESCRIPTION [%s] LOCATION [%s]\n", w[i].uid,
			    w[i].summary, w[i].description, w[i].location);
	}
	FUZZ_CHECK(strlen(out) == len);
	flat = unfold(out, len, &folds);

	/* unfolded and unescaped, the texts are the input, cleaned */
	FUZZ_CHECK((copy = strdup(flat)) != NULL);
	n = read_vevents(copy, ev, 1 + MAX_SESSIONS, &calname_raw);
	FUZZ_CHECK(n == nw);
	check_text(calname_raw, calname);
	for (i = 0; i < nw; i++) {
		FUZZ_CHECK(ev[i].v[P_UID] != NULL &&
		    strcmp(ev[i].v[P_UID], w[i].uid) == 0);
		FUZZ_CHECK(ev[i].v[P_STATUS] != NULL &&
		    strcmp(ev[i].v[P_STATUS], w[i].status) == 0);
		FUZZ_CHECK(ev[i].v[P_URL] != NULL &&
		    strcmp(ev[i].v[P_URL], url) == 0);
		check_text(ev[i].v[P_SUMMARY], w[i].summary);
		check_text(ev[i].v[P_DESCRIPTION], w[i].description);
		check_text(ev[i].v[P_LOCATION], w[i].location);
	}
	free(copy);

	/* libical reads the unfolded text, and the folded one, the same */
	check_libical(flat, w, nw, url, calname);
	check_libical(out, w, nw, url, calname);

	for (i = 0; i < nw; i++) {
		free(w[i].summary);
		free(w[i].description);
		free(w[i].location);
	}
	free(calname);
	free(url);
	free(folds);
	free(flat);
	free(out);
	free(s.p);
	free(base);
	free(text);
	return 0;
}
