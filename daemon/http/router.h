/*
 * http/router.h - routing as data: a table of {method, pattern, handler,
 * auth, body, face} (handlers/routes.c) and its matcher.
 *
 * A pattern is a path of literal segments and parameters: ":name" takes a
 * whole segment, ":name.ics" a segment ending in ".ics" (the parameter is
 * what comes before).  The first pattern that matches the path wins;
 * among the rows with that pattern the method picks the handler, else the
 * answer is 405 with the methods that would have worked.
 *
 * A route's face says who reads its answers, and so how its errors are
 * answered (http/request.c): problem+json for programs, an HTML page in
 * the reader's language for people.  The HTTP server's refusals on a
 * route's path take its face too.
 */
#ifndef LEERKANS_ROUTER_H
#define LEERKANS_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/http.h>

#include "input/account.h"

struct request;

/*
 * Who may call a route: the least role its caller's credential must
 * have (door < organiser < admin).  On the API the credential is a
 * Bearer token, whose scope is its role; on the console (FACE_CONSOLE)
 * it is the session's user, whose role it is (http/session.c).
 */
enum route_auth {
	AUTH_NONE,		/* public */
	AUTH_OPTIONAL,		/* public; a valid token of scope organiser
				 * shows more (a door token is refused) */
	AUTH_REQUIRED,		/* organisers (and admins) */
	AUTH_DOOR,		/* the door and above: check-in */
	AUTH_ADMIN		/* admins: users, tokens, the audit log */
};

enum route_body {
	BODY_NONE,
	BODY_JSON,		/* application/json object, parsed before */
	BODY_FORM		/* x-www-form-urlencoded, parsed before (a
				 * form: on a route whose face is a page) */
};

enum route_face {
	FACE_API,		/* programs: the API, feeds; problem+json */
	FACE_WEB,		/* the public pages: errors are HTML pages */
	FACE_CONSOLE		/* the organiser console (/beheer/): HTML
				 * pages in the console's frame; a session,
				 * never a token, says who calls */
};

typedef void (*route_handler)(struct request *);

struct route {
	enum evhttp_cmd_type	 method;
	const char		*pattern;
	route_handler		 handler;
	enum route_auth		 auth;
	enum route_body		 body;
	enum route_face		 face;
	/* the query parameters it takes, separated by spaces ("kind from
	 * to"); NULL: none.  Any other is refused, or dropped from a page's
	 * address with a redirect (http/dispatch.c) */
	const char		*query;
};

#define ROUTER_MAX_PARAMS	4

struct route_match {
	const struct route	*route;		/* NULL: 404 or 405 */
	bool			 path_found;	/* 405 rather than 404 */
	char			 allow[96];	/* for 405 and OPTIONS */
	char			*params[ROUTER_MAX_PARAMS];	/* decoded, owned */
	int			 nparams;
	char			 log_path[256];	/* ":token" parameters masked */
};

/* The daemon's routes (handlers/routes.c), ended by a NULL pattern. */
extern const struct route routes[];

/*
 * The least role of a credential on a route with this auth: ROLE_NONE
 * for AUTH_NONE; for AUTH_OPTIONAL, what one that is sent must have.
 */
enum account_role router_least_role(enum route_auth auth);

/* path is the raw (percent-encoded) path without the query. */
void	router_match(const struct route *table, const char *path,
	    enum evhttp_cmd_type method, struct route_match *m);
void	router_match_free(struct route_match *m);
const char *router_method_name(enum evhttp_cmd_type method);
/* Does the route take the query parameter name (len bytes)? */
bool	router_query_known(const struct route *rt, const char *name,
	    size_t len);
/* Percent-decodes one segment; NULL if malformed or it holds NUL or '/'. */
char	*router_decode(const char *s, size_t len);

#endif
