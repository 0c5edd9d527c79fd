/*
 * request.h - the server and one request's life.
 *
 * A request is created by the HTTP layer, routed, optionally
 * authenticated, given to its handler and finished exactly once with
 * request_reply() or request_problem(), or streamed with
 * request_stream_start() ... request_stream_end().  Its deadline timer
 * answers 503 when it runs out; work still pending in the database pool
 * is then cancelled, so a late answer never touches a finished request.
 */
#ifndef LEERKANS_REQUEST_H
#define LEERKANS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "base/util.h"
#include "db/pool.h"
#include "http/router.h"
#include "input/account.h"
#include "render/i18n.h"

struct db_refusal;
struct form;
struct html;
struct image;
struct page_site;
struct settings;
struct mail_sender;

/* Shutting down (http/request.c's own, through request_drain()). */
struct request_drain {
	int				 inflight;	/* unfinished */
	int				 writing;	/* replies being sent */
	bool				 draining;
	struct event			*timer;		/* ends the loop */
};

struct server {
	struct event_base		*base;
	struct httpd			*http;
	struct db_pool			*pool;
	const struct settings		*s;
	struct request_drain		 drain;
	struct ratelimit		*rl_addr;	/* registrations per address */
	struct ratelimit		*rl_email;	/* per e-mail address */
	struct cache			*cache;		/* rendered answers: feeds, event JSON */
	struct request			*dispatching;	/* in its handler now */
	/* who is behind the pages (footer, statements), and the logo */
	const struct page_site		*site;
	const struct image		*logo;		/* NULL: none */
	/* the console */
	struct ratelimit		*rl_login_addr;	/* failed logins per address */
	struct ratelimit		*rl_login_account; /* per account */
	struct worker			*passwords;	/* Argon2id, off the loop */
	/* mail (daemon/mail/) */
	struct mail_sender		*mail;
	struct ratelimit		*rl_links_addr;	/* "send me my links" */
	struct ratelimit		*rl_links_email;
};

/* "Send me my links" an hour: from one client address, for one e-mail
 * address (POST /api/v1/links and its form, together). */
#define LINKS_PER_ADDRESS	20
#define LINKS_PER_EMAIL		3

#define REQUEST_MAX_PARAMS	4

struct request;
typedef void (*request_db_cb)(struct request *, const struct db_result *);
typedef void (*request_cb)(struct request *, void *);
typedef void (*request_fn)(struct request *);

/* The console's signed-in user (http/session.c). */
struct request_user {
	long long		 id;
	char			 email[ACCOUNT_EMAIL_MAX + 1];
	enum account_role	 role;
	char			 csrf[TOKEN_LEN + 1];	/* of its forms */
};

enum request_stream_state {
	STREAM_NONE,		/* an ordinary reply */
	STREAM_ON		/* headers sent; chunks follow */
};

struct request {
	struct http_req		*ev;		/* http/server.c's */
	struct server		*srv;
	enum evhttp_cmd_type	 method;
	struct evkeyvalq	 query;		/* decoded query arguments */
	const struct route	*route;
	char			*params[REQUEST_MAX_PARAMS];	/* decoded */
	char			 log_path[256];	/* tokens masked */
	struct timespec		 started;
	struct event		*deadline;	/* in r's own allocation */
	bool			 deadline_set;	/* by request_deadline() */
	struct db_query		*pending;
	request_db_cb		 pending_cb;
	char			*organiser;	/* token name, when authenticated */
	enum account_role	 role;		/* a token's scope or a session's
						 * role; ROLE_NONE: nobody */
	struct request_user	*user;		/* the console's, or NULL */
	request_fn		 resume;	/* after the session check */
	request_db_cb		 submit_cb;	/* registration_submit's caller */
	char			*email_key;	/* counted when the registration is */
	json_t			*body;		/* parsed JSON body */
	bool			 finished;
	bool			 not_configured; /* a 503 without Retry-After */
	/* called once as the request is freed: frees the handler's state,
	 * stops waiting (cache/answers.c) */
	request_cb		 cleanup;
	void			*cleanup_arg;

	/* who reads the answer: the route's face, or for an unknown path
	 * the client's Accept; an error is problem+json or a page */
	enum route_face		 face;
	struct form		*form;		/* parsed form body */

	/* streamed replies */
	enum request_stream_state stream;
	bool			 stream_gone;	/* the client hung up */
	bool			 stream_waiting; /* for stream_drained */
	request_cb		 stream_drained;
	void			*stream_arg;
	size_t			 stream_bytes;
	int			 stream_status;
};

struct request	*request_new(struct server *srv, struct http_req *ev);
/*
 * Shutting down: answers from now on close their connections, and the
 * loop ends as soon as no request is in flight and no reply is being
 * written, or after request_timeout + 1 s.  False if already under way.
 */
bool	request_drain(struct server *srv);
/* Requests not finished (those still hold their connections). */
int	request_inflight(const struct server *srv);
/* After the loop: frees what request_drain made. */
void	request_drain_free(struct server *srv);
/*
 * Runs fn(r), the request's first step.  A request it leaves unanswered
 * gets its deadline (request_timeout) then; one answered at once never
 * touches a timer.
 */
void	request_dispatch(struct request *r, request_fn fn);

/* Runs one statement for the request; cb gets the answer unless the
 * request was finished meanwhile. */
void	request_db(struct request *r, const char *sql, int nparams,
	    const char *const *params, request_db_cb cb);
/*
 * Opens a cursor (db_pool_cursor: declare is a DECLARE of db/sql.c) for
 * the request: cb gets each batch of SQL_CURSOR_BATCH rows; while
 * res->more, ask for the next with request_db_next().  Each batch has
 * the request's deadline (request_timeout) to come, counted anew.
 * Finishing the request closes the cursor.
 */
void	request_db_cursor(struct request *r, const char *declare,
	    int nparams, const char *const *params, request_db_cb cb);
void	request_db_next(struct request *r);
/* Stops (false) or restarts (true) the deadline, e.g. around work off
 * the loop that cannot be cancelled. */
void	request_deadline(struct request *r, bool on);
/* cb(r, arg) runs once when the request is freed, however it ends. */
void	request_on_free(struct request *r, request_cb cb, void *arg);

const char *request_header(struct request *r, const char *name);
void	request_add_header(struct request *r, const char *name,
	    const char *value);
const char *request_arg(struct request *r, const char *name);

/* Finishing: each frees the request. */
void	request_reply(struct request *r, int status, const char *ctype,
	    const char *body, size_t len);
/* The same without a copy: release(body, len, arg) runs once it is sent. */
void	request_reply_ref(struct request *r, int status, const char *ctype,
	    const char *body, size_t len, evbuffer_ref_cleanup_cb release,
	    void *arg);
void	request_problem(struct request *r, int status, const char *type,
	    const char *title, const char *detail, json_t *errors);
/* The one text column of a one-row result as JSON with status; without a
 * row 404 (not_found: its detail, or NULL); the failure otherwise. */
void	request_reply_row(struct request *r, const struct db_result *res,
	    int status, const char *not_found);
/* JSON text (SQL's, with its spacing) as an application/json answer,
 * compact and ending in a newline (render/json.h). */
void	request_reply_json(struct request *r, int status, const char *text,
	    size_t len);
/*
 * The one JSON column of a one-row answer, parsed: what a page's
 * statement answers.  NULL, with r answered (the failure, 404 for no
 * row or a NULL, 500 for what is not JSON), when there is none.
 */
json_t	*request_document(struct request *r, const struct db_result *res);
/*
 * An HTML page (render/page.h): the headers every page carries (a strict
 * Content-Security-Policy, no framing, no caching; secret: the address
 * holds a token, so no referrer), Content-Language, and h's text, which
 * is freed; 500 when h could not be built.
 */
void	request_reply_page(struct request *r, int status, struct html *h,
	    enum lang lang, bool secret);
/* The same headers alone, for another answer to a browser (a redirect). */
void	request_page_headers(struct request *r, bool secret);
/* A redirect (301, 303, ...) to location, a path of this site, with
 * those headers and a page that links it. */
void	request_redirect(struct request *r, int status, const char *location,
	    bool secret);
/*
 * Did this request come from a page of this site, as far as the browser
 * says?  Sec-Fetch-Site, when sent, must be same-origin (or none, typed
 * or bookmarked); Origin, when sent and not "null", must be public_url's
 * origin or the request's own Host.  The CSRF checks of forms start
 * here (handlers/site.c, http/session.c).
 */
bool	request_same_origin(struct request *r);
/* The reader's language: ?lang=, else Accept-Language, else Dutch.  lq
 * (may be NULL) gets the query that keeps a chosen one in links. */
enum lang request_lang(struct request *r, const char **lq);
void	request_invalid(struct request *r, json_t *errors);
void	request_not_found(struct request *r);
void	request_rate_limited(struct request *r, int retry_after);
/* The client's address as text ("" when unknown). */
const char *request_peer(struct request *r);
/*
 * The body and the validation errors as JSON texts, for an SQL function
 * that checks and writes in one call; errors is consumed.  false, the
 * request answered 500, if memory ran out.
 */
bool	request_json_texts(struct request *r, const json_t *body,
	    json_t *errors, char **text, char **errs);
/* 500: memory ran out making the answer. */
void	request_out_of_memory(struct request *r);
void	request_unavailable(struct request *r, const char *detail);
/* 503 without Retry-After: a setting this needs is missing. */
void	request_not_configured(struct request *r, const char *type,
	    const char *title, const char *detail);
/* Answers a failed database call: LKnnn refusals, 503, else 500. */
void	request_db_failed(struct request *r, const struct db_result *res);
/* Answers a refusal of an SQL function (db/result.h); takes its errors. */
void	request_refused(struct request *r, struct db_refusal *ref);

/*
 * Streaming: a reply sent while it is made, in chunks (HTTP/1.1
 * Transfer-Encoding: chunked), with "Connection: close".
 *
 * request_stream_start sends the status and headers (add your own
 * before); from then on request_reply and request_problem do nothing.
 * It returns false, having freed the request, when the client has gone.
 * request_stream_write sends buf's bytes as one chunk and empties buf;
 * it returns false when the client lags (output above
 * REQUEST_STREAM_HIGH_WATER): make nothing more until drained(r, arg)
 * is called.  request_stream_end finishes the reply and frees the
 * request: complete sends the last chunk; otherwise the connection is
 * closed without it, so that the client sees the reply is cut short.
 *
 * Should the client hang up, or the deadline pass while a batch is
 * awaited, the request ends itself (cut short) on a later loop turn:
 * the request_on_free callback is where a handler lets go of its state.
 */
#define REQUEST_STREAM_HIGH_WATER	(256 * 1024)

bool	request_stream_start(struct request *r, int status, const char *ctype,
	    request_cb drained, void *arg);
bool	request_stream_write(struct request *r, struct evbuffer *buf);
void	request_stream_end(struct request *r, bool complete);

const char *http_reason(int status);

#endif
