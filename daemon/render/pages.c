/*
 * render/pages.c - the public web pages (API.md section 5) as pure
 * renderers: the list of upcoming events, an event with its registration
 * form, and the registrant's own page.
 *
 * Each takes the JSON document its SQL statement answers (sql_web_index,
 * sql_web_event, sql_web_registration in db/sql.c; lk_event_json and
 * lk_registration_json inside) and a struct page_ctx, and writes HTML
 * with html.h, which escapes every value.  Whether registration is open
 * is decided from the database's clock in the document ("now"), as
 * lk_register will decide it; nothing here reads a clock, a request or
 * the database, so tests/unit/test_pages.c can draw every state.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "input/form.h"
#include "input/validate.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/jsonld.h"
#include "render/page.h"
#include "render/door.h"
#include "render/pages.h"

#define F_HONEYPOT	PAGES_FIELD_HONEYPOT
#define F_IDEM		PAGES_FIELD_IDEM
#define F_CONSENT	FORM_CONSENT

/* where a venue is found on the map: a search by its address, a plain
 * link (no embedded map, no script, nothing sent before a click) */
#define OSM_SEARCH	"https://www.openstreetmap.org/search?query="

/* A page being drawn: where it goes, for whom, and what it used. */
struct draw {
	struct html		*h;
	const struct page_ctx	*c;
	enum lang		 lang;
	const char		*lq;		/* "?lang=xx" or "" */
	bool			 csrf_used;	/* a form carries c->csrf */
};

/* What a form shows besides the event: the values and what was wrong. */
struct form_view {
	const struct form	*values;	/* NULL: a fresh form */
	const json_t		*errors;	/* [{field, code}], NULL */
	const char		*notice;	/* above the form, or NULL */
	const char		*idem;		/* idempotency key */
};

/* -- small helpers -------------------------------------------------------- */

static void
draw_init(struct draw *p, struct html *h, const struct page_ctx *c)
{
	memset(p, 0, sizeof(*p));
	p->h = h;
	p->c = c;
	p->lang = c->lang;
	p->lq = c->lq != NULL ? c->lq : "";
}

/* strcmp for values that may be missing from a document */
static bool
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* the same, "" when missing (for the text of a path or title) */
static const char *
jstr_or(const json_t *o, const char *key)
{
	const char *s = jstr(o, key);

	return s != NULL ? s : "";
}

static bool
jtrue(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* -1 when null or absent */
static long long
jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static bool
is_http_url(const char *s)
{
	return s != NULL && (strncmp(s, "https://", 8) == 0 ||
	    strncmp(s, "http://", 7) == 0);
}

/* -- pieces of pages ----------------------------------------------------- */

static void
description(struct html *h, const char *text, const char *lang_attr)
{
	const char *p = text, *q;
	char *para;
	size_t len;

	if (text == NULL || *text == '\0')
		return;
	html_fmt(h, "<div class=\"description\" lang=\"%s\">\n", lang_attr);
	while (*p != '\0') {
		while (*p == '\n' || *p == '\r' || *p == ' ')
			p++;
		if (*p == '\0')
			break;
		/* a paragraph ends at a blank line */
		for (q = p; *q != '\0'; q++)
			if (q[0] == '\n' && (q[1] == '\n' || (q[1] == '\r' &&
			    q[2] == '\n')))
				break;
		len = (size_t)(q - p);
		if ((para = strndup(p, len)) != NULL) {
			html_raw(h, "<p>");
			html_text_lines(h, para);
			html_raw(h, "</p>\n");
			free(para);
		} else
			h->failed = true;
		p = q;
	}
	html_raw(h, "</div>\n");
}

/*
 * The language of an event's own texts (its title, description and
 * sessions), for their lang attribute: screen readers then read an
 * English event on a Dutch page in English.
 */
static const char *
content_lang(const json_t *ev)
{
	const char *l = jstr(ev, "language");

	if (l != NULL && (strcmp(l, "nl") == 0 || strcmp(l, "en") == 0 ||
	    strcmp(l, "fr") == 0))
		return l;
	return "nl";
}

static void
when(struct draw *p, const char *start, const char *end)
{
	char text[160];

	if (i18n_when(p->lang, start, end, text, sizeof(text)))
		html_fmt(p->h, "<time datetime=\"%s\">%s</time>", start, text);
}

/*
 * A link to the venue on OpenStreetMap, by its address (or, without
 * one, its name) and its postcode and city.  Nothing for a venue that
 * names no place that precise.
 */
static void
map_link(struct draw *p, json_t *v)
{
	const char *name = jstr(v, "name"), *addr = jstr(v, "address");
	const char *pc = jstr(v, "postcode"), *city = jstr(v, "city");
	char query[700], enc[2100];

	if ((addr == NULL && name == NULL) || city == NULL)
		return;
	snprintf(query, sizeof(query), "%s, %s%s%s", addr != NULL ? addr :
	    name, pc != NULL ? pc : "", pc != NULL ? " " : "", city);
	if (!url_encode(query, enc, sizeof(enc)))
		return;
	html_fmt(p->h, "<br><a class=\"map\" href=\"" OSM_SEARCH "%s\">%s"
	    "</a>", enc, TR(p->lang, "Op de kaart (OpenStreetMap)",
	    "On the map (OpenStreetMap)"));
}

static void
venue(struct draw *p, json_t *ev, bool full)
{
	struct html *h = p->h;
	json_t *v = json_object_get(ev, "venue");
	const char *name = jstr(v, "name"), *addr = jstr(v, "address");
	const char *pc = jstr(v, "postcode"), *city = jstr(v, "city");
	const char *online = jstr(ev, "online_url");
	bool any = false;

	if (name != NULL) {
		html_text(h, name);
		any = true;
	}
	if (full && addr != NULL) {
		html_fmt(h, "%s%s", any ? ", " : "", addr);
		any = true;
	}
	if (city != NULL) {
		html_fmt(h, "%s%s%s%s", any ? ", " : "", full && pc != NULL ?
		    pc : "", full && pc != NULL ? " " : "", city);
		any = true;
	}
	if (full)
		map_link(p, v);
	if (online != NULL && is_http_url(online)) {
		if (full && any)
			html_raw(h, "<br>");
		if (full)
			html_fmt(h, "<a href=\"%s\">%s</a>", online,
			    TR(p->lang, "Online deelnemen", "Join online"));
		else if (!any)
			html_text(h, TR(p->lang, "Online", "Online"));
	}
}

/* "Nog 12 plaatsen vrij" etc.; nothing when the capacity is unlimited */
static void
seats(struct draw *p, json_t *o, bool waitlist, bool session)
{
	struct html *h = p->h;
	long long left = jint(o, "seats_left");

	if (jint(o, "capacity") < 0)
		return;
	if (left > 0)
		html_fmt(h, TR(p->lang, "<span class=\"badge badge-ok\">"
		    "Nog %lld %s vrij</span>", "<span class=\"badge "
		    "badge-ok\">%lld %s left</span>"), left, left == 1 ?
		    TR(p->lang, "plaats", "place") :
		    TR(p->lang, "plaatsen", "places"));
	else if (session)
		html_fmt(h, "<span class=\"badge badge-full\">%s</span>",
		    TR(p->lang, "Volzet: je komt op de wachtlijst van deze "
		    "sessie", "Full: you join this session's waiting list"));
	else
		html_fmt(h, "<span class=\"badge badge-full\">%s</span>",
		    waitlist ? TR(p->lang, "Volzet, wachtlijst open",
		    "Full, waiting list open") : TR(p->lang, "Volzet", "Full"));
}

/* -- the list of events --------------------------------------------------- */

void
pages_index(struct html *out, const struct page_ctx *c, const json_t *doc)
{
	struct draw d, *p = &d;
	struct html *h = out;
	json_t *events = json_object_get(doc, "events");
	json_t *kinds = json_object_get(doc, "kinds");
	json_t *ev, *k = NULL, *done = json_object();
	size_t i, j, ki;
	const char *kind, *lead = TR(c->lang, "Netwerkevents, inspiratiesessies met en "
	    "tussen in-company academies en infosessies voor KMO's en "
	    "intermediairen: schrijf je in en bouw mee aan een West-Vlaanderen "
	    "waar levenslang leren een reflex wordt. Samen maken we van "
	    "West-Vlaanderen dé lerende provincie.",
	    "Network events, inspiration sessions with and between in-company "
	    "academies and info sessions for SMEs and intermediaries: "
	    "register and help build a West Flanders where lifelong learning "
	    "becomes a reflex. Together we make West Flanders the learning "
	    "province.");
	struct page_meta meta;

	draw_init(p, out, c);
	memset(&meta, 0, sizeof(meta));
	meta.description = lead;
	page_open_meta(h, c, TR(p->lang, "Activiteiten", "Events"), "/", &meta);
	html_fmt(h, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n",
	    TR(p->lang, "Activiteiten: leer en netwerk mee",
	    "Events: learn and network with us"), lead);
	if (json_array_size(events) == 0)
		html_fmt(h, "<p>%s</p>\n", TR(p->lang, "Er staan op dit moment "
		    "geen activiteiten gepland. Kom gerust later terug.",
		    "There are no events planned at the moment. Do come back "
		    "later."));
	/* one group per kind, the kind with the soonest event first */
	json_array_foreach(events, i, ev) {
		kind = jstr(ev, "kind");
		if (kind == NULL || json_object_get(done, kind) != NULL)
			continue;
		json_object_set_new(done, kind, json_true());
		json_array_foreach(kinds, ki, k)
			if (streq(jstr(k, "slug"), kind))
				break;
		html_fmt(h, "<section aria-labelledby=\"kind-%s\">\n"
		    "<h2 id=\"kind-%s\">%s</h2>\n<ul class=\"events\">\n", kind,
		    kind, ki < json_array_size(kinds) ?
		    jstr(k, i18n_code(p->lang)) : kind);
		for (j = i; j < json_array_size(events); j++) {
			json_t *e = json_array_get(events, j);
			const char *cl = content_lang(e);

			if (!streq(jstr(e, "kind"), kind))
				continue;
			html_fmt(h, "<li>\n<h3><a href=\"/events/%s%s\" "
			    "lang=\"%s\">%s</a></h3>\n<p>", jstr(e, "slug"),
			    p->lq, cl, jstr(e, "title"));
			when(p, jstr(e, "starts_at"), jstr(e, "ends_at"));
			html_raw(h, "</p>\n<p class=\"meta\">");
			venue(p, e, false);
			html_raw(h, "</p>\n<p>");
			seats(p, e, jtrue(e, "waitlist"), false);
			html_raw(h, "</p>\n</li>\n");
		}
		html_raw(h, "</ul>\n</section>\n");
	}
	json_decref(done);
	page_close(h, c);
}

/* -- an event and its form ------------------------------------------------- */

/*
 * What lk_register would say now, to show the right form or reason.
 * "now" is the database's clock, from the document: without it nothing
 * tells open from closed, and no form is offered.
 */
enum pages_state
pages_state(const json_t *ev, const char *now_text)
{
	const char *s;
	time_t now, t;

	if (streq(jstr(ev, "status"), "cancelled"))
		return PAGES_CANCELLED;
	if (now_text == NULL || !parse_time(now_text, &now))
		return PAGES_CLOSED;
	if (((s = jstr(ev, "ends_at")) != NULL && parse_time(s, &t) &&
	    t <= now) || ((s = jstr(ev, "registration_closes_at")) != NULL &&
	    parse_time(s, &t) && t <= now))
		return PAGES_CLOSED;
	if ((s = jstr(ev, "registration_opens_at")) != NULL &&
	    parse_time(s, &t) && t > now)
		return PAGES_NOT_YET;
	if (jint(ev, "capacity") >= 0 && jint(ev, "seats_left") <= 0)
		return jtrue(ev, "waitlist") ? PAGES_WAITLIST : PAGES_FULL;
	return PAGES_OPEN;
}

/*
 * The form field an error belongs to: consent is one checkbox, and the
 * whole name that forms drawn before names had two parts send is shown
 * in the given name's field (value_of).
 */
static const char *
form_field(const char *field)
{
	if (streq(field, "consent"))
		return F_CONSENT;
	if (streq(field, "name"))
		return "given_name";
	return field;
}

/* The first error for a form field, in the reader's language. */
static const char *
field_error(struct draw *p, const struct form_view *fv, const char *name)
{
	json_t *e;
	size_t i;

	if (fv->errors == NULL)
		return NULL;
	json_array_foreach(fv->errors, i, e)
		if (streq(form_field(jstr(e, "field")), name))
			return i18n_field_error(p->lang, jstr(e, "field"),
			    jstr(e, "code"));
	return NULL;
}

/* Was the address refused as registered already? */
static bool
duplicate_error(const struct form_view *fv)
{
	json_t *e;
	size_t i;

	if (fv->errors == NULL)
		return false;
	json_array_foreach(fv->errors, i, e)
		if (streq(jstr(e, "field"), "email") &&
		    streq(jstr(e, "code"), "duplicate"))
			return true;
	return false;
}

static const char *
value_of(const struct form_view *fv, const char *name)
{
	const char *v = fv->values != NULL ? form_get(fv->values, name) : NULL;

	/* an older form's whole name, to split when the form comes again */
	if (v == NULL && fv->values != NULL && streq(name, "given_name"))
		v = form_get(fv->values, "name");
	return v != NULL ? v : "";
}

static bool
value_chosen(const struct form_view *fv, const char *name, const char *v)
{
	size_t i;

	if (fv->values == NULL)
		return false;
	for (i = 0; i < fv->values->n; i++)
		if (strcmp(fv->values->fields[i].name, name) == 0 &&
		    strcmp(fv->values->fields[i].value, v) == 0)
			return true;
	return false;
}

/* The label, hint and error of a field, and its describedby ids. */
static void
field_head(struct draw *p, const char *name, const char *label,
    bool optional, const char *hint, const char *error)
{
	html_fmt(p->h, "<div class=\"field%s\">\n<label for=\"f-%s\">%s",
	    error != NULL ? " field-error" : "", name, label);
	if (optional)
		html_fmt(p->h, " <span class=\"optional\">%s</span>",
		    TR(p->lang, "(niet verplicht)", "(optional)"));
	html_raw(p->h, "</label>\n");
	if (hint != NULL)
		html_fmt(p->h, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n",
		    name, hint);
	if (error != NULL)
		html_fmt(p->h, "<p class=\"error-message\" id=\"f-%s-error\">"
		    "<span class=\"visually-hidden\">%s</span> %s</p>\n", name,
		    TR(p->lang, "Fout:", "Error:"), error);
}

/* aria-describedby and aria-invalid for a control */
static void
field_aria(struct draw *p, const char *name, const char *hint,
    const char *error)
{
	if (hint != NULL || error != NULL)
		html_fmt(p->h, " aria-describedby=\"%s%s%s%s%s%s%s\"",
		    hint != NULL ? "f-" : "", hint != NULL ? name : "",
		    hint != NULL ? "-hint" : "", hint != NULL && error != NULL ?
		    " " : "", error != NULL ? "f-" : "", error != NULL ?
		    name : "", error != NULL ? "-error" : "");
	if (error != NULL)
		html_raw(p->h, " aria-invalid=\"true\"");
}

static void
text_field(struct draw *p, const struct form_view *fv, const char *name,
    const char *label, bool optional, const char *hint, const char *type,
    const char *attrs_class, const char *autocomplete, const char *inputmode)
{
	const char *error = field_error(p, fv, name);

	field_head(p, name, label, optional, hint, error);
	html_fmt(p->h, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" "
	    "value=\"%s\" class=\"%s\" autocomplete=\"%s\" "
	    "spellcheck=\"false\"", type, name, name, value_of(fv, name),
	    attrs_class, autocomplete);
	if (inputmode != NULL)
		html_fmt(p->h, " inputmode=\"%s\"", inputmode);
	if (!optional)
		html_raw(p->h, " required");
	field_aria(p, name, hint, error);
	html_raw(p->h, ">\n</div>\n");
}

static const char *const role_codes[] = { "employer", "employee",
	"job-seeker", "intermediary", "training-provider", "student",
	"citizen", "other", NULL };
static const char *const type_codes[] = { "sme", "large-company",
	"intermediary", "education", "government", "non-profit", "none",
	NULL };
static const char *const language_codes[] = { "nl", "en", "fr", NULL };

static void
select_field(struct draw *p, const struct form_view *fv, const char *name,
    const char *label, const char *hint, const char *const *codes,
    const char *(*name_of)(enum lang, const char *), const char *chosen)
{
	const char *error = field_error(p, fv, name);
	size_t i;

	field_head(p, name, label, false, hint, error);
	html_fmt(p->h, "<select id=\"f-%s\" name=\"%s\" required", name, name);
	field_aria(p, name, hint, error);
	html_raw(p->h, ">\n");
	if (chosen == NULL || *chosen == '\0')
		html_fmt(p->h, "<option value=\"\" selected>%s</option>\n",
		    TR(p->lang, "Kies\xe2\x80\xa6", "Choose\xe2\x80\xa6"));
	for (i = 0; codes[i] != NULL; i++)
		html_fmt(p->h, "<option value=\"%s\"%s>%s</option>\n",
		    codes[i], chosen != NULL && strcmp(chosen, codes[i]) == 0 ?
		    " selected" : "", name_of != NULL ? name_of(p->lang,
		    codes[i]) : i18n_language_name(codes[i]));
	html_raw(p->h, "</select>\n</div>\n");
}

/* The registration's fields in the order of the form. */
static const char *const form_order[] = { "given_name", "family_name",
	"email", "role", "organisation", "organisation_type",
	"enterprise_number", "postcode", "language", "sessions", "consent",
	NULL };

/*
 * The error summary: every problem, in the order of the form, each a
 * link to its field; problems without a field of their own come last.
 */
static void
error_summary(struct draw *p, const struct form_view *fv, json_t *ev)
{
	struct html *h = p->h;
	json_t *e, *first = json_array_get(json_object_get(ev, "sessions"), 0);
	const char *msg, *field;
	size_t i, j;

	if (json_array_size(fv->errors) == 0 && fv->notice == NULL)
		return;
	html_fmt(h, "<div class=\"error-summary\" role=\"alert\" "
	    "aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n"
	    "<h2 id=\"error-summary-title\">%s</h2>\n<ul>\n",
	    TR(p->lang, "Er is een probleem", "There is a problem"));
	if (fv->notice != NULL)
		html_fmt(h, "<li>%s</li>\n", fv->notice);
	for (i = 0; form_order[i] != NULL; i++) {
		field = form_field(form_order[i]);
		if ((msg = field_error(p, fv, field)) == NULL)
			continue;
		if (strcmp(field, "sessions") != 0)
			html_fmt(h, "<li><a href=\"#f-%s\">%s</a></li>\n",
			    field, msg);
		else if (first != NULL)
			html_fmt(h, "<li><a href=\"#f-sessions-%s\">%s</a>"
			    "</li>\n", jstr(first, "slug"), msg);
		else
			html_fmt(h, "<li>%s</li>\n", msg);
	}
	json_array_foreach(fv->errors, i, e) {
		field = jstr(e, "field");
		for (j = 0; form_order[j] != NULL; j++)
			if (streq(form_field(form_order[j]), form_field(field)))
				break;
		if (form_order[j] == NULL)
			html_fmt(h, "<li>%s</li>\n", i18n_field_error(p->lang,
			    field, jstr(e, "code")));
	}
	html_raw(h, "</ul>\n</div>\n");
}

/* -- the programme: sessions by time slot --------------------------------- */

size_t
pages_time_slots(const json_t *sessions, size_t *slot, size_t n)
{
	struct span {
		time_t	 start, end;
		size_t	 i;
	} *v, t;
	json_t *s;
	size_t i, j, m = 0, k = 0;
	time_t end = 0;

	if (n > json_array_size(sessions))
		n = json_array_size(sessions);
	if (n == 0 || (v = calloc(n, sizeof(*v))) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		s = json_array_get(sessions, i);
		slot[i] = (size_t)-1;
		if (jstr(s, "starts_at") != NULL && jstr(s, "ends_at") != NULL &&
		    parse_time(jstr(s, "starts_at"), &v[m].start) &&
		    parse_time(jstr(s, "ends_at"), &v[m].end))
			v[m++].i = i;
	}
	/* by start, then as given (insertion: the lists are short) */
	for (i = 1; i < m; i++)
		for (j = i; j > 0 && v[j - 1].start > v[j].start; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	/*
	 * A session that starts before every earlier one has ended overlaps
	 * one of them (the one ending last): same slot.  Sessions that only
	 * touch (one ends as the next starts) do not overlap, as in
	 * lk_register.
	 */
	for (i = 0; i < m; i++) {
		if (i > 0 && v[i].start >= end)
			k++;
		if (i == 0 || v[i].end > end)
			end = v[i].end;
		slot[v[i].i] = k;
	}
	if (m > 0)
		k++;
	for (i = 0; i < n; i++)
		if (slot[i] == (size_t)-1)
			slot[i] = k++;
	free(v);
	return k;
}

/* Does the event run over more than one day (its local dates differ)? */
static bool
several_days(const json_t *ev)
{
	const char *a = jstr(ev, "starts_at"), *b = jstr(ev, "ends_at");

	return a == NULL || b == NULL || strlen(a) < 10 || strlen(b) < 10 ||
	    strncmp(a, b, 10) != 0;
}

/* When slot k runs: from its first start to its last end. */
static void
slot_when(struct draw *p, json_t *sessions, const size_t *slot, size_t k,
    bool days)
{
	const char *first = NULL, *last = NULL;
	time_t a = 0, b = 0, t;
	char text[160];
	json_t *s;
	size_t i;

	json_array_foreach(sessions, i, s) {
		if (slot[i] != k)
			continue;
		if (parse_time(jstr_or(s, "starts_at"), &t) &&
		    (first == NULL || t < a)) {
			first = jstr(s, "starts_at");
			a = t;
		}
		if (parse_time(jstr_or(s, "ends_at"), &t) &&
		    (last == NULL || t > b)) {
			last = jstr(s, "ends_at");
			b = t;
		}
	}
	if (first == NULL || last == NULL)
		return;
	if (days ? i18n_when(p->lang, first, last, text, sizeof(text)) :
	    i18n_times(first, last, text, sizeof(text)))
		html_fmt(p->h, "<time datetime=\"%s\">%s</time>", first, text);
}

/* A session's title, times, room and seats (the label of its choice). */
static void
session_line(struct draw *p, json_t *s, const char *cl, bool days,
    bool show_seats)
{
	const char *room = jstr(s, "room");
	char text[160];

	html_fmt(p->h, "<strong lang=\"%s\">%s</strong><br>\n"
	    "<span class=\"meta\">", cl, jstr(s, "title"));
	if (days ? i18n_when(p->lang, jstr(s, "starts_at"), jstr(s, "ends_at"),
	    text, sizeof(text)) : i18n_times(jstr(s, "starts_at"),
	    jstr(s, "ends_at"), text, sizeof(text)))
		html_fmt(p->h, "<time datetime=\"%s\">%s</time>",
		    jstr(s, "starts_at"), text);
	if (room != NULL)
		html_fmt(p->h, " \xc2\xb7 %s", room);
	html_raw(p->h, "</span>");
	if (show_seats && jint(s, "capacity") >= 0) {
		html_raw(p->h, " ");
		seats(p, s, true, true);
	}
}

/* Is slug among the session choices sent (sessions, sessions.N)? */
static bool
session_chosen(const struct form_view *fv, const char *slug)
{
	size_t i;

	if (fv->values == NULL || slug == NULL)
		return false;
	for (i = 0; i < fv->values->n; i++)
		if (form_session_field(fv->values->fields[i].name) &&
		    strcmp(fv->values->fields[i].value, slug) == 0)
			return true;
	return false;
}

/* One session to choose: a checkbox, or a radio button of group name. */
static void
session_choice(struct draw *p, const struct form_view *fv, json_t *s,
    const char *cl, bool days, const char *type, const char *name)
{
	const char *slug = jstr(s, "slug"), *d = jstr(s, "description");
	bool about = d != NULL && *d != '\0';

	html_fmt(p->h, "<div class=\"check\">\n<input type=\"%s\" "
	    "id=\"f-sessions-%s\" name=\"%s\" value=\"%s\"%s", type, slug,
	    name, slug, session_chosen(fv, slug) ? " checked" : "");
	if (about)
		html_fmt(p->h, " aria-describedby=\"f-sessions-%s-about\"",
		    slug);
	html_fmt(p->h, ">\n<label for=\"f-sessions-%s\">", slug);
	session_line(p, s, cl, days, true);
	html_raw(p->h, "</label>\n</div>\n");
	if (about) {
		html_fmt(p->h, "<div class=\"about\" id=\"f-sessions-%s-about\">"
		    "\n", slug);
		description(p->h, d, cl);
		html_raw(p->h, "</div>\n");
	}
}

/*
 * The programme, once: inside the form (fv != NULL) each time slot is a
 * choice, a checkbox for a slot of one session and a radio group with
 * "no session" for a slot of several, so that nobody can pick two
 * sessions at once; without a form, the same slots as a list.  The
 * first control of the form's programme is the first session's (the
 * error summary links there).
 */
static void
programme(struct draw *p, const struct form_view *fv, json_t *ev,
    enum pages_state state)
{
	struct html *h = p->h;
	json_t *sessions = json_object_get(ev, "sessions"), *s;
	const char *cl = content_lang(ev);
	const char *error = fv != NULL ? field_error(p, fv, "sessions") : NULL;
	size_t n = json_array_size(sessions), *slot, nslots, k, i, count;
	bool days = several_days(ev), form = fv != NULL;
	char name[32];

	if (n == 0)
		return;
	if ((slot = calloc(n, sizeof(*slot))) == NULL) {
		h->failed = true;
		return;
	}
	nslots = pages_time_slots(sessions, slot, n);
	if (form) {
		html_fmt(h, "<div class=\"field programme%s\" id=\"programma\">\n"
		    "<fieldset aria-describedby=\"f-sessions-hint%s\">\n"
		    "<legend>%s <span class=\"optional\">%s</span></legend>\n"
		    "<p class=\"hint\" id=\"f-sessions-hint\">%s",
		    error != NULL ? " field-error" : "", error != NULL ?
		    " f-sessions-error" : "", TR(p->lang, "Programma: kies je "
		    "sessies", "Programme: choose your sessions"),
		    TR(p->lang, "(niet verplicht)", "(optional)"),
		    TR(p->lang, "Sessies die tegelijk lopen, vormen een "
		    "tijdslot: daarin kies je er hoogstens \xc3\xa9\xc3\xa9n.",
		    "Sessions that run at the same time form a time slot: in "
		    "it you choose one at most."));
		if (state == PAGES_WAITLIST)
			html_fmt(h, " %s", TR(p->lang, "Krijg je een plaats op "
			    "het event, dan krijg je ook een plaats in je "
			    "sessies, zolang er plaats is.", "When you get a "
			    "place at the event, you get a place in your "
			    "sessions too, while there is room."));
		html_raw(h, "</p>\n");
		if (error != NULL)
			html_fmt(h, "<p class=\"error-message\" "
			    "id=\"f-sessions-error\"><span class=\"visually-"
			    "hidden\">%s</span> %s</p>\n", TR(p->lang, "Fout:",
			    "Error:"), error);
	} else
		html_fmt(h, "<section id=\"programma\" aria-labelledby=\""
		    "programma-title\">\n<h2 id=\"programma-title\">%s</h2>\n",
		    TR(p->lang, "Programma", "Programme"));

	for (k = 0; k < nslots; k++) {
		for (count = 0, i = 0; i < n; i++)
			count += slot[i] == k;
		if (!form) {
			/* a list: the slot's time, then its sessions */
			html_raw(h, "<div class=\"slot\">\n<h3 class=\"slot-"
			    "time\">");
			slot_when(p, sessions, slot, k, days);
			if (count > 1)
				html_fmt(h, " <span class=\"slot-note\">%s"
				    "</span>", TR(p->lang, "sessies tegelijk",
				    "sessions at the same time"));
			html_raw(h, "</h3>\n<ul class=\"sessions\">\n");
			json_array_foreach(sessions, i, s) {
				if (slot[i] != k)
					continue;
				html_raw(h, "<li>\n<p>");
				session_line(p, s, cl, days,
				    state != PAGES_CANCELLED);
				html_raw(h, "</p>\n");
				description(h, jstr(s, "description"), cl);
				html_raw(h, "</li>\n");
			}
			html_raw(h, "</ul>\n</div>\n");
		} else if (count == 1) {
			html_raw(h, "<div class=\"slot\">\n");
			json_array_foreach(sessions, i, s)
				if (slot[i] == k)
					session_choice(p, fv, s, cl, days,
					    "checkbox", FORM_SESSIONS);
			html_raw(h, "</div>\n");
		} else {
			/* one group per slot: radio buttons group by name */
			snprintf(name, sizeof(name), FORM_SLOT "%zu", k + 1);
			html_raw(h, "<fieldset class=\"slot\">\n<legend>");
			slot_when(p, sessions, slot, k, days);
			html_fmt(h, " <span class=\"slot-note\">%s</span>"
			    "</legend>\n", TR(p->lang, "kies \xc3\xa9\xc3\xa9n "
			    "sessie", "choose one session"));
			for (count = 0, i = 0; i < n; i++)
				if (slot[i] == k && session_chosen(fv,
				    jstr(json_array_get(sessions, i), "slug")))
					count++;
			html_fmt(h, "<div class=\"check\">\n<input type=\"radio\""
			    " id=\"f-slot-%zu-none\" name=\"%s\" value=\"\"%s>\n"
			    "<label for=\"f-slot-%zu-none\">%s</label>\n</div>\n",
			    k + 1, name, count == 0 ? " checked" : "", k + 1,
			    TR(p->lang, "Geen sessie in dit tijdslot",
			    "No session in this slot"));
			json_array_foreach(sessions, i, s)
				if (slot[i] == k)
					session_choice(p, fv, s, cl, days,
					    "radio", name);
			html_raw(h, "</fieldset>\n");
		}
	}
	if (form)
		html_raw(h, "</fieldset>\n</div>\n");
	else
		html_raw(h, "</section>\n");
	free(slot);
}

static void
registration_form(struct draw *p, const struct form_view *fv, json_t *ev,
    enum pages_state state, const char *csrf)
{
	struct html *h = p->h;
	const char *error, *lang = value_of(fv, "language");

	html_fmt(h, "<form class=\"register\" method=\"post\" "
	    "action=\"/events/%s/register%s\" novalidate>\n"
	    "<input type=\"hidden\" name=\"" PAGE_CSRF_FIELD "\" "
	    "value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"" F_IDEM "\" value=\"%s\">\n",
	    jstr(ev, "slug"), p->lq, csrf, fv->idem);
	/* a field people do not see and bots fill in */
	html_fmt(h, "<div class=\"hp\" aria-hidden=\"true\">\n"
	    "<label for=\"f-" F_HONEYPOT "\">%s</label>\n"
	    "<input type=\"text\" id=\"f-" F_HONEYPOT "\" name=\"" F_HONEYPOT
	    "\" value=\"\" tabindex=\"-1\" autocomplete=\"off\">\n</div>\n",
	    TR(p->lang, "Laat dit veld leeg", "Leave this field empty"));

	text_field(p, fv, "given_name", TR(p->lang, "Voornaam", "Given name"),
	    false, NULL, "text", "", "given-name", NULL);
	text_field(p, fv, "family_name", TR(p->lang, "Familienaam",
	    "Family name"), false, NULL, "text", "", "family-name", NULL);
	text_field(p, fv, "email", TR(p->lang, "E-mailadres",
	    "E-mail address"), false, TR(p->lang, "We gebruiken het alleen "
	    "voor deze inschrijving.", "We use it for this registration "
	    "only."), "email", "", "email", NULL);
	if (duplicate_error(fv))
		html_fmt(h, "<p class=\"hint\" id=\"f-email-links\">%s "
		    "<a href=\"/links%s\">%s</a></p>\n", TR(p->lang,
		    "Al ingeschreven, maar de link kwijt?", "Registered "
		    "already, but lost the link?"), p->lq, TR(p->lang,
		    "Stuur mij mijn links", "Send me my links"));
	select_field(p, fv, "role", TR(p->lang, "Je komt als",
	    "You are coming as"), NULL, role_codes, i18n_role,
	    value_of(fv, "role"));
	text_field(p, fv, "organisation", TR(p->lang, "Organisatie",
	    "Organisation"), true, NULL, "text", "", "organization", NULL);
	select_field(p, fv, "organisation_type", TR(p->lang,
	    "Soort organisatie", "Type of organisation"), NULL, type_codes,
	    i18n_organisation_type, value_of(fv, "organisation_type"));
	text_field(p, fv, "enterprise_number", TR(p->lang,
	    "Ondernemingsnummer", "Enterprise number"), true, TR(p->lang,
	    "Bijvoorbeeld 0123.456.749. Zo telt elke organisatie één keer "
	    "mee in ons bereik.", "For example 0123.456.749. So that every "
	    "organisation counts once in our reach."), "text", "medium", "off",
	    NULL);
	text_field(p, fv, "postcode", TR(p->lang, "Postcode", "Postcode"),
	    true, TR(p->lang, "Van je werkplek of woonplaats, bijvoorbeeld "
	    "8900.", "Of where you work or live, for example 8900."), "text",
	    "short", "postal-code", "numeric");
	select_field(p, fv, "language", TR(p->lang, "Taal voor contact",
	    "Language for contact"), NULL, language_codes, NULL,
	    *lang != '\0' ? lang : i18n_code(p->lang));
	programme(p, fv, ev, state);

	error = field_error(p, fv, F_CONSENT);
	html_fmt(h, "<div class=\"field%s\">\n", error != NULL ?
	    " field-error" : "");
	if (error != NULL)
		html_fmt(h, "<p class=\"error-message\" id=\"f-" F_CONSENT
		    "-error\"><span class=\"visually-hidden\">%s</span> "
		    "%s</p>\n", TR(p->lang, "Fout:", "Error:"), error);
	html_fmt(h, "<div class=\"check\">\n<input type=\"checkbox\" id=\"f-"
	    F_CONSENT "\" name=\"" F_CONSENT "\" value=\"on\"%s required",
	    value_chosen(fv, F_CONSENT, "on") ? " checked" : "");
	if (error != NULL)
		html_raw(h, " aria-describedby=\"f-" F_CONSENT "-hint f-"
		    F_CONSENT "-error\" aria-invalid=\"true\"");
	else
		html_raw(h, " aria-describedby=\"f-" F_CONSENT "-hint\"");
	html_fmt(h, ">\n<label for=\"f-" F_CONSENT "\">%s</label>\n</div>\n",
	    TR(p->lang, "Ik geef het West-Vlaams Partnerschap "
	    "Levenslang Leren de toestemming om mijn gegevens te gebruiken "
	    "voor deze inschrijving, en zonder mijn naam om het bereik van "
	    "zijn acties te tellen (\xe2\x80\x9c" "De teller loopt"
	    "\xe2\x80\x9d).",
	    "I allow the West Flanders Partnership for Lifelong Learning to "
	    "use my data for this registration, and without my name to count "
	    "the reach of its actions."));
	/* the notice at the point of collection (GDPR art. 13), in a new
	 * tab: what was typed stays in the form */
	html_fmt(h, "<p class=\"hint\" id=\"f-" F_CONSENT "-hint\">%s "
	    "<a href=\"/privacy%s\" target=\"_blank\" rel=\"noopener\">%s"
	    "</a></p>\n</div>\n", TR(p->lang, "Wat we bewaren, waarom, hoe "
	    "lang, wie het ziet en wat je rechten zijn:", "What we keep, why, "
	    "for how long, who sees it and what your rights are:"), p->lq,
	    TR(p->lang, "lees de privacyverklaring (opent in een nieuw "
	    "tabblad)", "read the privacy notice (opens in a new tab)"));
	html_fmt(h, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
	    state == PAGES_WAITLIST ? TR(p->lang,
	    "Inschrijven op de wachtlijst", "Join the waiting list") :
	    TR(p->lang, "Inschrijven", "Register"));
}

/*
 * The start of a text for a page's description: its first paragraph,
 * its lines joined, cut after a whole word with an ellipsis when it is
 * longer than out holds.
 */
static void
summary(const char *text, char *out, size_t outlen)
{
	size_t o = 0, cut = 0;
	const char *q;
	bool more = false;

	if (outlen > 0)
		out[0] = '\0';
	if (text == NULL || outlen < 8)
		return;
	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	for (q = text; *q != '\0'; q++) {
		if (q[0] == '\n' && (q[1] == '\n' || (q[1] == '\r' &&
		    q[2] == '\n')))
			break;			/* the paragraph's end */
		if (o + 4 >= outlen) {		/* room for the ellipsis */
			more = true;
			break;
		}
		if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
			if (out[o - 1] != ' ') {
				cut = o;
				out[o++] = ' ';
			}
			continue;
		}
		out[o++] = *q;
	}
	if (more) {
		if (cut > 0)
			o = cut;	/* after the last whole word */
		else		/* one long word: not inside a character */
			for (; o > 0 && ((unsigned char)*q & 0xc0) == 0x80;
			    q--)
				o--;
		memcpy(out + o, "\xe2\x80\xa6", 3);
		o += 3;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* The programme as a fact: how many sessions in how many slots. */
static void
programme_fact(struct draw *p, json_t *ev, bool form)
{
	json_t *sessions = json_object_get(ev, "sessions");
	size_t n = json_array_size(sessions), *slot, k;

	if (n == 0 || (slot = calloc(n, sizeof(*slot))) == NULL)
		return;
	k = pages_time_slots(sessions, slot, n);
	free(slot);
	html_fmt(p->h, "<dt>%s</dt>\n<dd><a href=\"#programma\">", TR(p->lang,
	    "Programma", "Programme"));
	if (n == 1)
		html_fmt(p->h, "%s", TR(p->lang, "1 sessie", "1 session"));
	else if (k == 1 || k == n)
		html_fmt(p->h, TR(p->lang, "%zu sessies%s", "%zu sessions%s"),
		    n, k == 1 ? TR(p->lang, " tegelijk", " at the same time") :
		    "");
	else
		html_fmt(p->h, TR(p->lang, "%zu sessies in %zu tijdsloten",
		    "%zu sessions in %zu time slots"), n, k);
	html_fmt(p->h, "</a>%s</dd>\n", form ? TR(p->lang, ": kies ze in het "
	    "formulier", ": choose them in the form") : "");
}

/* Free, or what the organiser says it costs. */
static void
price_fact(struct draw *p, json_t *ev, const char *cl)
{
	const char *price = jstr(ev, "price_text");

	html_fmt(p->h, "<dt>%s</dt>\n", TR(p->lang, "Prijs", "Price"));
	if (price == NULL)
		html_fmt(p->h, "<dd>%s</dd>\n", TR(p->lang, "Gratis",
		    "Free of charge"));
	else
		html_fmt(p->h, "<dd lang=\"%s\">%s</dd>\n", cl, price);
}

/* The head of an event's page: its canonical address, a description,
 * Open Graph and schema.org JSON-LD. */
static void
event_open(struct draw *p, json_t *ev, enum pages_state state,
    const char *title, const char *path)
{
	struct page_meta meta;
	char url[PAGE_ADDRESS_MAX], desc[240];
	json_t *ld = NULL;

	summary(jstr(ev, "description"), desc, sizeof(desc));
	if (page_address(p->c, path, p->lang, url, sizeof(url)))
		ld = jsonld_event(ev, state, url, p->c);
	memset(&meta, 0, sizeof(meta));
	meta.description = desc[0] != '\0' ? desc : NULL;
	meta.jsonld = ld;
	page_open_meta(p->h, p->c, title, path, &meta);
	json_decref(ld);
}

static void
event_body(struct draw *p, const json_t *doc, const struct form_view *fv)
{
	struct html *h = p->h;
	json_t *ev = json_object_get(doc, "event");
	const char *cl = content_lang(ev), *opens;
	enum pages_state state = pages_state(ev, jstr(doc, "now"));
	bool form = state == PAGES_OPEN || state == PAGES_WAITLIST;
	char path[128], title[300], text[160];

	snprintf(path, sizeof(path), "/events/%s", jstr_or(ev, "slug"));
	snprintf(title, sizeof(title), "%s%s", fv->errors != NULL ||
	    fv->notice != NULL ? TR(p->lang, "Fout: ", "Error: ") : "",
	    jstr_or(ev, "title"));
	event_open(p, ev, state, title, path);
	error_summary(p, fv, ev);	/* first: what to put right */
	html_fmt(h, "<p class=\"crumbs\"><a href=\"/%s\">%s</a></p>\n"
	    "<p class=\"kind\">%s</p>\n<h1 lang=\"%s\">%s</h1>\n", p->lq,
	    TR(p->lang, "\xe2\x86\x90 Alle activiteiten",
	    "\xe2\x86\x90 All events"),
	    jstr(json_object_get(doc, "kind"), i18n_code(p->lang)), cl,
	    jstr(ev, "title"));
	if (state == PAGES_CANCELLED)
		html_fmt(h, "<div class=\"notice notice-cancelled\">\n"
		    "<p><strong>%s</strong></p>\n</div>\n", TR(p->lang,
		    "Geannuleerd: dit event gaat niet door.", "Cancelled: this "
		    "event will not take place."));

	html_fmt(h, "<dl class=\"facts\">\n<dt>%s</dt>\n<dd>",
	    TR(p->lang, "Wanneer", "When"));
	when(p, jstr(ev, "starts_at"), jstr(ev, "ends_at"));
	if (jstr(ev, "timezone") != NULL &&
	    !streq(jstr(ev, "timezone"), "Europe/Brussels"))
		html_fmt(h, " (%s)", jstr(ev, "timezone"));
	html_fmt(h, "</dd>\n<dt>%s</dt>\n<dd>", TR(p->lang, "Waar", "Where"));
	venue(p, ev, true);
	html_raw(h, "</dd>\n");
	price_fact(p, ev, cl);
	programme_fact(p, ev, form);
	if (jint(ev, "capacity") >= 0 && state != PAGES_CANCELLED) {
		html_fmt(h, "<dt>%s</dt>\n<dd>", TR(p->lang, "Plaatsen",
		    "Places"));
		seats(p, ev, jtrue(ev, "waitlist"), false);
		html_raw(h, "</dd>\n");
	}
	html_raw(h, "</dl>\n");
	if (state == PAGES_OPEN || state == PAGES_WAITLIST)
		html_fmt(h, "<p><a class=\"button\" href=\"#inschrijven\">%s"
		    "</a></p>\n", state == PAGES_OPEN ? TR(p->lang,
		    "Schrijf je in", "Register") : TR(p->lang,
		    "Schrijf je in op de wachtlijst", "Join the waiting list"));
	description(h, jstr(ev, "description"), cl);

	if (!form)	/* the programme is shown once: in the form if any */
		programme(p, NULL, ev, state);

	if (state == PAGES_CANCELLED)
		return;
	html_fmt(h, "<h2 id=\"inschrijven\">%s</h2>\n",
	    TR(p->lang, "Inschrijven", "Register"));
	switch (state) {
	case PAGES_CLOSED:
		html_fmt(h, "<p>%s</p>\n", TR(p->lang, "De inschrijvingen voor "
		    "dit event zijn afgesloten.", "Registration for this event "
		    "has closed."));
		return;
	case PAGES_NOT_YET:
		opens = jstr(ev, "registration_opens_at");
		if (i18n_moment(p->lang, opens, text, sizeof(text)))
			html_fmt(h, TR(p->lang, "<p>De inschrijvingen openen "
			    "op <time datetime=\"%s\">%s</time>.</p>\n",
			    "<p>Registration opens on <time datetime=\"%s\">"
			    "%s</time>.</p>\n"), opens, text);
		return;
	case PAGES_FULL:
		html_fmt(h, "<div class=\"notice notice-wait\"><p><strong>%s"
		    "</strong> %s</p></div>\n", TR(p->lang, "Volzet.", "Full."),
		    TR(p->lang, "Alle plaatsen zijn ingenomen en er is geen "
		    "wachtlijst.", "Every place is taken and there is no "
		    "waiting list."));
		return;
	case PAGES_WAITLIST:
		html_fmt(h, "<div class=\"notice notice-wait\"><p><strong>%s"
		    "</strong> %s</p></div>\n", TR(p->lang, "Volzet.", "Full."),
		    TR(p->lang, "Schrijf je in op de wachtlijst: komt er een "
		    "plaats vrij, dan schuif je automatisch door, in de "
		    "volgorde van inschrijving.", "Join the waiting list: when "
		    "a place comes free, you move up automatically, in order "
		    "of registration."));
		break;
	default:
		break;
	}
	if (p->c->csrf == NULL) {
		h->failed = true;	/* no form without its token */
		return;
	}
	p->csrf_used = true;
	registration_form(p, fv, ev, state, p->c->csrf);
}

bool
pages_event(struct html *out, const struct page_ctx *c, const json_t *doc)
{
	struct draw d;
	struct form_view fv;

	draw_init(&d, out, c);
	memset(&fv, 0, sizeof(fv));
	fv.values = c->values;
	fv.errors = json_array_size(c->errors) > 0 ? c->errors : NULL;
	fv.notice = c->notice;
	fv.idem = c->idem;
	event_body(&d, doc, &fv);
	page_close(out, c);
	return d.csrf_used;
}

/* A refusal without field errors, said to the reader. */
const char *
pages_notice(enum lang lang, const char *problem)
{
	if (problem == NULL)
		return NULL;
	if (strcmp(problem, "event-full") == 0)
		return TR(lang, "Dit event is intussen volzet en heeft geen "
		    "wachtlijst.", "This event has filled up meanwhile and has "
		    "no waiting list.");
	if (strcmp(problem, "event-cancelled") == 0)
		return TR(lang, "Dit event werd geannuleerd.",
		    "This event was cancelled.");
	if (strcmp(problem, "registration-closed") == 0)
		return TR(lang, "De inschrijvingen zijn intussen afgesloten.",
		    "Registration has closed meanwhile.");
	if (strcmp(problem, "registration-not-open") == 0)
		return TR(lang, "De inschrijvingen zijn nog niet geopend.",
		    "Registration has not opened yet.");
	if (strcmp(problem, "idempotency-key-reused") == 0)
		return TR(lang, "Dit formulier werd al verstuurd. Laad de "
		    "pagina opnieuw om nog iemand in te schrijven.", "This "
		    "form was sent already. Reload the page to register "
		    "someone else.");
	return NULL;
}

/* -- the registrant's page ----------------------------------------------- */

static const char *
status_name(enum lang lang, const char *status)
{
	if (status == NULL)
		return "";
	if (strcmp(status, "confirmed") == 0)
		return TR(lang, "Bevestigd", "Confirmed");
	if (strcmp(status, "waitlisted") == 0)
		return TR(lang, "Op de wachtlijst", "On the waiting list");
	if (strcmp(status, "cancelled") == 0)
		return TR(lang, "Geannuleerd", "Cancelled");
	return status;
}

static void
fact(struct draw *p, const char *term, const char *value)
{
	if (value != NULL && *value != '\0')
		html_fmt(p->h, "<dt>%s</dt>\n<dd>%s</dd>\n", term, value);
}

/* Where the registration stands. */
static void
registration_status(struct draw *p, json_t *reg, enum pages_state state)
{
	struct html *h = p->h;
	const char *status = jstr(reg, "status");

	if (streq(status, "confirmed"))
		html_fmt(h, "<div class=\"notice notice-ok\" role=\"status\">\n"
		    "<p><strong>%s</strong> %s</p>\n</div>\n",
		    TR(p->lang, "Je bent ingeschreven.", "You are registered."),
		    TR(p->lang, "Tot dan! #blijfkennismaken",
		    "See you there! #blijfkennismaken"));
	else if (streq(status, "waitlisted")) {
		html_fmt(h, TR(p->lang, "<div class=\"notice notice-wait\" "
		    "role=\"status\">\n<p><strong>Je staat op plaats %lld van "
		    "de wachtlijst.</strong> ", "<div class=\"notice "
		    "notice-wait\" role=\"status\">\n<p><strong>You are number "
		    "%lld on the waiting list.</strong> "),
		    jint(reg, "waitlist_position"));
		html_fmt(h, "%s</p>\n</div>\n", TR(p->lang, "Komt er een "
		    "plaats vrij, dan krijg je een e-mail. Je schuift "
		    "automatisch door, in de volgorde van inschrijving.",
		    "When a place comes free, you will get an e-mail. You move "
		    "up automatically, in the order of registration."));
	} else
		html_fmt(h, "<div class=\"notice notice-cancelled\" "
		    "role=\"status\">\n<p><strong>%s</strong></p>\n</div>\n",
		    TR(p->lang, "Deze inschrijving is geannuleerd.",
		    "This registration is cancelled."));
	if (state == PAGES_CANCELLED)
		html_fmt(h, "<div class=\"notice notice-cancelled\">\n"
		    "<p>%s</p>\n</div>\n", TR(p->lang, "Het event werd "
		    "geannuleerd en gaat niet door.", "The event was cancelled "
		    "and will not take place."));
}

static void
registration_sessions(struct draw *p, json_t *reg, const char *cl)
{
	struct html *h = p->h;
	json_t *sessions = json_object_get(reg, "sessions"), *s;
	char times[64];
	size_t i;

	if (json_array_size(sessions) == 0)
		return;
	html_fmt(h, "<table>\n<caption>%s</caption>\n<thead><tr>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    TR(p->lang, "Je sessies", "Your sessions"),
	    TR(p->lang, "Sessie", "Session"), TR(p->lang, "Tijd", "Time"),
	    TR(p->lang, "Status", "Status"));
	json_array_foreach(sessions, i, s) {
		if (!i18n_times(jstr(s, "starts_at"), jstr(s, "ends_at"), times,
		    sizeof(times)))
			times[0] = '\0';
		html_fmt(h, "<tr><td lang=\"%s\">%s</td><td>%s</td>"
		    "<td>%s</td></tr>\n", cl, jstr(s, "title"), times,
		    status_name(p->lang, jstr(s, "status")));
	}
	html_raw(h, "</tbody>\n</table>\n");
}

/* What the registrant told us: everything they typed, escaped. */
static void
registration_details(struct draw *p, json_t *reg)
{
	const char *en = jstr(reg, "enterprise_number");
	enum lang l = p->lang;
	char number[32] = "";

	if (en != NULL && strlen(en) == 10)	/* 0123.456.749 */
		snprintf(number, sizeof(number), "%.4s.%.3s.%.3s", en, en + 4,
		    en + 7);
	else if (en != NULL)
		snprintf(number, sizeof(number), "%s", en);
	html_fmt(p->h, "<h2>%s</h2>\n<dl class=\"facts\">\n",
	    TR(l, "Je gegevens", "Your details"));
	fact(p, TR(l, "Naam", "Name"), jstr(reg, "name"));
	fact(p, TR(l, "E-mailadres", "E-mail address"), jstr(reg, "email"));
	fact(p, TR(l, "Je komt als", "You are coming as"),
	    i18n_role(l, jstr(reg, "role")));
	fact(p, TR(l, "Organisatie", "Organisation"),
	    jstr(reg, "organisation"));
	fact(p, TR(l, "Soort organisatie", "Type of organisation"),
	    i18n_organisation_type(l, jstr(reg, "organisation_type")));
	fact(p, TR(l, "Ondernemingsnummer", "Enterprise number"), number);
	fact(p, TR(l, "Postcode", "Postcode"), jstr(reg, "postcode"));
	fact(p, TR(l, "Taal voor contact", "Language for contact"),
	    i18n_language_name(jstr(reg, "language")));
	html_raw(p->h, "</dl>\n");
}

/* webcal:// and https:// links to the personal feed, from public_url */
static void
registration_calendar(struct draw *p, const char *token)
{
	const char *base = p->c->public_url != NULL ? p->c->public_url : "";
	const char *host = strstr(base, "://");

	host = host != NULL ? host + 3 : base;
	html_fmt(p->h, "<h2>%s</h2>\n<p>%s</p>\n", TR(p->lang, "In je agenda",
	    "In your calendar"), TR(p->lang, "Abonneer je agenda op je "
	    "inschrijving: verandert er iets, zoals het uur of je plaats op "
	    "de wachtlijst, dan zie je het daar vanzelf.", "Subscribe your "
	    "calendar to your registration: when something changes, like the "
	    "time or your place on the waiting list, you see it there by "
	    "itself."));
	html_fmt(p->h, "<p class=\"calendar\">"
	    "<a href=\"webcal://%s/feeds/personal/%s.ics\">%s</a>\n"
	    "<a href=\"%s/feeds/personal/%s.ics\">%s</a></p>\n", host, token,
	    TR(p->lang, "Abonneren in je agenda-app (webcal)",
	    "Subscribe in your calendar app (webcal)"), base, token,
	    TR(p->lang, "Agendabestand (.ics) openen",
	    "Open the calendar file (.ics)"));
}

/* A cancelled registration can be made again while seats remain. */
static void
registration_again(struct draw *p, json_t *ev, enum pages_state state)
{
	if (state != PAGES_OPEN)
		return;
	html_fmt(p->h, "<div class=\"notice\">\n<p>%s <a href=\"/events/%s%s"
	    "#inschrijven\">%s</a></p>\n</div>\n", TR(p->lang, "Kan je toch "
	    "komen? Er zijn nog plaatsen vrij.", "Can you come after all? "
	    "There are places left."), jstr(ev, "slug"), p->lq,
	    TR(p->lang, "Schrijf je opnieuw in", "Register again"));
}

/*
 * Can the registration still be cancelled here?  Not once it is, nor
 * when the event is over or called off: what remains is a record.
 */
static bool
cancellable(json_t *reg, enum pages_state state)
{
	return !streq(jstr(reg, "status"), "cancelled") &&
	    state != PAGES_CLOSED && state != PAGES_CANCELLED;
}

/* The way to cancel: a link to the page that asks to confirm. */
static void
registration_cancel_link(struct draw *p, const char *token)
{
	html_fmt(p->h, "<h2>%s</h2>\n<p>%s</p>\n", TR(p->lang, "Annuleren",
	    "Cancel"), TR(p->lang, "Kan je toch niet komen? Annuleer je "
	    "inschrijving: zo krijgt wie op de wachtlijst staat je plaats.",
	    "Cannot come after all? Cancel your registration: the next person "
	    "on the waiting list gets your place."));
	html_fmt(p->h, "<p><a class=\"button warning\" href=\"/r/%s/cancel%s\">"
	    "%s</a></p>\n", token, p->lq, TR(p->lang, "Inschrijving annuleren",
	    "Cancel registration"));
}

/* The event's name, date and place, as both registrant's pages show
 * them. */
static void
registration_event(struct draw *p, json_t *ev, bool link)
{
	struct html *h = p->h;

	if (link)
		html_fmt(h, "<h2 lang=\"%s\"><a href=\"/events/%s%s\">%s</a>"
		    "</h2>\n", content_lang(ev), jstr(ev, "slug"), p->lq,
		    jstr(ev, "title"));
	else
		html_fmt(h, "<h2 lang=\"%s\">%s</h2>\n", content_lang(ev),
		    jstr(ev, "title"));
	html_fmt(h, "<dl class=\"facts\">\n<dt>%s</dt>\n<dd>",
	    TR(p->lang, "Wanneer", "When"));
	when(p, jstr(ev, "starts_at"), jstr(ev, "ends_at"));
	html_fmt(h, "</dd>\n<dt>%s</dt>\n<dd>", TR(p->lang, "Waar", "Where"));
	venue(p, ev, true);
	html_raw(h, "</dd>\n</dl>\n");
}

/*
 * The check-in code as a QR code (render/door.c) of its address, for
 * the door to scan; nothing without a code or a public_url.
 */
static void
registration_qr(struct draw *p, const char *code)
{
	char url[PAGE_ADDRESS_MAX];

	if (!door_code_url(p->c->public_url, code, url, sizeof(url)))
		return;
	html_fmt(p->h, "<section class=\"checkin\" aria-labelledby=\"h-qr\">\n"
	    "<h2 id=\"h-qr\">%s</h2>\n<p>%s</p>\n", TR(p->lang, "Aan de deur",
	    "At the door"), TR(p->lang, "Toon deze code aan de deur: zo ben "
	    "je meteen ingecheckt.", "Show this code at the door to be checked "
	    "in at once."));
	(void)door_qr_svg(p->h, url, TR(p->lang, "QR-code om in te checken",
	    "QR code to check in"), 200);
	html_raw(p->h, "\n</section>\n");
}

bool
pages_registration(struct html *out, const struct page_ctx *c,
    const json_t *doc, const char *token)
{
	struct draw d, *p = &d;
	struct html *h = out;
	json_t *reg = json_object_get(doc, "registration");
	json_t *ev = json_object_get(doc, "event");
	const char *cl = content_lang(ev);
	bool active = !streq(jstr(reg, "status"), "cancelled");
	enum pages_state state = pages_state(ev, jstr(doc, "now"));
	char path[64], title[300];

	draw_init(p, out, c);
	snprintf(path, sizeof(path), "/r/%s", token);
	snprintf(title, sizeof(title), "%s: %s", TR(p->lang, "Je inschrijving",
	    "Your registration"), jstr_or(ev, "title"));
	page_open(h, c, title, path, true);
	html_fmt(h, "<h1>%s</h1>\n", TR(p->lang, "Je inschrijving",
	    "Your registration"));
	registration_status(p, reg, state);
	if (!active)
		registration_again(p, ev, state);

	registration_event(p, ev, true);
	registration_sessions(p, reg, cl);

	if (active) {
		registration_details(p, reg);
		if (streq(jstr(reg, "status"), "confirmed"))
			registration_qr(p, jstr(doc, "checkin_code"));
		registration_calendar(p, token);
	}
	html_fmt(h, "<p class=\"hint\">%s</p>\n", TR(p->lang, "Bewaar het "
	    "adres van deze pagina, bijvoorbeeld als bladwijzer: het is je "
	    "persoonlijke toegang tot je inschrijving. Deel het niet.", "Keep "
	    "the address of this page, as a bookmark for instance: it is your "
	    "personal access to your registration. Do not share it."));
	if (cancellable(reg, state))
		registration_cancel_link(p, token);
	page_close(h, c);
	return p->csrf_used;
}

/* -- cancelling: the confirmation --------------------------------------- */

/* The waiting list of the event's session slug, 0 when none. */
static long long
session_waiting(json_t *ev, const char *slug)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(ev, "sessions"), i, s)
		if (streq(jstr(s, "slug"), slug))
			return jint(s, "waitlist_length") > 0 ?
			    jint(s, "waitlist_length") : 0;
	return 0;
}

/* What cancelling does to others: who gets the places it frees. */
static void
cancel_consequences(struct draw *p, json_t *reg, json_t *ev)
{
	struct html *h = p->h;
	json_t *s;
	size_t i;

	html_raw(h, "<ul class=\"consequences\">\n");
	if (streq(jstr(reg, "status"), "waitlisted"))
		html_fmt(h, "<li>%s</li>\n", TR(p->lang, "Je verlaat de "
		    "wachtlijst.", "You leave the waiting list."));
	else if (jint(ev, "waitlist_length") > 0)
		html_fmt(h, "<li>%s</li>\n", TR(p->lang, "Je plaats gaat meteen "
		    "naar de eerste persoon op de wachtlijst.", "Your place "
		    "goes at once to the first person on the waiting list."));
	else
		html_fmt(h, "<li>%s</li>\n", TR(p->lang, "Je plaats komt vrij "
		    "voor iemand anders.", "Your place comes free for someone "
		    "else."));
	json_array_foreach(json_object_get(reg, "sessions"), i, s)
		if (streq(jstr(s, "status"), "confirmed") &&
		    session_waiting(ev, jstr(s, "slug")) > 0)
			html_fmt(h, TR(p->lang, "<li>Je plaats in <span "
			    "lang=\"%s\">%s</span> gaat naar wie op de "
			    "wachtlijst van die sessie staat.</li>\n",
			    "<li>Your place in <span lang=\"%s\">%s</span> goes "
			    "to the first on that session's waiting "
			    "list.</li>\n"), content_lang(ev),
			    jstr(s, "title"));
	html_fmt(h, "<li>%s</li>\n</ul>\n", TR(p->lang, "Dit kan je niet "
	    "ongedaan maken: wil je later toch komen, dan schrijf je je "
	    "opnieuw in, zolang er plaats is.", "This cannot be undone: if "
	    "you want to come after all, you register again, while there is "
	    "room."));
}

bool
pages_cancel(struct html *out, const struct page_ctx *c, const json_t *doc,
    const char *token)
{
	struct draw d, *p = &d;
	struct html *h = out;
	json_t *reg = json_object_get(doc, "registration");
	json_t *ev = json_object_get(doc, "event");
	enum pages_state state = pages_state(ev, jstr(doc, "now"));
	char path[96], title[300];

	draw_init(p, out, c);
	snprintf(path, sizeof(path), "/r/%s/cancel", token);
	snprintf(title, sizeof(title), "%s: %s", TR(p->lang,
	    "Inschrijving annuleren", "Cancel registration"),
	    jstr_or(ev, "title"));
	page_open(h, c, title, path, true);
	html_fmt(h, "<p class=\"crumbs\"><a href=\"/r/%s%s\">%s</a></p>\n", token,
	    p->lq, TR(p->lang, "\xe2\x86\x90 Je inschrijving",
	    "\xe2\x86\x90 Your registration"));
	if (!cancellable(reg, state)) {
		html_fmt(h, "<h1>%s</h1>\n<div class=\"notice\" role=\"status\">"
		    "\n<p>%s</p>\n</div>\n", TR(p->lang, "Niets meer te "
		    "annuleren", "Nothing left to cancel"),
		    streq(jstr(reg, "status"), "cancelled") ? TR(p->lang,
		    "Deze inschrijving is al geannuleerd.", "This registration "
		    "is cancelled already.") : state == PAGES_CANCELLED ?
		    TR(p->lang, "Het event werd geannuleerd: je hoeft niets te "
		    "doen.", "The event was cancelled: there is nothing for you "
		    "to do.") : TR(p->lang, "Dit event is voorbij.",
		    "This event is over."));
		registration_again(p, ev, streq(jstr(reg, "status"),
		    "cancelled") ? state : PAGES_CLOSED);
		html_fmt(h, "<p><a href=\"/r/%s%s\">%s</a></p>\n", token, p->lq,
		    TR(p->lang, "Terug naar je inschrijving",
		    "Back to your registration"));
		page_close(h, c);
		return false;
	}
	if (p->c->csrf == NULL) {
		h->failed = true;	/* no form without its token */
		page_close(h, c);
		return false;
	}
	p->csrf_used = true;
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n", TR(p->lang,
	    "Wil je je inschrijving annuleren?", "Do you want to cancel your "
	    "registration?"), streq(jstr(reg, "status"), "waitlisted") ?
	    TR(p->lang, "Je staat op de wachtlijst voor:", "You are on the "
	    "waiting list for:") : TR(p->lang, "Je bent ingeschreven voor:",
	    "You are registered for:"));
	registration_event(p, ev, false);
	registration_sessions(p, reg, content_lang(ev));
	html_fmt(h, "<h2>%s</h2>\n", TR(p->lang, "Als je annuleert",
	    "If you cancel"));
	cancel_consequences(p, reg, ev);
	html_fmt(h, "<form class=\"cancel\" method=\"post\" "
	    "action=\"/r/%s/cancel%s\">\n<input type=\"hidden\" name=\""
	    PAGE_CSRF_FIELD "\" value=\"%s\">\n<p class=\"actions\">"
	    "<button type=\"submit\" class=\"warning\">%s</button>\n"
	    "<a href=\"/r/%s%s\">%s</a></p>\n</form>\n", token, p->lq,
	    p->c->csrf, TR(p->lang, "Ja, annuleer", "Yes, cancel"), token,
	    p->lq, TR(p->lang, "Nee, terug naar je inschrijving",
	    "No, back to my registration"));
	page_close(h, c);
	return true;
}

bool
pages_links(struct html *out, const struct page_ctx *c, const char *email,
    const char *error, bool sent)
{
	struct draw d, *p = &d;
	struct html *h = out;
	const char *title;

	draw_init(p, out, c);
	title = TR(p->lang, "Stuur mij mijn links", "Send me my links");
	page_open(h, c, title, "/links", false);
	html_fmt(h, "<h1>%s</h1>\n", title);
	if (sent) {
		html_fmt(h, "<div class=\"notice\" role=\"status\">\n"
		    "<p>%s</p>\n<p>%s</p>\n</div>\n<p><a href=\"/%s\">%s</a>"
		    "</p>\n", TR(p->lang, "Als er met dit adres ingeschreven "
		    "is, krijgt het binnen enkele minuten een mail met de link "
		    "naar elke inschrijving.", "If registrations were made "
		    "with this address, it gets a mail with the link to each of "
		    "them within a few minutes."), TR(p->lang, "Geen mail? "
		    "Kijk ook bij je ongewenste mail, of schrijf je opnieuw in.",
		    "No mail? Look in your spam folder too, or register "
		    "again."), p->lq, TR(p->lang, "Naar de evenementen",
		    "To the events"));
		page_close(h, c);
		return false;
	}
	if (p->c->csrf == NULL) {
		h->failed = true;	/* no form without its token */
		page_close(h, c);
		return false;
	}
	p->csrf_used = true;
	html_fmt(h, "<p>%s</p>\n", TR(p->lang, "Ben je de link naar je "
	    "inschrijving kwijt? Geef het e-mailadres waarmee je je "
	    "inschreef: we mailen je de links naar al je inschrijvingen.",
	    "Lost the link to your registration? Give the e-mail address "
	    "you registered with: we mail you the links to all your "
	    "registrations."));
	if (error != NULL)
		html_fmt(h, "<div class=\"error-summary\" role=\"alert\" "
		    "aria-labelledby=\"error-summary-title\" tabindex=\"-1\">"
		    "\n<h2 id=\"error-summary-title\">%s</h2>\n<ul>\n<li><a "
		    "href=\"#f-email\">%s</a></li>\n</ul>\n</div>\n",
		    TR(p->lang, "Er is een probleem", "There is a problem"),
		    error);
	html_fmt(h, "<form method=\"post\" action=\"/links%s\" "
	    "novalidate>\n<input type=\"hidden\" name=\"" PAGE_CSRF_FIELD
	    "\" value=\"%s\">\n", p->lq, p->c->csrf);
	field_head(p, "email", TR(p->lang, "E-mailadres", "E-mail address"),
	    false, NULL, error);
	html_fmt(h, "<input type=\"email\" id=\"f-email\" name=\"email\" "
	    "value=\"%s\" autocomplete=\"email\" spellcheck=\"false\" "
	    "required", email != NULL ? email : "");
	field_aria(p, "email", NULL, error);
	html_fmt(h, ">\n</div>\n<p class=\"actions\"><button type=\"submit\">"
	    "%s</button></p>\n</form>\n", title);
	page_close(h, c);
	return true;
}
