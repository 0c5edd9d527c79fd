/*
 * pgresult.h - results that libpq builds on the client, without a
 * server (PQmakeEmptyPGresult, PQsetvalue), for the tests of what reads
 * a struct db_result (test_result, test_export_rows).
 */
#ifndef LEERKANS_TEST_PGRESULT_H
#define LEERKANS_TEST_PGRESULT_H

#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#define PGRESULT_MAX_COLS	16

/* rows x cols text values, row by row, NULL for an SQL NULL; NULL when
 * libpq could not make it.  PQclear it. */
static PGresult *
pgresult_make(int rows, int cols, const char *const *values)
{
	PGresAttDesc attrs[PGRESULT_MAX_COLS];
	char names[PGRESULT_MAX_COLS][8];
	PGresult *pg;
	int i, j;

	if (cols > PGRESULT_MAX_COLS)
		return NULL;
	memset(attrs, 0, sizeof(attrs));
	for (j = 0; j < cols; j++) {
		snprintf(names[j], sizeof(names[j]), "c%d", j);
		attrs[j].name = names[j];
		attrs[j].typid = 25;		/* text */
		attrs[j].typlen = -1;
		attrs[j].atttypmod = -1;
	}
	if ((pg = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK)) == NULL)
		return NULL;
	if (!PQsetResultAttrs(pg, cols, attrs))
		goto fail;
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++) {
			const char *v = values[i * cols + j];

			if (!PQsetvalue(pg, i, j, (char *)v,
			    v != NULL ? (int)strlen(v) : -1))
				goto fail;
		}
	return pg;
fail:
	PQclear(pg);
	return NULL;
}

#endif
