/*
 * test_sitemap.c - /sitemap.xml (render/sitemap.c): the index, every
 * event page given, the two statements, each in both languages with
 * both as alternates, lastmod from the data, everything escaped.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render/html.h"
#include "render/sitemap.h"
#include "tap.h"

static int
count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

int
main(void)
{
	struct html h;
	json_t *doc = json_loads("{\"index_updated_at\": "
	    "\"2027-02-01T10:00:00+01:00\", \"events\": ["
	    "{\"slug\": \"netwerkevent-voorjaar\", \"updated_at\": "
	    "\"2027-01-20T09:30:00+01:00\"},"
	    "{\"slug\": \"infosessie-kmo\", \"updated_at\": null}]}", 0, NULL);
	const char *x;

	html_init(&h);
	sitemap_render(&h, "https://leerkans.example.be/a&b", doc);
	x = html_str(&h);
	ok(html_ok(&h) && strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
	    "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n", 138) == 0,
	    "a sitemaps.org urlset with the xhtml namespace");
	ok(count(x, "<url>") == 10, "five pages, each in two languages (%d)",
	    count(x, "<url>"));
	ok(strstr(x, "<url><loc>https://leerkans.example.be/a&amp;b/</loc>"
	    "<lastmod>2027-02-01T10:00:00+01:00</lastmod>") != NULL,
	    "the index, its lastmod, the base escaped");
	ok(strstr(x, "<loc>https://leerkans.example.be/a&amp;b/events/"
	    "netwerkevent-voorjaar?lang=en</loc><lastmod>2027-01-20T09:30:00"
	    "+01:00</lastmod><xhtml:link rel=\"alternate\" hreflang=\"nl\" "
	    "href=\"https://leerkans.example.be/a&amp;b/events/netwerkevent-"
	    "voorjaar\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\""
	    "https://leerkans.example.be/a&amp;b/events/netwerkevent-voorjaar"
	    "?lang=en\"/></url>") != NULL, "an event in English, with both "
	    "alternates");
	ok(strstr(x, "/events/infosessie-kmo</loc><xhtml:link") != NULL,
	    "no lastmod where the data has none");
	ok(count(x, "/privacy</loc>") == 1 && count(x,
	    "/accessibility?lang=en</loc>") == 1, "the two statements");
	ok(strstr(x, "/r/") == NULL, "never a registrant's page");
	ok(strcmp(x + strlen(x) - 10, "</urlset>\n") == 0, "closed");
	html_free(&h);
	json_decref(doc);
	return done_testing();
}
