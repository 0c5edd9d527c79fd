/*
 * test_teller.c - "De teller loopt" (render/teller.c) from a document
 * as lk_teller answers it: the totals, four charts as SVG that parse as
 * XML, each with its table (the waiting list apart), the Westhoek
 * marked, the filter and the workbook's link, both languages; and the
 * workbook, a zip file with its sheets.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "render/console.h"
#include "render/html.h"
#include "render/teller.h"
#include "tap.h"

#define CSRF	"Csrf0123456789Csrf0123456789Csrf0123456789C"

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
doc(void)
{
	json_t *d = json_loads(
	    "{\"from\": \"2027-01-01\", \"to\": \"2027-12-31\", \"event\": null,"
	    " \"events\": [{\"slug\": \"netwerk\", \"title\": \"Netwerk <b>\","
	    " \"starts_at\": \"2027-03-18T13:30:00+01:00\"}],"
	    " \"total\": {\"events\": 3, \"registrations\": 9, \"attended\": 4,"
	    " \"waitlisted\": 1, \"people\": 8, \"organisations\": 5,"
	    " \"westhoek\": 2},"
	    " \"by_kind\": [{\"key\": \"network-event\", \"nl\": \"Netwerkevent\","
	    " \"en\": \"Network event\", \"action\": 7, \"registrations\": 9,"
	    " \"attended\": 4, \"waitlisted\": 1}],"
	    " \"by_role\": [{\"key\": \"employer\", \"registrations\": 5,"
	    " \"attended\": 2, \"waitlisted\": 0}, {\"key\": \"employee\","
	    " \"registrations\": 4, \"attended\": 2, \"waitlisted\": 1}],"
	    " \"by_organisation_type\": [{\"key\": \"sme\", \"registrations\": 9,"
	    " \"attended\": 4, \"waitlisted\": 1}],"
	    " \"by_region\": [{\"key\": \"brugge\", \"registrations\": 7,"
	    " \"attended\": 3, \"waitlisted\": 0}, {\"key\": \"ieper\","
	    " \"registrations\": 2, \"attended\": 1, \"waitlisted\": 1},"
	    " {\"key\": \"unknown\", \"registrations\": 0, \"attended\": 0,"
	    " \"waitlisted\": 0}],"
	    " \"regions\": {\"brugge\": {\"name\": \"Brugge\", \"westhoek\": false},"
	    " \"ieper\": {\"name\": \"Ieper\", \"westhoek\": true}}}", 0, NULL);

	if (d == NULL)
		abort();
	return d;
}

static void
ctx(struct console_ctx *c, enum lang lang)
{
	memset(c, 0, sizeof(*c));
	c->page.lang = lang;
	c->page.lq = lang == LANG_EN ? "?lang=en" : "";
	c->page.csrf = CSRF;
	c->email = "org@pom.be";
	c->role = ROLE_ORGANISER;
}

static void
test_page(void)
{
	struct console_ctx c;
	struct teller_form f;
	struct html h;
	json_t *d = doc();
	const char *s;

	ctx(&c, LANG_NL);
	html_init(&h);
	teller_page(&h, &c, d, NULL);
	s = html_str(&h);
	ok(html_ok(&h), "the page is drawn");
	ok(strstr(s, "<h1>De teller loopt</h1>") != NULL, "one h1");
	ok(count(s, "<svg ") == 4 && count(s, "</svg>") == 4 &&
	    count(s, "<figure") == 4 && count(s, "<table>") == 4,
	    "four charts, each with its table");
	ok(count(s, "role=\"img\" aria-labelledby=\"c-") == 4 &&
	    count(s, "<title id=\"c-") == 4 && count(s, "<desc id=\"c-") == 4,
	    "each chart is an image with a title and a description");
	ok(strstr(s, "<tr class=\"westhoek\" data-key=\"ieper\"><th scope=\"row\">"
	    "Ieper (Westhoek)</th><td class=\"num\">2</td><td class=\"num\">1"
	    "</td><td class=\"num\">1</td></tr>") != NULL,
	    "the Westhoek marked, registered, attended, waiting list");
	ok(strstr(s, "class=\"westhoek\"/>") != NULL,
	    "and marked in the chart");
	ok(strstr(s, "Actie 7: Netwerkevent") != NULL, "actions by number");
	ok(strstr(s, "<div data-key=\"registrations\"><dt>Inschrijvingen</dt>"
	    "<dd>9</dd></div>") != NULL, "the totals");
	ok(strstr(s, "href=\"/beheer/teller.xlsx?from=2027-01-01&amp;"
	    "to=2027-12-31\"") != NULL, "the workbook's link");
	ok(strstr(s, "Netwerk &lt;b&gt;") != NULL && strstr(s, "<b>") == NULL,
	    "titles escaped");
	ok(strstr(s, "href=\"/beheer/teller\" aria-current=\"page\"") != NULL,
	    "where one is in the navigation");
	html_free(&h);

	ctx(&c, LANG_EN);
	memset(&f, 0, sizeof(f));
	f.from = "2027-13-01\"";
	f.from_error = "date";
	html_init(&h);
	teller_page(&h, &c, d, &f);
	s = html_str(&h);
	ok(strstr(s, "<title>Error: De teller loopt") != NULL,
	    "a bad date: the title says so");
	ok(strstr(s, "value=\"2027-13-01&quot;\" aria-invalid=\"true\" "
	    "aria-describedby=\"f-from-error\"") != NULL &&
	    strstr(s, "Enter a date like 2027-03-18.") != NULL,
	    "the message beside the field, the value kept, escaped");
	ok(strstr(s, "By region (arrondissement)") != NULL, "in English");
	html_free(&h);
	json_decref(d);
}

static void
test_xlsx(void)
{
	char path[] = "/tmp/test_teller-XXXXXX";
	json_t *d = doc();
	unsigned char magic[4] = { 0 };
	FILE *fp;
	int fd = mkstemp(path);

	ok(fd != -1, "a temporary file");
	ok(teller_xlsx(d, path, NULL), "the workbook is written");
	fp = fopen(path, "rb");
	ok(fp != NULL && fread(magic, 1, 4, fp) == 4 && magic[0] == 'P' &&
	    magic[1] == 'K' && magic[2] == 3 && magic[3] == 4,
	    "a zip file, as XLSX is");
	if (fp != NULL)
		fclose(fp);
	close(fd);
	unlink(path);
	json_decref(d);
}

int
main(void)
{
	test_page();
	test_xlsx();
	done_testing();
}
