/*
 * render/roster.c - the console's registrations pages; see roster.h.
 * Dutch first, English with ?lang=en, in the console's frame
 * (console_frame_open) and the public pages' style sheet.
 *
 * The list is sorted by the database (family name, then given name, in
 * Dutch); this file keeps that order.  Names are shown family name
 * first ("Peeters, An"), as a list sorted by it reads.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "input/form.h"
#include "render/console.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/jsonget.h"
#include "render/roster.h"

struct rdraw {
	struct html		*h;
	const struct console_ctx *c;
	enum lang		 lang;
	const char		*lq;		/* "?lang=xx" or "" */
	const char		*amp;		/* "&lang=xx" or "" */
};

static void
rdraw_init(struct rdraw *p, struct html *h, const struct console_ctx *c)
{
	p->h = h;
	p->c = c;
	p->lang = c->page.lang;
	p->lq = c->page.lq != NULL ? c->page.lq : "";
	p->amp = *p->lq != '\0' ? (p->lang == LANG_EN ? "&lang=en" :
	    "&lang=nl") : "";
}

static const char *
status_label(enum lang lang, const char *status)
{
	if (streq(status, "confirmed"))
		return TR(lang, "Bevestigd", "Confirmed");
	if (streq(status, "waitlisted"))
		return TR(lang, "Wachtlijst", "Waiting list");
	if (streq(status, "cancelled"))
		return TR(lang, "Geannuleerd", "Cancelled");
	return status != NULL ? status : "";
}

static const char *
status_badge(const char *status)
{
	return streq(status, "confirmed") ? "ok" : streq(status, "cancelled") ?
	    "cancelled" : "draft";
}

/* "Peeters, An"; one part alone when the other is empty */
static void
person(struct html *h, const json_t *r)
{
	const char *family = jstr_or(r, "family_name", "");
	const char *given = jstr_or(r, "given_name", "");

	if (*family != '\0' && *given != '\0')
		html_fmt(h, "%s, %s", family, given);
	else if (*family != '\0')
		html_text(h, family);
	else
		html_text(h, *given != '\0' ? given : jstr_or(r, "name", ""));
}

/* "2027-03-18T14:00:05+01:00" as "18-03 14:00" */
static void
short_time(struct rdraw *p, const char *t)
{
	if (t == NULL || strlen(t) < 16) {
		html_raw(p->h, "\xe2\x80\x93");
		return;
	}
	html_fmt(p->h, "<time datetime=\"%s\">%.*s-%.*s %.*s</time>", t,
	    2, t + 8, 2, t + 5, 5, t + 11);
}

static void
notice(struct rdraw *p)
{
	const char *text = NULL;

	if (streq(p->c->notice, "cancelled"))
		text = TR(p->lang, "De inschrijving is geannuleerd. Wie op de "
		    "wachtlijst stond, kreeg de vrije plaats.", "The "
		    "registration was cancelled. The free seat went to the "
		    "waiting list.");
	else if (streq(p->c->notice, "walk-in-added"))
		text = TR(p->lang, "De deelnemer is toegevoegd en ingecheckt.",
		    "The walk-in was added and checked in.");
	if (text != NULL)
		html_fmt(p->h, "<div class=\"notice notice-ok\" role=\"status\">"
		    "<p>%s</p></div>\n", text);
}

/* the crumbs above an event's registrations pages */
static void
crumbs(struct rdraw *p, const json_t *ev, bool list)
{
	html_fmt(p->h, "<p class=\"crumbs\"><a href=\"/beheer/%s\">%s</a> "
	    "\xe2\x80\xba <a href=\"/beheer/events/%s%s\" lang=\"%s\">%s</a>",
	    p->lq, TR(p->lang, "Overzicht", "Overview"), jstr_or(ev, "slug",
	    ""), p->lq, jstr_or(ev, "language", "nl"), jstr_or(ev, "title",
	    ""));
	if (list)
		html_fmt(p->h, " \xe2\x80\xba <a href=\"/beheer/events/%s/"
		    "registrations%s\">%s</a>", jstr_or(ev, "slug", ""), p->lq,
		    TR(p->lang, "Inschrijvingen", "Registrations"));
	html_raw(p->h, "</p>\n");
}

/* -- the list ------------------------------------------------------------- */

static void
option(struct html *h, const char *value, const char *label, bool selected)
{
	html_fmt(h, "<option value=\"%s\"%s>%s</option>\n", value,
	    selected ? " selected" : "", label);
}

static void
filter_form(struct rdraw *p, const json_t *ev, const json_t *filter)
{
	struct html *h = p->h;
	const char *st = jstr_or(filter, "status", "active");
	const char *chk = jstr_or(filter, "checked", "");
	const char *sess = jstr_or(filter, "session", "");
	json_t *sessions = json_object_get(ev, "sessions"), *s;
	size_t i;

	html_fmt(h, "<form method=\"get\" action=\"/beheer/events/%s/"
	    "registrations\" class=\"roster-filter\" role=\"search\" "
	    "aria-label=\"%s\">\n", jstr_or(ev, "slug", ""),
	    TR(p->lang, "Inschrijvingen zoeken", "Search the registrations"));
	if (*p->lq != '\0')
		html_fmt(h, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
		    i18n_code(p->lang));
	html_fmt(h, "<div class=\"field\">\n<label for=\"f-q\">%s</label>\n"
	    "<input type=\"search\" id=\"f-q\" name=\"q\" value=\"%s\" "
	    "maxlength=\"%d\" autocomplete=\"off\" spellcheck=\"false\">\n"
	    "</div>\n", TR(p->lang, "Naam", "Name"), jstr_or(filter, "q", ""),
	    ROSTER_QUERY_MAX);
	html_fmt(h, "<div class=\"field\">\n<label for=\"f-organisation\">%s"
	    "</label>\n<input type=\"search\" id=\"f-organisation\" "
	    "name=\"organisation\" value=\"%s\" maxlength=\"%d\" "
	    "autocomplete=\"off\">\n</div>\n", TR(p->lang, "Organisatie",
	    "Organisation"), jstr_or(filter, "organisation", ""),
	    ROSTER_QUERY_MAX);
	html_fmt(h, "<div class=\"field\">\n<label for=\"f-status\">%s</label>\n"
	    "<select id=\"f-status\" name=\"status\">\n",
	    TR(p->lang, "Status", "Status"));
	option(h, "active", TR(p->lang, "Bevestigd en wachtlijst",
	    "Confirmed and waiting list"), streq(st, "active"));
	option(h, "confirmed", status_label(p->lang, "confirmed"),
	    streq(st, "confirmed"));
	option(h, "waitlisted", status_label(p->lang, "waitlisted"),
	    streq(st, "waitlisted"));
	option(h, "cancelled", status_label(p->lang, "cancelled"),
	    streq(st, "cancelled"));
	option(h, "all", TR(p->lang, "Alle", "All"), streq(st, "all"));
	html_raw(h, "</select>\n</div>\n");
	if (json_array_size(sessions) > 0) {
		html_fmt(h, "<div class=\"field\">\n<label for=\"f-session\">%s"
		    "</label>\n<select id=\"f-session\" name=\"session\">\n",
		    TR(p->lang, "Sessie", "Session"));
		option(h, "", TR(p->lang, "Alle sessies", "All sessions"),
		    *sess == '\0');
		json_array_foreach(sessions, i, s)
			option(h, jstr_or(s, "slug", ""), jstr_or(s, "title",
			    ""), streq(sess, jstr(s, "slug")));
		html_raw(h, "</select>\n</div>\n");
	}
	html_fmt(h, "<div class=\"field\">\n<label for=\"f-checked\">%s</label>\n"
	    "<select id=\"f-checked\" name=\"checked\">\n",
	    TR(p->lang, "Aanwezig", "Checked in"));
	option(h, "", TR(p->lang, "Iedereen", "Everyone"), *chk == '\0');
	option(h, "yes", TR(p->lang, "Ingecheckt", "Checked in"),
	    streq(chk, "yes"));
	option(h, "no", TR(p->lang, "Nog niet ingecheckt",
	    "Not checked in yet"), streq(chk, "no"));
	html_fmt(h, "</select>\n</div>\n<p class=\"actions\"><button "
	    "type=\"submit\">%s</button> <a href=\"/beheer/events/%s/"
	    "registrations%s\">%s</a></p>\n</form>\n",
	    TR(p->lang, "Zoeken", "Search"), jstr_or(ev, "slug", ""), p->lq,
	    TR(p->lang, "Filters wissen", "Clear the filters"));
}

/* the export buttons: links, so they work without JavaScript */
static void
exports(struct rdraw *p, const json_t *ev, const json_t *filter)
{
	struct html *h = p->h;
	const char *slug = jstr_or(ev, "slug", "");
	const char *st = jstr_or(filter, "status", "active");
	const char *sess = jstr(filter, "session");
	char q[200];

	/* the export takes the list's status and session; "checked-in" and
	 * the name searches are the list's own */
	snprintf(q, sizeof(q), "&status=%s%s%s", st, sess != NULL ?
	    "&session=" : "", sess != NULL ? sess : "");
	html_fmt(h, "<section aria-labelledby=\"h-export\">\n<h2 id=\"h-export\">"
	    "%s</h2>\n<ul class=\"actions exports\">\n"
	    "<li><a class=\"button\" href=\"/beheer/events/%s/export?"
	    "format=xlsx%s\" download>%s</a></li>\n"
	    "<li><a class=\"button\" href=\"/beheer/events/%s/export?"
	    "format=csv&amp;profile=excel%s\" download>%s</a></li>\n"
	    "<li><a href=\"/beheer/events/%s/export?format=csv%s\" download>"
	    "%s</a></li>\n"
	    "<li><a href=\"/beheer/events/%s/registrations/print%s\">%s</a>"
	    "</li>\n</ul>\n<p class=\"hint\">%s</p>\n</section>\n",
	    TR(p->lang, "Exporteren en afdrukken", "Export and print"),
	    slug, q, TR(p->lang, "Excel-bestand (XLSX)", "Excel file (XLSX)"),
	    slug, q, TR(p->lang, "CSV voor Excel", "CSV for Excel"),
	    slug, q, TR(p->lang, "CSV (voor programma's)", "CSV (for programs)"),
	    slug, p->lq, TR(p->lang, "Deurlijst afdrukken",
	    "Print the door list"),
	    TR(p->lang, "De bestanden volgen de status en de sessie die je "
	    "hierboven koos; \"CSV voor Excel\" heeft Nederlandse kolommen en "
	    "puntkomma's.", "The files follow the status and session chosen "
	    "above; \"CSV for Excel\" has Dutch headings and semicolons."));
}

static void
sessions_cell(struct rdraw *p, const json_t *r)
{
	json_t *ss = json_object_get(r, "sessions"), *s;
	size_t i;

	if (json_array_size(ss) == 0) {
		html_raw(p->h, "\xe2\x80\x93");
		return;
	}
	json_array_foreach(ss, i, s) {
		if (i > 0)
			html_raw(p->h, "<br>");
		html_text(p->h, jstr_or(s, "title", ""));
		if (streq(jstr(s, "status"), "waitlisted"))
			html_fmt(p->h, " <span class=\"meta\">(%s)</span>",
			    TR(p->lang, "wachtlijst", "waiting list"));
	}
}

void
roster_list(struct html *h, const struct console_ctx *c, const json_t *doc)
{
	struct rdraw d, *p = &d;
	json_t *ev = json_object_get(doc, "event");
	json_t *filter = json_object_get(doc, "filter");
	json_t *regs = json_object_get(doc, "registrations"), *r;
	const char *slug = jstr_or(ev, "slug", "");
	long long count = jint(doc, "count"), cap = jint(ev, "capacity");
	char path[160], title[300], caption[200];
	size_t i;

	rdraw_init(p, h, c);
	snprintf(path, sizeof(path), "/beheer/events/%s/registrations", slug);
	snprintf(title, sizeof(title), "%s: %s", TR(p->lang, "Inschrijvingen",
	    "Registrations"), jstr_or(ev, "title", ""));
	console_frame_open(h, c, title, path);
	crumbs(p, ev, false);
	html_fmt(h, "<h1>%s <span class=\"sub\" lang=\"%s\">%s</span></h1>\n",
	    TR(p->lang, "Inschrijvingen", "Registrations"),
	    jstr_or(ev, "language", "nl"), jstr_or(ev, "title", ""));
	notice(p);
	html_fmt(h, "<p class=\"lead\">%s: %lld", TR(p->lang, "Bevestigd",
	    "Confirmed"), jint(ev, "confirmed") < 0 ? 0 : jint(ev, "confirmed"));
	if (cap >= 0)
		html_fmt(h, " / %lld", cap);
	html_fmt(h, ". %s: %lld.</p>\n", TR(p->lang, "Wachtlijst",
	    "Waiting list"), jint(ev, "waitlisted") < 0 ? 0 :
	    jint(ev, "waitlisted"));
	if (streq(jstr(ev, "status"), "published"))
		html_fmt(h, "<p><a class=\"button\" href=\"%s/new%s\">%s</a></p>"
		    "\n", path, p->lq, TR(p->lang, "Deelnemer zonder "
		    "inschrijving toevoegen", "Add a walk-in"));

	filter_form(p, ev, filter);
	snprintf(caption, sizeof(caption), TR(p->lang, "%lld %s, op "
	    "familienaam", "%lld %s, by family name"), count < 0 ? 0 : count,
	    count == 1 ? TR(p->lang, "inschrijving", "registration") :
	    TR(p->lang, "inschrijvingen", "registrations"));
	if (json_array_size(regs) == 0)
		html_fmt(h, "<p role=\"status\">%s</p>\n", TR(p->lang, "Geen "
		    "inschrijvingen gevonden met deze filters.", "No "
		    "registrations match these filters."));
	else {
		html_fmt(h, "<p class=\"visually-hidden\" role=\"status\">%s</p>\n",
		    caption);
		console_table_open(h, c, "roster", caption);
		html_fmt(h, "<thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
		    "</thead>\n<tbody>\n", TR(p->lang, "Naam", "Name"),
		    TR(p->lang, "Organisatie", "Organisation"),
		    TR(p->lang, "Status", "Status"),
		    TR(p->lang, "Sessies", "Sessions"),
		    TR(p->lang, "Aanwezig", "Checked in"),
		    TR(p->lang, "Ingeschreven", "Registered"),
		    TR(p->lang, "Actie", "Action"));
	}
	json_array_foreach(regs, i, r) {
		const char *st = jstr(r, "status");
		long long id = jint(r, "id");

		html_raw(h, "<tr><th scope=\"row\">");
		person(h, r);
		if (streq(jstr(r, "source"), "walk-in"))
			html_fmt(h, " <span class=\"meta\">(%s)</span>",
			    TR(p->lang, "zonder inschrijving", "walk-in"));
		html_raw(h, "</th><td>");
		html_text(h, jstr_or(r, "organisation", ""));
		html_fmt(h, "</td><td><span class=\"badge badge-%s\">%s</span>"
		    "</td><td>", status_badge(st), status_label(p->lang, st));
		sessions_cell(p, r);
		html_raw(h, "</td><td>");
		if (jstr(r, "checked_in_at") != NULL)
			short_time(p, jstr(r, "checked_in_at"));
		else
			html_fmt(h, "<span class=\"meta\">%s</span>",
			    TR(p->lang, "nee", "no"));
		html_raw(h, "</td><td>");
		short_time(p, jstr(r, "registered_at"));
		html_raw(h, "</td><td>");
		if (!streq(st, "cancelled")) {
			html_fmt(h, "<a href=\"%s/%lld/cancel%s\">%s"
			    "<span class=\"visually-hidden\"> ", path, id,
			    p->lq, TR(p->lang, "Annuleren", "Cancel"));
			person(h, r);
			html_raw(h, "</span></a>");
		}
		html_raw(h, "</td></tr>\n");
	}
	if (json_array_size(regs) > 0)
		console_table_close(h, c);
	exports(p, ev, filter);
	console_frame_close(h, c);
}

/* -- the door list -------------------------------------------------------- */

void
roster_print(struct html *h, const struct console_ctx *c, const json_t *doc)
{
	struct rdraw d, *p = &d;
	json_t *ev = json_object_get(doc, "event");
	json_t *regs = json_object_get(doc, "registrations"), *r;
	const char *slug = jstr_or(ev, "slug", "");
	char path[160], title[300], when[160];
	size_t i;

	rdraw_init(p, h, c);
	snprintf(path, sizeof(path), "/beheer/events/%s/registrations/print",
	    slug);
	snprintf(title, sizeof(title), "%s: %s", TR(p->lang, "Deurlijst",
	    "Door list"), jstr_or(ev, "title", ""));
	console_frame_open(h, c, title, path);
	crumbs(p, ev, true);
	html_fmt(h, "<h1>%s <span class=\"sub\" lang=\"%s\">%s</span></h1>\n",
	    TR(p->lang, "Deurlijst", "Door list"), jstr_or(ev, "language", "nl"),
	    jstr_or(ev, "title", ""));
	if (jstr(ev, "starts_at") != NULL && jstr(ev, "ends_at") != NULL &&
	    i18n_when(p->lang, jstr(ev, "starts_at"), jstr(ev, "ends_at"),
	    when, sizeof(when)))
		html_fmt(h, "<p class=\"lead\"><time datetime=\"%s\">%s</time>"
		    "%s%s</p>\n", jstr(ev, "starts_at"), when,
		    jstr(ev, "city") != NULL ? ", " : "", jstr_or(ev, "city", ""));
	html_fmt(h, "<p class=\"hint no-print\">%s</p>\n", TR(p->lang,
	    "Alle bevestigde deelnemers, op familienaam. Druk deze pagina af "
	    "met de afdrukfunctie van je browser (Ctrl+P); de navigatie valt "
	    "dan weg.", "Every confirmed participant, by family name. Print "
	    "this page with your browser's print command (Ctrl+P); the "
	    "navigation is left out."));
	console_table_open(h, c, "door-list", TR(p->lang, "Bevestigde "
	    "deelnemers, op familienaam", "Confirmed participants, by family "
	    "name"));
	html_fmt(h, "<thead><tr><th scope=\"col\" class=\"tick\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
	    "<tbody>\n", TR(p->lang, "Aanwezig", "Present"),
	    TR(p->lang, "Familienaam", "Family name"),
	    TR(p->lang, "Voornaam", "Given name"),
	    TR(p->lang, "Organisatie", "Organisation"),
	    TR(p->lang, "Sessies", "Sessions"));
	json_array_foreach(regs, i, r) {
		const char *family = jstr_or(r, "family_name", "");

		html_fmt(h, "<tr><td class=\"tick\">%s</td><th scope=\"row\">%s"
		    "</th><td>%s</td><td>%s</td><td>",
		    jstr(r, "checked_in_at") != NULL ? "\xe2\x9c\x93" :
		    "\xe2\x98\x90", *family != '\0' ? family :
		    jstr_or(r, "given_name", ""), *family != '\0' ?
		    jstr_or(r, "given_name", "") : "",
		    jstr_or(r, "organisation", ""));
		sessions_cell(p, r);
		html_raw(h, "</td></tr>\n");
	}
	console_table_close(h, c);
	html_fmt(h, "<p>%s: %zu</p>\n", TR(p->lang, "Aantal", "Count"),
	    json_array_size(regs));
	console_frame_close(h, c);
}

/* -- cancelling on someone's behalf ------------------------------------- */

void
roster_cancel(struct html *h, const struct console_ctx *c, const json_t *doc)
{
	struct rdraw d, *p = &d;
	json_t *ev = json_object_get(doc, "event");
	json_t *r = json_object_get(doc, "registration");
	const char *slug = jstr_or(ev, "slug", "");
	const char *st = jstr(r, "status");
	char path[200], list[160];

	rdraw_init(p, h, c);
	snprintf(list, sizeof(list), "/beheer/events/%s/registrations", slug);
	snprintf(path, sizeof(path), "%s/%lld/cancel", list, jint(r, "id"));
	console_frame_open(h, c, TR(p->lang, "Inschrijving annuleren",
	    "Cancel a registration"), path);
	crumbs(p, ev, true);
	html_fmt(h, "<div class=\"narrow\">\n<h1>%s</h1>\n",
	    TR(p->lang, "Inschrijving annuleren", "Cancel a registration"));
	html_fmt(h, "<dl class=\"facts\">\n<dt>%s</dt>\n<dd>",
	    TR(p->lang, "Naam", "Name"));
	person(h, r);
	html_fmt(h, "</dd>\n<dt>%s</dt>\n<dd>%s</dd>\n<dt>%s</dt>\n<dd>"
	    "<span class=\"badge badge-%s\">%s</span></dd>\n<dt>%s</dt>\n<dd>",
	    TR(p->lang, "Organisatie", "Organisation"),
	    jstr_or(r, "organisation", "\xe2\x80\x93"),
	    TR(p->lang, "Status", "Status"), status_badge(st),
	    status_label(p->lang, st), TR(p->lang, "Sessies", "Sessions"));
	sessions_cell(p, r);
	html_raw(h, "</dd>\n</dl>\n");
	if (streq(st, "cancelled")) {
		html_fmt(h, "<p>%s</p>\n<p><a href=\"%s%s\">%s</a></p>\n</div>\n",
		    TR(p->lang, "Deze inschrijving is al geannuleerd.",
		    "This registration is cancelled already."), list, p->lq,
		    TR(p->lang, "Terug naar de inschrijvingen",
		    "Back to the registrations"));
		console_frame_close(h, c);
		return;
	}
	html_fmt(h, "<p>%s</p>\n<ul class=\"consequences\">\n<li>%s</li>\n"
	    "<li>%s</li>\n<li>%s</li>\n</ul>\n", TR(p->lang, "Als je deze "
	    "inschrijving annuleert:", "If you cancel this registration:"),
	    streq(st, "confirmed") ? TR(p->lang, "komt de plaats vrij en gaat "
	    "ze meteen naar wie het langst op de wachtlijst staat;", "the seat "
	    "is freed and goes at once to whoever has waited longest;") :
	    TR(p->lang, "verlaat de persoon de wachtlijst;", "the person "
	    "leaves the waiting list;"), TR(p->lang, "krijgt de persoon een "
	    "e-mail dat een organisator de inschrijving annuleerde;",
	    "the person gets an e-mail saying that an organiser cancelled "
	    "it;"), TR(p->lang, "komt het in het auditlog, met jouw naam.",
	    "it is recorded in the audit log, with your name."));
	html_fmt(h, "<form method=\"post\" action=\"%s%s\">\n", path, p->lq);
	console_csrf(h, c);
	html_fmt(h, "<p class=\"actions\"><button type=\"submit\" "
	    "class=\"warning\">%s</button> <a href=\"%s%s\">%s</a></p>\n"
	    "</form>\n</div>\n", TR(p->lang, "Ja, annuleer deze inschrijving",
	    "Yes, cancel this registration"), list, p->lq,
	    TR(p->lang, "Nee, terug naar de lijst", "No, back to the list"));
	console_frame_close(h, c);
}

/* -- forms: the walk-in and the erasure ----------------------------------- */

static const char *
field_message(enum lang lang, const char *field, const char *code)
{
	if (streq(code, "required"))
		return streq(field, "given_name") ? TR(lang, "Vul de voornaam "
		    "in.", "Enter the given name.") : streq(field,
		    "family_name") ? TR(lang, "Vul de familienaam in.",
		    "Enter the family name.") : streq(field, "confirm") ?
		    TR(lang, "Vink aan dat je begrijpt dat wissen niet "
		    "ongedaan kan worden.", "Tick the box to confirm that "
		    "erasing cannot be undone.") : TR(lang, "Vul het "
		    "e-mailadres in.", "Enter the e-mail address.");
	if (streq(code, "too-long"))
		return TR(lang, "Dit is te lang.", "This is too long.");
	if (streq(code, "control"))
		return TR(lang, "Gebruik geen tabs of andere stuurtekens.",
		    "Do not use tabs or other control characters.");
	if (streq(code, "duplicate"))
		return TR(lang, "Dit e-mailadres is al ingeschreven voor deze "
		    "activiteit. Zoek de persoon in de lijst.", "This e-mail "
		    "address is registered for this event already. Find the "
		    "person in the list.");
	if (streq(code, "choice"))
		return TR(lang, "Kies een waarde uit de lijst.",
		    "Choose a value from the list.");
	if (streq(field, "email"))
		return TR(lang, "Vul een geldig e-mailadres in, zoals "
		    "an@voorbeeld.be, of laat het leeg.", "Enter a valid "
		    "e-mail address, like an@example.be, or leave it empty.");
	return TR(lang, "Dit klopt niet.", "This is not right.");
}

static const char *
field_error(struct rdraw *p, const struct console_form *f, const char *field)
{
	const char *code = console_form_error(f, field);

	return code != NULL ? field_message(p->lang, field, code) : NULL;
}

struct rfield {
	const char	*name;
	const char	*type;		/* NULL: a select (choices) */
	const char	*label;
	const char	*hint;
	const char	*autocomplete;
	bool		 required;
	const char *const *choices;
	const char	*(*choice_label)(enum lang, const char *);
};

static void
rfield(struct rdraw *p, const struct console_form *f, const struct rfield *fd)
{
	struct html *h = p->h;
	const char *error = field_error(p, f, fd->name);
	const char *v = console_form_value(f, fd->name);
	size_t i;

	html_fmt(h, "<div class=\"field%s\">\n<label for=\"f-%s\">%s%s</label>\n",
	    error != NULL ? " field-error" : "", fd->name, fd->label,
	    fd->required ? "" : TR(p->lang, " (niet verplicht)",
	    " (optional)"));
	if (fd->hint != NULL)
		html_fmt(h, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n",
		    fd->name, fd->hint);
	if (error != NULL)
		html_fmt(h, "<p class=\"error-message\" id=\"f-%s-error\">"
		    "<span class=\"visually-hidden\">%s</span> %s</p>\n",
		    fd->name, TR(p->lang, "Fout:", "Error:"), error);
	if (fd->type != NULL)
		html_fmt(h, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" "
		    "value=\"%s\" autocomplete=\"%s\"%s", fd->type, fd->name,
		    fd->name, v, fd->autocomplete, fd->required ?
		    " required" : "");
	else
		html_fmt(h, "<select id=\"f-%s\" name=\"%s\"", fd->name,
		    fd->name);
	if (fd->hint != NULL && error != NULL)
		html_fmt(h, " aria-describedby=\"f-%s-hint f-%s-error\"",
		    fd->name, fd->name);
	else if (fd->hint != NULL || error != NULL)
		html_fmt(h, " aria-describedby=\"f-%s-%s\"", fd->name,
		    fd->hint != NULL ? "hint" : "error");
	if (error != NULL)
		html_raw(h, " aria-invalid=\"true\"");
	html_raw(h, ">\n");
	if (fd->type == NULL) {
		for (i = 0; fd->choices[i] != NULL; i++)
			option(h, fd->choices[i], fd->choice_label(p->lang,
			    fd->choices[i]), *v != '\0' ? streq(v,
			    fd->choices[i]) : i == 0);
		html_raw(h, "</select>\n");
	}
	html_raw(h, "</div>\n");
}

static void
summary(struct rdraw *p, const struct console_form *f,
    const struct rfield *fields, size_t n, const char *problem_text)
{
	const char *msg;
	size_t i;

	if (problem_text == NULL && (f == NULL ||
	    json_array_size(f->errors) == 0))
		return;
	html_fmt(p->h, "<div class=\"error-summary\" role=\"alert\" "
	    "aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n"
	    "<h2 id=\"error-summary-title\">%s</h2>\n<ul>\n",
	    TR(p->lang, "Er is een probleem", "There is a problem"));
	if (problem_text != NULL)
		html_fmt(p->h, "<li>%s</li>\n", problem_text);
	for (i = 0; i < n; i++)
		if ((msg = field_error(p, f, fields[i].name)) != NULL)
			html_fmt(p->h, "<li><a href=\"#f-%s\">%s</a></li>\n",
			    fields[i].name, msg);
	html_raw(p->h, "</ul>\n</div>\n");
}

static const char *const role_choices[] = { "other", "employer", "employee",
	"job-seeker", "intermediary", "training-provider", "student",
	"citizen", NULL };
static const char *const orgtype_choices[] = { "none", "sme",
	"large-company", "intermediary", "education", "government",
	"non-profit", NULL };

void
roster_walk_in(struct html *h, const struct console_ctx *c, const json_t *doc,
    const struct console_form *f)
{
	struct rdraw d, *p = &d;
	const enum lang lang = c->page.lang;
	json_t *ev = json_object_get(doc, "event");
	const char *slug = jstr_or(ev, "slug", "");
	const char *problem = f != NULL ? f->problem : NULL, *ptext = NULL;
	const struct rfield fields[] = {
		{ "given_name", "text", TR(lang, "Voornaam", "Given name"),
		  NULL, "off", true, NULL, NULL },
		{ "family_name", "text", TR(lang, "Familienaam", "Family name"),
		  NULL, "off", true, NULL, NULL },
		{ "organisation", "text", TR(lang, "Organisatie",
		  "Organisation"), NULL, "off", false, NULL, NULL },
		{ "email", "email", TR(lang, "E-mailadres", "E-mail address"),
		  TR(lang, "Alleen als de persoon mails over deze activiteit "
		  "wil krijgen.", "Only if the person wants mails about this "
		  "event."), "off", false, NULL, NULL },
		{ "role", NULL, TR(lang, "Doelgroep", "Target group"), NULL,
		  NULL, true, role_choices, i18n_role },
		{ "organisation_type", NULL, TR(lang, "Soort organisatie",
		  "Type of organisation"), NULL, NULL, true, orgtype_choices,
		  i18n_organisation_type },
	};
	const size_t n = sizeof(fields) / sizeof(fields[0]);
	char path[200], list[160], title[200], seats[160];
	long long left = jint(ev, "seats_left");
	size_t i;

	rdraw_init(p, h, c);
	if (streq(problem, "event-full"))
		ptext = TR(p->lang, "De activiteit is volzet: er is geen plaats "
		    "meer voor een deelnemer zonder inschrijving. Annuleer eerst "
		    "een inschrijving van iemand die niet komt.", "The event is "
		    "full: there is no seat left for a walk-in. Cancel the "
		    "registration of someone who is not coming first.");
	else if (streq(problem, "event-cancelled"))
		ptext = TR(p->lang, "Deze activiteit is geannuleerd.",
		    "This event was cancelled.");
	else if (problem != NULL)
		ptext = TR(p->lang, "Deze activiteit is niet gepubliceerd.",
		    "This event is not published.");
	snprintf(list, sizeof(list), "/beheer/events/%s/registrations", slug);
	snprintf(path, sizeof(path), "%s/new", list);
	snprintf(title, sizeof(title), "%s%s", ptext != NULL || (f != NULL &&
	    json_array_size(f->errors) > 0) ? TR(p->lang, "Fout: ", "Error: ") :
	    "", TR(p->lang, "Deelnemer zonder inschrijving",
	    "Add a walk-in"));
	console_frame_open(h, c, title, path);
	crumbs(p, ev, true);
	html_fmt(h, "<div class=\"narrow\">\n<h1>%s</h1>\n<p class=\"lead\">%s"
	    "</p>\n", TR(p->lang, "Deelnemer zonder inschrijving",
	    "Add a walk-in"), TR(p->lang, "Voor wie aan de deur staat zonder "
	    "ingeschreven te zijn: de persoon wordt meteen ingecheckt.",
	    "For someone at the door who did not register: they are checked "
	    "in at once."));
	if (left >= 0) {
		snprintf(seats, sizeof(seats), TR(p->lang, "Nog %lld vrije "
		    "plaatsen.", "%lld seats left."), left);
		html_fmt(h, "<p>%s</p>\n", left == 0 ? TR(p->lang, "Er zijn geen "
		    "vrije plaatsen meer.", "There are no seats left.") : seats);
	}
	summary(p, f, fields, n, ptext);
	html_fmt(h, "<form method=\"post\" action=\"%s%s\" novalidate>\n", list,
	    p->lq);
	console_csrf(h, c);
	for (i = 0; i < n; i++)
		rfield(p, f, &fields[i]);
	html_fmt(h, "<p class=\"actions\"><button type=\"submit\">%s</button> "
	    "<a href=\"%s%s\">%s</a></p>\n</form>\n</div>\n",
	    TR(p->lang, "Toevoegen en inchecken", "Add and check in"), list,
	    p->lq, TR(p->lang, "Annuleren", "Cancel"));
	console_frame_close(h, c);
}

void
roster_erasure(struct html *h, const struct console_ctx *c,
    const struct console_form *f, const json_t *done)
{
	struct rdraw d, *p = &d;
	const enum lang lang = c->page.lang;
	const struct rfield fields[] = {
		{ "email", "email", TR(lang, "E-mailadres", "E-mail address"),
		  TR(lang, "Alles wat met dit adres is ingeschreven, in om het "
		  "even welke hoofdletters.", "Everything registered with this "
		  "address, in any case."), "off", true, NULL, NULL },
	};
	const char *cerr;
	char title[120];
	bool failed = f != NULL && json_array_size(f->errors) > 0;

	rdraw_init(p, h, c);
	cerr = field_error(p, f, "confirm");
	snprintf(title, sizeof(title), "%s%s", failed ? TR(p->lang, "Fout: ",
	    "Error: ") : "", TR(p->lang, "Persoonsgegevens wissen",
	    "Erase personal data"));
	console_frame_open(h, c, title, "/beheer/wissen");
	console_admin_tabs(h, c, "/beheer/wissen");
	html_fmt(h, "<div class=\"narrow\">\n<h1>%s</h1>\n",
	    TR(p->lang, "Persoonsgegevens wissen", "Erase personal data"));
	if (done != NULL)
		html_fmt(h, "<div class=\"notice notice-ok\" role=\"status\">"
		    "<p>%s %lld. %s %lld.</p></div>\n", TR(p->lang,
		    "Gewiste inschrijvingen:", "Registrations erased:"),
		    jint(done, "erased") < 0 ? 0 : jint(done, "erased"),
		    TR(p->lang, "Vrijgekomen plaatsen (naar de wachtlijst):",
		    "Seats freed (given to the waiting list):"),
		    jint(done, "seats_freed") < 0 ? 0 :
		    jint(done, "seats_freed"));
	html_fmt(h, "<p>%s</p>\n<ul class=\"consequences\">\n<li>%s</li>\n"
	    "<li>%s</li>\n<li>%s</li>\n</ul>\n", TR(p->lang, "Op vraag van de "
	    "persoon (AVG, artikel 17). Wissen kan niet ongedaan worden:",
	    "At the person's request (GDPR, article 17). Erasing cannot be "
	    "undone:"), TR(p->lang, "naam, e-mailadres en organisatie worden "
	    "gewist uit elke inschrijving met dit adres;", "name, e-mail "
	    "address and organisation are erased from every registration with "
	    "this address;"), TR(p->lang, "een plaats in een activiteit die nog "
	    "komt, wordt geannuleerd en gaat naar de wachtlijst;", "a seat in "
	    "an event still to come is cancelled and goes to the waiting "
	    "list;"), TR(p->lang, "wie er op een voorbije activiteit was, blijft "
	    "meetellen in De teller loopt, zonder naam.", "attendance at past "
	    "events still counts in the reach report, without a name."));
	summary(p, f, fields, 1, cerr);
	html_raw(h, "<form method=\"post\" action=\"/beheer/wissen");
	html_fmt(h, "%s\" novalidate>\n", p->lq);
	console_csrf(h, c);
	/* the address is never drawn again after an erasure */
	rfield(p, done != NULL ? NULL : f, &fields[0]);
	html_fmt(h, "<div class=\"field%s\">\n", cerr != NULL ?
	    " field-error" : "");
	if (cerr != NULL)
		html_fmt(h, "<p class=\"error-message\" id=\"f-confirm-error\">"
		    "<span class=\"visually-hidden\">%s</span> %s</p>\n",
		    TR(p->lang, "Fout:", "Error:"), cerr);
	html_raw(h, "<div class=\"check\"><input type=\"checkbox\" "
	    "id=\"f-confirm\" name=\"confirm\" value=\"yes\"");
	if (cerr != NULL)
		html_raw(h, " aria-invalid=\"true\" "
		    "aria-describedby=\"f-confirm-error\"");
	html_fmt(h, "> <label for=\"f-confirm\">%s</label></div>\n</div>\n",
	    TR(p->lang, "Ik begrijp dat dit niet ongedaan kan worden.",
	    "I understand that this cannot be undone."));
	html_fmt(h, "<p><button type=\"submit\" class=\"warning\">%s</button>"
	    "</p>\n</form>\n</div>\n", TR(p->lang, "Gegevens wissen",
	    "Erase the data"));
	console_frame_close(h, c);
}
