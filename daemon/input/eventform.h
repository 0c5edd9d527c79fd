/*
 * eventform.h - the console's event form (/beheer/events/...) as the
 * API's JSON, and an event's JSON as that form's values: pure, so that
 * the handlers only glue and tests/unit/test_eventform.c can try every
 * case.
 *
 * The form's fields are the API's event fields (API.md section 3) by
 * the same names, but the venue's parts are venue_name, venue_address,
 * venue_postcode and venue_city, waitlist is a checkbox ("on"), and
 * times are the browser's local date and time ("2027-03-18T14:00", what
 * <input type="datetime-local"> sends), read in the event's timezone.
 * Session rows are numbered from 1: row 3's fields are s3-slug,
 * s3-title, s3-description, s3-starts_at, s3-ends_at, s3-room,
 * s3-capacity; "rows" says how many the form drew.  A row left wholly
 * empty is no session.
 */
#ifndef LEERKANS_EVENTFORM_H
#define LEERKANS_EVENTFORM_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "input/form.h"

/* empty session rows a new form has; rows a form may have at most */
#define EVENTFORM_ROWS_NEW	4
#define EVENTFORM_ROWS_MAX	40
/* the submit button that draws the form again with one row more */
#define EVENTFORM_ADD_ROW	"add_row"
#define EVENTFORM_ROWS		"rows"
/* the duplicate form's fields */
#define EVENTFORM_NEW_SLUG	"new_slug"
#define EVENTFORM_WEEKS		"weeks"
#define EVENTFORM_WEEKS_MAX	520

/* How many session rows form drew (its "rows", within 1 and the max;
 * EVENTFORM_ROWS_NEW when absent or bad). */
int	eventform_rows(const struct form *form);

/*
 * The local time "YYYY-MM-DDTHH:MM" (or with ":SS"; a space for the T)
 * in the IANA zone tz as RFC 3339 with that zone's offset then, into
 * out (at least 32 bytes); false when it is no such time or zone.
 */
bool	eventform_local_time(const char *local, const char *tz, char *out,
	    size_t len);

/*
 * The form as the API's objects: *event (for lk_event_create when
 * create, else lk_event_patch, every field of the form sent), its
 * errors [{field, message, code}] by the form's field names
 * (validate_object's with the event table, and times that are none),
 * and *rows, [{"row": "s3", "session": {...}, "errors": [...]}] for
 * every row that is not empty, each checked with the session table.
 * False when out of memory.
 */
bool	eventform_read(const struct form *form, bool create, json_t **event,
	    json_t **errors, json_t **rows);

/*
 * An event as the API answers it (lk_event_json) as the form's values,
 * its sessions in rows s1..sN, rows = N + extra (at least
 * EVENTFORM_ROWS_NEW when N is 0).  false when out of memory; out is
 * then empty.  Free with form_free.
 */
bool	eventform_from_event(const json_t *event, int extra, struct form *out);

#endif
