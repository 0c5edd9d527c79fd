/*
 * log.h - logging to stderr, systemd style.
 *
 * log_warn adds strerror(errno), log_warnx does not.  fatal/fatalx exit
 * and are only for start-up, before the event loop runs.
 */
#ifndef LEERKANS_LOG_H
#define LEERKANS_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

#define LK_PRINTF(a, b)	__attribute__((format(printf, a, b)))

void	log_init(const char *progname, enum log_level level);
void	log_set_level(enum log_level level);
enum log_level	log_get_level(void);
int	log_level_parse(const char *s, enum log_level *out);
const char *log_level_name(enum log_level level);

void	log_warn(const char *fmt, ...) LK_PRINTF(1, 2);
void	log_warnx(const char *fmt, ...) LK_PRINTF(1, 2);
void	log_info(const char *fmt, ...) LK_PRINTF(1, 2);
void	log_debug(const char *fmt, ...) LK_PRINTF(1, 2);
/*
 * Access lines are buffered: written when the loop has nothing else to
 * do (the hook, set by main, schedules that), when the buffer is full,
 * and before any other line, so that the order holds.  line is len
 * bytes without the newline; a line longer than LOG_ACCESS_MAX is cut.
 */
#define LOG_ACCESS_MAX	600
void	log_access(const char *line, size_t len);
void	log_flush(void);
void	log_set_flush_hook(void (*hook)(void));
void	fatal(const char *fmt, ...) LK_PRINTF(1, 2) __attribute__((noreturn));
void	fatalx(const char *fmt, ...) LK_PRINTF(1, 2) __attribute__((noreturn));

#endif
