/*
 * registration.h - one way in for registrations, from the JSON API and
 * from the web form alike.
 */
#ifndef LEERKANS_REGISTRATION_H
#define LEERKANS_REGISTRATION_H

#include <stdbool.h>

#include <jansson.h>

#include "http/request.h"
#include "base/util.h"

/* The way in, which says the source recorded and the statement sent. */
enum registration_via {
	REG_VIA_API,		/* lk_register: its answer, or its refusal */
	REG_VIA_FORM		/* lk_register_form: a refusal comes as an
				 * answer, with the event page to draw again */
};

bool	registration_submit(struct request *r, const char *event,
	    json_t *body, enum registration_via via, const char *idem_key,
	    char token[TOKEN_LEN + 1], request_db_cb cb);

#endif
