#!/bin/sh
# bench/export.sh - how attendee exports scale: time, peak memory of
# leerkansd, and how quickly /healthz answers while an export runs, for an
# event of N registrations (default: 10000 and 100000), against psql's
# \copy of the same rows (lk_attendees) measured in the same run.
#
#   bench/export.sh [N ...]        (from the top of a built tree)
#
# Starts its own throwaway PostgreSQL cluster and leerkansd (as
# tests/integration does; as root the cluster runs as postgres), prints a
# Markdown table, and leaves nothing behind.  Uses /usr/bin/python3 with
# Debian's python3-requests.  Results go in docs/PERFORMANCE.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$top/bench/export.py" "$@"
