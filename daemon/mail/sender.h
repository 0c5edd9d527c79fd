/*
 * mail/sender.h - leerkansd's mail sender: it claims due mails from the
 * outbox (lk_mail_claim, migrations/functions/60_mail.sql), renders each
 * (render/mail.c, mail/message.c) and sends it over SMTP with libcurl's
 * multi interface on the event loop, or writes it into a Maildir; then
 * marks it sent, or failed (lk_mail_sent, lk_mail_failed).  Woken by
 * the outbox's notifications ("mail:XID" on leerkans_feeds) and by a
 * timer; the timer also queues due reminders and purges old sent rows
 * (lk_mail_tick).
 */
#ifndef LEERKANS_MAIL_SENDER_H
#define LEERKANS_MAIL_SENDER_H

#include <stdbool.h>

#include <event2/event.h>

struct db_pool;
struct settings;
struct mail_sender;

/* Once, before any thread starts (curl_global_init, g_mime_init). */
bool	mail_global_init(void) __attribute__((warn_unused_result));
void	mail_global_cleanup(void);

/* NULL when out of memory; a sender with neither smtp_url nor maildir
 * set never sends (mails wait in the outbox). */
struct mail_sender *mail_sender_new(struct event_base *base,
	    struct db_pool *pool, const struct settings *s);
/* After db_pool_start: the first claim and the timer. */
void	mail_sender_start(struct mail_sender *ms);
/* Something may be due: claim soon. */
void	mail_sender_wake(struct mail_sender *ms);
/* Stops; mails being sent stay claimed until their lease ends. */
void	mail_sender_free(struct mail_sender *ms);

#endif
