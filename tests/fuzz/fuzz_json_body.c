/*
 * fuzz_json_body.c - a request body as http/dispatch.c reads it (json_loadb with
 * JSON_REJECT_DUPLICATES), then validate_object against every field
 * table, for create (POST) and update (PATCH).
 *
 * Promises: no crash, leak or undefined behaviour; the errors are always
 * an array of {"field": string, "message": string, "code": string} that
 * json_dumps can write (the handlers send it to SQL), and {"field",
 * "message"} once request_problem has stripped the codes (what the API
 * answers); and no error is ever lost: every
 * key a table does not know, every required field missing on create
 * (a part of a person's name is not required beside the whole name, and
 * is named whenever it comes with it: API.md section 11), every fixed
 * field on update and every unknown venue part is named.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "input/validate.h"

static const struct {
	const char		*name;
	const struct vfield	*fields;
} tables[] = {
	{ "event", event_fields },
	{ "session", session_fields },
	{ "registration", registration_fields },
};

static const char *const venue_parts[] = { "name", "address", "postcode",
	"city", NULL };

static const struct vfield *
field_named(const struct vfield *fields, const char *name)
{
	for (; fields->name != NULL; fields++)
		if (strcmp(fields->name, name) == 0)
			return fields;
	return NULL;
}

static bool
has_error(const json_t *errors, const char *field, bool prefix)
{
	size_t i, n = strlen(field);
	json_t *e;
	const char *f;

	json_array_foreach(errors, i, e) {
		f = json_string_value(json_object_get(e, "field"));
		if (prefix ? strncmp(f, field, n) == 0 : strcmp(f, field) == 0)
			return true;
	}
	return false;
}

static void
check_shape(const json_t *errors)
{
	size_t i;
	json_t *e, *field, *message, *answered;
	char *text;

	FUZZ_CHECK(json_is_array(errors));
	json_array_foreach(errors, i, e) {
		FUZZ_CHECK(json_is_object(e) && json_object_size(e) == 3);
		field = json_object_get(e, "field");
		message = json_object_get(e, "message");
		FUZZ_CHECK(json_is_string(field) && json_is_string(message));
		FUZZ_CHECK(json_string_length(message) > 0);
		FUZZ_CHECK(json_string_length(json_object_get(e, "code")) > 0);
	}
	FUZZ_CHECK((text = json_dumps(errors, JSON_COMPACT)) != NULL);
	free(text);
	/* the API's answer: the codes are for the pages only */
	FUZZ_CHECK((answered = json_deep_copy(errors)) != NULL);
	validate_strip_codes(answered);
	json_array_foreach(answered, i, e)
		FUZZ_CHECK(json_object_size(e) == 2 &&
		    json_is_string(json_object_get(e, "field")) &&
		    json_is_string(json_object_get(e, "message")));
	json_decref(answered);
}

static void
check_nothing_lost(const json_t *body, const struct vfield *fields,
    bool create, const json_t *errors)
{
	const struct vfield *f;
	const char *key, *const *part;
	json_t *v, *venue;
	bool whole_name = json_object_get(body, VALIDATE_WHOLE_NAME) != NULL;

	json_object_foreach((json_t *)body, key, v)
		if (field_named(fields, key) == NULL)
			FUZZ_CHECK(has_error(errors, key, false));
	for (f = fields; f->name != NULL; f++) {
		v = json_object_get(body, f->name);
		if (v == NULL && create && (f->flags & VF_REQUIRED) &&
		    !((f->flags & VF_NAME_PART) && whole_name))
			FUZZ_CHECK(has_error(errors, f->name, false));
		if (v != NULL && (f->flags & VF_NAME_PART) && whole_name)
			FUZZ_CHECK(has_error(errors, f->name, false));
		if (v != NULL && !create && (f->flags & VF_FIXED))
			FUZZ_CHECK(has_error(errors, f->name, false));
		/* a value of the wrong JSON type never passes */
		if (v != NULL && !json_is_null(v) && f->type != V_COUNT &&
		    f->type != V_BOOL && f->type != V_VENUE &&
		    f->type != V_SLUGS && f->type != V_CONSENT &&
		    !json_is_string(v))
			FUZZ_CHECK(has_error(errors, f->name, false));
		if (v != NULL && json_is_null(v) && !(f->flags & VF_NULLABLE))
			FUZZ_CHECK(has_error(errors, f->name, false));
	}
	venue = json_object_get(body, "venue");
	if (field_named(fields, "venue") != NULL && json_is_object(venue))
		json_object_foreach(venue, key, v) {
			for (part = venue_parts; *part != NULL; part++)
				if (strcmp(*part, key) == 0)
					break;
			if (*part == NULL)
				FUZZ_CHECK(has_error(errors, "venue.", true));
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *body, *errors;
	char *text;
	size_t t;
	int create;

	body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (body == NULL)
		return 0;
	if (!json_is_object(body))	/* http/dispatch.c answers 400 */
		goto done;
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (create = 0; create <= 1; create++) {
			errors = json_array();
			FUZZ_CHECK(errors != NULL);
			validate_object(body, tables[t].fields, create, errors);
			check_shape(errors);
			check_nothing_lost(body, tables[t].fields, create,
			    errors);
			json_decref(errors);
		}
	/* the handlers send the body itself to SQL as well */
	FUZZ_CHECK((text = json_dumps(body, JSON_COMPACT)) != NULL);
	free(text);
done:
	json_decref(body);
	return 0;
}
