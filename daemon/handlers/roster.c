/*
 * handlers/roster.c - the console's registrations (issue 12): an
 * event's list (search and filters), cancelling on someone's behalf,
 * walk-ins, the exports and the door list, and the admin's erasure
 * form.  As in handlers/console.c: http/session.c has checked the
 * session, the route's least role and a form's CSRF token before a
 * handler here runs; each handler checks its input, makes one call of
 * one lk_* function (functions/75_roster.sql) and hands the JSON to a
 * renderer (render/roster.c).
 *
 * Who acted is the user's address, which the SQL functions write to the
 * audit log; the daemon's own log says only the user's id.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/config.h"
#include "base/log.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "http/session.h"
#include "input/form.h"
#include "input/validate.h"
#include "render/console.h"
#include "render/html.h"
#include "render/roster.h"
#include "handlers/console_page.h"
#include "handlers/handlers.h"

/* the name parts and the organisation, in characters */
#define NAME_MAX_CHARS		100
#define ORGANISATION_MAX_CHARS	200

/* 303 to a console path, in the reader's language, with a notice. */
static void
redirect(struct request *r, const char *path, const char *notice)
{
	char loc[400];
	const char *lq;

	request_lang(r, &lq);
	snprintf(loc, sizeof(loc), "%s%s%s%s", path, lq, *lq != '\0' ? "&" :
	    "?", notice);
	request_redirect(r, 303, loc, false);
}

static bool
one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* a filter's text: trimmed, NULL when empty or too long (a link gone
 * wrong, not a search anyone typed) */
static json_t *
filter_text(struct request *r, const char *name)
{
	const char *v = request_arg(r, name);
	size_t n;

	if (v == NULL)
		return json_null();
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n == 0 || n > ROSTER_QUERY_MAX)
		return json_null();
	return json_stringn(v, n);	/* NULL for invalid UTF-8: absent */
}

static const char *const list_statuses[] = { "active", "confirmed",
	"waitlisted", "cancelled", "all", NULL };

/* The list's filter from the query: unknown values are dropped. */
static json_t *
roster_filter(struct request *r, const char *status)
{
	const char *st = status != NULL ? status : request_arg(r, "status");
	const char *sess = request_arg(r, "session");
	const char *chk = request_arg(r, "checked");
	static const char *const checks[] = { "yes", "no", NULL };

	return json_pack("{s:o*, s:o*, s:s, s:s?, s:s?}",
	    "q", filter_text(r, "q"),
	    "organisation", filter_text(r, "organisation"),
	    "status", one_of(st, list_statuses) ? st : "active",
	    "session", sess != NULL && valid_slug(sess) ? sess : NULL,
	    "checked", one_of(chk, checks) ? chk : NULL);
}

/* The list (print: the door list) of r->params[0] with filter. */
static void
roster_query(struct request *r, json_t *filter, request_db_cb done)
{
	const char *params[2];
	char *text;

	if (!valid_slug(r->params[0])) {
		json_decref(filter);
		request_not_found(r);
		return;
	}
	text = filter != NULL ? json_dumps(filter, JSON_COMPACT) : NULL;
	json_decref(filter);
	if (text == NULL) {
		request_out_of_memory(r);
		return;
	}
	params[0] = r->params[0];
	params[1] = text;
	request_db(r, sql_roster, 2, params, done);
	free(text);
}

static void
list_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, roster_list);
}

void
h_roster_list(struct request *r)
{
	roster_query(r, roster_filter(r, NULL), list_done);
}

static void
print_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, roster_print);
}

void
h_roster_print(struct request *r)
{
	/* who may come in: the confirmed, whatever the list showed */
	roster_query(r, roster_filter(r, "confirmed"), print_done);
}

void
h_roster_export(struct request *r)
{
	attendees_export(r, r->user->email);
}

/* -- cancelling on someone's behalf ------------------------------------- */

static void
cancel_page_done(struct request *r, const struct db_result *res)
{
	console_document_page(r, res, roster_cancel);
}

void
h_roster_cancel_get(struct request *r)
{
	const char *params[2];

	if (!valid_slug(r->params[0]) || !valid_id(r->params[1])) {
		request_not_found(r);
		return;
	}
	params[0] = r->params[0];
	params[1] = r->params[1];
	request_db(r, sql_roster_registration, 2, params, cancel_page_done);
}

static void
cancelled(struct request *r, const struct db_result *res)
{
	char list[160];

	if (res->status != DB_OK) {
		request_db_failed(r, res);	/* 404: a page */
		return;
	}
	log_info("console: user %lld cancelled registration %s",
	    r->user->id, r->params[1]);
	snprintf(list, sizeof(list), "/beheer/events/%s/registrations",
	    r->params[0]);
	redirect(r, list, "m=cancelled");
}

void
h_roster_cancel(struct request *r)
{
	const char *params[3];

	if (!valid_slug(r->params[0]) || !valid_id(r->params[1])) {
		request_not_found(r);
		return;
	}
	params[0] = r->params[0];
	params[1] = r->params[1];
	params[2] = r->user->email;
	request_db(r, sql_roster_cancel, 3, params, cancelled);
}

/* -- walk-ins ------------------------------------------------------------- */

static void
walk_in_form_done(struct request *r, const struct db_result *res)
{
	struct console_page p;
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	console_page_init(&p, r);
	roster_walk_in(&p.h, &p.c, doc, NULL);
	json_decref(doc);
	console_page_reply(&p, 200);
}

void
h_roster_walk_in_new(struct request *r)
{
	const char *slug = r->params[0];

	if (!valid_slug(slug)) {
		request_not_found(r);
		return;
	}
	request_db(r, sql_roster_event, 1, &slug, walk_in_form_done);
}

static void
walk_in_done(struct request *r, const struct db_result *res)
{
	struct db_refusal ref;
	struct console_form f;
	struct console_page p;
	json_t *doc, *refusal;
	char list[160];

	if ((doc = request_document(r, res)) == NULL)
		return;
	refusal = json_object_get(doc, "refusal");
	if (refusal == NULL) {
		log_info("console: user %lld added a walk-in to %s",
		    r->user->id, r->params[0]);
		json_decref(doc);
		snprintf(list, sizeof(list), "/beheer/events/%s/registrations",
		    r->params[0]);
		redirect(r, list, "m=walk-in-added");
		return;
	}
	if (!db_refusal_json(refusal, &ref)) {
		json_decref(doc);
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	f.values = r->form;
	f.errors = ref.errors;
	f.problem = ref.errors == NULL || json_array_size(ref.errors) == 0 ?
	    ref.problem : NULL;
	console_page_init(&p, r);
	roster_walk_in(&p.h, &p.c, json_object_get(doc, "page"), &f);
	console_page_reply(&p, ref.status);
	db_refusal_clear(&ref);
	json_decref(doc);
}

static void
field_code(json_t *errors, const char *field, const char *code)
{
	json_array_append_new(errors, json_pack("{s:s, s:s, s:s}", "field",
	    field, "message", code, "code", code));
}

/* A text field of the walk-in: trimmed into p, its errors into errors. */
static void
walk_in_text(struct request *r, json_t *p, json_t *errors, const char *name,
    size_t max_chars, bool required)
{
	const char *v = form_get(r->form, name);
	size_t n, i;

	if (v == NULL)
		v = "";
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n == 0) {
		if (required)
			field_code(errors, name, VE_REQUIRED);
		return;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			field_code(errors, name, VE_CONTROL);
			return;
		}
	if (n > max_chars * 4) {
		field_code(errors, name, VE_TOO_LONG);
		return;
	}
	if (json_object_set_new(p, name, json_stringn(v, n)) == -1) {
		field_code(errors, name, VE_INVALID);	/* not UTF-8 */
		return;
	}
	if (utf8_length(json_string_value(json_object_get(p, name))) >
	    max_chars)
		field_code(errors, name, VE_TOO_LONG);
}

void
h_roster_walk_in(struct request *r)
{
	static const char *const roles[] = { "employer", "employee",
		"job-seeker", "intermediary", "training-provider", "student",
		"citizen", "other", NULL };
	static const char *const types[] = { "sme", "large-company",
		"intermediary", "education", "government", "non-profit",
		"none", NULL };
	const char *role = form_get(r->form, "role");
	const char *type = form_get(r->form, "organisation_type");
	const char *email, *params[4];
	json_t *p, *errors;
	char *ptext, *etext;

	if (!valid_slug(r->params[0])) {
		request_not_found(r);
		return;
	}
	p = json_object();
	errors = json_array();
	walk_in_text(r, p, errors, "given_name", NAME_MAX_CHARS, true);
	walk_in_text(r, p, errors, "family_name", NAME_MAX_CHARS, true);
	walk_in_text(r, p, errors, "organisation", ORGANISATION_MAX_CHARS,
	    false);
	walk_in_text(r, p, errors, "email", 254, false);
	email = json_string_value(json_object_get(p, "email"));
	if (email != NULL && !valid_email(email))
		field_code(errors, "email", VE_INVALID);
	if (!one_of(role, roles))
		field_code(errors, "role", VE_CHOICE);
	else
		json_object_set_new(p, "role", json_string(role));
	if (!one_of(type, types))
		field_code(errors, "organisation_type", VE_CHOICE);
	else
		json_object_set_new(p, "organisation_type", json_string(type));
	ptext = json_dumps(p, JSON_COMPACT);
	etext = json_dumps(errors, JSON_COMPACT);
	json_decref(p);
	json_decref(errors);
	if (ptext == NULL || etext == NULL) {
		free(ptext);
		free(etext);
		request_out_of_memory(r);
		return;
	}
	params[0] = r->params[0];
	params[1] = ptext;
	params[2] = etext;
	params[3] = r->user->email;
	request_db(r, sql_walk_in, 4, params, walk_in_done);
	free(ptext);
	free(etext);
}

/* -- erasure (admins) ----------------------------------------------------- */

static void
erasure_page(struct request *r, int status, json_t *errors,
    const json_t *done)
{
	struct console_form f = { r->form, errors, NULL };
	struct console_page p;

	console_page_init(&p, r);
	roster_erasure(&p.h, &p.c, r->form != NULL ? &f : NULL, done);
	console_page_reply(&p, status);
}

void
h_roster_erasure_get(struct request *r)
{
	erasure_page(r, 200, NULL, NULL);
}

static void
erased(struct request *r, const struct db_result *res)
{
	json_t *doc;

	if ((doc = request_document(r, res)) == NULL)
		return;
	log_info("console: user %lld erased %lld registrations (%lld seats "
	    "freed)", r->user->id,
	    (long long)json_integer_value(json_object_get(doc, "erased")),
	    (long long)json_integer_value(json_object_get(doc,
	    "seats_freed")));
	erasure_page(r, 200, NULL, doc);
	json_decref(doc);
}

void
h_roster_erasure(struct request *r)
{
	const char *email = form_get(r->form, "email");
	const char *confirm = form_get(r->form, "confirm");
	const char *params[3];
	json_t *errors = json_array();
	char typed[256];
	size_t n;

	while (email != NULL && (*email == ' ' || *email == '\t'))
		email++;
	n = email != NULL ? strlen(email) : 0;
	while (n > 0 && (email[n - 1] == ' ' || email[n - 1] == '\t'))
		n--;
	typed[0] = '\0';
	if (n == 0)
		field_code(errors, "email", VE_REQUIRED);
	else if (n >= sizeof(typed))
		field_code(errors, "email", VE_INVALID);
	else {
		memcpy(typed, email, n);
		typed[n] = '\0';
		if (!valid_email(typed))
			field_code(errors, "email", VE_INVALID);
	}
	if (confirm == NULL || strcmp(confirm, "yes") != 0)
		field_code(errors, "confirm", VE_REQUIRED);
	if (json_array_size(errors) > 0) {
		erasure_page(r, 422, errors, NULL);
		json_decref(errors);
		return;
	}
	json_decref(errors);
	if (*r->srv->s->erasure_secret == '\0') {
		log_warnx("erasure refused: erasure_secret is not set");
		request_not_configured(r, "erasure-not-configured",
		    "Erasure is not configured",
		    "The server has no erasure_secret "
		    "(LEERKANS_ERASURE_SECRET); set one and restart.");
		return;
	}
	params[0] = typed;
	params[1] = r->srv->s->erasure_secret;
	params[2] = r->user->email;
	request_db(r, sql_erase, 3, params, erased);
}
