/*
 * render/json.h - JSON as the daemon sends it: compact (no space after
 * ':' or ','), on one line, ending in a newline.
 *
 * Most answers are made in SQL (json_build_object), whose text has
 * PostgreSQL's spacing ({"a" : 1, "b" : 2}); the rest are jansson
 * values (problem details).  Both leave through here, so every JSON
 * answer looks the same to a client and to a diff.
 */
#ifndef LEERKANS_JSON_H
#define LEERKANS_JSON_H

#include <stddef.h>

#include <jansson.h>

/*
 * Valid JSON text (len bytes, such as PostgreSQL's json) without the
 * white space between its tokens, with "\n" at the end: malloc'ed,
 * NUL-terminated, its length in *outlen.  Everything else is copied as
 * it is.  NULL when a string or bracket does not close, or memory ran
 * out.
 */
char	*json_text_compact(const char *text, size_t len, size_t *outlen);
/* A jansson value written the same way; NULL when memory ran out. */
char	*json_text_dump(const json_t *j, size_t *outlen);

#endif
