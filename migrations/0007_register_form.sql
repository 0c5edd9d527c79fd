-- 0007_register_form.sql - the web form's registration, which answers
-- a refusal together with the event page to show the form again.
--
-- A registration refused with 422 or 409 (a bad field, a duplicate
-- e-mail address, the event full or closed meanwhile) is answered with
-- the form drawn again, for which the daemon fetched the event in a
-- second round trip.  lk_register_form makes it one: it calls
-- lk_register inside a block with an exception handler, a
-- subtransaction, so that a refusal leaves nothing written, and answers
--
--	{"registration": <lk_register's answer>}
--	{"refusal": {"status", "problem", "title", "errors"},
--	 "page": <sql_web_event's document: now, event, kind; or null>}
--
-- The refusal holds what lk_fail raised (0002_catalogue_api.sql):
-- status from SQLSTATE LKnnn, problem from HINT, title from MESSAGE,
-- errors from DETAIL.  Any other error, LK5xx included, is raised again
-- as it came.  The JSON API keeps calling lk_register itself: only the
-- form pays for the subtransaction.

CREATE FUNCTION lk_register_form(event_in text, p jsonb, errs jsonb,
    token text, idem_key text, source_in text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	st text;
	title text;
	problem text;
	detail text;
BEGIN
	BEGIN
		RETURN json_build_object('registration',
		    lk_register(event_in, p, errs, token, idem_key, source_in));
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE,
		    title = MESSAGE_TEXT, problem = PG_EXCEPTION_HINT,
		    detail = PG_EXCEPTION_DETAIL;
		IF st !~ '^LK4[0-9][0-9]$' THEN
			RAISE;
		END IF;
	END;
	-- the page as sql_web_event (daemon/db/sql.c) answers it: keep
	-- the two alike
	RETURN json_build_object(
	    'refusal', json_build_object(
		'status', substr(st, 3)::integer,
		'problem', nullif(problem, ''),
		'title', nullif(title, ''),
		-- lk_fail writes the errors as JSON, or nothing
		'errors', CASE WHEN detail <> '' THEN detail::json END),
	    'page', (SELECT json_build_object('now', now(),
		'event', lk_event_json(e),
		'kind', json_build_object('nl', k.title_nl, 'en', k.title_en))
		FROM events e JOIN event_kinds k ON k.slug = e.kind
		WHERE e.slug = event_in AND e.status <> 'draft'));
END
$$;
