/*
 * test_roster.c - the console's registrations pages (render/roster.c)
 * from JSON documents built here as lk_roster and its neighbours answer
 * them: the list in the order it is given, family name first, in both
 * languages; the filters drawn back; the export buttons; values from
 * outside escaped; the cancel question with its CSRF token; the walk-in
 * and erasure forms drawn again with each message beside its field; the
 * door list; and, for the spreadsheet export (render/export.c), the
 * enterprise number with its dots and the Dutch words.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "input/form.h"
#include "render/console.h"
#include "render/export.h"
#include "render/html.h"
#include "render/roster.h"
#include "tap.h"

#define HOSTILE		"<script>alert('x')</script> \"Q\" & <b>Z</b>"
#define HOSTILE_J	"<script>alert('x')</script> \\\"Q\\\" & <b>Z</b>"
#define HOSTILE_ESC	"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; " \
			"&quot;Q&quot; &amp; &lt;b&gt;Z&lt;/b&gt;"
#define CSRF		"Csrf0123456789Csrf0123456789Csrf0123456789C"

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
	c->email = "an@pom.be";
	c->user_id = 7;
	c->role = role;
}

#define EVENT \
	"{\"slug\": \"netwerk\", \"title\": \"Netwerk " HOSTILE_J "\"," \
	" \"language\": \"nl\", \"status\": \"published\"," \
	" \"starts_at\": \"2027-03-18T13:30:00+01:00\"," \
	" \"ends_at\": \"2027-03-18T17:30:00+01:00\", \"city\": \"Ieper\"," \
	" \"capacity\": 2, \"waitlist\": true, \"confirmed\": 2," \
	" \"waitlisted\": 1, \"seats_left\": 0, \"ended\": false," \
	" \"sessions\": [{\"slug\": \"digitaal\", \"title\": \"Digitaal\"," \
	" \"starts_at\": \"2027-03-18T14:00:00+01:00\"," \
	" \"ends_at\": \"2027-03-18T15:00:00+01:00\"}]}"

static const char list_doc[] =
	"{\"event\": " EVENT ", \"filter\": {\"q\": \"eli" HOSTILE_J "\","
	" \"organisation\": null, \"status\": \"all\", \"session\": \"digitaal\","
	" \"checked\": \"no\"}, \"count\": 3, \"registrations\": ["
	"{\"id\": 11, \"status\": \"confirmed\", \"source\": \"web\","
	" \"given_name\": \"Jan\", \"family_name\": \"Eeckhout\","
	" \"name\": \"Jan Eeckhout\", \"organisation\": \"Bakkerij\","
	" \"registered_at\": \"2027-03-01T10:00:00+01:00\","
	" \"checked_in_at\": null, \"sessions\": [{\"slug\": \"digitaal\","
	" \"title\": \"Digitaal\", \"status\": \"waitlisted\"}]},"
	"{\"id\": 12, \"status\": \"waitlisted\", \"source\": \"walk-in\","
	" \"given_name\": \"Els\", \"family_name\": \"\\u00c9liaerts\","
	" \"name\": \"Els \\u00c9liaerts\", \"organisation\": \"" HOSTILE_J "\","
	" \"registered_at\": \"2027-03-02T10:00:00+01:00\","
	" \"checked_in_at\": \"2027-03-18T13:40:00+01:00\", \"sessions\": []},"
	"{\"id\": 13, \"status\": \"cancelled\", \"source\": \"api\","
	" \"given_name\": \"Piet\", \"family_name\": \"Elst\","
	" \"name\": \"Piet Elst\", \"organisation\": null,"
	" \"registered_at\": \"2027-03-03T10:00:00+01:00\","
	" \"checked_in_at\": null, \"sessions\": []}]}";

static void
test_list(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse(list_doc);
	const char *s, *a, *b, *e;

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	roster_list(&h, &c, doc);
	ok(html_ok(&h), "the list is drawn");
	if (getenv("DUMP") != NULL)
		puts(html_str(&h));
	s = html_str(&h);
	a = strstr(s, "Eeckhout, Jan");
	b = strstr(s, "\xc3\x89liaerts, Els");
	e = strstr(s, "Elst, Piet");
	ok(a != NULL && b != NULL && e != NULL && a < b && b < e,
	    "family name first, in the order the database gave");
	ok(strstr(s, "<h1>Inschrijvingen") != NULL, "a Dutch heading");
	ok(strstr(s, HOSTILE) == NULL && strstr(s, HOSTILE_ESC) != NULL,
	    "the title, the search and an organisation are escaped");
	ok(strstr(s, "value=\"eli" HOSTILE_ESC "\"") != NULL,
	    "the search is drawn back");
	ok(strstr(s, "<option value=\"all\" selected>") != NULL &&
	    strstr(s, "<option value=\"digitaal\" selected>") != NULL &&
	    strstr(s, "<option value=\"no\" selected>") != NULL,
	    "the chosen filters are selected");
	ok(strstr(s, "/beheer/events/netwerk/registrations/11/cancel") !=
	    NULL && strstr(s, "/beheer/events/netwerk/registrations/13/"
	    "cancel") == NULL, "a cancel link for the active, none for the "
	    "cancelled");
	ok(strstr(s, "(wachtlijst)") != NULL &&
	    strstr(s, "(zonder inschrijving)") != NULL,
	    "a waiting choice and a walk-in say so");
	ok(strstr(s, "/beheer/events/netwerk/export?format=xlsx&amp;"
	    "status=all&amp;session=digitaal") != NULL &&
	    strstr(s, "format=csv&amp;profile=excel&amp;status=all") != NULL &&
	    strstr(s, "CSV voor Excel") != NULL &&
	    strstr(s, "/beheer/events/netwerk/registrations/print") != NULL,
	    "the export buttons follow the filters, and the door list");
	ok(strstr(s, "registrations/new") != NULL, "a walk-in for a "
	    "published event");
	ok(strstr(s, "role=\"search\"") != NULL && strstr(s, "<label "
	    "for=\"f-q\">Naam</label>") != NULL, "a labelled search form");
	html_free(&h);

	ctx(&c, LANG_EN, ROLE_ORGANISER);
	c.notice = "cancelled";
	html_init(&h);
	roster_list(&h, &c, doc);
	s = html_str(&h);
	ok(strstr(s, "<h1>Registrations") != NULL &&
	    strstr(s, "CSV for Excel") != NULL &&
	    strstr(s, "/registrations/11/cancel?lang=en") != NULL,
	    "in English, the links keep the language");
	ok(strstr(s, "The registration was cancelled.") != NULL,
	    "the notice after a cancellation");
	html_free(&h);
	json_decref(doc);

	doc = parse("{\"event\": " EVENT ", \"filter\": {\"status\": "
	    "\"active\"}, \"count\": 0, \"registrations\": []}");
	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	roster_list(&h, &c, doc);
	ok(html_ok(&h) && strstr(html_str(&h), "Geen inschrijvingen "
	    "gevonden") != NULL && strstr(html_str(&h), "<table") == NULL,
	    "nothing found says so, without a table");
	html_free(&h);
	json_decref(doc);
}

static void
test_print(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse(list_doc);
	const char *s;

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	roster_print(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<h1>Deurlijst") != NULL,
	    "the door list is drawn");
	ok(strstr(s, "<th scope=\"row\">Eeckhout</th><td>Jan</td>") != NULL,
	    "family name and given name in columns of their own");
	ok(strstr(s, "\xe2\x9c\x93") != NULL && strstr(s, "\xe2\x98\x90") !=
	    NULL, "a tick for the checked in, a box for the others");
	ok(strstr(s, "<form method=\"get\"") == NULL, "no search on paper");
	html_free(&h);
	json_decref(doc);
}

static void
test_cancel(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"event\": " EVENT ", \"registration\": "
	    "{\"id\": 11, \"status\": \"confirmed\", \"given_name\": \"Jan\","
	    " \"family_name\": \"" HOSTILE_J "\", \"organisation\": null,"
	    " \"sessions\": []}}");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	roster_cancel(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "the question is drawn");
	ok(strstr(s, "action=\"/beheer/events/netwerk/registrations/11/"
	    "cancel\"") != NULL && strstr(s, "value=\"" CSRF "\"") != NULL,
	    "a form that posts back, with the CSRF token");
	ok(strstr(s, "komt de plaats vrij") != NULL, "says the seat goes to "
	    "the waiting list");
	ok(strstr(s, HOSTILE) == NULL, "the name is escaped");
	html_free(&h);

	c.page.csrf = NULL;
	html_init(&h);
	roster_cancel(&h, &c, doc);
	ok(!html_ok(&h), "no page with a form without a token");
	html_free(&h);
	json_decref(doc);

	doc = parse("{\"event\": " EVENT ", \"registration\": "
	    "{\"id\": 11, \"status\": \"cancelled\", \"given_name\": \"Jan\","
	    " \"family_name\": \"X\", \"sessions\": []}}");
	ctx(&c, LANG_EN, ROLE_ORGANISER);
	html_init(&h);
	roster_cancel(&h, &c, doc);
	s = html_str(&h);
	ok(strstr(s, "cancelled already") != NULL &&
	    strstr(s, "class=\"warning\"") == NULL,
	    "a cancelled registration has no button");
	html_free(&h);
	json_decref(doc);
}

#define WALK_IN_SENT "given_name=&family_name=Peeters&email=nope" \
	"&role=employer&organisation_type=sme&organisation=%3Cb%3E"

static void
test_walk_in(void)
{
	struct console_ctx c;
	struct console_form f;
	struct form values;
	struct html h;
	json_t *doc = parse("{\"event\": " EVENT "}");
	json_t *errors = parse("[{\"field\": \"given_name\", \"code\": "
	    "\"required\"}, {\"field\": \"email\", \"code\": \"invalid\"}]");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ORGANISER);
	html_init(&h);
	roster_walk_in(&h, &c, doc, NULL);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "<label for=\"f-given_name\">Voornaam"
	    "</label>") != NULL && strstr(s, "<label for=\"f-email\">"
	    "E-mailadres (niet verplicht)</label>") != NULL,
	    "a fresh form, the address optional");
	ok(strstr(s, "Er zijn geen vrije plaatsen meer.") != NULL,
	    "says when no seat is left");
	html_free(&h);

	ok(form_parse(WALK_IN_SENT, strlen(WALK_IN_SENT), &values),
	    "a sent form");
	f.values = &values;
	f.errors = errors;
	f.problem = NULL;
	html_init(&h);
	roster_walk_in(&h, &c, doc, &f);
	s = html_str(&h);
	ok(strstr(s, "<title>Fout: ") != NULL, "the title says there is an "
	    "error");
	ok(strstr(s, "<a href=\"#f-given_name\">Vul de voornaam in.</a>") !=
	    NULL && strstr(s, "id=\"f-given_name-error\"") != NULL,
	    "the message in the summary and beside its field");
	ok(strstr(s, "value=\"Peeters\"") != NULL &&
	    strstr(s, "value=\"&lt;b&gt;\"") != NULL &&
	    strstr(s, "<option value=\"employer\" selected>") != NULL,
	    "what was typed is kept, escaped");
	html_free(&h);

	f.errors = NULL;
	f.problem = "event-full";
	ctx(&c, LANG_EN, ROLE_ORGANISER);
	html_init(&h);
	roster_walk_in(&h, &c, doc, &f);
	s = html_str(&h);
	ok(strstr(s, "The event is full") != NULL && strstr(s,
	    "role=\"alert\"") != NULL, "a full event is said at the top");
	html_free(&h);
	form_free(&values);
	json_decref(errors);
	json_decref(doc);
}

static void
test_erasure(void)
{
	struct console_ctx c;
	struct console_form f = { NULL, NULL, NULL };
	struct html h;
	json_t *done = parse("{\"erased\": 2, \"seats_freed\": 1}");
	json_t *errors = parse("[{\"field\": \"confirm\", \"code\": "
	    "\"required\"}]");
	const char *s;

	ctx(&c, LANG_NL, ROLE_ADMIN);
	html_init(&h);
	roster_erasure(&h, &c, NULL, NULL);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "action=\"/beheer/wissen\"") != NULL &&
	    strstr(s, "name=\"confirm\"") != NULL, "the erasure form");
	ok(strstr(s, "href=\"/beheer/wissen\" aria-current=\"page\"") != NULL,
	    "under the admin's tabs");
	html_free(&h);

	f.errors = errors;
	html_init(&h);
	roster_erasure(&h, &c, &f, NULL);
	s = html_str(&h);
	ok(strstr(s, "id=\"f-confirm-error\"") != NULL &&
	    strstr(s, "aria-invalid=\"true\"") != NULL,
	    "the box not ticked is said beside it");
	html_free(&h);

	html_init(&h);
	roster_erasure(&h, &c, NULL, done);
	s = html_str(&h);
	ok(strstr(s, "Gewiste inschrijvingen: 2. ") != NULL &&
	    strstr(s, "(naar de wachtlijst): 1.") != NULL,
	    "what the erasure did");
	html_free(&h);
	json_decref(errors);
	json_decref(done);
}

static void
test_sheet(void)
{
	struct export_row row;
	struct evbuffer *b = evbuffer_new();
	char dotted[13], *text;
	size_t len;

	ok(export_enterprise_dotted("0123456749", dotted) &&
	    strcmp(dotted, "0123.456.749") == 0, "an enterprise number "
	    "with its dots");
	ok(!export_enterprise_dotted("123", dotted) && dotted[0] == '\0' &&
	    !export_enterprise_dotted(NULL, dotted), "anything else is "
	    "left out");

	memset(&row, 0, sizeof(row));
	row.v[COL_ID] = "12";
	row.v[COL_STATUS] = "waitlisted";
	row.v[COL_GIVEN_NAME] = "Els";
	row.v[COL_FAMILY_NAME] = "\xc3\x89liaerts";
	row.v[COL_ENTERPRISE_NUMBER] = "0123456749";
	row.v[COL_ROLE] = "job-seeker";
	row.v[COL_ORGANISATION_TYPE] = "sme";
	row.v[COL_ORGANISATION] = "=cmd";
	row.v[COL_SESSIONS] = "Digitaal; basis";
	row.v[COL_REGISTERED_AT] = "2027-03-01T10:05:00+01:00";
	export_sheet_header(b);
	export_sheet_row(b, &row);
	len = evbuffer_get_length(b);
	text = malloc(len + 1);
	evbuffer_remove(b, text, len);
	text[len] = '\0';
	ok(strncmp(text, "\xef\xbb\xbfNr.;Familienaam;Voornaam;Status;", 35)
	    == 0, "a byte order mark and Dutch headings with semicolons");
	ok(strstr(text, "\r\n12;\xc3\x89liaerts;Els;Wachtlijst;;'=cmd;"
	    "0123.456.749;Werkzoekende;KMO;;\"Digitaal; basis\";"
	    "2027-03-01 10:05;\r\n") != NULL, "a row in Dutch words, "
	    "defused, quoted where it holds a semicolon (%s)", text);
	free(text);
	evbuffer_free(b);
}

int
main(void)
{
	test_list();
	test_print();
	test_cancel();
	test_walk_in();
	test_erasure();
	test_sheet();
	return done_testing();
}
