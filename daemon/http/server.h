/*
 * http/server.h - the HTTP/1.1 server underneath http/dispatch.c: a listener and its
 * connections, read, parsed (http/parse.c) and written by the daemon itself
 * on the event loop.
 *
 * A connection reads one request at a time; when its head and body are
 * in, the request callback gets it (struct http_req), and the connection
 * waits until the handler has answered it with http_reply(), or started
 * a streamed answer with http_reply_start() and ended it.  Requests a
 * client pipelines wait in the connection's buffer, in order.  Replies
 * are written at once where the socket takes them, the rest when it is
 * writable again.
 *
 * A request that cannot be read (http/parse.h lists why, plus a head over
 * max_header_size, 431, and a body over max_body_size, 413) still reaches
 * the callback, with http_req_error() saying what to answer; the
 * connection closes after that answer.
 *
 * Limits: max_connections at once (beyond it, new ones wait in the
 * kernel's backlog); max_per_address from one IPv4 address or IPv6 /64
 * (beyond it, a new one is closed at once, unread); a head must be
 * complete within idle_timeout of its first byte, a body within
 * idle_timeout of its head; an idle keep-alive connection closes after
 * idle_timeout; a reply that makes no progress for idle_timeout ends its
 * connection.
 */
#ifndef LEERKANS_HTTPD_H
#define LEERKANS_HTTPD_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>	/* enum evhttp_cmd_type */

struct httpd;
struct http_req;

typedef void (*http_req_cb)(struct http_req *, void *);

struct httpd_limits {
	size_t	max_header_size;
	size_t	max_body_size;
	int	idle_timeout;		/* seconds */
	int	max_connections;
	int	max_per_address;	/* 0: no limit */
};

struct httpd	*httpd_new(struct event_base *base,
		    const struct httpd_limits *limits, http_req_cb cb,
		    void *arg);
/* Listens on host:port; false, with the reason logged, if it cannot. */
bool	httpd_listen(struct httpd *h, const char *host, int port);
/* Stops accepting and closes the connections waiting for a request. */
void	httpd_stop_listening(struct httpd *h);
int	httpd_connections(const struct httpd *h);
/* Closes every connection; no handler may still hold a request. */
void	httpd_free(struct httpd *h);

/* The request, as read.  Strings live as long as the request. */
enum evhttp_cmd_type http_req_method(const struct http_req *req);
const char *http_req_path(const struct http_req *req);	/* NULL if unread */
const char *http_req_query(const struct http_req *req);	/* NULL if none */
const char *http_req_header(const struct http_req *req, const char *name);
const char *http_req_body(const struct http_req *req, size_t *len);
/* The status the request must be answered with, and why; 0 if none. */
int	http_req_error(const struct http_req *req, const char **why);
/* The client's numeric address. */
const char *http_req_peer(const struct http_req *req);

/*
 * Adds a header line to the reply.  Content-Length, Date and the
 * connection's own Connection line are the server's; a value with a
 * line break is dropped.  "Connection: close" also closes the
 * connection after the reply.
 */
void	http_req_add_header(struct http_req *req, const char *name,
	    const char *value);
bool	http_req_has_header(const struct http_req *req, const char *name);

/*
 * Answers req with status and the len bytes at body: copied, or (with
 * release) sent from where they are, release(body, len, arg) running once
 * they are out or never will be.  A HEAD request gets the head only,
 * with the Content-Length of the body.  The handler lets go of req.
 */
void	http_reply(struct http_req *req, int status, const char *reason,
	    const char *body, size_t len, evbuffer_ref_cleanup_cb release,
	    void *arg);

/* A streamed answer: chunked for HTTP/1.1, to the close for HTTP/1.0;
 * plain if the handler added a Content-Length (the chunks must add up to
 * it). */
void	http_reply_start(struct http_req *req, int status, const char *reason);
/* Queues the bytes of buf (which is left empty). */
void	http_reply_chunk(struct http_req *req, struct evbuffer *buf);
/* Is the client still there?  (Once not, http_req_on_gone's cb comes.) */
bool	http_req_connected(const struct http_req *req);
/* Bytes queued and not yet taken by the socket. */
size_t	http_req_unsent(const struct http_req *req);
/* Ends the stream; the handler lets go of req. */
void	http_reply_end(struct http_req *req);
/* Cuts the answer short: the connection is closed, nothing more sent, and
 * the handler lets go of req. */
void	http_req_abort(struct http_req *req);

/* cb(req, arg) each time everything queued has been written. */
void	http_req_on_drained(struct http_req *req, http_req_cb cb, void *arg);
/* cb(req, arg) once, on a later loop turn, if the client goes away while
 * the handler holds req; the handler must then let go of it (with any of
 * the calls above, which then send nothing). */
void	http_req_on_gone(struct http_req *req, http_req_cb cb, void *arg);
/* cb(req, arg) once the reply is written, or never will be; req may not
 * be used in it. */
void	http_req_on_done(struct http_req *req, http_req_cb cb, void *arg);

#endif
