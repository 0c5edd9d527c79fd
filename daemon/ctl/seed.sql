-- seed.sql - demonstration events from the West-Vlaams Actieplan
-- Levenslang Leren: the spring and autumn network events (action 7) with
-- parallel networking sessions, an inspiration session for in-company
-- academies (action 2) and info sessions for SMEs and intermediaries
-- (action 4), one of them in the Westhoek.  Dates lie ahead of today, so
-- the demo always shows upcoming events.  Running it again adds nothing.

-- the first Thursday on or after a day
CREATE FUNCTION pg_temp.thursday_from(d date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
	SELECT d + ((11 - extract(isodow FROM d)::int) % 7)
$$;

CREATE TEMPORARY TABLE seed_dates ON COMMIT DROP AS
SELECT
	-- the next spring (third Thursday of March) and autumn (second
	-- Thursday of October) event days; the other sessions fall on the
	-- Tuesday or Thursday of a week some weeks ahead
	CASE WHEN current_date < pg_temp.thursday_from(make_date(y, 3, 15))
	    THEN pg_temp.thursday_from(make_date(y, 3, 15))
	    ELSE pg_temp.thursday_from(make_date(y + 1, 3, 15))
	END AS spring,
	CASE WHEN current_date < pg_temp.thursday_from(make_date(y, 10, 8))
	    THEN pg_temp.thursday_from(make_date(y, 10, 8))
	    ELSE pg_temp.thursday_from(make_date(y + 1, 10, 8))
	END AS autumn,
	date_trunc('week', current_date)::date AS monday
FROM (SELECT extract(year FROM current_date)::int AS y) AS this_year;

CREATE TEMPORARY TABLE seed_events ON COMMIT DROP AS
SELECT * FROM (VALUES
	('netwerkevent-voorjaar-' || extract(year FROM (SELECT spring FROM seed_dates)),
	 'network-event',
	 'Netwerkevent Levenslang Leren - voorjaar ' || extract(year FROM (SELECT spring FROM seed_dates)),
	 'Het voorjaarsnetwerkevent van het West-Vlaams Partnerschap Levenslang Leren '
	 'brengt iedereen samen die in West-Vlaanderen werkt rond levenslang en '
	 'levensbreed leren. In parallelle netwerksessies verkennen we samenwerking '
	 'met experts en financieringsmogelijkheden voor projecten, en we brengen '
	 'verslag uit over de voortgang van het West-Vlaamse Actieplan. '
	 '#blijfkennismaken',
	 (SELECT spring FROM seed_dates) + time '13:30', (SELECT spring FROM seed_dates) + time '17:30',
	 'Provinciehuis Boeverbos', 'Koning Leopold III-laan 41', '8200', 'Brugge',
	 150, 'published'),
	('netwerkevent-najaar-' || extract(year FROM (SELECT autumn FROM seed_dates)),
	 'network-event',
	 'Netwerkevent Levenslang Leren - najaar ' || extract(year FROM (SELECT autumn FROM seed_dates)),
	 'Het najaarsnetwerkevent: vernieuwende invalshoeken rond onze gezamenlijke '
	 'missie, ideeënuitwisseling en samenwerking, in wisselwerking met het '
	 'Vlaamse Partnerschap Levenslang Leren.',
	 (SELECT autumn FROM seed_dates) + time '13:30', (SELECT autumn FROM seed_dates) + time '17:30',
	 'Kortrijk Xpo', 'Doorniksesteenweg 216', '8500', 'Kortrijk',
	 200, 'published'),
	('inspiratiesessie-in-company-academies',
	 'academy-session',
	 'Inspiratiesessie: samenwerken met en tussen in-company academies',
	 'In-company academies bouwen vanuit de strategie van een onderneming een '
	 'duurzame opleidingsomgeving uit. We verkennen, ook via Europese programma''s, '
	 'hoe academies andere doelgroepen kunnen trainen, knowhow en trainers '
	 'uitwisselen en infrastructuur delen.',
	 (SELECT monday FROM seed_dates) + 42 + 3 + time '09:30', (SELECT monday FROM seed_dates) + 42 + 3 + time '12:30',
	 'POM West-Vlaanderen', 'Baron Ruzettelaan 33', '8310', 'Brugge',
	 40, 'published'),
	('infosessie-kmo-brugge',
	 'sme-info-session',
	 'Infosessie levenslang leren voor KMO''s en intermediairen - Brugge',
	 'Welke maatregelen, programma''s en incentives rond opleiden bestaan er, en '
	 'hoe zet je als KMO of intermediair meer in op levenslang leren? Samen met '
	 'Voka, VDAB en opleidingsverstrekkers brengen we het aanbod in kaart.',
	 (SELECT monday FROM seed_dates) + 21 + 1 + time '18:00', (SELECT monday FROM seed_dates) + 21 + 1 + time '20:00',
	 'Huis van het Leren West-Vlaanderen', 'Sint-Michielslaan 1', '8200', 'Brugge',
	 60, 'published'),
	('infosessie-kmo-ieper',
	 'sme-info-session',
	 'Infosessie levenslang leren voor KMO''s en intermediairen - Westhoek',
	 'Een infosessie in de Westhoek, waar het aanbod aan volwasseneneducatie het '
	 'kleinst is: opleidingsmogelijkheden en incentives voor KMO''s, en hoe '
	 'intermediairen mensen gericht doorverwijzen bij leervragen.',
	 (SELECT monday FROM seed_dates) + 49 + 1 + time '18:00', (SELECT monday FROM seed_dates) + 49 + 1 + time '20:00',
	 'Het Perron', 'Fochlaan 1', '8900', 'Ieper',
	 50, 'published')
) AS v(slug, kind, title, description, starts_local, ends_local,
       venue_name, venue_address, venue_postcode, venue_city, capacity, status);

INSERT INTO events (slug, kind, title, description, starts_at, ends_at,
    timezone, venue_name, venue_address, venue_postcode, venue_city,
    capacity, registration_opens_at, status)
SELECT slug, kind, title, description,
    starts_local AT TIME ZONE 'Europe/Brussels',
    ends_local AT TIME ZONE 'Europe/Brussels', 'Europe/Brussels',
    venue_name, venue_address, venue_postcode, venue_city, capacity,
    now(), status
FROM seed_events
ON CONFLICT (slug) DO NOTHING;

-- the parallel networking sessions of both network events
INSERT INTO sessions (event_id, slug, title, description, starts_at, ends_at,
    room, capacity)
SELECT e.id, s.slug, s.title, s.description,
    e.starts_at + s.starts_after, e.starts_at + s.starts_after + s.length,
    s.room, s.capacity
FROM events e
CROSS JOIN (VALUES
	('samenwerken-met-experts', 'Samenwerken met experts',
	 'Hoe haal je expertise binnen in je leerproject?',
	 interval '1 hour', interval '75 minutes', 'Zaal 1', 60),
	('financiering-van-projecten', 'Financieringsmogelijkheden voor projecten',
	 'Europese, Vlaamse en provinciale middelen voor leerprojecten.',
	 interval '1 hour', interval '75 minutes', 'Zaal 2', 50),
	('leerecosysteem-westhoek', 'Leerecosystemen in de Westhoek',
	 'Levensbreed leren rond armoede, mobiliteit en sociaal isolement.',
	 interval '1 hour', interval '75 minutes', 'Zaal 3', 40),
	('digitale-basisvaardigheden', 'Leernetwerken digitale basisvaardigheden',
	 'Ondernemingen die samen digitale basiscompetenties versterken.',
	 interval '2 hours 30 minutes', interval '1 hour', 'Zaal 1', 60),
	('werkveldverkenning', 'Werkveldverkenning als oriëntatietool',
	 'Proeven van jobs vanuit de leervraag, niet vanuit het aanbod.',
	 interval '2 hours 30 minutes', interval '1 hour', 'Zaal 2', 50)
) AS s(slug, title, description, starts_after, length, room, capacity)
WHERE e.kind = 'network-event'
  AND e.slug IN (SELECT slug FROM seed_events)
ON CONFLICT (event_id, slug) DO NOTHING;
