/*
 * http/router.c - the matcher of a route table (the table itself is the
 * handlers': handlers/routes.c).
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"
#include "base/util.h"

static const struct {
	enum evhttp_cmd_type	 method;
	const char		*name;
} method_names[] = {
	{ EVHTTP_REQ_GET, "GET" },
	{ EVHTTP_REQ_HEAD, "HEAD" },
	{ EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
	{ EVHTTP_REQ_DELETE, "DELETE" },
	{ EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" },
	{ EVHTTP_REQ_CONNECT, "CONNECT" },
};

enum account_role
router_least_role(enum route_auth auth)
{
	switch (auth) {
	case AUTH_NONE:
		return ROLE_NONE;
	case AUTH_DOOR:
		return ROLE_DOOR;
	case AUTH_OPTIONAL:
	case AUTH_REQUIRED:
		return ROLE_ORGANISER;
	case AUTH_ADMIN:
		return ROLE_ADMIN;
	}
	return ROLE_ADMIN;	/* a value no row has: the strictest */
}

const char *
router_method_name(enum evhttp_cmd_type method)
{
	size_t i;

	for (i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
		if (method_names[i].method == method)
			return method_names[i].name;
	return "?";
}

char *
router_decode(const char *s, size_t len)
{
	char *out, *w;
	size_t i;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0, w = out; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				goto fail;
			hi = hex_digit(s[i + 1]);
			lo = hex_digit(s[i + 2]);
			if (hi < 0 || lo < 0)
				goto fail;
			c = (char)(hi * 16 + lo);
			if (c == '\0' || c == '/')
				goto fail;
			i += 2;
		}
		*w++ = c;
	}
	*w = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

bool
router_query_known(const struct route *rt, const char *name, size_t len)
{
	const char *p = rt->query, *end;

	while (p != NULL && *p != '\0') {
		end = strchr(p, ' ');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) == len && memcmp(p, name, len) == 0)
			return true;
		p = *end == ' ' ? end + 1 : end;
	}
	return false;
}

static bool
slug_like(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

/*
 * Matches one pattern against the path.  On success fills params (when
 * given) and the masked log path.
 */
static bool
match_pattern(const char *pattern, const char *path, char **params,
    int *nparams, char *log_path, size_t loglen)
{
	const char *pp = pattern, *sp = path;
	int n = 0;
	size_t lp = 0;

	if (log_path != NULL)
		log_path[0] = '\0';
	while (*pp == '/' && *sp == '/') {
		const char *pe, *se, *suffix;
		size_t plen, slen, sufflen = 0;
		bool token;

		pp++;
		sp++;
		pe = strchr(pp, '/');
		se = strchr(sp, '/');
		plen = pe ? (size_t)(pe - pp) : strlen(pp);
		slen = se ? (size_t)(se - sp) : strlen(sp);
		if (*pp == ':') {
			suffix = memchr(pp, '.', plen);
			if (suffix != NULL)
				sufflen = plen - (size_t)(suffix - pp);
			if (slen <= sufflen || (sufflen > 0 &&
			    memcmp(sp + slen - sufflen, suffix, sufflen) != 0))
				goto fail;
			/* a token, or anything a slug cannot be (an e-mail
			 * address typed into a URL), stays out of the log */
			token = strncmp(pp, ":token", 6) == 0 ||
			    !slug_like(sp, slen - sufflen);
			if (params != NULL) {
				if (n >= ROUTER_MAX_PARAMS ||
				    (params[n] = router_decode(sp,
				    slen - sufflen)) == NULL)
					goto fail;
				n++;
			}
			if (log_path != NULL) {
				lp = str_put(log_path, loglen, lp, "/", 1);
				lp = str_put(log_path, loglen, lp,
				    token ? "****" : sp, token ? 4 :
				    slen - sufflen);
				lp = str_put(log_path, loglen, lp,
				    sp + slen - sufflen, sufflen);
			}
		} else {
			if (plen != slen || memcmp(pp, sp, plen) != 0)
				goto fail;
			if (log_path != NULL) {
				lp = str_put(log_path, loglen, lp, "/", 1);
				lp = str_put(log_path, loglen, lp, sp, slen);
			}
		}
		pp += plen;
		sp += slen;
	}
	if (*pp != '\0' || *sp != '\0')
		goto fail;
	if (nparams != NULL)
		*nparams = n;
	return true;
fail:
	while (params != NULL && n > 0)
		free(params[--n]);
	return false;
}

static void
allow_add(char *allow, size_t len, const char *name)
{
	if (strstr(allow, name) != NULL)
		return;
	if (allow[0] != '\0')
		strncat(allow, ", ", len - strlen(allow) - 1);
	strncat(allow, name, len - strlen(allow) - 1);
}

/* Could the segment hold an e-mail address ('@', or '@' encoded)? */
static bool
email_like(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '@' || (s[i] == '%' && i + 2 < len &&
		    s[i + 1] == '4' && s[i + 2] == '0'))
			return true;
	return false;
}

/*
 * A segment that looks like a secret (long, with characters no slug has)
 * or holds an e-mail address is masked when the path matches no route: a
 * mistyped link must not put a token or an address into the log.
 */
static void
mask_unknown(const char *path, char *out, size_t outlen)
{
	size_t o = 0;

	out[0] = '\0';
	while (*path == '/' && o + 1 < outlen) {
		const char *seg = path + 1, *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		bool secret = email_like(seg, len);
		size_t i;

		if (len >= 16)
			for (i = 0; i < len; i++)
				if (!((seg[i] >= 'a' && seg[i] <= 'z') ||
				    (seg[i] >= '0' && seg[i] <= '9') ||
				    seg[i] == '-' || seg[i] == '.'))
					secret = true;
		o += (size_t)snprintf(out + o, outlen - o, "/%.*s",
		    secret ? 4 : (int)len, secret ? "****" : seg);
		if (o >= outlen)
			break;
		path = seg + len;
	}
	if (o == 0)
		snprintf(out, outlen, "%s", *path ? "/****" : "/");
}

void
router_match(const struct route *table, const char *path,
    enum evhttp_cmd_type method, struct route_match *m)
{
	const struct route *r, *first = NULL;
	enum evhttp_cmd_type want = method == EVHTTP_REQ_HEAD ?
	    EVHTTP_REQ_GET : method;

	memset(m, 0, sizeof(*m));
	for (r = table; r->pattern != NULL; r++) {
		if (first != NULL) {
			if (strcmp(r->pattern, first->pattern) != 0)
				continue;
		} else if (!match_pattern(r->pattern, path, NULL, NULL,
		    m->log_path, sizeof(m->log_path)))
			continue;
		else
			first = r;
		allow_add(m->allow, sizeof(m->allow),
		    router_method_name(r->method));
		if (r->method == EVHTTP_REQ_GET)
			allow_add(m->allow, sizeof(m->allow), "HEAD");
		if (r->method == want && m->route == NULL)
			m->route = r;
	}
	if (first == NULL) {
		mask_unknown(path, m->log_path, sizeof(m->log_path));
		return;
	}
	m->path_found = true;
	allow_add(m->allow, sizeof(m->allow), "OPTIONS");
	if (m->route != NULL && !match_pattern(m->route->pattern, path,
	    m->params, &m->nparams, NULL, 0)) {
		m->route = NULL;	/* undecodable parameter: 404 */
		m->path_found = false;
	}
}

void
router_match_free(struct route_match *m)
{
	while (m->nparams > 0)
		free(m->params[--m->nparams]);
}
