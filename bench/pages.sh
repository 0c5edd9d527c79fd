#!/bin/sh
# bench/pages.sh - the web pages of this build against those of another
# build (the reference: an earlier commit), in one run, on one cluster:
# what a change to the pages costs, as a ratio.
#
#   LEERKANSD_REF=/path/to/old/leerkansd bench/pages.sh
#
# It makes a throwaway PostgreSQL cluster, migrates it with this build's
# leerkansctl and seeds the action plan's events (leerkansctl seed: the
# spring network event has five sessions in two time slots), starts both
# daemons on it, and measures GET /events/<the spring network event> and
# GET / with wrk, ROUNDS times each, alternating the two daemons so that
# a change in the machine's load falls on both.  Both daemons run this
# build's SQL functions: what differs is the C that draws the page.
# Needs wrk (contrib/dev.sh bench installs it).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-8}
CONNS=${CONNS:-8}
ROUNDS=${ROUNDS:-3}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
LEERKANSD=${LEERKANSD:-$top/leerkansd}
LEERKANSCTL=${LEERKANSCTL:-$top/leerkansctl}
: "${LEERKANSD_REF:?set LEERKANSD_REF to the leerkansd to compare with}"

work=$(mktemp -d /tmp/leerkans-pages.XXXXXX)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"
cleanup() {
	[ -n "${new_pid:-}" ] && kill "$new_pid" 2>/dev/null || true
	[ -n "${ref_pid:-}" ] && kill "$ref_pid" 2>/dev/null || true
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
    "-c listen_addresses='' -c unix_socket_directories='$work'" start >/dev/null
"$PGBIN/psql" -X -q -h "$work" -U postgres -d postgres -c "CREATE DATABASE leerkans"
LEERKANS_DATABASE_URL="host=$work dbname=leerkans user=postgres"
export LEERKANS_DATABASE_URL
"$LEERKANSCTL" migrate >/dev/null 2>&1
"$LEERKANSCTL" seed >/dev/null 2>&1
slug=$("$PGBIN/psql" -X -At -h "$work" -U postgres -d leerkans -c \
    "SELECT slug FROM events WHERE kind = 'network-event' ORDER BY starts_at LIMIT 1")

new_port=$(free_port)
ref_port=$(free_port)
LEERKANS_LISTEN=127.0.0.1:$new_port LEERKANS_LOG_LEVEL=warning \
    LEERKANS_RATE_LIMIT=0 "$LEERKANSD" 2>"$work/new.log" & new_pid=$!
LEERKANS_LISTEN=127.0.0.1:$ref_port LEERKANS_LOG_LEVEL=warning \
    LEERKANS_RATE_LIMIT=0 "$LEERKANSD_REF" 2>"$work/ref.log" & ref_pid=$!
for port in $new_port $ref_port; do
	until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
		sleep 0.1
	done
done

rate() {
	wrk -t2 -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$1$2" |
	    awk '/Requests\/sec/ { print $2 }'
}
for path in "/events/$slug" /; do
	new=0 ref=0 round=1
	while [ "$round" -le "$ROUNDS" ]; do
		r=$(rate "$ref_port" "$path")
		n=$(rate "$new_port" "$path")
		echo "$path round $round: reference $r/s, this build $n/s"
		ref=$(awk "BEGIN { print $ref + $r }")
		new=$(awk "BEGIN { print $new + $n }")
		round=$((round + 1))
	done
	printf '%s: this build / reference = %.2f; page %s bytes, was %s\n' \
	    "$path" "$(awk "BEGIN { print $new / $ref }")" \
	    "$(curl -s "http://127.0.0.1:$new_port$path" | wc -c)" \
	    "$(curl -s "http://127.0.0.1:$ref_port$path" | wc -c)"
done
