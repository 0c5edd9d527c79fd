/*
 * db/export_rows.h - the export's row loop, one for both programs.
 *
 * An attendee export reads sql_attendees_cursor (db/sql.c) in batches:
 * leerkansd through its pool as the client takes the rows
 * (handlers/organiser.c), leerkansctl through ctl_pg_cursor (ctl/pg.h).
 * Each batch comes here, is read through db/result.h and written in the
 * chosen format by render/export.h's writer, so the two programs' lists
 * cannot drift apart.  This is where the statement's columns meet the
 * writer's: render/ knows nothing of the database.
 */
#ifndef LEERKANS_DB_EXPORT_ROWS_H
#define LEERKANS_DB_EXPORT_ROWS_H

#include <stdbool.h>

#include "db/result.h"
#include "render/export.h"

/*
 * Writes every row of one batch (the columns of enum export_col, then
 * sessions_json) with w.  False when a row could not be written
 * (w->error says why); the rows before it are written.  A batch that is
 * not DB_OK has no rows: check res->status first.
 */
bool	export_rows_write(struct export_writer *w, const struct db_result *res)
	    __attribute__((warn_unused_result));

#endif
