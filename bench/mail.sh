#!/bin/sh
# bench/mail.sh - what mail costs a registration, and how fast the outbox
# drains; docs/PERFORMANCE.md has the numbers.
#
#   bench/mail.sh           (after a build; DURATION=10 CONNS=16 ROUNDS=3
#                            N=3000 by default)
#
# It starts a throwaway PostgreSQL cluster, a local SMTP sink
# (bench/smtpsink.py, python3-aiosmtpd) and leerkansd, then measures
#   1. registrations/s through leerkansd (wrk, bench/register.lua, one
#      event, a new address each), ROUNDS times each way, the three
#      ways in turn, in one run:
#        off:     the tree without mail - registrations.mail_new without
#                 its default and lk_mail_seal answering NULL, no sender;
#        on:      as shipped, the sender not running (no smtp_url): every
#                 registration seals its token and is flagged for its
#                 mail - what the outbox costs a registration;
#        sending: as shipped, and the daemon sends every mail to the sink
#                 meanwhile (on the same cores as PostgreSQL, wrk and the
#                 Python sink);
#      the ratios of the medians to off (target for on: >= 0.9);
#   2. the drain: N mails queued with no sender, then one leerkansd
#      sending them to the sink: mails/s until the outbox is empty.
# Needs wrk and pgbench (contrib/dev.sh bench installs them).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
N=${N:-3000}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
LEERKANSD=${LEERKANSD:-$top/leerkansd}
LEERKANSCTL=${LEERKANSCTL:-$top/leerkansctl}

work=$(mktemp -d /tmp/leerkans-mailbench.XXXXXX)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"

cleanup() {
	[ -n "${d_pid:-}" ] && kill "$d_pid" 2>/dev/null || true
	[ -n "${sink_pid:-}" ] && kill "$sink_pid" 2>/dev/null || true
	as_pg "$PGBIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

as_pg "$PGBIN/initdb" -D "$work/data" -U postgres -A trust -E UTF8 \
    --locale=C --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$work/data" -l "$work/pg.log" -w -o \
    "-c listen_addresses='' -c unix_socket_directories='$work' -c max_connections=200 -c synchronous_commit=off -c shared_buffers=256MB" \
    start >/dev/null
psql() { "$PGBIN/psql" -X -q -h "$work" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE leerkans"
LEERKANS_DATABASE_URL="host=$work dbname=leerkans user=postgres"
export LEERKANS_DATABASE_URL
"$LEERKANSCTL" migrate >/dev/null
psql -d leerkans -c "
INSERT INTO events (slug, kind, title, description, starts_at, ends_at,
    venue_name, venue_address, venue_postcode, venue_city, capacity, status)
VALUES ('bench-event', 'network-event', 'Netwerkevent Levenslang Leren',
    'Opleidingsmogelijkheden en incentives voor KMO''s en intermediairen.',
    now() + interval '30 days', now() + interval '30 days 2 hours',
    'Huis van het Leren', 'Sint-Michielslaan 1', '8200', 'Brugge',
    10000000, 'published')"
seal=$(psql -d leerkans -Atc "SELECT pg_get_functiondef('lk_mail_seal'::regproc)")

sport=$(free_port)
/usr/bin/python3 "$top/bench/smtpsink.py" "$sport" >"$work/sink.out" 2>&1 &
sink_pid=$!
i=0
until grep -q ready "$work/sink.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/sink.out"; exit 1; }
	sleep 0.1
done

port=$(free_port)
url=http://127.0.0.1:$port
# $1: the SMTP URL, or "" for no sender
daemon_start() {
	LEERKANS_LISTEN=127.0.0.1:$port LEERKANS_RATE_LIMIT=0 \
	    LEERKANS_EMAIL_RATE_LIMIT=0 LEERKANS_MAX_CONNECTIONS_PER_ADDRESS=0 \
	    LEERKANS_POOL_SIZE=${POOL_SIZE:-8} LEERKANS_SMTP_URL="$1" \
	    LEERKANS_MAIL_FROM=bench@leerkans.example LEERKANS_LOG_LEVEL=warning \
	    "$LEERKANSD" 2>>"$work/leerkansd.log" &
	d_pid=$!
	i=0
	until curl -sf "$url/readyz" >/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/leerkansd.log"; exit 1; }
		sleep 0.1
	done
}
daemon_stop() {
	kill "$d_pid"
	wait "$d_pid" || true
	d_pid=
}
mail_off() {
	psql -d leerkans -c "ALTER TABLE registrations ALTER COLUMN mail_new DROP DEFAULT" \
	    -c "CREATE OR REPLACE FUNCTION lk_mail_seal(token text) RETURNS bytea LANGUAGE sql AS 'SELECT NULL::bytea'"
}
mail_on() {
	psql -d leerkans -c "ALTER TABLE registrations ALTER COLUMN mail_new SET DEFAULT true"
	printf '%s\n' "$seal" | psql -d leerkans -v ON_ERROR_STOP=1 >/dev/null
}
rps() { awk '/^Requests\/sec:/ { print $2 }'; }
register() {
	psql -d leerkans -c CHECKPOINT >/dev/null
	wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s "$top/bench/register.lua" \
	    "$url/api/v1/events/bench-event/registrations" >"$work/wrk.txt" 2>&1
	bad=$((bad + $(grep -c '^unexpected status' "$work/wrk.txt" || true)))
	rps <"$work/wrk.txt"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "# leerkans mail benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "duration ${DURATION}s per run, $CONNS connections, $ROUNDS rounds each"
echo

bad=0
offs=""
ons=""
sends=""
r=0
while [ $r -lt "$ROUNDS" ]; do
	mail_off
	daemon_start ""
	offs="$offs $(register)"
	daemon_stop
	mail_on
	daemon_start ""
	ons="$ons $(register)"
	daemon_stop
	daemon_start "smtp://127.0.0.1:$sport"
	sends="$sends $(register)"
	daemon_stop
	r=$((r + 1))
done
off=$(echo "$offs" | median)
on=$(echo "$ons" | median)
send=$(echo "$sends" | median)

# 2. the drain: what 1. queued and did not send, plus N more
mail_on
psql -d leerkans -c "DELETE FROM mail_outbox" -c "UPDATE registrations SET mail_new = NULL WHERE mail_new"
psql -d leerkans -Atc "
SELECT count(lk_register('bench-event', ('{\"given_name\":\"Drain\",\"family_name\":\"Bench\",\"email\":\"d' || i || '-' || md5(random()::text) || '@example.be\",\"role\":\"employee\",\"organisation_type\":\"sme\",\"consent\":{\"privacy\":true}}')::jsonb, '[]'::jsonb, md5(random()::text) || md5(random()::text), NULL, 'api'))
FROM generate_series(1, $N) AS i" >/dev/null
waiting="SELECT (SELECT count(*) FROM mail_outbox WHERE status = 'queued') + (SELECT count(*) FROM registrations WHERE mail_new)"
queued=$(psql -d leerkans -Atc "$waiting")
t0=$(date +%s.%N)
daemon_start "smtp://127.0.0.1:$sport"
i=0
until [ "$(psql -d leerkans -Atc "$waiting")" = 0 ]; do
	i=$((i + 1)); [ $i -lt 6000 ] || { echo "the outbox did not drain"; exit 1; }
	sleep 0.1
done
t1=$(date +%s.%N)
daemon_stop
failed=$(psql -d leerkans -Atc "SELECT count(*) FROM mail_outbox WHERE status = 'failed'")
drain=$(awk -v n="$queued" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')

echo "| measure | mail | mail off | ratio | target |"
echo "|---|---|---|---|---|"
echo "| registrations/s ($CONNS clients), median of $ROUNDS: mail on, outbox written | $on | $off | $(ratio "$on" "$off") | >= 0.9 |"
echo "| the same while the daemon sends every mail to the sink | $send | $off | $(ratio "$send" "$off") | |"
echo "| outbox drain to the local SMTP sink, mails/s ($queued mails, start to empty) | $drain | | | |"
echo
echo "registrations/s each round: off$offs; on$ons; sending$sends"
echo "answers other than 201 from leerkansd: $bad (must be 0)"
echo "mails failed in the drain: $failed (must be 0)"
