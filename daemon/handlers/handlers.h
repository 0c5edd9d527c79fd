/*
 * handlers.h - the handlers named in the route table (handlers/routes.c).
 * One file per resource family: handlers/health.c, handlers/events.c,
 * handlers/registrations.c, handlers/feeds.c, handlers/web.c,
 * handlers/public.c, handlers/organiser.c, handlers/console.c.
 */
#ifndef LEERKANS_HANDLERS_H
#define LEERKANS_HANDLERS_H

struct request;

void	h_healthz(struct request *);
void	h_readyz(struct request *);

void	h_events_list(struct request *);
void	h_events_get(struct request *);
void	h_events_create(struct request *);
void	h_events_patch(struct request *);
void	h_sessions_get(struct request *);
void	h_sessions_create(struct request *);
void	h_sessions_patch(struct request *);

void	h_registrations_create(struct request *);
void	h_registrations_get(struct request *);
void	h_registrations_cancel(struct request *);
void	h_links(struct request *);
void	h_web_links_get(struct request *);
void	h_web_links(struct request *);

void	h_feeds_all(struct request *);
void	h_feeds_kind(struct request *);
void	h_feeds_event(struct request *);
void	h_feeds_personal(struct request *);
void	h_web_index(struct request *);
void	h_web_css(struct request *);
void	h_web_event(struct request *);
void	h_web_register_get(struct request *);
void	h_web_register(struct request *);
void	h_web_registration(struct request *);
void	h_web_cancel_get(struct request *);
void	h_web_cancel(struct request *);
void	h_attendees(struct request *);
void	h_check_in(struct request *);
void	h_check_in_undo(struct request *);
void	h_reach(struct request *);
void	h_erasure(struct request *);
void	h_problem(struct request *);

/* what the site says about itself (handlers/public.c) */
void	h_public_privacy(struct request *);
void	h_public_accessibility(struct request *);
void	h_public_sitemap(struct request *);
void	h_public_robots(struct request *);
void	h_public_logo(struct request *);
void	h_public_openapi(struct request *);
void	h_console_root(struct request *);
void	h_console_login_get(struct request *);
void	h_console_login(struct request *);
void	h_console_logout(struct request *);
void	h_console_dashboard(struct request *);
void	h_console_event(struct request *);
void	h_console_event_new(struct request *);
void	h_console_event_edit(struct request *);
void	h_console_event_create(struct request *);
void	h_console_event_update(struct request *);
void	h_console_event_preview(struct request *);
void	h_console_event_publish(struct request *);
void	h_console_event_cancel_get(struct request *);
void	h_console_event_cancel(struct request *);
void	h_console_event_duplicate_get(struct request *);
void	h_console_event_duplicate(struct request *);
void	h_console_users(struct request *);
void	h_console_user_new(struct request *);
void	h_console_user_create(struct request *);
void	h_console_user_disable(struct request *);
void	h_console_user_enable(struct request *);
void	h_console_user_role(struct request *);
void	h_console_tokens(struct request *);
void	h_console_token_new(struct request *);
void	h_console_token_create(struct request *);
void	h_console_token_revoke(struct request *);
void	h_console_audit(struct request *);

/* the console's registrations (handlers/roster.c) */
void	h_roster_list(struct request *);
void	h_roster_print(struct request *);
void	h_roster_export(struct request *);
void	h_roster_walk_in_new(struct request *);
void	h_roster_walk_in(struct request *);
void	h_roster_cancel_get(struct request *);
void	h_roster_cancel(struct request *);
void	h_roster_erasure_get(struct request *);
void	h_roster_erasure(struct request *);

/* an attendee export, by the query, recorded as actor's (organiser.c):
 * the API's and the console's */
void	attendees_export(struct request *r, const char *actor);
/* handlers/door.c: check-in at the door */
void	h_door_today(struct request *);
void	h_door_event(struct request *);
void	h_door_check_in(struct request *);
void	h_door_undo(struct request *);
void	h_door_code(struct request *);
void	h_door_code_check_in(struct request *);

/* handlers/teller.c: "De teller loopt" */
void	h_teller(struct request *);
void	h_teller_xlsx(struct request *);

#endif
