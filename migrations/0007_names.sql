-- 0007_names.sql - a registrant's name in two parts (API.md section 11):
-- given_name and family_name, in Dutch collation; name becomes the two
-- joined, which the database keeps and nobody writes.
--
-- Lists and exports sort by family name, then given name, as Flanders
-- sorts names: ICU's nl-BE, where Éliaerts comes between Eeckhout and
-- Elst (the C collation puts it after Zeeman), case and accents weigh
-- only between names that are otherwise equal, and "Van Damme" is
-- filed under V.  The three columns carry that collation, so that every
-- ORDER BY on them is Dutch without saying so.  Debian's PostgreSQL is
-- built with ICU, and initdb makes "nl-BE-x-icu" in every cluster,
-- whatever its locale (the tests' clusters are --locale=C, contrib/dev.sh's
-- C.UTF-8).  A server without it stops the migration here, saying why,
-- rather than failing on the first column below with a bare "collation
-- does not exist" or, worse, sorting in another order unnoticed.
--
-- Existing registrations keep their name whole, as the given name, with
-- an empty family name: what the API does with a name sent whole.  A
-- split would be a guess.  At the first space it breaks "Marie Louise
-- Peeters" and "Jan Baptist Vandamme"; at the last it breaks every
-- "Van den Bossche" and "De Smet"; no rule finds "Ali Ben Salah".  A
-- wrong guess would then show on lists, badges and mails as a name the
-- person never gave, and nobody would notice it, while a name kept whole
-- reads exactly as typed: the joined name is unchanged, byte for byte.
-- Such names, with no family name, sort first (by the name as given),
-- where an organiser sees them at once.  Erased registrations (all NULL)
-- stay NULL.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_collation
	    WHERE collname = 'nl-BE-x-icu' AND collencoding IN (-1,
		pg_char_to_encoding(getdatabaseencoding()))) THEN
		RAISE EXCEPTION 'the ICU collation "nl-BE-x-icu" is missing: '
		    'leerkans sorts names in Dutch with it'
		USING HINT = 'Use a PostgreSQL built with ICU (Debian''s is), '
		    'or make it once as a superuser: CREATE COLLATION '
		    '"nl-BE-x-icu" (provider = icu, locale = ''nl-BE'');';
	END IF;
END
$$;

ALTER TABLE registrations
	ADD COLUMN given_name text COLLATE "nl-BE-x-icu",
	ADD COLUMN family_name text COLLATE "nl-BE-x-icu";

UPDATE registrations SET given_name = name,
    family_name = CASE WHEN name IS NOT NULL THEN '' END;

-- The two joined, given name first; one part alone when the other is
-- empty; NULL once erased.
ALTER TABLE registrations
	DROP COLUMN name,
	ADD COLUMN name text COLLATE "nl-BE-x-icu" GENERATED ALWAYS AS (
	    CASE WHEN coalesce(family_name, '') = '' THEN given_name
		WHEN coalesce(given_name, '') = '' THEN family_name
		ELSE given_name || ' ' || family_name END) STORED;
