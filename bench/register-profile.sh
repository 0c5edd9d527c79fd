#!/bin/sh
# bench/register-profile.sh - what one registration costs inside
# PostgreSQL, one client at a time: 2000 calls of lk_register
# (bench/lk_register.sql) with track_functions = 'all', giving the mean
# time per call of lk_register and of every function it calls that was
# not inlined; then 2000 of the reference (bench/register.sql: the seat
# UPDATE and the INSERT alone).  Both as pgbench's mean latency too.
#
#   bench/register-profile.sh     (after a build; docs/PERFORMANCE.md)
#
# A throwaway cluster, as bench/run.sh makes; nothing is left behind.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-2000}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
LEERKANSCTL=${LEERKANSCTL:-$top/leerkansctl}

work=$(mktemp -d /tmp/leerkans-profile.XXXXXX)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"
cleanup() {
	as_pg "$PGBIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

as_pg "$PGBIN/initdb" -D "$work/data" -U postgres -A trust -E UTF8 \
    --locale=C --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$work/data" -l "$work/pg.log" -w -o \
    "-c listen_addresses='' -c unix_socket_directories='$work' -c synchronous_commit=off -c shared_buffers=256MB -c track_functions=all" \
    start >/dev/null
psql() { "$PGBIN/psql" -X -q -h "$work" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE leerkans"
LEERKANS_DATABASE_URL="host=$work dbname=leerkans user=postgres" \
    "$LEERKANSCTL" migrate >/dev/null 2>&1
psql -d leerkans -c "INSERT INTO events (slug, kind, title, starts_at,
    ends_at, capacity, status) VALUES ('bench-event', 'network-event',
    'Infosessie levenslang leren', now() + interval '1 day',
    now() + interval '1 day 2 hours', 1000000, 'published')"
eid=$(psql -d leerkans -Atc "SELECT id FROM events WHERE slug = 'bench-event'")

latency() {
	as_pg "$PGBIN/pgbench" -n -h "$work" -U postgres -c 1 -t "$N" \
	    -D eid="$eid" -f "$1" leerkans >"$work/pgbench.txt" 2>&1 || true
	awk '/^latency average = / { printf "%.0f us", $4 * 1000; f = 1 }
	    END { if (!f) print "failed" }' "$work/pgbench.txt"
}

echo "# one client, $N calls each, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
lk=$(latency "$top/bench/lk_register.sql")
sleep 1.2	# the function statistics are flushed at most once a second
echo "| function | calls | own time per call | total per call |"
echo "|---|---:|---:|---:|"
psql -d leerkans -Atc "SELECT '| ' || funcname || ' | ' || calls || ' | ' ||
    round((self_time / calls * 1000)::numeric) || ' us | ' ||
    round((total_time / calls * 1000)::numeric) || ' us |'
    FROM pg_stat_user_functions WHERE calls >= $N ORDER BY total_time DESC"
echo
echo "lk_register through pgbench: $lk a call (latency)"
echo "the reference (seat UPDATE + INSERT) through pgbench: $(latency "$top/bench/register.sql") a call"
