/*
 * links.c - "send me my links" (API.md section 9): POST /api/v1/links
 * and its page, /links.  Both answer 202 whether the address is known
 * or not; lk_mail_links queues one mail for a known one.  Rate-limited
 * per client address and per e-mail address (LINKS_PER_ADDRESS,
 * LINKS_PER_EMAIL an hour, request.h), the API and the form together.
 * The address is never logged.
 */
#include "autoconf.h"

#include <string.h>
#include <time.h>

#include "base/ratelimit.h"
#include "db/result.h"
#include "db/sql.h"
#include "http/request.h"
#include "input/form.h"
#include "input/validate.h"
#include "render/pages.h"
#include "handlers/handlers.h"
#include "handlers/site.h"

#define LINKS_ANSWER	"{\"status\":\"accepted\"}"

/* The limits; false when r was answered 429.  Every request counts, as
 * every one may send a mail. */
static bool
links_allowed(struct request *r, const char *email)
{
	char key[300];
	time_t now = time(NULL);
	size_t i;
	int wait;
	bool ok;

	if (!ratelimit_hit(r->srv->rl_links_addr, request_peer(r), now,
	    &wait)) {
		request_rate_limited(r, wait);
		return false;
	}
	snprintf(key, sizeof(key), "%s", email);
	for (i = 0; key[i] != '\0'; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (char)(key[i] - 'A' + 'a');
	ok = ratelimit_hit(r->srv->rl_links_email, key, now, &wait);
	explicit_bzero(key, sizeof(key));
	if (!ok)
		request_rate_limited(r, wait);
	return ok;
}

static bool
links_email_ok(const char *s)
{
	return s != NULL && strlen(s) <= 254 && valid_email(s);
}

static void
links_queued(struct request *r, const struct db_result *res)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	request_reply_json(r, 202, LINKS_ANSWER, strlen(LINKS_ANSWER));
}

void
h_links(struct request *r)
{
	json_t *errors = json_array(), *v;
	const char *key, *email = NULL;

	json_object_foreach(r->body, key, v) {
		if (strcmp(key, "email") == 0)
			continue;
		validate_error(errors, key, "unknown field");
	}
	v = json_object_get(r->body, "email");
	if (v == NULL)
		validate_error(errors, "email", "is required");
	else if (!json_is_string(v) || !links_email_ok(json_string_value(v)))
		validate_error(errors, "email", "must be an e-mail address, "
		    "e.g. an@example.be");
	else
		email = json_string_value(v);
	if (json_array_size(errors) > 0) {
		request_invalid(r, errors);
		return;
	}
	json_decref(errors);
	if (!links_allowed(r, email))
		return;
	request_db(r, sql_mail_links, 1, &email, links_queued);
}

/* -- the page ------------------------------------------------------------ */

static void
links_page(struct request *r, int status, const char *email,
    const char *error, bool sent)
{
	struct web_page p;
	bool form;

	web_page_init(&p, r);
	if (!sent)
		web_page_csrf(&p);
	form = pages_links(&p.h, &p.c, email, error, sent);
	web_page_reply(&p, status, false, form);
}

void
h_web_links_get(struct request *r)
{
	links_page(r, 200, NULL, NULL, false);
}

static void
links_page_queued(struct request *r, const struct db_result *res)
{
	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	links_page(r, 202, NULL, NULL, true);
}

void
h_web_links(struct request *r)
{
	const char *email = form_get(r->form, "email");
	enum lang lang = request_lang(r, NULL);

	if (!web_csrf_ok(r)) {
		request_problem(r, 403, "forbidden", "Forbidden", NULL, NULL);
		return;
	}
	if (email == NULL || *email == '\0') {
		links_page(r, 422, email, i18n_field_error(lang, "email",
		    VE_REQUIRED), false);
		return;
	}
	if (!links_email_ok(email)) {
		links_page(r, 422, email, i18n_field_error(lang, "email",
		    VE_INVALID), false);
		return;
	}
	if (!links_allowed(r, email))
		return;
	request_db(r, sql_mail_links, 1, &email, links_page_queued);
}
