/*
 * fuzz_config.c - config_parse_text on arbitrary text.
 *
 * Promises: no crash, leak or undefined behaviour; a refusal says why;
 * what is accepted lies within the table's bounds; and what leerkansd -t
 * prints (config_print, "in the syntax of leerkansd.conf(5)") reads back
 * to the same settings.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <string.h>

#include "base/config.h"
#include "fuzz.h"
#include "base/log.h"
#include "input/validate.h"

static bool
http_url(const char *s)
{
	const char *host;

	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return false;
	return *host != '\0' && *host != '/';
}

static void
check_bounds(const struct settings *s)
{
	const char *p = (const char *)s;
	size_t i;

	for (i = 0; i < config_table_len; i++) {
		const struct setting_def *d = &config_table[i];
		const int *n = (const int *)(p + d->offset);
		const char *v;

		switch (d->type) {
		case SETTING_INT:
			FUZZ_CHECK(*n >= d->min && *n <= d->max);
			break;
		case SETTING_BOOL:
			FUZZ_CHECK(*n == 0 || *n == 1);
			break;
		case SETTING_LOG_LEVEL:
			FUZZ_CHECK(*n >= LOG_LEVEL_ERROR &&
			    *n <= LOG_LEVEL_DEBUG);
			break;
		case SETTING_URL:
			/* the base of every link: a URL, no trailing '/' */
			v = *(char *const *)(p + d->offset);
			FUZZ_CHECK(v != NULL && http_url(v));
			FUZZ_CHECK(v[strlen(v) - 1] != '/');
			break;
		case SETTING_SECRET:
			/* not set, or long enough to be a key */
			v = *(char *const *)(p + d->offset);
			FUZZ_CHECK(v != NULL && (v[0] == '\0' ||
			    strlen(v) >= CONFIG_SECRET_MIN));
			break;
		case SETTING_EMAIL:
			v = *(char *const *)(p + d->offset);
			FUZZ_CHECK(v != NULL && valid_email(v));
			break;
		case SETTING_STRING:
			v = *(char *const *)(p + d->offset);
			FUZZ_CHECK(v != NULL && (d->max == 0 ||
			    (strlen(v) >= (size_t)d->min &&
			    strlen(v) <= (size_t)d->max)));
			break;
		case SETTING_LISTEN:
			FUZZ_CHECK(*(char *const *)(p + d->offset) != NULL);
			break;
		}
	}
	FUZZ_CHECK(s->listen_host != NULL && s->listen_host[0] != '\0');
	FUZZ_CHECK(s->listen_port >= 0 && s->listen_port <= 65535);
}

/* Everything but database_url and secrets, which -t does not show. */
static void
check_same(const struct settings *a, const struct settings *b)
{
	const char *pa = (const char *)a, *pb = (const char *)b;
	size_t i;

	for (i = 0; i < config_table_len; i++) {
		const struct setting_def *d = &config_table[i];

		if (strcmp(d->name, "database_url") == 0 ||
		    d->type == SETTING_SECRET)
			continue;
		if (d->type == SETTING_INT || d->type == SETTING_BOOL ||
		    d->type == SETTING_LOG_LEVEL)
			FUZZ_CHECK(*(const int *)(pa + d->offset) ==
			    *(const int *)(pb + d->offset));
		else
			FUZZ_CHECK(strcmp(*(char *const *)(pa + d->offset),
			    *(char *const *)(pb + d->offset)) == 0);
	}
	FUZZ_CHECK(strcmp(a->listen_host, b->listen_host) == 0);
	FUZZ_CHECK(a->listen_port == b->listen_port);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s, again;
	char err[CONFIG_ERR_MAX], *text, *printed = NULL;
	size_t printed_len = 0;
	FILE *fp;

	text = fuzz_string(data, size);
	config_defaults(&s);
	err[0] = '\0';
	if (!config_parse_text(&s, "fuzz.conf", text, err, sizeof(err))) {
		FUZZ_CHECK(err[0] != '\0');
		goto done;
	}
	FUZZ_CHECK(config_finish(&s, err, sizeof(err)));
	check_bounds(&s);

	FUZZ_CHECK((fp = open_memstream(&printed, &printed_len)) != NULL);
	config_print(&s, fp);
	FUZZ_CHECK(fclose(fp) == 0);
	config_defaults(&again);
	if (!config_parse_text(&again, "printed", printed, err, sizeof(err))) {
		fprintf(stderr, "leerkansd -t output does not read back: %s\n"
		    "%s", err, printed);
		FUZZ_CHECK(!"config_print output reads back");
	}
	FUZZ_CHECK(config_finish(&again, err, sizeof(err)));
	check_same(&s, &again);
	FUZZ_CHECK(s.public_url_from == again.public_url_from);
	config_free(&again);
done:
	config_free(&s);
	free(printed);
	free(text);
	return 0;
}
