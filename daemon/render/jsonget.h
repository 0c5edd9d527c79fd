/*
 * render/jsonget.h - reading the members of the JSON documents the
 * renderers are given (the SQL functions' answers), the same way in
 * every renderer: an absent or mistyped member reads as "none", never
 * as an error, since the page then simply leaves that part out.
 */
#ifndef LEERKANS_JSONGET_H
#define LEERKANS_JSONGET_H

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

static inline bool
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* A string member; NULL when absent, null or not a string. */
static inline const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static inline const char *
jstr_or(const json_t *o, const char *key, const char *none)
{
	const char *s = jstr(o, key);

	return s != NULL ? s : none;
}

/* An integer member; -1 when absent or null (an unlimited capacity). */
static inline long long
jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

/* A count; 0 when absent or null. */
static inline long long
jcount(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

#endif
