/*
 * log.c - logging to stderr.
 *
 * Every line is "LEVEL: message".  The daemon runs in the foreground under
 * systemd (or a terminal), which adds time stamps of its own, so none are
 * written here.  Nothing that identifies a person may be passed in: callers
 * log slugs, ids and status codes, never names, e-mail addresses or tokens.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/util.h"

static const char *log_progname = "leerkans";
static enum log_level log_level = LOG_LEVEL_INFO;
static char access_buf[16384];
static size_t access_len;
static void (*flush_hook)(void);

static const char *const level_names[] = {
	[LOG_LEVEL_ERROR] = "error",
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

void
log_init(const char *progname, enum log_level level)
{
	log_progname = progname;
	log_level = level;
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

const char *
log_level_name(enum log_level level)
{
	return level_names[level];
}

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	if (strcasecmp(s, "warn") == 0) {
		*out = LOG_LEVEL_WARNING;
		return 0;
	}
	return -1;
}

void
log_set_flush_hook(void (*hook)(void))
{
	flush_hook = hook;
}

void
log_flush(void)
{
	if (access_len == 0)
		return;
	fwrite(access_buf, 1, access_len, stderr);
	fflush(stderr);
	access_len = 0;
}

void
log_access(const char *line, size_t len)
{
	size_t plen = strlen(log_progname);

	if (log_level < LOG_LEVEL_INFO)
		return;
	if (len > LOG_ACCESS_MAX)
		len = LOG_ACCESS_MAX;
	if (access_len + plen + sizeof(": info: \n") + len > sizeof(access_buf))
		log_flush();
	access_len = str_put(access_buf, sizeof(access_buf), access_len,
	    log_progname, plen);
	access_len = str_put(access_buf, sizeof(access_buf), access_len,
	    ": info: ", 8);
	access_len = str_put(access_buf, sizeof(access_buf), access_len,
	    line, len);
	access_len = str_put(access_buf, sizeof(access_buf), access_len,
	    "\n", 1);
	if (flush_hook != NULL)
		flush_hook();
	else
		log_flush();
}

static void LK_PRINTF(3, 0)
log_vwrite(enum log_level level, const char *suffix, const char *fmt,
    va_list ap)
{
	char msg[2048];

	if (level > log_level)
		return;
	log_flush();
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (suffix != NULL)
		fprintf(stderr, "%s: %s: %s: %s\n", log_progname,
		    level_names[level], msg, suffix);
	else
		fprintf(stderr, "%s: %s: %s\n", log_progname,
		    level_names[level], msg);
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARNING, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
