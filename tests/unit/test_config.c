/* test_config.c - the settings table, the file parser and the environment. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "tap.h"

static void
test_defaults(void)
{
	struct settings s;

	config_defaults(&s);
	is_str(s.listen, "127.0.0.1:8080", "default listen address");
	is_str(s.listen_host, "127.0.0.1", "listen host derived");
	ok(s.listen_port == 8080, "listen port derived");
	ok(s.max_body_size == 1048576, "default body limit is 1 MiB");
	ok(s.pool_size >= 1, "pool size positive");
	ok(s.log_level == LOG_LEVEL_INFO, "log level info");
	is_str(s.contact_email, "blijfkennismaken@west-vlaanderen.be",
	    "the partnership's contact address by default");
	ok(strstr(s.controller_address, "8200 Brugge") != NULL &&
	    *s.logo_file == '\0' && *s.logo_alt != '\0',
	    "the controller's seat, no logo, an alt text ready for one");
	is_str(s.public_url, "", "public_url not set");
	config_free(&s);
}

/* public_url, not set, follows listen. */
static void
test_public_url(void)
{
	static const struct {
		const char *listen, *public_url, *want;
		enum public_url_from from;
	} cases[] = {
		{ "127.0.0.1:8080", NULL, "http://127.0.0.1:8080",
		  PUBLIC_URL_LISTEN },
		{ "127.0.0.1:9123", NULL, "http://127.0.0.1:9123",
		  PUBLIC_URL_LISTEN },
		{ "localhost:80", NULL, "http://localhost", PUBLIC_URL_LISTEN },
		{ "[2001:db8::7]:8081", NULL, "http://[2001:db8::7]:8081",
		  PUBLIC_URL_LISTEN },
		{ "[fe80::1%eth0]:8081", NULL, "http://[fe80::1%25eth0]:8081",
		  PUBLIC_URL_LISTEN },
		{ "0.0.0.0:9000", NULL, "http://127.0.0.1:9000",
		  PUBLIC_URL_LOOPBACK },
		{ "[::]:9000", NULL, "http://[::1]:9000", PUBLIC_URL_LOOPBACK },
		{ "127.0.0.1:0", NULL, "http://127.0.0.1:0",
		  PUBLIC_URL_LOOPBACK },
		{ "0.0.0.0:9000", "https://leren.example/", "https://leren.example",
		  PUBLIC_URL_SET },
	};
	struct settings s, t;
	char err[CONFIG_ERR_MAX], *text;
	size_t i, len;
	FILE *fp;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config_defaults(&s);
		ok(config_set(&s, "listen", cases[i].listen, "t", err,
		    sizeof(err)), "listen %s", cases[i].listen);
		if (cases[i].public_url != NULL)
			ok(config_set(&s, "public_url", cases[i].public_url,
			    "t", err, sizeof(err)), "public_url set");
		ok(config_finish(&s, err, sizeof(err)), "finished");
		is_str(s.public_url, cases[i].want, "listen %s: public_url",
		    cases[i].listen);
		ok(s.public_url_from == (int)cases[i].from,
		    "listen %s: public_url from %d", cases[i].listen,
		    s.public_url_from);

		/* -t shows it; read back, it still follows listen */
		text = NULL;
		len = 0;
		fp = open_memstream(&text, &len);
		config_print(&s, fp);
		fclose(fp);
		ok(strstr(text, cases[i].want) != NULL, "-t shows %s",
		    cases[i].want);
		config_defaults(&t);
		ok(config_parse_text(&t, "printed", text, err, sizeof(err)) &&
		    config_finish(&t, err, sizeof(err)), "-t reads back");
		is_str(t.public_url, s.public_url, "the same public_url");
		ok(t.public_url_from == s.public_url_from, "from the same");
		config_free(&t);
		config_free(&s);
		free(text);
	}
}

static void
test_file(void)
{
	struct settings s;
	char err[CONFIG_ERR_MAX];
	bool r;

	config_defaults(&s);
	r = config_parse_text(&s, "t.conf",
	    "# comment\n"
	    "\n"
	    "listen = [::1]:9090   # trailing comment\n"
	    "public_url = \"https://leren.example/\"\n"
	    "pool_size=7\n"
	    "database_url = \"host=/tmp dbname=x # not a comment\"\n"
	    "log_level = debug\n", err, sizeof(err));
	ok(r, "a valid file parses (%s)", r ? "" : err);
	is_str(s.listen_host, "::1", "bracketed IPv6 host");
	ok(s.listen_port == 9090, "IPv6 port");
	is_str(s.public_url, "https://leren.example", "trailing / dropped");
	ok(s.pool_size == 7, "pool_size without spaces");
	is_str(s.database_url, "host=/tmp dbname=x # not a comment",
	    "quoted value keeps '#'");
	ok(s.log_level == LOG_LEVEL_DEBUG, "log level debug");
	config_free(&s);
}

static void
test_errors(void)
{
	static const struct {
		const char *text, *needle;
	} bad[] = {
		{ "colour = blue\n", "unknown setting 'colour'" },
		{ "pool_size = abc\n", "pool_size" },
		{ "pool_size = 0\n", "pool_size" },
		{ "pool_size = 99999999999999999999\n", "pool_size" },
		{ "max_body_size = 12kb\n", "max_body_size" },
		{ "listen = 8080\n", "listen" },
		{ "listen = host:99999\n", "listen" },
		{ "listen = /x:80\n", "listen" },
		{ "listen = \"a b:80\"\n", "listen" },
		{ "listen = [fe80::1%]:80\n", "listen" },
		{ "listen = [zz::1]:80\n", "listen" },
		{ "public_url = ftp://x\n", "public_url" },
		{ "public_url = https://\n", "public_url" },
		{ "public_url = http:///x\n", "public_url" },
		{ "public_url = \"https://a b\"\n", "public_url" },
		{ "log_level = loud\n", "log_level" },
		{ "just words\n", "key = value" },
		{ "database_url = \"open\n", "database_url" },
		{ "\n\nrate_limit = -1\n", "t.conf:3" },
		{ "contact_email = nobody\n", "contact_email" },
		{ "privacy_contact = \"a b@x.be\"\n", "privacy_contact" },
		{ "logo_alt = \"\"\n", "logo_alt" },
		{ "controller_name = \"\"\n", "controller_name" },
	};
	struct settings s;
	char err[CONFIG_ERR_MAX];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		config_defaults(&s);
		err[0] = '\0';
		ok(!config_parse_text(&s, "t.conf", bad[i].text, err,
		    sizeof(err)) && strstr(err, bad[i].needle) != NULL,
		    "refused with a message naming '%s': %s", bad[i].needle,
		    err);
		config_free(&s);
	}
}

static void
test_env(void)
{
	struct settings s;
	char err[CONFIG_ERR_MAX];

	unsetenv("LEERKANS_CONFIG");
	setenv("LEERKANS_POOL_SIZE", "9", 1);
	setenv("LEERKANS_LISTEN", "127.0.0.1:18080", 1);
	ok(config_load(&s, NULL, err, sizeof(err)), "environment loads");
	ok(s.pool_size == 9, "LEERKANS_POOL_SIZE wins over the default");
	ok(s.listen_port == 18080, "LEERKANS_LISTEN parsed");
	config_free(&s);

	setenv("LEERKANS_POOL_SIZE", "many", 1);
	ok(!config_load(&s, NULL, err, sizeof(err)) &&
	    strstr(err, "LEERKANS_POOL_SIZE") != NULL,
	    "a bad environment value names its variable: %s", err);
	config_free(&s);
	unsetenv("LEERKANS_POOL_SIZE");
	unsetenv("LEERKANS_LISTEN");

	ok(!config_load(&s, "/nonexistent/leerkansd.conf", err, sizeof(err))
	    && strstr(err, "/nonexistent/leerkansd.conf") != NULL,
	    "a missing file is named: %s", err);
	config_free(&s);
}

/* leerkansd -t prints the settings in the file's syntax: they read back. */
static void
test_print_reads_back(void)
{
	struct settings s, t;
	char err[CONFIG_ERR_MAX], *text = NULL;
	size_t len = 0;
	FILE *fp;
	bool r;

	config_defaults(&s);
	r = config_parse_text(&s, "t.conf",
	    "public_url = \"https://x.example/a\\\"b\\\\c\"\n"
	    "database_url = \"dbname=a\\\\b\"\n", err, sizeof(err));
	ok(r, "quotes and backslashes in values (%s)", r ? "" : err);
	fp = open_memstream(&text, &len);
	config_print(&s, fp);
	fclose(fp);
	ok(strstr(text, "public_url = \"https://x.example/a\\\"b\\\\c\"\n")
	    != NULL, "printed escaped");
	config_defaults(&t);
	r = config_parse_text(&t, "printed", text, err, sizeof(err));
	ok(r, "what -t prints reads back (%s)", r ? "" : err);
	is_str(t.public_url, s.public_url, "the same public_url");
	is_str(s.database_url, "dbname=a\\b", "backslash unescaped");
	is_str(t.listen, s.listen, "the same listen");
	config_free(&t);
	config_free(&s);
	free(text);
}

int
main(void)
{
	log_init("test_config", LOG_LEVEL_ERROR);
	test_defaults();
	test_public_url();
	test_file();
	test_errors();
	test_env();
	test_print_reads_back();
	return done_testing();
}
