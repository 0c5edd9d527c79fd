/*
 * test_mail.c - render/mail.c: the words of every kind of mail in both
 * languages, the /r/ link in each, escaping in the HTML, the calendar's
 * METHOD and UIDs, the check-in code (its address in the text, its QR
 * code as an inline PNG the HTML names by cid:, read back with zbarimg)
 * in the mails about a confirmed seat only, and documents of the wrong
 * shape.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/mail.h"
#include "tap.h"

#define BASE	"https://leerkans.example"
#define CODE	"AbCdEfGhIjKlMnOpQrStUv-_"
#define CHECKIN	BASE "/beheer/c/" CODE

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
	    " \"source\": \"web\", \"checkin_code\": \"" CODE "\","
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
	if (strcmp(status, "confirmed") == 0 &&
	    (strcmp(kind, "registered") == 0 || strcmp(kind, "promoted") == 0 ||
	    strcmp(kind, "changed") == 0 || strcmp(kind, "reminder") == 0))
		ok(m.qr_png != NULL && m.checkin_url != NULL &&
		    strcmp(m.checkin_url, CHECKIN) == 0 &&
		    strstr(m.text, "\n" CHECKIN "\n") != NULL &&
		    strstr(m.html, "src=\"cid:checkin.11@leerkans\"") != NULL,
		    "%s/%s: the check-in code, as address and QR code", kind,
		    status);
	else
		ok(m.qr_png == NULL && m.checkin_url == NULL &&
		    m.qr_cid == NULL && strstr(m.text, "/beheer/c/") == NULL &&
		    strstr(m.html, "cid:") == NULL,
		    "%s/%s: no check-in code", kind, status);
	ok(strstr(m.text, strcmp(lang, "nl") != 0 ?
	    "What we do with your data: " BASE "/privacy?lang=en\n" :
	    "Wat we met je gegevens doen: " BASE "/privacy\n") != NULL &&
	    strstr(m.html, strcmp(lang, "nl") != 0 ?
	    "<a href=\"" BASE "/privacy?lang=en\">Privacy notice" :
	    "<a href=\"" BASE "/privacy\">Privacyverklaring") != NULL,
	    "%s/%s: the footer links the privacy notice", kind, lang);
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
	ok(strstr(m.text, "What we do with your data: " BASE
	    "/privacy?lang=en\n") != NULL && strstr(m.html, "href=\"" BASE
	    "/privacy?lang=en\"") != NULL, "the links mail too links the "
	    "privacy notice");
	ok(!m.calendar, "no calendar with the links");
	mail_text_free(&m);
	json_decref(j);
}

/* The QR code: where the mail says it, what the HTML shows, and what
 * the PNG reads as (zbarimg, where it is installed). */
static void
test_qr(void)
{
	struct mail_text m;
	json_t *j = doc("registered", "nl", "confirmed", "null", "confirmed");
	char path[] = "/tmp/test_mail-XXXXXX", cmd[200], got[300] = "";
	FILE *fp;
	int fd;

	ok(mail_render(j, BASE, &m), "a confirmation with its check-in code");
	is_str(m.qr_cid, "checkin.11@leerkans", "the PNG's Content-ID");
	ok(strstr(m.text, "Toon dit aan de ingang om in te checken:\n"
	    CHECKIN "\n") != NULL, "the text: show this at the door");
	ok(strstr(m.html, "alt=\"QR-code om in te checken: " CHECKIN "\"") !=
	    NULL, "the image's alt text says what it is, and the address");
	ok(strstr(m.html, "width=\"") != NULL &&
	    strstr(m.html, "width=\"0\"") == NULL, "the image has its size");
	ok(m.qr_png_len > 8 && memcmp(m.qr_png, "\x89PNG", 4) == 0,
	    "a PNG");
	ok(strstr(m.text, "Toon dit") < strstr(m.text, "/r/TOKEN123"),
	    "the code before the manage link");
	if (access("/usr/bin/zbarimg", X_OK) == 0 &&
	    (fd = mkstemp(path)) != -1) {
		ok(write(fd, m.qr_png, m.qr_png_len) == (ssize_t)m.qr_png_len,
		    "the PNG written to a file");
		close(fd);
		snprintf(cmd, sizeof(cmd), "/usr/bin/zbarimg -q --raw %s "
		    "2>/dev/null", path);
		if ((fp = popen(cmd, "r")) != NULL) {
			if (fgets(got, sizeof(got), fp) == NULL)
				got[0] = '\0';
			pclose(fp);
		}
		got[strcspn(got, "\n")] = '\0';
		is_str(got, CHECKIN, "zbarimg reads the check-in address");
		unlink(path);
	}
	mail_text_free(&m);

	/* checked in, or an old registration: the claim gives no code */
	json_object_set_new(j, "checkin_code", json_null());
	ok(mail_render(j, BASE, &m) && m.qr_png == NULL &&
	    strstr(m.html, "<img") == NULL, "no code, no QR code");
	mail_text_free(&m);
	/* an address too long to draw: the mail goes without the code */
	json_object_set_new(j, "checkin_code", json_string(CODE));
	{
		char longbase[1200];

		memset(longbase, 'a', sizeof(longbase) - 1);
		memcpy(longbase, "https://", 8);
		longbase[sizeof(longbase) - 1] = '\0';
		ok(mail_render(j, longbase, &m) && m.qr_png == NULL &&
		    m.checkin_url == NULL && strstr(m.html, "<img") == NULL &&
		    strstr(m.text, "/r/TOKEN123") != NULL,
		    "a code that cannot be drawn leaves the mail without it");
		mail_text_free(&m);
	}
	/* a code that is not one is not drawn */
	json_object_set_new(j, "checkin_code", json_string("x\"><script>"));
	ok(mail_render(j, BASE, &m) && m.qr_png == NULL &&
	    strstr(m.html, "<script>") == NULL, "a malformed code is left out");
	mail_text_free(&m);
	json_decref(j);
}

/* A walk-in's confirmation: typed in at the door and checked in; the
 * claim gives no code for someone checked in. */
static void
test_walk_in(void)
{
	struct mail_text m;
	json_t *j = doc("registered", "en", "confirmed", "null", "confirmed");

	json_object_set_new(j, "source", json_string("walk-in"));
	json_object_set_new(j, "checkin_code", json_null());
	ok(mail_render(j, BASE, &m), "a walk-in's confirmation renders");
	ok(strstr(m.text, "You were registered and checked in at the door") !=
	    NULL, "it says they were registered at the door");
	ok(strstr(m.text, BASE "/r/TOKEN123\n") != NULL,
	    "with the /r/ link");
	ok(m.qr_png == NULL && strstr(m.text, "/beheer/c/") == NULL,
	    "and no check-in code");
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
	check("changed", "en", "waitlisted", "{\"time\": true}", "Changed",
	    "(place 3)", ICS_REQUEST);
	check("reminder", "en", "confirmed", "null", "Reminder",
	    "Show this at the door to check in:", ICS_REQUEST);
	test_qr();
	test_walk_in();
	test_links();
	test_subject_one_line();
	test_bad();
	ok(mail_kind_parse("event-cancelled", &k) && k == MAIL_EVENT_CANCELLED &&
	    strcmp(mail_kind_name(k), "event-cancelled") == 0,
	    "kinds by name and back");
	return done_testing();
}
