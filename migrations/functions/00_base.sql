-- 00_base.sql - what every other function file uses: refusals, field
-- errors and the two ways times are written.
--
-- The files in migrations/functions/ hold the database's code: its
-- functions and triggers, never stored data.  leerkansctl migrate runs
-- them in name order, after every versioned migration, in one
-- transaction, whenever one of them changed: it first drops every lk_*
-- function (and so the triggers that call one), then creates them all
-- again from these files.  So a file says what a function is, not how it
-- changed: edit it in place, change a signature freely, and write
-- CREATE FUNCTION, never CREATE OR REPLACE.  A versioned migration
-- (migrations/NNNN_*.sql) defines no lk_* function and no trigger that
-- calls one; a function the stored schema itself depends on (an index
-- expression, a default, a CHECK) belongs in one, under a name without
-- the lk_ prefix.
--
-- Refusals are raised with SQLSTATE 'LK' || HTTP status, the problem type
-- name in HINT and a JSON array of {field, message, code} in DETAIL; the
-- daemon turns them into problem+json without parsing any message text.
-- The problem name is the refusal's code, as "code" is each field
-- error's: what the web pages go by (handlers/web.c), never a message.

CREATE FUNCTION lk_fail(status integer, problem text, message text,
    errors jsonb DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION USING
	    ERRCODE = 'LK' || status::text,
	    MESSAGE = message,
	    HINT = problem,
	    DETAIL = coalesce(errors::text, '');
END
$$;

-- One field error.  message is English, for API clients; code names the
-- problem for the pages, which word it in the reader's language
-- (i18n_field_error).  Codes are those of input/validate.h (VE_*), which
-- the daemon's own checks send too; request_problem() strips them, so
-- the API answers {field, message}.
CREATE FUNCTION lk_field_error(field text, message text, code text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_array(jsonb_build_object('field', field,
	    'message', message, 'code', code))
$$;

-- RFC 3339 text of a time as seen in an IANA zone, with its offset.
-- One expression without FROM, so that the planner inlines it: this runs
-- a dozen times for every event in every answer.  STABLE, as to_char is:
-- the planner inlines a function only into what is no less volatile
-- than the function says it is, and one that cannot be inlined is parsed
-- and planned again by every statement that calls it (declared
-- IMMUTABLE, it cost some 30 microseconds a call that way).
CREATE FUNCTION lk_ts(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS') ||
	    CASE WHEN ts AT TIME ZONE tz < ts AT TIME ZONE 'UTC'
		THEN '-' ELSE '+' END ||
	    to_char(greatest((ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC'),
		(ts AT TIME ZONE 'UTC') - (ts AT TIME ZONE tz)), 'HH24:MI')
$$;

-- Whole seconds since the epoch.
CREATE FUNCTION lk_epoch(ts timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT floor(extract(epoch FROM ts))::bigint
$$;
