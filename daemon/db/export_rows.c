/*
 * db/export_rows.c - a batch of attendee rows into an export (see
 * export_rows.h).
 */
#include "autoconf.h"

#include "db/export_rows.h"

bool
export_rows_write(struct export_writer *w, const struct db_result *res)
{
	struct export_row row;
	int i, j, n = db_result_rows(res);

	for (i = 0; i < n; i++) {
		/* sql_attendees_cursor's columns, in enum export_col's order */
		for (j = 0; j < EXPORT_NCOLS; j++)
			row.v[j] = db_result_value(res, i, j);
		row.sessions_json = db_result_value(res, i, EXPORT_NCOLS);
		if (!export_write_row(w, &row))
			return false;
	}
	return true;
}
