-- 0010_public.sql - what the public pages add to an event: a price text.
--
-- NULL means the event is free, which the page and its schema.org data
-- say as such; otherwise the organiser's own words ("€ 25, lunch
-- inbegrepen"), shown as they are.  No amount or currency is parsed out
-- of it: the page must not claim a price the organiser did not state.

ALTER TABLE events ADD COLUMN price_text text
	CHECK (price_text IS NULL OR length(price_text) BETWEEN 1 AND 200);
