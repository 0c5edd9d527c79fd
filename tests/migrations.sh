#!/bin/sh
# migrations.sh - the schema's files are where the build looks for them.
# TAP output.  Run by make check, which passes the lists of Makefile.am:
#   LEERKANS_SRCDIR              the source tree
#   LEERKANS_MIGRATIONS          $(MIGRATIONS)
#   LEERKANS_MIGRATION_FUNCTIONS $(MIGRATION_FUNCTIONS)
#
# A migration left out of its list would be neither compiled into
# leerkansctl nor counted in SCHEMA_VERSION, and nothing else would
# notice; so would a function file.  And each lk_* function is to have
# one definition, in migrations/functions/.
srcdir=${LEERKANS_SRCDIR:-$(dirname "$0")/..}
migrations=${LEERKANS_MIGRATIONS?set by make check}
functions=${LEERKANS_MIGRATION_FUNCTIONS?set by make check}
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
	shift
	[ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/# /'
}

listed() {
	for l in $migrations $functions; do
		[ "$l" = "$1" ] && return 0
	done
	return 1
}

# 1. every file under migrations/ is in a list, every listed file exists
unlisted=$(cd "$srcdir" && find migrations -type f | LC_ALL=C sort |
    while read -r f; do listed "$f" || echo "$f"; done)
if [ -z "$unlisted" ]; then
	ok "every file in migrations/ is in MIGRATIONS or MIGRATION_FUNCTIONS"
else
	not_ok "files in migrations/ that Makefile.am does not list" $unlisted
fi
missing=""
for f in $migrations $functions; do
	[ -f "$srcdir/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then
	ok "every listed file exists"
else
	not_ok "listed but missing:$missing"
fi

# 2. numbered from 1 in order, each once; function files in name order
if out=$(cd "$srcdir" && sh daemon/db/schema.sh list $migrations -- \
    $functions 2>&1 >/dev/null); then
	ok "the lists are in order (db/schema.sh)"
else
	not_ok "the lists are out of order" "$out"
fi

# 3. versioned migrations hold stored schema only (comments aside)
define='CREATE +(OR +REPLACE +)?(FUNCTION|PROCEDURE) +lk_'
trigger='EXECUTE +(FUNCTION|PROCEDURE) +lk_'
code=$(cd "$srcdir" && grep -EinH "$define|$trigger" $migrations |
    grep -Ev '^[^:]*:[0-9]+:[[:space:]]*--')
if [ -z "$code" ]; then
	ok "no versioned migration defines an lk_* function or its trigger"
else
	not_ok "lk_* code in versioned migrations (its home is functions/)" \
	    "$code"
fi

# 4. one definition per lk_* function, made afresh each time (statements
# begin a line; comments do not count)
defs=$(cd "$srcdir" && cat $functions |
    grep -Eio "^[[:space:]]*$define[a-z0-9_]*" |
    awk '{ print tolower($NF) }' | LC_ALL=C sort)
twice=$(echo "$defs" | uniq -d)
if [ -n "$defs" ] && [ -z "$twice" ]; then
	ok "each lk_* function is defined once ($(echo "$defs" | wc -l) in all)"
else
	not_ok "lk_* functions defined more than once, or none at all" $twice
fi
replace=$(cd "$srcdir" && grep -EinH '^[[:space:]]*CREATE +OR +REPLACE' \
    $functions)
if [ -z "$replace" ]; then
	ok "function files say CREATE, not CREATE OR REPLACE"
else
	not_ok "CREATE OR REPLACE in function files (migrate drops first)" \
	    "$replace"
fi

# 5. leerkansctl sends the statements of db/sql.c, not its own: no string
# there begins like one
keywords='SELECT|INSERT|UPDATE|DELETE|BEGIN|COMMIT|ROLLBACK|VACUUM|CREATE'
keywords="$keywords|DROP|ALTER|DECLARE|FETCH|LISTEN|WITH"
sql=$(grep -En "\"[[:space:]]*($keywords)\\>" "$srcdir/daemon/ctl/ctl.c")
if [ -z "$sql" ]; then
	ok "daemon/ctl/ctl.c holds no SQL text"
else
	not_ok "SQL text in daemon/ctl/ctl.c (its home is db/sql.c)" "$sql"
fi

echo "1..$n"
exit $failed
