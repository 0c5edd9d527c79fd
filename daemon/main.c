/*
 * main.c - leerkansd: options, settings, signals as loop events, the
 * loop and a clean shutdown.
 */
#include "autoconf.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <libical/ical.h>

#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "ratelimit.h"
#include "request.h"

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
	struct settings s;
	struct server srv;
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
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	icaltimezone_set_tzid_prefix("");

	memset(&srv, 0, sizeof(srv));
	srv.s = &s;
	if ((srv.base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	if ((srv.pool = db_pool_new(srv.base, &s)) == NULL)
		fatalx("cannot create the database pool");
	srv.rl_addr = ratelimit_new(s.rate_limit, 60);
	srv.rl_email = ratelimit_new(s.email_rate_limit, 3600);
	if (srv.rl_addr == NULL || srv.rl_email == NULL)
		fatalx("out of memory");
	for (i = 0; i < 3; i++) {
		sigev[i] = evsignal_new(srv.base, sigs[i], signal_cb, &srv);
		if (sigev[i] == NULL || evsignal_add(sigev[i], NULL) == -1)
			fatalx("cannot watch signals");
	}
	if (!http_start(&srv))
		return 1;
	db_pool_start(srv.pool);
	if (*s.erasure_secret == '\0')
		log_warnx("erasure_secret is not set: erasure is refused and "
		    "the reach report cannot match erased registrations");
	log_info("leerkansd %s started", PACKAGE_VERSION);

	event_base_dispatch(srv.base);

	http_stop(&srv);
	for (i = 0; i < 3; i++)
		event_free(sigev[i]);
	if (srv.inflight == 0) {
		db_pool_free(srv.pool);
		event_base_free(srv.base);
	}
	ratelimit_free(srv.rl_addr);
	ratelimit_free(srv.rl_email);
	icaltimezone_free_builtin_timezones();
	log_info("stopped");
	config_free(&s);
	return 0;
}
