/*
 * ctl/pg.h - leerkansctl's half of the db layer: blocking libpq.
 *
 * leerkansd's pool (db/pool.h) never blocks; leerkansctl is a short-lived
 * command and may.  Otherwise the two answer alike: a statement of
 * db/sql.c with text parameters gives a struct db_result, read through
 * db/result.h (refusals through db_result_refusal), and a cursor runs
 * the same sql_cursor_* statements in batches of SQL_CURSOR_BATCH.  This
 * file and db/ are the only places that speak libpq; leerkansctl's
 * commands (ctl.c) see none of it.
 *
 * Every call that fails has said why on stderr, prefixed with what the
 * caller was doing ("leerkansctl: WHAT: ..."): a refusal of an lk_*
 * function as its title and field errors, anything else as the server's
 * message.
 */
#ifndef LEERKANS_CTL_PG_H
#define LEERKANS_CTL_PG_H

#include <stdbool.h>

#include "db/result.h"

struct ctl_pg;

/* Connects with database_url (NULL: libpq's defaults); NULL, said, when
 * that failed. */
struct ctl_pg	*ctl_pg_connect(const char *database_url);
void		 ctl_pg_close(struct ctl_pg *pg);
/* Drops the server's notices ("... already exists, skipping"). */
void		 ctl_pg_quiet(struct ctl_pg *pg);

/*
 * A script: one or more statements without parameters or rows (a
 * migration, a function file, the seed), sent as simple query text.
 */
bool		 ctl_pg_script(struct ctl_pg *pg, const char *what,
		    const char *sql) __attribute__((warn_unused_result));
/*
 * One statement with text parameters.  out (may be NULL) gets its
 * answer, DB_OK, which the caller frees with ctl_pg_clear; on failure
 * out is left empty.
 */
bool		 ctl_pg_exec(struct ctl_pg *pg, const char *what,
		    const char *sql, int nparams, const char *const *params,
		    struct db_result *out) __attribute__((warn_unused_result));
void		 ctl_pg_clear(struct db_result *res);
/* Runs a statement and forgets how it went: a ROLLBACK or an unlock on
 * the way out, after something failed and has been said. */
void		 ctl_pg_try(struct ctl_pg *pg, const char *sql);

/*
 * A cursor: sql_cursor_begin, declare (a DECLARE of lk_cursor from
 * db/sql.c) with its parameters, then sql_cursor_fetch, each batch to
 * batch (res->more while a full batch came), until fewer than
 * SQL_CURSOR_BATCH rows come; then sql_commit.  batch returning false
 * stops it (it has said why); any failure rolls the transaction back.
 */
typedef bool (*ctl_pg_batch_cb)(const struct db_result *res, void *arg);

bool		 ctl_pg_cursor(struct ctl_pg *pg, const char *what,
		    const char *declare, int nparams,
		    const char *const *params, ctl_pg_batch_cb batch,
		    void *arg) __attribute__((warn_unused_result));

#endif
