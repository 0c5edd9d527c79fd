/*
 * handlers/web.c - the public web pages (API.md section 5): the list of
 * upcoming events, an event with its registration form, the
 * registrant's own page and cancelling.  What every page shares (the
 * frame, headers, CSRF, error pages) is in site.c.
 *
 * Pages are rendered on the server from the same JSON the API answers
 * (lk_event_json, lk_registration_json), in Dutch or English (i18n.h),
 * with html.h, which escapes every value.  The form registers through
 * registration_submit(), exactly as POST /api/v1/.../registrations
 * does: it turns the form into the API's JSON object first
 * (form_to_registration, form.c), so both share every rule, every rate
 * limit and the one lk_register call.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "input/form.h"
#include "handlers/handlers.h"
#include "render/html.h"
#include "render/i18n.h"
#include "base/log.h"
#include "handlers/registration.h"
#include "http/request.h"
#include "db/sql.h"
#include "base/util.h"
#include "input/validate.h"
#include "handlers/site.h"

/* the form's own fields, besides the API's (WEB_CSRF_FIELD: site.h) */
#define F_HONEYPOT	"homepage"
#define F_IDEM		"idempotency_key"
#define F_CONSENT	FORM_CONSENT

/* What a form shows besides the event: the values and what was wrong. */
struct form_view {
	const struct form	*values;	/* NULL: a fresh form */
	json_t			*errors;	/* [{field, code}], NULL */
	const char		*notice;	/* above the form, or NULL */
	const char		*idem;		/* idempotency key */
};

/* -- small helpers -------------------------------------------------------- */

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool
jtrue(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* -1 when null or absent */
static long long
jint(json_t *o, const char *key)
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
content_lang(struct web_page *p, json_t *ev)
{
	const char *l = jstr(ev, "language");

	if (l != NULL && (strcmp(l, "nl") == 0 || strcmp(l, "en") == 0 ||
	    strcmp(l, "fr") == 0))
		return l;
	return "nl";
}

static void
when(struct web_page *p, const char *start, const char *end)
{
	char text[160];

	if (i18n_when(p->lang, start, end, text, sizeof(text)))
		html_fmt(&p->h, "<time datetime=\"%s\">%s</time>", start, text);
}

static void
venue(struct web_page *p, json_t *ev, bool full)
{
	struct html *h = &p->h;
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
seats(struct web_page *p, json_t *o, bool waitlist, bool session)
{
	struct html *h = &p->h;
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

static void
render_index(struct web_page *p, json_t *doc)
{
	struct html *h = &p->h;
	json_t *events = json_object_get(doc, "events");
	json_t *kinds = json_object_get(doc, "kinds");
	json_t *ev, *k = NULL, *done = json_object();
	size_t i, j, ki;
	const char *kind;

	web_page_open(p, TR(p->lang, "Activiteiten", "Events"), "/", false);
	html_fmt(h, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n",
	    TR(p->lang, "Activiteiten: leer en netwerk mee",
	    "Events: learn and network with us"),
	    TR(p->lang, "Netwerkevents, inspiratiesessies met en tussen "
	    "in-company academies en infosessies voor KMO's en "
	    "intermediairen: schrijf je in en bouw mee aan een West-Vlaanderen "
	    "waar levenslang leren een reflex wordt. Samen maken we van "
	    "West-Vlaanderen dé lerende provincie.",
	    "Network events, inspiration sessions with and between in-company "
	    "academies and info sessions for SMEs and intermediaries: "
	    "register and help build a West Flanders where lifelong learning "
	    "becomes a reflex. Together we make West Flanders the learning "
	    "province."));
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
			if (strcmp(jstr(k, "slug"), kind) == 0)
				break;
		html_fmt(h, "<section aria-labelledby=\"kind-%s\">\n"
		    "<h2 id=\"kind-%s\">%s</h2>\n<ul class=\"events\">\n", kind,
		    kind, ki < json_array_size(kinds) ?
		    jstr(k, i18n_code(p->lang)) : kind);
		for (j = i; j < json_array_size(events); j++) {
			json_t *e = json_array_get(events, j);
			const char *cl = content_lang(p, e);

			if (strcmp(jstr(e, "kind"), kind) != 0)
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
}

static void
index_done(struct request *r, const struct db_result *res)
{
	struct web_page p;
	json_t *doc;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if ((doc = json_loads(PQgetvalue(res->res, 0, 0), 0, NULL)) == NULL) {
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	web_page_init(&p, r);
	render_index(&p, doc);
	json_decref(doc);
	web_page_finish(&p, 200, false);
}

void
h_web_index(struct request *r)
{
	request_db(r, sql_web_index, 0, NULL, index_done);
}

void
h_web_css(struct request *r)
{
	const char *inm = request_header(r, "If-None-Match");

	request_add_header(r, "Cache-Control", "public, max-age=86400");
	request_add_header(r, "ETag", web_css_etag());
	if (inm != NULL && (strstr(inm, web_css_etag()) != NULL ||
	    strcmp(inm, "*") == 0)) {
		request_reply(r, 304, NULL, NULL, 0);
		return;
	}
	request_reply(r, 200, "text/css; charset=utf-8", web_css,
	    strlen(web_css));
}

/* -- an event and its form ------------------------------------------------- */

enum reg_state {
	REG_OPEN,
	REG_WAITLIST,		/* full; one joins the waiting list */
	REG_FULL,		/* full, no waiting list */
	REG_NOT_YET,
	REG_CLOSED,
	REG_CANCELLED
};

/* What lk_register would say now, to show the right form or reason. */
static enum reg_state
reg_state(json_t *ev, const char *now_text)
{
	const char *s;
	time_t now, t;

	if ((s = jstr(ev, "status")) != NULL && strcmp(s, "cancelled") == 0)
		return REG_CANCELLED;
	if (now_text == NULL || !parse_time(now_text, &now))
		now = time(NULL);
	if (((s = jstr(ev, "ends_at")) != NULL && parse_time(s, &t) &&
	    t <= now) || ((s = jstr(ev, "registration_closes_at")) != NULL &&
	    parse_time(s, &t) && t <= now))
		return REG_CLOSED;
	if ((s = jstr(ev, "registration_opens_at")) != NULL &&
	    parse_time(s, &t) && t > now)
		return REG_NOT_YET;
	if (jint(ev, "capacity") >= 0 && jint(ev, "seats_left") <= 0)
		return jtrue(ev, "waitlist") ? REG_WAITLIST : REG_FULL;
	return REG_OPEN;
}

/* The form field an error belongs to (consent is one checkbox). */
static const char *
form_field(const char *field)
{
	return strcmp(field, "consent") == 0 ? F_CONSENT : field;
}

/* The first error for a form field, in the reader's language. */
static const char *
field_error(struct web_page *p, const struct form_view *fv, const char *name)
{
	json_t *e;
	size_t i;

	if (fv->errors == NULL)
		return NULL;
	json_array_foreach(fv->errors, i, e)
		if (strcmp(form_field(jstr(e, "field")), name) == 0)
			return i18n_field_error(p->lang, jstr(e, "field"),
			    jstr(e, "code"));
	return NULL;
}

static const char *
value_of(const struct form_view *fv, const char *name)
{
	const char *v = fv->values != NULL ? form_get(fv->values, name) : NULL;

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
field_head(struct web_page *p, const char *name, const char *label,
    bool optional, const char *hint, const char *error)
{
	html_fmt(&p->h, "<div class=\"field%s\">\n<label for=\"f-%s\">%s",
	    error != NULL ? " field-error" : "", name, label);
	if (optional)
		html_fmt(&p->h, " <span class=\"optional\">%s</span>",
		    TR(p->lang, "(niet verplicht)", "(optional)"));
	html_raw(&p->h, "</label>\n");
	if (hint != NULL)
		html_fmt(&p->h, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n",
		    name, hint);
	if (error != NULL)
		html_fmt(&p->h, "<p class=\"error-message\" id=\"f-%s-error\">"
		    "<span class=\"visually-hidden\">%s</span> %s</p>\n", name,
		    TR(p->lang, "Fout:", "Error:"), error);
}

/* aria-describedby and aria-invalid for a control */
static void
field_aria(struct web_page *p, const char *name, const char *hint,
    const char *error)
{
	if (hint != NULL || error != NULL)
		html_fmt(&p->h, " aria-describedby=\"%s%s%s%s%s%s%s\"",
		    hint != NULL ? "f-" : "", hint != NULL ? name : "",
		    hint != NULL ? "-hint" : "", hint != NULL && error != NULL ?
		    " " : "", error != NULL ? "f-" : "", error != NULL ?
		    name : "", error != NULL ? "-error" : "");
	if (error != NULL)
		html_raw(&p->h, " aria-invalid=\"true\"");
}

static void
text_field(struct web_page *p, const struct form_view *fv, const char *name,
    const char *label, bool optional, const char *hint, const char *type,
    const char *attrs_class, const char *autocomplete, const char *inputmode)
{
	const char *error = field_error(p, fv, name);

	field_head(p, name, label, optional, hint, error);
	html_fmt(&p->h, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" "
	    "value=\"%s\" class=\"%s\" autocomplete=\"%s\" "
	    "spellcheck=\"false\"", type, name, name, value_of(fv, name),
	    attrs_class, autocomplete);
	if (inputmode != NULL)
		html_fmt(&p->h, " inputmode=\"%s\"", inputmode);
	if (!optional)
		html_raw(&p->h, " required");
	field_aria(p, name, hint, error);
	html_raw(&p->h, ">\n</div>\n");
}

static const char *const role_codes[] = { "employer", "employee",
	"job-seeker", "intermediary", "training-provider", "student",
	"citizen", "other", NULL };
static const char *const type_codes[] = { "sme", "large-company",
	"intermediary", "education", "government", "non-profit", "none",
	NULL };
static const char *const language_codes[] = { "nl", "en", "fr", NULL };

static void
select_field(struct web_page *p, const struct form_view *fv, const char *name,
    const char *label, const char *hint, const char *const *codes,
    const char *(*name_of)(enum lang, const char *), const char *chosen)
{
	const char *error = field_error(p, fv, name);
	size_t i;

	field_head(p, name, label, false, hint, error);
	html_fmt(&p->h, "<select id=\"f-%s\" name=\"%s\" required", name, name);
	field_aria(p, name, hint, error);
	html_raw(&p->h, ">\n");
	if (chosen == NULL || *chosen == '\0')
		html_fmt(&p->h, "<option value=\"\" selected>%s</option>\n",
		    TR(p->lang, "Kies\xe2\x80\xa6", "Choose\xe2\x80\xa6"));
	for (i = 0; codes[i] != NULL; i++)
		html_fmt(&p->h, "<option value=\"%s\"%s>%s</option>\n",
		    codes[i], chosen != NULL && strcmp(chosen, codes[i]) == 0 ?
		    " selected" : "", name_of != NULL ? name_of(p->lang,
		    codes[i]) : i18n_language_name(codes[i]));
	html_raw(&p->h, "</select>\n</div>\n");
}

/* The registration's fields in the order of the form. */
static const char *const form_order[] = { "name", "email", "role",
	"organisation", "organisation_type", "enterprise_number", "postcode",
	"language", "sessions", "consent", NULL };

/*
 * The error summary: every problem, in the order of the form, each a
 * link to its field; problems without a field of their own come last.
 */
static void
error_summary(struct web_page *p, const struct form_view *fv, json_t *ev)
{
	struct html *h = &p->h;
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
			if (strcmp(form_order[j], field) == 0)
				break;
		if (form_order[j] == NULL)
			html_fmt(h, "<li>%s</li>\n", i18n_field_error(p->lang,
			    field, jstr(e, "code")));
	}
	html_raw(h, "</ul>\n</div>\n");
}

static void
sessions_field(struct web_page *p, const struct form_view *fv, json_t *ev,
    enum reg_state state)
{
	struct html *h = &p->h;
	json_t *sessions = json_object_get(ev, "sessions"), *s;
	const char *error = field_error(p, fv, "sessions");
	bool waitlisted = state == REG_WAITLIST;
	char times[64];
	size_t i;

	if (json_array_size(sessions) == 0)
		return;
	html_fmt(h, "<div class=\"field%s\">\n<fieldset aria-describedby=\""
	    "f-sessions-hint%s\">\n<legend>%s <span class=\"optional\">%s"
	    "</span></legend>\n<p class=\"hint\" id=\"f-sessions-hint\">%s",
	    error != NULL ? " field-error" : "", error != NULL ?
	    " f-sessions-error" : "", TR(p->lang, "Sessies", "Sessions"),
	    TR(p->lang, "(niet verplicht)", "(optional)"),
	    TR(p->lang, "Kies de sessies die je wil volgen. Sessies die "
	    "tegelijk lopen kan je niet samen kiezen.", "Choose the sessions "
	    "you want to attend. Sessions that run at the same time cannot be "
	    "combined."));
	if (waitlisted)
		html_fmt(h, " %s", TR(p->lang, "Krijg je een plaats op "
		    "het event, dan krijg je ook een plaats in je sessies, "
		    "zolang er plaats is.", "When you get a place at the "
		    "event, you get a place in your sessions too, while there "
		    "is room."));
	html_raw(h, "</p>\n");
	if (error != NULL)
		html_fmt(h, "<p class=\"error-message\" "
		    "id=\"f-sessions-error\"><span class=\"visually-hidden\">"
		    "%s</span> %s</p>\n", TR(p->lang, "Fout:", "Error:"),
		    error);
	json_array_foreach(sessions, i, s) {
		const char *slug = jstr(s, "slug"), *room = jstr(s, "room");

		if (!i18n_times(jstr(s, "starts_at"), jstr(s, "ends_at"), times,
		    sizeof(times)))
			times[0] = '\0';
		html_fmt(h, "<div class=\"check\">\n<input type=\"checkbox\" "
		    "id=\"f-sessions-%s\" name=\"sessions\" value=\"%s\"%s>\n"
		    "<label for=\"f-sessions-%s\"><strong>%s</strong><br>\n"
		    "<span class=\"meta\">%s%s%s</span> ", slug, slug,
		    value_chosen(fv, "sessions", slug) ? " checked" : "", slug,
		    jstr(s, "title"), times, room != NULL ? " \xc2\xb7 " : "",
		    room != NULL ? room : "");
		seats(p, s, true, true);
		html_raw(h, "</label>\n</div>\n");
	}
	html_raw(h, "</fieldset>\n</div>\n");
}

static void
registration_form(struct web_page *p, const struct form_view *fv, json_t *ev,
    enum reg_state state, const char *csrf)
{
	struct html *h = &p->h;
	const char *error, *lang = value_of(fv, "language");

	html_fmt(h, "<form class=\"register\" method=\"post\" "
	    "action=\"/events/%s/register%s\" novalidate>\n"
	    "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"" F_IDEM "\" value=\"%s\">\n",
	    jstr(ev, "slug"), p->lq, csrf, fv->idem);
	/* a field people do not see and bots fill in */
	html_fmt(h, "<div class=\"hp\" aria-hidden=\"true\">\n"
	    "<label for=\"f-" F_HONEYPOT "\">%s</label>\n"
	    "<input type=\"text\" id=\"f-" F_HONEYPOT "\" name=\"" F_HONEYPOT
	    "\" value=\"\" tabindex=\"-1\" autocomplete=\"off\">\n</div>\n",
	    TR(p->lang, "Laat dit veld leeg", "Leave this field empty"));

	text_field(p, fv, "name", TR(p->lang, "Naam", "Name"), false, NULL,
	    "text", "", "name", NULL);
	text_field(p, fv, "email", TR(p->lang, "E-mailadres",
	    "E-mail address"), false, TR(p->lang, "We gebruiken het alleen "
	    "voor deze inschrijving.", "We use it for this registration "
	    "only."), "email", "", "email", NULL);
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
	sessions_field(p, fv, ev, state);

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
		html_raw(h, " aria-describedby=\"f-" F_CONSENT "-error\" "
		    "aria-invalid=\"true\"");
	html_fmt(h, ">\n<label for=\"f-" F_CONSENT "\">%s</label>\n</div>\n"
	    "</div>\n", TR(p->lang, "Ik geef het West-Vlaams Partnerschap "
	    "Levenslang Leren de toestemming om mijn gegevens te gebruiken "
	    "voor deze inschrijving, en zonder mijn naam om het bereik van "
	    "zijn acties te tellen (\xe2\x80\x9c" "De teller loopt"
	    "\xe2\x80\x9d).",
	    "I allow the West Flanders Partnership for Lifelong Learning to "
	    "use my data for this registration, and without my name to count "
	    "the reach of its actions."));
	html_fmt(h, "<p><button type=\"submit\">%s</button></p>\n</form>\n",
	    state == REG_WAITLIST ? TR(p->lang,
	    "Inschrijven op de wachtlijst", "Join the waiting list") :
	    TR(p->lang, "Inschrijven", "Register"));
}

static void
render_event(struct web_page *p, json_t *doc, const struct form_view *fv)
{
	struct html *h = &p->h;
	json_t *ev = json_object_get(doc, "event"), *s;
	json_t *sessions = json_object_get(ev, "sessions");
	const char *cl = content_lang(p, ev), *opens;
	enum reg_state state = reg_state(ev, jstr(doc, "now"));
	char path[128], title[300], csrf[TOKEN_LEN + 1], text[160];
	size_t i;

	snprintf(path, sizeof(path), "/events/%s", jstr(ev, "slug"));
	snprintf(title, sizeof(title), "%s%s", fv->errors != NULL ||
	    fv->notice != NULL ? TR(p->lang, "Fout: ", "Error: ") : "",
	    jstr(ev, "title"));
	web_page_open(p, title, path, false);
	error_summary(p, fv, ev);	/* first: what to put right */
	html_fmt(h, "<p class=\"crumbs\"><a href=\"/%s\">%s</a></p>\n"
	    "<p class=\"kind\">%s</p>\n<h1 lang=\"%s\">%s</h1>\n", p->lq,
	    TR(p->lang, "\xe2\x86\x90 Alle activiteiten",
	    "\xe2\x86\x90 All events"),
	    jstr(json_object_get(doc, "kind"), i18n_code(p->lang)), cl,
	    jstr(ev, "title"));
	if (state == REG_CANCELLED)
		html_fmt(h, "<div class=\"notice notice-cancelled\">\n"
		    "<p><strong>%s</strong></p>\n</div>\n", TR(p->lang,
		    "Geannuleerd: dit event gaat niet door.", "Cancelled: this "
		    "event will not take place."));

	html_fmt(h, "<dl class=\"facts\">\n<dt>%s</dt>\n<dd>",
	    TR(p->lang, "Wanneer", "When"));
	when(p, jstr(ev, "starts_at"), jstr(ev, "ends_at"));
	if (strcmp(jstr(ev, "timezone"), "Europe/Brussels") != 0)
		html_fmt(h, " (%s)", jstr(ev, "timezone"));
	html_fmt(h, "</dd>\n<dt>%s</dt>\n<dd>", TR(p->lang, "Waar", "Where"));
	venue(p, ev, true);
	html_raw(h, "</dd>\n");
	if (jint(ev, "capacity") >= 0 && state != REG_CANCELLED) {
		html_fmt(h, "<dt>%s</dt>\n<dd>", TR(p->lang, "Plaatsen",
		    "Places"));
		seats(p, ev, jtrue(ev, "waitlist"), false);
		html_raw(h, "</dd>\n");
	}
	html_raw(h, "</dl>\n");
	if (state == REG_OPEN || state == REG_WAITLIST)
		html_fmt(h, "<p><a class=\"button\" href=\"#inschrijven\">%s"
		    "</a></p>\n", state == REG_OPEN ? TR(p->lang,
		    "Schrijf je in", "Register") : TR(p->lang,
		    "Schrijf je in op de wachtlijst", "Join the waiting list"));
	description(h, jstr(ev, "description"), cl);

	if (json_array_size(sessions) > 0) {
		html_fmt(h, "<h2>%s</h2>\n<ul class=\"sessions\">\n",
		    TR(p->lang, "Sessies", "Sessions"));
		json_array_foreach(sessions, i, s) {
			const char *room = jstr(s, "room");

			html_fmt(h, "<li>\n<h3 lang=\"%s\">%s</h3>\n"
			    "<p class=\"meta\">", cl, jstr(s, "title"));
			if (i18n_times(jstr(s, "starts_at"), jstr(s, "ends_at"),
			    text, sizeof(text)))
				html_fmt(h, "<time datetime=\"%s\">%s</time>",
				    jstr(s, "starts_at"), text);
			if (room != NULL)
				html_fmt(h, " \xc2\xb7 %s", room);
			html_raw(h, "</p>\n");
			if (state != REG_CANCELLED) {
				html_raw(h, "<p>");
				seats(p, s, true, true);
				html_raw(h, "</p>\n");
			}
			description(h, jstr(s, "description"), cl);
			html_raw(h, "</li>\n");
		}
		html_raw(h, "</ul>\n");
	}

	if (state == REG_CANCELLED)
		return;
	html_fmt(h, "<h2 id=\"inschrijven\">%s</h2>\n",
	    TR(p->lang, "Inschrijven", "Register"));
	switch (state) {
	case REG_CLOSED:
		html_fmt(h, "<p>%s</p>\n", TR(p->lang, "De inschrijvingen voor "
		    "dit event zijn afgesloten.", "Registration for this event "
		    "has closed."));
		return;
	case REG_NOT_YET:
		opens = jstr(ev, "registration_opens_at");
		if (i18n_moment(p->lang, opens, text, sizeof(text)))
			html_fmt(h, TR(p->lang, "<p>De inschrijvingen openen "
			    "op <time datetime=\"%s\">%s</time>.</p>\n",
			    "<p>Registration opens on <time datetime=\"%s\">"
			    "%s</time>.</p>\n"), opens, text);
		return;
	case REG_FULL:
		html_fmt(h, "<div class=\"notice notice-wait\"><p><strong>%s"
		    "</strong> %s</p></div>\n", TR(p->lang, "Volzet.", "Full."),
		    TR(p->lang, "Alle plaatsen zijn ingenomen en er is geen "
		    "wachtlijst.", "Every place is taken and there is no "
		    "waiting list."));
		return;
	case REG_WAITLIST:
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
	if (!web_csrf_token(p->r, csrf)) {
		h->failed = true;
		return;
	}
	registration_form(p, fv, ev, state, csrf);
}

static void
event_done(struct request *r, const struct db_result *res)
{
	struct form_view fv;
	struct web_page p;
	char idem[TOKEN_LEN + 1];
	json_t *doc;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if (PQntuples(res->res) != 1 || PQgetisnull(res->res, 0, 0)) {
		request_not_found(r);
		return;
	}
	if ((doc = json_loads(PQgetvalue(res->res, 0, 0), 0, NULL)) == NULL ||
	    !token_new(idem)) {
		json_decref(doc);
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	memset(&fv, 0, sizeof(fv));
	fv.idem = idem;
	web_page_init(&p, r);
	render_event(&p, doc, &fv);
	json_decref(doc);
	web_page_finish(&p, 200, false);
}

void
h_web_event(struct request *r)
{
	const char *slug = r->params[0];

	if (!valid_slug(slug)) {
		request_not_found(r);
		return;
	}
	request_db(r, sql_web_event, 1, &slug, event_done);
}

/*
 * A GET of a form's address goes to the page the form is on, prefix +
 * the parameter, in the reader's language; ok says the parameter is one.
 */
static void
redirect_to_page(struct request *r, bool ok, const char *prefix, bool secret)
{
	char loc[128];
	const char *lq;

	if (!ok) {
		request_not_found(r);
		return;
	}
	web_lang(r, &lq);
	snprintf(loc, sizeof(loc), "%s%s%s", prefix, r->params[0], lq);
	web_redirect(r, loc, secret);
}

void
h_web_register_get(struct request *r)
{
	redirect_to_page(r, valid_slug(r->params[0]), "/events/", false);
}

/* -- registering ---------------------------------------------------------- */

/*
 * The code of an error from lk_register: the daemon's own checks and the
 * SQL functions (lk_field_error) both send one (validate.h), so no
 * outcome depends on the words of a message.  An error without one
 * (functions older than this build, before leerkansctl migrate) is
 * known by its problem alone.
 */
static const char *
error_code(const char *problem, json_t *e)
{
	const char *code = jstr(e, "code");

	if (code != NULL)
		return code;
	if (problem != NULL && strcmp(problem, "duplicate-registration") == 0)
		return VE_DUPLICATE;
	return VE_INVALID;
}

/* A refusal without field errors, said to the reader. */
static const char *
problem_notice(enum lang lang, const char *problem)
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

static void
rerender_done(struct request *r, const struct db_result *res)
{
	struct form_view fv;
	struct web_page p;
	const char *idem = form_get(r->form, F_IDEM);
	char fresh[TOKEN_LEN + 1];
	json_t *doc;
	int status = (int)json_integer_value(json_object_get(r->state,
	    "status"));

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if (PQntuples(res->res) != 1 || PQgetisnull(res->res, 0, 0)) {
		request_not_found(r);
		return;
	}
	if (idem == NULL || !token_wellformed(idem)) {
		if (!token_new(fresh)) {
			request_problem(r, 500, "internal-error", "No random "
			    "bytes", NULL, NULL);
			return;
		}
		idem = fresh;
	}
	if ((doc = json_loads(PQgetvalue(res->res, 0, 0), 0, NULL)) == NULL) {
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	web_page_init(&p, r);
	memset(&fv, 0, sizeof(fv));
	fv.values = r->form;
	fv.errors = json_object_get(r->state, "errors");
	if (json_array_size(fv.errors) == 0)
		fv.errors = NULL;
	fv.notice = problem_notice(p.lang, jstr(r->state, "problem"));
	fv.idem = idem;
	render_event(&p, doc, &fv);
	json_decref(doc);
	web_page_finish(&p, status, false);
}

static void
registered(struct request *r, const struct db_result *res)
{
	const char *state = res->sqlstate, *hint, *detail, *manage;
	json_t *answer, *errors, *list, *e;
	char loc[160];
	const char *slug = r->params[0], *lq;
	int status;
	size_t i;

	if (res->status == DB_OK) {
		answer = json_loads(PQgetvalue(res->res, 0, 0), 0, NULL);
		manage = jstr(answer, "manage_url");
		if (manage == NULL || strncmp(manage, "/r/", 3) != 0) {
			json_decref(answer);
			request_problem(r, 500, "internal-error", "Bad answer",
			    NULL, NULL);
			return;
		}
		web_lang(r, &lq);
		snprintf(loc, sizeof(loc), "%s%s", manage, lq);
		json_decref(answer);
		web_redirect(r, loc, true);
		return;
	}
	if (res->status != DB_ERROR || state == NULL ||
	    strncmp(state, "LK", 2) != 0 || ((status = atoi(state + 2)) !=
	    422 && status != 409)) {
		request_db_failed(r, res);	/* 404, 503, ...: a page */
		return;
	}
	/* show the form again, with what was wrong beside each field */
	hint = PQresultErrorField(res->res, PG_DIAG_MESSAGE_HINT);
	detail = PQresultErrorField(res->res, PG_DIAG_MESSAGE_DETAIL);
	list = detail != NULL && *detail != '\0' ? json_loads(detail, 0, NULL) :
	    NULL;
	errors = json_array();
	json_array_foreach(list, i, e)
		if (jstr(e, "field") != NULL)
			json_array_append_new(errors, json_pack("{s:s, s:s}",
			    "field", jstr(e, "field"), "code",
			    error_code(hint, e)));
	json_decref(list);
	r->state = json_pack("{s:i, s:s?, s:o}", "status", status, "problem",
	    hint, "errors", errors);
	if (r->state == NULL) {
		request_out_of_memory(r);
		return;
	}
	request_db(r, sql_web_event, 1, &slug, rerender_done);
}

void
h_web_register(struct request *r)
{
	char token[TOKEN_LEN + 1], idem_key[TOKEN_LEN + 8], loc[64];
	const char *idem = form_get(r->form, F_IDEM), *hp;
	enum lang lang = web_lang(r, NULL);

	if (!valid_slug(r->params[0])) {
		request_not_found(r);
		return;
	}
	if (!web_csrf_ok(r)) {
		request_problem(r, 403, "forbidden", "Forbidden", NULL, NULL);
		return;
	}
	hp = form_get(r->form, F_HONEYPOT);
	if (hp != NULL && *hp != '\0') {
		/* looks like success to whoever filled it; stores nothing */
		if (!token_new(token)) {
			request_problem(r, 500, "internal-error", "No random "
			    "bytes", NULL, NULL);
			return;
		}
		log_info("web: honeypot filled in; nothing stored");
		snprintf(loc, sizeof(loc), "/r/%s", token);
		explicit_bzero(token, sizeof(token));
		web_redirect(r, loc, true);
		return;
	}
	if ((r->body = form_to_registration(r->form,
	    i18n_code(lang))) == NULL) {
		request_out_of_memory(r);
		return;
	}
	/* the page's key: sending the same form twice registers once */
	if (idem != NULL && token_wellformed(idem))
		snprintf(idem_key, sizeof(idem_key), "web-%s", idem);
	registration_submit(r, r->params[0], r->body, "web",
	    idem != NULL && token_wellformed(idem) ? idem_key : NULL, token,
	    registered);
	explicit_bzero(token, sizeof(token));
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
fact(struct web_page *p, const char *term, const char *value)
{
	if (value != NULL && *value != '\0')
		html_fmt(&p->h, "<dt>%s</dt>\n<dd>%s</dd>\n", term, value);
}

/* Where the registration stands. */
static void
registration_status(struct web_page *p, json_t *reg, enum reg_state state)
{
	struct html *h = &p->h;
	const char *status = jstr(reg, "status");

	if (strcmp(status, "confirmed") == 0)
		html_fmt(h, "<div class=\"notice notice-ok\" role=\"status\">\n"
		    "<p><strong>%s</strong> %s</p>\n</div>\n",
		    TR(p->lang, "Je bent ingeschreven.", "You are registered."),
		    TR(p->lang, "Tot dan! #blijfkennismaken",
		    "See you there! #blijfkennismaken"));
	else if (strcmp(status, "waitlisted") == 0) {
		html_fmt(h, TR(p->lang, "<div class=\"notice notice-wait\" "
		    "role=\"status\">\n<p><strong>Je staat op de wachtlijst, "
		    "op plaats %lld.</strong> ", "<div class=\"notice "
		    "notice-wait\" role=\"status\">\n<p><strong>You are on the "
		    "waiting list, at place %lld.</strong> "),
		    jint(reg, "waitlist_position"));
		html_fmt(h, "%s</p>\n</div>\n", TR(p->lang, "Komt er een "
		    "plaats vrij, dan schuif je automatisch door. Kijk hier "
		    "opnieuw of abonneer je op je agenda hieronder.", "When a "
		    "place comes free, you move up automatically. Look here "
		    "again or subscribe to your calendar below."));
	} else
		html_fmt(h, "<div class=\"notice notice-cancelled\" "
		    "role=\"status\">\n<p><strong>%s</strong></p>\n</div>\n",
		    TR(p->lang, "Deze inschrijving is geannuleerd.",
		    "This registration is cancelled."));
	if (state == REG_CANCELLED)
		html_fmt(h, "<div class=\"notice notice-cancelled\">\n"
		    "<p>%s</p>\n</div>\n", TR(p->lang, "Het event werd "
		    "geannuleerd en gaat niet door.", "The event was cancelled "
		    "and will not take place."));
}

static void
registration_sessions(struct web_page *p, json_t *reg, const char *cl)
{
	struct html *h = &p->h;
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
registration_details(struct web_page *p, json_t *reg)
{
	const char *en = jstr(reg, "enterprise_number");
	enum lang l = p->lang;
	char number[32] = "";

	if (en != NULL && strlen(en) == 10)	/* 0123.456.749 */
		snprintf(number, sizeof(number), "%.4s.%.3s.%.3s", en, en + 4,
		    en + 7);
	else if (en != NULL)
		snprintf(number, sizeof(number), "%s", en);
	html_fmt(&p->h, "<h2>%s</h2>\n<dl class=\"facts\">\n",
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
	html_raw(&p->h, "</dl>\n");
}

/* webcal:// and https:// links to the personal feed, from public_url */
static void
registration_calendar(struct web_page *p, const char *token)
{
	const char *base = p->r->srv->s->public_url;
	const char *host = strstr(base, "://");

	host = host != NULL ? host + 3 : base;
	html_fmt(&p->h, "<h2>%s</h2>\n<p>%s</p>\n", TR(p->lang, "In je agenda",
	    "In your calendar"), TR(p->lang, "Abonneer je agenda op je "
	    "inschrijving: verandert er iets, zoals het uur of je plaats op "
	    "de wachtlijst, dan zie je het daar vanzelf.", "Subscribe your "
	    "calendar to your registration: when something changes, like the "
	    "time or your place on the waiting list, you see it there by "
	    "itself."));
	html_fmt(&p->h, "<p class=\"calendar\">"
	    "<a href=\"webcal://%s/feeds/personal/%s.ics\">%s</a>\n"
	    "<a href=\"%s/feeds/personal/%s.ics\">%s</a></p>\n", host, token,
	    TR(p->lang, "Abonneren in je agenda-app (webcal)",
	    "Subscribe in your calendar app (webcal)"), base, token,
	    TR(p->lang, "Agendabestand (.ics) openen",
	    "Open the calendar file (.ics)"));
}

static bool
registration_cancel_form(struct web_page *p, const char *token)
{
	char csrf[TOKEN_LEN + 1];

	if (!web_csrf_token(p->r, csrf))
		return false;
	html_fmt(&p->h, "<h2>%s</h2>\n<p>%s</p>\n", TR(p->lang, "Annuleren",
	    "Cancel"), TR(p->lang, "Kan je toch niet komen? Annuleer je "
	    "inschrijving: zo krijgt wie op de wachtlijst staat je plaats.",
	    "Cannot come after all? Cancel your registration: the next person "
	    "on the waiting list gets your place."));
	html_fmt(&p->h, "<form method=\"post\" action=\"/r/%s/cancel%s\">\n"
	    "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" "
	    "value=\"%s\">\n<p><button type=\"submit\" class=\"warning\">%s"
	    "</button></p>\n</form>\n", token, p->lq, csrf,
	    TR(p->lang, "Inschrijving annuleren", "Cancel registration"));
	explicit_bzero(csrf, sizeof(csrf));
	return true;
}

static void
render_registration(struct web_page *p, json_t *doc, const char *token)
{
	struct html *h = &p->h;
	json_t *reg = json_object_get(doc, "registration");
	json_t *ev = json_object_get(doc, "event");
	const char *cl = content_lang(p, ev);
	bool active = strcmp(jstr(reg, "status"), "cancelled") != 0;
	enum reg_state state = reg_state(ev, jstr(doc, "now"));
	char path[64], title[300];

	snprintf(path, sizeof(path), "/r/%s", token);
	snprintf(title, sizeof(title), "%s: %s", TR(p->lang, "Je inschrijving",
	    "Your registration"), jstr(ev, "title"));
	web_page_open(p, title, path, true);
	html_fmt(h, "<h1>%s</h1>\n", TR(p->lang, "Je inschrijving",
	    "Your registration"));
	registration_status(p, reg, state);

	html_fmt(h, "<h2 lang=\"%s\"><a href=\"/events/%s%s\">%s</a></h2>\n"
	    "<dl class=\"facts\">\n<dt>%s</dt>\n<dd>", cl, jstr(ev, "slug"),
	    p->lq, jstr(ev, "title"), TR(p->lang, "Wanneer", "When"));
	when(p, jstr(ev, "starts_at"), jstr(ev, "ends_at"));
	html_fmt(h, "</dd>\n<dt>%s</dt>\n<dd>", TR(p->lang, "Waar", "Where"));
	venue(p, ev, true);
	html_raw(h, "</dd>\n</dl>\n");
	registration_sessions(p, reg, cl);

	if (active) {
		registration_details(p, reg);
		registration_calendar(p, token);
	}
	html_fmt(h, "<p class=\"hint\">%s</p>\n", TR(p->lang, "Bewaar het "
	    "adres van deze pagina, bijvoorbeeld als bladwijzer: het is je "
	    "persoonlijke toegang tot je inschrijving. Deel het niet.", "Keep "
	    "the address of this page, as a bookmark for instance: it is your "
	    "personal access to your registration. Do not share it."));
	if (active && state != REG_CLOSED && state != REG_CANCELLED &&
	    !registration_cancel_form(p, token))
		h->failed = true;
}

static void
registration_done(struct request *r, const struct db_result *res)
{
	struct web_page p;
	json_t *doc;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	if (PQntuples(res->res) != 1 || PQgetisnull(res->res, 0, 0)) {
		request_not_found(r);
		return;
	}
	if ((doc = json_loads(PQgetvalue(res->res, 0, 0), 0, NULL)) == NULL ||
	    jstr(json_object_get(doc, "registration"), "status") == NULL) {
		json_decref(doc);
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	web_page_init(&p, r);
	render_registration(&p, doc, r->params[0]);
	json_decref(doc);
	web_page_finish(&p, 200, true);
}

void
h_web_registration(struct request *r)
{
	const char *token = r->params[0];

	if (!token_wellformed(token)) {
		request_not_found(r);
		return;
	}
	request_db(r, sql_web_registration, 1, &token, registration_done);
}

static void
cancelled(struct request *r, const struct db_result *res)
{
	char loc[64];
	const char *lq;

	if (res->status != DB_OK) {
		request_db_failed(r, res);	/* 404 and the rest: pages */
		return;
	}
	web_lang(r, &lq);
	snprintf(loc, sizeof(loc), "/r/%s%s", r->params[0], lq);
	web_redirect(r, loc, true);
}

void
h_web_cancel(struct request *r)
{
	const char *token = r->params[0];

	if (!token_wellformed(token)) {
		request_not_found(r);
		return;
	}
	if (!web_csrf_ok(r)) {
		request_problem(r, 403, "forbidden", "Forbidden", NULL, NULL);
		return;
	}
	request_db(r, sql_registration_cancel, 1, &token, cancelled);
}

void
h_web_cancel_get(struct request *r)
{
	redirect_to_page(r, token_wellformed(r->params[0]), "/r/", true);
}

/* -- error pages -------------------------------------------------------- */

bool
web_handler(route_handler h)
{
	return h == h_web_index || h == h_web_event ||
	    h == h_web_register_get || h == h_web_register ||
	    h == h_web_registration || h == h_web_cancel_get ||
	    h == h_web_cancel;
}

