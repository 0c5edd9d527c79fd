#!/bin/sh
# bench/run.sh - leerkansd side by side with a reference, in one run, on
# one machine: the ratios in docs/PERFORMANCE.md come from here.
#
#   bench/run.sh            (after a build; DURATION=10 CONNS=16 by default)
#
#   bench/run.sh register   (only part 1, the registrations)
#   bench/run.sh profile    (what one registration costs in PostgreSQL)
#
# It starts a throwaway PostgreSQL cluster and leerkansd, then measures
#   1. registrations/s through leerkansd vs pgbench running, against the
#      same PostgreSQL with as many clients, (a) the reference: the
#      conditional seat UPDATE and the INSERT of one registration row,
#      nothing else (register.sql), and (b) the lk_register call that
#      leerkansd sends (lk_register.sql);
#   2. GET /api/v1/events/{slug} vs nginx (one worker) serving the same
#      JSON bytes from disk;
#   2b. GET /feeds/events.ics (200 events) vs nginx serving the same bytes;
#   3. p99 latency of that GET at 32 connections;
#   4. resident memory of leerkansd holding 1,000 idle keep-alive
#      connections.
# The profile runs, with one client and no leerkansd, N (2000) calls of
# lk_register with track_functions = 'all': the mean time per call of
# lk_register and of every function it calls that was not inlined; then
# N of the reference; both also as pgbench's mean latency.
# Needs wrk, nginx and pgbench (contrib/dev.sh bench installs them).
set -eu

only=${1:-}
case $only in
""|register|profile) ;;
*) echo "usage: bench/run.sh [register | profile]" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
LEERKANSD=${LEERKANSD:-$top/leerkansd}
LEERKANSCTL=${LEERKANSCTL:-$top/leerkansctl}

work=$(mktemp -d /tmp/leerkans-bench.XXXXXX)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"

cleanup() {
	[ -n "${idle_pid:-}" ] && kill "$idle_pid" 2>/dev/null || true
	[ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null || true
	[ -n "${d_pid:-}" ] && kill "$d_pid" 2>/dev/null || true
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
SELECT CASE WHEN i = 0 THEN 'bench-event' ELSE 'bench-' || i END,
    (ARRAY['network-event', 'academy-session', 'sme-info-session'])[i % 3 + 1],
    'Infosessie levenslang leren ' || i,
    'Opleidingsmogelijkheden en incentives voor KMO''s en intermediairen.',
    now() + (i || ' days')::interval, now() + (i || ' days')::interval + interval '2 hours',
    'Huis van het Leren', 'Sint-Michielslaan 1', '8200', 'Brugge',
    CASE WHEN i = 0 THEN 1000000 ELSE 100 END, 'published'
FROM generate_series(0, 199) AS i"
eid=$(psql -d leerkans -Atc "SELECT id FROM events WHERE slug = 'bench-event'")

if [ "$only" = profile ]; then
	N=${N:-2000}
	latency() {
		as_pg env PGOPTIONS="-c track_functions=all" "$PGBIN/pgbench" \
		    -n -h "$work" -U postgres -c 1 -t "$N" -D eid="$eid" \
		    -f "$1" leerkans >"$work/pgbench.txt" 2>&1 || true
		awk '/^latency average = / { printf "%.0f us", $4 * 1000; f = 1 }
		    END { if (!f) print "failed" }' "$work/pgbench.txt"
	}
	echo "# one client, $N calls each, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	lk=$(latency "$top/bench/lk_register.sql")
	sleep 1.2	# function statistics are flushed at most once a second
	echo "| function | calls | own time per call | total per call |"
	echo "|---|---:|---:|---:|"
	psql -d leerkans -Atc "SELECT '| ' || funcname || ' | ' || calls ||
	    ' | ' || round((self_time / calls * 1000)::numeric) || ' us | ' ||
	    round((total_time / calls * 1000)::numeric) || ' us |'
	    FROM pg_stat_user_functions WHERE calls >= $N
	    ORDER BY total_time DESC"
	echo
	echo "lk_register through pgbench: $lk a call (latency)"
	echo "the reference through pgbench: $(latency "$top/bench/register.sql") a call"
	exit 0
fi

port=$(free_port)
# every client is 127.0.0.1: no per-address limits
LEERKANS_LISTEN=127.0.0.1:$port LEERKANS_RATE_LIMIT=0 \
    LEERKANS_EMAIL_RATE_LIMIT=0 LEERKANS_MAX_CONNECTIONS_PER_ADDRESS=0 \
    LEERKANS_POOL_SIZE=${POOL_SIZE:-8} \
    "$LEERKANSD" 2>"$work/leerkansd.log" &
d_pid=$!
url=http://127.0.0.1:$port
i=0
until curl -sf "$url/readyz" >/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { cat "$work/leerkansd.log"; exit 1; }
	sleep 0.1
done

rps() { awk '/^Requests\/sec:/ { print $2 }'; }

echo "# leerkans benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "duration ${DURATION}s per run, $CONNS connections, $THREADS wrk threads"
echo

# 1. registrations, each with a new e-mail address: leerkansd, then
# pgbench running the reference and lk_register with as many clients;
# a checkpoint before each, so that none pays for another's writes
pgb() {
	psql -d leerkans -c CHECKPOINT >/dev/null
	as_pg "$PGBIN/pgbench" -n -h "$work" -U postgres -c "$CONNS" \
	    -j "$THREADS" -T "$DURATION" -D eid="$eid" -f "$1" leerkans \
	    >"$2" 2>&1 || true
	tps=$(awk '/^tps = / { print $3; exit }' "$2")
	if [ -z "$tps" ]; then cat "$2" >&2; exit 1; fi
	echo "$tps"
}
psql -d leerkans -c CHECKPOINT >/dev/null
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s "$top/bench/register.lua" \
    "$url/api/v1/events/bench-event/registrations" >"$work/wrk-reg.txt" 2>&1
reg_d=$(rps <"$work/wrk-reg.txt")
reg_bad=$(grep -c '^unexpected status' "$work/wrk-reg.txt" || true)
reg_ref=$(pgb "$top/bench/register.sql" "$work/pgbench-ref.txt")
reg_lk=$(pgb "$top/bench/lk_register.sql" "$work/pgbench-lk.txt")
over=$(psql -d leerkans -Atc "SELECT count(*) FROM events WHERE confirmed_count > capacity")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
reg_table() {
	echo "| measure | leerkansd | reference | ratio | target |"
	echo "|---|---|---|---|---|"
	echo "| registrations/s ($CONNS clients) | $reg_d | pgbench, seat UPDATE + INSERT: $reg_ref | $(ratio "$reg_d" "$reg_ref") | >= 0.8 |"
	echo "| lk_register through pgbench, calls/s ($CONNS clients) | $reg_lk | pgbench, seat UPDATE + INSERT: $reg_ref | $(ratio "$reg_lk" "$reg_ref") | |"
}
reg_end() {
	echo "answers other than 201 from leerkansd: $reg_bad (must be 0)"
	echo "events over capacity after the run: $over (must be 0)"
}
if [ "$only" = register ]; then
	reg_table
	echo
	reg_end
	exit 0
fi

# 2. one event as JSON vs nginx
mkdir -p "$work/www"
curl -sf "$url/api/v1/events/bench-event" >"$work/www/event.json"
nport=$(free_port)
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$nport;
		root $work/www;
		default_type application/json;
		types { text/calendar ics; application/json json; }
	}
}
NGINX
nginx -c "$work/nginx.conf" &
nginx_pid=$!
sleep 0.5
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$url/api/v1/events/bench-event" \
    >"$work/wrk-get.txt" 2>&1
get_d=$(rps <"$work/wrk-get.txt")
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$nport/event.json" \
    >"$work/wrk-nginx.txt" 2>&1
get_n=$(rps <"$work/wrk-nginx.txt")
curl -sf "$url/feeds/events.ics" >"$work/www/events.ics"
nevents=$(grep -c '^BEGIN:VEVENT' "$work/www/events.ics")
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$url/feeds/events.ics" \
    >"$work/wrk-feed.txt" 2>&1
feed_d=$(rps <"$work/wrk-feed.txt")
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$nport/events.ics" \
    >"$work/wrk-feed-nginx.txt" 2>&1
feed_n=$(rps <"$work/wrk-feed-nginx.txt")
kill "$nginx_pid"; nginx_pid=

# 3. p99 at 32 connections
wrk -t"$THREADS" -c32 -d"${DURATION}s" --latency "$url/api/v1/events/bench-event" \
    >"$work/wrk-p99.txt" 2>&1
p99=$(awk '/^ +99%/ { print $2 }' "$work/wrk-p99.txt")

# 4. memory with 1,000 idle keep-alive connections
rss_before=$(awk '/^VmRSS/ { print $2 }' "/proc/$d_pid/status")
mkfifo "$work/idle.in"
/usr/bin/python3 "$top/bench/idle.py" "$port" 1000 /healthz <"$work/idle.in" >"$work/idle.out" &
idle_pid=$!
exec 3>"$work/idle.in"
i=0
until grep -q ready "$work/idle.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 300 ] || { echo "idle clients did not connect"; exit 1; }
	sleep 0.1
done
rss_idle=$(awk '/^VmRSS/ { print $2 }' "/proc/$d_pid/status")
exec 3>&-
wait "$idle_pid" || true
idle_pid=

reg_table
echo "| GET /api/v1/events/{slug} req/s | $get_d | nginx $get_n | $(ratio "$get_d" "$get_n") | >= 1.0 |"
echo "| GET /feeds/events.ics ($nevents events, $(wc -c <"$work/www/events.ics") bytes) req/s | $feed_d | nginx $feed_n | $(ratio "$feed_d" "$feed_n") | >= 1.0 |"
echo "| p99 latency of that GET, 32 connections | $p99 | | | < 20 ms |"
echo "| resident memory, 1,000 idle keep-alive connections | $((rss_idle / 1024)) MiB | before: $((rss_before / 1024)) MiB | | < 64 MiB |"
echo
reg_end
