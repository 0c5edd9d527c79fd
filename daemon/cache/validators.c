/*
 * cache/validators.c - strong ETags and Last-Modified for the answer
 * cache, and the reading of the request fields that are compared with
 * them.  What cannot be read counts for nothing: a 200 with the whole
 * answer is always right, a 304 earned by a malformed field could leave
 * a client with an old copy.
 */
#include "autoconf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/util.h"
#include "cache/validators.h"
#include "http/parse.h"

void
validators_etag(char *buf, size_t size, const void *data, size_t len,
    const char *suffix)
{
	snprintf(buf, size, "\"%016" PRIx64 "%s\"", hash_mem(data, len, 0),
	    suffix);
}

void
validators_http_date(char *buf, size_t size, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, HTTP_DATE_FORMAT, &tm);
}

static bool
tag_is(const char *s, size_t len, const char *tag)
{
	return strlen(tag) == len && memcmp(s, tag, len) == 0;
}

/*
 * Either encoding's tag will do: the bytes are the same answer, and a
 * client that changed its Accept-Encoding still holds a current copy.
 */
bool
validators_etag_listed(const char *inm, const char *etag, const char *etag_gz)
{
	const char *p = inm, *start;

	/* "*" is the whole value (RFC 9110 13.1.2); among tags it is junk */
	p += strspn(p, " \t");
	if (*p == '*' && p[1 + strspn(p + 1, " \t")] == '\0')
		return true;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return false;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		start = p;
		if (*p == '"') {
			if ((p = strchr(p + 1, '"')) == NULL)
				return false;
			p++;
		} else
			while (*p != '\0' && *p != ',')
				p++;
		if (tag_is(start, (size_t)(p - start), etag) ||
		    (etag_gz != NULL &&
		    tag_is(start, (size_t)(p - start), etag_gz)))
			return true;
	}
}

bool
validators_not_modified_since(const char *ims, time_t last_modified)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(ims, HTTP_DATE_FORMAT, &tm)) == NULL ||
	    *end != '\0')
		return false;
	return last_modified <= timegm(&tm);
}

bool
validators_unchanged(const char *inm, const char *ims, const char *etag,
    const char *etag_gz, time_t last_modified)
{
	if (inm != NULL)
		return validators_etag_listed(inm, etag, etag_gz);
	return ims != NULL && validators_not_modified_since(ims, last_modified);
}

/* RFC 9110 12.5.3: a coding named outright wins over "*". */
bool
validators_accepts_gzip(const char *ae)
{
	bool gzip = false, gzip_ok = false, star = false, star_ok = false;
	const char *p = ae, *name, *q;
	size_t len;
	double qv;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		name = p;
		while (*p != '\0' && *p != ',' && *p != ';' && *p != ' ' &&
		    *p != '\t')
			p++;
		len = (size_t)(p - name);
		qv = 1;
		while (*p != '\0' && *p != ',') {
			if (*p == ';') {
				q = p + 1;
				while (*q == ' ' || *q == '\t')
					q++;
				if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=')
					qv = strtod(q + 2, NULL);
			}
			p++;
		}
		if ((len == 4 && strncasecmp(name, "gzip", 4) == 0) ||
		    (len == 6 && strncasecmp(name, "x-gzip", 6) == 0)) {
			gzip = true;
			gzip_ok = qv > 0;
		} else if (len == 1 && *name == '*') {
			star = true;
			star_ok = qv > 0;
		}
	}
	return gzip ? gzip_ok : star && star_ok;
}
