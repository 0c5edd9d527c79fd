/*
 * main.c - leerkansd: options, settings, signals as loop events, the
 * loop and a clean shutdown.
 */
#include "autoconf.h"

#include <sys/resource.h>

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <libical/ical.h>

#include "base/config.h"
#include "base/image.h"
#include "db/pool.h"
#include "cache/answers.h"
#include "http/dispatch.h"
#include "base/log.h"
#include "base/password.h"
#include "base/ratelimit.h"
#include "base/worker.h"
#include "http/request.h"
#include "mail/sender.h"
#include "db/sql.h"
#include "render/page.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: leerkansd [-c FILE] [--check-config] [--help] [--version]\n"
	    "\n"
	    "Serves the leerkans event catalogue, registrations and calendar\n"
	    "feeds over HTTP.  Settings come from FILE (or $LEERKANS_CONFIG)\n"
	    "and LEERKANS_* environment variables; see leerkansd.conf(5).\n"
	    "\n"
	    "  -c, --config FILE   read settings from FILE\n"
	    "  -t, --check-config  print the settings in effect and exit\n"
	    "  -h, --help          this text\n"
	    "  -V, --version       the version\n");
}

/* Every client connection is a descriptor: take all the system allows. */
/*
 * Raises the open-files limit as far as allowed, and keeps
 * max_connections within it: the database connections, the log and a
 * margin need descriptors too.
 */
static void
raise_fd_limit(struct settings *s)
{
	struct rlimit rl;
	rlim_t spare = (rlim_t)s->pool_size + 2 + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
			log_warn("cannot raise the open-files limit");
			getrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	if (rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)s->max_connections + spare > rl.rlim_cur) {
		int max = rl.rlim_cur > spare + 16 ?
		    (int)(rl.rlim_cur - spare) : 16;

		log_warnx("max_connections %d does not fit in the open-files "
		    "limit (%llu); serving %d at once", s->max_connections,
		    (unsigned long long)rl.rlim_cur, max);
		s->max_connections = max;
	}
}

/*
 * Who is behind the pages, from the settings: every page's footer and
 * the privacy and accessibility statements draw from site.  The logo is
 * read now, once (bounded, its type by its bytes), and served from
 * memory; a logo that cannot be used stops the start, with the reason.
 */
static void
site_setup(const struct settings *s, struct page_site *site,
    struct image *logo, char *src, size_t srclen)
{
	char err[CONFIG_ERR_MAX];

	memset(site, 0, sizeof(*site));
	site->contact_email = s->contact_email;
	site->controller_name = s->controller_name;
	site->controller_address = s->controller_address;
	site->privacy_contact = s->privacy_contact;
	site->retention_months = s->retention_months;
	site->logo_alt = s->logo_alt;
	memset(logo, 0, sizeof(*logo));
	if (*s->logo_file == '\0')
		return;
	if (!image_load(s->logo_file, logo, err, sizeof(err)))
		fatalx("setting logo_file (LEERKANS_LOGO_FILE): %s", err);
	/* the address changes with the bytes: it may be cached for long */
	snprintf(src, srclen, "/static/logo?v=%.8s", logo->etag + 1);
	site->logo_src = src;
	site->logo_raster = logo->type != IMAGE_SVG;
}

/*
 * The access log is written when the loop has nothing more urgent: the
 * flush event has the lowest of three priorities (I/O and timers have
 * the middle one).
 */
static struct event *log_flush_ev;

static void
log_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	log_flush();
}

static void
log_flush_soon(void)
{
	if (!event_pending(log_flush_ev, EV_TIMEOUT, NULL))
		event_active(log_flush_ev, EV_TIMEOUT, 0);
}

/*
 * The pool's notifications: "mail:XID" (migrations/functions/60_mail.sql)
 * wakes the sender, everything else is the answer cache's.  "seats:"
 * wakes the sender too: a new registration (registrations.mail_new)
 * notifies nothing else.  A listener back up may have missed a mail's:
 * the sender looks too.
 */
static void
notify_cb(enum db_notify_event ev, const char *channel, const char *payload,
    void *arg)
{
	struct server *srv = arg;

	if (ev == DB_NOTIFY && payload != NULL &&
	    strncmp(payload, "mail:", 5) == 0) {
		mail_sender_wake(srv->mail);
		return;
	}
	/* a registration's own transaction says only "seats:" */
	if (ev == DB_LISTEN_UP || (ev == DB_NOTIFY && payload != NULL &&
	    strncmp(payload, "seats:", 6) == 0))
		mail_sender_wake(srv->mail);
	cache_notify(ev, channel, payload, srv->cache);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct server *srv = arg;

	(void)what;
	if (sig == SIGHUP) {
		log_info("SIGHUP: settings are read at start only; restart to "
		    "change them");
		return;
	}
	http_drain(srv);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct event *sigev[3];
	struct event_config *evcfg;
	struct settings s;
	struct server srv;
	struct page_site site;
	struct image logo;
	char logo_src[32];
	const char *file = NULL;
	char err[CONFIG_ERR_MAX];
	bool check = false;
	size_t i;
	int ch;

	log_init("leerkansd", LOG_LEVEL_INFO);
	while ((ch = getopt_long(argc, argv, "c:thV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("leerkansd %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!config_load(&s, file, err, sizeof(err)))
		fatalx("%s", err);
	log_set_level((enum log_level)s.log_level);
	if (check) {
		config_print(&s, stdout);
		config_free(&s);
		return 0;
	}

	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit(&s);
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());

	memset(&srv, 0, sizeof(srv));
	srv.s = &s;
	site_setup(&s, &site, &logo, logo_src, sizeof(logo_src));
	srv.site = &site;
	srv.logo = logo.data != NULL ? &logo : NULL;
	/*
	 * epoll changes are batched into the next epoll_wait: a database
	 * connection turns writing on and off for every query, a client
	 * connection when a reply does not fit the socket at once.
	 */
	if ((evcfg = event_config_new()) == NULL ||
	    event_config_set_flag(evcfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST)
	    == -1)
		fatalx("cannot configure the event loop");
	srv.base = event_base_new_with_config(evcfg);
	event_config_free(evcfg);
	if (srv.base == NULL ||
	    event_base_priority_init(srv.base, 3) == -1)
		fatalx("cannot create the event loop");
	if ((log_flush_ev = event_new(srv.base, -1, 0, log_flush_cb, NULL)) ==
	    NULL || event_priority_set(log_flush_ev, 2) == -1)
		fatalx("cannot create the event loop");
	log_set_flush_hook(log_flush_soon);
	if ((srv.pool = db_pool_new(srv.base, &s)) == NULL)
		fatalx("cannot create the database pool");
	srv.rl_addr = ratelimit_new(s.rate_limit, 60);
	srv.rl_email = ratelimit_new(s.email_rate_limit, 3600);
	srv.rl_login_addr = ratelimit_new(s.login_rate_limit, 15 * 60);
	srv.rl_login_account = ratelimit_new(s.login_account_rate_limit,
	    15 * 60);
	/* "send me my links": per client address and per e-mail address */
	srv.rl_links_addr = ratelimit_new(LINKS_PER_ADDRESS, 3600);
	srv.rl_links_email = ratelimit_new(LINKS_PER_EMAIL, 3600);
	if (srv.rl_links_addr == NULL || srv.rl_links_email == NULL ||
	    srv.rl_addr == NULL || srv.rl_email == NULL ||
	    srv.rl_login_addr == NULL || srv.rl_login_account == NULL)
		fatalx("out of memory");
	/* curl and GMime, before any thread starts */
	if (!mail_global_init())
		fatalx("cannot start libcurl");
	if ((srv.mail = mail_sender_new(srv.base, srv.pool, &s)) == NULL)
		fatalx("cannot start the mail sender");
	/* the dummy hash is made before any thread starts (~0.1 s) */
	if (!password_init())
		fatalx("libsodium cannot start, or no memory for a password "
		    "hash");
	if ((srv.passwords = worker_new(srv.base, s.password_threads,
	    s.password_queue)) == NULL)
		fatalx("cannot start the password threads");
	if ((srv.cache = cache_new(srv.pool, &s)) == NULL ||
	    !db_pool_listen(srv.pool, sql_feeds_listen, notify_cb, &srv))
		fatalx("out of memory");
	for (i = 0; i < 3; i++) {
		sigev[i] = evsignal_new(srv.base, sigs[i], signal_cb, &srv);
		if (sigev[i] == NULL || evsignal_add(sigev[i], NULL) == -1)
			fatalx("cannot watch signals");
	}
	if (!http_start(&srv))
		return 1;
	db_pool_start(srv.pool);
	mail_sender_start(srv.mail);
	if (s.public_url_from == PUBLIC_URL_LOOPBACK)
		log_warnx("public_url is not set and listen %s names no address "
		    "to link to: links, feeds and problem types use %s, which "
		    "only this machine can open; set public_url", s.listen,
		    s.public_url);
	if (*s.erasure_secret == '\0')
		log_warnx("erasure_secret is not set: erasure is refused and "
		    "the reach report cannot match erased registrations");
	log_info("leerkansd %s started", PACKAGE_VERSION);

	event_base_dispatch(srv.base);

	http_stop(&srv);
	log_set_flush_hook(NULL);
	log_flush();
	event_free(log_flush_ev);
	for (i = 0; i < 3; i++)
		event_free(sigev[i]);
	if (request_inflight(&srv) == 0) {
		worker_free(srv.passwords);
		mail_sender_free(srv.mail);
		cache_free(srv.cache);
		db_pool_free(srv.pool);
		event_base_free(srv.base);
	}
	ratelimit_free(srv.rl_addr);
	ratelimit_free(srv.rl_email);
	ratelimit_free(srv.rl_login_addr);
	ratelimit_free(srv.rl_login_account);
	ratelimit_free(srv.rl_links_addr);
	ratelimit_free(srv.rl_links_email);
	mail_global_cleanup();
	icaltimezone_free_builtin_timezones();
	image_free(&logo);
	log_info("stopped");
	config_free(&s);
	return 0;
}
