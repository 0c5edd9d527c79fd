/*
 * render/page.c - the frame of every page and the error pages.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "input/validate.h"
#include "render/html.h"
#include "render/i18n.h"
#include "render/page.h"

const char *
page_css_etag(void)
{
	static char etag[24];

	if (etag[0] == '\0')
		snprintf(etag, sizeof(etag), "\"%016llx\"",
		    (unsigned long long)hash_str(page_css, 0x6c6b));
	return etag;
}

void
page_open(struct html *h, const struct page_ctx *c, const char *title,
    const char *path, bool noindex)
{
	enum lang other = c->lang == LANG_EN ? LANG_NL : LANG_EN;
	const char *lq = c->lq != NULL ? c->lq : "";
	char version[9];

	snprintf(version, sizeof(version), "%.8s", page_css_etag() + 1);
	html_fmt(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<title>%s %s West-Vlaams Partnerschap Levenslang Leren</title>\n"
	    "<link rel=\"stylesheet\" href=\"/static/leerkans.css?v=%s\">\n",
	    i18n_code(c->lang), title, "\xe2\x80\x94", version);
	if (noindex)
		html_raw(h, "<meta name=\"robots\" content=\"noindex, "
		    "nofollow\">\n");
	html_fmt(h, "</head>\n<body>\n"
	    "<a class=\"skip\" href=\"#main\">%s</a>\n"
	    "<header class=\"site\"><div class=\"wrap\">\n"
	    "<p><a class=\"brand\" href=\"/%s\" lang=\"nl\">West-Vlaams "
	    "Partnerschap Levenslang Leren</a> "
	    "<span class=\"tag\">#blijfkennismaken</span></p>\n"
	    "<nav class=\"langs\" aria-label=\"%s\"><a href=\"%s?lang=%s\" "
	    "hreflang=\"%s\" lang=\"%s\">%s</a></nav>\n"
	    "</div></header>\n"
	    "<main id=\"main\" class=\"wrap\">\n",
	    TR(c->lang, "Naar de inhoud", "Skip to content"), lq,
	    TR(c->lang, "Taal", "Language"), path, i18n_code(other),
	    i18n_code(other), i18n_code(other),
	    TR(c->lang, "English", "Nederlands"));
}

void
page_close(struct html *h, const struct page_ctx *c)
{
	html_fmt(h, "</main>\n<footer class=\"site\"><div class=\"wrap\">\n"
	    "<p>%s</p>\n<p><strong>#blijfkennismaken</strong></p>\n"
	    "</div></footer>\n</body>\n</html>\n",
	    TR(c->lang, "Een initiatief van het West-Vlaams Partnerschap "
	    "Levenslang Leren: de Provincie West-Vlaanderen, POM "
	    "West-Vlaanderen, TUA West en Huis van het Leren West-Vlaanderen. "
	    "Samen maken we van West-Vlaanderen dé lerende provincie.",
	    "An initiative of the West Flanders Partnership for Lifelong "
	    "Learning (West-Vlaams Partnerschap Levenslang Leren): the "
	    "Province of West Flanders, POM West-Vlaanderen, TUA West and Huis "
	    "van het Leren West-Vlaanderen. Together we make West Flanders "
	    "the learning province."));
}

bool
page_secret(const char *path)
{
	return path != NULL && strncmp(path, "/r/", 3) == 0;
}

/* What an error page says, by status (0: anything else). */
static const struct {
	int		 status;
	const char	*title_nl, *title_en;
	const char	*text_nl, *text_en;
} problems[] = {
	{ 403,
	  "Dit formulier kon niet verstuurd worden",
	  "This form could not be sent",
	  "We aanvaarden een formulier alleen als het van deze website komt "
	  "en je browser ons cookie meestuurt. Laad de pagina opnieuw, sta "
	  "cookies voor deze website toe en verstuur het formulier nog eens.",
	  "We accept a form only when it comes from this website and your "
	  "browser sends our cookie with it. Reload the page, allow cookies "
	  "for this website and send the form again." },
	{ 404,
	  "Niet gevonden", "Not found",
	  "Deze pagina bestaat niet (meer). Misschien is de link onvolledig.",
	  "This page does not exist (any more). Perhaps the link is "
	  "incomplete." },
	{ 429,
	  "Even geduld", "Please wait a moment",
	  "Er kwamen van hier, of voor dit e-mailadres, net veel "
	  "inschrijvingen binnen. Probeer het over enkele minuten opnieuw.",
	  "Many registrations came from here, or for this e-mail address, "
	  "just now. Try again in a few minutes." },
	{ 503,
	  "Even niet beschikbaar", "Temporarily unavailable",
	  "We kunnen je vraag nu niet verwerken. Probeer het over enkele "
	  "ogenblikken opnieuw.",
	  "We cannot handle your request right now. Try again in a few "
	  "moments." },
	{ 400,
	  "Dit formulier konden we niet lezen", "We could not read this form",
	  "Ga terug, laad de pagina opnieuw en verstuur het formulier nog "
	  "eens.",
	  "Go back, reload the page and send the form again." },
	{ 413,
	  "Dit formulier konden we niet lezen", "We could not read this form",
	  "Ga terug, laad de pagina opnieuw en verstuur het formulier nog "
	  "eens.",
	  "Go back, reload the page and send the form again." },
	{ 415,
	  "Dit formulier konden we niet lezen", "We could not read this form",
	  "Ga terug, laad de pagina opnieuw en verstuur het formulier nog "
	  "eens.",
	  "Go back, reload the page and send the form again." },
	{ 405,
	  "Dat kan hier niet", "Not possible here",
	  "Deze pagina werkt niet op die manier.",
	  "This page does not work that way." },
	{ 422,
	  "Dat kunnen we niet aanvaarden", "We cannot accept that",
	  "Iets in je vraag (het adres of het formulier) klopt niet. Ga "
	  "terug, laad de pagina opnieuw en probeer het nog eens.",
	  "Something in your request (the address or the form) is not right. "
	  "Go back, reload the page and try again." },
	{ 409,
	  "Dat kan niet (meer)", "Not possible (any more)",
	  "Wat je vroeg, past niet meer bij hoe het nu is. Laad de pagina "
	  "opnieuw.",
	  "What you asked no longer fits how things are. Reload the page." },
	{ 0,
	  "Er ging iets mis", "Something went wrong",
	  "Dat had niet mogen gebeuren. Probeer het later opnieuw.",
	  "That should not have happened. Try again later." },
};

void
page_error(struct html *h, const struct page_ctx *c, int status,
    const char *path, const char *param)
{
	const char *lq = c->lq != NULL ? c->lq : "", *text, *title;
	bool secret = page_secret(path);
	char back[128] = "";
	size_t i;

	if (path == NULL)
		path = "";
	for (i = 0; problems[i].status != 0; i++)
		if (problems[i].status == status)
			break;
	title = TR(c->lang, problems[i].title_nl, problems[i].title_en);
	text = TR(c->lang, problems[i].text_nl, problems[i].text_en);
	if (status == 404 && secret)
		text = TR(c->lang, "Deze inschrijving vinden we niet. "
		    "Controleer of je de volledige link gebruikte.",
		    "We cannot find this registration. Check that you used "
		    "the whole link.");
	/* the way back: to the page the form was on */
	if (status != 404 && param != NULL &&
	    strncmp(path, "/events/", 8) == 0 && valid_slug(param))
		snprintf(back, sizeof(back), "/events/%s%s", param, lq);
	else if (status != 404 && param != NULL && secret &&
	    token_wellformed(param))
		snprintf(back, sizeof(back), "/r/%s%s", param, lq);

	page_open(h, c, title, "/", secret);
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n", title, text);
	if (back[0] != '\0')
		html_fmt(h, "<p><a href=\"%s\">%s</a></p>\n", back,
		    TR(c->lang, "Terug", "Back"));
	html_fmt(h, "<p><a href=\"/%s\">%s</a></p>\n", lq,
	    TR(c->lang, "Naar alle activiteiten", "To all events"));
	page_close(h, c);
}
