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

#define PAGE_PARTNERSHIP	"West-Vlaams Partnerschap Levenslang Leren"

const char *
page_css_etag(void)
{
	static char etag[24];

	if (etag[0] == '\0')
		snprintf(etag, sizeof(etag), "\"%016llx\"",
		    (unsigned long long)hash_str(page_css, 0x6c6b));
	return etag;
}

bool
page_address(const struct page_ctx *c, const char *path, enum lang lang,
    char *out, size_t outlen)
{
	int n;

	n = snprintf(out, outlen, "%s%s%s", c->public_url != NULL ?
	    c->public_url : "", path, lang == LANG_EN ? "?lang=en" : "");
	return n >= 0 && (size_t)n < outlen;
}

/* The same into the page; a page whose address does not fit fails. */
static void
page_url(struct html *h, const struct page_ctx *c, const char *path,
    enum lang lang)
{
	char url[PAGE_ADDRESS_MAX];

	if (!page_address(c, path, lang, url, sizeof(url))) {
		h->failed = true;
		return;
	}
	html_fmt(h, "%s", url);
}

/*
 * The canonical address, the other language's, a description, Open
 * Graph (og:locale nl_BE or en_GB) and JSON-LD.  The Dutch page is the
 * path without ?lang=, which is also what a reader without a language
 * preference gets (x-default).
 */
static void
page_head_meta(struct html *h, const struct page_ctx *c, const char *title,
    const char *path, const struct page_meta *m)
{
	const struct page_site *site = c->site;

	html_raw(h, "<link rel=\"canonical\" href=\"");
	page_url(h, c, path, c->lang);
	html_raw(h, "\">\n<link rel=\"alternate\" hreflang=\"nl\" href=\"");
	page_url(h, c, path, LANG_NL);
	html_raw(h, "\">\n<link rel=\"alternate\" hreflang=\"en\" href=\"");
	page_url(h, c, path, LANG_EN);
	html_raw(h, "\">\n<link rel=\"alternate\" hreflang=\"x-default\" "
	    "href=\"");
	page_url(h, c, path, LANG_NL);
	html_raw(h, "\">\n");
	if (m->description != NULL)
		html_fmt(h, "<meta name=\"description\" content=\"%s\">\n",
		    m->description);
	html_fmt(h, "<meta property=\"og:site_name\" content=\"%s\">\n"
	    "<meta property=\"og:type\" content=\"website\">\n"
	    "<meta property=\"og:title\" content=\"%s\">\n"
	    "<meta property=\"og:locale\" content=\"%s\">\n"
	    "<meta property=\"og:locale:alternate\" content=\"%s\">\n"
	    "<meta property=\"og:url\" content=\"", PAGE_PARTNERSHIP, title,
	    TR(c->lang, "nl_BE", "en_GB"), TR(c->lang, "en_GB", "nl_BE"));
	page_url(h, c, path, c->lang);
	html_raw(h, "\">\n");
	if (m->description != NULL)
		html_fmt(h, "<meta property=\"og:description\" content=\"%s\">"
		    "\n", m->description);
	/* previews take raster images only */
	if (site != NULL && site->logo_src != NULL && site->logo_raster)
		html_fmt(h, "<meta property=\"og:image\" content=\"%s%s\">\n"
		    "<meta property=\"og:image:alt\" content=\"%s\">\n",
		    c->public_url != NULL ? c->public_url : "", site->logo_src,
		    site->logo_alt);
	if (m->jsonld != NULL) {
		html_raw(h, "<script type=\"application/ld+json\">");
		html_json(h, m->jsonld);
		html_raw(h, "</script>\n");
	}
}

/*
 * The document's head, <body> and the skip link to #main; meta (NULL:
 * none) adds what search engines and link previews read about the page
 * at path.
 */
static void
page_document(struct html *h, const struct page_ctx *c, const char *title,
    const char *path, bool noindex, const struct page_meta *meta)
{
	char version[9];

	snprintf(version, sizeof(version), "%.8s", page_css_etag() + 1);
	html_fmt(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<title>%s %s " PAGE_PARTNERSHIP "</title>\n"
	    "<link rel=\"stylesheet\" href=\"/static/leerkans.css?v=%s\">\n",
	    i18n_code(c->lang), title, "\xe2\x80\x94", version);
	if (noindex)
		html_raw(h, "<meta name=\"robots\" content=\"noindex, "
		    "nofollow\">\n");
	else if (meta != NULL)
		page_head_meta(h, c, title, path, meta);
	html_fmt(h, "</head>\n<body>\n"
	    "<a class=\"skip\" href=\"#main\">%s</a>\n",
	    TR(c->lang, "Naar de inhoud", "Skip to content"));
}

void
page_head(struct html *h, const struct page_ctx *c, const char *title,
    bool noindex)
{
	page_document(h, c, title, NULL, noindex, NULL);
}

/* The public pages' header: the brand and the language switch. */
static void
page_banner(struct html *h, const struct page_ctx *c, const char *path)
{
	enum lang other = c->lang == LANG_EN ? LANG_NL : LANG_EN;
	const char *lq = c->lq != NULL ? c->lq : "";

	html_fmt(h, "<header class=\"site\"><div class=\"wrap\">\n"
	    "<p><a class=\"brand\" href=\"/%s\" lang=\"nl\">"
	    PAGE_PARTNERSHIP "</a> "
	    "<span class=\"tag\">#blijfkennismaken</span></p>\n"
	    "<nav class=\"langs\" aria-label=\"%s\"><a href=\"%s?lang=%s\" "
	    "hreflang=\"%s\" lang=\"%s\">%s</a></nav>\n"
	    "</div></header>\n"
	    "<main id=\"main\" class=\"wrap\">\n",
	    lq, TR(c->lang, "Taal", "Language"), path, i18n_code(other),
	    i18n_code(other), i18n_code(other),
	    TR(c->lang, "English", "Nederlands"));
	if (c->preview != NULL)
		html_fmt(h, "<div class=\"notice notice-preview\" "
		    "role=\"note\">\n<p><strong>%s</strong> %s</p>\n"
		    "<p><a href=\"%s%s\">%s</a></p>\n</div>\n",
		    TR(c->lang, "Voorbeeld.", "Preview."), TR(c->lang,
		    "Zo zal de publieke pagina eruitzien. Ze is nog niet "
		    "gepubliceerd: niemand anders ziet ze, en het formulier "
		    "werkt pas na publicatie.", "This is how the public page "
		    "will look. It is not published yet: nobody else sees it, "
		    "and its form works only once it is published."),
		    c->preview, lq, TR(c->lang, "Terug naar het beheer",
		    "Back to the console"));
}

void
page_open(struct html *h, const struct page_ctx *c, const char *title,
    const char *path, bool noindex)
{
	page_document(h, c, title, path, noindex, NULL);
	page_banner(h, c, path);
}

void
page_open_meta(struct html *h, const struct page_ctx *c, const char *title,
    const char *path, const struct page_meta *meta)
{
	page_document(h, c, title, path, false, meta);
	page_banner(h, c, path);
}

/*
 * Who is behind the pages: the partnership, the contact address, the
 * privacy notice and the accessibility statement, and the logo.
 */
void
page_close(struct html *h, const struct page_ctx *c)
{
	const struct page_site *site = c->site;
	const char *lq = c->lq != NULL ? c->lq : "";

	html_raw(h, "</main>\n<footer class=\"site\"><div class=\"wrap\">\n");
	if (site != NULL && site->logo_src != NULL)
		html_fmt(h, "<p class=\"logo\"><img src=\"%s\" alt=\"%s\">"
		    "</p>\n", site->logo_src, site->logo_alt);
	html_fmt(h, "<p>%s</p>\n", TR(c->lang, "Een initiatief van het "
	    "West-Vlaams Partnerschap Levenslang Leren: de Provincie "
	    "West-Vlaanderen, POM West-Vlaanderen, TUA West en Huis van het "
	    "Leren West-Vlaanderen. Samen maken we van West-Vlaanderen dé "
	    "lerende provincie.",
	    "An initiative of the West Flanders Partnership for Lifelong "
	    "Learning (West-Vlaams Partnerschap Levenslang Leren): the "
	    "Province of West Flanders, POM West-Vlaanderen, TUA West and Huis "
	    "van het Leren West-Vlaanderen. Together we make West Flanders "
	    "the learning province."));
	if (site != NULL && site->contact_email != NULL)
		html_fmt(h, "<p>%s <a href=\"mailto:%s\">%s</a></p>\n",
		    TR(c->lang, "Vragen? Mail ons:", "Questions? Write to us:"),
		    site->contact_email, site->contact_email);
	html_fmt(h, "<nav aria-label=\"%s\"><ul class=\"footer-links\">\n"
	    "<li><a href=\"/privacy%s\">%s</a></li>\n"
	    "<li><a href=\"/accessibility%s\">%s</a></li>\n</ul></nav>\n"
	    "<p><strong>#blijfkennismaken</strong></p>\n"
	    "</div></footer>\n</body>\n</html>\n",
	    TR(c->lang, "Over deze website", "About this website"), lq,
	    TR(c->lang, "Privacyverklaring", "Privacy notice"), lq,
	    TR(c->lang, "Toegankelijkheidsverklaring",
	    "Accessibility statement"));
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
