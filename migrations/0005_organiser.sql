-- 0005_organiser.sql - what the organiser tools keep: the keyed
-- pseudonyms an erased registration keeps instead of the data that named
-- someone, the audit log, and West Flanders' postcodes by arrondissement
-- for the reach report.  How erasure and the report use them is in
-- functions/40_organiser.sql.

CREATE EXTENSION IF NOT EXISTS pgcrypto;	-- hmac()

ALTER TABLE registrations
	ADD COLUMN person_hash bytea,		-- set on erasure
	ADD COLUMN organisation_hash bytea,	-- set on erasure
	ADD COLUMN erased_at timestamptz;

CREATE INDEX registrations_email_norm ON registrations (email_norm)
	WHERE email_norm IS NOT NULL;
-- exports and the reach report read an event's registrations whatever
-- their status (registrations_one_active leaves out the cancelled)
CREATE INDEX registrations_event ON registrations (event_id, id);

-- Who exported or erased what, and when: never the personal data itself.
CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor		text NOT NULL,	-- organiser token name, or leerkansctl (user)
	action		text NOT NULL CHECK (action IN ('export', 'erasure',
			    'purge')),
	event_slug	text,
	detail		jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_at ON audit_log (at);

-- West Flanders by arrondissement, for the reach report's regions.  The
-- Westhoek is taken as the arrondissements Diksmuide, Ieper and Veurne.
CREATE TABLE wvl_arrondissements (
	slug		text PRIMARY KEY,
	name		text NOT NULL,
	westhoek	boolean NOT NULL
);

INSERT INTO wvl_arrondissements (slug, name, westhoek) VALUES
	('brugge', 'Brugge', false),
	('diksmuide', 'Diksmuide', true),
	('ieper', 'Ieper', true),
	('kortrijk', 'Kortrijk', false),
	('oostende', 'Oostende', false),
	('roeselare', 'Roeselare', false),
	('tielt', 'Tielt', false),
	('veurne', 'Veurne', true);

-- Every West Flemish postcode (8000-8999) with its municipality and
-- arrondissement, from the bpost list as known to the author and the
-- arrondissements of the province (unchanged by the municipal mergers of
-- 2025: Meulebeke joined Tielt, Ruiselede joined Wingene, all within
-- arrondissement Tielt; the postcodes stay).  Municipalities are named as
-- before 2025.  Points that look odd but are right, as far as known:
--   8020 Oostkamp, 8210/8211 Zedelgem, 8490 Jabbeke, 8730 Beernem and
--     8820 Torhout are arrondissement Brugge, not Oostende, Tielt or
--     Roeselare as their numbers might suggest;
--   8480 Ichtegem is Oostende; 8610 Kortemark, 8647 Lo-Reninge,
--     8650 Houthulst and 8680 Koekelare are Diksmuide;
--   8640 Vleteren and 8957 Mesen (inside Heuvelland's 8950-8958) are
--     Ieper; 8930 Menen and 8790-8793 Waregem are Kortrijk, 8860
--     Lendelede too; 8770 Ingelmunster is Roeselare; 8850/8851 Ardooie
--     is Tielt.
-- Doubts: none on the arrondissements; the list of sub-postcodes (8301,
-- 8421, 8431-8434, 8551-8554, 8572-8573, 8581-8583, 8691, 8755, 8791-8793,
-- 8851, 8902-8908, 8951-8958, 8972, 8978) is from memory and should be
-- checked against bpost's current file when it is at hand.  A postcode
-- 8000-8999 not in this table (a box or company number) counts as
-- "unknown", never as outside the province.
CREATE TABLE wvl_postcodes (
	postcode	text PRIMARY KEY CHECK (postcode ~ '^8[0-9]{3}$'),
	municipality	text NOT NULL,
	places		text NOT NULL,	-- the places the postcode serves
	arrondissement	text NOT NULL REFERENCES wvl_arrondissements (slug)
);

INSERT INTO wvl_postcodes (postcode, municipality, places, arrondissement)
VALUES
	-- arrondissement Brugge
	('8000', 'Brugge', 'Brugge, Koolkerke', 'brugge'),
	('8020', 'Oostkamp', 'Oostkamp, Hertsberge, Ruddervoorde, Waardamme',
	 'brugge'),
	('8200', 'Brugge', 'Sint-Andries, Sint-Michiels', 'brugge'),
	('8210', 'Zedelgem', 'Zedelgem, Loppem, Veldegem', 'brugge'),
	('8211', 'Zedelgem', 'Aartrijke', 'brugge'),
	('8300', 'Knokke-Heist', 'Knokke, Westkapelle', 'brugge'),
	('8301', 'Knokke-Heist', 'Heist-aan-Zee, Ramskapelle', 'brugge'),
	('8310', 'Brugge', 'Assebroek, Sint-Kruis', 'brugge'),
	('8340', 'Damme', 'Damme, Hoeke, Lapscheure, Moerkerke, Oostkerke, '
	 'Sijsele', 'brugge'),
	('8370', 'Blankenberge', 'Blankenberge, Uitkerke', 'brugge'),
	('8377', 'Zuienkerke', 'Zuienkerke, Houtave, Meetkerke, Nieuwmunster',
	 'brugge'),
	('8380', 'Brugge', 'Dudzele, Lissewege, Zeebrugge', 'brugge'),
	('8490', 'Jabbeke', 'Jabbeke, Snellegem, Stalhille, Varsenare, '
	 'Zerkegem', 'brugge'),
	('8730', 'Beernem', 'Beernem, Oedelem, Sint-Joris', 'brugge'),
	('8820', 'Torhout', 'Torhout', 'brugge'),
	-- arrondissement Oostende
	('8400', 'Oostende', 'Oostende, Stene, Zandvoorde', 'oostende'),
	('8420', 'De Haan', 'De Haan, Klemskerke, Wenduine', 'oostende'),
	('8421', 'De Haan', 'Vlissegem', 'oostende'),
	('8430', 'Middelkerke', 'Middelkerke', 'oostende'),
	('8431', 'Middelkerke', 'Wilskerke', 'oostende'),
	('8432', 'Middelkerke', 'Leffinge', 'oostende'),
	('8433', 'Middelkerke', 'Mannekensvere, Schore, Sint-Pieters-Kapelle, '
	 'Slijpe, Spermalie', 'oostende'),
	('8434', 'Middelkerke', 'Lombardsijde, Westende', 'oostende'),
	('8450', 'Bredene', 'Bredene', 'oostende'),
	('8460', 'Oudenburg', 'Oudenburg, Ettelgem, Roksem, Westkerke',
	 'oostende'),
	('8470', 'Gistel', 'Gistel, Moere, Snaaskerke, Zevekote', 'oostende'),
	('8480', 'Ichtegem', 'Ichtegem, Bekegem, Eernegem', 'oostende'),
	-- arrondissement Kortrijk
	('8500', 'Kortrijk', 'Kortrijk', 'kortrijk'),
	('8501', 'Kortrijk', 'Bissegem, Heule', 'kortrijk'),
	('8510', 'Kortrijk', 'Bellegem, Kooigem, Marke, Rollegem', 'kortrijk'),
	('8511', 'Kortrijk', 'Aalbeke', 'kortrijk'),
	('8520', 'Kuurne', 'Kuurne', 'kortrijk'),
	('8530', 'Harelbeke', 'Harelbeke', 'kortrijk'),
	('8531', 'Harelbeke', 'Bavikhove, Hulste', 'kortrijk'),
	('8540', 'Deerlijk', 'Deerlijk', 'kortrijk'),
	('8550', 'Zwevegem', 'Zwevegem', 'kortrijk'),
	('8551', 'Zwevegem', 'Heestert', 'kortrijk'),
	('8552', 'Zwevegem', 'Moen', 'kortrijk'),
	('8553', 'Zwevegem', 'Otegem', 'kortrijk'),
	('8554', 'Zwevegem', 'Sint-Denijs', 'kortrijk'),
	('8560', 'Wevelgem', 'Wevelgem, Gullegem, Moorsele', 'kortrijk'),
	('8570', 'Anzegem', 'Anzegem, Gijzelbrechtegem, Ingooigem, Vichte',
	 'kortrijk'),
	('8572', 'Anzegem', 'Kaster', 'kortrijk'),
	('8573', 'Anzegem', 'Tiegem', 'kortrijk'),
	('8580', 'Avelgem', 'Avelgem', 'kortrijk'),
	('8581', 'Avelgem', 'Kerkhove, Waarmaarde', 'kortrijk'),
	('8582', 'Avelgem', 'Outrijve', 'kortrijk'),
	('8583', 'Avelgem', 'Bossuit', 'kortrijk'),
	('8587', 'Spiere-Helkijn', 'Spiere, Helkijn', 'kortrijk'),
	('8790', 'Waregem', 'Waregem', 'kortrijk'),
	('8791', 'Waregem', 'Beveren (Leie)', 'kortrijk'),
	('8792', 'Waregem', 'Desselgem', 'kortrijk'),
	('8793', 'Waregem', 'Sint-Eloois-Vijve', 'kortrijk'),
	('8860', 'Lendelede', 'Lendelede', 'kortrijk'),
	('8930', 'Menen', 'Menen, Lauwe, Rekkem', 'kortrijk'),
	-- arrondissement Diksmuide
	('8600', 'Diksmuide', 'Diksmuide, Beerst, Driekapellen, Esen, '
	 'Kaaskerke, Keiem, Lampernisse, Leke, Nieuwkapelle, Oostkerke, '
	 'Oudekapelle, Pervijze, Sint-Jacobskapelle, Stuivekenskerke, Vladslo, '
	 'Woumen', 'diksmuide'),
	('8610', 'Kortemark', 'Kortemark, Handzame, Werken, Zarren',
	 'diksmuide'),
	('8647', 'Lo-Reninge', 'Lo, Noordschote, Pollinkhove, Reninge',
	 'diksmuide'),
	('8650', 'Houthulst', 'Houthulst, Klerken, Merkem', 'diksmuide'),
	('8680', 'Koekelare', 'Koekelare, Bovekerke, Zande', 'diksmuide'),
	-- arrondissement Veurne
	('8620', 'Nieuwpoort', 'Nieuwpoort, Ramskapelle, Sint-Joris', 'veurne'),
	('8630', 'Veurne', 'Veurne, Avekapelle, Booitshoeke, Bulskamp, '
	 'De Moeren, Eggewaartskapelle, Houtem, Steenkerke, Vinkem, '
	 'Wulveringem, Zoutenaaie', 'veurne'),
	('8660', 'De Panne', 'De Panne, Adinkerke', 'veurne'),
	('8670', 'Koksijde', 'Koksijde, Oostduinkerke, Wulpen', 'veurne'),
	('8690', 'Alveringem', 'Alveringem, Hoogstade, Oeren, Sint-Rijkers',
	 'veurne'),
	('8691', 'Alveringem', 'Beveren-aan-den-IJzer, Gijverinkhove, '
	 'Izenberge, Leisele, Stavele', 'veurne'),
	-- arrondissement Ieper
	('8640', 'Vleteren', 'Oostvleteren, Westvleteren, Woesten', 'ieper'),
	('8900', 'Ieper', 'Ieper, Brielen, Dikkebus, Sint-Jan', 'ieper'),
	('8902', 'Ieper', 'Hollebeke, Voormezele, Zillebeke', 'ieper'),
	('8904', 'Ieper', 'Boezinge, Zuidschote', 'ieper'),
	('8906', 'Ieper', 'Elverdinge', 'ieper'),
	('8908', 'Ieper', 'Vlamertinge', 'ieper'),
	('8920', 'Langemark-Poelkapelle', 'Langemark, Poelkapelle, Bikschote',
	 'ieper'),
	('8940', 'Wervik', 'Wervik, Geluwe', 'ieper'),
	('8950', 'Heuvelland', 'Nieuwkerke', 'ieper'),
	('8951', 'Heuvelland', 'Dranouter', 'ieper'),
	('8952', 'Heuvelland', 'Wulvergem', 'ieper'),
	('8953', 'Heuvelland', 'Wijtschate', 'ieper'),
	('8954', 'Heuvelland', 'Westouter', 'ieper'),
	('8956', 'Heuvelland', 'Kemmel', 'ieper'),
	('8957', 'Mesen', 'Mesen', 'ieper'),
	('8958', 'Heuvelland', 'Loker', 'ieper'),
	('8970', 'Poperinge', 'Poperinge, Reningelst', 'ieper'),
	('8972', 'Poperinge', 'Krombeke, Proven, Roesbrugge-Haringe', 'ieper'),
	('8978', 'Poperinge', 'Watou', 'ieper'),
	('8980', 'Zonnebeke', 'Zonnebeke, Beselare, Geluveld, Passendale, '
	 'Zandvoorde', 'ieper'),
	-- arrondissement Roeselare
	('8770', 'Ingelmunster', 'Ingelmunster', 'roeselare'),
	('8800', 'Roeselare', 'Roeselare, Beveren, Oekene, Rumbeke',
	 'roeselare'),
	('8810', 'Lichtervelde', 'Lichtervelde', 'roeselare'),
	('8830', 'Hooglede', 'Hooglede, Gits', 'roeselare'),
	('8840', 'Staden', 'Staden, Oostnieuwkerke, Westrozebeke', 'roeselare'),
	('8870', 'Izegem', 'Izegem, Emelgem, Kachtem', 'roeselare'),
	('8880', 'Ledegem', 'Ledegem, Rollegem-Kapelle, Sint-Eloois-Winkel',
	 'roeselare'),
	('8890', 'Moorslede', 'Moorslede, Dadizele', 'roeselare'),
	-- arrondissement Tielt
	('8700', 'Tielt', 'Tielt, Aarsele, Kanegem, Schuiferskapelle', 'tielt'),
	('8710', 'Wielsbeke', 'Wielsbeke, Ooigem, Sint-Baafs-Vijve', 'tielt'),
	('8720', 'Dentergem', 'Dentergem, Markegem, Oeselgem, Wakken', 'tielt'),
	('8740', 'Pittem', 'Pittem, Egem', 'tielt'),
	('8750', 'Wingene', 'Wingene, Zwevezele', 'tielt'),
	('8755', 'Ruiselede', 'Ruiselede', 'tielt'),
	('8760', 'Meulebeke', 'Meulebeke', 'tielt'),
	('8780', 'Oostrozebeke', 'Oostrozebeke', 'tielt'),
	('8850', 'Ardooie', 'Ardooie', 'tielt'),
	('8851', 'Ardooie', 'Koolskamp', 'tielt');
