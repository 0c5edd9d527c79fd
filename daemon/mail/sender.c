/*
 * mail/sender.c - the outbox's sender, on the event loop (see sender.h).
 *
 * One claim at a time (claiming), of up to MAIL_BATCH mails, and a claim
 * only while fewer than MAIL_BATCH are being sent: a wake meanwhile is
 * remembered (again) and answered when the claim ends or a transfer
 * does, however many notifications come.  After a full claim the next
 * follows as soon as there is room, so that SMTP transfers overlap the
 * claims: at most 2 * MAIL_BATCH - 1 mails are in flight.
 *
 * The claim's mails are put together one a loop turn (build_cb, a timer
 * of no delay, so that what the poll found ready runs between two):
 * a mail with a check-in QR code costs about 0.3 ms of CPU (render/
 * door.c draws and deflates the PNG), a claim of 32 would hold the loop
 * 10 ms.  No claim is made while some of the last wait to be built.
 *
 * SMTP: one curl easy handle per mail, all of a batch in one multi
 * handle driven by libevent: curl says which sockets to watch
 * (CURLMOPT_SOCKETFUNCTION) and when to call back (TIMERFUNCTION), and
 * is told what happened with curl_multi_socket_action.  Nothing blocks:
 * name resolution is curl's threaded resolver.  Writing a Maildir file
 * (no smtp_url) is a small local write, done on the loop.
 *
 * Mails are claimed with a lease (mail_lease); a curl transfer is given
 * half of it, so that a mail is marked before anyone may claim it again.
 * A daemon killed between sending and marking leaves its claim to run
 * out and the mail is sent again: at least once, never lost.
 */
#include "autoconf.h"

#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "base/config.h"
#include "base/log.h"
#include "db/pool.h"
#include "db/sql.h"
#include "mail/message.h"
#include "mail/sender.h"
#include "render/mail.h"

#define MAIL_BATCH		32	/* mails claimed at once */
#define MAIL_POLL_SECONDS	5	/* claim anyway this often (retries) */
#define MAIL_TICK_SECONDS	60	/* reminders and the purge */
#define MAIL_MAX_ATTEMPTS	15	/* then failed: ~5 hours of retries */

struct mail_job {
	struct mail_sender	*ms;
	long long		 id;
	int			 attempt;
	enum mail_kind		 kind;
	char			*msg;
	size_t			 len;
	size_t			 off;
	CURL			*easy;
	struct curl_slist	*rcpt;
	TAILQ_ENTRY(mail_job)	 entry;
};

TAILQ_HEAD(mail_jobs, mail_job);

struct mail_sender {
	struct event_base	*base;
	struct db_pool		*pool;
	const struct settings	*s;
	bool			 claiming;	/* a claim under way */
	int			 njobs;		/* being sent (jobs) */
	bool			 again;		/* woken while busy */
	bool			 full;		/* the last claim was a full batch */
	bool			 smtp;		/* else the Maildir */
	bool			 off;		/* neither: never sends */
	CURLM			*multi;
	struct event		*curl_timer;
	struct event		*poll;
	struct event		*kick;		/* a claim on the next turn */
	struct db_query		*claim;
	struct db_query		*tick;
	json_t			*todo;		/* the claim's documents ... */
	size_t			 todo_next;	/* ... from this one not built */
	struct event		*build;		/* builds the next, next turn */
	struct mail_jobs	 jobs;		/* being sent */
	time_t			 last_tick;
	unsigned		 seq;		/* Maildir names */
	char			 lease[16];
};

static void ms_claim(struct mail_sender *ms);

bool
mail_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return false;
	mail_message_init();
	return true;
}

void
mail_global_cleanup(void)
{
	mail_message_shutdown();
	curl_global_cleanup();
}

/* -- marking ------------------------------------------------------------- */

static void
mark_done(const struct db_result *res, void *arg)
{
	(void)arg;
	if (res->status != DB_OK)
		log_warnx("mail: marking a mail failed (%s); it is sent again "
		    "when its lease ends", res->status == DB_ERROR &&
		    res->sqlstate != NULL ? res->sqlstate : "no database");
}

static void
mark_sent(struct mail_sender *ms, long long id, int attempt,
    enum mail_kind kind)
{
	char a[24], b[16];
	const char *params[2] = { a, b };

	snprintf(a, sizeof(a), "%lld", id);
	snprintf(b, sizeof(b), "%d", attempt);
	log_info("mail %lld (%s) sent", id, mail_kind_name(kind));
	(void)db_pool_submit(ms->pool, sql_mail_sent, 2, params, mark_done,
	    NULL);
}

/* error: a code, never a server's text (it can quote the address) */
static void
mark_failed(struct mail_sender *ms, long long id, int attempt,
    enum mail_kind kind, bool permanent, const char *error)
{
	char a[24], b[16], m[16];
	const char *params[5] = { a, b, permanent ? "true" : "false", error,
	    m };

	snprintf(a, sizeof(a), "%lld", id);
	snprintf(b, sizeof(b), "%d", attempt);
	snprintf(m, sizeof(m), "%d", MAIL_MAX_ATTEMPTS);
	if (permanent || attempt >= MAIL_MAX_ATTEMPTS)
		log_warnx("mail %lld (%s) failed for good: %s", id,
		    mail_kind_name(kind), error);
	else
		log_info("mail %lld (%s) not sent (%s); attempt %d, tried "
		    "again later", id, mail_kind_name(kind), error, attempt);
	(void)db_pool_submit(ms->pool, sql_mail_failed, 5, params, mark_done,
	    NULL);
}

/* -- the batch ----------------------------------------------------------- */

static void
job_free(struct mail_job *j)
{
	if (j->easy != NULL)
		curl_easy_cleanup(j->easy);
	curl_slist_free_all(j->rcpt);
	free(j->msg);
	free(j);
}

/* A transfer ended: room for the next claim, if one is wanted. */
static void
batch_step(struct mail_sender *ms)
{
	if ((ms->full || ms->again) && !ms->claiming && ms->todo == NULL &&
	    ms->njobs < MAIL_BATCH)
		ms_claim(ms);
}

/* -- curl on libevent ---------------------------------------------------- */

static void
curl_done(struct mail_sender *ms)
{
	CURLMsg *m;
	struct mail_job *j;
	long code = 0;
	int left;
	char err[32];

	while ((m = curl_multi_info_read(ms->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		j = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		if (m->data.result == CURLE_OK)
			mark_sent(ms, j->id, j->attempt, j->kind);
		else {
			/* a 5xx is the server's refusal for good; below
			 * 400 the server said nothing wrong (a TLS failure
			 * after 220, a timeout): curl's code says more */
			if (code >= 400)
				snprintf(err, sizeof(err), "smtp %ld", code);
			else
				snprintf(err, sizeof(err), "curl %d",
				    (int)m->data.result);
			mark_failed(ms, j->id, j->attempt, j->kind,
			    code >= 500 && code <= 599, err);
		}
		curl_multi_remove_handle(ms->multi, j->easy);
		TAILQ_REMOVE(&ms->jobs, j, entry);
		ms->njobs--;
		job_free(j);
	}
	batch_step(ms);
}

static void
curl_event_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mail_sender *ms = arg;
	int flags = 0, running;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(ms->multi, fd, flags, &running);
	curl_done(ms);
}

static int
curl_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp,
    void *socketp)
{
	struct mail_sender *ms = userp;
	struct event *ev = socketp;
	short kind = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (ev != NULL)
			event_free(ev);
		return 0;
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (ev == NULL) {
		if ((ev = event_new(ms->base, s, kind, curl_event_cb, ms)) ==
		    NULL)
			return -1;
		curl_multi_assign(ms->multi, s, ev);
	} else {
		event_del(ev);
		event_assign(ev, ms->base, s, kind, curl_event_cb, ms);
	}
	return event_add(ev, NULL) == 0 ? 0 : -1;
}

static void
curl_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mail_sender *ms = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(ms->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	curl_done(ms);
}

static int
curl_timerfunction(CURLM *multi, long ms_, void *userp)
{
	struct mail_sender *ms = userp;
	struct timeval tv;

	(void)multi;
	if (ms_ < 0) {
		evtimer_del(ms->curl_timer);
		return 0;
	}
	tv.tv_sec = ms_ / 1000;
	tv.tv_usec = (ms_ % 1000) * 1000;
	return evtimer_add(ms->curl_timer, &tv) == 0 ? 0 : -1;
}

static size_t
curl_read_cb(char *buf, size_t size, size_t n, void *arg)
{
	struct mail_job *j = arg;
	size_t left = j->len - j->off, want = size * n;

	if (want > left)
		want = left;
	memcpy(buf, j->msg + j->off, want);
	j->off += want;
	return want;
}

static bool
smtp_start(struct mail_sender *ms, struct mail_job *j, const char *to)
{
	char addr[512];
	long timeout = ms->s->mail_lease / 2;

	if ((j->easy = curl_easy_init()) == NULL)
		return false;
	snprintf(addr, sizeof(addr), "<%s>", to);
	if ((j->rcpt = curl_slist_append(NULL, addr)) == NULL)
		return false;
	snprintf(addr, sizeof(addr), "<%s>", ms->s->mail_from);
	if (timeout < 5)
		timeout = 5;
	if (curl_easy_setopt(j->easy, CURLOPT_URL, ms->s->smtp_url) !=
	    CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_MAIL_FROM, addr) != CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_MAIL_RCPT, j->rcpt) !=
	    CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_READFUNCTION, curl_read_cb) !=
	    CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_READDATA, j) != CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)j->len) != CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY) !=
	    CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_CONNECTTIMEOUT, 10L) !=
	    CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_TIMEOUT, timeout) != CURLE_OK ||
	    curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j) != CURLE_OK)
		return false;
	return curl_multi_add_handle(ms->multi, j->easy) == CURLM_OK;
}

/* -- the Maildir --------------------------------------------------------- */

static bool
maildir_make(const char *dir)
{
	static const char *const sub[] = { "", "/tmp", "/new", "/cur" };
	char path[4200];
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return false;
	}
	return true;
}

/* tmp/NAME written whole, then renamed to new/NAME (Maildir's rule). */
static bool
maildir_write(struct mail_sender *ms, const char *msg, size_t len)
{
	char name[128], tmp[4300], dst[4300];
	struct timeval tv;
	size_t off = 0;
	ssize_t n;
	int fd;

	gettimeofday(&tv, NULL);
	snprintf(name, sizeof(name), "%lld.M%ldP%ldQ%u.leerkans",
	    (long long)tv.tv_sec, (long)tv.tv_usec, (long)getpid(), ++ms->seq);
	snprintf(tmp, sizeof(tmp), "%s/tmp/%s", ms->s->maildir, name);
	snprintf(dst, sizeof(dst), "%s/new/%s", ms->s->maildir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1)
		return false;
	while (off < len) {
		if ((n = write(fd, msg + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return false;
		}
		off += (size_t)n;
	}
	if (close(fd) == -1 || rename(tmp, dst) == -1) {
		unlink(tmp);
		return false;
	}
	return true;
}

/* -- one claimed mail ---------------------------------------------------- */

static void
mail_one(struct mail_sender *ms, const json_t *doc)
{
	struct mail_text m;
	struct mail_envelope env;
	struct mail_job *j;
	const char *to;
	char *ics;
	size_t icslen = 0;
	long long id;
	int attempt;
	enum mail_kind kind = MAIL_REGISTERED;

	id = json_integer_value(json_object_get(doc, "id"));
	attempt = (int)json_integer_value(json_object_get(doc, "attempt"));
	(void)mail_kind_parse(json_string_value(json_object_get(doc, "kind")),
	    &kind);
	if ((to = json_string_value(json_object_get(doc, "to"))) == NULL) {
		/* erased meanwhile, or no token kept for it */
		mark_failed(ms, id, attempt, kind, true, "no-address");
		return;
	}
	if (!mail_render(doc, ms->s->public_url, &m)) {
		mark_failed(ms, id, attempt, kind, true, "render");
		return;
	}
	ics = mail_calendar(doc, &m, ms->s->public_url, &icslen);
	env.from = ms->s->mail_from;
	env.to = to;
	env.to_name = json_string_value(json_object_get(doc, "name"));
	env.crlf = ms->smtp;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		goto fail;
	j->ms = ms;
	j->id = id;
	j->attempt = attempt;
	j->kind = kind;
	if ((j->msg = mail_message(&env, &m, ics, icslen, &j->len)) == NULL)
		goto fail;
	free(ics);
	ics = NULL;
	mail_text_free(&m);
	if (!ms->smtp) {
		if (maildir_write(ms, j->msg, j->len))
			mark_sent(ms, id, attempt, kind);
		else {
			log_warn("mail %lld: cannot write into the maildir", id);
			mark_failed(ms, id, attempt, kind, false, "maildir");
		}
		job_free(j);
		return;
	}
	TAILQ_INSERT_TAIL(&ms->jobs, j, entry);
	ms->njobs++;
	if (!smtp_start(ms, j, to)) {
		TAILQ_REMOVE(&ms->jobs, j, entry);
		ms->njobs--;
		if (j->easy != NULL)
			curl_multi_remove_handle(ms->multi, j->easy);
		job_free(j);
		mark_failed(ms, id, attempt, kind, false, "curl setup");
	}
	return;
fail:
	if (j != NULL)
		job_free(j);
	free(ics);
	mail_text_free(&m);
	mark_failed(ms, id, attempt, kind, false, "out of memory");
}

/* The next of the claim's mails on the next loop turn. */
static void
build_next(struct mail_sender *ms)
{
	struct timeval now = { 0, 0 };

	if (evtimer_add(ms->build, &now) == -1) {
		/* cannot happen with a timer that exists; the mails wait
		 * for their lease to end */
		log_warnx("mail: cannot schedule the claim's mails");
		json_decref(ms->todo);
		ms->todo = NULL;
	}
}

static void
build_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mail_sender *ms = arg;

	(void)fd;
	(void)what;
	if (ms->todo == NULL)
		return;
	mail_one(ms, json_array_get(ms->todo, ms->todo_next++));
	if (ms->todo_next < json_array_size(ms->todo)) {
		build_next(ms);
		return;
	}
	json_decref(ms->todo);
	ms->todo = NULL;
	batch_step(ms);
}

static void
claim_done(const struct db_result *res, void *arg)
{
	struct mail_sender *ms = arg;
	const char *text;
	json_t *a;

	ms->claim = NULL;
	ms->claiming = false;
	ms->full = false;
	if (res->status != DB_OK || (text = db_result_text(res, NULL)) ==
	    NULL) {
		/* nothing due, or the database away: the timer tries again */
		if (ms->again)
			ms_claim(ms);
		return;
	}
	if ((a = json_loads(text, 0, NULL)) == NULL || !json_is_array(a)) {
		json_decref(a);
		log_warnx("mail: the claim's answer is not a list");
		return;
	}
	ms->full = json_array_size(a) >= MAIL_BATCH;
	if (json_array_size(a) == 0) {
		json_decref(a);
		batch_step(ms);
		return;
	}
	ms->todo = a;
	ms->todo_next = 0;
	build_next(ms);
}

static void
ms_claim(struct mail_sender *ms)
{
	char n[16];
	const char *params[2] = { n, ms->lease };

	if (ms->off)
		return;
	if (ms->claiming || ms->todo != NULL || ms->njobs >= MAIL_BATCH) {
		ms->again = true;
		return;
	}
	ms->again = false;
	snprintf(n, sizeof(n), "%d", MAIL_BATCH);
	ms->claiming = true;
	ms->claim = db_pool_submit(ms->pool, sql_mail_claim, 2, params,
	    claim_done, ms);
}

static void
kick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mail_sender *ms = arg;

	(void)fd;
	(void)what;
	ms_claim(ms);
}

void
mail_sender_wake(struct mail_sender *ms)
{
	if (ms == NULL || ms->off)
		return;
	/* on the next turn: a notification comes inside the pool's
	 * callbacks, and many come together */
	if (!event_pending(ms->kick, EV_TIMEOUT, NULL))
		event_active(ms->kick, EV_TIMEOUT, 0);
}

static void
tick_done(const struct db_result *res, void *arg)
{
	struct mail_sender *ms = arg;

	ms->tick = NULL;
	if (res->status == DB_ERROR)
		log_warnx("mail: reminders and purge failed (%s)",
		    res->sqlstate != NULL ? res->sqlstate : "?");
}

static void
poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mail_sender *ms = arg;
	char h[16], d[16];
	const char *params[2] = { h, d };
	time_t now = time(NULL);

	(void)fd;
	(void)what;
	if (ms->tick == NULL && now - ms->last_tick >= MAIL_TICK_SECONDS) {
		ms->last_tick = now;
		snprintf(h, sizeof(h), "%d", ms->s->reminder_hours);
		snprintf(d, sizeof(d), "%d", ms->s->mail_retention_days);
		ms->tick = db_pool_submit(ms->pool, sql_mail_tick, 2, params,
		    tick_done, ms);
	}
	kick_cb(-1, 0, ms);
}

struct mail_sender *
mail_sender_new(struct event_base *base, struct db_pool *pool,
    const struct settings *s)
{
	struct mail_sender *ms;

	if ((ms = calloc(1, sizeof(*ms))) == NULL)
		return NULL;
	ms->base = base;
	ms->pool = pool;
	ms->s = s;
	TAILQ_INIT(&ms->jobs);
	snprintf(ms->lease, sizeof(ms->lease), "%d", s->mail_lease);
	ms->smtp = *s->smtp_url != '\0';
	ms->off = !ms->smtp && *s->maildir == '\0';
	if ((ms->kick = event_new(base, -1, 0, kick_cb, ms)) == NULL ||
	    (ms->poll = event_new(base, -1, EV_PERSIST, poll_cb, ms)) == NULL ||
	    (ms->curl_timer = evtimer_new(base, curl_timer_cb, ms)) == NULL ||
	    (ms->build = evtimer_new(base, build_cb, ms)) == NULL)
		goto fail;
	if (ms->smtp) {
		if ((ms->multi = curl_multi_init()) == NULL ||
		    curl_multi_setopt(ms->multi, CURLMOPT_SOCKETFUNCTION,
		    curl_socket_cb) != CURLM_OK ||
		    curl_multi_setopt(ms->multi, CURLMOPT_SOCKETDATA, ms) !=
		    CURLM_OK ||
		    curl_multi_setopt(ms->multi, CURLMOPT_TIMERFUNCTION,
		    curl_timerfunction) != CURLM_OK ||
		    curl_multi_setopt(ms->multi, CURLMOPT_TIMERDATA, ms) !=
		    CURLM_OK)
			goto fail;
	} else if (!ms->off && !maildir_make(s->maildir)) {
		log_warn("mail: cannot make the maildir %s", s->maildir);
		goto fail;
	}
	return ms;
fail:
	mail_sender_free(ms);
	return NULL;
}

void
mail_sender_start(struct mail_sender *ms)
{
	struct timeval tv = { MAIL_POLL_SECONDS, 0 };

	if (ms->off) {
		log_warnx("mail: neither smtp_url nor maildir is set; mails "
		    "wait in the outbox");
		return;
	}
	log_info("mail: sending %s", ms->smtp ? "over SMTP" :
	    "into the maildir");
	event_add(ms->poll, &tv);
	/* the first claim and tick at once */
	event_active(ms->poll, EV_TIMEOUT, 0);
}

void
mail_sender_free(struct mail_sender *ms)
{
	struct mail_job *j;

	if (ms == NULL)
		return;
	if (ms->claim != NULL)
		db_query_cancel(ms->claim);
	if (ms->tick != NULL)
		db_query_cancel(ms->tick);
	while ((j = TAILQ_FIRST(&ms->jobs)) != NULL) {
		TAILQ_REMOVE(&ms->jobs, j, entry);
		curl_multi_remove_handle(ms->multi, j->easy);
		job_free(j);
	}
	if (ms->multi != NULL)
		curl_multi_cleanup(ms->multi);
	if (ms->kick != NULL)
		event_free(ms->kick);
	if (ms->poll != NULL)
		event_free(ms->poll);
	if (ms->curl_timer != NULL)
		event_free(ms->curl_timer);
	if (ms->build != NULL)
		event_free(ms->build);
	json_decref(ms->todo);
	free(ms);
}
