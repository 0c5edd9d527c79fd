/*
 * test_httpmsg.c - HTTP/1.x request heads and chunked bodies (http/parse.c):
 * where a head ends, what its request line and fields say, every refusal
 * of http/parse.h with its status, and the chunked decoder fed whole, byte
 * by byte and in place.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/parse.h"
#include "tap.h"

static char buf[64 * 1024];
static struct http_head h;

/* Parses len bytes of text, copied into buf; h is left full of junk first. */
static int
parse_n(const char *text, size_t len)
{
	memcpy(buf, text, len);
	memset(&h, 1, sizeof(h));
	return http_head_parse(buf, len, &h);
}

static int
parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* The head is refused with status, and says why. */
static void
refused_n(const char *text, size_t len, int status, const char *what)
{
	int got = parse_n(text, len);

	ok(got == status && h.error != NULL && *h.error != '\0',
	    "%d: %s", status, what);
	if (got != status)
		printf("#   got %d\n", got);
}

/* the same for a literal with NULs in it */
#define REFUSED_N(lit, status, what) \
	refused_n((lit), sizeof(lit) - 1, (status), (what))

static void
refused(const char *text, int status, const char *what)
{
	refused_n(text, strlen(text), status, what);
}

/* The head is taken, with nothing to say against it. */
static void
taken(const char *text, const char *what)
{
	int got = parse(text);

	ok(got == 0 && h.error == NULL, "taken: %s", what);
	if (got != 0)
		printf("#   got %d: %s\n", got, h.error ? h.error : "(null)");
}

static void
test_head_length(void)
{
	static const char crlf[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char lf[] = "GET / HTTP/1.1\nHost: a\n\n";
	static const char mixed[] = "GET / HTTP/1.1\r\nHost: a\n\r\n";
	static const char body[] = "POST / HTTP/1.1\r\nHost: a\r\n"
	    "Content-Length: 9\r\n\r\nname=x\r\n\r\n";
	size_t i, n;
	int early;

	ok(http_head_length(crlf, strlen(crlf)) == strlen(crlf),
	    "a head ending in CRLF CRLF");
	ok(http_head_length(lf, strlen(lf)) == strlen(lf),
	    "a head ending in bare LFs");
	ok(http_head_length(mixed, strlen(mixed)) == strlen(mixed),
	    "LF, then CRLF");
	for (i = 0, early = 0; i < strlen(crlf); i++)
		early += http_head_length(crlf, i) != 0;
	ok(early == 0, "every incomplete head (CRLF) measures 0");
	for (i = 0, early = 0; i < strlen(lf); i++)
		early += http_head_length(lf, i) != 0;
	ok(early == 0, "every incomplete head (LF) measures 0");
	ok(http_head_length("", 0) == 0, "nothing yet");
	ok(http_head_length("GET / HTTP/1.1\r\n\r", 17) == 0,
	    "the last LF not yet in");
	n = strlen(body) - strlen("name=x\r\n\r\n");
	ok(http_head_length(body, strlen(body)) == n,
	    "the body's bytes after the head are not the head's");
	ok(http_head_length("GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n",
	    36) == 18, "two pipelined heads: the first");
	ok(http_head_length("GET / HTTP/1.0\r\nX: a\r\r\n", 23) == 0,
	    "a CR CR LF line is not the empty line");
}

static void
test_get(void)
{
	int i;

	taken("GET /api/v1/events?kind=sme-info-session&from=2027-01-01 "
	    "HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n",
	    "a plain GET");
	ok(h.method == EVHTTP_REQ_GET, "the method");
	is_str(h.path, "/api/v1/events", "the path, without the query");
	is_str(h.query, "kind=sme-info-session&from=2027-01-01", "the query");
	ok(h.minor == 1, "HTTP/1.1");
	ok(h.nfields == 2, "two fields");
	is_str(h.fields[0].name, "Host", "the first field's name");
	is_str(h.fields[0].value, "example.org", "its value");
	ok(h.keep_alive, "HTTP/1.1 keeps the connection by default");
	ok(!h.chunked && h.content_length == -1 && !h.expect_continue,
	    "no body, no Expect");
	ok(h.error == NULL, "no error");

	taken("GET / HTTP/1.1\nHost: a\n\n", "bare LF line ends");
	is_str(h.path, "/", "path /");
	ok(h.query == NULL, "no '?': no query");
	taken("GET /a?b?c HTTP/1.1\r\nHost: a\r\n\r\n", "two '?'");
	ok(strcmp(h.path, "/a") == 0 && strcmp(h.query, "b?c") == 0,
	    "the query starts at the first '?'");
	taken("GET /? HTTP/1.1\r\nHost: a\r\n\r\n", "an empty query");
	is_str(h.query, "", "is empty, not missing");

	taken("GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 without Host");
	ok(h.minor == 0 && !h.keep_alive,
	    "HTTP/1.0 closes the connection by default");
	taken("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	    "HTTP/1.0 keep-alive");
	ok(h.keep_alive, "keeps the connection");
	taken("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
	    "HTTP/1.1 close");
	ok(!h.keep_alive, "closes the connection");
	taken("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, CLOSE"
	    "\r\n\r\n", "a list with close");
	ok(!h.keep_alive, "close wins, whatever its case");
	taken("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed, upgrade"
	    "\r\n\r\n", "closed is not close");
	ok(h.keep_alive, "keeps the connection");
	taken("GET / HTTP/1.0\r\nConnection: keep-alive\r\n"
	    "Connection: close\r\n\r\n", "HTTP/1.0, keep-alive and close");
	ok(!h.keep_alive, "closes the connection");

	{
		static const struct {
			const char		*name;
			enum evhttp_cmd_type	 method;
		} m[] = {
			{ "GET", EVHTTP_REQ_GET }, { "HEAD", EVHTTP_REQ_HEAD },
			{ "POST", EVHTTP_REQ_POST }, { "PUT", EVHTTP_REQ_PUT },
			{ "PATCH", EVHTTP_REQ_PATCH },
			{ "DELETE", EVHTTP_REQ_DELETE },
			{ "OPTIONS", EVHTTP_REQ_OPTIONS },
			{ "TRACE", EVHTTP_REQ_TRACE },
			{ "CONNECT", EVHTTP_REQ_CONNECT },
		};
		char line[128];
		int good = 0;

		for (i = 0; i < (int)(sizeof(m) / sizeof(m[0])); i++) {
			snprintf(line, sizeof(line),
			    "%s /x HTTP/1.1\r\nHost: a\r\n\r\n", m[i].name);
			good += parse(line) == 0 && h.method == m[i].method;
		}
		ok(good == 9, "every method known by its name");
	}
}

static void
test_targets(void)
{
	taken("GET http://example.org/p?q HTTP/1.1\r\nHost: example.org\r\n"
	    "\r\n", "absolute-form");
	is_str(h.path, "/p", "its path");
	is_str(h.query, "q", "its query");
	taken("GET HTTPS://Example.org:8443/a/b HTTP/1.1\r\nHost: a\r\n\r\n",
	    "absolute-form, https, any case, a port");
	is_str(h.path, "/a/b", "its path");
	ok(h.query == NULL, "no query");
	taken("GET http://example.org HTTP/1.1\r\nHost: a\r\n\r\n",
	    "absolute-form without a path");
	is_str(h.path, "/", "the path is /");
	ok(h.query == NULL, "no query");
	taken("GET http://example.org?x=1 HTTP/1.1\r\nHost: a\r\n\r\n",
	    "absolute-form with a query and no path");
	is_str(h.path, "/", "the path is /");
	is_str(h.query, "x=1", "the query");

	taken("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS *");
	ok(h.method == EVHTTP_REQ_OPTIONS, "OPTIONS");
	is_str(h.path, "*", "the path is *");
	refused("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "GET *");
	refused("OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n", 400, "OPTIONS *x");
	refused("GET api/v1 HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a target without a leading /");
	refused("GET ftp://a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "another scheme");
	refused("CONNECT example.org:443 HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "authority-form");
}

static void
test_refusals(void)
{
	char *many;
	size_t off;
	int i;

	/* 400: the request line */
	refused("GET /\r\nHost: a\r\n\r\n", 400, "a request line without "
	    "a version");
	refused("GET\r\nHost: a\r\n\r\n", 400, "a method alone");
	refused("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "two spaces");
	refused(" / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "no method");
	refused("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "an empty request line");
	refused("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "a space after "
	    "the version");
	refused("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a method with a character no token has");
	refused("G\x80T / HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a method with a byte over 127");
	refused("GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400, "version 1.x");
	refused("GET / HTTP/11\r\nHost: a\r\n\r\n", 400, "version 11");
	refused("GET / http/1.1\r\nHost: a\r\n\r\n", 400, "version in lower "
	    "case");
	refused("GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, "version 1.10");
	refused("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400, "version 1.1x");
	refused("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a target with a space");
	refused("GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a target with '#'");
	refused("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a target with a control character");
	refused("GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a target with a tab");
	refused("GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a target with DEL");
	refused("GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", 400,
	    "a bare CR in the request line");
	refused("GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", 400,
	    "CR CR LF after the request line");

	/* 400: the fields */
	refused("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400,
	    "a folded line (space)");
	refused("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", 400,
	    "a folded line (tab)");
	refused("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400,
	    "a space before the colon");
	refused("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400,
	    "a tab before the colon");
	refused("GET / HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n", 400,
	    "a line without a colon");
	refused("GET / HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n", 400,
	    "an empty field name");
	refused("GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n", 400,
	    "a field name with '('");
	refused("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400,
	    "a bare CR inside a field line");
	refused("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01\r\n\r\n", 400,
	    "a control character in a value");
	refused("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x7f\r\n\r\n", 400,
	    "DEL in a value");
	REFUSED_N("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n", 400,
	    "a NUL in a value (not cut there)");
	REFUSED_N("GET / HTTP/1.1\0x\r\nHost: a\r\n\r\n", 400,
	    "a NUL after the version");
	REFUSED_N("GET / HTTP/1.1\r\nHost: a\r\nX-A\0: b\r\n\r\n", 400,
	    "a NUL in a name");
	REFUSED_N("POST / HTTP/1.1\r\nHost: a\r\n\0\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400,
	    "a line of a NUL (not the end of the head, hiding what follows)");

	/* 400: the fields' meaning */
	refused("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400,
	    "HTTP/1.1 without Host");
	refused("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400,
	    "two Hosts");
	refused("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400,
	    "two Hosts in HTTP/1.0");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n",
	    400, "Content-Length not a number");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400,
	    "Content-Length empty");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
	    400, "Content-Length negative");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n",
	    400, "Content-Length with a sign");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n",
	    400, "Content-Length in hex");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 5\r\n\r\n",
	    400, "Content-Length, two numbers without a comma");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	    "Content-Length: 6\r\n\r\n", 400, "two different Content-Lengths");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n",
	    400, "a list of two different Content-Lengths");
	refused("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Content-Length: 9223372036854775808\r\n\r\n", 400,
	    "Content-Length of 2^63 overflows");
	refused("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Content-Length: 99999999999999999999999\r\n\r\n", 400,
	    "Content-Length of 23 digits overflows");
	refused("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Content-Length: 18446744073709551621\r\n\r\n", 400,
	    "Content-Length of 2^64 + 5 does not wrap around to 5");
	refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400,
	    "Content-Length with Transfer-Encoding");
	refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Length: 5\r\n\r\n", 400,
	    "Transfer-Encoding with Content-Length");
	refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
	    "Transfer-Encoding in HTTP/1.0");

	/* 417 */
	refused("POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", 417,
	    "another Expect");
	refused("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, x\r\n"
	    "\r\n", 417, "100-continue and more");

	/* 431 */
	many = malloc(16384);
	off = (size_t)snprintf(many, 16384, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 1; i < HTTP_MAX_FIELDS; i++)
		off += (size_t)snprintf(many + off, 16384 - off,
		    "X-%d: %d\r\n", i, i);
	snprintf(many + off, 16384 - off, "\r\n");
	taken(many, "HTTP_MAX_FIELDS fields");
	ok(h.nfields == HTTP_MAX_FIELDS, "all of them");
	snprintf(many + off, 16384 - off, "X-Last: x\r\n\r\n");
	refused(many, 431, "one field more than HTTP_MAX_FIELDS");
	free(many);

	/* 501 */
	refused("BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", 501,
	    "an unknown method");
	refused("get / HTTP/1.1\r\nHost: a\r\n\r\n", 501,
	    "methods are case-sensitive");
	refused("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Transfer-Encoding: gzip, chunked\r\n\r\n", 501,
	    "Transfer-Encoding: gzip, chunked");
	refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n"
	    "\r\n", 501, "Transfer-Encoding: gzip");
	refused("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Transfer-Encoding: chunked, chunked\r\n\r\n", 501,
	    "Transfer-Encoding: chunked, chunked");
	refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 501,
	    "two Transfer-Encoding: chunked fields, as the list above");
	refused("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 501,
	    "Transfer-Encoding: gzip, then chunked, in two fields");

	/* 505 */
	refused("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP/2.0");
	refused("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, "HTTP/0.9");
	refused("GET / HTTP/3.1\r\nHost: a\r\n\r\n", 505, "HTTP/3.1");
}

/* RFC 9110 2.5: a later HTTP/1.x is read as HTTP/1.1. */
static void
test_versions(void)
{
	taken("GET / HTTP/1.2\r\nHost: a\r\n\r\n", "HTTP/1.2");
	ok(h.minor == 1 && h.keep_alive, "read as HTTP/1.1, kept alive");
	taken("POST / HTTP/1.9\r\nHost: a\r\nTransfer-Encoding: chunked"
	    "\r\n\r\n", "HTTP/1.9, chunked");
	ok(h.minor == 1 && h.chunked, "read as HTTP/1.1");
	refused("GET / HTTP/1.2\r\n\r\n", 400, "HTTP/1.2 needs a Host too");
	refused("GET / HTTP/1.12\r\nHost: a\r\n\r\n", 400,
	    "HTTP/1.12: one digit after the dot");
	taken("GET / HTTP/1.0\r\n\r\n", "HTTP/1.0");
	ok(h.minor == 0, "stays 1.0");
}

/* 414 at HTTP_MAX_TARGET, in a whole head or one that never ends */
static void
test_target_length(void)
{
	static char line[HTTP_MAX_TARGET + 200];
	const char *why;
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "GET /");
	memset(line + n, 'a', HTTP_MAX_TARGET - 1);
	n += HTTP_MAX_TARGET - 1;
	snprintf(line + n, sizeof(line) - n, " HTTP/1.1\r\nHost: a\r\n\r\n");
	taken(line, "a target of HTTP_MAX_TARGET bytes");
	ok(strlen(h.path) == HTTP_MAX_TARGET, "all of it");

	n = (size_t)snprintf(line, sizeof(line), "GET /?");
	memset(line + n, 'q', HTTP_MAX_TARGET - 1);
	n += HTTP_MAX_TARGET - 1;
	snprintf(line + n, sizeof(line) - n, " HTTP/1.1\r\nHost: a\r\n\r\n");
	refused(line, 414, "one byte more (in the query)");
	ok(h.path == NULL, "the path stays unread, out of the log");
	refused(line, 414, "again");

	line[1] = 'X';	/* "GXT": not a method */
	refused(line, 501, "an unknown method comes first");

	/* a head that does not end within what the server holds */
	memcpy(line, "GET /", 5);
	memset(line + 5, 'a', sizeof(line) - 5);
	ok(http_head_too_large(line, sizeof(line), &why) == 414 &&
	    strstr(why, "target") != NULL,
	    "a target longer than HTTP_MAX_TARGET, not ended: 414");
	ok(http_head_too_large(line, HTTP_MAX_TARGET + 4, &why) == 431,
	    "HTTP_MAX_TARGET bytes of target, not ended: 431");
	ok(http_head_too_large("GET / HTTP/1.1\r\nX: aaaaaaaaaa", 26, &why)
	    == 431 && strstr(why, "head") != NULL, "a long field: 431");
	ok(http_head_too_large("GETaaaaaaaaaaaa", 15, &why) == 431,
	    "no space yet: 431");
	memset(line, 'A', sizeof(line));
	line[100] = ' ';
	ok(http_head_too_large(line, sizeof(line), &why) == 414,
	    "a target after a long method");
}

/* RFC 9112 3.2: Host is uri-host [":" port] */
static void
test_host(void)
{
	static const char *good[] = {
		"example.org", "example.org:8080", "Example.ORG", "127.0.0.1",
		"127.0.0.1:80", "[::1]", "[::1]:8443", "[::1]:", "[2001:db8::7]",
		"[::ffff:192.0.2.1]", "[v1.fe80::a+en1]", "localhost:",
		"xn--bcher-kva.example", "a-b_c~d", "a%41b", "!$&'()*+,;=",
		"",
	};
	static const char *bad[] = {
		"a b", "a/b", "user@example.org", "user:pw@example.org",
		"example.org:80:90", "example.org:http", "example.org:-1",
		"[::1", "::1", "[::1]x", "[zz::1]", "[]",
		"[1.2.3.4]", "[v1.]", "[vz.x]", "a\"b", "a%4", "a%zz", "a?b",
		"a#b", "a\\b", "<a>", "a{b}", "a|b", "a^b", "a`b",
		"\xc3\xa9t\xc3\xa9.be", "a\tb",
	};
	char line[256];
	size_t i;
	int n;

	for (i = 0, n = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "GET / HTTP/1.1\r\nHost: %s\r\n"
		    "\r\n", good[i]);
		if (parse(line) != 0)
			printf("#   refused: \"%s\": %s\n", good[i], h.error);
		else
			n++;
	}
	ok(n == (int)(sizeof(good) / sizeof(good[0])),
	    "names, addresses, IP literals, ports, pct-encoding taken");
	for (i = 0, n = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "GET / HTTP/1.1\r\nHost: %s\r\n"
		    "\r\n", bad[i]);
		if (parse(line) == 400 && h.error != NULL &&
		    strstr(h.error, "Host") != NULL)
			n++;
		else
			printf("#   not refused for its Host: \"%s\"\n", bad[i]);
	}
	ok(n == (int)(sizeof(bad) / sizeof(bad[0])),
	    "400 for spaces, \"/\", \"@\", a second colon, a bad port, "
	    "bad literals, bad escapes, delimiters, non-ASCII");
	snprintf(line, sizeof(line), "GET / HTTP/1.0\r\nHost: a/b\r\n\r\n");
	refused(line, 400, "a bad Host in HTTP/1.0 too");
	refused("GET http://example.org/ HTTP/1.1\r\nHost: a@b\r\n\r\n",
	    400, "beside an absolute-form target too");
	taken("GET / HTTP/1.1\r\nHost: example.org:8080   \r\n\r\n",
	    "white space around the value is the field's");
}

static void
test_fields(void)
{
	taken("POST /x HTTP/1.1\r\nHost:   example.org \t\r\n"
	    "X-Empty:\r\nX-Blank: \t \r\nx-inner:  a  b\t c \r\n"
	    "X-Twice: first\r\nX-TWICE: second\r\n\r\n", "fields");
	ok(h.nfields == 6, "six fields");
	is_str(http_head_field(&h, "Host"), "example.org",
	    "leading and trailing white space trimmed");
	is_str(http_head_field(&h, "HOST"), "example.org",
	    "names compared without case");
	is_str(http_head_field(&h, "x-empty"), "", "an empty value");
	is_str(http_head_field(&h, "X-Blank"), "", "a blank value");
	is_str(http_head_field(&h, "X-Inner"), "a  b\t c",
	    "inner white space kept");
	is_str(http_head_field(&h, "x-twice"), "first", "the first of two");
	ok(http_head_field(&h, "X-None") == NULL, "no such field");
	ok(http_head_field(&h, "X-Empt") == NULL, "no prefix match");
	is_str(h.fields[3].name, "x-inner", "names as sent");

	taken("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n",
	    "Content-Length");
	ok(h.content_length == 42 && !h.chunked, "42 bytes");
	taken("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
	    "Content-Length: 0");
	ok(h.content_length == 0, "0 bytes");
	taken("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n",
	    "leading zeros");
	ok(h.content_length == 7, "7 bytes");
	taken("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	    "content-length: 5\r\n\r\n", "two equal Content-Lengths");
	ok(h.content_length == 5, "5 bytes");
	taken("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 , 5\r\n\r\n",
	    "a list of equal Content-Lengths");
	ok(h.content_length == 5, "5 bytes");
	taken("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Content-Length: 1000000000000000000\r\n\r\n", "10^18");
	ok(h.content_length == 1000000000000000000LL, "10^18 bytes");

	taken("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n"
	    "\r\n", "Transfer-Encoding: chunked (any case)");
	ok(h.chunked && h.content_length == -1, "chunked, no length");
	taken("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n"
	    "Content-Length: 3\r\n\r\n", "Expect: 100-continue");
	ok(h.expect_continue, "expects 100 Continue");
}

/* One struct http_head serves every request on a connection. */
static void
test_reuse(void)
{
	struct http_head *g = malloc(sizeof(*g));
	char a[] = "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n";
	char b[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	char c[] = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
	char d[] = "GET / HTTP/1.0\r\n\r\n";

	memset(g, 0, sizeof(*g));
	ok(http_head_parse(a, strlen(a), g) == 0 && g->expect_continue &&
	    g->chunked, "a chunked POST with Expect");
	ok(http_head_parse(b, strlen(b), g) == 0, "then a GET");
	ok(!g->expect_continue && !g->chunked && g->content_length == -1,
	    "the GET expects nothing and has no body");
	ok(http_head_parse(c, strlen(c), g) == 400 && g->error != NULL,
	    "then a refusal");
	ok(http_head_parse(d, strlen(d), g) == 0 && g->error == NULL &&
	    !g->keep_alive, "then a GET: no error left from before");
	free(g);
}

/* Feeds body to a fresh decoder whole; the return value, output in out. */
static long
decode(const char *body, size_t len, char *out, size_t *outlen, bool *done)
{
	struct http_chunked c;
	long r;

	memset(&c, 0, sizeof(c));
	*outlen = 0;
	r = http_chunked_decode(&c, body, len, out, outlen);
	*done = c.done;
	return r;
}

/* decode() on a literal, into out, n and done */
#define DECODE(lit)	decode((lit), sizeof(lit) - 1, out, &n, &done)

static void
test_chunked(void)
{
	static const char wiki[] = "4\r\nWiki\r\n5\r\npedia\r\n"
	    "E\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
	static const char want[] = "Wikipedia in\r\n\r\nchunks.";
	struct http_chunked c;
	char out[8192], in[8192], *big;
	size_t n, o, total, i, len = strlen(wiki);
	long r;
	bool done, done_early;

	r = decode(wiki, len, out, &n, &done);
	ok(r == (long)len && done, "a body fed whole: read to its end");
	ok(n == strlen(want) && memcmp(out, want, n) == 0, "its data");

	memset(&c, 0, sizeof(c));
	total = 0;
	done_early = false;
	for (i = 0; i < len; i++) {
		done_early = done_early || c.done;
		r = http_chunked_decode(&c, wiki + i, 1, out + total, &o);
		if (r != 1)
			break;
		total += o;
	}
	ok(i == len && !done_early && c.done,
	    "one byte at a time: each read, done at the last one");
	ok(total == strlen(want) && memcmp(out, want, total) == 0,
	    "the same data");

	memcpy(in, wiki, len);
	r = decode(in, len, in, &n, &done);
	ok(r == (long)len && done && n == strlen(want) &&
	    memcmp(in, want, n) == 0, "decoded in place");

	r = DECODE("4;name=value;x=\"a b\"\r\nWiki\r\n3 ; ext\r\nped\r\n"
	    "0;last\r\nTrailer: a\r\nOther: b\r\n\r\n");
	ok(r == 74 && done && n == 7 && memcmp(out, "Wikiped", 7) == 0,
	    "chunk extensions and trailer fields skipped");

	r = DECODE("a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n");
	ok(r == 35 && done && n == 20, "hex digits in either case");
	r = DECODE("0\r\n\r\n");
	ok(r == 5 && done && n == 0, "an empty body");
	r = DECODE("00000\r\n\r\n");
	ok(r == 9 && done && n == 0, "the last chunk with leading zeros");

	r = DECODE("4\r\nWiki\r\n0\r\n\r\nPOST / HTTP/1.1\r\n");
	ok(r == 14 && done && n == 4,
	    "the next request's bytes are not consumed");
	memset(&c, 0, sizeof(c));
	r = http_chunked_decode(&c, "0\r\n\r\n", 5, out, &n);
	r = http_chunked_decode(&c, "1\r\nx\r\n", 6, out, &n);
	ok(r == 0 && n == 0, "nothing is read once done");

	r = DECODE("4\r\nWi");
	ok(r == 5 && !done && n == 2 && memcmp(out, "Wi", 2) == 0,
	    "a chunk in part: what has come");

	/* extensions (RFC 9112 7.1.1), white space around ";" and "=" */
	r = DECODE("1;a\r\nx\r\n1;a=b;c=\"d\"\r\ny\r\n1 ;\te = f ; g\r\nz\r\n"
	    "1;q=\"\\\"\\\\ \t!#[]~\x80\xff\"\r\nw\r\n0;last=\"\"\r\n\r\n");
	ok(r > 0 && done && n == 4 && memcmp(out, "xyzw", 4) == 0,
	    "names, tokens, quoted strings with escapes, white space");

	/* lines end in CRLF: a bare LF is refused wherever it comes */
	ok(DECODE("4\nWiki\r\n0\r\n\r\n") == -1, "a bare LF after the size");
	ok(DECODE("4\r\nWiki\n0\r\n\r\n") == -1, "a bare LF after the data");
	ok(DECODE("4;a=b\nWiki\r\n0\r\n\r\n") == -1,
	    "a bare LF after an extension");
	ok(DECODE("0\r\nX: a\n\r\n") == -1, "a bare LF after a trailer");
	ok(DECODE("0\r\n\n") == -1, "a bare LF as the last line");
	ok(DECODE("4\nWiki\n0\n\n") == -1, "bare LFs throughout");

	/* extensions that are not ";" name ["=" value] */
	ok(DECODE("1;\r\nx\r\n") == -1, "\";\" without a name");
	ok(DECODE("1;=b\r\nx\r\n") == -1, "a value without a name");
	ok(DECODE("1;a=\r\nx\r\n") == -1, "\"=\" without a value");
	ok(DECODE("1;a;\r\nx\r\n") == -1, "a \";\" at the end");
	ok(DECODE("1 \r\nx\r\n") == -1, "white space after the size, no \";\"");
	ok(DECODE("1;a \r\nx\r\n") == -1, "white space at the end");
	ok(DECODE("1 a\r\nx\r\n") == -1, "an extension without \";\"");
	ok(DECODE("1;a b\r\nx\r\n") == -1, "two names without \";\"");
	ok(DECODE("1;a=b c\r\nx\r\n") == -1, "two tokens as a value");
	ok(DECODE("1;a(b\r\nx\r\n") == -1, "a name with \"(\"");
	ok(DECODE("1;a=b/c\r\nx\r\n") == -1, "a token value with \"/\"");
	ok(DECODE("1;a=\"b\r\nx\r\n") == -1, "a quoted string not closed");
	ok(DECODE("1;a=\"b\"c\r\nx\r\n") == -1,
	    "a quoted string followed by more");
	ok(DECODE("1;a=\"b\x01\"\r\nx\r\n") == -1,
	    "a control character in a quoted string");
	ok(DECODE("1;a=\"b\\\x01\"\r\nx\r\n") == -1,
	    "a control character escaped");
	ok(DECODE("1;a=\"b\x7f\"\r\nx\r\n") == -1, "DEL in a quoted string");
	ok(DECODE("1;a=\x80\r\nx\r\n") == -1, "a byte over 127 in a token");
	ok(DECODE("1;a\rx\r\nx\r\n") == -1, "a bare CR in an extension");

	/* trailer fields: fields, at most HTTP_MAX_FIELDS, HTTP_MAX_TRAILER
	 * bytes */
	ok(DECODE("0\r\nX-A:\r\nX-B: b c\t\r\n\r\n") == 22 && done,
	    "trailer fields, an empty one too");
	ok(DECODE("0\r\nNo colon\r\n\r\n") == -1, "a trailer line without a colon");
	ok(DECODE("0\r\n: a\r\n\r\n") == -1, "a trailer without a name");
	ok(DECODE("0\r\nX : a\r\n\r\n") == -1,
	    "white space before a trailer's colon");
	ok(DECODE("0\r\nX: a\r\n b\r\n\r\n") == -1, "a folded trailer");
	ok(DECODE("0\r\nX: a\x01\r\n\r\n") == -1,
	    "a control character in a trailer");
	{
		char *t = malloc(HTTP_MAX_TRAILER * 2);
		size_t tl;
		int k;

		tl = (size_t)sprintf(t, "0\r\n");
		for (k = 0; k < HTTP_MAX_FIELDS; k++)
			tl += (size_t)sprintf(t + tl, "T%d: x\r\n", k);
		tl += (size_t)sprintf(t + tl, "\r\n");
		ok(decode(t, tl, out, &n, &done) == (long)tl && done,
		    "HTTP_MAX_FIELDS trailer fields");
		tl = (size_t)sprintf(t, "0\r\n");
		for (k = 0; k <= HTTP_MAX_FIELDS; k++)
			tl += (size_t)sprintf(t + tl, "T%d: x\r\n", k);
		tl += (size_t)sprintf(t + tl, "\r\n");
		ok(decode(t, tl, out, &n, &done) == -1,
		    "one trailer field more");
		tl = (size_t)sprintf(t, "0\r\n");
		for (k = 0; k < 5; k++) {
			tl += (size_t)sprintf(t + tl, "T%d: ", k);
			memset(t + tl, 'v', 4000);
			tl += 4000;
			tl += (size_t)sprintf(t + tl, "\r\n");
		}
		tl += (size_t)sprintf(t + tl, "\r\n");
		ok(decode(t, tl, out, &n, &done) == -1,
		    "five trailer lines of 4000 bytes: over HTTP_MAX_TRAILER");
		ok(decode(t, 3 + 4 * 4006, out, &n, &done) == 3 + 4 * 4006 &&
		    !done, "four are fine");
		free(t);
	}

	/* malformed */
	ok(DECODE("\r\n") == -1, "no hex digits");
	ok(DECODE(";x\r\n") == -1,
	    "an extension without a size");
	ok(DECODE("x\r\n") == -1, "not a hex digit");
	ok(DECODE("-1\r\n") == -1, "a sign");
	ok(DECODE("4x\r\nWiki\r\n") == -1,
	    "garbage after the size");
	ok(DECODE("4\r\nWikiX\r\n0\r\n\r\n") == -1,
	    "garbage after the data");
	ok(DECODE("4\r\nWiki\rX") == -1,
	    "CR without LF after the data");
	ok(DECODE("4\rX") == -1,
	    "CR without LF after the size");
	ok(DECODE("0\r\nX: a\rb\r\n\r\n") == -1,
	    "a bare CR in a trailer line");
	ok(DECODE("0\r\n\rX") == -1,
	    "a bare CR in the last line");
	ok(DECODE("10000000000000000\r\n") == -1,
	    "a chunk size of 2^64 overflows");
	ok(DECODE("FFFFFFFFFFFFFFFFFFFF\r\n") == -1,
	    "a chunk size of 20 hex digits");

	big = malloc(10000);
	memset(big, '0', 5000);
	memcpy(big + 5000, "1\r\nx\r\n0\r\n\r\n", 11);
	ok(decode(big, 5011, out, &n, &done) == -1,
	    "a size line of 5000 leading zeros");
	memcpy(big, "1;", 2);
	memset(big + 2, 'e', 4998);
	memcpy(big + 5000, "\r\nx\r\n0\r\n\r\n", 10);
	ok(decode(big, 5010, out, &n, &done) == -1,
	    "an extension of 5000 bytes");
	memcpy(big, "0\r\nX: ", 6);
	memset(big + 6, 'v', 5000);
	memcpy(big + 5006, "\r\n\r\n", 4);
	ok(decode(big, 5010, out, &n, &done) == -1,
	    "a trailer line of 5000 bytes");
	memcpy(big, "1;", 2);
	memset(big + 2, 'e', 4000);
	memcpy(big + 4002, "\r\nx\r\n0\r\n\r\n", 10);
	ok(decode(big, 4012, out, &n, &done) == 4012 && done && n == 1,
	    "an extension of 4000 bytes is fine");
	free(big);
}

int
main(void)
{
	test_head_length();
	test_get();
	test_targets();
	test_refusals();
	test_versions();
	test_target_length();
	test_host();
	test_fields();
	test_reuse();
	test_chunked();
	return done_testing();
}
