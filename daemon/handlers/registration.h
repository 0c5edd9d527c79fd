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

bool	registration_submit(struct request *r, const char *event,
	    json_t *body, const char *source, const char *idem_key,
	    char token[TOKEN_LEN + 1], request_db_cb cb);

#endif
