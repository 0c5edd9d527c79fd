/*
 * db/pool.c - asynchronous libpq connections and the pool that shares them.
 *
 * Each connection is a small state machine driven by its socket and one
 * timer:
 *
 *	DOWN --timer--> CONNECTING --PQconnectPoll ok--> SETUP --> IDLE
 *	IDLE --work--> BUSY --results drained--> IDLE
 *	BUSY --a cursor's batch--> HELD --db_cursor_next--> BUSY
 *	BUSY --a cursor's COMMIT or ROLLBACK done--> IDLE
 *	any --error, EOF, timeout--> DOWN (reconnect after a back-off)
 *
 * With db_pool_listen, every connection sends the LISTEN statement after
 * SETUP and is up when that is done (SETUP --> SUBSCRIBE --> IDLE).  One
 * more connection, the listener, takes no work: it is what the callback
 * trusts to hear every notification (DB_LISTEN_UP when it is IDLE,
 * DB_LISTEN_DOWN when it goes).  The others listen for the daemon's own
 * writes: PostgreSQL sends a session's own notifications before the
 * statement's end, so they reach the callback before the answer reaches
 * the work's callback, and a request that changed something never finds
 * that change missing from what it reads next.
 *
 * A cursor (db_pool_cursor) runs as a sequence of statements on the
 * connection it was given, those of db/sql.c that leerkansctl runs too:
 * sql_cursor_begin, the caller's DECLARE, sql_cursor_fetch...,
 * sql_commit (sql_rollback when it fails or is cancelled).  Between two
 * batches the connection is HELD: idle inside the cursor's transaction,
 * its socket still watched, and given to no other work.
 *
 * Idle connections keep their socket armed for reading, so a server that
 * goes away is noticed at once.  While no connection is up, work fails at
 * once with DB_UNAVAILABLE (the daemon answers 503) instead of waiting.
 * Blocking libpq calls (PQconnectdb, PQexec, PQreset, PQgetResult on a
 * busy connection) are never used here.
 */
#include "autoconf.h"

#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/config.h"
#include "db/pool.h"
#include "base/log.h"
#include "db/sql.h"

#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	5000
#define QUEUE_MAX	10000

enum db_conn_state {
	CONN_DOWN,
	CONN_CONNECTING,
	CONN_SETUP,
	CONN_SUBSCRIBE,		/* LISTEN sent (db_pool_listen) */
	CONN_IDLE,
	CONN_BUSY,
	CONN_HELD		/* a cursor waits for db_cursor_next */
};

enum db_cursor_step {
	CUR_BEGIN,		/* BEGIN sent */
	CUR_DECLARE,		/* DECLARE sent */
	CUR_FETCH,		/* FETCH sent */
	CUR_WAIT,		/* a batch delivered; the connection is HELD */
	CUR_END			/* COMMIT or ROLLBACK sent; nothing more to deliver */
};

enum db_query_where {
	Q_QUEUED,		/* waiting for a free connection */
	Q_SENT,			/* on a connection */
	Q_FAILING		/* failing on the next loop turn */
};

struct db_query {
	TAILQ_ENTRY(db_query)	 entry;
	struct db_pool		*pool;
	enum db_query_where	 where;
	const char		*sql;
	int			 nparams;
	char			**params;
	db_done_cb		 cb;
	void			*arg;
	struct event		*timer;	/* queue timeout; failing; next batch */

	/* cursors only: sql is the DECLARE */
	bool			 cursor;
	enum db_cursor_step	 step;
	struct db_conn		*conn;		/* while sent */
};

struct db_conn {
	struct db_pool		*pool;
	int			 index;
	bool			 listener;	/* takes no work; LISTENs */
	enum db_conn_state	 state;
	PGconn			*pg;
	struct event		*io;
	evutil_socket_t		 io_fd;
	short			 io_what;
	struct event		*timer;
	int			 backoff_ms;
	struct db_query		*query;	/* in flight; NULL during SETUP */
	PGresult		*last;
};

struct db_pool {
	struct event_base	*base;
	const struct settings	*s;
	struct db_conn		*conns;
	int			 nconns;
	int			 up;
	bool			 down;	/* no connection, and trying failed */
	bool			 said_down;
	TAILQ_HEAD(, db_query)	 queue;
	int			 queued;
	int			 held;		/* connections a cursor holds */
	int			 max_held;
	char			 statement_timeout[32];
	struct db_conn		*listener;	/* NULL: not listening */
	const char		*listen_sql;
	db_notify_cb		 notify_cb;
	void			*notify_arg;
	bool			 listening;	/* the listener is IDLE */
	bool			 listener_said_down;
	char			 idle_in_transaction[32];
	char			 hostaddr[INET6_ADDRSTRLEN];	/* "" = libpq's */
};

static void	db_conn_start(struct db_conn *);
static void	db_conn_lost(struct db_conn *, const char *);
static void	db_pool_dispatch(struct db_pool *);
static void	db_query_fail_later(struct db_query *);
static void	db_conn_io_cb(evutil_socket_t, short, void *);
static void	db_cursor_step(struct db_conn *, struct db_query *,
		    enum db_status, PGresult *);

static void
db_query_free(struct db_query *q)
{
	if (q->timer != NULL)
		event_free(q->timer);
	free(q->params);
	free(q);
}

static void
db_query_deliver(struct db_query *q, enum db_status status, PGresult *res)
{
	struct db_result r;

	r.status = status;
	r.res = res;
	r.sqlstate = NULL;
	r.more = false;
	if (status == DB_ERROR && res != NULL)
		r.sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (status == DB_ERROR && r.sqlstate == NULL)
		r.sqlstate = "XX000";
	if (q->cb != NULL)
		q->cb(&r, q->arg);
	db_query_free(q);
}

static void
db_conn_arm(struct db_conn *c, short what)
{
	evutil_socket_t fd = PQsocket(c->pg);

	if (fd < 0) {
		db_conn_lost(c, "no socket");
		return;
	}
	if (c->io != NULL && c->io_fd == fd && c->io_what == what)
		return;
	if (c->io != NULL)
		event_free(c->io);
	c->io_fd = fd;
	c->io_what = what;
	c->io = event_new(c->pool->base, fd, what | EV_PERSIST,
	    db_conn_io_cb, c);
	if (c->io == NULL || event_add(c->io, NULL) == -1)
		db_conn_lost(c, "cannot watch the socket");
}

static void
db_conn_disarm(struct db_conn *c)
{
	if (c->io != NULL)
		event_free(c->io);
	c->io = NULL;
	c->io_fd = -1;
	c->io_what = 0;
}

static void
db_conn_timer_ms(struct db_conn *c, int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->timer, &tv);
}

static void
db_pool_fail_queue(struct db_pool *pool)
{
	struct db_query *q;

	while ((q = TAILQ_FIRST(&pool->queue)) != NULL) {
		TAILQ_REMOVE(&pool->queue, q, entry);
		pool->queued--;
		db_query_fail_later(q);
	}
}

/* Sends one statement; false when that lost the connection. */
static bool
db_conn_send_sql(struct db_conn *c, const char *sql, int n,
    const char *const *params)
{
	int r;

	if (!PQsendQueryParams(c->pg, sql, n, NULL, params, NULL, NULL, 0)) {
		db_conn_lost(c, PQerrorMessage(c->pg));
		return false;
	}
	if ((r = PQflush(c->pg)) == -1) {
		db_conn_lost(c, PQerrorMessage(c->pg));
		return false;
	}
	db_conn_arm(c, r == 1 ? EV_READ | EV_WRITE : EV_READ);
	/*
	 * The server ends a statement at statement_timeout; no answer well
	 * after that means a server or network that hangs: drop the
	 * connection, so its socket is not waited on forever.
	 */
	if (c->state == CONN_BUSY)
		db_conn_timer_ms(c, c->pool->s->statement_timeout + 5000);
	return true;
}

/* Sends q (or the setup statement when q is NULL) on an idle connection. */
static void
db_conn_send(struct db_conn *c, struct db_query *q)
{
	const char *setup[3];

	c->query = q;
	if (q == NULL) {
		setup[0] = c->pool->statement_timeout;
		setup[1] = c->pool->idle_in_transaction;
		setup[2] = c->listener ? "leerkansd listener" : "leerkansd";
		c->state = CONN_SETUP;
		db_conn_send_sql(c, sql_session_setup, 3, setup);
		return;
	}
	q->where = Q_SENT;
	c->state = CONN_BUSY;
	if (q->cursor) {
		q->conn = c;
		q->step = CUR_BEGIN;
		c->pool->held++;
		db_conn_send_sql(c, sql_cursor_begin, 0, NULL);
		return;
	}
	db_conn_send_sql(c, q->sql, q->nparams,
	    (const char *const *)q->params);
}

/* Hands what the connection heard to the callback. */
static void
db_conn_notifies(struct db_conn *c)
{
	struct db_pool *pool = c->pool;
	PGnotify *n;

	while ((n = PQnotifies(c->pg)) != NULL) {
		if (pool->notify_cb != NULL)
			pool->notify_cb(DB_NOTIFY, n->relname, n->extra,
			    pool->notify_arg);
		PQfreemem(n);
	}
}

static void
db_conn_now_up(struct db_conn *c)
{
	struct db_pool *pool = c->pool;

	evtimer_del(c->timer);
	c->state = CONN_IDLE;
	c->backoff_ms = 0;
	if (c->listener) {
		pool->listening = true;
		if (pool->listener_said_down) {
			log_info("database: listening again");
			pool->listener_said_down = false;
		} else
			log_debug("database: listening");
		if (pool->notify_cb != NULL)
			pool->notify_cb(DB_LISTEN_UP, NULL, NULL,
			    pool->notify_arg);
		db_conn_notifies(c);
		return;
	}
	pool->up++;
	pool->down = false;
	if (pool->said_down) {
		log_info("database: connection %d back", c->index);
		pool->said_down = false;
	} else
		log_debug("database: connection %d up", c->index);
	db_pool_dispatch(pool);
}

/* All results are in: hand them over, go idle, take the next work. */
static void
db_conn_done(struct db_conn *c)
{
	struct db_query *q = c->query;
	PGresult *res = c->last;
	ExecStatusType st;
	enum db_status status;

	c->query = NULL;
	c->last = NULL;
	st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	status = (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) ?
	    DB_OK : DB_ERROR;

	if (c->state == CONN_SETUP || c->state == CONN_SUBSCRIBE) {
		PQclear(res);
		if (status != DB_OK) {
			db_conn_lost(c, c->state == CONN_SETUP ?
			    "setting up the session failed" :
			    "subscribing to notifications failed");
			return;
		}
		if (c->state == CONN_SETUP && c->pool->listen_sql != NULL) {
			c->state = CONN_SUBSCRIBE;
			db_conn_send_sql(c, c->pool->listen_sql, 0, NULL);
			return;
		}
		db_conn_now_up(c);
		return;
	}
	evtimer_del(c->timer);		/* the answer came in time */
	if (q != NULL && q->cursor) {
		c->query = q;
		db_cursor_step(c, q, status, res);
		PQclear(res);
		return;
	}
	c->state = CONN_IDLE;
	db_conn_notifies(c);		/* the work's own, first */
	db_query_deliver(q, status, res);
	PQclear(res);
	if (c->state == CONN_IDLE && PQstatus(c->pg) == CONNECTION_BAD) {
		db_conn_lost(c, "connection closed");
		return;
	}
	db_pool_dispatch(c->pool);
}

static void
db_conn_read(struct db_conn *c)
{
	PGresult *r;

	if (!PQconsumeInput(c->pg)) {
		db_conn_lost(c, PQerrorMessage(c->pg));
		return;
	}
	while (!PQisBusy(c->pg)) {
		if ((r = PQgetResult(c->pg)) == NULL) {
			db_conn_done(c);
			return;
		}
		if (c->last != NULL)
			PQclear(c->last);
		c->last = r;
	}
}

static void
db_conn_idle_read(struct db_conn *c)
{
	if (!PQconsumeInput(c->pg) || PQstatus(c->pg) == CONNECTION_BAD) {
		db_conn_lost(c, PQerrorMessage(c->pg));
		return;
	}
	db_conn_notifies(c);
}

/* Notices (a ROLLBACK outside a transaction, RAISE NOTICE) may quote
 * values; libpq would print them to stderr.  They are dropped. */
static void
db_notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void
db_conn_poll(struct db_conn *c)
{
	switch (PQconnectPoll(c->pg)) {
	case PGRES_POLLING_READING:
		db_conn_arm(c, EV_READ);
		break;
	case PGRES_POLLING_WRITING:
		db_conn_arm(c, EV_WRITE);
		break;
	case PGRES_POLLING_OK:
		if (PQsetnonblocking(c->pg, 1) == -1) {
			db_conn_lost(c, PQerrorMessage(c->pg));
			break;
		}
		PQsetNoticeProcessor(c->pg, db_notice_quiet, NULL);
		db_conn_send(c, NULL);
		break;
	default:
		db_conn_lost(c, PQerrorMessage(c->pg));
		break;
	}
}

static void
db_conn_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_conn *c = arg;
	int r;

	(void)fd;
	switch (c->state) {
	case CONN_CONNECTING:
		db_conn_poll(c);
		break;
	case CONN_SETUP:
	case CONN_SUBSCRIBE:
	case CONN_BUSY:
		if (what & EV_WRITE) {
			if ((r = PQflush(c->pg)) == -1) {
				db_conn_lost(c, PQerrorMessage(c->pg));
				return;
			}
			db_conn_arm(c, r == 1 ? EV_READ | EV_WRITE : EV_READ);
		}
		if ((what & EV_READ) && (c->state == CONN_SETUP ||
		    c->state == CONN_SUBSCRIBE || c->state == CONN_BUSY))
			db_conn_read(c);
		break;
	case CONN_IDLE:
	case CONN_HELD:
		db_conn_idle_read(c);
		break;
	case CONN_DOWN:
		break;
	}
}

static void
db_conn_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_conn *c = arg;

	(void)fd;
	(void)what;
	if (c->state == CONN_DOWN)
		db_conn_start(c);
	else if (c->state == CONN_CONNECTING || c->state == CONN_SETUP ||
	    c->state == CONN_SUBSCRIBE)
		db_conn_lost(c, "connection attempt timed out");
	else if (c->state == CONN_BUSY)
		db_conn_lost(c, "no answer long after statement_timeout");
}

static void
db_conn_start(struct db_conn *c)
{
	/* keepalives notice a peer gone silent on TCP; database_url, last,
	 * may override them */
	const char *keys[] = { "keepalives", "keepalives_idle",
	    "keepalives_interval", "keepalives_count",
	    "fallback_application_name", "dbname", "hostaddr", NULL };
	const char *vals[] = { "1", "30", "10", "3", "leerkansd",
	    c->pool->s->database_url, c->pool->hostaddr, NULL };

	/* without a resolved address, the list ends before "hostaddr" */
	if (c->pool->hostaddr[0] == '\0')
		keys[6] = NULL;

	c->pg = PQconnectStartParams(keys, vals, 1);
	if (c->pg == NULL) {
		db_conn_lost(c, "out of memory");
		return;
	}
	if (PQstatus(c->pg) == CONNECTION_BAD) {
		db_conn_lost(c, PQerrorMessage(c->pg));
		return;
	}
	c->state = CONN_CONNECTING;
	db_conn_timer_ms(c, c->pool->s->connect_timeout * 1000);
	db_conn_arm(c, EV_WRITE);
}

/* Drops the connection, fails its work and schedules a reconnect. */
static void
db_conn_lost(struct db_conn *c, const char *why)
{
	struct db_pool *pool = c->pool;
	struct db_query *q = c->query;
	bool was_up = c->state == CONN_IDLE || c->state == CONN_BUSY ||
	    c->state == CONN_HELD;
	char msg[256];
	size_t len;
	int jitter;

	snprintf(msg, sizeof(msg), "%s", why != NULL && *why ? why : "lost");
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';

	db_conn_disarm(c);
	evtimer_del(c->timer);
	if (c->last != NULL)
		PQclear(c->last);
	c->last = NULL;
	if (c->pg != NULL)
		PQfinish(c->pg);
	c->pg = NULL;
	c->query = NULL;
	c->state = CONN_DOWN;
	if (q != NULL && q->cursor) {
		pool->held--;
		q->conn = NULL;
		q->step = CUR_END;
	}

	if (c->listener) {
		if (!pool->listener_said_down)
			log_warnx("database: listening connection: %s; "
			    "feeds are read afresh until it is back", msg);
		else
			log_debug("database: listening connection: %s", msg);
		pool->listener_said_down = true;
		if (was_up) {
			pool->listening = false;
			if (pool->notify_cb != NULL)
				pool->notify_cb(DB_LISTEN_DOWN, NULL, NULL,
				    pool->notify_arg);
		}
	} else {
		if (was_up)
			pool->up--;
		if (!pool->said_down)
			log_warnx("database: connection %d: %s", c->index, msg);
		else
			log_debug("database: connection %d: %s", c->index, msg);
		if (pool->up == 0) {
			if (!pool->said_down)
				log_warnx("database: unavailable; retrying");
			pool->down = true;
			pool->said_down = true;
			db_pool_fail_queue(pool);
		}
		/*
		 * On the next loop turn: a connection can be lost while work
		 * is being sent from inside db_pool_submit, whose caller must
		 * not see its callback run before the call returns.
		 */
		if (q != NULL)
			db_query_fail_later(q);
	}

	if (c->backoff_ms == 0)
		c->backoff_ms = BACKOFF_MIN_MS;
	else if ((c->backoff_ms *= 2) > BACKOFF_MAX_MS)
		c->backoff_ms = BACKOFF_MAX_MS;
	jitter = (int)(random() % (c->backoff_ms / 4 + 1));
	db_conn_timer_ms(c, c->backoff_ms + jitter);
}

/* The oldest queued work that may run now: cursors wait while too many
 * connections are held, so that other work always finds one. */
static struct db_query *
db_pool_next_work(struct db_pool *pool)
{
	struct db_query *q;

	TAILQ_FOREACH(q, &pool->queue, entry)
		if (!q->cursor || pool->held < pool->max_held)
			return q;
	return NULL;
}

static void
db_pool_dispatch(struct db_pool *pool)
{
	struct db_query *q;
	int i;

	for (i = 0; i < pool->nconns && !TAILQ_EMPTY(&pool->queue); i++) {
		struct db_conn *c = &pool->conns[i];

		if (c->state != CONN_IDLE)
			continue;
		if ((q = db_pool_next_work(pool)) == NULL)
			break;
		TAILQ_REMOVE(&pool->queue, q, entry);
		pool->queued--;
		evtimer_del(q->timer);
		db_conn_send(c, q);
	}
}

static void
db_query_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_query *q = arg;

	(void)fd;
	(void)what;
	if (q->where == Q_SENT) {
		/* db_cursor_next asked for the next batch */
		if (q->cursor && q->step == CUR_WAIT && q->conn != NULL) {
			q->conn->state = CONN_BUSY;
			q->step = CUR_FETCH;
			db_conn_send_sql(q->conn, sql_cursor_fetch, 0, NULL);
		}
		return;
	}
	if (q->where == Q_QUEUED) {
		TAILQ_REMOVE(&q->pool->queue, q, entry);
		q->pool->queued--;
		log_debug("database: work waited too long for a connection");
	}
	db_query_deliver(q, DB_UNAVAILABLE, NULL);
}

static void
db_query_fail_later(struct db_query *q)
{
	struct timeval now = { 0, 0 };

	q->where = Q_FAILING;
	evtimer_add(q->timer, &now);
}

static struct db_query *
db_query_new(struct db_pool *pool, const char *sql, int nparams,
    const char *const *params, db_done_cb cb, void *arg)
{
	struct db_query *q;
	size_t need = 0, off;
	char *p;
	int i;

	for (i = 0; i < nparams; i++)
		if (params[i] != NULL)
			need += strlen(params[i]) + 1;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->params = malloc(sizeof(char *) * (size_t)(nparams + 1) + need);
	q->timer = evtimer_new(pool->base, db_query_timer_cb, q);
	if (q->params == NULL || q->timer == NULL) {
		db_query_free(q);
		return NULL;
	}
	p = (char *)(q->params + nparams + 1);
	for (i = 0, off = 0; i < nparams; i++) {
		if (params[i] == NULL) {
			q->params[i] = NULL;
			continue;
		}
		q->params[i] = p + off;
		strcpy(p + off, params[i]);
		off += strlen(params[i]) + 1;
	}
	q->params[nparams] = NULL;
	q->pool = pool;
	q->sql = sql;
	q->nparams = nparams;
	q->cb = cb;
	q->arg = arg;
	return q;
}

/* Queues q, or fails it on the next loop turn when the pool is down. */
static void
db_pool_enqueue(struct db_pool *pool, struct db_query *q)
{
	struct timeval tv;

	if (pool->down || pool->queued >= QUEUE_MAX) {
		db_query_fail_later(q);
		return;
	}
	q->where = Q_QUEUED;
	TAILQ_INSERT_TAIL(&pool->queue, q, entry);
	pool->queued++;
	tv.tv_sec = pool->s->queue_timeout / 1000;
	tv.tv_usec = (pool->s->queue_timeout % 1000) * 1000;
	evtimer_add(q->timer, &tv);
	db_pool_dispatch(pool);
}

struct db_query *
db_pool_submit(struct db_pool *pool, const char *sql, int nparams,
    const char *const *params, db_done_cb cb, void *arg)
{
	struct db_query *q;

	if ((q = db_query_new(pool, sql, nparams, params, cb, arg)) == NULL)
		return NULL;
	db_pool_enqueue(pool, q);
	return q;
}

struct db_query *
db_pool_cursor(struct db_pool *pool, const char *declare, int nparams,
    const char *const *params, db_done_cb cb, void *arg)
{
	struct db_query *q;

	if ((q = db_query_new(pool, declare, nparams, params, cb, arg)) ==
	    NULL)
		return NULL;
	q->cursor = true;
	db_pool_enqueue(pool, q);
	return q;
}

void
db_cursor_next(struct db_query *q)
{
	struct timeval now = { 0, 0 };

	if (q->cursor && q->where == Q_SENT && q->step == CUR_WAIT)
		evtimer_add(q->timer, &now);
}

/* Ends a cursor's transaction; the connection is released when that is
 * done.  Nothing more is delivered. */
static void
db_cursor_end(struct db_conn *c, struct db_query *q, bool commit)
{
	q->cb = NULL;
	q->step = CUR_END;
	evtimer_del(q->timer);
	c->state = CONN_BUSY;
	db_conn_send_sql(c, commit ? sql_commit : sql_rollback, 0, NULL);
}

/* The transaction is over: the connection is free for other work. */
static void
db_cursor_release(struct db_conn *c, struct db_query *q)
{
	struct db_pool *pool = c->pool;

	c->query = NULL;
	c->state = CONN_IDLE;
	pool->held--;
	db_query_free(q);
	if (PQstatus(c->pg) == CONNECTION_BAD ||
	    PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
		db_conn_lost(c, "a cursor's transaction did not end");
		return;
	}
	db_pool_dispatch(pool);
}

/*
 * One statement of a cursor is done.  Rows go to the caller only after
 * the connection is in a state the caller may change from its callback
 * (next, cancel), and nothing here touches q once they have gone.
 */
static void
db_cursor_step(struct db_conn *c, struct db_query *q, enum db_status status,
    PGresult *res)
{
	struct db_result r;
	db_done_cb cb = q->cb;
	void *arg = q->arg;

	if (q->step == CUR_END) {
		db_cursor_release(c, q);
		return;
	}
	if (cb == NULL) {			/* cancelled meanwhile */
		db_cursor_end(c, q, false);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.status = status;
	r.res = res;
	if (status != DB_OK) {
		r.sqlstate = res != NULL ?
		    PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		if (r.sqlstate == NULL)
			r.sqlstate = "XX000";
		db_cursor_end(c, q, false);
		cb(&r, arg);
		return;
	}
	switch (q->step) {
	case CUR_BEGIN:
		q->step = CUR_DECLARE;
		db_conn_send_sql(c, q->sql, q->nparams,
		    (const char *const *)q->params);
		return;
	case CUR_DECLARE:
		q->step = CUR_FETCH;
		db_conn_send_sql(c, sql_cursor_fetch, 0, NULL);
		return;
	case CUR_FETCH:
		r.more = PQntuples(res) >= SQL_CURSOR_BATCH;
		if (r.more) {
			q->step = CUR_WAIT;
			c->state = CONN_HELD;
		} else
			db_cursor_end(c, q, true);
		cb(&r, arg);
		return;
	case CUR_WAIT:
	case CUR_END:
		break;
	}
	db_conn_lost(c, "a cursor got an answer it did not wait for");
}

void
db_query_cancel(struct db_query *q)
{
	switch (q->where) {
	case Q_QUEUED:
		TAILQ_REMOVE(&q->pool->queue, q, entry);
		q->pool->queued--;
		db_query_free(q);
		break;
	case Q_FAILING:
		db_query_free(q);
		break;
	case Q_SENT:
		if (q->cursor && q->step == CUR_WAIT && q->conn != NULL) {
			db_cursor_end(q->conn, q, false);
			break;
		}
		/* the answer is read and dropped when it comes */
		q->cb = NULL;
		break;
	}
}

/*
 * libpq resolves a host name inside PQconnectStart and PQconnectPoll,
 * blocking: on every reconnect, the loop would wait for DNS.  So a single
 * host name is resolved here, once, before the loop runs, and its address
 * handed to libpq as hostaddr (host still names it for TLS and
 * .pgpass).  A new address needs a restart; a list of hosts is left to
 * libpq, with a warning.
 */
static void
db_pool_resolve(struct db_pool *pool)
{
	PQconninfoOption *opts, *o;
	const char *host = NULL, *hostaddr = NULL;
	struct addrinfo hints, *ai;
	char *err = NULL;
	int rc;

	if ((opts = PQconninfoParse(pool->s->database_url, &err)) == NULL) {
		PQfreemem(err);		/* connecting will say what is wrong */
		return;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "host") == 0 && o->val != NULL &&
		    o->val[0] != '\0')
			host = o->val;
		else if (strcmp(o->keyword, "hostaddr") == 0 &&
		    o->val != NULL && o->val[0] != '\0')
			hostaddr = o->val;
	}
	if (host == NULL && (host = getenv("PGHOST")) != NULL && *host == '\0')
		host = NULL;
	if (host == NULL || hostaddr != NULL || host[0] == '/' ||
	    host[0] == '@')
		goto done;
	if (strchr(host, ',') != NULL) {
		log_warnx("database: several hosts in database_url: libpq "
		    "looks their names up on the event loop; give hostaddr");
		goto done;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(host, NULL, &hints, &ai) == 0) {
		freeaddrinfo(ai);	/* an address already: nothing to look up */
		goto done;
	}
	hints.ai_flags = 0;
	if ((rc = getaddrinfo(host, NULL, &hints, &ai)) != 0) {
		log_warnx("database: cannot look up %s (%s); libpq will try "
		    "on every connect", host, gai_strerror(rc));
		goto done;
	}
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, pool->hostaddr,
	    sizeof(pool->hostaddr), NULL, 0, NI_NUMERICHOST) != 0)
		pool->hostaddr[0] = '\0';
	else
		log_info("database: %s is %s (looked up once, at start)", host,
		    pool->hostaddr);
	freeaddrinfo(ai);
done:
	PQconninfoFree(opts);
}

struct db_pool *
db_pool_new(struct event_base *base, const struct settings *s)
{
	struct db_pool *pool;
	int i;

	if ((pool = calloc(1, sizeof(*pool))) == NULL)
		return NULL;
	pool->base = base;
	pool->s = s;
	pool->nconns = s->pool_size;
	TAILQ_INIT(&pool->queue);
	snprintf(pool->statement_timeout, sizeof(pool->statement_timeout),
	    "%d", s->statement_timeout);
	/* a cursor waits between batches for the client to take them, which
	 * http/server.c bounds by idle_timeout; the margin covers the rest */
	snprintf(pool->idle_in_transaction, sizeof(pool->idle_in_transaction),
	    "%d", (s->idle_timeout + 30) * 1000);
	pool->max_held = s->pool_size > 1 ? s->pool_size - 1 : 1;
	db_pool_resolve(pool);
	if ((pool->conns = calloc((size_t)pool->nconns,
	    sizeof(*pool->conns))) == NULL) {
		free(pool);
		return NULL;
	}
	for (i = 0; i < pool->nconns; i++) {
		struct db_conn *c = &pool->conns[i];

		c->pool = pool;
		c->index = i;
		c->io_fd = -1;
		c->state = CONN_DOWN;
		if ((c->timer = evtimer_new(base, db_conn_timer_cb, c)) ==
		    NULL) {
			db_pool_free(pool);
			return NULL;
		}
	}
	return pool;
}

void
db_pool_start(struct db_pool *pool)
{
	int i;

	for (i = 0; i < pool->nconns; i++)
		db_conn_start(&pool->conns[i]);
	if (pool->listener != NULL)
		db_conn_start(pool->listener);
}

bool
db_pool_listen(struct db_pool *pool, const char *listen_sql,
    db_notify_cb cb, void *arg)
{
	struct db_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return false;
	c->pool = pool;
	c->index = pool->nconns;
	c->listener = true;
	c->io_fd = -1;
	c->state = CONN_DOWN;
	if ((c->timer = evtimer_new(pool->base, db_conn_timer_cb, c)) == NULL) {
		free(c);
		return false;
	}
	pool->listener = c;
	pool->listen_sql = listen_sql;
	pool->notify_cb = cb;
	pool->notify_arg = arg;
	return true;
}

bool
db_pool_listening(const struct db_pool *pool)
{
	return pool->listening;
}

static void
db_conn_free(struct db_conn *c)
{
	db_conn_disarm(c);
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->last != NULL)
		PQclear(c->last);
	if (c->query != NULL)
		db_query_free(c->query);
	if (c->pg != NULL)
		PQfinish(c->pg);
}

void
db_pool_free(struct db_pool *pool)
{
	struct db_query *q;
	int i;

	if (pool == NULL)
		return;
	while ((q = TAILQ_FIRST(&pool->queue)) != NULL) {
		TAILQ_REMOVE(&pool->queue, q, entry);
		db_query_free(q);
	}
	for (i = 0; i < pool->nconns; i++)
		db_conn_free(&pool->conns[i]);
	if (pool->listener != NULL) {
		db_conn_free(pool->listener);
		free(pool->listener);
	}
	free(pool->conns);
	free(pool);
}

bool
db_pool_up(const struct db_pool *pool)
{
	return pool->up > 0;
}

int
db_pool_connections_up(const struct db_pool *pool)
{
	return pool->up;
}
