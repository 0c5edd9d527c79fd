/*
 * sql.c - the statements.  The work is in the functions that the
 * migrations define (lk_*); these are the calls.
 */
#include "autoconf.h"

#include "sql.h"

/* $1 token */
const char sql_auth[] =
	"SELECT name FROM organiser_tokens"
	" WHERE token_hash = sha256(convert_to($1, 'UTF8'))"
	" AND revoked_at IS NULL";

const char sql_ready[] =
	"SELECT coalesce(max(version), 0) FROM schema_migrations";

/* $1 kind, $2 from, $3 to, $4 drafts too */
const char sql_events_list[] =
	"SELECT lk_events_list($1, $2::timestamptz, $3::timestamptz,"
	" $4::boolean)::text";

/* $1 slug, $2 drafts too */
const char sql_event_get[] =
	"SELECT lk_event_json(e)::text FROM events e"
	" WHERE e.slug = $1 AND ($2::boolean OR e.status <> 'draft')";

/* $1 body, $2 errors found by the daemon */
const char sql_event_create[] =
	"SELECT lk_event_create($1::jsonb, $2::jsonb)::text";

/* $1 slug, $2 body, $3 errors */
const char sql_event_patch[] =
	"SELECT lk_event_patch($1, $2::jsonb, $3::jsonb)::text";

/* $1 event slug, $2 session slug, $3 drafts too */
const char sql_session_get[] =
	"SELECT lk_session_json(s, e.timezone)::text"
	" FROM sessions s JOIN events e ON e.id = s.event_id"
	" WHERE e.slug = $1 AND s.slug = $2"
	" AND ($3::boolean OR e.status <> 'draft')";

/* $1 event slug, $2 body, $3 errors */
const char sql_session_create[] =
	"SELECT lk_session_create($1, $2::jsonb, $3::jsonb)::text";

/* $1 event slug, $2 session slug, $3 body, $4 errors */
const char sql_session_patch[] =
	"SELECT lk_session_patch($1, $2, $3::jsonb, $4::jsonb)::text";

/* $1 event slug, $2 body, $3 errors, $4 new manage token,
 * $5 Idempotency-Key or NULL, $6 source (api, web) */
const char sql_register[] =
	"SELECT lk_register($1, $2::jsonb, $3::jsonb, $4, $5, $6)::text";

/* $1 manage token */
const char sql_registration_get[] =
	"SELECT lk_registration_get($1)::text";

/* $1 manage token */
const char sql_registration_cancel[] =
	"SELECT lk_cancel($1)::text";

/* $1 event slug, $2 session slug or NULL, $3 status filter, $4 format,
 * $5 who (token name), $6 record it in the audit log */
const char sql_export_begin[] =
	"SELECT lk_export_begin($1, $2, $3, $4, $5, $6::boolean)::text";

/* $1 event slug, $2 session slug or NULL, $3 status filter; the columns
 * of API.md section 7 (see export.h), read through a cursor */
const char sql_attendees[] =
	"SELECT id, status, name, email, organisation, enterprise_number,"
	" role, organisation_type, postcode, sessions, registered_at,"
	" checked_in_at, sessions_json"
	" FROM lk_attendees($1, $2, $3)";

/* $1 registration id, $2 present (true) or not */
const char sql_check_in[] =
	"SELECT lk_check_in($1::bigint, $2::boolean)::text";

/* $1 year (NULL: this year in Brussels), $2 erasure secret ("" when
 * unset) */
const char sql_reach[] =
	"SELECT lk_reach(coalesce($1::integer, extract(year FROM now()"
	" AT TIME ZONE 'Europe/Brussels')::integer), $2)::text";

/* $1 e-mail address, $2 erasure secret, $3 who */
const char sql_erase[] =
	"SELECT lk_erase($1, $2, $3)::text";

/* $1 retention in months, $2 erasure secret, $3 who, $4 dry run */
const char sql_purge[] =
	"SELECT lk_purge($1::integer, $2, $3, $4::boolean)::text";
