/*
 * http/parse.h - HTTP/1.x requests as they come off the wire: the head
 * (request line and header fields) and a chunked body, parsed in place,
 * without allocating.  Everything here is outside input: it is fuzzed
 * (tests/fuzz/fuzz_httpmsg.c) and unit-tested (tests/unit/test_httpmsg.c).
 *
 * What is refused, and how (RFC 9110, RFC 9112):
 *   400  a malformed request line or header field, obsolete line
 *        folding, white space before a field's colon, a missing or
 *        repeated Host (HTTP/1.1), a Host that is not uri-host [":" port]
 *        (a host name, an IPv4 address or an IP literal in brackets),
 *        Content-Length that is not a number or appears twice with
 *        different values, Content-Length beside Transfer-Encoding,
 *        Transfer-Encoding in HTTP/1.0, a request target that is neither
 *        origin-form, absolute-form nor "*";
 *   414  a request target longer than HTTP_MAX_TARGET bytes;
 *   417  an Expect other than 100-continue;
 *   431  more than HTTP_MAX_FIELDS header fields;
 *   501  an unknown method, or a transfer coding other than chunked;
 *   505  a version other than HTTP/1.x.
 * HTTP/1.2 and later 1.x are read as HTTP/1.1 (RFC 9110 2.5).
 * A chunked body (http_chunked_decode) is malformed, and refused with
 * 400, for a line that does not end in CRLF, an extension that is not
 * ";" name ["=" token or quoted-string] (white space allowed around ";"
 * and "="), a trailer line that is not a field, more than
 * HTTP_MAX_FIELDS trailer fields or HTTP_MAX_TRAILER bytes of them.
 */
#ifndef LEERKANS_HTTPMSG_H
#define LEERKANS_HTTPMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/http.h>	/* enum evhttp_cmd_type: the method names */

#define HTTP_MAX_FIELDS	100
/* A request target, at most: RFC 9112 3 asks for 8000 octets at least. */
#define HTTP_MAX_TARGET	8192
/* A chunked body's trailer section, at most, in bytes. */
#define HTTP_MAX_TRAILER	16384
/* An HTTP-date (RFC 9110 5.6.7), for strftime and strptime on GMT. */
#define HTTP_DATE_FORMAT	"%a, %d %b %Y %H:%M:%S GMT"

struct http_field {
	const char	*name;		/* as sent; compare without case */
	const char	*value;		/* without surrounding white space */
};

struct http_head {
	enum evhttp_cmd_type	 method;
	const char		*path;		/* raw, from the request target */
	const char		*query;		/* raw, after '?'; NULL if none */
	int			 minor;		/* 0, or 1 for HTTP/1.1 and later */
	int			 nfields;
	struct http_field	 fields[HTTP_MAX_FIELDS];

	/* what the fields say */
	bool			 keep_alive;	/* version and Connection */
	bool			 chunked;	/* Transfer-Encoding: chunked */
	int64_t			 content_length; /* -1: none given */
	bool			 expect_continue;

	/* why it was refused: a short sentence, for the problem's detail */
	const char		*error;
};

/*
 * How long the head at the start of buf is: the request line and fields
 * through the empty line that ends them (CRLF or a bare LF).  0 while
 * that line has not come yet.
 */
size_t	http_head_length(const char *buf, size_t len);

/*
 * The status for a head that has not ended within the len bytes at buf,
 * all a server holds (its max_header_size): 414 when the request target
 * alone is too long, else 431; *why says which.
 */
int	http_head_too_large(const char *buf, size_t len, const char **why);

/*
 * Parses the head in buf[0..len), as measured by http_head_length, in
 * place: line ends and separators become NULs, and h points into buf.
 * Returns 0, or the status to refuse the request with (h->error says
 * why).
 */
int	http_head_parse(char *buf, size_t len, struct http_head *h);

/* The value of the first field named name, or NULL. */
const char *http_head_field(const struct http_head *h, const char *name);

/* A chunked body being decoded; zero it to begin. */
struct http_chunked {
	int		 state;
	uint64_t	 left;		/* of the chunk being read */
	size_t		 line;		/* bytes of the size or trailer line */
	size_t		 trailer;	/* bytes of the trailer section */
	int		 fields;	/* in the trailer section */
	bool		 done;		/* the last chunk and trailer are in */
};

/*
 * Decodes what has come of a chunked body.  Reads in[0..inlen) and
 * writes the body's bytes to out, which may be in itself (out <= in:
 * decoding never writes ahead of where it reads).  Sets *outlen to the
 * bytes written and returns the bytes read (all of in, or up to the end
 * of the body once c->done), or -1 if the body is malformed (see
 * above).  Chunk extensions are skipped and trailer fields dropped; a
 * size line or trailer line longer than 4096 bytes is malformed.
 */
long	http_chunked_decode(struct http_chunked *c, const char *in,
	    size_t inlen, char *out, size_t *outlen);

#endif
