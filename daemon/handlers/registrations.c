/*
 * handlers/registrations.c - registering, viewing and cancelling (API.md
 * section 4).  The web form (handlers/web.c) registers through
 * registration_submit() too, so both paths share every rule.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "handlers/handlers.h"
#include "base/ratelimit.h"
#include "handlers/registration.h"
#include "http/request.h"
#include "db/result.h"
#include "db/sql.h"
#include "base/util.h"
#include "input/validate.h"

static bool
idempotency_key_ok(const char *k)
{
	size_t len = strlen(k), i;

	if (len == 0 || len > 200)
		return false;
	for (i = 0; i < len; i++)
		if (k[i] < 0x21 || k[i] > 0x7e)
			return false;
	return true;
}

/*
 * A registration made counts against its e-mail address's limit.  The
 * form's statement answers a refusal too; its second column says
 * whether a registration was made.
 */
static void
submit_done(struct request *r, const struct db_result *res)
{
	const char *made = db_result_value(res, 0, 1);
	int wait;

	if (res->status == DB_OK && r->email_key != NULL &&
	    (db_result_columns(res) < 2 || (made != NULL &&
	    strcmp(made, "t") == 0)))
		(void)ratelimit_hit(r->srv->rl_email, r->email_key, time(NULL),
		    &wait);
	r->submit_cb(r, res);
}

/*
 * Checks body (a JSON object in the API's shape), applies the rate
 * limits and sends one lk_register call (through lk_register_form for
 * the web form); cb gets its answer.  Returns
 * false when it has answered the request itself (429).  errors collects
 * the field errors; the database adds its own and refuses with 422.
 */
bool
registration_submit(struct request *r, const char *event, json_t *body,
    enum registration_via via, const char *idem_key,
    char token[TOKEN_LEN + 1], request_db_cb cb)
{
	struct server *srv = r->srv;
	json_t *errors = json_array(), *en, *email;
	char digits[11], *text, *errs;
	const char *params[6];
	time_t now = time(NULL);
	int wait;

	if (!ratelimit_hit(srv->rl_addr, request_peer(r), now, &wait)) {
		json_decref(errors);
		request_rate_limited(r, wait);
		return false;
	}
	validate_object(body, registration_fields, true, errors);
	en = json_object_get(body, "enterprise_number");
	if (json_is_string(en) &&
	    enterprise_number_normalize(json_string_value(en), digits))
		json_object_set_new(body, "enterprise_number",
		    json_string(digits));
	email = json_object_get(body, "email");
	if (json_is_string(email) && valid_email(json_string_value(email))) {
		char key[300];
		size_t i;

		snprintf(key, sizeof(key), "%s", json_string_value(email));
		for (i = 0; key[i]; i++)
			if (key[i] >= 'A' && key[i] <= 'Z')
				key[i] = (char)(key[i] - 'A' + 'a');
		/*
		 * Only registrations made count against an address: were
		 * attempts counted, anyone could lock someone out by sending
		 * bad requests with their address.
		 */
		if (!ratelimit_check(srv->rl_email, key, now, &wait)) {
			json_decref(errors);
			explicit_bzero(key, sizeof(key));
			request_rate_limited(r, wait);
			return false;
		}
		r->email_key = strdup(key);
		explicit_bzero(key, sizeof(key));
	}
	if (idem_key != NULL && !idempotency_key_ok(idem_key)) {
		validate_error(errors, "Idempotency-Key", "must be 1 to 200 "
		    "printable ASCII characters");
		idem_key = NULL;
	}
	if (!token_new(token)) {
		json_decref(errors);
		request_problem(r, 500, "internal-error", "No random bytes",
		    NULL, NULL);
		return false;
	}
	if (!request_json_texts(r, body, errors, &text, &errs))
		return false;
	params[0] = event;
	params[1] = text;
	params[2] = errs;
	params[3] = token;
	params[4] = idem_key;
	params[5] = via == REG_VIA_FORM ? "web" : "api";
	r->submit_cb = cb;
	request_db(r, via == REG_VIA_FORM ? sql_register_form : sql_register,
	    6, params, submit_done);
	free(text);
	free(errs);
	return true;
}

static void
registered(struct request *r, const struct db_result *res)
{
	json_t *answer;
	const char *manage, *text;
	char loc[128];
	size_t len;

	if (res->status != DB_OK) {
		request_db_failed(r, res);
		return;
	}
	/* the Location names the view of the token in the answer, which an
	 * idempotent replay takes from the first answer */
	text = db_result_text(res, &len);
	answer = text != NULL ? json_loads(text, 0, NULL) : NULL;
	manage = json_string_value(json_object_get(answer, "manage_url"));
	if (manage != NULL && strncmp(manage, "/r/", 3) == 0) {
		snprintf(loc, sizeof(loc), "/api/v1/registrations/%s",
		    manage + 3);
		request_add_header(r, "Location", loc);
	}
	json_decref(answer);
	if (text == NULL) {
		request_problem(r, 500, "internal-error", "Bad answer", NULL,
		    NULL);
		return;
	}
	request_reply_json(r, 201, text, len);
}

void
h_registrations_create(struct request *r)
{
	char token[TOKEN_LEN + 1];

	if (!valid_slug(r->params[0])) {
		request_not_found(r);
		return;
	}
	registration_submit(r, r->params[0], r->body, REG_VIA_API,
	    request_header(r, "Idempotency-Key"), token, registered);
	explicit_bzero(token, sizeof(token));
}

static void
reply_view(struct request *r, const struct db_result *res)
{
	request_reply_row(r, res, 200, "There is no such registration.");
}

static void
by_token(struct request *r, const char *sql)
{
	const char *token = r->params[0];

	if (!token_wellformed(token)) {
		request_problem(r, 404, "not-found", "Not found",
		    "There is no such registration.", NULL);
		return;
	}
	request_db(r, sql, 1, &token, reply_view);
}

void
h_registrations_get(struct request *r)
{
	by_token(r, sql_registration_get);
}

void
h_registrations_cancel(struct request *r)
{
	by_token(r, sql_registration_cancel);
}
