/*
 * test_console.c - the console's renderers (render/console.c), from
 * JSON documents built here as the SQL functions answer them: every
 * page whole in both languages, what each role is shown in the
 * navigation, every value from outside escaped, forms that carry the
 * session's CSRF token (and no page with a form without one), forms
 * drawn again with each message beside its field, the token shown once,
 * the audit log's paging and filter, and the error pages by status and
 * problem.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "input/eventform.h"
#include "input/form.h"
#include "render/console.h"
#include "render/html.h"
#include "tap.h"

#define HOSTILE		"<script>alert('x')</script> \"Q\" & <b>Z</b>"
#define HOSTILE_J	"<script>alert('x')</script> \\\"Q\\\" & <b>Z</b>"
#define HOSTILE_ESC	"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; " \
			"&quot;Q&quot; &amp; &lt;b&gt;Z&lt;/b&gt;"
#define CSRF		"Csrf0123456789Csrf0123456789Csrf0123456789C"
#define SECRET		"Tokn0123456789Tokn0123456789Tokn0123456789T"

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static json_t *
parse(const char *text)
{
	json_t *doc = json_loads(text, 0, NULL);

	if (doc == NULL)
		abort();
	return doc;
}

static void
ctx(struct console_ctx *c, enum lang lang, enum account_role role)
{
	memset(c, 0, sizeof(*c));
	c->page.lang = lang;
	c->page.lq = lang == LANG_EN ? "?lang=en" : "";
	c->page.public_url = "https://leerkans.example";
	c->page.csrf = CSRF;
	c->email = role != ROLE_NONE ? "an" HOSTILE "@pom.be" : NULL;
	c->user_id = 7;
	c->role = role;
}

#define EVENT_LINE(slug, status, title) \
	"{\"slug\": \"" slug "\", \"kind\": \"network-event\"," \
	" \"title\": \"" title "\", \"language\": \"nl\"," \
	" \"status\": \"" status "\"," \
	" \"starts_at\": \"2027-03-18T13:30:00+01:00\"," \
	" \"ends_at\": \"2027-03-18T17:30:00+01:00\", \"city\": \"Ieper\"," \
	" \"online\": false, \"capacity\": 120, \"confirmed\": 87," \
	" \"waitlisted\": 4, \"checked_in\": 12}"

static json_t *
dashboard_doc(void)
{
	return parse("{\"now\": \"2027-03-01T09:00:00+00:00\", \"weeks\": 6,"
	    "\"role\": \"organiser\", \"kinds\": {},"
	    "\"upcoming\": [" EVENT_LINE("netwerkevent-voorjaar", "published",
	    "Netwerkevent " HOSTILE_J) "," EVENT_LINE("infosessie-kmo",
	    "cancelled", "Infosessie KMO") "],"
	    "\"drafts\": [" EVENT_LINE("netwerkevent-najaar", "draft",
	    "Netwerkevent najaar") "],"
	    "\"past\": []}");
}

static void
test_frame_and_nav(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = dashboard_doc();
	const char *s;

	ctx(&c, LANG_NL, ROLE_ADMIN);
	html_init(&h);
	console_dashboard(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "the admin's dashboard is drawn");
	ok(strstr(s, "<html lang=\"nl\">") != NULL && strstr(s,
	    "<a class=\"skip\" href=\"#main\">Naar de inhoud</a>") != NULL &&
	    strstr(s, "<main id=\"main\"") != NULL &&
	    strstr(s, "<footer") != NULL, "lang, skip link, landmarks");
	ok(strstr(s, "noindex") != NULL, "kept out of search engines");
	ok(strstr(s, "West-Vlaams Partnerschap Levenslang Leren") != NULL,
	    "the partnership's name");
	ok(strstr(s, HOSTILE_ESC "@pom.be</strong> (beheerder)") != NULL,
	    "who is logged in, escaped, and the role");
	ok(strstr(s, "<form method=\"post\" action=\"/beheer/logout\">") !=
	    NULL && count(s, "value=\"" CSRF "\"") == 1,
	    "a logout form with the session's token");
	ok(strstr(s, "href=\"/beheer/\" aria-current=\"page\">Overzicht") !=
	    NULL, "the overview is where one is");
	ok(strstr(s, ">Beheer</a>") != NULL, "an admin sees Beheer");
	ok(strstr(s, "href=\"/beheer/events\"") == NULL,
	    "pages not built yet are not linked");
	ok(strstr(s, "href=\"/beheer/deur\" aria-current=\"false\">Deur<")
	    != NULL && strstr(s, "href=\"/beheer/teller\" aria-current="
	    "\"false\">De teller loopt<") != NULL,
	    "the door and De teller loopt are linked");
	ok(strstr(s, "<script") == NULL && strstr(s, HOSTILE_ESC) != NULL,
	    "an event's title is escaped");
	ok(strstr(s, "<caption id=\"upcoming\">") != NULL && strstr(s,
	    "role=\"region\" aria-labelledby=\"upcoming\" tabindex=\"0\"") !=
	    NULL && strstr(s, "<th scope=\"col\">Activiteit</th>") != NULL &&
	    strstr(s, "<th scope=\"row\" lang=\"nl\"><a href=\"/beheer/events/"
	    "netwerkevent-voorjaar\">") != NULL,
	    "tables with captions, th scope, a focusable scroll region");
	ok(strstr(s, "87 / 120") != NULL && strstr(s, ">4</td>") != NULL &&
	    strstr(s, ">12</td>") != NULL, "confirmed/capacity, waiting list, "
	    "checked in");
	ok(strstr(s, "badge-cancelled\">Geannuleerd") != NULL &&
	    strstr(s, ">Ontwerp<") != NULL, "statuses");
	ok(strstr(s, "id=\"h-drafts\"") != NULL && strstr(s,
	    "Geen activiteiten in de laatste weken.") != NULL,
	    "drafts apart; no past events said so");
	html_free(&h);

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	console_dashboard(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, ">Beheer</a>") == NULL &&
	    strstr(s, "(organisator)") != NULL,
	    "an organiser does not see Beheer");
	html_free(&h);

	ctx(&c, LANG_EN, ROLE_ORGANISER);
	html_init(&h);
	console_dashboard(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<html lang=\"en\">") != NULL &&
	    strstr(s, ">Upcoming events<") != NULL && strstr(s,
	    "href=\"/beheer/events/netwerkevent-voorjaar?lang=en\"") != NULL &&
	    strstr(s, "action=\"/beheer/logout?lang=en\"") != NULL &&
	    strstr(s, "href=\"/beheer/?lang=nl\"") != NULL,
	    "English keeps ?lang=en in links and forms; a switch to Dutch");
	html_free(&h);

	ctx(&c, LANG_NL, ROLE_DOOR);
	html_init(&h);
	console_dashboard(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<caption id=\"today\">Vandaag") != NULL &&
	    strstr(s, "/beheer/events/") == NULL && strstr(s, "h-drafts") ==
	    NULL && strstr(s, ">Beheer</a>") == NULL,
	    "the door sees today's events, without links or drafts");
	html_free(&h);
	json_decref(doc);
}

static void
test_event(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"now\": \"2027-03-01T09:00:00+00:00\","
	    "\"kind\": {\"nl\": \"Netwerkevent Levenslang Leren\", \"en\": "
	    "\"Lifelong learning network event\"},"
	    "\"event\": {\"slug\": \"netwerkevent-voorjaar\", \"title\": "
	    "\"Netwerkevent " HOSTILE_J "\", \"language\": \"nl\", \"status\":"
	    " \"published\", \"starts_at\": \"2027-03-18T13:30:00+01:00\","
	    "\"ends_at\": \"2027-03-18T17:30:00+01:00\", \"timezone\": "
	    "\"Europe/Brussels\", \"venue\": {\"name\": \"Provinciehuis "
	    "Boeverbos\", \"address\": \"Koning Leopold III-laan 41\", "
	    "\"postcode\": \"8200\", \"city\": \"Brugge\"}, \"online_url\": "
	    "null, \"capacity\": 120, \"waitlist\": true,"
	    "\"registration_opens_at\": null, \"registration_closes_at\": "
	    "\"2027-03-16T23:59:00+01:00\", \"sessions\": [{\"slug\": "
	    "\"experts\", \"title\": \"Samenwerken met experts\", \"starts_at\":"
	    " \"2027-03-18T14:30:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T15:45:00+01:00\", \"room\": \"Zaal <1>\", "
	    "\"capacity\": 30}]},"
	    "\"counts\": {\"confirmed\": 87, \"waitlisted\": 4, \"cancelled\": 9,"
	    " \"checked_in\": 12},"
	    "\"sessions\": {\"experts\": {\"confirmed\": 25, \"waitlisted\": 2,"
	    " \"checked_in\": 3}}}");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	console_event(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "an event's summary is drawn");
	ok(strstr(s, "<h1 lang=\"nl\">Netwerkevent " HOSTILE_ESC "</h1>") !=
	    NULL, "its title, escaped");
	ok(strstr(s, "Netwerkevent Levenslang Leren") != NULL &&
	    strstr(s, "donderdag 18 maart 2027") != NULL && strstr(s,
	    "Provinciehuis Boeverbos, Koning Leopold III-laan 41, 8200 Brugge")
	    != NULL, "kind, when and where");
	ok(strstr(s, "Sluit op") != NULL && strstr(s, "Met wachtlijst.") !=
	    NULL, "when registration closes, the waiting list");
	ok(strstr(s, "87 / 120") != NULL && strstr(s, ">9</td>") != NULL &&
	    strstr(s, "25 / 30") != NULL && strstr(s, "Zaal &lt;1&gt;") != NULL,
	    "counts for the event and each session");
	ok(strstr(s, "href=\"/events/netwerkevent-voorjaar\"") != NULL,
	    "a link to the public page of a published event");
	ok(strstr(s, "aria-current=\"page\">Overzicht") != NULL,
	    "an event is under the overview in the navigation");
	html_free(&h);
	json_decref(doc);
}

/*
 * The event form: a new one with its empty rows, every field labelled,
 * a refused one drawn again with each message beside its field and in
 * the summary (a session's row named), values escaped, the slug fixed on
 * an edit and an existing session's slug read-only; in English.
 */
static void
test_event_form(void)
{
	struct console_ctx c;
	struct console_form f = { NULL, NULL, NULL };
	struct form vals;
	struct html h;
	json_t *doc = parse("{\"kinds\": [{\"slug\": \"network-event\", "
	    "\"nl\": \"Netwerkevent\", \"en\": \"Network event\"}, {\"slug\": "
	    "\"sme-info-session\", \"nl\": \"Infosessie kmo\", \"en\": \"SME "
	    "info session\"}], \"event\": null}");
	json_t *edit = parse("{\"kinds\": [{\"slug\": \"network-event\", "
	    "\"nl\": \"Netwerkevent\", \"en\": \"Network event\"}], "
	    "\"event\": {\"slug\": \"netwerk\", \"kind\": \"network-event\", "
	    "\"title\": \"Netwerk " HOSTILE_J "\", \"language\": \"nl\", "
	    "\"timezone\": \"Europe/Brussels\", \"waitlist\": true, "
	    "\"capacity\": 120, \"starts_at\": \"2027-03-18T13:30:00+01:00\", "
	    "\"ends_at\": \"2027-03-18T17:30:00+01:00\", \"venue\": "
	    "{\"city\": \"Ieper\"}, \"sessions\": [{\"slug\": \"experts\", "
	    "\"title\": \"Experts\", \"starts_at\": "
	    "\"2027-03-18T14:30:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T15:45:00+01:00\", \"room\": null, \"capacity\": 30}]}}");
	json_t *errors = parse("[{\"field\": \"title\", \"code\": \"required\"},"
	    " {\"field\": \"s2-starts_at\", \"code\": \"outside\"},"
	    " {\"field\": \"slug\", \"code\": \"duplicate\"}]");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	console_event_form(&h, &c, doc, NULL, 4);
	s = html_str(&h);
	ok(html_ok(&h), "a new event's form is drawn");
	ok(strstr(s, "<h1>Nieuwe activiteit</h1>") != NULL &&
	    strstr(s, "action=\"/beheer/events\"") != NULL, "it posts to the "
	    "events");
	ok(count(s, "name=\"csrf\" value=\"" CSRF "\"") == 2,
	    "the form and the logout carry the session's token");
	ok(strstr(s, "name=\"rows\" value=\"4\"") != NULL &&
	    strstr(s, "id=\"f-s4-title\"") != NULL && strstr(s,
	    "id=\"f-s5-title\"") == NULL, "four session rows");
	ok(count(s, "<label for=\"f-") == count(s, " id=\"f-") -
	    count(s, "<p class=\"hint\" id=\"f-") -
	    count(s, "<p class=\"error-message\" id=\"f-") &&
	    count(s, "<label for=\"f-") == 41, "every control has its label "
	    "(%d)", count(s, "<label for=\"f-"));
	ok(strstr(s, "<option value=\"sme-info-session\">Infosessie kmo"
	    "</option>") != NULL, "the kinds to choose from, in Dutch");
	ok(strstr(s, "type=\"datetime-local\" id=\"f-starts_at\"") != NULL,
	    "times as the browser's date and time");
	ok(strstr(s, "name=\"add_row\"") != NULL && strstr(s, "Nog een sessie "
	    "toevoegen") != NULL, "a row is added without JavaScript");
	ok(strstr(s, "id=\"f-slug\"") != NULL, "a new event's slug is asked");
	html_free(&h);

	/* drawn again, refused */
	ok(eventform_from_event(json_object_get(edit, "event"), 2, &vals),
	    "an event as the form's values");
	f.values = &vals;
	f.errors = errors;
	html_init(&h);
	console_event_form(&h, &c, edit, &f, eventform_rows(&vals));
	s = html_str(&h);
	ok(html_ok(&h), "an event's form drawn again");
	ok(strstr(s, "<title>Fout: ") != NULL, "the title says so first");
	ok(strstr(s, "Er is een probleem; er werd niets bewaard") != NULL &&
	    strstr(s, "href=\"#f-s2-starts_at\">Sessie 2: Een sessie moet "
	    "binnen de tijd") != NULL, "the summary names the session's row");
	ok(strstr(s, "id=\"f-title-error\"") != NULL && strstr(s,
	    "aria-describedby=\"f-title-error\" aria-invalid=\"true\"") != NULL,
	    "the message beside its field, tied to it");
	ok(strstr(s, "value=\"Netwerk " HOSTILE_ESC "\"") != NULL,
	    "values escaped");
	ok(strstr(s, "id=\"f-slug\"") == NULL && strstr(s,
	    "action=\"/beheer/events/netwerk\"") != NULL,
	    "an edit posts to the event, its slug fixed");
	ok(strstr(s, "id=\"f-s1-slug\" name=\"s1-slug\" value=\"experts\" "
	    "spellcheck=\"false\" readonly") != NULL && strstr(s,
	    "id=\"f-s2-slug\" name=\"s2-slug\" value=\"\" spellcheck="
	    "\"false\">") != NULL, "an existing session's slug is read-only");
	ok(strstr(s, "value=\"2027-03-18T13:30\"") != NULL && strstr(s,
	    "id=\"f-waitlist\" name=\"waitlist\" checked") != NULL,
	    "the event's values");
	ok(strstr(s, "name=\"rows\" value=\"3\"") != NULL, "its session and "
	    "two empty rows");
	html_free(&h);
	form_free(&vals);

	ctx(&c, LANG_EN, ROLE_ORGANISER);
	html_init(&h);
	console_event_form(&h, &c, doc, NULL, 4);
	s = html_str(&h);
	ok(strstr(s, "<h1>New event</h1>") != NULL && strstr(s,
	    "Network event</option>") != NULL && strstr(s,
	    "action=\"/beheer/events?lang=en\"") != NULL, "in English");
	html_free(&h);

	c.page.csrf = NULL;
	html_init(&h);
	console_event_form(&h, &c, doc, NULL, 4);
	ok(!html_ok(&h), "no form without a token");
	html_free(&h);
	json_decref(doc);
	json_decref(edit);
	json_decref(errors);
}

/* The event page's actions, its sessions by time slot; the confirmation
 * before cancelling; the duplicate form. */
static void
test_event_acts(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"now\": \"2027-03-01T09:00:00+00:00\","
	    "\"kind\": {\"nl\": \"Netwerkevent\", \"en\": \"Network event\"},"
	    "\"event\": {\"slug\": \"netwerk\", \"title\": \"Netwerk\", "
	    "\"language\": \"nl\", \"status\": \"draft\", \"starts_at\": "
	    "\"2027-03-18T13:30:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T17:30:00+01:00\", \"timezone\": \"Europe/Brussels\","
	    " \"capacity\": 120, \"waitlist\": true, \"sessions\": ["
	    "{\"slug\": \"a\", \"title\": \"A\", \"starts_at\": "
	    "\"2027-03-18T14:00:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T15:00:00+01:00\", \"room\": \"1\", \"capacity\": 30},"
	    "{\"slug\": \"b\", \"title\": \"B\", \"starts_at\": "
	    "\"2027-03-18T14:00:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T15:00:00+01:00\", \"room\": \"2\", \"capacity\": 30},"
	    "{\"slug\": \"c\", \"title\": \"C\", \"starts_at\": "
	    "\"2027-03-18T15:30:00+01:00\", \"ends_at\": "
	    "\"2027-03-18T16:30:00+01:00\", \"room\": \"1\", \"capacity\": 30}"
	    "]}, \"counts\": {\"confirmed\": 87, \"waitlisted\": 4, "
	    "\"cancelled\": 0, \"checked_in\": 0}, \"sessions\": {\"a\": "
	    "{\"confirmed\": 20, \"waitlisted\": 1, \"checked_in\": 5}}}");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	console_event(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "a draft's page is drawn");
	ok(strstr(s, "href=\"/beheer/events/netwerk/edit\"") != NULL &&
	    strstr(s, "href=\"/beheer/events/netwerk/preview\"") != NULL &&
	    strstr(s, "action=\"/beheer/events/netwerk/publish\"") != NULL &&
	    strstr(s, "href=\"/beheer/events/netwerk/cancel\"") != NULL &&
	    strstr(s, "href=\"/beheer/events/netwerk/duplicate\"") != NULL,
	    "edit, preview, publish, cancel, duplicate");
	ok(strstr(s, "href=\"/events/netwerk\"") == NULL,
	    "no link to a public page that is not there");
	ok(strstr(s, "Tijdslot 1: <time datetime=\"2027-03-18T14:00:00+01:00"
	    "\">14:00") != NULL && strstr(s, "(2 sessies tegelijk; kies er "
	    "\xc3\xa9\xc3\xa9n)") != NULL && strstr(s, "Tijdslot 2") != NULL &&
	    strstr(s, "Tijdslot 3") == NULL, "sessions by time slot");
	ok(strstr(s, "20 / 30") != NULL && strstr(s, ">5</td>") != NULL,
	    "confirmed/capacity, waiting list and checked in per session");
	html_free(&h);

	html_init(&h);
	console_event_cancel(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "the confirmation before cancelling");
	ok(strstr(s, "87 bevestigde deelnemers en 4 mensen op de wachtlijst "
	    "krijgen een e-mail") != NULL, "it says who is told by mail");
	html_free(&h);
	json_object_set_new(json_object_get(doc, "counts"), "confirmed",
	    json_integer(1));
	json_object_set_new(json_object_get(doc, "counts"), "waitlisted",
	    json_integer(1));
	html_init(&h);
	console_event_cancel(&h, &c, doc);
	s = html_str(&h);
	ok(strstr(s, "1 bevestigde deelnemer en 1 persoon op de wachtlijst "
	    "krijgen") != NULL, "one of each, in the singular");
	ok(strstr(s, "action=\"/beheer/events/netwerk/cancel\"") != NULL &&
	    strstr(s, "Nee, niet annuleren") != NULL, "a form, and a way back");
	html_free(&h);

	html_init(&h);
	console_event_duplicate(&h, &c, doc, NULL);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "value=\"netwerk-kopie\"") != NULL &&
	    strstr(s, "id=\"f-weeks\" name=\"weeks\" value=\"26\"") != NULL,
	    "the duplicate form, half a year on by default");
	html_free(&h);
	json_decref(doc);
}

static void
test_login(void)
{
	struct console_ctx c;
	struct console_form f;
	struct form values;
	struct html h;
	const char *s;
	json_t *errors;

	ctx(&c, LANG_NL, ROLE_NONE);
	html_init(&h);
	console_login(&h, &c, NULL, "/beheer/users", 0);
	s = html_str(&h);
	ok(html_ok(&h), "the login page is drawn");
	ok(strstr(s, "Aangemeld als") == NULL && strstr(s, "console-nav") ==
	    NULL, "nobody is logged in: no user, no navigation");
	ok(strstr(s, "<label for=\"f-email\">E-mailadres</label>") != NULL &&
	    strstr(s, "type=\"email\" id=\"f-email\" name=\"email\"") != NULL &&
	    strstr(s, "autocomplete=\"username\"") != NULL && strstr(s,
	    "type=\"password\" id=\"f-password\" name=\"password\" value=\"\""
	    " autocomplete=\"current-password\"") != NULL,
	    "labelled fields that password managers understand");
	ok(strstr(s, "name=\"csrf\" value=\"" CSRF "\"") != NULL &&
	    strstr(s, "name=\"next\" value=\"/beheer/users\"") != NULL,
	    "the token and where to go afterwards");
	html_free(&h);

	html_init(&h);
	console_login(&h, &c, NULL, "//evil.example/", 0);
	ok(html_ok(&h) && strstr(html_str(&h), "evil") == NULL,
	    "a next that leaves /beheer/ is not carried");
	html_free(&h);

#define SENT	"email=an%40pom.be%22%3E&password=geheim"
	ok(form_parse(SENT, strlen(SENT), &values), "a sent form");
	memset(&f, 0, sizeof(f));
	f.values = &values;
	f.problem = "credentials";
	html_init(&h);
	console_login(&h, &c, &f, NULL, 0);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<title>Fout: Aanmelden") != NULL &&
	    strstr(s, "role=\"alert\"") != NULL && strstr(s,
	    "horen niet bij een actieve gebruiker") != NULL,
	    "a failed login says so, first");
	ok(strstr(s, "value=\"an@pom.be&quot;&gt;\"") != NULL &&
	    strstr(s, "geheim") == NULL,
	    "the address is kept (escaped), the password never");
	html_free(&h);

	f.problem = "rate-limited";
	html_init(&h);
	console_login(&h, &c, &f, NULL, 600);
	ok(html_ok(&h) && strstr(html_str(&h), "over 10 minuten") != NULL,
	    "too many failures: how long to wait");
	html_free(&h);

	errors = parse("[{\"field\": \"email\", \"code\": \"required\"},"
	    "{\"field\": \"password\", \"code\": \"required\"}]");
	f.problem = NULL;
	f.errors = errors;
	html_init(&h);
	console_login(&h, &c, &f, NULL, 0);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<a href=\"#f-email\">Vul je e-mailadres "
	    "in.</a>") != NULL && strstr(s, "id=\"f-password-error\"") != NULL &&
	    strstr(s, "aria-describedby=\"f-password-error\" "
	    "aria-invalid=\"true\"") != NULL,
	    "empty fields: the summary links each, the field says why");
	html_free(&h);
	json_decref(errors);
	form_free(&values);

	c.page.csrf = NULL;
	html_init(&h);
	console_login(&h, &c, NULL, NULL, 0);
	ok(!html_ok(&h), "no form without a CSRF token: the page fails");
	html_free(&h);
}

static void
test_users(void)
{
	struct console_ctx c;
	struct console_form f;
	struct form values;
	struct html h;
	json_t *doc = parse("{\"users\": ["
	    "{\"id\": 7, \"email\": \"an@pom.be\", \"role\": \"admin\","
	    " \"disabled\": false, \"last_login_at\": "
	    "\"2027-03-01T10:00:00+01:00\"},"
	    "{\"id\": 8, \"email\": \"x" HOSTILE_J "@pom.be\", \"role\": \"door\","
	    " \"disabled\": false, \"last_login_at\": null},"
	    "{\"id\": 9, \"email\": \"weg@pom.be\", \"role\": \"organiser\","
	    " \"disabled\": true, \"last_login_at\": null}]}"), *errors;
	const char *s;

	ctx(&c, LANG_NL, ROLE_ADMIN);
	html_init(&h);
	console_users(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "the users page is drawn");
	ok(strstr(s, "an@pom.be (jij)") != NULL && strstr(s,
	    "/beheer/users/7/") == NULL, "one's own account: no buttons");
	ok(strstr(s, "action=\"/beheer/users/8/role\"") != NULL && strstr(s,
	    "action=\"/beheer/users/8/disable\"") != NULL && strstr(s,
	    "<option value=\"door\" selected>deur</option>") != NULL,
	    "another's: a role form and a disable button");
	ok(strstr(s, "action=\"/beheer/users/9/enable\"") != NULL &&
	    strstr(s, "Uitgeschakeld") != NULL, "a disabled one: enable");
	ok(strstr(s, "<label class=\"visually-hidden\" for=\"role-8\">Rol van "
	    "x" HOSTILE_ESC "@pom.be</label>") != NULL,
	    "each select is labelled, the address escaped");
	ok(count(s, "name=\"csrf\" value=\"" CSRF "\"") == 4,
	    "every form carries the token (logout, 2 + 1 buttons)");
	ok(strstr(s, "href=\"/beheer/users\" aria-current=\"page\">"
	    "Gebruikers") != NULL, "the admin's tabs");
	html_free(&h);
	json_decref(doc);

	html_init(&h);
	console_user_new(&h, &c, NULL);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "action=\"/beheer/users\"") != NULL &&
	    strstr(s, "id=\"f-password2\"") != NULL && strstr(s,
	    "autocomplete=\"new-password\"") != NULL,
	    "the new user's form");
	html_free(&h);

#define NEW_USER "email=nieuw%40pom.be&role=door&password=kort&" \
	    "password2=anders"
	ok(form_parse(NEW_USER, strlen(NEW_USER), &values), "a sent form");
	errors = parse("[{\"field\": \"password\", \"code\": \"short\"},"
	    "{\"field\": \"password2\", \"code\": \"mismatch\"},"
	    "{\"field\": \"email\", \"code\": \"duplicate\"}]");
	memset(&f, 0, sizeof(f));
	f.values = &values;
	f.errors = errors;
	html_init(&h);
	console_user_new(&h, &c, &f);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "minstens 12 tekens") != NULL &&
	    strstr(s, "niet gelijk") != NULL && strstr(s, "bestaat al") != NULL,
	    "each mistake said");
	ok(strstr(s, "<a href=\"#f-email\">") < strstr(s,
	    "<a href=\"#f-password\">"), "in the order of the form");
	ok(strstr(s, "value=\"nieuw@pom.be\"") != NULL && strstr(s,
	    "<option value=\"door\" selected>") != NULL && strstr(s, "kort") ==
	    NULL && strstr(s, "anders") == NULL,
	    "address and role kept, passwords not");
	html_free(&h);
	json_decref(errors);
	form_free(&values);
}

static void
test_tokens(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"tokens\": ["
	    "{\"id\": 3, \"name\": \"scanner " HOSTILE_J "\", \"scope\": "
	    "\"door\", \"created_at\": \"2027-03-01T10:00:00+01:00\","
	    " \"revoked_at\": null},"
	    "{\"id\": 4, \"name\": \"oud\", \"scope\": \"organiser\","
	    " \"created_at\": \"2026-03-01T10:00:00+01:00\", \"revoked_at\":"
	    " \"2026-09-01T10:00:00+02:00\"}]}");
	json_t *tok = parse("{\"id\": 5, \"name\": \"nieuw\", \"scope\": "
	    "\"door\"}");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ADMIN);
	html_init(&h);
	console_tokens(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "scanner " HOSTILE_ESC) != NULL &&
	    strstr(s, "deur (alleen inchecken)") != NULL,
	    "tokens with their scope, names escaped");
	ok(strstr(s, "action=\"/beheer/tokens/3/revoke\"") != NULL &&
	    strstr(s, "/beheer/tokens/4/revoke") == NULL &&
	    strstr(s, "2026-09-01 10:00") != NULL,
	    "one in use can be revoked; a revoked one says when");
	ok(strstr(s, SECRET) == NULL, "no token on the list");
	html_free(&h);

	html_init(&h);
	console_token_made(&h, &c, tok, SECRET);
	s = html_str(&h);
	ok(html_ok(&h) && count(s, SECRET) == 1 && strstr(s,
	    "maar \xc3\xa9\xc3\xa9n keer getoond") != NULL,
	    "a new token is shown, once, saying so");
	html_free(&h);

	html_init(&h);
	console_token_new(&h, &c, NULL);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<select id=\"f-scope\" name=\"scope\"")
	    != NULL && strstr(s, "value=\"admin\"") == NULL,
	    "the form offers organiser and door, never admin");
	html_free(&h);
	json_decref(doc);
	json_decref(tok);
}

static void
test_audit(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"action\": \"login-failed\", \"next_before\": 41,"
	    "\"entries\": [{\"id\": 42, \"at\": \"2027-03-01T10:00:05+01:00\","
	    " \"actor\": \"an@pom.be\", \"action\": \"login-failed\","
	    " \"event\": null, \"detail\": {}},"
	    "{\"id\": 41, \"at\": \"2027-03-01T09:00:00+01:00\", \"actor\":"
	    " \"leerkansctl (root)\", \"action\": \"user-role\", \"event\": null,"
	    " \"detail\": {\"email\": \"" HOSTILE_J "\", \"from\": \"door\","
	    " \"to\": \"admin\", \"user_id\": 8}}]}");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ADMIN);
	html_init(&h);
	console_audit(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "the audit log is drawn");
	ok(strstr(s, "<th scope=\"row\">Mislukte aanmelding</th>") != NULL &&
	    strstr(s, "2027-03-01 10:00") != NULL,
	    "entries with their action in words and when");
	ok(strstr(s, HOSTILE_ESC) != NULL && strstr(s, "<script") == NULL &&
	    strstr(s, ">to:</span> admin") != NULL &&
	    strstr(s, ">user_id:</span> 8") != NULL, "details, escaped");
	ok(strstr(s, "<option value=\"login-failed\" selected>") != NULL,
	    "the filter shows what it filters");
	ok(strstr(s, "href=\"/beheer/audit?action=login-failed&amp;before=41\""
	    " rel=\"next\"") != NULL, "the next page keeps the filter");
	html_free(&h);
	json_decref(doc);
	ok(console_audit_action("logout") && !console_audit_action("drop") &&
	    !console_audit_action(NULL), "the filter's actions");
}

static void
test_errors(void)
{
	struct console_ctx c;
	struct html h;
	const char *s;

	ctx(&c, LANG_NL, ROLE_DOOR);
	html_init(&h);
	console_error(&h, &c, 403, "not-allowed");
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<h1>Geen toegang</h1>") != NULL &&
	    strstr(s, "Aangemeld als") != NULL,
	    "a role too low: no access, in the user's frame");
	html_free(&h);

	html_init(&h);
	console_error(&h, &c, 403, "forbidden");
	ok(html_ok(&h) && strstr(html_str(&h), "niet verstuurd") != NULL,
	    "a form from elsewhere");
	html_free(&h);

	ctx(&c, LANG_EN, ROLE_NONE);
	html_init(&h);
	console_error(&h, &c, 401, "login-required");
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "Please log in") != NULL && strstr(s,
	    "href=\"/beheer/login?lang=en\"") != NULL,
	    "not logged in: a way to the login, in English");
	html_free(&h);

	ctx(&c, LANG_NL, ROLE_ADMIN);
	html_init(&h);
	console_error(&h, &c, 409, "last-admin");
	ok(html_ok(&h) && strstr(html_str(&h), "laatste actieve beheerder") !=
	    NULL, "the last admin");
	html_free(&h);
	html_init(&h);
	console_error(&h, &c, 413, NULL);
	ok(html_ok(&h) && strstr(html_str(&h), "konden we niet lezen") != NULL,
	    "a body too large: the form could not be read");
	html_free(&h);
	html_init(&h);
	console_error(&h, &c, 503, NULL);
	ok(html_ok(&h) && strstr(html_str(&h), "Even niet beschikbaar") != NULL,
	    "unavailable");
	html_free(&h);
	html_init(&h);
	console_error(&h, &c, 418, NULL);
	ok(html_ok(&h) && strstr(html_str(&h), "Er ging iets mis") != NULL,
	    "anything else");
	html_free(&h);
}

static void
test_notice(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"users\": []}");

	ctx(&c, LANG_NL, ROLE_ADMIN);
	c.notice = "user-disabled";
	html_init(&h);
	console_users(&h, &c, doc);
	ok(html_ok(&h) && strstr(html_str(&h), "role=\"status\"><p>De gebruiker"
	    " is uitgeschakeld") != NULL, "a notice by its code");
	html_free(&h);
	c.notice = "<script>";
	html_init(&h);
	console_users(&h, &c, doc);
	ok(html_ok(&h) && strstr(html_str(&h), "role=\"status\"") == NULL,
	    "an unknown code says nothing (nothing from outside is echoed)");
	html_free(&h);
	json_decref(doc);
}

int
main(void)
{
	test_frame_and_nav();
	test_event();
	test_event_form();
	test_event_acts();
	test_login();
	test_users();
	test_tokens();
	test_audit();
	test_errors();
	test_notice();
	return done_testing();
}
