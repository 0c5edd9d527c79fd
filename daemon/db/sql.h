/*
 * sql.h - every SQL statement leerkansd sends.  Handlers pass parameters;
 * no SQL text is ever built from input.
 */
#ifndef LEERKANS_SQL_H
#define LEERKANS_SQL_H

/* The highest migration this build expects (migrations/NNNN_*.sql). */
#define SCHEMA_VERSION	7

extern const char sql_auth[];
extern const char sql_ready[];
extern const char sql_events_list[];
extern const char sql_event_get[];
extern const char sql_event_public[];
extern const char sql_web_index[];
extern const char sql_web_event[];
extern const char sql_web_registration[];
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
extern const char sql_attendees[];
extern const char sql_check_in[];
extern const char sql_reach[];
extern const char sql_erase[];
extern const char sql_purge[];

#endif
