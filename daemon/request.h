/*
 * request.h - the server and one request's life.
 *
 * A request is created by the HTTP layer, routed, optionally
 * authenticated, given to its handler and finished exactly once with
 * request_reply() or request_problem().  Its deadline timer answers 503
 * when it runs out; work still pending in the database pool is then
 * cancelled, so a late answer never touches a finished request.
 */
#ifndef LEERKANS_REQUEST_H
#define LEERKANS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "db.h"

struct settings;
struct route;
struct form;

struct server {
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bound;
	struct db_pool			*pool;
	const struct settings		*s;
	int				 inflight;
	bool				 draining;
	struct event			*drain_timer;
	struct ratelimit		*rl_addr;	/* registrations per address */
	struct ratelimit		*rl_email;	/* per e-mail address */
	struct feedcache		*feeds;		/* rendered calendar feeds */
};

#define REQUEST_MAX_PARAMS	4

struct request;
typedef void (*request_db_cb)(struct request *, const struct db_result *);

struct request {
	struct evhttp_request	*ev;
	struct server		*srv;
	enum evhttp_cmd_type	 method;
	char			*path;		/* raw, without the query */
	struct evkeyvalq	 query;		/* decoded query arguments */
	bool			 query_parsed;
	const struct route	*route;
	char			*params[REQUEST_MAX_PARAMS];	/* decoded */
	char			 log_path[256];	/* tokens masked */
	struct timespec		 started;
	struct event		*deadline;
	struct db_query		*pending;
	request_db_cb		 pending_cb;
	char			*organiser;	/* token name, when authenticated */
	json_t			*body;		/* parsed JSON body */
	bool			 finished;
	/* called once as the request is freed, e.g. to stop waiting */
	void			(*cleanup)(struct request *);
	void			*cleanup_arg;
	/* web pages (h_web.c) */
	bool			 html;		/* errors as HTML pages */
	struct form		*form;		/* parsed form body */
	json_t			*state;		/* the handler's, freed here */
};

struct request	*request_new(struct server *srv, struct evhttp_request *ev);

/* Runs one statement for the request; cb gets the answer unless the
 * request was finished meanwhile. */
void	request_db(struct request *r, const char *sql, int nparams,
	    const char *const *params, request_db_cb cb);

const char *request_header(struct request *r, const char *name);
void	request_add_header(struct request *r, const char *name,
	    const char *value);
const char *request_arg(struct request *r, const char *name);

/* Finishing: each frees the request. */
void	request_reply(struct request *r, int status, const char *ctype,
	    const char *body, size_t len);
void	request_problem(struct request *r, int status, const char *type,
	    const char *title, const char *detail, json_t *errors);
void	request_invalid(struct request *r, json_t *errors);
void	request_not_found(struct request *r);
void	request_rate_limited(struct request *r, int retry_after);
/* The client's address as text ("" when unknown). */
const char *request_peer(struct request *r);
void	request_unavailable(struct request *r, const char *detail);
/* Answers a failed database call: LKnnn refusals, 503, else 500. */
void	request_db_failed(struct request *r, const struct db_result *res);

const char *http_reason(int status);

#endif
