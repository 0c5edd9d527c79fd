/*
 * test_pages.c - the public pages' renderers (render/pages.c) and the
 * frame and error pages (render/page.c), from JSON documents built here
 * as the SQL statements answer them: every user value escaped, both
 * languages, the registration form in every state and drawn again with
 * its errors beside the fields and the values kept, the registrant's
 * page confirmed, waitlisted and cancelled.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "input/form.h"
#include "render/html.h"
#include "render/page.h"
#include "render/pages.h"
#include "tap.h"

#define HOSTILE		"<script>alert('x')</script> \"Q\" & <b>Z</b>"
/* the same inside a JSON string */
#define HOSTILE_J	"<script>alert('x')</script> \\\"Q\\\" & <b>Z</b>"
#define HOSTILE_ESC	"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; " \
			"&quot;Q&quot; &amp; &lt;b&gt;Z&lt;/b&gt;"
#define CSRF		"Csrf0123456789Csrf0123456789Csrf0123456789C"
#define IDEM		"Idem0123456789Idem0123456789Idem0123456789I"
#define TOKEN		"Tokn0123456789Tokn0123456789Tokn0123456789T"
#define NOW		"2027-02-01T09:00:00.123456+00:00"

/* An event as lk_event_json makes it, open for registration at NOW. */
static json_t *
event_json(void)
{
	json_t *ev = json_loads("{"
	    "\"slug\": \"netwerkevent-2027\", \"kind\": \"network-event\","
	    "\"title\": \"Netwerkevent " HOSTILE_J "\","
	    "\"description\": \"Eerste alinea " HOSTILE_J "."
	    "\\n\\nTweede alinea.\","
	    "\"language\": \"nl\","
	    "\"starts_at\": \"2027-03-18T13:30:00+01:00\","
	    "\"ends_at\": \"2027-03-18T17:30:00+01:00\","
	    "\"timezone\": \"Europe/Brussels\","
	    "\"venue\": {\"name\": \"Zaal " HOSTILE_J "\", \"address\": "
	    "\"Markt 1 " HOSTILE_J "\", \"postcode\": \"8900\", \"city\": "
	    "\"Ieper " HOSTILE_J "\"},"
	    "\"online_url\": null, \"capacity\": 30, \"waitlist\": true,"
	    "\"registration_opens_at\": null, \"registration_closes_at\": null,"
	    "\"status\": \"published\", \"sequence\": 0, \"seats_left\": 12,"
	    "\"waitlist_length\": 0,"
	    "\"sessions\": [{\"slug\": \"digitale-basis\", \"title\": "
	    "\"Sessie " HOSTILE_J "\", \"description\": \"Over " HOSTILE_J "\","
	    "\"starts_at\": \"2027-03-18T14:30:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T15:30:00+01:00\", \"room\": \"Zaal <3>\","
	    "\"capacity\": 10, \"seats_left\": 0, \"waitlist_length\": 2},"
	    "{\"slug\": \"westhoek\", \"title\": \"Leerecosysteem\", "
	    "\"description\": null,"
	    "\"starts_at\": \"2027-03-18T16:00:00+01:00\","
	    "\"ends_at\": \"2027-03-18T17:00:00+01:00\", \"room\": null,"
	    "\"capacity\": null, \"seats_left\": null, \"waitlist_length\": 0}]"
	    "}", 0, NULL);

	if (ev == NULL)
		abort();
	return ev;
}

/* sql_web_event's document around ev (taken). */
static json_t *
event_doc(json_t *ev)
{
	return json_pack("{s:s, s:o, s:{s:s, s:s}}", "now", NOW, "event", ev,
	    "kind", "nl", "Netwerkevent " HOSTILE, "en", "Network event");
}

static void
ctx_init(struct page_ctx *c, enum lang lang)
{
	memset(c, 0, sizeof(*c));
	c->lang = lang;
	c->lq = "";
	c->public_url = "https://leerkans.example.be";
	c->csrf = CSRF;
	c->idem = IDEM;
}

/* The page as text (the caller frees it); *form what the renderer said. */
static char *
draw_event(const struct page_ctx *c, json_t *doc, bool *form)
{
	struct html h;
	char *s;
	bool f;

	html_init(&h);
	f = pages_event(&h, c, doc);
	if (form != NULL)
		*form = f;
	s = html_ok(&h) ? strdup(html_str(&h)) : NULL;
	html_free(&h);
	return s;
}

static bool
has(const char *page, const char *what)
{
	return page != NULL && strstr(page, what) != NULL;
}

/* How often what occurs in page. */
static int
count(const char *page, const char *what)
{
	const char *p = page;
	int n = 0;

	while (p != NULL && (p = strstr(p, what)) != NULL) {
		n++;
		p += strlen(what);
	}
	return n;
}

/* Nothing of HOSTILE got through unescaped: no tag of its own. */
static void
check_escaped(const char *name, const char *page)
{
	ok(page != NULL && !has(page, "<script") && !has(page, "<b>") &&
	    !has(page, "alert('x')") && !has(page, "Zaal <3>"),
	    "%s: every value escaped", name);
}

static void
test_event_open(void)
{
	struct page_ctx c;
	json_t *doc = event_doc(event_json());
	bool form;
	char *p;

	ctx_init(&c, LANG_NL);
	p = draw_event(&c, doc, &form);
	ok(p != NULL, "an open event draws");
	ok(form, "its page holds a form with the CSRF token");
	check_escaped("event", p);
	ok(count(p, HOSTILE_ESC) >= 7, "title, venue, sessions, description "
	    "and kind are there, escaped (%d)", count(p, HOSTILE_ESC));
	ok(has(p, "<html lang=\"nl\">"), "Dutch by default");
	ok(has(p, "<form class=\"register\" method=\"post\" "
	    "action=\"/events/netwerkevent-2027/register\" novalidate>"),
	    "the form posts to the event's register address");
	ok(has(p, "name=\"csrf\" value=\"" CSRF "\""), "the CSRF token");
	ok(has(p, "name=\"idempotency_key\" value=\"" IDEM "\""),
	    "the idempotency key");
	ok(has(p, "name=\"homepage\" value=\"\" tabindex=\"-1\""),
	    "the honeypot, empty, out of the tab order");
	ok(has(p, "<button type=\"submit\">Inschrijven</button>"),
	    "the button says register");
	ok(has(p, "Nog 12 plaatsen vrij"), "seats left");
	ok(has(p, "Volzet: je komt op de wachtlijst van deze sessie"),
	    "a full session says so");
	ok(has(p, "donderdag 18 maart 2027, 13:30"), "the date in Dutch");
	ok(has(p, "<p>Eerste alinea ") && has(p, "<p>Tweede alinea.</p>"),
	    "a blank line starts a paragraph");
	ok(has(p, "value=\"digitale-basis\">") && !has(p, " checked"),
	    "a fresh form has nothing chosen");
	ok(has(p, "<option value=\"nl\" selected>"),
	    "the contact language defaults to the page's");
	ok(!has(p, "error-summary") && has(p, "<title>Netwerkevent "),
	    "no errors, no error title");
	ok(has(p, "<a href=\"/events/netwerkevent-2027?lang=en\" "
	    "hreflang=\"en\""), "the language switch names the page itself");
	ok(has(p, "/static/leerkans.css?v="), "the style sheet, versioned");
	free(p);

	/* without a token no form is drawn: the page fails */
	c.csrf = NULL;
	p = draw_event(&c, doc, &form);
	ok(p == NULL, "an open event without a CSRF token does not draw");
	json_decref(doc);
}

static void
test_event_english(void)
{
	struct page_ctx c;
	json_t *doc = event_doc(event_json());
	char *p;

	ctx_init(&c, LANG_EN);
	c.lq = "?lang=en";
	p = draw_event(&c, doc, NULL);
	ok(has(p, "<html lang=\"en\">"), "English");
	ok(has(p, "<p class=\"kind\">Network event</p>"),
	    "the kind's English name");
	ok(has(p, "<h1 lang=\"nl\">Netwerkevent "),
	    "the event's own text keeps its language");
	ok(has(p, "Thursday 18 March 2027, 13:30"), "the date in English");
	ok(has(p, "<button type=\"submit\">Register</button>"), "Register");
	ok(has(p, "action=\"/events/netwerkevent-2027/register?lang=en\""),
	    "a chosen language stays in the form's action");
	ok(has(p, "<a href=\"/?lang=en\">"), "and in the links");
	ok(has(p, "12 places left"), "seats in English");
	free(p);
	json_decref(doc);
}

/* Draws the event with field (and value) changed; returns the page. */
static char *
event_with(const char *field, json_t *value, bool *form)
{
	struct page_ctx c;
	json_t *ev = event_json(), *doc;
	char *p;

	json_object_set_new(ev, field, value);
	doc = event_doc(ev);
	ctx_init(&c, LANG_NL);
	p = draw_event(&c, doc, form);
	json_decref(doc);
	return p;
}

static void
test_event_states(void)
{
	json_t *ev, *doc;
	struct page_ctx c;
	bool form;
	char *p;

	/* full, with a waiting list: the form, for the waiting list */
	p = event_with("seats_left", json_integer(0), &form);
	ok(form && has(p, "<form class=\"register\""),
	    "waitlist: the form is there");
	ok(has(p, "Inschrijven op de wachtlijst</button>"),
	    "waitlist: its button names the waiting list");
	ok(has(p, "Volzet, wachtlijst open"), "waitlist: said above");
	free(p);

	/* full without one: no form */
	ev = event_json();
	json_object_set_new(ev, "seats_left", json_integer(0));
	json_object_set_new(ev, "waitlist", json_false());
	doc = event_doc(ev);
	ctx_init(&c, LANG_NL);
	p = draw_event(&c, doc, &form);
	ok(!form && !has(p, "<form"), "full: no form");
	ok(has(p, "Alle plaatsen zijn ingenomen en er is geen wachtlijst."),
	    "full: says why");
	ok(!has(p, CSRF), "full: no token on the page");
	free(p);
	json_decref(doc);

	p = event_with("registration_opens_at",
	    json_string("2027-02-15T09:00:00+01:00"), &form);
	ok(!form && !has(p, "<form"), "not yet open: no form");
	ok(has(p, "De inschrijvingen openen op <time "
	    "datetime=\"2027-02-15T09:00:00+01:00\">maandag 15 februari 2027 "
	    "om 09:00</time>."), "not yet open: says when it opens");
	free(p);

	p = event_with("registration_closes_at",
	    json_string("2027-01-31T23:59:00+01:00"), &form);
	ok(!form && !has(p, "<form"), "closed: no form");
	ok(has(p, "De inschrijvingen voor dit event zijn afgesloten."),
	    "closed: says so");
	free(p);

	p = event_with("ends_at", json_string("2027-02-01T08:00:00+00:00"),
	    &form);
	ok(!form && has(p, "afgesloten"), "over: closed");
	free(p);

	p = event_with("status", json_string("cancelled"), &form);
	ok(!form && !has(p, "<form"), "cancelled: no form");
	ok(has(p, "Geannuleerd: dit event gaat niet door."),
	    "cancelled: said at the top");
	ok(!has(p, "id=\"inschrijven\"") && !has(p, "plaatsen vrij"),
	    "cancelled: no registration part, no seats");
	free(p);

	/* the database's clock decides; without it nothing is offered */
	ev = event_json();
	doc = json_pack("{s:o, s:{s:s, s:s}}", "event", ev, "kind", "nl", "N",
	    "en", "N");
	ctx_init(&c, LANG_NL);
	p = draw_event(&c, doc, &form);
	ok(!form && has(p, "afgesloten"), "no clock in the document: closed");
	free(p);
	json_decref(doc);

	ev = event_json();
	ok(pages_state(ev, NOW) == PAGES_OPEN, "state: open");
	json_object_set_new(ev, "seats_left", json_integer(0));
	ok(pages_state(ev, NOW) == PAGES_WAITLIST, "state: waitlist");
	json_object_set_new(ev, "waitlist", json_false());
	ok(pages_state(ev, NOW) == PAGES_FULL, "state: full");
	json_object_set_new(ev, "capacity", json_null());
	json_object_set_new(ev, "seats_left", json_null());
	ok(pages_state(ev, NOW) == PAGES_OPEN, "state: unlimited is open");
	json_object_set_new(ev, "registration_opens_at",
	    json_string("2027-02-01T09:00:01+00:00"));
	ok(pages_state(ev, NOW) == PAGES_NOT_YET, "state: a second early");
	json_object_set_new(ev, "registration_opens_at", json_null());
	json_object_set_new(ev, "registration_closes_at",
	    json_string("2027-02-01T09:00:00+00:00"));
	ok(pages_state(ev, NOW) == PAGES_CLOSED,
	    "state: closed at the closing time");
	json_object_set_new(ev, "status", json_string("cancelled"));
	ok(pages_state(ev, NOW) == PAGES_CANCELLED, "state: cancelled first");
	ok(pages_state(ev, NULL) == PAGES_CANCELLED &&
	    pages_state(NULL, NULL) == PAGES_CLOSED, "state: without data");
	json_decref(ev);
}

static void
test_event_redrawn(void)
{
	static const char body[] = "name=%3Cscript%3Ealert('x')%3C%2Fscript%3E"
	    "&email=an%40%40example&organisation=Caf%C3%A9+%26+Co&role="
	    "&organisation_type=sme&postcode=89&enterprise_number=0123.456.789"
	    "&language=en&sessions=digitale-basis&sessions=westhoek";
	struct page_ctx c;
	struct form f;
	json_t *doc = event_doc(event_json()), *errors;
	bool form;
	char *p;
	const char *a, *b;

	memset(&f, 0, sizeof(f));
	ok(form_parse(body, strlen(body), &f), "a form as sent");
	errors = json_loads("["
	    "{\"field\": \"email\", \"code\": \"invalid\"},"
	    "{\"field\": \"role\", \"code\": \"required\"},"
	    "{\"field\": \"postcode\", \"code\": \"invalid\"},"
	    "{\"field\": \"enterprise_number\", "
	    "\"code\": \"invalid\"},"
	    "{\"field\": \"sessions\", \"code\": \"overlap\"},"
	    "{\"field\": \"consent\", \"code\": \"consent\"},"
	    "{\"field\": \"Idempotency-Key\", \"code\": \"invalid\"}]",
	    0, NULL);
	ctx_init(&c, LANG_NL);
	c.values = &f;
	c.errors = errors;
	c.notice = pages_notice(LANG_NL, "event-full");
	p = draw_event(&c, doc, &form);
	ok(p != NULL && form, "the form drawn again");
	check_escaped("redrawn form", p);
	ok(has(p, "<title>Fout: Netwerkevent "), "the title says error");
	a = strstr(p, "class=\"error-summary\"");
	b = strstr(p, "<p class=\"crumbs\">");
	ok(a != NULL && b != NULL && a < b, "the summary comes first");
	ok(has(p, "<li>Dit event is intussen volzet en heeft geen wachtlijst."
	    "</li>"), "the notice in the summary");
	a = strstr(p, "href=\"#f-email\"");
	b = strstr(p, "href=\"#f-role\"");
	ok(a != NULL && b != NULL && a < b && (a = strstr(b,
	    "href=\"#f-enterprise_number\"")) != NULL && (b = strstr(a,
	    "href=\"#f-postcode\"")) != NULL && (a = strstr(b,
	    "href=\"#f-sessions-digitale-basis\"")) != NULL && strstr(a,
	    "href=\"#f-consent_privacy\"") != NULL,
	    "the summary links each field in the order of the form");
	ok(has(p, "id=\"f-email-error\"") && has(p, "id=\"f-email\" "
	    "name=\"email\" value=\"an@@example\"") && has(p,
	    "aria-describedby=\"f-email-hint f-email-error\" "
	    "aria-invalid=\"true\""), "the e-mail's message beside it, tied");
	ok(has(p, "<select id=\"f-role\" name=\"role\" required "
	    "aria-describedby=\"f-role-error\" aria-invalid=\"true\">"),
	    "the role's message tied to its select");
	ok(has(p, "id=\"f-sessions-error\"") && has(p,
	    "aria-describedby=\"f-sessions-hint f-sessions-error\""),
	    "the sessions' message tied to their fieldset");
	ok(has(p, "id=\"f-consent_privacy-error\""), "consent's message");
	ok(has(p, "value=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\""),
	    "the name kept, escaped");
	ok(has(p, "value=\"Café &amp; Co\""), "the organisation kept");
	ok(has(p, "value=\"89\"") && has(p, "value=\"0123.456.789\""),
	    "the postcode and enterprise number kept");
	ok(has(p, "<option value=\"sme\" selected>") &&
	    has(p, "<option value=\"en\" selected>") &&
	    has(p, "<option value=\"\" selected>"), "the choices kept");
	ok(has(p, "value=\"digitale-basis\" checked>") &&
	    has(p, "value=\"westhoek\" checked>"), "the sessions kept");
	ok(!has(p, "name=\"consent_privacy\" value=\"on\" checked"),
	    "consent stays unticked");
	ok(count(p, "<li>") >= 8, "an error without a field of the form is "
	    "listed too");
	free(p);

	/* English */
	ctx_init(&c, LANG_EN);
	c.values = &f;
	c.errors = errors;
	p = draw_event(&c, doc, &form);
	ok(has(p, "<title>Error: Netwerkevent "), "English error title");
	ok(has(p, "There is a problem"), "English summary");
	ok(has(p, "Enter a valid e-mail address, like an@example.be."),
	    "English field message");
	free(p);

	/* no errors at all: no summary */
	json_decref(errors);
	errors = json_array();
	ctx_init(&c, LANG_NL);
	c.values = &f;
	c.errors = errors;
	p = draw_event(&c, doc, &form);
	ok(!has(p, "error-summary") && !has(p, "<title>Fout"),
	    "an empty error list is no error");
	free(p);
	json_decref(errors);
	form_free(&f);
	json_decref(doc);
}

static void
test_index(void)
{
	struct page_ctx c;
	struct html h;
	json_t *doc, *ev2;

	ev2 = event_json();
	json_object_set_new(ev2, "slug", json_string("kmo-info"));
	json_object_set_new(ev2, "kind", json_string("sme-info-session"));
	doc = json_pack("{s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}], "
	    "s:[o, o]}", "now", NOW, "kinds", "slug", "network-event", "nl",
	    "Netwerkevents " HOSTILE, "en", "Network events", "slug",
	    "sme-info-session", "nl", "Infosessies", "en", "Info sessions",
	    "events", event_json(), ev2);
	ctx_init(&c, LANG_NL);
	c.lq = "?lang=nl";
	html_init(&h);
	pages_index(&h, &c, doc);
	ok(html_ok(&h), "the index draws");
	check_escaped("index", html_str(&h));
	ok(has(html_str(&h), "<h2 id=\"kind-network-event\">Netwerkevents "
	    HOSTILE_ESC "</h2>"), "grouped by kind, its name escaped");
	ok(has(html_str(&h), "<h2 id=\"kind-sme-info-session\">Infosessies"),
	    "a group per kind");
	ok(has(html_str(&h), "<a href=\"/events/kmo-info?lang=nl\" "
	    "lang=\"nl\">"), "links keep the chosen language");
	ok(!has(html_str(&h), "<form"), "no form");
	html_free(&h);
	json_decref(doc);

	doc = json_pack("{s:s, s:[], s:[]}", "now", NOW, "kinds", "events");
	ctx_init(&c, LANG_EN);
	html_init(&h);
	pages_index(&h, &c, doc);
	ok(has(html_str(&h), "There are no events planned at the moment."),
	    "no events: says so");
	html_free(&h);
	json_decref(doc);
}

/* sql_web_registration's document; status of the registration. */
static json_t *
registration_doc(const char *status, json_t *ev)
{
	json_t *reg = json_loads("{\"status\": \"confirmed\", "
	    "\"waitlist_position\": null, \"name\": \"An " HOSTILE_J "\", "
	    "\"email\": \"an+" HOSTILE_J "@example.be\", \"organisation\": "
	    "\"Bakkerij " HOSTILE_J "\", \"role\": \"employer\", "
	    "\"organisation_type\": \"sme\", \"enterprise_number\": "
	    "\"0123456749\", \"postcode\": \"8900\", \"language\": \"nl\", "
	    "\"sessions\": [{\"slug\": \"digitale-basis\", \"title\": "
	    "\"Sessie " HOSTILE_J "\", \"starts_at\": "
	    "\"2027-03-18T14:30:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T15:30:00+01:00\", \"status\": \"waitlisted\"}]}",
	    0, NULL);

	json_object_set_new(reg, "status", json_string(status));
	if (strcmp(status, "waitlisted") == 0)
		json_object_set_new(reg, "waitlist_position", json_integer(3));
	return json_pack("{s:s, s:o, s:o}", "now", NOW, "registration", reg,
	    "event", ev);
}

static char *
draw_registration(const struct page_ctx *c, json_t *doc, bool *form)
{
	struct html h;
	char *s;

	html_init(&h);
	*form = pages_registration(&h, c, doc, TOKEN);
	s = html_ok(&h) ? strdup(html_str(&h)) : NULL;
	html_free(&h);
	return s;
}

static void
test_registration(void)
{
	struct page_ctx c;
	json_t *doc, *ev;
	bool form;
	char *p;

	doc = registration_doc("confirmed", event_json());
	ctx_init(&c, LANG_NL);
	p = draw_registration(&c, doc, &form);
	ok(p != NULL && form, "a confirmed registration, with its cancel form");
	check_escaped("registration", p);
	ok(count(p, HOSTILE_ESC) >= 5, "name, e-mail, organisation, session "
	    "and event are there, escaped (%d)", count(p, HOSTILE_ESC));
	ok(has(p, "Je bent ingeschreven."), "confirmed");
	ok(has(p, "<meta name=\"robots\" content=\"noindex, nofollow\">"),
	    "not indexed");
	ok(has(p, "<a href=\"/r/" TOKEN "?lang=en\""),
	    "the language switch names the page itself");
	ok(has(p, "<a href=\"webcal://leerkans.example.be/feeds/personal/"
	    TOKEN ".ics\">") && has(p, "<a href=\"https://leerkans.example.be"
	    "/feeds/personal/" TOKEN ".ics\">"), "calendar links from "
	    "public_url");
	ok(has(p, "<form method=\"post\" action=\"/r/" TOKEN "/cancel\">") &&
	    has(p, "name=\"csrf\" value=\"" CSRF "\""),
	    "the cancel form with its token");
	ok(has(p, "0123.456.749"), "the enterprise number written out");
	ok(has(p, "Op de wachtlijst</td>"), "a session's own status");
	ok(has(p, "<dd>Werkgever</dd>") || has(p, "<dd>Werkgever"),
	    "the role by its name");
	free(p);
	c.csrf = NULL;
	p = draw_registration(&c, doc, &form);
	ok(p == NULL, "a cancel form without a token does not draw");
	json_decref(doc);

	doc = registration_doc("waitlisted", event_json());
	ctx_init(&c, LANG_EN);
	p = draw_registration(&c, doc, &form);
	ok(has(p, "You are on the waiting list, at place 3."),
	    "waitlisted, with the place");
	ok(form, "a waitlisted registration can be cancelled");
	free(p);
	json_decref(doc);

	doc = registration_doc("cancelled", event_json());
	ctx_init(&c, LANG_NL);
	p = draw_registration(&c, doc, &form);
	ok(p != NULL && !form, "a cancelled registration: no form");
	ok(!has(p, "<form") && !has(p, "/cancel") && !has(p, CSRF),
	    "no cancel form, no token");
	ok(has(p, "Deze inschrijving is geannuleerd."), "says it is cancelled");
	ok(!has(p, "@example.be") && !has(p, "webcal://"),
	    "no details and no calendar links any more");
	free(p);
	json_decref(doc);

	ev = event_json();
	json_object_set_new(ev, "status", json_string("cancelled"));
	doc = registration_doc("confirmed", ev);
	p = draw_registration(&c, doc, &form);
	ok(!form && !has(p, "<form"), "the event cancelled: no form");
	ok(has(p, "Het event werd geannuleerd en gaat niet door."),
	    "says the event was cancelled");
	free(p);
	json_decref(doc);

	ev = event_json();
	json_object_set_new(ev, "ends_at",
	    json_string("2027-01-01T10:00:00+01:00"));
	doc = registration_doc("confirmed", ev);
	p = draw_registration(&c, doc, &form);
	ok(!form && !has(p, "<form"), "the event over: no form");
	free(p);
	json_decref(doc);
}

static char *
draw_error(enum lang lang, const char *lq, int status, const char *path,
    const char *param)
{
	struct page_ctx c;
	struct html h;
	char *s;

	ctx_init(&c, lang);
	c.lq = lq;
	html_init(&h);
	page_error(&h, &c, status, path, param);
	s = html_ok(&h) ? strdup(html_str(&h)) : NULL;
	html_free(&h);
	return s;
}

static void
test_errors(void)
{
	char *p;

	p = draw_error(LANG_NL, "", 404, "/events/x<y", "x<y");
	ok(has(p, "<h1>Niet gevonden</h1>"), "404");
	ok(!has(p, "Terug") && !has(p, "noindex"), "no way back from a 404");
	ok(has(p, "<a href=\"/\">Naar alle activiteiten</a>"), "home");
	free(p);

	p = draw_error(LANG_NL, "", 404, "/r/" TOKEN, TOKEN);
	ok(has(p, "Deze inschrijving vinden we niet."), "404 of a token");
	ok(has(p, "noindex"), "not indexed");
	free(p);

	p = draw_error(LANG_EN, "?lang=en", 409,
	    "/events/netwerkevent-2027/register", "netwerkevent-2027");
	ok(has(p, "<html lang=\"en\">") && has(p, "Not possible (any more)"),
	    "409 in English");
	ok(has(p, "<a href=\"/events/netwerkevent-2027?lang=en\">Back</a>"),
	    "back to the form's page, in the language chosen");
	free(p);

	p = draw_error(LANG_NL, "", 403, "/r/" TOKEN "/cancel", TOKEN);
	ok(has(p, "Dit formulier kon niet verstuurd worden") &&
	    has(p, "<a href=\"/r/" TOKEN "\">Terug</a>"), "403 back to /r/");
	free(p);

	p = draw_error(LANG_NL, "", 418, "/events/<b>/register", "<b>");
	ok(!has(p, "Terug") && !has(p, "<b>"), "no way back to a bad slug");
	ok(has(p, "Er ging iets mis"), "a status without words of its own");
	free(p);

	/* a form posted with a query parameter it does not take */
	p = draw_error(LANG_EN, "?lang=en", 422, "/events/netwerkevent-2027/"
	    "register", "netwerkevent-2027");
	ok(has(p, "We cannot accept that") && has(p, "<a href=\"/events/"
	    "netwerkevent-2027?lang=en\">Back</a>"), "422: its words, and back");
	free(p);

	p = draw_error(LANG_EN, "", 503, "", NULL);
	ok(has(p, "Temporarily unavailable"), "503, a request with no path");
	free(p);

	ok(page_secret("/r/abc") && !page_secret("/events/x") &&
	    !page_secret(NULL), "pages with a token are secret");
	ok(pages_notice(LANG_EN, "registration-closed") != NULL &&
	    pages_notice(LANG_NL, "validation-failed") == NULL &&
	    pages_notice(LANG_NL, NULL) == NULL, "notices for refusals "
	    "without fields");
	ok(strlen(page_css_etag()) == 18 && page_css_etag()[0] == '"',
	    "the style sheet's tag");
}

int
main(void)
{
	test_event_open();
	test_event_english();
	test_event_states();
	test_event_redrawn();
	test_index();
	test_registration();
	test_errors();
	return done_testing();
}
