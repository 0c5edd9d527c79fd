/*
 * render/sitemap.c - /sitemap.xml from its document.  See sitemap.h.
 */
#include "autoconf.h"

#include <stdio.h>

#include <jansson.h>

#include "render/html.h"
#include "render/sitemap.h"

/*
 * One page in both languages: a <url> for each, with lastmod when the
 * data says when the page changed, and both as alternates (Google wants
 * every version to list every version, itself included).
 */
static void
sitemap_page(struct html *h, const char *base, const char *path,
    const char *lastmod)
{
	static const char *const langs[] = { "nl", "en" };
	size_t i, j;

	for (i = 0; i < 2; i++) {
		html_fmt(h, "<url><loc>%s%s%s</loc>", base, path, i == 1 ?
		    "?lang=en" : "");
		if (lastmod != NULL)
			html_fmt(h, "<lastmod>%s</lastmod>", lastmod);
		for (j = 0; j < 2; j++)
			html_fmt(h, "<xhtml:link rel=\"alternate\" "
			    "hreflang=\"%s\" href=\"%s%s%s\"/>", langs[j], base,
			    path, j == 1 ? "?lang=en" : "");
		html_raw(h, "</url>\n");
	}
}

void
sitemap_render(struct html *h, const char *public_url, const json_t *doc)
{
	const char *base = public_url != NULL ? public_url : "";
	json_t *ev;
	char path[128];
	size_t i;

	html_raw(h, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
	    "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
	sitemap_page(h, base, "/", json_string_value(json_object_get(doc,
	    "index_updated_at")));
	json_array_foreach(json_object_get(doc, "events"), i, ev) {
		const char *slug = json_string_value(json_object_get(ev,
		    "slug"));

		if (slug == NULL)
			continue;
		snprintf(path, sizeof(path), "/events/%s", slug);
		sitemap_page(h, base, path, json_string_value(
		    json_object_get(ev, "updated_at")));
	}
	sitemap_page(h, base, "/privacy", NULL);
	sitemap_page(h, base, "/accessibility", NULL);
	html_raw(h, "</urlset>\n");
}
