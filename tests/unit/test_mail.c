/*
 * test_mail.c - render/mail.c: the words of every kind of mail in both
 * languages, the /r/ link in each, escaping in the HTML, the calendar's
 * METHOD and UIDs, and documents of the wrong shape.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "render/mail.h"
#include "tap.h"

#define BASE	"https://leerkans.example"

static const char *const calendar =
	"{\"name\": \"Leerkans: Netwerkevent\", \"last_modified\": 1800000000,"
	" \"valid_until\": null, \"registration\": 7, \"events\": [{\"id\": 3,"
	" \"slug\": \"netwerk\", \"title\": \"Netwerkevent <Brugge>\","
	" \"description\": \"\", \"language\": \"nl\","
	" \"timezone\": \"Europe/Brussels\", \"starts_at\": 1805374800,"
	" \"ends_at\": 1805385600, \"updated_at\": 1800000000,"
	" \"venue_name\": \"POM West-Vlaanderen\", \"venue_address\": null,"
	" \"venue_postcode\": \"8310\", \"venue_city\": \"Brugge\","
	" \"online_url\": null, \"sequence\": 2, \"status\": \"%s\","
	" \"sessions\": []}]}";

static json_t *
doc(const char *kind, const char *lang, const char *status,
    const char *facts, const char *calstatus)
{
	char cal[2048], text[8192];
	json_t *j;

	snprintf(cal, sizeof(cal), calendar, calstatus);
	snprintf(text, sizeof(text),
	    "{\"id\": 11, \"kind\": \"%s\", \"attempt\": 1, \"facts\": %s,"
	    " \"to\": \"an@example.be\", \"name\": \"An <Peeters>\","
	    " \"language\": \"%s\", \"registration\": {\"id\": 7,"
	    " \"status\": \"%s\", \"waitlist_position\": %s,"
	    " \"manage_url\": \"/r/TOKEN123\", \"event\": {\"slug\": \"netwerk\","
	    " \"title\": \"Netwerkevent <Brugge>\", \"status\": \"published\","
	    " \"starts_at\": \"2027-03-18T14:00:00+01:00\","
	    " \"ends_at\": \"2027-03-18T17:00:00+01:00\","
	    " \"timezone\": \"Europe/Brussels\"}, \"sessions\": [{\"slug\": \"a\","
	    " \"title\": \"Digitale basisvaardigheden\","
	    " \"starts_at\": \"2027-03-18T14:30:00+01:00\","
	    " \"ends_at\": \"2027-03-18T15:30:00+01:00\","
	    " \"status\": \"confirmed\"}]}, \"calendar\": %s, \"links\": null}",
	    kind, facts, lang, status,
	    strcmp(status, "waitlisted") == 0 ? "3" : "null", cal);
	j = json_loads(text, 0, NULL);
	ok(j != NULL, "the test's document parses (%s)", kind);
	return j;
}

static void
check(const char *kind, const char *lang, const char *status,
    const char *facts, const char *subject, const char *says,
    enum ics_method method)
{
	struct mail_text m;
	json_t *j = doc(kind, lang, status, facts,
	    method == ICS_CANCEL ? "cancelled" : "confirmed");
	char *ics;
	size_t len = 0;

	ok(mail_render(j, BASE, &m), "%s/%s renders", kind, lang);
	ok(m.subject != NULL && strncmp(m.subject, subject,
	    strlen(subject)) == 0, "%s/%s: subject '%s'", kind, lang,
	    m.subject != NULL ? m.subject : "(null)");
	ok(m.subject != NULL && strstr(m.subject, "Netwerkevent <Brugge>") !=
	    NULL, "the subject names the event as it is (encoded later)");
	ok(m.text != NULL && strstr(m.text, says) != NULL, "%s/%s says '%s'",
	    kind, lang, says);
	ok(m.text != NULL && strstr(m.text, BASE "/r/TOKEN123\n") != NULL,
	    "%s: the text has the /r/ link", kind);
	ok(m.html != NULL && strstr(m.html, "href=\"" BASE "/r/TOKEN123\"") !=
	    NULL, "%s: the HTML links it", kind);
	ok(m.html != NULL && strstr(m.html, "&lt;Brugge&gt;") != NULL &&
	    strstr(m.html, "<Brugge>") == NULL &&
	    strstr(m.html, "An &lt;Peeters&gt;") != NULL,
	    "%s: the HTML escapes what it was given", kind);
	ok(m.html != NULL && strstr(m.html, strcmp(lang, "nl") != 0 ?
	    "<html lang=\"en\">" : "<html lang=\"nl\">") != NULL,
	    "%s: the HTML says its language", kind);
	ok(m.calendar && m.method == method, "%s: a calendar, METHOD %s",
	    kind, method == ICS_CANCEL ? "CANCEL" : "REQUEST");
	ics = mail_calendar(j, &m, BASE, &len);
	ok(ics != NULL && strstr(ics, method == ICS_CANCEL ?
	    "METHOD:CANCEL\r\n" : "METHOD:REQUEST\r\n") != NULL &&
	    strstr(ics, "SEQUENCE:2\r\n") != NULL &&
	    strstr(ics, "UID:event-3@" ICS_UID_DOMAIN "\r\n") != NULL,
	    "%s: the calendar part, with the feed's UID and SEQUENCE", kind);
	if (method == ICS_CANCEL)
		ok(ics != NULL && strstr(ics, "STATUS:CANCELLED\r\n") != NULL,
		    "%s: STATUS:CANCELLED", kind);
	free(ics);
	mail_text_free(&m);
	json_decref(j);
}

static void
test_links(void)
{
	struct mail_text m;
	json_t *j = json_loads("{\"id\": 4, \"kind\": \"links\", \"to\": "
	    "\"an@example.be\", \"name\": \"An\", \"language\": \"en\", "
	    "\"registration\": {}, \"calendar\": null, \"links\": ["
	    "{\"manage_url\": \"/r/AAA\", \"title\": \"One & two\", "
	    "\"status\": \"confirmed\", \"starts_at\": "
	    "\"2027-03-18T14:00:00+01:00\"}, {\"manage_url\": \"/r/BBB\", "
	    "\"title\": \"Three\", \"status\": \"waitlisted\", \"starts_at\": "
	    "\"2027-04-01T09:00:00+02:00\"}]}", 0, NULL);

	ok(mail_render(j, BASE, &m), "links renders");
	is_str(m.subject, "Your registrations with Leerkans", "links subject");
	ok(strstr(m.text, BASE "/r/AAA\n") != NULL &&
	    strstr(m.text, BASE "/r/BBB\n") != NULL, "every link");
	ok(strstr(m.html, "One &amp; two") != NULL, "titles escaped");
	ok(!m.calendar, "no calendar with the links");
	mail_text_free(&m);
	json_decref(j);
}

/* A title with line breaks cannot make a header of its own. */
static void
test_subject_one_line(void)
{
	struct mail_text m;
	json_t *j = doc("reminder", "nl", "confirmed", "null", "confirmed");

	json_object_set_new(json_object_get(json_object_get(j,
	    "registration"), "event"), "title",
	    json_string("Twee\r\nBcc: iemand@example.be\tregels"));
	ok(mail_render(j, BASE, &m), "a title with line breaks renders");
	ok(strchr(m.subject, '\r') == NULL && strchr(m.subject, '\n') == NULL &&
	    strchr(m.subject, '\t') == NULL, "the subject is one line: '%s'",
	    m.subject);
	mail_text_free(&m);
	json_decref(j);
}

static void
test_bad(void)
{
	struct mail_text m;
	json_t *j;

	j = json_loads("{\"kind\": \"no-such-kind\"}", 0, NULL);
	ok(!mail_render(j, BASE, &m) && m.subject == NULL, "an unknown kind");
	json_decref(j);
	j = json_loads("{\"kind\": \"registered\", \"registration\": 3}", 0,
	    NULL);
	ok(!mail_render(j, BASE, &m), "a registration that is not one");
	json_decref(j);
	ok(!mail_render(NULL, BASE, &m), "no document");
}

int
main(void)
{
	enum mail_kind k;

	check("registered", "nl", "confirmed", "null", "Inschrijving bevestigd",
	    "Beste An <Peeters>,", ICS_REQUEST);
	check("registered", "en", "waitlisted", "null", "On the waiting list",
	    "(place 3)", ICS_REQUEST);
	check("registered", "nl", "waitlisted", "null", "Op de wachtlijst",
	    "wachtlijst (plaats 3)", ICS_REQUEST);
	check("promoted", "en", "confirmed", "null", "You have a place",
	    "A place came free", ICS_REQUEST);
	check("cancelled", "nl", "cancelled", "{\"by\": \"person\"}",
	    "Inschrijving geannuleerd", "Je hebt je inschrijving geannuleerd",
	    ICS_CANCEL);
	check("cancelled", "en", "cancelled", "{\"by\": \"organiser\"}",
	    "Registration cancelled", "The organiser cancelled", ICS_CANCEL);
	check("changed", "nl", "confirmed", "{\"time\": true}", "Gewijzigd",
	    "Wanneer: donderdag 18 maart 2027, 14:00", ICS_REQUEST);
	check("event-cancelled", "en", "confirmed", "null", "Cancelled",
	    "The event has been cancelled", ICS_CANCEL);
	check("reminder", "nl", "confirmed", "null", "Herinnering",
	    "Waar: POM West-Vlaanderen, 8310 Brugge", ICS_REQUEST);
	check("reminder", "fr", "confirmed", "null", "Reminder",
	    "Where: POM West-Vlaanderen, 8310 Brugge", ICS_REQUEST);
	test_links();
	test_subject_one_line();
	test_bad();
	ok(mail_kind_parse("event-cancelled", &k) && k == MAIL_EVENT_CANCELLED &&
	    strcmp(mail_kind_name(k), "event-cancelled") == 0,
	    "kinds by name and back");
	return done_testing();
}
