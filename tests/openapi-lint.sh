#!/bin/sh
# openapi-lint.sh - lints the API reference, docs/openapi.yaml, with
# Redocly's CLI (npm @redocly/cli, pinned in tests/package.json; `npm ci
# --prefix tests` installs it), every rule of its recommended set an
# error (tests/redocly.yaml).  Prints TAP for make check.
#
# The CLI is $LEERKANS_REDOCLY, else tests/node_modules/.bin/redocly in
# the source tree.  Without it the test is skipped, saying why, unless
# LEERKANS_REQUIRE_REDOCLY=1 (contrib/dev.sh test and so CI set it): then
# a missing CLI fails.
srcdir=${LEERKANS_SRCDIR:-$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)}
spec=$srcdir/docs/openapi.yaml
config=$srcdir/tests/redocly.yaml

redocly=${LEERKANS_REDOCLY:-}
[ -n "$redocly" ] || redocly=$srcdir/tests/node_modules/.bin/redocly

echo "1..1"
if [ ! -x "$redocly" ]; then
	why="Redocly's CLI is not installed (no $redocly): npm ci --prefix tests, or point LEERKANS_REDOCLY at it"
	case ${LEERKANS_REQUIRE_REDOCLY:-} in
	""|0)	echo "ok 1 - redocly lint docs/openapi.yaml # SKIP $why"
		exit 0 ;;
	esac
	echo "not ok 1 - redocly lint docs/openapi.yaml"
	echo "# $why (LEERKANS_REQUIRE_REDOCLY is set)"
	exit 1
fi

# no usage reports, no update notice: the answer is the lint alone
out=$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    NO_COLOR=1 "$redocly" lint --config "$config" "$spec" 2>&1)
rc=$?
if [ "$rc" = 0 ]; then
	echo "ok 1 - redocly lint docs/openapi.yaml"
else
	echo "not ok 1 - redocly lint docs/openapi.yaml (exit $rc)"
fi
printf '%s\n' "$out" | sed 's/^/# /'
exit 0
