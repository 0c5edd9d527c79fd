/*
 * http/parse.c - HTTP/1.x request heads and chunked bodies, parsed in place.
 */
#include "autoconf.h"

#include <arpa/inet.h>

#include <string.h>
#include <strings.h>

#include "http/parse.h"
#include "base/util.h"

#define LINE_MAX_CHUNKED	4096	/* a size or trailer line, at most */

static const struct {
	const char		*name;
	size_t			 len;
	enum evhttp_cmd_type	 method;
} methods[] = {
	{ "GET", 3, EVHTTP_REQ_GET },
	{ "HEAD", 4, EVHTTP_REQ_HEAD },
	{ "POST", 4, EVHTTP_REQ_POST },
	{ "PUT", 3, EVHTTP_REQ_PUT },
	{ "PATCH", 5, EVHTTP_REQ_PATCH },
	{ "DELETE", 6, EVHTTP_REQ_DELETE },
	{ "OPTIONS", 7, EVHTTP_REQ_OPTIONS },
	{ "TRACE", 5, EVHTTP_REQ_TRACE },
	{ "CONNECT", 7, EVHTTP_REQ_CONNECT },
};

/* RFC 9110 5.6.2: the characters of a token */
static bool
tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

size_t
http_head_length(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (nl + 1 < end && nl[1] == '\n')
			return (size_t)(nl + 2 - buf);
		if (nl + 2 < end && nl[1] == '\r' && nl[2] == '\n')
			return (size_t)(nl + 3 - buf);
		if (nl + 2 >= end)
			break;
		p = nl + 1;
	}
	return 0;
}

int
http_head_too_large(const char *buf, size_t len, const char **why)
{
	const char *end = buf + len, *target, *p;

	/* the target: from the first space of the request line to the
	 * next, or to where the line or what came of it ends */
	p = buf;
	while (p < end && *p != ' ' && *p != '\n')
		p++;
	if (p < end && *p == ' ') {
		target = ++p;
		while (p < end && *p != ' ' && *p != '\r' && *p != '\n')
			p++;
		if (p - target > HTTP_MAX_TARGET) {
			*why = "The request target is too long.";
			return 414;
		}
	}
	*why = "The request head is too large.";
	return 431;
}

static int
refuse(struct http_head *h, int status, const char *why)
{
	h->error = why;
	return status;
}

/*
 * Cuts the next line off *p (ending before end) and NUL-terminates it;
 * NULL at the end.  *bad is set for a CR that ends no line and for a NUL,
 * which would cut the line short (or end the head) where it stands.
 */
static char *
next_line(char **p, char *end, bool *bad)
{
	char *line = *p, *nl;

	if (line >= end)
		return NULL;
	if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
		nl = end;
	*p = nl < end ? nl + 1 : end;
	if (nl > line && nl[-1] == '\r')
		nl--;
	*nl = '\0';
	if (memchr(line, '\r', (size_t)(nl - line)) != NULL ||
	    memchr(line, '\0', (size_t)(nl - line)) != NULL)
		*bad = true;
	return line;
}

static int
parse_request_line(char *line, struct http_head *h)
{
	char *target, *version, *q;
	size_t i, mlen;

	if ((target = strchr(line, ' ')) == NULL)
		return refuse(h, 400, "The request line is malformed.");
	mlen = (size_t)(target - line);
	*target++ = '\0';
	if ((version = strchr(target, ' ')) == NULL)
		return refuse(h, 400, "The request line is malformed.");
	*version++ = '\0';
	if (mlen == 0 || *target == '\0')
		return refuse(h, 400, "The request line is malformed.");
	for (i = 0; i < mlen; i++)
		if (!tchar((unsigned char)line[i]))
			return refuse(h, 400, "The method is malformed.");
	/* known before the version is checked: the log names it */
	h->method = 0;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (mlen == methods[i].len &&
		    memcmp(line, methods[i].name, mlen) == 0)
			h->method = methods[i].method;

	if (strncmp(version, "HTTP/", 5) != 0 ||
	    version[5] < '0' || version[5] > '9' || version[6] != '.' ||
	    version[7] < '0' || version[7] > '9' || version[8] != '\0')
		return refuse(h, 400, "The HTTP version is malformed.");
	if (version[5] != '1')
		return refuse(h, 505, "Only HTTP/1.x is spoken.");
	/* RFC 9110 2.5: a later 1.x is answered as 1.1, the highest
	 * minor version spoken here */
	h->minor = version[7] > '1' ? 1 : version[7] - '0';

	if (h->method == 0)
		return refuse(h, 501, "The method is not known here.");

	/* before its bytes are looked at: the path stays unread, so the
	 * log does not carry it */
	if (version - target - 1 > HTTP_MAX_TARGET)
		return refuse(h, 414, "The request target is too long.");
	for (q = target; *q != '\0'; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f || *q == '#')
			return refuse(h, 400, "The request target is malformed.");
	if (strncasecmp(target, "http://", 7) == 0 ||
	    strncasecmp(target, "https://", 8) == 0) {
		/* absolute-form: the authority is not ours to check */
		target = strstr(target, "//") + 2;
		target += strcspn(target, "/?");
		if (*target != '/') {
			/* "http://host" or "http://host?q": the path is "/" */
			h->path = "/";
			h->query = *target == '?' ? target + 1 : NULL;
			return 0;
		}
	} else if (strcmp(target, "*") == 0) {
		if (h->method != EVHTTP_REQ_OPTIONS)
			return refuse(h, 400, "Only OPTIONS takes \"*\".");
	} else if (*target != '/')
		return refuse(h, 400, "The request target is malformed.");
	h->path = target;
	h->query = NULL;
	if ((q = strchr(target, '?')) != NULL) {
		*q = '\0';
		h->query = q + 1;
	}
	return 0;
}

/* Does the comma-separated list s hold token (without case)? */
static bool
list_has(const char *s, const char *token)
{
	size_t n = strlen(token);

	while (*s != '\0') {
		s += strspn(s, " \t,");
		if (strncasecmp(s, token, n) == 0 &&
		    (s[n] == '\0' || s[n] == ',' || s[n] == ' ' ||
		    s[n] == '\t')) {
			const char *e = s + n + strspn(s + n, " \t");

			if (*e == '\0' || *e == ',')
				return true;
		}
		s += strcspn(s, ",");
	}
	return false;
}

/* Content-Length: a number, or a list of the same number repeated. */
static bool
parse_length(const char *s, int64_t *out)
{
	int64_t v = -1;

	while (*s != '\0') {
		int64_t n = 0;

		s += strspn(s, " \t");
		if (*s < '0' || *s > '9')
			return false;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (n > (INT64_MAX - 9) / 10)
				return false;
			n = n * 10 + (*s - '0');
		}
		s += strspn(s, " \t");
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return false;
		if (v != -1 && v != n)
			return false;
		v = n;
	}
	if (v == -1)
		return false;
	*out = v;
	return true;
}

static int
parse_field(char *line, struct http_head *h)
{
	char *colon, *v, *e;

	if (*line == ' ' || *line == '\t')
		return refuse(h, 400, "Folded header lines are not accepted.");
	if ((colon = strchr(line, ':')) == NULL || colon == line)
		return refuse(h, 400, "A header line is malformed.");
	for (v = line; v < colon; v++)
		if (!tchar((unsigned char)*v))
			return refuse(h, 400, "A header name is malformed.");
	*colon = '\0';
	v = colon + 1;
	v += strspn(v, " \t");
	for (e = v; *e != '\0'; e++)
		if (((unsigned char)*e < ' ' && *e != '\t') || *e == 0x7f)
			return refuse(h, 400, "A header value is malformed.");
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	if (h->nfields == HTTP_MAX_FIELDS)
		return refuse(h, 431, "There are too many header lines.");
	h->fields[h->nfields].name = line;
	h->fields[h->nfields].value = v;
	h->nfields++;
	return 0;
}

/* RFC 3986 2.2, 2.3: an unreserved character or a sub-delim. */
static bool
host_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-._~!$&'()*+,;=", c) != NULL;
}

/*
 * Is v a Host value, uri-host [ ":" port ] (RFC 9112 3.2, RFC 3986
 * 3.2.2-3.2.3): an IP-literal in brackets or a reg-name (an IPv4 address
 * is one), then perhaps a colon and digits?  No white space, "/", "@",
 * "?", "#", control or non-ASCII byte, and a "%" only as %XX.
 */
static bool
valid_host(const char *v)
{
	char lit[64];
	const char *p = v, *end;
	size_t n;

	if (*p == '[') {
		if ((end = strchr(p, ']')) == NULL)
			return false;
		n = (size_t)(end - p - 1);
		if (n == 0 || n >= sizeof(lit))
			return false;
		memcpy(lit, p + 1, n);
		lit[n] = '\0';
		if (lit[0] == 'v' || lit[0] == 'V') {
			/* IPvFuture: "v" 1*HEXDIG "." 1*( unreserved /
			 * sub-delims / ":" ) */
			for (p = lit + 1; hex_digit(*p) >= 0; p++)
				;
			if (p == lit + 1 || *p++ != '.' || *p == '\0')
				return false;
			for (; *p != '\0'; p++)
				if (!host_char((unsigned char)*p) && *p != ':')
					return false;
		} else {
			struct in6_addr a;

			if (inet_pton(AF_INET6, lit, &a) != 1)
				return false;
		}
		p = end + 1;
	} else {
		while (*p != '\0' && *p != ':') {
			if (*p == '%') {
				if (hex_digit(p[1]) < 0 || hex_digit(p[2]) < 0)
					return false;
				p += 3;
			} else if (host_char((unsigned char)*p))
				p++;
			else
				return false;
		}
	}
	if (*p == ':')
		p++;
	else if (*p != '\0')
		return false;
	return strspn(p, "0123456789") == strlen(p);
}

/* What the fields mean for the message's framing and the connection. */
static int
parse_semantics(struct http_head *h)
{
	bool te = false, chunked_last = false, close = false, alive = false;
	int hosts = 0, i;

	h->content_length = -1;
	for (i = 0; i < h->nfields; i++) {
		const char *name = h->fields[i].name, *v = h->fields[i].value;

		if (strcasecmp(name, "Host") == 0) {
			if (!valid_host(v))
				return refuse(h, 400, "The Host field is not a "
				    "host name or address, with perhaps a "
				    "port.");
			hosts++;
		} else if (strcasecmp(name, "Content-Length") == 0) {
			int64_t n;

			if (!parse_length(v, &n) || (h->content_length != -1 &&
			    h->content_length != n))
				return refuse(h, 400,
				    "Content-Length is not one number.");
			h->content_length = n;
		} else if (strcasecmp(name, "Transfer-Encoding") == 0) {
			const char *last = strrchr(v, ',');

			last = last != NULL ? last + 1 : v;
			last += strspn(last, " \t");
			chunked_last = strcasecmp(last, "chunked") == 0;
			/* a second field is a list, as "chunked, chunked" */
			if (te || !chunked_last || strchr(v, ',') != NULL)
				return refuse(h, 501, "Only the chunked transfer "
				    "coding is understood.");
			te = true;
		} else if (strcasecmp(name, "Connection") == 0) {
			close = close || list_has(v, "close");
			alive = alive || list_has(v, "keep-alive");
		} else if (strcasecmp(name, "Expect") == 0) {
			if (strcasecmp(v, "100-continue") != 0)
				return refuse(h, 417,
				    "Only Expect: 100-continue is understood.");
			h->expect_continue = true;
		}
	}
	if (hosts > 1 || (hosts == 0 && h->minor == 1))
		return refuse(h, 400, "An HTTP/1.1 request needs one Host.");
	if (te && h->minor == 0)
		return refuse(h, 400, "HTTP/1.0 has no Transfer-Encoding.");
	if (te && h->content_length != -1)
		return refuse(h, 400,
		    "Content-Length and Transfer-Encoding exclude each other.");
	h->chunked = te && chunked_last;
	h->keep_alive = !close && (h->minor == 1 || alive);
	return 0;
}

int
http_head_parse(char *buf, size_t len, struct http_head *h)
{
	char *p = buf, *end = buf + len, *line;
	bool bad = false;
	int status;

	/* every output but the fields array: h may hold the last request */
	memset(h, 0, offsetof(struct http_head, fields));
	h->keep_alive = false;
	h->chunked = false;
	h->content_length = -1;
	h->expect_continue = false;
	h->error = NULL;
	if ((line = next_line(&p, end, &bad)) == NULL || bad)
		return refuse(h, 400, "The request line is malformed.");
	if ((status = parse_request_line(line, h)) != 0)
		return status;
	while ((line = next_line(&p, end, &bad)) != NULL && *line != '\0') {
		if (bad)
			return refuse(h, 400, "A header line is malformed.");
		if ((status = parse_field(line, h)) != 0)
			return status;
	}
	if (bad)
		return refuse(h, 400, "A header line is malformed.");
	return parse_semantics(h);
}

const char *
http_head_field(const struct http_head *h, const char *name)
{
	int i;

	for (i = 0; i < h->nfields; i++)
		if (strcasecmp(h->fields[i].name, name) == 0)
			return h->fields[i].value;
	return NULL;
}

/*
 * A chunked body (RFC 9112 7.1), byte by byte.  Lines end in CRLF only:
 * a bare LF, which some readers take for a line end and others do not,
 * is how one request is smuggled inside another.  Extensions are
 * checked and skipped:
 *	chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted ) ] )
 * and trailer fields are checked, counted and dropped.
 */
enum chunk_state {
	CH_SIZE,	/* the chunk size's hex digits */
	CH_EXT_WS,	/* white space after the size or a value: ";" next */
	CH_EXT_NAME0,	/* after ";": white space, then a name */
	CH_EXT_NAME,
	CH_EXT_NAME_WS,	/* white space after a name: "=" or ";" next */
	CH_EXT_VALUE0,	/* after "=": white space, then a value */
	CH_EXT_TOKEN,
	CH_EXT_QUOTED,	/* in a quoted-string */
	CH_EXT_QPAIR,	/* after its backslash */
	CH_EXT_QEND,	/* after its closing quote */
	CH_SIZE_LF,	/* the size line's CR came */
	CH_DATA,
	CH_DATA_CR,	/* after a chunk's data */
	CH_DATA_LF,
	CH_TRAILER_START, /* at the start of a trailer line (or the end) */
	CH_TRAILER_NAME,
	CH_TRAILER_VALUE,
	CH_TRAILER_LF,
	CH_END_LF,	/* the final empty line's CR came */
};

/* The size line is complete: data follows, or (size 0) the trailer. */
static void
chunk_size_done(struct http_chunked *c)
{
	c->state = c->left > 0 ? CH_DATA : CH_TRAILER_START;
	c->line = 0;
}

/* RFC 9110 5.6.4: qdtext, what a quoted-string holds unescaped */
static bool
qdtext(unsigned char ch)
{
	return ch == '\t' || ch == ' ' || ch == 0x21 ||
	    (ch >= 0x23 && ch <= 0x5b) || (ch >= 0x5d && ch <= 0x7e) ||
	    ch >= 0x80;
}

/*
 * After the size, or an extension's name or value, comes white space
 * (then ";"), ";" or the CR that ends the line; false for anything else.
 * ws is the state white space leads to.
 */
static bool
chunk_ext_next(struct http_chunked *c, unsigned char ch, int ws)
{
	if (ch == ' ' || ch == '\t')
		c->state = ws;
	else if (ch == ';')
		c->state = CH_EXT_NAME0;
	else if (ch == '\r')
		c->state = CH_SIZE_LF;
	else
		return false;
	return true;
}

long
http_chunked_decode(struct http_chunked *c, const char *in, size_t inlen,
    char *out, size_t *outlen)
{
	size_t i = 0, o = 0;
	long r = -1;

	while (i < inlen && !c->done) {
		unsigned char ch = (unsigned char)in[i];
		bool ws = ch == ' ' || ch == '\t';
		int d;

		if (c->state == CH_DATA) {
			size_t n = inlen - i;

			if (n > c->left)
				n = (size_t)c->left;
			memmove(out + o, in + i, n);
			o += n;
			i += n;
			c->left -= n;
			if (c->left == 0)
				c->state = CH_DATA_CR;
			continue;
		}
		i++;
		if (++c->line > LINE_MAX_CHUNKED)
			goto fail;
		/* the states from CH_TRAILER_START on are the trailer's */
		if (c->state >= CH_TRAILER_START &&
		    ++c->trailer > HTTP_MAX_TRAILER)
			goto fail;
		switch (c->state) {
		case CH_SIZE:
			if ((d = hex_digit((char)ch)) >= 0) {
				if (c->left > (UINT64_MAX >> 8))
					goto fail;
				c->left = c->left * 16 + (uint64_t)d;
			} else if (c->line == 1 ||
			    !chunk_ext_next(c, ch, CH_EXT_WS))
				goto fail;	/* no digits, or junk */
			break;
		case CH_EXT_WS:
			if (ch == ';')
				c->state = CH_EXT_NAME0;
			else if (!ws)
				goto fail;
			break;
		case CH_EXT_NAME0:
			if (tchar(ch))
				c->state = CH_EXT_NAME;
			else if (!ws)
				goto fail;
			break;
		case CH_EXT_NAME:
			if (ch == '=')
				c->state = CH_EXT_VALUE0;
			else if (!tchar(ch) &&
			    !chunk_ext_next(c, ch, CH_EXT_NAME_WS))
				goto fail;
			break;
		case CH_EXT_NAME_WS:
			if (ch == '=')
				c->state = CH_EXT_VALUE0;
			else if (ch == ';')
				c->state = CH_EXT_NAME0;
			else if (!ws)
				goto fail;
			break;
		case CH_EXT_VALUE0:
			if (ch == '"')
				c->state = CH_EXT_QUOTED;
			else if (tchar(ch))
				c->state = CH_EXT_TOKEN;
			else if (!ws)
				goto fail;
			break;
		case CH_EXT_TOKEN:
			if (!tchar(ch) && !chunk_ext_next(c, ch, CH_EXT_WS))
				goto fail;
			break;
		case CH_EXT_QUOTED:
			if (ch == '"')
				c->state = CH_EXT_QEND;
			else if (ch == '\\')
				c->state = CH_EXT_QPAIR;
			else if (!qdtext(ch))
				goto fail;
			break;
		case CH_EXT_QPAIR:
			/* HTAB, SP, VCHAR, obs-text */
			if ((ch < ' ' && ch != '\t') || ch == 0x7f)
				goto fail;
			c->state = CH_EXT_QUOTED;
			break;
		case CH_EXT_QEND:
			if (!chunk_ext_next(c, ch, CH_EXT_WS))
				goto fail;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				goto fail;
			chunk_size_done(c);
			break;
		case CH_DATA_CR:
			if (ch != '\r')
				goto fail;
			c->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				goto fail;
			c->state = CH_SIZE;
			c->left = 0;
			c->line = 0;
			break;
		case CH_TRAILER_START:
			if (ch == '\r')
				c->state = CH_END_LF;
			else if (tchar(ch) && ++c->fields <= HTTP_MAX_FIELDS)
				c->state = CH_TRAILER_NAME;
			else
				goto fail;	/* folded, or one too many */
			break;
		case CH_TRAILER_NAME:
			if (ch == ':')
				c->state = CH_TRAILER_VALUE;
			else if (!tchar(ch))
				goto fail;
			break;
		case CH_TRAILER_VALUE:
			if (ch == '\r')
				c->state = CH_TRAILER_LF;
			else if ((ch < ' ' && ch != '\t') || ch == 0x7f)
				goto fail;
			break;
		case CH_TRAILER_LF:
			if (ch != '\n')
				goto fail;
			c->state = CH_TRAILER_START;
			c->line = 0;
			break;
		case CH_END_LF:
			if (ch != '\n')
				goto fail;
			c->done = true;
			break;
		default:
			goto fail;
		}
	}
	*outlen = o;
	r = (long)i;
fail:
	return r;
}
