/*
 * http/server.c - the HTTP/1.1 server: listener, connections, reading requests
 * and writing replies (see http/server.h).
 *
 * A connection's input is one buffer, ibuf.  A request's head is parsed
 * in place there (its strings point into it), and its body follows the
 * head: a Content-Length body as it came, a chunked one decoded in place
 * as it comes.  Bytes after the request are the next, pipelined, request.
 * The buffer grows only while no request is parsed from it, or by moving
 * the parsed strings along with it, so they stay valid until the reply is
 * out.
 *
 * Replies are formatted into the connection's output evbuffer (bodies
 * from the answer cache by reference) and written at once with writev;
 * only what the socket does not take waits for a write event.  A cached
 * GET thus costs one read and one write.
 *
 * Timeouts are not timers: each connection has an expiry time, and one
 * sweep a second closes the expired.
 *
 * A connection is freed only from its own event callbacks (or the sweep),
 * never inside a call from a handler: those mark it and wake its write
 * event.
 */
#include "autoconf.h"

#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/listener.h>

#include "http/server.h"
#include "http/parse.h"
#include "base/log.h"
#include "base/util.h"

#define IBUF_MIN	4096		/* a connection's first input buffer */
#define IBUF_KEEP	(64 * 1024)	/* kept between requests, at most */
/*
 * After a refusal, what the client still sends is read and dropped (so
 * that it reads the answer, not a reset): while it keeps sending, at most
 * LINGER_MAX bytes (or a declared body and LINGER_SLACK, if less) within
 * LINGER_TIME seconds, each read within LINGER_IDLE of the last.
 */
#define LINGER_MAX	(16 * 1024 * 1024)
#define LINGER_SLACK	(1024 * 1024)
#define LINGER_TIME	5
#define LINGER_IDLE	2
#define TURN_REQUESTS	16		/* pipelined, taken in one loop turn */
#define ACCEPT_PAUSE	1		/* seconds, when out of descriptors */
#define PEER_BUCKETS	1024		/* of the per-address counts */

enum conn_state {
	C_HEAD,		/* waiting for, or reading, a request's head */
	C_BODY,		/* reading its body */
	C_HANDLER,	/* the handler has it, no reply yet */
	C_STREAM,	/* the handler is streaming the reply */
	C_WRITE,	/* the reply is complete; writing what is left */
	C_LINGER	/* after an error reply: reading until the client stops */
};

struct conn;

/*
 * The connections open from one address: an IPv4 address, or an IPv6
 * /64 (one subscriber's network; addresses within it cost nothing).
 */
struct peer {
	struct peer		*next;		/* in its bucket */
	size_t			 bucket;
	int			 family;
	unsigned char		 addr[8];	/* IPv4: the first 4 */
	int			 conns;
};

struct http_req {
	struct conn		*c;
	struct http_head	 head;
	bool			 parsed;	/* head is valid */
	int			 error;
	const char		*why;
	const char		*body;
	size_t			 body_len;
	bool			 chunked_out;	/* the reply is chunked */
	char			*ohdr;		/* "Name: value\r\n" lines */
	size_t			 ohdr_len, ohdr_cap;
	http_req_cb		 drained_cb, gone_cb, done_cb;
	void			*drained_arg, *gone_arg, *done_arg;
};

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	struct httpd		*h;
	evutil_socket_t		 fd;
	struct event		*ev_read, *ev_write;
	bool			 reading, writing;	/* events added */
	char			 peer[INET6_ADDRSTRLEN];
	struct peer		*from;		/* its count */
	enum conn_state		 state;
	time_t			 expires;	/* monotonic seconds; 0: never */
	bool			 keep_alive;	/* after this request */
	bool			 eof;		/* the client will send no more */
	bool			 dead;		/* fd closed; free when let go */
	bool			 holds;		/* a handler holds req */
	bool			 gone_told;
	bool			 processing;	/* in conn_process */
	bool			 queued;	/* whole requests may wait in ibuf
						   for the write callback */
	uint64_t		 linger_left;	/* bytes it may still drop */
	time_t			 linger_end;	/* and until when */

	char			*ibuf;
	size_t			 icap, ilen;
	size_t			 head_at;	/* where the current request starts */
	size_t			 body_at;	/* where its body starts */
	size_t			 raw_at;	/* chunked: the next undecoded byte */
	size_t			 next_at;	/* where the next request starts */
	size_t			 scanned;	/* of the head, without its end */
	struct http_chunked	 chunked;

	struct evbuffer		*out;
	struct http_req		 req;
};

TAILQ_HEAD(conn_list, conn);

struct httpd {
	struct event_base	*base;
	struct httpd_limits	 lim;
	http_req_cb		 cb;
	void			*cb_arg;
	struct evconnlistener	*listener;
	bool			 paused;	/* accepting stopped for a while */
	bool			 stopped;	/* for good */
	struct event		*sweep, *resume;
	struct conn_list	 conns;
	int			 nconns;
	struct peer		*peers[PEER_BUCKETS];
	uint64_t		 seed;
	time_t			 refused_at;	/* last said in the log */
	unsigned		 refused;	/* since then */
	char			 date[40];	/* the Date line's value */
	time_t			 date_at;
};

static bool	conn_process(struct conn *);
static void	conn_flush(struct conn *);
static void	conn_fail(struct conn *);
static void	conn_move(struct conn *, char *);

static time_t
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}

static const char *
http_date(struct httpd *h)
{
	time_t t = time(NULL);
	struct tm tm;

	if (t != h->date_at) {
		h->date_at = t;
		gmtime_r(&t, &tm);
		strftime(h->date, sizeof(h->date), HTTP_DATE_FORMAT, &tm);
	}
	return h->date;
}

/* -- connections ------------------------------------------------------ */

/* Adds or deletes one of c's events; *added says whether it is. */
static void
conn_event(struct conn *c, struct event *ev, bool *added, bool on)
{
	if (c->dead || *added == on)
		return;
	*added = on;
	if (on)
		event_add(ev, NULL);
	else
		event_del(ev);
}

static void
conn_read_on(struct conn *c, bool on)
{
	conn_event(c, c->ev_read, &c->reading, on);
}

static void
conn_write_on(struct conn *c, bool on)
{
	conn_event(c, c->ev_write, &c->writing, on);
}

/* Runs the write callback on this loop turn: to free or tell from there. */
static void
conn_wake(struct conn *c)
{
	event_active(c->ev_write, EV_TIMEOUT, 1);
}

static void
req_reset(struct http_req *req)
{
	char *ohdr = req->ohdr;
	size_t cap = req->ohdr_cap;
	struct conn *c = req->c;

	if (cap > 4096) {
		free(ohdr);
		ohdr = NULL;
		cap = 0;
	}
	memset(req, 0, sizeof(*req));
	req->c = c;
	req->ohdr = ohdr;
	req->ohdr_cap = cap;
	if (ohdr != NULL)
		ohdr[0] = '\0';	/* http_req_has_header reads it */
}

/* The count of sa's address (made if need be); NULL if out of memory. */
static struct peer *
peer_find(struct httpd *h, const struct sockaddr *sa)
{
	unsigned char addr[8] = { 0 };
	struct peer *p;
	size_t b;

	if (sa->sa_family == AF_INET)
		memcpy(addr, &((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr, 4);
	else if (sa->sa_family == AF_INET6)
		memcpy(addr, &((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr, 8);
	b = hash_mem(addr, sizeof(addr), h->seed ^ (uint64_t)sa->sa_family) %
	    PEER_BUCKETS;
	for (p = h->peers[b]; p != NULL; p = p->next)
		if (p->family == sa->sa_family &&
		    memcmp(p->addr, addr, sizeof(addr)) == 0)
			return p;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->bucket = b;
	p->family = sa->sa_family;
	memcpy(p->addr, addr, sizeof(addr));
	p->next = h->peers[b];
	h->peers[b] = p;
	return p;
}

/* One connection less from p; the count goes with the last. */
static void
peer_leave(struct httpd *h, struct peer *p)
{
	struct peer **pp;

	if (p == NULL || --p->conns > 0)
		return;
	for (pp = &h->peers[p->bucket]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	free(p);
}

static void
conn_free(struct conn *c)
{
	struct httpd *h = c->h;

	TAILQ_REMOVE(&h->conns, c, entry);
	h->nconns--;
	peer_leave(h, c->from);
	event_free(c->ev_read);
	event_free(c->ev_write);
	if (c->fd != -1)
		close(c->fd);
	evbuffer_free(c->out);
	free(c->ibuf);
	free(c->req.ohdr);
	free(c);
	if (h->listener != NULL && !h->stopped && !h->paused &&
	    h->nconns == h->lim.max_connections - 1)
		evconnlistener_enable(h->listener);
}

/* Frees c if it is dead and no handler holds it; true if it did. */
static bool
conn_reap(struct conn *c)
{
	if (!c->dead || c->holds)
		return false;
	conn_free(c);
	return true;
}

/* The reply is written, or never will be: its done callback. */
static void
conn_reply_done(struct conn *c)
{
	http_req_cb cb = c->req.done_cb;
	void *arg = c->req.done_arg;

	c->req.done_cb = NULL;
	if (cb != NULL)
		cb(&c->req, arg);
}

/*
 * The connection is over: its socket closes now.  A handler still holding
 * the request hears of it (gone) on a later turn; the memory goes when
 * it lets go.
 */
static void
conn_fail(struct conn *c)
{
	if (c->dead)
		return;
	conn_read_on(c, false);
	conn_write_on(c, false);
	c->dead = true;
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	evbuffer_drain(c->out, evbuffer_get_length(c->out));
	if (!c->holds)
		conn_reply_done(c);
	conn_wake(c);
}

/*
 * After an error reply: stop sending, read and drop what the client still
 * sends, then close.  A client that sends a whole body before it reads
 * anything (a 413 is answered as soon as the head is in) would otherwise
 * meet a reset, which loses the answer, while it still writes.  Bounded
 * (LINGER_*), and the connection counts toward max_connections all the
 * while.
 */
static void
conn_linger(struct conn *c)
{
	const struct http_head *hd = &c->req.head;
	uint64_t left;
	time_t now = now_sec();

	c->state = C_LINGER;
	c->linger_left = LINGER_MAX;
	if (c->req.parsed && !hd->chunked && hd->content_length > 0 &&
	    c->body_at <= c->ilen) {
		/* the rest of a declared body, and a little after it */
		left = (uint64_t)hd->content_length;
		left -= left < c->ilen - c->body_at ? left :
		    c->ilen - c->body_at;
		if (left + LINGER_SLACK < c->linger_left)
			c->linger_left = left + LINGER_SLACK;
	}
	c->linger_end = now + LINGER_TIME;
	c->expires = now + LINGER_IDLE;
	if (shutdown(c->fd, SHUT_WR) == -1 || c->eof) {
		conn_fail(c);
		return;
	}
	conn_read_on(c, true);
}

/* The reply is all written: on to the next request, or close. */
static void
conn_next(struct conn *c)
{
	size_t left;

	conn_reply_done(c);
	if (c->req.error != 0) {
		conn_linger(c);
		return;
	}
	if (!c->keep_alive || c->h->stopped ||
	    (c->eof && c->ilen == c->next_at)) {
		conn_fail(c);
		return;
	}
	req_reset(&c->req);
	/*
	 * The next request starts where this one ended: consumed by offset.
	 * Moving what is left to the front after every request cost the
	 * square of what a pipeline buffered; it moves only once the
	 * consumed prefix is at least as long as what is left (so each byte
	 * is moved at most once for every byte consumed), or to give back a
	 * large buffer.
	 */
	c->head_at = c->body_at = c->raw_at = c->next_at;
	left = c->ilen - c->head_at;
	if (left == 0)
		c->ilen = c->head_at = c->body_at = c->raw_at = c->next_at = 0;
	else if (c->head_at >= left ||
	    (c->icap > IBUF_KEEP && left <= IBUF_MIN))
		conn_move(c, c->ibuf);
	if (c->icap > IBUF_KEEP && left <= IBUF_MIN) {
		char *p = realloc(c->ibuf, IBUF_MIN);

		if (p != NULL) {
			c->ibuf = p;
			c->icap = IBUF_MIN;
		}
	}
	c->state = C_HEAD;
	c->expires = now_sec() + c->h->lim.idle_timeout;
	conn_read_on(c, true);
	/*
	 * A pipelined request waits for the write callback when the reply
	 * was made outside conn_process: the handler that made it is still
	 * on the stack, and the request it answered is being let go of.
	 */
	if (left > 0 && !c->processing) {
		c->queued = true;
		conn_wake(c);
	}
}

/* Writes what the socket takes now; the rest waits for the write event. */
static void
conn_flush(struct conn *c)
{
	bool sending = c->state == C_STREAM || c->state == C_WRITE;
	bool progress = false;
	int n;

	if (c->dead)
		return;
	while (evbuffer_get_length(c->out) > 0) {
		n = evbuffer_write(c->out, c->fd);
		if (n > 0) {
			progress = true;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			break;
		conn_fail(c);
		return;
	}
	if (evbuffer_get_length(c->out) > 0) {
		/* a reply that stops moving for idle_timeout ends */
		if (sending && (progress || c->expires == 0))
			c->expires = now_sec() + c->h->lim.idle_timeout;
		conn_write_on(c, true);
		return;
	}
	conn_write_on(c, false);
	if (sending)
		c->expires = 0;
	if (c->state == C_WRITE)
		conn_next(c);
	else if (c->state == C_STREAM && c->req.drained_cb != NULL)
		c->req.drained_cb(&c->req, c->req.drained_arg);
}

/* Moves the parsed head's strings along with ibuf, from old to now. */
static void
head_rebase(struct http_head *hd, const char *old, size_t len, char *now)
{
#define REBASE(p) do {							\
	if ((p) != NULL && (uintptr_t)(p) >= (uintptr_t)old &&		\
	    (uintptr_t)(p) < (uintptr_t)old + len)			\
		(p) = now + ((uintptr_t)(p) - (uintptr_t)old);		\
} while (0)
	int i;

	REBASE(hd->path);
	REBASE(hd->query);
	for (i = 0; i < hd->nfields; i++) {
		REBASE(hd->fields[i].name);
		REBASE(hd->fields[i].value);
	}
#undef REBASE
}

/*
 * Moves the input not yet consumed (from head_at) to the front of dst,
 * ibuf itself or a new buffer; the offsets and the parsed head follow.
 */
static void
conn_move(struct conn *c, char *dst)
{
	size_t off = c->head_at, len = c->ilen - off;

	if (len > 0 && dst != c->ibuf + off)
		memmove(dst, c->ibuf + off, len);
	if (c->req.parsed)
		head_rebase(&c->req.head, c->ibuf + off, len, dst);
	c->ilen = len;
	c->head_at = 0;
	/* offsets left behind by an earlier request are of no use */
	c->body_at = c->body_at >= off ? c->body_at - off : 0;
	c->raw_at = c->raw_at >= off ? c->raw_at - off : 0;
	c->next_at = c->next_at >= off ? c->next_at - off : 0;
}

/*
 * Room in ibuf for need bytes from head_at, the request being read, with
 * at most limit bytes of buffer; false if it cannot be.  Only while a
 * request is read (C_HEAD, C_BODY): a request being handled keeps its
 * strings where they are.  What is held moves to the front when that
 * makes the room (each byte at most once before it is consumed: after
 * the move nothing moves again until the request is), else to a buffer
 * twice as large.
 */
static bool
conn_room(struct conn *c, size_t need, size_t limit)
{
	size_t cap = c->icap > 0 ? c->icap : IBUF_MIN;
	char *p;

	if (c->head_at + need <= c->icap)
		return true;
	if (need > limit)
		return false;
	if (need <= c->icap) {
		conn_move(c, c->ibuf);
		return true;
	}
	while (cap < need)
		cap *= 2;
	if (cap > limit)
		cap = limit;
	if ((p = malloc(cap)) == NULL)
		return false;
	conn_move(c, p);
	free(c->ibuf);
	c->ibuf = p;
	c->icap = cap;
	return true;
}

/* Hands the request to the handler. */
static void
conn_dispatch(struct conn *c)
{
	c->state = C_HANDLER;
	c->holds = true;
	c->expires = 0;		/* the handler's deadline counts now */
	c->h->cb(&c->req, c->h->cb_arg);
}

/* The request cannot be read: the handler answers status, then we close. */
static void
conn_refuse(struct conn *c, int status, const char *why)
{
	c->req.error = status;
	c->req.why = why;
	c->keep_alive = false;
	conn_dispatch(c);
}

static size_t
conn_buffer_limit(const struct httpd *h)
{
	return h->lim.max_header_size + h->lim.max_body_size + 16384;
}

/*
 * How much input, from head_at, the connection may hold now: a head
 * within max_header_size, with whatever follows it; a body, and
 * max_header_size of what is pipelined behind it; while a request is
 * handled, max_header_size of what is pipelined behind it, and after a
 * refusal nothing more.  Reading stops there: no client can make the
 * daemon buffer megabytes of requests ahead (and walk through them).
 */
static size_t
conn_window(const struct conn *c)
{
	const struct http_head *hd = &c->req.head;
	size_t m = c->h->lim.max_header_size;

	switch (c->state) {
	case C_HEAD:
		return m;
	case C_BODY:
		if (hd->chunked)
			return conn_buffer_limit(c->h);
		return c->body_at - c->head_at + (size_t)hd->content_length +
		    m;
	default:
		if (c->req.error != 0 || c->next_at < c->head_at)
			return c->ilen - c->head_at;
		return c->next_at - c->head_at + m;
	}
}

/* The head is in ibuf at head_at, len bytes: parse it, see to the body. */
static void
conn_head(struct conn *c, size_t len)
{
	struct http_req *req = &c->req;
	struct http_head *hd = &req->head;
	int status;

	c->scanned = 0;
	status = http_head_parse(c->ibuf + c->head_at, len, hd);
	c->body_at = c->raw_at = c->head_at + len;
	if (status != 0) {
		conn_refuse(c, status, hd->error);
		return;
	}
	req->parsed = true;
	c->keep_alive = hd->keep_alive;
	if (hd->content_length > 0 &&
	    (uint64_t)hd->content_length > c->h->lim.max_body_size) {
		conn_refuse(c, 413, NULL);
		return;
	}
	if (!hd->chunked && hd->content_length <= 0) {
		req->body = c->ibuf + c->body_at;
		c->next_at = c->body_at;
		conn_dispatch(c);
		return;
	}
	memset(&c->chunked, 0, sizeof(c->chunked));
	c->state = C_BODY;
	c->expires = now_sec() + c->h->lim.idle_timeout;
	if (hd->expect_continue && hd->minor == 1 && c->ilen == c->body_at) {
		evbuffer_add(c->out, "HTTP/1.1 100 Continue\r\n\r\n", 25);
		conn_flush(c);
	}
}

/* Takes what has come of the body; dispatches once it is all in. */
static void
conn_body(struct conn *c)
{
	struct http_req *req = &c->req;
	struct http_head *hd = &req->head;
	size_t have, out;
	long n;

	if (!hd->chunked) {
		have = c->ilen - c->body_at;
		if (have < (size_t)hd->content_length) {
			if (!conn_room(c, c->body_at - c->head_at +
			    (size_t)hd->content_length, conn_buffer_limit(c->h)))
				conn_refuse(c, 413, NULL);
			return;
		}
		req->body = c->ibuf + c->body_at;
		req->body_len = (size_t)hd->content_length;
		c->next_at = c->body_at + req->body_len;
		conn_dispatch(c);
		return;
	}
	/* decode in place: the body grows at body_at, the raw bytes shift
	 * down to follow it */
	n = http_chunked_decode(&c->chunked, c->ibuf + c->raw_at,
	    c->ilen - c->raw_at, c->ibuf + c->body_at + req->body_len, &out);
	if (n < 0) {
		conn_refuse(c, 400, "The chunked body is malformed.");
		return;
	}
	req->body_len += out;
	c->raw_at += (size_t)n;
	if (req->body_len > c->h->lim.max_body_size) {
		conn_refuse(c, 413, NULL);
		return;
	}
	have = c->ilen - c->raw_at;
	memmove(c->ibuf + c->body_at + req->body_len, c->ibuf + c->raw_at,
	    have);
	c->raw_at = c->body_at + req->body_len;
	c->ilen = c->raw_at + have;
	if (!c->chunked.done)
		return;
	req->body = c->ibuf + c->body_at;
	c->next_at = c->raw_at;
	conn_dispatch(c);
}

/* How many of the n bytes at p, from the first, are CR or LF. */
static size_t
crlf_span(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && (p[i] == '\r' || p[i] == '\n'); i++)
		;
	return i;
}

/*
 * Reads requests out of ibuf while there are whole ones to read, at most
 * TURN_REQUESTS of them: the rest wait for the write callback on a later
 * loop turn, so that a long pipeline answered at once cannot keep the
 * loop from other connections.  True if it stopped there.
 */
static bool
conn_process(struct conn *c)
{
	size_t len, held;
	int taken = 0;
	bool more = false;

	c->processing = true;
	c->queued = false;
	while (!c->dead) {
		if (c->state == C_HEAD) {
			/* empty lines before a request line are allowed */
			c->head_at += crlf_span(c->ibuf + c->head_at,
			    c->ilen - c->head_at);
			if (c->head_at == c->ilen) {
				c->ilen = c->head_at = 0;
				break;
			}
			if (taken == TURN_REQUESTS) {
				c->queued = more = true;
				conn_wake(c);
				break;
			}
			/* a head that comes in pieces is searched once, not
			 * again from its start for every piece */
			held = c->ilen - c->head_at;
			len = http_head_length(c->ibuf + c->head_at +
			    c->scanned, held - c->scanned);
			if (len > 0)
				len += c->scanned;
			else
				c->scanned = held > 2 ? held - 2 : 0;
			if (len == 0 && held < c->h->lim.max_header_size)
				break;
			if (len == 0 || len > c->h->lim.max_header_size) {
				const char *why;
				int status;

				status = http_head_too_large(c->ibuf +
				    c->head_at, held, &why);
				conn_refuse(c, status, why);
				break;
			}
			taken++;
			conn_head(c, len);
		} else if (c->state == C_BODY) {
			size_t before = c->ilen;

			conn_body(c);
			if (c->state == C_BODY && c->ilen == before)
				break;
			if (c->state == C_BODY)
				continue;
		} else
			break;
	}
	c->processing = false;
	return more;
}

static void
conn_readcb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	size_t limit, want, span, held, room;
	bool reading;
	ssize_t n;

	(void)what;
	if (c->state == C_LINGER) {
		/* one for all: what is read here is dropped */
		static char sink[64 * 1024];
		time_t now;

		n = read(fd, sink, c->linger_left < sizeof(sink) ?
		    (size_t)c->linger_left : sizeof(sink));
		if (n > 0 && (c->linger_left -= (uint64_t)n) > 0) {
			now = now_sec();
			c->expires = now + LINGER_IDLE < c->linger_end ?
			    now + LINGER_IDLE : c->linger_end;
			return;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		/* the end, an error, or all it may drop */
		conn_fail(c);
		conn_reap(c);
		return;
	}
	/*
	 * Whole requests wait here, for the write callback (conn_next made
	 * way for them outside conn_process, or conn_process stopped at
	 * TURN_REQUESTS): they go first.  So what is held while a head is
	 * read is that head alone, and making room moves only its bytes.
	 */
	if (c->state == C_HEAD && c->queued)
		return;
	span = conn_window(c);
	held = c->ilen - c->head_at;
	if (c->state == C_HEAD && held >= span) {
		/* conn_process leaves no head whole or this long unread;
		 * should one be, it takes it (a request, or a 431) */
		conn_process(c);
		conn_reap(c);
		return;
	}
	reading = c->state == C_HEAD || c->state == C_BODY;
	if (held < span && c->ilen == c->icap && reading) {
		/* double what is held, at least IBUF_MIN more, within the
		 * window and the limit */
		limit = c->state == C_HEAD ? c->h->lim.max_header_size :
		    conn_buffer_limit(c->h);
		want = held + (held > IBUF_MIN ? held : IBUF_MIN);
		if (want > span)
			want = span;
		if (want > limit)
			want = limit;
		if (want <= held || !conn_room(c, want, limit))
			held = span;	/* full: too large */
	}
	if (held >= span || c->ilen == c->icap) {
		if (!reading) {
			/* a request being handled keeps its buffer where it
			 * is, and what is pipelined behind it waits in the
			 * kernel once the window is full */
			conn_read_on(c, false);
			return;
		}
		/* conn_process refuses most before */
		conn_refuse(c, c->state == C_HEAD ? 431 : 413,
		    c->state == C_HEAD ? "The request head is too large." :
		    NULL);
		conn_reap(c);
		return;
	}
	room = c->head_at + span < c->icap ? c->head_at + span - c->ilen :
	    c->icap - c->ilen;
	n = read(fd, c->ibuf + c->ilen, room);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		conn_fail(c);
		conn_reap(c);
		return;
	}
	if (n == 0) {
		c->eof = true;
		conn_read_on(c, false);
		/*
		 * Whole requests may still wait here: conn_next has made way
		 * for them after an answer from outside conn_process, and the
		 * write callback that takes them has not run yet.  They are
		 * answered; only what is left after them is half a request.
		 * (Past TURN_REQUESTS the write callback takes the rest, and
		 * conn_next reads the end again after the last.)
		 */
		if (c->state == C_HEAD && c->ilen > 0 && conn_process(c))
			;
		else if (!c->dead && (c->state == C_HEAD ||
		    c->state == C_BODY))
			/* nothing, or half a request: no one to answer */
			conn_fail(c);
		/* else the reply goes out; the connection closes after */
		conn_reap(c);
		return;
	}
	/*
	 * A head has idle_timeout from its first byte to come whole.  The
	 * empty lines allowed before it are none of it: they leave the
	 * connection as idle as it was, or a client could keep it forever
	 * with one every few seconds.
	 */
	if (c->state == C_HEAD && c->ilen == c->head_at &&
	    crlf_span(c->ibuf + c->ilen, (size_t)n) < (size_t)n)
		c->expires = now_sec() + c->h->lim.idle_timeout;
	c->ilen += (size_t)n;
	if (c->state == C_HEAD || c->state == C_BODY)
		conn_process(c);
	conn_reap(c);
}

static void
conn_writecb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	if (c->dead) {
		if (c->holds && !c->gone_told && c->req.gone_cb != NULL) {
			c->gone_told = true;
			c->req.gone_cb(&c->req, c->req.gone_arg);
		}
		conn_reap(c);
		return;
	}
	if (what & EV_WRITE)
		conn_flush(c);
	if (!c->dead && c->state == C_HEAD && c->ilen > 0)
		conn_process(c);
	conn_reap(c);
}

static void
httpd_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct httpd *h = arg;
	struct peer *from;
	struct conn *c;
	time_t now;

	(void)l;
	(void)salen;
	if ((from = peer_find(h, sa)) == NULL) {
		close(fd);
		return;
	}
	if (h->lim.max_per_address > 0 &&
	    from->conns >= h->lim.max_per_address) {
		/* closed at once, unread: its address has its share open */
		close(fd);
		h->refused++;
		if ((now = now_sec()) != h->refused_at) {
			log_warnx("%u connection%s refused: one address had %d "
			    "open (max_connections_per_address)", h->refused,
			    h->refused == 1 ? "" : "s", from->conns);
			h->refused_at = now;
			h->refused = 0;
		}
		return;
	}
	from->conns++;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->out = evbuffer_new()) == NULL ||
	    (c->ev_read = event_new(h->base, fd, EV_READ | EV_PERSIST,
	    conn_readcb, c)) == NULL ||
	    (c->ev_write = event_new(h->base, fd, EV_WRITE | EV_PERSIST,
	    conn_writecb, c)) == NULL) {
		log_warnx("out of memory for a new connection");
		if (c != NULL) {
			if (c->ev_read != NULL)
				event_free(c->ev_read);
			if (c->out != NULL)
				evbuffer_free(c->out);
			free(c);
		}
		peer_leave(h, from);
		close(fd);
		return;
	}
	c->h = h;
	c->from = from;
	c->fd = fd;
	c->req.c = c;
	c->state = C_HEAD;
	c->expires = now_sec() + h->lim.idle_timeout;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)sa)->sin_addr,
		    c->peer, sizeof(c->peer));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((struct sockaddr_in6 *)(void *)sa)->sin6_addr, c->peer,
		    sizeof(c->peer));
	TAILQ_INSERT_TAIL(&h->conns, c, entry);
	if (++h->nconns >= h->lim.max_connections)
		evconnlistener_disable(h->listener);
	conn_read_on(c, true);
}

static void
httpd_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct httpd *h = arg;

	(void)fd;
	(void)what;
	h->paused = false;
	if (h->listener != NULL && !h->stopped &&
	    h->nconns < h->lim.max_connections)
		evconnlistener_enable(h->listener);
}

/* accept(2) failed: out of descriptors (or worse).  Stop accepting for a
 * second instead of trying again at once, over and over. */
static void
httpd_accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct httpd *h = arg;
	struct timeval tv = { ACCEPT_PAUSE, 0 };
	int err = EVUTIL_SOCKET_ERROR();

	if (err == EINTR || err == EAGAIN || err == ECONNABORTED)
		return;
	log_warnx("cannot accept connections (%s); pausing for %d s with %d "
	    "open", evutil_socket_error_to_string(err), ACCEPT_PAUSE,
	    h->nconns);
	evconnlistener_disable(l);
	h->paused = true;
	evtimer_add(h->resume, &tv);
}

/* Once a second: closes the connections past their time. */
static void
httpd_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct httpd *h = arg;
	struct conn *c, *next;
	time_t now = now_sec();

	(void)fd;
	(void)what;
	for (c = TAILQ_FIRST(&h->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->dead || c->expires == 0 || now < c->expires)
			continue;
		conn_fail(c);
		conn_reap(c);
	}
}

struct httpd *
httpd_new(struct event_base *base, const struct httpd_limits *limits,
    http_req_cb cb, void *arg)
{
	struct httpd *h;
	struct timeval sec = { 1, 0 };

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->base = base;
	h->lim = *limits;
	h->cb = cb;
	h->cb_arg = arg;
	h->seed = ((uint64_t)random() << 32) ^ (uint64_t)random();
	TAILQ_INIT(&h->conns);
	if ((h->sweep = event_new(base, -1, EV_PERSIST, httpd_sweep_cb, h)) ==
	    NULL || (h->resume = evtimer_new(base, httpd_resume_cb, h)) ==
	    NULL || event_add(h->sweep, &sec) == -1) {
		httpd_free(h);
		return NULL;
	}
	return h;
}

bool
httpd_listen(struct httpd *h, const char *host, int port)
{
	struct evutil_addrinfo hints, *ai = NULL;
	char service[16];
	int one = 1, err;
	evutil_socket_t fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_PASSIVE;
	str_put_uint(service, sizeof(service), 0, (unsigned)port);
	if ((err = evutil_getaddrinfo(host, service, &hints, &ai)) != 0) {
		log_warnx("cannot listen on %s: %s", host,
		    evutil_gai_strerror(err));
		return false;
	}
	h->listener = evconnlistener_new_bind(h->base, httpd_accept_cb, h,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    SOMAXCONN, ai->ai_addr, (int)ai->ai_addrlen);
	evutil_freeaddrinfo(ai);
	if (h->listener == NULL) {
		log_warn("cannot listen on %s port %d", host, port);
		return false;
	}
	evconnlistener_set_error_cb(h->listener, httpd_accept_error_cb);
	/*
	 * Answers larger than one segment (a feed, an export) end in a small
	 * segment that Nagle holds back until the client's delayed ACK: 40
	 * ms each.  Accepted sockets inherit TCP_NODELAY from this one.
	 */
	fd = evconnlistener_get_fd(h->listener);
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		log_warn("TCP_NODELAY");
	return true;
}

void
httpd_stop_listening(struct httpd *h)
{
	struct conn *c, *next;

	h->stopped = true;
	if (h->listener != NULL)
		evconnlistener_free(h->listener);
	h->listener = NULL;
	for (c = TAILQ_FIRST(&h->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (!c->dead && c->state == C_HEAD && c->ilen == c->head_at) {
			conn_fail(c);
			conn_reap(c);
		}
	}
}

int
httpd_connections(const struct httpd *h)
{
	return h->nconns;
}

void
httpd_free(struct httpd *h)
{
	struct conn *c;

	if (h == NULL)
		return;
	if (h->listener != NULL)
		evconnlistener_free(h->listener);
	h->listener = NULL;
	h->stopped = true;
	while ((c = TAILQ_FIRST(&h->conns)) != NULL) {
		c->holds = false;
		conn_fail(c);
		conn_free(c);
	}
	if (h->sweep != NULL)
		event_free(h->sweep);
	if (h->resume != NULL)
		event_free(h->resume);
	free(h);
}

/* -- the request, for http/dispatch.c and request.c ----------------------------- */

/* A refused head may be read in part: what was read is there. */
enum evhttp_cmd_type
http_req_method(const struct http_req *req)
{
	return req->head.method;
}

const char *
http_req_path(const struct http_req *req)
{
	return req->head.path;
}

const char *
http_req_query(const struct http_req *req)
{
	return req->head.query;
}

const char *
http_req_header(const struct http_req *req, const char *name)
{
	return http_head_field(&req->head, name);
}

const char *
http_req_body(const struct http_req *req, size_t *len)
{
	*len = req->body_len;
	return req->body != NULL ? req->body : "";
}

int
http_req_error(const struct http_req *req, const char **why)
{
	*why = req->why;
	return req->error;
}

const char *
http_req_peer(const struct http_req *req)
{
	return req->c->peer;
}

static bool
ohdr_put(struct http_req *req, const char *s, size_t n)
{
	if (req->ohdr_len + n + 1 > req->ohdr_cap) {
		size_t cap = req->ohdr_cap > 0 ? req->ohdr_cap : 512;
		char *p;

		while (cap < req->ohdr_len + n + 1)
			cap *= 2;
		if ((p = realloc(req->ohdr, cap)) == NULL)
			return false;
		req->ohdr = p;
		req->ohdr_cap = cap;
	}
	memcpy(req->ohdr + req->ohdr_len, s, n);
	req->ohdr_len += n;
	req->ohdr[req->ohdr_len] = '\0';
	return true;
}

void
http_req_add_header(struct http_req *req, const char *name,
    const char *value)
{
	size_t len = req->ohdr_len;

	if (strpbrk(name, "\r\n:") != NULL || strpbrk(value, "\r\n") != NULL) {
		log_warnx("a reply header with a line break was dropped");
		return;
	}
	if (strcasecmp(name, "Connection") == 0) {
		if (strcasecmp(value, "close") == 0)
			req->c->keep_alive = false;
		return;		/* the server writes its own */
	}
	if (!ohdr_put(req, name, strlen(name)) || !ohdr_put(req, ": ", 2) ||
	    !ohdr_put(req, value, strlen(value)) || !ohdr_put(req, "\r\n", 2)) {
		req->ohdr_len = len;
		if (req->ohdr != NULL)
			req->ohdr[len] = '\0';
	}
}

bool
http_req_has_header(const struct http_req *req, const char *name)
{
	size_t n = strlen(name);
	const char *p = req->ohdr;

	if (p == NULL)
		return false;
	while (*p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			return true;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
	}
	return false;
}

/* The status line and headers of the reply. */
static void
reply_head(struct http_req *req, int status, const char *reason,
    size_t len, bool length)
{
	struct conn *c = req->c;
	char line[256];
	size_t n;

	n = str_put(line, sizeof(line), 0, "HTTP/1.1 ", 9);
	n = str_put_uint(line, sizeof(line), n, (unsigned)status);
	n = str_put(line, sizeof(line), n, " ", 1);
	n = str_put(line, sizeof(line), n, reason, strlen(reason));
	n = str_put(line, sizeof(line), n, "\r\nDate: ", 8);
	n = str_put(line, sizeof(line), n, http_date(c->h), 29);
	n = str_put(line, sizeof(line), n, "\r\n", 2);
	evbuffer_add(c->out, line, n);
	if (req->ohdr_len > 0)
		evbuffer_add(c->out, req->ohdr, req->ohdr_len);
	n = 0;
	if (length) {
		n = str_put(line, sizeof(line), n, "Content-Length: ", 16);
		n = str_put_uint(line, sizeof(line), n, len);
		n = str_put(line, sizeof(line), n, "\r\n", 2);
	} else if (req->chunked_out)
		n = str_put(line, sizeof(line), n,
		    "Transfer-Encoding: chunked\r\n", 28);
	if (!c->keep_alive)
		n = str_put(line, sizeof(line), n, "Connection: close\r\n", 19);
	else if (req->head.minor == 0)
		n = str_put(line, sizeof(line), n,
		    "Connection: keep-alive\r\n", 24);
	n = str_put(line, sizeof(line), n, "\r\n", 2);
	evbuffer_add(c->out, line, n);
}

/* The handler lets go: the connection carries on without it. */
static void
req_release(struct http_req *req)
{
	struct conn *c = req->c;

	c->holds = false;
	if (c->dead) {
		conn_reply_done(c);
		conn_wake(c);
	}
}

void
http_reply(struct http_req *req, int status, const char *reason,
    const char *body, size_t len, evbuffer_ref_cleanup_cb release,
    void *arg)
{
	struct conn *c = req->c;
	bool bodiless = status == 204 || status == 304 || status < 200;
	/* a refused request is a HEAD too if its request line said so
	 * (the method is 0 where it was not read) */
	bool head = req->head.method == EVHTTP_REQ_HEAD;

	if (c->dead || c->state != C_HANDLER) {
		if (release != NULL)
			release(body, len, arg);
		req_release(req);
		return;
	}
	reply_head(req, status, reason, len, !bodiless);
	if (bodiless || head || len == 0) {
		if (release != NULL)
			release(body, len, arg);
	} else if (release != NULL) {
		if (evbuffer_add_reference(c->out, body, len, release, arg) ==
		    -1) {
			release(body, len, arg);
			c->keep_alive = false;
		}
	} else if (evbuffer_add(c->out, body, len) == -1)
		c->keep_alive = false;
	c->state = C_WRITE;
	req_release(req);
	conn_flush(c);
}

void
http_reply_start(struct http_req *req, int status, const char *reason)
{
	struct conn *c = req->c;

	if (c->dead || c->state != C_HANDLER)
		return;
	/*
	 * A length the handler knows goes out as it is (the body must then
	 * have it).  Otherwise chunks; for HTTP/1.0 and HEAD the end is the
	 * connection's.
	 */
	if (http_req_has_header(req, "Content-Length"))
		;
	else if (req->head.minor == 1 && req->head.method != EVHTTP_REQ_HEAD)
		req->chunked_out = true;
	else
		c->keep_alive = false;
	reply_head(req, status, reason, 0, false);
	c->state = C_STREAM;
	conn_flush(c);
}

void
http_reply_chunk(struct http_req *req, struct evbuffer *buf)
{
	struct conn *c = req->c;
	size_t n = evbuffer_get_length(buf);
	char line[32];
	size_t l = 0;
	int shift;

	if (c->dead || c->state != C_STREAM || n == 0 ||
	    req->head.method == EVHTTP_REQ_HEAD) {
		evbuffer_drain(buf, n);
		return;
	}
	if (req->chunked_out) {
		for (shift = 60; shift > 0 && ((n >> shift) & 0xf) == 0;
		    shift -= 4)
			;
		for (; shift >= 0; shift -= 4)
			line[l++] = "0123456789abcdef"[(n >> shift) & 0xf];
		line[l++] = '\r';
		line[l++] = '\n';
		evbuffer_add(c->out, line, l);
	}
	evbuffer_add_buffer(c->out, buf);
	if (req->chunked_out)
		evbuffer_add(c->out, "\r\n", 2);
	conn_flush(c);
}

bool
http_req_connected(const struct http_req *req)
{
	return !req->c->dead;
}

size_t
http_req_unsent(const struct http_req *req)
{
	return evbuffer_get_length(req->c->out);
}

void
http_reply_end(struct http_req *req)
{
	struct conn *c = req->c;

	if (c->dead || c->state != C_STREAM) {
		req_release(req);
		return;
	}
	if (req->chunked_out)
		evbuffer_add(c->out, "0\r\n\r\n", 5);
	c->state = C_WRITE;
	req_release(req);
	conn_flush(c);
}

void
http_req_abort(struct http_req *req)
{
	struct conn *c = req->c;

	conn_fail(c);
	req_release(req);
}

void
http_req_on_drained(struct http_req *req, http_req_cb cb, void *arg)
{
	req->drained_cb = cb;
	req->drained_arg = arg;
}

void
http_req_on_gone(struct http_req *req, http_req_cb cb, void *arg)
{
	struct conn *c = req->c;

	req->gone_cb = cb;
	req->gone_arg = arg;
	/* gone before anyone listened (the wake found no one to tell):
	 * told on a later turn all the same */
	if (cb != NULL && c->dead && c->holds && !c->gone_told)
		conn_wake(c);
}

void
http_req_on_done(struct http_req *req, http_req_cb cb, void *arg)
{
	req->done_cb = cb;
	req->done_arg = arg;
}
