-- lk_register.sql - pgbench: the registration that leerkansd sends, the
-- same lk_register call with a fresh e-mail address and token each time
-- (no sessions, no Idempotency-Key, as bench/register.lua).
\set n random(1, 1000000000)
SELECT lk_register('bench-event',
    ('{"given_name":"Bench","family_name":"Mark","email":"p' ||
     :client_id || '-' || :n || '@example.be","role":"employee",' ||
     '"organisation_type":"sme",' ||
     '"postcode":"8900","consent":{"privacy":true}}')::jsonb,
    '[]'::jsonb, md5(random()::text) || md5(random()::text), NULL, 'api');
