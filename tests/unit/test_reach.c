/* test_reach.c - the reach report as CSV, and the lines it shares with
 * leerkansctl's table. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "render/reach.h"
#include "tap.h"

/* lk_reach's shape, with counts only where they are not 0 */
static const char report_text[] =
    "{\"year\":2027,\"from\":\"2027-01-01T00:00:00+01:00\","
    "\"to\":\"2028-01-01T00:00:00+01:00\",\"kinds\":["
    "{\"kind\":\"network-event\",\"title\":\"Netwerkevent\",\"action\":7,"
    "\"counts\":{\"events\":2,\"registrations\":5,\"people\":4,"
    "\"by_role\":{\"employer\":3},\"by_region\":{\"ieper\":2},"
    "\"westhoek\":2}},"
    "{\"kind\":\"sme-info-session\",\"title\":\"Infosessie\",\"action\":4,"
    "\"counts\":{\"events\":1,\"registrations\":1,\"people\":1,"
    "\"by_organisation_type\":{\"sme\":1}}}],"
    "\"total\":{\"events\":3,\"registrations\":6,\"people\":4,"
    "\"by_role\":{\"employer\":3},\"by_organisation_type\":{\"sme\":1},"
    "\"by_region\":{\"ieper\":2},\"westhoek\":2}}";

static char *
csv(const json_t *report, char delim, bool bom, bool *okp)
{
	struct evbuffer *b = evbuffer_new();
	size_t n;
	char *s;

	*okp = reach_csv(b, report, delim, bom);
	n = evbuffer_get_length(b);
	s = malloc(n + 1);
	evbuffer_remove(b, s, n);
	s[n] = '\0';
	evbuffer_free(b);
	return s;
}

int
main(void)
{
	json_t *report = json_loads(report_text, 0, NULL), *bad;
	size_t i, rows = 0;
	char *s, *line;
	bool good;

	ok(report != NULL, "the report parses");
	s = csv(report, ',', false, &good);
	ok(good, "written");
	ok(strncmp(s, "measure,network-event,sme-info-session,total\r\n",
	    46) == 0, "header: measure, the kinds in order, total");
	ok(strstr(s, "\r\nevents,2,1,3\r\n") != NULL, "events per kind");
	ok(strstr(s, "\r\nregistrations,5,1,6\r\n") != NULL, "registrations");
	ok(strstr(s, "\r\nby_role.employer,3,0,3\r\n") != NULL,
	    "a count in a group; 0 where it is missing");
	ok(strstr(s, "\r\nby_organisation_type.sme,0,1,1\r\n") != NULL,
	    "organisation type");
	ok(strstr(s, "\r\nby_region.ieper,2,0,2\r\n") != NULL, "region");
	ok(strstr(s, "\r\nwesthoek,2,0,2\r\n") != NULL, "the Westhoek");
	ok(strstr(s, "By role") == NULL, "no headings");
	for (line = s; (line = strstr(line, "\r\n")) != NULL; line += 2)
		rows++;
	for (i = 0; i < reach_nlines; i++)
		if (reach_lines[i].key != NULL)
			rows--;
	ok(rows == 1, "a row per count, and the header");
	free(s);

	s = csv(report, ';', true, &good);
	ok(good && strncmp(s, "\xef\xbb\xbfmeasure;network-event;", 25) == 0,
	    "semicolons, after a byte order mark");
	ok(strstr(s, "\r\nevents;2;1;3\r\n") != NULL, "semicolons in rows");
	free(s);

	bad = json_pack("{s:s}", "kinds", "none");
	s = csv(bad, ',', false, &good);
	ok(!good && *s == '\0', "not a report: refused, nothing written");
	free(s);
	json_decref(bad);

	/* every measure names its count, and each once */
	for (i = 0; i < reach_nlines; i++) {
		const struct reach_line *l = &reach_lines[i];
		char want[80];
		size_t j;

		if (l->key == NULL)
			continue;
		snprintf(want, sizeof(want), "%s%s%s", l->group ? l->group :
		    "", l->group ? "." : "", l->key);
		ok(strcmp(l->measure, want) == 0, "measure %s", l->measure);
		for (j = 0; j < i; j++)
			if (reach_lines[j].measure != NULL &&
			    strcmp(reach_lines[j].measure, l->measure) == 0)
				break;
		ok(j == i, "%s once", l->measure);
	}
	json_decref(report);
	return done_testing();
}
