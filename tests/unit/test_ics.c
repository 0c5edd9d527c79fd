/*
 * test_ics.c - the feed renderer against golden files in tests/data/ics/.
 *
 * Each case renders a calendar built here and compares it byte for byte
 * with its golden file; every output is also checked for the rules that
 * hold whatever the data (CRLF, lines of at most 75 octets that never
 * split a UTF-8 character) and parsed back with libical, which must find
 * no errors.  LEERKANS_UPDATE_GOLDEN=1 writes the golden files instead;
 * read the diff before committing them.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "render/ics.h"
#include "tap.h"

#define PRODID	"-//leerkans//leerkansd test//EN"
#define BASE	"https://leerkans.example.be"

/* 2027-03-18 14:00 in Brussels (+01:00) */
#define T_0318_1400	((time_t)1805374800)
#define HOUR		3600
#define DAY		(24 * HOUR)

static const char *srcdir;

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *fp;
	char *s = NULL;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) != NULL) {
		if (fread(s, 1, (size_t)n, fp) != (size_t)n) {
			free(s);
			s = NULL;
		} else {
			s[n] = '\0';
			*lenp = (size_t)n;
		}
	}
	fclose(fp);
	return s;
}

/* The rules every rendering keeps, whatever its data. */
static void
check_shape(const char *name, const char *s, size_t len)
{
	size_t i, start = 0, longest = 0;
	int bare = 0, split = 0, errors;
	icalcomponent *c;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			bare++;
		if (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))
			bare++;
		if (s[i] != '\n')
			continue;
		if (i - 1 - start > longest)
			longest = i - 1 - start;
		/* a line starting with a continuation byte split a character */
		if (i + 1 < len && s[i + 1] == ' ' && i + 2 < len &&
		    ((unsigned char)s[i + 2] & 0xc0) == 0x80)
			split++;
		start = i + 1;
	}
	ok(bare == 0 && len > 2 && s[len - 2] == '\r' && s[len - 1] == '\n',
	    "%s: CRLF line ends only", name);
	ok(longest <= 75, "%s: lines of at most 75 octets (longest %zu)",
	    name, longest);
	ok(split == 0, "%s: no UTF-8 character split by folding", name);
	c = icalparser_parse_string(s);
	errors = c != NULL ? icalcomponent_count_errors(c) : -1;
	ok(c != NULL && icalcomponent_isa(c) == ICAL_VCALENDAR_COMPONENT &&
	    errors == 0, "%s: libical parses it without errors (%d)", name,
	    errors);
	if (c != NULL)
		icalcomponent_free(c);
}

static void
golden(const char *name, const struct ics_calendar *cal)
{
	char path[1024], *got, *want;
	size_t len = 0, wlen = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/tests/data/ics/%s.ics", srcdir, name);
	got = ics_render(cal, &len);
	ok(got != NULL, "%s: rendered", name);
	if (got == NULL)
		return;
	ok(strlen(got) == len, "%s: length", name);
	check_shape(name, got, len);
	if (getenv("LEERKANS_UPDATE_GOLDEN") != NULL) {
		if ((fp = fopen(path, "wb")) != NULL) {
			fwrite(got, 1, len, fp);
			fclose(fp);
		}
		printf("# wrote %s\n", path);
	}
	want = slurp(path, &wlen);
	ok(want != NULL && wlen == len && memcmp(got, want, len) == 0,
	    "%s: same as %s", name, path);
	if (want == NULL || wlen != len || memcmp(got, want, len) != 0)
		printf("# got:\n%s# (LEERKANS_UPDATE_GOLDEN=1 rewrites it)\n",
		    got);
	free(want);
	free(got);
}

static struct ics_event
event(long long id, const char *slug, const char *title, time_t start,
    time_t end)
{
	struct ics_event e;

	memset(&e, 0, sizeof(e));
	e.id = id;
	e.slug = slug;
	e.title = title;
	e.description = "";
	e.language = "nl";
	e.timezone = "Europe/Brussels";
	e.starts_at = start;
	e.ends_at = end;
	e.updated_at = (time_t)1790000000;	/* 2026-09-21T14:13:20Z */
	e.venue_name = "POM West-Vlaanderen";
	e.venue_address = "Baron Ruzettelaan 33";
	e.venue_postcode = "8310";
	e.venue_city = "Brugge";
	e.status = ICS_CONFIRMED;
	return e;
}

static struct ics_calendar
calendar(const char *name, struct ics_event *events, size_t n)
{
	struct ics_calendar c;

	memset(&c, 0, sizeof(c));
	c.prodid = PRODID;
	c.name = name;
	c.base_url = BASE;
	c.refresh = 3600;
	c.events = events;
	c.nevents = n;
	return c;
}

static void
test_escaping(void)
{
	struct ics_event e = event(7, "komma-s", "Leren, werken; en \\ groeien",
	    T_0318_1400, T_0318_1400 + 3 * HOUR);
	struct ics_calendar c;

	e.description = "Regel een,\nregel twee;\r\nregel drie\\ en\rvier"
	    "\ttab\x01\x7f" "einde";
	e.venue_name = "Zaal \"De Leerkans\", gebouw B; 2de verdieping";
	c = calendar("Leerkans: komma's, puntkomma's; en \\", &e, 1);
	golden("escaping", &c);
}

static void
test_folding(void)
{
	struct ics_event e = event(8, "lang", "Één, twee, drie: "
	    "\xe2\x82\xac" "5 \xe2\x80\x94 \xc3\x9f\xc3\xbc\xc3\xb1 "
	    "\xe6\xbc\xa2\xe5\xad\x97 Levenslang leren in de Westhoek "
	    "\xe2\x9c\x93",
	    T_0318_1400, T_0318_1400 + 2 * HOUR);
	struct ics_calendar c;
	char *f;
	size_t len;

	/* 3-byte characters and a 4-byte one straddle every fold point */
	e.description = "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97"
	    "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2"
	    "\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97"
	    "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2"
	    "\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97 "
	    "\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93"
	    "\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93"
	    "\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93"
	    "\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93"
	    "\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93"
	    "\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93\xf0\x9f\x8e\x93"
	    " caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 "
	    "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 "
	    "caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9";
	c = calendar("Leerkans", &e, 1);
	golden("folding", &c);

	f = ics_fold("0123456789012345678901234567890123456789012345678901234"
	    "56789012345678901234", 75, &len);
	is_str(f, "0123456789012345678901234567890123456789012345678901234"
	    "56789012345678901234\r\n", "75 octets stay on one line");
	free(f);
	f = ics_fold("0123456789012345678901234567890123456789012345678901234"
	    "567890123456789012345", 76, &len);
	is_str(f, "0123456789012345678901234567890123456789012345678901234"
	    "56789012345678901234\r\n 5\r\n", "the 76th octet goes on");
	free(f);
	/* 74 ASCII then a 2-byte character: both its octets move on */
	f = ics_fold("0123456789012345678901234567890123456789012345678901234"
	    "5678901234567890123\xc3\xa9", 76, &len);
	is_str(f, "0123456789012345678901234567890123456789012345678901234"
	    "5678901234567890123\r\n \xc3\xa9\r\n", "a character is not split");
	free(f);
}

static void
test_dst(void)
{
	/* Saturday 27 March 2027 09:00 +01:00 to Sunday 28 March 17:00
	 * +02:00: the clocks go forward in between */
	struct ics_event e = event(9, "over-de-zomertijd",
	    "Netwerkevent over de zomertijd", (time_t)1806134400,
	    (time_t)1806246000);
	struct ics_session s[2];
	struct ics_calendar c;

	memset(s, 0, sizeof(s));
	s[0].id = 21;
	s[0].title = "Voor de omschakeling";
	s[0].description = "Zaterdag, wintertijd.";
	s[0].room = "Zaal 1";
	s[0].starts_at = (time_t)1806134400;		/* Sat 09:00 +01 */
	s[0].ends_at = (time_t)1806134400 + 2 * HOUR;
	s[0].updated_at = (time_t)1790000000;
	s[0].sequence = 1;
	s[1].id = 22;
	s[1].title = "Na de omschakeling";
	s[1].description = "";
	s[1].starts_at = (time_t)1806224400;		/* Sun 11:00 +02 */
	s[1].ends_at = (time_t)1806224400 + 2 * HOUR;
	s[1].updated_at = (time_t)1790100000;
	e.sessions = s;
	e.nsessions = 2;
	e.sequence = 2;
	c = calendar("Leerkans: Netwerkevent over de zomertijd", &e, 1);
	golden("dst", &c);
}

static void
test_cancelled(void)
{
	struct ics_event e[2] = {
		event(10, "afgelast", "Infosessie voor KMO's",
		    T_0318_1400, T_0318_1400 + 2 * HOUR),
		event(11, "cancelled-en", "SME info session",
		    T_0318_1400 + DAY, T_0318_1400 + DAY + 2 * HOUR),
	};
	struct ics_session s;
	struct ics_calendar c;

	memset(&s, 0, sizeof(s));
	s.id = 30;
	s.title = "Vragenronde";
	s.starts_at = T_0318_1400 + HOUR;
	s.ends_at = T_0318_1400 + 2 * HOUR;
	s.updated_at = (time_t)1790000000;
	s.status = ICS_CONFIRMED;	/* the event's cancellation wins */
	e[0].status = ICS_CANCELLED;
	e[0].sequence = 3;
	e[0].sessions = &s;
	e[0].nsessions = 1;
	e[1].status = ICS_CANCELLED;
	e[1].language = "en";
	e[1].sequence = 1;
	c = calendar("Leerkans", e, 2);
	golden("cancelled", &c);
}

static void
test_multiday(void)
{
	/* three days in June (+02:00), online as well as on site; a
	 * second event online only, in New York, and one in UTC */
	struct ics_event e[3] = {
		event(12, "zomerschool", "Zomerschool levenslang leren",
		    (time_t)1812610800, (time_t)1812610800 + 2 * DAY + 8 * HOUR),
		event(13, "webinar-ny", "Webinar from New York",
		    (time_t)1812657600, (time_t)1812657600 + HOUR),
		event(14, "utc", "In UTC", (time_t)1812700800,
		    (time_t)1812700800 + HOUR),
	};
	struct ics_calendar c;

	e[0].description = "Drie dagen.";
	e[0].online_url = "https://meet.example.be/zomerschool?x=1,2;3";
	e[1].timezone = "America/New_York";
	e[1].language = "en";
	e[1].venue_name = e[1].venue_address = NULL;
	e[1].venue_postcode = e[1].venue_city = NULL;
	e[1].online_url = "https://meet.example.be/ny";
	e[2].timezone = "UTC";
	c = calendar("Leerkans: Academy", e, 3);
	golden("multiday", &c);
}

static void
test_personal(void)
{
	struct ics_event e = event(15, "netwerkevent-najaar",
	    "Netwerkevent Levenslang Leren", T_0318_1400,
	    T_0318_1400 + 4 * HOUR);
	struct ics_session s[3];
	struct ics_calendar c;

	memset(s, 0, sizeof(s));
	s[0].id = 40;
	s[0].title = "Digitale basisvaardigheden";
	s[0].room = "Zaal 1";
	s[0].starts_at = T_0318_1400 + HOUR;
	s[0].ends_at = T_0318_1400 + 2 * HOUR;
	s[0].updated_at = (time_t)1790000000;
	s[0].status = ICS_CONFIRMED;
	s[1] = s[0];
	s[1].id = 41;
	s[1].title = "Leren op de werkvloer";
	s[1].room = "Zaal 2";
	s[1].starts_at = T_0318_1400 + 2 * HOUR;
	s[1].ends_at = T_0318_1400 + 3 * HOUR;
	s[1].status = ICS_TENTATIVE;
	s[2] = s[1];
	s[2].id = 42;
	s[2].title = "Afgemeld";
	s[2].status = ICS_CANCELLED;
	e.sessions = s;
	e.nsessions = 3;
	c = calendar("Leerkans: Netwerkevent Levenslang Leren", &e, 1);
	golden("personal", &c);

	e.status = ICS_TENTATIVE;
	e.nsessions = 0;
	c = calendar("Leerkans: wachtlijst", &e, 1);
	golden("personal-waitlisted", &c);

	c = calendar("Leerkans: leeg", NULL, 0);
	golden("empty", &c);
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

/* Found by fuzz_ics: a description of spaces (the API takes it) was
 * written as "DESCRIPTION: ", which libical reads as no value: an error. */
static void
test_blank(void)
{
	struct ics_event e = event(16, "blank", "\x01\x02",
	    T_0318_1400, T_0318_1400 + HOUR);
	struct ics_session sn;
	struct ics_calendar c;
	char *s;
	size_t len = 0;

	memset(&sn, 0, sizeof(sn));
	sn.id = 50;
	sn.title = "Sessie";
	sn.description = " ";
	sn.room = "\t";
	sn.starts_at = T_0318_1400;
	sn.ends_at = T_0318_1400 + HOUR;
	sn.updated_at = (time_t)1790000000;
	e.description = "  \t \r\n";	/* a newline: not blank */
	e.nsessions = 1;
	e.sessions = &sn;
	e.venue_name = " ";
	e.venue_address = e.venue_postcode = e.venue_city = NULL;
	c = calendar("Leerkans", &e, 1);
	s = ics_render(&c, &len);
	ok(s != NULL, "blank: rendered");
	if (s == NULL)
		return;
	check_shape("blank", s, len);
	ok(count(s, "\r\nSUMMARY:") == 1 &&
	    strstr(s, "SUMMARY:Sessie (") != NULL,
	    "a title of control characters: no SUMMARY, the session's stays");
	ok(count(s, "\r\nDESCRIPTION:") == 1 &&
	    strstr(s, "DESCRIPTION:  \t \\n\r\n") != NULL,
	    "a blank description is left out, a newline is not blank");
	ok(count(s, "\r\nLOCATION:") == 1 &&
	    strstr(s, "LOCATION:\t\\,  \r\n") != NULL,
	    "a blank venue is kept beside a room (spaces are text)");
	free(s);
}

/* Found by fuzz_ics: a venue part of control characters only, cleaned to
 * nothing, still counted: "8000 " and ", , " in LOCATION, "Online: ". */
static void
test_cleaned_away(void)
{
	struct ics_event e = event(17, "cleaned", "Titel",
	    T_0318_1400, T_0318_1400 + HOUR);
	struct ics_calendar c;
	char *s;
	size_t len = 0;

	e.venue_name = "\x01";
	e.venue_address = "Markt 1";
	e.venue_postcode = "8000";
	e.venue_city = "\x0b\x7f";
	e.online_url = "\x1b";
	e.description = "Tekst";
	c = calendar("Leerkans", &e, 1);
	s = ics_render(&c, &len);
	ok(s != NULL, "cleaned away: rendered");
	if (s == NULL)
		return;
	check_shape("cleaned away", s, len);
	ok(strstr(s, "\r\nLOCATION:Markt 1\\, 8000\r\n") != NULL,
	    "parts cleaned to nothing are not joined");
	ok(strstr(s, "\r\nDESCRIPTION:Tekst\r\n") != NULL,
	    "an online URL cleaned to nothing adds no \"Online: \"");
	free(s);

	e.venue_name = e.venue_address = e.venue_postcode = "\x02";
	e.venue_city = NULL;
	e.online_url = "https://meet.example.be/x";
	c = calendar("Leerkans", &e, 1);
	s = ics_render(&c, &len);
	ok(s != NULL && strstr(s, "\r\nLOCATION:https://meet.example.be/x"
	    "\r\n") != NULL && strstr(s, "Online:") == NULL,
	    "a venue cleaned to nothing is no venue: the URL is the location");
	free(s);
}

static void
test_escape_text(void)
{
	char *s = ics_escape_text("a,b;c\\d\ne\r\nf\rg\x01h");

	is_str(s, "a\\,b\\;c\\\\d\\ne\\nf\\ngh", "TEXT escaping");
	free(s);
}

static void
test_from_json(void)
{
	const char *text = "{\"name\": \"Leerkans\", \"events\": [{\"id\": 5,"
	    " \"slug\": \"x\", \"title\": \"X\", \"description\": \"d\","
	    " \"language\": \"nl\", \"timezone\": \"Europe/Brussels\","
	    " \"starts_at\": 1805374800, \"ends_at\": 1805378400,"
	    " \"updated_at\": 1790000000, \"venue_name\": null,"
	    " \"online_url\": \"https://meet.example.be/x\", \"sequence\": 4,"
	    " \"status\": \"cancelled\", \"sessions\": [{\"id\": 6,"
	    " \"slug\": \"s\", \"title\": \"S\", \"description\": \"\","
	    " \"room\": null, \"starts_at\": 1805374800,"
	    " \"ends_at\": 1805376600, \"updated_at\": 1790000001,"
	    " \"sequence\": 1, \"status\": \"tentative\"}]}]}";
	struct ics_calendar c;
	json_t *j = json_loads(text, 0, NULL);

	memset(&c, 0, sizeof(c));
	ok(j != NULL && ics_calendar_from_json(&c, j), "JSON read");
	ok(c.nevents == 1 && c.events[0].id == 5 &&
	    c.events[0].status == ICS_CANCELLED && c.events[0].sequence == 4 &&
	    c.events[0].venue_name == NULL && c.events[0].nsessions == 1 &&
	    c.events[0].sessions[0].status == ICS_TENTATIVE &&
	    c.events[0].sessions[0].updated_at == 1790000001,
	    "JSON fields");
	ics_calendar_clear(&c);
	json_decref(j);

	j = json_loads("{\"name\": \"x\", \"events\": [{\"id\": 1}]}", 0, NULL);
	memset(&c, 0, sizeof(c));
	ok(!ics_calendar_from_json(&c, j), "incomplete event refused");
	ics_calendar_clear(&c);
	json_decref(j);
}

int
main(void)
{
	if ((srcdir = getenv("LEERKANS_SRCDIR")) == NULL)
		srcdir = ".";
	test_escape_text();
	test_escaping();
	test_folding();
	test_dst();
	test_cancelled();
	test_multiday();
	test_personal();
	test_blank();
	test_cleaned_away();
	test_from_json();
	icaltimezone_free_builtin_timezones();
	return done_testing();
}
