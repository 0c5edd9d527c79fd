/*
 * mail.c - the words of the mails: subject, plain text and HTML from
 * lk_mail_doc's JSON, and the calendar to attach (render/ics.c).
 * Pure: no database, no clock, no I/O.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/door.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/mail.h"

#define MAIL_PRODID	"-//leerkans//leerkansd " PACKAGE_VERSION "//EN"

static const char *const kind_names[] = {
	[MAIL_REGISTERED] = "registered",
	[MAIL_PROMOTED] = "promoted",
	[MAIL_CANCELLED] = "cancelled",
	[MAIL_CHANGED] = "changed",
	[MAIL_EVENT_CANCELLED] = "event-cancelled",
	[MAIL_REMINDER] = "reminder",
	[MAIL_LINKS] = "links"
};

bool
mail_kind_parse(const char *s, enum mail_kind *out)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum mail_kind)i;
			return true;
		}
	return false;
}

const char *
mail_kind_name(enum mail_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(kind_names[0]) ?
	    kind_names[k] : "?";
}

/* -- plain text, built without escaping ---------------------------------- */

struct text {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	bool	 failed;
};

static void text_fmt(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_fmt(struct text *t, const char *fmt, ...)
{
	va_list ap;
	char *nb;
	size_t ncap;
	int n;

	if (t->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->failed = true;
		return;
	}
	if (t->len + (size_t)n + 1 > t->cap) {
		ncap = t->cap == 0 ? 1024 : t->cap;
		while (ncap < t->len + (size_t)n + 1)
			ncap *= 2;
		if ((nb = realloc(t->buf, ncap)) == NULL) {
			t->failed = true;
			return;
		}
		t->buf = nb;
		t->cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* -- reading the document ------------------------------------------------ */

static bool
streq_(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The place, from the personal feed's event: "name, address, postcode
 * city", or the online address; "" when none. */
static void
place_of(const json_t *cal, char *out, size_t outlen)
{
	const json_t *e = json_array_get(json_object_get(cal, "events"), 0);
	const char *parts[3];
	const char *pc, *city, *online;
	char pcc[256];
	size_t n = 0, i, used = 0;

	*out = '\0';
	if (e == NULL)
		return;
	pc = jstr(e, "venue_postcode");
	city = jstr(e, "venue_city");
	pcc[0] = '\0';
	if (pc != NULL || city != NULL)
		snprintf(pcc, sizeof(pcc), "%s%s%s", pc != NULL ? pc : "",
		    pc != NULL && city != NULL ? " " : "",
		    city != NULL ? city : "");
	if ((parts[n] = jstr(e, "venue_name")) != NULL && *parts[n] != '\0')
		n++;
	if ((parts[n] = jstr(e, "venue_address")) != NULL && *parts[n] != '\0')
		n++;
	if (pcc[0] != '\0')
		parts[n++] = pcc;
	for (i = 0; i < n && used < outlen; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%s",
		    i > 0 ? ", " : "", parts[i]);
	online = jstr(e, "online_url");
	if (online != NULL && *online != '\0' && used < outlen)
		snprintf(out + used, outlen - used, "%s%s", n > 0 ? " / " : "",
		    online);
}

/* -- the words ----------------------------------------------------------- */

static const char *
subject_of(enum lang l, enum mail_kind k, const char *status)
{
	switch (k) {
	case MAIL_REGISTERED:
		if (status != NULL && strcmp(status, "waitlisted") == 0)
			return TR(l, "Op de wachtlijst", "On the waiting list");
		return TR(l, "Inschrijving bevestigd", "Registration confirmed");
	case MAIL_PROMOTED:
		return TR(l, "Je hebt een plaats", "You have a place");
	case MAIL_CANCELLED:
		return TR(l, "Inschrijving geannuleerd",
		    "Registration cancelled");
	case MAIL_CHANGED:
		return TR(l, "Gewijzigd", "Changed");
	case MAIL_EVENT_CANCELLED:
		return TR(l, "Geannuleerd", "Cancelled");
	case MAIL_REMINDER:
		return TR(l, "Herinnering", "Reminder");
	case MAIL_LINKS:
		break;
	}
	return TR(l, "Je inschrijvingen bij Leerkans",
	    "Your registrations with Leerkans");
}

/* The paragraph that says what happened. */
static const char *
lead_of(enum lang l, enum mail_kind k, const char *status, const char *by,
    const char *source)
{
	switch (k) {
	case MAIL_REGISTERED:
		if (streq_(source, "walk-in"))
			return TR(l, "Je bent aan de ingang ingeschreven en "
			    "ingecheckt. Welkom! Zo vind je je inschrijving "
			    "terug.", "You were registered and checked in at "
			    "the door. Welcome! This is how to find your "
			    "registration again.");
		if (status != NULL && strcmp(status, "waitlisted") == 0)
			return TR(l, "Het evenement is volzet. Je staat op de "
			    "wachtlijst; komt er een plaats vrij, dan krijg je "
			    "die en laten we het je weten.",
			    "The event is full. You are on the waiting list; "
			    "when a place comes free it is yours, and we will "
			    "let you know.");
		return TR(l, "Je inschrijving is bevestigd. Tot dan!",
		    "Your registration is confirmed. See you there!");
	case MAIL_PROMOTED:
		return TR(l, "Er kwam een plaats vrij: je inschrijving is nu "
		    "bevestigd.", "A place came free: your registration is "
		    "now confirmed.");
	case MAIL_CANCELLED:
		if (by != NULL && strcmp(by, "organiser") == 0)
			return TR(l, "De organisator heeft je inschrijving "
			    "geannuleerd.", "The organiser cancelled your "
			    "registration.");
		return TR(l, "Je hebt je inschrijving geannuleerd.",
		    "You cancelled your registration.");
	case MAIL_CHANGED:
		return TR(l, "Het tijdstip of de plaats is gewijzigd. Dit zijn "
		    "de gegevens zoals ze nu zijn.", "The time or the place "
		    "changed. These are the details as they are now.");
	case MAIL_EVENT_CANCELLED:
		return TR(l, "Het evenement gaat niet door. Het spijt ons.",
		    "The event has been cancelled. We are sorry.");
	case MAIL_REMINDER:
		return TR(l, "Een herinnering: je bent ingeschreven.",
		    "A reminder: you are registered.");
	case MAIL_LINKS:
		break;
	}
	return TR(l, "Je vroeg de links naar je inschrijvingen. Via elke "
	    "link bekijk of annuleer je de inschrijving.", "You asked for "
	    "the links to your registrations. Each link shows the "
	    "registration and lets you cancel it.");
}

static const char *
status_word(enum lang l, const char *s)
{
	if (s == NULL)
		return "";
	if (strcmp(s, "confirmed") == 0)
		return TR(l, "bevestigd", "confirmed");
	if (strcmp(s, "waitlisted") == 0)
		return TR(l, "wachtlijst", "waiting list");
	if (strcmp(s, "cancelled") == 0)
		return TR(l, "geannuleerd", "cancelled");
	return s;
}

static void
html_head(struct html *h, enum lang l, const char *title)
{
	html_fmt(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n"
	    "<body style=\"font-family: sans-serif; line-height: 1.5; "
	    "max-width: 40em\">\n", i18n_code(l), title);
}

/* Does this mail carry the check-in code?  A mail about a confirmed
 * seat, while the code can be used (lk_mail_claim gives it then). */
static bool
carries_code(const json_t *doc, enum mail_kind k)
{
	const json_t *reg = json_object_get(doc, "registration");

	return (k == MAIL_REGISTERED || k == MAIL_PROMOTED ||
	    k == MAIL_CHANGED || k == MAIL_REMINDER) &&
	    streq_(jstr(reg, "status"), "confirmed") &&
	    door_code_ok(jstr(doc, "checkin_code"));
}

/* The check-in code: its address, its QR code as PNG and the PNG's
 * Content-ID into out.  False when it cannot be made. */
static bool
qr_make(const json_t *doc, const char *base, struct mail_text *out)
{
	char url[1024], cid[64];

	if (!door_code_url(base, jstr(doc, "checkin_code"), url, sizeof(url)))
		return false;
	snprintf(cid, sizeof(cid), "checkin.%lld@leerkans",
	    (long long)json_integer_value(json_object_get(doc, "id")));
	if ((out->checkin_url = strdup(url)) == NULL ||
	    (out->qr_cid = strdup(cid)) == NULL ||
	    !door_qr_png(url, MAIL_QR_SCALE, &out->qr_png, &out->qr_png_len))
		return false;
	return true;
}

/* The PNG's width in pixels (IHDR; square). */
static size_t
png_side(const unsigned char *png, size_t len)
{
	if (len < 24)
		return 0;
	return (size_t)png[16] << 24 | (size_t)png[17] << 16 |
	    (size_t)png[18] << 8 | png[19];
}

/* "Show this at the door": the address in the text, the QR code in the
 * HTML (an inline image by its Content-ID, the address as its alt). */
static void
render_checkin(enum lang l, const struct mail_text *m, struct text *t,
    struct html *h)
{
	size_t side = png_side(m->qr_png, m->qr_png_len);

	text_fmt(t, "\n%s\n%s\n", TR(l, "Toon dit aan de ingang om in te "
	    "checken:", "Show this at the door to check in:"),
	    m->checkin_url);
	html_fmt(h, "<p>%s</p>\n<p><img src=\"cid:%s\" width=\"%zu\" "
	    "height=\"%zu\" alt=\"%s %s\"></p>\n",
	    TR(l, "Toon deze QR-code aan de ingang om in te checken.",
	    "Show this QR code at the door to check in."), m->qr_cid, side,
	    side, TR(l, "QR-code om in te checken:", "QR code to check in:"),
	    m->checkin_url);
}

/* A registration's mail: the event, when and where, the sessions, the
 * status, the check-in code, and the manage link. */
static void
render_registration(const json_t *doc, enum lang l, enum mail_kind k,
    const char *base, const char *lead, const struct mail_text *m,
    struct text *t, struct html *h)
{
	const json_t *reg = json_object_get(doc, "registration");
	const json_t *ev = json_object_get(reg, "event");
	const json_t *sessions = json_object_get(reg, "sessions");
	const json_t *s, *pos;
	const char *title = jstr(ev, "title"), *manage;
	const char *status = jstr(reg, "status");
	char when[160], place[600], times[64];
	size_t i;

	if (title == NULL)
		title = "";
	manage = jstr(reg, "manage_url");
	if (!i18n_when(l, jstr(ev, "starts_at"), jstr(ev, "ends_at"), when,
	    sizeof(when)))
		when[0] = '\0';
	place_of(json_object_get(doc, "calendar"), place, sizeof(place));

	text_fmt(t, "%s\n\n%s\n", lead, title);
	html_fmt(h, "<p>%s</p>\n<h1 style=\"font-size: 1.3em\">%s</h1>\n<ul>\n",
	    lead, title);
	if (when[0] != '\0') {
		text_fmt(t, "%s: %s\n", TR(l, "Wanneer", "When"), when);
		html_fmt(h, "<li>%s: %s</li>\n", TR(l, "Wanneer", "When"),
		    when);
	}
	if (place[0] != '\0') {
		text_fmt(t, "%s: %s\n", TR(l, "Waar", "Where"), place);
		html_fmt(h, "<li>%s: %s</li>\n", TR(l, "Waar", "Where"), place);
	}
	text_fmt(t, "%s: %s", TR(l, "Status", "Status"), status_word(l, status));
	html_fmt(h, "<li>%s: %s", TR(l, "Status", "Status"),
	    status_word(l, status));
	pos = json_object_get(reg, "waitlist_position");
	if (json_is_integer(pos) && status != NULL &&
	    strcmp(status, "waitlisted") == 0 && k != MAIL_CANCELLED) {
		text_fmt(t, " (%s %lld)", TR(l, "plaats", "place"),
		    (long long)json_integer_value(pos));
		html_fmt(h, " (%s %lld)", TR(l, "plaats", "place"),
		    (long long)json_integer_value(pos));
	}
	text_fmt(t, "\n");
	html_raw(h, "</li>\n</ul>\n");
	if (json_array_size(sessions) > 0) {
		text_fmt(t, "\n%s:\n", TR(l, "Sessies", "Sessions"));
		html_fmt(h, "<p>%s:</p>\n<ul>\n", TR(l, "Sessies", "Sessions"));
		json_array_foreach(sessions, i, s) {
			if (!i18n_times(jstr(s, "starts_at"),
			    jstr(s, "ends_at"), times, sizeof(times)))
				times[0] = '\0';
			text_fmt(t, "- %s %s (%s)\n", times,
			    jstr(s, "title") != NULL ? jstr(s, "title") : "",
			    status_word(l, jstr(s, "status")));
			html_fmt(h, "<li>%s %s (%s)</li>\n", times,
			    jstr(s, "title") != NULL ? jstr(s, "title") : "",
			    status_word(l, jstr(s, "status")));
		}
		html_raw(h, "</ul>\n");
	}
	if (m->qr_png != NULL)
		render_checkin(l, m, t, h);
	if (manage != NULL) {
		text_fmt(t, "\n%s\n%s%s\n", TR(l, "Je inschrijving bekijken of "
		    "annuleren:", "See or cancel your registration:"), base,
		    manage);
		html_fmt(h, "<p><a href=\"%s%s\">%s</a></p>\n", base, manage,
		    TR(l, "Je inschrijving bekijken of annuleren",
		    "See or cancel your registration"));
	}
	if (k != MAIL_CANCELLED && k != MAIL_EVENT_CANCELLED) {
		text_fmt(t, "\n%s\n", TR(l, "De bijlage zet het evenement in "
		    "je agenda.", "The attachment puts the event in your "
		    "calendar."));
		html_fmt(h, "<p>%s</p>\n", TR(l, "De bijlage zet het evenement "
		    "in je agenda.", "The attachment puts the event in your "
		    "calendar."));
	}
}

static void
render_links(const json_t *doc, enum lang l, const char *base,
    const char *lead, struct text *t, struct html *h)
{
	const json_t *links = json_object_get(doc, "links");
	const json_t *x;
	char when[160];
	size_t i;

	text_fmt(t, "%s\n", lead);
	html_fmt(h, "<p>%s</p>\n<ul>\n", lead);
	json_array_foreach(links, i, x) {
		if (!i18n_moment(l, jstr(x, "starts_at"), when, sizeof(when)))
			when[0] = '\0';
		text_fmt(t, "\n%s\n%s (%s)\n%s%s\n",
		    jstr(x, "title") != NULL ? jstr(x, "title") : "", when,
		    status_word(l, jstr(x, "status")), base,
		    jstr(x, "manage_url") != NULL ? jstr(x, "manage_url") : "");
		html_fmt(h, "<li><a href=\"%s%s\">%s</a> &ndash; %s (%s)</li>\n",
		    base,
		    jstr(x, "manage_url") != NULL ? jstr(x, "manage_url") : "",
		    jstr(x, "title") != NULL ? jstr(x, "title") : "", when,
		    status_word(l, jstr(x, "status")));
	}
	html_raw(h, "</ul>\n");
}

bool
mail_render(const json_t *doc, const char *public_url, struct mail_text *out)
{
	const json_t *reg = json_object_get(doc, "registration");
	const char *status = jstr(reg, "status");
	const char *title = jstr(json_object_get(reg, "event"), "title");
	const char *name = jstr(doc, "name");
	const char *subject, *lead;
	struct text t;
	struct html h;
	enum lang l = LANG_NL;
	enum mail_kind k;
	const char *base = public_url != NULL ? public_url : "";
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(doc) || !mail_kind_parse(jstr(doc, "kind"), &k))
		return false;
	if (k == MAIL_LINKS ? !json_is_array(json_object_get(doc, "links")) :
	    !json_is_object(reg) || title == NULL)
		return false;
	/* French registrants read English rather than Dutch */
	if (!i18n_parse(jstr(doc, "language"), &l))
		l = streq_(jstr(doc, "language"), "fr") ? LANG_EN : LANG_NL;
	subject = subject_of(l, k, status);
	lead = lead_of(l, k, status,
	    jstr(json_object_get(doc, "facts"), "by"), jstr(doc, "source"));

	memset(&t, 0, sizeof(t));
	html_init(&h);
	if (k == MAIL_LINKS)
		text_fmt(&t, "%s", subject);
	else
		text_fmt(&t, "%s: %s", subject, title);
	out->subject = t.buf;
	if (t.failed)
		goto fail;
	/* one line, whatever the title holds: no header of its own */
	for (i = 0; out->subject[i] != '\0'; i++)
		if ((unsigned char)out->subject[i] < 0x20 ||
		    out->subject[i] == 0x7f)
			out->subject[i] = ' ';
	memset(&t, 0, sizeof(t));

	html_head(&h, l, out->subject);
	if (name != NULL && *name != '\0') {
		text_fmt(&t, "%s %s,\n\n", TR(l, "Beste", "Dear"), name);
		html_fmt(&h, "<p>%s %s,</p>\n", TR(l, "Beste", "Dear"), name);
	} else {
		text_fmt(&t, "%s\n\n", TR(l, "Hallo,", "Hello,"));
		html_fmt(&h, "<p>%s</p>\n", TR(l, "Hallo,", "Hello,"));
	}
	/* a code that cannot be drawn (an address too long for a QR
	 * code) leaves the mail without it rather than unsent */
	if (carries_code(doc, k) && !qr_make(doc, base, out)) {
		free(out->checkin_url);
		free(out->qr_png);
		free(out->qr_cid);
		out->checkin_url = out->qr_cid = NULL;
		out->qr_png = NULL;
		out->qr_png_len = 0;
	}
	if (k == MAIL_LINKS)
		render_links(doc, l, base, lead, &t, &h);
	else
		render_registration(doc, l, k, base, lead, out, &t, &h);
	/* the footer: who writes, and the privacy notice (GDPR art. 13),
	 * in the mail's language */
	text_fmt(&t, "\n-- \n%s\n%s %s/privacy%s\n", TR(l, "Leerkans, "
	    "West-Vlaams Partnerschap Levenslang Leren. Deze mail is "
	    "automatisch verstuurd.", "Leerkans, West-Vlaams Partnerschap "
	    "Levenslang Leren. This mail was sent automatically."),
	    TR(l, "Wat we met je gegevens doen:", "What we do with your "
	    "data:"), base, l == LANG_EN ? "?lang=en" : "");
	html_fmt(&h, "<p style=\"color: #555\">%s<br>\n<a href=\"%s/privacy%s\">"
	    "%s</a></p>\n</body>\n</html>\n",
	    TR(l, "Leerkans, West-Vlaams Partnerschap Levenslang Leren. Deze "
	    "mail is automatisch verstuurd.", "Leerkans, West-Vlaams "
	    "Partnerschap Levenslang Leren. This mail was sent "
	    "automatically."), base, l == LANG_EN ? "?lang=en" : "",
	    TR(l, "Privacyverklaring: wat we met je gegevens doen",
	    "Privacy notice: what we do with your data"));
	if (t.failed || !html_ok(&h) || (out->html = strdup(html_str(&h))) ==
	    NULL) {
		free(t.buf);
		goto fail;
	}
	out->text = t.buf;
	html_free(&h);
	out->kind = k;
	out->calendar = k != MAIL_LINKS &&
	    json_is_object(json_object_get(doc, "calendar"));
	out->method = k == MAIL_CANCELLED || k == MAIL_EVENT_CANCELLED ?
	    ICS_CANCEL : ICS_REQUEST;
	return true;
fail:
	html_free(&h);
	mail_text_free(out);
	return false;
}

void
mail_text_free(struct mail_text *m)
{
	free(m->subject);
	free(m->text);
	free(m->html);
	free(m->checkin_url);
	free(m->qr_png);
	free(m->qr_cid);
	memset(m, 0, sizeof(*m));
}

char *
mail_calendar(const json_t *doc, const struct mail_text *m,
    const char *public_url, size_t *lenp)
{
	const json_t *cal = json_object_get(doc, "calendar");
	struct ics_calendar c;
	char *text = NULL;

	if (!m->calendar || !json_is_object(cal))
		return NULL;
	memset(&c, 0, sizeof(c));
	c.prodid = MAIL_PRODID;
	c.base_url = public_url != NULL ? public_url : "";
	c.refresh = 3600;
	c.method = m->method;
	if (ics_calendar_from_json(&c, cal) && c.nevents > 0)
		text = ics_render(&c, lenp);
	ics_calendar_clear(&c);
	return text;
}
