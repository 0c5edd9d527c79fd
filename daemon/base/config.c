/*
 * config.c - one table of settings; file and environment.
 *
 * The file is lines of "key = value".  '#' starts a comment outside quotes;
 * a value may be "quoted" (with \" and \\ inside).  Every key may be given
 * in the environment as LEERKANS_<KEY>, which wins over the file.
 */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/config.h"
#include "base/log.h"
#include "input/validate.h"

#define OFF(f)	offsetof(struct settings, f)

const struct setting_def config_table[] = {
	{ "database_url", "LEERKANS_DATABASE_URL", SETTING_STRING,
	  OFF(database_url), "", 0, 0,
	  "libpq connection string or URI; empty: libpq defaults (PGHOST, ...)" },
	{ "listen", "LEERKANS_LISTEN", SETTING_LISTEN, OFF(listen),
	  "127.0.0.1:8080", 0, 0, "address and port to serve HTTP on" },
	{ "public_url", "LEERKANS_PUBLIC_URL", SETTING_URL, OFF(public_url),
	  "", 0, 0,
	  "base URL used in links, feeds and problem types; not set: "
	  "http:// and the listen address" },
	{ "log_level", "LEERKANS_LOG_LEVEL", SETTING_LOG_LEVEL, OFF(log_level),
	  "info", 0, 0, "error, warning, info or debug" },
	{ "pool_size", "LEERKANS_POOL_SIZE", SETTING_INT, OFF(pool_size),
	  "4", 1, 256, "database connections kept open" },
	{ "max_body_size", "LEERKANS_MAX_BODY_SIZE", SETTING_INT,
	  OFF(max_body_size), "1048576", 1024, 64 * 1024 * 1024,
	  "largest request body in bytes; larger ones get 413" },
	{ "max_header_size", "LEERKANS_MAX_HEADER_SIZE", SETTING_INT,
	  OFF(max_header_size), "16384", 1024, 1024 * 1024,
	  "largest request head (request line and headers) in bytes" },
	{ "request_timeout", "LEERKANS_REQUEST_TIMEOUT", SETTING_INT,
	  OFF(request_timeout), "15", 1, 3600,
	  "seconds a request may take before it is answered 503" },
	{ "idle_timeout", "LEERKANS_IDLE_TIMEOUT", SETTING_INT,
	  OFF(idle_timeout), "30", 1, 3600,
	  "seconds a client connection may stay silent" },
	{ "max_connections", "LEERKANS_MAX_CONNECTIONS", SETTING_INT,
	  OFF(max_connections), "10000", 16, 1000000,
	  "client connections served at once; more wait to be accepted" },
	{ "max_connections_per_address", "LEERKANS_MAX_CONNECTIONS_PER_ADDRESS",
	  SETTING_INT, OFF(max_connections_per_address), "256", 0, 1000000,
	  "client connections from one IPv4 address or IPv6 /64; 0: no limit "
	  "(ignored with trust_forwarded_for)" },
	{ "connect_timeout", "LEERKANS_CONNECT_TIMEOUT", SETTING_INT,
	  OFF(connect_timeout), "5", 1, 300,
	  "seconds one attempt to connect to PostgreSQL may take" },
	{ "statement_timeout", "LEERKANS_STATEMENT_TIMEOUT", SETTING_INT,
	  OFF(statement_timeout), "5000", 100, 3600000,
	  "milliseconds one SQL statement may run (PostgreSQL statement_timeout)" },
	{ "queue_timeout", "LEERKANS_QUEUE_TIMEOUT", SETTING_INT,
	  OFF(queue_timeout), "3000", 10, 3600000,
	  "milliseconds work may wait for a free database connection" },
	{ "retry_after", "LEERKANS_RETRY_AFTER", SETTING_INT,
	  OFF(retry_after), "5", 1, 3600,
	  "seconds advised in Retry-After when the database is away" },
	{ "rate_limit", "LEERKANS_RATE_LIMIT", SETTING_INT, OFF(rate_limit),
	  "60", 0, 1000000,
	  "registrations a minute from one client address; 0 turns it off" },
	{ "email_rate_limit", "LEERKANS_EMAIL_RATE_LIMIT", SETTING_INT,
	  OFF(email_rate_limit), "10", 0, 1000000,
	  "registrations an hour for one e-mail address; 0 turns it off" },
	{ "retention_months", "LEERKANS_RETENTION_MONTHS", SETTING_INT,
	  OFF(retention_months), "24", 1, 1200,
	  "months after an event ends before its personal data is purged" },
	{ "cache_size", "LEERKANS_CACHE_SIZE", SETTING_INT, OFF(cache_size),
	  "64", 1, 65536,
	  "MiB of rendered feeds and catalogue answers kept in memory" },
	{ "trust_forwarded_for", "LEERKANS_TRUST_FORWARDED_FOR", SETTING_BOOL,
	  OFF(trust_forwarded_for), "no", 0, 1,
	  "take the client address from the last X-Forwarded-For entry "
	  "(only behind a reverse proxy that sets it)" },
	{ "erasure_secret", "LEERKANS_ERASURE_SECRET", SETTING_SECRET,
	  OFF(erasure_secret), "", 0, 0,
	  "key (16 bytes or more) of the pseudonyms that erased registrations "
	  "keep for the reach report; erasure and purge need it" },
	{ "contact_email", "LEERKANS_CONTACT_EMAIL", SETTING_EMAIL,
	  OFF(contact_email), "blijfkennismaken@west-vlaanderen.be", 0, 0,
	  "the contact address in every page's footer and statement" },
	{ "controller_name", "LEERKANS_CONTROLLER_NAME", SETTING_STRING,
	  OFF(controller_name), "Provincie West-Vlaanderen, voor het "
	  "West-Vlaams Partnerschap Levenslang Leren", 1, 200,
	  "who is responsible for the personal data (privacy notice)" },
	{ "controller_address", "LEERKANS_CONTROLLER_ADDRESS", SETTING_STRING,
	  OFF(controller_address), "Koning Leopold III-laan 41, 8200 Brugge",
	  1, 300, "the controller's postal address (privacy notice)" },
	{ "privacy_contact", "LEERKANS_PRIVACY_CONTACT", SETTING_EMAIL,
	  OFF(privacy_contact), "blijfkennismaken@west-vlaanderen.be", 0, 0,
	  "where to ask about personal data and use one's rights (privacy "
	  "notice); the data protection officer's address" },
	{ "logo_file", "LEERKANS_LOGO_FILE", SETTING_STRING, OFF(logo_file),
	  "", 0, 4096,
	  "a PNG, WebP or SVG logo (at most 512 KiB) for the pages' footer, "
	  "read at start; empty: no logo" },
	{ "logo_alt", "LEERKANS_LOGO_ALT", SETTING_STRING, OFF(logo_alt),
	  "West-Vlaams Partnerschap Levenslang Leren", 1, 200,
	  "the logo's text alternative (what the logo says)" },
	{ "session_idle_timeout", "LEERKANS_SESSION_IDLE_TIMEOUT", SETTING_INT,
	  OFF(session_idle_timeout), "1800", 60, 86400,
	  "seconds a console session may go unused before it ends" },
	{ "session_lifetime", "LEERKANS_SESSION_LIFETIME", SETTING_INT,
	  OFF(session_lifetime), "43200", 300, 2592000,
	  "seconds a console session lasts at most, however used" },
	{ "login_rate_limit", "LEERKANS_LOGIN_RATE_LIMIT", SETTING_INT,
	  OFF(login_rate_limit), "20", 0, 1000000,
	  "failed console logins from one client address in 15 minutes; "
	  "0 turns it off" },
	{ "login_account_rate_limit", "LEERKANS_LOGIN_ACCOUNT_RATE_LIMIT",
	  SETTING_INT, OFF(login_account_rate_limit), "10", 0, 1000000,
	  "failed logins for one console account in 15 minutes; 0 turns it "
	  "off" },
	{ "password_threads", "LEERKANS_PASSWORD_THREADS", SETTING_INT,
	  OFF(password_threads), "2", 1, 64,
	  "threads that check and make password hashes (64 MiB each while "
	  "at it)" },
	{ "password_queue", "LEERKANS_PASSWORD_QUEUE", SETTING_INT,
	  OFF(password_queue), "32", 1, 4096,
	  "password checks waiting or under way at once; more are answered "
	  "503" },
	{ "checkin_margin_hours", "LEERKANS_CHECKIN_MARGIN_HOURS", SETTING_INT,
	  OFF(checkin_margin_hours), "2", 0, 48,
	  "hours before an event's first day and after its last day that "
	  "people may still be checked in" },
	{ "smtp_url", "LEERKANS_SMTP_URL", SETTING_STRING, OFF(smtp_url), "",
	  0, 2048,
	  "where mails go: smtp://host:port (STARTTLS when offered) or "
	  "smtps://; user:password@ for AUTH; empty: the maildir" },
	{ "mail_from", "LEERKANS_MAIL_FROM", SETTING_EMAIL, OFF(mail_from),
	  "noreply@leerkans.invalid", 0, 0,
	  "the sender of every mail (From and the SMTP envelope)" },
	{ "reminder_hours", "LEERKANS_REMINDER_HOURS", SETTING_INT,
	  OFF(reminder_hours), "48", 1, 720,
	  "hours before an event's start that confirmed registrants are "
	  "reminded" },
	{ "maildir", "LEERKANS_MAILDIR", SETTING_STRING, OFF(maildir), "",
	  0, 4096,
	  "with no smtp_url, mails are written into this Maildir; both "
	  "empty: no mail is sent (it waits in the outbox)" },
	{ "mail_lease", "LEERKANS_MAIL_LEASE", SETTING_INT, OFF(mail_lease),
	  "120", 5, 3600,
	  "seconds a sender holds the mails it claimed; a daemon that dies "
	  "leaves them to others after this" },
	{ "mail_retention_days", "LEERKANS_MAIL_RETENTION_DAYS", SETTING_INT,
	  OFF(mail_retention_days), "30", 1, 3650,
	  "days a sent mail's outbox row is kept before it is deleted" },
};
const size_t config_table_len = sizeof(config_table) / sizeof(config_table[0]);

/* Frees a setting's old text; a secret is wiped first. */
static void
config_forget(const struct setting_def *d, char *old)
{
	if (old != NULL && d->type == SETTING_SECRET)
		explicit_bzero(old, strlen(old));
	free(old);
}

static const struct setting_def *
config_find(const char *key)
{
	size_t i;

	for (i = 0; i < config_table_len; i++)
		if (strcmp(config_table[i].name, key) == 0)
			return &config_table[i];
	return NULL;
}

/*
 * A host name or address, nothing else: it becomes the host of public_url
 * when that is not set, so "/x" or "a b" would make a link that is none.
 * In brackets an IPv6 address, with a zone after '%'.
 */
static bool
listen_host_ok(const char *h, size_t len, bool bracketed)
{
	const char *name = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_";
	size_t addr = len;
	const char *pct;

	if (!bracketed)
		return strspn(h, name) >= len;
	if ((pct = memchr(h, '%', len)) != NULL) {
		addr = (size_t)(pct - h);
		if (addr + 1 == len || strspn(pct + 1, name) < len - addr - 1)
			return false;
	}
	return addr > 0 && strspn(h, "0123456789abcdefABCDEF:.") >= addr;
}

static bool
parse_listen(const char *v, char **host, int *port)
{
	const char *colon, *h, *p;
	size_t hlen;
	char *end;
	long n;

	if (v[0] == '[') {
		const char *close = strchr(v, ']');

		if (close == NULL || close[1] != ':')
			return false;
		h = v + 1;
		hlen = (size_t)(close - h);
		p = close + 2;
	} else {
		colon = strrchr(v, ':');
		if (colon == NULL || strchr(v, ':') != colon)
			return false;
		h = v;
		hlen = (size_t)(colon - v);
		p = colon + 1;
	}
	if (hlen == 0 || *p == '\0' || !listen_host_ok(h, hlen, v[0] == '['))
		return false;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0 || n > 65535)
		return false;
	*host = strndup(h, hlen);
	if (*host == NULL)
		return false;
	*port = (int)n;
	return true;
}

bool
config_set(struct settings *s, const char *key, const char *value,
    const char *where, char *err, size_t errlen)
{
	const struct setting_def *d;
	char *p = (char *)s;
	char *end, *copy;
	enum log_level lvl;
	long n;

	if ((d = config_find(key)) == NULL) {
		snprintf(err, errlen, "%s: unknown setting '%s'", where, key);
		return false;
	}
	switch (d->type) {
	case SETTING_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' ||
		    n < d->min || n > d->max) {
			snprintf(err, errlen, "%s: setting %s (%s): '%s' is not "
			    "a whole number from %ld to %ld", where, d->name,
			    d->env, value, d->min, d->max);
			return false;
		}
		*(int *)(p + d->offset) = (int)n;
		return true;
	case SETTING_BOOL:
		if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") ==
		    0 || strcasecmp(value, "on") == 0 || strcmp(value, "1") == 0)
			n = 1;
		else if (strcasecmp(value, "no") == 0 || strcasecmp(value,
		    "false") == 0 || strcasecmp(value, "off") == 0 ||
		    strcmp(value, "0") == 0)
			n = 0;
		else {
			snprintf(err, errlen, "%s: setting %s (%s): '%s' is not "
			    "yes or no", where, d->name, d->env, value);
			return false;
		}
		*(int *)(p + d->offset) = (int)n;
		return true;
	case SETTING_LOG_LEVEL:
		if (log_level_parse(value, &lvl) == -1) {
			snprintf(err, errlen, "%s: setting %s (%s): '%s' is not "
			    "one of error, warning, info, debug", where,
			    d->name, d->env, value);
			return false;
		}
		*(int *)(p + d->offset) = (int)lvl;
		return true;
	case SETTING_LISTEN: {
		char *host;
		int port;

		if (!parse_listen(value, &host, &port)) {
			snprintf(err, errlen, "%s: setting %s (%s): '%s' is not "
			    "host:port", where, d->name, d->env, value);
			return false;
		}
		free(s->listen_host);
		s->listen_host = host;
		s->listen_port = port;
		break;
	}
	case SETTING_URL:
		/* a host after the scheme: "https://" alone would lose its
		 * slashes below and leave "https:"; empty: not set */
		if (*value != '\0' && !valid_url(value)) {
			snprintf(err, errlen, "%s: setting %s (%s): '%s' is not "
			    "an http:// or https:// URL", where, d->name,
			    d->env, value);
			return false;
		}
		break;
	case SETTING_SECRET:
		if (*value != '\0' && strlen(value) < CONFIG_SECRET_MIN) {
			snprintf(err, errlen, "%s: setting %s (%s): a secret of "
			    "at least %d bytes is needed", where, d->name, d->env,
			    CONFIG_SECRET_MIN);
			return false;
		}
		break;
	case SETTING_EMAIL:
		if (!valid_email(value)) {
			snprintf(err, errlen, "%s: setting %s (%s): '%s' is not "
			    "an e-mail address", where, d->name, d->env, value);
			return false;
		}
		break;
	case SETTING_STRING:
		/* a length from min to max bytes, when the row gives one */
		if (d->max > 0 && (strlen(value) < (size_t)d->min ||
		    strlen(value) > (size_t)d->max)) {
			snprintf(err, errlen, "%s: setting %s (%s): %ld to %ld "
			    "bytes are needed", where, d->name, d->env, d->min,
			    d->max);
			return false;
		}
		break;
	}
	if ((copy = strdup(value)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	if (d->type == SETTING_URL) {
		size_t len = strlen(copy);

		while (len > 0 && copy[len - 1] == '/')
			copy[--len] = '\0';
	}
	config_forget(d, *(char **)(p + d->offset));
	*(char **)(p + d->offset) = copy;
	return true;
}

void
config_defaults(struct settings *s)
{
	char err[CONFIG_ERR_MAX];
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < config_table_len; i++)
		if (!config_set(s, config_table[i].name, config_table[i].def,
		    "default", err, sizeof(err)))
			fatalx("%s", err);	/* a bug in the table */
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Reads a value in place: quoted or bare, drops a trailing comment. */
static bool
parse_value(char *v, char **out)
{
	char *r, *w;

	v = trim(v);
	if (*v != '"') {
		char *hash;

		for (hash = v; (hash = strchr(hash, '#')) != NULL; hash++)
			if (hash == v || isspace((unsigned char)hash[-1])) {
				*hash = '\0';
				break;
			}
		*out = trim(v);
		return true;
	}
	for (r = v + 1, w = v; *r != '"'; r++) {
		if (*r == '\0')
			return false;
		if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
			r++;
		*w++ = *r;
	}
	*w = '\0';
	r = trim(r + 1);
	if (*r != '\0' && *r != '#')
		return false;
	*out = v;
	return true;
}

bool
config_parse_text(struct settings *s, const char *name, const char *text,
    char *err, size_t errlen)
{
	char *copy, *line, *next, *key, *eq, *value;
	char where[300];
	int lineno = 0;
	bool ok = false;

	if ((copy = strdup(text)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	for (line = copy; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		snprintf(where, sizeof(where), "%s:%d", name, lineno);
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s: expected 'key = value'",
			    where);
			goto fail;
		}
		*eq = '\0';
		key = trim(key);
		if (!parse_value(eq + 1, &value)) {
			snprintf(err, errlen, "%s: setting %s: unterminated "
			    "or malformed quoted value", where, key);
			goto fail;
		}
		if (!config_set(s, key, value, where, err, errlen))
			goto fail;
	}
	ok = true;
fail:
	free(copy);
	return ok;
}

static char *
read_file(const char *path, char *err, size_t errlen)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb;

			if (cap > 1024 * 1024) {
				snprintf(err, errlen, "%s: too large", path);
				goto fail;
			}
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap)) == NULL) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: not a text file", path);
		goto fail;
	}
	buf[len] = '\0';
	fclose(fp);
	return buf;
fail:
	fclose(fp);
	free(buf);
	return NULL;
}

/*
 * public_url, when not set, is http:// and the listen address, so that a
 * daemon moved to another port links to that port.  A wildcard address
 * (0.0.0.0, ::) is none a browser can be sent to: loopback is the guess
 * then (as for port 0, which the kernel picks), and leerkansd warns.
 */
static bool
config_public_url(struct settings *s, char *err, size_t errlen)
{
	const char *host = s->listen_host, *c;
	char url[300], port[16] = "";
	size_t n;
	bool v6;

	if (*s->public_url != '\0') {
		s->public_url_from = PUBLIC_URL_SET;
		return true;
	}
	s->public_url_from = PUBLIC_URL_LISTEN;
	if (strcmp(host, "0.0.0.0") == 0) {
		host = "127.0.0.1";
		s->public_url_from = PUBLIC_URL_LOOPBACK;
	} else if (strspn(host, ":0") == strlen(host)) {
		host = "::1";		/* "::", "0::0", ... */
		s->public_url_from = PUBLIC_URL_LOOPBACK;
	}
	if (s->listen_port == 0)
		s->public_url_from = PUBLIC_URL_LOOPBACK;
	if (s->listen_port != 80)
		snprintf(port, sizeof(port), ":%d", s->listen_port);
	v6 = strchr(host, ':') != NULL;
	n = (size_t)snprintf(url, sizeof(url), "http://%s", v6 ? "[" : "");
	/* an IPv6 zone ("fe80::1%eth0") is "%25" in a URL (RFC 6874) */
	for (c = host; *c != '\0' && n + 4 < sizeof(url); c++) {
		url[n++] = *c;
		if (*c == '%') {
			url[n++] = '2';
			url[n++] = '5';
		}
	}
	snprintf(url + n, sizeof(url) - n, "%s%s", v6 ? "]" : "", port);
	free(s->public_url);
	if ((s->public_url = strdup(url)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	return true;
}

bool
config_finish(struct settings *s, char *err, size_t errlen)
{
	return config_public_url(s, err, errlen);
}

bool
config_load(struct settings *s, const char *file, char *err, size_t errlen)
{
	const char *v;
	char *text;
	size_t i;

	config_defaults(s);
	if (file == NULL && (v = getenv("LEERKANS_CONFIG")) != NULL && *v)
		file = v;
	if (file != NULL) {
		if ((text = read_file(file, err, errlen)) == NULL)
			return false;
		if (!config_parse_text(s, file, text, err, errlen)) {
			free(text);
			return false;
		}
		free(text);
	}
	for (i = 0; i < config_table_len; i++) {
		if ((v = getenv(config_table[i].env)) == NULL)
			continue;
		if (!config_set(s, config_table[i].name, v, "environment",
		    err, errlen))
			return false;
	}
	return config_finish(s, err, errlen);
}

void
config_free(struct settings *s)
{
	size_t i;
	char *p = (char *)s;

	for (i = 0; i < config_table_len; i++) {
		if (config_table[i].type == SETTING_STRING ||
		    config_table[i].type == SETTING_LISTEN ||
		    config_table[i].type == SETTING_URL ||
		    config_table[i].type == SETTING_SECRET ||
		    config_table[i].type == SETTING_EMAIL) {
			config_forget(&config_table[i],
			    *(char **)(p + config_table[i].offset));
			*(char **)(p + config_table[i].offset) = NULL;
		}
	}
	free(s->listen_host);
	s->listen_host = NULL;
}

/* A value as the file parser reads it back: quoted, \" and \\ inside. */
static void
print_quoted(FILE *fp, const char *v)
{
	putc('"', fp);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			putc('\\', fp);
		putc(*v, fp);
	}
	putc('"', fp);
}

void
config_print(const struct settings *s, void *vfp)
{
	FILE *fp = vfp;
	const char *p = (const char *)s;
	size_t i;

	for (i = 0; i < config_table_len; i++) {
		const struct setting_def *d = &config_table[i];

		fprintf(fp, "# %s (%s)\n", d->help, d->env);
		switch (d->type) {
		case SETTING_INT:
			fprintf(fp, "%s = %d\n", d->name,
			    *(const int *)(p + d->offset));
			break;
		case SETTING_BOOL:
			fprintf(fp, "%s = %s\n", d->name,
			    *(const int *)(p + d->offset) ? "yes" : "no");
			break;
		case SETTING_LOG_LEVEL:
			fprintf(fp, "%s = %s\n", d->name, log_level_name(
			    (enum log_level)*(const int *)(p + d->offset)));
			break;
		case SETTING_SECRET:
			/* never shown; a comment, so the output reads back */
			fprintf(fp, "# %s = (%s; not shown)\n", d->name,
			    **(char *const *)(p + d->offset) ? "set" : "not set");
			break;
		default:
			if (strcmp(d->name, "database_url") == 0)
				fprintf(fp, "# %s = (%s; not shown: it may "
				    "hold a password)\n", d->name,
				    **(char *const *)(p + d->offset) ?
				    "set" : "libpq defaults");
			else {
				/* a value that follows listen is shown, but as
				 * a comment: the output, used as a file, still
				 * follows a changed listen */
				bool derived = d->type == SETTING_URL &&
				    s->public_url_from != PUBLIC_URL_SET;

				fprintf(fp, "%s%s = ", derived ? "# " : "",
				    d->name);
				print_quoted(fp,
				    *(char *const *)(p + d->offset));
				fprintf(fp, "%s\n", derived ?
				    "   (not set: from listen)" : "");
			}
			break;
		}
	}
}
