-- 0013_roster.sql - the console's registrations (issue 12): searching
-- names without regard to accents, walk-ins, and the audit log's new
-- acts.  The functions are in functions/75_roster.sql; the design is in
-- docs/CONSOLE.md ("Registrations").

-- unaccent(), so that a search for "eliaerts" finds "Éliaerts".  A
-- trusted extension (PostgreSQL 13 and later): the database's owner may
-- create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- A registration typed in at the door by an organiser is a 'walk-in'.
-- The CHECK is widened by adding to the values it has (read from the
-- catalogue), not by writing them out again: another migration that
-- widens it too keeps its own values whichever of the two runs first.
-- The same for the audit log's actions: a cancellation on someone's
-- behalf and a walk-in are recorded.
DO $$
DECLARE
	c record;
	vals text[];
	more text[];
BEGIN
	FOR c IN SELECT * FROM (VALUES
	    ('registrations', 'registrations_source_check', 'source',
		ARRAY['walk-in']),
	    ('audit_log', 'audit_log_action_check', 'action',
		ARRAY['registration-cancel', 'walk-in']))
	    AS x (tab, con, col, added) LOOP
		SELECT array_agg(m[1]) INTO vals
		FROM pg_constraint k,
		    regexp_matches(pg_get_constraintdef(k.oid), '''([^'']*)''',
			'g') AS m
		WHERE k.conname = c.con AND k.conrelid = c.tab::regclass;
		IF vals IS NULL THEN
			RAISE EXCEPTION 'constraint % of % not found', c.con,
			    c.tab;
		END IF;
		more := ARRAY(SELECT DISTINCT v FROM unnest(vals || c.added)
		    AS v ORDER BY v);
		EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I, '
		    'ADD CONSTRAINT %I CHECK (%I = ANY (%L::text[]))',
		    c.tab, c.con, c.con, c.col, more);
	END LOOP;
END
$$;
