/*
 * fuzz_httpmsg.c - HTTP/1.x requests as they come off the wire
 * (http/parse.c): http_head_length, http_head_parse in place, and
 * http_chunked_decode fed in two parts.
 *
 * The input is a message followed by two bytes, little-endian, that pick
 * where the chunked decoder's input is cut in two (modulo its length + 1;
 * an input shorter than two bytes is all message, cut at 0).  The
 * message's head is measured; the head, or when there is none the whole
 * message with an empty line added, is parsed; the whole message, and
 * the bytes after a complete head, are decoded as chunked bodies.
 *
 * Promises: no crash, leak or undefined behaviour (the buffers are
 * exactly as long as their contents, and the struct http_head is full of
 * junk before each parse);
 *   http_head_length never exceeds the input and, when not 0, ends the
 *   head at its first empty line (LF LF or LF CR LF);
 *   http_head_parse returns 0, 400, 414, 417, 431, 501 or 505; a refusal
 *   says why (h->error); 414 only for a target over HTTP_MAX_TARGET; an
 *   accepted head has no error, a known method, a
 *   path starting with '/' (or "*" for OPTIONS only, or the "/" of an
 *   absolute-form target without a path) and the query inside the
 *   buffer, together at most HTTP_MAX_TARGET long, minor 0 or 1 (1 for
 *   any HTTP/1.x from 1.1 on), at most HTTP_MAX_FIELDS fields, each name a
 *   token and each value trimmed and free of control characters, both
 *   NUL-terminated inside the buffer; content_length >= -1, never beside
 *   chunked; chunked only in HTTP/1.1 and when, and only when, one
 *   Transfer-Encoding field says just "chunked"; one Host in HTTP/1.1,
 *   at most one in 1.0, each uri-host [":" port] by a second, simpler
 *   reading; expect_continue when, and only when, an Expect
 *   field came; and the accepted head had no NUL and no CR but before an
 *   LF;
 *   http_head_too_large on the message says 414 or 431, and 414 only
 *   when the request line's target is longer than HTTP_MAX_TARGET;
 *   http_chunked_decode in place gives, fed in two parts, what it gives
 *   fed whole (the same bytes read, written and refused, done at the same
 *   point); it never writes more than it reads, and reads all of its input
 *   unless it is done or refuses; a body it is done with ends in CRLF
 *   CRLF (the last line, and the line before it, end in CRLF).
 */
#include "autoconf.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "http/parse.h"

static const enum evhttp_cmd_type methods[] = {
	EVHTTP_REQ_GET, EVHTTP_REQ_HEAD, EVHTTP_REQ_POST, EVHTTP_REQ_PUT,
	EVHTTP_REQ_PATCH, EVHTTP_REQ_DELETE, EVHTTP_REQ_OPTIONS,
	EVHTTP_REQ_TRACE, EVHTTP_REQ_CONNECT,
};

static bool
tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* s is a NUL-terminated string that starts and ends inside buf. */
static bool
inside(const char *s, const char *buf, size_t len)
{
	return s >= buf && s < buf + len &&
	    memchr(s, '\0', (size_t)(buf + len - s)) != NULL;
}

static bool
hexdig(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* RFC 3986: unreserved or sub-delims */
static bool
hostc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("-._~!$&'()*+,;=", c) != NULL);
}

/*
 * A second reading of a Host value, looser where http/parse.c asks
 * inet_pton: an IP literal of hex digits, colons and dots (with a
 * colon), or IPvFuture; a reg-name with %XX; then ":" and digits.
 */
static bool
host_ok(const char *v)
{
	const char *p = v, *close;
	bool colon = false;

	if (*p == '[') {
		if ((close = strchr(p, ']')) == NULL || close == p + 1)
			return false;
		if (p[1] == 'v' || p[1] == 'V') {
			for (p += 2; hexdig(*p); p++)
				;
			if (p == v + 2 || *p != '.' || p + 1 == close)
				return false;
			for (p++; p < close; p++)
				if (!hostc(*p) && *p != ':')
					return false;
		} else {
			for (p++; p < close; p++) {
				if (!hexdig(*p) && *p != ':' && *p != '.')
					return false;
				colon = colon || *p == ':';
			}
			if (!colon)
				return false;
		}
		p = close + 1;
	} else
		for (; *p != '\0' && *p != ':'; p++) {
			if (*p == '%') {
				if (!hexdig(p[1]) || !hexdig(p[2]))
					return false;
				p += 2;
			} else if (!hostc(*p))
				return false;
		}
	if (*p == ':')
		p++;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* The length of the first line's request target (from its first space to
 * the next, or to the line's end); 0 without a space. */
static size_t
target_length(const char *d, size_t len)
{
	size_t i = 0, t;

	while (i < len && d[i] != ' ' && d[i] != '\n')
		i++;
	if (i == len || d[i] != ' ')
		return 0;
	for (t = ++i; i < len && d[i] != ' ' && d[i] != '\r' &&
	    d[i] != '\n'; i++)
		;
	return i - t;
}

/* Where the head ends: its first empty line, as the header says. */
static void
check_length(const uint8_t *d, size_t len, size_t hl)
{
	size_t i;

	FUZZ_CHECK(hl <= len);
	if (hl == 0) {
		/* no LF LF and no LF CR LF anywhere */
		for (i = 0; i + 1 < len; i++)
			FUZZ_CHECK(!(d[i] == '\n' && (d[i + 1] == '\n' ||
			    (i + 2 < len && d[i + 1] == '\r' &&
			    d[i + 2] == '\n'))));
		return;
	}
	FUZZ_CHECK(hl >= 2 && d[hl - 1] == '\n' && (d[hl - 2] == '\n' ||
	    (hl >= 3 && d[hl - 2] == '\r' && d[hl - 3] == '\n')));
	/* the first such line: one byte less has none */
	FUZZ_CHECK(http_head_length((const char *)d, hl - 1) == 0);
}

static void
check_accepted(const struct http_head *h, const char *orig,
    const char *buf, size_t len)
{
	const char *p;
	size_t i;
	int k, hosts = 0, expects = 0, connections = 0, codings = 0;
	bool known = false;

	FUZZ_CHECK(h->error == NULL);
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		known = known || h->method == methods[i];
	FUZZ_CHECK(known);
	FUZZ_CHECK(h->path != NULL);
	if (inside(h->path, buf, len)) {
		if (h->path[0] == '*')
			FUZZ_CHECK(strcmp(h->path, "*") == 0 &&
			    h->method == EVHTTP_REQ_OPTIONS);
		else
			FUZZ_CHECK(h->path[0] == '/');
		for (p = h->path; *p != '\0'; p++)
			FUZZ_CHECK((unsigned char)*p > ' ' && *p != 0x7f &&
			    *p != '#' && *p != '?');
	} else
		FUZZ_CHECK(strcmp(h->path, "/") == 0);	/* http://host */
	if (h->query != NULL) {
		FUZZ_CHECK(inside(h->query, buf, len));
		for (p = h->query; *p != '\0'; p++)
			FUZZ_CHECK((unsigned char)*p > ' ' && *p != 0x7f &&
			    *p != '#');
	}
	if (h->path != NULL && inside(h->path, buf, len))
		FUZZ_CHECK(strlen(h->path) + (h->query != NULL ?
		    strlen(h->query) + 1 : 0) <= HTTP_MAX_TARGET);
	FUZZ_CHECK(h->minor == 0 || h->minor == 1);
	/* "HTTP/1.x" ends the request line: 1.0 is 0, the rest 1 */
	p = memchr(orig, '\n', len);
	FUZZ_CHECK(p != NULL);
	if (p > orig && p[-1] == '\r')
		p--;
	FUZZ_CHECK(p - orig >= 8 && memcmp(p - 8, "HTTP/1.", 7) == 0 &&
	    h->minor == (p[-1] != '0'));
	FUZZ_CHECK(h->nfields >= 0 && h->nfields <= HTTP_MAX_FIELDS);
	FUZZ_CHECK(h->content_length >= -1);
	FUZZ_CHECK(!(h->chunked && h->content_length != -1));
	FUZZ_CHECK(!h->chunked || h->minor == 1);

	for (k = 0; k < h->nfields; k++) {
		const char *name = h->fields[k].name, *v = h->fields[k].value;
		size_t vlen;

		FUZZ_CHECK(inside(name, buf, len) && inside(v, buf, len));
		FUZZ_CHECK(*name != '\0');
		for (p = name; *p != '\0'; p++)
			FUZZ_CHECK(tchar((unsigned char)*p));
		vlen = strlen(v);
		FUZZ_CHECK(vlen == 0 || (v[0] != ' ' && v[0] != '\t' &&
		    v[vlen - 1] != ' ' && v[vlen - 1] != '\t'));
		for (p = v; *p != '\0'; p++)
			FUZZ_CHECK(((unsigned char)*p >= ' ' || *p == '\t') &&
			    *p != 0x7f);
		if (strcasecmp(name, "Host") == 0) {
			FUZZ_CHECK(host_ok(v));
			if (hosts++ == 0)
				FUZZ_CHECK(http_head_field(h, "host") == v);
		} else if (strcasecmp(name, "Expect") == 0) {
			expects++;
			FUZZ_CHECK(strcasecmp(v, "100-continue") == 0);
		} else if (strcasecmp(name, "Transfer-Encoding") == 0) {
			codings++;
			FUZZ_CHECK(strcasecmp(v, "chunked") == 0);
		} else if (strcasecmp(name, "Connection") == 0)
			connections++;
	}
	FUZZ_CHECK(hosts <= 1 && (h->minor == 0 || hosts == 1));
	FUZZ_CHECK(h->expect_continue == (expects > 0));
	FUZZ_CHECK(h->chunked == (codings == 1) && codings <= 1);
	if (connections == 0)
		FUZZ_CHECK(h->keep_alive == (h->minor == 1));

	/* nothing the parser cut short: no NUL, no CR but before an LF */
	for (i = 0; i < len; i++) {
		FUZZ_CHECK(orig[i] != '\0');
		FUZZ_CHECK(orig[i] != '\r' || (i + 1 < len &&
		    orig[i + 1] == '\n'));
	}
}

static void
check_parse(const char *head, size_t len)
{
	struct http_head *h;
	char *buf;
	int status;

	buf = malloc(len);
	h = malloc(sizeof(*h));
	FUZZ_CHECK(buf != NULL && h != NULL);
	memcpy(buf, head, len);
	memset(h, 0xa5, sizeof(*h));
	status = http_head_parse(buf, len, h);
	FUZZ_CHECK(status == 0 || status == 400 || status == 414 ||
	    status == 417 || status == 431 || status == 501 || status == 505);
	if (status == 414)
		FUZZ_CHECK(target_length(head, len) > HTTP_MAX_TARGET);
	if (status != 0)
		FUZZ_CHECK(h->error != NULL && *h->error != '\0');
	else
		check_accepted(h, head, buf, len);
	free(h);
	free(buf);
}

/* One call: all read unless done or refused, never more written. */
static long
decode(struct http_chunked *c, const char *in, size_t len, char *out,
    size_t *outlen)
{
	long r;

	*outlen = (size_t)-1;
	r = http_chunked_decode(c, in, len, out, outlen);
	if (r != -1) {
		FUZZ_CHECK(r >= 0 && (size_t)r <= len);
		FUZZ_CHECK(*outlen <= (size_t)r);
		FUZZ_CHECK(c->done || (size_t)r == len);
	}
	return r;
}

static void
check_chunked(const uint8_t *d, size_t len, size_t cut)
{
	struct http_chunked whole, split;
	char *a, *b;
	size_t na, nb1, nb2;
	long ra, rb1, rb2;

	/* exactly len bytes (+1 so that 0 bytes is a real buffer) */
	a = malloc(len + 1);
	b = malloc(len + 1);
	FUZZ_CHECK(a != NULL && b != NULL);
	memcpy(a, d, len);
	memcpy(b, d, len);
	memset(&whole, 0, sizeof(whole));
	memset(&split, 0, sizeof(split));

	/* in place, whole */
	ra = decode(&whole, a, len, a, &na);
	if (ra != -1 && whole.done)
		FUZZ_CHECK(ra >= 5 && memcmp(d + ra - 4, "\r\n\r\n", 4) == 0);

	/* in place, in two parts: the second part's output follows the first */
	rb1 = decode(&split, b, cut, b, &nb1);
	if (rb1 == -1) {
		FUZZ_CHECK(ra == -1);
		goto done;
	}
	if (split.done) {
		FUZZ_CHECK(ra == rb1 && whole.done && na == nb1 &&
		    memcmp(a, b, na) == 0);
		goto done;
	}
	rb2 = decode(&split, b + cut, len - cut, b + nb1, &nb2);
	if (rb2 == -1) {
		FUZZ_CHECK(ra == -1);
		goto done;
	}
	FUZZ_CHECK(ra == (long)cut + rb2);
	FUZZ_CHECK(whole.done == split.done);
	FUZZ_CHECK(na == nb1 + nb2 && memcmp(a, b, na) == 0);
done:
	free(a);
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = size, hl, split = 0;
	char *msg;

	if (size >= 2) {
		len = size - 2;
		split = (size_t)data[len] | (size_t)data[len + 1] << 8;
	}

	hl = http_head_length((const char *)data, len);
	check_length(data, len, hl);
	{
		const char *why = NULL;
		int st = http_head_too_large((const char *)data, len, &why);

		FUZZ_CHECK((st == 414 || st == 431) && why != NULL);
		FUZZ_CHECK((st == 414) ==
		    (target_length((const char *)data, len) > HTTP_MAX_TARGET));
	}
	if (hl > 0)
		check_parse((const char *)data, hl);
	else {
		/* no head yet: the parser gets the message, ended */
		msg = malloc(len + 2);
		FUZZ_CHECK(msg != NULL);
		memcpy(msg, data, len);
		memcpy(msg + len, "\n\n", 2);
		hl = http_head_length(msg, len + 2);
		FUZZ_CHECK(hl > 0 && hl <= len + 2);
		check_parse(msg, hl);
		free(msg);
		hl = 0;
	}

	check_chunked(data, len, split % (len + 1));
	if (hl > 0 && hl < len)
		check_chunked(data + hl, len - hl, split % (len - hl + 1));
	return 0;
}
