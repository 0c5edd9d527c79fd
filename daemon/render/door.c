/*
 * render/door.c - check-in at the door as pure renderers, and the QR
 * code of a check-in URL; see door.h.  Dutch first, English with
 * ?lang=en, in the console's frame (render/console.c).
 *
 * On a phone at the door: the event's counter first, then the search
 * (a few letters of a name), then one row per person with one button,
 * "Inchecken" or "Ongedaan maken", whose accessible name says whom it
 * acts on.  Every button is a POST form with the session's CSRF token
 * and the search, so the answer (303) lands on the same list.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

#include "render/console.h"
#include "render/door.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/jsonget.h"
#include "render/page.h"

static const char *
lq(const struct console_ctx *c)
{
	return c->page.lq != NULL ? c->page.lq : "";
}

bool
door_code_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");
	return n == DOOR_CODE_LEN && s[n] == '\0';
}

bool
door_code_url(const char *public_url, const char *code, char *out,
    size_t len)
{
	int n;

	if (public_url == NULL || !door_code_ok(code))
		return false;
	n = snprintf(out, len, "%s/beheer/c/%s", public_url, code);
	return n > 0 && (size_t)n < len;
}

/* -- the QR code ---------------------------------------------------------- */

bool
door_qr_svg(struct html *h, const char *text, const char *label, int size)
{
	QRcode *qr;
	int x, y, run, w, quiet = 4;

	if (text == NULL || (qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M,
	    QR_MODE_8, 1)) == NULL) {
		h->failed = true;
		return false;
	}
	w = qr->width + 2 * quiet;
	html_fmt(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"qr\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"%s\" shape-rendering=\"crispEdges\">"
	    "<title>%s</title><rect width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size, w, w,
	    label, label, w, w);
	/* each row's dark runs as one rectangle each */
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x += run > 0 ? run : 1) {
			run = 0;
			while (x + run < qr->width &&
			    (qr->data[y * qr->width + x + run] & 1))
				run++;
			if (run > 0)
				html_fmt(h, "M%d %dh%dv1h-%dz", x + quiet,
				    y + quiet, run, run);
		}
	html_raw(h, "\"/></svg>");
	QRcode_free(qr);
	return true;
}

/* -- pieces ----------------------------------------------------------------- */

static void
when(struct html *h, enum lang lang, const json_t *e)
{
	char text[160];
	const char *s = jstr(e, "starts_at"), *t = jstr(e, "ends_at");

	if (s != NULL && t != NULL && i18n_when(lang, s, t, text,
	    sizeof(text)))
		html_fmt(h, "<time datetime=\"%s\">%s</time>", s, text);
}

/* "14:02" of "2027-03-18T14:02:11+01:00" */
static void
clock(struct html *h, const char *t)
{
	if (t != NULL && strlen(t) >= 16)
		html_fmt(h, "<time datetime=\"%s\">%.*s</time>", t, 5, t + 11);
}

/* The counter: checked in of those with a seat. */
static void
counter(struct html *h, enum lang lang, const json_t *e)
{
	html_fmt(h, "<p class=\"door-counter\"><strong>%lld</strong> / "
	    "%lld <span>%s</span>", jcount(e, "checked_in"), jcount(e, "expected"),
	    TR(lang, "ingecheckt", "checked in"));
	if (jcount(e, "waitlisted") > 0)
		html_fmt(h, " <span class=\"meta\">(%lld %s)</span>",
		    jcount(e, "waitlisted"), TR(lang, "op de wachtlijst",
		    "on the waiting list"));
	html_raw(h, "</p>\n");
}

static void
csrf(struct html *h, const struct console_ctx *c)
{
	html_fmt(h, "<input type=\"hidden\" name=\"" PAGE_CSRF_FIELD
	    "\" value=\"%s\">\n", c->page.csrf != NULL ? c->page.csrf : "");
	if (c->page.csrf == NULL)
		h->failed = true;
}

/* What a door's notice code says, and whether it is an error. */
static const char *
door_notice(enum lang lang, const char *code, bool *error)
{
	static const struct {
		const char *code, *nl, *en;
		bool error;
	} notices[] = {
		{ "checked-in", "Ingecheckt.", "Checked in.", false },
		{ "undone", "De check-in is ongedaan gemaakt.",
		  "The check-in was undone.", false },
		{ "registration-waitlisted", "Deze persoon staat op de "
		  "wachtlijst en heeft geen plaats: niet ingecheckt.",
		  "This person is on the waiting list and has no seat: not "
		  "checked in.", true },
		{ "checkin-closed", "Inchecken kan alleen op de dag van de "
		  "activiteit.", "Check-in is open on the day of the event "
		  "only.", true },
		{ "registration-cancelled", "Deze inschrijving is geannuleerd: "
		  "niet ingecheckt.", "This registration was cancelled: not "
		  "checked in.", true },
		{ "not-found", "Deze inschrijving bestaat niet (meer).",
		  "This registration does not exist (any more).", true },
	};
	size_t i;

	for (i = 0; code != NULL && i < sizeof(notices) / sizeof(notices[0]);
	    i++)
		if (strcmp(code, notices[i].code) == 0) {
			*error = notices[i].error;
			return TR(lang, notices[i].nl, notices[i].en);
		}
	return NULL;
}

static void
notice(struct html *h, const struct console_ctx *c)
{
	bool error = false;
	const char *text = door_notice(c->page.lang, c->notice, &error);

	if (text != NULL)
		html_fmt(h, "<div class=\"notice %s\" role=\"%s\"><p>%s</p>"
		    "</div>\n", error ? "notice-error" : "notice-ok",
		    error ? "alert" : "status", text);
}

static void
closed_notice(struct html *h, enum lang lang)
{
	html_fmt(h, "<div class=\"notice notice-wait\"><p>%s</p></div>\n",
	    TR(lang, "Inchecken is nu gesloten: het kan alleen op de dag van "
	    "de activiteit.", "Check-in is closed now: it is open on the day "
	    "of the event only."));
}

/* The search form of one event (GET, so Back and a reload are safe). */
static void
search_form(struct html *h, const struct console_ctx *c, const char *slug,
    const char *q, const char *id)
{
	enum lang lang = c->page.lang;

	html_fmt(h, "<form method=\"get\" action=\"/beheer/deur/%s\" "
	    "class=\"door-search\" role=\"search\">\n", slug);
	if (lang == LANG_EN && *lq(c) != '\0')
		html_raw(h, "<input type=\"hidden\" name=\"lang\" "
		    "value=\"en\">\n");
	html_fmt(h, "<label for=\"%s\">%s</label>\n<p class=\"hint\" "
	    "id=\"%s-hint\">%s</p>\n<div class=\"door-search-row\">"
	    "<input type=\"search\" id=\"%s\" name=\"" DOOR_FIELD_Q "\" "
	    "value=\"%s\" maxlength=\"%d\" autocomplete=\"off\" "
	    "autocapitalize=\"none\" spellcheck=\"false\" enterkeyhint=\"search\" "
	    "aria-describedby=\"%s-hint\">\n<button type=\"submit\">%s</button>"
	    "</div>\n</form>\n", id, TR(lang, "Zoek op naam", "Search by name"),
	    id, TR(lang, "Een paar letters van de voor- of familienaam.",
	    "A few letters of the given or family name."), id, q != NULL ? q :
	    "", DOOR_Q_MAX, id, TR(lang, "Zoeken", "Search"));
}

/* -- today's events ----------------------------------------------------- */

void
door_today(struct html *h, const struct console_ctx *c, const json_t *doc)
{
	enum lang lang = c->page.lang;
	json_t *events = json_object_get(doc, "events"), *e;
	size_t i;
	char id[32];

	console_frame_open(h, c, TR(lang, "Deur", "Door"), "/beheer/deur");
	html_fmt(h, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n",
	    TR(lang, "Inchecken aan de deur", "Check-in at the door"),
	    TR(lang, "De activiteiten van vandaag. Zoek iemand op naam en "
	    "check in met \xc3\xa9\xc3\xa9n tik.", "Today's events. Find "
	    "someone by name and check them in with one tap."));
	notice(h, c);
	if (json_array_size(events) == 0)
		html_fmt(h, "<p>%s</p>\n", TR(lang, "Vandaag is er geen "
		    "activiteit om in te checken.", "There is no event to check "
		    "people in to today."));
	json_array_foreach(events, i, e) {
		const char *slug = jstr_or(e, "slug", "");

		snprintf(id, sizeof(id), "q-%zu", i);
		html_fmt(h, "<section class=\"door-event\" aria-labelledby=\""
		    "ev-%zu\">\n<h2 id=\"ev-%zu\" lang=\"%s\"><a href=\""
		    "/beheer/deur/%s%s\">%s</a></h2>\n<p class=\"meta\">", i, i,
		    jstr_or(e, "language", "nl"), slug, lq(c),
		    jstr_or(e, "title", ""));
		when(h, lang, e);
		if (jstr(e, "city") != NULL)
			html_fmt(h, " \xc2\xb7 %s", jstr(e, "city"));
		html_raw(h, "</p>\n");
		counter(h, lang, e);
		search_form(h, c, slug, NULL, id);
		html_raw(h, "</section>\n");
	}
	console_frame_close(h, c);
}

/* -- one event: the search and its people --------------------------------- */

static void
person_row(struct html *h, const struct console_ctx *c, const char *slug,
    const char *q, const json_t *p, bool open)
{
	enum lang lang = c->page.lang;
	const char *name = jstr_or(p, "name", "");
	const char *status = jstr(p, "status");
	const char *at = jstr(p, "checked_in_at");
	long long id = jcount(p, "id");

	html_fmt(h, "<li id=\"p-%lld\" class=\"door-person%s\">\n"
	    "<p class=\"door-name\"><strong>%s</strong>", id, at != NULL ?
	    " door-in" : "", name);
	if (jstr(p, "organisation") != NULL)
		html_fmt(h, "<br><span class=\"meta\">%s</span>",
		    jstr(p, "organisation"));
	html_raw(h, "</p>\n<p class=\"door-state\">");
	if (at != NULL) {
		html_fmt(h, "<span class=\"badge badge-ok\">%s ", TR(lang,
		    "Aanwezig", "Checked in"));
		clock(h, at);
		html_raw(h, "</span>");
	} else if (streq(status, "waitlisted"))
		html_fmt(h, "<span class=\"badge badge-full\">%s</span> %s",
		    TR(lang, "Wachtlijst", "Waiting list"), TR(lang, "geen "
		    "plaats, kan niet inchecken", "no seat, cannot check in"));
	else
		html_fmt(h, "<span class=\"badge badge-draft\">%s</span>",
		    TR(lang, "Nog niet binnen", "Not in yet"));
	html_raw(h, "</p>\n");
	if (open && (at != NULL || streq(status, "confirmed"))) {
		html_fmt(h, "<form method=\"post\" action=\"/beheer/deur/%s/"
		    "%lld/%s%s\" class=\"door-act\">\n", slug, id, at != NULL ?
		    "undo" : "check-in", lq(c));
		csrf(h, c);
		html_fmt(h, "<input type=\"hidden\" name=\"" DOOR_FIELD_Q "\" "
		    "value=\"%s\">\n<button type=\"submit\" class=\"%s\">%s"
		    "<span class=\"visually-hidden\">: %s</span></button>\n"
		    "</form>\n", q, at != NULL ? "secondary" : "primary",
		    at != NULL ? TR(lang, "Ongedaan maken", "Undo") :
		    TR(lang, "Inchecken", "Check in"), name);
	}
	html_raw(h, "</li>\n");
}

void
door_event(struct html *h, const struct console_ctx *c, const json_t *doc)
{
	enum lang lang = c->page.lang;
	json_t *e = json_object_get(doc, "event"), *people, *p;
	const char *slug = jstr_or(e, "slug", "");
	const char *q = jstr_or(doc, "q", "");
	bool open = json_is_true(json_object_get(e, "open"));
	char path[128], title[300];
	size_t i, n;

	snprintf(path, sizeof(path), "/beheer/deur/%s", slug);
	if (*q != '\0')
		snprintf(title, sizeof(title), "%s \xe2\x80\x9c%s\xe2\x80\x9d "
		    "\xe2\x80\x93 %s", TR(lang, "Zoeken naar", "Search for"), q,
		    jstr_or(e, "title", ""));
	else
		snprintf(title, sizeof(title), "%s \xe2\x80\x93 %s", TR(lang,
		    "Deur", "Door"), jstr_or(e, "title", ""));
	console_frame_open(h, c, title, path);
	html_fmt(h, "<p><a href=\"/beheer/deur%s\">%s</a></p>\n"
	    "<h1 lang=\"%s\">%s</h1>\n<p class=\"meta\">", lq(c),
	    TR(lang, "\xe2\x86\x90 Activiteiten van vandaag",
	    "\xe2\x86\x90 Today's events"), jstr_or(e, "language", "nl"),
	    jstr_or(e, "title", ""));
	when(h, lang, e);
	html_raw(h, "</p>\n");
	counter(h, lang, e);
	notice(h, c);
	if (!open)
		closed_notice(h, lang);
	search_form(h, c, slug, q, "q");
	if (*q == '\0') {
		console_frame_close(h, c);
		return;
	}
	people = json_object_get(doc, "people");
	n = json_array_size(people);
	html_fmt(h, "<h2 id=\"found\">%s</h2>\n", TR(lang, "Gevonden",
	    "Found"));
	if (n == 0)
		html_fmt(h, "<p>%s</p>\n", TR(lang, "Niemand met die letters in "
		    "de naam. Probeer minder letters, of zonder accenten.",
		    "Nobody with those letters in their name. Try fewer "
		    "letters."));
	else {
		html_fmt(h, "<p class=\"meta\">%zu %s%s</p>\n", n, n == 1 ?
		    TR(lang, "persoon", "person") : TR(lang, "personen",
		    "people"), json_is_true(json_object_get(doc, "more")) ?
		    TR(lang, "; er zijn er meer: typ meer letters",
		    "; there are more: type more letters") : "");
		html_raw(h, "<ul class=\"door-people\" aria-labelledby=\"found\">"
		    "\n");
		json_array_foreach(people, i, p)
			person_row(h, c, slug, q, p, open);
		html_raw(h, "</ul>\n");
	}
	console_frame_close(h, c);
}

/* -- a check-in code ------------------------------------------------------ */

void
door_code(struct html *h, const struct console_ctx *c, const json_t *doc,
    const char *code)
{
	enum lang lang = c->page.lang;
	json_t *e = json_object_get(doc, "event");
	json_t *p = json_object_get(doc, "person");
	const char *name = jstr_or(p, "name", "");
	const char *status = jstr(p, "status");
	const char *at = jstr(p, "checked_in_at");
	bool open = json_is_true(json_object_get(e, "open"));

	console_frame_open(h, c, TR(lang, "Inchecken", "Check in"),
	    "/beheer/deur");
	if (!json_is_object(p)) {
		/* the door, while check-in is closed: the event alone */
		html_fmt(h, "<h1>%s</h1>\n<p lang=\"%s\">%s</p>\n<p class="
		    "\"meta\">", TR(lang, "Inchecken", "Check in"),
		    jstr_or(e, "language", "nl"), jstr_or(e, "title", ""));
		when(h, lang, e);
		html_raw(h, "</p>\n");
		closed_notice(h, lang);
		console_frame_close(h, c);
		return;
	}
	html_fmt(h, "<h1>%s</h1>\n<div class=\"door-person door-card%s\">\n"
	    "<p class=\"door-name\"><strong>%s</strong>", TR(lang, "Inchecken",
	    "Check in"), at != NULL ? " door-in" : "", name);
	if (jstr(p, "organisation") != NULL)
		html_fmt(h, "<br><span class=\"meta\">%s</span>",
		    jstr(p, "organisation"));
	html_fmt(h, "</p>\n<p lang=\"%s\">%s</p>\n<p class=\"meta\">",
	    jstr_or(e, "language", "nl"), jstr_or(e, "title", ""));
	when(h, lang, e);
	html_raw(h, "</p>\n");
	notice(h, c);
	if (at != NULL) {
		html_fmt(h, "<p><span class=\"badge badge-ok\">%s ", TR(lang,
		    "Aanwezig sinds", "Checked in at"));
		clock(h, at);
		html_raw(h, "</span></p>\n");
	} else if (streq(status, "cancelled"))
		html_fmt(h, "<p><span class=\"badge badge-cancelled\">%s</span>"
		    "</p>\n", TR(lang, "Geannuleerd: niet inchecken",
		    "Cancelled: do not check in"));
	else if (streq(status, "waitlisted"))
		html_fmt(h, "<p><span class=\"badge badge-full\">%s</span> %s"
		    "</p>\n", TR(lang, "Wachtlijst", "Waiting list"),
		    TR(lang, "geen plaats, kan niet inchecken",
		    "no seat, cannot check in"));
	else if (!open)
		closed_notice(h, lang);
	else {
		html_fmt(h, "<form method=\"post\" action=\"/beheer/c/%s%s\" "
		    "class=\"door-act\">\n", code, lq(c));
		csrf(h, c);
		html_fmt(h, "<button type=\"submit\">%s<span class="
		    "\"visually-hidden\">: %s</span></button>\n</form>\n",
		    TR(lang, "Inchecken", "Check in"), name);
	}
	html_raw(h, "</div>\n");
	if (open)
		html_fmt(h, "<p><a href=\"/beheer/deur/%s%s\">%s</a></p>\n",
		    jstr_or(e, "slug", ""), lq(c), TR(lang, "Naar de lijst van "
		    "deze activiteit", "To this event's list"));
	console_frame_close(h, c);
}

/* -- the QR code as PNG (for mails, which do not show SVG) ---------------- */

static void
png_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends a chunk (length, type, data, CRC of type and data) at *at. */
static void
png_chunk(unsigned char **at, const char *type, const unsigned char *data,
    size_t len)
{
	unsigned char *p = *at;
	uLong crc;

	png_u32(p, (uint32_t)len);
	memcpy(p + 4, type, 4);
	if (len > 0)
		memcpy(p + 8, data, len);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, p + 4, (uInt)(4 + len));
	png_u32(p + 8 + len, (uint32_t)crc);
	*at = p + 12 + len;
}

bool
door_qr_png(const char *text, int scale, unsigned char **out, size_t *outlen)
{
	QRcode *qr = NULL;
	unsigned char *raw = NULL, *z = NULL, *png = NULL, *p, ihdr[13];
	size_t side, stride, rawlen, x, y;
	uLongf zlen;
	int quiet = 4;
	bool ok = false;

	*out = NULL;
	*outlen = 0;
	if (text == NULL || scale < 1 || scale > 32 ||
	    (qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return false;
	side = (size_t)(qr->width + 2 * quiet) * (size_t)scale;
	stride = 1 + (side + 7) / 8;	/* filter byte, then 1 bit a pixel */
	rawlen = stride * side;
	if ((raw = malloc(rawlen)) == NULL)
		goto done;
	/* grayscale, 1 bit: 1 is white; every row filter 0 (none).  A
	 * row of modules is drawn once and copied for its scale - 1
	 * other pixel rows (a pixel at a time cost a mail 0.2 ms) */
	memset(raw, 0xff, rawlen);
	for (y = 0; y < side; y += (size_t)scale) {
		long my = (long)(y / (size_t)scale) - quiet;
		unsigned char *row = raw + y * stride;
		long mx;
		int k;

		row[0] = 0;
		if (my >= 0 && my < qr->width)
			for (mx = 0; mx < qr->width; mx++) {
				if (!(qr->data[my * qr->width + mx] & 1))
					continue;
				x = (size_t)(mx + quiet) * (size_t)scale;
				for (k = 0; k < scale; k++, x++)
					row[1 + x / 8] &=
					    (unsigned char)~(0x80 >> (x % 8));
			}
		for (k = 1; k < scale; k++)
			memcpy(row + (size_t)k * stride, row, stride);
	}
	zlen = compressBound((uLong)rawlen);
	if ((z = malloc(zlen)) == NULL ||
	    compress2(z, &zlen, raw, (uLong)rawlen,
	    Z_DEFAULT_COMPRESSION) != Z_OK)
		goto done;
	if ((png = malloc(8 + 25 + 12 + zlen + 12)) == NULL)
		goto done;
	memcpy(png, "\x89PNG\r\n\x1a\n", 8);
	png_u32(ihdr, (uint32_t)side);
	png_u32(ihdr + 4, (uint32_t)side);
	ihdr[8] = 1;		/* bit depth */
	ihdr[9] = 0;		/* grayscale */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	p = png + 8;
	png_chunk(&p, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(&p, "IDAT", z, zlen);
	png_chunk(&p, "IEND", NULL, 0);
	*out = png;
	*outlen = (size_t)(p - png);
	png = NULL;
	ok = true;
done:
	free(png);
	free(z);
	free(raw);
	QRcode_free(qr);
	return ok;
}
