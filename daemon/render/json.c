/*
 * render/json.c - JSON as the daemon sends it (json.h).
 *
 * jansson keeps an object's keys in the order they were inserted (since
 * 2.8), so a document read and written again keeps PostgreSQL's order.
 * Numbers: integers are read as 64-bit integers and written back as they
 * were; a real would be written with up to 17 significant digits, which
 * reads back as the same double but not always as the same text (0.1
 * becomes 0.10000000000000001).  No answer holds a real today; one that
 * must, should round it in SQL and be checked here.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "render/json.h"

#define JSON_TEXT_FLAGS	(JSON_COMPACT | JSON_ENCODE_ANY)

char *
json_text_dump(const json_t *j, size_t *outlen)
{
	char *out;
	size_t n;

	if ((n = json_dumpb(j, NULL, 0, JSON_TEXT_FLAGS)) == 0)
		return NULL;
	if ((out = malloc(n + 2)) == NULL)
		return NULL;
	if (json_dumpb(j, out, n, JSON_TEXT_FLAGS) != n) {
		free(out);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = '\0';
	*outlen = n + 1;
	return out;
}

char *
json_text_compact(const char *text, size_t len, size_t *outlen)
{
	json_t *j;
	char *out;

	/* what PostgreSQL wrote; a NUL escape is its business, not ours */
	if ((j = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL,
	    NULL)) == NULL)
		return NULL;
	out = json_text_dump(j, outlen);
	json_decref(j);
	return out;
}
