/*
 * take.h - what a writer put in an evbuffer, as a string, for the tests
 * of the export writers (test_export, test_export_rows).
 */
#ifndef LEERKANS_TEST_TAKE_H
#define LEERKANS_TEST_TAKE_H

#include <stdlib.h>

#include <event2/buffer.h>

/* The buffer's bytes as a string (freed by the caller); empties it. */
static char *
take(struct evbuffer *b)
{
	size_t n = evbuffer_get_length(b);
	char *s = malloc(n + 1);

	if (s == NULL)
		abort();
	evbuffer_remove(b, s, n);
	s[n] = '\0';
	return s;
}

#endif
