/*
 * db/result.h - what a statement answered, without libpq.
 *
 * The db layer has two halves that answer alike: leerkansd's pool
 * (db/pool.h, asynchronous) and leerkansctl's blocking twin (ctl/pg.h).
 * Both hand over a struct db_result, which wraps libpq's result.
 * Handlers, the request, the answer cache, the export's row loop
 * (db/export_rows.h) and leerkansctl's commands read it only through
 * these accessors, so that libpq stays behind the db layer: one text
 * column of a one-row answer (the JSON the SQL functions build), values
 * by row and column, and a refusal raised by an SQL function with
 * lk_fail (migrations/functions/00_base.sql):
 *
 *	SQLSTATE	'LK' || status, e.g. LK409
 *	MESSAGE		the problem's title
 *	HINT		the problem name, e.g. slug-taken
 *	DETAIL		a JSON array of {"field", "message"}, or empty
 */
#ifndef LEERKANS_DB_RESULT_H
#define LEERKANS_DB_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct pg_result;	/* libpq's PGresult, seen only by db/ and ctl/pg.c */

enum db_status {
	DB_OK,			/* res holds the last result */
	DB_ERROR,		/* the server refused: res, sqlstate */
	DB_UNAVAILABLE		/* no connection, or none free in time */
};

struct db_result {
	enum db_status	 status;
	struct pg_result *res;		/* its owner frees it (the pool, or
					 * ctl_pg_clear) */
	const char	*sqlstate;	/* DB_ERROR only */
	bool		 more;		/* cursors: another batch may follow */
};

/* Rows and columns of an answer; 0 unless it is DB_OK. */
int	db_result_rows(const struct db_result *res);
int	db_result_columns(const struct db_result *res);
/* A value as text; NULL for an SQL NULL or outside the answer. */
const char *db_result_value(const struct db_result *res, int row, int col);
/* Its length in bytes (0 for NULL). */
size_t	db_result_length(const struct db_result *res, int row, int col);
/*
 * The first column of a one-row answer, the way the SQL functions answer
 * (json as text); len (may be NULL) gets its length.  NULL when the
 * answer is not DB_OK, has no row or more than one, or the value is NULL.
 */
const char *db_result_text(const struct db_result *res, size_t *len);

/* A refusal of an SQL function: an HTTP problem. */
struct db_refusal {
	int		 status;	/* 400 to 499 */
	const char	*problem;	/* HINT: the problem's name, never NULL */
	const char	*title;		/* MESSAGE, or NULL */
	json_t		*errors;	/* DETAIL: [{field, message}] or NULL */
};

/*
 * Is res a refusal (DB_ERROR with SQLSTATE LK400 to LK499)?  Fills ref;
 * the strings live as long as res, the errors are ref's own
 * (db_refusal_clear).  Any other failure is not one: the caller maps it
 * by SQLSTATE.
 */
bool	db_result_refusal(const struct db_result *res, struct db_refusal *ref)
	    __attribute__((warn_unused_result));
/*
 * The same from the error's fields as text, each NULL when absent: what
 * db_result_refusal reads from libpq.  A problem name defaults to
 * "conflict"; an empty or malformed DETAIL gives no errors.
 */
bool	db_refusal_parse(const char *sqlstate, const char *hint,
	    const char *message, const char *detail, struct db_refusal *ref)
	    __attribute__((warn_unused_result));
/*
 * The same from a refusal an SQL function answered as JSON instead of
 * raising it ({"status", "problem", "title", "errors"}, as
 * lk_register_form does); the strings live as long as o.
 */
bool	db_refusal_json(const json_t *o, struct db_refusal *ref)
	    __attribute__((warn_unused_result));
/* Lets go of the errors. */
void	db_refusal_clear(struct db_refusal *ref);

#endif
