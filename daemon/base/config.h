/*
 * config.h - the settings of leerkansd and leerkansctl.
 *
 * One table (config.c) names every setting, its type, default, bounds and
 * environment variable.  Settings come from the defaults, then the file
 * given with -c (or $LEERKANS_CONFIG), then the environment.
 */
#ifndef LEERKANS_CONFIG_H
#define LEERKANS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct settings {
	char	*database_url;		/* libpq conninfo or URI; "" = libpq defaults */
	char	*listen;		/* host:port */
	char	*public_url;		/* base of links and feed URLs, no trailing '/' */
	int	 log_level;		/* enum log_level */
	int	 pool_size;		/* database connections */
	int	 max_body_size;		/* bytes */
	int	 max_header_size;	/* bytes */
	int	 request_timeout;	/* seconds: a request's whole life */
	int	 idle_timeout;		/* seconds: reading or writing a connection */
	int	 max_connections;	/* client connections at once */
	int	 max_connections_per_address; /* from one address; 0: any */
	int	 connect_timeout;	/* seconds: one database connection attempt */
	int	 statement_timeout;	/* milliseconds, sent to PostgreSQL */
	int	 queue_timeout;		/* milliseconds: waiting for a free connection */
	int	 retry_after;		/* seconds, in 503 answers */
	int	 rate_limit;		/* registrations a minute per address, 0 = off */
	int	 email_rate_limit;	/* registrations an hour per e-mail, 0 = off */
	int	 retention_months;	/* personal data kept after an event ends */
	int	 trust_forwarded_for;	/* client address from X-Forwarded-For */
	int	 cache_size;		/* MiB of rendered answers kept */
	char	*erasure_secret;	/* HMAC key of erased people's pseudonyms; "" = unset */
	/* who is behind the pages: the footer, the privacy notice */
	char	*contact_email;		/* in every page's footer */
	char	*controller_name;	/* the controller of personal data */
	char	*controller_address;
	char	*privacy_contact;	/* for data protection questions */
	char	*logo_file;		/* PNG, WebP or SVG; "" = no logo */
	char	*logo_alt;		/* the logo's alt text */
	/* the console (/beheer/) */
	int	 session_idle_timeout;	/* seconds a session may go unused */
	int	 session_lifetime;	/* seconds a session lasts at most */
	int	 login_rate_limit;	/* failed logins / 15 min per address, 0 = off */
	int	 login_account_rate_limit; /* failed logins / 15 min per account */
	int	 password_threads;	/* threads checking password hashes */
	int	 password_queue;	/* checks waiting or running; more: 503 */
	int	 checkin_margin_hours;	/* check-in open this long around the day */
	/* mail (daemon/mail/) */
	char	*smtp_url;		/* "" = the maildir */
	char	*mail_from;
	int	 reminder_hours;
	char	*maildir;		/* "" and no smtp_url: no sending */
	int	 mail_lease;		/* seconds a claim holds */
	int	 mail_retention_days;	/* sent rows kept */

	/* derived */
	char	*listen_host;
	int	 listen_port;
	int	 public_url_from;	/* enum public_url_from */
};

/* Where public_url came from (config_finish). */
enum public_url_from {
	PUBLIC_URL_SET,		/* the file or the environment */
	PUBLIC_URL_LISTEN,	/* not set: http://listen */
	PUBLIC_URL_LOOPBACK	/* not set, and listen is 0.0.0.0 or ::
				 * (or port 0): a loopback guess */
};

enum setting_type {
	SETTING_STRING,
	SETTING_INT,
	SETTING_BOOL,
	SETTING_LOG_LEVEL,
	SETTING_LISTEN,
	SETTING_URL,
	SETTING_SECRET,		/* a string never printed; empty or >= 16 bytes */
	SETTING_EMAIL		/* an e-mail address (valid_email) */
};

#define CONFIG_SECRET_MIN	16

struct setting_def {
	const char		*name;
	const char		*env;
	enum setting_type	 type;
	size_t			 offset;
	const char		*def;
	long			 min, max;
	const char		*help;
};

extern const struct setting_def config_table[];
extern const size_t config_table_len;

#define CONFIG_ERR_MAX	512

/* Loads defaults, then file (may be NULL: $LEERKANS_CONFIG or none), then env. */
bool	config_load(struct settings *s, const char *file, char *err,
	    size_t errlen) __attribute__((warn_unused_result));
/* Applies "key = value" text; name is used in messages. */
bool	config_parse_text(struct settings *s, const char *name,
	    const char *text, char *err, size_t errlen)
	    __attribute__((warn_unused_result));
bool	config_set(struct settings *s, const char *key, const char *value,
	    const char *where, char *err, size_t errlen)
	    __attribute__((warn_unused_result));
void	config_defaults(struct settings *s);
/* What follows from the settings read: public_url from listen when it
 * is not set. */
bool	config_finish(struct settings *s, char *err, size_t errlen)
	    __attribute__((warn_unused_result));
void	config_free(struct settings *s);
void	config_print(const struct settings *s, void *fp);

#endif
