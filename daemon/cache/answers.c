/*
 * cache/answers.c - rendered feeds, their gzip and validators, in memory.
 *
 * An entry lives in a hash bucket and on a least-recently-used list; at
 * most CACHE_MAX_ENTRIES stay (personal feeds are one per registration).
 *
 * Each entry has a generation, bumped by every invalidation.  A fill
 * remembers the generation it started in, and each waiting request the
 * one it came in: when the answer comes, it is kept as trusted only if
 * nothing was invalidated meanwhile, and it is given only to the
 * requests that came before the fill started or before any invalidation
 * during it; later ones get a fill of their own, so a request never sees
 * a feed older than the last change it could have heard of.
 *
 * A notification comes through every connection of the pool; its
 * payload names its transaction, and one seen lately is not acted on
 * again (each would otherwise spoil a fill in flight and cost a second
 * rendering).
 */
#include "autoconf.h"

#include <sys/queue.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <zlib.h>

#include "base/config.h"
#include "cache/answers.h"
#include "cache/validators.h"
#include "http/parse.h"
#include "base/log.h"
#include "http/request.h"
#include "base/util.h"

#define CACHE_MAX_ENTRIES		2048
#define CACHE_BUCKETS	1024
#define REGISTRATION_PREFIX	"registration:"
#define SEATS_PREFIX		"seats:"
#define SEEN_MAX		64	/* notifications remembered */

struct entry;

/*
 * A rendered body, shared by the entry and by the replies still being
 * written from it (evbuffer_add_reference): it goes with the last of
 * them, so an invalidation never pulls bytes from under a slow client.
 */
struct blob {
	unsigned	 refs;
	size_t		 len;
	char		*data;
};

struct entry_waiter {
	TAILQ_ENTRY(entry_waiter)	 entry;
	struct entry			*feed;
	struct request			*r;
	cache_reply_cb			 reply;
	unsigned			 gen;	/* the feed's, when it came */
};

struct entry {
	TAILQ_ENTRY(entry)	 lru;		/* most recently used first */
	struct entry		*next;		/* in its bucket */
	struct cache	*fc;
	char			*key;
	uint64_t		 hash;
	char			*logname;	/* the path, tokens masked */
	const char		*sql;
	int			 nparams;
	char			*params[CACHE_MAX_PARAMS];
	cache_render_cb		 render;

	bool			 have;		/* a rendering: */
	struct blob		*body;
	struct blob		*gz;		/* NULL if gzip failed */
	char			 etag[24];
	char			 etag_gz[28];
	time_t			 last_modified;
	char			 last_modified_http[32];
	time_t			 valid_until;
	long long		 registration;
	bool			 stale_ok;
	bool			 seats;
	long long		 event;
	bool			 stale;

	unsigned		 gen;		/* bumped by invalidations */
	struct db_query		*fill;		/* in flight */
	unsigned		 fill_gen;
	TAILQ_HEAD(, entry_waiter) waiters;
};

struct cache {
	struct db_pool		*pool;
	const struct settings	*s;
	struct entry		*buckets[CACHE_BUCKETS];
	TAILQ_HEAD(entry_lru_head, entry) lru;
	int			 count;
	size_t			 bytes;		/* of the renderings kept */
	size_t			 max_bytes;
	uint64_t		 seed;
	bool			 listening;
	uint64_t		 seen[SEEN_MAX];	/* hashes of payloads */
	int			 seen_next;
};

static void	entry_fill(struct entry *);

struct cache *
cache_new(struct db_pool *pool, const struct settings *s)
{
	struct cache *fc;

	if ((fc = calloc(1, sizeof(*fc))) == NULL)
		return NULL;
	fc->pool = pool;
	fc->s = s;
	fc->max_bytes = (size_t)s->cache_size * 1024 * 1024;
	TAILQ_INIT(&fc->lru);
	fc->seed = ((uint64_t)random() << 32) ^ (uint64_t)random();
	return fc;
}

static struct entry *
entry_find(struct cache *fc, const char *key)
{
	uint64_t h = hash_str(key, fc->seed);
	struct entry *f;

	for (f = fc->buckets[h % CACHE_BUCKETS]; f != NULL; f = f->next)
		if (f->hash == h && strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

static struct blob *
blob_new(char *data, size_t len)
{
	struct blob *b;

	if ((b = malloc(sizeof(*b))) == NULL) {
		free(data);
		return NULL;
	}
	b->refs = 1;
	b->data = data;
	b->len = len;
	return b;
}

static void
blob_release(struct blob *b)
{
	if (b != NULL && --b->refs == 0) {
		free(b->data);
		free(b);
	}
}

/* evbuffer_ref_cleanup_cb: a reply written from a blob is out. */
static void
blob_sent(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	blob_release(arg);
}

static void
entry_forget(struct entry *f)
{
	if (f->body != NULL)
		f->fc->bytes -= f->body->len;
	if (f->gz != NULL)
		f->fc->bytes -= f->gz->len;
	blob_release(f->body);
	blob_release(f->gz);
	f->body = f->gz = NULL;
	f->have = false;
}

static void
entry_free_params(struct entry *f)
{
	int i;

	for (i = 0; i < f->nparams; i++) {
		if (f->params[i] != NULL) {
			explicit_bzero(f->params[i], strlen(f->params[i]));
			free(f->params[i]);
		}
	}
}

static void
entry_remove(struct entry *f)
{
	struct cache *fc = f->fc;
	struct entry **pp;

	for (pp = &fc->buckets[f->hash % CACHE_BUCKETS]; *pp != f;
	    pp = &(*pp)->next)
		;
	*pp = f->next;
	TAILQ_REMOVE(&fc->lru, f, lru);
	fc->count--;
	entry_forget(f);
	/* the key and parameter of a personal feed hold its token */
	explicit_bzero(f->key, strlen(f->key));
	free(f->key);
	entry_free_params(f);
	free(f->logname);
	free(f);
}

/* Drops an entry that has nothing and nobody waiting for it. */
static void
entry_drop_if_idle(struct entry *f)
{
	if (!f->have && f->fill == NULL && TAILQ_EMPTY(&f->waiters))
		entry_remove(f);
}

static struct entry *
entry_new(struct cache *fc, const char *key, const char *logname,
    const char *sql, int nparams, const char *const *params,
    cache_render_cb render)
{
	struct entry *f;
	size_t b;
	int i;

	if (nparams > CACHE_MAX_PARAMS ||
	    (f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->fc = fc;
	f->key = strdup(key);
	f->logname = strdup(logname);
	f->nparams = nparams;
	for (i = 0; i < nparams; i++)
		if (params[i] != NULL &&
		    (f->params[i] = strdup(params[i])) == NULL)
			goto fail;
	if (f->key == NULL || f->logname == NULL)
		goto fail;
	f->sql = sql;
	f->render = render;
	f->hash = hash_str(key, fc->seed);
	TAILQ_INIT(&f->waiters);
	b = f->hash % CACHE_BUCKETS;
	f->next = fc->buckets[b];
	fc->buckets[b] = f;
	TAILQ_INSERT_HEAD(&fc->lru, f, lru);
	fc->count++;
	return f;
fail:
	entry_free_params(f);
	free(f->key);
	free(f->logname);
	free(f);
	return NULL;
}

/*
 * Keeps at most CACHE_MAX_ENTRIES entries (room for one more) and cache_size
 * bytes of renderings, dropping the least used first; keep is spared.
 * Any URL with a new query makes an entry, so both bounds matter.
 */
static void
cache_trim(struct cache *fc, const struct entry *keep)
{
	struct entry *f, *prev;

	for (f = TAILQ_LAST(&fc->lru, entry_lru_head); f != NULL &&
	    (fc->count >= CACHE_MAX_ENTRIES || fc->bytes > fc->max_bytes);
	    f = prev) {
		prev = TAILQ_PREV(f, entry_lru_head, lru);
		if (f != keep && f->fill == NULL && TAILQ_EMPTY(&f->waiters))
			entry_remove(f);
	}
}

static bool
entry_gzip(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream z;
	char *buf;
	uLong bound;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip wrapper; its time stamp stays 0, so the bytes
	 * depend on the text alone */
	/* level 6: nearly level 9's size for a fraction of its time, which
	 * is spent on the loop at every fill */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	bound = deflateBound(&z, (uLong)len);
	if ((buf = malloc(bound)) == NULL) {
		deflateEnd(&z);
		return false;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(buf);
		return false;
	}
	*outlen = z.total_out;
	*out = buf;
	deflateEnd(&z);
	return true;
}

/* Keeps a new rendering; the body is the entry's from now on. */
static bool
entry_store(struct entry *f, struct cache_render *out)
{
	char *gz = NULL;
	size_t gzlen = 0;

	entry_forget(f);
	if (!entry_gzip(out->body, out->len, &gz, &gzlen))
		log_warnx("feeds: %s: cannot gzip; sending it plain",
		    f->logname);
	validators_etag(f->etag, sizeof(f->etag), out->body, out->len, "");
	validators_etag(f->etag_gz, sizeof(f->etag_gz), gz, gzlen, "-gz");
	f->body = blob_new(out->body, out->len);
	out->body = NULL;
	f->gz = gz != NULL ? blob_new(gz, gzlen) : NULL;
	if (f->body == NULL) {
		blob_release(f->gz);
		f->gz = NULL;
		return false;
	}
	f->last_modified = out->last_modified;
	validators_http_date(f->last_modified_http,
	    sizeof(f->last_modified_http), f->last_modified);
	f->valid_until = out->valid_until;
	f->registration = out->registration;
	f->stale_ok = out->stale_ok;
	f->seats = out->seats;
	f->event = out->event;
	f->have = true;
	f->fc->bytes += f->body->len + (f->gz != NULL ? f->gz->len : 0);
	cache_trim(f->fc, f);
	log_debug("feeds: %s: rendered, %zu bytes, %zu gzipped", f->logname,
	    f->body->len, f->gz != NULL ? f->gz->len : 0);
	return true;
}

static bool
entry_trusted(const struct entry *f)
{
	return f->have && !f->stale && f->fc->listening &&
	    (f->valid_until == 0 || time(NULL) < f->valid_until);
}

static void
cache_view_of(const struct entry *f, struct cache_view *v)
{
	v->body = f->body != NULL ? f->body->data : NULL;
	v->len = f->body != NULL ? f->body->len : 0;
	v->body_ref = f->body;
	v->gz = f->gz != NULL ? f->gz->data : NULL;
	v->gzlen = f->gz != NULL ? f->gz->len : 0;
	v->gz_ref = f->gz;
	v->etag = f->etag;
	v->etag_gz = f->etag_gz;
	v->last_modified = f->last_modified;
	v->last_modified_http = f->last_modified_http;
}

static void
entry_waiter_gone(struct request *r, void *arg)
{
	struct entry_waiter *w = arg;

	(void)r;
	TAILQ_REMOVE(&w->feed->waiters, w, entry);
	free(w);
}

/*
 * Answers the waiting requests: those that came in generation gen or
 * before it, or all of them (all).  A fill that started in generation
 * gen read the database after every change that generation counts, so
 * it is new enough for a request that came then or earlier; only those
 * that came after a later invalidation need a fill of their own.
 * (Answering only those of generation gen itself stranded a request
 * that came during one fill and saw another invalidation before its
 * own: every later fill started in a newer generation, so it waited,
 * while fill after fill ran, until its deadline.)
 */
static void
entry_answer(struct entry *f, enum cache_outcome o, const struct db_result *res,
    unsigned gen, bool all)
{
	struct entry_waiter *w, *next;
	struct cache_view v;

	cache_view_of(f, &v);
	for (w = TAILQ_FIRST(&f->waiters); w != NULL; w = next) {
		struct request *r = w->r;
		cache_reply_cb reply = w->reply;

		next = TAILQ_NEXT(w, entry);
		/* generations wrap: compare by difference */
		if (!all && (int)(w->gen - gen) > 0)
			continue;
		TAILQ_REMOVE(&f->waiters, w, entry);
		free(w);
		r->cleanup = NULL;
		r->cleanup_arg = NULL;
		reply(r, o, o == CACHE_READY ? &v : NULL, res);
	}
}

static void
entry_filled(const struct db_result *res, void *arg)
{
	struct entry *f = arg;
	struct cache *fc = f->fc;
	struct cache_render out;
	enum cache_outcome o = CACHE_FAILED;
	bool fresh = f->gen == f->fill_gen, all = false;
	int rc;

	f->fill = NULL;
	if (res->status == DB_OK) {
		memset(&out, 0, sizeof(out));
		rc = f->render(res, fc->s, &out);
		if (rc == 1 && entry_store(f, &out)) {
			f->stale = !fresh || !fc->listening;
			o = CACHE_READY;
		} else if (rc == 1) {
			log_warnx("feeds: %s: out of memory", f->logname);
			all = true;
		} else if (rc == 0) {
			entry_forget(f);
			o = CACHE_NOT_FOUND;
		} else {
			free(out.body);
			log_warnx("feeds: %s: cannot render it", f->logname);
			all = true;
		}
		res = NULL;
	} else if (res->status == DB_UNAVAILABLE && f->have && f->stale_ok) {
		/* a calendar is better served a little late than not */
		log_debug("feeds: %s: database away; serving what we have",
		    f->logname);
		o = CACHE_READY;
		all = true;
	} else
		all = true;
	entry_answer(f, o, res, f->fill_gen, all);
	if (!TAILQ_EMPTY(&f->waiters))
		entry_fill(f);
	else
		entry_drop_if_idle(f);
}

static void
entry_fill(struct entry *f)
{
	f->fill_gen = f->gen;
	f->fill = db_pool_submit(f->fc->pool, f->sql, f->nparams,
	    (const char *const *)f->params, entry_filled, f);
	if (f->fill == NULL) {
		entry_answer(f, CACHE_FAILED, NULL, f->gen, true);
		entry_drop_if_idle(f);
	}
}

void
cache_get(struct cache *fc, struct request *r, const char *key,
    const char *sql, int nparams, const char *const *params,
    cache_render_cb render, cache_reply_cb reply)
{
	struct entry_waiter *w;
	struct cache_view v;
	struct entry *f;

	if ((f = entry_find(fc, key)) == NULL) {
		cache_trim(fc, NULL);
		f = entry_new(fc, key, r->log_path, sql, nparams, params,
		    render);
		if (f == NULL) {
			reply(r, CACHE_FAILED, NULL, NULL);
			return;
		}
	} else {
		TAILQ_REMOVE(&fc->lru, f, lru);
		TAILQ_INSERT_HEAD(&fc->lru, f, lru);
	}
	if (entry_trusted(f)) {
		cache_view_of(f, &v);
		reply(r, CACHE_READY, &v, NULL);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		entry_drop_if_idle(f);
		reply(r, CACHE_FAILED, NULL, NULL);
		return;
	}
	w->feed = f;
	w->r = r;
	w->reply = reply;
	w->gen = f->gen;
	TAILQ_INSERT_TAIL(&f->waiters, w, entry);
	r->cleanup = entry_waiter_gone;
	r->cleanup_arg = w;
	if (f->fill == NULL)
		entry_fill(f);
}

/* Was this notification acted on lately (through another connection)? */
static bool
cache_seen(struct cache *fc, const char *payload)
{
	uint64_t h = hash_str(payload, fc->seed) | 1;	/* 0: empty slot */
	int i;

	for (i = 0; i < SEEN_MAX; i++)
		if (fc->seen[i] == h)
			return true;
	fc->seen[fc->seen_next] = h;
	fc->seen_next = (fc->seen_next + 1) % SEEN_MAX;
	return false;
}

static void
entry_invalidate(struct entry *f)
{
	f->gen++;
	f->stale = true;
}

void
cache_notify(enum db_notify_event ev, const char *channel,
    const char *payload, void *arg)
{
	struct cache *fc = arg;
	struct entry *f;
	long long id = 0;
	char *end;

	(void)channel;
	switch (ev) {
	case DB_LISTEN_UP:
	case DB_LISTEN_DOWN:
		/* what was rendered may have changed unheard */
		fc->listening = ev == DB_LISTEN_UP;
		TAILQ_FOREACH(f, &fc->lru, lru)
			entry_invalidate(f);
		log_debug("feeds: %s; %d feeds to render again",
		    fc->listening ? "listening" : "not listening", fc->count);
		break;
	case DB_NOTIFY:
		if (payload == NULL)
			payload = "";
		if (cache_seen(fc, payload))
			break;
		/* "seats:EVENT:XID": only what shows seats, of that event */
		if (strncmp(payload, SEATS_PREFIX, strlen(SEATS_PREFIX)) == 0) {
			id = strtoll(payload + strlen(SEATS_PREFIX), &end, 10);
			TAILQ_FOREACH(f, &fc->lru, lru)
				if ((f->seats && (f->event == 0 ||
				    f->event == id)) || (f->fill != NULL &&
				    !f->have))
					entry_invalidate(f);
			log_debug("feeds: notified: %s", payload);
			break;
		}
		/* "registration:ID:XID"; anything else changes every feed */
		if (strncmp(payload, REGISTRATION_PREFIX,
		    strlen(REGISTRATION_PREFIX)) == 0) {
			id = strtoll(payload + strlen(REGISTRATION_PREFIX),
			    &end, 10);
			if (*end != ':' && *end != '\0')
				id = 0;
		}
		TAILQ_FOREACH(f, &fc->lru, lru) {
			/* a first fill does not know its registration yet */
			if (id == 0 || f->registration == id ||
			    (f->fill != NULL && f->registration == 0))
				entry_invalidate(f);
		}
		log_debug("feeds: notified: %s", payload);
		break;
	}
}

/* -- answering from an entry ----------------------------------------- */

void
cache_reply(struct request *r, enum cache_outcome o,
    const struct cache_view *v, const struct db_result *res,
    const char *ctype, const char *cache_control, const char *not_found)
{
	struct blob *ref;
	bool gz;

	switch (o) {
	case CACHE_NOT_FOUND:
		request_problem(r, 404, "not-found", "Not found", not_found,
		    NULL);
		return;
	case CACHE_FAILED:
		if (res != NULL)
			request_db_failed(r, res);
		else
			request_problem(r, 500, "internal-error",
			    "Internal error", "The answer could not be made.",
			    NULL);
		return;
	case CACHE_READY:
		break;
	}
	gz = v->gz != NULL &&
	    validators_accepts_gzip(request_header(r, "Accept-Encoding"));
	request_add_header(r, "ETag", gz ? v->etag_gz : v->etag);
	request_add_header(r, "Last-Modified", v->last_modified_http);
	request_add_header(r, "Cache-Control", cache_control);
	request_add_header(r, "Vary", "Accept-Encoding");

	if (validators_unchanged(request_header(r, "If-None-Match"),
	    request_header(r, "If-Modified-Since"), v->etag,
	    v->gz != NULL ? v->etag_gz : NULL, v->last_modified)) {
		request_reply(r, 304, NULL, NULL, 0);
		return;
	}
	if (gz)
		request_add_header(r, "Content-Encoding", "gzip");
	ref = gz ? v->gz_ref : v->body_ref;
	ref->refs++;
	request_reply_ref(r, 200, ctype, ref->data, ref->len, blob_sent, ref);
}

void
cache_free(struct cache *fc)
{
	struct entry_waiter *w;
	struct entry *f;

	if (fc == NULL)
		return;
	while ((f = TAILQ_FIRST(&fc->lru)) != NULL) {
		if (f->fill != NULL)
			db_query_cancel(f->fill);
		f->fill = NULL;
		while ((w = TAILQ_FIRST(&f->waiters)) != NULL) {
			TAILQ_REMOVE(&f->waiters, w, entry);
			w->r->cleanup = NULL;
			free(w);
		}
		entry_remove(f);
	}
	free(fc);
}
