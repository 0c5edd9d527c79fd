/*
 * icalcheck.c - libical's own opinion of iCalendar files, for the
 * integration tests (tests/integration/test_feeds.py).
 *
 *	icalcheck [-l] FILE...	("-" reads stdin)
 *
 * Parses each file with icalparser and reports every X-LIC-ERROR
 * property that the parser put in (malformed lines, bad values, unknown
 * parameters, ...), one per line as FILE: COMPONENT: PROPERTY-TEXT.
 * A file that is not a single VCALENDAR is an error too.  Exits 0 when
 * every file is clean, 1 when any is not, 2 on usage or I/O errors.
 *
 * With -l it also lists each VEVENT as libical reads it, one per line:
 *	VEVENT <tab> UID <tab> SEQUENCE <tab> STATUS <tab> DTSTART <tab> DTEND
 * the times as seconds since the epoch, computed by libical from the
 * TZID and the file's own VTIMEZONE.
 *
 * Independent of leerkansd: it links libical alone.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

static char *
read_all(FILE *fp)
{
	char *s = NULL, *p;
	size_t len = 0, cap = 0, n;

	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((p = realloc(s, cap)) == NULL) {
				free(s);
				return NULL;
			}
			s = p;
		}
		n = fread(s + len, 1, cap - len - 1, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		free(s);
		return NULL;
	}
	s[len] = '\0';
	return s;
}

static int
report(const char *name, icalcomponent *c)
{
	icalcomponent *sub;
	icalproperty *p;
	int n = 0;

	for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		printf("%s: %s: %s\n", name,
		    icalcomponent_kind_to_string(icalcomponent_isa(c)),
		    icalproperty_get_xlicerror(p));
		n++;
	}
	for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    sub != NULL;
	    sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += report(name, sub);
	return n;
}

static bool list;

static long long
epoch(icaltimetype t)
{
	return (long long)icaltime_as_timet_with_zone(t, t.zone);
}

static void
list_events(icalcomponent *cal)
{
	icalcomponent *ev;
	icalproperty *p;

	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		p = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
		printf("VEVENT\t%s\t%d\t%s\t%lld\t%lld\n",
		    icalcomponent_get_uid(ev) ? icalcomponent_get_uid(ev) : "",
		    p != NULL ? icalproperty_get_sequence(p) : -1,
		    icalproperty_status_to_string(icalcomponent_get_status(ev)),
		    epoch(icalcomponent_get_dtstart(ev)),
		    epoch(icalcomponent_get_dtend(ev)));
	}
}

static int
check(const char *name)
{
	FILE *fp = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
	icalcomponent *c;
	char *text;
	int errors;

	if (fp == NULL) {
		perror(name);
		return -1;
	}
	text = read_all(fp);
	if (fp != stdin)
		fclose(fp);
	if (text == NULL) {
		fprintf(stderr, "%s: cannot read it\n", name);
		return -1;
	}
	c = icalparser_parse_string(text);
	free(text);
	if (c == NULL) {
		printf("%s: not iCalendar at all\n", name);
		return 1;
	}
	errors = report(name, c);
	if (icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT) {
		printf("%s: a %s, not one VCALENDAR\n", name,
		    icalcomponent_kind_to_string(icalcomponent_isa(c)));
		errors++;
	} else if (list)
		list_events(c);
	icalcomponent_free(c);
	return errors;
}

int
main(int argc, char *argv[])
{
	int i = 1, n, rc = 0;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		list = true;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: icalcheck [-l] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if ((n = check(argv[i])) < 0)
			return 2;
		if (n > 0)
			rc = 1;
	}
	return rc;
}
