/*
 * render/json.c - JSON as the daemon sends it (json.h).
 *
 * SQL's text is made compact by one pass that drops the white space
 * between tokens and copies everything else as it is: strings (escapes
 * included), numbers and key order stay exactly what PostgreSQL wrote.
 * PostgreSQL's json is valid JSON, so nothing needs reading into values;
 * the pass only checks that strings and brackets close, so a cut-off
 * text is refused.  Reading the text with jansson and writing it again
 * did the same at 20 to 30 times the cost (bench/jsonbench): 16 to 19 ms
 * on the event loop for a list of 200 events (160 KB), which a fill of
 * the answer cache pays after every registration, against about 0.6 ms
 * for the pass; and it rewrote numbers (0.1 as 0.10000000000000001) and
 * escapes.
 *
 * A jansson value (a problem document) is written by jansson itself,
 * compact, keys in the order they were set (jansson >= 2.8).
 */
#include "autoconf.h"

#include <stdbool.h>
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
	const char *p, *end = text + len;
	bool in_string = false;
	long depth = 0;
	char *out, *w;

	if ((out = malloc(len + 2)) == NULL)
		return NULL;
	for (p = text, w = out; p < end; p++) {
		char c = *p;

		if (in_string) {
			*w++ = c;
			if (c == '\\' && p + 1 < end)
				*w++ = *++p;	/* \" and \\ do not end it */
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c) {
		case ' ':
		case '\t':
		case '\n':
		case '\r':
			continue;		/* between tokens */
		case '"':
			in_string = true;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth < 0)
				goto fail;
			break;
		case '\0':
			goto fail;
		}
		*w++ = c;
	}
	if (in_string || depth != 0 || w == out)
		goto fail;
	*w++ = '\n';
	*w = '\0';
	*outlen = (size_t)(w - out);
	return out;
fail:
	free(out);
	return NULL;
}
