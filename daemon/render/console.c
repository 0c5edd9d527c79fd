/*
 * render/console.c - the organiser console's pages as pure renderers;
 * see console.h.  Dutch first, English with ?lang=en, in the public
 * pages' style sheet (the console's part is marked there).
 *
 * Accessibility as on the public pages: landmarks (header, nav, main,
 * footer), a skip link, one h1, labels for every control, the error
 * summary first and each message beside its field, tables with a
 * caption and th scope, and wide tables in a focusable region that
 * scrolls on a phone rather than the page.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/account.h"
#include "input/eventform.h"
#include "input/form.h"
#include "render/console.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/jsonget.h"
#include "render/page.h"
#include "render/pages.h"

/* A page being drawn. */
struct draw {
	struct html		*h;
	const struct console_ctx *c;
	enum lang		 lang;
	const char		*lq;		/* "?lang=xx" or "" */
	const char		*amp;		/* "&lang=xx" or "" */
};

/*
 * The navigation: every part of the console, the least role it needs,
 * and whether it is built yet (a part not built is not linked).
 */
static const struct {
	const char		*path, *nl, *en;
	enum account_role	 least;
	bool			 built;
} nav[] = {
	{ "/beheer/", "Overzicht", "Overview", ROLE_DOOR, true },
	{ "/beheer/events", "Activiteiten", "Events", ROLE_ORGANISER, false },
	{ "/beheer/deur", "Deur", "Door", ROLE_DOOR, true },
	{ "/beheer/teller", "De teller loopt", "De teller loopt",
	  ROLE_ORGANISER, true },
	{ "/beheer/users", "Beheer", "Administration", ROLE_ADMIN, true },
};

/* The admin's pages, under "Beheer". */
static const struct {
	const char	*path, *nl, *en;
} admin_nav[] = {
	{ "/beheer/users", "Gebruikers", "Users" },
	{ "/beheer/tokens", "API-sleutels", "API tokens" },
	{ "/beheer/audit", "Auditlog", "Audit log" },
	{ "/beheer/wissen", "Gegevens wissen", "Erase data" },
};

/* -- small helpers -------------------------------------------------------- */

static void
draw_init(struct draw *p, struct html *h, const struct console_ctx *c)
{
	p->h = h;
	p->c = c;
	p->lang = c->page.lang;
	p->lq = c->page.lq != NULL ? c->page.lq : "";
	p->amp = *p->lq != '\0' ? (p->lang == LANG_EN ? "&lang=en" :
	    "&lang=nl") : "";
}

/* Words for the codes the documents hold: roles, statuses, actions. */
struct word {
	const char	*code, *nl, *en;
};

static const struct word role_words[] = {
	{ "admin", "beheerder", "admin" },
	{ "organiser", "organisator", "organiser" },
	{ "door", "deur", "door" },
	{ NULL, NULL, NULL }
};

static const struct word status_words[] = {
	{ "published", "Gepubliceerd", "Published" },
	{ "draft", "Ontwerp", "Draft" },
	{ "cancelled", "Geannuleerd", "Cancelled" },
	{ NULL, NULL, NULL }
};

static const struct word action_words[] = {
	{ "login", "Aangemeld", "Logged in" },
	{ "login-failed", "Mislukte aanmelding", "Failed login" },
	{ "logout", "Afgemeld", "Logged out" },
	{ "user-create", "Gebruiker toegevoegd", "User added" },
	{ "user-disable", "Gebruiker uitgeschakeld", "User disabled" },
	{ "user-enable", "Gebruiker ingeschakeld", "User enabled" },
	{ "user-role", "Rol gewijzigd", "Role changed" },
	{ "user-password", "Wachtwoord gewijzigd", "Password changed" },
	{ "token-create", "API-sleutel aangemaakt", "API token created" },
	{ "token-revoke", "API-sleutel ingetrokken", "API token revoked" },
	{ "event-create", "Activiteit aangemaakt", "Event created" },
	{ "event-update", "Activiteit gewijzigd", "Event changed" },
	{ "event-publish", "Activiteit gepubliceerd", "Event published" },
	{ "event-cancel", "Activiteit geannuleerd", "Event cancelled" },
	{ "event-duplicate", "Activiteit gekopieerd", "Event duplicated" },
	{ "export", "Deelnemerslijst ge\xc3\xabxporteerd",
	  "Attendee list exported" },
	{ "erasure", "Persoonsgegevens gewist", "Personal data erased" },
	{ "purge", "Bewaartermijn: gegevens gewist", "Retention: data erased" },
	{ "registration-cancel", "Inschrijving geannuleerd door organisator",
	  "Registration cancelled by an organiser" },
	{ "walk-in", "Deelnemer zonder inschrijving toegevoegd",
	  "Walk-in added" },
	{ NULL, NULL, NULL }
};

/* The word for code, or the code itself when the table has none. */
static const char *
word(const struct word *table, enum lang lang, const char *code)
{
	for (; table->code != NULL; table++)
		if (streq(code, table->code))
			return TR(lang, table->nl, table->en);
	return code != NULL ? code : "";
}

static const char *
role_label(enum lang lang, const char *role)
{
	return word(role_words, lang, role);
}

static const char *
status_label(enum lang lang, const char *status)
{
	return word(status_words, lang, status);
}

static const char *
action_label(enum lang lang, const char *action)
{
	return word(action_words, lang, action);
}

bool
console_audit_action(const char *action)
{
	const struct word *w;

	for (w = action_words; w->code != NULL; w++)
		if (streq(action, w->code))
			return true;
	return false;
}

/* "2027-03-18T14:00:05+01:00" as "2027-03-18 14:00" (lists, logs) */
static void
short_time(struct draw *p, const char *t)
{
	if (t == NULL || strlen(t) < 16) {
		html_raw(p->h, "\xe2\x80\x93");
		return;
	}
	html_fmt(p->h, "<time datetime=\"%s\">%.*s %.*s</time>", t, 10, t, 5,
	    t + 11);
}

static void
when(struct draw *p, const char *start, const char *end)
{
	char text[160];

	if (start != NULL && end != NULL &&
	    i18n_when(p->lang, start, end, text, sizeof(text)))
		html_fmt(p->h, "<time datetime=\"%s\">%s</time>", start, text);
}

/* A table that may be wider than a phone scrolls in a region of its own,
 * which the keyboard can reach (WCAG 2.1.1). */
static void
table_open(struct draw *p, const char *id, const char *caption)
{
	html_fmt(p->h, "<div class=\"table-wrap\" role=\"region\" "
	    "aria-labelledby=\"%s\" tabindex=\"0\">\n<table>\n"
	    "<caption id=\"%s\">%s</caption>\n", id, id, caption);
}

static void
table_close(struct draw *p)
{
	html_raw(p->h, "</tbody>\n</table>\n</div>\n");
}

/* -- the frame ------------------------------------------------------------ */

/* The hidden CSRF field of every form of the page. */
static void
csrf_field(struct draw *p)
{
	html_fmt(p->h, "<input type=\"hidden\" name=\"" PAGE_CSRF_FIELD
	    "\" value=\"%s\">\n", p->c->page.csrf != NULL ?
	    p->c->page.csrf : "");
	if (p->c->page.csrf == NULL)
		p->h->failed = true;	/* a form that could not be sent */
}

static const char *
notice_text(enum lang lang, const char *code)
{
	static const struct {
		const char *code, *nl, *en;
	} notices[] = {
		{ "logged-out", "Je bent afgemeld.", "You have logged out." },
		{ "expired", "Je sessie is verlopen. Meld je opnieuw aan.",
		  "Your session has ended. Please log in again." },
		{ "user-created", "De gebruiker is toegevoegd.",
		  "The user was added." },
		{ "user-disabled", "De gebruiker is uitgeschakeld; zijn of haar "
		  "sessies zijn be\xc3\xab" "indigd.", "The user was disabled; "
		  "their sessions have ended." },
		{ "user-enabled", "De gebruiker kan zich weer aanmelden.",
		  "The user can log in again." },
		{ "user-role", "De rol is gewijzigd.", "The role was changed." },
		{ "token-revoked", "De API-sleutel is ingetrokken.",
		  "The API token was revoked." },
		{ "event-created", "Het ontwerp is bewaard. Niemand ziet het "
		  "tot je het publiceert.", "The draft was saved. Nobody sees "
		  "it until you publish it." },
		{ "event-saved", "De wijzigingen zijn bewaard.",
		  "The changes were saved." },
		{ "event-published", "De activiteit is gepubliceerd: ze staat "
		  "op de website en in de agenda's.", "The event is published: "
		  "it is on the website and in the calendars." },
		{ "event-cancelled", "De activiteit is geannuleerd. De "
		  "ingeschrevenen krijgen een e-mail.", "The event was "
		  "cancelled. Its registrants get an e-mail." },
		{ "event-duplicated", "De kopie is gemaakt, als ontwerp. Kijk "
		  "de gegevens na en publiceer ze.", "The copy was made, as a "
		  "draft. Check its details and publish it." },
	};
	size_t i;

	for (i = 0; code != NULL && i < sizeof(notices) / sizeof(notices[0]);
	    i++)
		if (strcmp(code, notices[i].code) == 0)
			return TR(lang, notices[i].nl, notices[i].en);
	return NULL;
}

/*
 * The head and the top of a console page: header, navigation, <main>.
 * path: the page's own path, for the language switch and to mark where
 * one is in the navigation.
 */
static void
console_open(struct draw *p, const char *title, const char *path)
{
	struct html *h = p->h;
	const struct console_ctx *c = p->c;
	enum lang other = p->lang == LANG_EN ? LANG_NL : LANG_EN;
	const char *notice = notice_text(p->lang, c->notice);
	size_t i, n;

	page_head(h, &c->page, title, true);
	html_fmt(h, "<header class=\"site console\"><div class=\"wrap wide\">\n"
	    "<p><a class=\"brand\" href=\"/beheer/%s\" lang=\"nl\">"
	    "West-Vlaams Partnerschap Levenslang Leren</a> "
	    "<span class=\"tag\">%s</span></p>\n<div class=\"who\">\n", p->lq,
	    TR(p->lang, "Beheer", "Console"));
	if (c->email != NULL) {
		html_fmt(h, "<p>%s <strong>%s</strong> (%s)</p>\n"
		    "<form method=\"post\" action=\"/beheer/logout%s\">\n",
		    TR(p->lang, "Aangemeld als", "Logged in as"), c->email,
		    role_label(p->lang, account_role_name(c->role)), p->lq);
		csrf_field(p);
		html_fmt(h, "<button type=\"submit\" class=\"secondary\">%s"
		    "</button>\n</form>\n", TR(p->lang, "Afmelden", "Log out"));
	}
	html_fmt(h, "<nav class=\"langs\" aria-label=\"%s\"><a href=\"%s"
	    "?lang=%s\" hreflang=\"%s\" lang=\"%s\">%s</a></nav>\n</div>\n"
	    "</div>\n", TR(p->lang, "Taal", "Language"), path,
	    i18n_code(other), i18n_code(other), i18n_code(other),
	    TR(p->lang, "English", "Nederlands"));
	if (c->email != NULL) {
		html_fmt(h, "<nav class=\"console-nav\" aria-label=\"%s\">"
		    "<div class=\"wrap wide\">\n<ul>\n",
		    TR(p->lang, "Beheer", "Console"));
		for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
			bool here;

			if (!nav[i].built || c->role < nav[i].least)
				continue;
			n = strlen(nav[i].path);
			here = strcmp(nav[i].path, "/beheer/") == 0 ?
			    strcmp(path, "/beheer/") == 0 ||
			    strncmp(path, "/beheer/events/", 15) == 0 :
			    strncmp(path, nav[i].path, n) == 0 ||
			    (strcmp(nav[i].path, "/beheer/users") == 0 &&
			    (strncmp(path, "/beheer/tokens", 14) == 0 ||
			    strncmp(path, "/beheer/audit", 13) == 0 ||
			    strncmp(path, "/beheer/wissen", 14) == 0));
			html_fmt(h, "<li><a href=\"%s%s\" aria-current=\"%s\">"
			    "%s</a></li>\n", nav[i].path, p->lq, here ? "page" :
			    "false", TR(p->lang, nav[i].nl, nav[i].en));
		}
		html_raw(h, "</ul>\n</div></nav>\n");
	}
	html_raw(h, "</header>\n<main id=\"main\" class=\"wrap wide\">\n");
	if (notice != NULL)
		html_fmt(h, "<div class=\"notice notice-ok\" role=\"status\">"
		    "<p>%s</p></div>\n", notice);
}

static void
console_close(struct draw *p)
{
	html_fmt(p->h, "</main>\n<footer class=\"site\"><div class=\"wrap "
	    "wide\">\n<p>%s <a href=\"mailto:blijfkennismaken@"
	    "west-vlaanderen.be\">blijfkennismaken@west-vlaanderen.be</a></p>\n"
	    "</div></footer>\n</body>\n</html>\n",
	    TR(p->lang, "Beheer van de activiteiten van het West-Vlaams "
	    "Partnerschap Levenslang Leren. Vragen:", "Managing the events of "
	    "the West Flanders Partnership for Lifelong Learning. "
	    "Questions:"));
}

/* The admin's own navigation, above each of their pages. */
static void
admin_tabs(struct draw *p, const char *path)
{
	size_t i;

	html_fmt(p->h, "<nav class=\"tabs\" aria-label=\"%s\"><ul>\n",
	    TR(p->lang, "Beheer", "Administration"));
	for (i = 0; i < sizeof(admin_nav) / sizeof(admin_nav[0]); i++)
		html_fmt(p->h, "<li><a href=\"%s%s\" aria-current=\"%s\">%s"
		    "</a></li>\n", admin_nav[i].path, p->lq, strncmp(path,
		    admin_nav[i].path, strlen(admin_nav[i].path)) == 0 ?
		    "page" : "false", TR(p->lang, admin_nav[i].nl,
		    admin_nav[i].en));
	html_raw(p->h, "</ul></nav>\n");
}

/* -- forms ------------------------------------------------------------------ */

/* What to say for an error of a console form's field, by its code. */
static const char *
field_message(enum lang lang, const char *field, const char *code)
{
	if (streq(code, "required"))
		return streq(field, "password") ? TR(lang, "Vul je wachtwoord "
		    "in.", "Enter your password.") : streq(field, "password2") ?
		    TR(lang, "Typ het wachtwoord een tweede keer.",
		    "Type the password a second time.") : streq(field, "name") ?
		    TR(lang, "Geef de sleutel een naam.",
		    "Give the token a name.") : TR(lang, "Vul je e-mailadres "
		    "in.", "Enter an e-mail address.");
	if (streq(code, "duplicate"))
		return streq(field, "name") ? TR(lang, "Er is al een sleutel in "
		    "gebruik met deze naam. Trek die eerst in of kies een andere "
		    "naam.", "A token with this name is in use. Revoke it first "
		    "or choose another name.") : TR(lang, "Er bestaat al een "
		    "gebruiker met dit e-mailadres.", "A user with this e-mail "
		    "address exists already.");
	if (streq(code, "short"))
		return TR(lang, "Een wachtwoord heeft minstens 12 tekens. Een "
		    "zin van enkele woorden is goed.", "A password has at least "
		    "12 characters. A sentence of a few words will do.");
	if (streq(code, "too-long"))
		return streq(field, "name") ? TR(lang, "Een naam heeft hoogstens "
		    "100 tekens.", "A name has at most 100 characters.") :
		    TR(lang, "Dit is te lang.", "This is too long.");
	if (streq(code, "control"))
		return TR(lang, "Gebruik geen tabs of andere stuurtekens.",
		    "Do not use tabs or other control characters.");
	if (streq(code, "mismatch"))
		return TR(lang, "De twee wachtwoorden zijn niet gelijk.",
		    "The two passwords are not the same.");
	if (streq(code, "choice"))
		return streq(field, "scope") ? TR(lang, "Kies organisator of "
		    "deur.", "Choose organiser or door.") : TR(lang, "Kies een "
		    "rol.", "Choose a role.");
	return streq(field, "email") ? TR(lang, "Vul een geldig e-mailadres "
	    "in, zoals naam@west-vlaanderen.be.", "Enter a valid e-mail "
	    "address, like name@west-vlaanderen.be.") : TR(lang, "Dit klopt "
	    "niet.", "This is not right.");
}

const char *
console_form_error(const struct console_form *f, const char *field)
{
	json_t *e;
	size_t i;

	if (f == NULL || f->errors == NULL)
		return NULL;
	json_array_foreach(f->errors, i, e)
		if (streq(jstr(e, "field"), field))
			return jstr(e, "code");
	return NULL;
}

const char *
console_form_value(const struct console_form *f, const char *name)
{
	const char *v = f != NULL && f->values != NULL ?
	    form_get(f->values, name) : NULL;

	return v != NULL ? v : "";
}

/* The first error of a field, in words, or NULL. */
static const char *
field_error(struct draw *p, const struct console_form *f, const char *field)
{
	const char *code = console_form_error(f, field);

	return code != NULL ? field_message(p->lang, field, code) : NULL;
}

/* A field of a console form: its kind and words. */
struct field {
	const char		*name;
	const char		*type;		/* text, email, password; NULL:
						 * a select of choices */
	const char		*label;
	const char		*hint;		/* or NULL */
	const char		*autocomplete;
	const char *const	*choices;	/* a select's values */
	const char		*(*choice_label)(enum lang, const char *);
	bool			 keep;		/* drawn again with its value */
};

static void
field(struct draw *p, const struct console_form *f, const struct field *fd)
{
	struct html *h = p->h;
	const char *error = field_error(p, f, fd->name);
	const char *v = fd->keep ? console_form_value(f, fd->name) : "";
	size_t i;

	html_fmt(h, "<div class=\"field%s\">\n<label for=\"f-%s\">%s</label>\n",
	    error != NULL ? " field-error" : "", fd->name, fd->label);
	if (fd->hint != NULL)
		html_fmt(h, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n",
		    fd->name, fd->hint);
	if (error != NULL)
		html_fmt(h, "<p class=\"error-message\" id=\"f-%s-error\">"
		    "<span class=\"visually-hidden\">%s</span> %s</p>\n",
		    fd->name, TR(p->lang, "Fout:", "Error:"), error);
	if (fd->type != NULL)
		html_fmt(h, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" "
		    "value=\"%s\" autocomplete=\"%s\" spellcheck=\"false\" "
		    "required", fd->type, fd->name, fd->name, v,
		    fd->autocomplete);
	else
		html_fmt(h, "<select id=\"f-%s\" name=\"%s\" required",
		    fd->name, fd->name);
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
			html_fmt(h, "<option value=\"%s\"%s>%s</option>\n",
			    fd->choices[i], streq(v, fd->choices[i]) ?
			    " selected" : "", fd->choice_label(p->lang,
			    fd->choices[i]));
		html_raw(h, "</select>\n");
	}
	html_raw(h, "</div>\n");
}

/*
 * The error summary at the top of a form drawn again: each problem, in
 * the order of the form's fields, a link to its field; a refusal
 * without a field first.
 */
static void
error_summary(struct draw *p, const struct console_form *f,
    const struct field *fields, size_t n, const char *problem_text)
{
	struct html *h = p->h;
	const char *msg;
	size_t i;

	if (problem_text == NULL && (f == NULL || json_array_size(f->errors) ==
	    0))
		return;
	html_fmt(h, "<div class=\"error-summary\" role=\"alert\" "
	    "aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n"
	    "<h2 id=\"error-summary-title\">%s</h2>\n<ul>\n",
	    TR(p->lang, "Er is een probleem", "There is a problem"));
	if (problem_text != NULL)
		html_fmt(h, "<li>%s</li>\n", problem_text);
	for (i = 0; i < n; i++)
		if ((msg = field_error(p, f, fields[i].name)) != NULL)
			html_fmt(h, "<li><a href=\"#f-%s\">%s</a></li>\n",
			    fields[i].name, msg);
	html_raw(h, "</ul>\n</div>\n");
}

/* The title of a page with a form drawn again says so first. */
static void
form_title(struct draw *p, char *out, size_t len, const char *title,
    const struct console_form *f, bool problem)
{
	snprintf(out, len, "%s%s", problem || (f != NULL &&
	    json_array_size(f->errors) > 0) ? TR(p->lang, "Fout: ",
	    "Error: ") : "", title);
}

/*
 * The form of a page with one: the summary of what was wrong (and
 * problem_text, a refusal without a field), the form to action with its
 * CSRF token and, on the login, where it leads (next), and its fields;
 * the caller adds the buttons and </form>.
 */
static void
form_open(struct draw *p, const struct console_form *f,
    const struct field *fields, size_t n, const char *problem_text,
    const char *action, const char *next)
{
	size_t i;

	error_summary(p, f, fields, n, problem_text);
	html_fmt(p->h, "<form method=\"post\" action=\"%s%s\" novalidate>\n",
	    action, p->lq);
	csrf_field(p);
	if (next != NULL && account_next_ok(next))
		html_fmt(p->h, "<input type=\"hidden\" name=\""
		    CONSOLE_FIELD_NEXT "\" value=\"%s\">\n", next);
	for (i = 0; i < n; i++)
		field(p, f, &fields[i]);
}

/*
 * An admin's page of one form (a new user, a new token): under the tab
 * of list, it posts to list, and Cancel leads back there.
 */
static void
admin_form(struct draw *p, const struct console_form *f, const char *title,
    const char *path, const char *list, const struct field *fields,
    size_t n, const char *submit)
{
	char full[128];

	form_title(p, full, sizeof(full), title, f, false);
	console_open(p, full, path);
	admin_tabs(p, list);
	html_fmt(p->h, "<div class=\"narrow\">\n<h1>%s</h1>\n", title);
	form_open(p, f, fields, n, NULL, list, NULL);
	html_fmt(p->h, "<p><button type=\"submit\">%s</button> <a href=\""
	    "%s%s\">%s</a></p>\n</form>\n</div>\n", submit, list, p->lq,
	    TR(p->lang, "Annuleren", "Cancel"));
	console_close(p);
}

/* -- the login ------------------------------------------------------------ */

void
console_login(struct html *h, const struct console_ctx *c,
    const struct console_form *f, const char *next, int retry_after)
{
	struct draw d, *p = &d;
	const enum lang lang = c->page.lang;
	const struct field fields[] = {
		{ .name = "email", .type = "email", .keep = true,
		  .label = TR(lang, "E-mailadres", "E-mail address"),
		  .autocomplete = "username" },
		{ .name = "password", .type = "password",
		  .label = TR(lang, "Wachtwoord", "Password"),
		  .autocomplete = "current-password" },
	};
	const char *problem = f != NULL ? f->problem : NULL, *ptext = NULL;
	char title[96], wait[200];

	draw_init(p, h, c);
	if (streq(problem, "credentials"))
		ptext = TR(p->lang, "Dit e-mailadres en wachtwoord horen niet "
		    "bij een actieve gebruiker. Controleer ze en probeer het "
		    "opnieuw.", "This e-mail address and password do not belong "
		    "to an active user. Check them and try again.");
	else if (streq(problem, "rate-limited")) {
		int minutes = (retry_after + 59) / 60;

		snprintf(wait, sizeof(wait), TR(p->lang, "Er waren te veel "
		    "mislukte aanmeldingen. Probeer het over %d %s opnieuw.",
		    "There were too many failed logins. Try again in %d %s."),
		    minutes < 1 ? 1 : minutes, minutes <= 1 ?
		    TR(p->lang, "minuut", "minute") :
		    TR(p->lang, "minuten", "minutes"));
		ptext = wait;
	}
	form_title(p, title, sizeof(title), TR(p->lang, "Aanmelden",
	    "Log in"), f, ptext != NULL);
	console_open(p, title, "/beheer/login");
	html_fmt(h, "<div class=\"narrow\">\n<h1>%s</h1>\n<p class=\"lead\">"
	    "%s</p>\n", TR(p->lang, "Aanmelden", "Log in"),
	    TR(p->lang, "Voor de medewerkers van het partnerschap die de "
	    "activiteiten beheren.", "For the partnership's staff who manage "
	    "the events."));
	form_open(p, f, fields, 2, ptext, "/beheer/login", next);
	html_fmt(h, "<p><button type=\"submit\">%s</button></p>\n</form>\n"
	    "<p class=\"hint\">%s</p>\n</div>\n",
	    TR(p->lang, "Aanmelden", "Log in"),
	    TR(p->lang, "Wachtwoord vergeten of nog geen account? Vraag het "
	    "een beheerder van het partnerschap.", "Forgot your password or "
	    "no account yet? Ask an administrator of the partnership."));
	console_close(p);
}

/* -- the dashboard -------------------------------------------------------- */

/* "12 / 30", or "12" when there is no limit */
static void
places(struct draw *p, long long taken, long long capacity)
{
	if (capacity >= 0)
		html_fmt(p->h, "%lld / %lld", taken < 0 ? 0 : taken, capacity);
	else
		html_fmt(p->h, "%lld <span class=\"meta\">(%s)</span>",
		    taken < 0 ? 0 : taken, TR(p->lang, "geen limiet",
		    "no limit"));
}

static void
event_table(struct draw *p, const json_t *events, const char *id,
    const char *caption, bool links)
{
	struct html *h = p->h;
	json_t *e;
	size_t i;

	table_open(p, id, caption);
	html_fmt(h, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
	    "</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s"
	    "</th><th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	    TR(p->lang, "Activiteit", "Event"), TR(p->lang, "Wanneer", "When"),
	    TR(p->lang, "Status", "Status"),
	    TR(p->lang, "Ingeschreven", "Registered"),
	    TR(p->lang, "Wachtlijst", "Waiting list"),
	    TR(p->lang, "Aanwezig", "Checked in"));
	json_array_foreach(events, i, e) {
		const char *status = jstr(e, "status");

		html_fmt(h, "<tr><th scope=\"row\" lang=\"%s\">",
		    jstr_or(e, "language", "nl"));
		if (links)
			html_fmt(h, "<a href=\"/beheer/events/%s%s\">%s</a>",
			    jstr_or(e, "slug", ""), p->lq,
			    jstr_or(e, "title", ""));
		else
			html_text(h, jstr_or(e, "title", ""));
		html_raw(h, "</th><td>");
		when(p, jstr(e, "starts_at"), jstr(e, "ends_at"));
		if (jstr(e, "city") != NULL)
			html_fmt(h, "<br><span class=\"meta\">%s</span>",
			    jstr(e, "city"));
		html_fmt(h, "</td><td><span class=\"badge badge-%s\">%s</span>"
		    "</td><td class=\"num\">", streq(status, "cancelled") ?
		    "cancelled" : streq(status, "published") ? "ok" : "draft",
		    status_label(p->lang, status));
		places(p, jint(e, "confirmed"), jint(e, "capacity"));
		html_fmt(h, "</td><td class=\"num\">%lld</td><td class=\"num\">"
		    "%lld</td></tr>\n", jint(e, "waitlisted") < 0 ? 0 :
		    jint(e, "waitlisted"), jint(e, "checked_in") < 0 ? 0 :
		    jint(e, "checked_in"));
	}
	table_close(p);
}

void
console_dashboard(struct html *h, const struct console_ctx *c,
    const json_t *doc)
{
	struct draw d, *p = &d;
	json_t *upcoming = json_object_get(doc, "upcoming");
	json_t *drafts = json_object_get(doc, "drafts");
	json_t *past = json_object_get(doc, "past");
	bool door = c->role < ROLE_ORGANISER;
	long long weeks = jint(doc, "weeks");
	char caption[120];

	draw_init(p, h, c);
	console_open(p, TR(p->lang, "Overzicht", "Overview"), "/beheer/");
	html_fmt(h, "<h1>%s</h1>\n", TR(p->lang, "Overzicht", "Overview"));
	if (door) {
		html_fmt(h, "<p class=\"lead\">%s</p>\n", TR(p->lang,
		    "De activiteiten van vandaag, waarvoor je aan de deur "
		    "deelnemers kunt inchecken.", "Today's events, for which "
		    "you can check people in at the door."));
		if (json_array_size(upcoming) == 0)
			html_fmt(h, "<p>%s</p>\n", TR(p->lang, "Vandaag staat er "
			    "geen activiteit gepland.", "There is no event "
			    "today."));
		else
			event_table(p, upcoming, "today", TR(p->lang,
			    "Vandaag", "Today"), false);
		console_close(p);
		return;
	}
	html_fmt(h, "<p><a class=\"button\" href=\"/beheer/events/new%s\">%s"
	    "</a></p>\n", p->lq, TR(p->lang, "Nieuwe activiteit",
	    "New event"));
	html_fmt(h, "<section aria-labelledby=\"h-upcoming\">\n"
	    "<h2 id=\"h-upcoming\">%s</h2>\n",
	    TR(p->lang, "Komende activiteiten", "Upcoming events"));
	if (json_array_size(upcoming) == 0)
		html_fmt(h, "<p>%s</p>\n", TR(p->lang, "Er staan geen "
		    "gepubliceerde activiteiten gepland.", "No published events "
		    "are planned."));
	else
		event_table(p, upcoming, "upcoming", TR(p->lang,
		    "Gepubliceerde activiteiten, eerstvolgende eerst",
		    "Published events, soonest first"), true);
	html_fmt(h, "</section>\n<section aria-labelledby=\"h-drafts\">\n"
	    "<h2 id=\"h-drafts\">%s</h2>\n", TR(p->lang, "Ontwerpen", "Drafts"));
	if (json_array_size(drafts) == 0)
		html_fmt(h, "<p>%s</p>\n", TR(p->lang, "Er zijn geen ontwerpen.",
		    "There are no drafts."));
	else
		event_table(p, drafts, "drafts", TR(p->lang,
		    "Nog niet gepubliceerd", "Not published yet"), true);
	snprintf(caption, sizeof(caption), TR(p->lang, "Afgelopen in de "
	    "laatste %lld weken, recentste eerst", "Ended in the last %lld "
	    "weeks, latest first"), weeks > 0 ? weeks : 0);
	html_fmt(h, "</section>\n<section aria-labelledby=\"h-past\">\n"
	    "<h2 id=\"h-past\">%s</h2>\n", TR(p->lang, "Recent afgelopen",
	    "Recently ended"));
	if (json_array_size(past) == 0)
		html_fmt(h, "<p>%s</p>\n", TR(p->lang, "Geen activiteiten in de "
		    "laatste weken.", "No events in the last weeks."));
	else
		event_table(p, past, "past", caption, true);
	html_raw(h, "</section>\n");
	console_close(p);
}

/* -- one event ------------------------------------------------------------ */

static void
venue(struct draw *p, const json_t *ev)
{
	json_t *v = json_object_get(ev, "venue");
	const char *parts[4] = { jstr(v, "name"), jstr(v, "address"), NULL,
	    NULL };
	char city[160];
	bool any = false;
	size_t i;

	if (jstr(v, "city") != NULL) {
		snprintf(city, sizeof(city), "%s%s%s", jstr_or(v, "postcode",
		    ""), jstr(v, "postcode") != NULL ? " " : "", jstr(v,
		    "city"));
		parts[2] = city;
	}
	parts[3] = jstr(ev, "online_url");
	for (i = 0; i < 4; i++) {
		if (parts[i] == NULL)
			continue;
		if (any && i == 3)
			html_raw(p->h, "<br>");
		else if (any)
			html_raw(p->h, ", ");
		html_text(p->h, parts[i]);
		any = true;
	}
	if (!any)
		html_raw(p->h, "\xe2\x80\x93");
}

/* What can be done with an event: edit, preview, publish, cancel, copy. */
static void
event_actions(struct draw *p, const json_t *ev)
{
	struct html *h = p->h;
	const char *slug = jstr_or(ev, "slug", ""), *status = jstr(ev,
	    "status");

	html_fmt(h, "<div class=\"actions\">\n<a class=\"button\" "
	    "href=\"/beheer/events/%s/edit%s\">%s</a>\n", slug, p->lq,
	    TR(p->lang, "Bewerken", "Edit"));
	if (streq(status, "draft")) {
		html_fmt(h, "<a href=\"/beheer/events/%s/preview%s\">%s</a>\n"
		    "<form method=\"post\" action=\"/beheer/events/%s/publish"
		    "%s\">\n", slug, p->lq, TR(p->lang, "Voorbeeld bekijken",
		    "Preview"), slug, p->lq);
		csrf_field(p);
		html_fmt(h, "<button type=\"submit\">%s</button>\n</form>\n",
		    TR(p->lang, "Publiceren", "Publish"));
	} else
		html_fmt(h, "<a href=\"/events/%s%s\">%s</a>\n", slug, p->lq,
		    TR(p->lang, "De publieke pagina", "The public page"));
	html_fmt(h, "<a href=\"/beheer/events/%s/duplicate%s\">%s</a>\n",
	    slug, p->lq, TR(p->lang, "Kopi\xc3\xabren", "Duplicate"));
	if (!streq(status, "cancelled"))
		html_fmt(h, "<a href=\"/beheer/events/%s/cancel%s\">%s</a>\n",
		    slug, p->lq, TR(p->lang, "Annuleren\xe2\x80\xa6",
		    "Cancel\xe2\x80\xa6"));
	html_raw(h, "</div>\n");
}

/* Is sessions[i] the first of its time slot? */
static bool
first_of_slot(const json_t *sessions, const size_t *slot, size_t n, size_t i)
{
	size_t j;

	(void)sessions;
	for (j = 0; j < i && j < n; j++)
		if (slot[j] == slot[i])
			return false;
	return true;
}

/* The row above the sessions of time slot k: its number and times. */
static void
slot_head(struct draw *p, const json_t *sessions, const size_t *slot,
    size_t n, size_t k)
{
	const char *start = NULL, *end = NULL, *a, *b;
	char times[64];
	json_t *s;
	size_t i, count = 0;

	json_array_foreach(sessions, i, s) {
		if (i >= n || slot[i] != k)
			continue;
		count++;
		a = jstr(s, "starts_at");
		b = jstr(s, "ends_at");
		if (a != NULL && (start == NULL || strcmp(a, start) < 0))
			start = a;
		if (b != NULL && (end == NULL || strcmp(b, end) > 0))
			end = b;
	}
	html_fmt(p->h, "<tr class=\"slot-head\"><th scope=\"colgroup\" "
	    "colspan=\"6\">%s %zu", TR(p->lang, "Tijdslot", "Time slot"),
	    k + 1);
	if (start != NULL && end != NULL && i18n_times(start, end, times,
	    sizeof(times)))
		html_fmt(p->h, ": <time datetime=\"%s\">%s</time>", start,
		    times);
	if (count > 1)
		html_fmt(p->h, TR(p->lang, " (%zu sessies tegelijk; kies er "
		    "\xc3\xa9\xc3\xa9n)", " (%zu sessions at once; choose one)"),
		    count);
	html_raw(p->h, "</th></tr>\n");
}

void
console_event(struct html *h, const struct console_ctx *c,
    const json_t *doc)
{
	struct draw d, *p = &d;
	json_t *ev = json_object_get(doc, "event");
	json_t *counts = json_object_get(doc, "counts");
	json_t *scounts = json_object_get(doc, "sessions");
	json_t *sessions = json_object_get(ev, "sessions"), *s, *sc;
	const char *status = jstr(ev, "status"), *lang;
	char path[160], times[64], text[160];
	size_t i, k, nslots, n = json_array_size(sessions);
	size_t slot[CONSOLE_SESSIONS_MAX];

	if (n > CONSOLE_SESSIONS_MAX)
		n = CONSOLE_SESSIONS_MAX;

	draw_init(p, h, c);
	lang = jstr_or(ev, "language", "nl");
	snprintf(path, sizeof(path), "/beheer/events/%s", jstr_or(ev, "slug",
	    ""));
	console_open(p, jstr_or(ev, "title", ""), path);
	html_fmt(h, "<p class=\"crumbs\"><a href=\"/beheer/%s\">%s</a></p>\n"
	    "<p class=\"kind\">%s</p>\n<h1 lang=\"%s\">%s</h1>\n", p->lq,
	    TR(p->lang, "Overzicht", "Overview"),
	    jstr_or(json_object_get(doc, "kind"), i18n_code(p->lang), ""),
	    lang, jstr_or(ev, "title", ""));
	html_fmt(h, "<dl class=\"facts\">\n<dt>%s</dt>\n<dd><span class=\"badge "
	    "badge-%s\">%s</span></dd>\n<dt>%s</dt>\n<dd>",
	    TR(p->lang, "Status", "Status"), streq(status, "cancelled") ?
	    "cancelled" : streq(status, "published") ? "ok" : "draft",
	    status_label(p->lang, status), TR(p->lang, "Wanneer", "When"));
	when(p, jstr(ev, "starts_at"), jstr(ev, "ends_at"));
	if (!streq(jstr(ev, "timezone"), "Europe/Brussels"))
		html_fmt(h, " (%s)", jstr_or(ev, "timezone", ""));
	html_fmt(h, "</dd>\n<dt>%s</dt>\n<dd>", TR(p->lang, "Waar", "Where"));
	venue(p, ev);
	html_fmt(h, "</dd>\n<dt>%s</dt>\n<dd>", TR(p->lang, "Inschrijvingen",
	    "Registration"));
	if (jstr(ev, "registration_opens_at") != NULL &&
	    i18n_moment(p->lang, jstr(ev, "registration_opens_at"), text,
	    sizeof(text)))
		html_fmt(h, "%s %s. ", TR(p->lang, "Open vanaf", "Opens"), text);
	if (jstr(ev, "registration_closes_at") != NULL &&
	    i18n_moment(p->lang, jstr(ev, "registration_closes_at"), text,
	    sizeof(text)))
		html_fmt(h, "%s %s. ", TR(p->lang, "Sluit op", "Closes"), text);
	html_fmt(h, "%s</dd>\n</dl>\n", json_is_true(json_object_get(ev,
	    "waitlist")) ? TR(p->lang, "Met wachtlijst.", "With a waiting "
	    "list.") : TR(p->lang, "Zonder wachtlijst.", "Without a waiting "
	    "list."));
	event_actions(p, ev);

	html_fmt(h, "<h2>%s</h2>\n<p><a href=\"%s/registrations%s\">%s</a>"
	    "</p>\n", TR(p->lang, "Inschrijvingen", "Registrations"), path,
	    p->lq, TR(p->lang, "Wie is ingeschreven: zoeken, annuleren, "
	    "deelnemer zonder inschrijving toevoegen, exporteren",
	    "Who registered: search, cancel, add a walk-in, export"));
	table_open(p, "counts", TR(p->lang, "Inschrijvingen per status",
	    "Registrations by status"));
	html_fmt(h, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" "
	    "class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
	    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" "
	    "class=\"num\">%s</th></tr></thead>\n<tbody>\n<tr><th scope=\"row\">"
	    "%s</th><td class=\"num\">", TR(p->lang, "Activiteit", "Event"),
	    TR(p->lang, "Bevestigd", "Confirmed"),
	    TR(p->lang, "Wachtlijst", "Waiting list"),
	    TR(p->lang, "Geannuleerd", "Cancelled"),
	    TR(p->lang, "Aanwezig", "Checked in"),
	    TR(p->lang, "Hele activiteit", "Whole event"));
	places(p, jint(counts, "confirmed"), jint(ev, "capacity"));
	html_fmt(h, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld"
	    "</td><td class=\"num\">%lld</td></tr>\n",
	    jint(counts, "waitlisted") < 0 ? 0 : jint(counts, "waitlisted"),
	    jint(counts, "cancelled") < 0 ? 0 : jint(counts, "cancelled"),
	    jint(counts, "checked_in") < 0 ? 0 : jint(counts, "checked_in"));
	table_close(p);

	if (json_array_size(sessions) > 0) {
		html_fmt(h, "<h2>%s</h2>\n", TR(p->lang, "Sessies", "Sessions"));
		table_open(p, "sessions", TR(p->lang, "Sessies, in de volgorde "
		    "van het programma", "Sessions, in the programme's order"));
		html_fmt(h, "<thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n"
		    "<tbody>\n", TR(p->lang, "Sessie", "Session"),
		    TR(p->lang, "Tijd", "Time"), TR(p->lang, "Zaal", "Room"),
		    TR(p->lang, "Bevestigd", "Confirmed"),
		    TR(p->lang, "Wachtlijst", "Waiting list"),
		    TR(p->lang, "Aanwezig", "Checked in"));
		nslots = pages_time_slots(sessions, slot, n);
		for (k = 0; k < nslots; k++)
		json_array_foreach(sessions, i, s) {
			if (i >= n || slot[i] != k)
				continue;
			if (first_of_slot(sessions, slot, n, i))
				slot_head(p, sessions, slot, n, k);
			sc = json_object_get(scounts, jstr_or(s, "slug", ""));
			html_fmt(h, "<tr><th scope=\"row\" lang=\"%s\">%s</th>"
			    "<td>", lang, jstr_or(s, "title", ""));
			if (jstr(s, "starts_at") != NULL &&
			    jstr(s, "ends_at") != NULL &&
			    i18n_times(jstr(s, "starts_at"), jstr(s, "ends_at"),
			    times, sizeof(times)))
				html_fmt(h, "<time datetime=\"%s\">%s</time>",
				    jstr(s, "starts_at"), times);
			html_fmt(h, "</td><td>%s</td><td class=\"num\">",
			    jstr_or(s, "room", "\xe2\x80\x93"));
			places(p, jint(sc, "confirmed"), jint(s, "capacity"));
			html_fmt(h, "</td><td class=\"num\">%lld</td>"
			    "<td class=\"num\">%lld</td></tr>\n",
			    jint(sc, "waitlisted") < 0 ? 0 :
			    jint(sc, "waitlisted"), jint(sc, "checked_in") < 0 ?
			    0 : jint(sc, "checked_in"));
		}
		table_close(p);
	}
	console_close(p);
}

/* -- the event form --------------------------------------------------------- */

/* What to say beside a field of the event form, by the error's code. */
static const char *
event_field_message(enum lang lang, const char *field, const char *code)
{
	const char *f = strchr(field, '-') != NULL && field[0] == 's' ?
	    strchr(field, '-') + 1 : field;

	if (streq(code, "required") || streq(code, "empty") ||
	    streq(code, "null"))
		return streq(f, "slug") ? TR(lang, "Geef een korte naam voor "
		    "het webadres.", "Give a short name for the web address.") :
		    streq(f, "title") ? TR(lang, "Geef een titel.",
		    "Give a title.") : streq(f, "starts_at") ? TR(lang,
		    "Geef het begin: datum en uur.", "Give the start: date and "
		    "time.") : streq(f, "ends_at") ? TR(lang, "Geef het einde: "
		    "datum en uur.", "Give the end: date and time.") :
		    TR(lang, "Vul dit in.", "Fill this in.");
	if (streq(code, "invalid") || (streq(code, "range") &&
	    streq(f, "capacity")))
		return streq(f, "slug") || streq(f, "new_slug") ? TR(lang,
		    "Gebruik alleen kleine letters, cijfers en koppeltekens, "
		    "zoals netwerkevent-najaar-2027.", "Use only small letters, "
		    "digits and hyphens, like network-event-autumn-2027.") :
		    strstr(f, "_at") != NULL ? TR(lang, "Geef een datum en "
		    "uur, zoals 18-03-2027 14:00.", "Give a date and time, "
		    "like 18-03-2027 14:00.") : streq(f, "capacity") ?
		    TR(lang, "Geef een aantal plaatsen (een getal tot "
		    "1.000.000), of laat leeg voor geen limiet.", "Give a "
		    "number of places (up to 1,000,000), or leave it empty for "
		    "no limit.") : streq(f, "timezone") ?
		    TR(lang, "Geef een tijdzone zoals Europe/Brussels.",
		    "Give a time zone like Europe/Brussels.") :
		    streq(f, "online_url") ? TR(lang, "Geef een webadres dat "
		    "begint met https://.", "Give a web address starting with "
		    "https://.") : streq(f, "weeks") ? TR(lang, "Geef een "
		    "aantal weken, zoals 26.", "Give a number of weeks, like "
		    "26.") : TR(lang, "Dit klopt niet.", "This is not right.");
	if (streq(code, "range"))
		return TR(lang, "Dit getal is te groot.", "This number is too "
		    "large.");
	if (streq(code, "too-long"))
		return TR(lang, "Dit is te lang.", "This is too long.");
	if (streq(code, "control"))
		return TR(lang, "Gebruik geen tabs of andere stuurtekens.",
		    "Do not use tabs or other control characters.");
	if (streq(code, "choice") || streq(code, "unknown"))
		return TR(lang, "Kies een van de mogelijkheden.",
		    "Choose one of the options.");
	if (streq(code, "duplicate"))
		return f != field ? TR(lang, "Deze activiteit heeft al een "
		    "sessie met deze korte naam.", "This event has a session "
		    "with this short name already.") : TR(lang, "Er bestaat al "
		    "een activiteit met deze korte naam. Kies een andere.",
		    "An event with this short name exists already. Choose "
		    "another.");
	if (streq(code, "order"))
		return streq(f, "registration_closes_at") ? TR(lang,
		    "De inschrijvingen moeten sluiten na ze openen.",
		    "Registration must close after it opens.") : TR(lang,
		    "Het einde moet na het begin liggen.", "The end must come "
		    "after the start.");
	if (streq(code, "outside"))
		return f != field ? TR(lang, "Een sessie moet binnen de tijd "
		    "van de activiteit liggen.", "A session must lie within "
		    "the event's time.") : TR(lang, "Er zijn sessies die dan "
		    "buiten de activiteit vallen. Verplaats die eerst, of "
		    "maak de activiteit eerst langer.", "Some sessions would "
		    "then lie outside the event. Move them first, or make the "
		    "event longer first.");
	if (streq(code, "below-confirmed"))
		return TR(lang, "Er zijn al meer bevestigde inschrijvingen dan "
		    "dit aantal plaatsen.", "More registrations are confirmed "
		    "already than this number of places.");
	if (streq(code, "fixed"))
		return TR(lang, "Dit kan niet meer veranderen.",
		    "This cannot change any more.");
	return TR(lang, "Dit klopt niet.", "This is not right.");
}

static const char *
event_error(struct draw *p, const struct console_form *f, const char *field)
{
	json_t *e;
	size_t i;

	if (f == NULL || f->errors == NULL)
		return NULL;
	json_array_foreach(f->errors, i, e)
		if (streq(jstr(e, "field"), field))
			return event_field_message(p->lang, field,
			    jstr(e, "code"));
	return NULL;
}

/* One control of the event form. */
struct efield {
	const char	*name;		/* the form's field name */
	const char	*type;		/* input type; "textarea", "select",
					 * "checkbox" */
	const char	*label;
	const char	*hint;		/* or NULL */
	bool		 required;
	bool		 readonly;
	const char	*cls;		/* the input's class, or NULL */
};

static void
efield(struct draw *p, const struct console_form *f, const struct efield *e,
    const json_t *choices)
{
	struct html *h = p->h;
	const char *error = event_error(p, f, e->name);
	const char *v = console_form_value(f, e->name);
	json_t *k;
	size_t i;

	if (streq(e->type, "checkbox")) {
		html_fmt(h, "<div class=\"field check\">\n<input type=\"checkbox\" "
		    "id=\"f-%s\" name=\"%s\"", e->name, e->name);
		if (streq(v, "on"))
			html_raw(h, " checked");
		html_fmt(h, ">\n<label for=\"f-%s\">%s</label>\n</div>\n",
		    e->name, e->label);
		return;
	}
	html_fmt(h, "<div class=\"field%s\">\n<label for=\"f-%s\">%s",
	    error != NULL ? " field-error" : "", e->name, e->label);
	if (!e->required)
		html_fmt(h, " <span class=\"optional\">(%s)</span>",
		    TR(p->lang, "niet verplicht", "optional"));
	html_raw(h, "</label>\n");
	if (e->hint != NULL)
		html_fmt(h, "<p class=\"hint\" id=\"f-%s-hint\">%s</p>\n",
		    e->name, e->hint);
	if (error != NULL)
		html_fmt(h, "<p class=\"error-message\" id=\"f-%s-error\">"
		    "<span class=\"visually-hidden\">%s</span> %s</p>\n",
		    e->name, TR(p->lang, "Fout:", "Error:"), error);
	if (streq(e->type, "textarea"))
		html_fmt(h, "<textarea id=\"f-%s\" name=\"%s\" rows=\"5\"",
		    e->name, e->name);
	else if (streq(e->type, "select"))
		html_fmt(h, "<select id=\"f-%s\" name=\"%s\"", e->name,
		    e->name);
	else
	{
		html_fmt(h, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" "
		    "value=\"%s\"", e->type, e->name, e->name, v);
		if (e->cls != NULL)
			html_fmt(h, " class=\"%s\"", e->cls);
		if (streq(e->type, "text"))
			html_raw(h, " spellcheck=\"false\"");
	}
	if (e->required)
		html_raw(h, " required");
	if (e->readonly)
		html_raw(h, " readonly");
	if (e->hint != NULL && error != NULL)
		html_fmt(h, " aria-describedby=\"f-%s-hint f-%s-error\"",
		    e->name, e->name);
	else if (e->hint != NULL || error != NULL)
		html_fmt(h, " aria-describedby=\"f-%s-%s\"", e->name,
		    e->hint != NULL ? "hint" : "error");
	if (error != NULL)
		html_raw(h, " aria-invalid=\"true\"");
	html_raw(h, ">");
	if (streq(e->type, "textarea"))
		html_fmt(h, "%s</textarea>", v);
	else if (streq(e->type, "select")) {
		html_raw(h, "\n");
		json_array_foreach(choices, i, k)
			html_fmt(h, "<option value=\"%s\"%s>%s</option>\n",
			    jstr_or(k, "slug", ""), streq(v, jstr(k, "slug")) ?
			    " selected" : "", jstr_or(k, i18n_code(p->lang),
			    jstr_or(k, "slug", "")));
		html_raw(h, "</select>");
	}
	html_raw(h, "\n</div>\n");
}

/* The summary of what was wrong: each error, a link to its field. */
static void
event_error_summary(struct draw *p, const struct console_form *f)
{
	struct html *h = p->h;
	json_t *e;
	size_t i;
	const char *field;

	if (f == NULL || json_array_size(f->errors) == 0)
		return;
	html_fmt(h, "<div class=\"error-summary\" role=\"alert\" "
	    "aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n"
	    "<h2 id=\"error-summary-title\">%s</h2>\n<ul>\n",
	    TR(p->lang, "Er is een probleem; er werd niets bewaard",
	    "There is a problem; nothing was saved"));
	json_array_foreach(f->errors, i, e) {
		field = jstr_or(e, "field", "");
		if (field[0] == 's' && field[1] >= '0' && field[1] <= '9')
			html_fmt(h, "<li><a href=\"#f-%s\">%s %.*s: %s</a></li>\n",
			    field, TR(p->lang, "Sessie", "Session"),
			    (int)strcspn(field + 1, "-"), field + 1,
			    event_field_message(p->lang, field,
			    jstr(e, "code")));
		else
			html_fmt(h, "<li><a href=\"#f-%s\">%s</a></li>\n", field,
			    event_field_message(p->lang, field,
			    jstr(e, "code")));
	}
	html_raw(h, "</ul>\n</div>\n");
}

/* Is slug one of the event's sessions (its slug cannot change)? */
static bool
has_session(const json_t *ev, const char *slug)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(ev, "sessions"), i, s)
		if (streq(jstr(s, "slug"), slug))
			return true;
	return false;
}

void
console_event_form(struct html *h, const struct console_ctx *c,
    const json_t *doc, const struct console_form *f, int rows)
{
	struct draw d, *p = &d;
	const json_t *ev = json_object_get(doc, "event");
	const json_t *kinds = json_object_get(doc, "kinds");
	json_t *langs = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}, "
	    "{s:s, s:s, s:s}]", "slug", "nl", "nl", "Nederlands", "en",
	    "Nederlands", "slug", "en", "nl", "Engels", "en", "English",
	    "slug", "fr", "nl", "Frans", "en", "French");
	bool edit = json_is_object(ev);
	const enum lang lang = c->page.lang;
	char title[300], path[160], action[160], name[24], label[64];
	char full[320];
	const char *slug = jstr_or(ev, "slug", "");
	int i;
	size_t k;
	const struct efield head[] = {
		{ "kind", "select", TR(lang, "Soort", "Kind"), NULL, true,
		  false, NULL },
		{ "title", "text", TR(lang, "Titel", "Title"), NULL, true,
		  false, NULL },
		{ "slug", "text", TR(lang, "Korte naam (voor het webadres)",
		  "Short name (for the web address)"), TR(lang, "Kleine "
		  "letters, cijfers en koppeltekens; kan later niet meer "
		  "veranderen.", "Small letters, digits and hyphens; cannot "
		  "change later."), true, false, "medium" },
		{ "language", "select", TR(lang, "Taal van de activiteit",
		  "Language of the event"), NULL, false, false, NULL },
		{ "description", "textarea", TR(lang, "Beschrijving",
		  "Description"), NULL, false, false, NULL },
	};
	const struct efield when_f[] = {
		{ "starts_at", "datetime-local", TR(lang, "Begin", "Start"),
		  NULL, true, false, NULL },
		{ "ends_at", "datetime-local", TR(lang, "Einde", "End"), NULL,
		  true, false, NULL },
		{ "timezone", "text", TR(lang, "Tijdzone", "Time zone"),
		  TR(lang, "Meestal Europe/Brussels.", "Usually "
		  "Europe/Brussels."), false, false, "medium" },
	};
	const struct efield where_f[] = {
		{ "venue_name", "text", TR(lang, "Locatie", "Venue"), NULL,
		  false, false, NULL },
		{ "venue_address", "text", TR(lang, "Adres", "Address"), NULL,
		  false, false, NULL },
		{ "venue_postcode", "text", TR(lang, "Postcode", "Postcode"),
		  TR(lang, "De regio (zoals de Westhoek) volgt uit de "
		  "postcode.", "The region (such as the Westhoek) follows "
		  "from the postcode."), false, false, "short" },
		{ "venue_city", "text", TR(lang, "Gemeente", "Town"), NULL,
		  false, false, NULL },
		{ "online_url", "url", TR(lang, "Webadres om online deel te "
		  "nemen", "Web address to take part online"), NULL, false,
		  false, NULL },
	};
	const struct efield reg_f[] = {
		{ "capacity", "number", TR(lang, "Aantal plaatsen",
		  "Number of places"), TR(lang, "Leeg: geen limiet.",
		  "Empty: no limit."), false, false, NULL },
		{ "waitlist", "checkbox", TR(lang, "Met wachtlijst als het "
		  "volzet is", "With a waiting list when full"), NULL, false,
		  false, NULL },
		{ "registration_opens_at", "datetime-local", TR(lang,
		  "Inschrijvingen open vanaf", "Registration opens"), NULL,
		  false, false, NULL },
		{ "registration_closes_at", "datetime-local", TR(lang,
		  "Inschrijvingen sluiten op", "Registration closes"), NULL,
		  false, false, NULL },
	};

	draw_init(p, h, c);
	if (edit) {
		snprintf(title, sizeof(title), "%s: %s", TR(lang, "Bewerken",
		    "Edit"), jstr_or(ev, "title", ""));
		snprintf(path, sizeof(path), "/beheer/events/%s/edit", slug);
		snprintf(action, sizeof(action), "/beheer/events/%s", slug);
	} else {
		snprintf(title, sizeof(title), "%s", TR(lang,
		    "Nieuwe activiteit", "New event"));
		snprintf(path, sizeof(path), "/beheer/events/new");
		snprintf(action, sizeof(action), "/beheer/events");
	}
	form_title(p, full, sizeof(full), title, f, false);
	console_open(p, full, path);
	html_fmt(h, "<p class=\"crumbs\"><a href=\"%s%s\">%s</a></p>\n"
	    "<h1>%s</h1>\n", edit ? action : "/beheer/", p->lq, edit ?
	    TR(lang, "Terug naar de activiteit", "Back to the event") :
	    TR(lang, "Overzicht", "Overview"), title);
	if (!edit)
		html_fmt(h, "<p class=\"lead\">%s</p>\n", TR(lang, "Een nieuwe "
		    "activiteit is een ontwerp: niemand ziet ze tot je ze "
		    "publiceert.", "A new event is a draft: nobody sees it "
		    "until you publish it."));
	event_error_summary(p, f);
	html_fmt(h, "<form method=\"post\" action=\"%s%s\" class=\"event-form\" "
	    "novalidate>\n", action, p->lq);
	csrf_field(p);
	html_fmt(h, "<input type=\"hidden\" name=\"rows\" value=\"%d\">\n", rows);
	html_fmt(h, "<fieldset class=\"part\">\n<legend>%s</legend>\n",
	    TR(lang, "Activiteit", "Event"));
	for (k = 0; k < sizeof(head) / sizeof(head[0]); k++) {
		if (edit && streq(head[k].name, "slug"))
			continue;	/* fixed once made */
		efield(p, f, &head[k], streq(head[k].name, "kind") ? kinds :
		    langs);
	}
	html_fmt(h, "</fieldset>\n<fieldset class=\"part\">\n<legend>%s"
	    "</legend>\n", TR(lang, "Wanneer", "When"));
	for (k = 0; k < sizeof(when_f) / sizeof(when_f[0]); k++)
		efield(p, f, &when_f[k], NULL);
	html_fmt(h, "</fieldset>\n<fieldset class=\"part\">\n<legend>%s"
	    "</legend>\n", TR(lang, "Waar", "Where"));
	for (k = 0; k < sizeof(where_f) / sizeof(where_f[0]); k++)
		efield(p, f, &where_f[k], NULL);
	html_fmt(h, "</fieldset>\n<fieldset class=\"part\">\n<legend>%s"
	    "</legend>\n", TR(lang, "Inschrijven", "Registration"));
	for (k = 0; k < sizeof(reg_f) / sizeof(reg_f[0]); k++)
		efield(p, f, &reg_f[k], NULL);
	html_fmt(h, "</fieldset>\n<fieldset class=\"part\">\n<legend>%s"
	    "</legend>\n<p class=\"hint\">%s</p>\n", TR(lang, "Sessies",
	    "Sessions"), TR(lang, "Sessies op hetzelfde moment vormen samen "
	    "een tijdslot: wie zich inschrijft, kiest er daarin \xc3\xa9" "en. "
	    "Een lege rij wordt overgeslagen.", "Sessions at the same time "
	    "form a time slot: a registrant chooses one of them. An empty "
	    "row is skipped."));
	for (i = 1; i <= rows; i++) {
		char fn[7][24];
		const char *sslug;
		struct efield row[6];
		static const char *const parts[] = { "slug", "title",
			"starts_at", "ends_at", "room", "capacity" };

		for (k = 0; k < 6; k++)
			snprintf(fn[k], sizeof(fn[k]), "s%d-%s", i, parts[k]);
		snprintf(name, sizeof(name), "s%d-slug", i);
		sslug = console_form_value(f, name);
		row[0] = (struct efield){ fn[0], "text", TR(lang, "Korte naam",
		    "Short name"), NULL, false, edit && *sslug != '\0' &&
		    has_session(ev, sslug), NULL };
		row[1] = (struct efield){ fn[1], "text", TR(lang, "Titel",
		    "Title"), NULL, false, false, NULL };
		row[2] = (struct efield){ fn[2], "datetime-local", TR(lang,
		    "Begin", "Start"), NULL, false, false, NULL };
		row[3] = (struct efield){ fn[3], "datetime-local", TR(lang,
		    "Einde", "End"), NULL, false, false, NULL };
		row[4] = (struct efield){ fn[4], "text", TR(lang, "Zaal",
		    "Room"), NULL, false, false, NULL };
		row[5] = (struct efield){ fn[5], "number", TR(lang, "Plaatsen",
		    "Places"), NULL, false, false, NULL };
		snprintf(label, sizeof(label), "%s %d", TR(lang, "Sessie",
		    "Session"), i);
		html_fmt(h, "<fieldset class=\"row\">\n<legend>%s</legend>\n"
		    "<div class=\"row-fields\">\n", label);
		for (k = 0; k < 6; k++)
			efield(p, f, &row[k], NULL);
		html_raw(h, "</div>\n</fieldset>\n");
	}
	html_fmt(h, "<p><button type=\"submit\" name=\"" EVENTFORM_ADD_ROW
	    "\" value=\"1\" class=\"secondary\">%s</button></p>\n</fieldset>\n"
	    "<p><button type=\"submit\" name=\"save\" value=\"1\">%s</button> "
	    "<a href=\"%s%s\">%s</a></p>\n</form>\n", TR(lang,
	    "Nog een sessie toevoegen", "Add another session"), edit ?
	    TR(lang, "Wijzigingen bewaren", "Save changes") : TR(lang,
	    "Ontwerp bewaren", "Save draft"), edit ? action : "/beheer/",
	    p->lq, TR(lang, "Annuleren", "Cancel"));
	json_decref(langs);
	console_close(p);
}

/* -- cancelling and duplicating ------------------------------------------ */

void
console_event_cancel(struct html *h, const struct console_ctx *c,
    const json_t *doc)
{
	struct draw d, *p = &d;
	json_t *ev = json_object_get(doc, "event");
	json_t *counts = json_object_get(doc, "counts");
	const char *slug = jstr_or(ev, "slug", "");
	const enum lang lang = c->page.lang;
	char path[160], title[300];
	long long conf = jint(counts, "confirmed"), wait = jint(counts,
	    "waitlisted");

	draw_init(p, h, c);
	snprintf(path, sizeof(path), "/beheer/events/%s/cancel", slug);
	snprintf(title, sizeof(title), "%s: %s", TR(lang, "Annuleren",
	    "Cancel"), jstr_or(ev, "title", ""));
	console_open(p, title, path);
	html_fmt(h, "<p class=\"crumbs\"><a href=\"/beheer/events/%s%s\">%s"
	    "</a></p>\n<h1>%s</h1>\n<p class=\"lead\" lang=\"%s\">%s</p>\n"
	    "<p>", slug, p->lq, TR(lang, "Terug naar de activiteit",
	    "Back to the event"), TR(lang, "Deze activiteit annuleren?",
	    "Cancel this event?"), jstr_or(ev, "language", "nl"),
	    jstr_or(ev, "title", ""));
	when(p, jstr(ev, "starts_at"), jstr(ev, "ends_at"));
	html_fmt(h, "</p>\n<div class=\"notice notice-cancelled\">\n"
	    "<p><strong>%s</strong></p>\n<ul>\n", TR(lang, "Wat er dan "
	    "gebeurt:", "What happens then:"));
	if (conf < 0)
		conf = 0;
	if (wait < 0)
		wait = 0;
	html_fmt(h, "<li>%lld %s %s %lld %s %s</li>\n", conf, conf == 1 ?
	    TR(lang, "bevestigde deelnemer", "confirmed participant") :
	    TR(lang, "bevestigde deelnemers", "confirmed participants"),
	    TR(lang, "en", "and"), wait, wait == 1 ? TR(lang, "persoon op de "
	    "wachtlijst", "person on the waiting list") : TR(lang, "mensen op "
	    "de wachtlijst", "people on the waiting list"), TR(lang, "krijgen "
	    "een e-mail dat de activiteit niet doorgaat.", "get an e-mail that "
	    "the event will not take place."));
	html_fmt(h, "<li>%s</li>\n<li>%s</li>\n</ul>\n</div>\n", TR(lang,
	    "De activiteit blijft op de website en in de agenda's staan, "
	    "gemarkeerd als geannuleerd; inschrijven kan niet meer.",
	    "The event stays on the website and in the calendars, marked "
	    "cancelled; nobody can register any more."), TR(lang,
	    "Dit kan niet ongedaan gemaakt worden.", "This cannot be "
	    "undone."));
	html_fmt(h, "<div class=\"actions\">\n<form method=\"post\" "
	    "action=\"/beheer/events/%s/cancel%s\">\n", slug, p->lq);
	csrf_field(p);
	html_fmt(h, "<button type=\"submit\" class=\"warning\">%s</button>\n"
	    "</form>\n<a href=\"/beheer/events/%s%s\">%s</a>\n</div>\n",
	    TR(lang, "Ja, annuleer de activiteit", "Yes, cancel the event"),
	    slug, p->lq, TR(lang, "Nee, niet annuleren", "No, do not "
	    "cancel"));
	console_close(p);
}

void
console_event_duplicate(struct html *h, const struct console_ctx *c,
    const json_t *doc, const struct console_form *f)
{
	struct draw d, *p = &d;
	json_t *ev = json_object_get(doc, "event");
	const char *slug = jstr_or(ev, "slug", "");
	const enum lang lang = c->page.lang;
	char path[160], title[300], full[320];
	struct console_form mine = { NULL, NULL, NULL };
	struct form defaults = { NULL, 0 };
	struct form_field dv[2];
	char newslug[100];
	const struct efield fields[] = {
		{ EVENTFORM_NEW_SLUG, "text", TR(lang, "Korte naam van de kopie",
		  "Short name of the copy"), TR(lang, "Kleine letters, cijfers "
		  "en koppeltekens.", "Small letters, digits and hyphens."),
		  true, false, "medium" },
		{ EVENTFORM_WEEKS, "number", TR(lang, "Hoeveel weken later",
		  "How many weeks later"), TR(lang, "Alle data schuiven zoveel "
		  "weken op: 26 is een half jaar, van het voorjaar naar het "
		  "najaar.", "Every date moves this many weeks: 26 is half a "
		  "year, from spring to autumn."), true, false, NULL },
	};

	draw_init(p, h, c);
	if (f == NULL || f->values == NULL) {
		snprintf(newslug, sizeof(newslug), "%.70s-kopie", slug);
		dv[0].name = (char *)EVENTFORM_NEW_SLUG;
		dv[0].value = newslug;
		dv[1].name = (char *)EVENTFORM_WEEKS;
		dv[1].value = (char *)"26";
		defaults.fields = dv;
		defaults.n = 2;
		mine.values = &defaults;
		f = &mine;
	}
	snprintf(path, sizeof(path), "/beheer/events/%s/duplicate", slug);
	snprintf(title, sizeof(title), "%s: %s", TR(lang, "Kopi\xc3\xabren",
	    "Duplicate"), jstr_or(ev, "title", ""));
	form_title(p, full, sizeof(full), title, f, false);
	console_open(p, full, path);
	html_fmt(h, "<div class=\"narrow\">\n<p class=\"crumbs\"><a "
	    "href=\"/beheer/events/%s%s\">%s</a></p>\n<h1>%s</h1>\n"
	    "<p class=\"lead\">%s</p>\n", slug, p->lq, TR(lang, "Terug naar "
	    "de activiteit", "Back to the event"), TR(lang, "Activiteit "
	    "kopi\xc3\xabren", "Duplicate the event"), TR(lang, "De kopie "
	    "krijgt dezelfde gegevens en sessies, zonder inschrijvingen, en "
	    "is een ontwerp tot je ze publiceert.", "The copy gets the same "
	    "details and sessions, without registrations, and is a draft "
	    "until you publish it."));
	event_error_summary(p, f);
	html_fmt(h, "<form method=\"post\" action=\"/beheer/events/%s/duplicate"
	    "%s\" novalidate>\n", slug, p->lq);
	csrf_field(p);
	efield(p, f, &fields[0], NULL);
	efield(p, f, &fields[1], NULL);
	html_fmt(h, "<p><button type=\"submit\">%s</button> <a href=\""
	    "/beheer/events/%s%s\">%s</a></p>\n</form>\n</div>\n", TR(lang,
	    "Kopie maken", "Make the copy"), slug, p->lq, TR(lang,
	    "Annuleren", "Cancel"));
	console_close(p);
}

/* -- users ---------------------------------------------------------------- */

static const char *const role_choices[] = { "organiser", "door", "admin",
	NULL };

static void
user_row(struct draw *p, const json_t *u)
{
	struct html *h = p->h;
	long long id = jint(u, "id");
	bool disabled = json_is_true(json_object_get(u, "disabled"));
	bool self = id == p->c->user_id;
	const char *role = jstr(u, "role");
	size_t i;

	html_fmt(h, "<tr><th scope=\"row\">%s%s</th><td>",
	    jstr_or(u, "email", ""), self ? TR(p->lang, " (jij)", " (you)") :
	    "");
	if (self || disabled)
		html_text(h, role_label(p->lang, role));
	else {
		html_fmt(h, "<form class=\"inline\" method=\"post\" action=\""
		    "/beheer/users/%lld/role%s\">\n", id, p->lq);
		csrf_field(p);
		html_fmt(h, "<label class=\"visually-hidden\" for=\"role-%lld\">"
		    "%s %s</label>\n<select id=\"role-%lld\" name=\"role\">\n",
		    id, TR(p->lang, "Rol van", "Role of"), jstr_or(u, "email",
		    ""), id);
		for (i = 0; role_choices[i] != NULL; i++)
			html_fmt(h, "<option value=\"%s\"%s>%s</option>\n",
			    role_choices[i], streq(role, role_choices[i]) ?
			    " selected" : "", role_label(p->lang,
			    role_choices[i]));
		html_fmt(h, "</select>\n<button type=\"submit\" class=\""
		    "secondary\">%s<span class=\"visually-hidden\"> %s</span>"
		    "</button>\n</form>", TR(p->lang, "Wijzig rol",
		    "Change role"), jstr_or(u, "email", ""));
	}
	html_fmt(h, "</td><td>%s</td><td>", disabled ?
	    TR(p->lang, "Uitgeschakeld", "Disabled") :
	    TR(p->lang, "Actief", "Active"));
	short_time(p, jstr(u, "last_login_at"));
	html_raw(h, "</td><td>");
	if (!self) {
		html_fmt(h, "<form class=\"inline\" method=\"post\" action=\""
		    "/beheer/users/%lld/%s%s\">\n", id, disabled ? "enable" :
		    "disable", p->lq);
		csrf_field(p);
		html_fmt(h, "<button type=\"submit\" class=\"%s\">%s"
		    "<span class=\"visually-hidden\"> %s</span></button>\n"
		    "</form>", disabled ? "secondary" : "warning", disabled ?
		    TR(p->lang, "Inschakelen", "Enable") :
		    TR(p->lang, "Uitschakelen", "Disable"),
		    jstr_or(u, "email", ""));
	}
	html_raw(h, "</td></tr>\n");
}

void
console_users(struct html *h, const struct console_ctx *c,
    const json_t *doc)
{
	struct draw d, *p = &d;
	json_t *users = json_object_get(doc, "users"), *u;
	size_t i;

	draw_init(p, h, c);
	console_open(p, TR(p->lang, "Gebruikers", "Users"), "/beheer/users");
	admin_tabs(p, "/beheer/users");
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n<p><a class=\"button\" href=\""
	    "/beheer/users/new%s\">%s</a></p>\n",
	    TR(p->lang, "Gebruikers", "Users"),
	    TR(p->lang, "Een organisator beheert activiteiten, inschrijvingen, "
	    "exports en het bereik; een beheerder ook gebruikers, API-sleutels, "
	    "het wissen van gegevens en het auditlog; een deuraccount checkt "
	    "alleen deelnemers in, op de dag zelf. Uitschakelen be\xc3\xab"
	    "indigt meteen alle sessies van die gebruiker.",
	    "An organiser runs events, registrations, exports and the reach "
	    "report; an admin also users, API tokens, erasure and the audit "
	    "log; a door account only checks people in, on the day. Disabling "
	    "a user ends all their sessions at once."), p->lq,
	    TR(p->lang, "Gebruiker toevoegen", "Add a user"));
	table_open(p, "users", TR(p->lang, "Alle gebruikers, actieve eerst",
	    "All users, active first"));
	html_fmt(h, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
	    "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    TR(p->lang, "E-mailadres", "E-mail address"),
	    TR(p->lang, "Rol", "Role"), TR(p->lang, "Status", "Status"),
	    TR(p->lang, "Laatst aangemeld", "Last login"),
	    TR(p->lang, "Toegang", "Access"));
	json_array_foreach(users, i, u)
		user_row(p, u);
	table_close(p);
	console_close(p);
}

void
console_user_new(struct html *h, const struct console_ctx *c,
    const struct console_form *f)
{
	struct draw d, *p = &d;
	const enum lang lang = c->page.lang;
	const struct field fields[] = {
		{ .name = "email", .type = "email", .keep = true,
		  .label = TR(lang, "E-mailadres", "E-mail address"),
		  .hint = TR(lang, "Hiermee meldt de gebruiker zich aan.",
		  "The user logs in with it."), .autocomplete = "off" },
		{ .name = "role", .keep = true, .label = TR(lang, "Rol", "Role"),
		  .choices = role_choices, .choice_label = role_label },
		{ .name = "password", .type = "password",
		  .label = TR(lang, "Wachtwoord", "Password"),
		  .hint = TR(lang, "Minstens 12 tekens; een zin van enkele "
		  "woorden is goed. Geef het de gebruiker persoonlijk door.",
		  "At least 12 characters; a sentence of a few words will do. "
		  "Give it to the user in person."),
		  .autocomplete = "new-password" },
		{ .name = "password2", .type = "password",
		  .label = TR(lang, "Wachtwoord nog eens", "Password again"),
		  .autocomplete = "new-password" },
	};

	draw_init(p, h, c);
	admin_form(p, f, TR(lang, "Gebruiker toevoegen", "Add a user"),
	    "/beheer/users/new", "/beheer/users", fields, 4,
	    TR(lang, "Toevoegen", "Add"));
}

/* -- API tokens ----------------------------------------------------------- */

static const char *const scope_choices[] = { "organiser", "door", NULL };

static const char *
scope_label(enum lang lang, const char *scope)
{
	if (streq(scope, "door"))
		return TR(lang, "deur (alleen inchecken)", "door (check-in only)");
	return role_label(lang, scope);
}

void
console_tokens(struct html *h, const struct console_ctx *c,
    const json_t *doc)
{
	struct draw d, *p = &d;
	json_t *tokens = json_object_get(doc, "tokens"), *t;
	size_t i;

	draw_init(p, h, c);
	console_open(p, TR(p->lang, "API-sleutels", "API tokens"),
	    "/beheer/tokens");
	admin_tabs(p, "/beheer/tokens");
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n<p><a class=\"button\" href=\""
	    "/beheer/tokens/new%s\">%s</a></p>\n",
	    TR(p->lang, "API-sleutels", "API tokens"),
	    TR(p->lang, "Programma's die de API gebruiken, melden zich aan met "
	    "een sleutel. Een sleutel met scope deur kan alleen deelnemers "
	    "inchecken. Een sleutel wordt maar \xc3\xa9\xc3\xa9n keer getoond; "
	    "wie hem kwijt is, trekt hem in en maakt een nieuwe.",
	    "Programs that use the API sign in with a token. A token with the "
	    "door scope can only check people in. A token is shown only once; "
	    "whoever loses one revokes it and makes a new one."), p->lq,
	    TR(p->lang, "Sleutel aanmaken", "Create a token"));
	table_open(p, "tokens", TR(p->lang, "Alle sleutels, in gebruik eerst",
	    "All tokens, in use first"));
	html_fmt(h, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
	    "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "</tr></thead>\n<tbody>\n", TR(p->lang, "Naam", "Name"),
	    TR(p->lang, "Scope", "Scope"), TR(p->lang, "Aangemaakt", "Created"),
	    TR(p->lang, "Ingetrokken", "Revoked"));
	json_array_foreach(tokens, i, t) {
		html_fmt(h, "<tr><th scope=\"row\">%s</th><td>%s</td><td>",
		    jstr_or(t, "name", ""), scope_label(p->lang, jstr(t,
		    "scope")));
		short_time(p, jstr(t, "created_at"));
		html_raw(h, "</td><td>");
		if (jstr(t, "revoked_at") != NULL)
			short_time(p, jstr(t, "revoked_at"));
		else {
			html_fmt(h, "<form class=\"inline\" method=\"post\" "
			    "action=\"/beheer/tokens/%lld/revoke%s\">\n",
			    jint(t, "id"), p->lq);
			csrf_field(p);
			html_fmt(h, "<button type=\"submit\" class=\"warning\">"
			    "%s<span class=\"visually-hidden\"> %s</span>"
			    "</button>\n</form>", TR(p->lang, "Intrekken",
			    "Revoke"), jstr_or(t, "name", ""));
		}
		html_raw(h, "</td></tr>\n");
	}
	table_close(p);
	console_close(p);
}

void
console_token_new(struct html *h, const struct console_ctx *c,
    const struct console_form *f)
{
	struct draw d, *p = &d;
	const enum lang lang = c->page.lang;
	const struct field fields[] = {
		{ .name = "name", .type = "text", .keep = true,
		  .label = TR(lang, "Naam", "Name"),
		  .hint = TR(lang, "Wie of wat de sleutel gebruikt, bijvoorbeeld "
		  "\xe2\x80\x9cscanner onthaal Brugge\xe2\x80\x9d.", "Who or "
		  "what uses the token, for example \xe2\x80\x9cscanner at the "
		  "Bruges desk\xe2\x80\x9d."), .autocomplete = "off" },
		{ .name = "scope", .keep = true, .label = TR(lang, "Scope",
		  "Scope"), .choices = scope_choices,
		  .choice_label = scope_label },
	};

	draw_init(p, h, c);
	admin_form(p, f, TR(lang, "Sleutel aanmaken", "Create a token"),
	    "/beheer/tokens/new", "/beheer/tokens", fields, 2,
	    TR(lang, "Aanmaken", "Create"));
}

void
console_token_made(struct html *h, const struct console_ctx *c,
    const json_t *tok, const char *secret)
{
	struct draw d, *p = &d;

	draw_init(p, h, c);
	console_open(p, TR(p->lang, "Sleutel aangemaakt", "Token created"),
	    "/beheer/tokens");
	admin_tabs(p, "/beheer/tokens");
	html_fmt(h, "<h1>%s</h1>\n<div class=\"notice notice-wait\">\n"
	    "<p><strong>%s</strong></p>\n</div>\n<dl class=\"facts\">\n"
	    "<dt>%s</dt>\n<dd>%s</dd>\n<dt>%s</dt>\n<dd>%s</dd>\n"
	    "<dt id=\"token-label\">%s</dt>\n<dd><code class=\"secret\" "
	    "aria-labelledby=\"token-label\">%s</code></dd>\n</dl>\n"
	    "<p>%s <code>Authorization: Bearer \xe2\x80\xa6</code></p>\n"
	    "<p><a href=\"/beheer/tokens%s\">%s</a></p>\n",
	    TR(p->lang, "Sleutel aangemaakt", "Token created"),
	    TR(p->lang, "Kopieer de sleutel nu: hij wordt maar \xc3\xa9\xc3\xa9n "
	    "keer getoond en is nergens anders terug te vinden.",
	    "Copy the token now: it is shown only this once and cannot be "
	    "found anywhere else."),
	    TR(p->lang, "Naam", "Name"), jstr_or(tok, "name", ""),
	    TR(p->lang, "Scope", "Scope"), scope_label(p->lang, jstr(tok,
	    "scope")), TR(p->lang, "Sleutel", "Token"), secret,
	    TR(p->lang, "Een programma stuurt hem mee als",
	    "A program sends it as"), p->lq,
	    TR(p->lang, "Naar alle sleutels", "To all tokens"));
	console_close(p);
}

/* -- the audit log -------------------------------------------------------- */

/* An entry's detail as "key: value" pairs (values as JSON says them). */
static void
audit_detail(struct draw *p, const json_t *detail)
{
	const char *key;
	json_t *v;
	char *text;
	bool first = true;

	json_object_foreach((json_t *)detail, key, v) {
		if (json_is_null(v))
			continue;
		text = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY |
		    JSON_COMPACT);
		html_fmt(p->h, "%s<span class=\"meta\">%s:</span> %s",
		    first ? "" : "<br>", key, text != NULL ? text :
		    jstr_or(detail, key, ""));
		free(text);
		first = false;
	}
}

void
console_audit(struct html *h, const struct console_ctx *c,
    const json_t *doc)
{
	struct draw d, *p = &d;
	json_t *entries = json_object_get(doc, "entries"), *e;
	const char *action = jstr(doc, "action");
	long long next = jint(doc, "next_before");
	size_t i;

	draw_init(p, h, c);
	console_open(p, TR(p->lang, "Auditlog", "Audit log"), "/beheer/audit");
	admin_tabs(p, "/beheer/audit");
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n<form class=\"filter\" "
	    "method=\"get\" action=\"/beheer/audit\">\n",
	    TR(p->lang, "Auditlog", "Audit log"),
	    TR(p->lang, "Wie wat deed, recentste eerst: aanmeldingen, "
	    "gebruikers en sleutels, exports en het wissen van gegevens. "
	    "Persoonsgegevens van deelnemers staan hier nooit in.",
	    "Who did what, newest first: logins, users and tokens, exports and "
	    "erasure. Registrants' personal data is never here."));
	if (*p->lq != '\0')
		html_fmt(h, "<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
		    i18n_code(p->lang));
	html_fmt(h, "<label for=\"f-action\">%s</label>\n<select id=\""
	    "f-action\" name=\"action\">\n<option value=\"\">%s</option>\n",
	    TR(p->lang, "Handeling", "Action"), TR(p->lang, "Alle handelingen",
	    "All actions"));
	for (i = 0; action_words[i].code != NULL; i++)
		html_fmt(h, "<option value=\"%s\"%s>%s</option>\n",
		    action_words[i].code, streq(action, action_words[i].code) ?
		    " selected" : "", action_label(p->lang,
		    action_words[i].code));
	html_fmt(h, "</select>\n<button type=\"submit\" class=\"secondary\">%s"
	    "</button>\n</form>\n", TR(p->lang, "Tonen", "Show"));
	if (json_array_size(entries) == 0) {
		html_fmt(h, "<p>%s</p>\n", TR(p->lang, "Geen handelingen om te "
		    "tonen.", "No actions to show."));
		console_close(p);
		return;
	}
	table_open(p, "audit", TR(p->lang, "Handelingen, recentste eerst",
	    "Actions, newest first"));
	html_fmt(h, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
	    "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	    "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
	    TR(p->lang, "Tijdstip", "Time"), TR(p->lang, "Handeling", "Action"),
	    TR(p->lang, "Door", "By"), TR(p->lang, "Activiteit", "Event"),
	    TR(p->lang, "Details", "Details"));
	json_array_foreach(entries, i, e) {
		html_raw(h, "<tr><td>");
		short_time(p, jstr(e, "at"));
		html_fmt(h, "</td><th scope=\"row\">%s</th><td>%s</td><td>%s"
		    "</td><td>", action_label(p->lang, jstr(e, "action")),
		    jstr_or(e, "actor", ""), jstr_or(e, "event", ""));
		audit_detail(p, json_object_get(e, "detail"));
		html_raw(h, "</td></tr>\n");
	}
	table_close(p);
	if (next > 0)
		html_fmt(h, "<p><a href=\"/beheer/audit?%s%s%sbefore=%lld%s\" "
		    "rel=\"next\">%s</a></p>\n", action != NULL ? "action=" : "",
		    action != NULL ? action : "", action != NULL ? "&" : "",
		    next, p->amp, TR(p->lang, "Oudere handelingen",
		    "Older actions"));
	console_close(p);
}

/* -- errors --------------------------------------------------------------- */

void
console_error(struct html *h, const struct console_ctx *c, int status,
    const char *problem)
{
	static const struct {
		int		 status;
		const char	*problem;	/* NULL: any */
		const char	*title_nl, *title_en, *text_nl, *text_en;
	} errors[] = {
		{ 401, NULL, "Meld je aan", "Please log in",
		  "Je bent niet (meer) aangemeld. Meld je aan om verder te "
		  "gaan.", "You are not logged in (any more). Log in to go on." },
		{ 403, "not-allowed", "Geen toegang", "No access",
		  "Met je account mag je deze pagina niet gebruiken. Heb je dit "
		  "nodig voor je werk, vraag het dan een beheerder.",
		  "Your account may not use this page. If your work needs it, "
		  "ask an administrator." },
		{ 403, NULL, "Dit formulier kon niet verstuurd worden",
		  "This form could not be sent",
		  "We aanvaarden een formulier alleen als het van deze website "
		  "komt, in je huidige sessie. Laad de pagina opnieuw en "
		  "probeer het nog eens.", "We accept a form only when it comes "
		  "from this website, in your current session. Reload the page "
		  "and try again." },
		{ 400, NULL, "Dit formulier konden we niet lezen",
		  "We could not read this form", "Ga terug, laad de pagina "
		  "opnieuw en verstuur het formulier nog eens.", "Go back, "
		  "reload the page and send the form again." },
		{ 404, NULL, "Niet gevonden", "Not found",
		  "Deze pagina bestaat niet (meer).",
		  "This page does not exist (any more)." },
		{ 409, "last-admin", "Dat kan niet", "Not possible",
		  "Dit is de laatste actieve beheerder. Maak eerst iemand anders "
		  "beheerder.", "This is the last active administrator. Make "
		  "someone else an administrator first." },
		{ 409, "own-account", "Dat kan niet", "Not possible",
		  "Je kunt je eigen account niet uitschakelen of zijn rol "
		  "wijzigen. Vraag het een andere beheerder.", "You cannot "
		  "disable your own account or change its role. Ask another "
		  "administrator." },
		{ 409, "not-a-draft", "Al gepubliceerd", "Published already",
		  "Alleen een ontwerp kan gepubliceerd worden; deze activiteit "
		  "is al gepubliceerd of geannuleerd.", "Only a draft can be "
		  "published; this event is published or cancelled already." },
		{ 409, "already-cancelled", "Al geannuleerd",
		  "Cancelled already", "Deze activiteit is al geannuleerd.",
		  "This event is cancelled already." },
		{ 409, NULL, "Dat kan niet (meer)", "Not possible (any more)",
		  "Wat je vroeg, past niet meer bij hoe het nu is. Laad de "
		  "pagina opnieuw.", "What you asked no longer fits how things "
		  "are. Reload the page." },
		{ 429, NULL, "Even geduld", "Please wait a moment",
		  "Er kwamen van hier net te veel verzoeken. Probeer het over "
		  "enkele minuten opnieuw.", "Too many requests came from here "
		  "just now. Try again in a few minutes." },
		{ 503, NULL, "Even niet beschikbaar", "Temporarily unavailable",
		  "We kunnen je vraag nu niet verwerken. Probeer het over "
		  "enkele ogenblikken opnieuw.", "We cannot handle your request "
		  "right now. Try again in a few moments." },
		{ 0, NULL, "Er ging iets mis", "Something went wrong",
		  "Dat had niet mogen gebeuren. Probeer het later opnieuw.",
		  "That should not have happened. Try again later." },
	};
	struct draw d, *p = &d;
	size_t i;

	draw_init(p, h, c);
	/* a body too large or of the wrong type: the form, unread */
	if (status == 413 || status == 415)
		status = 400;
	for (i = 0; errors[i].status != 0; i++)
		if (errors[i].status == status && (errors[i].problem == NULL ||
		    streq(errors[i].problem, problem)))
			break;
	console_open(p, TR(p->lang, errors[i].title_nl, errors[i].title_en),
	    "/beheer/");
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n", TR(p->lang, errors[i].title_nl,
	    errors[i].title_en), TR(p->lang, errors[i].text_nl,
	    errors[i].text_en));
	if (c->email == NULL)
		html_fmt(h, "<p><a class=\"button\" href=\"/beheer/login%s\">%s"
		    "</a></p>\n", p->lq, TR(p->lang, "Aanmelden", "Log in"));
	else
		html_fmt(h, "<p><a href=\"/beheer/%s\">%s</a></p>\n", p->lq,
		    TR(p->lang, "Naar het overzicht", "To the overview"));
	console_close(p);
}

/* -- the frame, for the console's other renderers (roster.c, door.c,
 * teller.c): the notice is theirs to draw ------------------------------- */

void
console_frame_open(struct html *h, const struct console_ctx *c,
    const char *title, const char *path)
{
	struct console_ctx own = *c;
	struct draw d;

	own.notice = NULL;
	draw_init(&d, h, &own);
	console_open(&d, title, path);
}

void
console_frame_close(struct html *h, const struct console_ctx *c)
{
	struct draw d;

	draw_init(&d, h, c);
	console_close(&d);
}

void
console_csrf(struct html *h, const struct console_ctx *c)
{
	struct draw d;

	draw_init(&d, h, c);
	csrf_field(&d);
}

void
console_table_open(struct html *h, const struct console_ctx *c,
    const char *id, const char *caption)
{
	struct draw d;

	draw_init(&d, h, c);
	table_open(&d, id, caption);
}

void
console_table_close(struct html *h, const struct console_ctx *c)
{
	struct draw d;

	draw_init(&d, h, c);
	table_close(&d);
}

void
console_admin_tabs(struct html *h, const struct console_ctx *c,
    const char *path)
{
	struct draw d;

	draw_init(&d, h, c);
	admin_tabs(&d, path);
}
