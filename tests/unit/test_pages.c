/*
 * test_pages.c - the public pages' renderers (render/pages.c) and the
 * frame and error pages (render/page.c), from JSON documents built here
 * as the SQL statements answer them: every user value escaped, both
 * languages, the registration form in every state and drawn again with
 * its errors beside the fields and the values kept, the registrant's
 * page confirmed, waitlisted and cancelled; the time slots of parallel
 * sessions and their radio groups, the price, the map link, the head
 * for search engines and link previews, the cancel confirmation, the
 * footer, the privacy notice and the accessibility statement.
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
#include "render/statements.h"
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
	    "\"online_url\": null, \"price_text\": null, \"capacity\": 30,"
	    "\"waitlist\": true,"
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

/* who is behind the pages, as the settings give it (with a hostile
 * value where an operator could put one) */
static const struct page_site site = {
	.contact_email = "blijfkennismaken@west-vlaanderen.be",
	.controller_name = "Provincie West-Vlaanderen " HOSTILE,
	.controller_address = "Koning Leopold III-laan 41, 8200 Brugge",
	.privacy_contact = "dpo@west-vlaanderen.be",
	.retention_months = 24,
	.logo_src = NULL,
	.logo_alt = "West-Vlaams Partnerschap Levenslang Leren",
	.logo_raster = false,
};

static void
ctx_init(struct page_ctx *c, enum lang lang)
{
	memset(c, 0, sizeof(*c));
	c->lang = lang;
	c->lq = "";
	c->public_url = "https://leerkans.example.be";
	c->site = &site;
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

/* The Dutch event page redrawn with the values of f and these errors
 * (a JSON array's text). */
static char *
draw_refused(json_t *doc, struct form *f, const char *errors_text)
{
	struct page_ctx c;
	json_t *errors = json_loads(errors_text, 0, NULL);
	char *s;

	ctx_init(&c, LANG_NL);
	c.values = f;
	c.errors = errors;
	s = draw_event(&c, doc, NULL);
	json_decref(errors);
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

#define LD_OPEN	"<script type=\"application/ld+json\">"

/*
 * Nothing of HOSTILE got through unescaped: no tag of its own.  The
 * one script element a page may have is its JSON-LD, whose text is
 * JSON with every < written \u003c.
 */
static void
check_escaped(const char *name, const char *page)
{
	const char *a = page != NULL ? strstr(page, LD_OPEN) : NULL, *b;
	char *rest = page != NULL ? strdup(page) : NULL;
	bool ld_ok = true;

	/* the JSON-LD's text holds no markup character at all */
	if (a != NULL && rest != NULL && (b = strstr(a, "</script>")) != NULL) {
		a += strlen(LD_OPEN);
		ld_ok = strcspn(a, "<>&") == (size_t)(b - a);
		memmove(rest + (a - page), rest + (b - page), strlen(b) + 1);
	}
	ok(rest != NULL && ld_ok && count(rest, "<script") ==
	    count(rest, LD_OPEN) && count(rest, "</script>") ==
	    count(rest, LD_OPEN) && !has(rest, "<b>") &&
	    !has(rest, "alert('x')") && !has(rest, "Zaal <3>"),
	    "%s: every value escaped", name);
	free(rest);
}

/* The JSON-LD of a page, parsed (NULL when there is none). */
static json_t *
jsonld_of(const char *page)
{
	const char *a = page != NULL ? strstr(page, LD_OPEN) : NULL, *b;

	if (a == NULL || (b = strstr(a, "</script>")) == NULL)
		return NULL;
	a += strlen(LD_OPEN);
	return json_loadb(a, (size_t)(b - a), 0, NULL);
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
	ok(has(p, "<label for=\"f-given_name\">Voornaam</label>") &&
	    has(p, "<input type=\"text\" id=\"f-given_name\" "
	    "name=\"given_name\" value=\"\" class=\"\" "
	    "autocomplete=\"given-name\""), "the given name, labelled, "
	    "for autofill");
	ok(has(p, "<label for=\"f-family_name\">Familienaam</label>") &&
	    has(p, "<input type=\"text\" id=\"f-family_name\" "
	    "name=\"family_name\" value=\"\" class=\"\" "
	    "autocomplete=\"family-name\""), "the family name, labelled, "
	    "for autofill");
	ok(!has(p, "name=\"name\""), "no field for the whole name");
	ok(strstr(p, "id=\"f-given_name\"") < strstr(p,
	    "id=\"f-family_name\"") && strstr(p, "id=\"f-family_name\"") <
	    strstr(p, "id=\"f-email\""), "given name, family name, e-mail");
	ok(has(p, "Nog 12 plaatsen vrij"), "seats left");
	ok(has(p, "Volzet: je komt op de wachtlijst van deze sessie"),
	    "a full session says so");
	ok(has(p, "donderdag 18 maart 2027, 13:30"), "the date in Dutch");
	ok(has(p, "<p>Eerste alinea ") && has(p, "<p>Tweede alinea.</p>"),
	    "a blank line starts a paragraph");
	ok(has(p, "value=\"digitale-basis\" aria-describedby=") &&
	    !has(p, " checked"), "a fresh form has nothing chosen");
	ok(has(p, "<dt>Prijs</dt>\n<dd>Gratis</dd>"), "free, said so");
	ok(has(p, "<a class=\"map\" href=\"https://www.openstreetmap.org/"
	    "search?query=Markt%201%20%3Cscript%3Ealert%28%27x%27%29%3C%2F"
	    "script%3E%20%22Q%22%20%26%20%3Cb%3EZ%3C%2Fb%3E%2C%208900%20Ieper"
	    "%20%3Cscript%3E"), "the venue on OpenStreetMap, by its address, "
	    "URL-encoded");
	ok(count(p, "Leerecosysteem") == 1 + 1,
	    "the programme once (and once in the JSON-LD)");
	ok(has(p, "<a href=\"#programma\">2 sessies</a>: kies ze in het "
	    "formulier"), "the programme as a fact, pointing to the form");
	ok(has(p, "<div class=\"field programme\" id=\"programma\">") &&
	    !has(p, "<section id=\"programma\""), "the programme is in the "
	    "form, not above it too");
	ok(has(p, "aria-describedby=\"f-consent_privacy-hint\"") &&
	    has(p, "<a href=\"/privacy\" target=\"_blank\" "
	    "rel=\"noopener\">lees de privacyverklaring (opent in een nieuw "
	    "tabblad)</a>"), "the consent box points to the privacy notice");
	ok(has(p, "<link rel=\"canonical\" href=\"https://leerkans.example.be"
	    "/events/netwerkevent-2027\">") && has(p, "<link rel=\"alternate\" "
	    "hreflang=\"en\" href=\"https://leerkans.example.be/events/"
	    "netwerkevent-2027?lang=en\">"), "canonical, and the other "
	    "language");
	ok(has(p, "<meta property=\"og:url\" content=\"https://leerkans."
	    "example.be/events/netwerkevent-2027\">") && has(p, "<meta "
	    "property=\"og:locale\" content=\"nl_BE\">") && has(p, "<meta "
	    "property=\"og:title\" content=\"Netwerkevent " HOSTILE_ESC "\">"),
	    "Open Graph");
	ok(has(p, "<meta name=\"description\" content=\"Eerste alinea "
	    HOSTILE_ESC ".\">"), "the description: the first paragraph");
	ok(!has(p, "og:image"), "no image without a logo");
	ok(has(p, "<a href=\"mailto:blijfkennismaken@west-vlaanderen.be\">") &&
	    has(p, "<a href=\"/privacy\">Privacyverklaring</a>") &&
	    has(p, "<a href=\"/accessibility\">Toegankelijkheidsverklaring"
	    "</a>"), "the footer: contact and both statements");
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
	ok(has(p, "value=\"digitale-basis\" checked aria-describedby=") &&
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

	/* a form drawn before names had two parts: its whole name goes to
	 * the given name's field, and so does an error about it */
	p = draw_refused(doc, &f, "[{\"field\": \"name\", \"code\": "
	    "\"too-long\"}, {\"field\": \"email\", \"code\": "
	    "\"invalid\"}]");
	ok(has(p, "<li><a href=\"#f-given_name\">Je naam mag hoogstens 200 "
	    "tekens tellen.</a></li>") && count(p, "200 tekens") == 2,
	    "the whole name's error: in the summary, linked once, and beside "
	    "the given name");
	ok(has(p, "id=\"f-given_name\" name=\"given_name\" value=\"&lt;"
	    "script&gt;"), "the whole name kept in the given name's field");
	ok(has(p, "id=\"f-family_name\" name=\"family_name\" value=\"\""),
	    "the family name empty");
	free(p);
	form_free(&f);

	/* the two parts: kept, and each error beside its own field */
	ok(form_parse("given_name=%C3%89liane&family_name=+&email=e%40x.be",
	    strlen("given_name=%C3%89liane&family_name=+&email=e%40x.be"),
	    &f), "a form with the name in two parts");
	p = draw_refused(doc, &f, "[{\"field\": \"family_name\", "
	    "\"code\": \"required\"}]");
	ok(has(p, "<li><a href=\"#f-family_name\">Vul je familienaam in."
	    "</a></li>") && has(p, "id=\"f-family_name-error\""),
	    "the family name's error, linked and beside it");
	ok(has(p, "name=\"given_name\" value=\"\xc3\x89liane\"") &&
	    has(p, "name=\"family_name\" value=\" \""), "both parts kept");
	ok(!has(p, "id=\"f-given_name-error\""), "the given name is fine");
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
	    "\"given_name\": \"An\", \"family_name\": \"" HOSTILE_J "\", "
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
	return json_pack("{s:s, s:o, s:o, s:s}", "now", NOW, "registration",
	    reg, "event", ev, "checkin_code", "AbCdEfGhIjKlMnOpQrStUv-_");
}

typedef bool (*token_page)(struct html *, const struct page_ctx *,
    const json_t *, const char *);

/* A page of the registration behind TOKEN, drawn by draw, as text. */
static char *
draw_token_page(token_page draw, const struct page_ctx *c, json_t *doc,
    bool *form)
{
	struct html h;
	char *s;

	html_init(&h);
	*form = draw(&h, c, doc, TOKEN);
	s = html_ok(&h) ? strdup(html_str(&h)) : NULL;
	html_free(&h);
	return s;
}

static char *
draw_registration(const struct page_ctx *c, json_t *doc, bool *form)
{
	return draw_token_page(pages_registration, c, doc, form);
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
	ok(p != NULL && !form, "a confirmed registration: no form of its own");
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
	ok(has(p, "<a class=\"button warning\" href=\"/r/" TOKEN "/cancel\">"
	    "Inschrijving annuleren</a>") && !has(p, "<form") && !has(p, CSRF),
	    "cancelling is a link to its confirmation, no form here");
	ok(has(p, "<dt>Naam</dt>\n<dd>An " HOSTILE_ESC "</dd>"),
	    "the name, its two parts joined, given name first");
	ok(has(p, "0123.456.749"), "the enterprise number written out");
	ok(has(p, "Op de wachtlijst</td>"), "a session's own status");
	ok(has(p, "<dd>Werkgever</dd>") || has(p, "<dd>Werkgever"),
	    "the role by its name");
	ok(has(p, "<a class=\"map\" href=\"https://www.openstreetmap.org/"),
	    "the venue on the map");
	ok(has(p, "<h2 id=\"h-qr\">Aan de deur</h2>") && has(p, "<svg xmlns="
	    "\"http://www.w3.org/2000/svg\" class=\"qr\"") &&
	    has(p, "<title>QR-code om in te checken</title>"),
	    "the check-in code as a QR code, with its text alternative");
	free(p);
	c.csrf = NULL;
	p = draw_registration(&c, doc, &form);
	ok(p != NULL, "without a CSRF token the page draws: it has no form");
	free(p);
	json_decref(doc);

	doc = registration_doc("waitlisted", event_json());
	ctx_init(&c, LANG_NL);
	p = draw_registration(&c, doc, &form);
	ok(!has(p, "class=\"qr\""), "no QR code for the waiting list");
	ok(has(p, "<strong>Je staat op plaats 3 van de wachtlijst.</strong> "
	    "Komt er een plaats vrij, dan krijg je een e-mail."),
	    "waitlisted: the place, and the mail that will come");
	ok(has(p, "href=\"/r/" TOKEN "/cancel\""),
	    "a waitlisted registration can be cancelled");
	free(p);
	ctx_init(&c, LANG_EN);
	p = draw_registration(&c, doc, &form);
	ok(has(p, "You are number 3 on the waiting list.") &&
	    has(p, "When a place comes free, you will get an e-mail."),
	    "the same in English");
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
	ok(has(p, "Kan je toch komen? Er zijn nog plaatsen vrij. <a href=\""
	    "/events/netwerkevent-2027#inschrijven\">Schrijf je opnieuw in"
	    "</a>"), "seats left: an offer to register again");
	free(p);
	json_decref(doc);

	/* no seats left, or closed: no such offer */
	ev = event_json();
	json_object_set_new(ev, "seats_left", json_integer(0));
	doc = registration_doc("cancelled", ev);
	p = draw_registration(&c, doc, &form);
	ok(p != NULL && !has(p, "opnieuw in"), "full: no offer to register "
	    "again");
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


/* -- time slots ---------------------------------------------------------- */

/* sessions from "HH:MM-HH:MM" pairs on 18 March 2027, slugs s0, s1, ... */
static json_t *
sessions_at(const char *const *spans, size_t n)
{
	json_t *a = json_array(), *s;
	char start[40], end[40], slug[16], title[32];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(start, sizeof(start), "2027-03-18T%.5s:00+01:00",
		    spans[i]);
		snprintf(end, sizeof(end), "2027-03-18T%.5s:00+01:00",
		    spans[i] + 6);
		snprintf(slug, sizeof(slug), "s%zu", i);
		snprintf(title, sizeof(title), "Sessie %zu", i);
		s = json_pack("{s:s, s:s, s:s, s:s, s:s, s:n, s:n, s:n}",
		    "slug", slug, "title", title, "starts_at", start,
		    "ends_at", end, "description", "", "room", "capacity",
		    "seats_left");
		json_array_append_new(a, s);
	}
	return a;
}

/* The slots of spans as text: "0 0 1 2" */
static void
slots_of(const char *const *spans, size_t n, char *out, size_t outlen,
    size_t *nslots)
{
	json_t *a = sessions_at(spans, n);
	size_t slot[16], i, o = 0;

	*nslots = pages_time_slots(a, slot, n);
	out[0] = '\0';
	for (i = 0; i < n && o + 4 < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%s%zu", i ? " " : "",
		    slot[i]);
	json_decref(a);
}

static void
test_time_slots(void)
{
	static const char *const chain[] = { "14:00-15:00", "14:30-15:30",
	    "15:15-16:00", "16:00-17:00" };
	static const char *const same[] = { "14:00-15:00", "14:00-15:00",
	    "14:00-15:00" };
	static const char *const apart[] = { "10:00-11:00", "11:00-12:00",
	    "13:00-14:00" };
	static const char *const inside[] = { "10:00-16:00", "11:00-12:00",
	    "13:00-14:00", "16:30-17:00" };
	static const char *const unsorted[] = { "16:00-17:00", "14:00-15:00",
	    "14:30-15:30" };
	json_t *a;
	size_t slot[4], k;
	char text[64];

	slots_of(chain, 4, text, sizeof(text), &k);
	is_str(text, "0 0 0 1", "a chain of overlaps is one slot; touching "
	    "at 16:00 is not an overlap");
	ok(k == 2, "two slots in the chain");
	slots_of(same, 3, text, sizeof(text), &k);
	is_str(text, "0 0 0", "identical times: one slot");
	slots_of(apart, 3, text, sizeof(text), &k);
	ok(k == 3, "no overlap: a slot each (%s)", text);
	slots_of(inside, 4, text, sizeof(text), &k);
	is_str(text, "0 0 0 1", "a long session joins what lies inside it");
	slots_of(unsorted, 3, text, sizeof(text), &k);
	is_str(text, "1 0 0", "numbered by start, whatever the order given");
	ok(pages_time_slots(NULL, slot, 4) == 0, "no sessions, no slots");
	a = sessions_at(apart, 2);
	json_object_set_new(json_array_get(a, 0), "starts_at",
	    json_string("soon"));
	k = pages_time_slots(a, slot, 2);
	ok(k == 2 && slot[1] == 0 && slot[0] == 1, "a session without times "
	    "is a slot of its own, last");
	json_decref(a);
}

/* The event page with sessions at spans, as a fresh or redrawn form. */
static char *
event_with_sessions(const char *const *spans, size_t n, const char *body,
    enum lang lang, bool *form)
{
	struct page_ctx c;
	struct form f;
	json_t *ev = event_json(), *doc;
	char *p;

	json_object_set_new(ev, "sessions", sessions_at(spans, n));
	doc = event_doc(ev);
	ctx_init(&c, lang);
	memset(&f, 0, sizeof(f));
	if (body != NULL) {
		if (!form_parse(body, strlen(body), &f))
			abort();
		c.values = &f;
	}
	p = draw_event(&c, doc, form);
	form_free(&f);
	json_decref(doc);
	return p;
}

static void
test_time_slot_form(void)
{
	static const char *const spans[] = { "14:30-15:45", "14:30-15:45",
	    "15:00-16:00", "16:00-17:00", "16:00-17:00" };
	const char *a, *b;
	bool form;
	char *p;

	p = event_with_sessions(spans, 5, NULL, LANG_NL, &form);
	ok(p != NULL && form, "an event with parallel sessions draws");
	ok(count(p, "<fieldset class=\"slot\">") == 2, "two slots of several "
	    "sessions: two radio groups");
	ok(count(p, "type=\"radio\" id=\"f-sessions-s") == 5 &&
	    !has(p, "type=\"checkbox\" id=\"f-sessions-"), "every session in "
	    "them a radio button");
	ok(count(p, "name=\"sessions.1\"") == 4 &&
	    count(p, "name=\"sessions.2\"") == 3, "one name per group: "
	    "browsers group radio buttons by name");
	ok(has(p, "<input type=\"radio\" id=\"f-slot-1-none\" name=\"sessions.1\""
	    " value=\"\" checked>\n<label for=\"f-slot-1-none\">Geen sessie in "
	    "dit tijdslot</label>"), "\"none\" first, chosen by default");
	ok(has(p, "<legend><time datetime=\"2027-03-18T14:30:00+01:00\">"
	    "14:30\xe2\x80\x93" "16:00</time> <span class=\"slot-note\">kies "
	    "\xc3\xa9\xc3\xa9n sessie</span></legend>"),
	    "the slot's legend: from its first start to its last end");
	a = strstr(p, "id=\"f-slot-1-none\"");
	b = strstr(p, "id=\"f-slot-2-none\"");
	ok(a != NULL && b != NULL && a < b && strstr(a, "id=\"f-sessions-s2\"")
	    < b && strstr(b, "id=\"f-sessions-s3\"") != NULL,
	    "slots in time order, each session in its own");
	ok(count(p, "Sessie 1</strong>") == 1, "each session shown once");
	free(p);

	p = event_with_sessions(spans, 5, NULL, LANG_EN, &form);
	ok(has(p, "No session in this slot") && has(p, "choose one session"),
	    "in English");
	free(p);

	/* drawn again: the choices kept, "none" only where none was */
	p = event_with_sessions(spans, 5, "sessions.2=s4&sessions.1=", LANG_NL,
	    &form);
	ok(has(p, "id=\"f-slot-1-none\" name=\"sessions.1\" value=\"\" "
	    "checked>") && has(p, "id=\"f-slot-2-none\" name=\"sessions.2\" "
	    "value=\"\">") && has(p, "value=\"s4\" checked>"),
	    "a choice in a slot is kept; none stays chosen elsewhere");
	free(p);

	/* a single session and a pair: a checkbox and a group */
	p = event_with_sessions(spans + 2, 3, "sessions=s0", LANG_NL, &form);
	ok(has(p, "<input type=\"checkbox\" id=\"f-sessions-s0\" "
	    "name=\"sessions\" value=\"s0\" checked>"),
	    "a slot of one session is a checkbox, kept when chosen");
	ok(count(p, "type=\"radio\"") == 3, "the pair a radio group with none");
	free(p);
}

static void
test_programme_without_form(void)
{
	static const char *const spans[] = { "14:30-15:45", "14:30-15:45",
	    "16:00-17:00" };
	json_t *ev = event_json(), *doc;
	struct page_ctx c;
	bool form;
	char *p;

	json_object_set_new(ev, "sessions", sessions_at(spans, 3));
	json_object_set_new(ev, "registration_closes_at",
	    json_string("2027-01-31T23:59:00+01:00"));
	json_object_set_new(ev, "price_text",
	    json_string("\xe2\x82\xac 25, lunch " HOSTILE));
	doc = event_doc(ev);
	ctx_init(&c, LANG_NL);
	p = draw_event(&c, doc, &form);
	ok(!form && has(p, "<section id=\"programma\" aria-labelledby=\""
	    "programma-title\">\n<h2 id=\"programma-title\">Programma</h2>"),
	    "closed: the programme as a list");
	ok(count(p, "<div class=\"slot\">") == 2 && has(p, "<span class=\""
	    "slot-note\">sessies tegelijk</span>"), "by time slot");
	ok(!has(p, "type=\"radio\"") && !has(p, "type=\"checkbox\""),
	    "no controls");
	ok(has(p, "<a href=\"#programma\">3 sessies in 2 tijdsloten</a></dd>"),
	    "the fact: sessions and slots");
	ok(has(p, "<dt>Prijs</dt>\n<dd lang=\"nl\">\xe2\x82\xac 25, lunch "
	    HOSTILE_ESC "</dd>"), "the price text instead of free, escaped");
	free(p);
	json_decref(doc);
}

/* -- the head: JSON-LD, Open Graph ------------------------------------- */

static void
test_event_head(void)
{
	struct page_ctx c;
	struct page_site logo = site;
	json_t *ev = event_json(), *doc, *ld, *o;
	char *p;

	/* a title that tries to end the script element */
	json_object_set_new(ev, "title",
	    json_string("Einde</script><script>alert(1)</script><!--"));
	doc = event_doc(ev);
	ctx_init(&c, LANG_EN);
	logo.logo_src = "/static/logo?v=0123abcd";
	logo.logo_raster = true;
	c.site = &logo;
	p = draw_event(&c, doc, NULL);
	ok(count(p, "<script") == 1 && count(p, "</script>") == 1 &&
	    !has(p, "<!--"), "the JSON-LD cannot be ended or commented by a "
	    "value");
	ld = jsonld_of(p);
	ok(ld != NULL, "the JSON-LD parses");
	is_str(json_string_value(json_object_get(ld, "name")),
	    "Einde</script><script>alert(1)</script><!--",
	    "and reads back as the title");
	is_str(json_string_value(json_object_get(ld, "url")),
	    "https://leerkans.example.be/events/netwerkevent-2027?lang=en",
	    "its url: the English page's");
	o = json_object_get(ld, "image");
	ok(json_is_array(o) && json_array_size(o) == 1 &&
	    strcmp(json_string_value(json_array_get(o, 0)),
	    "https://leerkans.example.be/static/logo?v=0123abcd") == 0,
	    "the logo as its image");
	ok(has(p, "<meta property=\"og:image\" content=\"https://leerkans."
	    "example.be/static/logo?v=0123abcd\">") && has(p, "<meta property="
	    "\"og:locale\" content=\"en_GB\">") && has(p, "<img src=\"/static/"
	    "logo?v=0123abcd\" alt=\"West-Vlaams Partnerschap Levenslang "
	    "Leren\">"), "a raster logo: og:image, and in the footer with its "
	    "alt text");
	json_decref(ld);
	free(p);

	logo.logo_raster = false;	/* SVG: no preview image */
	p = draw_event(&c, doc, NULL);
	ok(!has(p, "og:image") && has(p, "<img src=\"/static/logo"),
	    "an SVG logo: in the footer, not as og:image");
	free(p);

	/* an address that does not fit: no page, rather than a wrong one */
	{
		static char longurl[PAGE_ADDRESS_MAX + 16];

		memset(longurl, 'a', sizeof(longurl) - 1);
		memcpy(longurl, "https://", 8);
		ctx_init(&c, LANG_NL);
		c.public_url = longurl;
		p = draw_event(&c, doc, NULL);
		ok(p == NULL, "a public_url too long for an address fails the "
		    "page");
		free(p);
	}
	json_decref(doc);

	/* a long description is cut after a word */
	ev = event_json();
	json_object_set_new(ev, "description", json_string("Woord woord woord "
	    "woord woord woord woord woord woord woord woord woord woord woord "
	    "woord woord woord woord woord woord woord woord woord woord woord "
	    "woord woord woord woord woord woord woord woord woord woord woord "
	    "woord woord woord woord woord woord woord woord woord woord eind"));
	doc = event_doc(ev);
	ctx_init(&c, LANG_NL);
	p = draw_event(&c, doc, NULL);
	ok(has(p, " woord\xe2\x80\xa6\">") && !has(p, "eind\">"),
	    "a long description shortened after a whole word");
	free(p);
	json_decref(doc);
}

/* -- cancelling ------------------------------------------------------------ */

static char *
draw_cancel(const struct page_ctx *c, json_t *doc, bool *form)
{
	return draw_token_page(pages_cancel, c, doc, form);
}

static void
test_cancel(void)
{
	struct page_ctx c;
	json_t *doc, *ev, *reg;
	bool form;
	char *p;

	ev = event_json();
	json_object_set_new(ev, "waitlist_length", json_integer(2));
	json_object_set_new(json_array_get(json_object_get(ev, "sessions"), 0),
	    "waitlist_length", json_integer(0));
	doc = registration_doc("confirmed", ev);
	/* the session held, with people waiting for it */
	reg = json_object_get(doc, "registration");
	json_object_set_new(json_array_get(json_object_get(reg, "sessions"), 0),
	    "status", json_string("confirmed"));
	ctx_init(&c, LANG_NL);
	p = draw_cancel(&c, doc, &form);
	ok(p != NULL && form, "the confirmation draws, with a form");
	check_escaped("cancel", p);
	ok(has(p, "<h1>Wil je je inschrijving annuleren?</h1>"), "it asks");
	ok(has(p, "<form class=\"cancel\" method=\"post\" action=\"/r/" TOKEN
	    "/cancel\">") && has(p, "name=\"csrf\" value=\"" CSRF "\""),
	    "its form posts the cancellation, with the CSRF token");
	ok(has(p, "<button type=\"submit\" class=\"warning\">Ja, annuleer"
	    "</button>") && has(p, "<a href=\"/r/" TOKEN "\">Nee, terug naar "
	    "je inschrijving</a>"), "yes, or a way back");
	ok(has(p, "Netwerkevent " HOSTILE_ESC) && has(p, "donderdag 18 maart "
	    "2027") && has(p, "Sessie " HOSTILE_ESC), "what is cancelled: the "
	    "event, when, the sessions");
	ok(has(p, "Je plaats gaat meteen naar de eerste persoon op de "
	    "wachtlijst."), "who gets the place");
	ok(!has(p, "gaat naar wie op de wachtlijst van die sessie staat"),
	    "a session nobody waits for: nothing said");
	ok(has(p, "noindex"), "not indexed");
	free(p);

	/* the session's waiting list */
	json_object_set_new(json_array_get(json_object_get(json_object_get(doc,
	    "event"), "sessions"), 0), "waitlist_length", json_integer(2));
	ctx_init(&c, LANG_EN);
	c.lq = "?lang=en";
	p = draw_cancel(&c, doc, &form);
	ok(has(p, "Your place in <span lang=\"nl\">Sessie " HOSTILE_ESC
	    "</span> goes to the first on that session's waiting list."),
	    "the session's waiting list, in English");
	ok(has(p, "action=\"/r/" TOKEN "/cancel?lang=en\"") &&
	    has(p, "Yes, cancel"), "the language kept");
	free(p);
	c.csrf = NULL;
	p = draw_cancel(&c, doc, &form);
	ok(p == NULL, "no form without a token: the page fails");
	json_decref(doc);

	doc = registration_doc("waitlisted", event_json());
	ctx_init(&c, LANG_NL);
	p = draw_cancel(&c, doc, &form);
	ok(has(p, "Je staat op de wachtlijst voor:") &&
	    has(p, "Je verlaat de wachtlijst."), "waitlisted: leaves the list");
	free(p);
	json_decref(doc);

	doc = registration_doc("cancelled", event_json());
	p = draw_cancel(&c, doc, &form);
	ok(p != NULL && !form && !has(p, "<form"), "cancelled already: no "
	    "form");
	ok(has(p, "Deze inschrijving is al geannuleerd.") &&
	    has(p, "Schrijf je opnieuw in"), "says so, and offers to register "
	    "again");
	free(p);
	json_decref(doc);

	ev = event_json();
	json_object_set_new(ev, "ends_at",
	    json_string("2027-01-01T10:00:00+01:00"));
	doc = registration_doc("confirmed", ev);
	p = draw_cancel(&c, doc, &form);
	ok(!form && has(p, "Dit event is voorbij."), "over: nothing to cancel");
	free(p);
	json_decref(doc);
}

/* -- the statements -------------------------------------------------------- */

static char *
draw_statement(void (*draw)(struct html *, const struct page_ctx *),
    enum lang lang, const struct page_site *s)
{
	struct page_ctx c;
	struct html h;
	char *p;

	ctx_init(&c, lang);
	c.site = s;
	html_init(&h);
	draw(&h, &c);
	p = html_ok(&h) ? strdup(html_str(&h)) : NULL;
	html_free(&h);
	return p;
}

static void
test_statements(void)
{
	struct page_site other = site;
	char *p;

	p = draw_statement(statements_privacy, LANG_NL, &site);
	ok(p != NULL, "the privacy notice draws");
	check_escaped("privacy", p);
	ok(has(p, "<h1>Privacyverklaring</h1>"), "its title");
	ok(has(p, "Provincie West-Vlaanderen " HOSTILE_ESC "<br>\nKoning "
	    "Leopold III-laan 41, 8200 Brugge"), "the controller and its "
	    "address, from the settings");
	ok(has(p, "<a href=\"mailto:dpo@west-vlaanderen.be\">"), "the data "
	    "protection contact");
	ok(has(p, "<strong class=\"retention\">24 maanden</strong>"),
	    "the retention, from retention_months");
	ok(has(p, "Gegevensbeschermingsautoriteit") && has(p, "Drukpersstraat "
	    "35, 1000 Brussel"), "the right to complain to the Belgian "
	    "authority");
	ok(has(p, "Wissen:") && has(p, "artikel 6.1.a AVG"), "rights, and the "
	    "legal basis");
	ok(has(p, "<link rel=\"canonical\" href=\"https://leerkans.example.be/"
	    "privacy\">") && !has(p, "noindex"), "indexable, canonical");
	free(p);

	other.retention_months = 1;
	p = draw_statement(statements_privacy, LANG_EN, &other);
	ok(has(p, "<strong class=\"retention\">1 month</strong>") &&
	    has(p, "<h1>Privacy notice</h1>") && has(p, "Data Protection "
	    "Authority"), "in English, a retention of one month");
	free(p);
	other.retention_months = 7;
	p = draw_statement(statements_privacy, LANG_NL, &other);
	ok(has(p, "7 maanden"), "another retention, another text");
	free(p);

	p = draw_statement(statements_accessibility, LANG_NL, &site);
	ok(p != NULL && has(p, "<h1>Toegankelijkheidsverklaring</h1>"),
	    "the accessibility statement draws");
	ok(has(p, "WCAG) 2.1, niveau AA") && has(p, "axe-core") &&
	    has(p, "toetsenbord"), "the aim and how it is tested");
	ok(has(p, "Wat nog niet toegankelijk is") && has(p, "Vlaamse "
	    "Ombudsdienst"), "known gaps and where to complain");
	ok(has(p, "<a href=\"mailto:blijfkennismaken@west-vlaanderen.be\">"),
	    "a contact");
	ok(has(p, "<time datetime=\"" STATEMENTS_A11Y_REVIEWED "\">"),
	    "when it was prepared");
	free(p);
	p = draw_statement(statements_accessibility, LANG_EN, &site);
	ok(has(p, "Accessibility statement") && has(p, "partially compliant"),
	    "in English");
	free(p);

	ok(draw_statement(statements_privacy, LANG_NL, NULL) == NULL &&
	    draw_statement(statements_accessibility, LANG_NL, NULL) == NULL,
	    "without the settings, no statement");
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
	test_time_slots();
	test_time_slot_form();
	test_programme_without_form();
	test_event_head();
	test_cancel();
	test_statements();
	return done_testing();
}
