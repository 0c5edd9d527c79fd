/*
 * handlers/web.c - the public web pages (API.md sections 5 and 12): the
 * list of upcoming events, an event with its registration form, the
 * registrant's own page, and cancelling, which asks first (GET
 * /r/{token}/cancel, a page) and is done by its form's POST.
 *
 * A handler here checks its parameters (and, for a form, the CSRF token
 * and the honeypot), makes its one database call and gives the answer's
 * JSON to a renderer (render/pages.c), then answers with the page
 * (site.c).  The pages are drawn from the same JSON the API answers
 * (lk_event_json, lk_registration_json).  The form registers through
 * registration_submit(), as POST /api/v1/.../registrations does: it
 * turns the form into the API's JSON object first (form_to_registration,
 * form.c), so both share every rule, every rate limit and lk_register.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "input/form.h"
#include "input/validate.h"
#include "render/page.h"
#include "render/pages.h"
#include "handlers/handlers.h"
#include "handlers/registration.h"
#include "handlers/site.h"

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* -- the list of events --------------------------------------------------- */

static void
index_done(struct request *r, const struct db_result *res)
{
	struct web_page p;
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	web_page_init(&p, r);
	pages_index(&p.h, &p.c, doc);
	json_decref(doc);
	web_page_reply(&p, 200, false, false);
}

void
h_web_index(struct request *r)
{
	request_db(r, sql_web_index, 0, NULL, index_done);
}

void
h_web_css(struct request *r)
{
	web_reply_static(r, "text/css; charset=utf-8", page_css,
	    strlen(page_css), page_css_etag(), 86400, false);
}

/* -- an event and its form ------------------------------------------------- */

static void
event_done(struct request *r, const struct db_result *res)
{
	struct web_page p;
	char idem[TOKEN_LEN + 1];
	json_t *doc;
	bool form;

	if ((doc = request_document(r, res)) == NULL)
		return;
	if (!token_new(idem)) {
		json_decref(doc);
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	web_page_init(&p, r);
	web_page_csrf(&p);
	p.c.idem = idem;
	form = pages_event(&p.h, &p.c, doc);
	json_decref(doc);
	web_page_reply(&p, 200, false, form);
}

void
h_web_event(struct request *r)
{
	const char *slug = r->params[0];

	if (!valid_slug(slug)) {
		request_not_found(r);
		return;
	}
	request_db(r, sql_web_event, 1, &slug, event_done);
}

/*
 * A GET of a form's address goes to the page the form is on, prefix +
 * the parameter, in the reader's language; ok says the parameter is one.
 * (GET /r/{token}/cancel is a page of its own: the confirmation.)
 */
static void
redirect_to_page(struct request *r, bool ok, const char *prefix)
{
	char loc[128];
	const char *lq;

	if (!ok) {
		request_not_found(r);
		return;
	}
	request_lang(r, &lq);
	snprintf(loc, sizeof(loc), "%s%s%s", prefix, r->params[0], lq);
	web_redirect(r, loc, false);
}

void
h_web_register_get(struct request *r)
{
	redirect_to_page(r, valid_slug(r->params[0]), "/events/");
}

/* -- registering ---------------------------------------------------------- */

/*
 * The code of an error from lk_register: the daemon's own checks and the
 * SQL functions (lk_field_error) both send one (validate.h), so no
 * outcome depends on the words of a message.  An error without one
 * (functions older than this build, before leerkansctl migrate) is
 * known by its problem alone.
 */
static const char *
error_code(const char *problem, json_t *e)
{
	const char *code = jstr(e, "code");

	if (code != NULL)
		return code;
	if (problem != NULL && strcmp(problem, "duplicate-registration") == 0)
		return VE_DUPLICATE;
	return VE_INVALID;
}

/*
 * The form drawn again after a refusal, from the event page that came
 * with it, with what was wrong beside each field and every value kept.
 */
static void
form_redraw(struct request *r, const json_t *page, int status,
    const char *problem, const json_t *errors)
{
	struct web_page p;
	const char *idem = form_get(r->form, PAGES_FIELD_IDEM);
	char fresh[TOKEN_LEN + 1];
	bool form;

	if (idem == NULL || !token_wellformed(idem)) {
		if (!token_new(fresh)) {
			request_problem(r, 500, "internal-error", "No random "
			    "bytes", NULL, NULL);
			return;
		}
		idem = fresh;
	}
	web_page_init(&p, r);
	web_page_csrf(&p);
	p.c.values = r->form;
	p.c.errors = errors;
	p.c.notice = pages_notice(p.c.lang, problem);
	p.c.idem = idem;
	form = pages_event(&p.h, &p.c, page);
	web_page_reply(&p, status, false, form);
}

/*
 * lk_register_form's answer: the registration, whose page the browser is
 * sent to, or a refusal.  A form refused with 422 or 409 is drawn again
 * from the event page that came with the refusal (one round trip);
 * other refusals (404, ...) are error pages.
 */
static void
registered(struct request *r, const struct db_result *res)
{
	const char *text, *manage, *lq;
	json_t *doc, *reg, *page, *errors, *e;
	struct db_refusal ref;
	char loc[160];
	size_t i;

	if (res->status != DB_OK) {
		request_db_failed(r, res);	/* 503, 500: a page */
		return;
	}
	text = db_result_text(res, NULL);
	if (text == NULL || (doc = json_loads(text, 0, NULL)) == NULL) {
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	if ((reg = json_object_get(doc, "registration")) != NULL) {
		manage = jstr(reg, "manage_url");
		if (manage == NULL || strncmp(manage, "/r/", 3) != 0) {
			json_decref(doc);
			request_problem(r, 500, "internal-error", "Bad answer",
			    NULL, NULL);
			return;
		}
		request_lang(r, &lq);
		snprintf(loc, sizeof(loc), "%s%s", manage, lq);
		json_decref(doc);
		web_redirect(r, loc, true);
		return;
	}
	if (!db_refusal_json(json_object_get(doc, "refusal"), &ref)) {
		json_decref(doc);
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	page = json_object_get(doc, "page");
	if (ref.status != 422 && ref.status != 409) {
		request_refused(r, &ref);	/* 404, ...: a page */
		json_decref(doc);
		return;
	}
	if (!json_is_object(page)) {
		db_refusal_clear(&ref);
		json_decref(doc);
		request_not_found(r);
		return;
	}
	/* each error the form can show, with its code */
	errors = json_array();
	json_array_foreach(ref.errors, i, e)
		if (jstr(e, "field") != NULL)
			json_array_append_new(errors, json_pack("{s:s, s:s}",
			    "field", jstr(e, "field"), "code",
			    error_code(ref.problem, e)));
	form_redraw(r, page, ref.status, ref.problem, errors);
	json_decref(errors);
	db_refusal_clear(&ref);
	json_decref(doc);
}

void
h_web_register(struct request *r)
{
	char token[TOKEN_LEN + 1], idem_key[TOKEN_LEN + 8], loc[64];
	const char *idem = form_get(r->form, PAGES_FIELD_IDEM), *hp;
	enum lang lang = request_lang(r, NULL);

	if (!valid_slug(r->params[0])) {
		request_not_found(r);
		return;
	}
	if (!web_csrf_ok(r)) {
		request_problem(r, 403, "forbidden", "Forbidden", NULL, NULL);
		return;
	}
	hp = form_get(r->form, PAGES_FIELD_HONEYPOT);
	if (hp != NULL && *hp != '\0') {
		/* looks like success to whoever filled it; stores nothing */
		if (!token_new(token)) {
			request_problem(r, 500, "internal-error", "No random "
			    "bytes", NULL, NULL);
			return;
		}
		log_info("web: honeypot filled in; nothing stored");
		snprintf(loc, sizeof(loc), "/r/%s", token);
		explicit_bzero(token, sizeof(token));
		web_redirect(r, loc, true);
		return;
	}
	if ((r->body = form_to_registration(r->form,
	    i18n_code(lang))) == NULL) {
		request_out_of_memory(r);
		return;
	}
	/* the page's key: sending the same form twice registers once */
	if (idem != NULL && token_wellformed(idem))
		snprintf(idem_key, sizeof(idem_key), "web-%s", idem);
	registration_submit(r, r->params[0], r->body, REG_VIA_FORM,
	    idem != NULL && token_wellformed(idem) ? idem_key : NULL, token,
	    registered);
	explicit_bzero(token, sizeof(token));
}

/* -- the registrant's page and cancelling ------------------------------ */

typedef bool (*registration_draw)(struct html *, const struct page_ctx *,
    const json_t *, const char *);

/*
 * A page of the registration behind the token (sql_web_registration's
 * document), drawn by draw; with_form: it may hold a form, which needs a
 * CSRF token.  Sent without a referrer and not indexed: its address is
 * the registrant's key.
 */
static void
registration_page(struct request *r, const struct db_result *res,
    registration_draw draw, bool with_form)
{
	struct web_page p;
	json_t *doc;
	bool form;

	if ((doc = request_document(r, res)) == NULL)
		return;
	if (jstr(json_object_get(doc, "registration"), "status") == NULL) {
		json_decref(doc);
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	web_page_init(&p, r);
	if (with_form)
		web_page_csrf(&p);
	form = draw(&p.h, &p.c, doc, r->params[0]);
	json_decref(doc);
	web_page_reply(&p, 200, true, form);
}

static void
registration_done(struct request *r, const struct db_result *res)
{
	registration_page(r, res, pages_registration, false);
}

static void
cancel_page_done(struct request *r, const struct db_result *res)
{
	registration_page(r, res, pages_cancel, true);
}

void
h_web_registration(struct request *r)
{
	const char *token = r->params[0];

	if (!token_wellformed(token)) {
		request_not_found(r);
		return;
	}
	request_db(r, sql_web_registration, 1, &token, registration_done);
}

/* The confirmation asked before cancelling; its form posts to
 * h_web_cancel. */
void
h_web_cancel_get(struct request *r)
{
	const char *token = r->params[0];

	if (!token_wellformed(token)) {
		request_not_found(r);
		return;
	}
	request_db(r, sql_web_registration, 1, &token, cancel_page_done);
}

static void
cancelled(struct request *r, const struct db_result *res)
{
	char loc[64];
	const char *lq;

	if (res->status != DB_OK) {
		request_db_failed(r, res);	/* 404 and the rest: pages */
		return;
	}
	request_lang(r, &lq);
	snprintf(loc, sizeof(loc), "/r/%s%s", r->params[0], lq);
	web_redirect(r, loc, true);
}

void
h_web_cancel(struct request *r)
{
	const char *token = r->params[0];

	if (!token_wellformed(token)) {
		request_not_found(r);
		return;
	}
	if (!web_csrf_ok(r)) {
		request_problem(r, 403, "forbidden", "Forbidden", NULL, NULL);
		return;
	}
	request_db(r, sql_registration_cancel, 1, &token, cancelled);
}
