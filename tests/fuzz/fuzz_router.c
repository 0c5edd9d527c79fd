/*
 * fuzz_router.c - router_match on the real route table (routes[] in
 * handlers/routes.c), with an arbitrary method and raw path.
 *
 * The input is "METHOD /path" when it starts with a method name and a
 * space; otherwise its first byte picks the method and the whole input
 * is the path.  The handlers are do-nothing stubs made from handlers.h
 * (stubs.sh), so a new route needs nothing here.
 *
 * Promises: no crash, leak or undefined behaviour; the log path is a
 * string in its buffer with no e-mail address in it ('@' or "%40") and
 * a "****" wherever a :token was; the parameters are whole decodings of
 * their segments (no '/', no NUL cutting them short); 405 never allows
 * the method it refused.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "http/router.h"

static const enum evhttp_cmd_type methods[] = {
	EVHTTP_REQ_GET, EVHTTP_REQ_HEAD, EVHTTP_REQ_POST, EVHTTP_REQ_PUT,
	EVHTTP_REQ_PATCH, EVHTTP_REQ_DELETE, EVHTTP_REQ_OPTIONS,
	EVHTTP_REQ_TRACE, EVHTTP_REQ_CONNECT,
};
#define NMETHODS	(sizeof(methods) / sizeof(methods[0]))

/* The length of the n-th segment (from 0) of path, and where it starts. */
static bool
segment(const char *path, int n, const char **start, size_t *len)
{
	const char *p = path, *e;

	for (;;) {
		if (*p != '/')
			return false;
		p++;
		e = strchr(p, '/');
		if (n-- == 0) {
			*start = p;
			*len = e != NULL ? (size_t)(e - p) : strlen(p);
			return true;
		}
		if (e == NULL)
			return false;
		p = e;
	}
}

/* Checks each parameter against the raw segment it came from. */
static void
check_params(const struct route_match *m, const char *path)
{
	const char *pp = m->route->pattern, *seg, *suffix;
	int seg_no = 0, n = 0;
	size_t plen, slen, sufflen, i, escapes;
	bool token = false;

	while (*pp == '/') {
		pp++;
		plen = strcspn(pp, "/");
		if (*pp == ':') {
			FUZZ_CHECK(segment(path, seg_no, &seg, &slen));
			suffix = memchr(pp, '.', plen);
			sufflen = suffix != NULL ? plen - (size_t)(suffix - pp) :
			    0;
			FUZZ_CHECK(slen > sufflen);
			for (i = 0, escapes = 0; i < slen - sufflen; i++)
				if (seg[i] == '%')
					escapes++;
			FUZZ_CHECK(n < m->nparams && m->params[n] != NULL);
			FUZZ_CHECK(strchr(m->params[n], '/') == NULL);
			/* a NUL would cut the parameter short */
			FUZZ_CHECK(strlen(m->params[n]) ==
			    slen - sufflen - 2 * escapes);
			if (strncmp(pp, ":token", 6) == 0)
				token = true;
			n++;
		}
		pp += plen;
		seg_no++;
	}
	FUZZ_CHECK(n == m->nparams);
	if (token)
		FUZZ_CHECK(strstr(m->log_path, "****") != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_match m;
	enum evhttp_cmd_type method;
	const char *path, *name;
	char *input;
	size_t i;

	if (size == 0)
		return 0;
	input = fuzz_string(data, size);
	method = methods[data[0] % NMETHODS];
	path = input;
	for (i = 0; i < NMETHODS; i++) {
		name = router_method_name(methods[i]);
		if (strncmp(input, name, strlen(name)) == 0 &&
		    input[strlen(name)] == ' ') {
			method = methods[i];
			path = input + strlen(name) + 1;
			break;
		}
	}

	router_match(routes, path, method, &m);
	FUZZ_CHECK(memchr(m.log_path, '\0', sizeof(m.log_path)) != NULL);
	FUZZ_CHECK(m.log_path[0] == '/');
	FUZZ_CHECK(strchr(m.log_path, '@') == NULL);
	FUZZ_CHECK(strcasestr(m.log_path, "%40") == NULL);
	FUZZ_CHECK(memchr(m.allow, '\0', sizeof(m.allow)) != NULL);
	if (m.route != NULL) {
		FUZZ_CHECK(m.path_found);
		FUZZ_CHECK(m.route->method == method ||
		    (method == EVHTTP_REQ_HEAD &&
		    m.route->method == EVHTTP_REQ_GET));
		check_params(&m, path);
	} else {
		FUZZ_CHECK(m.nparams == 0);
		if (m.path_found && method != EVHTTP_REQ_OPTIONS)
			FUZZ_CHECK(strstr(m.allow,
			    router_method_name(method)) == NULL);
	}
	if (m.path_found)
		FUZZ_CHECK(strstr(m.allow, "OPTIONS") != NULL);
	router_match_free(&m);
	FUZZ_CHECK(m.nparams == 0);
	free(input);
	return 0;
}
