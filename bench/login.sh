#!/bin/sh
# bench/login.sh - what a console login costs and what it costs others:
# one Argon2id hash at libsodium's INTERACTIVE cost (used) against
# MODERATE; a right password, a wrong one and an unknown account side by
# side (their ratio shows whether timing tells accounts apart); and how
# quickly GET /healthz answers while clients keep sending logins, against
# the same probe with nothing else going on, in the same run (the checks
# run on the password threads, not the event loop).
#
#   bench/login.sh                 (from the top of a built tree)
#
# Starts its own throwaway PostgreSQL cluster and leerkansd (as
# tests/integration does; as root the cluster runs as postgres), prints
# Markdown tables, and leaves nothing behind.  Uses /usr/bin/python3 with
# Debian's python3-requests.  Results go in docs/PERFORMANCE.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$top/bench/login.py" "$@"
