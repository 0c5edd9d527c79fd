/*
 * handlers/door.c - check-in at the door in the organiser console
 * (API.md section 10; docs/CONSOLE.md, "The door"): today's events
 * (/beheer/deur), one event's search with a button per person
 * (/beheer/deur/{slug}?q=), and a check-in code's page (/beheer/c/{code},
 * the QR code's address).
 *
 * The session, the role (door at least) and every form's CSRF token
 * are checked before these run (http/session.c).  Each handler makes
 * one call of one lk_* function (functions/80_door.sql) and hands its
 * JSON to a renderer (render/door.c).  A check-in or undo answers 303
 * back to the same search with a notice; a refusal (waiting list, not
 * the event's day) is that notice too, so the door stays on its list.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/config.h"
#include "base/log.h"
#include "base/util.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "http/session.h"
#include "input/account.h"
#include "input/form.h"
#include "input/validate.h"
#include "render/console.h"
#include "render/door.h"
#include "render/html.h"
#include "handlers/console_page.h"
#include "handlers/handlers.h"

static void
margin_text(struct request *r, char out[16])
{
	snprintf(out, 16, "%d", r->srv->s->checkin_margin_hours);
}

/* -- today's events ------------------------------------------------------- */

static void
today_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, door_today);
}

void
h_door_today(struct request *r)
{
	char margin[16];
	const char *params[1] = { margin };

	margin_text(r, margin);
	request_db(r, sql_door, 1, params, today_done);
}

/* -- one event ------------------------------------------------------------ */

static void
event_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, door_event);
}

void
h_door_event(struct request *r)
{
	const char *slug = r->params[0];
	const char *q = request_arg(r, DOOR_FIELD_Q);
	char margin[16], lim[16];
	const char *params[5];

	if (!valid_slug(slug)) {
		request_not_found(r);
		return;
	}
	if (q == NULL || strlen(q) > DOOR_Q_MAX)
		q = "";		/* too long to be a few letters: no search */
	margin_text(r, margin);
	snprintf(lim, sizeof(lim), "%d", DOOR_SEARCH_MAX);
	params[0] = slug;
	params[1] = q;
	params[2] = margin;
	params[3] = lim;
	params[4] = account_role_name(r->role);
	request_db(r, sql_door_event, 5, params, event_done);
}

/*
 * 303 to path (the event's list, with the search q, or a code's page)
 * with the notice code, in the reader's language.  anchor: an id on
 * the page, or NULL.
 */
static void
door_redirect(struct request *r, const char *path, const char *q,
    const char *notice, const char *anchor, bool secret)
{
	char loc[600], qenc[3 * DOOR_Q_MAX + 1];
	const char *lq;
	enum lang lang = request_lang(r, &lq);

	qenc[0] = '\0';
	if (q != NULL && (strlen(q) > DOOR_Q_MAX ||
	    !url_encode(q, qenc, sizeof(qenc))))
		qenc[0] = '\0';
	snprintf(loc, sizeof(loc), "%s?%s%s%s%sm=%s%s%s", path,
	    *lq != '\0' ? (lang == LANG_EN ? "lang=en&" : "lang=nl&") : "",
	    qenc[0] != '\0' ? "q=" : "", qenc, qenc[0] != '\0' ? "&" : "",
	    notice, anchor != NULL ? "#" : "", anchor != NULL ? anchor : "");
	request_redirect(r, 303, loc, secret);
}

/* What a check-in's answer leads to: its notice code; NULL for a
 * failure that is not one of the door's refusals. */
static const char *
act_notice(const struct db_result *res, bool present)
{
	static const char *const refusals[] = { "registration-waitlisted",
	    "checkin-closed", "registration-cancelled", "not-found" };
	struct db_refusal ref;
	const char *code = NULL;
	size_t i;

	if (res->status == DB_OK)
		return present ? "checked-in" : "undone";
	if (db_result_refusal(res, &ref)) {
		for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
			if (strcmp(ref.problem, refusals[i]) == 0)
				code = refusals[i];
		db_refusal_clear(&ref);
	}
	return code;
}

static void
act_done(struct request *r, const struct db_result *res, bool present)
{
	const char *notice = act_notice(res, present);
	const char *q = r->form != NULL ? form_get(r->form, DOOR_FIELD_Q) :
	    NULL;
	char path[128], anchor[32];

	if (notice == NULL) {
		request_db_failed(r, res);
		return;
	}
	log_info("door: registration %s %s at %s", r->params[1],
	    res->status != DB_OK ? "refused" : present ? "checked in" :
	    "undone", r->params[0]);
	snprintf(path, sizeof(path), "/beheer/deur/%s", r->params[0]);
	snprintf(anchor, sizeof(anchor), "p-%s", r->params[1]);
	door_redirect(r, path, q, notice, anchor, false);
}

static void
check_in_done(struct request *r, const struct db_result *res)
{
	act_done(r, res, true);
}

static void
undo_done(struct request *r, const struct db_result *res)
{
	act_done(r, res, false);
}

static void
door_act(struct request *r, bool present)
{
	char margin[16];
	const char *params[4];

	if (!valid_slug(r->params[0]) || !valid_id(r->params[1])) {
		request_not_found(r);
		return;
	}
	margin_text(r, margin);
	params[0] = r->params[1];
	params[1] = present ? "true" : "false";
	params[2] = margin;
	params[3] = account_role_name(r->role);
	request_db(r, sql_check_in, 4, params, present ? check_in_done :
	    undo_done);
}

void
h_door_check_in(struct request *r)
{
	door_act(r, true);
}

void
h_door_undo(struct request *r)
{
	door_act(r, false);
}

/* -- a check-in code ------------------------------------------------------ */

static void
code_done(struct request *r, const struct db_result *res)
{
	struct console_page p;
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	console_page_init(&p, r);
	door_code(&p.h, &p.c, doc, r->params[0]);
	json_decref(doc);
	/* the address holds the code: no referrer */
	request_reply_page(r, 200, &p.h, p.c.page.lang, true);
}

void
h_door_code(struct request *r)
{
	char margin[16];
	const char *params[3];

	if (!door_code_ok(r->params[0])) {
		request_not_found(r);
		return;
	}
	margin_text(r, margin);
	params[0] = r->params[0];
	params[1] = margin;
	params[2] = account_role_name(r->role);
	request_db(r, sql_door_code, 3, params, code_done);
}

static void
code_check_in_done(struct request *r, const struct db_result *res)
{
	const char *notice = act_notice(res, true);
	char path[64];

	if (notice == NULL || strcmp(notice, "not-found") == 0) {
		request_db_failed(r, res);
		return;
	}
	log_info("door: a check-in code %s",
	    res->status == DB_OK ? "checked in" : "refused");
	snprintf(path, sizeof(path), "/beheer/c/%s", r->params[0]);
	door_redirect(r, path, NULL, notice, NULL, true);
}

void
h_door_code_check_in(struct request *r)
{
	char margin[16];
	const char *params[3];

	if (!door_code_ok(r->params[0])) {
		request_not_found(r);
		return;
	}
	margin_text(r, margin);
	params[0] = r->params[0];
	params[1] = margin;
	params[2] = account_role_name(r->role);
	request_db(r, sql_check_in_code, 3, params, code_check_in_done);
}
