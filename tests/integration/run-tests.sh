#!/bin/sh
# Integration tests for leerkans: a real leerkansd on a throwaway PostgreSQL.
# Run by `make check` (automake TAP driver); prints TAP on stdout.
# LEERKANSD and LEERKANSCTL name the programs under test (default: the top of
# the source tree).  The source tree may be read-only (make distcheck): no
# bytecode, no pytest cache.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 99
LEERKANS_TAP=1
PYTHONDONTWRITEBYTECODE=1
export LEERKANS_TAP PYTHONDONTWRITEBYTECODE
exec /usr/bin/python3 -m pytest -p no:cacheprovider -q "$here" "$@"
