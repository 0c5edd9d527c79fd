/*
 * test_door.c - the door's renderers (render/door.c) from documents
 * built here as functions/80_door.sql answers them: today's events with
 * their counters and search forms, one event's search with one button
 * per person (check in, undo, none for the waiting list or when closed),
 * every form with the session's CSRF token and the search, notices,
 * escaping, both languages, a check-in code's page, and the QR code's
 * SVG.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "render/console.h"
#include "render/door.h"
#include "render/html.h"
#include "tap.h"

#define HOSTILE_J	"<script>alert('x')</script> \\\"Q\\\""
#define HOSTILE_ESC	"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; " \
			"&quot;Q&quot;"
#define CSRF		"Csrf0123456789Csrf0123456789Csrf0123456789C"
#define CODE		"AbCdEfGhIjKlMnOpQrStUv-_"

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
ctx(struct console_ctx *c, enum lang lang, const char *notice)
{
	memset(c, 0, sizeof(*c));
	c->page.lang = lang;
	c->page.lq = lang == LANG_EN ? "?lang=en" : "";
	c->page.public_url = "https://leerkans.example";
	c->page.csrf = CSRF;
	c->email = "deur@pom.be";
	c->user_id = 7;
	c->role = ROLE_DOOR;
	c->notice = notice;
}

#define EVENT(open) \
	"{\"slug\": \"netwerkevent\", \"title\": \"Netwerkevent " HOSTILE_J \
	"\", \"language\": \"nl\", \"status\": \"published\"," \
	" \"starts_at\": \"2027-03-18T13:30:00+01:00\"," \
	" \"ends_at\": \"2027-03-18T17:30:00+01:00\", \"city\": \"Ieper\"," \
	" \"open\": " open ", \"expected\": 30, \"checked_in\": 12," \
	" \"waitlisted\": 3}"

static void
test_today(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"now\": \"x\", \"margin\": 2, \"events\": ["
	    EVENT("true") "]}");
	const char *s;

	ctx(&c, LANG_NL, NULL);
	html_init(&h);
	door_today(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "today's events are drawn");
	ok(strstr(s, "<h1>Inchecken aan de deur</h1>") != NULL, "one h1");
	ok(strstr(s, "<strong>12</strong> / 30 <span>ingecheckt</span>") !=
	    NULL && strstr(s, "(3 op de wachtlijst)") != NULL,
	    "the counter: checked in of expected, the waiting list apart");
	ok(strstr(s, "action=\"/beheer/deur/netwerkevent\"") != NULL &&
	    strstr(s, "name=\"q\"") != NULL && strstr(s, "role=\"search\"") !=
	    NULL, "a search form per event");
	ok(strstr(s, HOSTILE_ESC) != NULL && strstr(s, "<script>") == NULL,
	    "the title escaped");
	ok(strstr(s, "href=\"/beheer/deur\" aria-current=\"page\"") != NULL,
	    "the door is where one is in the navigation");
	html_free(&h);
	json_decref(doc);

	doc = parse("{\"events\": []}");
	ctx(&c, LANG_EN, NULL);
	html_init(&h);
	door_today(&h, &c, doc);
	ok(strstr(html_str(&h), "There is no event to check people in to "
	    "today.") != NULL, "no event today, in English");
	html_free(&h);
	json_decref(doc);
}

#define PEOPLE \
	"[{\"id\": 11, \"name\": \"An \\u00c9liaerts\", \"organisation\":" \
	" \"POM\", \"status\": \"confirmed\", \"checked_in_at\": null}," \
	" {\"id\": 12, \"name\": \"Bert " HOSTILE_J "\", \"organisation\":" \
	" null, \"status\": \"confirmed\", \"checked_in_at\":" \
	" \"2027-03-18T13:42:10+01:00\"}," \
	" {\"id\": 13, \"name\": \"Cas Wacht\", \"organisation\": null," \
	" \"status\": \"waitlisted\", \"checked_in_at\": null}]"

static void
test_event(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"q\": \"li&\\\"\", \"more\": false, \"event\": "
	    EVENT("true") ", \"people\": " PEOPLE "}");
	const char *s;

	ctx(&c, LANG_NL, "checked-in");
	html_init(&h);
	door_event(&h, &c, doc);
	s = html_str(&h);
	ok(html_ok(&h), "an event's search is drawn");
	ok(strstr(s, "value=\"li&amp;&quot;\"") != NULL,
	    "the search kept in its box, escaped");
	ok(count(s, "<li id=\"p-") == 3, "a row per person");
	ok(strstr(s, "action=\"/beheer/deur/netwerkevent/11/check-in\"") !=
	    NULL && strstr(s, "action=\"/beheer/deur/netwerkevent/12/undo\"")
	    != NULL && strstr(s, "/13/") == NULL,
	    "check in, undo, and nothing for the waiting list");
	ok(count(s, "name=\"csrf\" value=\"" CSRF "\"") == 3,
	    "each form (and the logout) carries the session's token");
	ok(count(s, "<input type=\"hidden\" name=\"q\" value=\"li&amp;&quot;\">")
	    == 2, "each button returns to the same search");
	ok(strstr(s, "Inchecken<span class=\"visually-hidden\">: An "
	    "\xc3\x89liaerts</span>") != NULL,
	    "the button says whom it checks in");
	ok(strstr(s, "<time datetime=\"2027-03-18T13:42:10+01:00\">13:42"
	    "</time>") != NULL, "when someone was checked in");
	ok(strstr(s, "role=\"status\"><p>Ingecheckt.</p>") != NULL,
	    "the notice after a check-in");
	ok(strstr(s, "Bert " HOSTILE_ESC) != NULL, "names escaped");
	html_free(&h);
	json_decref(doc);

	doc = parse("{\"q\": \"an\", \"more\": false, \"event\": "
	    EVENT("false") ", \"people\": " PEOPLE "}");
	ctx(&c, LANG_EN, "registration-waitlisted");
	html_init(&h);
	door_event(&h, &c, doc);
	s = html_str(&h);
	ok(strstr(s, "<form method=\"post\"") == strstr(s,
	    "<form method=\"post\" action=\"/beheer/logout"),
	    "closed: no check-in buttons");
	ok(strstr(s, "Check-in is closed now") != NULL, "closed, said so");
	ok(strstr(s, "role=\"alert\"><p>This person is on the waiting list")
	    != NULL, "a refusal's notice is an alert");
	html_free(&h);
	json_decref(doc);

	/* no token: no page with a form that cannot be sent */
	doc = parse("{\"q\": \"an\", \"event\": " EVENT("true") ", \"people\": "
	    PEOPLE "}");
	ctx(&c, LANG_NL, NULL);
	c.page.csrf = NULL;
	html_init(&h);
	door_event(&h, &c, doc);
	ok(!html_ok(&h), "a page of forms without a token fails");
	html_free(&h);
	json_decref(doc);
}

static void
test_code(void)
{
	struct console_ctx c;
	struct html h;
	json_t *doc = parse("{\"event\": " EVENT("true") ", \"person\": "
	    "{\"id\": 11, \"name\": \"An\", \"organisation\": \"POM\", "
	    "\"status\": \"confirmed\", \"checked_in_at\": null}}");
	const char *s;
	char url[200];

	ctx(&c, LANG_NL, NULL);
	html_init(&h);
	door_code(&h, &c, doc, CODE);
	s = html_str(&h);
	ok(html_ok(&h), "a code's page is drawn");
	ok(strstr(s, "action=\"/beheer/c/" CODE "\"") != NULL,
	    "a confirm button that posts to the code");
	html_free(&h);
	json_decref(doc);

	doc = parse("{\"event\": " EVENT("false") ", \"person\": null}");
	html_init(&h);
	door_code(&h, &c, doc, CODE);
	s = html_str(&h);
	ok(html_ok(&h) && strstr(s, "Inchecken is nu gesloten") != NULL &&
	    strstr(s, "action=\"/beheer/c/") == NULL,
	    "closed, for the door: the event alone, no button");
	html_free(&h);
	json_decref(doc);

	ok(door_code_ok(CODE) && !door_code_ok("short") &&
	    !door_code_ok(CODE "x") && !door_code_ok("AbCdEfGhIjKlMnOpQrStUv/_"),
	    "a code's shape");
	ok(door_code_url("https://x.example", CODE, url, sizeof(url)) &&
	    strcmp(url, "https://x.example/beheer/c/" CODE) == 0,
	    "a code's address");
	ok(!door_code_url("https://x.example", CODE, url, 20),
	    "an address that does not fit");
}

static void
test_qr(void)
{
	struct html h;
	const char *s;

	html_init(&h);
	ok(door_qr_svg(&h, "https://x.example/beheer/c/" CODE, "QR <code>",
	    200), "a QR code");
	s = html_str(&h);
	ok(strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0 &&
	    strstr(s, "</svg>") != NULL && strstr(s, "<title>QR &lt;code&gt;"
	    "</title>") != NULL, "an SVG with its label escaped");
	/* version 3 (29 modules) or so, with the quiet zone */
	ok(strstr(s, "viewBox=\"0 0 37 37\"") != NULL ||
	    strstr(s, "viewBox=\"0 0 41 41\"") != NULL, "its size in modules");
	ok(strstr(s, "M4 4h7v1h-7z") != NULL, "the finder pattern's top row");
	html_free(&h);
}

/* The PNG: its header, a pixel of a finder pattern and of the quiet
 * zone, and, where zbarimg is installed, the text read back. */
static void
test_qr_png(void)
{
	const char *url = "https://x.example/beheer/c/" CODE;
	unsigned char *png = NULL, *raw;
	size_t len = 0, side, stride;
	uLongf rawlen;
	unsigned long w, hgt, zlen;
	char path[] = "/tmp/test_door-XXXXXX", cmd[200], got[200] = "";
	FILE *fp;
	int fd;

	ok(door_qr_png(url, 4, &png, &len), "a QR code as PNG");
	ok(len > 57 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0 &&
	    memcmp(png + 12, "IHDR", 4) == 0, "a PNG, IHDR first");
	w = (unsigned long)png[16] << 24 | (unsigned long)png[17] << 16 |
	    (unsigned long)png[18] << 8 | png[19];
	hgt = (unsigned long)png[20] << 24 | (unsigned long)png[21] << 16 |
	    (unsigned long)png[22] << 8 | png[23];
	ok(w == hgt && w % 4 == 0 && png[24] == 1 && png[25] == 0,
	    "square, 1-bit grayscale (%lu px)", w);
	side = w;
	stride = 1 + (side + 7) / 8;
	zlen = (unsigned long)png[33] << 24 | (unsigned long)png[34] << 16 |
	    (unsigned long)png[35] << 8 | png[36];
	rawlen = stride * side;
	raw = malloc(rawlen);
	ok(raw != NULL && memcmp(png + 37, "IDAT", 4) == 0 &&
	    uncompress(raw, &rawlen, png + 41, zlen) == Z_OK &&
	    rawlen == stride * side, "its pixels inflate");
	/* (1, 1): quiet zone, white; (16, 16): module (4, 4), the top left
	 * finder pattern's corner, black */
	ok(raw != NULL && (raw[1 * stride + 1] & 0x40) != 0 &&
	    (raw[16 * stride + 1 + 2] & 0x80) == 0,
	    "white quiet zone, black finder pattern");
	free(raw);
	{
		unsigned char *none = (unsigned char *)"x";
		size_t nlen = 1;

		ok(!door_qr_png(url, 0, &none, &nlen) && none == NULL &&
		    nlen == 0, "a scale of 0 is refused");
	}
	if (access("/usr/bin/zbarimg", X_OK) == 0 &&
	    (fd = mkstemp(path)) != -1) {
		ok(write(fd, png, len) == (ssize_t)len, "written to a file");
		close(fd);
		snprintf(cmd, sizeof(cmd), "/usr/bin/zbarimg -q --raw %s "
		    "2>/dev/null", path);
		if ((fp = popen(cmd, "r")) != NULL) {
			if (fgets(got, sizeof(got), fp) == NULL)
				got[0] = '\0';
			pclose(fp);
		}
		got[strcspn(got, "\n")] = '\0';
		is_str(got, url, "zbarimg reads the URL back");
		unlink(path);
	}
	free(png);
}

int
main(void)
{
	test_today();
	test_event();
	test_code();
	test_qr();
	test_qr_png();
	done_testing();
}
