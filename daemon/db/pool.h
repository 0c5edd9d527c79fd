/*
 * db/pool.h - a pool of asynchronous PostgreSQL connections on the event loop.
 *
 * Work is submitted as one SQL statement with text parameters and a
 * callback.  The pool sends it on a free connection with
 * PQsendQueryParams, reads the answer when the socket is readable and
 * calls the callback exactly once, unless the work was cancelled first.
 * Nothing here ever blocks the loop.
 *
 * The pool can also listen: every connection runs a LISTEN statement
 * after every (re)connect and hands each notification to a callback,
 * a work's own notifications before its answer.  One more connection,
 * which never takes work, is the one to trust: notifications sent while
 * it was down are lost, so the callback hears DB_LISTEN_UP after every
 * connect of it and DB_LISTEN_DOWN when it goes.  A notification may
 * come more than once (through several connections).
 */
#ifndef LEERKANS_DB_H
#define LEERKANS_DB_H

#include <stdbool.h>

#include <event2/event.h>

#include "db/result.h"

struct settings;
struct db_pool;
struct db_query;

/* res: freed by the pool after the callback */
typedef void (*db_done_cb)(const struct db_result *r, void *arg);

enum db_notify_event {
	DB_LISTEN_UP,		/* listening (again); anything may have changed */
	DB_LISTEN_DOWN,		/* deaf until the next DB_LISTEN_UP */
	DB_NOTIFY		/* a notification: channel, payload */
};

typedef void (*db_notify_cb)(enum db_notify_event ev, const char *channel,
    const char *payload, void *arg);

struct db_pool	*db_pool_new(struct event_base *base,
		    const struct settings *s);
void		 db_pool_start(struct db_pool *pool);
void		 db_pool_free(struct db_pool *pool);

/* Copies the parameters; sql must outlive the query (static text). */
struct db_query	*db_pool_submit(struct db_pool *pool, const char *sql,
		    int nparams, const char *const *params, db_done_cb cb,
		    void *arg);
/* The callback will not be called.  Safe until the callback has run
 * (for a cursor: until a batch without more has been delivered). */
void		 db_query_cancel(struct db_query *q);

/*
 * Before db_pool_start: listen with listen_sql (a LISTEN of db/sql.c,
 * sql_feeds_listen) on every connection and one more of its own.  False
 * when out of memory.
 */
bool		 db_pool_listen(struct db_pool *pool, const char *listen_sql,
		    db_notify_cb cb, void *arg)
		    __attribute__((warn_unused_result));
bool		 db_pool_listening(const struct db_pool *pool);

/*
 * A cursor streams the rows of one SELECT in batches of SQL_CURSOR_BATCH
 * rows (db/sql.h): the pool opens a read-only REPEATABLE READ
 * transaction on a connection, runs declare (a DECLARE of lk_cursor from
 * db/sql.c, e.g. sql_attendees_cursor) with the parameters and fetches
 * from it, holding that connection until the end.  cb gets every batch.
 * While a batch says more, the caller asks for the next with
 * db_cursor_next() when it has room for it (it comes on a later loop
 * turn), or stops with db_query_cancel().  A batch without more (the
 * last rows, an error or DB_UNAVAILABLE) ends the cursor.  Each FETCH is
 * its own statement, so statement_timeout bounds every batch, not the
 * whole stream.  At most pool_size - 1 cursors hold connections at once
 * (1 with a pool of 1); further cursors wait in the queue like any work.
 */
struct db_query	*db_pool_cursor(struct db_pool *pool, const char *declare,
		    int nparams, const char *const *params, db_done_cb cb,
		    void *arg);
void		 db_cursor_next(struct db_query *q);

/* True while at least one connection is up. */
bool		 db_pool_up(const struct db_pool *pool);
int		 db_pool_connections_up(const struct db_pool *pool);

#endif
