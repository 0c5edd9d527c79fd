-- register.sql - pgbench: the same capacity-checked registration that
-- leerkansd sends (lk_register locks the event row, counts the seat and
-- inserts), with a fresh e-mail address and token each time.
\set n random(1, 1000000000)
SELECT lk_register('bench-event',
    ('{"name":"Bench Mark","email":"p' || :client_id || '-' || :n ||
     '@example.be","role":"employee","organisation_type":"sme",' ||
     '"postcode":"8900","consent":{"privacy":true}}')::jsonb,
    '[]'::jsonb, md5(random()::text) || md5(random()::text), NULL, 'api');
