/*
 * jsonbench.c - what making SQL's JSON compact costs (render/json.c),
 * against reading and writing the same text with jansson, in one run.
 *
 *	make bench/jsonbench && bench/jsonbench
 *
 * The text is an event as lk_event_json writes it (PostgreSQL's spacing),
 * alone and as a list of 200, the size of bench/run.sh's catalogue.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "render/json.h"

static const char event[] =
    "{\"slug\" : \"infosessie-kmo-brugge-%03d\", \"kind\" : "
    "\"sme-info-session\", \"title\" : \"Infosessie levenslang leren voor "
    "KMO's en intermediairen - Brugge\", \"description\" : "
    "\"Opleidingsmogelijkheden en incentives voor KMO's en "
    "intermediairen.\", \"language\" : \"nl\", \"starts_at\" : "
    "\"2027-05-11T18:00:00+02:00\", \"ends_at\" : "
    "\"2027-05-11T20:00:00+02:00\", \"timezone\" : \"Europe/Brussels\", "
    "\"venue\" : {\"name\" : \"Huis van het Leren\", \"address\" : "
    "\"Sint-Michielslaan 1\", \"postcode\" : \"8200\", \"city\" : "
    "\"Brugge\"}, \"online_url\" : null, \"capacity\" : 100, \"waitlist\" "
    ": true, \"registration_opens_at\" : null, \"registration_closes_at\" "
    ": null, \"status\" : \"published\", \"sequence\" : 0, \"seats_left\" "
    ": 100, \"waitlist_length\" : 0, \"sessions\" : [], \"created_at\" : "
    "\"2026-11-29T10:00:00+01:00\", \"updated_at\" : "
    "\"2026-11-29T10:00:00+01:00\"}";

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *
catalogue(int n, size_t *len)
{
	size_t cap = (size_t)n * (sizeof(event) + 8) + 32, off;
	char *s = malloc(cap);
	int i;

	off = (size_t)snprintf(s, cap, "{\"events\" : [");
	for (i = 0; i < n; i++) {
		if (i > 0)
			off += (size_t)snprintf(s + off, cap - off, ", ");
		off += (size_t)snprintf(s + off, cap - off, event, i);
	}
	off += (size_t)snprintf(s + off, cap - off, "]}");
	*len = off;
	return s;
}

static void
measure(const char *what, int n, int iters)
{
	size_t len, out;
	char *text = catalogue(n, &len), *s;
	double t0, t1, t2;
	json_t *j;
	int i;

	t0 = now();
	for (i = 0; i < iters; i++)
		free(json_text_compact(text, len, &out));
	t1 = now();
	for (i = 0; i < iters; i++) {
		j = json_loadb(text, len, 0, NULL);
		s = json_dumps(j, JSON_COMPACT);
		free(s);
		json_decref(j);
	}
	t2 = now();
	printf("| %s, %zu bytes | %.1f us | jansson %.1f us | %.3f |\n", what,
	    len, (t1 - t0) / iters * 1e6, (t2 - t1) / iters * 1e6,
	    (t1 - t0) / (t2 - t1));
	free(text);
}

int
main(void)
{
	printf("| text | json_text_compact | reference: read and write | "
	    "ratio |\n|---|---:|---:|---:|\n");
	measure("one event", 1, 20000);
	measure("200 events", 200, 100);
	return 0;
}
