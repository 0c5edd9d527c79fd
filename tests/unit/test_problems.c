/* test_problems.c - the problem types and their pages. */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "render/html.h"
#include "render/page.h"
#include "render/problems.h"
#include "tap.h"

static bool
name_ok(const char *s)
{
	return *s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz-") ==
	    strlen(s) && s[0] != '-' && s[strlen(s) - 1] != '-';
}

int
main(void)
{
	struct page_ctx c;
	struct html h;
	char want[160];
	size_t i, j;
	int l;

	ok(problem_types_len >= 30, "%zu problem types", problem_types_len);
	ok(problem_type_find("event-full") != NULL &&
	    problem_type_find("event-full")->status == 409, "event-full: 409");
	ok(problem_type_find("nothing-like-it") == NULL, "unknown: NULL");
	ok(problem_type_find("") == NULL && problem_type_find("event") == NULL,
	    "no prefix matches");

	for (i = 0; i < problem_types_len; i++) {
		const struct problem_type *p = &problem_types[i];

		ok(name_ok(p->name), "%s: a name for a URL", p->name);
		ok(p->status >= 400 && p->status <= 599, "%s: status %d",
		    p->name, p->status);
		for (j = 0; j < i && strcmp(problem_types[j].name, p->name);
		    j++)
			;
		ok(j == i, "%s: once", p->name);
		ok(problem_type_find(p->name) == p, "%s: found", p->name);
		ok(strlen(p->text_nl) > 40 && strlen(p->text_en) > 40,
		    "%s: explained in both languages", p->name);
		for (l = 0; l < 2; l++) {
			memset(&c, 0, sizeof(c));
			c.lang = l == 0 ? LANG_NL : LANG_EN;
			c.lq = "";
			c.public_url = "https://leerkans.example";
			html_init(&h);
			pages_problem(&h, &c, p);
			ok(html_ok(&h), "%s: drawn", p->name);
			snprintf(want, sizeof(want), "<dd>%d</dd>", p->status);
			ok(strstr(html_str(&h), want) != NULL, "%s: its status",
			    p->name);
			snprintf(want, sizeof(want), "<code>https://leerkans."
			    "example/problems/%s</code>", p->name);
			ok(strstr(html_str(&h), want) != NULL, "%s: its type URI",
			    p->name);
			snprintf(want, sizeof(want), "<html lang=\"%s\">",
			    l == 0 ? "nl" : "en");
			ok(strstr(html_str(&h), want) != NULL, "%s: %s",
			    p->name, want);
			ok(strstr(html_str(&h), "<h1>") != NULL &&
			    strstr(html_str(&h), "</html>\n") != NULL,
			    "%s: a whole page", p->name);
			html_free(&h);
		}
	}
	return done_testing();
}
