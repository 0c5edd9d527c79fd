/*
 * cache/validators.h - the validators of a cached answer (strong ETags,
 * Last-Modified) and what a request's If-None-Match, If-Modified-Since
 * and Accept-Encoding make of them.  Pure functions of strings and
 * times, apart from the cache, so that the unit tests run the very code
 * that decides between 200 and 304, and between gzip and not.
 */
#ifndef LEERKANS_VALIDATORS_H
#define LEERKANS_VALIDATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Room for an ETag with a suffix of up to 4 bytes, NUL included. */
#define VALIDATORS_ETAG_SIZE	24
/* Room for an HTTP date (IMF-fixdate), NUL included. */
#define VALIDATORS_DATE_SIZE	32

/*
 * The strong ETag of len bytes: their 64-bit FNV-1a hash in 16 hex
 * digits, then suffix ("-gz" for the gzipped bytes), quoted.
 */
void	validators_etag(char *buf, size_t size, const void *data, size_t len,
	    const char *suffix);
/* t as an HTTP date (RFC 9110 5.6.7), for Last-Modified. */
void	validators_http_date(char *buf, size_t size, time_t t);

/*
 * Does an If-None-Match value list etag, or etag_gz when not NULL
 * (weak comparison, RFC 9110 13.1.2)?  "*", alone, lists any.
 */
bool	validators_etag_listed(const char *inm, const char *etag,
	    const char *etag_gz);
/* Is an If-Modified-Since value a date no earlier than last_modified? */
bool	validators_not_modified_since(const char *ims, time_t last_modified);
/*
 * 304 or not, from the request's If-None-Match and If-Modified-Since
 * (either may be NULL): If-Modified-Since counts only without
 * If-None-Match (RFC 9110 13.2.2).
 */
bool	validators_unchanged(const char *inm, const char *ims,
	    const char *etag, const char *etag_gz, time_t last_modified);
/* Does an Accept-Encoding value (NULL: none sent) take gzip? */
bool	validators_accepts_gzip(const char *ae);

#endif
