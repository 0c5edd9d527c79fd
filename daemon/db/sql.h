/*
 * sql.h - every SQL statement leerkansd and leerkansctl send.  Handlers
 * and commands pass parameters; no SQL text is ever built from input.
 */
#ifndef LEERKANS_SQL_H
#define LEERKANS_SQL_H

/* transactions and cursors, in both programs */
extern const char sql_begin[];
extern const char sql_commit[];
extern const char sql_rollback[];

/*
 * A cursor: sql_cursor_begin, a DECLARE of lk_cursor (sql_*_cursor),
 * sql_cursor_fetch until a batch brings fewer than SQL_CURSOR_BATCH
 * rows, then sql_commit.  db_pool_cursor (leerkansd) and ctl_pg_cursor
 * (leerkansctl) run it.
 */
#define SQL_CURSOR_BATCH	1000

extern const char sql_cursor_begin[];
extern const char sql_cursor_fetch[];
extern const char sql_attendees_cursor[];
extern const char sql_attendees_sheet_cursor[];

/* leerkansd's session, and the calls (leerkansctl shares the organiser's) */
extern const char sql_session_setup[];
extern const char sql_auth[];
extern const char sql_ready[];
extern const char sql_events_list[];
extern const char sql_event_get[];
extern const char sql_event_public[];
extern const char sql_web_index[];
extern const char sql_web_event[];
extern const char sql_web_registration[];
extern const char sql_web_sitemap[];
extern const char sql_event_create[];
extern const char sql_event_patch[];
extern const char sql_session_get[];
extern const char sql_session_create[];
extern const char sql_session_patch[];
extern const char sql_register[];
extern const char sql_register_form[];
extern const char sql_registration_get[];
extern const char sql_registration_cancel[];
extern const char sql_feed_catalogue[];
extern const char sql_feed_event[];
extern const char sql_feed_personal[];
extern const char sql_feeds_listen[];
extern const char sql_export_begin[];
extern const char sql_check_in[];
extern const char sql_reach[];
extern const char sql_door[];
extern const char sql_door_event[];
extern const char sql_door_code[];
extern const char sql_check_in_code[];
extern const char sql_teller[];
extern const char sql_erase[];
extern const char sql_purge[];
extern const char sql_mail_claim[];
extern const char sql_mail_sent[];
extern const char sql_mail_failed[];
extern const char sql_mail_tick[];
extern const char sql_mail_links[];
extern const char sql_mail_status[];
extern const char sql_mail_retry[];
extern const char sql_session[];
extern const char sql_login_user[];
extern const char sql_login[];
extern const char sql_login_failed[];
extern const char sql_logout[];
extern const char sql_console_dashboard[];
extern const char sql_console_event[];
extern const char sql_console_event_save[];
extern const char sql_console_event_form[];
extern const char sql_console_event_publish[];
extern const char sql_console_event_cancel[];
extern const char sql_console_event_duplicate[];
extern const char sql_console_event_preview[];
extern const char sql_users[];
extern const char sql_user_create[];
extern const char sql_user_update[];
extern const char sql_tokens[];
extern const char sql_token_create[];
extern const char sql_token_revoke[];
extern const char sql_audit_page[];

/* leerkansctl's own */
extern const char sql_migrate_lock[];
extern const char sql_migrate_unlock[];
extern const char sql_migrations_table[];
extern const char sql_migrations_applied[];
extern const char sql_migration_record[];
extern const char sql_functions_table[];
extern const char sql_functions_applied[];
extern const char sql_functions_dependents[];
extern const char sql_functions_drop[];
extern const char sql_functions_forget[];
extern const char sql_function_record[];
extern const char sql_user_update_email[];
extern const char sql_token_revoke_name[];
extern const char sql_events_count[];
extern const char sql_purge_vacuum[];

/* the console's registrations (handlers/roster.c) */
extern const char sql_roster[];
extern const char sql_roster_registration[];
extern const char sql_roster_event[];
extern const char sql_roster_cancel[];
extern const char sql_walk_in[];

#endif
