/*
 * db/sql.c - the statements.  The work is in the functions that the
 * migrations define (lk_*); these are the calls.
 */
#include "autoconf.h"

#include "db/sql.h"

#define STR(x)		#x
#define XSTR(x)		STR(x)

/* -- transactions and cursors, in both programs --------------------------- */

const char sql_begin[] = "BEGIN";
const char sql_commit[] = "COMMIT";
const char sql_rollback[] = "ROLLBACK";

/*
 * A cursor, the same in both programs (leerkansd's pool, leerkansctl's
 * ctl/pg.c): sql_cursor_begin, one DECLARE of lk_cursor (sql_*_cursor),
 * sql_cursor_fetch until fewer than SQL_CURSOR_BATCH rows come, then
 * sql_commit (sql_rollback on failure).  Each FETCH is a statement of its
 * own, so statement_timeout bounds one batch, not the whole stream.
 */
const char sql_cursor_begin[] =
	"BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
const char sql_cursor_fetch[] =
	"FETCH FORWARD " XSTR(SQL_CURSOR_BATCH) " FROM lk_cursor";

/* -- leerkansd's session, and the calls (leerkansctl shares the organiser's) */

/*
 * leerkansd's session, set on every connection before any work (db/pool.c):
 * $1 statement_timeout, $2 idle_in_transaction_session_timeout (ms),
 * $3 application_name.  The second only matters to cursors: should the
 * daemon ever forget one between two batches, the server ends the
 * session rather than keep its snapshot and locks for ever.
 */
const char sql_session_setup[] =
	"SELECT set_config('statement_timeout', $1, false),"
	" set_config('idle_in_transaction_session_timeout', $2, false),"
	" set_config('TimeZone', 'UTC', false),"
	" set_config('application_name', $3, false)";

/* $1 token: its name and scope (organiser, door) */
const char sql_auth[] =
	"SELECT name, scope FROM organiser_tokens"
	" WHERE token_hash = sha256(convert_to($1, 'UTF8'))"
	" AND revoked_at IS NULL";

/*
 * The schema's version and the checksum of its function files, both
 * as db/schema.h has them when the database is this build's: the
 * SHA-256 of one line "NAME CHECKSUM" per file in name order
 * (db/schema.sh).
 */
const char sql_ready[] =
	"SELECT (SELECT coalesce(max(version), 0) FROM schema_migrations),"
	" (SELECT encode(sha256(convert_to(coalesce(string_agg(name || ' '"
	"   || checksum || E'\\n', '' ORDER BY name COLLATE \"C\"), ''),"
	"   'UTF8')), 'hex') FROM schema_functions)";

/* $1 kind, $2 from, $3 to, $4 drafts too */
const char sql_events_list[] =
	"SELECT lk_events_list($1, $2::timestamptz, $3::timestamptz,"
	" $4::boolean)::text";

/* $1 slug, $2 drafts too */
const char sql_event_get[] =
	"SELECT lk_event_json(e)::text FROM events e"
	" WHERE e.slug = $1 AND ($2::boolean OR e.status <> 'draft')";

/* $1 slug: the public JSON and the event's id, for the answer cache */
const char sql_event_public[] =
	"SELECT lk_event_json(e)::text, e.id FROM events e"
	" WHERE e.slug = $1 AND e.status <> 'draft'";

/*
 * The web pages (handlers/web.c) render the API's JSON, with the database's
 * clock ("now", to tell open from closed as lk_register would) and the
 * event kinds' names.
 */
const char sql_web_index[] =
	"SELECT json_build_object('now', now(),"
	" 'kinds', (SELECT coalesce(json_agg(json_build_object('slug', k.slug,"
	"   'nl', k.title_nl, 'en', k.title_en) ORDER BY k.slug), '[]')"
	"   FROM event_kinds k),"
	" 'events', (SELECT coalesce(json_agg(lk_event_json(e)"
	"   ORDER BY e.starts_at, e.id), '[]')"
	"   FROM events e WHERE e.status = 'published' AND e.ends_at > now()))"
	"::text";

/*
 * /sitemap.xml: the event pages search engines may index (published or
 * cancelled, as the pages show them, and not ended more than 12 months
 * ago, as the feeds keep them) with when each last changed, and when
 * the index last did: an event on it changed, or one left it by ending.
 */
const char sql_web_sitemap[] =
	"SELECT json_build_object("
	" 'index_updated_at', (SELECT lk_ts(greatest("
	"   max(e.updated_at) FILTER (WHERE e.ends_at > now()),"
	"   max(e.ends_at) FILTER (WHERE e.ends_at <= now())),"
	"   'Europe/Brussels')"
	"   FROM events e WHERE e.status = 'published'),"
	" 'events', (SELECT coalesce(json_agg(json_build_object("
	"   'slug', e.slug, 'updated_at', lk_ts(e.updated_at, e.timezone))"
	"   ORDER BY e.starts_at, e.id), '[]')"
	"   FROM events e WHERE e.status IN ('published', 'cancelled')"
	"   AND e.ends_at > now() - interval '12 months'))::text";

/* $1 event slug; NULL for no such event or a draft (lk_register_form
 * answers the same document with a refusal) */
const char sql_web_event[] =
	"SELECT lk_web_event($1)::text";

/* $1 manage token; checkin_code for the QR code of the door */
const char sql_web_registration[] =
	"SELECT json_build_object('now', now(),"
	" 'registration', lk_registration_json(r, $1),"
	" 'event', lk_event_json(e), 'checkin_code', r.checkin_code)::text"
	" FROM registrations r JOIN events e ON e.id = r.event_id"
	" WHERE r.token_hash = sha256(convert_to($1, 'UTF8'))";

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

/* the web form's: $1 to $6 as sql_register; the answer, with a refusal
 * the event page's document too, and whether a registration was made */
const char sql_register_form[] =
	"SELECT f::text, f->'registration' IS NOT NULL"
	" FROM lk_register_form($1, $2::jsonb, $3::jsonb, $4, $5, $6) f";

/* $1 manage token */
const char sql_registration_get[] =
	"SELECT lk_registration_get($1)::text";

/* $1 manage token */
const char sql_registration_cancel[] =
	"SELECT lk_cancel($1)::text";

/* $1 kind, NULL for every kind; NULL answer: no such kind */
const char sql_feed_catalogue[] =
	"SELECT lk_feed_catalogue($1)::text";

/* $1 event slug; NULL answer: no such event, or a draft */
const char sql_feed_event[] =
	"SELECT lk_feed_event($1)::text";

/* $1 manage token; NULL answer: no such registration */
const char sql_feed_personal[] =
	"SELECT lk_feed_personal($1)::text";

/* the listening connection's, after every connect (0004_feeds.sql) */
const char sql_feeds_listen[] =
	"LISTEN leerkans_feeds";

/* $1 event slug, $2 session slug or NULL, $3 status filter, $4 format,
 * $5 who (token name), $6 record it in the audit log */
const char sql_export_begin[] =
	"SELECT lk_export_begin($1, $2, $3, $4, $5, $6::boolean)::text";

/*
 * The attendee list, as a cursor: $1 event slug, $2 session slug or
 * NULL, $3 status filter.  The columns are those of API.md sections 7
 * and 11 in the order of enum export_col (render/export.h), then
 * sessions_json: db/export_rows.c reads them by that order.
 */
const char sql_attendees_cursor[] =
	"DECLARE lk_cursor NO SCROLL CURSOR FOR"
	" SELECT id, status, name, email, organisation, enterprise_number,"
	" role, organisation_type, postcode, sessions, registered_at,"
	" checked_in_at, given_name, family_name, sessions_json"
	" FROM lk_attendees($1, $2, $3)";

/* The same list for a spreadsheet (the export's "excel" profile): the
 * same columns, the sessions by their titles (lk_attendees_sheet). */
const char sql_attendees_sheet_cursor[] =
	"DECLARE lk_cursor NO SCROLL CURSOR FOR"
	" SELECT id, status, name, email, organisation, enterprise_number,"
	" role, organisation_type, postcode, sessions, registered_at,"
	" checked_in_at, given_name, family_name, sessions_json"
	" FROM lk_attendees_sheet($1, $2, $3)";

/* $1 registration id, $2 present (true) or not, $3 the check-in margin
 * in hours, $4 the role or scope acting (door, organiser, admin) */
const char sql_check_in[] =
	"SELECT lk_check_in($1::bigint, $2::boolean, $3::integer, $4)::text";

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

/* -- mail: the outbox (migrations/functions/60_mail.sql) ------------------- */

/* $1 how many, $2 the lease in seconds: a JSON array of mails, or NULL */
const char sql_mail_claim[] =
	"SELECT lk_mail_claim($1::integer, $2::integer)::text";

/* $1 mail id, $2 its attempt (the claim) */
const char sql_mail_sent[] =
	"SELECT lk_mail_sent($1::bigint, $2::integer)";

/* $1 mail id, $2 attempt, $3 permanent, $4 error (a code), $5 attempts
 * at most */
const char sql_mail_failed[] =
	"SELECT lk_mail_failed($1::bigint, $2::integer, $3::boolean, $4,"
	" $5::integer)";

/* $1 reminder_hours, $2 days sent mails are kept */
const char sql_mail_tick[] =
	"SELECT lk_mail_tick($1::integer, $2::integer)::text";

/* $1 e-mail address */
const char sql_mail_links[] =
	"SELECT lk_mail_links($1)";

const char sql_mail_status[] =
	"SELECT lk_mail_status()::text";

/* $1 mail id, or NULL for every failed mail */
const char sql_mail_retry[] =
	"SELECT lk_mail_retry($1::bigint)::text";

/* -- the organiser console (http/session.c, handlers/console.c) ----------- */

/* $1 session token, $2 idle timeout in seconds: {id, email, role} or
 * NULL (no such session, or it ended) */
const char sql_session[] =
	"SELECT lk_session($1, $2::integer)::text";

/* $1 login (normalised): id, password hash, usable (not disabled); no
 * row for no such account */
const char sql_login_user[] =
	"SELECT id, password_hash, disabled_at IS NULL FROM users"
	" WHERE email = $1";

/* $1 user id, $2 new session token, $3 the browser's old one or NULL,
 * $4 idle timeout, $5 lifetime (seconds), $6 a new hash or NULL:
 * {id, email, role}, NULL if the account was disabled meanwhile */
const char sql_login[] =
	"SELECT lk_login($1::bigint, $2, $3, $4::integer, $5::integer,"
	" $6)::text";

/* $1 the account's id, or NULL for none */
const char sql_login_failed[] =
	"SELECT lk_login_failed($1::bigint)";

/* $1 session token */
const char sql_logout[] =
	"SELECT lk_logout($1)";

/* $1 role, $2 weeks of past events */
const char sql_console_dashboard[] =
	"SELECT lk_console_dashboard($1, $2::integer)::text";

/* $1 event slug; NULL: no such event (drafts included) */
const char sql_console_event[] =
	"SELECT lk_console_event($1)::text";

/* -- the console's events (handlers/console.c, functions/70_console_events) */

/* $1 slug, or NULL for a new event; $2 the event; $3 errors found in it;
 * $4 the session rows [{row, session, errors}]; $5 actor, $6 actor's
 * user id: {slug} */
const char sql_console_event_save[] =
	"SELECT lk_console_event_save($1, $2::jsonb, $3::jsonb, $4::jsonb,"
	" $5, $6::bigint)::text";

/* $1 slug, $2 actor, $3 actor's user id: {slug} */
const char sql_console_event_publish[] =
	"SELECT lk_console_event_publish($1, $2, $3::bigint)::text";
const char sql_console_event_cancel[] =
	"SELECT lk_console_event_cancel($1, $2, $3::bigint)::text";

/* $1 slug, $2 the copy's slug, $3 weeks, $4 errors found, $5 actor,
 * $6 actor's user id: {slug} */
const char sql_console_event_duplicate[] =
	"SELECT lk_console_event_duplicate($1, $2, $3::integer, $4::jsonb,"
	" $5, $6::bigint)::text";

/* $1 slug or NULL (a new event): {kinds, event}; NULL: no such event */
const char sql_console_event_form[] =
	"SELECT lk_console_event_form($1)::text";

/* $1 slug: lk_web_event's document for any status; NULL: none */
const char sql_console_event_preview[] =
	"SELECT lk_console_event_preview($1)::text";

const char sql_users[] =
	"SELECT lk_users()::text";

/* $1 login, $2 role, $3 hash (NULL with errors), $4 errors found,
 * $5 actor, $6 actor's user id */
const char sql_user_create[] =
	"SELECT lk_user_create($1, $2, $3, $4::jsonb, $5, $6::bigint)::text";

/* $1 user id, $2 changes {role, disabled, password_hash}, $3 actor,
 * $4 actor's user id */
const char sql_user_update[] =
	"SELECT lk_user_update($1::bigint, $2::jsonb, $3, $4::bigint)::text";

/* leerkansctl's, by login: $1 login, $2 changes, $3 actor */
const char sql_user_update_email[] =
	"SELECT lk_user_update(lk_user_id($1), $2::jsonb, $3, NULL)::text";

/* names, scopes and dates, never a token or its hash */
const char sql_tokens[] =
	"SELECT lk_tokens()::text";

/* $1 name, $2 token, $3 scope, $4 errors found, $5 actor, $6 actor's
 * user id */
const char sql_token_create[] =
	"SELECT lk_token_create($1, $2, $3, $4::jsonb, $5, $6::bigint)::text";

/* $1 token id, $2 actor, $3 actor's user id */
const char sql_token_revoke[] =
	"SELECT lk_token_revoke($1::bigint, $2, $3::bigint)::text";

/* leerkansctl's, by name: $1 name, $2 actor */
const char sql_token_revoke_name[] =
	"SELECT lk_token_revoke((SELECT id FROM organiser_tokens"
	" WHERE name = $1 AND revoked_at IS NULL), $2, NULL)::text";

/* $1 action or NULL, $2 before this id or NULL, $3 entries a page */
const char sql_audit_page[] =
	"SELECT lk_audit_page($1, $2::bigint, $3::integer)::text";

/* -- leerkansctl ---------------------------------------------------------- */

/* One migrate at a time; the key is "lkmg". */
const char sql_migrate_lock[] = "SELECT pg_advisory_lock(1802202471)";
const char sql_migrate_unlock[] = "SELECT pg_advisory_unlock(1802202471)";

const char sql_migrations_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version integer PRIMARY KEY,"
	" name text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

const char sql_migrations_applied[] =
	"SELECT version FROM schema_migrations ORDER BY version";

/* $1 version, $2 file name */
const char sql_migration_record[] =
	"INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

/* migrations/functions/: what was applied, by file */
const char sql_functions_table[] =
	"CREATE TABLE IF NOT EXISTS schema_functions ("
	" name text PRIMARY KEY,"
	" checksum text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

const char sql_functions_applied[] =
	"SELECT name, checksum FROM schema_functions"
	" ORDER BY name COLLATE \"C\"";

/*
 * What besides triggers needs an lk_* function: the function, and the
 * object that would go with it if it were dropped with CASCADE.
 */
const char sql_functions_dependents[] =
	"SELECT p.oid::regprocedure::text,"
	" pg_describe_object(d.classid, d.objid, d.objsubid)"
	" FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid"
	" WHERE d.refclassid = 'pg_proc'::regclass"
	" AND d.deptype IN ('n', 'a')"
	" AND p.pronamespace = current_schema()::regnamespace"
	" AND p.proname LIKE 'lk\\_%'"
	" AND d.classid <> 'pg_trigger'::regclass"
	" AND NOT (d.classid = 'pg_proc'::regclass AND EXISTS (SELECT 1"
	"   FROM pg_proc q WHERE q.oid = d.objid"
	"   AND q.pronamespace = p.pronamespace AND q.proname LIKE 'lk\\_%'))"
	" ORDER BY 2, 1";

/*
 * Every lk_* function and procedure, whatever its signature, so that a
 * function renamed or given other arguments in the files leaves no old
 * one behind; CASCADE takes the triggers that call them.
 */
const char sql_functions_drop[] =
	"DO $$DECLARE f text;"
	" BEGIN"
	" FOR f IN SELECT p.oid::regprocedure::text FROM pg_proc p"
	"   WHERE p.pronamespace = current_schema()::regnamespace"
	"   AND p.proname LIKE 'lk\\_%' AND p.prokind IN ('f', 'p') LOOP"
	"  EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', f);"
	" END LOOP;"
	" END$$";

const char sql_functions_forget[] = "DELETE FROM schema_functions";

/* $1 file name, $2 its checksum */
const char sql_function_record[] =
	"INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)";

const char sql_events_count[] = "SELECT count(*) FROM events";

/* after a purge: the old row versions hold the erased values until
 * VACUUM reclaims them */
const char sql_purge_vacuum[] = "VACUUM registrations, idempotency_keys";

/* -- the console's registrations (handlers/roster.c) ---------------------- */

/* $1 event slug, $2 the filter {q, organisation, status, session,
 * checked}; NULL: no such event */
const char sql_roster[] =
	"SELECT lk_roster($1, $2::jsonb)::text";

/* $1 event slug, $2 registration id; NULL: not one of that event's */
const char sql_roster_registration[] =
	"SELECT lk_roster_registration($1, $2::bigint)::text";

/* $1 event slug: {event}, for the walk-in form; NULL: no such event */
const char sql_roster_event[] =
	"SELECT lk_roster_event_doc($1)::text";

/* $1 event slug, $2 registration id, $3 who (the user's address) */
const char sql_roster_cancel[] =
	"SELECT lk_roster_cancel($1, $2::bigint, $3)::text";

/* $1 event slug, $2 the walk-in {given_name, family_name, organisation,
 * email, role, organisation_type}, $3 errors found, $4 who:
 * {registration} or {refusal, page} */
const char sql_walk_in[] =
	"SELECT lk_walk_in_form($1, $2::jsonb, $3::jsonb, $4)::text";
/* -- the door and "De teller loopt" (functions/80_door.sql) -- */

/* $1 the check-in margin in hours */
const char sql_door[] =
	"SELECT lk_door($1::integer)::text";

/* $1 event slug, $2 the search, $3 margin, $4 at most this many people,
 * $5 the role asking (the door sees no names while check-in is closed) */
const char sql_door_event[] =
	"SELECT lk_door_event($1, $2, $3::integer, $4::integer, $5)::text";

/* $1 check-in code, $2 margin, $3 the role asking */
const char sql_door_code[] =
	"SELECT lk_door_code($1, $2::integer, $3)::text";

/* $1 check-in code, $2 margin, $3 the role acting */
const char sql_check_in_code[] =
	"SELECT lk_check_in_code($1, $2::integer, $3)::text";

/* $1 first day (NULL: 1 January this year in Brussels), $2 last day
 * (NULL: the end of the first day's year), $3 event slug or NULL, $4
 * erasure secret; NULL for no such event */
const char sql_teller[] =
	"SELECT lk_teller(d0, coalesce($2::date, (date_trunc('year', d0)"
	" + interval '1 year - 1 day')::date), $3, $4)::text"
	" FROM (SELECT coalesce($1::date, date_trunc('year', now()"
	" AT TIME ZONE 'Europe/Brussels')::date) AS d0) x";
